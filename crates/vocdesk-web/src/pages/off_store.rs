//! R9: the developer's off-store request form (the seeds' fields: consent O/X,
//! customer number, purchase date and time, purchased item) and, since issue 12 item 6,
//! its look-up: the developer types the customer number and presses "Find purchases"
//! (a second submit button of the same form, so that what was typed stays and no
//! JavaScript is needed); the page lists that customer's purchases of the seller's apps
//! and items (payment ids masked) as choices, and the one picked is filed, its date,
//! time and item taken from it. An unknown number and a customer without purchases of
//! this seller read the same. The look-up is a `POST` with CSRF: it is audited (R14)
//! and counted against the developer's budget, and keeps the number out of addresses.
//!
//! Developers only, refused before the form is read; then CSRF; then the use cases of
//! [`vocdesk_app::off_store`], which the JSON API calls too.

use askama::Template;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use serde::Deserialize;
use vocdesk_domain::ValidationErrors;
use vocdesk_domain::ids::SellerId;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy;
use vocdesk_domain::purchase::PurchaseView;
use vocdesk_domain::refund::{self, OffStoreInput, REASON_MAX};

use super::context::{PageCtx, Session};
use super::error::PageError;
use super::inquiries::{FieldErrors, caller};
use super::refunds::{amount, purchase_status, refusal_message, thread_href};
use super::{PageResult, read_form};
use crate::headers::see_other;
use crate::i18n::I18n;
use crate::state::AppState;
use vocdesk_app::AppError;
use vocdesk_app::off_store::{self, Filed};

/// How many pages of a seller's apps the form lists products of.
const APP_PAGES: usize = 5;
/// How many of the customer's purchases (newest first) a look-up lists.
const LOOKUP_ROWS: u32 = 50;
/// The form's address.
const FORM: &str = "/developer/off-store-requests/new";

/// The routes of the form. The `GET` of each `POST` address leads back to the form, so
/// that a language switch after a re-rendered form works.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(FORM, get(off_store_page))
        .route("/developer/off-store-requests", get(to_form).post(file_off_store))
        .route("/developer/off-store-requests/lookup", get(to_form).post(look_up))
}

async fn to_form() -> Redirect {
    see_other(FORM)
}

/// What the developer typed, kept when the form comes back.
#[derive(Default)]
pub struct OffStoreValues {
    pub channel: String,
    pub consent: String,
    pub customer_no: String,
    pub purchased_at: String,
    pub product_id: String,
    /// The purchase picked from the look-up (empty: named by date and item).
    pub purchase_id: String,
    pub reason: String,
}

/// The seller's products for the "purchased item" select: one group per app, the
/// app itself and then its in-app items, each `(id, label)`.
pub struct ProductGroup {
    pub app_title: String,
    pub options: Vec<(String, String)>,
}

/// One purchase a look-up lists, as a choice of the form.
pub struct LookupRow {
    /// The purchase's id, the choice's value.
    pub id: String,
    /// "app" or "app · item".
    pub product: String,
    pub purchased_at: String,
    pub amount: String,
    /// `paid` or `cancelled`, for the badge's class.
    pub status: &'static str,
    pub status_label: String,
    /// R7: masked.
    pub tid: String,
    /// Paid and not free: it can be filed. Others are shown, not offered.
    pub cancellable: bool,
    /// Why it cannot be filed, when it cannot.
    pub note: Option<String>,
}

impl LookupRow {
    fn new(view: &PurchaseView, i18n: &I18n) -> Self {
        let p = &view.purchase;
        let (status, status_label) = purchase_status(i18n, p.status);
        let refusal = refund::cancellable(p).err();
        Self {
            id: p.id.0.clone(),
            product: view.product_name(),
            purchased_at: i18n.datetime(&p.purchased_at),
            amount: amount(i18n, view),
            status,
            status_label,
            tid: p.payment.masked().tid,
            cancellable: refusal.is_none(),
            note: refusal.map(|r| refusal_message(i18n, r)),
        }
    }
}

/// What the look-up found, as the form shows it.
pub struct Lookup {
    /// The purchases, newest first; empty for a number nobody has too.
    pub rows: Vec<LookupRow>,
    /// "Only the 50 newest are listed", when there are older ones.
    pub more: Option<String>,
}

