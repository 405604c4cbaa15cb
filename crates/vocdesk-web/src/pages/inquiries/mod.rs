//! The inquiry pages (R1-R5): "Contact seller" on the store side, the thread with its
//! reply and close forms, the customer's own list, the developer's inbox, the
//! operator's queue and outbox. Each handler reads its form, checks CSRF first, and then
//! calls the use case the JSON API calls too ([`vocdesk_app::inquiries`]), which asks the
//! policy; refusals become the error pages, validation problems re-render the form.

use askama::Template;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse};
use axum::routing::{MethodRouter, get, post};
use serde::Deserialize;
use vocdesk_domain::attachment::{AttachmentMeta, MAX_BYTES, MAX_FILES};
use vocdesk_domain::audit::Channel;
use vocdesk_domain::ids::{AppId, AttachmentId, InquiryId, SellerId};
use vocdesk_domain::inquiry::{
    Category, Inquiry, InquiryFilter, InquiryInput, InquiryScope, InquiryStatus, SUBJECT_MAX, Thread,
};
use vocdesk_domain::outbox::{MailStatus, QueuedMail};
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::policy::{self, Refusal};
use vocdesk_domain::purchase::PurchaseView;
use vocdesk_domain::role::Role;
use vocdesk_domain::{FieldError, ValidationErrors};

use super::context::{PageCtx, Session, percent_encode};
use super::error::PageError;
use super::refunds::{RefundPanel, RefundState, refund_panel};
use super::{CsrfForm, PageForm, PageQuery, PageResult, html, page_request, query};
use vocdesk_app::AppError;

use crate::error::ApiError;
use crate::headers::see_other;
use crate::i18n::I18n;
use crate::state::AppState;
use crate::upload::{FormParts, read_multipart};
use vocdesk_app::{Caller, inquiries};

mod lists;
mod thread;
mod timeline;

pub(in crate::pages) use thread::{ReplyState, render_thread};

pub use lists::*;

/// The body limit of the forms that carry files: five files of 10 MB and the form.
pub const UPLOAD_BODY_LIMIT: usize = MAX_FILES * MAX_BYTES + 1024 * 1024;

/// Rows per page of the inquiry lists.
const LIST_LIMIT: u32 = 30;

/// A method router for a form that uploads files, with its own body limit (the other
/// pages keep their small one).
pub fn upload_route(router: MethodRouter<AppState>) -> MethodRouter<AppState> {
    router.layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))
}

/// The inquiry routes, merged into the page router.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/apps/{app_id}/inquiries/new", get(new_inquiry_page))
        .route("/apps/{app_id}/inquiries", upload_route(post(create_inquiry)))
        .route("/my/inquiries", get(my_inquiries_page))
        .route("/inquiries/{id}", get(thread_page))
        .route("/inquiries/{id}/messages", upload_route(post(post_reply)))
        .route("/inquiries/{id}/close", post(close_inquiry))
        .route("/inquiries/{id}/attachments/{attachment_id}", get(attachment))
        .route("/developer/inquiries", get(developer_inbox))
        .route("/operator/inquiries", get(operator_inquiries))
        .route("/operator/outbox", get(operator_outbox))
        .route("/operator/outbox/{id}/retry", post(lists::retry_mail))
}

// ----- reading a multipart form -----

/// A submitted multipart form; a malformed body is a 400 page, an oversized one 413.
struct PageMultipart(FormParts);

impl<S: Send + Sync> FromRequest<S> for PageMultipart {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let multipart = Multipart::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                PageError::PayloadTooLarge
            } else {
                PageError::BadRequest
            }
        })?;
        let parts = read_multipart(multipart).await.map_err(|error| match error {
            ApiError::PayloadTooLarge => PageError::PayloadTooLarge,
            _ => PageError::BadRequest,
        })?;
        Ok(PageMultipart(parts))
    }
}

/// R1: the files of a form whose names could not be read, as the form shows them: each
/// named as far as it could be read, so the sender knows which to rename. `None` when
/// every name was read.
fn unreadable_files(parts: &FormParts, i18n: &I18n) -> Option<FieldErrors> {
    let messages: Vec<(String, String)> = parts
        .unreadable
        .iter()
        .map(|file| {
            let n = i64::try_from(file.index).map_or(0, |i| i + 1);
            let message = i18n.with("field-error-unreadable_name", &file.shown);
            ("attachments".to_owned(), format!("{} {message}", i18n.count("field-error-file-n", n)))
        })
        .collect();
    (!messages.is_empty()).then(|| FieldErrors::from_messages(messages))
}

