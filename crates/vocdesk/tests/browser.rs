//! The pages in a real headless Chromium, driven over WebDriver (chromedriver), against
//! the real `vocdesk serve --demo` binary. Needs Debian's `chromium` and
//! `chromium-driver`; without them these tests say they were skipped, unless
//! `VOCDESK_REQUIRE_BROWSER=1` (set by CI), which makes a missing browser a failure.
//!
//! Each test starts its own server and browser; a lock runs them one at a time so the
//! two cores are not shared by several Chromiums.

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const PASSWORD: &str = "demo-password";

fn installed(env: &str, default: &str) -> Option<PathBuf> {
    [std::env::var(env).ok(), Some(default.to_owned())].into_iter().flatten().map(PathBuf::from).find(|p| p.exists())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Waits (bounded) until something listens on the port: readiness, not a timing claim.
fn wait_for_port(port: u16, what: &str) {
    for _ in 0..1200 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} did not start listening on port {port}");
}

/// Which store `vocdesk serve --demo` runs on in a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Engine {
    Sqlite,
    Postgres,
}

/// The server and chromedriver of one test; both die with it, even when it panics.
struct Fixture {
    children: Mutex<Vec<Child>>,
    base: String,
    webdriver: String,
    chromium: PathBuf,
    profiles: tempfile::TempDir,
    _data: tempfile::TempDir,
    /// Dropped after the server is killed (fields drop after `Drop::drop` runs).
    _database: Option<common::PgDatabase>,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let children = self.children.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner());
        for child in children.iter_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
        // A test that panicked never closed its browser, and killing chromedriver does
        // not end the Chromium it started: end every browser using this test's profiles.
        let _ = Command::new("pkill").arg("-f").arg(self.profiles.path()).status();
    }
}

impl Fixture {
    /// Serves the demo store on `engine` and starts chromedriver; `None` when no browser
    /// (or, for PostgreSQL, no database server) is available.
    fn start(engine: Engine) -> Option<Fixture> {
        let (Some(driver), Some(chromium)) =
            (installed("CHROMEDRIVER", "/usr/bin/chromedriver"), installed("CHROMIUM", "/usr/bin/chromium"))
        else {
            if std::env::var("VOCDESK_REQUIRE_BROWSER").as_deref() == Ok("1") {
                panic!("VOCDESK_REQUIRE_BROWSER=1 but chromium/chromedriver are not installed");
            }
            eprintln!("skipped: chromium and chromedriver are not installed (browser tests)");
            return None;
        };
        let database = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => Some(common::PgDatabase::create("vocdesk_browser")?),
        };
        let data = tempfile::tempdir().expect("temp dir");
        let app_port = free_port();
        let mut server = Command::new(env!("CARGO_BIN_EXE_vocdesk"));
        server
            .args(["serve", "--demo"])
            .env("VOCDESK_DATA", data.path())
            .env("VOCDESK_LISTEN", format!("127.0.0.1:{app_port}"))
            .env_remove("VOCDESK_DATABASE_URL")
            .env_remove("VOCDESK_AUTO_CANCEL")
            .env("RUST_LOG", "warn");
        if let Some(database) = &database {
            server.env("VOCDESK_DATABASE_URL", database.url());
        }
        let server = server.stdin(Stdio::null()).stdout(Stdio::null()).spawn().expect("vocdesk serve starts");
        let driver_port = free_port();
        let fixture = Fixture {
            children: Mutex::new(vec![server]),
            base: format!("http://127.0.0.1:{app_port}"),
            webdriver: format!("http://127.0.0.1:{driver_port}"),
            chromium,
            profiles: tempfile::tempdir().expect("temp dir"),
            _data: data,
            _database: database,
        };
        let driver = Command::new(driver)
            .arg(format!("--port={driver_port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        fixture.children.lock().unwrap_or_else(|p| p.into_inner()).push(driver);
        wait_for_port(app_port, "vocdesk serve --demo");
        wait_for_port(driver_port, "chromedriver");
        Some(fixture)
    }

    /// A fresh browser (its own profile and cookies) preferring English; phone-sized
    /// when `phone` is set.
    async fn browser(&self, phone: bool) -> Client {
        use std::sync::atomic::{AtomicU32, Ordering};
        static PROFILE: AtomicU32 = AtomicU32::new(0);
        let profile = self.profiles.path().join(PROFILE.fetch_add(1, Ordering::Relaxed).to_string());
        let size = if phone { "--window-size=390,844" } else { "--window-size=1280,900" };
        let mut caps = serde_json::Map::new();
        let mut options = serde_json::json!({
                "binary": self.chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", size, format!("--user-data-dir={}", profile.display()),
                ],
                "prefs": { "intl.accept_languages": "en-US,en" },
        });
        // A headless window is never narrower than 500 px: a phone's 390 px viewport is
        // emulated.
        if phone {
            options["mobileEmulation"] =
                serde_json::json!({ "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 1.0 } });
        }
        caps.insert("goog:chromeOptions".to_owned(), options);
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&self.webdriver)
            .await
            .expect("a WebDriver session")
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// Runs one browser scenario with its own server (on SQLite) and browser, one scenario
/// at a time.
fn scenario<F, Fut>(body: F)
where
    F: FnOnce(Arc<Fixture>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    scenario_on(Engine::Sqlite, body);
}

/// [`scenario`] on a chosen engine.
fn scenario_on<F, Fut>(engine: Engine, body: F)
where
    F: FnOnce(Arc<Fixture>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let Some(fixture) = Fixture::start(engine) else { return };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(body(Arc::new(fixture)));
}

async fn sign_in(browser: &Client, fixture: &Fixture, email: &str) {
    browser.goto(&fixture.url("/signin")).await.expect("sign-in page");
    browser.find(Locator::Css("#email")).await.expect("email field").send_keys(email).await.expect("type email");
    browser.find(Locator::Css("#password")).await.expect("password").send_keys(PASSWORD).await.expect("type password");
    browser.find(Locator::Css("#signin-submit")).await.expect("submit").click().await.expect("submit");
    wait_for(browser, ".who").await;
}

async fn sign_out(browser: &Client) {
    browser.find(Locator::Css("#signout")).await.expect("sign-out button").click().await.expect("sign out");
    wait_for(browser, "#signin-link").await;
}

/// Waits (bounded) for an element that only the next page has: a click that submits a
/// form returns before the browser has loaded the answer.
async fn wait_for(browser: &Client, css: &str) {
    browser
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} never appeared: {e}"));
}

async fn path_of(browser: &Client) -> String {
    browser.current_url().await.expect("url").path().to_owned()
}

async fn text_of(browser: &Client, css: &str) -> String {
    browser.find(Locator::Css(css)).await.unwrap_or_else(|_| panic!("{css} on the page")).text().await.expect("text")
}

async fn html_lang(browser: &Client) -> String {
    let html = browser.find(Locator::Css("html")).await.expect("html element");
    html.attr("lang").await.expect("lang attribute").unwrap_or_default()
}

async fn tids_on_my_page(browser: &Client) -> Vec<String> {
    let mut tids = Vec::new();
    for cell in browser.find_all(Locator::Css("#purchases tbody tr td code")).await.expect("rows") {
        tids.push(cell.text().await.expect("tid"));
    }
    tids
}

/// Keeps a screenshot under target/ for a person to look at; not an assertion.
fn save_screenshot(name: &str, png: &[u8]) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(format!("{name}.png")), png);
}

