//! Refunds (R5, R7-R9): consent, payment-id reveals, cancellation requests and their
//! decision, cancelling on the developer's behalf.
//!
//! Lock order, the same on every path, so that two units of work never wait for each
//! other in a circle (PostgreSQL; SQLite has one writer): the purchase row first, then
//! the request and inquiry rows that name it. A path that must read a row to learn
//! which purchase to lock (a request's, an inquiry's purchase id, which never change)
//! reads it first inside its unit and locks it after the purchase.

use jiff::Timestamp;
use vocdesk_domain::audit::AuditEntry;
use vocdesk_domain::ids::{CancellationRequestId, InquiryId};
use vocdesk_domain::inquiry::{Event, NewInquiry, NewMessage, Side, ThreadState};
use vocdesk_domain::outbox::OutgoingMail;
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::policy::RequestScope;
use vocdesk_domain::purchase::{PurchaseStatus, PurchaseView};
use vocdesk_domain::refund::{
    self, CancelRefusal, CancellationRequest, Decision, DecisionEffect, NewCancellationRequest, RequestStatus,
};
use vocdesk_domain::{FieldError, ValidationErrors};

use crate::audit::{entry, write_audit};
use crate::db::{Db, SqlBuilder, query};
use crate::inquiries::{add_message, fetch_inquiry, insert_inquiry};
use crate::outbox::queue_mails;
use crate::purchases::fetch_purchase;
use crate::rows::{self, RequestRow, millis};
use crate::store_turn::{answer_for_the_developer, end_the_store_turn, give_the_store_the_turn};
use crate::{
    Acting, DecideOutcome, MessageOutcome, OffStoreOutcome, OnBehalfOutcome, RequestQuery, StoreError, StoreResult,
    SubmitOutcome,
};

/// R5: the note on a request approved by a cancellation on the developer's behalf.
pub(crate) const ON_BEHALF_NOTE: &str = "cancelled on the developer's behalf (R5)";

/// Takes the purchase's row lock (PostgreSQL; SQLite has one writer) and answers
/// the purchase as it stands under the lock, where `refund::cancellable` is
/// checked; `None` when it does not exist.
pub(crate) async fn lock_purchase(db: &mut dyn Db, id: &str) -> StoreResult<Option<PurchaseView>> {
    let locked: Option<(String,)> =
        query("UPDATE purchases SET status = status WHERE id = $1 RETURNING id").bind(id).fetch_optional(db).await?;
    if locked.is_none() {
        return Ok(None);
    }
    fetch_purchase(db, id).await
}

pub(crate) async fn fetch_request(db: &mut dyn Db, id: &str) -> StoreResult<Option<CancellationRequest>> {
    let row: Option<RequestRow> =
        query(concat!(request_select!(), "WHERE r.id = $1")).bind(id).fetch_optional(db).await?;
    row.map(CancellationRequest::try_from).transpose()
}

/// R8: the purchase's open request, if it has one (at most one, by index).
pub(crate) async fn open_request_of(db: &mut dyn Db, purchase_id: &str) -> StoreResult<Option<CancellationRequest>> {
    let row: Option<RequestRow> = query(concat!(request_select!(), "WHERE r.purchase_id = $1 AND r.status = 'open'"))
        .bind(purchase_id)
        .fetch_optional(db)
        .await?;
    row.map(CancellationRequest::try_from).transpose()
}

/// R8: what a known `Idempotency-Key` answers: the request it was first sent
/// with (the same fingerprint) or `KeyReused`; `None` for a new or no key.
pub(crate) async fn replay(db: &mut dyn Db, request: &NewCancellationRequest) -> StoreResult<Option<SubmitOutcome>> {
    let Some(key) = &request.idempotency else { return Ok(None) };
    let row: Option<(String, Option<String>)> = query(
        "SELECT id, request_hash FROM cancellation_requests \
         WHERE requested_by = $1 AND idempotency_key = $2 AND idempotency_key IS NOT NULL",
    )
    .bind(&request.requested_by.0)
    .bind(&key.key)
    .fetch_optional(db)
    .await?;
    let Some((id, hash)) = row else { return Ok(None) };
    if hash.as_deref() != Some(key.fingerprint.as_str()) {
        return Ok(Some(SubmitOutcome::KeyReused));
    }
    let first = fetch_request(db, &id).await?.ok_or(StoreError::NotFound)?;
    Ok(Some(SubmitOutcome::Replayed(first)))
}

