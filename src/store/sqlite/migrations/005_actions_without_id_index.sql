-- An action's id is a random UUID (v4: unique by construction, nothing looks an action up by it), so
-- its UNIQUE index only cost a random page write per recorded action: rebuilt without it. Measured on
-- the writer, 25 actions per commit: 17.7 → 13.8 µs an action on a fresh table, 32 → 21 µs after 20k.
CREATE TABLE actions_new (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  interaction_id TEXT,
  client_id TEXT,
  action_type TEXT NOT NULL,
  action_time INTEGER NOT NULL,
  created_time INTEGER NOT NULL,
  idempotency_key TEXT,
  request_hash TEXT
);
INSERT INTO actions_new SELECT seq, id, org_id, agent_id, interaction_id, client_id, action_type, action_time, created_time, idempotency_key, request_hash FROM actions;
DROP TABLE actions;
ALTER TABLE actions_new RENAME TO actions;
CREATE INDEX actions_org_time ON actions (org_id, action_time DESC, seq DESC);
CREATE INDEX actions_org_agent_time ON actions (org_id, agent_id, action_time DESC, seq DESC);
CREATE UNIQUE INDEX actions_idempotency ON actions (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