#[derive(Template)]
#[template(path = "refund_offstore.html")]
struct OffStorePage {
    ctx: PageCtx,
    products: Vec<ProductGroup>,
    form: OffStoreValues,
    errors: FieldErrors,
    /// Why the store refused (409) a well-formed form.
    notice: Option<String>,
    /// The look-up's list, after "Find purchases".
    lookup: Option<Lookup>,
    /// Why the look-up was not made (too many, 429).
    lookup_notice: Option<String>,
    reason_max: usize,
}

impl OffStorePage {
    /// The date and item fields are required unless a list to pick from is shown.
    fn needs_date_and_item(&self) -> bool {
        self.lookup.as_ref().is_none_or(|l| l.rows.is_empty())
    }
}

#[derive(Debug, Deserialize)]
struct OffStoreForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    consent_personal_info: String,
    #[serde(default)]
    customer_no: String,
    #[serde(default)]
    purchased_at: String,
    #[serde(default)]
    product_id: String,
    #[serde(default)]
    purchase_id: String,
    #[serde(default)]
    reason: String,
}

impl OffStoreForm {
    fn values(self) -> OffStoreValues {
        OffStoreValues {
            channel: self.channel,
            consent: self.consent_personal_info,
            customer_no: self.customer_no,
            purchased_at: self.purchased_at,
            product_id: self.product_id,
            purchase_id: self.purchase_id,
            reason: self.reason,
        }
    }
}

/// R9: the developer's seller, after the one policy check of these pages.
fn off_store_seller(ctx: &PageCtx) -> Result<(Session, SellerId), PageError> {
    let session = ctx.authorize(|actor| policy::file_off_store_request(actor).map(|_| ()))?;
    let seller = policy::file_off_store_request(&session.actor).map_err(|_| PageError::Forbidden)?;
    Ok((session.clone(), seller))
}

async fn products_of(state: &AppState, i18n: &I18n, seller: &SellerId) -> Result<Vec<ProductGroup>, PageError> {
    let mut groups = Vec::new();
    let mut page = PageRequest { limit: 100, after: None };
    for _ in 0..APP_PAGES {
        let apps = state.store().list_apps(Some(seller), &page).await?;
        for app in &apps.items {
            let price = app.price.as_ref().map(|p| p.display()).unwrap_or_else(|| i18n.t("app-free"));
            let mut options = vec![(app.id.0.clone(), i18n.with("refund-offstore-the-app", &price))];
            for item in state.store().items_of_app(&app.id).await? {
                options.push((item.id.0.clone(), format!("{} ({})", item.title, item.price.display())));
            }
            groups.push(ProductGroup { app_title: app.title.clone(), options });
        }
        match apps.next_cursor {
            Some(cursor) => page.after = Some(cursor),
            None => break,
        }
    }
    Ok(groups)
}

/// The form's problems, each under its field, in words for the developer.
fn off_store_errors(errors: &ValidationErrors, i18n: &I18n) -> FieldErrors {
    let message = |field: &str, code: &str| -> String {
        match (field, code) {
            ("channel", _) => i18n.t("refund-field-error-channel"),
            ("consent_personal_info", _) => i18n.t("refund-field-error-consent"),
            ("customer_no", "unknown_customer") => i18n.t("refund-field-error-unknown-customer"),
            ("customer_no", "customer_no") => i18n.t("refund-field-error-customer-no"),
            ("purchased_at", "unknown_purchase") => i18n.t("refund-field-error-unknown-purchase"),
            ("purchased_at", _) => i18n.t("refund-field-error-purchased-at"),
            ("purchase_id", _) => i18n.t("refund-field-error-picked-purchase"),
            ("product_id", "required") => i18n.t("refund-field-error-product"),
            ("reason", "required") => i18n.t("refund-field-error-reason-required"),
            ("reason", "too_long") => i18n.count("refund-field-error-reason-too-long", REASON_MAX as i64),
            (_, "required") => i18n.t("field-error-required"),
            (_, "too_long") => i18n.t("field-error-too_long"),
            (_, "control_characters") => i18n.t("field-error-control_characters"),
            _ => i18n.t("field-error-invalid"),
        }
    };
    FieldErrors::from_messages(errors.0.iter().map(|e| (e.field.clone(), message(&e.field, &e.code))).collect())
}

/// Everything of the form but what the developer typed, to render it with.
#[derive(Default)]
struct Shown {
    errors: FieldErrors,
    notice: Option<String>,
    lookup: Option<Lookup>,
    lookup_notice: Option<String>,
}

