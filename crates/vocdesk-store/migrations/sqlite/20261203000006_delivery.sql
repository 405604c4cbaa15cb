-- R16: delivering the outbox. A worker claims due mail for a while (a lease), so that
-- each mail is tried by one worker at a time; a lease that runs out (the worker died)
-- lets another take the mail again. The last attempt and its error are kept for the
-- operators' outbox page. `retry_from` is when the current run of attempts began (an
-- operator's retry starts a new one); without it, the mail's queuing.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
ALTER TABLE outbox ADD COLUMN last_attempt_at INTEGER;
ALTER TABLE outbox ADD COLUMN retry_from INTEGER;
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
-- The per-recipient cap counts what an address was sent lately.
CREATE INDEX outbox_sent_to ON outbox (to_email, sent_at) WHERE status = 'sent';
