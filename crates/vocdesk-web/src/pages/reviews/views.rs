//! What the review pages show, prepared in Rust so that the templates stay free of
//! logic: stars as glyphs with words for screen readers, times in Korea Standard Time
//! in the visitor's language, the official reply (R11) with its outdated mark (R18)
//! and the moderators' reasons (R12).

use vocdesk_domain::locale::Locale;
use vocdesk_domain::review::{OfficialReply, ReportReason, Review, ReviewVersion, Stars};

use crate::i18n::I18n;

/// A rating as the pages show it: `★★★★☆`, and "4 stars" for screen readers.
pub struct StarsView {
    /// One to five.
    pub n: u8,
    /// Filled and empty stars.
    pub glyphs: String,
    /// "4 stars" / "4점".
    pub label: String,
}

impl StarsView {
    pub fn new(stars: Stars, i18n: &I18n) -> Self {
        let n = stars.get();
        Self {
            n,
            glyphs: format!("{}{}", "★".repeat(usize::from(n)), "☆".repeat(usize::from(5 - n))),
            label: i18n.count("rating-stars", i64::from(n)),
        }
    }
}

/// The language a review is written in, named in itself.
pub fn language_label(i18n: &I18n, locale: Locale) -> String {
    i18n.t(&format!("lang-{}", locale.tag()))
}

/// R11: the official reply under a review.
pub struct ReplyView {
    pub text: String,
    /// The seller it speaks for.
    pub seller_name: String,
    /// When it was last posted or confirmed.
    pub at: String,
    /// Changed or confirmed after it was first posted.
    pub edited: bool,
    /// R18: the review was edited after this reply.
    pub outdated: bool,
    /// R12: hidden by the store, with the reason (only the staff pages show it then).
    pub hidden_reason: Option<String>,
}

impl ReplyView {
    fn new(reply: &OfficialReply, i18n: &I18n) -> Self {
        Self {
            text: reply.text.clone(),
            seller_name: reply.seller_name.clone(),
            at: i18n.datetime(&reply.updated_at),
            edited: reply.updated_at != reply.created_at,
            outdated: reply.outdated,
            hidden_reason: reply.hidden.as_ref().map(|h| h.reason.clone()),
        }
    }
}

/// One review, as a card.
pub struct ReviewCard {
    pub id: String,
    pub app_id: String,
    /// The app's title (the staff pages list several apps; empty on the app page).
    pub app_title: String,
    pub author: String,
    pub stars: StarsView,
    /// `None` for a star-only rating.
    pub text: Option<String>,
    /// `ko` or `en`, for the `lang` attribute of the text.
    pub lang: &'static str,
    pub lang_label: String,
    /// When it was last written.
    pub written_at: String,
    pub edited: bool,
    /// R12: hidden by the store, with the reason.
    pub hidden_reason: Option<String>,
    /// R11: the reply this viewer may see.
    pub reply: Option<ReplyView>,
}

impl ReviewCard {
    /// A review as the public (and its author) sees it: a hidden reply is left out.
    pub fn public(review: &Review, i18n: &I18n) -> Self {
        Self::build(review, "", review.public_reply(), i18n)
    }

    /// A review as its seller's developers and operators see it: a hidden reply too,
    /// marked with the reason.
    pub fn staff(review: &Review, app_title: &str, i18n: &I18n) -> Self {
        Self::build(review, app_title, review.reply.as_ref(), i18n)
    }

    fn build(review: &Review, app_title: &str, reply: Option<&OfficialReply>, i18n: &I18n) -> Self {
        Self {
            id: review.id.0.clone(),
            app_id: review.app_id.0.clone(),
            app_title: app_title.to_owned(),
            author: review.author_name.clone(),
            stars: StarsView::new(review.stars, i18n),
            text: review.text.clone(),
            lang: review.lang.tag(),
            lang_label: language_label(i18n, review.lang),
            written_at: i18n.datetime(&review.updated_at),
            edited: review.edited,
            hidden_reason: review.hidden.as_ref().map(|h| h.reason.clone()),
            reply: reply.map(|r| ReplyView::new(r, i18n)),
        }
    }
}

/// R10: an earlier version of the customer's own review.
pub struct VersionView {
    pub stars: StarsView,
    pub text: Option<String>,
    pub lang: &'static str,
    pub written_at: String,
}

impl VersionView {
    pub fn new(version: &ReviewVersion, i18n: &I18n) -> Self {
        Self {
            stars: StarsView::new(version.stars, i18n),
            text: version.text.clone(),
            lang: version.lang.tag(),
            written_at: i18n.datetime(&version.written_at),
        }
    }
}

/// R12: the report form of one review, as it was left (open, with its problem, after
/// a refused report) or fresh.
#[derive(Default)]
pub struct ReportState {
    /// Open the `<details>` (the form came back).
    pub open: bool,
    /// `review` or `reply`.
    pub target: String,
    pub reason: String,
    pub note: String,
    /// What was wrong with the form, in the visitor's words.
    pub error: Option<String>,
}

/// A report form that came back with a problem, for the page to show it in place.
pub struct ReportBack {
    pub review_id: String,
    pub state: ReportState,
}

impl ReportBack {
    /// The form state of review `id`: the one that came back, or a fresh one.
    pub fn state_for(back: &mut Option<ReportBack>, id: &str) -> ReportState {
        match back {
            Some(b) if b.review_id == id => back.take().map(|b| b.state).unwrap_or_default(),
            _ => ReportState::default(),
        }
    }
}

/// `(word, label)` of every report reason, in the order the form offers them.
pub fn report_reasons(i18n: &I18n) -> Vec<(String, String)> {
    ReportReason::ALL.iter().map(|r| (r.as_str().to_owned(), reason_label(i18n, *r))).collect()
}

/// A report reason in words.
pub fn reason_label(i18n: &I18n, reason: ReportReason) -> String {
    i18n.t(&format!("report-reason-{}", reason.as_str()))
}

/// A link of a filter or sort bar; `current` marks the one in effect.
pub struct FilterLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_read_as_glyphs_and_words() {
        let en = I18n { locale: Locale::En };
        let four = StarsView::new(Stars::parse("rating", 4).expect("stars"), &en);
        assert_eq!((four.glyphs.as_str(), four.label.as_str()), ("★★★★☆", "4 stars"));
        let ko = I18n { locale: Locale::Ko };
        assert_eq!(StarsView::new(Stars::parse("rating", 1).expect("stars"), &ko).label, "1점");
    }
}
