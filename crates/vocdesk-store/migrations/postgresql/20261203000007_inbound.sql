-- R15: mail that comes back. A reply address's token (an HMAC over the inquiry and the
-- recipient) is remembered when a mail carrying it is sent, so that a reply finds its
-- thread and the person it was issued to.
CREATE TABLE reply_tokens (
    token      TEXT PRIMARY KEY,
    inquiry_id TEXT NOT NULL REFERENCES inquiries (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);

-- Every received mail is kept as it arrived, whatever became of it: a thread message,
-- a mail held for an operator, an ignored auto-reply, a bounce. Nothing acknowledged is
-- lost; `raw` is the whole message.
CREATE TABLE inbound_mail (
    id            TEXT PRIMARY KEY,
    received_at   BIGINT NOT NULL,
    envelope_from TEXT,
    recipient     TEXT NOT NULL,
    from_address  TEXT,
    subject       TEXT NOT NULL,
    message_id    TEXT,
    size          BIGINT NOT NULL,
    raw           BYTEA NOT NULL,
    status        TEXT NOT NULL
        CHECK (status IN ('received', 'joined', 'held', 'released', 'discarded', 'ignored', 'bounce')),
    reason        TEXT,
    detail        TEXT,
    inquiry_id    TEXT REFERENCES inquiries (id),
    message_ref   TEXT REFERENCES inquiry_messages (id),
    decided_by    TEXT REFERENCES users (id),
    decided_at    BIGINT
);
-- The operators' queue: what waits for them, oldest first; and everything, newest first.
CREATE INDEX inbound_waiting ON inbound_mail (received_at, id) WHERE status IN ('held', 'received');
CREATE INDEX inbound_recent ON inbound_mail (received_at, id);
-- A thread links each emailed message to its original.
CREATE UNIQUE INDEX inbound_by_message ON inbound_mail (message_ref) WHERE message_ref IS NOT NULL;
-- A mail the sending MTA delivered again (our answer to its first try was lost) is
-- recognised by its Message-ID for the same recipient, and joins no thread twice.
CREATE INDEX inbound_by_message_id ON inbound_mail (message_id, recipient) WHERE message_id IS NOT NULL;

-- R16: an address that bounced permanently gets no more mail until an operator clears it.
CREATE TABLE bouncing_addresses (
    email      TEXT PRIMARY KEY,
    since      BIGINT NOT NULL,
    reason     TEXT NOT NULL,
    inbound_id TEXT REFERENCES inbound_mail (id)
);
