//! Reading received mail: a customer's or a developer's answer by mail, an out-of-office
//! reply, a bounce. [`read`] turns the raw bytes (RFC 5322, MIME) into a [`ReceivedMail`]:
//! who sent it, the thread ids it answers, the text with the quoted conversation trimmed
//! off ([`trim_reply`]), the attachments, and whether a person wrote it at all
//! ([`Nature`]). Nothing here does I/O; the caller decides what becomes of the mail.
//!
//! Parsing is mail-parser's, with encoding_rs for the legacy charsets. Korean mail needs one
//! thing more: labels that mail-parser does not know (`cp949`, `uhc`, `ms949`) are read as
//! Windows-949 (see `charset.rs`).

mod charset;
mod html;
mod nature;
mod trim;

use std::collections::BTreeSet;

use mail_parser::{HeaderName, HeaderValue, Message, MessageParser, MessagePart, MimeHeaders, PartType};

pub use self::trim::trim_reply;

/// A received mail as vocdesk reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedMail {
    /// The mail's own Message-ID, without angle brackets, so that a later answer to it can
    /// be matched and a mail delivered twice can be recognised.
    pub message_id: Option<String>,
    /// The ids it answers (In-Reply-To), without angle brackets: the first clue to the thread.
    pub in_reply_to: Vec<String>,
    /// The whole chain of earlier ids (References), without angle brackets, for clients
    /// that drop In-Reply-To.
    pub references: Vec<String>,
    /// Every From address, lower-cased, as parsed: who the mail claims to be from. Never
    /// Reply-To, and never a display name, so a name that looks like an address fools no one.
    pub from: Vec<String>,
    /// The display name of the first From address, decoded, to greet or show the sender;
    /// it is what the sender claims and proves nothing.
    pub from_name: Option<String>,
    /// The subject, decoded, on one line (control characters replaced by spaces), trimmed.
    pub subject: String,
    /// The whole body as plain text (the text/plain part preferred, HTML-only mail turned
    /// into readable text), line breaks as `\n`: kept so nothing the sender wrote is lost.
    pub text: String,
    /// [`ReceivedMail::text`] without the quoted earlier conversation and the signature:
    /// what the thread shows as the new message. Never empty when `text` has anything of
    /// the sender's own; when trimming would leave nothing, the whole text.
    pub reply: String,
    /// The files that came with the mail, decoded.
    pub attachments: Vec<ReceivedAttachment>,
    /// Whether a person wrote it, so that automatic replies and bounces never reopen a thread
    /// or answer back.
    pub nature: Nature,
}

/// A file that came with a received mail, ready to be kept with the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedAttachment {
    /// The file's name as the sender gave it (decoded, without any folder part and without
    /// control characters), or `attachment-N` when it has none, so it can be offered for
    /// download under a name that cannot point elsewhere.
    pub file_name: String,
    /// `type/subtype`, lower-cased, without parameters (`application/octet-stream` when the
    /// mail does not say), to decide how to show it.
    pub content_type: String,
    /// The decoded content. Text files come as UTF-8, whatever charset they were sent in.
    pub bytes: Vec<u8>,
}

/// Who or what wrote a received mail: only a person's mail becomes a message in a thread;
/// the others are recorded and answered by nothing, so two robots cannot mail each other
/// forever.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Nature {
    /// A person wrote it.
    Personal,
    /// A program answered on someone's behalf (out-of-office, auto-responder, bulk or list
    /// mail), as its headers say: Auto-Submitted other than `no`, X-Autoreply, X-Autorespond,
    /// or Precedence bulk, junk or list.
    Automatic {
        /// A short English phrase for operators, such as `Auto-Submitted: auto-replied`.
        reason: String,
    },
    /// A delivery status notification: a mail vocdesk sent did not arrive (or is late), so
    /// the recipient's address may need attention.
    Bounce {
        /// The Message-IDs of the mail that bounced, without angle brackets: from the
        /// returned message or headers, and from the notification's In-Reply-To/References.
        original_message_ids: Vec<String>,
        /// The addresses that failed, lower-cased.
        failed_recipients: Vec<String>,
        /// Whether delivery has failed for good (status 5.x.x, or no status given) rather
        /// than only being delayed (4.x.x).
        permanent: bool,
    },
}

/// Why a mail cannot be read at all (it will be kept raw and held by the caller).
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// Nothing but whitespace arrived.
    #[error("the mail is empty")]
    Empty,
    /// Not one header field: whatever arrived is not an RFC 5322 message.
    #[error("the mail has no header fields, so it is not an RFC 5322 message")]
    NoHeaders,
}

/// Reads a received mail from its raw bytes. A damaged mail (broken MIME, an unknown
/// charset, a truncated part) is read as well as it can be rather than refused, so that a
/// customer's words are not lost for a sender's bug.
///
/// # Errors
/// [`Unreadable`] when the bytes are empty or have no header fields at all.
pub fn read(raw: &[u8]) -> Result<ReceivedMail, Unreadable> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(Unreadable::Empty);
    }
    let parser = MessageParser::new();
    let message = parser.parse(raw).ok_or(Unreadable::NoHeaders)?;
    if !has_header_field(&message, raw) {
        return Err(Unreadable::NoHeaders);
    }
    match charset::relabel_windows_949(&message, raw) {
        None => Ok(received(&message)),
        Some(relabelled) => {
            let message = parser.parse(&relabelled).ok_or(Unreadable::NoHeaders)?;
            Ok(received(&message))
        }
    }
}