#[test]
fn each_role_signs_in_and_lands_on_its_own_home() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        for (email, home, marker) in [
            ("customer1@example.com", "/my", "#purchases"),
            ("dev1@example.com", "/developer", "#seller-apps"),
            ("operator@example.com", "/operator", "#audit"),
        ] {
            sign_in(&browser, &fixture, email).await;
            assert_eq!(path_of(&browser).await, home, "{email} lands on {home}");
            browser.find(Locator::Css(marker)).await.unwrap_or_else(|_| panic!("{email} sees {marker}"));
            let who = browser.find(Locator::Css(".who")).await.expect("signed-in marker");
            assert_eq!(who.attr("data-user").await.expect("attr").as_deref(), Some(email));
            save_screenshot(&format!("home-{}", email.replace('@', "-at-")), &browser.screenshot().await.expect("png"));
            sign_out(&browser).await;
            assert_eq!(path_of(&browser).await, "/");
            assert!(browser.find(Locator::Css("#signin-link")).await.is_ok(), "{email} is signed out");
        }
        browser.close().await.expect("close");
    });
}

#[test]
fn a_wrong_password_is_refused_without_saying_which_part_was_wrong() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        browser.goto(&fixture.url("/signin")).await.expect("page");
        browser
            .find(Locator::Css("#email"))
            .await
            .expect("email")
            .send_keys("customer1@example.com")
            .await
            .expect("type");
        browser.find(Locator::Css("#password")).await.expect("pw").send_keys("not-the-password").await.expect("type");
        browser.find(Locator::Css("#signin-submit")).await.expect("submit").click().await.expect("click");
        wait_for(&browser, "#signin-error").await;
        assert_eq!(text_of(&browser, "#signin-error").await, "The email or password is incorrect.");
        assert!(browser.find(Locator::Css("#signin-link")).await.is_ok(), "still signed out");
        browser.close().await.expect("close");
    });
}

#[test]
fn the_language_switch_is_remembered_across_pages() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        browser.goto(&fixture.url("/")).await.expect("home");
        assert_eq!(html_lang(&browser).await, "en", "English from Accept-Language");
        browser.find(Locator::Css("#lang-ko")).await.expect("switch").click().await.expect("click");
        wait_for(&browser, "html[lang=ko]").await;
        assert_eq!(html_lang(&browser).await, "ko");
        assert_eq!(path_of(&browser).await, "/", "the switch returns to the same page");
        assert_eq!(text_of(&browser, "h1").await, "앱");
        browser.goto(&fixture.url("/signin")).await.expect("sign-in page");
        assert_eq!(html_lang(&browser).await, "ko", "remembered on the next page");
        assert_eq!(text_of(&browser, "h1").await, "로그인");
        browser.find(Locator::Css("#lang-en")).await.expect("switch").click().await.expect("click");
        wait_for(&browser, "html[lang=en]").await;
        assert_eq!(html_lang(&browser).await, "en");
        assert_eq!(path_of(&browser).await, "/signin");
        browser.close().await.expect("close");
    });
}

