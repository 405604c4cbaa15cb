//! Issue 12, item 9: no page shows a raw message key, in either language. Every demo
//! account (customer, developer, operator) signs in, switches to each language and
//! walks every page its links reach, over the demo store, which holds every kind of
//! mail in the outbox, inquiries and cancellation requests in every status and most of
//! the audit log's actions. The text a person reads on each page (and its titles,
//! placeholders and labels) may hold no key of any catalog, no word shaped like a key
//! of a catalog's families (`mail-kind-...`), no stored enum word (`awaiting_store`)
//! and no dotted audit action (`token.issued`). So that it cannot pass by reading
//! nothing, the walk counts its pages and checks that the words of every mail kind,
//! status and recorded action were on them. On SQLite, and on PostgreSQL when
//! `VOCDESK_TEST_POSTGRES_URL` is set.

mod common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use tower::ServiceExt;
use vocdesk::demo::DEMO_PASSWORD;
use vocdesk_domain::audit::ACTIONS;
use vocdesk_domain::clock::ManualClock;
use vocdesk_domain::inquiry::InquiryStatus;
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::MailKind;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::refund::RequestStatus;
use vocdesk_store::{AuditFilter, BlobStore, Store};
use vocdesk_web::i18n::{action_key, text};
use vocdesk_web::{AppState, WebConfig};

/// The most pages one account walks in one language.
const MOST_PAGES: usize = 700;

/// One response, read in full.
struct Page {
    status: StatusCode,
    location: Option<String>,
    html: Option<String>,
    set_cookies: Vec<(String, String)>,
}

/// A browser over the router: the cookies the site set.
struct Client<'a> {
    router: &'a Router,
    cookies: BTreeMap<String, String>,
}

impl<'a> Client<'a> {
    fn new(router: &'a Router) -> Self {
        Self { router, cookies: BTreeMap::new() }
    }

    async fn send(&mut self, method: Method, path: &str, form: Option<&[(&str, &str)]>) -> Page {
        let cookie = self.cookies.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("; ");
        let builder = Request::builder().method(method).uri(path).header(header::COOKIE, cookie);
        let request = match form {
            Some(pairs) => {
                let body = pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&");
                builder.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from(body))
            }
            None => builder.body(Body::empty()),
        }
        .expect("a valid request");
        let response = self.router.clone().oneshot(request).await.expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("read the body");
        let is_html =
            headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
        let set_cookies: Vec<(String, String)> = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .filter_map(|pair| pair.split_once('='))
            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
            .collect();
        for (name, value) in &set_cookies {
            self.cookies.insert(name.clone(), value.clone());
        }
        Page {
            status,
            location: headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned),
            html: is_html.then(|| String::from_utf8_lossy(&body).into_owned()),
            set_cookies,
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        self.send(Method::GET, path, None).await
    }

    /// The CSRF token of the forms of `path`.
    async fn csrf(&mut self, path: &str) -> String {
        let page = self.get(path).await;
        hidden_csrf(page.html.as_deref().unwrap_or_default()).expect("a csrf input")
    }

    async fn sign_in(&mut self, email: &str) {
        let csrf = self.csrf("/signin").await;
        let form = [("csrf", csrf.as_str()), ("email", email), ("password", DEMO_PASSWORD)];
        let page = self.send(Method::POST, "/signin", Some(&form)).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{email} signs in");
        assert!(page.set_cookies.iter().any(|(n, _)| n == "vd_session"), "{email} has a session");
    }

    async fn switch_to(&mut self, locale: Locale) {
        let csrf = self.csrf("/").await;
        let path = format!("/lang/{}", locale.tag());
        let page = self.send(Method::POST, &path, Some(&[("csrf", &csrf), ("next", "/")])).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "switch to {locale:?}");
    }
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn hidden_csrf(html: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker)? + marker.len();
    Some(html[start..start + html[start..].find('"')?].to_owned())
}

/// Decodes the character references askama and the templates write.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|end| {
            let entity = &rest[1..end];
            match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "nbsp" => Some(' '),
                _ => entity.strip_prefix('#').and_then(|n| n.parse::<u32>().ok()).and_then(char::from_u32),
            }
            .map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text a person reads on a page: everything outside the tags, and the attributes
/// a browser shows (`title`, `placeholder`, `aria-label`, `alt`).
fn visible(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&unescape(&rest[..open]));
        out.push(' ');
        let Some(close) = rest[open..].find('>') else { break };
        let tag = &rest[open..open + close];
        for attribute in ["title=\"", "placeholder=\"", "aria-label=\"", "alt=\""] {
            if let Some(at) = tag.find(&format!(" {attribute}")) {
                let value = &tag[at + attribute.len() + 1..];
                out.push_str(&unescape(value.split('"').next().unwrap_or_default()));
                out.push(' ');
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(&unescape(rest));
    out
}

/// The links of a page this walk follows, pagers first.
fn links(html: &str) -> (Vec<String>, Vec<String>) {
    let (mut next, mut other) = (Vec::new(), Vec::new());
    for tag in html.split("<a ").skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        let Some(href) = tag.split("href=\"").nth(1).and_then(|h| h.split('"').next()) else { continue };
        let href = unescape(href);
        let href = href.split('#').next().unwrap_or_default().to_owned();
        let skip = !href.starts_with('/')
            || href.starts_with("//")
            || ["/static/", "/api/", "/lang/", "/signout"].iter().any(|p| href.starts_with(p))
            || href.contains("/attachments/")
            || href.ends_with("/raw");
        if skip {
            continue;
        }
        if tag.contains("rel=\"next\"") { next.push(href) } else { other.push(href) }
    }
    (next, other)
}

