//! The purchase ledger: recorded by operators or the payment system (idempotent on the
//! payment system's `tid`), read by the buyer and operators.

use vocdesk_domain::FieldError;
use vocdesk_domain::audit::AuditActor;
use vocdesk_domain::ids::PurchaseId;
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::policy;
use vocdesk_domain::purchase::{NewPurchase, PurchaseInput, PurchaseStanding, PurchaseView};
use vocdesk_domain::role::Actor;
use vocdesk_store::{RecordOutcome, Rejection};

use crate::caller::Caller;
use crate::context::App;
use crate::error::{AppError, AppResult};

/// Who bought, as the payment system names them: exactly one of the account id and the
/// customer number.
#[derive(Clone, Copy, Debug)]
pub struct Buyer<'a> {
    /// The customer's account id.
    pub customer_id: Option<&'a str>,
    /// The customer's number (R9).
    pub customer_no: Option<&'a str>,
}

/// What recording a purchase did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// A new purchase.
    Created(PurchaseView),
    /// The same `tid` with the same content was recorded before; this is it.
    AlreadyRecorded(PurchaseView),
}

/// Records one purchase from the payment system, idempotent on `tid`: a repeat with the
/// same content answers the same purchase, the same `tid` with different content is a
/// conflict. `input.customer_id` is ignored; the buyer is resolved from `buyer`.
pub async fn record(app: &App, caller: Caller<'_>, buyer: Buyer<'_>, input: &PurchaseInput<'_>) -> AppResult<Recorded> {
    policy::record_purchase(caller.actor)?;
    let customer_id = resolve_customer(app, buyer).await?;
    let purchase = NewPurchase::parse(&PurchaseInput { customer_id: &customer_id, ..*input })?;
    let actor = AuditActor::user(caller.user.id.clone(), caller.user.role);
    let mut outcomes = app.store().record_purchases(&[purchase], &actor, caller.channel, app.now()).await?;
    match outcomes.pop() {
        Some(RecordOutcome::Created(view)) => Ok(Recorded::Created(view)),
        Some(RecordOutcome::AlreadyRecorded(view)) => Ok(Recorded::AlreadyRecorded(view)),
        Some(RecordOutcome::Rejected(Rejection::Conflict { what })) => Err(AppError::Conflict { what }),
        Some(RecordOutcome::Rejected(Rejection::Invalid(errors))) => Err(AppError::Invalid(errors)),
        None => Err(AppError::internal("the store returned no outcome")),
    }
}

/// Exactly one of `customer_id` and `customer_no` names the buyer.
async fn resolve_customer(app: &App, buyer: Buyer<'_>) -> AppResult<String> {
    match (buyer.customer_id, buyer.customer_no) {
        (Some(id), None) => Ok(id.to_owned()),
        (None, Some(number)) => {
            let customer = app.store().customer_by_number(number.trim()).await?;
            customer.map(|c| c.id.0).ok_or_else(|| {
                FieldError::new("customer_no", "unknown_customer", "the number of an existing customer").into()
            })
        }
        _ => Err(FieldError::new("customer_id", "one_of", "exactly one of customer_id and customer_no").into()),
    }
}

/// One purchase: its buyer and operators only.
pub async fn read(app: &App, actor: &Actor, purchase_id: &PurchaseId) -> AppResult<PurchaseView> {
    let view = app.store().purchase(purchase_id).await?.ok_or(AppError::NotFound)?;
    policy::view_purchase(actor, &view)?;
    Ok(view)
}

/// The signed-in customer's purchase history, newest first.
pub async fn of_customer(app: &App, actor: &Actor, page: &PageRequest) -> AppResult<Page<PurchaseView>> {
    policy::list_own_purchases(actor)?;
    Ok(app.store().purchases_of_customer(&actor.user_id, page).await?)
}

/// Issue 12 item 4: the signed-in customer's purchases for My page, newest first, each
/// with the inquiry they are having about it and the newest request to cancel it, so
/// that the page offers only what makes sense for each (R1, R8).
pub async fn standings(app: &App, actor: &Actor, page: &PageRequest) -> AppResult<Page<PurchaseStanding>> {
    policy::list_own_purchases(actor)?;
    Ok(app.store().purchase_standings(&actor.user_id, page).await?)
}