#[test]
fn my_page_shows_each_customer_only_their_own_purchases() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        sign_in(&browser, &fixture, "customer1@example.com").await;
        let first = tids_on_my_page(&browser).await;
        assert!(!first.is_empty(), "customer1 has purchases");
        sign_out(&browser).await;
        sign_in(&browser, &fixture, "customer2@example.com").await;
        let second = tids_on_my_page(&browser).await;
        assert!(!second.is_empty(), "customer2 has purchases");
        assert!(first.iter().all(|tid| !second.contains(tid)), "no purchase appears on both My pages");
        browser.close().await.expect("close");

        let phone = fixture.browser(true).await;
        sign_in(&phone, &fixture, "customer1@example.com").await;
        assert_eq!(path_of(&phone).await, "/my");
        let page_width = phone.execute("return document.documentElement.scrollWidth", vec![]).await.expect("script");
        let viewport = phone.execute("return window.innerWidth", vec![]).await.expect("script");
        let (page_width, viewport) = (page_width.as_i64().unwrap_or(i64::MAX), viewport.as_i64().unwrap_or(0));
        assert!(page_width <= viewport, "My page fits a phone without sideways scrolling ({page_width} > {viewport})");
        save_screenshot("my-page-phone", &phone.screenshot().await.expect("screenshot"));
        phone.close().await.expect("close");
    });
}

#[test]
fn pages_of_other_roles_are_refused_not_hidden() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        browser.goto(&fixture.url("/my")).await.expect("my page");
        assert_eq!(path_of(&browser).await, "/signin", "signed-out visitors are sent to sign in");
        sign_in(&browser, &fixture, "customer1@example.com").await;
        assert_eq!(path_of(&browser).await, "/my", "and come back after signing in");
        for path in ["/developer", "/operator"] {
            browser.goto(&fixture.url(path)).await.expect("page");
            assert_eq!(
                text_of(&browser, "#error-message").await,
                "Your account cannot open this page.",
                "a customer on {path}"
            );
        }
        sign_out(&browser).await;
        sign_in(&browser, &fixture, "dev2@example.com").await;
        let seller = text_of(&browser, "#seller-name").await;
        sign_out(&browser).await;
        sign_in(&browser, &fixture, "dev1@example.com").await;
        assert_ne!(text_of(&browser, "#seller-name").await, seller, "dev1 and dev2 act for different sellers");
        browser.goto(&fixture.url("/my")).await.expect("page");
        assert_eq!(text_of(&browser, "#error-message").await, "Your account cannot open this page.");
        browser.close().await.expect("close");
    });
}

/// A suffix no earlier run used, so the test finds its own inquiry among the demo's.
fn unique_suffix() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{}-{}", std::process::id(), nanos % 1_000_000_000)
}

/// Types into a form field; Korean text included.
async fn fill(browser: &Client, css: &str, text: &str) {
    let field = browser.find(Locator::Css(css)).await.unwrap_or_else(|_| panic!("{css} on the page"));
    field.send_keys(text).await.unwrap_or_else(|e| panic!("typing into {css}: {e}"));
    let typed = field.prop("value").await.expect("value").unwrap_or_default();
    assert_eq!(typed, text, "{css} holds what was typed");
}

/// The texts of every element matching `css`.
async fn texts_of(browser: &Client, css: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for element in browser.find_all(Locator::Css(css)).await.expect("elements") {
        texts.push(element.text().await.expect("text"));
    }
    texts
}

