//! Files customers and developers attach to inquiry messages (screenshots, logs). The
//! type is decided from the bytes, never from the name or the declared type, and only
//! kinds that a browser will not run as a page are accepted; the web layer still serves
//! them as downloads (or sandboxed images) to the thread's parties only.

use serde::Serialize;

use crate::ids::AttachmentId;
use crate::validation::{FieldError, ValidationErrors};

/// At most this many files per message.
pub const MAX_FILES: usize = 5;
/// At most this many bytes per file (10 MB).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// The longest file name kept, in characters.
pub const NAME_MAX: usize = 200;

/// The kinds accepted, as sniffed from the bytes.
pub const ACCEPTED: &str = "PNG, JPEG, GIF or WebP images, PDF, ZIP or gzip archives, or plain UTF-8 text";

/// A stored file's description, as threads list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AttachmentMeta {
    /// Opaque id.
    pub id: AttachmentId,
    /// The name it was uploaded with (path parts removed), shown escaped.
    pub filename: String,
    /// The type sniffed from its bytes.
    pub content_type: String,
    /// Its size in bytes.
    pub size: i64,
    /// Lower-case hex SHA-256 of the bytes: where the data directory keeps it.
    pub sha256: String,
}

impl AttachmentMeta {
    /// Whether a browser may show it inline (as an image in a sandbox); everything else
    /// is only ever downloaded.
    pub fn is_image(&self) -> bool {
        self.content_type.starts_with("image/")
    }
}

/// R1 attachments: the content type of `bytes` when it is an accepted kind.
///
/// Binary formats are recognised by their signatures. Anything without a known
/// signature is accepted only as plain text: valid UTF-8, no NUL bytes, and not a
/// document a browser would render as markup (HTML, SVG, XML), whatever its name says.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if let Some(kind) = infer::get(bytes) {
        return match kind.mime_type() {
            "image/png" => Some("image/png"),
            "image/jpeg" => Some("image/jpeg"),
            "image/gif" => Some("image/gif"),
            "image/webp" => Some("image/webp"),
            "application/pdf" => Some("application/pdf"),
            "application/zip" => Some("application/zip"),
            "application/gzip" => Some("application/gzip"),
            _ => None,
        };
    }
    let text = std::str::from_utf8(bytes).ok()?;
    if text.contains('\0') || looks_like_markup(text) {
        return None;
    }
    Some("text/plain; charset=utf-8")
}

/// Whether text starts like a document a browser would interpret (after white space
/// and a byte order mark): `<!doctype`, `<html`, `<svg`, `<?xml`, `<script`, ...
fn looks_like_markup(text: &str) -> bool {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    let head: String = start.chars().take(64).collect::<String>().to_ascii_lowercase();
    ["<!doctype", "<html", "<svg", "<?xml", "<script", "<head", "<body", "<iframe", "<!--", "<xml", "<xsl"]
        .iter()
        .any(|tag| head.starts_with(tag))
}

/// The name a file is kept under: the last path segment of what the client sent,
/// without control characters (C0, DEL, C1) or bidirectional controls, at most
/// [`NAME_MAX`] characters; `attachment` when nothing is left. A bidi override would
/// make `exe.txt` preceded by U+202E read as `txt.exe` wherever the name is shown.
pub fn clean_filename(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last.chars().filter(|c| !c.is_control() && !is_bidi_control(*c)).take(NAME_MAX).collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." { "attachment".to_owned() } else { cleaned.to_owned() }
}

/// The invisible marks and embeddings that change the order text is shown in: the
/// left-to-right, right-to-left and Arabic letter marks (U+200E, U+200F, U+061C), the
/// embeddings and overrides (U+202A-U+202E) and the isolates (U+2066-U+2069).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// One file as received, before it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    /// The name the client gave.
    pub filename: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// A file that passed the checks: its cleaned name and sniffed type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedUpload {
    /// Cleaned file name.
    pub filename: String,
    /// Sniffed content type.
    pub content_type: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Checks a message's files all at once: how many, how big, and what kind; every
