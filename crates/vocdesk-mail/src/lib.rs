//! vocdesk's notification mail, rendered in the recipient's language:
//!
//! - R3: a new inquiry tells the seller's developers ([`MailRenderer::inquiry_created`]), a
//!   customer's follow-up tells them again ([`MailRenderer::customer_follow_up`]), a
//!   developer's reply tells the customer ([`MailRenderer::developer_reply`]).
//! - R5/R8: a cancelled purchase tells the customer that the refund is on its way and
//!   how it came about ([`MailRenderer::purchase_cancelled`]).
//! - R8: an operator's decision on a cancellation request tells the seller's developers
//!   that it was approved ([`MailRenderer::cancellation_approved`]), or tells either side
//!   that it was rejected, with the operator's reason ([`MailRenderer::cancellation_rejected`]).
//! - R5: the store's cancelling on the developer's behalf tells the seller's developers
//!   ([`MailRenderer::cancelled_on_behalf`]), and an inquiry nearing its response limit
//!   reminds them to answer ([`MailRenderer::response_reminder`]).
//! - R11: the developer's official reply to a review tells the reviewer
//!   ([`MailRenderer::review_replied`]); R12: an operator hiding or showing again a review
//!   or a reply tells its author, with the reason ([`MailRenderer::review_moderated`]).
//! - Mail in: [`inbound::read`] reads a received mail (a reply by mail, an automatic reply,
//!   a bounce) into its sender, thread ids, trimmed text and attachments, without I/O.
//!
//! This crate only renders. It turns the facts of a thread (and of the purchase, for the
//! refund mails), or of a review, into [`OutgoingMail`] values (subject, plain text and
//! HTML, in the recipient's language) that the caller queues in the outbox in the same
//! transaction as the change that caused them; delivery is a separate job. Nothing here
//! does I/O.
//!
//! The words live in the Fluent catalogs `locales/{ko,en}/mail.ftl`; the layout lives in
//! `templates/mail.{txt,html}` (and its view in `layout.rs`), shared by every kind, whose optional blocks (the quoted
//! texts, the purchase, the highlighted notice) each kind fills as it needs. The HTML
//! template escapes every value it prints, so user text (subject, body, names, app and
//! item titles, review and reply texts, an operator's reason) can never become markup; the
//! text template prints it as written.

pub mod inbound;
mod layout;
mod occasion;
mod reviews;

use std::sync::LazyLock;

use fluent_templates::LanguageIdentifier;
use fluent_templates::fluent_bundle::FluentValue;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use vocdesk_domain::account::User;
use vocdesk_domain::ids::{InquiryId, UserId};
use vocdesk_domain::inquiry::Category;
use vocdesk_domain::locale::Locale;
use vocdesk_domain::money::Money;
use vocdesk_domain::outbox::OutgoingMail;

pub use crate::reviews::{Moderation, ReviewFacts};

use crate::layout::{Fact, MailView, Quote, Section, Texts, path_segment};
use crate::occasion::{Extra, Occasion, Shape, category_key};

static KO: LazyLock<LanguageIdentifier> = LazyLock::new(|| LanguageIdentifier::from_bytes(b"ko").unwrap_or_default());
static EN: LazyLock<LanguageIdentifier> = LazyLock::new(|| LanguageIdentifier::from_bytes(b"en").unwrap_or_default());

/// The Fluent language of a locale. Every catalog (mail here, the pages', the
/// application's) looks its words up by it, so the mapping lives in one place.
pub fn language_id(locale: Locale) -> &'static LanguageIdentifier {
    match locale {
        Locale::Ko => &KO,
        Locale::En => &EN,
    }
}

/// Who gets a mail: the address to write to and what the mail needs to know about the
/// person (their name for the greeting, their language for every word of it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    /// The recipient's account, when they have one, so the outbox can tell whose mail it is.
    pub user_id: Option<UserId>,
    /// The address the mail goes to.
    pub email: String,
    /// The name the greeting uses; when blank, the greeting names no one.
    pub name: String,
    /// R3: each person is written to in their own language.
    pub locale: Locale,
}

impl From<User> for Recipient {
    /// An account holder, written to at their sign-in address in the mail language they
    /// chose (R3), whatever language they read the pages in.
    fn from(user: User) -> Self {
        Recipient { user_id: Some(user.id), email: user.email, name: user.display_name, locale: user.mail_locale }
    }
}

