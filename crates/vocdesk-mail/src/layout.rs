//! What every kind of mail shares: the catalog lookup in the recipient's language, the
//! view the templates print, and the helpers that keep user text inside its place (the
//! subject header, a URL segment).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use askama::Template;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};
use vocdesk_domain::ids::InquiryId;
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::{MailKind, OutgoingMail};

use crate::{MailError, Recipient, language_id};

static_loader! {
    static CATALOGS = {
        locales: "./locales",
        fallback_language: "en",
        // Bidi isolation marks would end up in subject lines and plain-text bodies.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The catalog in one recipient's language, with the mail's values as named arguments.
/// Every message gets the same arguments; a message uses the ones it names.
pub(crate) struct Texts<'a> {
    language: &'static LanguageIdentifier,
    args: HashMap<Cow<'static, str>, FluentValue<'a>>,
}

impl<'a> Texts<'a> {
    /// The catalog of `locale`, with the recipient's `name` for the greeting and the
    /// values every message of the kind may name.
    pub(crate) fn new<const N: usize>(
        locale: Locale,
        name: &'a str,
        args: [(&'static str, FluentValue<'a>); N],
    ) -> Self {
        let mut texts = Self { language: language_id(locale), args: HashMap::with_capacity(N + 1) };
        texts.set("name", FluentValue::from(name.trim()));
        for (key, value) in args {
            texts.set(key, value);
        }
        texts
    }

    /// Adds an argument that only some mails have (`count`, `product`, `due`).
    pub(crate) fn set(&mut self, name: &'static str, value: FluentValue<'a>) {
        self.args.insert(Cow::Borrowed(name), value);
    }

    /// A message; a key missing from both catalogs shows as itself rather than as a blank
    /// (and the tests check that every key exists in both).
    pub(crate) fn get(&self, key: &'static str) -> String {
        CATALOGS.try_lookup_with_args(self.language, key, &self.args).unwrap_or_else(|| key.to_owned())
    }

    /// The greeting, naming the recipient when they have a name.
    pub(crate) fn greeting(&self, name: &str) -> String {
        self.get(if name.trim().is_empty() { "mail-greeting-anonymous" } else { "mail-greeting" })
    }
}

/// Everything the layout prints, already in the recipient's language.
pub(crate) struct MailView<'a> {
    pub(crate) lang: &'static str,
    pub(crate) subject: String,
    /// R15: the line a reply is written above, on mail that can be answered by
    /// replying (it carries a reply address); the reader trims everything below it.
    pub(crate) reply_line: Option<String>,
    pub(crate) greeting: String,
    pub(crate) intro: String,
    /// What the mail is about: the thread or the review, and what the kind adds to it
    /// (the message's author and time, the response limit, the rating).
    pub(crate) facts: Vec<Fact>,
    /// R5/R8: the purchase a refund mail is about.
    pub(crate) purchase: Option<Section>,
    /// User text quoted in full, in order: the message (R3), the operator's reason (R8,
    /// R12), the review and its official reply (R11).
    pub(crate) quotes: Vec<Quote<'a>>,
    pub(crate) attachments: Option<String>,
    pub(crate) action: String,
    pub(crate) link: String,
    pub(crate) link_label: String,
    /// A highlighted note: the R5 limit for developers who owe an answer, what happens
    /// to the refund, what editing a review does to its reply.
    pub(crate) notice: Option<String>,
    pub(crate) footer: String,
}

impl MailView<'_> {
    /// Renders both bodies and addresses the mail; the subject is made safe for a header.
    pub(crate) fn into_mail(
        self,
        kind: MailKind,
        to: &Recipient,
        inquiry_id: Option<InquiryId>,
    ) -> Result<OutgoingMail, MailError> {
        let failed = |format| move |source| MailError::Render { kind: kind.as_str(), format, source };
        let view = MailView { subject: header_line(&self.subject), ..self };
        let body_text = TextMail { m: &view }.render().map_err(failed("text"))?;
        let body_html = HtmlMail { m: &view }.render().map_err(failed("html"))?;
        Ok(OutgoingMail {
            kind,
            to_user: to.user_id.clone(),
            to_email: to.email.clone(),
            locale: to.locale,
            subject: view.subject,
            body_text,
            body_html,
            inquiry_id,
        })
    }
}

/// One labelled line of a facts table.
pub(crate) struct Fact {
    pub(crate) label: String,
    pub(crate) value: String,
}

/// A titled facts table.
pub(crate) struct Section {
    pub(crate) heading: String,
    pub(crate) facts: Vec<Fact>,
}

/// A titled block of user text, line breaks kept.
pub(crate) struct Quote<'a> {
    pub(crate) heading: String,
    pub(crate) body: &'a str,
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

/// A subject line safe for a mail header: line breaks and other control characters
/// become single spaces, so user text can never start a header of its own.
pub(crate) fn header_line(text: &str) -> String {
    text.split(|c: char| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Percent-encodes an id for use as one URL path segment (or query value, or fragment).
/// Ids are UUIDs, which pass unchanged; anything else cannot break out of its place.
pub(crate) fn path_segment(text: &str) -> String {
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
        assert_eq!(path_segment("x#y&z=1"), "x%23y%26z%3D1");
    }
}
