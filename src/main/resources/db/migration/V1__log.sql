-- The transparency log. The tree head is the only row ever updated; everything else is append-only.
-- Portable SQL (H2 and PostgreSQL): BYTEA is H2's VARBINARY and PostgreSQL's byte string.
CREATE TABLE log_head (
  id INT PRIMARY KEY,
  tree_id BIGINT NOT NULL,
  tree_size BIGINT NOT NULL,
  root_hash BYTEA NOT NULL,
  checkpoint VARCHAR(8192) NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE log_entry (
  idx BIGINT PRIMARY KEY,
  leaf_hash BYTEA NOT NULL,
  integrated_time BIGINT NOT NULL,
  kind VARCHAR(64) NOT NULL,
  api_version VARCHAR(16) NOT NULL,
  body BYTEA NOT NULL,
  signed_entry_timestamp BYTEA NOT NULL
);

-- Random 32-byte keys: kept off the hot entry table (see docs/log.md, storage).
CREATE TABLE log_leaf (
  leaf_hash BYTEA PRIMARY KEY,
  idx BIGINT NOT NULL
);

CREATE TABLE log_index_key (
  lookup_key VARCHAR(512) NOT NULL,
  idx BIGINT NOT NULL,
  PRIMARY KEY (lookup_key, idx)
);

-- C2SP tlog-tiles bottom rows: up to 256 hashes of 32 bytes, the rightmost tile of a level partial.
CREATE TABLE log_tile (
  tile_level INT NOT NULL,
  tile_index BIGINT NOT NULL,
  hashes BYTEA NOT NULL,
  PRIMARY KEY (tile_level, tile_index)
);
