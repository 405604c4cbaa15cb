//! The two languages every person-facing text exists in.

use serde::{Deserialize, Serialize};

/// A supported language. Korean is the store's home language; English is the other.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// 한국어
    #[default]
    Ko,
    /// English
    En,
}

impl Locale {
    /// Both, in the order a language switch shows them.
    pub const ALL: [Locale; 2] = [Locale::Ko, Locale::En];

    /// The BCP 47 tag, used in `<html lang>` and stored on users.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Ko => "ko",
            Locale::En => "en",
        }
    }

    /// Parses a stored or submitted tag such as `ko`, `en`, `en-US`.
    pub fn parse(value: &str) -> Option<Self> {
        let primary = value.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ko" => Some(Locale::Ko),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// Picks the best supported language from an `Accept-Language` header, honouring
    /// q-values; `None` when nothing supported is named.
    pub fn negotiate(accept_language: &str) -> Option<Self> {
        let mut best: Option<(Locale, f32)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(locale) = Locale::parse(tag)
                && q > 0.0
                && best.is_none_or(|(_, best_q)| q > best_q)
            {
                best = Some((locale, q));
            }
        }
        best.map(|(locale, _)| locale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_honours_q_values() {
        assert_eq!(Locale::negotiate("en-US,en;q=0.9,ko;q=0.8"), Some(Locale::En));
        assert_eq!(Locale::negotiate("fr, ko;q=0.5, en;q=0.4"), Some(Locale::Ko));
        assert_eq!(Locale::negotiate("fr, de"), None);
        assert_eq!(Locale::negotiate("en;q=0, ko;q=0.1"), Some(Locale::Ko));
    }
}