/// What the walk checks words against.
struct Catalogs {
    /// Every key of every catalog (pages, mail, the application's records) that has a
    /// `-` or `_` in it (the others are plain words a person may write).
    keys: BTreeSet<String>,
    /// The first part of every key (`mail`, `audit`, `refund`...): a word shaped like a
    /// key and starting with one of these is a key that is missing.
    families: BTreeSet<String>,
    /// The first part of every audit action (`token`, `inquiry`...).
    action_families: BTreeSet<String>,
}

impl Catalogs {
    fn load() -> Self {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for dir in ["vocdesk-web/locales", "vocdesk-mail/locales", "vocdesk-app/locales"] {
            for lang in ["ko", "en"] {
                let path = root.join(dir).join(lang);
                for entry in std::fs::read_dir(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())) {
                    let path = entry.expect("a catalog file").path();
                    if path.extension().is_some_and(|e| e == "ftl") {
                        files.push(std::fs::read_to_string(&path).expect("read a catalog"));
                    }
                }
            }
        }
        let keys: BTreeSet<String> = files
            .iter()
            .flat_map(|f| f.lines())
            .filter(|line| !line.starts_with([' ', '#', '\t', '.', '[', '*', '}']) && line.contains(" ="))
            .filter_map(|line| line.split(" =").next().map(str::trim).map(str::to_owned))
            .filter(|key| key.contains(['-', '_']))
            .collect();
        assert!(keys.len() > 500, "the catalogs were read: {} keys", keys.len());
        let families = keys.iter().filter_map(|k| k.split('-').next()).map(str::to_owned).collect();
        let action_families = ACTIONS.iter().filter_map(|a| a.split('.').next()).map(str::to_owned).collect();
        Self { keys, families, action_families }
    }

    /// The words of `text` that are raw keys or stored words.
    fn raw_words(&self, text: &str) -> Vec<String> {
        let mut found = Vec::new();
        for word in text.split_whitespace() {
            // A saved reply's placeholder (`{customer_name}`) is written so on purpose.
            if word.contains('{') && word.contains('}') {
                continue;
            }
            let word = word.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'));
            let word = word.trim_end_matches('.');
            if word.is_empty() {
                continue;
            }
            let lowercase = word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b));
            let keyish = lowercase
                && word.contains('-')
                && !word.starts_with('-')
                && word.split('-').all(|part| !part.is_empty())
                && word.split('-').next().is_some_and(|first| self.families.contains(first));
            let snake = lowercase && word.contains('_') && !word.contains(['-', '.']);
            let dotted = lowercase
                && word.matches('.').count() == 1
                && !word.contains('-')
                && word.split('.').next().is_some_and(|first| self.action_families.contains(first))
                && word.split('.').nth(1).is_some_and(|second| !second.is_empty());
            if self.keys.contains(word) || keyish || snake || dotted || ACTIONS.contains(&word) {
                found.push(word.to_owned());
            }
        }
        found
    }
}

/// What one account saw in one language.
#[derive(Default)]
struct Walk {
    pages: usize,
    text: String,
    problems: Vec<String>,
}

