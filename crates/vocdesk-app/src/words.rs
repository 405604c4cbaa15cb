//! The words the application itself writes into a thread (R9's off-store record), in
//! the reader's language. They live in the catalogs `locales/{ko,en}/app.ftl`; the web
//! pages and the mail have catalogs of their own for what they show.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use jiff::Timestamp;
use vocdesk_domain::locale::Locale;
use vocdesk_mail::language_id;

static_loader! {
    static CATALOGS = {
        locales: "./locales",
        fallback_language: "en",
        // Bidi isolation marks would end up inside stored message text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// An argument to a catalog message.
#[derive(Clone, Debug)]
pub enum Arg {
    /// Text, inserted as given.
    Str(String),
}

/// Looks up `key` in `locale`'s catalog; a missing key shows as the key itself (and a
/// test checks that both catalogs have the same keys), never as a blank.
pub fn text(locale: Locale, key: &str) -> String {
    CATALOGS.try_lookup(language_id(locale), key).unwrap_or_else(|| key.to_owned())
}

/// Looks up `key` with named arguments (`{ $channel }` in the catalog).
pub fn text_with(locale: Locale, key: &str, args: &[(&'static str, Arg)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> =
        args.iter().map(|(name, Arg::Str(value))| (Cow::Borrowed(*name), FluentValue::from(value.as_str()))).collect();
    CATALOGS.try_lookup_with_args(language_id(locale), key, &args).unwrap_or_else(|| key.to_owned())
}

/// A time shown to people: in Korea Standard Time, the store's zone. The web pages show
/// times the same way.
pub fn datetime(locale: Locale, at: &Timestamp) -> String {
    let zoned = at.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)));
    match locale {
        Locale::Ko => zoned.strftime("%Y. %m. %d. %H:%M KST").to_string(),
        Locale::En => zoned.strftime("%b %d, %Y %H:%M KST").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(source: &str) -> std::collections::BTreeSet<String> {
        source
            .lines()
            .filter(|line| !line.starts_with([' ', '#', '\t']) && line.contains(" ="))
            .filter_map(|line| line.split(" =").next().map(str::to_owned))
            .collect()
    }

    #[test]
    fn korean_and_english_catalogs_have_the_same_keys() {
        let ko = keys(include_str!("../locales/ko/app.ftl"));
        let en = keys(include_str!("../locales/en/app.ftl"));
        assert_eq!(ko, en);
    }

    #[test]
    fn words_resolve_in_both_languages() {
        assert_eq!(text(Locale::En, "offstore-channel-phone"), "Phone");
        assert_eq!(text(Locale::Ko, "offstore-channel-email"), "이메일");
        let subject = |l| {
            text_with(l, "offstore-subject", &[("channel", Arg::Str("X".into())), ("product", Arg::Str("Y".into()))])
        };
        assert_eq!(subject(Locale::En), "Refund request by X: Y");
        assert_eq!(subject(Locale::Ko), "X 접수 환불 요청: Y");
    }

    #[test]
    fn times_are_korean_time_in_either_language() {
        let at: Timestamp = "2024-03-01T00:30:00Z".parse().expect("timestamp");
        assert_eq!(datetime(Locale::Ko, &at), "2024. 03. 01. 09:30 KST");
        assert_eq!(datetime(Locale::En, &at), "Mar 01, 2024 09:30 KST");
    }
}
