//! Ratings and reviews (R10), the developer's official reply (R11, R18), reports and
//! moderation (R12) and the per-star counters of the rating summary (R13), as types and
//! pure functions. The store keeps these facts; every rule about them lives here.

use jiff::Timestamp;
use serde::Serialize;

use crate::ids::{AppId, ReplyTemplateId, ReportId, ReviewId, SellerId, UserId};
use crate::locale::Locale;
use crate::text;
use crate::validation::{FieldError, ValidationErrors};

mod query;

pub use query::*;

/// R10: the longest review text, in characters.
pub const REVIEW_TEXT_MAX: usize = 2_000;
/// R11: the longest official reply, in characters.
pub const REPLY_TEXT_MAX: usize = 1_000;
/// R12: the longest note on a report and the longest moderation reason.
pub const NOTE_MAX: usize = 1_000;
/// The longest title of a saved reply.
pub const TEMPLATE_TITLE_MAX: usize = 100;

/// Sort keys combine a star rating with a time: `stars * STAR_SPAN + millis`. Times in
/// epoch milliseconds stay below this until the year 2286, so the star always wins.
pub const STAR_SPAN: i64 = 10_000_000_000_000;

/// R10: a rating of one to five stars; nothing else can be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Stars(u8);

impl Stars {
    /// Every rating, one star first.
    pub const ALL: [Stars; 5] = [Stars(1), Stars(2), Stars(3), Stars(4), Stars(5)];

    /// Checks a submitted rating: a whole number from 1 to 5.
    pub fn parse(field: &str, value: i64) -> Result<Self, FieldError> {
        match u8::try_from(value) {
            Ok(n @ 1..=5) => Ok(Stars(n)),
            _ => Err(FieldError::new(field, "rating", "a whole number of stars from 1 to 5")),
        }
    }

    /// A stored rating; `None` for anything a CHECK constraint would have refused.
    pub fn from_stored(value: i64) -> Option<Self> {
        Self::parse("rating", value).ok()
    }

    /// The number of stars.
    pub fn get(self) -> u8 {
        self.0
    }

    /// The index of this rating's counter in a histogram (one star is 0).
    pub fn index(self) -> usize {
        usize::from(self.0 - 1)
    }
}

/// R13: how a write changes the per-star counters: what was visible before and what is
/// visible after (a hidden or deleted review counts as nothing). Adding the result to the
/// counters in the same transaction keeps the summary equal to a count of the visible
/// reviews, whatever the sequence of writes.
pub fn summary_delta(before: Option<Stars>, after: Option<Stars>) -> [i64; 5] {
    let mut delta = [0; 5];
    if let Some(stars) = before {
        delta[stars.index()] -= 1;
    }
    if let Some(stars) = after {
        delta[stars.index()] += 1;
    }
    delta
}

/// R10: the language of a review: Korean when it contains Hangul, English when it has
/// other letters, and the author's own language for a star-only rating.
pub fn detect_language(text: Option<&str>, author: Locale) -> Locale {
    let Some(text) = text else { return author };
    let hangul = |c: char| matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}');
    if text.chars().any(hangul) {
        Locale::Ko
    } else if text.chars().any(char::is_alphabetic) {
        Locale::En
    } else {
        author
    }
}

/// R10: a checked review as its author wrote it: the rating and, optionally, text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewDraft {
    /// One to five stars.
    pub stars: Stars,
    /// Plain text as written; `None` for a star-only rating.
    pub text: Option<String>,
    /// The language it is written in.
    pub lang: Locale,
}

impl ReviewDraft {
    /// Checks the rating and the text together (every problem at once). Empty or
    /// all-blank text is a star-only rating; text is kept exactly as written.
    pub fn parse(rating: i64, text: Option<&str>, author: Locale) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let stars = errors.check(Stars::parse("rating", rating));
        let text = match text.filter(|t| !t.trim().is_empty()) {
            None => Some(None),
            Some(t) => errors.check(text::required_text("text", t, REVIEW_TEXT_MAX)).map(Some),
        };
        errors.finish(|| {
            let text = text?;
            let lang = detect_language(text.as_deref(), author);
            Some(ReviewDraft { stars: stars?, text, lang })
        })
    }
}

