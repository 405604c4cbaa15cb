//! Ratings, reviews and the official reply (R10, R11, R13, R18), written once for every
//! door. Each change is authorized first, by a `permit_*` function that asks the policy
//! about the app or the review and answers a permit; the door reads the request body
//! only after that, and hands the permit to the change. The change validates, renders
//! the mail it causes and makes one store call, which commits it with its counters,
//! outbox rows and audit entry.

use vocdesk_domain::catalog::App as Listed;
use vocdesk_domain::ids::{AppId, ReviewId};
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::policy;
use vocdesk_domain::review::{
    AppReviewCounts, InboxFilter, ReplyVersion, Report, Review, ReviewDraft, ReviewFilter, ReviewRefusal,
    ReviewVersion, parse_reply_text,
};
use vocdesk_domain::role::Actor;
use vocdesk_mail::{Recipient, ReviewFacts};
use vocdesk_store::{PutReviewOutcome, ReplyOutcome, ReviewWrite};

use crate::caller::Caller;
use crate::context::App;
use crate::error::{AppError, AppResult};

/// R10: leave to write, edit or delete one's own review of an app: the app exists and
/// the caller is a customer who obtained it.
#[derive(Clone, Debug)]
pub struct ReviewPermit {
    /// The app reviewed.
    pub app: Listed,
}

/// R10: asks whether the caller may review `app_id`: a missing app is not found; anyone
/// but a customer who obtained it is refused (403).
pub async fn permit_review(app: &App, caller: Caller<'_>, app_id: &AppId) -> AppResult<ReviewPermit> {
    policy::read_own_review(caller.actor)?;
    let listed = app.store().app(app_id).await?.ok_or(AppError::NotFound)?;
    let obtained = app.store().has_obtained(&caller.user.id, &listed.id).await?;
    policy::review_app(caller.actor, obtained)?;
    Ok(ReviewPermit { app: listed })
}

/// R10/R13/R18: writes the caller's review (create or edit); the language is the text's,
/// or the author's for a star-only rating.
pub async fn put(
    app: &App,
    caller: Caller<'_>,
    permit: &ReviewPermit,
    rating: i64,
    text: Option<&str>,
) -> AppResult<PutReviewOutcome> {
    let draft = ReviewDraft::parse(rating, text, caller.user.locale)?;
    let write = ReviewWrite {
        app_id: permit.app.id.clone(),
        seller_id: permit.app.seller_id.clone(),
        author_id: caller.user.id.clone(),
        draft,
    };
    Ok(app.store().put_review(&write, &caller.acting(), app.now()).await?)
}

/// R10/R13: deletes the caller's review of the app; not found when there is none.
pub async fn delete(app: &App, caller: Caller<'_>, permit: &ReviewPermit) -> AppResult<Review> {
    let deleted = app.store().delete_review(&permit.app.id, &caller.user.id, &caller.acting(), app.now()).await?;
    deleted.ok_or(AppError::NotFound)
}

/// R10: the caller's own review of an app with its earlier versions, newest first
/// (hidden ones too, with the moderator's reason); `None` before they wrote one.
pub async fn mine(app: &App, caller: Caller<'_>, app_id: &AppId) -> AppResult<Option<(Review, Vec<ReviewVersion>)>> {
    policy::read_own_review(caller.actor)?;
    let Some(review) = app.store().review_by_author(app_id, &caller.user.id).await? else { return Ok(None) };
    let versions = app.store().review_versions(&review.id).await?;
    Ok(Some((review, versions)))
}

/// R10/R13: the app with its rating summary and a page of its visible reviews; public.
/// The page is shared with the store's cache (see `ReviewStore::public_reviews_shared`).
pub async fn public_page(
    app: &App,
    app_id: &AppId,
    filter: &ReviewFilter,
    page: &PageRequest,
) -> AppResult<(Listed, std::sync::Arc<Page<Review>>)> {
    let listed = app.store().app(app_id).await?.ok_or(AppError::NotFound)?;
    let reviews = app.store().public_reviews_shared(&listed.id, filter, page).await?;
    Ok((listed, reviews))
}

/// R11: leave to reply to one review: the caller is a developer of its app's seller.
#[derive(Clone, Debug)]
pub struct ReplyPermit {
    /// The review as it was when the permit was given (the store checks again under
    /// the review's lock).
    pub review: Review,
}

/// R11: asks whether the caller may answer `review_id`: another seller's developer is
/// told it does not exist; customers and operators are refused.
pub async fn permit_reply(app: &App, actor: &Actor, review_id: &ReviewId) -> AppResult<ReplyPermit> {
    policy::answer_reviews(actor)?;
    let review = app.store().review(review_id).await?.ok_or(AppError::NotFound)?;
    policy::reply_to_review(actor, &review)?;
    Ok(ReplyPermit { review })
}

