//! Issue 13 in a real Chromium: the developer center is installable, its service worker
//! shows a pushed notification, keeps the inbox and threads for reading offline (never
//! a `no-store` page), does not lose a reply typed offline, and the developer's home
//! shows what is owed first on a phone. Screenshots: `target/tmp/browser-screenshots/`,
//! `item13-*`.
//!
//! DevTools commands go through chromedriver's `POST /session/{id}/goog/cdp/execute`
//! ([`cdp`]). That endpoint answers commands but hands back no events, so the service
//! worker's registration id (which `ServiceWorker.deliverPushMessage` needs and only
//! `ServiceWorker.workerRegistrationUpdated` events tell) is found by trying the ids a
//! fresh profile hands out, from 0 up: each test's browser has a new profile with one
//! registration, and a wrong id is refused without side effects.
//!
//! Offline: the browser is put offline with `Network.emulateNetworkConditions` and the
//! server is stopped as well, because DevTools' network emulation of the page does not
//! reach the service worker's own fetches (seen with Chromium 156 and chromedriver:
//! with the emulation alone the worker still reached the server); with the server gone,
//! every request fails as on a lost network, and the server comes back on the same
//! port and store.

use serde_json::{Value, json};

use crate::support::*;

/// One DevTools command through chromedriver; answers its result, or the error text.
async fn cdp(browser: &Client, fixture: &Fixture, cmd: &str, params: Value) -> Result<Value, String> {
    let session = browser.session_id().await.map_err(|e| e.to_string())?.ok_or("no session")?;
    let address = fixture.webdriver().trim_start_matches("http://").to_owned();
    let body = json!({ "cmd": cmd, "params": params }).to_string();
    let request = format!(
        "POST /session/{session}/goog/cdp/execute HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let answer = tokio::task::spawn_blocking(move || -> std::io::Result<String> {
        use std::io::{Read, Write};
        let mut stream = TcpStream::connect(&address)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        stream.write_all(request.as_bytes())?;
        // chromedriver keeps the connection open: read the head, then its length.
        let mut answer = Vec::new();
        let mut buffer = [0u8; 8192];
        loop {
            let read = stream.read(&mut buffer)?;
            if read == 0 {
                break;
            }
            answer.extend_from_slice(&buffer[..read]);
            let text = String::from_utf8_lossy(&answer);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                    .and_then(|v| v.parse::<usize>().ok());
                if length.is_some_and(|n| body.len() >= n) {
                    break;
                }
            }
        }
        Ok(String::from_utf8_lossy(&answer).into_owned())
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| e.to_string())?;
    let (head, body) = answer.split_once("\r\n\r\n").ok_or("no HTTP answer")?;
    // chromedriver answers with a length; a chunked answer would need unchunking.
    let body =
        if head.to_ascii_lowercase().contains("transfer-encoding: chunked") { unchunk(body) } else { body.to_owned() };
    let value: Value = serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))?;
    if head.starts_with("HTTP/1.1 200") { Ok(value["value"].clone()) } else { Err(value.to_string()) }
}

fn unchunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else { break };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

/// Waits (bounded) until the page's service worker is active and controls the page.
async fn worker_ready(browser: &Client) {
    let script = "const done = arguments[arguments.length - 1];\
        navigator.serviceWorker.ready.then(r => done(r.active ? r.active.state : 'none')).catch(e => done(String(e)));";
    let state = browser.execute_async(script, vec![]).await.expect("the worker's state");
    assert_eq!(state, json!("activated"), "the service worker is active");
}

