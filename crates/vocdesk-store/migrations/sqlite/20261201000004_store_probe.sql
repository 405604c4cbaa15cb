-- The embedded store's health probe: after a storage fault (a full disk, an I/O
-- error), `/healthz` rewrites this one row, with a payload the size of a large unit of
-- work, to learn whether writes work again.
CREATE TABLE store_probe (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at INTEGER NOT NULL,
    payload    BLOB NOT NULL
) STRICT;
