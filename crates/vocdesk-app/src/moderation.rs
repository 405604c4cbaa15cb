//! Reports and moderation (R12), for every door: customers and developers report, and
//! operators hide or show again a review or its reply with a reason, which the author
//! is told by mail in their language; hidden items leave the public list and the rating
//! summary (R13) in the same transaction.

use vocdesk_domain::ids::ReviewId;
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::policy;
use vocdesk_domain::review::{
    Report, ReportDraft, ReportTarget, ReportedItem, Review, ReviewRefusal, parse_moderation_reason,
};
use vocdesk_domain::role::Actor;
use vocdesk_mail::{Moderation, Recipient};
use vocdesk_store::{HideOutcome, ReportOutcome};

use crate::caller::Caller;
use crate::context::App;
use crate::error::{AppError, AppResult};
use crate::parties::developer_recipients;
use crate::reviews::facts;

/// R12: leave to report a review (and, for customers, its reply).
#[derive(Clone, Debug)]
pub struct ReportPermit {
    /// The review reported.
    pub review: Review,
}

/// R12: asks whether the caller may report `review_id`. A hidden review is not shown
/// to reporters, so it is not found; a developer reports only their seller's reviews.
pub async fn permit_report(app: &App, actor: &Actor, review_id: &ReviewId) -> AppResult<ReportPermit> {
    let review = app.store().review(review_id).await?.ok_or(AppError::NotFound)?;
    policy::report(actor, &review, ReportTarget::Review)?;
    if review.hidden.is_some() {
        return Err(AppError::NotFound);
    }
    Ok(ReportPermit { review })
}

/// R12: files a report (target `review` or `reply`, a reason, an optional note); a
/// second open report by the same person on the same item is refused (409).
pub async fn report(
    app: &App,
    caller: Caller<'_>,
    permit: &ReportPermit,
    target: &str,
    reason: &str,
    note: Option<&str>,
) -> AppResult<Report> {
    let draft = ReportDraft::parse(target, reason, note)?;
    policy::report(caller.actor, &permit.review, draft.target)?;
    if draft.target == ReportTarget::Reply && permit.review.public_reply().is_none() {
        return Err(ReviewRefusal::NoReply.into());
    }
    let outcome =
        app.store().file_report(&permit.review.id, &caller.user.id, &draft, &caller.acting(), app.now()).await?;
    match outcome {
        ReportOutcome::Filed(report) => Ok(report),
        ReportOutcome::AlreadyOpen => Err(ReviewRefusal::AlreadyReported.into()),
    }
}

/// R12: leave to moderate one review: an operator, and the review exists.
#[derive(Clone, Debug)]
pub struct ModerationPermit {
    /// The review.
    pub review: Review,
}

/// R12: asks whether the caller may moderate `review_id` (operators only).
pub async fn permit_moderation(app: &App, actor: &Actor, review_id: &ReviewId) -> AppResult<ModerationPermit> {
    policy::moderate(actor)?;
    let review = app.store().review(review_id).await?.ok_or(AppError::NotFound)?;
    Ok(ModerationPermit { review })
}

/// R12/R13: hides (`hide`) or shows again the review or its reply, with a reason the
/// author is told by mail; doing what is already so changes nothing and sends nothing.
pub async fn set_hidden(
    app: &App,
    caller: Caller<'_>,
    permit: &ModerationPermit,
    target: ReportTarget,
    hide: bool,
    reason: &str,
) -> AppResult<Review> {
    let reason = parse_moderation_reason(reason)?;
    let review = &permit.review;
    if target == ReportTarget::Reply && review.reply.is_none() {
        return Err(ReviewRefusal::NoReply.into());
    }
    let listed = app.store().app(&review.app_id).await?.ok_or(AppError::NotFound)?;
    let what = match (target, hide) {
        (ReportTarget::Review, true) => Moderation::ReviewHidden,
        (ReportTarget::Review, false) => Moderation::ReviewRestored,
        (ReportTarget::Reply, true) => Moderation::ReplyHidden,
        (ReportTarget::Reply, false) => Moderation::ReplyRestored,
    };
    let to = match target {
        ReportTarget::Review => {
            let author = app.store().user(&review.author_id).await?.ok_or(AppError::NotFound)?;
            vec![Recipient::from(author)]
        }
        ReportTarget::Reply => {
            let seller = app.store().seller(&review.seller_id).await?.ok_or(AppError::NotFound)?;
            developer_recipients(app, &seller.id, &seller.support_email).await?
        }
    };
    let mails = app.mail().review_moderated(&facts(review, &listed), what, &reason, &to)?;
    let outcome =
        app.store().set_hidden(&review.id, target, hide, &reason, &mails, &caller.acting(), app.now()).await?;
    match outcome {
        HideOutcome::Changed(review) | HideOutcome::Unchanged(review) => Ok(review),
        HideOutcome::NoReply => Err(ReviewRefusal::NoReply.into()),
    }
}

/// R12: the operator keeps a reported item as it is; its open reports are resolved.
pub async fn dismiss(app: &App, caller: Caller<'_>, permit: &ModerationPermit, target: ReportTarget) -> AppResult<u64> {
    Ok(app.store().dismiss_reports(&permit.review.id, target, &caller.acting(), app.now()).await?)
}

/// R12: the moderation queue, the longest waiting item first (operators only).
pub async fn queue(app: &App, actor: &Actor, page: &PageRequest) -> AppResult<Page<ReportedItem>> {
    policy::moderate(actor)?;
    Ok(app.store().moderation_queue(page).await?)
}