/// R8: inserts an open request; `false` when a unique index holds another row
/// already (the purchase's open request, the developer's key, the id), so that a
/// race ends in a re-read, never in an error.
pub(crate) async fn insert_request(
    db: &mut dyn Db,
    request: &NewCancellationRequest,
    seller_id: &str,
    now: Timestamp,
) -> StoreResult<bool> {
    let inserted = query(
        "INSERT INTO cancellation_requests (id, purchase_id, inquiry_id, seller_id, requested_by, channel, \
         reason, status, idempotency_key, request_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $10) ON CONFLICT DO NOTHING",
    )
    .bind(&request.id.0)
    .bind(&request.purchase_id.0)
    .bind(&request.inquiry_id.0)
    .bind(seller_id)
    .bind(&request.requested_by.0)
    .bind(request.channel.as_str())
    .bind(&request.reason)
    .bind(request.idempotency.as_ref().map(|i| i.key.clone()))
    .bind(request.idempotency.as_ref().map(|i| i.fingerprint.clone()))
    .bind(millis(now))
    .execute(db)
    .await?;
    Ok(inserted == 1)
}

/// R14: the entry of a submitted request; the reason itself stays in its row.
pub(crate) fn submitted(acting: &Acting, request: &NewCancellationRequest) -> AuditEntry {
    let detail = serde_json::json!({
        "inquiry_id": request.inquiry_id.0,
        "purchase_id": request.purchase_id.0,
        "channel": request.channel.as_str(),
        "reason_chars": request.reason.chars().count(),
        "idempotency_key": request.idempotency.is_some(),
    });
    entry(acting, "cancellation_request.submitted", "cancellation_request", &request.id.0, detail)
}