/// Whether at least one header is a real field: a name of printable ASCII followed by a
/// colon. mail-parser takes any first line ("hello world") for a header name.
fn has_header_field(message: &Message<'_>, raw: &[u8]) -> bool {
    message.parts.first().is_some_and(|root| {
        root.headers.iter().any(|header| {
            let name = header.name();
            let valid_name = !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
            let field = raw.get(header.offset_field() as usize..header.offset_start() as usize).unwrap_or_default();
            valid_name && field.contains(&b':')
        })
    })
}

fn received(message: &Message<'_>) -> ReceivedMail {
    let (from, from_name) = senders(message);
    let (text, recovered) = body_text(message);
    let reply = trim_reply(&text);
    ReceivedMail {
        message_id: message.message_id().map(bare_id).filter(|id| !id.is_empty()),
        in_reply_to: ids(message.in_reply_to()),
        references: ids(message.references()),
        from,
        from_name,
        subject: one_line(message.subject().unwrap_or_default()),
        text,
        reply,
        attachments: attachments(message, &recovered),
        nature: nature::nature_of(message),
    }
}

/// Every address of every From header, and the display name of the first one.
fn senders(message: &Message<'_>) -> (Vec<String>, Option<String>) {
    let mut from = Vec::new();
    let mut from_name = None;
    let mut first = true;
    for value in message.header_values(HeaderName::From) {
        let HeaderValue::Address(address) = value else { continue };
        for addr in address.iter() {
            if first {
                from_name = addr.name.as_deref().map(one_line).filter(|name| !name.is_empty());
                first = false;
            }
            let address = addr.address.as_deref().unwrap_or_default().trim().to_lowercase();
            if !address.is_empty() && !from.contains(&address) {
                from.push(address);
            }
        }
    }
    (from, from_name)
}

/// The text of the body parts, and the parts that had to be recovered as text because their
/// MIME structure was broken (so they are not offered as attachments too).
fn body_text(message: &Message<'_>) -> (String, BTreeSet<u32>) {
    let mut pieces = Vec::new();
    for part in message.text_bodies() {
        match &part.body {
            PartType::Text(text) => pieces.push(text.to_string()),
            PartType::Html(html) => pieces.push(html::html_to_text(html)),
            _ => {}
        }
    }
    let mut recovered = BTreeSet::new();
    if pieces.iter().all(|piece| piece.trim().is_empty()) {
        pieces.clear();
        for &id in &message.attachments {
            let Some(part) = message.part(id) else { continue };
            if is_broken_text(part) {
                pieces.push(String::from_utf8_lossy(part.contents()).into_owned());
                recovered.insert(id);
            }
        }
    }
    (normalize_newlines(&pieces.join("\n")).trim_end().to_owned(), recovered)
}

/// A part whose MIME structure mail-parser could not follow (a missing boundary, a truncated
/// encoding): its bytes are the best text there is.
fn is_broken_text(part: &MessagePart<'_>) -> bool {
    let multipart_without_parts = part.content_type().is_some_and(|ct| ct.ctype().eq_ignore_ascii_case("multipart"))
        && part.sub_parts().is_none();
    let broken_text =
        part.is_encoding_problem && part.content_type().is_none_or(|ct| ct.ctype().eq_ignore_ascii_case("text"));
    multipart_without_parts || broken_text
}

fn attachments(message: &Message<'_>, recovered: &BTreeSet<u32>) -> Vec<ReceivedAttachment> {
    let mut files = Vec::new();
    for &id in &message.attachments {
        let Some(part) = message.part(id) else { continue };
        if recovered.contains(&id) {
            continue;
        }
        let content_type = content_type(part);
        let file_name = part
            .attachment_name()
            .map(clean_file_name)
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| format!("attachment-{}{}", files.len() + 1, extension(&content_type)));
        files.push(ReceivedAttachment { file_name, content_type, bytes: part.contents().to_vec() });
    }
    files
}

/// `type/subtype` of a part, lower-cased.
pub(super) fn content_type(part: &MessagePart<'_>) -> String {
    match part.content_type() {
        Some(ct) => match ct.subtype() {
            Some(subtype) => format!("{}/{}", ct.ctype(), subtype).to_lowercase(),
            None => ct.ctype().to_lowercase(),
        },
        None => "application/octet-stream".to_owned(),
    }
}

/// An extension for a file that came without a name, so it opens with the right program.
fn extension(content_type: &str) -> &'static str {
    match content_type {
        "message/rfc822" | "message/global" => ".eml",
        "text/plain" => ".txt",
        "text/html" => ".html",
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "application/pdf" => ".pdf",
        _ => "",
    }
}

/// The last path component of a sender's file name, on one line: a name like
/// `..\..\boot.ini` must not point anywhere when the file is saved or downloaded.
fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let name = one_line(last);
    if name.chars().all(|c| c == '.') { String::new() } else { name }
}

/// Message ids of an In-Reply-To or References header, without angle brackets.
pub(super) fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |id: &str| {
        let id = bare_id(id);
        if !id.is_empty() && !out.contains(&id) {
            out.push(id);
        }
    };
    match value {
        HeaderValue::Text(id) => push(id),
        HeaderValue::TextList(list) => list.iter().for_each(|id| push(id)),
        _ => {}
    }
    out
}

/// A message id without the angle brackets or spaces around it.
pub(super) fn bare_id(id: &str) -> String {
    id.trim().trim_start_matches('<').trim_end_matches('>').trim().to_owned()
}

/// A header value on one line: control characters (CR, LF, tabs, NUL, …) and the Unicode
/// line separators become spaces, and the ends are trimmed, so a value cannot break the
/// lines of a log, a list or another mail's headers.
pub(super) fn one_line(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}
