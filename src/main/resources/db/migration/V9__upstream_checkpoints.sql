-- The last checkpoint of each upstream transparency log that a transfer bundle carried in, keyed by
-- the checkpoint's origin line. The next bundle's checkpoint of that log must be at least as large
-- and consistent with this one (docs/bundle-format.md, "Upstream logs"). Replaced by
-- compare-and-swap on (origin, tree_size) in the import's own transaction. Portable SQL (H2 and
-- PostgreSQL).
CREATE TABLE upstream_checkpoint (
  origin VARCHAR(512) PRIMARY KEY,
  tree_size BIGINT NOT NULL,
  root_hash VARCHAR(64) NOT NULL,
  checkpoint TEXT NOT NULL,
  log_url VARCHAR(2048) NOT NULL,
  producer VARCHAR(128) NOT NULL,
  sequence BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
