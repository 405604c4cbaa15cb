//! The browser suite's fixture (a `vocdesk serve --demo` and a Chromium per test, one
//! test at a time) and the helpers its scenarios share.

#![allow(dead_code)] // each scenario uses a different part

pub(crate) use crate::common;
pub(crate) use std::net::{TcpListener, TcpStream};
pub(crate) use std::path::{Path, PathBuf};
pub(crate) use std::process::{Child, Command, Stdio};
pub(crate) use std::sync::{Arc, Mutex};
pub(crate) use std::time::Duration;

pub(crate) use fantoccini::{Client, ClientBuilder, Locator};

pub(crate) static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

pub(crate) const PASSWORD: &str = "demo-password";

pub(crate) fn installed(env: &str, default: &str) -> Option<PathBuf> {
    [std::env::var(env).ok(), Some(default.to_owned())].into_iter().flatten().map(PathBuf::from).find(|p| p.exists())
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Waits (bounded) until something listens on the port: readiness, not a timing claim.
pub(crate) fn wait_for_port(port: u16, what: &str) {
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
pub(crate) enum Engine {
    Sqlite,
    Postgres,
}

/// The server and chromedriver of one test; both die with it, even when it panics.
pub(crate) struct Fixture {
    app_port: u16,
    /// The server first, then chromedriver.
    children: Mutex<Vec<Child>>,
    base: String,
    webdriver: String,
    chromium: PathBuf,
    profiles: tempfile::TempDir,
    pub(crate) _data: tempfile::TempDir,
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
    pub(crate) fn start(engine: Engine) -> Option<Fixture> {
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
        let server = spawn_server(data.path(), app_port, database.as_ref());
        let driver_port = free_port();
        let fixture = Fixture {
            app_port,
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
    pub(crate) async fn browser(&self, phone: bool) -> Client {
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

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The site's origin (`http://127.0.0.1:PORT`).
    pub(crate) fn origin(&self) -> &str {
        &self.base
    }

    /// chromedriver's address, for commands fantoccini has no method for.
    pub(crate) fn webdriver(&self) -> &str {
        &self.webdriver
    }

    /// Stops the server, as a lost network would look to the browser: every request,
    /// the service worker's too, fails at once.
    pub(crate) fn stop_server(&self) {
        let mut children = self.children.lock().unwrap_or_else(|p| p.into_inner());
        let _ = children[0].kill();
        let _ = children[0].wait();
    }

    /// Starts the server again on the same port, data and database (the demo is not
    /// seeded twice; sessions and keys are in the store, so everyone stays signed in).
    pub(crate) fn start_server(&self) {
        let server = spawn_server(self._data.path(), self.app_port, self._database.as_ref());
        self.children.lock().unwrap_or_else(|p| p.into_inner())[0] = server;
        wait_for_port(self.app_port, "vocdesk serve --demo, again");
    }
}

/// `vocdesk serve --demo` on `data` (and the database, for PostgreSQL) at `port`.
fn spawn_server(data: &Path, port: u16, database: Option<&common::PgDatabase>) -> Child {
    let mut server = Command::new(env!("CARGO_BIN_EXE_vocdesk"));
    server
        .args(["serve", "--demo"])
        .env("VOCDESK_DATA", data)
        .env("VOCDESK_LISTEN", format!("127.0.0.1:{port}"))
        .env_remove("VOCDESK_DATABASE_URL")
        .env_remove("VOCDESK_AUTO_CANCEL")
        .env("RUST_LOG", "warn");
    if let Some(database) = database {
        server.env("VOCDESK_DATABASE_URL", database.url());
    }
    server.stdin(Stdio::null()).stdout(Stdio::null()).spawn().expect("vocdesk serve starts")
}

/// Runs one browser scenario with its own server (on SQLite) and browser, one scenario
/// at a time.
pub(crate) fn scenario<F, Fut>(body: F)
where
    F: FnOnce(Arc<Fixture>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    scenario_on(Engine::Sqlite, body);
}

/// [`scenario`] on a chosen engine.
pub(crate) fn scenario_on<F, Fut>(engine: Engine, body: F)
where
    F: FnOnce(Arc<Fixture>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let Some(fixture) = Fixture::start(engine) else { return };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(body(Arc::new(fixture)));
}

pub(crate) async fn sign_in(browser: &Client, fixture: &Fixture, email: &str) {
    browser.goto(&fixture.url("/signin")).await.expect("sign-in page");
    browser.find(Locator::Css("#email")).await.expect("email field").send_keys(email).await.expect("type email");
    browser.find(Locator::Css("#password")).await.expect("password").send_keys(PASSWORD).await.expect("type password");
    browser.find(Locator::Css("#signin-submit")).await.expect("submit").click().await.expect("submit");
    wait_for(browser, ".who").await;
}

pub(crate) async fn sign_out(browser: &Client) {
    browser.find(Locator::Css("#signout")).await.expect("sign-out button").click().await.expect("sign out");
    wait_for(browser, "#signin-link").await;
}

/// Switches the page in view to `tag` (`ko`, `en`) with the header's language form, as a
/// person would; nothing to do when it already is.
pub(crate) async fn switch_language(browser: &Client, tag: &str) {
    if html_lang(browser).await == tag {
        return;
    }
    let button = format!("#lang-{tag}");
    browser.find(Locator::Css(&button)).await.expect("the language switch").click().await.expect("switch");
    wait_for(browser, &format!("html[lang={tag}]")).await;
}

/// Waits (bounded) for an element that only the next page has: a click that submits a
/// form returns before the browser has loaded the answer.
pub(crate) async fn wait_for(browser: &Client, css: &str) {
    browser
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} never appeared: {e}"));
}

pub(crate) async fn path_of(browser: &Client) -> String {
    browser.current_url().await.expect("url").path().to_owned()
}

pub(crate) async fn text_of(browser: &Client, css: &str) -> String {
    browser.find(Locator::Css(css)).await.unwrap_or_else(|_| panic!("{css} on the page")).text().await.expect("text")
}

pub(crate) async fn html_lang(browser: &Client) -> String {
    let html = browser.find(Locator::Css("html")).await.expect("html element");
    html.attr("lang").await.expect("lang attribute").unwrap_or_default()
}

pub(crate) async fn tids_on_my_page(browser: &Client) -> Vec<String> {
    let mut tids = Vec::new();
    for cell in browser.find_all(Locator::Css("#purchases tbody tr td code")).await.expect("rows") {
        tids.push(cell.text().await.expect("tid"));
    }
    tids
}

/// Keeps a screenshot under target/ for a person to look at; not an assertion.
pub(crate) fn save_screenshot(name: &str, png: &[u8]) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(format!("{name}.png")), png);
}

/// A suffix no earlier run used, so the test finds its own inquiry among the demo's.
pub(crate) fn unique_suffix() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{}-{}", std::process::id(), nanos % 1_000_000_000)
}

/// Types into a form field; Korean text included.
pub(crate) async fn fill(browser: &Client, css: &str, text: &str) {
    let field = browser.find(Locator::Css(css)).await.unwrap_or_else(|_| panic!("{css} on the page"));
    field.send_keys(text).await.unwrap_or_else(|e| panic!("typing into {css}: {e}"));
    let typed = field.prop("value").await.expect("value").unwrap_or_default();
    assert_eq!(typed, text, "{css} holds what was typed");
}

/// The texts of every element matching `css`.
pub(crate) async fn texts_of(browser: &Client, css: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for element in browser.find_all(Locator::Css(css)).await.expect("elements") {
        texts.push(element.text().await.expect("text"));
    }
    texts
}

/// Keeps screenshots of the whole page for a person to look at; not an assertion. The
/// window is stretched to the page's height (up to a limit); where the viewport cannot
/// grow (the emulated phone), the page is kept in viewport-high parts, `name-2` on.
pub(crate) async fn save_page(browser: &Client, name: &str) {
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
pub(crate) async fn assert_fits_width(browser: &Client, what: &str) {
    let page = browser.execute("return document.documentElement.scrollWidth", vec![]).await.expect("script");
    let viewport = browser.execute("return window.innerWidth", vec![]).await.expect("script");
    let (page, viewport) = (page.as_i64().unwrap_or(i64::MAX), viewport.as_i64().unwrap_or(0));
    assert!(page <= viewport, "{what} fits the window without sideways scrolling ({page} > {viewport})");
}

/// Every visible button, filter chip and `<details>` summary of the page's content is
/// at least 44 px tall, so a thumb hits it.
pub(crate) async fn assert_tap_targets(browser: &Client, what: &str) {
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
pub(crate) async fn rating_count(browser: &Client) -> i64 {
    match browser.find(Locator::Css("#rating-count")).await {
        Ok(count) => {
            let text = count.text().await.expect("text");
            text.chars().filter(char::is_ascii_digit).collect::<String>().parse().expect("a count")
        }
        Err(_) => 0,
    }
}

/// The address of an app's page, found by (part of) its title on the store's home.
pub(crate) async fn app_href(browser: &Client, fixture: &Fixture, title: &str) -> String {
    browser.goto(&fixture.url("/")).await.expect("apps");
    for link in browser.find_all(Locator::Css("a[href^='/apps/']")).await.expect("app links") {
        if link.text().await.expect("text").contains(title) {
            return link.attr("href").await.expect("href").expect("an address");
        }
    }
    panic!("{title} is listed on the store's home");
}

/// Hands one mail to the running demo as an MTA's pipe transport would, with `vocdesk
/// mail receive` on the server's data directory and database (the server keeps
/// running); answers what the command said.
pub(crate) fn pipe_mail(fixture: &Fixture, sender: &str, recipient: &str, mail: &str) -> String {
    use std::io::Write;
    let mut command = Command::new(env!("CARGO_BIN_EXE_vocdesk"));
    command
        .args(["mail", "receive", "--sender", sender, "--recipient", recipient])
        .env("VOCDESK_DATA", fixture._data.path())
        .env_remove("VOCDESK_DATABASE_URL");
    // On PostgreSQL the mail goes to the server's database, not to a SQLite file beside it.
    if let Some(database) = &fixture._database {
        command.env("VOCDESK_DATABASE_URL", database.url());
    }
    let mut child = command
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
