//! Mail that comes back (R15): reply tokens, received mail and what became of it, and
//! addresses that bounced (R16). Every received mail is kept raw before anything is
//! decided, so that a mail the listener acknowledged is never lost.

use jiff::Timestamp;
use serde_json::json;
use vocdesk_domain::ids::{InboundId, InquiryId, MessageId, OutboxId, UserId};
use vocdesk_domain::inbound::{HoldReason, InboundDecision, InboundMail, InboundStatus, NewInbound, ReplyToken};
use vocdesk_domain::page::{Cursor, Page, PageRequest};

use crate::audit::{entry, write_audit};
use crate::db::{Db, FromRow, Row, SqlBuilder, query};
use crate::rows::{self, millis, optional_time, timestamp};
use crate::{Acting, StoreError, StoreResult};

/// The columns a listing reads: everything but the raw bytes.
const COLUMNS: &str = "id, received_at, envelope_from, recipient, from_address, subject, message_id, size, status, \
                       reason, detail, inquiry_id, message_ref, decided_by, decided_at";

/// An address that bounced, as the operators' console lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BouncingAddress {
    /// The address, lower-case.
    pub email: String,
    /// Since when.
    pub since: Timestamp,
    /// The report's words, for operators.
    pub reason: String,
    /// The bounce that said so.
    pub inbound_id: Option<InboundId>,
}

/// R15: remembers who `token` was issued to; the same token again changes nothing.
pub(crate) async fn remember_token(
    db: &mut dyn Db,
    token: &ReplyToken,
    inquiry: &InquiryId,
    user: &UserId,
    now: Timestamp,
) -> StoreResult<()> {
    query(
        "INSERT INTO reply_tokens (token, inquiry_id, user_id, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (token) DO NOTHING",
    )
    .bind(token.as_str())
    .bind(&inquiry.0)
    .bind(&user.0)
    .bind(millis(now))
    .execute(db)
    .await?;
    Ok(())
}

/// R15: the inquiry and the recipient a token was issued for.
pub(crate) async fn token_holder(db: &mut dyn Db, token: &ReplyToken) -> StoreResult<Option<(InquiryId, UserId)>> {
    let found: Option<(String, String)> = query("SELECT inquiry_id, user_id FROM reply_tokens WHERE token = $1")
        .bind(token.as_str())
        .fetch_optional(db)
        .await?;
    Ok(found.map(|(inquiry, user)| (InquiryId(inquiry), UserId(user))))
}

/// Keeps a received mail as it arrived, undecided.
pub(crate) async fn record(db: &mut dyn Db, mail: &NewInbound, now: Timestamp) -> StoreResult<()> {
    query(
        "INSERT INTO inbound_mail (id, received_at, envelope_from, recipient, from_address, subject, message_id, \
         size, raw, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'received')",
    )
    .bind(&mail.id.0)
    .bind(millis(now))
    .bind(mail.envelope_from.clone())
    .bind(&mail.recipient)
    .bind(mail.from_address.clone())
    .bind(&mail.subject)
    .bind(mail.message_id.clone())
    .bind(i64::try_from(mail.raw.len()).unwrap_or(i64::MAX))
    .bind(mail.raw.clone())
    .execute(db)
    .await?;
    Ok(())
}

