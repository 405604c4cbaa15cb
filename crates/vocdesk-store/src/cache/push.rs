//! [`PushStore`] through the cache: nothing of push is cached; devices, the push outbox
//! and its health are read and written where every process sees them.

use async_trait::async_trait;
use jiff::Timestamp;
use vocdesk_domain::ids::{PushMessageId, PushSubscriptionId, UserId};
use vocdesk_domain::push::{NewPushSubscription, PushKind, PushSubscription, QueuedPush};

use super::CachedStore;
use crate::push::{PushOutcome, SubscribeOutcome};
use crate::push_outbox::PushHealth;
use crate::push_store::PushStore;
use crate::{Acting, StoreResult};

#[async_trait]
impl PushStore for CachedStore {
    async fn subscribe_push(
        &self,
        new: &NewPushSubscription,
        max: usize,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<SubscribeOutcome> {
        self.inner.subscribe_push(new, max, acting, now).await
    }

    async fn push_subscription(&self, id: &PushSubscriptionId) -> StoreResult<Option<PushSubscription>> {
        self.inner.push_subscription(id).await
    }

    async fn push_subscriptions_of(&self, user: &UserId) -> StoreResult<Vec<PushSubscription>> {
        self.inner.push_subscriptions_of(user).await
    }

    async fn set_push_kinds(
        &self,
        id: &PushSubscriptionId,
        kinds: &[PushKind],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<Option<PushSubscription>> {
        self.inner.set_push_kinds(id, kinds, acting, now).await
    }

    async fn unsubscribe_push(&self, id: &PushSubscriptionId, acting: &Acting, now: Timestamp) -> StoreResult<bool> {
        self.inner.unsubscribe_push(id, acting, now).await
    }

    async fn queue_overdue_pushes(&self, overdue_cutoff: Timestamp, limit: u32, now: Timestamp) -> StoreResult<usize> {
        self.inner.queue_overdue_pushes(overdue_cutoff, limit, now).await
    }

    async fn claim_due_pushes(
        &self,
        worker: &str,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<QueuedPush>> {
        self.inner.claim_due_pushes(worker, now, lease_until, limit).await
    }

    async fn finish_push(
        &self,
        id: &PushMessageId,
        worker: &str,
        outcome: &PushOutcome,
        now: Timestamp,
    ) -> StoreResult<bool> {
        self.inner.finish_push(id, worker, outcome, now).await
    }

    async fn push_health(&self, since: Timestamp) -> StoreResult<PushHealth> {
        self.inner.push_health(since).await
    }

    async fn pushes_for(&self, user: &UserId, limit: u32) -> StoreResult<Vec<(PushSubscriptionId, String, String)>> {
        self.inner.pushes_for(user, limit).await
    }
}
