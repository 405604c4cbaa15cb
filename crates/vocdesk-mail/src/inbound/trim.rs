//! Cutting the quoted conversation and the signature off a reply.
//!
//! Every client this service hears from (Gmail, Outlook, Naver, Apple Mail, the phones'
//! mail apps, in English and in Korean) writes the new text first and puts the earlier
//! conversation or the signature below a marker line. So the reply is everything above the
//! first marker. Each kind of marker is one small function; [`MARKERS`] lists them.

/// A test of the line at `at`: whether the text to drop starts there, and if so at which
/// line (a marker may begin on the line before, as a wrapped attribution does).
type Marker = fn(lines: &[&str], at: usize) -> Option<usize>;

/// The markers, each a separate idea.
const MARKERS: [Marker; 8] = [
    our_reply_line,
    quote_line,
    english_attribution,
    korean_attribution,
    separator_line,
    header_block,
    signature_line,
    mobile_footer,
];

/// The trimming alone, exposed for tests and for re-trimming: `text` without the quoted
/// earlier conversation and the signature, and without blank lines at either end. When
/// nothing of the sender's own would be left (the text is all quote), the whole text,
/// so a message is never empty.
pub fn trim_reply(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(|line| line.strip_suffix('\r').unwrap_or(line)).collect();
    let cut = (0..lines.len()).find_map(|at| MARKERS.iter().find_map(|marker| marker(&lines, at)));
    let kept = without_blank_ends(&lines[..cut.unwrap_or(lines.len())]);
    if kept.is_empty() { without_blank_ends(&lines).join("\n") } else { kept.join("\n") }
}

fn without_blank_ends<'a>(lines: &'a [&'a str]) -> &'a [&'a str] {
    let start = lines.iter().position(|line| !line.trim().is_empty()).unwrap_or(lines.len());
    let end = lines.iter().rposition(|line| !line.trim().is_empty()).map_or(start, |last| last + 1);
    &lines[start..end]
}

fn line<'a>(lines: &[&'a str], at: usize) -> &'a str {
    lines.get(at).map_or("", |line| line.trim())
}

/// The line vocdesk's own mail starts with (`## Reply above this line … ##`), when the
/// client quoted our mail without `>` (Outlook, many phones).
fn our_reply_line(lines: &[&str], at: usize) -> Option<usize> {
    let this = line(lines, at);
    let marked = this.len() > 4 && this.starts_with("##") && this.ends_with("##");
    (marked && (this.contains("Reply above this line") || this.contains("이 줄 위에"))).then_some(at)
}

/// `> quoted text`, as every plain-text client quotes.
fn quote_line(lines: &[&str], at: usize) -> Option<usize> {
    line(lines, at).starts_with('>').then_some(at)
}

/// `On Thu, Dec 3, 2026 at 9:00 AM Kim Minji <minji@example.com> wrote:`, on one line or,
/// as Gmail wraps it, over two.
fn english_attribution(lines: &[&str], at: usize) -> Option<usize> {
    let this = line(lines, at);
    if !this.starts_with("On ") {
        return None;
    }
    if this.ends_with("wrote:") {
        return Some(at);
    }
    let next = line(lines, at + 1);
    (next.ends_with("wrote:") && !next.starts_with("On ")).then_some(at)
}

/// `2026년 12월 3일 (목) 오전 9:00, 김민지 <minji@example.com>님이 작성:` (Gmail and Naver in
/// Korean), on one line or wrapped, the date then on the line before; also Apple Mail's
/// `2026. 12. 3. 오전 9:00, 김민지 <minji@example.com> 작성:`.
fn korean_attribution(lines: &[&str], at: usize) -> Option<usize> {
    let this = line(lines, at);
    let starts_with_date = |text: &str| text.starts_with(|c: char| c.is_ascii_digit());
    let gmail = this.ends_with("님이 작성:");
    let apple = this.ends_with(" 작성:") && starts_with_date(this);
    if !gmail && !apple {
        return None;
    }
    let before = at.checked_sub(1).map(|before| line(lines, before)).unwrap_or_default();
    if !starts_with_date(this) && starts_with_date(before) { Some(at - 1) } else { Some(at) }
}

/// `-----Original Message-----` (Outlook), `-----원본 메시지-----` (Outlook in Korean), and
/// the long underscore line Outlook on the web puts above the quoted headers.
fn separator_line(lines: &[&str], at: usize) -> Option<usize> {
    let this = line(lines, at);
    let dashed = this.starts_with("---") && this.ends_with("---");
    let title = this.trim_matches('-').trim();
    let original = dashed && (title.eq_ignore_ascii_case("Original Message") || title == "원본 메시지");
    let underscores = this.len() >= 20 && this.chars().all(|c| c == '_');
    (original || underscores).then_some(at)
}

/// The fields Outlook quotes above the earlier message, in English and in Korean.
const FROM_LABELS: [&str; 2] = ["From:", "보낸 사람:"];
const OTHER_LABELS: [&str; 10] =
    ["Sent:", "Date:", "To:", "Cc:", "Subject:", "보낸 날짜:", "받는 사람:", "참조:", "제목:", "날짜:"];

/// Outlook's quoted header block: a `From:` (`보낸 사람:`) line followed by at least two of
/// `Sent:`, `To:`, `Subject:`… (`보낸 날짜:`, `받는 사람:`, `제목:`…) within the next few
/// lines. A lone `From:` in the customer's own text is not enough.
fn header_block(lines: &[&str], at: usize) -> Option<usize> {
    if !starts_with_label(line(lines, at), &FROM_LABELS) {
        return None;
    }
    let fields = (at + 1..at + 6).filter(|&next| starts_with_label(line(lines, next), &OTHER_LABELS)).count();
    (fields >= 2).then_some(at)
}

/// Whether a line starts with one of the labels, also when the HTML had it in bold (`*From:*`).
fn starts_with_label(text: &str, labels: &[&str]) -> bool {
    let text = text.trim_start_matches('*');
    labels.iter().any(|label| text.starts_with(label))
}

/// The signature delimiter: a line that is exactly `-- ` (RFC 3676) or `--`.
fn signature_line(lines: &[&str], at: usize) -> Option<usize> {
    let raw = lines.get(at).copied().unwrap_or_default();
    (raw == "-- " || raw == "--").then_some(at)
}

/// The line a phone or a web mail adds below the text: `Sent from my iPhone`,
/// `Get Outlook for Android`, `iPhone에서 보냄`, `삼성 갤럭시에서 보냄`, `Naver Mail에서 보냄`…
/// Only short lines count, so a sentence of the customer's own that ends so is kept.
fn mobile_footer(lines: &[&str], at: usize) -> Option<usize> {
    let this = line(lines, at);
    let short = this.chars().count() <= 60;
    let english = this.starts_with("Sent from ") || this.starts_with("Get Outlook for ");
    let korean = this.ends_with("에서 보냄") || this.ends_with("에서 보냈습니다.") || this.ends_with("에서 보냈습니다");
    (short && (english || korean)).then_some(at)
}
