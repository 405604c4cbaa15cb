//! Where `next` may lead, the language switch as a form, and the visitor id that CSRF
//! tokens are bound to, rotated at sign-in and sign-out.

use axum::http::{Method, StatusCode, header};
use vocdesk_domain::locale::Locale;

use crate::support::browser::{Browser, hidden_input, signin_next};
use crate::support::{PASSWORD, TestApp, TestResponse, form_encode, many_sign_ins, req};

/// `next` values a browser would follow off the site, or that are not a path as
/// given: TAB, CR, LF (browsers drop them, so `/<TAB>/evil.example` is
/// `//evil.example`), backslashes (read as `/`), `//`, and what a second decoding
/// would turn into one of those.
const OFF_SITE: [&str; 17] = [
    "/\t/evil.example",
    "/\r/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " /evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "//evil.example",
    "https://evil.example/",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d/evil.example",
    "/%5c/evil.example",
    "/%2f/evil.example",
    "/%2F%2Fevil.example",
];

/// The same attacks written straight into a query string, percent-encoded once as a
/// link on another site would carry them.
const OFF_SITE_QUERIES: [&str; 8] = [
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0D/evil.example",
    "/%5c/evil.example",
    "/%5C%5Cevil.example",
    "/%2f/evil.example",
    "%2f%2fevil.example",
    "/%252f/evil.example",
];

#[track_caller]
fn assert_home(response: &TestResponse, home: &str, next: &str) {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{next:?}: {}", response.text());
    assert_eq!(response.header(header::LOCATION), Some(home), "{next:?} falls back to {home}");
}

// Three tests, one per door, each within the sign-in budget of one address (30 at
// once); the one that signs one account in 18 times raises the account's (item 19).

web_test!(a_next_that_a_browser_would_follow_off_the_site_is_not_carried_into_the_sign_in_form);
async fn a_next_that_a_browser_would_follow_off_the_site_is_not_carried_into_the_sign_in_form(app: TestApp) {
    app.seed().await;
    for next in OFF_SITE {
        let html = app.get(&format!("/signin?next={}", form_encode(next)), None).await.assert_html(StatusCode::OK);
        assert_eq!(signin_next(&html).as_deref(), Some(""), "{next:?} is not carried into the form");
    }
    for query in OFF_SITE_QUERIES {
        let html = app.get(&format!("/signin?next={query}"), None).await.assert_html(StatusCode::OK);
        assert_eq!(signin_next(&html).as_deref(), Some(""), "next={query} is not carried into the form");
    }
    // A path of the site, as given, is.
    let local = "/apps/x?y=1#my-review";
    let html = app.get(&format!("/signin?next={}", form_encode(local)), None).await.assert_html(StatusCode::OK);
    assert_eq!(signin_next(&html).as_deref(), Some(local));
}

web_test_with!(
    a_next_that_a_browser_would_follow_off_the_site_sends_the_sign_in_form_to_the_roles_home,
    many_sign_ins()
);
async fn a_next_that_a_browser_would_follow_off_the_site_sends_the_sign_in_form_to_the_roles_home(app: TestApp) {
    app.seed().await;
    let mut browser = Browser::default();
    let mut csrf = browser.csrf(&app).await;
    for next in OFF_SITE.iter().copied().chain(["/apps/x?y=1#my-review"]) {
        let form =
            [("csrf", csrf.as_str()), ("email", "customer1@example.com"), ("password", PASSWORD), ("next", next)];
        let home = if next.starts_with("/apps/") { next } else { "/my" };
        assert_home(&browser.post_form(&app, "/signin", &form).await, home, next);
        // Signing in gave the browser a new visitor: take its token from a page.
        csrf = browser.csrf_on(&app, "/my").await;
    }
}

web_test!(a_next_that_a_browser_would_follow_off_the_site_sends_the_language_switch_home);
async fn a_next_that_a_browser_would_follow_off_the_site_sends_the_language_switch_home(app: TestApp) {
    app.seed().await;
    let mut visitor = Browser::default();
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    for next in OFF_SITE {
        // The store's home for a visitor, the role's home when signed in.
        assert_home(&visitor.switch_language(&app, "en", next).await, "/", next);
        assert_home(&customer.switch_language(&app, "ko", next).await, "/my", next);
    }
    let local = "/apps/x?y=1#my-review";
    assert_home(&customer.switch_language(&app, "en", local).await, local, local);
}

web_test!(a_next_that_is_no_header_value_is_ignored_and_never_answers_500);
async fn a_next_that_is_no_header_value_is_ignored_and_never_answers_500(app: TestApp) {
    app.seed().await;
    for next in ["/a\nb", "/a\rb", "/a\u{0}b", "/a\u{7f}b", "/앱"] {
        let encoded = form_encode(next);
        let html = app.get(&format!("/signin?next={encoded}"), None).await.assert_html(StatusCode::OK);
        assert_eq!(signin_next(&html).as_deref(), Some(""), "{next:?}");
        assert_home(&Browser::default().sign_in(&app, "customer1@example.com", next).await, "/my", next);
        assert_home(&Browser::default().switch_language(&app, "en", next).await, "/", next);
    }
    // The sign-in redirect of a page asked with such a query encodes it.
    let response = app.get("/my?x=%0A", None).await;
    response.assert_see_other("/signin?next=/my%3Fx%3D%250A");
}

