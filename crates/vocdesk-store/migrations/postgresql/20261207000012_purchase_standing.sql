-- Issue 12 item 4: My page shows, for each of a customer's purchases, the newest
-- inquiry naming it that is not closed and the newest cancellation request on it (R8),
-- in the same query as the purchases, each found through its own index.
CREATE INDEX inquiries_by_purchase_recent ON inquiries (purchase_id, last_activity_at, id)
    WHERE purchase_id IS NOT NULL;
-- The requests by purchase use `cancellation_requests_by_purchase` (migration 20261207000009).
