//! Review mail: the developer's official reply tells the reviewer (R11), and an operator
//! hiding or showing again a review or a reply tells the side that wrote it, with the
//! operator's reason (R12).
//!
//! A review has no thread, so these mails carry no inquiry and nobody answers them by
//! mail: they say what happened and what comes next, and link to the review on the app
//! page (the reviewer) or to the seller's reviews inbox (the developers). They share the
//! layout and the catalogs of every other mail.

use fluent_templates::fluent_bundle::FluentValue;
use vocdesk_domain::ids::{AppId, ReviewId};
use vocdesk_domain::outbox::{MailKind, OutgoingMail};
use vocdesk_domain::review::Stars;

use crate::layout::{Fact, MailView, Quote, Texts, path_segment};
use crate::{MailError, MailRenderer, Reader, Recipient};

/// Facts of one review a mail is about.
#[derive(Clone, Copy, Debug)]
pub struct ReviewFacts<'a> {
    /// The review, for the link to it.
    pub review_id: &'a ReviewId,
    /// The app reviewed, for the link.
    pub app_id: &'a AppId,
    /// The app's title, as the store lists it.
    pub app_title: &'a str,
    /// The seller (developer account) that owns the app and replies.
    pub seller_name: &'a str,
    /// The review's rating.
    pub stars: Stars,
    /// The review's text as written; `None` for a star-only rating.
    pub review_text: Option<&'a str>,
}

/// What a moderator did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moderation {
    /// The review was hidden: it leaves the app page and the rating (R12, R13).
    ReviewHidden,
    /// A hidden review shows again.
    ReviewRestored,
    /// The official reply was hidden: it no longer shows under the review.
    ReplyHidden,
    /// A hidden official reply shows again.
    ReplyRestored,
}

impl MailRenderer {
    /// R11: the developer posted or changed the official reply; tells the reviewer, in
    /// their language, quoting their review and the reply (user text: escaped in HTML, as
    /// written in the text body), and says that the reply is public on the app page. The
    /// link is `{base_url}/apps/{app_id}#review-{review_id}`. Kind [`MailKind::ReviewReplied`],
    /// with no inquiry.
    ///
    /// # Errors
    /// [`MailError::Render`] when a template fails to render (not expected in practice).
    pub fn review_replied(
        &self,
        review: &ReviewFacts<'_>,
        reply_text: &str,
        to: &Recipient,
    ) -> Result<OutgoingMail, MailError> {
        self.render_review(Occasion::Replied, review, reply_text, to)
    }

    /// R12: an operator hid or showed again a review (this tells the reviewer) or its
    /// official reply (this tells the seller's developers): one mail per recipient, in
    /// their language, saying what changed for the public and what they can do, with the
    /// operator's `reason` quoted (user text, like the review's). The reviewer's link is
    /// `{base_url}/apps/{app_id}#review-{review_id}`; the developers' is
    /// `{base_url}/developer/reviews?app_id={app_id}`. Kinds [`MailKind::ReviewHidden`],
    /// [`MailKind::ReviewRestored`], [`MailKind::ReplyHidden`], [`MailKind::ReplyRestored`],
    /// with no inquiry.
    ///
    /// # Errors
    /// [`MailError::Render`] when a template fails to render (not expected in practice).
    pub fn review_moderated(
        &self,
        review: &ReviewFacts<'_>,
        what: Moderation,
        reason: &str,
        to: &[Recipient],
    ) -> Result<Vec<OutgoingMail>, MailError> {
        to.iter().map(|recipient| self.render_review(Occasion::Moderated(what), review, reason, recipient)).collect()
    }