web_test!(a_get_of_the_old_language_link_changes_nothing);
async fn a_get_of_the_old_language_link_changes_nothing(app: TestApp) {
    let fx = app.seed().await;
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let locale = app.store.user(&fx.customer1.id).await.expect("read").expect("user").locale;
    let audited = app.audit_log().await.len();
    for link in ["/lang/en?next=/my", "/lang/ko?next=/my", "/lang/en"] {
        // A link on another site, followed by a signed-in customer.
        let response = customer.get(&app, link).await;
        response.assert_html(StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(response.set_cookie("vd_lang"), None, "{link} sets no language");
    }
    assert_eq!(app.store.user(&fx.customer1.id).await.expect("read").expect("user").locale, locale);
    assert_eq!(app.audit_log().await.len(), audited, "nothing was audited");
    assert_eq!(customer.cookie("vd_lang"), None);
}

web_test!(the_language_switch_is_a_post_form_that_needs_the_visitors_csrf_token);
async fn the_language_switch_is_a_post_form_that_needs_the_visitors_csrf_token(app: TestApp) {
    let fx = app.seed().await;
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    customer.switch_language(&app, "ko", "/my").await.assert_see_other("/my");
    let html = customer.get(&app, "/my").await.assert_html(StatusCode::OK);
    // A form with a button, not a link, and it works without JavaScript.
    assert!(html.contains("<form method=\"post\" action=\"/lang/en\""), "{html}");
    assert!(html.contains("id=\"lang-en\"") && !html.contains("href=\"/lang/"), "no language link is left");
    assert!(html.contains("name=\"next\" value=\"/my\""), "it comes back here");

    let audited = app.audit_log().await.len();
    let mut other = Browser::default();
    let others = other.form_token(&app).await;
    for csrf in ["", "forged", others.as_str()] {
        let response = customer.post_form(&app, "/lang/en", &[("csrf", csrf), ("next", "/my")]).await;
        response.assert_html(StatusCode::FORBIDDEN);
        assert_eq!(response.set_cookie("vd_lang"), None, "csrf {csrf:?} changes nothing");
    }
    let user = app.store.user(&fx.customer1.id).await.expect("read").expect("user");
    assert_eq!((user.locale, app.audit_log().await.len()), (Locale::Ko, audited), "refused forms change nothing");

    let csrf = hidden_input(&html, "csrf").expect("the form's token");
    customer.post_form(&app, "/lang/en", &[("csrf", &csrf), ("next", "/my")]).await.assert_see_other("/my");
    assert_eq!(customer.cookie("vd_lang"), Some("en"));
    assert_eq!(app.store.user(&fx.customer1.id).await.expect("read").expect("user").locale, Locale::En);
    assert!(customer.get(&app, "/my").await.assert_html(StatusCode::OK).contains("<html lang=\"en\">"));
}

/// The refusal of a form whose token is not this visitor's.
#[track_caller]
fn assert_csrf_refused(response: &TestResponse) {
    let html = response.assert_html(StatusCode::FORBIDDEN);
    let message = vocdesk_web::i18n::text(Locale::Ko, "error-csrf");
    assert!(html.contains(&message), "the usual CSRF refusal page: {html}");
}

web_test!(signing_in_rotates_the_visitor_so_a_form_rendered_before_is_refused);
async fn signing_in_rotates_the_visitor_so_a_form_rendered_before_is_refused(app: TestApp) {
    app.seed().await;
    let mut browser = Browser::default();
    let before = browser.csrf(&app).await;
    let visitor = browser.cookie("vd_visitor").expect("a visitor").to_owned();
    let form = [("csrf", before.as_str()), ("email", "customer1@example.com"), ("password", PASSWORD)];
    let signed_in = browser.post_form(&app, "/signin", &form).await;
    signed_in.assert_see_other("/my");
    assert!(signed_in.set_cookie("vd_visitor").is_some_and(|v| v != visitor), "a new visitor id at sign-in");

    // A form rendered before sign-in (here: the sign-out form of that page's token).
    assert_csrf_refused(&browser.post_form(&app, "/signout", &[("csrf", &before)]).await);
    assert_csrf_refused(&browser.post_form(&app, "/lang/en", &[("csrf", &before), ("next", "/my")]).await);
    // The new page's form works.
    let after = browser.csrf_on(&app, "/my").await;
    assert_ne!(after, before);
    browser.post_form(&app, "/lang/en", &[("csrf", &after), ("next", "/my")]).await.assert_see_other("/my");
    browser.post_form(&app, "/signout", &[("csrf", &after)]).await.assert_see_other("/");
}

web_test!(signing_out_rotates_the_visitor_so_a_form_of_the_session_is_refused);
async fn signing_out_rotates_the_visitor_so_a_form_of_the_session_is_refused(app: TestApp) {
    app.seed().await;
    let mut browser = Browser::signed_in(&app, "customer1@example.com").await;
    let during = browser.csrf_on(&app, "/my").await;
    let visitor = browser.cookie("vd_visitor").expect("a visitor").to_owned();
    let signed_out = browser.post_form(&app, "/signout", &[("csrf", &during)]).await;
    signed_out.assert_see_other("/");
    assert!(signed_out.set_cookie("vd_visitor").is_some_and(|v| v != visitor), "a new visitor id at sign-out");

    // The session's token no longer signs anyone in on this browser.
    let form = [("csrf", during.as_str()), ("email", "customer1@example.com"), ("password", PASSWORD)];
    let refused = browser.post_form(&app, "/signin", &form).await;
    assert_csrf_refused(&refused);
    assert!(refused.set_cookie("vd_session").is_none(), "no session");
    // The new sign-in page works.
    browser.sign_in(&app, "customer1@example.com", "").await.assert_see_other("/my");
    let replay = app.send(req(Method::GET, "/my").cookies(&browser.pairs()).empty()).await;
    replay.assert_html(StatusCode::OK);
}
