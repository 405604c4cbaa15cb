//! Whether a person wrote a received mail: bounces (delivery status notifications) and
//! automatic replies are told apart by their headers and, for bounces, by the machine-readable
//! report they carry (RFC 3464).

use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders, PartType};

use super::{Nature, bare_id, content_type, ids, one_line};

/// What wrote the mail: a bounce first (bounces often say Auto-Submitted too), then an
/// automatic reply, else a person.
pub(super) fn nature_of(message: &Message<'_>) -> Nature {
    if let Some(bounce) = bounce(message) {
        return bounce;
    }
    match automatic_reason(message) {
        Some(reason) => Nature::Automatic { reason },
        None => Nature::Personal,
    }
}

/// Whether a header's value (lower-cased, without parameters) marks the mail automatic.
type IsAutomatic = fn(&str) -> bool;

/// The headers that mark a mail written by a program, in the order they are asked, each with
/// the test of its value. List-Id alone is not enough: people answer from mailing lists too.
const AUTOMATIC_HEADERS: [(&str, IsAutomatic); 4] = [
    ("Auto-Submitted", |value| !value.is_empty() && !value.eq_ignore_ascii_case("no")),
    ("X-Autoreply", |_| true),
    ("X-Autorespond", |_| true),
    ("Precedence", |value| ["bulk", "junk", "list"].iter().any(|p| value.eq_ignore_ascii_case(p))),
];

/// The first header that marks the mail automatic, as `Name: value` for operators.
fn automatic_reason(message: &Message<'_>) -> Option<String> {
    AUTOMATIC_HEADERS.iter().find_map(|(name, is_automatic)| {
        let value = header_raw_values(message, name).next()?;
        // Auto-Submitted may carry parameters: `auto-replied; owner-email="…"`.
        let value = value.split(';').next().unwrap_or_default().trim().to_lowercase();
        is_automatic(&value).then(|| if value.is_empty() { (*name).to_owned() } else { format!("{name}: {value}") })
    })
}

/// Every value of a top-level header, on one line.
fn header_raw_values<'a>(message: &'a Message<'_>, name: &'a str) -> impl Iterator<Item = String> + 'a {
    message.headers_raw().filter(move |(field, _)| field.eq_ignore_ascii_case(name)).map(|(_, value)| one_line(value))
}

/// A delivery status notification: `multipart/report; report-type=delivery-status`, or a
/// mail with X-Failed-Recipients (Exim and others that send a plain text bounce).
fn bounce(message: &Message<'_>) -> Option<Nature> {
    let is_report = message.root_part().content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("report"))
            && ct.attribute("report-type").is_some_and(|t| t.eq_ignore_ascii_case("delivery-status"))
    });
    let x_failed: Vec<String> = header_raw_values(message, "X-Failed-Recipients").collect();
    if !is_report && x_failed.is_empty() {
        return None;
    }

    let mut failed_recipients = Vec::new();
    for value in &x_failed {
        value.split(',').map(address).for_each(|addr| push_new(&mut failed_recipients, addr));
    }
    let mut original_message_ids = Vec::new();
    let mut statuses = Vec::new();
    for part in message.parts.iter().skip(1) {
        match content_type(part).as_str() {
            "message/delivery-status" | "message/global-delivery-status" => {
                for report in recipient_reports(&String::from_utf8_lossy(part.contents())) {
                    if report.action.as_deref().is_none_or(|action| action.eq_ignore_ascii_case("failed")) {
                        report.addresses.into_iter().for_each(|addr| push_new(&mut failed_recipients, addr));
                    }
                    statuses.extend(report.status);
                }
            }
            "message/rfc822" | "message/global" | "text/rfc822-headers" | "message/global-headers" => {
                if let Some(id) = returned_message_id(part) {
                    push_new(&mut original_message_ids, id);
                }
            }
            _ => {}
        }
    }
    for id in ids(message.in_reply_to()).into_iter().chain(ids(message.references())) {
        push_new(&mut original_message_ids, id);
    }
    let permanent = statuses.is_empty() || statuses.iter().any(|status| status.starts_with('5'));
    Some(Nature::Bounce { original_message_ids, failed_recipients, permanent })
}

