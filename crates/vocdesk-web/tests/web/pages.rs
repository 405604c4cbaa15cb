//! The server-rendered pages, through the same router: escaping, sign-in with CSRF,
//! sessions, role checks, the language switch and redirects that stay on the site.

use axum::http::{Method, StatusCode};

use crate::support::browser::{Browser, hidden_input, signin_next};
use crate::support::{PASSWORD, TestApp, req};

web_test!(the_home_page_lists_apps);
async fn the_home_page_lists_apps(app: TestApp) {
    let fx = app.seed().await;
    let html = app.get("/", None).await.assert_html(StatusCode::OK);
    for listed in [&fx.paid_app, &fx.free_app] {
        assert!(html.contains(&listed.title), "{} listed", listed.title);
        assert!(html.contains(&format!("href=\"/apps/{}\"", listed.id)), "a link to {}", listed.title);
    }
    assert!(html.contains("<html lang=\"ko\">"), "Korean by default");
}

/// `<b>x</b>` as askama escapes it: numeric character references (`&#60;`), which a
/// browser reads exactly like `&lt;`.
const ESCAPED_TITLE: &str = "&#60;b&#62;x&#60;/b&#62;";

web_test!(an_app_page_escapes_the_title);
async fn an_app_page_escapes_the_title(app: TestApp) {
    let fx = app.seed().await;
    let hostile = app.app(&fx.seller1, "<b>x</b>", None).await;
    let html = app.get(&format!("/apps/{}", hostile.id), None).await.assert_html(StatusCode::OK);
    assert!(html.contains(&format!("<h1>{ESCAPED_TITLE}</h1>")), "the title is shown, escaped");
    assert!(html.contains(&format!("<title>{ESCAPED_TITLE} ·")), "in <title> too");
    assert!(!html.contains("<b>x</b>"), "the title is never markup");
    let home = app.get("/", None).await.assert_html(StatusCode::OK);
    assert!(home.contains(ESCAPED_TITLE) && !home.contains("<b>x</b>"));
    // The API returns the same title verbatim: escaping is the page's business.
    let api = app.get(&format!("/api/v1/apps/{}", hostile.id), None).await.json();
    assert_eq!(api["title"], "<b>x</b>");

    let paid = app.get(&format!("/apps/{}", fx.paid_app.id), None).await.assert_html(StatusCode::OK);
    assert!(paid.contains("Hint pack") && paid.contains("₩1,200"));
    app.get("/apps/no-such-app", None).await.assert_html(StatusCode::NOT_FOUND);
}

web_test!(my_page_without_a_session_redirects_to_sign_in);
async fn my_page_without_a_session_redirects_to_sign_in(app: TestApp) {
    app.seed().await;
    let response = app.get("/my", None).await;
    // `percent_encode` keeps `/`, which a query value may hold as it is.
    response.assert_see_other("/signin?next=/my");
    app.get("/operator", None).await.assert_see_other("/signin?next=/operator");
    app.get("/developer?cursor=a&x=1", None).await.assert_see_other("/signin?next=/developer%3Fcursor%3Da%26x%3D1");
    // The sign-in page carries `next` into its form.
    let html = app.get("/signin?next=%2Fmy", None).await.assert_html(StatusCode::OK);
    assert_eq!(signin_next(&html).as_deref(), Some("/my"));
}

web_test!(web_sign_in_needs_the_visitors_csrf_token);
async fn web_sign_in_needs_the_visitors_csrf_token(app: TestApp) {
    let fx = app.seed().await;
    let before = app.counts(&fx).await;
    let mut browser = Browser::default();
    let csrf = browser.csrf(&app).await;
    let credentials = [("email", "customer1@example.com"), ("password", PASSWORD)];

    // Without a token, with an empty one, with a wrong one, and with another
    // visitor's: 403, and no session.
    let mut other = Browser::default();
    let others = other.csrf(&app).await;
    let attempts: [Vec<(&str, &str)>; 4] = [
        credentials.to_vec(),
        [&[("csrf", "")][..], &credentials].concat(),
        [&[("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")][..], &credentials].concat(),
        [&[("csrf", others.as_str())][..], &credentials].concat(),
    ];
    for form in &attempts {
        let response = browser.post_form(&app, "/signin", form).await;
        response.assert_html(StatusCode::FORBIDDEN);
        assert!(response.set_cookie("vd_session").is_none(), "no session for {form:?}");
    }
    // A session-less browser (no visitor cookie) cannot reuse a token either.
    let stranger =
        app.send(req(Method::POST, "/signin").form(&[&[("csrf", csrf.as_str())][..], &credentials].concat())).await;
    stranger.assert_html(StatusCode::FORBIDDEN);
    assert!(stranger.set_cookie("vd_session").is_none());
    assert_eq!(app.counts(&fx).await, before, "no session token was issued");

    // With the token: 303 to the customer's home and a session cookie.
    let response = browser.post_form(&app, "/signin", &[&[("csrf", csrf.as_str())][..], &credentials].concat()).await;
    response.assert_see_other("/my");
    assert!(browser.cookie("vd_session").is_some(), "a vd_session cookie");
    let set = response
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("vd_session="))
        .expect("set-cookie")
        .to_owned();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"), "{set}");
}

