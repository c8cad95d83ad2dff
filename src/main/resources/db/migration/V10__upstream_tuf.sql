-- The upstream TUF repository state that transfer bundles carried in, one row per trust anchor: the
-- SHA-256 (hex) of the root.json the operator installed (airseal.bundle.tuf-root). The highest
-- root accepted so far is what the next bundle's chain starts from; the versions are the rollback
-- floor (docs/bundle-format.md, "Upstream TUF"). Replaced by compare-and-swap on the versions in
-- the import's own transaction. Portable SQL (H2 and PostgreSQL).
CREATE TABLE upstream_tuf (
  anchor VARCHAR(64) PRIMARY KEY,
  root_version INTEGER NOT NULL,
  root_json TEXT NOT NULL,
  timestamp_version BIGINT NOT NULL,
  snapshot_version BIGINT NOT NULL,
  targets_version BIGINT NOT NULL,
  producer VARCHAR(128) NOT NULL,
  sequence BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
