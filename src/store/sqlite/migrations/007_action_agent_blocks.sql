-- An index led by (org_id, agent_id) put each recorded action on a random page among all the agent's
-- others: at 50 connections every action cost a page rewrite in the WAL and again in the checkpoint,
-- 8.4 of the 15.7 KB written per action (bench:actions). Agent lookups now go through blocks of 4,096
-- consecutive seqs, indexed only once a block is full ("sealed"): one sorted insert of the whole block,
-- written once. Actions past the last sealed block are found by scanning them (at most ~4,096 rows).
CREATE TABLE action_agents (
  org_id TEXT NOT NULL,
  block INTEGER NOT NULL,
  agent_id TEXT NOT NULL,
  action_time INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (org_id, block, agent_id, action_time, seq)
) WITHOUT ROWID;

-- Each sealed block's action-time range per org, so a newest-first agent query merges blocks in time
-- order and stops at the first block that cannot hold anything newer than what it already has.
CREATE TABLE action_blocks (
  org_id TEXT NOT NULL,
  block INTEGER NOT NULL,
  min_time INTEGER NOT NULL,
  max_time INTEGER NOT NULL,
  PRIMARY KEY (org_id, block)
) WITHOUT ROWID;

-- Blocks below next_block are sealed. One row.
CREATE TABLE action_seal (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  next_block INTEGER NOT NULL
);

INSERT INTO action_seal (one, next_block) SELECT 1, coalesce(max(seq) >> 12, 0) FROM actions;
INSERT INTO action_agents (org_id, block, agent_id, action_time, seq)
  SELECT org_id, seq >> 12, agent_id, action_time, seq FROM actions
  WHERE seq >> 12 < (SELECT next_block FROM action_seal) ORDER BY 1, 2, 3, 4, 5;
INSERT INTO action_blocks (org_id, block, min_time, max_time)
  SELECT org_id, seq >> 12, min(action_time), max(action_time) FROM actions
  WHERE seq >> 12 < (SELECT next_block FROM action_seal) GROUP BY 1, 2;
DROP INDEX actions_org_agent_time;