#[test]
fn r1_r3_r4_a_korean_conversation_from_question_to_answer() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        let subject = format!("던전 러너 환불 요청드립니다 {}", unique_suffix());
        let question = "어제 던전 러너를 구매했는데 실수로 두 번 결제된 것 같습니다. 한 건은 환불 부탁드립니다.";
        let answer = "안녕하세요, 한빛게임즈입니다. 중복 결제를 확인했고 한 건의 구매 취소를 스토어에 요청했습니다.";

        // 1. R1: customer1 (Korean in the demo) asks dev1's seller from the app page.
        sign_in(&browser, &fixture, "customer1@example.com").await;
        if html_lang(&browser).await != "ko" {
            browser.goto(&fixture.url("/lang/ko?next=/my")).await.expect("language switch");
            wait_for(&browser, "html[lang=ko]").await;
        }
        assert_eq!(html_lang(&browser).await, "ko", "customer1 reads the store in Korean");
        browser.goto(&fixture.url("/")).await.expect("apps");
        let mut app_href = None;
        for link in browser.find_all(Locator::Css("a[href^='/apps/']")).await.expect("app links") {
            if link.text().await.expect("text").contains("Dungeon Runner") {
                app_href = link.attr("href").await.expect("href");
                break;
            }
        }
        let app_href = app_href.expect("Dungeon Runner, an app of dev1's seller, is listed");
        browser.goto(&fixture.url(&app_href)).await.expect("app page");
        let page = text_of(&browser, "body").await;
        assert!(page.contains("한빛게임즈"), "the app belongs to dev1's seller (Hanbit Games)");
        browser.find(Locator::Css("#contact-seller")).await.expect("contact seller").click().await.expect("click");
        wait_for(&browser, "#inquiry-form").await;
        assert_eq!(path_of(&browser).await, format!("{app_href}/inquiries/new"));
        let category = browser.find(Locator::Css("#inquiry-form [name=category]")).await.expect("category");
        category.select_by_value("refund").await.expect("choose refund");
        fill(&browser, "#inquiry-form [name=subject]", &subject).await;
        fill(&browser, "#inquiry-form [name=body]", question).await;
        let consent = browser.find(Locator::Css("#inquiry-form [name=consent_personal_info]")).await.expect("consent");
        consent.click().await.expect("tick consent");
        assert!(consent.is_selected().await.expect("checked"), "consent is ticked (R7)");
        browser.find(Locator::Css("#inquiry-submit")).await.expect("submit").click().await.expect("send");
        wait_for(&browser, ".status.status-awaiting_developer").await;
        let thread_path = path_of(&browser).await;
        assert!(thread_path.starts_with("/inquiries/"), "lands on the thread, not {thread_path}");
        assert!(text_of(&browser, "body").await.contains(&subject), "the thread shows its subject");
        save_screenshot("r1-customer-sent-inquiry", &browser.screenshot().await.expect("png"));
        sign_out(&browser).await;

        // 2. R3/R4: dev1 finds it in the inbox and answers; the turn goes to the customer.
        sign_in(&browser, &fixture, "dev1@example.com").await;
        browser.goto(&fixture.url("/developer/inquiries")).await.expect("inbox");
        let mut row_link = None;
        for row in browser.find_all(Locator::Css(".inquiry-row")).await.expect("rows") {
            if row.text().await.expect("text").contains(&subject) {
                row_link = Some(row.find(Locator::Css("a")).await.expect("a link in the row"));
                break;
            }
        }
        let row_link = row_link.unwrap_or_else(|| panic!("dev1's inbox lists {subject:?}"));
        save_screenshot("r1-developer-inbox", &browser.screenshot().await.expect("png"));
        row_link.click().await.expect("open the thread");
        wait_for(&browser, "#reply-form").await;
        assert_eq!(path_of(&browser).await, thread_path, "the row links to the thread");
        fill(&browser, "#reply-form [name=body]", answer).await;
        browser.find(Locator::Css("#reply-submit")).await.expect("reply").click().await.expect("send");
        wait_for(&browser, ".status.status-awaiting_customer").await;
        let replies = texts_of(&browser, "article.message-developer").await;
        assert!(replies.iter().any(|t| t.contains(answer)), "the answer shows as the developer's: {replies:?}");
        save_screenshot("r3-developer-answered", &browser.screenshot().await.expect("png"));
        sign_out(&browser).await;

        // 3. The customer reads the answer in the store.
        sign_in(&browser, &fixture, "customer1@example.com").await;
        browser.goto(&fixture.url(&thread_path)).await.expect("thread");
        wait_for(&browser, ".status.status-awaiting_customer").await;
        let replies = texts_of(&browser, "article.message-developer").await;
        assert!(replies.iter().any(|t| t.contains(answer)), "customer1 reads the answer: {replies:?}");
        save_screenshot("r4-customer-reads-answer", &browser.screenshot().await.expect("png"));
        sign_out(&browser).await;

        // 4. R3: the reply mail to the customer waits in the outbox, in Korean.
        sign_in(&browser, &fixture, "operator@example.com").await;
        browser.goto(&fixture.url("/operator/outbox")).await.expect("outbox");
        let rows: Vec<String> =
            texts_of(&browser, "tr, li, article").await.into_iter().filter(|t| t.contains(&subject)).collect();
        assert!(
            rows.iter().any(|t| t.contains("답변")),
            "the outbox lists the Korean reply mail about {subject:?}: {rows:?}"
        );
        save_screenshot("r3-operator-outbox", &browser.screenshot().await.expect("png"));
        sign_out(&browser).await;
        browser.close().await.expect("close");
    });
}

