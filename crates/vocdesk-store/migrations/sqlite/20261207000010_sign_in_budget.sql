-- Attempt budgets (item 19; vocdesk-domain/src/throttle.rs): one row per bucket, keyed
-- `namespace:subject` (`sign_in_addr:203.0.113.7`, `sign_in_account:<sha-256>`), holding
-- the GCRA's theoretical arrival time in milliseconds. Every door and every process on
-- this database spends from the same row. A row whose time is past says nothing (its
-- bucket is full), so the store removes such rows as it goes, oldest first, by the index.
CREATE TABLE attempt_budgets (
    bucket TEXT PRIMARY KEY,
    tat INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX attempt_budgets_by_tat ON attempt_budgets (tat);
