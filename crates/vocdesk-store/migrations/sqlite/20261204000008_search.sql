-- Finding an inquiry by its words: the tokens of its subject, messages, customer name
-- and number and purchase ids (vocdesk-domain/src/search.rs cuts them, the same for
-- both engines). Keyed by seller first, so a developer's search reads only their
-- seller's postings; operators and customers search by token.
CREATE TABLE inquiry_search (
    seller_id  TEXT NOT NULL,
    token      TEXT NOT NULL,
    inquiry_id TEXT NOT NULL REFERENCES inquiries (id),
    PRIMARY KEY (seller_id, token, inquiry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX inquiry_search_by_token ON inquiry_search (token, inquiry_id);
-- Inquiries written before search existed are indexed once, at the next start, in
-- batches by id; the row says that work is still to do and goes when it is done.
CREATE TABLE search_backfill (after_id TEXT NOT NULL) STRICT;
INSERT INTO search_backfill (after_id) VALUES ('');
