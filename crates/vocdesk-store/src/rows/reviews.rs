//! Rows of ratings and reviews (R10-R12): a review with its reply, earlier versions,
//! reports and saved replies.

use vocdesk_domain::ids::{AppId, ReplyTemplateId, ReportId, ReviewId, SellerId, UserId};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::page::Cursor;
use vocdesk_domain::review::{
    Hidden, InboxSort, OfficialReply, ReplyTemplate, ReplyVersion, Report, ReportReason, ReportTarget, Review,
    ReviewSort, ReviewVersion, STAR_SPAN, Stars,
};

use super::{corrupt, millis, optional_time, timestamp};
use crate::db::{FromRow, Row};
use crate::{StoreError, StoreResult};

/// Columns of a review with its reply, the author's and the seller's names.
pub(crate) struct ReviewRow {
    id: String,
    app_id: String,
    seller_id: String,
    seller_name: String,
    author_id: String,
    author_name: String,
    rating: i64,
    body: Option<String>,
    lang: String,
    created_at: i64,
    updated_at: i64,
    edited: bool,
    hidden_at: Option<i64>,
    hidden_reason: Option<String>,
    reply_body: Option<String>,
    reply_author_id: Option<String>,
    reply_created_at: Option<i64>,
    reply_updated_at: Option<i64>,
    reply_outdated: bool,
    reply_hidden_at: Option<i64>,
    reply_hidden_reason: Option<String>,
}

impl FromRow for ReviewRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            id: row.get("id")?,
            app_id: row.get("app_id")?,
            seller_id: row.get("seller_id")?,
            seller_name: row.get("seller_name")?,
            author_id: row.get("author_id")?,
            author_name: row.get("author_name")?,
            rating: row.get("rating")?,
            body: row.get("body")?,
            lang: row.get("lang")?,
            created_at: row.get("created_at")?,
            updated_at: row.get("updated_at")?,
            edited: row.get("edited")?,
            hidden_at: row.get("hidden_at")?,
            hidden_reason: row.get("hidden_reason")?,
            reply_body: row.get("reply_body")?,
            reply_author_id: row.get("reply_author_id")?,
            reply_created_at: row.get("reply_created_at")?,
            reply_updated_at: row.get("reply_updated_at")?,
            reply_outdated: row.get("reply_outdated")?,
            reply_hidden_at: row.get("reply_hidden_at")?,
            reply_hidden_reason: row.get("reply_hidden_reason")?,
        })
    }
}

fn stars(value: i64) -> Result<Stars, StoreError> {
    Stars::from_stored(value).ok_or_else(|| corrupt("rating", &value.to_string()))
}

fn lang(value: &str) -> Result<Locale, StoreError> {
    Locale::parse(value).ok_or_else(|| corrupt("lang", value))
}

fn hidden(at: Option<i64>, reason: Option<String>) -> Result<Option<Hidden>, StoreError> {
    Ok(optional_time(at)?.map(|at| Hidden { at, reason: reason.unwrap_or_default() }))
}

impl TryFrom<ReviewRow> for Review {
    type Error = StoreError;

    fn try_from(row: ReviewRow) -> Result<Self, Self::Error> {
        let reply = match (row.reply_body, row.reply_author_id, row.reply_created_at, row.reply_updated_at) {
            (Some(text), Some(author), Some(created), Some(updated)) => Some(OfficialReply {
                text,
                author_id: UserId(author),
                seller_name: row.seller_name,
                created_at: timestamp(created)?,
                updated_at: timestamp(updated)?,
                outdated: row.reply_outdated,
                hidden: hidden(row.reply_hidden_at, row.reply_hidden_reason)?,
            }),
            _ => None,
        };
        Ok(Review {
            id: ReviewId(row.id),
            app_id: AppId(row.app_id),
            seller_id: SellerId(row.seller_id),
            author_id: UserId(row.author_id),
            author_name: row.author_name,
            stars: stars(row.rating)?,
            text: row.body,
            lang: lang(&row.lang)?,
            created_at: timestamp(row.created_at)?,
            updated_at: timestamp(row.updated_at)?,
            edited: row.edited,
            hidden: hidden(row.hidden_at, row.hidden_reason)?,
            reply,
        })
    }
}

/// The key a review sorts by in the public list's `sort` (the generated columns of the
/// `reviews` table hold the same values).
pub(crate) fn public_key(review: &Review, sort: ReviewSort) -> i64 {
    let created = millis(review.created_at);
    let stars = i64::from(review.stars.get());
    match sort {
        ReviewSort::Newest | ReviewSort::Oldest => created,
        ReviewSort::RatingHigh => stars * STAR_SPAN + created,
        ReviewSort::RatingLow => stars * STAR_SPAN + (STAR_SPAN - 1 - created),
    }
}

