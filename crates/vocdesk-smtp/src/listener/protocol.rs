//! The pieces of SMTP that `mailin` 0.6 does not provide: the replies this listener writes
//! itself (with RFC 3463 enhanced status codes), the `MAIL FROM` parser (null sender and
//! ESMTP parameters), and the translation of `mailin`'s own replies.

use super::Reception;

/// Command lines (with their CRLF) may be at most this long: RFC 5321's limit for a text
/// line, twice its 512 for commands, so that no client with long addresses is refused.
pub(super) const MAX_COMMAND_LINE: usize = 1000;

/// Over the connection limit: the sending MTA retries later.
pub(super) const TOO_MANY_CONNECTIONS: &[u8] = b"421 4.3.2 Too many connections, try again later\r\n";
/// A command line over [`MAX_COMMAND_LINE`].
pub(super) const LINE_TOO_LONG: &[u8] = b"500 5.5.2 Line too long\r\n";
/// The message (declared or actual) is over the size limit.
pub(super) const TOO_BIG: &[u8] = b"552 5.3.4 Message too big for this system\r\n";
/// The recipient is not ours.
pub(super) const UNKNOWN_RECIPIENT: &str = "5.1.1 No such recipient here";
/// The recipient limit of one mail is reached.
pub(super) const TOO_MANY_RECIPIENTS: &str = "4.5.3 Too many recipients, send the rest later";
/// A recipient was accepted.
pub(super) const RECIPIENT_OK: &str = "2.1.5 Recipient OK";
/// A sender was accepted.
pub(super) const SENDER_OK: &[u8] = b"250 2.1.0 Sender OK\r\n";

/// The reply to a connection idle for too long.
pub(super) fn idle(hostname: &str) -> Vec<u8> {
    format!("421 4.4.2 {hostname} Idle for too long, closing connection\r\n").into_bytes()
}

/// The reply to a connection closed because the server is stopping.
pub(super) fn shutting_down(hostname: &str) -> Vec<u8> {
    format!("421 4.3.0 {hostname} Service shutting down, try again later\r\n").into_bytes()
}

/// The 250 reply to HELO (no extensions, no enhanced code: RFC 2034 exempts it).
pub(super) fn helo(hostname: &str) -> Vec<u8> {
    format!("250 {hostname}\r\n").into_bytes()
}

/// The 250 reply to EHLO with the extensions this listener implements. `mailin`'s own list
/// is fixed (8BITMIME only), so it is written here; PIPELINING holds because commands are
/// read from a buffer and answered strictly in order.
pub(super) fn ehlo(hostname: &str, max_message_bytes: usize) -> Vec<u8> {
    format!(
        "250-{hostname}\r\n250-SIZE {max_message_bytes}\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n"
    )
    .into_bytes()
}

/// The final reply to a mail, from what the receiver made of it.
pub(super) fn reception(reception: &Reception) -> Vec<u8> {
    match reception {
        Reception::Taken => b"250 2.0.0 Message accepted\r\n".to_vec(),
        Reception::UnknownRecipient => format!("550 {UNKNOWN_RECIPIENT}\r\n").into_bytes(),
        Reception::TryLater(reason) => format!("451 4.3.0 {}\r\n", one_line(reason, "Try again later")).into_bytes(),
        Reception::Refused(reason) => format!("554 5.6.0 {}\r\n", one_line(reason, "Message refused")).into_bytes(),
    }
}

/// The receiver's reason as reply text: printable ASCII on one line (so that it can neither
/// inject a reply nor break the client's parser), at most 200 characters.
fn one_line(reason: &str, otherwise: &str) -> String {
    let text: String = reason.chars().map(|c| if c.is_ascii_graphic() { c } else { ' ' }).take(200).collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() { otherwise.to_owned() } else { text }
}

/// The command word of a line, upper-cased (`b"MAIL"` for `mail from:<…>`).
pub(super) fn verb(line: &[u8]) -> Vec<u8> {
    line.iter().take_while(|b| b.is_ascii_alphabetic()).take(16).map(u8::to_ascii_uppercase).collect()
}

/// `mailin`'s reply as sent: its text with an enhanced status code put in front when it
/// has none, because EHLO promised ENHANCEDSTATUSCODES. 3xx (the DATA go-ahead) has none.
pub(super) fn relay(response: &mailin::Response) -> Vec<u8> {
    let written = response.buffer().unwrap_or_default();
    let code = response.code;
    let Some(text) = written.get(4..) else {
        return format!("{code} \r\n").into_bytes();
    };
    let enhanced = match code {
        200..=299 => "2.0.0",
        421 => "4.3.0",
        400..=420 | 422..=499 => "4.0.0",
        500..=502 => "5.5.2",
        503 => "5.5.1",
        504 => "5.5.4",
        505..=599 => "5.0.0",
        _ => return written,
    };
    if has_enhanced_code(text) {
        return written;
    }
    let mut reply = format!("{code} {enhanced} ").into_bytes();
    reply.extend_from_slice(text);
    reply
}