/// Reloads until the worker controls the page (the first page was loaded before it).
async fn worker_controls(browser: &Client) {
    worker_ready(browser).await;
    for _ in 0..20 {
        let controlled = browser.execute("return !!navigator.serviceWorker.controller", vec![]).await.expect("script");
        if controlled == json!(true) {
            return;
        }
        browser.refresh().await.expect("reload");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the service worker never controlled the page");
}

async fn offline(browser: &Client, fixture: &Fixture, off: bool) {
    cdp(browser, fixture, "Network.enable", json!({})).await.expect("Network.enable");
    let conditions = json!({ "offline": off, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 });
    cdp(browser, fixture, "Network.emulateNetworkConditions", conditions).await.expect("network conditions");
    if off {
        fixture.stop_server();
    } else {
        fixture.start_server();
    }
}

/// What the worker's caches hold: every kept request's path and query.
async fn cached_paths(browser: &Client) -> Vec<String> {
    let script = "const done = arguments[arguments.length - 1];\
        (async () => { const out = []; for (const name of await caches.keys()) {\
           for (const r of await (await caches.open(name)).keys()) { const u = new URL(r.url); out.push(u.pathname + u.search); } }\
           return out; })().then(done, e => done([String(e)]));";
    let value = browser.execute_async(script, vec![]).await.expect("caches");
    value.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default()
}

async fn is_shown(browser: &Client, css: &str) -> bool {
    match browser.find(Locator::Css(css)).await {
        Ok(element) => element.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

#[test]
fn item1_the_developer_center_is_installable_and_its_worker_shows_a_pushed_notification() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        sign_in(&browser, &fixture, "dev1@example.com").await;
        browser.goto(&fixture.url("/developer")).await.expect("home");
        worker_controls(&browser).await;
        let errors = cdp(&browser, &fixture, "Page.getInstallabilityErrors", json!({})).await.expect("installability");
        assert_eq!(errors["installabilityErrors"], json!([]), "installable: {errors}");
        let manifest = cdp(&browser, &fixture, "Page.getAppManifest", json!({})).await.expect("manifest");
        assert_eq!(manifest["errors"], json!([]), "the manifest parses cleanly: {manifest}");

        let origin = fixture.origin().to_owned();
        cdp(
            &browser,
            &fixture,
            "Browser.grantPermissions",
            json!({ "origin": origin, "permissions": ["notifications"] }),
        )
        .await
        .expect("notifications allowed");
        cdp(&browser, &fixture, "ServiceWorker.enable", json!({})).await.expect("ServiceWorker.enable");
        let message = json!({
            "kind": "near_limit", "title": "Due in 2 hours: Refund please", "body": "Puzzle Quest · customer1",
            "url": "/inquiries/abc", "tag": "inquiry-abc", "badge": 3,
        });
        // chromedriver's CDP endpoint returns no events, so the registration's id is not
        // known: Chromium takes a delivery to any id before it looks the id up, so the
        // message goes to each of the first ids; only the real registration shows it.
        let mut accepted = Vec::new();
        for id in 0..8 {
            let params = json!({ "origin": origin, "registrationId": id.to_string(), "data": message.to_string() });
            if cdp(&browser, &fixture, "ServiceWorker.deliverPushMessage", params).await.is_ok() {
                accepted.push(id);
            }
        }
        assert!(!accepted.is_empty(), "a registration takes a push message");
        let read = "const done = arguments[arguments.length - 1];\
            navigator.serviceWorker.ready.then(r => r.getNotifications()).then(ns => done(ns.map(n =>\
              ({ title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url })))).catch(e => done(String(e)));";
        let mut shown = json!([]);
        for _ in 0..150 {
            shown = browser.execute_async(read, vec![]).await.expect("notifications");
            if shown.as_array().is_some_and(|a| !a.is_empty()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(shown[0]["title"], "Due in 2 hours: Refund please", "{shown}");
        assert_eq!(shown[0]["url"], "/inquiries/abc");
        assert_eq!(shown[0]["tag"], "inquiry-abc");

        // Not JSON: still a notification, with the brand's title and the home to open.
        for id in &accepted {
            let params = json!({ "origin": origin, "registrationId": id.to_string(), "data": "not json" });
            cdp(&browser, &fixture, "ServiceWorker.deliverPushMessage", params).await.expect("a second push");
        }
        let mut fallback = Value::Null;
        for _ in 0..150 {
            let all = browser.execute_async(read, vec![]).await.expect("notifications");
            if let Some(n) = all.as_array().and_then(|a| a.iter().find(|n| n["title"] == "vocdesk")) {
                fallback = n.clone();
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(fallback["url"], "/developer", "the generic notification: {fallback}");
        browser.close().await.expect("close");
    });
}

#[test]
fn item2_offline_the_inbox_opened_before_is_a_saved_copy_and_no_store_pages_are_not() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        sign_in(&browser, &fixture, "dev1@example.com").await;
        browser.goto(&fixture.url("/developer")).await.expect("home");
        worker_controls(&browser).await;
        browser.goto(&fixture.url("/developer/inquiries")).await.expect("inbox");
        wait_for(&browser, "a.inquiry-link").await;
        let thread = browser.find(Locator::Css("a.inquiry-link")).await.expect("a thread");
        let thread = thread.attr("href").await.expect("href").expect("an address");
        let subject = browser.find(Locator::Css("a.inquiry-link")).await.expect("link").text().await.expect("subject");
        browser.goto(&fixture.url(&thread)).await.expect("thread");
        // A `no-store` page opened online: the refund requests.
        browser.goto(&fixture.url("/developer/cancellation-requests")).await.expect("requests");
        browser.goto(&fixture.url("/developer/inquiries")).await.expect("inbox again");
        let kept = cached_paths(&browser).await;
        assert!(kept.iter().any(|p| p == "/developer/inquiries") && kept.contains(&thread), "{kept:?}");
        for path in &kept {
            assert!(
                ["/developer", "/developer/inquiries", "/offline?lang=ko", "/offline?lang=en", "/__vocdesk/lang"]
                    .contains(&path.as_str())
                    || path.starts_with("/static/")
                    || (path.starts_with("/inquiries/") && path.matches('/').count() == 2),
                "only pages that may be kept are kept: {path}"
            );
        }

        offline(&browser, &fixture, true).await;
        browser.goto(&fixture.url("/developer/inquiries")).await.expect("inbox offline");
        wait_for(&browser, "html[data-saved-copy]").await;
        assert!(is_shown(&browser, "#saved-copy").await, "the saved-copy banner");
        let banner = text_of(&browser, "#saved-copy").await;
        assert!(banner.starts_with("Saved copy from ") || banner.contains("저장된 사본"), "{banner}");
        assert!(texts_of(&browser, "a.inquiry-link").await.contains(&subject), "the inbox as it was");
        save_page(&browser, "item13-saved-inbox").await;
        browser.goto(&fixture.url(&thread)).await.expect("thread offline");
        wait_for(&browser, "html[data-saved-copy] #reply-form").await;

        // `no-store` pages are not kept: the offline page instead, in the reader's language.
        for path in ["/developer/cancellation-requests".to_owned(), format!("{thread}/payment-details")] {
            browser.goto(&fixture.url(&path)).await.expect("offline");
            wait_for(&browser, "#offline-title").await;
            assert!(browser.find(Locator::Css("html[data-saved-copy]")).await.is_err(), "{path} is no saved copy");
        }
        let lang = html_lang(&browser).await;
        save_page(&browser, &format!("item13-offline-{lang}")).await;
        assert!(!is_shown(&browser, "#reply-not-sent").await, "nothing was being sent");
        offline(&browser, &fixture, false).await;
        // The offline page follows the language the person reads.
        let other = if lang == "ko" { "en" } else { "ko" };
        browser.goto(&fixture.url("/developer")).await.expect("home");
        switch_language(&browser, other).await;
        browser.refresh().await.expect("the worker hears the language");
        offline(&browser, &fixture, true).await;
        browser.goto(&fixture.url("/developer/cancellation-requests")).await.expect("offline");
        wait_for(&browser, &format!("html[lang={other}] #offline-title")).await;
        save_page(&browser, &format!("item13-offline-{other}")).await;
        offline(&browser, &fixture, false).await;
        browser.goto(&fixture.url("/developer/inquiries")).await.expect("online again");
        assert!(browser.find(Locator::Css("html[data-saved-copy]")).await.is_err(), "the live page again");
        browser.close().await.expect("close");
    });
}

#[test]
fn item2_a_reply_typed_offline_is_not_lost() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        sign_in(&browser, &fixture, "dev1@example.com").await;
        browser.goto(&fixture.url("/developer")).await.expect("home");
        worker_controls(&browser).await;
        let link = browser.find(Locator::Css("#owed a.owed-link.inquiry-link")).await.expect("an owed inquiry");
        link.click().await.expect("open it");
        wait_for(&browser, "#reply-form #body").await;
        let thread = path_of(&browser).await;
        let text = format!("Offline reply {}", unique_suffix());

        offline(&browser, &fixture, true).await;
        fill(&browser, "#body", &text).await;
        browser.find(Locator::Css("#reply-submit")).await.expect("send").click().await.expect("click");
        wait_for(&browser, "#offline-title").await;
        assert!(is_shown(&browser, "#reply-not-sent").await, "the page says the reply was not sent");
        let said = text_of(&browser, "#reply-not-sent").await;
        assert!(said.contains("not sent") || said.contains("보내지 못했습니다"), "{said}");
        assert!(!is_shown(&browser, "#offline-retry").await, "no \"try again\": it would not send the reply");
        save_page(&browser, "item13-reply-not-sent").await;

        offline(&browser, &fixture, false).await;
        browser.find(Locator::Css("#back-to-thread")).await.expect("back").click().await.expect("back");
        wait_for(&browser, "#reply-form #body").await;
        assert_eq!(path_of(&browser).await, thread);
        let kept = browser.find(Locator::Css("#body")).await.expect("box").prop("value").await.expect("value");
        assert_eq!(kept.as_deref(), Some(text.as_str()), "the text is back in the box");
        // Sent now; once the thread shows it, the kept text is gone.
        browser.find(Locator::Css("#reply-submit")).await.expect("send").click().await.expect("click");
        wait_for(&browser, ".message-body").await;
        for _ in 0..50 {
            if texts_of(&browser, ".message-body").await.iter().any(|m| m.trim() == text) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let draft = browser
            .execute("return localStorage.getItem('vocdesk-draft:' + arguments[0])", vec![json!(thread)])
            .await
            .expect("storage");
        assert_eq!(draft, Value::Null, "posted: nothing kept");
        let box_value = browser.find(Locator::Css("#body")).await.expect("box").prop("value").await.expect("value");
        assert_eq!(box_value.as_deref(), Some(""), "the box is empty after sending");
        browser.close().await.expect("close");
    });
}