/// The seed story of a refund (R6-R8), from the customer's request to the cancelled
/// purchase, on the given engine.
async fn refund_story(fixture: Arc<Fixture>) {
    let browser = fixture.browser(false).await;
    let subject = format!("Refund for Dungeon Runner, please {}", unique_suffix());

    // 1. customer1 asks for a refund of their Dungeon Runner purchase from My page,
    //    consenting to share payment ids (R7), and notes its TID.
    sign_in(&browser, &fixture, "customer1@example.com").await;
    browser.goto(&fixture.url("/lang/en?next=/my")).await.expect("English");
    wait_for(&browser, "html[lang=en]").await;
    let mut target = None;
    for row in browser.find_all(Locator::Css("#purchases tbody tr.purchase")).await.expect("rows") {
        let text = row.text().await.expect("text");
        let cancelled = row.attr("class").await.expect("class").unwrap_or_default().contains("cancelled");
        if text.contains("Dungeon Runner") && !text.contains(" · ") && !cancelled {
            let tid = row.find(Locator::Css("code")).await.expect("tid cell").text().await.expect("tid");
            let ask = row.find(Locator::Css(".ask-link")).await.expect("ask link");
            target = Some((tid, ask.attr("href").await.expect("href").unwrap_or_default()));
            break;
        }
    }
    let (tid, ask_href) = target.expect("customer1 has a paid Dungeon Runner purchase on My page");
    browser.goto(&fixture.url(&ask_href)).await.expect("inquiry form");
    wait_for(&browser, "#inquiry-form").await;
    let category = browser.find(Locator::Css("#inquiry-form [name=category]")).await.expect("category");
    category.select_by_value("refund").await.expect("choose refund");
    fill(&browser, "#inquiry-form [name=subject]", &subject).await;
    fill(&browser, "#inquiry-form [name=body]", "I bought it by mistake. Please refund it.").await;
    let consent = browser.find(Locator::Css("#inquiry-form [name=consent_personal_info]")).await.expect("consent");
    consent.click().await.expect("tick consent");
    browser.find(Locator::Css("#inquiry-submit")).await.expect("submit").click().await.expect("send");
    wait_for(&browser, ".status.status-awaiting_developer").await;
    let thread_path = path_of(&browser).await;
    assert_eq!(text_of(&browser, "#inquiry-consent").await, "O", "consent is recorded on the inquiry");
    sign_out(&browser).await;

    // 2. dev1 reveals the payment details (audited) and checks the TID against it (R6, R7).
    sign_in(&browser, &fixture, "dev1@example.com").await;
    browser.goto(&fixture.url(&thread_path)).await.expect("thread");
    wait_for(&browser, "#customer-purchases").await;
    let masked = text_of(&browser, "tr.this-purchase code.tid").await;
    assert_ne!(masked, tid, "the TID is masked until revealed");
    assert!(masked.contains('…'), "masked like T2026…8F3A: {masked}");
    browser.find(Locator::Css("#reveal-submit")).await.expect("show payment details").click().await.expect("click");
    wait_for(&browser, "#payment-details-shown").await;
    assert_eq!(text_of(&browser, "tr.this-purchase code.tid").await, tid, "the revealed TID is the customer's");
    save_screenshot("r7-developer-payment-details", &browser.screenshot().await.expect("png"));

    // 3. dev1 submits the cancellation request to the store (R8).
    let row = browser.find(Locator::Css("tr.this-purchase")).await.expect("the inquiry's purchase");
    let purchase_id = row.attr("data-purchase").await.expect("attr").expect("purchase id");
    browser.goto(&fixture.url(&thread_path)).await.expect("thread, ids masked again");
    wait_for(&browser, &format!("#reason-{purchase_id}")).await;
    fill(&browser, &format!("#reason-{purchase_id}"), "Bought by mistake; agreed to refund.").await;
    let submit = format!("#request-{purchase_id} .request-submit");
    browser.find(Locator::Css(&submit)).await.expect("submit request").click().await.expect("click");
    wait_for(&browser, "#cancellation-requests li.request-open").await;
    let request = browser.find(Locator::Css("#cancellation-requests li.request-open")).await.expect("request");
    let request_id = request.attr("data-request").await.expect("attr").expect("request id");
    sign_out(&browser).await;

    // 4. The operator approves it from the queue.
    sign_in(&browser, &fixture, "operator@example.com").await;
    browser.goto(&fixture.url("/operator/cancellation-requests")).await.expect("queue");
    let approve = format!("#requests li[data-request='{request_id}'] form.approve-form button.approve");
    wait_for(&browser, &approve).await;
    save_screenshot("r8-operator-queue", &browser.screenshot().await.expect("png"));
    browser.find(Locator::Css(&approve)).await.expect("approve").click().await.expect("click");
    wait_for(&browser, "#console-notice").await;
    assert!(browser.find(Locator::Css(&approve)).await.is_err(), "the approved request has left the open queue");
    sign_out(&browser).await;

    // 5. The customer sees the purchase cancelled, in the thread and on My page.
    sign_in(&browser, &fixture, "customer1@example.com").await;
    browser.goto(&fixture.url(&thread_path)).await.expect("thread");
    wait_for(&browser, &format!("#cancellation-requests li.request-approved[data-request='{request_id}']")).await;
    browser.find(Locator::Css("#inquiry-purchase .status-cancelled")).await.expect("the purchase shows cancelled");
    save_screenshot("r8-customer-sees-cancelled", &browser.screenshot().await.expect("png"));
    browser.goto(&fixture.url("/my")).await.expect("My page");
    let mut cancelled = false;
    for row in browser.find_all(Locator::Css("#purchases tbody tr.purchase.cancelled")).await.expect("rows") {
        cancelled |= row.find(Locator::Css("code")).await.expect("tid").text().await.expect("tid") == tid;
    }
    assert!(cancelled, "My page shows the purchase {tid} cancelled");
    sign_out(&browser).await;
    browser.close().await.expect("close");
}

#[test]
fn r6_r7_r8_a_refund_from_request_to_cancelled_purchase_sqlite() {
    scenario_on(Engine::Sqlite, refund_story);
}

