-- Idempotency-Key of POST /v1/signals: a batch's key and its first answer, committed in the same
-- transaction as the batch's log entry and events, so a retry of an applied batch is answered as the
-- first time — exactly, however many of one agent's signals it holds (the per-agent key ring remembers
-- 32). Kept for a day (INGEST_KEY_TTL_MS): each keyed commit deletes up to 64 expired ones, oldest first.
CREATE TABLE ingest_keys (
  org_id TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  result TEXT NOT NULL,
  created_time INTEGER NOT NULL,
  PRIMARY KEY (org_id, key)
) WITHOUT ROWID;

CREATE INDEX ingest_keys_time ON ingest_keys (created_time);
