-- R17: an inquiry about a purchase with an open cancellation request waits on the store
-- (`awaiting_store`), so R5's clock stops; and R7 consent records who gave it (the
-- customer, or a developer filing an R9 form on the customer's behalf).

ALTER TABLE inquiries DROP CONSTRAINT inquiries_status_check;
ALTER TABLE inquiries ADD CONSTRAINT inquiries_status_check
    CHECK (status IN ('awaiting_developer', 'awaiting_customer', 'awaiting_store', 'closed'));

-- R7/R9: the developer who recorded the consent on the customer's behalf; NULL when the
-- customer gave it (or no consent was given).
ALTER TABLE inquiries ADD COLUMN consent_recorded_by TEXT REFERENCES users (id);

-- R17: the thread's message count when the store got the turn; set exactly while the
-- inquiry is `awaiting_store`, so the decision knows whether the customer wrote since.
ALTER TABLE inquiries ADD COLUMN store_asked_seq BIGINT;
ALTER TABLE inquiries ADD CONSTRAINT inquiries_store_turn_check
    CHECK ((status = 'awaiting_store') = (store_asked_seq IS NOT NULL));

-- R17: a purchase's requests, for every inquiry about it and for the store's turn.
CREATE INDEX cancellation_requests_by_purchase ON cancellation_requests (purchase_id, created_at, id);
