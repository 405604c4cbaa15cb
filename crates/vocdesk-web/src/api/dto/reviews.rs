//! The JSON shapes of ratings and reviews (R10-R13, R18), reports and saved replies, as
//! the contract fixes them.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vocdesk_domain::review::{
    Hidden, OfficialReply, ReplyTemplate, ReplyVersion, Report, ReportedItem, Review, ReviewVersion,
};

/// `PUT /api/v1/apps/{app_id}/reviews/mine`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutReviewRequest {
    /// 1 to 5 whole stars.
    pub rating: i64,
    /// Plain text, up to 2,000 characters; leave out (or empty) for a star-only rating.
    #[serde(default)]
    pub text: Option<String>,
}

/// `PUT /api/v1/reviews/{id}/reply`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyTextRequest {
    /// Plain text, 1 to 1,000 characters.
    pub text: String,
}

/// `POST /api/v1/reviews/{id}/reports`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// `spam`, `abusive`, `off_topic`, `personal_info` or `other`.
    pub reason: String,
    /// Optional note for the moderators.
    #[serde(default)]
    pub note: Option<String>,
    /// `review` (default) or `reply`.
    #[serde(default = "review_target")]
    pub target: String,
}

fn review_target() -> String {
    "review".to_owned()
}

/// `POST /api/v1/reviews/{id}/hide`, `/unhide` (and `/reply/hide`, `/reply/unhide`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModerationRequest {
    /// Why, as the author will read it.
    pub reason: String,
}

/// `POST /api/v1/reviews/{id}/reports/dismiss`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DismissRequest {
    /// `review` (default) or `reply`.
    #[serde(default)]
    pub target: Option<String>,
}

/// `POST /api/v1/reply-templates`, `PUT .../{id}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateRequest {
    /// What the developers call it.
    pub title: String,
    /// The text, with `{customer_name}` and `{app_title}` placeholders.
    pub text: String,
    /// `ko` or `en`.
    pub lang: String,
}

/// R12: a moderator's decision, shown to the author.
#[derive(Debug, Serialize, ToSchema)]
pub struct HiddenDto {
    /// When it was hidden.
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// Why.
    pub reason: String,
}

impl From<&Hidden> for HiddenDto {
    fn from(hidden: &Hidden) -> Self {
        Self { at: hidden.at, reason: hidden.reason.clone() }
    }
}

/// R11: the official reply under a review.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfficialReplyDto {
    /// The reply.
    pub text: String,
    /// The seller it speaks for.
    pub seller_name: String,
    /// First posted.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Last posted or confirmed.
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// R18: the review was edited after this reply.
    pub outdated: bool,
    /// Always `true`: this is the developer's official reply.
    pub official: bool,
    /// R12: hidden by the store (only its developers and operators see a hidden reply).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden: Option<HiddenDto>,
}

impl From<&OfficialReply> for OfficialReplyDto {
    fn from(reply: &OfficialReply) -> Self {
        Self {
            text: reply.text.clone(),
            seller_name: reply.seller_name.clone(),
            created_at: reply.created_at,
            updated_at: reply.updated_at,
            outdated: reply.outdated,
            official: true,
            hidden: reply.hidden.as_ref().map(HiddenDto::from),
        }
    }
}

/// A review, as the public list (R10) and the inbox show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewDto {
    /// Opaque id.
    pub id: String,
    /// The app.
    pub app_id: String,
    /// 1 to 5.
    pub rating: u8,
    /// `null` for a star-only rating.
    pub text: Option<String>,
    /// `ko` or `en`.
    pub lang: String,
    /// The reviewer's display name.
    pub author_name: String,
    /// First written.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Last written.
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// Changed since first written.
    pub edited: bool,
    /// The official reply, or `null`.
    pub reply: Option<OfficialReplyDto>,
    /// R12: hidden by the store, with the reason (only the author, the developers and
    /// operators ever see a hidden review).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden: Option<HiddenDto>,
}

impl ReviewDto {
    /// The review as the public sees it: a hidden reply is left out.
    pub fn public(review: &Review) -> Self {
        Self { reply: review.public_reply().map(OfficialReplyDto::from), ..Self::full(review) }
    }

    /// The review with everything its author, its developers or operators may see.
    pub fn full(review: &Review) -> Self {
        Self {
            id: review.id.0.clone(),
            app_id: review.app_id.0.clone(),
            rating: review.stars.get(),
            text: review.text.clone(),
            lang: review.lang.tag().to_owned(),
            author_name: review.author_name.clone(),
            created_at: review.created_at,
            updated_at: review.updated_at,
            edited: review.edited,
            reply: review.reply.as_ref().map(OfficialReplyDto::from),
            hidden: review.hidden.as_ref().map(HiddenDto::from),
        }
    }
}

impl From<&Review> for ReviewDto {
    /// The full view, for lists whose readers may see everything (the inbox).
    fn from(review: &Review) -> Self {
        ReviewDto::full(review)
    }
}

/// An earlier version of a review.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewVersionDto {
    /// The rating then.
    pub rating: u8,
    /// The text then.
    pub text: Option<String>,
    /// Its language.
    pub lang: String,
    /// When it was written.
    #[schema(value_type = String, format = DateTime)]
    pub written_at: Timestamp,
}

impl From<&ReviewVersion> for ReviewVersionDto {
    fn from(v: &ReviewVersion) -> Self {
        Self { rating: v.stars.get(), text: v.text.clone(), lang: v.lang.tag().to_owned(), written_at: v.written_at }
    }
}

