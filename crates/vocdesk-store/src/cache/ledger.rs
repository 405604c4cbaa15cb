//! [`LedgerStore`] through the cache: My page's standings and the off-store look-up's
//! audit entry go to the database every time (a purchase's inquiries and requests
//! change from other processes too, and a look-up is recorded, never skipped).

use async_trait::async_trait;
use jiff::Timestamp;
use vocdesk_domain::ids::{SellerId, UserId};
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::purchase::PurchaseStanding;

use super::CachedStore;
use crate::ledger_store::LedgerStore;
use crate::{Acting, StoreResult};

#[async_trait]
impl LedgerStore for CachedStore {
    async fn purchase_standings(&self, customer: &UserId, page: &PageRequest) -> StoreResult<Page<PurchaseStanding>> {
        self.inner.purchase_standings(customer, page).await
    }

    async fn record_purchase_lookup(
        &self,
        seller: &SellerId,
        customer: Option<&UserId>,
        listed: usize,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<()> {
        self.inner.record_purchase_lookup(seller, customer, listed, acting, now).await
    }
}
