//! Issue 13: sending the push outbox. A sender claims due pushes under a lease (R16's
//! pattern: on PostgreSQL workers skip each other's locked rows, and a lease that runs
//! out frees the rows again), records each outcome, and the operators' health view reads
//! what became of them.

use jiff::Timestamp;
use serde_json::json;
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::ids::{PushMessageId, PushSubscriptionId, UserId};
use vocdesk_domain::push::{PushKind, PushSubscription, QueuedPush};

use crate::audit::{entry, write_audit};
use crate::db::{Db, FromRow, Row, query};
use crate::push::PushOutcome;
use crate::rows::{millis, optional_time, timestamp};
use crate::{Acting, StoreError, StoreResult};

const QUEUED_COLUMNS: &str = "p.id AS push_id, p.kind AS push_kind, p.event, p.inquiry_id, p.review_id, p.attempts, \
     p.created_at AS queued_at, s.id, s.user_id, s.endpoint, s.p256dh, s.auth, s.kinds, s.label, s.created_at, \
     s.last_success_at, s.last_failure_at, s.last_error";

impl FromRow for QueuedPush {
    fn from_row(row: &Row) -> StoreResult<Self> {
        let kind: String = row.get("push_kind")?;
        Ok(QueuedPush {
            id: PushMessageId(row.get("push_id")?),
            subscription: PushSubscription::from_row(row)?,
            kind: PushKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("push kind {kind}")))?,
            event: row.get("event")?,
            inquiry_id: row.get("inquiry_id")?,
            review_id: row.get("review_id")?,
            attempts: row.get("attempts")?,
            created_at: timestamp(row.get("queued_at")?)?,
        })
    }
}

/// Issue 13: claims up to `limit` due pushes for `worker` until `lease_until`, oldest
/// first, with the device each goes to.
pub(crate) async fn claim_due(
    db: &mut dyn Db,
    worker: &str,
    now: Timestamp,
    lease_until: Timestamp,
    limit: i64,
) -> StoreResult<Vec<QueuedPush>> {
    let free = "status = 'pending' AND next_attempt_at <= $3 AND (claimed_until IS NULL OR claimed_until < $3)";
    let sql = format!(
        "UPDATE push_outbox SET claimed_by = $1, claimed_until = $2 WHERE {free} AND id IN \
         (SELECT id FROM push_outbox WHERE {free} ORDER BY next_attempt_at, id LIMIT $4{}) RETURNING id",
        db.skip_locked()
    );
    let claimed: Vec<(String,)> =
        query(&sql).bind(worker).bind(millis(lease_until)).bind(millis(now)).bind(limit).fetch_all(db).await?;
    let mut pushes = Vec::with_capacity(claimed.len());
    let sql = format!(
        "SELECT {QUEUED_COLUMNS} FROM push_outbox p JOIN push_subscriptions s ON s.id = p.subscription_id WHERE p.id = $1"
    );
    for (id,) in &claimed {
        if let Some(push) = query(&sql).bind(id).fetch_optional::<QueuedPush>(db).await? {
            pushes.push(push);
        }
    }
    pushes.sort_by(|a, b| (a.created_at, &a.id.0).cmp(&(b.created_at, &b.id.0)));
    Ok(pushes)
}

/// Issue 13: records how `worker`'s attempt ended; `false` when its lease ran out and
/// another worker took the push. A device found gone is deleted (with anything else
/// queued for it) and audited; so is a push given up.
pub(crate) async fn finish(
    db: &mut dyn Db,
    id: &PushMessageId,
    worker: &str,
    outcome: &PushOutcome,
    now: Timestamp,
) -> StoreResult<bool> {
    let (status, next, error) = match outcome {
        PushOutcome::Sent => ("sent", None, None),
        PushOutcome::Retry { at, error } => ("pending", Some(*at), Some(error.as_str())),
        PushOutcome::Failed { error } | PushOutcome::Gone { error } => ("failed", None, Some(error.as_str())),
        PushOutcome::Dropped { reason } => ("dropped", None, Some(reason.as_str())),
    };
    let tried = i64::from(!matches!(outcome, PushOutcome::Dropped { .. }));
    // Only the worker holding the lease may record the outcome; the row names its device.
    let subscription: Option<(String,)> = query(
        "UPDATE push_outbox SET status = $3, attempts = attempts + $4, next_attempt_at = COALESCE($5, next_attempt_at), \
         last_error = $6, sent_at = CASE WHEN $3 = 'sent' THEN $7 ELSE sent_at END, claimed_by = NULL, \
         claimed_until = NULL WHERE id = $1 AND claimed_by = $2 AND status = 'pending' RETURNING subscription_id",
    )
    .bind(&id.0)
    .bind(worker)
    .bind(status)
    .bind(tried)
    .bind(next.map(millis))
    .bind(error.map(str::to_owned))
    .bind(millis(now))
    .fetch_optional(db)
    .await?;
    let Some((subscription,)) = subscription else {
        return Ok(false);
    };
    let acting = Acting { actor: AuditActor::system("push"), channel: Channel::System };
    match outcome {
        PushOutcome::Sent => {
            query("UPDATE push_subscriptions SET last_success_at = $2 WHERE id = $1")
                .bind(&subscription)
                .bind(millis(now))
                .execute(db)
                .await?;
        }
        PushOutcome::Retry { error, .. } | PushOutcome::Failed { error } => {
            query("UPDATE push_subscriptions SET last_failure_at = $2, last_error = $3 WHERE id = $1")
                .bind(&subscription)
                .bind(millis(now))
                .bind(error)
                .execute(db)
                .await?;
            if matches!(outcome, PushOutcome::Failed { .. }) {
                let detail = json!({"error": error, "subscription_id": subscription});
                write_audit(db, &entry(&acting, "push.failed", "push_message", &id.0, detail), now).await?;
            }
        }
        PushOutcome::Gone { error } => {
            query("DELETE FROM push_outbox WHERE subscription_id = $1 AND status = 'pending'")
                .bind(&subscription)
                .execute(db)
                .await?;
            query("DELETE FROM push_subscriptions WHERE id = $1").bind(&subscription).execute(db).await?;
            let detail = json!({"error": error});
            write_audit(db, &entry(&acting, "push.subscription_gone", "push_subscription", &subscription, detail), now)
                .await?;
        }
        PushOutcome::Dropped { .. } => {}
    }
    Ok(true)
}

