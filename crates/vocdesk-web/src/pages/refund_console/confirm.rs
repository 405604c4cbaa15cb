//! Issue 12 item 5: "an action that moves money asks for confirmation". Approving a
//! cancellation request (R8) and cancelling on the developer's behalf (R5) each have a
//! confirmation page, reached by a link from their queue (a `GET` that changes nothing)
//! or by a `POST` of the action without its `confirm=yes`: it names the purchase (app
//! and item, customer, amount with its currency, purchase date, and for a request the
//! developer's reason) and offers one form, with CSRF, whose button says how much is
//! refunded, and "Back". Without JavaScript. When nothing can be cancelled any more
//! (decided, already cancelled, free, not overdue, no purchase named) it says why
//! (409) and offers no form.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use serde::Deserialize;
use vocdesk_domain::ids::{CancellationRequestId, InquiryId};
use vocdesk_domain::policy;
use vocdesk_domain::purchase::PurchaseView;

use super::{OVERDUE, OverdueParams, QUEUE, QueueParams, refusal_message};
use crate::pages::context::PageCtx;
use crate::pages::inquiries::due_view;
use crate::pages::{PageResult, query};
use crate::state::AppState;
use vocdesk_app::AppError;
use vocdesk_app::refunds as cases;

/// The value of the confirmation form's `confirm` field.
pub(super) const YES: &str = "yes";

/// What is about to be cancelled, as the operator checks it before saying yes.
pub struct ConfirmFacts {
    /// "app" or "app · item".
    pub product: String,
    /// Who bought it.
    pub customer_name: String,
    /// Whose app it is.
    pub seller_name: String,
    /// The amount refunded, with its currency (`₩1,200`).
    pub amount: String,
    /// When it was bought.
    pub purchased_at: String,
    /// R8: why the developer agreed to refund (requests only).
    pub reason: Option<String>,
    /// R5: how long past the limit the customer has waited (on the developer's behalf only).
    pub overdue: Option<String>,
    /// The inquiry, for a link to its thread.
    pub inquiry_id: String,
    /// Its subject.
    pub inquiry_subject: String,
}

