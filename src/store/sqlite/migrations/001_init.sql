CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL UNIQUE,
  org_id TEXT NOT NULL,
  scopes TEXT NOT NULL,
  label TEXT,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);

CREATE TABLE actions (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
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
CREATE INDEX actions_org_time ON actions (org_id, action_time DESC, seq DESC);
CREATE INDEX actions_org_agent_time ON actions (org_id, agent_id, action_time DESC, seq DESC);
CREATE UNIQUE INDEX actions_idempotency ON actions (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE burnout_config (
  org_id TEXT PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  enabled INTEGER NOT NULL,
  agent_inclusion_type TEXT NOT NULL,
  wellness_break_reminders TEXT NOT NULL,
  created_time INTEGER NOT NULL,
  last_updated_time INTEGER NOT NULL
);

CREATE TABLE agent_settings (
  org_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  burnout_inclusion TEXT NOT NULL,
  wellness_break_reminders TEXT NOT NULL,
  updated_time INTEGER NOT NULL,
  PRIMARY KEY (org_id, agent_id)
);

CREATE TABLE events (
  org_id TEXT NOT NULL,
  id INTEGER NOT NULL,
  type TEXT NOT NULL,
  agent_id TEXT,
  interaction_id TEXT,
  time INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (org_id, id)
) WITHOUT ROWID;
