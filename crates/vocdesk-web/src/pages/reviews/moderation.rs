//! The operator console's moderation page (R12, R13): reported reviews and replies, the
//! longest waiting first, each with its open reports (count, reasons, notes), a hide
//! form that needs a reason (the author is told it) and a "keep" button that dismisses
//! the reports. A review looked up by id (where a hide form returns to) shows its state
//! with the forms that hide it or show it again. Operators only (403 for anyone else).

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use serde::Deserialize;
use vocdesk_app::{AppError, moderation, reviews};
use vocdesk_domain::ids::ReviewId;
use vocdesk_domain::policy;
use vocdesk_domain::review::{NOTE_MAX, Report, ReportTarget, ReportedItem, Review};

use super::super::console_views::Notice;
use super::super::context::{PageCtx, Session, percent_encode};
use super::super::error::PageError;
use super::super::inquiries::caller;
use super::super::{PageQuery, PageResult, page_request, query};
use super::views::{ReviewCard, reason_label};
use super::{back_to, field_errors, read_form, textarea};
use crate::headers::see_other;
use crate::i18n::I18n;
use crate::state::AppState;

/// The page's address.
const QUEUE: &str = "/operator/moderation";
/// Reported items per page.
const ITEMS_PER_PAGE: u32 = 30;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(QUEUE, get(queue_page))
        .route("/operator/moderation/{id}/hide", get(to_queue).post(hide))
        .route("/operator/moderation/{id}/unhide", get(to_queue).post(unhide))
        .route("/operator/moderation/{id}/dismiss", get(to_queue).post(dismiss))
}

async fn to_queue() -> Redirect {
    see_other(QUEUE)
}

/// A reason field as it was left (what was typed, what was wrong), with its words.
#[derive(Default)]
struct ReasonForm {
    reason: String,
    error: Option<String>,
    /// What the reason is for, and the button.
    label: String,
    button: String,
}

impl ReasonForm {
    /// The words of the form that hides (`hide`) or shows again the review or its reply.
    fn worded(mut self, i18n: &I18n, target: ReportTarget, hide: bool) -> Self {
        let verb = if hide { "hide" } else { "show" };
        self.label = i18n.t(&format!("mod-{verb}-reason-{}", target.as_str()));
        self.button = i18n.t(&format!("mod-{verb}-{}", target.as_str()));
        self
    }
}

/// One open report.
struct ReportLine {
    reason: String,
    note: Option<String>,
    at: String,
}

/// One reported item of the queue: a review, or its reply.
struct QueueItem {
    card: ReviewCard,
    /// `review` or `reply`.
    target: &'static str,
    target_label: String,
    open_reports: String,
    reasons: String,
    first_reported_at: String,
    reports: Vec<ReportLine>,
    form: ReasonForm,
}

/// A review looked up by id, with the forms that hide it (or its reply) or show it again.
struct Lookup {
    card: ReviewCard,
    review_hidden: bool,
    has_reply: bool,
    reply_hidden: bool,
    review_form: ReasonForm,
    reply_form: ReasonForm,
}

#[derive(Template)]
#[template(path = "operator_moderation.html")]
struct ModerationPage {
    ctx: PageCtx,
    notice: Option<Notice>,
    items: Vec<QueueItem>,
    /// The id typed into the look-up form.
    lookup_id: String,
    lookup: Option<Lookup>,
    /// An id was looked up and no review has it.
    lookup_missing: bool,
    first_href: Option<String>,
    next_href: Option<String>,
    reason_max: usize,
}

/// A moderation form that came back with a problem.
struct FormBack {
    review_id: String,
    target: ReportTarget,
    /// The hide form (the queue's), or the show-again form.
    hide: bool,
    form: ReasonForm,
}

/// The titles of the apps of `reviews`, read once each.
async fn app_titles<'a>(
    state: &AppState,
    reviews: impl Iterator<Item = &'a Review>,
) -> Result<HashMap<String, String>, PageError> {
    let mut titles = HashMap::new();
    for review in reviews {
        if !titles.contains_key(&review.app_id.0) {
            let title = state.store().app(&review.app_id).await?.map(|a| a.title).unwrap_or_default();
            titles.insert(review.app_id.0.clone(), title);
        }
    }
    Ok(titles)
}

fn target_label(i18n: &I18n, target: ReportTarget) -> String {
    i18n.t(&format!("mod-target-{}", target.as_str()))
}

