//! [`PushStore`]: what push subscriptions, the push sender and the operators' health view
//! ask of the store (issue 13). Every [`crate::Store`] is one; both engines run the same
//! units, written in `push` and `push_outbox`.

use async_trait::async_trait;
use jiff::Timestamp;
use vocdesk_domain::ids::{PushMessageId, PushSubscriptionId, UserId};
use vocdesk_domain::push::{NewPushSubscription, PushKind, PushSubscription, QueuedPush};

use crate::db::{Engine, unit, work};
use crate::push::{self, PushOutcome, SubscribeOutcome};
use crate::push_outbox::{self, PushHealth};
use crate::{Acting, StoreResult};

/// Issue 13: devices, the push outbox and its health.
#[async_trait]
pub trait PushStore: Send + Sync {
    /// Stores a developer's device (at most `max` per developer); audited.
    async fn subscribe_push(
        &self,
        new: &NewPushSubscription,
        max: usize,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<SubscribeOutcome>;

    /// One device, whoever's it is (the caller checks the owner).
    async fn push_subscription(&self, id: &PushSubscriptionId) -> StoreResult<Option<PushSubscription>>;

    /// A developer's devices, oldest first.
    async fn push_subscriptions_of(&self, user: &UserId) -> StoreResult<Vec<PushSubscription>>;

    /// Changes a device's kinds; audited. `None`: no such device.
    async fn set_push_kinds(
        &self,
        id: &PushSubscriptionId,
        kinds: &[PushKind],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<Option<PushSubscription>>;

    /// Removes a device and whatever was queued for it; audited. `false`: no such device.
    async fn unsubscribe_push(&self, id: &PushSubscriptionId, acting: &Acting, now: Timestamp) -> StoreResult<bool>;

    /// R5 + issue 13: queues the `overdue` push of up to `limit` inquiries that passed the
    /// limit (their wait began before `overdue_cutoff`), once per wait.
    async fn queue_overdue_pushes(&self, overdue_cutoff: Timestamp, limit: u32, now: Timestamp) -> StoreResult<usize>;

    /// Claims up to `limit` due pushes for `worker` until `lease_until`.
    async fn claim_due_pushes(
        &self,
        worker: &str,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<QueuedPush>>;

    /// Records how `worker`'s attempt at `id` ended; `false` when it no longer held it.
    async fn finish_push(
        &self,
        id: &PushMessageId,
        worker: &str,
        outcome: &PushOutcome,
        now: Timestamp,
    ) -> StoreResult<bool>;

    /// The operators' health view, counting what happened since `since`.
    async fn push_health(&self, since: Timestamp) -> StoreResult<PushHealth>;

    /// The newest pushes queued for `user`'s devices: (device, kind, status).
    async fn pushes_for(&self, user: &UserId, limit: u32) -> StoreResult<Vec<(PushSubscriptionId, String, String)>>;
}

#[async_trait]
impl<E: Engine> PushStore for E {
    async fn subscribe_push(
        &self,
        new: &NewPushSubscription,
        max: usize,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<SubscribeOutcome> {
        self.write_with(unit((new.clone(), acting.clone()), move |db, (new, acting)| {
            Box::pin(async move { push::subscribe(db, new, max, acting, now).await })
        }))
        .await
    }

    async fn push_subscription(&self, id: &PushSubscriptionId) -> StoreResult<Option<PushSubscription>> {
        let id = id.clone();
        self.read_with(work(move |db| Box::pin(async move { push::subscription(db, &id.0).await }))).await
    }

    async fn push_subscriptions_of(&self, user: &UserId) -> StoreResult<Vec<PushSubscription>> {
        let user = user.clone();
        self.read_with(work(move |db| Box::pin(async move { push::subscriptions_of(db, &user).await }))).await
    }

    async fn set_push_kinds(
        &self,
        id: &PushSubscriptionId,
        kinds: &[PushKind],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<Option<PushSubscription>> {
        self.write_with(unit((id.clone(), kinds.to_vec(), acting.clone()), move |db, (id, kinds, acting)| {
            Box::pin(async move { push::set_kinds(db, id, kinds, acting, now).await })
        }))
        .await
    }

    async fn unsubscribe_push(&self, id: &PushSubscriptionId, acting: &Acting, now: Timestamp) -> StoreResult<bool> {
        self.write_with(unit((id.clone(), acting.clone()), move |db, (id, acting)| {
            Box::pin(async move { push::unsubscribe(db, id, "push.unsubscribed", acting, now).await })
        }))
        .await
    }

    async fn queue_overdue_pushes(&self, overdue_cutoff: Timestamp, limit: u32, now: Timestamp) -> StoreResult<usize> {
        self.write_with(unit((), move |db, ()| {
            Box::pin(async move { push::queue_overdue(db, overdue_cutoff, i64::from(limit), now).await })
        }))
        .await
    }

    async fn claim_due_pushes(
        &self,
        worker: &str,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<QueuedPush>> {
        self.write_with(unit(worker.to_owned(), move |db, worker| {
            Box::pin(async move { push_outbox::claim_due(db, worker, now, lease_until, i64::from(limit)).await })
        }))
        .await
    }

    async fn finish_push(
        &self,
        id: &PushMessageId,
        worker: &str,
        outcome: &PushOutcome,
        now: Timestamp,
    ) -> StoreResult<bool> {
        self.write_with(unit((id.clone(), worker.to_owned(), outcome.clone()), move |db, (id, worker, outcome)| {
            Box::pin(async move { push_outbox::finish(db, id, worker, outcome, now).await })
        }))
        .await
    }

    async fn push_health(&self, since: Timestamp) -> StoreResult<PushHealth> {
        self.read_with(work(move |db| Box::pin(async move { push_outbox::health(db, since).await }))).await
    }

    async fn pushes_for(&self, user: &UserId, limit: u32) -> StoreResult<Vec<(PushSubscriptionId, String, String)>> {
        let user = user.clone();
        self.read_with(work(move |db| {
            Box::pin(async move { push_outbox::queued_for(db, &user, i64::from(limit)).await })
        }))
        .await
    }
}