/// Records what processing decided about an undecided mail; holds are audited (R14).
/// `false` when it was decided already (by another process).
pub(crate) async fn decide(
    db: &mut dyn Db,
    id: &InboundId,
    decision: &InboundDecision,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<bool> {
    let changed = query(
        "UPDATE inbound_mail SET status = $2, reason = $3, detail = $4, inquiry_id = COALESCE($5, inquiry_id) \
         WHERE id = $1 AND status = 'received'",
    )
    .bind(&id.0)
    .bind(decision.status.as_str())
    .bind(decision.reason.map(|r| r.as_str().to_owned()))
    .bind(decision.detail.clone())
    .bind(decision.inquiry_id.as_ref().map(|i| i.0.clone()))
    .execute(db)
    .await?;
    if changed == 0 {
        return Ok(false);
    }
    let action = match decision.status {
        InboundStatus::Held => "mail.held",
        InboundStatus::Ignored => "mail.ignored",
        InboundStatus::Bounce => "mail.bounce_received",
        _ => "mail.decided",
    };
    let detail = json!({
        "reason": decision.reason.map(HoldReason::as_str),
        "detail": decision.detail,
        "inquiry_id": decision.inquiry_id.as_ref().map(|i| i.0.clone()),
    });
    write_audit(db, &entry(acting, action, "inbound_mail", &id.0, detail), now).await?;
    Ok(true)
}

/// Links a mail to the message it became, inside the transaction that added the
/// message: joined by itself, or released by an operator (audited). `false` when the
/// mail no longer waited (another process or operator was first).
pub(crate) async fn link_message(
    db: &mut dyn Db,
    id: &InboundId,
    inquiry: &InquiryId,
    message: &MessageId,
    released_by: Option<&Acting>,
    now: Timestamp,
) -> StoreResult<bool> {
    let (status, decided_by) = match released_by {
        Some(acting) => (InboundStatus::Released, acting.actor.user_id.as_ref().map(|u| u.0.clone())),
        None => (InboundStatus::Joined, None),
    };
    let changed = query(
        "UPDATE inbound_mail SET status = $2, inquiry_id = $3, message_ref = $4, decided_by = $5, \
         decided_at = CASE WHEN $5 IS NULL THEN NULL ELSE $6 END \
         WHERE id = $1 AND status IN ('received', 'held')",
    )
    .bind(&id.0)
    .bind(status.as_str())
    .bind(&inquiry.0)
    .bind(&message.0)
    .bind(decided_by)
    .bind(millis(now))
    .execute(db)
    .await?;
    if changed == 0 {
        return Ok(false);
    }
    if let Some(acting) = released_by {
        let detail = json!({ "inquiry_id": inquiry.0, "message_id": message.0 });
        write_audit(db, &entry(acting, "mail.released", "inbound_mail", &id.0, detail), now).await?;
    }
    Ok(true)
}

/// An operator discards a waiting mail (kept, never shown in a thread); audited.
pub(crate) async fn discard(db: &mut dyn Db, id: &InboundId, acting: &Acting, now: Timestamp) -> StoreResult<bool> {
    let changed = query(
        "UPDATE inbound_mail SET status = 'discarded', decided_by = $2, decided_at = $3 \
         WHERE id = $1 AND status IN ('received', 'held')",
    )
    .bind(&id.0)
    .bind(acting.actor.user_id.as_ref().map(|u| u.0.clone()))
    .bind(millis(now))
    .execute(db)
    .await?;
    if changed > 0 {
        write_audit(db, &entry(acting, "mail.discarded", "inbound_mail", &id.0, json!({})), now).await?;
    }
    Ok(changed > 0)
}

/// Another mail kept earlier with the same Message-ID, sender and recipient: the
/// sending MTA delivered it again because our answer to its first try was lost.
pub(crate) async fn earlier_copy(db: &mut dyn Db, mail: &NewInbound) -> StoreResult<Option<InboundId>> {
    let Some(message_id) = &mail.message_id else { return Ok(None) };
    let found: Option<(String,)> = query(
        "SELECT id FROM inbound_mail WHERE message_id = $1 AND recipient = $2 AND id <> $3 \
         AND from_address IS NOT DISTINCT FROM $4 ORDER BY received_at, id LIMIT 1",
    )
    .bind(message_id)
    .bind(&mail.recipient)
    .bind(&mail.id.0)
    .bind(mail.from_address.clone())
    .fetch_optional(db)
    .await?;
    Ok(found.map(|(id,)| InboundId(id)))
}

/// One received mail, without its bytes.
pub(crate) async fn one(db: &mut dyn Db, id: &InboundId) -> StoreResult<Option<InboundMail>> {
    let sql = format!("SELECT {COLUMNS} FROM inbound_mail WHERE id = $1");
    let row: Option<InboundRow> = query(&sql).bind(&id.0).fetch_optional(db).await?;
    row.map(InboundMail::try_from).transpose()
}

/// The mail an emailed message came from.
pub(crate) async fn of_message(db: &mut dyn Db, message: &MessageId) -> StoreResult<Option<InboundMail>> {
    let sql = format!("SELECT {COLUMNS} FROM inbound_mail WHERE message_ref = $1");
    let row: Option<InboundRow> = query(&sql).bind(&message.0).fetch_optional(db).await?;
    row.map(InboundMail::try_from).transpose()
}

/// The original bytes of a received mail.
pub(crate) async fn raw(db: &mut dyn Db, id: &InboundId) -> StoreResult<Option<Vec<u8>>> {
    let found: Option<(Vec<u8>,)> =
        query("SELECT raw FROM inbound_mail WHERE id = $1").bind(&id.0).fetch_optional(db).await?;
    Ok(found.map(|(raw,)| raw))
}

/// Received mail, newest first; only what waits for an operator when `waiting`.
pub(crate) async fn list(db: &mut dyn Db, waiting: bool, page: &PageRequest) -> StoreResult<Page<InboundMail>> {
    let mut sql = SqlBuilder::new(&format!("SELECT {COLUMNS} FROM inbound_mail WHERE "));
    if waiting {
        // The operators' queue, oldest first: the mail that has waited longest comes first.
        let (key, id) = rows::start_of_ascending(page.after.as_ref());
        sql.push("status IN ('held', 'received') AND (received_at, id) > (")
            .push_bind(key)
            .push(", ")
            .push_bind(id)
            .push(") ORDER BY received_at, id");
    } else {
        let (key, id) = rows::start_of_descending(page.after.as_ref());
        sql.push("(received_at, id) < (")
            .push_bind(key)
            .push(", ")
            .push_bind(id)
            .push(") ORDER BY received_at DESC, id DESC");
    }
    sql.push(" LIMIT ").push_bind(i64::from(page.limit) + 1);
    let found: Vec<InboundRow> = sql.build().fetch_all(db).await?;
    let mails: Vec<InboundMail> = rows::convert(found)?;
    Ok(Page::from_rows(mails, page, |m| Cursor { key: millis(m.received_at), id: m.id.0.clone() }))
}

/// R16: a bounce marks the mail it reports failed, with the report's words; `false`
/// when there is no such mail.
pub(crate) async fn fail_bounced(
    db: &mut dyn Db,
    outbox: &OutboxId,
    reason: &str,
    now: Timestamp,
) -> StoreResult<bool> {
    let changed = query(
        "UPDATE outbox SET status = 'failed', last_error = $2, last_attempt_at = COALESCE(last_attempt_at, $3), \
         claimed_by = NULL, claimed_until = NULL WHERE id = $1",
    )
    .bind(&outbox.0)
    .bind(reason)
    .bind(millis(now))
    .execute(db)
    .await?;
    Ok(changed > 0)
}

/// R16: an address that bounced permanently; marking it again keeps the first time.
pub(crate) async fn mark_bouncing(
    db: &mut dyn Db,
    email: &str,
    reason: &str,
    inbound: &InboundId,
    now: Timestamp,
) -> StoreResult<()> {
    query(
        "INSERT INTO bouncing_addresses (email, since, reason, inbound_id) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (email) DO NOTHING",
    )
    .bind(email.to_ascii_lowercase())
    .bind(millis(now))
    .bind(reason)
    .bind(&inbound.0)
    .execute(db)
    .await?;
    Ok(())
}

/// R16: whether mail to `email` is held back because it bounced.
pub(crate) async fn is_bouncing(db: &mut dyn Db, email: &str) -> StoreResult<bool> {
    let found: Option<(i64,)> = query("SELECT since FROM bouncing_addresses WHERE email = $1")
        .bind(email.to_ascii_lowercase())
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

/// Every bouncing address, most recent first (a short list: only permanent bounces).
pub(crate) async fn bouncing(db: &mut dyn Db) -> StoreResult<Vec<BouncingAddress>> {
    let found: Vec<(String, i64, String, Option<String>)> =
        query("SELECT email, since, reason, inbound_id FROM bouncing_addresses ORDER BY since DESC, email")
            .fetch_all(db)
            .await?;
    found
        .into_iter()
        .map(|(email, since, reason, inbound)| {
            Ok(BouncingAddress { email, since: timestamp(since)?, reason, inbound_id: inbound.map(InboundId) })
        })
        .collect()
}

/// An operator clears a bouncing address, so that it is sent mail again; audited.
pub(crate) async fn clear_bouncing(db: &mut dyn Db, email: &str, acting: &Acting, now: Timestamp) -> StoreResult<bool> {
    let email = email.to_ascii_lowercase();
    let changed = query("DELETE FROM bouncing_addresses WHERE email = $1").bind(&email).execute(db).await?;
    if changed > 0 {
        write_audit(db, &entry(acting, "mail.bounce_cleared", "address", &email, json!({})), now).await?;
    }
    Ok(changed > 0)
}

struct InboundRow {
    id: String,
    received_at: i64,
    envelope_from: Option<String>,
    recipient: String,
    from_address: Option<String>,
    subject: String,
    message_id: Option<String>,
    size: i64,
    status: String,
    reason: Option<String>,
    detail: Option<String>,
    inquiry_id: Option<String>,
    message_ref: Option<String>,
    decided_by: Option<String>,
    decided_at: Option<i64>,
}

impl FromRow for InboundRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            id: row.get("id")?,
            received_at: row.get("received_at")?,
            envelope_from: row.get("envelope_from")?,
            recipient: row.get("recipient")?,
            from_address: row.get("from_address")?,
            subject: row.get("subject")?,
            message_id: row.get("message_id")?,
            size: row.get("size")?,
            status: row.get("status")?,
            reason: row.get("reason")?,
            detail: row.get("detail")?,
            inquiry_id: row.get("inquiry_id")?,
            message_ref: row.get("message_ref")?,
            decided_by: row.get("decided_by")?,
            decided_at: row.get("decided_at")?,
        })
    }
}

impl TryFrom<InboundRow> for InboundMail {
    type Error = StoreError;

    fn try_from(row: InboundRow) -> Result<Self, Self::Error> {
        let status = InboundStatus::parse(&row.status)
            .ok_or_else(|| StoreError::Corrupt(format!("inbound mail status {:?}", row.status)))?;
        Ok(InboundMail {
            id: InboundId(row.id),
            received_at: timestamp(row.received_at)?,
            envelope_from: row.envelope_from,
            recipient: row.recipient,
            from_address: row.from_address,
            subject: row.subject,
            message_id: row.message_id,
            size: row.size,
            status,
            reason: row.reason.as_deref().and_then(HoldReason::parse),
            detail: row.detail,
            inquiry_id: row.inquiry_id.map(InquiryId),
            message_ref: row.message_ref.map(MessageId),
            decided_by: row.decided_by.map(UserId),
            decided_at: optional_time(row.decided_at)?,
        })
    }
}
