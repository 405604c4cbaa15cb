//! Issue 13: vocdesk as an installable app. The manifest in both languages, the service
//! worker's and the script's headers, the content security policy that lets the site's
//! own scripts run and nothing else, `Clear-Site-Data` on sign-out, and the developer's
//! phone home (what is owed first, one tap from each reply box).

use axum::http::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::support::browser::Browser;
use crate::support::{TestApp, req};

fn manifest_of(response: &crate::support::TestResponse) -> Value {
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header(header::CONTENT_TYPE), Some("application/manifest+json"));
    response.json()
}

web_test!(item1_the_manifest_names_the_app_in_the_request_language_and_makes_it_installable);
async fn item1_the_manifest_names_the_app_in_the_request_language_and_makes_it_installable(app: TestApp) {
    let korean = manifest_of(&app.send(req(Method::GET, "/manifest.webmanifest?lang=ko").empty()).await);
    let english = manifest_of(&app.send(req(Method::GET, "/manifest.webmanifest?lang=en").empty()).await);
    assert_eq!(korean["lang"], "ko");
    assert_eq!(korean["name"], "vocdesk 개발자 센터");
    assert_eq!(english["lang"], "en");
    assert_eq!(english["name"], "vocdesk Developer Center");
    assert_eq!(english["short_name"], "vocdesk");
    for manifest in [&korean, &english] {
        assert_eq!(manifest["id"], "/developer", "one app in every language");
        assert_eq!(manifest["start_url"], "/developer");
        assert_eq!(manifest["scope"], "/");
        assert_eq!(manifest["display"], "standalone");
        assert_eq!(manifest["theme_color"], "#0b63ce", "--accent of app.css");
        assert_eq!(manifest["background_color"], "#ffffff", "--bg of app.css");
        let icons = manifest["icons"].as_array().expect("icons");
        let has = |size: &str, purpose: &str| icons.iter().any(|i| i["sizes"] == size && i["purpose"] == purpose);
        assert!(has("192x192", "any") && has("512x512", "any") && has("512x512", "maskable"), "{icons:?}");
    }
    // Without ?lang=, the request's language (Accept-Language here).
    let negotiated =
        app.send(req(Method::GET, "/manifest.webmanifest").header("accept-language", "en-US,en").empty()).await;
    assert_eq!(manifest_of(&negotiated)["lang"], "en");
    // Every icon the manifest names is a real PNG of its size.
    for (path, size) in [
        ("/static/icons/icon-192.png", 192u32),
        ("/static/icons/icon-512.png", 512),
        ("/static/icons/icon-maskable-512.png", 512),
        ("/static/icons/apple-touch-icon.png", 180),
    ] {
        let icon = app.send(req(Method::GET, path).empty()).await;
        assert_eq!(icon.status, StatusCode::OK, "{path}");
        assert_eq!(icon.header(header::CONTENT_TYPE), Some("image/png"), "{path}");
        assert_eq!(&icon.body[..8], b"\x89PNG\r\n\x1a\n", "{path}");
        let width = u32::from_be_bytes([icon.body[16], icon.body[17], icon.body[18], icon.body[19]]);
        let height = u32::from_be_bytes([icon.body[20], icon.body[21], icon.body[22], icon.body[23]]);
        assert_eq!((width, height), (size, size), "{path}");
    }
    let missing = app.send(req(Method::GET, "/static/icons/nope.png").empty()).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

web_test!(item1_the_service_worker_and_the_script_are_javascript_revalidated_each_visit);
async fn item1_the_service_worker_and_the_script_are_javascript_revalidated_each_visit(app: TestApp) {
    app.seed().await;
    // Signed in too: the same bytes for everyone, never a cookie.
    let mut developer = Browser::signed_in(&app, "dev1@example.com").await;
    for path in ["/sw.js", "/static/app.js"] {
        for response in [app.send(req(Method::GET, path).empty()).await, developer.get(&app, path).await] {
            assert_eq!(response.status, StatusCode::OK, "{path}");
            assert_eq!(response.header(header::CONTENT_TYPE), Some("text/javascript; charset=utf-8"), "{path}");
            assert_eq!(response.header(header::CACHE_CONTROL), Some("no-cache"), "{path}");
            assert!(response.header(header::SET_COOKIE).is_none(), "{path} sets no cookie");
        }
    }
    let worker = app.send(req(Method::GET, "/sw.js").empty()).await.text();
    assert!(worker.contains("addEventListener('push'") && worker.contains("showNotification"), "the push handler");
    assert!(worker.contains("no-store"), "the worker reads Cache-Control before it keeps a page");
    // The offline page: the same for everyone, kept by the worker, in the asked language.
    for (lang, title) in [("ko", "오프라인 상태입니다"), ("en", "You are offline")] {
        let page = developer.get(&app, &format!("/offline?lang={lang}")).await;
        let html = page.assert_html(StatusCode::OK);
        assert_eq!(page.header(header::CACHE_CONTROL), Some("no-cache"));
        assert!(page.header(header::SET_COOKIE).is_none());
        assert!(html.contains(&format!("<html lang=\"{lang}\">")) && html.contains(title), "{html}");
        assert!(!html.contains("dev1@example.com") && !html.contains("name=\"csrf\""), "nobody's page: {html}");
    }
}

web_test!(item1_the_csp_runs_the_sites_own_scripts_only_and_pages_link_the_app);
async fn item1_the_csp_runs_the_sites_own_scripts_only_and_pages_link_the_app(app: TestApp) {
    app.seed().await;
    let mut developer = Browser::signed_in(&app, "dev1@example.com").await;
    let page = developer.get(&app, "/developer").await;
    let csp = page.header(header::CONTENT_SECURITY_POLICY).unwrap_or_default().to_owned();
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    for wanted in ["script-src 'self'", "worker-src 'self'", "manifest-src 'self'", "default-src 'self'"] {
        assert!(directives.contains(&wanted), "{wanted} in {csp}");
    }
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval") && !csp.contains("script-src 'none'"),
        "{csp}"
    );
    let html = page.assert_html(StatusCode::OK);
    assert!(html.contains("<link rel=\"manifest\" href=\"/manifest.webmanifest?lang=ko\">"), "{html}");
    assert!(html.contains("<script src=\"/static/app.js\" defer></script>"));
    assert!(html.contains("<meta name=\"theme-color\" content=\"#0b63ce\">"));
    assert!(html.contains("rel=\"apple-touch-icon\""));
    // Nothing inline: the only script is the file, no handler attributes.
    assert_eq!(html.matches("<script").count(), 1, "one script element");
    for handler in [" onclick=", " onload=", " onsubmit=", " onerror=", "javascript:"] {
        assert!(!html.contains(handler), "{handler} on the page");
    }
}

