//! What templates show, prepared in Rust: money and times formatted for the visitor's
//! language, so templates stay free of logic.

use vocdesk_domain::catalog::App;
use vocdesk_domain::purchase::{PurchaseStatus, PurchaseView};

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

/// A row of the purchase history.
pub struct PurchaseRow {
    pub id: String,
    pub app_id: String,
    pub product: String,
    pub purchased_at: String,
    pub amount: String,
    pub status: String,
    pub cancelled: bool,
    pub tid: String,
}

impl PurchaseRow {
    pub fn new(view: &PurchaseView, i18n: &I18n) -> Self {
        let p = &view.purchase;
        let product = match &view.item_title {
            Some(item) => format!("{} · {item}", view.app_title),
            None => view.app_title.clone(),
        };
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
            cancelled: p.status == PurchaseStatus::Cancelled,
            tid: p.payment.tid.clone(),
        }
    }
}