async fn walk(router: &Router, catalogs: &Catalogs, email: &str, locale: Locale, starts: &[&str]) -> Walk {
    let mut client = Client::new(router);
    client.sign_in(email).await;
    client.switch_to(locale).await;
    let mut queue: VecDeque<String> = starts.iter().map(|s| (*s).to_owned()).collect();
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    let mut walk = Walk::default();
    while let Some(path) = queue.pop_front() {
        if walk.pages >= MOST_PAGES {
            break;
        }
        let page = client.get(&path).await;
        if page.status == StatusCode::SEE_OTHER {
            // The address of a form, which leads back to its page.
            assert!(page.location.is_some_and(|l| l.starts_with('/')), "{email} {path}: a local redirect");
            continue;
        }
        if page.status != StatusCode::OK {
            walk.problems.push(format!("{path}: {}", page.status));
            continue;
        }
        let Some(html) = page.html else { continue };
        walk.pages += 1;
        let lang = format!("<html lang=\"{}\">", locale.tag());
        if !html.contains(&lang) {
            walk.problems.push(format!("{path}: not in {locale:?}"));
        }
        let text = visible(&html);
        let raw = catalogs.raw_words(&text);
        if !raw.is_empty() {
            walk.problems.push(format!("{path}: {raw:?}"));
        }
        walk.text.push_str(&text);
        walk.text.push('\n');
        let (next, other) = links(&html);
        for link in next.into_iter().rev() {
            if seen.insert(link.clone()) {
                queue.push_front(link);
            }
        }
        for link in other {
            if seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
    }
    walk
}

async fn every_page_in_both_languages_shows_no_raw_key(store: Arc<dyn Store>, blobs: BlobStore) {
    let now = common::now();
    let clock = Arc::new(ManualClock::new(now));
    let state = AppState::new(store.clone(), blobs, clock, WebConfig::default()).await.expect("the app state");
    let router = vocdesk_web::router(state);
    let catalogs = Catalogs::load();

    // What the demo holds, whose words the walk must meet.
    let mut recorded = BTreeSet::new();
    let mut page = PageRequest { limit: 100, after: None };
    loop {
        let got = store.audit_log(&AuditFilter::default(), &page).await.expect("read the audit log");
        recorded.extend(got.items.iter().map(|r| r.entry.action.clone()));
        match got.next_cursor {
            Some(cursor) => page.after = Some(cursor),
            None => break,
        }
    }
    let unlisted: Vec<_> = recorded.iter().filter(|a| !ACTIONS.contains(&a.as_str())).collect();
    assert!(unlisted.is_empty(), "actions written but not in vocdesk_domain::audit::ACTIONS: {unlisted:?}");

    let accounts: [(&str, &[&str]); 5] = [
        ("customer1@example.com", &["/my", "/my/inquiries", "/", "/settings"]),
        ("customer2@example.com", &["/my", "/my/inquiries", "/", "/settings"]),
        ("dev1@example.com", &["/developer", "/developer/inquiries", "/developer/reviews", "/settings", "/offline"]),
        ("dev2@example.com", &["/developer", "/developer/inquiries", "/developer/reviews", "/settings"]),
        (
            "operator@example.com",
            &["/operator", "/operator?sign_ins=1", "/operator/outbox", "/operator/inquiries", "/settings"],
        ),
    ];
    let mut problems = Vec::new();
    let mut total = 0;
    for locale in Locale::ALL {
        let mut operator_text = String::new();
        let mut developer_text = String::new();
        for (email, starts) in accounts {
            let seen = walk(&router, &catalogs, email, locale, starts).await;
            assert!(seen.pages >= 8, "{email} in {locale:?} walked only {} pages", seen.pages);
            eprintln!("{email} {locale:?}: {} pages", seen.pages);
            total += seen.pages;
            problems.extend(seen.problems.into_iter().map(|p| format!("{email} {locale:?} {p}")));
            if email.starts_with("operator") {
                operator_text = seen.text;
            } else if email.starts_with("dev") {
                developer_text.push_str(&seen.text);
            }
        }
        // The walk met the words of everything the demo holds.
        let mut missing = Vec::new();
        for kind in MailKind::ALL {
            let words = text(locale, &format!("mail-kind-{}", kind.as_str()));
            if !operator_text.contains(&words) {
                missing.push(format!("mail kind {} ({words})", kind.as_str()));
            }
        }
        for status in InquiryStatus::ALL {
            let words = text(locale, &format!("inquiry-status-{}", status.as_str()));
            if !operator_text.contains(&words) {
                missing.push(format!("inquiry status {} ({words})", status.as_str()));
            }
        }
        for status in RequestStatus::ALL {
            let words = text(locale, &format!("console-status-{}", status.as_str()));
            if !operator_text.contains(&words) {
                missing.push(format!("request status {} to operators ({words})", status.as_str()));
            }
            let words = text(locale, &format!("refund-request-status-{}", status.as_str()));
            if !developer_text.contains(&words) {
                missing.push(format!("request status {} to developers ({words})", status.as_str()));
            }
        }
        for action in &recorded {
            let words = text(locale, &action_key(action));
            if !operator_text.contains(&words) {
                missing.push(format!("action {action} ({words})"));
            }
        }
        assert!(missing.is_empty(), "{locale:?}: the walk never met {missing:#?}");
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    assert!(total >= 200, "the walk read {total} pages");
}

#[tokio::test]
async fn item9_every_page_of_every_role_in_both_languages_shows_no_raw_key_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = common::demo_store(dir.path()).await;
    every_page_in_both_languages_shows_no_raw_key(store, BlobStore::in_data_dir(dir.path())).await;
}

#[tokio::test]
async fn item9_every_page_of_every_role_in_both_languages_shows_no_raw_key_on_postgresql() {
    let Some(database) = common::PgDatabase::create("vocdesk_pages_text") else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let store = vocdesk_store::open(Some(&database.url()), dir.path()).await.expect("open PostgreSQL");
    store.migrate().await.expect("migrate");
    let blobs = BlobStore::in_data_dir(dir.path());
    vocdesk::demo::seed(store.as_ref(), &blobs, common::now()).await.expect("seed the demo");
    every_page_in_both_languages_shows_no_raw_key(store, blobs).await;
    drop(database);
}