#[derive(Template)]
#[template(path = "console_confirm.html")]
struct ConfirmPage {
    ctx: PageCtx,
    /// `approve` or `on_behalf`, for the page's class.
    kind: &'static str,
    title: String,
    /// What happens, in a sentence.
    lead: String,
    /// Why nothing can be cancelled, when that is so (no form then).
    refused: Option<String>,
    facts: Option<ConfirmFacts>,
    /// The action's address.
    action: String,
    /// The queue's filters, handed back to the action: `(name, value)`.
    hidden: Vec<(&'static str, String)>,
    /// "Yes, cancel and refund ₩1,200".
    submit: String,
    /// The queue the operator came from.
    back: String,
}

/// The queue's filters as a confirmation link carries them.
#[derive(Debug, Deserialize)]
struct ConfirmQuery {
    status: Option<String>,
    #[serde(default)]
    seller_id: String,
    cursor: Option<String>,
}

fn product(view: &PurchaseView) -> String {
    view.product_name()
}

fn amount(view: &PurchaseView) -> String {
    view.purchase.amount.display()
}

fn back_to(base: &str, query: &str) -> String {
    if query.is_empty() { base.to_owned() } else { format!("{base}?{query}") }
}

/// The page, as 200 with its form or 409 with the refusal.
fn answer(page: ConfirmPage) -> PageResult {
    let status = if page.refused.is_some() { StatusCode::CONFLICT } else { StatusCode::OK };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /operator/cancellation-requests/{id}/approve`: the confirmation page.
pub(super) async fn approve_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    uri: axum::http::Uri,
) -> PageResult {
    ctx.authorize(policy::decide_cancellation)?;
    let q: ConfirmQuery = query(&uri)?;
    let params = QueueParams { status: q.status, seller_id: q.seller_id, cursor: q.cursor };
    approval(&state, ctx, CancellationRequestId(id), &params).await
}

/// R8: the confirmation page of approving a request (the caller authorized).
pub(super) async fn approval(
    state: &AppState,
    ctx: PageCtx,
    id: CancellationRequestId,
    params: &QueueParams,
) -> PageResult {
    let session = ctx.authorize(policy::decide_cancellation)?;
    let i18n = ctx.i18n;
    // A tampered filter is refused before anything is shown.
    let status = params.status()?.map(|s| s.as_str()).unwrap_or_default().to_owned();
    let back = back_to(QUEUE, &params.with_cursor()?);
    let (facts, refused, submit) = match cases::approval_preview(state.app(), &session.actor, &id).await {
        Ok((request, purchase)) => {
            let facts = ConfirmFacts {
                product: product(&purchase),
                customer_name: request.customer_name.clone(),
                seller_name: request.seller_name.clone(),
                amount: amount(&purchase),
                purchased_at: i18n.datetime(&purchase.purchase.purchased_at),
                reason: Some(request.reason.clone()),
                overdue: None,
                inquiry_id: request.inquiry_id.0.clone(),
                inquiry_subject: request.inquiry_subject.clone(),
            };
            (Some(facts), None, i18n.with("console-confirm-submit", &amount(&purchase)))
        }
        Err(AppError::Refused(refusal)) => (None, Some(refusal_message(&i18n, refusal)), String::new()),
        Err(other) => return Err(other.into()),
    };
    let mut hidden = vec![("status", status)];
    hidden.extend(filters(&params.seller_id, params.cursor.as_deref()));
    answer(ConfirmPage {
        kind: "approve",
        title: i18n.t("console-confirm-approve-title"),
        lead: i18n.t("console-confirm-approve-lead"),
        refused,
        facts,
        action: format!("{QUEUE}/{}/approve", crate::pages::context::percent_encode(&id.0)),
        hidden,
        submit,
        back,
        ctx,
    })
}

/// `GET /operator/inquiries/{id}/cancel-purchase`: the confirmation page.
pub(super) async fn cancel_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    uri: axum::http::Uri,
) -> PageResult {
    ctx.authorize(policy::cancel_on_behalf)?;
    let q: ConfirmQuery = query(&uri)?;
    let params = OverdueParams { seller_id: q.seller_id, cursor: q.cursor };
    on_behalf(&state, ctx, InquiryId(id), &params).await
}

/// R5: the confirmation page of cancelling on the developer's behalf (the caller
/// authorized): offered only for an overdue inquiry naming a paid purchase that cost
/// money.
pub(super) async fn on_behalf(state: &AppState, ctx: PageCtx, id: InquiryId, params: &OverdueParams) -> PageResult {
    let session = ctx.authorize(policy::cancel_on_behalf)?;
    let i18n = ctx.i18n;
    let (facts, refused, submit) = match cases::on_behalf_preview(state.app(), &session.actor, &id).await {
        Ok((inquiry, purchase)) => {
            let facts = ConfirmFacts {
                product: product(&purchase),
                customer_name: inquiry.customer_name.clone(),
                seller_name: inquiry.seller_name.clone(),
                amount: amount(&purchase),
                purchased_at: i18n.datetime(&purchase.purchase.purchased_at),
                reason: None,
                overdue: due_view(state, &i18n, &inquiry).map(|due| due.text),
                inquiry_id: inquiry.id.0.clone(),
                inquiry_subject: inquiry.subject.clone(),
            };
            (Some(facts), None, i18n.with("console-confirm-submit", &amount(&purchase)))
        }
        Err(AppError::Refused(refusal)) => (None, Some(refusal_message(&i18n, refusal)), String::new()),
        Err(other) => return Err(other.into()),
    };
    answer(ConfirmPage {
        kind: "on_behalf",
        title: i18n.t("console-confirm-on-behalf-title"),
        lead: i18n.t("console-confirm-on-behalf-lead"),
        refused,
        facts,
        action: format!("/operator/inquiries/{}/cancel-purchase", crate::pages::context::percent_encode(&id.0)),
        hidden: filters(&params.seller_id, params.cursor.as_deref()),
        submit,
        back: back_to(OVERDUE, &params.with_cursor()),
        ctx,
    })
}

/// The seller filter and the cursor as hidden fields (the status is the queue's own).
fn filters(seller_id: &str, cursor: Option<&str>) -> Vec<(&'static str, String)> {
    let mut hidden = vec![("seller_id", seller_id.trim().to_owned())];
    if let Some(cursor) = cursor.filter(|c| !c.is_empty()) {
        hidden.push(("cursor", cursor.to_owned()));
    }
    hidden
}

#[cfg(test)]
mod tests {
    use crate::i18n::I18n;
    use vocdesk_domain::locale::Locale;

    #[test]
    fn item5_the_confirmation_words_are_in_both_languages() {
        for locale in [Locale::Ko, Locale::En] {
            let i18n = I18n { locale };
            for key in [
                "console-confirm-approve-title",
                "console-confirm-approve-lead",
                "console-confirm-on-behalf-title",
                "console-confirm-on-behalf-lead",
                "console-confirm-back",
            ] {
                assert_ne!(i18n.t(key), key, "{key} in {locale:?}");
            }
            assert!(i18n.with("console-confirm-submit", "₩1,200").contains("₩1,200"));
        }
    }
}
