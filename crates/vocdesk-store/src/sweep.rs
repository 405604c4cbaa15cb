//! The R5 sweep's reads and writes: due reminders and overdue refund inquiries, through
//! partial indexes only.

use jiff::Timestamp;
use vocdesk_domain::ids::InquiryId;
use vocdesk_domain::inquiry::Inquiry;
use vocdesk_domain::outbox::OutgoingMail;

use crate::audit::{entry, write_audit};
use crate::db::{Db, query};
use crate::outbox::queue_mails;
use crate::rows::{self, InquiryRow, millis};
use crate::{Acting, StoreResult};

pub(crate) async fn auto_cancel_candidates(
    db: &mut dyn Db,
    overdue_cutoff: Timestamp,
    limit: i64,
) -> StoreResult<Vec<InquiryId>> {
    let rows: Vec<(String,)> =
        query(crate::sweep_sql::AUTO_CANCEL_CANDIDATES).bind(millis(overdue_cutoff)).bind(limit).fetch_all(db).await?;
    Ok(rows.into_iter().map(|(id,)| InquiryId(id)).collect())
}

pub(crate) async fn due_reminders(db: &mut dyn Db, cutoff: Timestamp, limit: i64) -> StoreResult<Vec<Inquiry>> {
    let rows: Vec<InquiryRow> =
        query(crate::sweep_sql::DUE_REMINDERS).bind(millis(cutoff)).bind(limit).fetch_all(db).await?;
    rows::convert(rows)
}

pub(crate) async fn mark_reminded(
    db: &mut dyn Db,
    inquiry: &InquiryId,
    awaiting_since: Timestamp,
    mails: &[OutgoingMail],
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<bool> {
    let marked = query(
        "UPDATE inquiries SET reminder_sent_at = $1 \
         WHERE id = $2 AND reminder_sent_at IS NULL AND awaiting_since = $3",
    )
    .bind(millis(now))
    .bind(&inquiry.0)
    .bind(millis(awaiting_since))
    .execute(db)
    .await?;
    if marked != 1 {
        return Ok(false);
    }
    queue_mails(db, mails, now).await?;
    let detail = serde_json::json!({
        "awaiting_since": awaiting_since.to_string(),
        "mails_queued": mails.len(),
    });
    let reminded = entry(acting, "inquiry.reminder_sent", "inquiry", &inquiry.0, detail);
    write_audit(db, &reminded, now).await?;
    Ok(true)
}