/// `GET /api/v1/apps/{app_id}/reviews/mine`: the author's review and its history.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyReviewDto {
    /// The review now (hidden ones too, with the reason).
    pub review: ReviewDto,
    /// Earlier versions, newest first.
    pub history: Vec<ReviewVersionDto>,
}

/// `PUT /api/v1/apps/{app_id}/reviews/mine`: the review as saved, under the same key as
/// `GET` answers it. The earlier versions are not read again for every write (they
/// grow with each edit); `GET .../reviews/mine` has them.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedReviewDto {
    /// The review as this write left it.
    pub review: ReviewDto,
}

/// One version of an official reply.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplyVersionDto {
    /// Who wrote it.
    pub author_name: String,
    /// The text; `null` records a deletion.
    pub text: Option<String>,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
}

impl From<&ReplyVersion> for ReplyVersionDto {
    fn from(v: &ReplyVersion) -> Self {
        Self { author_name: v.author_name.clone(), text: v.text.clone(), at: v.at }
    }
}

/// A report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportDto {
    /// Opaque id.
    pub id: String,
    /// The review.
    pub review_id: String,
    /// `review` or `reply`.
    pub target: String,
    /// Why.
    pub reason: String,
    /// The reporter's note.
    pub note: Option<String>,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl From<&Report> for ReportDto {
    fn from(r: &Report) -> Self {
        Self {
            id: r.id.0.clone(),
            review_id: r.review_id.0.clone(),
            target: r.target.as_str().to_owned(),
            reason: r.reason.as_str().to_owned(),
            note: r.note.clone(),
            created_at: r.created_at,
        }
    }
}

/// `GET /api/v1/reviews/{id}`: a review as its developers and operators see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffReviewDto {
    /// The review with its reply, hidden or not.
    pub review: ReviewDto,
    /// Earlier versions of the review, newest first.
    pub history: Vec<ReviewVersionDto>,
    /// Every version of the reply, newest first.
    pub reply_history: Vec<ReplyVersionDto>,
    /// Open reports (operators only).
    pub reports: Vec<ReportDto>,
}

/// One item of the moderation queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportedItemDto {
    /// The review (with its reply).
    pub review: ReviewDto,
    /// `review` or `reply`.
    pub target: String,
    /// Open reports on it.
    pub open_reports: i64,
    /// The oldest open report.
    #[schema(value_type = String, format = DateTime)]
    pub first_reported_at: Timestamp,
    /// The reasons given.
    pub reasons: Vec<String>,
}

impl From<&ReportedItem> for ReportedItemDto {
    fn from(item: &ReportedItem) -> Self {
        Self {
            review: ReviewDto::full(&item.review),
            target: item.target.as_str().to_owned(),
            open_reports: item.open_reports,
            first_reported_at: item.first_reported_at,
            reasons: item.reasons.iter().map(|r| r.as_str().to_owned()).collect(),
        }
    }
}

/// A saved reply.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateDto {
    /// Opaque id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Text with placeholders.
    pub text: String,
    /// `ko` or `en`.
    pub lang: String,
    /// Last changed.
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

impl From<&ReplyTemplate> for TemplateDto {
    fn from(t: &ReplyTemplate) -> Self {
        Self {
            id: t.id.0.clone(),
            title: t.title.clone(),
            text: t.text.clone(),
            lang: t.lang.tag().to_owned(),
            updated_at: t.updated_at,
        }
    }
}

/// `GET /api/v1/apps/{app_id}/reviews` filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicReviewParams {
    /// Stars to show: `1`, or several as `1,2`.
    #[param(schema_with = super::params::stars)]
    pub rating: Option<String>,
    /// `true`: only reviews with an official reply; `false`: only without.
    #[param(schema_with = super::params::yes_no)]
    pub replied: Option<String>,
    /// `true`: only reviews with text; `false`: only star-only ratings.
    #[param(schema_with = super::params::yes_no)]
    pub has_text: Option<String>,
    /// `ko` or `en`.
    #[param(schema_with = super::params::lang)]
    pub lang: Option<String>,
    /// `newest` (default), `oldest`, `rating_high`, `rating_low`.
    #[param(schema_with = super::params::review_sort)]
    pub sort: Option<String>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(schema_with = super::params::cursor)]
    pub cursor: Option<String>,
}

/// `GET /api/v1/reviews` filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxParams {
    /// One app.
    pub app_id: Option<String>,
    /// Stars: `1`, or several as `1,2`.
    #[param(schema_with = super::params::stars)]
    pub rating: Option<String>,
    /// `true`/`false`: with or without a reply.
    #[param(schema_with = super::params::yes_no)]
    pub replied: Option<String>,
    /// `true`/`false`: reply outdated (R18) or not.
    #[param(schema_with = super::params::yes_no)]
    pub outdated: Option<String>,
    /// `unanswered` (default: owed answers first), `newest`, `oldest`, `rating_high`, `rating_low`.
    #[param(schema_with = super::params::inbox_sort)]
    pub sort: Option<String>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(schema_with = super::params::cursor)]
    pub cursor: Option<String>,
}

/// Per app: reviews that owe an answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewCountsDto {
    /// The app.
    pub app_id: String,
    /// Shown reviews without a reply or with an outdated one.
    pub unanswered: i64,
}