/// The caller of a use case from a page: the session's user through the store's door.
pub(super) fn caller(session: &Session) -> Caller<'_> {
    Caller { user: &session.user, actor: &session.actor, channel: Channel::Store }
}

// ----- words shown for enums -----

pub(super) fn category_label(i18n: &I18n, category: Category) -> String {
    i18n.t(&format!("category-{}", category.as_str()))
}

pub(super) fn status_label(i18n: &I18n, status: InquiryStatus) -> String {
    i18n.t(&format!("inquiry-status-{}", status.as_str()))
}

/// A status as the customer reads it about their own inquiry ("Answered", "Your refund
/// is with the store"): never "awaiting customer" (R17, issue 12 item 3).
pub(in crate::pages) fn customer_status_label(i18n: &I18n, status: InquiryStatus) -> String {
    i18n.t(&format!("inquiry-status-customer-{}", status.as_str()))
}

pub(super) fn channel_label(i18n: &I18n, channel: Channel) -> String {
    i18n.t(&format!("channel-{}", channel.as_str()))
}

/// A span of time as people say it: "2일 5시간", "3 hours 10 minutes".
pub(in crate::pages) fn span(i18n: &I18n, duration: jiff::SignedDuration) -> String {
    let secs = duration.as_secs().abs();
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    let parts = if days > 0 {
        vec![i18n.count("duration-days", days), i18n.count("duration-hours", hours)]
    } else if hours > 0 {
        vec![i18n.count("duration-hours", hours), i18n.count("duration-minutes", minutes)]
    } else {
        vec![i18n.count("duration-minutes", minutes.max(1))]
    };
    parts.join(" ")
}

/// A file size for people: "812 B", "12.3 KB", "4.0 MB".
fn file_size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// R5: when the developer's answer is due and how much time is left (or how late it is).
pub struct DueView {
    pub due_at: String,
    pub text: String,
    pub overdue: bool,
}

/// R5: the time left to (or past) the limit of an inquiry that owes an answer.
pub(super) fn due_view(state: &AppState, i18n: &I18n, inquiry: &Inquiry) -> Option<DueView> {
    if inquiry.status != InquiryStatus::AwaitingDeveloper {
        return None;
    }
    let due = inquiry.state().due_at(state.response_limit())?;
    let now = state.now();
    let overdue = inquiry.state().is_overdue(now, state.response_limit());
    let text = if overdue {
        i18n.with("inquiry-overdue-by", &span(i18n, now.duration_since(due)))
    } else {
        i18n.with("inquiry-time-left", &span(i18n, due.duration_since(now)))
    };
    Some(DueView { due_at: i18n.datetime(&due), text, overdue })
}

// ----- field errors of a form -----

/// The problems of a submitted form, translated, by the form field they belong to.
#[derive(Default)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    fn new(errors: &ValidationErrors, i18n: &I18n) -> Self {
        Self(errors.0.iter().map(|e| field_message(e, i18n)).collect())
    }

    /// Messages already translated, `(field, message)`, for forms with their own words.
    pub(super) fn from_messages(messages: Vec<(String, String)>) -> Self {
        Self(messages)
    }

    /// Every `(field, message)`, in the order the form was checked, for a summary.
    pub fn all(&self) -> &[(String, String)] {
        &self.0
    }

    /// The messages of one field, joined; `None` when it is fine.
    pub fn get(&self, field: &str) -> Option<String> {
        let messages: Vec<&str> = self.0.iter().filter(|(f, _)| f == field).map(|(_, m)| m.as_str()).collect();
        (!messages.is_empty()).then(|| messages.join(" "))
    }

    /// Whether the form had any problem.
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
}