#[test]
fn item4_on_a_phone_the_developer_home_shows_what_is_owed_first_in_both_languages() {
    scenario(|fixture| async move {
        let browser = fixture.browser(true).await;
        // The app badge: headless Chromium has no badge to read, so every page records
        // what app.js asks for.
        let record = "navigator.setAppBadge = n => { window.__badge = n; return Promise.resolve(); };\
                      navigator.clearAppBadge = () => { window.__badge = 0; return Promise.resolve(); };";
        cdp(&browser, &fixture, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": record }))
            .await
            .expect("the badge recorder");
        sign_in(&browser, &fixture, "dev1@example.com").await;
        for lang in ["en", "ko"] {
            browser.goto(&fixture.url("/developer")).await.expect("home");
            switch_language(&browser, lang).await;
            wait_for(&browser, "#owed").await;
            let top = |css: &'static str| {
                let browser = &browser;
                async move {
                    let script = format!("return document.querySelector('{css}').getBoundingClientRect().top");
                    browser.execute(&script, vec![]).await.expect("script").as_f64().unwrap_or(f64::MAX)
                }
            };
            let (owed, counts) = (top("#owed").await, top("#inquiry-summary").await);
            assert!(owed < counts, "{lang}: owed first ({owed} < {counts})");
            let first = top("#owed .owed-reply").await;
            assert!(first < 844.0, "{lang}: the first reply button is in the first screen ({first})");
            let count = browser
                .find(Locator::Css("#owed"))
                .await
                .expect("owed")
                .attr("data-owed-count")
                .await
                .expect("attr")
                .unwrap_or_default();
            assert!(count.parse::<i64>().is_ok_and(|n| n > 0), "{lang}: the badge's count {count:?}");
            let badge = browser.execute("return window.__badge", vec![]).await.expect("script");
            assert_eq!(badge.to_string(), count, "{lang}: app.js sets the app badge to what is owed");
            assert_fits_width(&browser, &format!("/developer at 390 px ({lang})")).await;
            assert_tap_targets(&browser, &format!("/developer at 390 px ({lang})")).await;
            save_page(&browser, &format!("item13-developer-390-{lang}")).await;
        }
        browser.close().await.expect("close");
    });
}