/// Whether reply text already starts with `d.d…` (the ones this listener makes itself).
fn has_enhanced_code(text: &[u8]) -> bool {
    matches!(text, [b'2' | b'4' | b'5', b'.', d, ..] if d.is_ascii_digit())
}

/// `MAIL FROM:<reverse-path> [parameters]`, read by this listener because `mailin` 0.6
/// refuses both the null sender and every parameter but `BODY=`.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct MailFrom {
    /// `None` for the null sender `<>`.
    pub sender: Option<String>,
    /// The size the client declared with `SIZE=`.
    pub size: Option<u64>,
}

/// Parses a `MAIL` command line (with or without its line ending); the error is the reply.
/// Lenient where real clients are (spaces around `FROM:`, any case), strict where the
/// meaning is at stake: unknown parameters are refused, since none of them is advertised.
pub(super) fn parse_mail(line: &[u8]) -> Result<MailFrom, &'static [u8]> {
    const SYNTAX: &[u8] = b"501 5.5.2 Syntax: MAIL FROM:<address>\r\n";
    let line = std::str::from_utf8(line).map_err(|_| SYNTAX)?;
    let line = line.trim_end_matches(['\r', '\n']);
    let rest = line.get(..4).filter(|v| v.eq_ignore_ascii_case("MAIL")).map(|_| &line[4..]).ok_or(SYNTAX)?;
    let rest = rest.trim_start_matches(' ');
    let rest = rest.get(..5).filter(|v| v.eq_ignore_ascii_case("FROM:")).map(|_| &rest[5..]).ok_or(SYNTAX)?;
    let rest = rest.trim_start_matches(' ').strip_prefix('<').ok_or(SYNTAX)?;
    let (path, parameters) = rest.split_once('>').ok_or(SYNTAX)?;
    if path.chars().any(|c| c.is_control() || c.is_whitespace() || c == '<') {
        return Err(SYNTAX);
    }
    if !parameters.is_empty() && !parameters.starts_with(' ') {
        return Err(SYNTAX);
    }
    let mut size = None;
    for parameter in parameters.split_whitespace() {
        let (key, value) = parameter.split_once('=').unwrap_or((parameter, ""));
        if key.eq_ignore_ascii_case("SIZE") {
            let declared = value.parse::<u64>().map_err(|_| &b"501 5.5.4 Syntax: SIZE=<bytes>\r\n"[..])?;
            size = Some(declared);
        } else if key.eq_ignore_ascii_case("BODY") {
            if !(value.eq_ignore_ascii_case("7BIT") || value.eq_ignore_ascii_case("8BITMIME")) {
                return Err(b"501 5.5.4 Syntax: BODY=7BIT or BODY=8BITMIME\r\n");
            }
        } else {
            return Err(b"555 5.5.4 MAIL parameter not supported\r\n");
        }
    }
    Ok(MailFrom { sender: (!path.is_empty()).then(|| path.to_owned()), size })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_from_reads_the_null_sender_size_and_body() {
        let parsed = parse_mail(b"MAIL FROM:<> SIZE=1200 BODY=8BITMIME\r\n");
        assert_eq!(parsed, Ok(MailFrom { sender: None, size: Some(1200) }));
        let parsed = parse_mail(b"mail from: <A@Example.com>\r\n");
        assert_eq!(parsed, Ok(MailFrom { sender: Some("A@Example.com".to_owned()), size: None }));
    }

    #[test]
    fn mail_from_refuses_garbage_and_unknown_parameters() {
        for line in [
            &b"MAIL FROM:a@b\r\n"[..],
            b"MAIL FROM:<a b@c>\r\n",
            b"MAIL FROM:<a@b>x\r\n",
            b"MAIL TO:<a@b>\r\n",
            b"MAIL\r\n",
            b"MAIL FROM:<a@b> SIZE=x\r\n",
            b"MAIL FROM:<\xff>\r\n",
        ] {
            assert!(parse_mail(line).is_err(), "{}", String::from_utf8_lossy(line));
        }
        assert_eq!(
            parse_mail(b"MAIL FROM:<a@b> SMTPUTF8\r\n"),
            Err(&b"555 5.5.4 MAIL parameter not supported\r\n"[..])
        );
    }

    #[test]
    fn receiver_reasons_cannot_inject_replies() {
        let reply = reception(&Reception::TryLater("disk\r\n250 full".to_owned()));
        assert_eq!(reply, b"451 4.3.0 disk 250 full\r\n");
        assert_eq!(reception(&Reception::Refused(String::new())), b"554 5.6.0 Message refused\r\n");
    }

    #[test]
    fn mailin_replies_get_enhanced_codes() {
        assert_eq!(relay(&mailin::response::OK), b"250 2.0.0 OK\r\n");
        assert_eq!(relay(&mailin::response::START_DATA), b"354 Start mail input; end with <CRLF>.<CRLF>\r\n");
        assert_eq!(
            relay(&mailin::Response::custom(452, TOO_MANY_RECIPIENTS.to_owned())),
            b"452 4.5.3 Too many recipients, send the rest later\r\n"
        );
    }
}
