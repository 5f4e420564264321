-- Migration 003 led the event agent index by blocks of 4,096 ids, but within the newest block each event
-- still landed on a random page (sorted by agent): with actions for agents in no particular order a
-- commit rewrote ~2 pages per action, 3.7 KB of the 12.1 KB written per action (bench:actions). As for
-- actions (migration 007), a block is now indexed by agent once it is full ("sealed"), in one sorted
-- insert; events past an org's last sealed block are scanned (at most ~4,096 of the org's events).
CREATE TABLE event_agents (
  org_id TEXT NOT NULL,
  block INTEGER NOT NULL,
  agent_id TEXT NOT NULL,
  id INTEGER NOT NULL,
  PRIMARY KEY (org_id, block, agent_id, id)
) WITHOUT ROWID;

-- Per org: blocks below next_block are sealed.
CREATE TABLE event_seal (
  org_id TEXT PRIMARY KEY,
  next_block INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO event_seal (org_id, next_block) SELECT org_id, max(id) >> 12 FROM events GROUP BY org_id;
INSERT INTO event_agents (org_id, block, agent_id, id)
  SELECT e.org_id, e.id >> 12, e.agent_id, e.id FROM events e JOIN event_seal s ON s.org_id = e.org_id
  WHERE e.agent_id IS NOT NULL AND e.id >> 12 < s.next_block ORDER BY 1, 2, 3, 4;
DROP INDEX events_org_block_agent;