/// The subscribe button and form of `/settings/devices` as that page renders them (the
/// push contract), put into a page of the site, then `app.js` loaded again so that it
/// finds them. `pushManager.subscribe()` cannot reach a real push service on these
/// machines, so `PushManager.prototype.subscribe` is stubbed (it records the options and
/// answers a fixed subscription), as are the permission prompt and the form's `submit`
/// (it records what would be sent).
const PUSH_FIXTURE: &str = r#"
const key = arguments[0], permission = arguments[1];
document.querySelector('main').insertAdjacentHTML('beforeend',
  `<button type="button" id="push-enable" data-vapid-key="${key}" hidden>on</button>
   <form id="push-subscribe-form" method="post" action="/settings/devices">
     <input type="hidden" name="csrf" value="token"><input type="hidden" name="endpoint">
     <input type="hidden" name="p256dh"><input type="hidden" name="auth">
     <input type="checkbox" name="kinds" value="new_inquiry" checked></form>`);
window.__sent = null;
window.__options = null;
HTMLFormElement.prototype.submit = function () { window.__sent = Object.fromEntries(new FormData(this)); };
Notification.requestPermission = () => Promise.resolve(permission);
PushManager.prototype.subscribe = function (options) {
  window.__options = { userVisibleOnly: options.userVisibleOnly, key: Array.from(new Uint8Array(options.applicationServerKey)) };
  return Promise.resolve({ toJSON: () => ({ endpoint: 'https://push.invalid/send/abc', keys: { p256dh: 'BPkey', auth: 'authkey' } }) });
};
const script = document.createElement('script');
script.src = '/static/app.js';
document.head.appendChild(script);
"#;

