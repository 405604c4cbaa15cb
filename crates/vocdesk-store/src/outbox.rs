//! The outbox (R3): mail queued in the transaction of the change that causes it.

use jiff::Timestamp;
use serde_json::json;
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::ids::{InquiryId, OutboxId};
use vocdesk_domain::outbox::{MailStatus, OutgoingMail, QueuedMail};
use vocdesk_domain::page::{Page, PageRequest};

use crate::audit::{entry, write_audit};
use crate::db::{Db, SqlBuilder, query};
use crate::rows::{self, OutboxRow, millis};
use crate::{Acting, StoreResult};

/// R16: how one delivery attempt ended, as the worker records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// The mail server took the mail (or it was written to the mail folder).
    Sent,
    /// A transient failure: pending again, due at `at`.
    Retry {
        /// When the next attempt is due.
        at: Timestamp,
        /// What went wrong, for the operators (never shown to customers).
        error: String,
    },
    /// Failed for good (a permanent refusal, or a day of transient ones).
    Failed {
        /// What went wrong.
        error: String,
    },
    /// Not tried: its address reached the per-recipient cap; pending again, due at
    /// `at`, with its attempts unchanged.
    Deferred {
        /// When it is due again.
        at: Timestamp,
        /// Why it waits, for the operators.
        reason: String,
    },
}

/// R3: queues mail inside the caller's transaction, due at once, with the push that goes
/// with each developer's mail (issue 13, [`crate::push::queue_for_mails`]).
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
    crate::push::queue_for_mails(db, mails, now).await
}

pub(crate) async fn outbox(
    db: &mut dyn Db,
    status: Option<MailStatus>,
    page: &PageRequest,
) -> StoreResult<Page<QueuedMail>> {
    let (key, id) = rows::start_of_descending(page.after.as_ref());
    let mut sql = SqlBuilder::new(
        "SELECT id, kind, to_user_id, to_email, locale, subject, body_text, body_html, inquiry_id, status, \
         attempts, created_at, sent_at, last_error, COALESCE(retry_from, created_at) AS window_from \
         FROM outbox WHERE (created_at, id) < (",
    );
    sql.push_bind(key).push(", ").push_bind(id).push(")");
    if let Some(status) = status {
        sql.push(" AND status = ").push_bind(status.as_str());
    }
    sql.push(" ORDER BY created_at DESC, id DESC LIMIT ").push_bind(page.fetch_limit());
    let rows: Vec<OutboxRow> = sql.build().fetch_all(db).await?;
    Ok(Page::from_rows(rows::convert(rows)?, page, rows::outbox_cursor))
}

const QUEUED_COLUMNS: &str = "id, kind, to_user_id, to_email, locale, subject, body_text, body_html, inquiry_id, \
     status, attempts, created_at, sent_at, last_error, COALESCE(retry_from, created_at) AS window_from";

/// R16: claims up to `limit` mails that are due, oldest due first, for `worker` until
/// `lease_until`: no other worker takes them meanwhile (on PostgreSQL, workers skip each
/// other's locked rows), and a lease that runs out (the worker died) frees them again.
pub(crate) async fn claim_due(
    db: &mut dyn Db,
    worker: &str,
    now: Timestamp,
    lease_until: Timestamp,
    limit: i64,
) -> StoreResult<Vec<QueuedMail>> {
    let free = "status = 'pending' AND next_attempt_at <= $3 AND (claimed_until IS NULL OR claimed_until < $3)";
    let sql = format!(
        "UPDATE outbox SET claimed_by = $1, claimed_until = $2 WHERE {free} AND id IN \
         (SELECT id FROM outbox WHERE {free} ORDER BY next_attempt_at, id LIMIT $4{}) \
         RETURNING {QUEUED_COLUMNS}",
        db.skip_locked()
    );
    let rows: Vec<OutboxRow> =
        query(&sql).bind(worker).bind(millis(lease_until)).bind(millis(now)).bind(limit).fetch_all(db).await?;
    let mut mails = rows::convert::<OutboxRow, QueuedMail>(rows)?;
    mails.sort_by(|a, b| (a.created_at, &a.id.0).cmp(&(b.created_at, &b.id.0)));
    Ok(mails)
}

