-- claimcheck schema version 3: what the ingest's check must look at again.
-- Conflicts never span subjects, so the check after an ingest reads only the
-- subjects whose claims changed since the last check: a subject is marked in
-- the transaction that stores, replaces or deletes one of its claims, and the
-- check clears the marks in its own transaction.
CREATE TABLE IF NOT EXISTS dirty_subjects (
  subject TEXT PRIMARY KEY
) WITHOUT ROWID;

-- Small facts about the database itself. 'check_signature': what the stored
-- conflicts were computed with (the claimcheck binary and its rules); a check
-- with another signature looks at every subject.
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- A database from before this version: its conflicts may come from any
-- earlier check, so the next check looks at everything.
INSERT OR IGNORE INTO dirty_subjects(subject) SELECT DISTINCT subject FROM claims;