#[test]
fn r6_r7_r8_a_refund_from_request_to_cancelled_purchase_postgres() {
    scenario_on(Engine::Postgres, refund_story);
}

/// Keeps screenshots of the whole page for a person to look at; not an assertion. The
/// window is stretched to the page's height (up to a limit); where the viewport cannot
/// grow (the emulated phone), the page is kept in viewport-high parts, `name-2` on.
async fn save_page(browser: &Client, name: &str) {
    let script =
        |js: &'static str| async move { browser.execute(js, vec![]).await.expect("script").as_u64().unwrap_or(0) };
    let (width, height) = browser.get_window_size().await.expect("window size");
    let page = script("return document.documentElement.scrollHeight").await.clamp(1, 6000);
    let frame = height.saturating_sub(script("return window.innerHeight").await);
    let _ = browser.set_window_size(width as u32, (page + frame).max(height) as u32).await;
    let viewport = script("return window.innerHeight").await.max(1);
    let parts = page.div_ceil(viewport).min(8);
    for part in 0..parts {
        let _ = browser.execute(&format!("window.scrollTo(0, {})", part * viewport), vec![]).await;
        let png = browser.screenshot().await.expect("screenshot");
        save_screenshot(&if part == 0 { name.to_owned() } else { format!("{name}-{}", part + 1) }, &png);
    }
    let _ = browser.execute("window.scrollTo(0, 0)", vec![]).await;
    let _ = browser.set_window_size(width as u32, height as u32).await;
}

/// The page fits the window's width: nothing to scroll sideways.
async fn assert_fits_width(browser: &Client, what: &str) {
    let page = browser.execute("return document.documentElement.scrollWidth", vec![]).await.expect("script");
    let viewport = browser.execute("return window.innerWidth", vec![]).await.expect("script");
    let (page, viewport) = (page.as_i64().unwrap_or(i64::MAX), viewport.as_i64().unwrap_or(0));
    assert!(page <= viewport, "{what} fits the window without sideways scrolling ({page} > {viewport})");
}

/// Every visible button, filter chip and `<details>` summary of the page's content is
/// at least 44 px tall, so a thumb hits it.
async fn assert_tap_targets(browser: &Client, what: &str) {
    let small = browser
        .execute(
            "return [...document.querySelectorAll('main button, main .chip, main summary, main label.star-choice')]\
               .filter(e => e.offsetParent !== null)\
               .filter(e => e.getBoundingClientRect().height < 44)\
               .map(e => e.outerHTML.slice(0, 80));",
            vec![],
        )
        .await
        .expect("script");
    assert_eq!(small, serde_json::json!([]), "{what}: tap targets under 44 px");
}

/// The number at the start of the rating count ("12 ratings", "평점 12개").
async fn rating_count(browser: &Client) -> i64 {
    match browser.find(Locator::Css("#rating-count")).await {
        Ok(count) => {
            let text = count.text().await.expect("text");
            text.chars().filter(char::is_ascii_digit).collect::<String>().parse().expect("a count")
        }
        Err(_) => 0,
    }
}

/// The address of an app's page, found by (part of) its title on the store's home.
async fn app_href(browser: &Client, fixture: &Fixture, title: &str) -> String {
    browser.goto(&fixture.url("/")).await.expect("apps");
    for link in browser.find_all(Locator::Css("a[href^='/apps/']")).await.expect("app links") {
        if link.text().await.expect("text").contains(title) {
            return link.attr("href").await.expect("href").expect("an address");
        }
    }
    panic!("{title} is listed on the store's home");
}

