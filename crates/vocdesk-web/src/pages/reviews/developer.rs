//! The developer center's "Ratings & reviews" (R11, R12, R18): the reviews of the
//! seller's apps, those that owe an answer first (no reply, or an outdated one), each
//! as a card with the reply box in place, the "still fits" confirmation of an outdated
//! reply, the confirmed deletion of a reply, and the seller's saved replies offered as
//! links that fill the box (nothing posts by itself). Made for phones: cards, not
//! tables. Developers of the seller only; everyone else is refused (403).

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use serde::Deserialize;
use vocdesk_app::{AppError, reply_templates, reviews};
use vocdesk_domain::ids::{AppId, ReviewId, SellerId};
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::review::{InboxFilter, NOTE_MAX, REPLY_TEXT_MAX, StarSet, fill_template};
use vocdesk_domain::role::Actor;

use super::super::console_views::Notice;
use super::super::context::{PageCtx, Session, percent_encode};
use super::super::error::PageError;
use super::super::inquiries::{caller, own_seller};
use super::super::{PageQuery, PageResult, page_request, query};
use super::views::{FilterLink, ReportBack, ReportState, ReviewCard, report_reasons};
use super::{PER_PAGE, back_to, field_errors, limit_text, read_form, textarea};
use crate::headers::see_other;
use crate::i18n::I18n;
use crate::state::AppState;

/// The inbox's address.
pub const INBOX: &str = "/developer/reviews";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(INBOX, get(inbox_page))
        .route("/developer/reviews/{id}/reply", get(to_inbox).post(post_reply))
        .route("/developer/reviews/{id}/reply/confirm", get(to_inbox).post(confirm_reply))
        .route("/developer/reviews/{id}/reply/delete", get(to_inbox).post(delete_reply))
}

async fn to_inbox() -> Redirect {
    see_other(INBOX)
}

// ----- the filters -----

/// The inbox's filters, from its query or from a form's hidden fields, so that a form
/// returns to the list the developer was working on. Empty is "any".
#[derive(Clone, Debug, Default)]
pub struct InboxParams {
    app_id: String,
    /// `1,2` or `5`.
    rating: String,
    /// `true` or `false`.
    replied: String,
    /// `true`: only outdated replies (R18).
    outdated: String,
}

impl InboxParams {
    pub fn new(app_id: &str, rating: &str, replied: &str, outdated: &str) -> Self {
        let word = |v: &str| v.trim().to_owned();
        Self { app_id: word(app_id), rating: word(rating), replied: word(replied), outdated: word(outdated) }
    }

    /// The inbox filter; a tampered word is a 400 page, before anything is read.
    fn filter(&self) -> Result<InboxFilter, PageError> {
        let yes_no = |value: &str| match value {
            "" => Ok(None),
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err(PageError::BadRequest),
        };
        Ok(InboxFilter {
            app_id: Some(&self.app_id).filter(|a| !a.is_empty()).map(|a| AppId(a.clone())),
            stars: StarSet::parse(&self.rating).map_err(|_| PageError::BadRequest)?,
            replied: yes_no(&self.replied)?,
            outdated: yes_no(&self.outdated)?,
            ..InboxFilter::default()
        })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        [("app_id", &self.app_id), ("rating", &self.rating), ("replied", &self.replied), ("outdated", &self.outdated)]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k, v.clone()))
            .collect()
    }

    /// The filters as a query string (without the cursor).
    pub fn query_string(&self) -> String {
        self.pairs().iter().map(|(k, v)| format!("{k}={}", percent_encode(v))).collect::<Vec<_>>().join("&")
    }

    /// The inbox with these filters (and `extra`, such as a cursor), at `anchor`.
    fn href(&self, extra: &[(&str, &str)], anchor: &str) -> String {
        let mut query = self.query_string();
        for (k, v) in extra {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&format!("{k}={}", percent_encode(v)));
        }
        let mut href = if query.is_empty() { INBOX.to_owned() } else { format!("{INBOX}?{query}") };
        if !anchor.is_empty() {
            href.push('#');
            href.push_str(anchor);
        }
        href
    }
}

/// The filter form's choices and what is chosen.
struct FilterView {
    app_id: String,
    rating: String,
    replied: String,
    outdated: bool,
    /// `(id, "title (n)")`.
    apps: Vec<(String, String)>,
    /// `(word, label)`.
    ratings: Vec<(String, String)>,
    /// `(word, label)`.
    replied_choices: Vec<(String, String)>,
    /// Some filter is on: the `<details>` opens.
    open: bool,
}

// ----- per-app counts (the dashboard, the filter) -----

/// Reviews of one app that owe an answer (no reply, or an outdated one).
pub struct ReviewCountRow {
    pub app_id: String,
    pub app_title: String,
    pub unanswered: i64,
    /// The inbox filtered by the app.
    pub href: String,
}

