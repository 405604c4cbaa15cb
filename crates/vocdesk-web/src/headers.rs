//! Header values made from text that may hold what a client sent. A value with a
//! control character in it (a CR or LF decoded from `%0A`) is no header value at all:
//! built carelessly it answers a plain-text 500 ("failed to parse header value"), and
//! a TAB or a `\` is read by browsers in ways that leave the site. Every redirect and
//! `Location` of this crate is built here, so none of them can fail or be bent.

use axum::http::HeaderValue;
use axum::response::Redirect;

/// `path` with every byte a `Location` header may not carry as it is percent-encoded:
/// controls (TAB, CR, LF), spaces, non-ASCII bytes, and `\`, which browsers read as
/// `/`. A path this site built names the same page afterwards; the value is always a
/// valid header.
pub fn header_safe(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_graphic() && byte != b'\\' {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A `303 See Other` to a path of this site, whatever bytes went into the path: the
/// one way pages redirect, so that no redirect can answer 500.
pub fn see_other(path: &str) -> Redirect {
    Redirect::to(&header_safe(path))
}

/// The `Location` of a created resource, from its path.
pub fn location(path: &str) -> HeaderValue {
    // Visible ASCII only, which is always a header value; the fallback is unreachable.
    HeaderValue::from_str(&header_safe(path)).unwrap_or_else(|_| HeaderValue::from_static("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_made_from_client_text_never_hold_controls_or_backslashes() {
        assert_eq!(header_safe("/inquiries/abc?notice=filed#x"), "/inquiries/abc?notice=filed#x");
        assert_eq!(header_safe("/a\nb\r\tc d\\e"), "/a%0Ab%0D%09c%20d%5Ce");
        assert_eq!(header_safe("/앱"), "/%EC%95%B1");
        assert_eq!(location("/a\nb").to_str().ok(), Some("/a%0Ab"));
        let redirect = axum::response::IntoResponse::into_response(see_other("/a\r\nSet-Cookie: x=1"));
        assert_eq!(redirect.status(), axum::http::StatusCode::SEE_OTHER);
        assert_eq!(redirect.headers().get("location").and_then(|v| v.to_str().ok()), Some("/a%0D%0ASet-Cookie:%20x=1"));
    }
}
