//! What the operator console's pages show (R5, R8), prepared in Rust so that the
//! templates stay free of logic: times in the visitor's language, amounts and labels
//! (the audit log's rows are `audit.rs`'s).

use vocdesk_domain::inquiry::{Category, Inquiry};
use vocdesk_domain::purchase::{PurchaseStatus, PurchaseView};
use vocdesk_domain::refund::{self, AUTO_CANCEL_ACTOR, CancellationRequest, RequestStatus};

use super::inquiries::{DueView, category_label, channel_label};
use crate::i18n::I18n;

/// A message at the top of a console page: what the last form did, or why the store
/// refused it (`warn`).
pub struct Notice {
    /// The message, in the visitor's language.
    pub text: String,
    /// A refusal or a problem, shown in the warning colour.
    pub warn: bool,
}

impl Notice {
    /// A confirmation of what was done.
    pub fn done(text: String) -> Self {
        Self { text, warn: false }
    }

    /// Why nothing was done.
    pub fn refused(text: String) -> Self {
        Self { text, warn: true }
    }
}

/// "app" or "app · item": what was bought, as both queues name it.
fn product(app_title: &str, item_title: Option<&str>) -> String {
    match item_title {
        Some(item) => format!("{app_title} · {item}"),
        None => app_title.to_owned(),
    }
}

/// A purchase as a console row names it, so that an operator sees what a decision
/// would cancel before making it.
pub struct PurchaseCell {
    /// "app" or "app · item".
    pub product: String,
    /// The amount paid, or "free".
    pub amount: String,
    /// `paid` or `cancelled`, for the badge's class.
    pub status: &'static str,
    /// The status in words.
    pub status_label: String,
    /// R5/R8: paid and not free, so the store may still cancel it.
    pub cancellable: bool,
}

impl PurchaseCell {
    /// The cell of one purchase.
    pub fn new(view: &PurchaseView, i18n: &I18n) -> Self {
        let p = &view.purchase;
        let (status, key) = match p.status {
            PurchaseStatus::Paid => ("paid", "status-paid"),
            PurchaseStatus::Cancelled => ("cancelled", "status-cancelled"),
        };
        Self {
            product: product(&view.app_title, view.item_title.as_deref()),
            amount: if p.amount.amount_minor == 0 { i18n.t("app-free") } else { p.amount.display() },
            status,
            status_label: i18n.t(key),
            cancellable: refund::cancellable(p).is_ok(),
        }
    }
}

/// The words of a request status for operators (the parties' pages word them for
/// the people waiting on the store).
pub fn request_status_label(i18n: &I18n, status: RequestStatus) -> String {
    i18n.t(&format!("console-status-{}", status.as_str()))
}

/// R8: one request of the operator's queue, with what its decision forms need.
pub struct RequestRow {
    /// The request's id, for the forms' addresses.
    pub id: String,
    /// The inquiry the refund was agreed in (or filed as), for the thread link.
    pub inquiry_id: String,
    /// Its subject.
    pub inquiry_subject: String,
    /// The seller whose developer asked.
    pub seller_name: String,
    /// What was bought.
    pub product: String,
    /// Who bought it.
    pub customer_name: String,
    /// The purchase as it stands now (amount and status), when it could be read.
    pub purchase: Option<PurchaseCell>,
    /// The developer who submitted the request.
    pub requested_by: String,
    /// R2: store, API, email or phone.
    pub channel: String,
    /// Why the developer agreed to refund, as written (escaped by the template).
    pub reason: String,
    /// `open`, `approved` or `rejected`, for the badge's class.
    pub status: &'static str,
    /// The status in words.
    pub status_label: String,
    /// When it was submitted.
    pub created_at: String,
    /// R17: for an open request, how long the inquiry has waited on the store.
    pub waited: Option<String>,
    /// Who decided it: the operator's name, or the store's automatic policy.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<String>,
    /// The rejection's reason (or a note on an approval).
    pub decision_note: Option<String>,
    /// Only open requests take a decision.
    pub is_open: bool,
    /// The reject form's text when the page came back with a problem.
    pub reject_reason: String,
    /// The reject form's problem.
    pub reject_error: Option<String>,
}