/// R11: checks an official reply's text: 1 to 1,000 characters, kept as written.
pub fn parse_reply_text(value: &str) -> Result<String, ValidationErrors> {
    text::required_text("text", value, REPLY_TEXT_MAX).map_err(|e| ValidationErrors(vec![e]))
}

/// R12: checks an operator's reason for hiding or unhiding: required, so that the author
/// is told why.
pub fn parse_moderation_reason(value: &str) -> Result<String, ValidationErrors> {
    text::required_text("reason", value, NOTE_MAX).map_err(|e| ValidationErrors(vec![e]))
}

/// Why a review write is refused by the state of the review (HTTP 409), as opposed to
/// who is asking (the policy) or what was sent (validation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReviewRefusal {
    /// R12: the review is hidden by an operator; it cannot be answered until shown again.
    #[error("the review is hidden by the store's moderators")]
    ReviewHidden,
    /// R12: the reporter has an open report on this item already.
    #[error("you have already reported this; the store's moderators will look at it")]
    AlreadyReported,
    /// The review has no official reply to act on.
    #[error("the review has no official reply")]
    NoReply,
}

impl ReviewRefusal {
    /// The stable code problem documents carry.
    pub fn code(self) -> &'static str {
        match self {
            ReviewRefusal::ReviewHidden => "review_hidden",
            ReviewRefusal::AlreadyReported => "already_reported",
            ReviewRefusal::NoReply => "no_reply",
        }
    }
}

/// R12: a moderator's decision on a review or a reply, kept with the item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Hidden {
    /// When it was hidden.
    pub at: Timestamp,
    /// Why, as the operator wrote it; shown to the author.
    pub reason: String,
}

/// R11: the official reply under a review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OfficialReply {
    /// The reply as the developer wrote it.
    pub text: String,
    /// The developer who wrote the current version.
    pub author_id: UserId,
    /// The seller it speaks for, shown with it.
    pub seller_name: String,
    /// First posted.
    pub created_at: Timestamp,
    /// Last posted or confirmed.
    pub updated_at: Timestamp,
    /// R18: the review changed after this reply; it stays shown, marked, until the
    /// developer replies again or confirms it.
    pub outdated: bool,
    /// R12: hidden by an operator, with the reason.
    pub hidden: Option<Hidden>,
}

/// R10: one customer's review of one app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Review {
    /// Opaque id.
    pub id: ReviewId,
    /// The app reviewed.
    pub app_id: AppId,
    /// The app's seller, whose developers may reply (R11).
    pub seller_id: SellerId,
    /// The customer who wrote it; only they edit or delete it.
    pub author_id: UserId,
    /// Their display name, as shown with the review.
    pub author_name: String,
    /// One to five stars.
    pub stars: Stars,
    /// `None` for a star-only rating.
    pub text: Option<String>,
    /// The language it is written in.
    pub lang: Locale,
    /// First written.
    pub created_at: Timestamp,
    /// Last written.
    pub updated_at: Timestamp,
    /// Changed since first written (every earlier version is kept).
    pub edited: bool,
    /// R12: hidden by an operator, with the reason (the author still sees it).
    pub hidden: Option<Hidden>,
    /// The official reply, if any.
    pub reply: Option<OfficialReply>,
}

impl Review {
    /// R13: the rating this review contributes to the summary: none while hidden.
    pub fn counted(&self) -> Option<Stars> {
        self.hidden.is_none().then_some(self.stars)
    }

    /// The reply the public sees: none while the reply is hidden.
    pub fn public_reply(&self) -> Option<&OfficialReply> {
        self.reply.as_ref().filter(|r| r.hidden.is_none())
    }

    /// Whether the developers owe this review an answer: it is shown and has no reply,
    /// or its reply is outdated (R18). The reviews inbox lists these first.
    pub fn needs_reply(&self) -> bool {
        self.hidden.is_none() && self.reply.as_ref().is_none_or(|r| r.outdated)
    }
}

