-- Every request authenticates against a cache of live tokens that must drop a token revoked by
-- another process (`respite token revoke`) before its next request. PRAGMA data_version says only
-- that some other connection committed, and the writer thread commits all the time; this counter
-- says that the tokens changed.
CREATE TABLE token_changes (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  generation INTEGER NOT NULL
);
INSERT INTO token_changes (id, generation) VALUES (1, 0);

CREATE TRIGGER tokens_inserted AFTER INSERT ON tokens BEGIN UPDATE token_changes SET generation = generation + 1; END;
CREATE TRIGGER tokens_updated AFTER UPDATE ON tokens BEGIN UPDATE token_changes SET generation = generation + 1; END;
CREATE TRIGGER tokens_deleted AFTER DELETE ON tokens BEGIN UPDATE token_changes SET generation = generation + 1; END;
