//! The app page (R10-R13, R18): the rating summary with its histogram, the visible
//! reviews with their official replies, filtered by stars and sorted; for a signed-in
//! customer their own review (with the store's reason when it is hidden, and its
//! earlier versions) with the forms to write, edit or delete it, and a report form
//! under every other review (R12).

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use serde::Deserialize;
use vocdesk_app::{AppError, moderation, reviews};
use vocdesk_domain::catalog::App;
use vocdesk_domain::ids::{AppId, ReviewId};
use vocdesk_domain::review::{NOTE_MAX, REVIEW_TEXT_MAX, ReviewFilter, ReviewRefusal, ReviewSort, StarSet, Stars};
use vocdesk_domain::role::Role;
use vocdesk_store::PutReviewOutcome;

use super::super::console_views::Notice;
use super::super::context::{PageCtx, percent_encode};
use super::super::error::PageError;
use super::super::inquiries::{FieldErrors, caller};
use super::super::views::AppCard;
use super::super::{CsrfForm, PageQuery, PageResult, page_request, query};
use super::developer::{self, InboxBack, InboxParams};
use super::views::{FilterLink, ReportBack, ReportState, ReviewCard, VersionView, report_reasons};
use super::{PER_PAGE, REVIEW_BODY_LIMIT, back_to, field_errors, limit_text, read_form, textarea};
use crate::headers::see_other;
use crate::i18n::I18n;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/apps/{app_id}", get(app_page))
        .route(
            "/apps/{app_id}/reviews/mine",
            get(to_my_review).post(put_mine).layer(DefaultBodyLimit::max(REVIEW_BODY_LIMIT)),
        )
        .route("/apps/{app_id}/reviews/mine/delete", get(to_my_review).post(delete_mine))
        .route("/reviews/{id}/report", get(to_review).post(report))
}

async fn to_my_review(Path(app_id): Path<String>) -> Redirect {
    see_other(&format!("/apps/{}#my-review", percent_encode(&app_id)))
}

/// The report form's address leads to the review on its app page.
async fn to_review(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let review = state.store().review(&ReviewId(id)).await?.filter(|r| r.hidden.is_none());
    let review = review.ok_or(PageError::NotFound)?;
    Ok(see_other(&format!("/apps/{}#review-{}", review.app_id.0, review.id.0)).into_response())
}

/// The notice's id: a form returns to it, so that what it says is in view.
const NOTICE: &str = "review-notice";

fn app_href(app_id: &AppId) -> String {
    format!("/apps/{}", percent_encode(&app_id.0))
}

// ----- which reviews are listed -----

/// The star filter and the order of the list, as its links carry them (`?rating=1,2`,
/// `?sort=oldest`); the defaults are left out of the links.
#[derive(Clone, Copy, Debug, Default)]
struct Listing {
    stars: StarSet,
    sort: ReviewSort,
}

impl Listing {
    /// A malformed filter is a 400 page, not a silently different list.
    fn parse(rating: &str, sort: &str) -> Result<Self, PageError> {
        let stars = StarSet::parse(rating).map_err(|_| PageError::BadRequest)?;
        let sort = match sort.trim() {
            "" => ReviewSort::default(),
            word => ReviewSort::parse(word).ok_or(PageError::BadRequest)?,
        };
        Ok(Self { stars, sort })
    }