/// R5/R8: cancels a paid purchase and records its one cancellation (the primary
/// key of `purchase_cancellations` refuses a second, whatever the path). The
/// caller holds the purchase's row lock and has checked `refund::cancellable`.
pub(crate) async fn cancel_purchase(
    db: &mut dyn Db,
    purchase_id: &str,
    inquiry_id: &str,
    request_id: Option<&str>,
    kind: &str,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<()> {
    let cancelled =
        query("UPDATE purchases SET status = 'cancelled', cancelled_at = $1 WHERE id = $2 AND status = 'paid'")
            .bind(millis(now))
            .bind(purchase_id)
            .execute(db)
            .await?;
    if cancelled != 1 {
        return Err(StoreError::Conflict { what: "purchase".to_owned() });
    }
    query(
        "INSERT INTO purchase_cancellations (purchase_id, inquiry_id, request_id, kind, actor_user_id, \
         actor_label, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(purchase_id)
    .bind(inquiry_id)
    .bind(request_id)
    .bind(kind)
    .bind(acting.actor.user_id.as_ref().map(|u| u.0.clone()))
    .bind(acting.actor.label.clone())
    .bind(millis(now))
    .execute(db)
    .await?;
    Ok(())
}

/// R5: marks every inquiry naming the purchase as settled (its purchase needs no
/// cancelling any more), so that the sweep's index forgets them.
pub(crate) async fn settle_inquiries(db: &mut dyn Db, purchase_id: &str, now: Timestamp) -> StoreResult<()> {
    query("UPDATE inquiries SET refund_settled_at = $1 WHERE purchase_id = $2 AND refund_settled_at IS NULL")
        .bind(millis(now))
        .bind(purchase_id)
        .execute(db)
        .await?;
    Ok(())
}

/// R9: the inquiry and the request describe the same refund: the request names
/// the inquiry, and the inquiry the purchase, its app and its buyer.
pub(crate) fn check_off_store(
    inquiry: &NewInquiry,
    request: &NewCancellationRequest,
    purchase: &PurchaseView,
) -> StoreResult<()> {
    let invalid = |field: &str, expected: &str| {
        Err(StoreError::Invalid(ValidationErrors(vec![FieldError::new(field, "mismatch", expected)])))
    };
    if request.inquiry_id != inquiry.id {
        return invalid("inquiry_id", "the id of the inquiry filed with the request");
    }
    if inquiry.purchase_id.as_ref() != Some(&request.purchase_id) {
        return invalid("purchase_id", "the purchase the inquiry names");
    }
    if purchase.purchase.customer_id != inquiry.customer_id || purchase.purchase.app_id != inquiry.app_id {
        return invalid("purchase_id", "a purchase of the inquiry's app by its customer");
    }
    Ok(())
}

pub(crate) async fn submit_cancellation_request(
    db: &mut dyn Db,
    request: &NewCancellationRequest,
    mails: &[OutgoingMail],
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<SubmitOutcome> {
    let Some(purchase) = lock_purchase(db, &request.purchase_id.0).await? else {
        return Err(StoreError::NotFound);
    };
    let inquiry: Option<(String,)> =
        query("SELECT id FROM inquiries WHERE id = $1").bind(&request.inquiry_id.0).fetch_optional(db).await?;
    if inquiry.is_none() {
        return Err(StoreError::NotFound);
    }
    // Under the purchase's lock only one submission for it runs at a time; the
    // loop covers a unique index that still refuses the insert (another
    // purchase's request with the same key, or an engine without the lock),
    // by reading again what holds it.
    for _ in 0..3 {
        if let Some(answer) = replay(db, request).await? {
            return Ok(answer);
        }
        if let Err(refusal) = refund::cancellable(&purchase.purchase) {
            return Ok(SubmitOutcome::Refused(refusal));
        }
        if let Some(open) = open_request_of(db, &request.purchase_id.0).await? {
            return Ok(SubmitOutcome::Existing(open));
        }
        if insert_request(db, request, &purchase.seller_id.0, now).await? {
            write_audit(db, &submitted(acting, request), now).await?;
            give_the_store_the_turn(db, &request.purchase_id.0, &request.inquiry_id.0, &request.id.0, acting, now)
                .await?;
            if let Some(message) = &request.message_to_customer {
                post_to_customer(db, &request.inquiry_id, message, acting, now).await?;
            }
            queue_mails(db, mails, now).await?;
            let created = fetch_request(db, &request.id.0).await?.ok_or(StoreError::NotFound)?;
            return Ok(SubmitOutcome::Created(created));
        }
    }
    Err(StoreError::Conflict { what: "cancellation_request".to_owned() })
}

pub(crate) async fn file_off_store_request(
    db: &mut dyn Db,
    inquiry: &NewInquiry,
    request: &NewCancellationRequest,
    mails: &[OutgoingMail],
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<OffStoreOutcome> {
    let Some(purchase) = lock_purchase(db, &request.purchase_id.0).await? else {
        return Err(StoreError::NotFound);
    };
    check_off_store(inquiry, request, &purchase)?;
    if let Err(refusal) = refund::cancellable(&purchase.purchase) {
        return Ok(OffStoreOutcome::Refused(refusal));
    }
    if let Some(open) = open_request_of(db, &request.purchase_id.0).await? {
        return Ok(OffStoreOutcome::Existing(open));
    }
    // R9: the developer's record of the customer's request is the first
    // message, so the thread starts answered: the customer's turn.
    let state = ThreadState::opened(now)
        .after(Event::Message(Side::Developer), now)
        .map_err(|e| StoreError::Corrupt(format!("an off-store record refused: {e}")))?;
    insert_inquiry(db, inquiry, &state, Some(now), now).await?;
    if !insert_request(db, request, &purchase.seller_id.0, now).await? {
        // Another request holds a unique index (the lock makes this a
        // reused key or id): nothing is filed.
        return Err(StoreError::Conflict { what: "cancellation_request".to_owned() });
    }
    let detail = serde_json::json!({
        "app_id": inquiry.app_id.0,
        "category": inquiry.category.as_str(),
        "purchase_id": request.purchase_id.0,
        "request_id": request.id.0,
        "channel": inquiry.channel.as_str(),
        "consent_personal_info": inquiry.consent_personal_info,
        "message_id": inquiry.first_message.id.0,
        "status": state.status.as_str(),
    });
    let filed = entry(acting, "inquiry.filed_off_store", "inquiry", &inquiry.id.0, detail);
    write_audit(db, &filed, now).await?;
    write_audit(db, &submitted(acting, request), now).await?;
    if inquiry.consent_personal_info {
        // R7/R9: the developer, not the customer, said yes; the customer is told.
        query("UPDATE inquiries SET consent_recorded_by = $1 WHERE id = $2")
            .bind(&request.requested_by.0)
            .bind(&inquiry.id.0)
            .execute(db)
            .await?;
    }
    give_the_store_the_turn(db, &request.purchase_id.0, &inquiry.id.0, &request.id.0, acting, now).await?;
    queue_mails(db, mails, now).await?;
    let written = fetch_inquiry(db, &inquiry.id.0).await?.ok_or(StoreError::NotFound)?;
    let created = fetch_request(db, &request.id.0).await?.ok_or(StoreError::NotFound)?;
    Ok(OffStoreOutcome::Filed { inquiry: Box::new(written), request: Box::new(created) })
}

/// R17: the developer's message to the customer, filed with the request, joins the
/// thread as their message (the request's mail quotes it; no second mail).
async fn post_to_customer(
    db: &mut dyn Db,
    inquiry: &InquiryId,
    message: &NewMessage,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<()> {
    match add_message(db, inquiry, message, &[], acting, now).await? {
        MessageOutcome::Added { .. } => Ok(()),
        MessageOutcome::Refused(refused) => {
            Err(StoreError::Corrupt(format!("the store's turn refused a message: {refused}")))
        }
    }
}

pub(crate) async fn cancellation_request(
    db: &mut dyn Db,
    id: &CancellationRequestId,
) -> StoreResult<Option<CancellationRequest>> {
    fetch_request(db, &id.0).await
}

pub(crate) async fn cancellation_requests(
    db: &mut dyn Db,
    query: &RequestQuery,
    page: &PageRequest,
) -> StoreResult<Page<CancellationRequest>> {
    let (key, id) = rows::start_of_ascending(page.after.as_ref());
    let mut sql = SqlBuilder::new(concat!(request_select!(), "WHERE (r.created_at, r.id) > ("));
    sql.push_bind(key).push(", ").push_bind(id).push(")");
    if let RequestScope::Seller(seller) = &query.scope {
        sql.push(" AND r.seller_id = ").push_bind(seller.0.clone());
    }
    if let Some(status) = query.status {
        sql.push(" AND r.status = ").push_bind(status.as_str());
    }
    sql.push(" ORDER BY r.created_at, r.id LIMIT ").push_bind(page.fetch_limit());
    let rows: Vec<RequestRow> = sql.build().fetch_all(db).await?;
    Ok(Page::from_rows(rows::convert(rows)?, page, rows::request_cursor))
}

pub(crate) async fn requests_of_inquiry(db: &mut dyn Db, inquiry: &InquiryId) -> StoreResult<Vec<CancellationRequest>> {
    let rows: Vec<RequestRow> = query(concat!(
        request_select!(),
        "WHERE r.inquiry_id = $1 OR r.purchase_id = (SELECT q2.purchase_id FROM inquiries q2 WHERE q2.id = $1) \
             ORDER BY r.created_at, r.id"
    ))
    .bind(&inquiry.0)
    .fetch_all(db)
    .await?;
    rows::convert(rows)
}

pub(crate) async fn decide_cancellation_request(
    db: &mut dyn Db,
    id: &CancellationRequestId,
    decision: &Decision,
    mails: &[OutgoingMail],
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<DecideOutcome> {
    // The request's purchase never changes: read it first, to lock the
    // purchase before the request (the lock order above).
    let named: Option<(String,)> =
        query("SELECT purchase_id FROM cancellation_requests WHERE id = $1").bind(&id.0).fetch_optional(db).await?;
    let Some((purchase_id,)) = named else { return Err(StoreError::NotFound) };
    let Some(purchase) = lock_purchase(db, &purchase_id).await? else {
        return Err(StoreError::NotFound);
    };
    let locked: Option<(String, String)> =
        query("UPDATE cancellation_requests SET status = status WHERE id = $1 RETURNING status, inquiry_id")
            .bind(&id.0)
            .fetch_optional(db)
            .await?;
    let Some((status, inquiry_id)) = locked else { return Err(StoreError::NotFound) };
    let status =
        RequestStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("request status {status:?}")))?;
    let next = match refund::decide(status, decision) {
        Err(refusal) => {
            return Ok(DecideOutcome::Refused(refusal));
        }
        Ok(DecisionEffect::AlreadyDone) => {
            let done = fetch_request(db, &id.0).await?.ok_or(StoreError::NotFound)?;
            return Ok(DecideOutcome::AlreadyDone(done));
        }
        Ok(DecisionEffect::Decide(next)) => next,
    };
    let note = match decision {
        Decision::Reject { reason } => Some(reason.clone()),
        Decision::Approve => None,
    };
    query(
        "UPDATE cancellation_requests SET status = $1, decided_by = $2, decided_by_label = $3, \
         decided_at = $4, decision_note = $5 WHERE id = $6",
    )
    .bind(next.as_str())
    .bind(acting.actor.user_id.as_ref().map(|u| u.0.clone()))
    .bind(acting.actor.label.clone())
    .bind(millis(now))
    .bind(note.clone())
    .bind(&id.0)
    .execute(db)
    .await?;
    let action = match next {
        RequestStatus::Rejected => "cancellation_request.rejected",
        _ => "cancellation_request.approved",
    };
    let detail = serde_json::json!({
        "inquiry_id": inquiry_id,
        "purchase_id": purchase_id,
        "reason_chars": note.as_ref().map(|n| n.chars().count()),
        "mails_queued": mails.len(),
    });
    write_audit(db, &entry(acting, action, "cancellation_request", &id.0, detail), now).await?;
    if next == RequestStatus::Approved {
        // Cancelled already by another path (which settled the inquiries):
        // the approval stands and cancels nothing twice.
        if purchase.purchase.status == PurchaseStatus::Paid {
            let kind = "request_approved";
            cancel_purchase(db, &purchase_id, &inquiry_id, Some(&id.0), kind, acting, now).await?;
            let detail = serde_json::json!({
                "inquiry_id": inquiry_id,
                "request_id": id.0,
                "kind": "request_approved",
            });
            let cancelled = entry(acting, "purchase.cancelled", "purchase", &purchase_id, detail);
            write_audit(db, &cancelled, now).await?;
        }
        settle_inquiries(db, &purchase_id, now).await?;
    }
    end_the_store_turn(db, &purchase_id, &inquiry_id, Some(&id.0), acting, now).await?;
    queue_mails(db, mails, now).await?;
    let decided = fetch_request(db, &id.0).await?.ok_or(StoreError::NotFound)?;
    Ok(DecideOutcome::Decided(decided))
}

pub(crate) async fn cancel_on_behalf(
    db: &mut dyn Db,
    inquiry: &InquiryId,
    overdue_cutoff: Timestamp,
    mails: &[OutgoingMail],
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<OnBehalfOutcome> {
    // The inquiry's purchase never changes: read it first, to lock the
    // purchase before the inquiry (the lock order above).
    let named: Option<(Option<String>,)> =
        query("SELECT purchase_id FROM inquiries WHERE id = $1").bind(&inquiry.0).fetch_optional(db).await?;
    let Some((named,)) = named else { return Err(StoreError::NotFound) };
    let purchase = match &named {
        Some(id) => Some(lock_purchase(db, id).await?.ok_or(StoreError::NotFound)?),
        None => None,
    };
    let locked: Option<(Option<i64>, Option<String>)> = query(
        "UPDATE inquiries SET message_count = message_count WHERE id = $1 \
         RETURNING awaiting_since, purchase_id",
    )
    .bind(&inquiry.0)
    .fetch_optional(db)
    .await?;
    let Some((awaiting_since, purchase_id)) = locked else { return Err(StoreError::NotFound) };
    if purchase_id != named {
        return Err(StoreError::Conflict { what: "purchase_id".to_owned() });
    }
    // Cancelled already (which settled its inquiries and, R17, answered them): say so,
    // whether or not the thread is still overdue.
    if purchase.as_ref().is_some_and(|p| p.purchase.status == PurchaseStatus::Cancelled) {
        return Ok(OnBehalfOutcome::Refused(CancelRefusal::AlreadyCancelled));
    }
    // R5: overdue means waiting since before the cut-off, as the overdue list
    // and the sweep's index read it.
    let Some(waited_since) = awaiting_since.filter(|since| *since < millis(overdue_cutoff)) else {
        return Ok(OnBehalfOutcome::Refused(CancelRefusal::NotOverdue));
    };
    let (Some(purchase), Some(purchase_id)) = (purchase, purchase_id) else {
        return Ok(OnBehalfOutcome::Refused(CancelRefusal::NoPurchase));
    };
    if let Err(refusal) = refund::cancellable(&purchase.purchase) {
        // Nothing to cancel, now or later: settled, so the sweep forgets it.
        let settled = query("UPDATE inquiries SET refund_settled_at = $1 WHERE id = $2 AND refund_settled_at IS NULL")
            .bind(millis(now))
            .bind(&inquiry.0)
            .execute(db)
            .await?;
        if settled > 0 {
            let detail = serde_json::json!({ "purchase_id": purchase_id, "refusal": refusal.code() });
            let record = entry(acting, "inquiry.refund_settled", "inquiry", &inquiry.0, detail);
            write_audit(db, &record, now).await?;
        }
        return Ok(OnBehalfOutcome::Refused(refusal));
    }
    // An open request on the purchase is approved with the cancellation.
    let approved: Option<(String, String)> = query(
        "UPDATE cancellation_requests SET status = 'approved', decided_by = $1, decided_by_label = $2, \
         decided_at = $3, decision_note = $4 WHERE purchase_id = $5 AND status = 'open' \
         RETURNING id, inquiry_id",
    )
    .bind(acting.actor.user_id.as_ref().map(|u| u.0.clone()))
    .bind(acting.actor.label.clone())
    .bind(millis(now))
    .bind(ON_BEHALF_NOTE)
    .bind(&purchase_id)
    .fetch_optional(db)
    .await?;
    let request_id = approved.as_ref().map(|(id, _)| id.as_str());
    cancel_purchase(db, &purchase_id, &inquiry.0, request_id, "on_behalf", acting, now).await?;
    settle_inquiries(db, &purchase_id, now).await?;
    if let Some((request_id, request_inquiry)) = &approved {
        let detail = serde_json::json!({
            "inquiry_id": request_inquiry,
            "purchase_id": purchase_id,
            "on_behalf_of_inquiry": inquiry.0,
        });
        let approval = entry(acting, "cancellation_request.approved", "cancellation_request", request_id, detail);
        write_audit(db, &approval, now).await?;
    }
    let detail = serde_json::json!({
        "inquiry_id": inquiry.0,
        "request_id": request_id,
        "waited_since": rows::timestamp(waited_since)?.to_string(),
        "overdue_cutoff": overdue_cutoff.to_string(),
        "mails_queued": mails.len(),
    });
    let on_behalf = entry(acting, "purchase.cancelled_on_behalf", "purchase", &purchase_id, detail);
    write_audit(db, &on_behalf, now).await?;
    answer_for_the_developer(db, &inquiry.0, acting, now).await?;
    let request_inquiry = approved.as_ref().map_or(inquiry.0.as_str(), |(_, of)| of.as_str());
    end_the_store_turn(db, &purchase_id, request_inquiry, request_id, acting, now).await?;
    queue_mails(db, mails, now).await?;
    let updated = fetch_inquiry(db, &inquiry.0).await?.ok_or(StoreError::NotFound)?;
    let cancelled = fetch_purchase(db, &purchase_id).await?.ok_or(StoreError::NotFound)?;
    Ok(OnBehalfOutcome::Cancelled { inquiry: Box::new(updated), purchase: Box::new(cancelled) })
}
