//! [`DeliveryStore`] through the cache: nothing of the outbox is cached, so every claim
//! and every attempt goes to the database (other processes deliver from it too).

use async_trait::async_trait;
use jiff::Timestamp;
use vocdesk_domain::ids::{InquiryId, OutboxId};
use vocdesk_domain::outbox::QueuedMail;

use super::CachedStore;
use crate::delivery_store::DeliveryStore;
use crate::outbox::{AttemptOutcome, RetryOutcome};
use crate::{Acting, StoreResult};

#[async_trait]
impl DeliveryStore for CachedStore {
    async fn claim_due_mail(
        &self,
        worker: &str,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<QueuedMail>> {
        self.inner.claim_due_mail(worker, now, lease_until, limit).await
    }

    async fn finish_delivery_attempt(
        &self,
        id: &OutboxId,
        worker: &str,
        outcome: &AttemptOutcome,
        now: Timestamp,
    ) -> StoreResult<bool> {
        self.inner.finish_delivery_attempt(id, worker, outcome, now).await
    }

    async fn retry_mail(&self, id: &OutboxId, acting: &Acting, now: Timestamp) -> StoreResult<RetryOutcome> {
        self.inner.retry_mail(id, acting, now).await
    }

    async fn mail_about_inquiry(&self, inquiry: &InquiryId) -> StoreResult<Vec<QueuedMail>> {
        self.inner.mail_about_inquiry(inquiry).await
    }

    async fn mail_sent_to_since(&self, address: &str, since: Timestamp) -> StoreResult<u64> {
        self.inner.mail_sent_to_since(address, since).await
    }
}