/// The seller's apps `(id, title)`, as many as a seller lists (a few pages at most).
async fn seller_apps(state: &AppState, seller: &SellerId) -> Result<Vec<(String, String)>, PageError> {
    let mut apps = Vec::new();
    let mut page = PageRequest { limit: 100, after: None };
    for _ in 0..5 {
        let got = state.store().list_apps(Some(seller), &page).await?;
        apps.extend(got.items.into_iter().map(|a| (a.id.0, a.title)));
        match got.next_cursor {
            Some(cursor) => page.after = Some(cursor),
            None => break,
        }
    }
    Ok(apps)
}

/// Every app of the developer's seller with its reviews that owe an answer.
pub async fn review_counts(
    state: &AppState,
    actor: &Actor,
    seller: &SellerId,
) -> Result<Vec<ReviewCountRow>, PageError> {
    let counts: HashMap<String, i64> =
        reviews::unanswered_counts(state.app(), actor).await?.into_iter().map(|c| (c.app_id.0, c.unanswered)).collect();
    Ok(seller_apps(state, seller)
        .await?
        .into_iter()
        .map(|(app_id, app_title)| ReviewCountRow {
            unanswered: counts.get(&app_id).copied().unwrap_or(0),
            href: format!("{INBOX}?app_id={}", percent_encode(&app_id)),
            app_id,
            app_title,
        })
        .collect())
}

// ----- the page -----

/// One review of the inbox, with its forms.
struct InboxCard {
    card: ReviewCard,
    /// No reply, or an outdated one: the card is marked.
    needs_reply: bool,
    /// R12: a hidden review cannot be answered until the store shows it again.
    can_reply: bool,
    /// The reply box: the reply as it stands, a filled saved reply, or what came back.
    reply_text: String,
    reply_error: Option<String>,
    /// The box holds a saved reply: read and edit it before posting.
    prefilled: bool,
    /// The saved replies, each a link that fills this card's box.
    templates: Vec<FilterLink>,
    report: ReportState,
}