/// problem is reported, and nothing is stored unless all pass.
pub fn check_uploads(uploads: Vec<Upload>) -> Result<Vec<CheckedUpload>, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    if uploads.len() > MAX_FILES {
        errors.push(FieldError::new("attachments", "too_many", &format!("at most {MAX_FILES} files per message")));
    }
    let mut checked = Vec::with_capacity(uploads.len());
    for (i, upload) in uploads.into_iter().enumerate() {
        let field = format!("attachments[{i}]");
        if upload.bytes.is_empty() {
            errors.push(FieldError::new(&field, "empty", "a file with content"));
            continue;
        }
        if upload.bytes.len() > MAX_BYTES {
            errors.push(FieldError::new(&field, "too_large", "at most 10 MB (10,485,760 bytes)"));
            continue;
        }
        match sniff(&upload.bytes) {
            Some(content_type) => checked.push(CheckedUpload {
                filename: clean_filename(&upload.filename),
                content_type,
                bytes: upload.bytes,
            }),
            None => errors.push(FieldError::new(&field, "file_type", ACCEPTED)),
        }
    }
    errors.finish(|| Some(checked))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

    fn upload(name: &str, bytes: &[u8]) -> Upload {
        Upload { filename: name.to_owned(), bytes: bytes.to_vec() }
    }

    #[test]
    fn r1_type_comes_from_the_bytes_not_the_name() {
        assert_eq!(sniff(PNG), Some("image/png"));
        assert_eq!(sniff(b"2026-11-21 12:00:01 ERROR crash in level 3\n"), Some("text/plain; charset=utf-8"));
        assert_eq!(sniff("로그: 결제 실패\n".as_bytes()), Some("text/plain; charset=utf-8"));
        assert_eq!(sniff(b"  <!DOCTYPE html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"), None);
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff"), None);
        assert_eq!(sniff(b"\xff\xfe\0bad utf"), None);
    }

    #[test]
    fn r1_too_many_too_large_and_forbidden_files_are_all_reported() {
        let mut files: Vec<Upload> = (0..6).map(|i| upload(&format!("s{i}.png"), PNG)).collect();
        files.push(upload("big.log", &vec![b'a'; MAX_BYTES + 1]));
        files.push(upload("x.html", b"<html></html>"));
        let errors = check_uploads(files).unwrap_err();
        let codes: Vec<&str> = errors.0.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["too_many", "too_large", "file_type"]);
    }

    #[test]
    fn names_lose_their_paths_and_control_characters() {
        assert_eq!(clean_filename("C:\\Users\\me\\화면 캡처.png"), "화면 캡처.png");
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("a\u{0}b\n.txt"), "ab.txt");
        assert_eq!(clean_filename("/"), "attachment");
    }

    #[test]
    fn names_lose_bidi_controls_and_c1_controls() {
        assert_eq!(clean_filename("invoice\u{202E}txt.exe"), "invoicetxt.exe");
        let every =
            "a\u{200E}\u{200F}\u{061C}\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}b";
        assert_eq!(clean_filename(every), "ab");
        assert_eq!(clean_filename("a\u{85}\u{9B}\u{7F}\tb.txt"), "ab.txt");
        assert_eq!(clean_filename("\u{202E}"), "attachment");
        // Letters of right-to-left scripts stay: only the controls go.
        assert_eq!(clean_filename("تقرير.txt"), "تقرير.txt");
    }

    #[test]
    fn five_files_of_ten_megabytes_pass() {
        let mut big = PNG.to_vec();
        big.resize(MAX_BYTES, 0);
        let files: Vec<Upload> = (0..MAX_FILES).map(|i| upload(&format!("{i}.png"), &big)).collect();
        assert_eq!(check_uploads(files).expect("accepted").len(), MAX_FILES);
    }
}
