-- The leaf-hash and search indexes are derived data: written behind the sequencer, in large
-- batches, and rebuilt from log_entry after a crash. indexed_size says how far they reach.
ALTER TABLE log_head ADD COLUMN indexed_size BIGINT NOT NULL DEFAULT 0;
UPDATE log_head SET indexed_size = tree_size;
ALTER TABLE log_entry ADD COLUMN index_keys VARCHAR(65536) NOT NULL DEFAULT '';
