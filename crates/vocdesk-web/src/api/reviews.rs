//! Ratings, reviews and the official reply (R10, R11, R13, R18) over the JSON API.
//! Routes that change something, and the inbox, authorize first (a `permit_*` use
//! case) and read the body or the query only after that, so that a refusal looks the
//! same whatever was sent; the work is done by [`vocdesk_app::reviews`].

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use vocdesk_domain::audit::Channel;
use vocdesk_domain::ids::{AppId, ReviewId};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::review::{InboxFilter, InboxSort, ReviewFilter, ReviewSort, StarSet};
use vocdesk_store::PutReviewOutcome;

use super::catalog::bad_page;
use super::dto::{
    InboxParams, ListDto, MyReviewDto, PublicReviewParams, PutReviewRequest, RatingSummaryDto, ReplyTextRequest,
    ReplyVersionDto, ReportDto, ReviewCountsDto, ReviewDto, ReviewVersionDto, SavedReviewDto, StaffReviewDto,
};
use super::inquiries::{non_empty, parse_bool, parse_word};
use crate::auth::ApiActor;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{ApiQuery, read_json, read_query};
use crate::state::AppState;
use vocdesk_app::{Caller, reviews};

pub(super) fn caller(who: &ApiActor) -> Caller<'_> {
    Caller { user: &who.user, actor: &who.actor, channel: Channel::Api }
}

fn stars(value: Option<&str>) -> ApiResult<StarSet> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(StarSet::default()),
        Some(list) => StarSet::parse(list).map_err(|_| ApiError::BadRequest {
            code: "invalid_query",
            detail: "rating: expected stars from 1 to 5, one or several as 1,2".to_owned(),
        }),
    }
}

fn yes_no(value: Option<&str>, field: &str) -> ApiResult<Option<bool>> {
    parse_word(value, field, parse_bool, "true or false")
}

/// R10: an app's visible reviews with their official replies, newest first unless
/// `sort` says otherwise, keyset-paged. Public.
#[utoipa::path(get, path = "/api/v1/apps/{app_id}/reviews", tag = "reviews",
    params(("app_id" = String, Path, description = "App id"), PublicReviewParams),
    responses(
        (status = 200, description = "A page of reviews", body = ListDto<ReviewDto>),
        (status = 400, description = "Unknown filter word, bad limit or cursor (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such app", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_public(
    State(state): State<AppState>,
    Path(app_id): Path<String>,
    ApiQuery(params): ApiQuery<PublicReviewParams>,
) -> ApiResult<Response> {
    let page = PageRequest::parse(params.limit, params.cursor.as_deref()).map_err(bad_page)?;
    let filter = ReviewFilter {
        stars: stars(params.rating.as_deref())?,
        replied: yes_no(params.replied.as_deref(), "replied")?,
        has_text: yes_no(params.has_text.as_deref(), "has_text")?,
        lang: parse_word(params.lang.as_deref(), "lang", Locale::parse, "ko or en")?,
        sort: parse_word(
            params.sort.as_deref(),
            "sort",
            ReviewSort::parse,
            "newest, oldest, rating_high or rating_low",
        )?
        .unwrap_or_default(),
    };
    let (_, found) = reviews::public_page(state.app(), &AppId(app_id), &filter, &page).await?;
    let json = state.review_json().get_or_render(&found, |found| {
        let list = ListDto {
            items: found.items.iter().map(ReviewDto::public).collect(),
            next_cursor: found.next_cursor.as_ref().map(|c| c.encode()),
        };
        serde_json::to_vec(&list).unwrap_or_default().into()
    });
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], json).into_response())
}