/// A 65-byte uncompressed P-256 point (0x04, then 1..=64), base64url without padding.
const VAPID_KEY: &str = "BAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-P0A";

#[test]
fn item3_the_subscribe_button_fills_the_devices_form_or_says_notifications_are_blocked() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        sign_in(&browser, &fixture, "dev1@example.com").await;
        browser.goto(&fixture.url("/settings")).await.expect("settings");
        worker_ready(&browser).await;
        browser.execute(PUSH_FIXTURE, vec![json!(VAPID_KEY), json!("granted")]).await.expect("the fixture");
        browser
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("#push-enable:not([hidden])"))
            .await
            .expect("shown");
        browser.find(Locator::Css("#push-enable")).await.expect("button").click().await.expect("click");
        let mut sent = Value::Null;
        for _ in 0..50 {
            sent = browser.execute("return window.__sent", vec![]).await.expect("script");
            if !sent.is_null() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(sent["endpoint"], "https://push.invalid/send/abc", "{sent}");
        assert_eq!(sent["p256dh"], "BPkey");
        assert_eq!(sent["auth"], "authkey");
        assert_eq!(sent["kinds"], "new_inquiry", "the person's choices go as they are");
        let options = browser.execute("return window.__options", vec![]).await.expect("script");
        assert_eq!(options["userVisibleOnly"], true);
        let key: Vec<u64> = options["key"].as_array().expect("key").iter().filter_map(Value::as_u64).collect();
        assert_eq!(key, std::iter::once(4).chain(1..=64).collect::<Vec<u64>>(), "the key decoded from base64url");

        // Refused: nothing is sent, and the page says why in its own words.
        browser.goto(&fixture.url("/settings")).await.expect("settings");
        browser.execute(PUSH_FIXTURE, vec![json!(VAPID_KEY), json!("denied")]).await.expect("the fixture");
        browser
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("#push-enable:not([hidden])"))
            .await
            .expect("shown");
        browser.find(Locator::Css("#push-enable")).await.expect("button").click().await.expect("click");
        browser
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("#push-message:not([hidden])"))
            .await
            .expect("said");
        let message = browser.find(Locator::Css("#push-message")).await.expect("message");
        let words = message.attr("data-refused").await.expect("attr").unwrap_or_default();
        assert!(!words.is_empty());
        assert_eq!(message.text().await.expect("text"), words);
        assert_eq!(browser.execute("return window.__sent", vec![]).await.expect("script"), Value::Null, "nothing sent");
        browser.close().await.expect("close");
    });
}