impl RequestRow {
    /// The row of one request and its purchase (as read now).
    pub fn new(request: &CancellationRequest, purchase: Option<&PurchaseView>, i18n: &I18n) -> Self {
        let decided_by = match (&request.decided_by_name, request.status) {
            (_, RequestStatus::Open) => None,
            // The store itself (the `auto` policy), not a person.
            (Some(label), _) if label == AUTO_CANCEL_ACTOR || label.starts_with("policy:") => {
                Some(i18n.t("console-decided-by-policy"))
            }
            (Some(name), _) => Some(name.clone()),
            (None, _) => Some("-".to_owned()),
        };
        Self {
            id: request.id.0.clone(),
            inquiry_id: request.inquiry_id.0.clone(),
            inquiry_subject: request.inquiry_subject.clone(),
            seller_name: request.seller_name.clone(),
            product: product(&request.app_title, request.item_title.as_deref()),
            customer_name: request.customer_name.clone(),
            purchase: purchase.map(|p| PurchaseCell::new(p, i18n)),
            requested_by: request.requested_by_name.clone(),
            channel: channel_label(i18n, request.channel),
            reason: request.reason.clone(),
            status: request.status.as_str(),
            status_label: request_status_label(i18n, request.status),
            created_at: i18n.datetime(&request.created_at),
            waited: None,
            decided_by,
            decided_at: request.decided_at.as_ref().map(|at| i18n.datetime(at)),
            decision_note: request.decision_note.clone(),
            is_open: request.status == RequestStatus::Open,
            reject_reason: String::new(),
            reject_error: None,
        }
    }
}

/// R5: one inquiry of the overdue queue or of the "due within 24 hours" list.
pub struct WaitingRow {
    /// The inquiry's id, for the thread link and the cancel form.
    pub id: String,
    /// Its subject.
    pub subject: String,
    /// The app asked about.
    pub app_title: String,
    /// Its seller, whose developers owe the answer.
    pub seller_name: String,
    /// Who is waiting.
    pub customer_name: String,
    /// R1 category, in words.
    pub category: String,
    /// Refund inquiries are the ones the `auto` policy cancels for.
    pub is_refund: bool,
    /// Since when the customer's oldest unanswered message waits.
    pub waiting_since: String,
    /// "3일 4시간 초과" / "20 hours left".
    pub due_text: String,
    /// When the answer was (or is) due.
    pub due_at: String,
    /// The purchase the inquiry names, as it stands now.
    pub purchase: Option<PurchaseCell>,
    /// R5: overdue with a paid, non-free purchase: the "cancel on the developer's
    /// behalf" button is offered.
    pub can_cancel: bool,
}

impl WaitingRow {
    /// The row of one inquiry, its time to the limit and its purchase (as read now).
    pub fn new(inquiry: &Inquiry, due: Option<DueView>, purchase: Option<&PurchaseView>, i18n: &I18n) -> Self {
        let purchase = purchase.map(|p| PurchaseCell::new(p, i18n));
        let overdue = due.as_ref().is_some_and(|d| d.overdue);
        Self {
            id: inquiry.id.0.clone(),
            subject: inquiry.subject.clone(),
            app_title: inquiry.app_title.clone(),
            seller_name: inquiry.seller_name.clone(),
            customer_name: inquiry.customer_name.clone(),
            category: category_label(i18n, inquiry.category),
            is_refund: inquiry.category == Category::Refund,
            waiting_since: inquiry.awaiting_since.as_ref().map(|at| i18n.datetime(at)).unwrap_or_default(),
            due_text: due.as_ref().map(|d| d.text.clone()).unwrap_or_else(|| "-".to_owned()),
            due_at: due.map(|d| d.due_at).unwrap_or_default(),
            can_cancel: overdue && purchase.as_ref().is_some_and(|p| p.cancellable),
            purchase,
        }
    }
}
