//! Korean charset labels that mail-parser does not know.
//!
//! Korean mail is almost always Windows-949 (Unified Hangul Code), a superset of EUC-KR.
//! mail-parser sends `euc-kr`, `ks_c_5601-1987` (Outlook's label for Windows-949) and
//! `windows-949` to encoding_rs's EUC-KR decoder, which is the WHATWG one and so decodes all
//! of Windows-949 (the 8,822 extra syllables too, such as 똠). But it does not know the names
//! `cp949`, `uhc` and `ms949`: a part or an encoded word labelled so would be read as UTF-8
//! and come out as replacement characters.
//!
//! Rather than decode such parts by hand, [`relabel_windows_949`] rewrites those labels to
//! `windows-949` inside the header fields (and only there: a body that mentions `cp949` is
//! left as written), and the mail is parsed again, so every place a charset can be named
//! (Content-Type, RFC 2047 encoded words, RFC 2231 parameters, in every MIME part) goes
//! through mail-parser's own decoding. The headers of a mail attached whole (message/rfc822)
//! are not relabelled: vocdesk reads only its Message-ID.

use mail_parser::Message;

/// Labels of Windows-949 that mail-parser does not know, as they appear in real mail.
const WINDOWS_949_ALIASES: [&[u8]; 4] = [b"cp949", b"uhc", b"ms949", b"x-windows-949"];

/// The label mail-parser maps to encoding_rs's EUC-KR (WHATWG: all of Windows-949).
const WINDOWS_949: &[u8] = b"windows-949";

/// The raw mail with every unknown Windows-949 label in its header fields renamed
/// `windows-949`, or `None` when it names none (the common case: no second parse).
pub(super) fn relabel_windows_949(message: &Message<'_>, raw: &[u8]) -> Option<Vec<u8>> {
    let mut spans: Vec<(usize, usize)> = message
        .parts
        .iter()
        .flat_map(|part| part.headers.iter())
        .flat_map(|header| labels_in(raw, header.offset_start() as usize, header.offset_end() as usize))
        .collect();
    if spans.is_empty() {
        return None;
    }
    spans.sort_unstable();
    spans.dedup();
    let mut out = Vec::with_capacity(raw.len() + spans.len() * WINDOWS_949.len());
    let mut copied = 0;
    for (start, end) in spans {
        if start < copied {
            continue;
        }
        out.extend_from_slice(raw.get(copied..start)?);
        out.extend_from_slice(WINDOWS_949);
        copied = end;
    }
    out.extend_from_slice(raw.get(copied..)?);
    Some(out)
}

/// Where an alias stands as a charset name within `raw[start..end]` (one header value).
fn labels_in(raw: &[u8], start: usize, end: usize) -> Vec<(usize, usize)> {
    let end = end.min(raw.len());
    let mut found = Vec::new();
    for at in start..end {
        for alias in WINDOWS_949_ALIASES {
            let label_end = at + alias.len();
            let matches = raw.get(at..label_end).is_some_and(|bytes| bytes.eq_ignore_ascii_case(alias));
            if matches && label_end <= end && names_charset(raw, start, at, label_end, end) {
                found.push((at, label_end));
            }
        }
    }
    found
}

/// Whether the word at `raw[at..label_end]` is a charset name by what stands around it:
/// `=?LABEL?` (RFC 2047), `charset=LABEL` or `charset="LABEL"` (a parameter), or
/// `*=LABEL'` (RFC 2231). Anything else (a subject that says "uhc") is left alone.
fn names_charset(raw: &[u8], start: usize, at: usize, label_end: usize, end: usize) -> bool {
    let before = raw.get(start..at).unwrap_or_default();
    let after = if label_end < end { raw.get(label_end).copied() } else { None };
    let ends_with = |suffix: &[u8]| {
        before.len() >= suffix.len() && before[before.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    let encoded_word = ends_with(b"=?") && matches!(after, Some(b'?' | b'*'));
    let parameter = (ends_with(b"charset=") || ends_with(b"charset=\""))
        && after.is_none_or(|b| b == b'"' || b == b';' || b.is_ascii_whitespace());
    let extended = (ends_with(b"*=") || ends_with(b"*=\"")) && after == Some(b'\'');
    encoded_word || parameter || extended
}

#[cfg(test)]
mod tests {
    use mail_parser::MessageParser;

    use super::*;

    fn relabelled(raw: &str) -> Option<String> {
        let message = MessageParser::new().parse(raw.as_bytes()).expect("parses");
        relabel_windows_949(&message, raw.as_bytes()).map(|bytes| String::from_utf8(bytes).expect("utf-8"))
    }

    #[test]
    fn labels_in_headers_become_windows_949() {
        let raw = "Subject: =?CP949?B?x9E=?= uhc\r\nContent-Type: text/plain; charset=\"uhc\"\r\n\r\ncharset=cp949\r\n";
        assert_eq!(
            relabelled(raw).as_deref(),
            Some(
                "Subject: =?windows-949?B?x9E=?= uhc\r\nContent-Type: text/plain; charset=\"windows-949\"\r\n\r\ncharset=cp949\r\n"
            )
        );
    }

    #[test]
    fn rfc_2231_parameters_are_relabelled_too() {
        let raw = "Content-Disposition: attachment; filename*=ms949''%C7%D1.txt\r\n\r\nx";
        assert_eq!(
            relabelled(raw).as_deref(),
            Some("Content-Disposition: attachment; filename*=windows-949''%C7%D1.txt\r\n\r\nx")
        );
    }

    #[test]
    fn mail_parser_knows_windows_949_but_not_these_aliases() {
        use mail_parser::decoders::charsets::map::charset_decoder;
        for alias in WINDOWS_949_ALIASES {
            assert!(charset_decoder(alias).is_none(), "{}", String::from_utf8_lossy(alias));
        }
        // Its decoder for Windows-949 and for Outlook's label is the WHATWG EUC-KR, which
        // knows all of Windows-949: 똠 (0x8C63) is not in EUC-KR proper.
        for label in [WINDOWS_949, b"ks_c_5601-1987"] {
            assert_eq!(charset_decoder(label).map(|decode| decode(b"\x8c\x63")).as_deref(), Some("똠"));
        }
    }

    #[test]
    fn mail_without_the_aliases_is_parsed_once() {
        assert_eq!(relabelled("Subject: uhc cp949\r\nContent-Type: text/plain; charset=euc-kr\r\n\r\nx"), None);
        assert_eq!(relabelled("Content-Type: text/plain; charset=cp9490\r\n\r\nx"), None);
    }
}
