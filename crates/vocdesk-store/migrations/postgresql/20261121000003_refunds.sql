-- Refunds (R5, R7-R9): cancellation requests, the one cancellation per purchase, the
-- sweep's bookkeeping on inquiries, and audit entries findable by inquiry and purchase.

-- R5 sweep: set once the purchase an inquiry names needs no cancelling any more
-- (cancelled by any path, or free), so the sweep's index forgets the row.
ALTER TABLE inquiries ADD COLUMN refund_settled_at BIGINT;
-- R5 reminders: set when the seller was reminded of the current wait; cleared when a
-- new wait starts (a customer message after an answer).
ALTER TABLE inquiries ADD COLUMN reminder_sent_at BIGINT;
-- The sweep reads only due rows: overdue refund inquiries with a purchase not yet settled.
CREATE INDEX inquiries_auto_cancel_due ON inquiries (awaiting_since)
    WHERE awaiting_since IS NOT NULL AND category = 'refund' AND purchase_id IS NOT NULL
      AND refund_settled_at IS NULL;
CREATE INDEX inquiries_reminder_due ON inquiries (awaiting_since)
    WHERE awaiting_since IS NOT NULL AND reminder_sent_at IS NULL;

CREATE TABLE cancellation_requests (
    id                TEXT PRIMARY KEY,
    purchase_id       TEXT NOT NULL REFERENCES purchases (id),
    inquiry_id        TEXT NOT NULL REFERENCES inquiries (id),
    -- The purchase's seller, copied so that a seller's queue is one index range.
    seller_id         TEXT NOT NULL REFERENCES sellers (id),
    requested_by      TEXT NOT NULL REFERENCES users (id),
    channel           TEXT NOT NULL CHECK (channel IN ('store', 'email', 'phone', 'api')),
    reason            TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('open', 'approved', 'rejected')),
    idempotency_key   TEXT,
    request_hash      TEXT,
    decided_by        TEXT REFERENCES users (id),
    decided_by_label  TEXT,
    decision_note     TEXT,
    decided_at        BIGINT,
    created_at        BIGINT NOT NULL,
    CHECK ((status = 'open') = (decided_at IS NULL)),
    CHECK ((idempotency_key IS NULL) = (request_hash IS NULL))
);
-- R8: one open request per purchase.
CREATE UNIQUE INDEX cancellation_requests_one_open ON cancellation_requests (purchase_id) WHERE status = 'open';
-- Same key, same answer: a key names one request of its developer forever.
CREATE UNIQUE INDEX cancellation_requests_idempotency ON cancellation_requests (requested_by, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
-- The operator queue (oldest first, by status, by seller) and the developer's list.
CREATE INDEX cancellation_requests_queue ON cancellation_requests (created_at, id);
CREATE INDEX cancellation_requests_status_queue ON cancellation_requests (status, created_at, id);
CREATE INDEX cancellation_requests_seller_queue ON cancellation_requests (seller_id, created_at, id);
CREATE INDEX cancellation_requests_seller_status_queue ON cancellation_requests (seller_id, status, created_at, id);
CREATE INDEX cancellation_requests_by_inquiry ON cancellation_requests (inquiry_id, created_at, id);

-- R5/R8: a purchase is cancelled at most once, whichever path does it.
CREATE TABLE purchase_cancellations (
    purchase_id   TEXT PRIMARY KEY REFERENCES purchases (id),
    inquiry_id    TEXT REFERENCES inquiries (id),
    request_id    TEXT REFERENCES cancellation_requests (id),
    kind          TEXT NOT NULL CHECK (kind IN ('request_approved', 'on_behalf')),
    actor_user_id TEXT REFERENCES users (id),
    actor_label   TEXT,
    at            BIGINT NOT NULL
);

-- R14: the operator reads everything that happened to one inquiry or one purchase.
ALTER TABLE audit_log ADD COLUMN inquiry_id TEXT;
ALTER TABLE audit_log ADD COLUMN purchase_id TEXT;
CREATE INDEX audit_by_inquiry ON audit_log (inquiry_id, at, id) WHERE inquiry_id IS NOT NULL;
CREATE INDEX audit_by_purchase ON audit_log (purchase_id, at, id) WHERE purchase_id IS NOT NULL;
UPDATE audit_log SET inquiry_id = subject_id WHERE subject_type = 'inquiry';
UPDATE audit_log SET purchase_id = subject_id WHERE subject_type = 'purchase';
-- An inquiry's creation names its purchase in the detail (written by vocdesk as JSON).
UPDATE audit_log SET purchase_id = (detail::jsonb) ->> 'purchase_id'
    WHERE subject_type = 'inquiry' AND action = 'inquiry.created';

-- Settling every inquiry that names a purchase once it is cancelled.
CREATE INDEX inquiries_by_purchase ON inquiries (purchase_id) WHERE purchase_id IS NOT NULL;
