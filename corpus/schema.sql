-- The corpus schema (version 6), written as the named migrations that build it, in order.
-- corpus/store.py is the only module that speaks SQL; it applies every migration numbered above
-- a database's PRAGMA user_version, in order, in one transaction, then sets user_version to the
-- last one. A new database runs them all. Never change a migration that has been released: add
-- the next number (a line "-- migration N: name", N one more than the last) at the end.
-- Lists are stored as JSON arrays. Dates are ISO strings (YYYY-MM-DD) or NULL.

-- migration 1: corpus
CREATE TABLE IF NOT EXISTS documents (
    doc_id            TEXT PRIMARY KEY,          -- hash of the file's bytes
    path              TEXT NOT NULL UNIQUE,      -- where it was ingested from (absolute)
    source            TEXT NOT NULL,             -- file name
    fmt               TEXT NOT NULL,             -- pdf, docx, txt, html
    kind              TEXT NOT NULL,             -- protokoll, kallelse, minnesanteckningar, okänd
    forbund           TEXT,                      -- canonical förbund name
    forbund_evidence  TEXT,
    organ             TEXT,
    meeting_date      TEXT,
    meeting_time      TEXT,
    place             TEXT,
    chair             TEXT,
    secretary         TEXT,
    adjusters         TEXT NOT NULL DEFAULT '[]',
    date_window_from  TEXT,
    date_window_to    TEXT,
    attachments       TEXT NOT NULL DEFAULT '[]',
    n_pages           INTEGER NOT NULL,
    text              TEXT NOT NULL,
    ingested_at       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_forbund ON documents (forbund, meeting_date);
CREATE INDEX IF NOT EXISTS documents_date ON documents (meeting_date);

CREATE TABLE IF NOT EXISTS participants (
    doc_id        TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
    pos           INTEGER NOT NULL,
    name          TEXT NOT NULL,
    organisation  TEXT,
    role          TEXT NOT NULL,
    note          TEXT,
    PRIMARY KEY (doc_id, pos)
);

CREATE TABLE IF NOT EXISTS items (
    item_id        TEXT PRIMARY KEY,             -- hash of (doc_id, label)
    item_key       INTEGER NOT NULL UNIQUE,      -- int64 form of item_id, the index row id
    doc_id         TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
    pos            INTEGER NOT NULL,             -- order in the document
    label          TEXT NOT NULL,
    number         INTEGER,
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL,
    body           TEXT NOT NULL,
    handlingar     TEXT NOT NULL DEFAULT '[]',
    decisions      TEXT NOT NULL DEFAULT '[]',
    proposals      TEXT NOT NULL DEFAULT '[]',
    copy_to        TEXT NOT NULL DEFAULT '[]',
    pages          TEXT NOT NULL DEFAULT '[]',
    amounts        TEXT NOT NULL DEFAULT '[]',   -- [[value, unit, text], ...]
    dates          TEXT NOT NULL DEFAULT '[]',
    organisations  TEXT NOT NULL DEFAULT '[]',
    attachment     TEXT,
    procedural     INTEGER NOT NULL DEFAULT 0,
    has_decision   INTEGER NOT NULL DEFAULT 0    -- decisions or proposals present
);
CREATE INDEX IF NOT EXISTS items_doc ON items (doc_id, pos);

CREATE TABLE IF NOT EXISTS decisions (
    item_id        TEXT NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
    pos            INTEGER NOT NULL,
    clause         TEXT NOT NULL,
    act            TEXT,
    stance         TEXT,
    object         TEXT,
    amounts_kr     TEXT NOT NULL DEFAULT '[]',
    rates          TEXT NOT NULL DEFAULT '[]',   -- [[value, unit, text], ...]
    organisations  TEXT NOT NULL DEFAULT '[]',
    from_proposal  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (item_id, pos)
);
CREATE INDEX IF NOT EXISTS decisions_stance ON decisions (stance);

-- Files that could not be ingested, with the reason (shown in the corpus view).
CREATE TABLE IF NOT EXISTS failures (
    path    TEXT PRIMARY KEY,
    reason  TEXT NOT NULL,
    kind    TEXT NOT NULL,
    at      TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- migration 2: filter_indexes
-- The date filter's expressions (corpus/store.py _filter_sql), so a date range reads the index,
-- not every document row with its text (1M items: 216 ms -> see docs/benchmarks).
CREATE INDEX IF NOT EXISTS documents_span ON documents (
    COALESCE(meeting_date, date_window_to), COALESCE(meeting_date, date_window_from),
    forbund, kind, doc_id
);
-- Covering indexes for the filters (item keys of documents) and the procedural items.
CREATE INDEX IF NOT EXISTS items_doc_key ON items (doc_id, item_key, has_decision);
CREATE INDEX IF NOT EXISTS items_procedural ON items (item_id) WHERE procedural = 1;

-- migration 3: document_paths
-- Every file a document's bytes were found at: identical files are one document with several
-- paths (documents.path is the one shown); an edit of one file takes its path to the new
-- version and leaves the others' document whole.
CREATE TABLE IF NOT EXISTS document_paths (
    path    TEXT PRIMARY KEY,
    doc_id  TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
    source  TEXT NOT NULL                        -- file name
);
CREATE INDEX IF NOT EXISTS document_paths_doc ON document_paths (doc_id);
INSERT OR IGNORE INTO document_paths (path, doc_id, source) SELECT path, doc_id, source FROM documents;

-- A digest of each document's records as written (corpus/store.py DIGESTED), under the schema
-- version it was made with: doctor finds a damaged byte inside a record by comparing.
CREATE TABLE IF NOT EXISTS record_digests (
    doc_id  TEXT PRIMARY KEY REFERENCES documents (doc_id) ON DELETE CASCADE,
    digest  TEXT NOT NULL,
    schema  INTEGER NOT NULL
);

-- migration 4: document_quality
-- What could not be read or found in a document, as [[code, Swedish message], ...] (see
-- ingest/quality.py), and the version of the segmenter that made its items (0: before versions;
-- `finsam resegment` redoes documents older than the current one).
ALTER TABLE documents ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';
ALTER TABLE documents ADD COLUMN segmenter INTEGER NOT NULL DEFAULT 0;

-- migration 5: extractions
-- The pages as extracted from the file (before cleaning), so that a later segmenter can run
-- again without the file: zlib-compressed JSON of corpus.model.Page records (corpus/codec.py),
-- with the extraction facts. Documents stored before this migration have none (their cleaned
-- text is re-segmented instead).
CREATE TABLE IF NOT EXISTS extractions (
    doc_id         TEXT PRIMARY KEY REFERENCES documents (doc_id) ON DELETE CASCADE,
    pages_kept     INTEGER NOT NULL,             -- pages read (the page limit may cut a file)
    pages_in_file  INTEGER NOT NULL,             -- pages the file has
    image_pages    TEXT NOT NULL DEFAULT '[]',   -- pages that are images without text (not read)
    pages          BLOB NOT NULL
);

-- migration 6: decision_verb
-- The rule of the deciding phrase of each record (corpus.model.Decision.verb: bevilja, avslå,
-- rösta_för, fria_händer …). Records stored before it have none; `finsam resegment` classifies
-- them afresh (their segmenter version is older).
ALTER TABLE decisions ADD COLUMN verb TEXT;