/// What a mail says about the thread, so the reader knows which inquiry it is without
/// opening it.
#[derive(Clone, Copy, Debug)]
pub struct ThreadFacts<'a> {
    /// The thread, for the link and so that a reply by mail can find its way back.
    pub inquiry_id: &'a InquiryId,
    /// The app the inquiry is about.
    pub app_title: &'a str,
    /// The seller (developer account) that owns the app and answers.
    pub seller_name: &'a str,
    /// The customer who asked.
    pub customer_name: &'a str,
    /// R1: what the inquiry is about, shown translated.
    pub category: Category,
    /// The inquiry's subject, as the customer wrote it.
    pub subject: &'a str,
}

impl<'a> From<&'a vocdesk_domain::inquiry::Inquiry> for ThreadFacts<'a> {
    /// The facts of a stored thread (every mail after the first message).
    fn from(inquiry: &'a vocdesk_domain::inquiry::Inquiry) -> Self {
        ThreadFacts {
            inquiry_id: &inquiry.id,
            app_title: &inquiry.app_title,
            seller_name: &inquiry.seller_name,
            customer_name: &inquiry.customer_name,
            category: inquiry.category,
            subject: &inquiry.subject,
        }
    }
}

/// The message that caused the mail, quoted in full so the reader can answer from it.
#[derive(Clone, Copy, Debug)]
pub struct MessageFacts<'a> {
    /// Who wrote it (the customer, or the developer who replied).
    pub author_name: &'a str,
    /// The full text, line breaks kept.
    pub body: &'a str,
    /// How many files came with it; the files themselves stay in vocdesk.
    pub attachment_count: usize,
    /// When it was written; shown in Korea Standard Time, the store's zone.
    pub at: Timestamp,
}

/// What a refund mail says about the purchase.
#[derive(Clone, Copy, Debug)]
pub struct PurchaseFacts<'a> {
    /// App title, or "App title · Item title" for an in-app item (the caller builds it).
    pub product: &'a str,
    /// What was paid.
    pub amount: &'a Money,
    /// When it was paid (shown in KST like other times in mail).
    pub purchased_at: Timestamp,
}

/// How a purchase came to be cancelled, as the customer is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CancelledHow {
    /// The seller's developer asked the store (R8) and an operator approved.
    RequestApproved,
    /// The developer did not answer within the limit and the store cancelled on their behalf (R5).
    OnBehalf,
}

/// Who reads a mail, where one kind goes to both sides. It decides the words of the mail
/// (the first sentence, the call to action, the footer) and whether the R5 reminder shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// The customer who asked.
    Customer,
    /// A member of the seller (developer account) that answers.
    Developer,
}

/// Why a mail could not be rendered. With the values this crate passes to its templates
/// rendering cannot fail in practice, but askama reports formatting errors and this
/// crate passes them on rather than panicking inside the caller's transaction.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// A template failed to render.
    #[error("rendering the {format} body of a {kind} mail failed")]
    Render {
        /// The stored word of the mail's [`MailKind`].
        kind: &'static str,
        /// `text` or `html`.
        format: &'static str,
        /// What askama reported.
        #[source]
        source: askama::Error,
    },
}

/// Renders notification mail. It holds the public address of vocdesk so that every
/// mail can link to its thread.
#[derive(Clone, Debug)]
pub struct MailRenderer {
    base_url: String,
}

impl MailRenderer {
    /// A renderer whose links start with `base_url`, such as `http://localhost:8080`
    /// (a trailing slash is dropped); the thread link is `{base_url}/inquiries/{inquiry_id}`,
    /// and the review links are listed at [`MailRenderer::review_replied`] and
    /// [`MailRenderer::review_moderated`].
    pub fn new(base_url: &str) -> Self {
        Self { base_url: base_url.trim_end_matches('/').to_owned() }
    }