/// The facts of a review that its mails quote.
pub(crate) fn facts<'a>(review: &'a Review, listed: &'a Listed) -> ReviewFacts<'a> {
    ReviewFacts {
        review_id: &review.id,
        app_id: &review.app_id,
        app_title: &listed.title,
        seller_name: &listed.seller_name,
        stars: review.stars,
        review_text: review.text.as_deref(),
    }
}

/// R11: posts or edits the official reply and tells the reviewer by mail, in their
/// language. Posting the same text again changes nothing and sends nothing; a hidden
/// review cannot be answered (409).
pub async fn reply(app: &App, caller: Caller<'_>, permit: &ReplyPermit, text: &str) -> AppResult<Review> {
    let text = parse_reply_text(text)?;
    let review = &permit.review;
    if review.hidden.is_some() {
        return Err(ReviewRefusal::ReviewHidden.into());
    }
    let listed = app.store().app(&review.app_id).await?.ok_or(AppError::NotFound)?;
    let author = app.store().user(&review.author_id).await?.ok_or(AppError::NotFound)?;
    let mail = app.mail().review_replied(&facts(review, &listed), &text, &Recipient::from(author))?;
    let outcome =
        app.store().put_reply(&review.id, &caller.user.id, &text, &[mail], &caller.acting(), app.now()).await?;
    match outcome {
        ReplyOutcome::Posted(review) | ReplyOutcome::Unchanged(review) => Ok(review),
        ReplyOutcome::ReviewHidden => Err(ReviewRefusal::ReviewHidden.into()),
    }
}

/// R18: the developer confirms that the reply still answers the edited review.
pub async fn confirm_reply(app: &App, caller: Caller<'_>, permit: &ReplyPermit) -> AppResult<Review> {
    let confirmed = app.store().confirm_reply(&permit.review.id, &caller.acting(), app.now()).await?;
    confirmed.ok_or(AppError::ReviewRefused(ReviewRefusal::NoReply))
}

/// R11: deletes the official reply (kept in its history); 409 when there is none.
pub async fn delete_reply(app: &App, caller: Caller<'_>, permit: &ReplyPermit) -> AppResult<Review> {
    let deleted = app.store().delete_reply(&permit.review.id, &caller.user.id, &caller.acting(), app.now()).await?;
    deleted.ok_or(AppError::ReviewRefused(ReviewRefusal::NoReply))
}

/// What the developers' side sees of one review: its earlier versions, every version of
/// the reply and, for operators, its open reports.
#[derive(Clone, Debug)]
pub struct StaffView {
    /// The review with its reply, hidden or not.
    pub review: Review,
    /// Earlier versions of the review, newest first.
    pub versions: Vec<ReviewVersion>,
    /// Every version of the reply, newest first.
    pub reply_history: Vec<ReplyVersion>,
    /// Open reports (operators only; empty for developers).
    pub reports: Vec<Report>,
}

/// R11/R12: one review as the seller's developers and operators see it.
pub async fn staff_view(app: &App, actor: &Actor, review_id: &ReviewId) -> AppResult<StaffView> {
    let review = app.store().review(review_id).await?.ok_or(AppError::NotFound)?;
    policy::read_review_as_staff(actor, &review)?;
    let versions = app.store().review_versions(&review.id).await?;
    let reply_history = app.store().reply_versions(&review.id).await?;
    let reports =
        if policy::moderate(actor).is_ok() { app.store().open_reports(&review.id).await? } else { Vec::new() };
    Ok(StaffView { review, versions, reply_history, reports })
}

/// R11: the reviews inbox: a developer's seller's apps, every app for operators.
pub async fn inbox(app: &App, actor: &Actor, filter: &InboxFilter, page: &PageRequest) -> AppResult<Page<Review>> {
    let scope = policy::list_review_inbox(actor)?;
    Ok(app.store().review_inbox(&scope, filter, page).await?)
}

/// Per app of the developer's seller: reviews that owe an answer.
pub async fn unanswered_counts(app: &App, actor: &Actor) -> AppResult<Vec<AppReviewCounts>> {
    match policy::list_review_inbox(actor)? {
        vocdesk_domain::review::ReviewScope::Seller(seller) => {
            Ok(app.store().unanswered_review_counts(&seller).await?)
        }
        vocdesk_domain::review::ReviewScope::All => Ok(Vec::new()),
    }
}