    fn query(&self) -> String {
        let mut parts = Vec::new();
        if !self.stars.is_empty() {
            let word: Vec<String> = self.stars.stars().iter().map(|s| s.get().to_string()).collect();
            parts.push(format!("rating={}", percent_encode(&word.join(","))));
        }
        if self.sort != ReviewSort::default() {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        parts.join("&")
    }

    /// The list's address with this filter, on the page after `cursor`.
    fn href(&self, app_id: &AppId, cursor: Option<&str>) -> String {
        let mut query = self.query();
        if let Some(cursor) = cursor {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str("cursor=");
            query.push_str(&percent_encode(cursor));
        }
        let base = app_href(app_id);
        if query.is_empty() { format!("{base}#reviews") } else { format!("{base}?{query}#reviews") }
    }

    /// "All" and one link per rating, five stars first.
    fn star_links(&self, app_id: &AppId, i18n: &I18n) -> Vec<FilterLink> {
        let all = Listing { stars: StarSet::default(), ..*self };
        let mut links = vec![FilterLink {
            label: i18n.t("reviews-filter-all"),
            href: all.href(app_id, None),
            current: self.stars.is_empty(),
        }];
        for stars in Stars::ALL.into_iter().rev() {
            let only = Listing { stars: StarSet::of(&[stars]), ..*self };
            links.push(FilterLink {
                label: format!("★ {}", stars.get()),
                href: only.href(app_id, None),
                current: self.stars == only.stars,
            });
        }
        links
    }

    fn sort_links(&self, app_id: &AppId, i18n: &I18n) -> Vec<FilterLink> {
        [ReviewSort::Newest, ReviewSort::Oldest, ReviewSort::RatingHigh, ReviewSort::RatingLow]
            .into_iter()
            .map(|sort| FilterLink {
                label: i18n.t(&format!("reviews-sort-{}", sort.as_str())),
                href: Listing { sort, ..*self }.href(app_id, None),
                current: self.sort == sort,
            })
            .collect()
    }
}

// ----- the page -----

/// One bar of the star histogram, linking to the reviews with that rating.
struct Bar {
    stars: u8,
    label: String,
    count: i64,
    percent: i64,
    href: String,
}

/// One review of the list.
struct ListedReview {
    card: ReviewCard,
    /// The visitor's own review (no report form under it).
    mine: bool,
    can_report: bool,
    report: ReportState,
}

/// What the customer typed into the review form, and its problems.
#[derive(Default)]
struct MineForm {
    rating: String,
    text: String,
    errors: FieldErrors,
}

/// The customer's own review (hidden ones too), with its earlier versions.
struct MyReview {
    card: ReviewCard,
    history: Vec<VersionView>,
    history_label: String,
}

/// The visitor's part of the page.
#[derive(Default)]
struct MyPart {
    /// Signed out: sign in, and come back to write a review.
    signin_href: Option<String>,
    /// A signed-in customer.
    customer: bool,
    /// R10: they obtained the app, so they may write (or change) a review.
    can_review: bool,
    mine: Option<MyReview>,
    form: MineForm,
}

#[derive(Template)]
#[template(path = "app.html")]
struct AppPage {
    ctx: PageCtx,
    app: AppCard,
    items: Vec<(String, String)>,
    notice: Option<Notice>,
    bars: Vec<Bar>,
    star_links: Vec<FilterLink>,
    sort_links: Vec<FilterLink>,
    reviews: Vec<ListedReview>,
    /// A star filter is on, so an empty list says "none match".
    filtered: bool,
    first_href: Option<String>,
    next_href: Option<String>,
    me: MyPart,
    /// `(value, label)`: one to five stars.
    star_choices: Vec<(String, String)>,
    /// `(word, label)` of the report reasons.
    reasons: Vec<(String, String)>,
    text_max: usize,
    text_help: String,
    note_max: usize,
    /// No hidden fields beyond the token in this page's report forms.
    report_fields: Vec<(String, String)>,
}

/// What a form left for the page it comes back to.
#[derive(Default)]
struct Back {
    notice: Option<Notice>,
    mine: Option<MineForm>,
    report: Option<ReportBack>,
}

fn bars(app: &App, listing: &Listing, i18n: &I18n) -> Vec<Bar> {
    let max = app.rating.histogram.iter().copied().max().unwrap_or(0).max(1);
    Stars::ALL
        .into_iter()
        .rev()
        .map(|stars| {
            let count = app.rating.histogram[stars.index()];
            Bar {
                stars: stars.get(),
                label: i18n.count("rating-stars", i64::from(stars.get())),
                count,
                percent: count * 100 / max,
                href: Listing { stars: StarSet::of(&[stars]), ..*listing }.href(&app.id, None),
            }
        })
        .collect()
}

/// R10: the signed-in customer's review and whether they may write one.
async fn my_part(state: &AppState, ctx: &PageCtx, app: &App, back: Option<MineForm>) -> Result<MyPart, PageError> {
    let i18n = ctx.i18n;
    let Some(session) = &ctx.session else {
        let next = format!("{}#my-review", app_href(&app.id));
        return Ok(MyPart {
            signin_href: Some(format!("/signin?next={}", percent_encode(&next))),
            ..MyPart::default()
        });
    };
    if session.user.role != Role::Customer {
        return Ok(MyPart::default());
    }
    let who = caller(session);
    let mine = reviews::mine(state.app(), who, &app.id).await?;
    let can_review = match reviews::permit_review(state.app(), who, &app.id).await {
        Ok(_) => true,
        Err(AppError::Forbidden(_)) => false,
        Err(other) => return Err(other.into()),
    };
    let form = back.unwrap_or_else(|| match &mine {
        Some((review, _)) => MineForm {
            rating: review.stars.get().to_string(),
            text: review.text.clone().unwrap_or_default(),
            errors: FieldErrors::default(),
        },
        None => MineForm::default(),
    });
    let mine = mine.map(|(review, versions)| MyReview {
        card: ReviewCard::public(&review, &i18n),
        history_label: i18n.count("review-history", versions.len() as i64),
        history: versions.iter().map(|v| VersionView::new(v, &i18n)).collect(),
    });
    Ok(MyPart { signin_href: None, customer: true, can_review, mine, form })
}

async fn render_app(
    state: &AppState,
    ctx: PageCtx,
    app_id: &AppId,
    listing: &Listing,
    cursor: Option<String>,
    back: Back,
) -> Result<String, PageError> {
    let i18n = ctx.i18n;
    let page = page_request(&PageQuery { cursor }, PER_PAGE)?;
    let filter = ReviewFilter { stars: listing.stars, sort: listing.sort, ..ReviewFilter::default() };
    let (app, found) = reviews::public_page(state.app(), app_id, &filter, &page).await?;
    let items = state.store().items_of_app(&app.id).await?;
    let me = my_part(state, &ctx, &app, back.mine).await?;
    let my_id = me.mine.as_ref().map(|m| m.card.id.clone());
    let mut report_back = back.report;
    let reviews: Vec<ListedReview> = found
        .items
        .iter()
        .map(|review| {
            let mine = my_id.as_deref() == Some(review.id.0.as_str());
            ListedReview {
                card: ReviewCard::public(review, &i18n),
                mine,
                can_report: me.customer && !mine,
                report: ReportBack::state_for(&mut report_back, &review.id.0),
            }
        })
        .collect();
    // A report that came back for a review no longer listed says why in the notice.
    let notice = match report_back.and_then(|b| b.state.error) {
        Some(error) => Some(Notice::refused(error)),
        None => back.notice,
    };
    let page = AppPage {
        bars: bars(&app, listing, &i18n),
        star_links: listing.star_links(&app.id, &i18n),
        sort_links: listing.sort_links(&app.id, &i18n),
        filtered: !listing.stars.is_empty(),
        first_href: page.after.is_some().then(|| listing.href(&app.id, None)),
        next_href: found.next_cursor.as_ref().map(|c| listing.href(&app.id, Some(&c.encode()))),
        app: AppCard::new(&app, &i18n),
        items: items.iter().map(|i| (i.title.clone(), i.price.display())).collect(),
        notice,
        reviews,
        me,
        star_choices: Stars::ALL
            .iter()
            .map(|s| (s.get().to_string(), i18n.count("rating-stars", i64::from(s.get()))))
            .collect(),
        reasons: report_reasons(&i18n),
        text_max: REVIEW_TEXT_MAX,
        text_help: limit_text(&i18n, "review-text-help", REVIEW_TEXT_MAX),
        note_max: NOTE_MAX,
        report_fields: Vec::new(),
        ctx,
    };
    Ok(page.render()?)
}

/// `?rating=&sort=&cursor=&notice=` of the app page.
#[derive(Debug, Default, Deserialize)]
struct AppQuery {
    #[serde(default)]
    rating: String,
    #[serde(default)]
    sort: String,
    cursor: Option<String>,
    notice: Option<String>,
}

/// What the form that redirected here did, and what comes next; unknown words are
/// ignored.
fn notice_for(i18n: &I18n, word: &str) -> Option<Notice> {
    let key = match word {
        "review_published" => "review-notice-published",
        "review_updated" => "review-notice-updated",
        "review_unchanged" => "review-notice-unchanged",
        "review_deleted" => "review-notice-deleted",
        "reported" => "review-notice-reported",
        "already_reported" => return Some(Notice::refused(i18n.t("review-notice-already-reported"))),
        _ => return None,
    };
    Some(Notice::done(i18n.t(key)))
}

pub async fn app_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(app_id): Path<String>,
    uri: axum::http::Uri,
) -> PageResult {
    let q: AppQuery = query(&uri)?;
    let listing = Listing::parse(&q.rating, &q.sort)?;
    let notice = q.notice.as_deref().and_then(|word| notice_for(&ctx.i18n, word));
    let html = render_app(&state, ctx, &AppId(app_id), &listing, q.cursor, Back { notice, ..Back::default() }).await?;
    Ok(Html(html).into_response())
}

