-- Ratings and reviews (R10), the official reply (R11, R18), reports (R12), saved replies.
-- The apps table already holds the per-star counters (R13), changed in the same
-- transaction as every review write.

CREATE TABLE reviews (
    id                  TEXT PRIMARY KEY,
    app_id              TEXT NOT NULL REFERENCES apps (id),
    -- The app's seller, copied so that the developers' inbox reads one index.
    seller_id           TEXT NOT NULL REFERENCES sellers (id),
    author_id           TEXT NOT NULL REFERENCES users (id),
    rating              INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body                TEXT,
    lang                TEXT NOT NULL CHECK (lang IN ('ko', 'en')),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    edited              INTEGER NOT NULL DEFAULT 0 CHECK (edited IN (0, 1)),
    -- R10: deleted by its author (kept with its versions; writing again revives it).
    deleted_at          INTEGER,
    -- R12: hidden by an operator, with the reason the author is told.
    hidden_at           INTEGER,
    hidden_reason       TEXT,
    -- R11: the one official reply, in the review's row so that listing needs no join.
    reply_body          TEXT,
    reply_author_id     TEXT REFERENCES users (id),
    reply_created_at    INTEGER,
    reply_updated_at    INTEGER,
    -- R18: the review was edited after the reply.
    reply_outdated      INTEGER NOT NULL DEFAULT 0 CHECK (reply_outdated IN (0, 1)),
    reply_hidden_at     INTEGER,
    reply_hidden_reason TEXT,
    -- Derived, never written: what the public sees, and the keys lists are sorted by.
    visible             INTEGER GENERATED ALWAYS AS (deleted_at IS NULL AND hidden_at IS NULL) STORED,
    replied             INTEGER GENERATED ALWAYS AS (reply_body IS NOT NULL AND reply_hidden_at IS NULL) STORED,
    high_key            INTEGER GENERATED ALWAYS AS (rating * 10000000000000 + created_at) STORED,
    low_key             INTEGER GENERATED ALWAYS AS (rating * 10000000000000 + 9999999999999 - created_at) STORED,
    inbox_key           INTEGER GENERATED ALWAYS AS (
        (hidden_at IS NULL AND (reply_body IS NULL OR reply_outdated = 1)) * 10000000000000 + created_at) STORED,
    UNIQUE (app_id, author_id)
) STRICT;
-- The public list (R10), one index per order, holding visible reviews only.
CREATE INDEX reviews_public_newest ON reviews (app_id, created_at, id) WHERE visible;
CREATE INDEX reviews_public_high ON reviews (app_id, high_key, id) WHERE visible;
CREATE INDEX reviews_public_low ON reviews (app_id, low_key, id) WHERE visible;
-- The developers' inbox (R11): owed answers first; and the operators' view of all.
CREATE INDEX reviews_inbox ON reviews (seller_id, inbox_key, id) WHERE deleted_at IS NULL;
CREATE INDEX reviews_inbox_all ON reviews (inbox_key, id) WHERE deleted_at IS NULL;
CREATE INDEX reviews_by_author ON reviews (author_id, created_at);

-- R10: every earlier version of a review, written when it is edited or deleted.
CREATE TABLE review_versions (
    review_id  TEXT NOT NULL REFERENCES reviews (id),
    version    INTEGER NOT NULL,
    rating     INTEGER NOT NULL,
    body       TEXT,
    lang       TEXT NOT NULL,
    written_at INTEGER NOT NULL,
    PRIMARY KEY (review_id, version)
) STRICT;

-- R11: every version of the official reply (a NULL body records a deletion).
CREATE TABLE reply_versions (
    review_id  TEXT NOT NULL REFERENCES reviews (id),
    version    INTEGER NOT NULL,
    author_id  TEXT NOT NULL REFERENCES users (id),
    body       TEXT,
    at         INTEGER NOT NULL,
    PRIMARY KEY (review_id, version)
) STRICT;

-- R12: reports; one open report per reporter and item.
CREATE TABLE review_reports (
    id          TEXT PRIMARY KEY,
    review_id   TEXT NOT NULL REFERENCES reviews (id),
    target      TEXT NOT NULL CHECK (target IN ('review', 'reply')),
    reporter_id TEXT NOT NULL REFERENCES users (id),
    reason      TEXT NOT NULL CHECK (reason IN ('spam', 'abusive', 'off_topic', 'personal_info', 'other')),
    note        TEXT,
    created_at  INTEGER NOT NULL,
    resolved_at INTEGER,
    -- How it was resolved: the item hidden, kept as it is, or deleted by its author.
    resolution  TEXT CHECK (resolution IN ('hidden', 'kept', 'deleted'))
) STRICT;
CREATE UNIQUE INDEX review_reports_one_open ON review_reports (review_id, target, reporter_id)
    WHERE resolved_at IS NULL;
CREATE INDEX review_reports_queue ON review_reports (created_at, review_id, target) WHERE resolved_at IS NULL;

-- A seller's saved replies.
CREATE TABLE reply_templates (
    id         TEXT PRIMARY KEY,
    seller_id  TEXT NOT NULL REFERENCES sellers (id),
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    lang       TEXT NOT NULL CHECK (lang IN ('ko', 'en')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX reply_templates_by_seller ON reply_templates (seller_id, title, id);
