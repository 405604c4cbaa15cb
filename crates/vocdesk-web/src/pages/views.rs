//! What templates show, prepared in Rust: money and times formatted for the visitor's
//! language, so templates stay free of logic.

use vocdesk_domain::catalog::App;
use vocdesk_domain::inquiry::InquiryStatus;
use vocdesk_domain::purchase::{PurchaseStanding, PurchaseStatus};

use crate::i18n::I18n;

/// An app as cards and the app page show it (the app page adds its star histogram).
pub struct AppCard {
    pub id: String,
    pub title: String,
    pub seller_name: String,
    pub summary: String,
    pub price: String,
    pub rating_average: Option<String>,
    pub rating_count: String,
}

impl AppCard {
    pub fn new(app: &App, i18n: &I18n) -> Self {
        Self {
            id: app.id.0.clone(),
            title: app.title.clone(),
            seller_name: app.seller_name.clone(),
            summary: app.summary.clone(),
            price: app.price.as_ref().map(|p| p.display()).unwrap_or_else(|| i18n.t("app-free")),
            rating_average: app.rating.average().map(|a| format!("{a:.1}")),
            rating_count: i18n.count("rating-count", app.rating.count),
        }
    }
}

/// What stands open about a purchase on My page, linked to where the customer reads it:
/// an inquiry (its subject) or a cancellation request (its thread), with its status.
pub struct CaseLink {
    /// The thread.
    pub href: String,
    /// The inquiry's subject, or what the request is.
    pub text: String,
    /// The status word, for the badge's class.
    pub status: &'static str,
    /// The status in the customer's words.
    pub status_label: String,
}

/// Issue 12 item 4: an inquiry's status in the customer's words, for My page. Every
/// status has its own arm and catalog entry (`my-inquiry-status-…` in both catalogs),
/// so that a new one (R17's `awaiting_store`) cannot be shown without its words.
pub fn customer_status_key(status: InquiryStatus) -> &'static str {
    match status {
        InquiryStatus::AwaitingDeveloper => "my-inquiry-status-awaiting_developer",
        InquiryStatus::AwaitingCustomer => "my-inquiry-status-awaiting_customer",
        InquiryStatus::AwaitingStore => "my-inquiry-status-awaiting_store",
        InquiryStatus::Closed => "my-inquiry-status-closed",
    }
}

/// A row of My page's purchase history (issue 12 item 4): the purchase, what stands
/// open about it, and only the links that make sense for it.
pub struct PurchaseRow {
    pub id: String,
    pub app_id: String,
    pub product: String,
    pub purchased_at: String,
    pub amount: String,
    pub status: String,
    pub cancelled: bool,
    /// "Cancelled on DATE, refunded", for a cancelled purchase.
    pub cancelled_note: Option<String>,
    pub tid: String,
    /// The inquiry the customer is having about it.
    pub inquiry: Option<CaseLink>,
    /// The newest request to cancel it (R8).
    pub request: Option<CaseLink>,
    /// "Ask a question": the form with the purchase chosen.
    pub ask_href: String,
    /// "Request a refund": the form with the purchase and the `refund` category chosen;
    /// only for a paid purchase that cost money and has no request waiting.
    pub refund_href: Option<String>,
}

impl PurchaseRow {
    pub fn new(standing: &PurchaseStanding, i18n: &I18n) -> Self {
        let view = &standing.view;
        let p = &view.purchase;
        let product = match &view.item_title {
            Some(item) => format!("{} · {item}", view.app_title),
            None => view.app_title.clone(),
        };
        let cancelled = p.status == PurchaseStatus::Cancelled;
        let form = format!("/apps/{}/inquiries/new", p.app_id.0);
        let inquiry = standing.open_inquiry.as_ref().map(|q| CaseLink {
            href: format!("/inquiries/{}", q.id.0),
            text: q.subject.clone(),
            status: q.status.as_str(),
            status_label: i18n.t(customer_status_key(q.status)),
        });
        let request = standing.request.as_ref().map(|r| CaseLink {
            href: format!("/inquiries/{}#cancellation-requests", r.inquiry_id.0),
            text: i18n.t("my-request"),
            status: r.status.as_str(),
            status_label: i18n.t(&format!("refund-request-status-{}", r.status.as_str())),
        });
        Self {
            id: p.id.0.clone(),
            app_id: p.app_id.0.clone(),
            product,
            purchased_at: i18n.datetime(&p.purchased_at),
            amount: if p.amount.amount_minor == 0 { i18n.t("app-free") } else { p.amount.display() },
            status: i18n.t(match p.status {
                PurchaseStatus::Paid => "status-paid",
                PurchaseStatus::Cancelled => "status-cancelled",
            }),
            cancelled,
            cancelled_note: cancelled.then(|| match &p.cancelled_at {
                Some(at) => i18n.with("my-cancelled-on", &i18n.datetime(at)),
                None => i18n.t("my-cancelled-refunded"),
            }),
            tid: p.payment.tid.clone(),
            inquiry,
            request,
            refund_href: standing
                .may_request_refund()
                .then(|| format!("{form}?category=refund&purchase_id={}", p.id.0)),
            ask_href: format!("{form}?purchase_id={}", p.id.0),
        }
    }
}
