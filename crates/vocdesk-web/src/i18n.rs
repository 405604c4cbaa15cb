//! Message catalogs: every string a person reads (pages, error titles, later mail) is
//! looked up here by key, in Korean or English. The catalogs are the Fluent files in
//! `locales/{ko,en}/`, compiled into the binary.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use vocdesk_domain::locale::Locale;
use vocdesk_mail::language_id;

static_loader! {
    static CATALOGS = {
        locales: "./locales",
        fallback_language: "en",
        // Bidi isolation marks would end up inside HTML attributes and JSON titles.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// Looks up `key` in `locale`'s catalog. A missing key shows as the key itself (and a
/// test checks that both catalogs have the same keys), never as a blank.
pub fn text(locale: Locale, key: &str) -> String {
    CATALOGS.try_lookup(language_id(locale), key).unwrap_or_else(|| key.to_owned())
}

/// Looks up `key` with named arguments (`{ $count }` in the catalog).
pub fn text_with(locale: Locale, key: &str, args: &[(&'static str, FluentArg)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(name, value)| {
            let value = match value {
                FluentArg::Str(s) => FluentValue::from(s.as_str()),
                FluentArg::Num(n) => FluentValue::from(*n),
            };
            (Cow::Borrowed(*name), value)
        })
        .collect();
    CATALOGS.try_lookup_with_args(language_id(locale), key, &args).unwrap_or_else(|| key.to_owned())
}

/// An argument to a catalog message.
#[derive(Clone, Debug)]
pub enum FluentArg {
    /// Text, inserted as given (the template escapes it).
    Str(String),
    /// A number, formatted and pluralised by the locale's rules.
    Num(i64),
}

/// The catalog bound to one request's language, handed to templates.
#[derive(Clone, Copy, Debug)]
pub struct I18n {
    /// The language of this response.
    pub locale: Locale,
}

impl I18n {
    /// A message.
    pub fn t(&self, key: &str) -> String {
        text(self.locale, key)
    }

    /// A message with one numeric argument named `count`.
    pub fn count(&self, key: &str, count: i64) -> String {
        text_with(self.locale, key, &[("count", FluentArg::Num(count))])
    }

    /// A message with one text argument named `value`.
    pub fn with(&self, key: &str, value: &str) -> String {
        text_with(self.locale, key, &[("value", FluentArg::Str(value.to_owned()))])
    }

    /// A message with several named text arguments, for sentences that say who did
    /// what to which purchase.
    pub fn args(&self, key: &str, args: &[(&'static str, &str)]) -> String {
        let args: Vec<(&'static str, FluentArg)> =
            args.iter().map(|(name, value)| (*name, FluentArg::Str((*value).to_owned()))).collect();
        text_with(self.locale, key, &args)
    }

    /// The BCP 47 tag for `<html lang>`.
    pub fn lang(&self) -> &'static str {
        self.locale.tag()
    }

    /// A time shown to people: in Korea Standard Time, the store's zone, as the
    /// records the use cases write show it.
    pub fn datetime(&self, at: &jiff::Timestamp) -> String {
        vocdesk_app::words::datetime(self.locale, at)
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
        let ko = keys(include_str!("../locales/ko/main.ftl"));
        let en = keys(include_str!("../locales/en/main.ftl"));
        let only_ko: Vec<_> = ko.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&ko).collect();
        assert!(only_ko.is_empty() && only_en.is_empty(), "only in ko: {only_ko:?}; only in en: {only_en:?}");
    }

    #[test]
    fn the_off_store_form_is_labelled_as_its_record_in_the_thread_reads() {
        // R9: the developer fills in the form under these labels; the thread records it
        // under the application's own words for the same fields.
        for locale in [Locale::Ko, Locale::En] {
            for key in ["offstore-consent", "offstore-customer-no", "offstore-purchased-at", "offstore-product"] {
                assert_eq!(text(locale, key), vocdesk_app::words::text(locale, key), "{key} in {locale:?}");
            }
            for channel in ["email", "phone"] {
                let record = vocdesk_app::words::text(locale, &format!("offstore-channel-{channel}"));
                assert_eq!(text(locale, &format!("channel-{channel}")), record, "{channel} in {locale:?}");
            }
        }
    }

    #[test]
    fn messages_resolve_in_both_languages() {
        assert_eq!(text(Locale::En, "problem-not_found"), "Not found");
        assert_eq!(text(Locale::Ko, "problem-not_found"), "찾을 수 없습니다");
        assert_eq!(I18n { locale: Locale::En }.count("rating-count", 1), "1 rating");
        assert_eq!(I18n { locale: Locale::En }.count("rating-count", 3), "3 ratings");
    }
}