#[test]
fn r10_r11_r12_r18_a_review_from_the_app_page_to_the_reply_and_moderation() {
    scenario(|fixture| async move {
        let desktop = fixture.browser(false).await;
        let phone = fixture.browser(true).await;
        let text =
            format!("던전이 매일 바뀌어서 질리지 않아요. 보스 패턴만 조금 더 다양했으면 좋겠어요. {}", unique_suffix());
        let answer = "소중한 리뷰 감사합니다! 다음 업데이트에서 새로운 보스 패턴을 추가할 예정입니다. — 한빛게임즈";

        // 1. R10: customer1 rates Dungeon Runner 4 stars and writes a Korean review.
        sign_in(&desktop, &fixture, "customer1@example.com").await;
        desktop.goto(&fixture.url("/lang/ko?next=/my")).await.expect("Korean");
        wait_for(&desktop, "html[lang=ko]").await;
        let app = app_href(&desktop, &fixture, "Dungeon Runner").await;
        desktop.goto(&fixture.url(&app)).await.expect("app page");
        wait_for(&desktop, "#review-form").await;
        let counted_before = rating_count(&desktop).await;
        desktop
            .find(Locator::Css("#review-form input[name=rating][value='4']"))
            .await
            .expect("4 stars")
            .click()
            .await
            .expect("click");
        fill(&desktop, "#review-text", &text).await;
        desktop.find(Locator::Css("#review-submit")).await.expect("publish").click().await.expect("click");
        wait_for(&desktop, "#review-notice").await;
        assert!(text_of(&desktop, "#review-notice").await.contains("이메일"), "the notice says what comes next");
        let mine = desktop.find(Locator::Css("#my-review-card")).await.expect("own review");
        let review = mine.attr("data-review").await.expect("attr").expect("review id");
        assert!(mine.text().await.expect("text").contains(&text));
        assert_eq!(rating_count(&desktop).await, counted_before + 1, "R13: the rating counts it");
        sign_out(&desktop).await;

        // 2. R11: dev1, on a phone, finds it first among the unanswered and replies.
        sign_in(&phone, &fixture, "dev1@example.com").await;
        phone
            .find(Locator::Css("a[data-nav=developer-reviews]"))
            .await
            .expect("navigation")
            .click()
            .await
            .expect("click");
        wait_for(&phone, "#review-inbox").await;
        let first = phone.find(Locator::Css("#review-inbox > li")).await.expect("a review");
        assert_eq!(
            first.attr("data-review").await.expect("attr").as_deref(),
            Some(review.as_str()),
            "first unanswered"
        );
        assert_fits_width(&phone, "the reviews inbox").await;
        assert_tap_targets(&phone, "the reviews inbox").await;
        save_page(&phone, "reviews-developer-inbox-390").await;
        fill(&phone, &format!("#reply-{review}"), answer).await;
        phone
            .find(Locator::Css(&format!("#review-{review} .reply-submit")))
            .await
            .expect("post")
            .click()
            .await
            .expect("click");
        wait_for(&phone, "#review-notice").await;
        assert_fits_width(&phone, "the inbox after replying").await;
        sign_out(&phone).await;

        // 3. The customer reads the official reply on the public app page.
        sign_in(&desktop, &fixture, "customer1@example.com").await;
        desktop.goto(&fixture.url(&app)).await.expect("app page");
        let reply = text_of(&desktop, &format!("#review-{review} .official-reply")).await;
        assert!(reply.contains(answer) && reply.contains("공식 답변"), "the reply is shown, marked: {reply}");

        // 4. R18: the customer edits the review (3 stars); dev1 sees the reply outdated.
        desktop.find(Locator::Css("#edit-review summary")).await.expect("edit").click().await.expect("open");
        desktop
            .find(Locator::Css("#review-form input[name=rating][value='3']"))
            .await
            .expect("3 stars")
            .click()
            .await
            .expect("click");
        desktop.find(Locator::Css("#review-submit")).await.expect("save").click().await.expect("click");
        wait_for(&desktop, "#review-notice").await;
        assert!(
            text_of(&desktop, &format!("#review-{review}")).await.contains("이 답변 이후에 리뷰가 수정되었습니다.")
        );
        save_page(&desktop, "reviews-app-page-1280").await;
        sign_out(&desktop).await;
        sign_in(&phone, &fixture, "dev1@example.com").await;
        phone.goto(&fixture.url("/developer/reviews")).await.expect("inbox");
        wait_for(&phone, &format!("#review-{review} .official-reply.is-outdated")).await;
        phone.find(Locator::Css(&format!("#review-{review} .confirm-reply"))).await.expect("R18: a confirm button");
        sign_out(&phone).await;

        // 5. R12: customer2 reports the review.
        sign_in(&desktop, &fixture, "customer2@example.com").await;
        desktop.goto(&fixture.url(&app)).await.expect("app page");
        desktop
            .find(Locator::Css(&format!("#review-{review} details.report summary")))
            .await
            .expect("report")
            .click()
            .await
            .expect("open");
        let reason = desktop.find(Locator::Css(&format!("#report-reason-{review}"))).await.expect("reason");
        reason.select_by_value("abusive").await.expect("choose a reason");
        fill(&desktop, &format!("#report-note-{review}"), "다른 사용자를 비난하는 내용입니다.").await;
        desktop
            .find(Locator::Css(&format!("#review-{review} .report-submit")))
            .await
            .expect("send")
            .click()
            .await
            .expect("click");
        wait_for(&desktop, "#review-notice").await;
        sign_out(&desktop).await;

        // 6. The operator sees the reply mail in the outbox and hides the reported review.
        sign_in(&desktop, &fixture, "operator@example.com").await;
        desktop.goto(&fixture.url("/operator/outbox")).await.expect("outbox");
        let mails: Vec<String> = texts_of(&desktop, "tr.outbox-row").await;
        assert!(
            mails
                .iter()
                .any(|t| t.contains("customer1@example.com")
                    && (t.contains("Reply to a review") || t.contains("리뷰 답변"))),
            "R11: the review_replied mail waits in the outbox: {mails:?}"
        );
        desktop.goto(&fixture.url("/operator/moderation")).await.expect("moderation");
        let item = format!("#item-{review}-review");
        wait_for(&desktop, &item).await;
        save_page(&desktop, "reviews-moderation-1280").await;
        fill(&desktop, &format!("#reason-{review}-review"), "Personal attacks on other players are not allowed.").await;
        desktop.find(Locator::Css(&format!("{item} button.hide"))).await.expect("hide").click().await.expect("click");
        wait_for(&desktop, "#lookup").await;
        desktop.find(Locator::Css("#lookup form.unhide-form")).await.expect("show again is offered");
        sign_out(&desktop).await;

        // 7. R13: the app page's summary no longer counts it.
        desktop.goto(&fixture.url(&app)).await.expect("app page");
        assert_eq!(rating_count(&desktop).await, counted_before, "R13: hidden reviews leave the summary");
        assert!(desktop.find(Locator::Css(&format!("#review-{review}"))).await.is_err(), "and the public list");
        save_page(&desktop, "reviews-app-page-public-1280").await;

        // The pages at 390 px, for a person to look at.
        phone.goto(&fixture.url(&app)).await.expect("app page");
        assert_fits_width(&phone, "the app page").await;
        assert_tap_targets(&phone, "the app page").await;
        save_page(&phone, "reviews-app-page-390").await;
        sign_in(&phone, &fixture, "customer1@example.com").await;
        phone.goto(&fixture.url(&app)).await.expect("app page");
        wait_for(&phone, "#my-review-hidden").await;
        phone.find(Locator::Css("#edit-review summary")).await.expect("edit").click().await.expect("open");
        assert_fits_width(&phone, "the customer's own review").await;
        assert_tap_targets(&phone, "the customer's own review").await;
        let mine = phone.find(Locator::Css("#my-review")).await.expect("own review");
        mine.click().await.expect("scroll to it");
        save_page(&phone, "reviews-app-page-mine-390").await;
        sign_out(&phone).await;
        sign_in(&phone, &fixture, "operator@example.com").await;
        phone.goto(&fixture.url("/operator/moderation")).await.expect("moderation");
        assert_fits_width(&phone, "the moderation page").await;
        save_page(&phone, "reviews-moderation-390").await;
        sign_out(&phone).await;
        sign_in(&desktop, &fixture, "dev1@example.com").await;
        desktop.goto(&fixture.url("/developer/reviews")).await.expect("inbox");
        save_page(&desktop, "reviews-developer-inbox-1280").await;
        desktop.close().await.expect("close");
        phone.close().await.expect("close");
    });
}