web_test!(a_wrong_password_on_the_form_is_401_without_a_session);
async fn a_wrong_password_on_the_form_is_401_without_a_session(app: TestApp) {
    app.seed().await;
    let mut browser = Browser::default();
    let csrf = browser.csrf(&app).await;
    let response = browser
        .post_form(
            &app,
            "/signin",
            &[("csrf", &csrf), ("email", "customer1@example.com"), ("password", "wrong-password")],
        )
        .await;
    let html = response.assert_html(StatusCode::UNAUTHORIZED);
    assert!(html.contains("id=\"signin-error\""));
    assert!(html.contains("value=\"customer1@example.com\""), "the email is kept");
    assert!(browser.cookie("vd_session").is_none());
}

web_test!(my_page_shows_only_the_customers_own_purchases);
async fn my_page_shows_only_the_customers_own_purchases(app: TestApp) {
    let fx = app.seed().await;
    let mut browser = Browser::default();
    browser.sign_in(&app, "customer1@example.com", "").await.assert_see_other("/my");
    let html = browser.get(&app, "/my").await.assert_html(StatusCode::OK);
    for own in &fx.customer1_purchases {
        assert!(
            html.contains(&format!("<code>{}</code>", own.purchase.payment.tid)),
            "{} shown",
            own.purchase.payment.tid
        );
    }
    for theirs in &fx.customer2_purchases {
        assert!(!html.contains(&theirs.purchase.payment.tid), "{} of customer 2 leaked", theirs.purchase.payment.tid);
    }
    assert!(html.contains("C-0001") && !html.contains("C-0002"));
    assert!(html.contains("data-user=\"customer1@example.com\""));
}

web_test!(pages_refuse_the_wrong_role);
async fn pages_refuse_the_wrong_role(app: TestApp) {
    app.seed().await;
    let mut developer = Browser::default();
    developer.sign_in(&app, "dev1@example.com", "").await.assert_see_other("/developer");
    developer.get(&app, "/my").await.assert_html(StatusCode::FORBIDDEN);
    developer.get(&app, "/operator").await.assert_html(StatusCode::FORBIDDEN);
    let own = developer.get(&app, "/developer").await.assert_html(StatusCode::OK);
    assert!(own.contains("Paid Puzzle") && !own.contains("Free Notes"), "only seller 1's apps");

    let mut customer = Browser::default();
    customer.sign_in(&app, "customer1@example.com", "").await.assert_see_other("/my");
    customer.get(&app, "/operator").await.assert_html(StatusCode::FORBIDDEN);
    customer.get(&app, "/developer").await.assert_html(StatusCode::FORBIDDEN);

    let mut operator = Browser::default();
    operator.sign_in(&app, "operator@example.com", "").await.assert_see_other("/operator");
    operator.get(&app, "/operator").await.assert_html(StatusCode::OK);
    operator.get(&app, "/my").await.assert_html(StatusCode::FORBIDDEN);
}

web_test!(sign_out_needs_csrf_and_ends_the_session);
async fn sign_out_needs_csrf_and_ends_the_session(app: TestApp) {
    app.seed().await;
    let mut browser = Browser::default();
    browser.sign_in(&app, "customer1@example.com", "").await.assert_see_other("/my");
    let html = browser.get(&app, "/my").await.assert_html(StatusCode::OK);
    let csrf = hidden_input(&html, "csrf").expect("the sign-out form's csrf");
    let session = browser.cookie("vd_session").expect("session").to_owned();

    browser.post_form(&app, "/signout", &[("csrf", "wrong")]).await.assert_html(StatusCode::FORBIDDEN);
    browser.get(&app, "/my").await.assert_html(StatusCode::OK);

    browser.post_form(&app, "/signout", &[("csrf", &csrf)]).await.assert_see_other("/");
    // Even a copy of the old cookie no longer works: the token was revoked.
    let replay = app
        .send(
            req(Method::GET, "/my")
                .cookies(&[("vd_visitor", browser.cookie("vd_visitor").unwrap_or_default()), ("vd_session", &session)])
                .empty(),
        )
        .await;
    replay.assert_see_other("/signin?next=/my");
}

