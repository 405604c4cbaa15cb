//! [`LedgerStore`]: what My page and the off-store look-up ask of the purchase ledger
//! (issue 12 items 4 and 6). Every [`crate::Store`] is one; both engines run the same
//! read and unit, written in `purchases`.

use async_trait::async_trait;
use jiff::Timestamp;
use vocdesk_domain::ids::{SellerId, UserId};
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::purchase::PurchaseStanding;

use crate::db::{Engine, unit, work};
use crate::purchases;
use crate::{Acting, StoreResult};

/// The purchase ledger as My page and the off-store look-up read it.
#[async_trait]
pub trait LedgerStore: Send + Sync {
    /// A customer's purchases, newest first, each with the newest of their inquiries
    /// naming it that is not closed and the newest request to cancel it (R1, R8), in
    /// one indexed query.
    async fn purchase_standings(&self, customer: &UserId, page: &PageRequest) -> StoreResult<Page<PurchaseStanding>>;

    /// R9/R14: records that `acting` looked up a customer number's purchases of
    /// `seller`: the customer it named (none for a number nobody has) and how many
    /// purchases were listed.
    async fn record_purchase_lookup(
        &self,
        seller: &SellerId,
        customer: Option<&UserId>,
        listed: usize,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<()>;
}

/// The ledger's SQL that a test shows the plan of, written once for both engines.
pub mod ledger_sql {
    /// Issue 12 item 4: `$1` a customer's purchases after the cursor `($2, $3)`, newest
    /// first, `$4` rows, through `purchases_by_customer`; with each, the newest inquiry
    /// naming it that is not closed (through `inquiries_by_purchase_recent`) and the
    /// newest request to cancel it (through `cancellation_requests_by_purchase`). An
    /// inquiry naming a purchase is always its customer's (R1 checks it); the row
    /// conversion drops one that were not, rather than show another customer's subject.
    pub const PURCHASE_STANDINGS: &str = "SELECT p.id, p.tid, p.txid, p.receipt_no, p.customer_id, p.app_id, \
         p.item_id, p.amount_minor, p.currency, p.purchased_at, p.status, p.cancelled_at, a.seller_id, \
         a.title AS app_title, i.title AS item_title, \
         oq.id AS open_inquiry_id, oq.customer_id AS open_inquiry_customer_id, oq.subject AS open_inquiry_subject, \
         oq.status AS open_inquiry_status, \
         cr.id AS request_id, cr.inquiry_id AS request_inquiry_id, cr.status AS request_status, \
         cr.decided_at AS request_decided_at \
         FROM purchases p JOIN apps a ON a.id = p.app_id LEFT JOIN items i ON i.id = p.item_id \
         LEFT JOIN inquiries oq ON oq.id = (SELECT q.id FROM inquiries q WHERE q.purchase_id = p.id \
           AND q.status <> 'closed' ORDER BY q.last_activity_at DESC, q.id DESC LIMIT 1) \
         LEFT JOIN cancellation_requests cr ON cr.id = (SELECT r.id FROM cancellation_requests r \
           WHERE r.purchase_id = p.id ORDER BY r.created_at DESC, r.id DESC LIMIT 1) \
         WHERE p.customer_id = $1 AND (p.purchased_at, p.id) < ($2, $3) \
         ORDER BY p.purchased_at DESC, p.id DESC LIMIT $4";
}

#[async_trait]
impl<E: Engine> LedgerStore for E {
    async fn purchase_standings(&self, customer: &UserId, page: &PageRequest) -> StoreResult<Page<PurchaseStanding>> {
        let customer = customer.clone();
        let page = page.clone();
        self.read_with(work(move |db| {
            Box::pin(async move { purchases::purchase_standings(db, &customer, &page).await })
        }))
        .await
    }

    async fn record_purchase_lookup(
        &self,
        seller: &SellerId,
        customer: Option<&UserId>,
        listed: usize,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<()> {
        let args = (seller.clone(), customer.cloned(), acting.clone());
        self.write_with(unit(args, move |db, (seller, customer, acting)| {
            Box::pin(async move { purchases::record_lookup(db, seller, customer.as_ref(), listed, acting, now).await })
        }))
        .await
    }
}