// ----- the customer's own review (R10) -----

#[derive(Debug, Deserialize)]
struct MineBody {
    // Defaulted, so that a form without a token is refused as CSRF (403), not as a
    // malformed body.
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    text: String,
}

/// R10/R13/R18: writes or edits the customer's review; back to the app page with what
/// happened, or the page again with the form's problems (422), nothing written.
async fn put_mine(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(app_id): Path<String>,
    request: Request,
) -> PageResult {
    let session = ctx.require_session()?.clone();
    let app_id = AppId(app_id);
    let permit = reviews::permit_review(state.app(), caller(&session), &app_id).await?;
    let form: MineBody = read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    let text = textarea(&form.text);
    // Not a whole number: the rule's own "1 to 5 stars" problem.
    let rating = form.rating.trim().parse::<i64>().unwrap_or(0);
    match reviews::put(state.app(), caller(&session), &permit, rating, Some(&text)).await {
        Ok(outcome) => {
            let word = match outcome {
                PutReviewOutcome::Created(_) => "review_published",
                PutReviewOutcome::Edited(_) => "review_updated",
                PutReviewOutcome::Unchanged(_) => "review_unchanged",
            };
            Ok(see_other(&back_to(&app_href(&app_id), "", word, NOTICE)).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let errors = field_errors(&errors, &ctx.i18n, REVIEW_TEXT_MAX);
            let back = Back {
                notice: Some(Notice::refused(ctx.i18n.t("form-has-errors"))),
                mine: Some(MineForm { rating: form.rating.trim().to_owned(), text, errors }),
                report: None,
            };
            let html = render_app(&state, ctx, &app_id, &Listing::default(), None, back).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// R10/R13: deletes the customer's review (after the confirmation step of the page).
async fn delete_mine(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(app_id): Path<String>,
    request: Request,
) -> PageResult {
    let session = ctx.require_session()?.clone();
    let app_id = AppId(app_id);
    let permit = reviews::permit_review(state.app(), caller(&session), &app_id).await?;
    let form: CsrfForm = read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    reviews::delete(state.app(), caller(&session), &permit).await?;
    Ok(see_other(&back_to(&app_href(&app_id), "", "review_deleted", NOTICE)).into_response())
}

// ----- reports (R12) -----

#[derive(Debug, Deserialize)]
struct ReportBody {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
    // The developer inbox's filters, to return to the same list.
    #[serde(default)]
    app_id: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    replied: String,
    #[serde(default)]
    outdated: String,
}

/// R12: a customer reports a review or its reply (from the app page), a developer a
/// review of their seller's apps (from the reviews inbox); back to that page with a
/// notice, or that page again with the form's problem, nothing filed.
async fn report(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<String>, request: Request) -> PageResult {
    let session = ctx.require_session()?.clone();
    let permit = moderation::permit_report(state.app(), &session.actor, &ReviewId(id)).await?;
    let form: ReportBody = read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    let review = &permit.review;
    let developer = session.user.role == Role::Developer;
    let params = InboxParams::new(&form.app_id, &form.rating, &form.replied, &form.outdated);
    let back_with = |word: &str| {
        if developer {
            back_to(developer::INBOX, &params.query_string(), word, NOTICE)
        } else {
            back_to(&app_href(&review.app_id), "", word, NOTICE)
        }
    };
    let target = if form.target.trim().is_empty() { "review" } else { form.target.trim() };
    let note = textarea(&form.note);
    let outcome = moderation::report(state.app(), caller(&session), &permit, target, &form.reason, Some(&note)).await;
    let (status, notice, error) = match outcome {
        Ok(_) => return Ok(see_other(&back_with("reported")).into_response()),
        Err(AppError::ReviewRefused(ReviewRefusal::AlreadyReported)) => {
            return Ok(see_other(&back_with("already_reported")).into_response());
        }
        Err(AppError::Invalid(errors)) => {
            let errors = field_errors(&errors, &ctx.i18n, NOTE_MAX);
            let message = errors.all().iter().map(|(_, m)| m.as_str()).collect::<Vec<_>>().join(" ");
            (StatusCode::UNPROCESSABLE_ENTITY, Notice::refused(ctx.i18n.t("form-has-errors")), Some(message))
        }
        Err(AppError::ReviewRefused(refusal)) => {
            let message = ctx.i18n.t(&format!("review-refused-{}", refusal.code()));
            (StatusCode::CONFLICT, Notice::refused(message), None)
        }
        Err(other) => return Err(other.into()),
    };
    let state_back = ReportState { open: true, target: target.to_owned(), reason: form.reason, note, error };
    let report = Some(ReportBack { review_id: review.id.0.clone(), state: state_back });
    let html = if developer {
        let back = InboxBack { notice: Some(notice), report, ..InboxBack::default() };
        developer::render_inbox(&state, ctx, &session, &params, None, back).await?
    } else {
        let back = Back { notice: Some(notice), report, mine: None };
        render_app(&state, ctx, &review.app_id, &Listing::default(), None, back).await?
    };
    Ok((status, Html(html)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_links_carry_only_what_differs_from_the_defaults() {
        let app = AppId("a1".into());
        assert_eq!(Listing::default().href(&app, None), "/apps/a1#reviews");
        let low = Listing::parse("2,1", "rating_low").expect("listing");
        assert_eq!(low.href(&app, Some("c")), "/apps/a1?rating=1%2C2&sort=rating_low&cursor=c#reviews");
        assert!(Listing::parse("6", "").is_err() && Listing::parse("", "best").is_err());
    }
}