fn report_lines(reports: &[Report], target: ReportTarget, i18n: &I18n) -> Vec<ReportLine> {
    reports
        .iter()
        .filter(|r| r.target == target)
        .map(|r| ReportLine {
            reason: reason_label(i18n, r.reason),
            note: r.note.clone(),
            at: i18n.datetime(&r.created_at),
        })
        .collect()
}

async fn queue_item(
    state: &AppState,
    item: &ReportedItem,
    title: &str,
    back: &mut Option<FormBack>,
    i18n: &I18n,
) -> Result<QueueItem, PageError> {
    let reports = state.store().open_reports(&item.review.id).await?;
    let form = match back {
        Some(b) if b.hide && b.review_id == item.review.id.0 && b.target == item.target => {
            back.take().map(|b| b.form).unwrap_or_default()
        }
        _ => ReasonForm::default(),
    };
    Ok(QueueItem {
        card: ReviewCard::staff(&item.review, title, i18n),
        target: item.target.as_str(),
        target_label: target_label(i18n, item.target),
        open_reports: i18n.count("mod-open-reports", item.open_reports),
        reasons: item.reasons.iter().map(|r| reason_label(i18n, *r)).collect::<Vec<_>>().join(", "),
        first_reported_at: i18n.datetime(&item.first_reported_at),
        reports: report_lines(&reports, item.target, i18n),
        form: form.worded(i18n, item.target, true),
    })
}

async fn lookup(
    state: &AppState,
    session: &Session,
    id: &str,
    back: Option<FormBack>,
    i18n: &I18n,
) -> Result<Option<Lookup>, PageError> {
    let view = match reviews::staff_view(state.app(), &session.actor, &ReviewId(id.to_owned())).await {
        Ok(view) => view,
        Err(AppError::NotFound) => return Ok(None),
        Err(other) => return Err(other.into()),
    };
    let review = &view.review;
    let title = state.store().app(&review.app_id).await?.map(|a| a.title).unwrap_or_default();
    let (mut review_form, mut reply_form) = (ReasonForm::default(), ReasonForm::default());
    if let Some(b) = back.filter(|b| b.review_id == review.id.0) {
        match b.target {
            ReportTarget::Review => review_form = b.form,
            ReportTarget::Reply => reply_form = b.form,
        }
    }
    let review_hidden = review.hidden.is_some();
    let reply_hidden = review.reply.as_ref().is_some_and(|r| r.hidden.is_some());
    Ok(Some(Lookup {
        card: ReviewCard::staff(review, &title, i18n),
        review_hidden,
        has_reply: review.reply.is_some(),
        reply_hidden,
        review_form: review_form.worded(i18n, ReportTarget::Review, !review_hidden),
        reply_form: reply_form.worded(i18n, ReportTarget::Reply, !reply_hidden),
    }))
}

async fn render_queue(
    state: &AppState,
    ctx: PageCtx,
    session: &Session,
    lookup_id: &str,
    cursor: Option<String>,
    notice: Option<Notice>,
    mut back: Option<FormBack>,
) -> Result<String, PageError> {
    let i18n = ctx.i18n;
    let page = page_request(&PageQuery { cursor }, ITEMS_PER_PAGE)?;
    let got = moderation::queue(state.app(), &session.actor, &page).await?;
    let titles = app_titles(state, got.items.iter().map(|i| &i.review)).await?;
    let mut items = Vec::with_capacity(got.items.len());
    for item in &got.items {
        let title = titles.get(&item.review.app_id.0).map(String::as_str).unwrap_or_default();
        items.push(queue_item(state, item, title, &mut back, &i18n).await?);
    }
    // A form that came back for an item not in the queue shows on its looked-up card.
    let lookup_id = back.as_ref().map(|b| b.review_id.clone()).unwrap_or_else(|| lookup_id.trim().to_owned());
    let found = if lookup_id.is_empty() { None } else { lookup(state, session, &lookup_id, back, &i18n).await? };
    let page = ModerationPage {
        notice,
        items,
        lookup_missing: !lookup_id.is_empty() && found.is_none(),
        lookup: found,
        lookup_id,
        first_href: page.after.is_some().then(|| QUEUE.to_owned()),
        next_href: got.next_cursor.map(|c| format!("{QUEUE}?cursor={}", percent_encode(&c.encode()))),
        reason_max: NOTE_MAX,
        ctx,
    };
    Ok(page.render()?)
}

#[derive(Debug, Default, Deserialize)]
struct QueueQuery {
    #[serde(default)]
    review: String,
    cursor: Option<String>,
    notice: Option<String>,
}

