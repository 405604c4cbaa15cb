//! Issue 13: push subscriptions and the push outbox. Pushes are queued in the
//! transaction of the change that causes them (with its mail, or with the review, or by
//! the R5 sweep), one row per device that chose the kind; a sender claims due rows under
//! a lease, as the mail outbox's worker does (R16), so several processes send each once.

use jiff::Timestamp;
use serde_json::json;
use vocdesk_domain::ids::{PushMessageId, PushSubscriptionId, SellerId, UserId};
use vocdesk_domain::outbox::OutgoingMail;
use vocdesk_domain::push::{self, NewPushSubscription, PushKind, PushSubscription};

use crate::audit::{entry, write_audit};
use crate::db::{Db, FromRow, Row, query};
use crate::rows::{millis, optional_time, timestamp};
use crate::{Acting, StoreError, StoreResult};

const SUBSCRIPTION_COLUMNS: &str = "s.id, s.user_id, s.endpoint, s.p256dh, s.auth, s.kinds, s.label, s.created_at, \
     s.last_success_at, s.last_failure_at, s.last_error";

impl FromRow for PushSubscription {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(PushSubscription {
            id: PushSubscriptionId(row.get("id")?),
            user_id: UserId(row.get("user_id")?),
            endpoint: row.get("endpoint")?,
            p256dh: row.get("p256dh")?,
            auth: row.get("auth")?,
            kinds: push::kinds_from_words(&row.get::<String>("kinds")?),
            label: row.get("label")?,
            created_at: timestamp(row.get("created_at")?)?,
            last_success_at: optional_time(row.get("last_success_at")?)?,
            last_failure_at: optional_time(row.get("last_failure_at")?)?,
            last_error: row.get("last_error")?,
        })
    }
}

/// What subscribing a device did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubscribeOutcome {
    /// A new device.
    Created(PushSubscription),
    /// The same browser subscribed again (new keys or kinds): its row is updated.
    Updated(PushSubscription),
    /// The developer already has the most devices allowed; nothing stored.
    TooMany,
}

