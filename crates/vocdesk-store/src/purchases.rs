//! The purchase ledger: recording the payment system's purchases idempotently on TID,
//! and reading a customer's history (R6).

use jiff::Timestamp;
use vocdesk_domain::audit::{AuditActor, AuditEntry, Channel};
use vocdesk_domain::ids::{PurchaseId, SellerId, UserId};
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::purchase::{NewPurchase, PurchaseStanding, PurchaseView};
use vocdesk_domain::{FieldError, ValidationErrors};

use crate::audit::{self, write_audit};
use crate::db::{Db, query};
use crate::rows::{self, PurchaseRow, StandingRow, millis};
use crate::{Acting, RecordOutcome, Rejection, StoreError, StoreResult};

pub(crate) async fn fetch_purchase(db: &mut dyn Db, id: &str) -> StoreResult<Option<PurchaseView>> {
    let row: Option<PurchaseRow> =
        query(concat!(purchase_select!(), "WHERE p.id = $1")).bind(id).fetch_optional(db).await?;
    row.map(PurchaseView::try_from).transpose()
}

pub(crate) fn reject(field: &str, code: &str, expected: &str) -> RecordOutcome {
    RecordOutcome::Rejected(Rejection::Invalid(ValidationErrors(vec![FieldError::new(field, code, expected)])))
}

/// Records one purchase inside the batch's transaction (see `Store::record_purchases`).
pub(crate) async fn record_one(
    db: &mut dyn Db,
    new: &NewPurchase,
    actor: &AuditActor,
    channel: Channel,
    now: Timestamp,
) -> StoreResult<RecordOutcome> {
    let existing: Option<(String,)> =
        query("SELECT id FROM purchases WHERE tid = $1").bind(&new.payment.tid).fetch_optional(db).await?;
    if let Some((id,)) = existing {
        return same_tid(db, new, &id).await;
    }
    let role: Option<(String,)> =
        query("SELECT role FROM users WHERE id = $1").bind(&new.customer_id.0).fetch_optional(db).await?;
    if role.as_ref().map(|(r,)| r.as_str()) != Some("customer") {
        return Ok(reject("customer_id", "unknown_customer", "the id of a customer"));
    }
    let app: Option<(String,)> =
        query("SELECT id FROM apps WHERE id = $1").bind(&new.app_id.0).fetch_optional(db).await?;
    if app.is_none() {
        return Ok(reject("app_id", "unknown_app", "the id of an app"));
    }
    if let Some(item) = &new.item_id {
        let item_app: Option<(String,)> =
            query("SELECT app_id FROM items WHERE id = $1").bind(&item.0).fetch_optional(db).await?;
        if item_app.map(|(a,)| a) != Some(new.app_id.0.clone()) {
            return Ok(reject("item_id", "unknown_item", "the id of an item of this app"));
        }
    }
    let id = PurchaseId::generate();
    let inserted = query(
        "INSERT INTO purchases (id, tid, txid, receipt_no, customer_id, app_id, item_id, amount_minor, \
         currency, purchased_at, status, cancelled_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (tid) DO NOTHING",
    )
    .bind(&id.0)
    .bind(&new.payment.tid)
    .bind(new.payment.txid.clone())
    .bind(new.payment.receipt_no.clone())
    .bind(&new.customer_id.0)
    .bind(&new.app_id.0)
    .bind(new.item_id.as_ref().map(|i| i.0.clone()))
    .bind(new.amount.amount_minor)
    .bind(new.amount.currency.as_str())
    .bind(millis(new.purchased_at))
    .bind(new.status.as_str())
    .bind((new.status == vocdesk_domain::purchase::PurchaseStatus::Cancelled).then(|| millis(now)))
    .bind(millis(now))
    .execute(db)
    .await?;
    if inserted == 0 {
        // Another process recorded the same TID between our look-up and insert.
        let (id,): (String,) =
            query("SELECT id FROM purchases WHERE tid = $1").bind(&new.payment.tid).fetch_one(db).await?;
        return same_tid(db, new, &id).await;
    }
    let detail = serde_json::json!({
        "app_id": new.app_id.0,
        "item_id": new.item_id.as_ref().map(|i| &i.0),
        "customer_id": new.customer_id.0,
        "amount_minor": new.amount.amount_minor,
        "currency": new.amount.currency.as_str(),
        "status": new.status.as_str(),
    });
    let entry =
        AuditEntry::new(actor.clone(), channel, "purchase.recorded", "purchase", detail.to_string()).about(&id.0);
    write_audit(db, &entry, now).await?;
    let view = fetch_purchase(db, &id.0).await?.ok_or(StoreError::NotFound)?;
    Ok(RecordOutcome::Created(view))
}