    /// R3: a new inquiry notifies the seller's developers: one mail per recipient, each in
    /// the recipient's language, with the R5 reminder of the 3-day limit. Kind
    /// [`MailKind::InquiryCreated`].
    ///
    /// # Errors
    /// [`MailError::Render`] when a template fails to render (not expected in practice).
    pub fn inquiry_created(
        &self,
        thread: &ThreadFacts<'_>,
        message: &MessageFacts<'_>,
        to: &[Recipient],
    ) -> Result<Vec<OutgoingMail>, MailError> {
        self.render_all(Occasion::InquiryCreated, thread, &Extra::Message(message), to)
    }

    /// A customer's follow-up (which may reopen a closed inquiry, R4) notifies the seller's
    /// developers again: one mail per recipient, in their language, with the R5 reminder.
    /// Kind [`MailKind::CustomerFollowUp`].
    ///
    /// # Errors
    /// [`MailError::Render`] when a template fails to render (not expected in practice).
    pub fn customer_follow_up(
        &self,
        thread: &ThreadFacts<'_>,
        message: &MessageFacts<'_>,
        to: &[Recipient],
    ) -> Result<Vec<OutgoingMail>, MailError> {
        self.render_all(Occasion::CustomerFollowUp, thread, &Extra::Message(message), to)
    }

    /// R3: a developer's reply notifies the customer, in the customer's language. Kind
    /// [`MailKind::DeveloperReply`].
    ///
    /// # Errors
    /// [`MailError::Render`] when a template fails to render (not expected in practice).
    pub fn developer_reply(
        &self,
        thread: &ThreadFacts<'_>,
        message: &MessageFacts<'_>,
        to: &Recipient,
    ) -> Result<OutgoingMail, MailError> {
        self.render(Occasion::DeveloperReply, thread, &Extra::Message(message), to)
    }

    /// R5/R8: tells the customer that their purchase was cancelled and the amount paid is
    /// being refunded, and how it came about: the seller asked and the store approved, or
    /// the store cancelled on the seller's behalf after the response limit. One mail per
    /// recipient, in their language, with the purchase. Kind [`MailKind::PurchaseCancelled`].
    ///
    /// # Errors
    /// [`MailError::Render`] when a template fails to render (not expected in practice).
    pub fn purchase_cancelled(
        &self,
        thread: &ThreadFacts<'_>,
        purchase: &PurchaseFacts<'_>,
        how: CancelledHow,
        to: &[Recipient],
    ) -> Result<Vec<OutgoingMail>, MailError> {
        self.render_all(Occasion::PurchaseCancelled(how), thread, &Extra::Purchase { purchase, reason: None }, to)
    }

    /// R8: tells the seller's developers that the store approved their cancellation
    /// request: the purchase is cancelled and the customer refunded. One mail per
    /// recipient, in their language, with the purchase. Kind [`MailKind::CancellationApproved`].
    ///
    /// # Errors
    /// [`MailError::Render`] when a template fails to render (not expected in practice).
    pub fn cancellation_approved(
        &self,
        thread: &ThreadFacts<'_>,
        purchase: &PurchaseFacts<'_>,
        to: &[Recipient],
    ) -> Result<Vec<OutgoingMail>, MailError> {
        self.render_all(Occasion::CancellationApproved, thread, &Extra::Purchase { purchase, reason: None }, to)
    }

    /// R8: tells either side (`reader`: the customer, or the seller's developers who asked)
    /// that the store rejected the cancellation request, quoting the operator's `reason`
    /// (user text: escaped in HTML, as written in the text body). One mail per recipient,
    /// in their language, with the purchase. Kind [`MailKind::CancellationRejected`].
    ///
    /// # Errors
    /// [`MailError::Render`] when a template fails to render (not expected in practice).
    pub fn cancellation_rejected(
        &self,
        thread: &ThreadFacts<'_>,
        purchase: &PurchaseFacts<'_>,
        reason: &str,
        reader: Reader,
        to: &[Recipient],
    ) -> Result<Vec<OutgoingMail>, MailError> {
        let extra = Extra::Purchase { purchase, reason: Some(reason) };
        self.render_all(Occasion::CancellationRejected(reader), thread, &extra, to)
    }

