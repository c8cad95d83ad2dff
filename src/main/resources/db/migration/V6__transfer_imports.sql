-- Air-gap transfer bundles: trusted transfer keys per producer, the last imported bundle of each
-- producer (the sequence/rollback guard and hash-chain head), and one record per import.
-- Portable SQL (H2 and PostgreSQL).

-- Keys trusted to sign transfer bundles. Rows are never deleted: a retired key keeps its history.
CREATE TABLE transfer_key (
  key_id VARCHAR(64) PRIMARY KEY,
  producer VARCHAR(128) NOT NULL,
  public_key TEXT NOT NULL,
  active BOOLEAN NOT NULL,
  added_at BIGINT NOT NULL,
  added_by VARCHAR(256) NOT NULL,
  reason VARCHAR(2048) NOT NULL,
  retired_at BIGINT
);

-- The head of each producer's chain, replaced by compare-and-swap on (producer, sequence).
CREATE TABLE transfer_producer (
  producer VARCHAR(128) PRIMARY KEY,
  sequence BIGINT NOT NULL,
  bundle_digest VARCHAR(71) NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Every committed import: what crossed the gap, who brought it, and its entry in the site's log.
CREATE TABLE transfer_import (
  producer VARCHAR(128) NOT NULL,
  sequence BIGINT NOT NULL,
  bundle_digest VARCHAR(71) NOT NULL,
  previous_digest VARCHAR(71),
  file_digest VARCHAR(71) NOT NULL,
  key_id VARCHAR(64) NOT NULL,
  imported_at BIGINT NOT NULL,
  actor VARCHAR(256) NOT NULL,
  log_index BIGINT NOT NULL,
  evidence_version BIGINT NOT NULL,
  images INT NOT NULL,
  excluded INT NOT NULL,
  report TEXT NOT NULL,
  PRIMARY KEY (producer, sequence)
);
CREATE UNIQUE INDEX transfer_import_digest ON transfer_import (bundle_digest);
