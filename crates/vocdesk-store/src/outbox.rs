//! The outbox (R3): mail queued in the transaction of the change that causes it.

use jiff::Timestamp;
use vocdesk_domain::ids::OutboxId;
use vocdesk_domain::outbox::{MailStatus, OutgoingMail, QueuedMail};
use vocdesk_domain::page::{Page, PageRequest};

use crate::StoreResult;
use crate::db::{Db, SqlBuilder, query};
use crate::rows::{self, OutboxRow, millis};

/// R3: queues mail inside the caller's transaction, due at once.
pub(crate) async fn queue_mails(db: &mut dyn Db, mails: &[OutgoingMail], now: Timestamp) -> StoreResult<()> {
    for mail in mails {
        query(
            "INSERT INTO outbox (id, kind, to_user_id, to_email, locale, subject, body_text, body_html, \
             inquiry_id, status, attempts, next_attempt_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $10, $10)",
        )
        .bind(OutboxId::generate().0)
        .bind(mail.kind.as_str())
        .bind(mail.to_user.as_ref().map(|u| u.0.clone()))
        .bind(&mail.to_email)
        .bind(mail.locale.tag())
        .bind(&mail.subject)
        .bind(&mail.body_text)
        .bind(&mail.body_html)
        .bind(mail.inquiry_id.as_ref().map(|i| i.0.clone()))
        .bind(millis(now))
        .execute(db)
        .await?;
    }
    Ok(())
}

pub(crate) async fn outbox(
    db: &mut dyn Db,
    status: Option<MailStatus>,
    page: &PageRequest,
) -> StoreResult<Page<QueuedMail>> {
    let (key, id) = rows::start_of_descending(page.after.as_ref());
    let mut sql = SqlBuilder::new(
        "SELECT id, kind, to_user_id, to_email, locale, subject, body_text, body_html, inquiry_id, status, \
         attempts, created_at, sent_at FROM outbox WHERE (created_at, id) < (",
    );
    sql.push_bind(key).push(", ").push_bind(id).push(")");
    if let Some(status) = status {
        sql.push(" AND status = ").push_bind(status.as_str());
    }
    sql.push(" ORDER BY created_at DESC, id DESC LIMIT ").push_bind(page.fetch_limit());
    let rows: Vec<OutboxRow> = sql.build().fetch_all(db).await?;
    Ok(Page::from_rows(rows::convert(rows)?, page, rows::outbox_cursor))
}