/// R16: records how an attempt by `worker` ended. Only the worker holding the mail's
/// lease may (a worker whose lease ran out learns that another took the mail: `false`).
/// A failure is audited (R14), a failure for good with its reason, and so is a mail
/// held back by the per-recipient cap (which is not an attempt).
pub(crate) async fn finish_attempt(
    db: &mut dyn Db,
    id: &OutboxId,
    worker: &str,
    outcome: &AttemptOutcome,
    now: Timestamp,
) -> StoreResult<bool> {
    let (status, next, error) = match outcome {
        AttemptOutcome::Sent => (MailStatus::Sent, None, None),
        AttemptOutcome::Retry { at, error } => (MailStatus::Pending, Some(*at), Some(error.as_str())),
        AttemptOutcome::Failed { error } => (MailStatus::Failed, None, Some(error.as_str())),
        AttemptOutcome::Deferred { at, reason } => (MailStatus::Pending, Some(*at), Some(reason.as_str())),
    };
    let tried = i64::from(!matches!(outcome, AttemptOutcome::Deferred { .. }));
    let changed = query(
        "UPDATE outbox SET status = $3, attempts = attempts + $7, \
         last_attempt_at = CASE WHEN $7 = 1 THEN $4 ELSE last_attempt_at END, \
         sent_at = CASE WHEN $3 = 'sent' THEN $4 ELSE sent_at END, \
         next_attempt_at = COALESCE($5, next_attempt_at), last_error = $6, \
         claimed_by = NULL, claimed_until = NULL \
         WHERE id = $1 AND claimed_by = $2 AND status = 'pending'",
    )
    .bind(&id.0)
    .bind(worker)
    .bind(status.as_str())
    .bind(millis(now))
    .bind(next.map(millis))
    .bind(error.map(str::to_owned))
    .bind(tried)
    .execute(db)
    .await?;
    if changed == 0 {
        return Ok(false);
    }
    if let Some(error) = error {
        let action = match outcome {
            AttemptOutcome::Deferred { .. } => "mail.deferred",
            _ if status == MailStatus::Failed => "mail.failed",
            _ => "mail.attempt_failed",
        };
        let acting = Acting { actor: AuditActor::system("delivery"), channel: Channel::System };
        let detail = json!({ "error": error, "retry_at": next.map(|t| t.to_string()) });
        write_audit(db, &entry(&acting, action, "outbox", &id.0, detail), now).await?;
    }
    Ok(true)
}

/// R16: what an operator's retry of one mail found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetryOutcome {
    /// Pending again, due now, with a new day of attempts.
    Retried(Box<QueuedMail>),
    /// Only mail that failed for good is retried: pending mail is tried anyway, and
    /// sent mail was taken by the server (sending it again would duplicate it).
    NotFailed(MailStatus),
    /// No such mail.
    NotFound,
}

/// R16: an operator retries a mail that failed for good; audited (R14).
pub(crate) async fn retry_mail(
    db: &mut dyn Db,
    id: &OutboxId,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<RetryOutcome> {
    let sql = format!(
        "UPDATE outbox SET status = 'pending', next_attempt_at = $2, retry_from = $2, claimed_by = NULL, \
         claimed_until = NULL WHERE id = $1 AND status = 'failed' RETURNING {QUEUED_COLUMNS}"
    );
    let retried: Option<OutboxRow> = query(&sql).bind(&id.0).bind(millis(now)).fetch_optional(db).await?;
    let Some(row) = retried else {
        let status: Option<(String,)> =
            query("SELECT status FROM outbox WHERE id = $1").bind(&id.0).fetch_optional(db).await?;
        return Ok(match status.and_then(|(word,)| MailStatus::parse(&word)) {
            Some(status) => RetryOutcome::NotFailed(status),
            None => RetryOutcome::NotFound,
        });
    };
    let mail = QueuedMail::try_from(row)?;
    let detail = json!({ "attempts_before": mail.attempts, "last_error": mail.last_error, "inquiry_id": mail.mail.inquiry_id.as_ref().map(|i| i.0.clone()) });
    write_audit(db, &entry(acting, "mail.retry_requested", "outbox", &id.0, detail), now).await?;
    Ok(RetryOutcome::Retried(Box::new(mail)))
}

/// R16: every mail about `inquiry`, oldest first, whatever became of it (the thread
/// tells developers whether the customer was sent each reply).
pub(crate) async fn about(db: &mut dyn Db, inquiry: &InquiryId) -> StoreResult<Vec<QueuedMail>> {
    let sql = format!("SELECT {QUEUED_COLUMNS} FROM outbox WHERE inquiry_id = $1 ORDER BY created_at, id");
    let rows: Vec<OutboxRow> = query(&sql).bind(&inquiry.0).fetch_all(db).await?;
    rows::convert(rows)
}

/// R16: how many mails `address` was sent since `since` (the per-recipient cap).
pub(crate) async fn sent_to_since(db: &mut dyn Db, address: &str, since: Timestamp) -> StoreResult<u64> {
    let (count,): (i64,) =
        query("SELECT COUNT(*) FROM outbox WHERE to_email = $1 AND status = 'sent' AND sent_at >= $2")
            .bind(address)
            .bind(millis(since))
            .fetch_one(db)
            .await?;
    Ok(u64::try_from(count).unwrap_or(0))
}