/// R10: an earlier version of a review, kept when it was edited or deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReviewVersion {
    /// The rating then.
    pub stars: Stars,
    /// The text then.
    pub text: Option<String>,
    /// Its language.
    pub lang: Locale,
    /// When this version was written.
    pub written_at: Timestamp,
}

/// R11: one version of an official reply, kept for the developers and operators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReplyVersion {
    /// Who wrote it.
    pub author_id: UserId,
    /// Their name.
    pub author_name: String,
    /// What they wrote; `None` records a deletion.
    pub text: Option<String>,
    /// When.
    pub at: Timestamp,
}

/// R12: what a report is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportTarget {
    /// The review itself.
    Review,
    /// Its official reply.
    Reply,
}

impl ReportTarget {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportTarget::Review => "review",
            ReportTarget::Reply => "reply",
        }
    }

    /// Parses the stored or submitted word.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "review" => Some(ReportTarget::Review),
            "reply" => Some(ReportTarget::Reply),
            _ => None,
        }
    }
}

/// R12: why something is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    /// Advertising or repeated text.
    Spam,
    /// Insults, threats, hate.
    Abusive,
    /// Not about the app.
    OffTopic,
    /// Someone's personal information.
    PersonalInfo,
    /// Anything else; the note says what.
    Other,
}

impl ReportReason {
    /// Every reason, in the order a form offers them.
    pub const ALL: [ReportReason; 5] = [
        ReportReason::Spam,
        ReportReason::Abusive,
        ReportReason::OffTopic,
        ReportReason::PersonalInfo,
        ReportReason::Other,
    ];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Spam => "spam",
            ReportReason::Abusive => "abusive",
            ReportReason::OffTopic => "off_topic",
            ReportReason::PersonalInfo => "personal_info",
            ReportReason::Other => "other",
        }
    }

    /// Parses the stored or submitted word.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// R12: a checked report, before it is filed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportDraft {
    /// The review or its reply.
    pub target: ReportTarget,
    /// Why.
    pub reason: ReportReason,
    /// Optional note as written.
    pub note: Option<String>,
}

impl ReportDraft {
    /// Checks the reason, the target and the note together.
    pub fn parse(target: &str, reason: &str, note: Option<&str>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let target = errors
            .check(ReportTarget::parse(target).ok_or_else(|| FieldError::new("target", "target", "review or reply")));
        let reason = errors
            .check(ReportReason::parse(reason).ok_or_else(|| {
                FieldError::new("reason", "reason", "spam, abusive, off_topic, personal_info or other")
            }));
        let note = match note.filter(|n| !n.trim().is_empty()) {
            None => Some(None),
            Some(n) => errors.check(text::required_text("note", n, NOTE_MAX)).map(Some),
        };
        errors.finish(|| Some(ReportDraft { target: target?, reason: reason?, note: note? }))
    }
}

/// R12: a filed report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Opaque id.
    pub id: ReportId,
    /// The review it concerns.
    pub review_id: ReviewId,
    /// The review or its reply.
    pub target: ReportTarget,
    /// Who reported.
    pub reporter_id: UserId,
    /// Why.
    pub reason: ReportReason,
    /// Their note.
    pub note: Option<String>,
    /// When.
    pub created_at: Timestamp,
}

/// R12: one reported item in the moderation queue, with its open reports counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportedItem {
    /// The review (with its reply) the reports concern.
    pub review: Review,
    /// The review or its reply.
    pub target: ReportTarget,
    /// Open reports on it.
    pub open_reports: i64,
    /// The oldest open report's time; the queue is worked oldest first.
    pub first_reported_at: Timestamp,
    /// The reasons given, each once.
    pub reasons: Vec<ReportReason>,
}

/// Per app of a seller: reviews that owe an answer (the dashboard's count).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppReviewCounts {
    /// The app.
    pub app_id: AppId,
    /// Shown reviews without a reply or with an outdated one.
    pub unanswered: i64,
}