/// The Message-ID of the returned mail (a whole message, or only its headers).
fn returned_message_id(part: &MessagePart<'_>) -> Option<String> {
    let id = match &part.body {
        PartType::Message(returned) => returned.message_id().map(bare_id),
        _ => {
            let headers = MessageParser::new().parse_headers(part.contents())?;
            headers.message_id().map(bare_id)
        }
    };
    id.filter(|id| !id.is_empty())
}

/// One per-recipient block of a delivery-status report.
#[derive(Debug, Default, PartialEq, Eq)]
struct RecipientReport {
    /// Final-Recipient, then Original-Recipient when it differs: the address vocdesk sent to
    /// may be either.
    addresses: Vec<String>,
    action: Option<String>,
    status: Option<String>,
}

/// The per-recipient blocks of a `message/delivery-status` body: groups of header-like
/// fields separated by blank lines; the per-message block (Reporting-MTA, …) names no
/// recipient and is skipped.
fn recipient_reports(text: &str) -> Vec<RecipientReport> {
    let mut reports = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        if line.trim().is_empty() {
            if let Some(report) = recipient_report(&fields) {
                reports.push(report);
            }
            fields.clear();
        } else if line.starts_with([' ', '\t']) {
            // A folded field goes on.
            match fields.last_mut() {
                Some(field) => field.push_str(line),
                None => fields.push(line.to_owned()),
            }
        } else {
            fields.push(line.to_owned());
        }
    }
    reports
}

fn recipient_report(fields: &[String]) -> Option<RecipientReport> {
    let mut report = RecipientReport::default();
    for field in fields {
        let Some((name, value)) = field.split_once(':') else { continue };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "final-recipient" | "original-recipient" => {
                // `rfc822; someone@example.com`: the address type, then the address.
                let addr = address(value.split_once(';').map_or(value, |(_, addr)| addr));
                push_new(&mut report.addresses, addr);
            }
            "action" => report.action = Some(value.to_owned()),
            "status" => report.status = Some(value.split_whitespace().next().unwrap_or_default().to_owned()),
            _ => {}
        }
    }
    (!report.addresses.is_empty()).then_some(report)
}

/// An address as a report gives it, lower-cased, without angle brackets.
fn address(value: &str) -> String {
    value.trim().trim_start_matches('<').trim_end_matches('>').trim().to_lowercase()
}

fn push_new(list: &mut Vec<String>, item: String) {
    if !item.is_empty() && !list.contains(&item) {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_gives_one_block_per_recipient() {
        let text = "Reporting-MTA: dns; mx.example.net\r\nArrival-Date: Thu, 3 Dec 2026\r\n\r\n\
                    Original-Recipient: rfc822;Old@Example.com\r\nFinal-Recipient: rfc822; <New@Example.com>\r\n\
                    Action: failed\r\nStatus: 5.1.1 (bad mailbox)\r\nDiagnostic-Code: smtp; 550 5.1.1\r\n  user unknown\r\n\r\n\
                    Final-Recipient: rfc822; late@example.org\r\nAction: delayed\r\nStatus: 4.4.7\r\n";
        assert_eq!(
            recipient_reports(text),
            vec![
                RecipientReport {
                    addresses: vec!["old@example.com".to_owned(), "new@example.com".to_owned()],
                    action: Some("failed".to_owned()),
                    status: Some("5.1.1".to_owned()),
                },
                RecipientReport {
                    addresses: vec!["late@example.org".to_owned()],
                    action: Some("delayed".to_owned()),
                    status: Some("4.4.7".to_owned()),
                },
            ]
        );
    }
}