#[derive(Template)]
#[template(path = "developer_reviews.html")]
struct InboxPage {
    ctx: PageCtx,
    notice: Option<Notice>,
    filter: FilterView,
    quick_links: Vec<FilterLink>,
    cards: Vec<InboxCard>,
    total_unanswered: i64,
    first_href: Option<String>,
    next_href: Option<String>,
    /// The filters, as hidden fields of every form.
    hidden: Vec<(&'static str, String)>,
    reply_max: usize,
    reply_help: String,
    reasons: Vec<(String, String)>,
    note_max: usize,
}

/// A reply form that came back with a problem.
pub struct ReplyBack {
    review_id: String,
    text: String,
    error: String,
}

/// What a form (or a saved-reply link) left for the inbox it comes back to.
#[derive(Default)]
pub struct InboxBack {
    pub notice: Option<Notice>,
    pub reply: Option<ReplyBack>,
    pub report: Option<ReportBack>,
    /// `(saved reply id, review id)`: fill that review's box with that saved reply.
    pub template: Option<(String, String)>,
}

fn quick_links(params: &InboxParams, i18n: &I18n) -> Vec<FilterLink> {
    let app = params.app_id.as_str();
    [
        ("reviews-quick-all", InboxParams::new(app, "", "", "")),
        ("reviews-quick-low", InboxParams::new(app, "1,2", "", "")),
        ("reviews-quick-unreplied", InboxParams::new(app, "", "false", "")),
        ("reviews-quick-outdated", InboxParams::new(app, "", "", "true")),
    ]
    .into_iter()
    .map(|(key, p)| FilterLink { label: i18n.t(key), current: p.pairs() == params.pairs(), href: p.href(&[], "") })
    .collect()
}

/// Renders the inbox of the signed-in developer's seller.
pub async fn render_inbox(
    state: &AppState,
    ctx: PageCtx,
    session: &Session,
    params: &InboxParams,
    cursor: Option<String>,
    back: InboxBack,
) -> Result<String, PageError> {
    let i18n = ctx.i18n;
    let seller = session.user.seller_id.clone().ok_or(PageError::Forbidden)?;
    let filter = params.filter()?;
    let page = page_request(&PageQuery { cursor: cursor.clone() }, PER_PAGE)?;
    let got = reviews::inbox(state.app(), &session.actor, &filter, &page).await?;
    let counts = review_counts(state, &session.actor, &seller).await?;
    let titles: HashMap<&str, &str> = counts.iter().map(|c| (c.app_id.as_str(), c.app_title.as_str())).collect();
    let saved = reply_templates::list(state.app(), &seller).await?;
    let mut notice = back.notice;
    let chosen = match &back.template {
        Some((template_id, review_id)) => match saved.iter().find(|t| t.id.0 == *template_id) {
            Some(template) => Some((template, review_id.as_str())),
            None => {
                notice = notice.or_else(|| Some(Notice::refused(i18n.t("tpl-not-found"))));
                None
            }
        },
        None => None,
    };
    let cursor_word = cursor.unwrap_or_default();
    let mut report_back = back.report;
    let mut reply_back = back.reply;
    let cards = got
        .items
        .iter()
        .map(|review| {
            let id = review.id.0.as_str();
            let app_title = titles.get(review.app_id.0.as_str()).copied().unwrap_or_default();
            let anchor = format!("review-{id}");
            let templates = saved
                .iter()
                .map(|t| {
                    let mut extra = vec![("template", t.id.0.as_str()), ("for", id)];
                    if !cursor_word.is_empty() {
                        extra.insert(0, ("cursor", cursor_word.as_str()));
                    }
                    FilterLink { label: t.title.clone(), href: params.href(&extra, &anchor), current: false }
                })
                .collect();
            let mut card = InboxCard {
                card: ReviewCard::staff(review, app_title, &i18n),
                needs_reply: review.needs_reply(),
                can_reply: review.hidden.is_none(),
                reply_text: review.reply.as_ref().map(|r| r.text.clone()).unwrap_or_default(),
                reply_error: None,
                prefilled: false,
                templates,
                report: ReportBack::state_for(&mut report_back, id),
            };
            if let Some((template, _)) = chosen.filter(|(_, for_review)| *for_review == id) {
                card.reply_text = fill_template(&template.text, &review.author_name, app_title);
                card.prefilled = true;
            }
            if let Some(b) = reply_back.take_if(|b| b.review_id == id) {
                card.reply_text = b.text;
                card.reply_error = Some(b.error);
            }
            card
        })
        .collect();
    // A form that came back for a review no longer listed says why in the notice.
    if let Some(error) = reply_back.map(|b| b.error).or_else(|| report_back.and_then(|b| b.state.error)) {
        notice = Some(Notice::refused(error));
    }
    let total_unanswered = counts.iter().map(|c| c.unanswered).sum();
    let filter_view = FilterView {
        app_id: params.app_id.clone(),
        rating: params.rating.clone(),
        replied: params.replied.clone(),
        outdated: params.outdated == "true",
        apps: counts.iter().map(|c| (c.app_id.clone(), format!("{} ({})", c.app_title, c.unanswered))).collect(),
        ratings: std::iter::once(("1,2".to_owned(), i18n.t("reviews-quick-low")))
            .chain((1..=5).rev().map(|n| (n.to_string(), i18n.count("rating-stars", n))))
            .collect(),
        replied_choices: vec![
            ("false".to_owned(), i18n.t("reviews-filter-unreplied")),
            ("true".to_owned(), i18n.t("reviews-filter-replied")),
        ],
        open: !params.pairs().is_empty(),
    };
    let page = InboxPage {
        notice,
        quick_links: quick_links(params, &i18n),
        filter: filter_view,
        cards,
        total_unanswered,
        first_href: page.after.is_some().then(|| params.href(&[], "")),
        next_href: got.next_cursor.map(|c| params.href(&[("cursor", &c.encode())], "")),
        hidden: params.pairs(),
        reply_max: REPLY_TEXT_MAX,
        reply_help: limit_text(&i18n, "reply-text-help", REPLY_TEXT_MAX),
        reasons: report_reasons(&i18n),
        note_max: NOTE_MAX,
        ctx,
    };
    Ok(page.render()?)
}

/// `?app_id=&rating=&replied=&outdated=&cursor=&notice=&template=&for=` of the inbox.
#[derive(Debug, Default, Deserialize)]
struct InboxQuery {
    #[serde(default)]
    app_id: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    replied: String,
    #[serde(default)]
    outdated: String,
    cursor: Option<String>,
    notice: Option<String>,
    template: Option<String>,
    #[serde(rename = "for")]
    for_review: Option<String>,
}

/// What the form that redirected here did; unknown words are ignored.
fn notice_for(i18n: &I18n, word: &str) -> Option<Notice> {
    let key = match word {
        "replied" => "reply-notice-posted",
        "reply_unchanged" => "reply-notice-unchanged",
        "reply_confirmed" => "reply-notice-confirmed",
        "reply_deleted" => "reply-notice-deleted",
        "reported" => "review-notice-reported-by-developer",
        "already_reported" => return Some(Notice::refused(i18n.t("review-notice-already-reported"))),
        _ => return None,
    };
    Some(Notice::done(i18n.t(key)))
}

async fn inbox_page(State(state): State<AppState>, ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    let (session, _) = own_seller(&ctx)?;
    let q: InboxQuery = query(&uri)?;
    let params = InboxParams::new(&q.app_id, &q.rating, &q.replied, &q.outdated);
    let back = InboxBack {
        notice: q.notice.as_deref().and_then(|word| notice_for(&ctx.i18n, word)),
        template: q.template.zip(q.for_review),
        ..InboxBack::default()
    };
    Ok(Html(render_inbox(&state, ctx, &session, &params, q.cursor, back).await?).into_response())
}

// ----- the reply forms (R11, R18) -----

#[derive(Debug, Deserialize)]
struct ReplyBody {
    // Defaulted, so that a form without a token is refused as CSRF (403), not as a
    // malformed body.
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    app_id: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    replied: String,
    #[serde(default)]
    outdated: String,
}

impl ReplyBody {
    fn params(&self) -> InboxParams {
        InboxParams::new(&self.app_id, &self.rating, &self.replied, &self.outdated)
    }
}

/// Which reply form was sent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ReplyAction {
    Post,
    Confirm,
    Delete,
}