web_test!(a_web_session_expires_after_its_ttl);
async fn a_web_session_expires_after_its_ttl(app: TestApp) {
    app.seed().await;
    let mut browser = Browser::default();
    browser.sign_in(&app, "customer1@example.com", "").await.assert_see_other("/my");
    browser.get(&app, "/my").await.assert_html(StatusCode::OK);
    app.clock.advance(app.config.session_ttl + jiff::SignedDuration::from_secs(1));
    browser.get(&app, "/my").await.assert_see_other("/signin?next=/my");
    // A session cookie is not an API token.
    let session = browser.cookie("vd_session").expect("session").to_owned();
    app.get("/api/v1/me", Some(&session)).await.assert_unauthenticated();
}

web_test!(the_language_switch_sets_vd_lang);
async fn the_language_switch_sets_vd_lang(app: TestApp) {
    app.seed().await;
    let mut browser = Browser::default();
    let response = browser.switch_language(&app, "en", "/").await;
    response.assert_see_other("/");
    assert_eq!(browser.cookie("vd_lang"), Some("en"));
    let html = browser.get(&app, "/").await.assert_html(StatusCode::OK);
    assert!(html.contains("<html lang=\"en\">"), "English after the switch");

    let response = browser.switch_language(&app, "ko", "/signin").await;
    response.assert_see_other("/signin");
    assert_eq!(browser.cookie("vd_lang"), Some("ko"));
    // The cookie wins over the browser's Accept-Language.
    let pairs = browser.pairs();
    let html = app.send(req(Method::GET, "/").cookies(&pairs).header("accept-language", "en").empty()).await;
    assert!(html.assert_html(StatusCode::OK).contains("<html lang=\"ko\">"));

    // Without the cookie, Accept-Language decides.
    let en = app.send(req(Method::GET, "/").header("accept-language", "en-US,en;q=0.8").empty()).await;
    assert!(en.assert_html(StatusCode::OK).contains("<html lang=\"en\">"));

    browser.switch_language(&app, "fr", "/").await.assert_html(StatusCode::NOT_FOUND);
}

web_test!(redirects_never_leave_the_site);
async fn redirects_never_leave_the_site(app: TestApp) {
    app.seed().await;
    for next in ["//evil.example", "https://evil.example/", "//evil.example/my", "/\\evil.example", "evil.example"] {
        let encoded = crate::support::form_encode(next);
        let response = Browser::default().switch_language(&app, "en", next).await;
        response.assert_see_other("/");

        let html = app.get(&format!("/signin?next={encoded}"), None).await.assert_html(StatusCode::OK);
        assert_eq!(signin_next(&html).as_deref(), Some(""), "{next} is not carried into the form");

        let mut browser = Browser::default();
        browser.sign_in(&app, "customer1@example.com", next).await.assert_see_other("/my");
    }
    // A local `next` is followed.
    let mut browser = Browser::default();
    browser.sign_in(&app, "customer1@example.com", "/apps/x?y=1").await.assert_see_other("/apps/x?y=1");
}

web_test!(malformed_forms_and_wrong_methods_get_error_pages_not_plain_text);
async fn malformed_forms_and_wrong_methods_get_error_pages_not_plain_text(app: TestApp) {
    let fx = app.seed().await;
    let before = app.counts(&fx).await;
    let mut browser = Browser::default();
    let csrf = browser.csrf(&app).await;
    // A sign-in form without its password field.
    let response =
        browser.post_form(&app, "/signin", &[("csrf", csrf.as_str()), ("email", "customer1@example.com")]).await;
    let html = response.assert_html(StatusCode::BAD_REQUEST);
    assert!(html.contains("id=\"error-message\""), "{html}");
    // A page path asked with the wrong method.
    let wrong = app.send(req(Method::POST, "/").form(&[("csrf", csrf.as_str())])).await;
    wrong.assert_html(StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(app.counts(&fx).await, before, "nothing was written");
}

web_test!(error_pages_keep_the_signed_in_header_and_language);
async fn error_pages_keep_the_signed_in_header_and_language(app: TestApp) {
    app.seed().await;
    let mut customer = Browser::default();
    customer.sign_in(&app, "customer1@example.com", "").await.assert_see_other("/my");
    for (path, status) in [("/operator", StatusCode::FORBIDDEN), ("/no-such-page", StatusCode::NOT_FOUND)] {
        let html = customer.get(&app, path).await.assert_html(status);
        assert!(html.contains("data-user=\"customer1@example.com\""), "{path} shows who is signed in: {html}");
        assert!(html.contains("id=\"signout\""), "{path} offers sign-out");
    }
    customer.switch_language(&app, "ko", "/").await;
    let html = customer.get(&app, "/apps/no-such-app").await.assert_html(StatusCode::NOT_FOUND);
    assert!(html.contains("<html lang=\"ko\">") && html.contains("페이지가 없거나"), "{html}");
}
