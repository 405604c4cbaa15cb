//! R3 notification mail, rendered: a new inquiry tells the seller's developers, a
//! customer's follow-up tells them again, a developer's reply tells the customer.
//!
//! This crate only renders. It turns the facts of a thread into
//! [`OutgoingMail`] values (subject, plain text and HTML, in the recipient's language)
//! that the caller queues in the outbox in the same transaction as the change that
//! caused them; delivery is a separate job. Nothing here does I/O.
//!
//! The words live in the Fluent catalogs `locales/{ko,en}/mail.ftl`; the layout lives in
//! `templates/mail.{txt,html}`, shared by the three kinds. The HTML template escapes every
//! value it prints, so user text (subject, body, names, app title) can never become markup;
//! the text template prints it as written.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

use askama::Template;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use vocdesk_domain::account::User;
use vocdesk_domain::ids::{InquiryId, UserId};
use vocdesk_domain::inquiry::Category;
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::{MailKind, OutgoingMail};

static_loader! {
    static CATALOGS = {
        locales: "./locales",
        fallback_language: "en",
        // Bidi isolation marks would end up in subject lines and plain-text bodies.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static KO: LazyLock<LanguageIdentifier> = LazyLock::new(|| LanguageIdentifier::from_bytes(b"ko").unwrap_or_default());
static EN: LazyLock<LanguageIdentifier> = LazyLock::new(|| LanguageIdentifier::from_bytes(b"en").unwrap_or_default());

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
    /// An account holder, written to at their sign-in address in the language they chose.
    fn from(user: User) -> Self {
        Recipient { user_id: Some(user.id), email: user.email, name: user.display_name, locale: user.locale }
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

/// Renders R3 notification mail. It holds the public address of vocdesk so that every
/// mail can link to its thread.
#[derive(Clone, Debug)]
pub struct MailRenderer {
    base_url: String,
}

impl MailRenderer {
    /// A renderer whose links start with `base_url`, such as `http://localhost:8080`
    /// (a trailing slash is dropped); the thread link is `{base_url}/inquiries/{inquiry_id}`.
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
        to.iter().map(|recipient| self.render(MailKind::InquiryCreated, thread, message, recipient)).collect()
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
        to.iter().map(|recipient| self.render(MailKind::CustomerFollowUp, thread, message, recipient)).collect()
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
        self.render(MailKind::DeveloperReply, thread, message, to)
    }

    fn render(
        &self,
        kind: MailKind,
        thread: &ThreadFacts<'_>,
        message: &MessageFacts<'_>,
        to: &Recipient,
    ) -> Result<OutgoingMail, MailError> {
        let shape = Shape::of(kind);
        let texts = Texts::new(to.locale, thread, message, &to.name);
        let link = format!("{}/inquiries/{}", self.base_url, path_segment(thread.inquiry_id.as_str()));

        let greeting_key = if to.name.trim().is_empty() { "mail-greeting-anonymous" } else { "mail-greeting" };
        let developer = matches!(shape.audience, Audience::Developer);
        let view = MailView {
            lang: to.locale.tag(),
            subject: header_line(&texts.get(shape.subject_key)),
            greeting: texts.get(greeting_key),
            intro: texts.get(shape.intro_key),
            facts: vec![
                Fact { label: texts.get("mail-label-app"), value: thread.app_title.to_owned() },
                Fact { label: texts.get("mail-label-category"), value: texts.get(category_key(thread.category)) },
                Fact { label: texts.get("mail-label-subject"), value: thread.subject.to_owned() },
                Fact { label: texts.get("mail-label-author"), value: message.author_name.to_owned() },
                Fact { label: texts.get("mail-label-sent-at"), value: korea_time(message.at) },
            ],
            message_heading: texts.get("mail-message-heading"),
            body: message.body,
            attachments: (message.attachment_count > 0).then(|| texts.get("mail-attachments")),
            action: texts.get(if developer { "mail-action-developer" } else { "mail-action-customer" }),
            link,
            link_label: texts.get("mail-link-label"),
            // R5: only the side that owes an answer is reminded of the limit.
            deadline: developer.then(|| texts.get("mail-deadline")),
            footer: texts.get(if developer { "mail-footer-developer" } else { "mail-footer-customer" }),
        };

        let body_text = TextMail { m: &view }.render().map_err(|source| MailError::Render {
            kind: kind.as_str(),
            format: "text",
            source,
        })?;
        let body_html = HtmlMail { m: &view }.render().map_err(|source| MailError::Render {
            kind: kind.as_str(),
            format: "html",
            source,
        })?;

        Ok(OutgoingMail {
            kind,
            to_user: to.user_id.clone(),
            to_email: to.email.clone(),
            locale: to.locale,
            subject: view.subject,
            body_text,
            body_html,
            inquiry_id: Some(thread.inquiry_id.clone()),
        })
    }
}

/// Who reads a kind of mail, which decides the call to action, the R5 reminder and the footer.
#[derive(Clone, Copy)]
enum Audience {
    Developer,
    Customer,
}

/// The parts of a mail that differ by kind.
struct Shape {
    subject_key: &'static str,
    intro_key: &'static str,
    audience: Audience,
}

impl Shape {
    fn of(kind: MailKind) -> Self {
        match kind {
            MailKind::InquiryCreated => Shape {
                subject_key: "mail-subject-inquiry-created",
                intro_key: "mail-intro-inquiry-created",
                audience: Audience::Developer,
            },
            MailKind::CustomerFollowUp => Shape {
                subject_key: "mail-subject-customer-follow-up",
                intro_key: "mail-intro-customer-follow-up",
                audience: Audience::Developer,
            },
            MailKind::DeveloperReply => Shape {
                subject_key: "mail-subject-developer-reply",
                intro_key: "mail-intro-developer-reply",
                audience: Audience::Customer,
            },
        }
    }
}

fn category_key(category: Category) -> &'static str {
    match category {
        Category::Question => "mail-category-question",
        Category::Maintenance => "mail-category-maintenance",
        Category::ErrorReport => "mail-category-error_report",
        Category::Refund => "mail-category-refund",
        Category::Other => "mail-category-other",
    }
}

/// The catalog in one recipient's language, with the mail's values as named arguments.
/// Every message gets the same arguments; a message uses the ones it names.
struct Texts<'a> {
    language: &'static LanguageIdentifier,
    args: HashMap<Cow<'static, str>, FluentValue<'a>>,
}