/// `attachments[2]` belongs to the `attachments` input and names the third file.
fn field_message(error: &FieldError, i18n: &I18n) -> (String, String) {
    const KNOWN: [&str; 9] = [
        "required",
        "too_long",
        "control_characters",
        "category",
        "unknown_purchase",
        "too_many",
        "empty",
        "too_large",
        "file_type",
    ];
    let key = if KNOWN.contains(&error.code.as_str()) {
        format!("field-error-{}", error.code)
    } else {
        "field-error-invalid".to_owned()
    };
    let message = i18n.t(&key);
    match error.field.split_once('[') {
        Some((field, index)) => {
            let n = index.trim_end_matches(']').parse::<i64>().map(|i| i + 1).unwrap_or(0);
            (field.to_owned(), format!("{} {message}", i18n.count("field-error-file-n", n)))
        }
        None => (error.field.clone(), message),
    }
}

// ----- the "Contact seller" form -----

/// What the customer typed, kept when the form comes back with problems.
#[derive(Default)]
pub struct InquiryFormValues {
    pub category: String,
    pub purchase_id: String,
    pub subject: String,
    pub body: String,
    pub consent: bool,
    pub had_files: bool,
}

#[derive(Template)]
#[template(path = "inquiry_form.html")]
struct InquiryFormPage {
    ctx: PageCtx,
    app_id: String,
    app_title: String,
    seller_name: String,
    /// `(word, label)`.
    categories: Vec<(String, String)>,
    /// `(purchase id, label)`: the customer's own purchases of this app.
    purchases: Vec<(String, String)>,
    /// Those of them that can still be refunded (paid, not free): a link's
    /// `category=refund` is kept only with one of these.
    refundable: Vec<String>,
    form: InquiryFormValues,
    errors: FieldErrors,
    subject_max: usize,
}

/// `?category=refund&purchase_id=ID` (My page's links; `purchase=` is taken too).
#[derive(Debug, Deserialize)]
struct NewInquiryQuery {
    purchase_id: Option<String>,
    purchase: Option<String>,
    category: Option<String>,
}

async fn new_inquiry_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(app_id): Path<String>,
    uri: axum::http::Uri,
) -> PageResult {
    let q: NewInquiryQuery = query(&uri)?;
    let session = ctx.authorize(policy::ask_seller)?.clone();
    // Issue 12 item 4: a known category is chosen; `refund` only where it makes sense
    // (no purchase named, or one that can still be refunded).
    let category = q.category.as_deref().and_then(Category::parse).map(|c| c.as_str().to_owned());
    let purchase_id = q.purchase_id.or(q.purchase).unwrap_or_default();
    let form = InquiryFormValues { purchase_id, category: category.unwrap_or_default(), ..Default::default() };
    let mut page = inquiry_form(&state, ctx, &session, &AppId(app_id), form, FieldErrors::default()).await?;
    let named = !page.form.purchase_id.is_empty();
    if page.form.category == Category::Refund.as_str() && named && !page.refundable.contains(&page.form.purchase_id) {
        page.form.category.clear();
    }
    Ok(Html(page.render()?).into_response())
}

async fn inquiry_form(
    state: &AppState,
    ctx: PageCtx,
    session: &Session,
    app_id: &AppId,
    mut form: InquiryFormValues,
    errors: FieldErrors,
) -> Result<InquiryFormPage, PageError> {
    let app = state.store().app(app_id).await?.ok_or(PageError::NotFound)?;
    let mut purchases = Vec::new();
    let mut refundable = Vec::new();
    let mut page = PageRequest { limit: 100, after: None };
    // R1: only the customer's own purchases of this app (a few pages at most).
    for _ in 0..5 {
        let got = state.store().purchases_for_seller(&session.user.id, &app.seller_id, &page).await?;
        for view in got.items.iter().filter(|v| v.purchase.app_id == app.id) {
            purchases.push((view.purchase.id.0.clone(), purchase_label(view, &ctx.i18n)));
            if vocdesk_domain::refund::cancellable(&view.purchase).is_ok() {
                refundable.push(view.purchase.id.0.clone());
            }
        }
        match got.next_cursor {
            Some(cursor) => page.after = Some(cursor),
            None => break,
        }
    }
    if !purchases.iter().any(|(id, _)| *id == form.purchase_id) {
        form.purchase_id.clear();
    }
    let categories = Category::ALL.iter().map(|c| (c.as_str().to_owned(), category_label(&ctx.i18n, *c))).collect();
    Ok(InquiryFormPage {
        app_id: app.id.0,
        app_title: app.title,
        seller_name: app.seller_name,
        categories,
        purchases,
        refundable,
        form,
        errors,
        subject_max: SUBJECT_MAX,
        ctx,
    })
}