/// The real `/settings/devices`: only the browser's side is stubbed (the permission
/// prompt and `pushManager.subscribe()`, which cannot reach a push service here, answer
/// a subscription with a valid P-256 key); the form then posts to the server for real,
/// and the device is listed with the kinds the developer left checked.
const SUBSCRIBE_STUB: &str = r#"
Notification.requestPermission = () => Promise.resolve('granted');
PushManager.prototype.subscribe = function () {
  return Promise.resolve({ toJSON: () => ({ endpoint: 'https://fcm.googleapis.com/fcm/send/browser-test',
    keys: { p256dh: 'BGsX0fLhLEJH-Lzm5WOkQPJ3A32BLeszoPShOUXYmMKWT-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU',
            auth: 'AAECAwQFBgcICQoLDA0ODw' } }) });
};
"#;

#[test]
fn issue13_the_devices_page_subscribes_this_browser_through_the_server() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        sign_in(&browser, &fixture, "dev1@example.com").await;
        browser.goto(&fixture.url("/settings/devices")).await.expect("devices");
        worker_ready(&browser).await;
        browser.execute(SUBSCRIBE_STUB, vec![]).await.expect("the stub");
        browser
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("#push-enable:not([hidden])"))
            .await
            .expect("app.js shows the button");
        browser.find(Locator::Css("#push-label")).await.expect("label").send_keys("Test phone").await.expect("type");
        let low = browser.find(Locator::Css("#push-subscribe-form input[value=low_review]")).await.expect("kind");
        low.click().await.expect("untick low reviews");
        browser.find(Locator::Css("#push-enable")).await.expect("button").click().await.expect("click");
        browser
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("#devices-notice"))
            .await
            .expect("the page says the device is subscribed");
        assert!(browser.current_url().await.expect("url").as_str().ends_with("/settings/devices?done=subscribed"));
        let listed =
            browser.find(Locator::Css("#devices li.device h3")).await.expect("a device").text().await.expect("text");
        assert_eq!(listed, "Test phone");
        let unticked = browser
            .find(Locator::Css("#devices li.device input[value=low_review]"))
            .await
            .expect("its kinds")
            .prop("checked")
            .await
            .expect("prop");
        assert_eq!(unticked.as_deref(), Some("false"), "the kinds the developer left checked");
        save_page(&browser, "item13-devices").await;
        browser.close().await.expect("close");
    });
}
