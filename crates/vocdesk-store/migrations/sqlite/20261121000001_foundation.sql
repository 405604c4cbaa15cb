-- Foundation: accounts, sellers, apps, items, the purchase ledger, tokens, audit (R14).
-- Times are INTEGER milliseconds since the Unix epoch (UTC) in both engines, so that
-- the same keyset queries run on SQLite and PostgreSQL.

CREATE TABLE sellers (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    support_email TEXT NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('customer', 'developer', 'operator')),
    seller_id     TEXT REFERENCES sellers (id),
    customer_no   TEXT UNIQUE,
    locale        TEXT NOT NULL CHECK (locale IN ('ko', 'en')),
    created_at    INTEGER NOT NULL,
    CHECK ((role = 'developer') = (seller_id IS NOT NULL))
) STRICT;
CREATE INDEX users_by_seller ON users (seller_id) WHERE seller_id IS NOT NULL;

-- Bearer tokens and web sessions, stored as SHA-256 of the secret.
CREATE TABLE tokens (
    id         TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id    TEXT NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL CHECK (kind IN ('api', 'web')),
    scope      TEXT NOT NULL CHECK (scope IN ('full', 'payment_system')),
    label      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;
CREATE INDEX tokens_by_user ON tokens (user_id, created_at);

CREATE TABLE apps (
    id          TEXT PRIMARY KEY,
    seller_id   TEXT NOT NULL REFERENCES sellers (id),
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL,
    price_minor INTEGER,
    currency    TEXT,
    -- R13: per-star counters of visible ratings, changed with each review write.
    rating_1    INTEGER NOT NULL DEFAULT 0,
    rating_2    INTEGER NOT NULL DEFAULT 0,
    rating_3    INTEGER NOT NULL DEFAULT 0,
    rating_4    INTEGER NOT NULL DEFAULT 0,
    rating_5    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    CHECK ((price_minor IS NULL) = (currency IS NULL)),
    CHECK (price_minor IS NULL OR price_minor > 0)
) STRICT;
CREATE INDEX apps_newest ON apps (created_at, id);
CREATE INDEX apps_by_seller ON apps (seller_id, created_at, id);

CREATE TABLE items (
    id          TEXT PRIMARY KEY,
    app_id      TEXT NOT NULL REFERENCES apps (id),
    title       TEXT NOT NULL,
    price_minor INTEGER NOT NULL CHECK (price_minor > 0),
    currency    TEXT NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX items_by_app ON items (app_id, created_at, id);

CREATE TABLE purchases (
    id           TEXT PRIMARY KEY,
    tid          TEXT NOT NULL UNIQUE,
    txid         TEXT,
    receipt_no   TEXT,
    customer_id  TEXT NOT NULL REFERENCES users (id),
    app_id       TEXT NOT NULL REFERENCES apps (id),
    item_id      TEXT REFERENCES items (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency     TEXT NOT NULL,
    purchased_at INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('paid', 'cancelled')),
    cancelled_at INTEGER,
    created_at   INTEGER NOT NULL
) STRICT;
-- My page (purchase history, newest first) and R6 (a customer's purchases of one seller's apps).
CREATE INDEX purchases_by_customer ON purchases (customer_id, purchased_at, id);
CREATE INDEX purchases_by_app ON purchases (app_id, purchased_at, id);

-- R14: append-only.
CREATE TABLE audit_log (
    id            TEXT PRIMARY KEY,
    at            INTEGER NOT NULL,
    actor_user_id TEXT,
    actor_role    TEXT,
    actor_label   TEXT,
    channel       TEXT NOT NULL,
    action        TEXT NOT NULL,
    subject_type  TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    detail        TEXT NOT NULL
) STRICT;
CREATE INDEX audit_newest ON audit_log (at, id);
CREATE INDEX audit_by_subject ON audit_log (subject_type, subject_id, at, id);
CREATE INDEX audit_by_actor ON audit_log (actor_user_id, at, id);

-- Keys shared by every server process (cookie signing), created once.
CREATE TABLE server_secrets (
    name       TEXT PRIMARY KEY,
    value      BLOB NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