/// Issue 13: stores a device. The same endpoint again updates its row; an endpoint
/// another user subscribed (the browser changed hands) is theirs no more: it is removed
/// with whatever was queued for it before it becomes this user's. Audited (R14).
pub(crate) async fn subscribe(
    db: &mut dyn Db,
    new: &NewPushSubscription,
    max: usize,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<SubscribeOutcome> {
    let existing: Option<(String, String)> = query("SELECT id, user_id FROM push_subscriptions WHERE endpoint = $1")
        .bind(&new.endpoint)
        .fetch_optional(db)
        .await?;
    let kinds = push::kinds_to_words(&new.kinds);
    if let Some((id, owner)) = &existing {
        if owner == &new.user_id.0 {
            query("UPDATE push_subscriptions SET p256dh = $2, auth = $3, kinds = $4, label = $5 WHERE id = $1")
                .bind(id)
                .bind(&new.p256dh)
                .bind(&new.auth)
                .bind(&kinds)
                .bind(&new.label)
                .execute(db)
                .await?;
            let sub = subscription(db, id).await?.ok_or_else(|| StoreError::Corrupt("updated row vanished".into()))?;
            write_audit(
                db,
                &entry(acting, "push.subscription_updated", "push_subscription", id, json!({"kinds": kinds})),
                now,
            )
            .await?;
            return Ok(SubscribeOutcome::Updated(sub));
        }
        remove(db, id).await?;
    }
    let (count,): (i64,) =
        query("SELECT COUNT(*) FROM push_subscriptions WHERE user_id = $1").bind(&new.user_id.0).fetch_one(db).await?;
    if usize::try_from(count).unwrap_or(usize::MAX) >= max {
        return Ok(SubscribeOutcome::TooMany);
    }
    let id = PushSubscriptionId::generate();
    query(
        "INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, kinds, label, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id.0)
    .bind(&new.user_id.0)
    .bind(&new.endpoint)
    .bind(&new.p256dh)
    .bind(&new.auth)
    .bind(&kinds)
    .bind(&new.label)
    .bind(millis(now))
    .execute(db)
    .await?;
    let detail = json!({"kinds": kinds, "label": new.label, "took_over": existing.is_some()});
    write_audit(db, &entry(acting, "push.subscribed", "push_subscription", &id.0, detail), now).await?;
    let sub = subscription(db, &id.0).await?.ok_or_else(|| StoreError::Corrupt("inserted row vanished".into()))?;
    Ok(SubscribeOutcome::Created(sub))
}

async fn remove(db: &mut dyn Db, id: &str) -> StoreResult<bool> {
    query("DELETE FROM push_outbox WHERE subscription_id = $1").bind(id).execute(db).await?;
    Ok(query("DELETE FROM push_subscriptions WHERE id = $1").bind(id).execute(db).await? == 1)
}

pub(crate) async fn subscription(db: &mut dyn Db, id: &str) -> StoreResult<Option<PushSubscription>> {
    let sql = format!("SELECT {SUBSCRIPTION_COLUMNS} FROM push_subscriptions s WHERE s.id = $1");
    query(&sql).bind(id).fetch_optional(db).await
}

pub(crate) async fn subscriptions_of(db: &mut dyn Db, user: &UserId) -> StoreResult<Vec<PushSubscription>> {
    let sql = format!(
        "SELECT {SUBSCRIPTION_COLUMNS} FROM push_subscriptions s WHERE s.user_id = $1 ORDER BY s.created_at, s.id"
    );
    query(&sql).bind(&user.0).fetch_all(db).await
}

/// Issue 13: a device's kinds changed by its owner; audited.
pub(crate) async fn set_kinds(
    db: &mut dyn Db,
    id: &PushSubscriptionId,
    kinds: &[PushKind],
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<Option<PushSubscription>> {
    let words = push::kinds_to_words(kinds);
    let changed =
        query("UPDATE push_subscriptions SET kinds = $2 WHERE id = $1").bind(&id.0).bind(&words).execute(db).await?;
    if changed == 0 {
        return Ok(None);
    }
    write_audit(
        db,
        &entry(acting, "push.subscription_updated", "push_subscription", &id.0, json!({"kinds": words})),
        now,
    )
    .await?;
    subscription(db, &id.0).await
}

/// Issue 13: a device removed by its owner (or found gone by the sender); audited.
pub(crate) async fn unsubscribe(
    db: &mut dyn Db,
    id: &PushSubscriptionId,
    action: &str,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<bool> {
    if !remove(db, &id.0).await? {
        return Ok(false);
    }
    write_audit(db, &entry(acting, action, "push_subscription", &id.0, json!({})), now).await?;
    Ok(true)
}

/// One push to queue: which kind, caused by what, about which thing.
struct Cause<'a> {
    kind: PushKind,
    event: &'a str,
    inquiry_id: Option<&'a str>,
    review_id: Option<&'a str>,
}

async fn queue_for_subscriptions(
    db: &mut dyn Db,
    ids: &[(String,)],
    cause: &Cause<'_>,
    now: Timestamp,
) -> StoreResult<usize> {
    for (subscription,) in ids {
        query(
            "INSERT INTO push_outbox (id, subscription_id, kind, event, inquiry_id, review_id, status, attempts, \
             next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7)",
        )
        .bind(PushMessageId::generate().0)
        .bind(subscription)
        .bind(cause.kind.as_str())
        .bind(cause.event)
        .bind(cause.inquiry_id.map(str::to_owned))
        .bind(cause.review_id.map(str::to_owned))
        .bind(millis(now))
        .execute(db)
        .await?;
    }
    Ok(ids.len())
}

fn kind_pattern(kind: PushKind) -> String {
    format!("%,{},%", kind.as_str())
}

/// Issue 13: the pushes that go with notification mail to developers (a new inquiry,
/// the R5 reminder, a decided request), in the mail's transaction: one per device of
/// the mail's recipient that chose the kind.
pub(crate) async fn queue_for_mails(db: &mut dyn Db, mails: &[OutgoingMail], now: Timestamp) -> StoreResult<()> {
    for mail in mails {
        let (Some(kind), Some(user)) = (PushKind::for_mail(mail.kind), mail.to_user.as_ref()) else {
            continue;
        };
        let ids: Vec<(String,)> = query(
            "SELECT s.id FROM push_subscriptions s JOIN users u ON u.id = s.user_id \
             WHERE s.user_id = $1 AND u.role = 'developer' AND (',' || s.kinds || ',') LIKE $2",
        )
        .bind(&user.0)
        .bind(kind_pattern(kind))
        .fetch_all(db)
        .await?;
        let inquiry = mail.inquiry_id.as_ref().map(|i| i.0.as_str());
        let cause = Cause { kind, event: mail.kind.as_str(), inquiry_id: inquiry, review_id: None };
        queue_for_subscriptions(db, &ids, &cause, now).await?;
    }
    Ok(())
}

async fn seller_devices(db: &mut dyn Db, seller: &str, kind: PushKind) -> StoreResult<Vec<(String,)>> {
    query(
        "SELECT s.id FROM push_subscriptions s JOIN users u ON u.id = s.user_id \
         WHERE u.seller_id = $1 AND u.role = 'developer' AND (',' || s.kinds || ',') LIKE $2",
    )
    .bind(seller)
    .bind(kind_pattern(kind))
    .fetch_all(db)
    .await
}

/// Issue 13: a new review of 1-2 stars tells the app's seller's developers, in the
/// review's transaction.
pub(crate) async fn queue_low_review(
    db: &mut dyn Db,
    seller: &SellerId,
    review_id: &str,
    now: Timestamp,
) -> StoreResult<()> {
    let ids = seller_devices(db, &seller.0, PushKind::LowReview).await?;
    let cause =
        Cause { kind: PushKind::LowReview, event: "review_created", inquiry_id: None, review_id: Some(review_id) };
    queue_for_subscriptions(db, &ids, &cause, now).await?;
    Ok(())
}

/// R5 + issue 13: marks up to `limit` inquiries that passed the limit unanswered (their
/// wait began before `overdue_cutoff`) and queues the `overdue` push for their sellers'
/// devices, once per wait; safe to run from several processes (the mark is conditional).
pub(crate) async fn queue_overdue(
    db: &mut dyn Db,
    overdue_cutoff: Timestamp,
    limit: i64,
    now: Timestamp,
) -> StoreResult<usize> {
    let due: Vec<(String, String, i64)> = query(
        "SELECT id, seller_id, awaiting_since FROM inquiries \
         WHERE awaiting_since IS NOT NULL AND overdue_pushed_at IS NULL AND awaiting_since < $1 \
         ORDER BY awaiting_since LIMIT $2",
    )
    .bind(millis(overdue_cutoff))
    .bind(limit)
    .fetch_all(db)
    .await?;
    let mut marked = 0;
    for (inquiry, seller, since) in &due {
        let claimed = query(
            "UPDATE inquiries SET overdue_pushed_at = $1 WHERE id = $2 AND overdue_pushed_at IS NULL AND awaiting_since = $3",
        )
        .bind(millis(now))
        .bind(inquiry)
        .bind(*since)
        .execute(db)
        .await?;
        if claimed == 1 {
            let ids = seller_devices(db, seller, PushKind::Overdue).await?;
            let cause = Cause { kind: PushKind::Overdue, event: "overdue", inquiry_id: Some(inquiry), review_id: None };
            queue_for_subscriptions(db, &ids, &cause, now).await?;
            marked += 1;
        }
    }
    Ok(marked)
}

/// How one push attempt ended, as the sender records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PushOutcome {
    /// The push service took it.
    Sent,
    /// Worth trying again at `at` (429, 5xx, no answer).
    Retry {
        /// When.
        at: Timestamp,
        /// The push service's answer, for the operators.
        error: String,
    },
    /// Given up (another 4xx, or retried for too long).
    Failed {
        /// Why.
        error: String,
    },
    /// 404/410: the device is gone; the subscription is deleted.
    Gone {
        /// The push service's answer.
        error: String,
    },
    /// Not sent: the developer may no longer see what it is about (they left the
    /// seller, the thread is gone), or the device chose otherwise since.
    Dropped {
        /// Why.
        reason: String,
    },
}