pub(crate) async fn same_tid(db: &mut dyn Db, new: &NewPurchase, id: &str) -> StoreResult<RecordOutcome> {
    let view = fetch_purchase(db, id).await?.ok_or(StoreError::NotFound)?;
    // Times are stored to the millisecond: compare the retry at the precision the
    // first recording was kept, or a time sent with microseconds would never match.
    let sent = NewPurchase { purchased_at: rows::timestamp(millis(new.purchased_at))?, ..new.clone() };
    Ok(if sent.matches(&view.purchase) {
        RecordOutcome::AlreadyRecorded(view)
    } else {
        RecordOutcome::Rejected(Rejection::Conflict { what: "tid".to_owned() })
    })
}

pub(crate) async fn record_purchases(
    db: &mut dyn Db,
    purchases: &[NewPurchase],
    actor: &AuditActor,
    channel: Channel,
    now: Timestamp,
) -> StoreResult<Vec<RecordOutcome>> {
    // Rows are written in TID order, whatever the batch's order, so that two
    // batches sharing TIDs lock them in the same order and cannot deadlock.
    let mut order: Vec<usize> = (0..purchases.len()).collect();
    order.sort_by(|a, b| purchases[*a].payment.tid.cmp(&purchases[*b].payment.tid));
    let mut outcomes: Vec<Option<RecordOutcome>> = vec![None; purchases.len()];
    for index in order {
        outcomes[index] = Some(record_one(db, &purchases[index], actor, channel, now).await?);
    }
    Ok(outcomes.into_iter().flatten().collect())
}

pub(crate) async fn purchase(db: &mut dyn Db, id: &PurchaseId) -> StoreResult<Option<PurchaseView>> {
    fetch_purchase(db, &id.0).await
}

pub(crate) async fn purchases_of_customer(
    db: &mut dyn Db,
    customer: &UserId,
    page: &PageRequest,
) -> StoreResult<Page<PurchaseView>> {
    let (key, id) = rows::start_of_descending(page.after.as_ref());
    let rows: Vec<PurchaseRow> = query(concat!(
        purchase_select!(),
        "WHERE p.customer_id = $1 AND (p.purchased_at, p.id) < ($2, $3) \
         ORDER BY p.purchased_at DESC, p.id DESC LIMIT $4"
    ))
    .bind(&customer.0)
    .bind(key)
    .bind(id)
    .bind(page.fetch_limit())
    .fetch_all(db)
    .await?;
    Ok(Page::from_rows(rows::convert(rows)?, page, rows::purchase_cursor))
}

pub(crate) async fn purchases_for_seller(
    db: &mut dyn Db,
    customer: &UserId,
    seller: &SellerId,
    page: &PageRequest,
) -> StoreResult<Page<PurchaseView>> {
    let (key, id) = rows::start_of_descending(page.after.as_ref());
    let rows: Vec<PurchaseRow> = query(concat!(
        purchase_select!(),
        "WHERE p.customer_id = $1 AND a.seller_id = $2 AND (p.purchased_at, p.id) < ($3, $4) \
         ORDER BY p.purchased_at DESC, p.id DESC LIMIT $5"
    ))
    .bind(&customer.0)
    .bind(&seller.0)
    .bind(key)
    .bind(id)
    .bind(page.fetch_limit())
    .fetch_all(db)
    .await?;
    Ok(Page::from_rows(rows::convert(rows)?, page, rows::purchase_cursor))
}

/// Issue 12 item 4: a customer's purchases, newest first, each with the open inquiry
/// naming it and the newest request to cancel it, in one query
/// ([`crate::ledger_sql::PURCHASE_STANDINGS`]).
pub(crate) async fn purchase_standings(
    db: &mut dyn Db,
    customer: &UserId,
    page: &PageRequest,
) -> StoreResult<Page<PurchaseStanding>> {
    let (key, id) = rows::start_of_descending(page.after.as_ref());
    let rows: Vec<StandingRow> = query(crate::ledger_sql::PURCHASE_STANDINGS)
        .bind(&customer.0)
        .bind(key)
        .bind(id)
        .bind(page.fetch_limit())
        .fetch_all(db)
        .await?;
    Ok(Page::from_rows(rows::convert(rows)?, page, rows::standing_cursor))
}

/// R9/R14 (issue 12 item 6): a developer looked up a customer number's purchases of
/// their seller: who, for which seller, which customer the number named (none when it
/// named nobody) and how many purchases were listed.
pub(crate) async fn record_lookup(
    db: &mut dyn Db,
    seller: &SellerId,
    customer: Option<&UserId>,
    listed: usize,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<()> {
    let detail = serde_json::json!({
        "seller_id": seller.0,
        "customer_id": customer.map(|c| &c.0),
        "listed": listed,
    });
    let subject = customer.map_or("", |c| c.0.as_str());
    write_audit(db, &audit::entry(acting, "purchases.looked_up", "user", subject, detail), now).await
}