/// R13: an app's rating summary, kept up to date on every write. Public.
#[utoipa::path(get, path = "/api/v1/apps/{app_id}/rating-summary", tag = "reviews",
    params(("app_id" = String, Path, description = "App id")),
    responses(
        (status = 200, description = "Average (one decimal), count, count per star", body = RatingSummaryDto),
        (status = 404, description = "No such app", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn rating_summary(
    State(state): State<AppState>,
    Path(app_id): Path<String>,
) -> ApiResult<Json<RatingSummaryDto>> {
    let app = state.store().app(&AppId(app_id)).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(RatingSummaryDto::from(&app.rating)))
}

fn my_review(
    review: &vocdesk_domain::review::Review,
    history: &[vocdesk_domain::review::ReviewVersion],
) -> MyReviewDto {
    MyReviewDto { review: ReviewDto::full(review), history: history.iter().map(ReviewVersionDto::from).collect() }
}

/// R10: the caller's own review of the app with its history (hidden ones too, with the
/// moderators' reason). Customers only; 404 before they wrote one.
#[utoipa::path(get, path = "/api/v1/apps/{app_id}/reviews/mine", tag = "reviews", security(("bearer" = [])),
    params(("app_id" = String, Path, description = "App id")),
    responses(
        (status = 200, description = "The review and its earlier versions", body = MyReviewDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No review of yours", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_mine(
    State(state): State<AppState>,
    who: ApiActor,
    Path(app_id): Path<String>,
) -> ApiResult<Json<MyReviewDto>> {
    let (review, history) =
        reviews::mine(state.app(), caller(&who), &AppId(app_id)).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(my_review(&review, &history)))
}

/// R10: rates and reviews the app (create, 201) or edits the review (200; the earlier
/// version is kept, and an official reply is marked outdated, R18). Only customers who
/// obtained the app (free downloads count); everyone else 403, before the body is read.
#[utoipa::path(put, path = "/api/v1/apps/{app_id}/reviews/mine", tag = "reviews", security(("bearer" = [])),
    params(("app_id" = String, Path, description = "App id")),
    request_body = PutReviewRequest,
    responses(
        (status = 201, description = "Created", body = SavedReviewDto),
        (status = 200, description = "Edited, or unchanged (the earlier versions: `GET` the same)", body = SavedReviewDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a customer who obtained the app", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such app", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Rating not a whole number from 1 to 5, text too long, unknown fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_mine(
    State(state): State<AppState>,
    who: ApiActor,
    Path(app_id): Path<String>,
    request: Request,
) -> ApiResult<Response> {
    let permit = reviews::permit_review(state.app(), caller(&who), &AppId(app_id)).await?;
    let body: PutReviewRequest = read_json(request).await?;
    let outcome = reviews::put(state.app(), caller(&who), &permit, body.rating, body.text.as_deref()).await?;
    let status = if matches!(outcome, PutReviewOutcome::Created(_)) { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(SavedReviewDto { review: ReviewDto::full(outcome.review()) })).into_response())
}

/// R10: deletes the caller's review (its versions are kept for the store); the summary
/// forgets it at once.
#[utoipa::path(delete, path = "/api/v1/apps/{app_id}/reviews/mine", tag = "reviews", security(("bearer" = [])),
    params(("app_id" = String, Path, description = "App id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a customer who obtained the app", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such app, or no review of yours", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_mine(
    State(state): State<AppState>,
    who: ApiActor,
    Path(app_id): Path<String>,
) -> ApiResult<StatusCode> {
    let permit = reviews::permit_review(state.app(), caller(&who), &AppId(app_id)).await?;
    reviews::delete(state.app(), caller(&who), &permit).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// R11: the reviews inbox: a developer's seller's apps (operators: all), owed answers
/// first (no reply, or an outdated one), newest first within; hidden reviews included
/// and marked. The query is read after the role is checked.
#[utoipa::path(get, path = "/api/v1/reviews", tag = "reviews", security(("bearer" = [])), params(InboxParams),
    responses(
        (status = 200, description = "A page of reviews", body = ListDto<ReviewDto>),
        (status = 400, description = "Unknown filter word, bad limit or cursor (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A customer", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn inbox(State(state): State<AppState>, who: ApiActor, uri: Uri) -> ApiResult<Json<ListDto<ReviewDto>>> {
    vocdesk_domain::policy::list_review_inbox(&who.actor)?;
    let params: InboxParams = read_query(&uri)?;
    let page = PageRequest::parse(params.limit, params.cursor.as_deref()).map_err(bad_page)?;
    let filter = InboxFilter {
        app_id: non_empty(params.app_id).map(AppId),
        stars: stars(params.rating.as_deref())?,
        replied: yes_no(params.replied.as_deref(), "replied")?,
        outdated: yes_no(params.outdated.as_deref(), "outdated")?,
        sort: parse_word(
            params.sort.as_deref(),
            "sort",
            InboxSort::parse,
            "unanswered, newest, oldest, rating_high or rating_low",
        )?
        .unwrap_or_default(),
    };
    let found = reviews::inbox(state.app(), &who.actor, &filter, &page).await?;
    Ok(Json(ListDto::from_page(&found)))
}

/// Per app of the developer's seller: reviews that owe an answer (the dashboard).
#[utoipa::path(get, path = "/api/v1/reviews/counts", tag = "reviews", security(("bearer" = [])),
    responses(
        (status = 200, description = "Unanswered reviews per app", body = Vec<ReviewCountsDto>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A customer", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn counts(State(state): State<AppState>, who: ApiActor) -> ApiResult<Json<Vec<ReviewCountsDto>>> {
    let counts = reviews::unanswered_counts(state.app(), &who.actor).await?;
    Ok(Json(counts.iter().map(|c| ReviewCountsDto { app_id: c.app_id.0.clone(), unanswered: c.unanswered }).collect()))
}

/// R11/R12: one review as its developers and operators see it: hidden or not, with the
/// earlier versions, the reply history and (operators) the open reports.
#[utoipa::path(get, path = "/api/v1/reviews/{review_id}", tag = "reviews", security(("bearer" = [])),
    params(("review_id" = String, Path, description = "Review id")),
    responses(
        (status = 200, description = "The review", body = StaffReviewDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such review, or another seller's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn staff_view(
    State(state): State<AppState>,
    who: ApiActor,
    Path(review_id): Path<String>,
) -> ApiResult<Json<StaffReviewDto>> {
    let view = reviews::staff_view(state.app(), &who.actor, &ReviewId(review_id)).await?;
    Ok(Json(StaffReviewDto {
        review: ReviewDto::full(&view.review),
        history: view.versions.iter().map(ReviewVersionDto::from).collect(),
        reply_history: view.reply_history.iter().map(ReplyVersionDto::from).collect(),
        reports: view.reports.iter().map(ReportDto::from).collect(),
    }))
}

/// R11: posts or edits the official reply; the reviewer is told by mail in their
/// language. Only the app's seller's developers (another seller's: 404; customers and
/// operators: 403), checked before the body is read.
#[utoipa::path(put, path = "/api/v1/reviews/{review_id}/reply", tag = "reviews", security(("bearer" = [])),
    params(("review_id" = String, Path, description = "Review id")),
    request_body = ReplyTextRequest,
    responses(
        (status = 200, description = "The review with its reply", body = ReviewDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a developer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such review, or another seller's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`review_hidden`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Empty or too long text, unknown fields", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_reply(
    State(state): State<AppState>,
    who: ApiActor,
    Path(review_id): Path<String>,
    request: Request,
) -> ApiResult<Json<ReviewDto>> {
    let permit = reviews::permit_reply(state.app(), &who.actor, &ReviewId(review_id)).await?;
    let body: ReplyTextRequest = read_json(request).await?;
    let review = reviews::reply(state.app(), caller(&who), &permit, &body.text).await?;
    Ok(Json(ReviewDto::full(&review)))
}

/// R18: confirms that the official reply still answers the edited review.
#[utoipa::path(post, path = "/api/v1/reviews/{review_id}/reply/confirm", tag = "reviews", security(("bearer" = [])),
    params(("review_id" = String, Path, description = "Review id")),
    responses(
        (status = 200, description = "The review; its reply is no longer outdated", body = ReviewDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a developer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such review, or another seller's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`no_reply`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn confirm_reply(
    State(state): State<AppState>,
    who: ApiActor,
    Path(review_id): Path<String>,
) -> ApiResult<Json<ReviewDto>> {
    let permit = reviews::permit_reply(state.app(), &who.actor, &ReviewId(review_id)).await?;
    let review = reviews::confirm_reply(state.app(), caller(&who), &permit).await?;
    Ok(Json(ReviewDto::full(&review)))
}

/// R11: deletes the official reply (kept in the reply history).
#[utoipa::path(delete, path = "/api/v1/reviews/{review_id}/reply", tag = "reviews", security(("bearer" = [])),
    params(("review_id" = String, Path, description = "Review id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a developer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such review, or another seller's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`no_reply`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_reply(
    State(state): State<AppState>,
    who: ApiActor,
    Path(review_id): Path<String>,
) -> ApiResult<StatusCode> {
    let permit = reviews::permit_reply(state.app(), &who.actor, &ReviewId(review_id)).await?;
    reviews::delete_reply(state.app(), caller(&who), &permit).await?;
    Ok(StatusCode::NO_CONTENT)
}