    /// R5: tells the seller's developers that the store cancelled the purchase on their
    /// behalf because the inquiry went unanswered past the response limit, and that the
    /// customer is refunded. One mail per recipient, in their language, with the purchase.
    /// Kind [`MailKind::CancelledOnBehalf`].
    ///
    /// # Errors
    /// [`MailError::Render`] when a template fails to render (not expected in practice).
    pub fn cancelled_on_behalf(
        &self,
        thread: &ThreadFacts<'_>,
        purchase: &PurchaseFacts<'_>,
        to: &[Recipient],
    ) -> Result<Vec<OutgoingMail>, MailError> {
        self.render_all(Occasion::CancelledOnBehalf, thread, &Extra::Purchase { purchase, reason: None }, to)
    }

    /// R5: reminds the seller's developers that the inquiry is still unanswered and reaches
    /// the response limit at `due_at` (normally 24 hours from now; the words also hold when
    /// it has already passed), after which the store may cancel the purchase on their
    /// behalf. One mail per recipient, in their language. Kind [`MailKind::ResponseReminder`].
    ///
    /// # Errors
    /// [`MailError::Render`] when a template fails to render (not expected in practice).
    pub fn response_reminder(
        &self,
        thread: &ThreadFacts<'_>,
        due_at: Timestamp,
        to: &[Recipient],
    ) -> Result<Vec<OutgoingMail>, MailError> {
        self.render_all(Occasion::ResponseReminder, thread, &Extra::Due(due_at), to)
    }

    /// R17: tells the customer that the seller's developer asked the store to cancel
    /// their purchase and refund it, what happens next (the store decides; the decision
    /// comes by mail and shows in the thread), and quotes the developer's `message` to
    /// them when there is one (user text: escaped in HTML). The developer's note for the
    /// store is never passed here. Kind [`MailKind::CancellationRequested`].
    ///
    /// # Errors
    /// [`MailError::Render`] when a template fails to render (not expected in practice).
    pub fn cancellation_requested(
        &self,
        thread: &ThreadFacts<'_>,
        purchase: &PurchaseFacts<'_>,
        message: Option<&str>,
        to: &[Recipient],
    ) -> Result<Vec<OutgoingMail>, MailError> {
        self.render_all(Occasion::CancellationRequested, thread, &Extra::Request { purchase, message }, to)
    }

    /// R7/R9: tells the customer that `developer` recorded, at `at`, their consent to share
    /// personal information (payment ids) on the inquiry filed for them by phone or mail,
    /// and that one button on the thread withdraws it. Kind [`MailKind::ConsentRecorded`].
    ///
    /// # Errors
    /// [`MailError::Render`] when a template fails to render (not expected in practice).
    pub fn consent_recorded(
        &self,
        thread: &ThreadFacts<'_>,
        developer: &str,
        at: Timestamp,
        to: &[Recipient],
    ) -> Result<Vec<OutgoingMail>, MailError> {
        self.render_all(Occasion::ConsentRecorded, thread, &Extra::Consent { by: developer, at }, to)
    }

    fn render_all(
        &self,
        occasion: Occasion,
        thread: &ThreadFacts<'_>,
        extra: &Extra<'_>,
        to: &[Recipient],
    ) -> Result<Vec<OutgoingMail>, MailError> {
        to.iter().map(|recipient| self.render(occasion, thread, extra, recipient)).collect()
    }