    /// One review mail. `said` is the user text the occasion adds: the reply (R11) or
    /// the operator's reason (R12).
    fn render_review(
        &self,
        occasion: Occasion,
        review: &ReviewFacts<'_>,
        said: &str,
        to: &Recipient,
    ) -> Result<OutgoingMail, MailError> {
        let shape = Shape::of(occasion);
        let rating = review.stars.get();
        let texts = Texts::new(
            to.locale,
            &to.name,
            [
                ("app", FluentValue::from(review.app_title)),
                ("seller", FluentValue::from(review.seller_name)),
                ("stars", FluentValue::from(star_glyphs(review.stars))),
                ("rating", FluentValue::from(rating)),
            ],
        );
        let app = path_segment(review.app_id.as_str());
        let (link, review_heading_key) = match shape.reader {
            Reader::Customer => (
                format!("{}/apps/{app}#review-{}", self.base_url, path_segment(review.review_id.as_str())),
                "mail-review-heading-own",
            ),
            Reader::Developer => (format!("{}/developer/reviews?app_id={app}", self.base_url), "mail-review-heading"),
        };

        let mut facts = vec![
            Fact { label: texts.get("mail-label-app"), value: review.app_title.to_owned() },
            Fact { label: texts.get("mail-label-seller"), value: review.seller_name.to_owned() },
            Fact { label: texts.get("mail-label-rating"), value: texts.get("mail-stars") },
        ];
        if review.review_text.is_none() {
            facts.push(Fact { label: texts.get("mail-label-review"), value: texts.get("mail-review-no-text") });
        }
        let review_quote = review.review_text.map(|body| Quote { heading: texts.get(review_heading_key), body });
        let said = Quote { heading: texts.get(shape.said_heading_key), body: said };
        // The reply answers the review, so it comes after it; a reason comes first, as the
        // news of the mail, and the review after it as a reminder.
        let quotes = match occasion {
            Occasion::Replied => review_quote.into_iter().chain([said]).collect(),
            Occasion::Moderated(_) => [said].into_iter().chain(review_quote).collect(),
        };

        let view = MailView {
            lang: to.locale.tag(),
            subject: texts.get(shape.subject_key),
            reply_line: None,
            greeting: texts.greeting(&to.name),
            intro: texts.get(shape.intro_key),
            facts,
            purchase: None,
            quotes,
            attachments: None,
            action: texts.get(shape.action_key),
            link,
            link_label: texts.get(shape.link_label_key),
            notice: shape.notice_key.map(|key| texts.get(key)),
            footer: texts.get(shape.footer_key),
        };
        view.into_mail(shape.kind, to, None)
    }
}

/// What happened to the review.
#[derive(Clone, Copy)]
enum Occasion {
    Replied,
    Moderated(Moderation),
}

/// The kind, the reader and the catalog keys of one occasion.
struct Shape {
    kind: MailKind,
    reader: Reader,
    subject_key: &'static str,
    intro_key: &'static str,
    /// The heading of the text the occasion adds (the reply, the reason).
    said_heading_key: &'static str,
    action_key: &'static str,
    link_label_key: &'static str,
    notice_key: Option<&'static str>,
    footer_key: &'static str,
}

impl Shape {
    fn of(occasion: Occasion) -> Self {
        // The reviewer hears about their review; the developers about their reply.
        let reviewer = |kind, subject_key, intro_key, said_heading_key, action_key| Shape {
            kind,
            reader: Reader::Customer,
            subject_key,
            intro_key,
            said_heading_key,
            action_key,
            link_label_key: "mail-link-label-review",
            notice_key: None,
            footer_key: "mail-footer-reviewer",
        };
        let developer = |kind, subject_key, intro_key, said_heading_key, action_key| Shape {
            kind,
            reader: Reader::Developer,
            subject_key,
            intro_key,
            said_heading_key,
            action_key,
            link_label_key: "mail-link-label-developer-reviews",
            notice_key: None,
            footer_key: "mail-footer-developer-review",
        };
        match occasion {
            // R18: editing the review marks the reply outdated; the reviewer should know.
            Occasion::Replied => Shape {
                notice_key: Some("mail-notice-review-replied"),
                ..reviewer(
                    MailKind::ReviewReplied,
                    "mail-subject-review-replied",
                    "mail-intro-review-replied",
                    "mail-reply-heading",
                    "mail-action-review-replied",
                )
            },
            Occasion::Moderated(Moderation::ReviewHidden) => reviewer(
                MailKind::ReviewHidden,
                "mail-subject-review-hidden",
                "mail-intro-review-hidden",
                "mail-hidden-reason-heading",
                "mail-action-review-hidden",
            ),
            Occasion::Moderated(Moderation::ReviewRestored) => reviewer(
                MailKind::ReviewRestored,
                "mail-subject-review-restored",
                "mail-intro-review-restored",
                "mail-restored-reason-heading",
                "mail-action-review-restored",
            ),
            Occasion::Moderated(Moderation::ReplyHidden) => developer(
                MailKind::ReplyHidden,
                "mail-subject-reply-hidden",
                "mail-intro-reply-hidden",
                "mail-hidden-reason-heading",
                "mail-action-reply-hidden",
            ),
            Occasion::Moderated(Moderation::ReplyRestored) => developer(
                MailKind::ReplyRestored,
                "mail-subject-reply-restored",
                "mail-intro-reply-restored",
                "mail-restored-reason-heading",
                "mail-action-reply-restored",
            ),
        }
    }
}

/// A rating as five stars, the given ones filled: `★★★★☆` for four.
fn star_glyphs(stars: Stars) -> String {
    let filled = usize::from(stars.get());
    "★".repeat(filled) + &"☆".repeat(5 - filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_show_as_five_stars() {
        let glyphs: Vec<_> = Stars::ALL.into_iter().map(star_glyphs).collect();
        assert_eq!(glyphs, ["★☆☆☆☆", "★★☆☆☆", "★★★☆☆", "★★★★☆", "★★★★★"]);
    }
}