/// Issue 13: what the operators' push health view shows: silent push failure is what
/// users of self-hosted apps complain about most, so every way it fails is counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PushHealth {
    /// Subscribed devices.
    pub subscriptions: u64,
    /// Developers with at least one.
    pub subscribers: u64,
    /// Devices whose last attempt failed after its last success.
    pub failing_subscriptions: u64,
    /// Pushes waiting to be sent.
    pub pending: u64,
    /// When the oldest waiting push was queued.
    pub oldest_pending_at: Option<Timestamp>,
    /// Sent since `since`.
    pub sent: u64,
    /// Given up since `since`.
    pub failed: u64,
    /// Not sent since `since` because the developer may no longer see what it was about.
    pub dropped: u64,
    /// Devices deleted since `since` because their push service said they were gone.
    pub gone: u64,
    /// The newest failures: when, which kind, the push service's answer.
    pub recent_failures: Vec<(Timestamp, String, String)>,
}

fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

pub(crate) async fn health(db: &mut dyn Db, since: Timestamp) -> StoreResult<PushHealth> {
    let (subscriptions, subscribers): (i64, i64) =
        query("SELECT COUNT(*), COUNT(DISTINCT user_id) FROM push_subscriptions").fetch_one(db).await?;
    let (failing,): (i64,) = query(
        "SELECT COUNT(*) FROM push_subscriptions WHERE last_failure_at IS NOT NULL \
         AND (last_success_at IS NULL OR last_failure_at > last_success_at)",
    )
    .fetch_one(db)
    .await?;
    let (pending, oldest): (i64, Option<i64>) =
        query("SELECT COUNT(*), MIN(created_at) FROM push_outbox WHERE status = 'pending'").fetch_one(db).await?;
    let by_status: Vec<(String, i64)> = query(
        "SELECT status, COUNT(*) FROM push_outbox WHERE created_at >= $1 AND status <> 'pending' GROUP BY status",
    )
    .bind(millis(since))
    .fetch_all(db)
    .await?;
    let of = |word: &str| by_status.iter().find(|(s, _)| s == word).map(|(_, n)| count(*n)).unwrap_or(0);
    let (gone,): (i64,) = query("SELECT COUNT(*) FROM audit_log WHERE action = 'push.subscription_gone' AND at >= $1")
        .bind(millis(since))
        .fetch_one(db)
        .await?;
    let failures: Vec<(i64, String, Option<String>)> = query(
        "SELECT created_at, kind, last_error FROM push_outbox WHERE status = 'failed' ORDER BY created_at DESC, id DESC LIMIT 20",
    )
    .fetch_all(db)
    .await?;
    let mut recent_failures = Vec::with_capacity(failures.len());
    for (at, kind, error) in failures {
        recent_failures.push((timestamp(at)?, kind, error.unwrap_or_default()));
    }
    Ok(PushHealth {
        subscriptions: count(subscriptions),
        subscribers: count(subscribers),
        failing_subscriptions: count(failing),
        pending: count(pending),
        oldest_pending_at: optional_time(oldest)?,
        sent: of("sent"),
        failed: of("failed"),
        dropped: of("dropped"),
        gone: count(gone),
        recent_failures,
    })
}

/// Issue 13: the newest pushes queued for `user`'s devices (device, kind, status), so
/// that tests can see what an event queued without sending it.
pub(crate) async fn queued_for(
    db: &mut dyn Db,
    user: &UserId,
    limit: i64,
) -> StoreResult<Vec<(PushSubscriptionId, String, String)>> {
    let rows: Vec<(String, String, String)> = query(
        "SELECT p.subscription_id, p.kind, p.status FROM push_outbox p JOIN push_subscriptions s ON s.id = p.subscription_id \
         WHERE s.user_id = $1 ORDER BY p.created_at DESC, p.id DESC LIMIT $2",
    )
    .bind(&user.0)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(s, k, st)| (PushSubscriptionId(s), k, st)).collect())
}
