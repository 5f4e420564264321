-- The engine's durable input log: every input the engine applied (signals with transcript text
-- already replaced by derived scores, played breaks, exclusions), committed together with the events
-- they produced. A restart loads the latest snapshot and replays the log after it.
-- AUTOINCREMENT: pruning must never let a seq be handed out twice.
CREATE TABLE engine_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id TEXT NOT NULL,
  inputs TEXT NOT NULL
);

CREATE TABLE engine_snapshot (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  taken_at INTEGER NOT NULL,
  state TEXT NOT NULL
);

CREATE TABLE model_config (
  org_id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  config TEXT NOT NULL,
  updated_time INTEGER NOT NULL
);

CREATE INDEX events_org_agent ON events (org_id, agent_id, id);
