-- R17: an inquiry about a purchase with an open cancellation request waits on the store
-- (`awaiting_store`), so R5's clock stops; and R7 consent records who gave it (the
-- customer, or a developer filing an R9 form on the customer's behalf).
-- SQLite cannot alter a CHECK: the table is rebuilt as SQLite's documented procedure
-- does (the runner turns foreign keys off around migrations and checks them before each
-- commit).

CREATE TABLE inquiries_rebuilt (
    id                    TEXT PRIMARY KEY,
    app_id                TEXT NOT NULL REFERENCES apps (id),
    -- The app's seller, copied so that a developer's inbox is one index range.
    seller_id             TEXT NOT NULL REFERENCES sellers (id),
    customer_id           TEXT NOT NULL REFERENCES users (id),
    purchase_id           TEXT REFERENCES purchases (id),
    category              TEXT NOT NULL
        CHECK (category IN ('question', 'maintenance', 'error_report', 'refund', 'other')),
    subject               TEXT NOT NULL,
    status                TEXT NOT NULL
        CHECK (status IN ('awaiting_developer', 'awaiting_customer', 'awaiting_store', 'closed')),
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
    refund_settled_at     INTEGER,
    reminder_sent_at      INTEGER,
    -- R7/R9: the developer who recorded the consent on the customer's behalf; NULL when
    -- the customer gave it (or no consent was given).
    consent_recorded_by   TEXT REFERENCES users (id),
    -- R17: the thread's message count when the store got the turn; set exactly while
    -- the inquiry is `awaiting_store`, so the decision knows whether the customer wrote since.
    store_asked_seq       INTEGER,
    CHECK ((status = 'awaiting_store') = (store_asked_seq IS NOT NULL)),
    CHECK ((status = 'awaiting_developer') = (awaiting_since IS NOT NULL)),
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
) STRICT;

INSERT INTO inquiries_rebuilt (
    id, app_id, seller_id, customer_id, purchase_id, category, subject, status, awaiting_since,
    channel, consent_personal_info, consent_at, message_count, created_at, first_response_at,
    last_activity_at, closed_at, inbox_rank, refund_settled_at, reminder_sent_at
)
SELECT
    id, app_id, seller_id, customer_id, purchase_id, category, subject, status, awaiting_since,
    channel, consent_personal_info, consent_at, message_count, created_at, first_response_at,
    last_activity_at, closed_at, inbox_rank, refund_settled_at, reminder_sent_at
FROM inquiries;

DROP TABLE inquiries;
ALTER TABLE inquiries_rebuilt RENAME TO inquiries;

CREATE INDEX inquiries_inbox ON inquiries (inbox_rank, id);
CREATE INDEX inquiries_seller_inbox ON inquiries (seller_id, inbox_rank, id);
CREATE INDEX inquiries_seller_status_inbox ON inquiries (seller_id, status, inbox_rank, id);
CREATE INDEX inquiries_app_inbox ON inquiries (app_id, inbox_rank, id);
CREATE INDEX inquiries_customer_recent ON inquiries (customer_id, last_activity_at, id);
CREATE INDEX inquiries_awaiting ON inquiries (seller_id, app_id, awaiting_since) WHERE awaiting_since IS NOT NULL;
CREATE INDEX inquiries_due ON inquiries (awaiting_since) WHERE awaiting_since IS NOT NULL;
CREATE INDEX inquiries_auto_cancel_due ON inquiries (awaiting_since)
    WHERE awaiting_since IS NOT NULL AND category = 'refund' AND purchase_id IS NOT NULL
      AND refund_settled_at IS NULL;
CREATE INDEX inquiries_reminder_due ON inquiries (awaiting_since)
    WHERE awaiting_since IS NOT NULL AND reminder_sent_at IS NULL;
CREATE INDEX inquiries_by_purchase ON inquiries (purchase_id) WHERE purchase_id IS NOT NULL;

-- R17: a purchase's requests, for every inquiry about it and for the store's turn.
CREATE INDEX cancellation_requests_by_purchase ON cancellation_requests (purchase_id, created_at, id);