/// What the form that redirected here did, and what the author is told.
fn notice_for(i18n: &I18n, word: &str) -> Option<Notice> {
    let key = match word {
        "review_hidden" => "mod-notice-review-hidden",
        "reply_hidden" => "mod-notice-reply-hidden",
        "review_restored" => "mod-notice-review-restored",
        "reply_restored" => "mod-notice-reply-restored",
        "dismissed" => "mod-notice-dismissed",
        _ => return None,
    };
    Some(Notice::done(i18n.t(key)))
}

async fn queue_page(State(state): State<AppState>, ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    let session = ctx.authorize(policy::moderate)?.clone();
    let q: QueueQuery = query(&uri)?;
    let notice = q.notice.as_deref().and_then(|word| notice_for(&ctx.i18n, word));
    Ok(Html(render_queue(&state, ctx, &session, &q.review, q.cursor, notice, None).await?).into_response())
}

#[derive(Debug, Deserialize)]
struct ModerationBody {
    // Defaulted, so that a form without a token is refused as CSRF (403), not as a
    // malformed body.
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    reason: String,
}

/// Which moderation form was sent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Hide,
    Unhide,
    Dismiss,
}

async fn hide(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<String>, request: Request) -> PageResult {
    decide(state, ctx, id, request, Action::Hide).await
}

async fn unhide(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<String>, request: Request) -> PageResult {
    decide(state, ctx, id, request, Action::Unhide).await
}

async fn dismiss(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<String>, request: Request) -> PageResult {
    decide(state, ctx, id, request, Action::Dismiss).await
}

/// R12/R13: hides or shows again a review or its reply with a reason, or keeps it and
/// dismisses its reports; back to the page with a notice (after hiding, at the review's
/// card, which offers to show it again), or the page again with the reason's problem
/// (422) or the store's refusal (409), nothing changed.
async fn decide(state: AppState, ctx: PageCtx, id: String, request: Request, action: Action) -> PageResult {
    let session = ctx.require_session()?.clone();
    let permit = moderation::permit_moderation(state.app(), &session.actor, &ReviewId(id)).await?;
    let form: ModerationBody = read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    let target = match form.target.trim() {
        "" | "review" => ReportTarget::Review,
        "reply" => ReportTarget::Reply,
        _ => return Err(PageError::BadRequest),
    };
    let review_id = permit.review.id.0.clone();
    let reason = textarea(&form.reason);
    let who = caller(&session);
    let outcome = match action {
        Action::Dismiss => moderation::dismiss(state.app(), who, &permit, target).await.map(|_| ()),
        Action::Hide | Action::Unhide => {
            moderation::set_hidden(state.app(), who, &permit, target, action == Action::Hide, &reason).await.map(|_| ())
        }
    };
    let (status, notice, back) = match outcome {
        Ok(()) => {
            let to = match (action, target) {
                (Action::Dismiss, _) => back_to(QUEUE, "", "dismissed", "mod-notice"),
                (Action::Hide, t) | (Action::Unhide, t) => {
                    let word = match (action == Action::Hide, t) {
                        (true, ReportTarget::Review) => "review_hidden",
                        (true, ReportTarget::Reply) => "reply_hidden",
                        (false, ReportTarget::Review) => "review_restored",
                        (false, ReportTarget::Reply) => "reply_restored",
                    };
                    back_to(QUEUE, &format!("review={}", percent_encode(&review_id)), word, "mod-notice")
                }
            };
            return Ok(see_other(&to).into_response());
        }
        Err(AppError::Invalid(errors)) => {
            let errors = field_errors(&errors, &ctx.i18n, NOTE_MAX);
            let error = errors.all().iter().map(|(_, m)| m.as_str()).collect::<Vec<_>>().join(" ");
            let back = FormBack {
                review_id,
                target,
                hide: action == Action::Hide,
                form: ReasonForm { reason, error: Some(error), ..ReasonForm::default() },
            };
            (StatusCode::UNPROCESSABLE_ENTITY, Notice::refused(ctx.i18n.t("form-has-errors")), Some(back))
        }
        Err(AppError::ReviewRefused(refusal)) => {
            (StatusCode::CONFLICT, Notice::refused(ctx.i18n.t(&format!("review-refused-{}", refusal.code()))), None)
        }
        Err(other) => return Err(other.into()),
    };
    let html = render_queue(&state, ctx, &session, "", None, Some(notice), back).await?;
    Ok((status, Html(html)).into_response())
}
