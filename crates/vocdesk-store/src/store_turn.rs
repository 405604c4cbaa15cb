//! R17, the store's turn: filing a cancellation request answers the customer and hands
//! the thread to the store (`awaiting_store`), which stops the developer's R5 clock; the
//! decision hands it back, to the customer (or to the developer, when the customer wrote
//! while the store had the turn). Every inquiry about the purchase moves with it, so that
//! no thread about a refund the store holds keeps counting against the developer.
//!
//! The caller holds the purchase's row lock; each inquiry is locked here, in id order.

use jiff::Timestamp;
use vocdesk_domain::inquiry::{Event, InquiryStatus, ThreadState};

use crate::audit::{entry, write_audit};
use crate::db::{Db, query};
use crate::inquiries::{lock_inquiry, save_state};
use crate::rows::millis;
use crate::{Acting, StoreError, StoreResult};

/// R17: the request `request_id` on `purchase_id` was filed from `inquiry_id`: that
/// inquiry (even closed: the customer must be able to follow their refund) and every
/// other open inquiry naming the purchase now wait on the store. Filing counts as the
/// developer's first answer.
pub(crate) async fn give_the_store_the_turn(
    db: &mut dyn Db,
    purchase_id: &str,
    inquiry_id: &str,
    request_id: &str,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<()> {
    let about: Vec<(String, String)> = query(
        "SELECT id, status FROM inquiries WHERE id = $1 OR (purchase_id = $2 AND status <> 'closed') ORDER BY id",
    )
    .bind(inquiry_id)
    .bind(purchase_id)
    .fetch_all(db)
    .await?;
    for (id, _) in about {
        let Some((before, count, first_response)) = lock_inquiry(db, &id).await? else { continue };
        let after = turn(before, Event::StoreAsked, now)?;
        if after == before {
            continue;
        }
        let first_response = if id == inquiry_id { first_response.or(Some(millis(now))) } else { first_response };
        save_state(db, &id, &after, count, first_response, now).await?;
        let detail = serde_json::json!({
            "request_id": request_id,
            "purchase_id": purchase_id,
            "from": before.status.as_str(),
            "to": after.status.as_str(),
        });
        write_audit(db, &entry(acting, "inquiry.awaiting_store", "inquiry", &id, detail), now).await?;
    }
    Ok(())
}

/// R17: a request on `purchase_id` (filed from `inquiry_id`) was decided, or the store
/// cancelled the purchase: each inquiry about it that waits on the store, and has no
/// other open request, goes back to the customer, or to the developer when the
/// customer's message since the store got the turn is still unanswered.
pub(crate) async fn end_the_store_turn(
    db: &mut dyn Db,
    purchase_id: &str,
    inquiry_id: &str,
    request_id: Option<&str>,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<()> {
    let waiting: Vec<(String,)> =
        query("SELECT id FROM inquiries WHERE (id = $1 OR purchase_id = $2) AND status = 'awaiting_store' ORDER BY id")
            .bind(inquiry_id)
            .bind(purchase_id)
            .fetch_all(db)
            .await?;
    for (id,) in waiting {
        let Some((before, count, first_response)) = lock_inquiry(db, &id).await? else { continue };
        if before.status != InquiryStatus::AwaitingStore || still_with_the_store(db, &id).await? {
            continue;
        }
        let customer_waiting = customer_wrote_since_asked(db, &id).await?;
        let after = turn(before, Event::StoreAnswered { customer_waiting }, now)?;
        save_state(db, &id, &after, count, first_response, now).await?;
        let detail = serde_json::json!({
            "request_id": request_id,
            "purchase_id": purchase_id,
            "from": before.status.as_str(),
            "to": after.status.as_str(),
        });
        write_audit(db, &entry(acting, "inquiry.store_answered", "inquiry", &id, detail), now).await?;
    }
    Ok(())
}

/// R5 and R17: the store cancelled an overdue inquiry's purchase on the developer's
/// behalf; that answers the customer's refund, so the thread is theirs again (unless the
/// store still holds another request about it).
pub(crate) async fn answer_for_the_developer(
    db: &mut dyn Db,
    inquiry_id: &str,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<()> {
    let Some((before, count, first_response)) = lock_inquiry(db, inquiry_id).await? else {
        return Err(StoreError::NotFound);
    };
    if before.status != InquiryStatus::AwaitingDeveloper {
        return Ok(());
    }
    let after = turn(before, Event::StoreAnswered { customer_waiting: false }, now)?;
    save_state(db, inquiry_id, &after, count, first_response, now).await?;
    let detail = serde_json::json!({ "from": before.status.as_str(), "to": after.status.as_str(), "on_behalf": true });
    write_audit(db, &entry(acting, "inquiry.store_answered", "inquiry", inquiry_id, detail), now).await
}

fn turn(before: ThreadState, event: Event, now: Timestamp) -> StoreResult<ThreadState> {
    before.after(event, now).map_err(|e| StoreError::Corrupt(format!("the store's turn refused: {e}")))
}

/// Whether a request about the inquiry (filed from it, or on the purchase it names) is
/// still open.
async fn still_with_the_store(db: &mut dyn Db, inquiry_id: &str) -> StoreResult<bool> {
    let open: Option<(String,)> = query(
        "SELECT r.id FROM cancellation_requests r WHERE r.status = 'open' AND (r.inquiry_id = $1 \
         OR r.purchase_id = (SELECT q.purchase_id FROM inquiries q WHERE q.id = $1)) LIMIT 1",
    )
    .bind(inquiry_id)
    .fetch_optional(db)
    .await?;
    Ok(open.is_some())
}

/// Whether the thread's last message is the customer's, written after the store got
/// the turn (its message count then is kept in `store_asked_seq`).
async fn customer_wrote_since_asked(db: &mut dyn Db, inquiry_id: &str) -> StoreResult<bool> {
    let last: Option<(String,)> = query(
        "SELECT m.side FROM inquiry_messages m JOIN inquiries q ON q.id = m.inquiry_id \
         WHERE m.inquiry_id = $1 AND m.seq > q.store_asked_seq ORDER BY m.seq DESC LIMIT 1",
    )
    .bind(inquiry_id)
    .fetch_optional(db)
    .await?;
    Ok(last.is_some_and(|(side,)| side == "customer"))
}