impl<'a> Texts<'a> {
    fn new(locale: Locale, thread: &ThreadFacts<'a>, message: &MessageFacts<'_>, name: &'a str) -> Self {
        let language: &'static LanguageIdentifier = match locale {
            Locale::Ko => &KO,
            Locale::En => &EN,
        };
        let args = HashMap::from([
            (Cow::Borrowed("name"), FluentValue::from(name.trim())),
            (Cow::Borrowed("app"), FluentValue::from(thread.app_title)),
            (Cow::Borrowed("subject"), FluentValue::from(thread.subject)),
            (Cow::Borrowed("seller"), FluentValue::from(thread.seller_name)),
            (Cow::Borrowed("customer"), FluentValue::from(thread.customer_name)),
            (Cow::Borrowed("count"), FluentValue::from(message.attachment_count)),
        ]);
        Self { language, args }
    }

    /// A message; a key missing from both catalogs shows as itself rather than as a blank
    /// (and the tests check that every key exists in both).
    fn get(&self, key: &'static str) -> String {
        CATALOGS.try_lookup_with_args(self.language, key, &self.args).unwrap_or_else(|| key.to_owned())
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

/// A subject line safe for a mail header: line breaks and other control characters
/// become single spaces, so user text can never start a header of its own.
fn header_line(text: &str) -> String {
    text.split(|c: char| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Percent-encodes an id for use as one URL path segment. Ids are UUIDs, which pass
/// unchanged; anything else cannot break out of the segment.
fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Everything the layout prints, already in the recipient's language.
struct MailView<'a> {
    lang: &'static str,
    subject: String,
    greeting: String,
    intro: String,
    facts: Vec<Fact>,
    message_heading: String,
    body: &'a str,
    attachments: Option<String>,
    action: String,
    link: String,
    link_label: String,
    deadline: Option<String>,
    footer: String,
}

/// One labelled line of the facts table.
struct Fact {
    label: String,
    value: String,
}

/// The plain-text body; askama does not escape `.txt`, so user text appears as written.
#[derive(Template)]
#[template(path = "mail.txt")]
struct TextMail<'a> {
    m: &'a MailView<'a>,
}

/// The HTML body; askama escapes every printed value in `.html`.
#[derive(Template)]
#[template(path = "mail.html")]
struct HtmlMail<'a> {
    m: &'a MailView<'a>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_lines_cannot_carry_line_breaks() {
        assert_eq!(header_line("a\r\nBcc: x@example.com\n b\u{2028}c"), "a Bcc: x@example.com b c");
        assert_eq!(header_line("  환불  요청 "), "환불 요청");
    }

    #[test]
    fn ids_stay_inside_their_path_segment() {
        assert_eq!(path_segment("0195-abc_DEF.~"), "0195-abc_DEF.~");
        assert_eq!(path_segment("../a b/?"), "..%2Fa%20b%2F%3F");
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