    fn render(
        &self,
        occasion: Occasion,
        thread: &ThreadFacts<'_>,
        extra: &Extra<'_>,
        to: &Recipient,
    ) -> Result<OutgoingMail, MailError> {
        let shape = Shape::of(occasion);
        let mut texts = Texts::new(
            to.locale,
            &to.name,
            [
                ("app", FluentValue::from(thread.app_title)),
                ("subject", FluentValue::from(thread.subject)),
                ("seller", FluentValue::from(thread.seller_name)),
                ("customer", FluentValue::from(thread.customer_name)),
            ],
        );
        let link = format!("{}/inquiries/{}", self.base_url, path_segment(thread.inquiry_id.as_str()));

        let mut facts = vec![
            Fact { label: texts.get("mail-label-app"), value: thread.app_title.to_owned() },
            Fact { label: texts.get("mail-label-category"), value: texts.get(category_key(thread.category)) },
            Fact { label: texts.get("mail-label-subject"), value: thread.subject.to_owned() },
        ];
        let (mut purchase, mut quotes, mut attachments) = (None, Vec::new(), None);
        match *extra {
            Extra::Message(message) => {
                texts.set("count", FluentValue::from(message.attachment_count));
                facts.push(Fact { label: texts.get("mail-label-author"), value: message.author_name.to_owned() });
                facts.push(Fact { label: texts.get("mail-label-sent-at"), value: korea_time(message.at) });
                quotes.push(Quote { heading: texts.get("mail-message-heading"), body: message.body });
                attachments = (message.attachment_count > 0).then(|| texts.get("mail-attachments"));
            }
            Extra::Purchase { purchase: facts_of, reason } => {
                purchase = Some(purchase_section(&mut texts, facts_of));
                quotes.extend(reason.map(|body| Quote { heading: texts.get("mail-reason-heading"), body }));
            }
            Extra::Request { purchase: facts_of, message } => {
                purchase = Some(purchase_section(&mut texts, facts_of));
                let heading = texts.get("mail-developer-message-heading");
                quotes.extend(message.map(|body| Quote { heading, body }));
            }
            Extra::Consent { by, at } => {
                texts.set("developer", FluentValue::from(by));
                facts.push(Fact { label: texts.get("mail-label-consent-by"), value: by.to_owned() });
                facts.push(Fact { label: texts.get("mail-label-consent-at"), value: korea_time(at) });
            }
            Extra::Due(due_at) => {
                let due = korea_time(due_at);
                texts.set("due", FluentValue::from(due.clone()));
                facts.push(Fact { label: texts.get("mail-label-due-at"), value: due });
            }
        }

        let view = MailView {
            lang: to.locale.tag(),
            subject: texts.get(shape.subject_key),
            reply_line: to.user_id.is_some().then(|| texts.get("mail-reply-above")),
            greeting: texts.greeting(&to.name),
            intro: texts.get(shape.intro_key),
            facts,
            purchase,
            quotes,
            attachments,
            action: texts.get(shape.action_key),
            link,
            link_label: texts.get("mail-link-label"),
            notice: shape.notice_key.map(|key| texts.get(key)),
            footer: texts.get(shape.footer_key),
        };
        view.into_mail(occasion.kind(), to, Some(thread.inquiry_id.clone()))
    }
}

/// The purchase block of a refund mail; sets `$product` for the mail's sentences.
fn purchase_section<'a>(texts: &mut Texts<'a>, facts_of: &PurchaseFacts<'a>) -> Section {
    texts.set("product", FluentValue::from(facts_of.product));
    Section {
        heading: texts.get("mail-purchase-heading"),
        facts: vec![
            Fact { label: texts.get("mail-label-product"), value: facts_of.product.to_owned() },
            Fact { label: texts.get("mail-label-amount"), value: facts_of.amount.display() },
            Fact { label: texts.get("mail-label-purchased-at"), value: korea_time(facts_of.purchased_at) },
        ],
    }
}

/// A time as people in the store read it: `2026-11-21 09:30 KST`. Korea has kept +09:00
/// all year since 1988, so without a time zone database the fixed offset gives the same.
fn korea_time(at: Timestamp) -> String {
    let zone = TimeZone::get("Asia/Seoul").unwrap_or_else(|_| korea_fixed());
    korea_time_in(at, zone)
}

/// Korea Standard Time without the time zone database.
fn korea_fixed() -> TimeZone {
    TimeZone::fixed(jiff::tz::offset(9))
}

fn korea_time_in(at: Timestamp, zone: TimeZone) -> String {
    at.to_zoned(zone).strftime("%Y-%m-%d %H:%M KST").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_drop_a_trailing_slash_of_the_base_url() {
        assert_eq!(MailRenderer::new("http://x/").base_url, "http://x");
    }

    #[test]
    fn times_show_in_korea_standard_time() {
        let at: Timestamp = "2026-11-21T00:30:00Z".parse().expect("timestamp");
        assert_eq!(korea_time(at), "2026-11-21 09:30 KST");
        // The fallback when the time zone database is missing reads the same.
        assert_eq!(korea_time_in(at, korea_fixed()), "2026-11-21 09:30 KST");
        let summer: Timestamp = "2026-07-01T15:05:00Z".parse().expect("timestamp");
        assert_eq!(korea_time(summer), "2026-07-02 00:05 KST");
        assert_eq!(korea_time_in(summer, korea_fixed()), korea_time(summer));
    }
}
