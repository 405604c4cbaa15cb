-- Issue 13: push notifications to developers' devices. A subscription is one browser's
-- PushSubscription (its push service endpoint and keys) and the kinds its developer
-- chose; an endpoint is one device, so it is unique (the same browser subscribed again
-- updates its row, or moves to whoever signed in on it last).
CREATE TABLE push_subscriptions (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id),
    endpoint        TEXT NOT NULL,
    p256dh          TEXT NOT NULL,
    auth            TEXT NOT NULL,
    kinds           TEXT NOT NULL,
    label           TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    last_success_at BIGINT,
    last_failure_at BIGINT,
    last_error      TEXT
);
CREATE UNIQUE INDEX push_subscriptions_endpoint ON push_subscriptions (endpoint);
CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id, created_at, id);

-- The push outbox: one row per device and event, written in the transaction of the
-- change that causes it (as mail is, R3), claimed by a sender under a lease (R16's
-- pattern) so that several server processes send each push once. The text is made at
-- send time, in the developer's language, from what the row points at.
CREATE TABLE push_outbox (
    id              TEXT PRIMARY KEY,
    subscription_id TEXT NOT NULL,
    kind            TEXT NOT NULL,
    event           TEXT NOT NULL,
    inquiry_id      TEXT,
    review_id       TEXT,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'dropped')),
    attempts        BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    claimed_by      TEXT,
    claimed_until   BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX push_outbox_due ON push_outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX push_outbox_by_subscription ON push_outbox (subscription_id);
CREATE INDEX push_outbox_recent ON push_outbox (created_at, id);

-- R5 + issue 13: an inquiry that passes the limit is pushed once per wait, like the
-- reminder (reminder_sent_at); the sweep reads only the rows still due.
ALTER TABLE inquiries ADD COLUMN overdue_pushed_at BIGINT;
CREATE INDEX inquiries_overdue_push_due ON inquiries (awaiting_since)
    WHERE awaiting_since IS NOT NULL AND overdue_pushed_at IS NULL;