/// Hands one mail to the running demo as an MTA's pipe transport would, with `vocdesk
/// mail receive` on the server's data directory (the server keeps running); answers
/// what the command said.
fn pipe_mail(fixture: &Fixture, sender: &str, recipient: &str, mail: &str) -> String {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_vocdesk"))
        .args(["mail", "receive", "--sender", sender, "--recipient", recipient])
        .env("VOCDESK_DATA", fixture._data.path())
        .env_remove("VOCDESK_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vocdesk mail receive starts");
    child.stdin.take().expect("stdin").write_all(mail.as_bytes()).expect("write the mail");
    let output = child.wait_with_output().expect("vocdesk mail receive ends");
    let said = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(0), "{said}{}", String::from_utf8_lossy(&output.stderr));
    said
}

#[test]
fn r15_r16_an_operator_works_the_held_mail_on_a_phone() {
    scenario(|fixture| async move {
        // A mail to the support address of no seller is held for an operator.
        let mail = format!(
            "From: Stranger <stranger@mail.test>\r\nTo: support+nosuch@localhost\r\nSubject: Refund {}\r\n\
             Message-ID: <browser-{}@mail.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             Please refund my purchase.\r\n",
            unique_suffix(),
            unique_suffix()
        );
        let said = pipe_mail(&fixture, "stranger@mail.test", "support+nosuch@localhost", &mail);
        assert!(said.contains("held for an operator"), "{said}");

        let phone = fixture.browser(true).await;
        sign_in(&phone, &fixture, "operator@example.com").await;
        phone.find(Locator::Css("a[data-nav=operator-mail]")).await.expect("navigation").click().await.expect("click");
        wait_for(&phone, "#mail-list").await;
        let card = text_of(&phone, "#mail-list > li").await;
        assert!(
            card.contains("stranger@mail.test") && card.contains("It was sent to the support address of no seller."),
            "the sender and the reason in words: {card}"
        );
        assert_fits_width(&phone, "the held-mail page").await;
        assert_tap_targets(&phone, "the held-mail page").await;
        save_page(&phone, "mail-held-390").await;
        phone
            .find(Locator::Css("#mail-list > li button.discard"))
            .await
            .expect("discard")
            .click()
            .await
            .expect("click");
        wait_for(&phone, "#mail-notice").await;
        assert!(text_of(&phone, "#mail-notice").await.contains("discarded"), "the operator is told");
        phone.goto(&fixture.url("/operator/mail?view=all")).await.expect("all received mail");
        wait_for(&phone, "#mail-list").await;
        assert!(text_of(&phone, "#mail-list > li").await.contains("Discarded"), "its status in words");
        assert_fits_width(&phone, "every received mail").await;
        save_page(&phone, "mail-all-390").await;
        sign_out(&phone).await;
        phone.close().await.expect("close");

        let desktop = fixture.browser(false).await;
        sign_in(&desktop, &fixture, "operator@example.com").await;
        desktop.goto(&fixture.url("/operator/mail?view=all")).await.expect("all received mail");
        wait_for(&desktop, "#bouncing").await;
        save_page(&desktop, "mail-all-1280").await;
        desktop.close().await.expect("close");
    });
}
