-- The engine snapshot became binary (src/engine/snapshot-codec.ts) and is written in chunks, one
-- writer commit each, so a 100 MB snapshot at 100,000 agents never holds the writer (and every request
-- waiting on a commit) for the whole write. A snapshot counts once the engine_snapshot row names it;
-- until then its chunks are an unfinished write (a crash leaves them, the next snapshot deletes them).
-- Rows written before this migration keep their JSON in `state` with no snapshot_id.
CREATE TABLE engine_snapshot_chunk (
  snapshot_id INTEGER NOT NULL,
  n INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY (snapshot_id, n)
);
ALTER TABLE engine_snapshot ADD COLUMN snapshot_id INTEGER;