/// The cursor after `review` in a public list.
pub(crate) fn public_cursor(review: &Review, sort: ReviewSort) -> Cursor {
    Cursor { key: public_key(review, sort), id: review.id.0.clone() }
}

/// The cursor after `review` in the reviews inbox.
pub(crate) fn review_inbox_cursor(review: &Review, sort: InboxSort) -> Cursor {
    match sort {
        InboxSort::Unanswered => Cursor {
            key: i64::from(review.needs_reply()) * STAR_SPAN + millis(review.created_at),
            id: review.id.0.clone(),
        },
        InboxSort::Public(sort) => public_cursor(review, sort),
    }
}

/// An earlier version of a review.
pub(crate) struct ReviewVersionRow {
    rating: i64,
    body: Option<String>,
    lang: String,
    written_at: i64,
}

impl FromRow for ReviewVersionRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            rating: row.get("rating")?,
            body: row.get("body")?,
            lang: row.get("lang")?,
            written_at: row.get("written_at")?,
        })
    }
}

impl TryFrom<ReviewVersionRow> for ReviewVersion {
    type Error = StoreError;

    fn try_from(row: ReviewVersionRow) -> Result<Self, Self::Error> {
        Ok(ReviewVersion {
            stars: stars(row.rating)?,
            text: row.body,
            lang: lang(&row.lang)?,
            written_at: timestamp(row.written_at)?,
        })
    }
}

/// One version of a reply, with its author's name.
pub(crate) struct ReplyVersionRow {
    author_id: String,
    author_name: String,
    body: Option<String>,
    at: i64,
}

impl FromRow for ReplyVersionRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            author_id: row.get("author_id")?,
            author_name: row.get("author_name")?,
            body: row.get("body")?,
            at: row.get("at")?,
        })
    }
}

impl TryFrom<ReplyVersionRow> for ReplyVersion {
    type Error = StoreError;

    fn try_from(row: ReplyVersionRow) -> Result<Self, Self::Error> {
        Ok(ReplyVersion {
            author_id: UserId(row.author_id),
            author_name: row.author_name,
            text: row.body,
            at: timestamp(row.at)?,
        })
    }
}

/// A report.
pub(crate) struct ReportRow {
    id: String,
    review_id: String,
    target: String,
    reporter_id: String,
    reason: String,
    note: Option<String>,
    created_at: i64,
}

impl FromRow for ReportRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            id: row.get("id")?,
            review_id: row.get("review_id")?,
            target: row.get("target")?,
            reporter_id: row.get("reporter_id")?,
            reason: row.get("reason")?,
            note: row.get("note")?,
            created_at: row.get("created_at")?,
        })
    }
}

pub(crate) fn target(value: &str) -> Result<ReportTarget, StoreError> {
    ReportTarget::parse(value).ok_or_else(|| corrupt("report target", value))
}

pub(crate) fn reason(value: &str) -> Result<ReportReason, StoreError> {
    ReportReason::parse(value).ok_or_else(|| corrupt("report reason", value))
}

impl TryFrom<ReportRow> for Report {
    type Error = StoreError;

    fn try_from(row: ReportRow) -> Result<Self, Self::Error> {
        Ok(Report {
            id: ReportId(row.id),
            review_id: ReviewId(row.review_id),
            target: target(&row.target)?,
            reporter_id: UserId(row.reporter_id),
            reason: reason(&row.reason)?,
            note: row.note,
            created_at: timestamp(row.created_at)?,
        })
    }
}

/// A saved reply.
pub(crate) struct TemplateRow {
    id: String,
    seller_id: String,
    title: String,
    body: String,
    lang: String,
    created_at: i64,
    updated_at: i64,
}

impl FromRow for TemplateRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            id: row.get("id")?,
            seller_id: row.get("seller_id")?,
            title: row.get("title")?,
            body: row.get("body")?,
            lang: row.get("lang")?,
            created_at: row.get("created_at")?,
            updated_at: row.get("updated_at")?,
        })
    }
}

impl TryFrom<TemplateRow> for ReplyTemplate {
    type Error = StoreError;

    fn try_from(row: TemplateRow) -> Result<Self, Self::Error> {
        Ok(ReplyTemplate {
            id: ReplyTemplateId(row.id),
            seller_id: SellerId(row.seller_id),
            title: row.title,
            text: row.body,
            lang: lang(&row.lang)?,
            created_at: timestamp(row.created_at)?,
            updated_at: timestamp(row.updated_at)?,
        })
    }
}