/// A seller's saved reply: a starting point a developer edits before posting; nothing
/// is ever posted from a template by itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReplyTemplate {
    /// Opaque id.
    pub id: ReplyTemplateId,
    /// The seller it belongs to; only its developers see or change it.
    pub seller_id: SellerId,
    /// What the developer calls it.
    pub title: String,
    /// The text, with `{customer_name}` and `{app_title}` placeholders.
    pub text: String,
    /// The language it is written in.
    pub lang: Locale,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

/// A checked saved reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateDraft {
    /// Title.
    pub title: String,
    /// Text with placeholders.
    pub text: String,
    /// Language.
    pub lang: Locale,
}

impl TemplateDraft {
    /// Checks the title, the text (as long as a reply may be) and the language.
    pub fn parse(title: &str, body: &str, lang: &str) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = errors.check(text::required_line("title", title, TEMPLATE_TITLE_MAX));
        let body = errors.check(text::required_text("text", body, REPLY_TEXT_MAX));
        let lang = errors.check(Locale::parse(lang).ok_or_else(|| FieldError::new("lang", "lang", "ko or en")));
        errors.finish(|| Some(TemplateDraft { title: title?, text: body?, lang: lang? }))
    }
}

/// Fills a saved reply's placeholders for one review; the developer reads and edits the
/// result before posting it.
pub fn fill_template(text: &str, customer_name: &str, app_title: &str) -> String {
    text.replace("{customer_name}", customer_name).replace("{app_title}", app_title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r10_a_rating_is_one_to_five_whole_stars() {
        for bad in [0, 6, -1, 256] {
            assert_eq!(Stars::parse("rating", bad).unwrap_err().code, "rating");
        }
        assert_eq!(Stars::parse("rating", 3).map(Stars::get), Ok(3));
    }

    #[test]
    fn r10_a_star_only_rating_is_a_rating_and_text_is_kept_as_written() {
        let draft = ReviewDraft::parse(4, Some("   "), Locale::En).expect("star-only");
        assert_eq!((draft.text, draft.lang), (None, Locale::En));
        let html = "<b>좋아요</b> <script>x</script>";
        let draft = ReviewDraft::parse(5, Some(html), Locale::En).expect("text");
        assert_eq!((draft.text.as_deref(), draft.lang), (Some(html), Locale::Ko));
        let long = "a".repeat(REVIEW_TEXT_MAX + 1);
        let errors = ReviewDraft::parse(0, Some(&long), Locale::Ko).unwrap_err();
        assert_eq!(errors.0.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["rating", "text"]);
    }

    #[test]
    fn r13_the_delta_moves_one_counter_per_side() {
        let (three, five) = (Stars(3), Stars(5));
        assert_eq!(summary_delta(None, Some(five)), [0, 0, 0, 0, 1]);
        assert_eq!(summary_delta(Some(three), Some(five)), [0, 0, -1, 0, 1]);
        assert_eq!(summary_delta(Some(three), None), [0, 0, -1, 0, 0]);
        assert_eq!(summary_delta(Some(three), Some(three)), [0; 5]);
    }

    #[test]
    fn star_sets_read_lists_and_refuse_anything_else() {
        let set = StarSet::parse("1, 2").expect("set");
        assert_eq!(set.stars(), [Stars(1), Stars(2)]);
        assert!(set.contains(Stars(2)) && !set.contains(Stars(5)));
        assert!(StarSet::parse("").expect("empty").contains(Stars(5)));
        assert!(StarSet::parse("6").is_err());
        assert!(StarSet::parse("x").is_err());
    }

    #[test]
    fn r12_reports_need_a_known_reason_and_target() {
        assert!(ReportDraft::parse("review", "spam", None).is_ok());
        let errors = ReportDraft::parse("app", "rude", Some("")).unwrap_err();
        assert_eq!(errors.0.len(), 2);
    }

    #[test]
    fn templates_fill_their_placeholders() {
        assert_eq!(fill_template("{customer_name}님, {app_title}", "고객", "Farm"), "고객님, Farm");
    }
}
