-- Inquiries (R1-R4), their messages and attachments, and the outbox of queued mail (R3).

CREATE TABLE inquiries (
    id                    TEXT PRIMARY KEY,
    app_id                TEXT NOT NULL REFERENCES apps (id),
    -- The app's seller, copied so that a developer's inbox is one index range.
    seller_id             TEXT NOT NULL REFERENCES sellers (id),
    customer_id           TEXT NOT NULL REFERENCES users (id),
    purchase_id           TEXT REFERENCES purchases (id),
    category              TEXT NOT NULL
        CHECK (category IN ('question', 'maintenance', 'error_report', 'refund', 'other')),
    subject               TEXT NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('awaiting_developer', 'awaiting_customer', 'closed')),
    -- R5: the customer's oldest unanswered message; set exactly while a reply is owed.
    awaiting_since        INTEGER,
    channel               TEXT NOT NULL CHECK (channel IN ('store', 'email', 'phone', 'api')),
    -- R7: consent (O/X) to share personal information on this inquiry, and since when.
    consent_personal_info INTEGER NOT NULL CHECK (consent_personal_info IN (0, 1)),
    consent_at            INTEGER,
    message_count         INTEGER NOT NULL,
    created_at            INTEGER NOT NULL,
    first_response_at     INTEGER,
    last_activity_at      INTEGER NOT NULL,
    closed_at             INTEGER,
    -- The inbox order (vocdesk_domain::inquiry::inbox_rank): owed answers first, by time left.
    inbox_rank            INTEGER NOT NULL,
    CHECK ((status = 'awaiting_developer') = (awaiting_since IS NOT NULL)),
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
) STRICT;
CREATE INDEX inquiries_inbox ON inquiries (inbox_rank, id);
CREATE INDEX inquiries_seller_inbox ON inquiries (seller_id, inbox_rank, id);
CREATE INDEX inquiries_seller_status_inbox ON inquiries (seller_id, status, inbox_rank, id);
CREATE INDEX inquiries_app_inbox ON inquiries (app_id, inbox_rank, id);
CREATE INDEX inquiries_customer_recent ON inquiries (customer_id, last_activity_at, id);
-- R5: unanswered inquiries by how long they have waited (overdue queue, counts, sweep).
CREATE INDEX inquiries_awaiting ON inquiries (seller_id, app_id, awaiting_since) WHERE awaiting_since IS NOT NULL;
CREATE INDEX inquiries_due ON inquiries (awaiting_since) WHERE awaiting_since IS NOT NULL;

CREATE TABLE inquiry_messages (
    id          TEXT PRIMARY KEY,
    inquiry_id  TEXT NOT NULL REFERENCES inquiries (id),
    -- Position in the thread, from 1, assigned under the inquiry's row lock.
    seq         INTEGER NOT NULL,
    author_id   TEXT NOT NULL REFERENCES users (id),
    side        TEXT NOT NULL CHECK (side IN ('customer', 'developer')),
    channel     TEXT NOT NULL CHECK (channel IN ('store', 'email', 'phone', 'api')),
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (inquiry_id, seq)
) STRICT;

-- Files are kept in the data directory under their SHA-256; rows only describe them.
CREATE TABLE attachments (
    id           TEXT PRIMARY KEY,
    inquiry_id   TEXT NOT NULL REFERENCES inquiries (id),
    message_id   TEXT NOT NULL REFERENCES inquiry_messages (id),
    position     INTEGER NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size > 0),
    sha256       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (message_id, position)
) STRICT;
CREATE INDEX attachments_by_inquiry ON attachments (inquiry_id);

-- R3: mail queued in the same transaction as the change that causes it.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    to_user_id      TEXT REFERENCES users (id),
    to_email        TEXT NOT NULL,
    locale          TEXT NOT NULL CHECK (locale IN ('ko', 'en')),
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    inquiry_id      TEXT REFERENCES inquiries (id),
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
) STRICT;
CREATE INDEX outbox_recent ON outbox (created_at, id);
CREATE INDEX outbox_by_status ON outbox (status, created_at, id);
CREATE INDEX outbox_by_inquiry ON outbox (inquiry_id) WHERE inquiry_id IS NOT NULL;
-- Delivery reads only mail that is due.
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

-- The operator's seller filter lists sellers by name.
CREATE INDEX sellers_by_name ON sellers (name, id);