fn purchase_label(view: &PurchaseView, i18n: &I18n) -> String {
    let p = &view.purchase;
    let product = view.item_title.as_deref().unwrap_or(&view.app_title);
    let amount = if p.amount.amount_minor == 0 { i18n.t("app-free") } else { p.amount.display() };
    format!("{} · {product} · {amount}", i18n.datetime(&p.purchased_at))
}

async fn create_inquiry(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(app_id): Path<String>,
    PageMultipart(parts): PageMultipart,
) -> PageResult {
    ctx.check_csrf(&state, parts.field("csrf").unwrap_or_default())?;
    let session = ctx.require_session()?.clone();
    let app_id = AppId(app_id);
    let form = InquiryFormValues {
        category: parts.field("category").unwrap_or_default().to_owned(),
        purchase_id: parts.field("purchase_id").unwrap_or_default().to_owned(),
        subject: parts.field("subject").unwrap_or_default().to_owned(),
        body: parts.field("body").unwrap_or_default().to_owned(),
        consent: parts.field("consent_personal_info") == Some("yes"),
        had_files: !parts.files.is_empty() || !parts.unreadable.is_empty(),
    };
    if let Some(errors) = unreadable_files(&parts, &ctx.i18n) {
        // Refused, not dropped: the inquiry is not sent without the file.
        ctx.authorize(policy::ask_seller)?;
        let page = inquiry_form(&state, ctx, &session, &app_id, form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    }
    let input = InquiryInput {
        category: &form.category,
        subject: &form.subject,
        body: &form.body,
        purchase_id: Some(form.purchase_id.as_str()),
        consent_personal_info: form.consent,
    };
    match inquiries::open(state.app(), caller(&session), &app_id, &input, parts.files).await {
        Ok(thread) => Ok(see_other(&format!("/inquiries/{}", thread.inquiry.id.0)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let errors = FieldErrors::new(&errors, &ctx.i18n);
            let page = inquiry_form(&state, ctx, &session, &app_id, form, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

// ----- the thread -----

pub struct AttachmentView {
    pub href: String,
    pub filename: String,
    pub size: String,
    pub is_image: bool,
}

impl AttachmentView {
    fn new(inquiry: &InquiryId, meta: &AttachmentMeta) -> Self {
        Self {
            href: format!("/inquiries/{}/attachments/{}", inquiry.0, meta.id.0),
            // Names kept before bidi controls were removed on upload lose them here.
            filename: vocdesk_domain::attachment::clean_filename(&meta.filename),
            size: file_size(meta.size),
            is_image: meta.is_image(),
        }
    }
}

pub struct MessageView {
    pub seq: i64,
    pub side: &'static str,
    pub side_label: String,
    pub author: String,
    /// R2: the channel's word (`store`, `email`, ...), for the badge's class.
    pub channel_word: &'static str,
    pub channel: String,
    pub at: String,
    pub body: String,
    pub attachments: Vec<AttachmentView>,
    /// R15: for operators, where the original of a message that came by mail is.
    pub original_href: Option<String>,
    /// R16: for the seller's staff, what became of the mail telling the customer of
    /// this developer message.
    pub delivery: Option<DeliveryNote>,
}

/// R16: under a developer's message, whether the customer was sent it by mail.
pub struct DeliveryNote {
    /// It failed for good: shown as a warning.
    pub failed: bool,
    /// Sent (when), waiting, or refused (by which address), in the reader's words.
    pub text: String,
}

/// `?notice=` of a thread: what the form that redirected here did.
#[derive(Debug, Deserialize)]
struct ThreadQuery {
    notice: Option<String>,
}

async fn thread_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    uri: axum::http::Uri,
) -> PageResult {
    let q: ThreadQuery = query(&uri)?;
    let session = ctx.require_session()?.clone();
    let thread = inquiries::read(state.app(), &session.actor, &InquiryId(id)).await?;
    let refund = RefundState::with_notice(q.notice.as_deref());
    let by_operator = session.user.role == Role::Operator;
    let page = Html(render_thread(&state, ctx, &session, thread, ReplyState::default(), refund).await?).into_response();
    // Issue 13: its parties' browsers may keep the thread for reading offline; it shows
    // payment ids only masked (revealing them is a POST, answered `no-store`). Operator
    // pages stay `no-store`.
    Ok(if by_operator { page } else { crate::pages::pwa::keep_private(page) })
}

async fn post_reply(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    PageMultipart(parts): PageMultipart,
) -> PageResult {
    ctx.check_csrf(&state, parts.field("csrf").unwrap_or_default())?;
    let session = ctx.require_session()?.clone();
    let id = InquiryId(id);
    let body = parts.field("body").unwrap_or_default().to_owned();
    if let Some(errors) = unreadable_files(&parts, &ctx.i18n) {
        // Refused, not dropped: the message is not sent without the file.
        ctx.authorize(policy::write_to_inquiries)?;
        let thread = inquiries::read(state.app(), &session.actor, &id).await?;
        ctx.authorize(|actor| policy::write_to_inquiry(actor, &thread.inquiry).map(|_| ()))?;
        let reply = ReplyState { errors, body, notice: None };
        let page = render_thread(&state, ctx, &session, thread, reply, RefundState::default()).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page)).into_response());
    }
    let outcome = inquiries::reply(state.app(), caller(&session), &id, &body, parts.files).await;
    let (status, reply) = match outcome {
        Ok((inquiry, message)) => {
            return Ok(see_other(&format!("/inquiries/{}#message-{}", inquiry.id.0, message.seq)).into_response());
        }
        Err(AppError::Invalid(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            ReplyState { errors: FieldErrors::new(&errors, &ctx.i18n), body, notice: None },
        ),
        Err(AppError::Conflict { .. }) => (
            StatusCode::CONFLICT,
            ReplyState { notice: Some(ctx.i18n.t("inquiry-closed-conflict")), body, ..Default::default() },
        ),
        Err(other) => return Err(other.into()),
    };
    let thread = inquiries::read(state.app(), &session.actor, &id).await?;
    let page = render_thread(&state, ctx, &session, thread, reply, RefundState::default()).await?;
    Ok((status, Html(page)).into_response())
}

async fn close_inquiry(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    PageForm(form): PageForm<CsrfForm>,
) -> PageResult {
    ctx.check_csrf(&state, &form.csrf)?;
    let session = ctx.require_session()?.clone();
    let inquiry = inquiries::close(state.app(), caller(&session), &InquiryId(id)).await?;
    Ok(see_other(&format!("/inquiries/{}", inquiry.id.0)).into_response())
}

async fn attachment(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, attachment_id)): Path<(String, String)>,
) -> PageResult {
    let session = ctx.require_session()?;
    let (meta, bytes) =
        inquiries::attachment(state.app(), &session.actor, &InquiryId(id), &AttachmentId(attachment_id)).await?;
    let disposition = if meta.is_image() { "inline" } else { "attachment" };
    let disposition =
        format!("{disposition}; {}", filename_params(&vocdesk_domain::attachment::clean_filename(&meta.filename)));
    let content_type = HeaderValue::from_str(&meta.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&disposition).unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'")),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
        ],
        bytes,
    )
        .into_response())
}

/// `filename="ascii fallback"; filename*=UTF-8''percent-encoded` (RFC 6266).
fn filename_params(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use vocdesk_domain::locale::Locale;

    #[test]
    fn spans_read_like_people_say_them() {
        let ko = I18n { locale: Locale::Ko };
        let en = I18n { locale: Locale::En };
        let d = jiff::SignedDuration::from_secs(2 * 86_400 + 5 * 3_600 + 7 * 60);
        assert_eq!(span(&ko, d), "2일 5시간");
        assert_eq!(span(&en, d), "2 days 5 hours");
        assert_eq!(span(&en, jiff::SignedDuration::from_secs(3_600 + 60)), "1 hour 1 minute");
        assert_eq!(span(&en, jiff::SignedDuration::from_secs(5)), "1 minute");
    }

    #[test]
    fn download_names_cannot_break_the_header() {
        assert_eq!(
            filename_params("화면 \"캡처\".png"),
            "filename=\"__ ____.png\"; filename*=UTF-8''%ED%99%94%EB%A9%B4%20%22%EC%BA%A1%EC%B2%98%22.png"
        );
    }
}