async fn render(
    state: &AppState,
    ctx: PageCtx,
    seller: &SellerId,
    form: OffStoreValues,
    shown: Shown,
) -> Result<String, PageError> {
    let products = products_of(state, &ctx.i18n, seller).await?;
    let page = OffStorePage {
        ctx,
        products,
        form,
        errors: shown.errors,
        notice: shown.notice,
        lookup: shown.lookup,
        lookup_notice: shown.lookup_notice,
        reason_max: REASON_MAX,
    };
    Ok(page.render()?)
}

async fn off_store_page(State(state): State<AppState>, ctx: PageCtx) -> PageResult {
    let (_, seller) = off_store_seller(&ctx)?;
    Ok(Html(render(&state, ctx, &seller, OffStoreValues::default(), Shown::default()).await?).into_response())
}

/// Issue 12 item 6: "Find purchases": the customer's purchases of this seller, as
/// choices of the form (200, the same for a number nobody has); a malformed number is
/// a 422, too many look-ups a 429 with `Retry-After`; what was typed stays.
async fn look_up(State(state): State<AppState>, ctx: PageCtx, request: Request) -> PageResult {
    let (session, seller) = off_store_seller(&ctx)?;
    let form: OffStoreForm = read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    let values = form.values();
    let page = PageRequest { limit: LOOKUP_ROWS, after: None };
    let i18n = ctx.i18n;
    let (status, shown, retry_after) =
        match off_store::look_up(state.app(), caller(&session), &values.customer_no, &page).await {
            Ok(found) => {
                let rows = found.items.iter().map(|v| LookupRow::new(v, &i18n)).collect();
                let more =
                    found.next_cursor.is_some().then(|| i18n.count("refund-offstore-lookup-more", LOOKUP_ROWS.into()));
                let lookup = Lookup { rows, more };
                (StatusCode::OK, Shown { lookup: Some(lookup), ..Shown::default() }, None)
            }
            Err(AppError::Invalid(errors)) => {
                let shown = Shown { errors: off_store_errors(&errors, &i18n), ..Shown::default() };
                (StatusCode::UNPROCESSABLE_ENTITY, shown, None)
            }
            Err(AppError::TooManyLookups { retry_after_secs }) => {
                let notice =
                    i18n.count("refund-offstore-lookup-too-many", i64::try_from(retry_after_secs).unwrap_or(i64::MAX));
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    Shown { lookup_notice: Some(notice), ..Shown::default() },
                    Some(retry_after_secs),
                )
            }
            Err(other) => return Err(other.into()),
        };
    let mut response = (status, Html(render(&state, ctx, &seller, values, shown).await?)).into_response();
    if let Some(secs) = retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    Ok(response)
}

async fn file_off_store(State(state): State<AppState>, ctx: PageCtx, request: Request) -> PageResult {
    let (session, seller) = off_store_seller(&ctx)?;
    let form: OffStoreForm = read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    let input = OffStoreInput {
        channel: &form.channel,
        consent: &form.consent_personal_info,
        customer_no: &form.customer_no,
        purchased_at: &form.purchased_at,
        product_id: &form.product_id,
        purchase_id: &form.purchase_id,
        reason: &form.reason,
    };
    let (status, mut shown) = match off_store::file_off_store(state.app(), caller(&session), &input).await {
        Ok(Filed::New { inquiry, .. }) => {
            let to = format!("{}?notice=filed", thread_href(&inquiry.id.0));
            return Ok(see_other(&to).into_response());
        }
        Ok(Filed::Existing(request)) => {
            let to = format!("{}?notice=filed_existing#cancellation-requests", thread_href(&request.inquiry_id.0));
            return Ok(see_other(&to).into_response());
        }
        Err(AppError::Invalid(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Shown { errors: off_store_errors(&errors, &ctx.i18n), ..Shown::default() },
        ),
        Err(AppError::Refused(refusal)) => {
            (StatusCode::CONFLICT, Shown { notice: Some(refusal_message(&ctx.i18n, refusal)), ..Shown::default() })
        }
        Err(other) => return Err(other.into()),
    };
    // The purchase picked from the look-up stays picked (not a new look-up).
    let picked = off_store::picked(state.app(), &session.actor, &form.customer_no, &form.purchase_id).await?;
    if let Some(view) = picked {
        shown.lookup = Some(Lookup { rows: vec![LookupRow::new(&view, &ctx.i18n)], more: None });
    }
    let page = render(&state, ctx, &seller, form.values(), shown).await?;
    Ok((status, Html(page)).into_response())
}
