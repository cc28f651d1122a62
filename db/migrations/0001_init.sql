-- claimcheck schema version 1: sources, articles, claims, conflicts, reviews.
-- Applied by claimcheck in one transaction with the other pending migrations;
-- never edit a migration that has shipped: add the next number instead.
CREATE TABLE sources (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE articles (
  id             INTEGER PRIMARY KEY,
  path           TEXT NOT NULL UNIQUE,   -- absolute path (ingest) or the article id (load)
  ident          TEXT NOT NULL,          -- the article id: file name without .txt
  origin         TEXT NOT NULL CHECK (origin IN ('ingest', 'load')),
  hash           TEXT NOT NULL,          -- FNV-1a 64 of the file bytes + sidecar bytes (load: of its claim lines)
  bytes          INTEGER NOT NULL,       -- size of the article file (load: of its claim lines)
  source_id      INTEGER REFERENCES sources(id),
  published      TEXT,                   -- ISO date or NULL
  published_from TEXT,                   -- sidecar, front-matter, dateline, option
  language       TEXT,
  translated     INTEGER NOT NULL DEFAULT 0,
  ingested_at    TEXT NOT NULL           -- UTC timestamp of the last (re)extraction
);

CREATE TABLE claims (
  id             INTEGER PRIMARY KEY,
  article_id     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  article        TEXT NOT NULL,          -- the claim record's "article" field
  start          INTEGER NOT NULL,       -- byte offsets into the original file
  end            INTEGER NOT NULL,
  quote          TEXT NOT NULL,
  subject        TEXT NOT NULL,
  metric         TEXT NOT NULL,
  value          REAL NOT NULL,
  unit           TEXT NOT NULL,
  qualifier      TEXT NOT NULL,
  lo             REAL NOT NULL,
  hi             REAL NOT NULL,
  period_start   TEXT,
  period_end     TEXT,
  as_of          TEXT,
  as_of_basis    TEXT,
  basis          TEXT NOT NULL,
  event_date     TEXT,
  record         INTEGER NOT NULL DEFAULT 0,
  confidence     REAL NOT NULL,
  rule           TEXT NOT NULL,
  flags          TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
  alt_event_date TEXT,                        -- alternative reading of a garbled date
  alt_value      REAL,                        -- alternative reading of a garbled number
  text           TEXT,                        -- the number as written
  time_rules     TEXT NOT NULL DEFAULT '[]'   -- JSON array: time rules that dated it
);

CREATE TABLE conflicts (
  id          INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL,
  severity    TEXT NOT NULL,
  subject     TEXT NOT NULL,
  metric      TEXT NOT NULL,
  explanation TEXT NOT NULL,
  suggestion  TEXT,                      -- JSON object or NULL
  claims      TEXT NOT NULL,             -- JSON array of claim records
  created_at  TEXT NOT NULL
);

CREATE TABLE reviews (
  fingerprint TEXT PRIMARY KEY,
  status      TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'dismissed')),
  note        TEXT,
  decided_at  TEXT
);
