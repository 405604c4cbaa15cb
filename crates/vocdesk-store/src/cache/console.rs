//! [`ConsoleStore`] through the cache: the operator's counts are never cached, so that
//! a request decided or a mail released a moment ago is counted right away.

use async_trait::async_trait;
use jiff::Timestamp;

use super::CachedStore;
use crate::StoreResult;
use crate::console_store::{ConsoleStore, OperatorCounts};

#[async_trait]
impl ConsoleStore for CachedStore {
    async fn operator_counts(&self, overdue_cutoff: Timestamp) -> StoreResult<OperatorCounts> {
        self.inner.operator_counts(overdue_cutoff).await
    }
}