async fn post_reply(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    request: Request,
) -> PageResult {
    reply_form(state, ctx, id, request, ReplyAction::Post).await
}

async fn confirm_reply(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    request: Request,
) -> PageResult {
    reply_form(state, ctx, id, request, ReplyAction::Confirm).await
}

async fn delete_reply(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    request: Request,
) -> PageResult {
    reply_form(state, ctx, id, request, ReplyAction::Delete).await
}

/// R11/R18: posts (or edits), confirms or deletes the official reply; back to the inbox
/// with a notice, or the inbox again with the box's problem (422) or the store's
/// refusal (409), nothing changed. Only the app's seller's developers: another
/// seller's is told the review does not exist (404), anyone else is refused (403),
/// before the form is read.
async fn reply_form(state: AppState, ctx: PageCtx, id: String, request: Request, action: ReplyAction) -> PageResult {
    let session = ctx.require_session()?.clone();
    let permit = reviews::permit_reply(state.app(), &session.actor, &ReviewId(id)).await?;
    let form: ReplyBody = read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    let params = form.params();
    // A tampered filter is refused before anything is changed.
    params.filter()?;
    let review_id = permit.review.id.0.clone();
    let text = textarea(&form.text);
    let who = caller(&session);
    let outcome = match action {
        ReplyAction::Post => reviews::reply(state.app(), who, &permit, &text).await,
        ReplyAction::Confirm => reviews::confirm_reply(state.app(), who, &permit).await,
        ReplyAction::Delete => reviews::delete_reply(state.app(), who, &permit).await,
    };
    let (status, back) = match outcome {
        Ok(_) => {
            let unchanged = permit.review.reply.as_ref().is_some_and(|r| r.text == text && !r.outdated);
            let word = match action {
                ReplyAction::Post if unchanged => "reply_unchanged",
                ReplyAction::Post => "replied",
                ReplyAction::Confirm => "reply_confirmed",
                ReplyAction::Delete => "reply_deleted",
            };
            // Back to the notice at the top, with the next review that needs a reply below.
            let to = back_to(INBOX, &params.query_string(), word, "review-notice");
            return Ok(see_other(&to).into_response());
        }
        Err(AppError::Invalid(errors)) => {
            let errors = field_errors(&errors, &ctx.i18n, REPLY_TEXT_MAX);
            let error = errors.all().iter().map(|(_, m)| m.as_str()).collect::<Vec<_>>().join(" ");
            let back = InboxBack {
                notice: Some(Notice::refused(ctx.i18n.t("form-has-errors"))),
                reply: Some(ReplyBack { review_id, text, error }),
                ..InboxBack::default()
            };
            (StatusCode::UNPROCESSABLE_ENTITY, back)
        }
        Err(AppError::ReviewRefused(refusal)) => {
            let message = ctx.i18n.t(&format!("review-refused-{}", refusal.code()));
            (StatusCode::CONFLICT, InboxBack { notice: Some(Notice::refused(message)), ..InboxBack::default() })
        }
        Err(other) => return Err(other.into()),
    };
    let html = render_inbox(&state, ctx, &session, &params, None, back).await?;
    Ok((status, Html(html)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inbox_links_keep_the_filters() {
        let params = InboxParams::new("a1", "1,2", "", "");
        assert_eq!(params.href(&[], ""), "/developer/reviews?app_id=a1&rating=1%2C2");
        assert_eq!(
            params.href(&[("template", "t1"), ("for", "r1")], "review-r1"),
            "/developer/reviews?app_id=a1&rating=1%2C2&template=t1&for=r1#review-r1"
        );
        assert!(InboxParams::new("", "", "maybe", "").filter().is_err());
        assert!(InboxParams::new("", "9", "", "").filter().is_err());
    }
}
