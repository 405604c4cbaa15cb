//! [`BudgetStore`] through the cache: nothing of a budget is cached, since every
//! process spends from the same rows.

use async_trait::async_trait;
use jiff::Timestamp;
use vocdesk_domain::throttle::{Admission, Charge};

use super::CachedStore;
use crate::StoreResult;
use crate::budget_store::BudgetStore;

#[async_trait]
impl BudgetStore for CachedStore {
    async fn spend_budgets(&self, charges: &[Charge], now: Timestamp) -> StoreResult<Admission> {
        self.inner.spend_budgets(charges, now).await
    }
}
