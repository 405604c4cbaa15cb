//! The developer center's home (`/developer`), a phone home first (issue 13 item 4):
//! what is owed comes first, each one tap from its reply box: the inquiries nearest the
//! R5 limit (overdue, or due within a day), then the other unanswered ones, then the
//! unanswered low-star (1-2) reviews (R11), with the seller's saved replies at hand.
//! Below come the counts, the refund links and the seller's apps, as before.
//!
//! The page may be kept by the browser for reading offline (`private, no-cache`): it
//! shows subjects and names of the seller's own inquiries, no payment ids.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse};
use jiff::SignedDuration;
use vocdesk_domain::inquiry::{Inquiry, InquiryFilter, InquiryStatus};
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::policy;
use vocdesk_domain::review::{InboxFilter, StarSet};

use super::context::PageCtx;
use super::error::PageError;
use super::inquiries::{self, InquiryRow, rows};
use super::pwa::keep_private;
use super::reviews::{self, ReviewCountRow, StarsView};
use super::views::AppCard;
use super::{PageResult, page_request, query};
use crate::state::AppState;

/// How many unanswered inquiries the home lists (the inbox has the rest).
const OWED_INQUIRIES: u32 = 10;
/// How many unanswered low-star reviews the home lists.
const OWED_REVIEWS: u32 = 5;
/// An inquiry due within this long is "near the limit" (R5's reminder comes then too).
const NEAR_LIMIT: SignedDuration = SignedDuration::from_hours(24);

/// One unanswered low-star review on the home, linked to its reply box in the inbox.
pub struct OwedReview {
    /// The review's id, for the row's `data-review`.
    pub id: String,
    /// Which of the seller's apps it is about.
    pub app_title: String,
    /// Its rating (1 or 2), as the reviews inbox shows it.
    pub stars: StarsView,
    /// The start of its text, enough to know which one it is on a phone.
    pub excerpt: String,
    /// When it was last written.
    pub written_at: String,
    /// The reviews inbox filtered to unanswered 1-2 stars, at this review's reply form.
    pub href: String,
}

#[derive(Template)]
#[template(path = "developer.html")]
struct DeveloperPage {
    ctx: PageCtx,
    seller_name: String,
    /// R5: inquiries awaiting a reply, and of those overdue, over all the seller's apps.
    unanswered: i64,
    overdue: i64,
    /// R5: the unanswered inquiries overdue or due within a day, least time left first.
    near_limit: Vec<InquiryRow>,
    /// The other unanswered inquiries, least time left first.
    waiting: Vec<InquiryRow>,
    /// R11: unanswered 1-2 star reviews, newest first.
    low_reviews: Vec<OwedReview>,
    /// What the app badge shows: unanswered inquiries and reviews that owe an answer.
    owed_count: i64,
    apps: Vec<AppCard>,
    next_cursor: Option<String>,
    is_first_page: bool,
    /// R11: per app, the reviews that owe an answer, and their total.
    review_counts: Vec<ReviewCountRow>,
    reviews_unanswered: i64,
}

/// `GET /developer`.
pub async fn developer_page(State(state): State<AppState>, ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    let session = ctx.require_session()?;
    let seller_id = session.user.seller_id.clone().ok_or(PageError::Forbidden)?;
    ctx.authorize(|actor| policy::act_for_seller(actor, &seller_id))?;
    let seller = state.store().seller(&seller_id).await?.ok_or(PageError::NotFound)?;
    let page = page_request(&query(&uri)?, 24)?;
    let apps = state.store().list_apps(Some(&seller_id), &page).await?;
    let (_, unanswered, overdue) = inquiries::seller_counts(&state, &seller_id).await?;
    // The list is ordered by time left (R5's `inbox_rank`).
    let filter = InquiryFilter { status: Some(InquiryStatus::AwaitingDeveloper), ..InquiryFilter::default() };
    let owed = vocdesk_app::inquiries::list(
        state.app(),
        &session.actor,
        Some(&seller_id),
        filter,
        &PageRequest { limit: OWED_INQUIRIES, after: None },
    )
    .await?;
    let (near, later): (Vec<Inquiry>, Vec<Inquiry>) = owed.items.into_iter().partition(|q| near_limit(&state, q));
    let as_rows = |items: Vec<Inquiry>| rows(&state, &ctx.i18n, &Page { items, next_cursor: None }, true);
    let review_counts = reviews::review_counts(&state, &session.actor, &seller_id).await?;
    let low_reviews = low_reviews(&state, &ctx, &review_counts).await?;
    let reviews_unanswered = review_counts.iter().map(|c| c.unanswered).sum();
    let page = DeveloperPage {
        owed_count: unanswered + reviews_unanswered,
        reviews_unanswered,
        review_counts,
        seller_name: seller.name,
        unanswered,
        overdue,
        near_limit: as_rows(near),
        waiting: as_rows(later),
        low_reviews,
        apps: apps.items.iter().map(|a| AppCard::new(a, &ctx.i18n)).collect(),
        next_cursor: apps.next_cursor.map(|c| c.encode()),
        is_first_page: page.after.is_none(),
        ctx,
    };
    Ok(keep_private(Html(page.render()?).into_response()))
}

/// R5: overdue, or due within [`NEAR_LIMIT`].
fn near_limit(state: &AppState, inquiry: &Inquiry) -> bool {
    inquiry.state().due_at(state.response_limit()).is_some_and(|due| due.duration_since(state.now()) <= NEAR_LIMIT)
}

/// R11: the seller's unanswered 1-2 star reviews (the reviews inbox's own query).
async fn low_reviews(state: &AppState, ctx: &PageCtx, counts: &[ReviewCountRow]) -> Result<Vec<OwedReview>, PageError> {
    let session = ctx.require_session()?;
    let stars = StarSet::parse("1,2").map_err(|_| PageError::BadRequest)?;
    let filter = InboxFilter { stars, replied: Some(false), ..InboxFilter::default() };
    let page = PageRequest { limit: OWED_REVIEWS, after: None };
    let found = vocdesk_app::reviews::inbox(state.app(), &session.actor, &filter, &page).await?;
    Ok(found
        .items
        .iter()
        .map(|review| {
            let app_title =
                counts.iter().find(|c| c.app_id == review.app_id.0).map(|c| c.app_title.clone()).unwrap_or_default();
            let text = review.text.clone().unwrap_or_default();
            let excerpt: String = text.chars().take(80).collect();
            let excerpt = if excerpt.len() < text.len() { format!("{excerpt}…") } else { excerpt };
            OwedReview {
                href: format!("/developer/reviews?rating=1,2&replied=false#reply-form-{}", review.id.0),
                id: review.id.0.clone(),
                app_title,
                stars: StarsView::new(review.stars, &ctx.i18n),
                excerpt,
                written_at: ctx.i18n.datetime(&review.updated_at),
            }
        })
        .collect())
}