web_test!(item2_signing_out_clears_the_sites_cache_and_storage);
async fn item2_signing_out_clears_the_sites_cache_and_storage(app: TestApp) {
    app.seed().await;
    let mut developer = Browser::signed_in(&app, "dev1@example.com").await;
    let csrf = developer.csrf_on(&app, "/developer").await;
    let out = developer.post_form(&app, "/signout", &[("csrf", &csrf)]).await;
    out.assert_see_other("/");
    assert_eq!(out.header("clear-site-data"), Some("\"cache\", \"storage\""));
    assert_eq!(out.header(header::CACHE_CONTROL), Some("no-store"));
}

web_test!(item4_the_developer_home_lists_what_is_owed_first_one_tap_from_each_reply_box);
async fn item4_the_developer_home_lists_what_is_owed_first_one_tap_from_each_reply_box(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let thread = app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], true).await;
    let id = thread["id"].as_str().expect("id").to_owned();
    // R10: a 1-star review, unanswered; a 5-star one is not owed on the home.
    let low = json!({ "rating": 1, "text": "결제 후 아이템이 안 들어와요" });
    let path = format!("/api/v1/apps/{}/reviews/mine", fx.paid_app.id);
    let created = app.send(req(Method::PUT, &path).bearer(Some(&c1)).json(&low)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let review = created.json()["review"]["id"].as_str().expect("id").to_owned();
    let mut developer = Browser::signed_in(&app, "dev1@example.com").await;
    let home = developer.get(&app, "/developer").await.assert_html(StatusCode::OK);
    let owed = home.find("id=\"owed\"").expect("the owed section");
    let apps = home.find("id=\"seller-apps\"").unwrap_or(home.len());
    assert!(owed < home.find("id=\"inquiry-summary\"").expect("the counts") && owed < apps, "owed comes first");
    assert!(home.contains("data-owed-count=\"2\""), "the badge's count: an inquiry and a review: {home}");
    let review_link = format!("href=\"/developer/reviews?rating=1,2&#38;replied=false#reply-form-{review}\"");
    assert!(home.contains(&review_link), "the review's reply form, one tap: {home}");
    let inbox = developer.get(&app, "/developer/reviews?rating=1,2&replied=false").await.assert_html(StatusCode::OK);
    assert!(inbox.contains(&format!("id=\"reply-form-{review}\"")), "the anchor exists in the filtered inbox");
    assert!(home.contains(&format!("href=\"/inquiries/{id}#reply-form\"")), "one tap from the reply box: {home}");
    assert!(home.contains("href=\"/developer/reply-templates\""), "saved replies at hand");
    let thread_page = developer.get(&app, &format!("/inquiries/{id}")).await.assert_html(StatusCode::OK);
    assert!(thread_page.contains("id=\"reply-form\""), "the anchor exists");
}
