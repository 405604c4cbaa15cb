//! Issue 12, item 12: a signed-in user's pages follow the language kept on their
//! account (over the browser's Accept-Language and a cookie from an earlier visit); the
//! header's switch changes that page language only; the mail language (R3) is a setting
//! of its own, changed on the settings page or `PATCH /api/v1/me`, audited; every
//! change is a POST with CSRF.

use axum::http::{Method, StatusCode};
use serde_json::json;
use vocdesk_domain::account::User;
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::locale::Locale;
use vocdesk_store::Acting;

use crate::support::browser::{Browser, hidden_input};
use crate::support::{Fixture, PASSWORD, TestApp, req};

async fn stored(app: &TestApp, user: &User) -> User {
    app.store.user(&user.id).await.expect("read the user").expect("the user exists")
}

/// Customer 1 asks seller 1 through the API; dev1 answers; returns the language of the
/// reply's mail to the customer.
async fn mail_language_of_a_reply(app: &TestApp, fx: &Fixture) -> Locale {
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let thread =
        app.ask(&c1, &fx.paid_app, &json!({ "category": "question", "subject": "Hello", "body": "A question" })).await;
    let id = thread["id"].as_str().expect("an id").to_owned();
    app.write(&dev1, &id, "An answer").await;
    let mails = app.mails_of_kind("developer_reply").await;
    let to_customer = mails.iter().find(|m| m.mail.to_email == fx.customer1.email).expect("the reply's mail");
    to_customer.mail.locale
}

web_test!(item12_an_english_account_signing_in_from_a_korean_browser_gets_english_pages);
async fn item12_an_english_account_signing_in_from_a_korean_browser_gets_english_pages(app: TestApp) {
    let fx = app.seed().await;
    let system = Acting { actor: AuditActor::system("test-fixture"), channel: Channel::Cli };
    app.store.set_user_locale(&fx.customer2.id, Locale::En, &system, app.now()).await.expect("set the page language");
    // A Korean browser, which also switched to Korean before signing in.
    let mut browser = Browser::with_header("accept-language", "ko-KR,ko;q=0.9");
    browser.switch_language(&app, "ko", "/").await.assert_see_other("/");
    assert_eq!(browser.cookie("vd_lang"), Some("ko"));
    let signin = browser.get(&app, "/signin").await.assert_html(StatusCode::OK);
    assert!(signin.contains("<html lang=\"ko\">"), "a visitor reads the browser's language");
    let csrf = hidden_input(&signin, "csrf").expect("a token");
    let form = [("csrf", csrf.as_str()), ("email", "customer2@example.com"), ("password", PASSWORD)];
    browser.post_form(&app, "/signin", &form).await.assert_see_other("/my");

    let my = browser.get(&app, "/my").await.assert_html(StatusCode::OK);
    assert!(my.contains("<html lang=\"en\">") && my.contains("My inquiries"), "{my}");
    let missing = browser.get(&app, "/apps/no-such-app").await.assert_html(StatusCode::NOT_FOUND);
    assert!(missing.contains("<html lang=\"en\">"), "error pages too");
    let home = browser.get(&app, "/").await.assert_html(StatusCode::OK);
    assert!(home.contains("<html lang=\"en\">"));

    // Signed out, the browser's own choice again.
    let csrf = hidden_input(&home, "csrf").expect("the sign-out form's token");
    browser.post_form(&app, "/signout", &[("csrf", &csrf)]).await.assert_see_other("/");
    assert!(browser.get(&app, "/").await.assert_html(StatusCode::OK).contains("<html lang=\"ko\">"));
    // A Korean account on an English browser reads Korean.
    let mut english = Browser::with_header("accept-language", "en");
    let csrf = english.csrf(&app).await;
    let form = [("csrf", csrf.as_str()), ("email", "customer1@example.com"), ("password", PASSWORD)];
    english.post_form(&app, "/signin", &form).await.assert_see_other("/my");
    assert!(english.get(&app, "/my").await.assert_html(StatusCode::OK).contains("<html lang=\"ko\">"));
}

web_test!(item12_the_header_switch_changes_the_page_language_and_never_the_mail_language);
async fn item12_the_header_switch_changes_the_page_language_and_never_the_mail_language(app: TestApp) {
    let fx = app.seed().await;
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    customer.switch_language(&app, "en", "/my").await.assert_see_other("/my");
    let user = stored(&app, &fx.customer1).await;
    assert_eq!((user.locale, user.mail_locale), (Locale::En, Locale::Ko));
    assert_eq!(app.audited("user.locale_changed").await, 1, "audited");
    assert_eq!(app.audited("user.mail_locale_changed").await, 0);
    assert!(customer.get(&app, "/my").await.assert_html(StatusCode::OK).contains("<html lang=\"en\">"));
    assert_eq!(mail_language_of_a_reply(&app, &fx).await, Locale::Ko, "the next mail is still Korean");
}

web_test!(item12_the_settings_form_changes_the_mail_language_and_leaves_the_pages_alone);
async fn item12_the_settings_form_changes_the_mail_language_and_leaves_the_pages_alone(app: TestApp) {
    let fx = app.seed().await;
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let page = customer.get(&app, "/settings").await.assert_html(StatusCode::OK);
    assert!(page.contains("메일 언어") && page.contains("id=\"settings-mail-locale\""), "{page}");
    let csrf = hidden_input(&page, "csrf").expect("the form's token");
    let form = [("csrf", csrf.as_str()), ("page_locale", "ko"), ("mail_locale", "en")];
    customer.post_form(&app, "/settings", &form).await.assert_see_other("/settings?saved=1");
    let user = stored(&app, &fx.customer1).await;
    assert_eq!((user.locale, user.mail_locale), (Locale::Ko, Locale::En));
    assert_eq!(app.audited("user.mail_locale_changed").await, 1, "audited");
    assert_eq!(app.audited("user.locale_changed").await, 0, "the pages' language did not change");
    let saved = customer.get(&app, "/settings?saved=1").await.assert_html(StatusCode::OK);
    assert!(saved.contains("<html lang=\"ko\">") && saved.contains("id=\"settings-saved\""));
    let mail_select = saved.split("id=\"settings-mail-locale\"").nth(1).expect("the mail select");
    assert!(mail_select.contains("<option value=\"en\" selected>"), "{mail_select}");
    assert!(customer.get(&app, "/my").await.assert_html(StatusCode::OK).contains("<html lang=\"ko\">"));
    assert_eq!(mail_language_of_a_reply(&app, &fx).await, Locale::En, "the next mail is English");

    // Saving the same again changes and records nothing.
    let audited = app.audit_log().await.len();
    customer.post_form(&app, "/settings", &form).await.assert_see_other("/settings?saved=1");
    assert_eq!(app.audit_log().await.len(), audited);

    // Every role reaches it from the header; a visitor is sent to sign in.
    for email in ["dev1@example.com", "operator@example.com", "customer2@example.com"] {
        let mut browser = Browser::signed_in(&app, email).await;
        let home = browser.get(&app, "/").await.assert_html(StatusCode::OK);
        assert!(home.contains("href=\"/settings\""), "{email}: a link in the header");
        browser.get(&app, "/settings").await.assert_html(StatusCode::OK);
    }
    app.get("/settings", None).await.assert_see_other("/signin?next=/settings");
}

web_test!(item12_language_changes_without_the_visitors_csrf_token_or_with_a_bad_value_change_nothing);
async fn item12_language_changes_without_the_visitors_csrf_token_or_with_a_bad_value_change_nothing(app: TestApp) {
    let fx = app.seed().await;
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let csrf = customer.csrf_on(&app, "/settings").await;
    let mut other = Browser::default();
    let others = other.form_token(&app).await;
    let before = (app.counts(&fx).await, stored(&app, &fx.customer1).await);
    for token in ["", "forged", others.as_str()] {
        let form = [("csrf", token), ("page_locale", "en"), ("mail_locale", "en")];
        customer.post_form(&app, "/settings", &form).await.assert_html(StatusCode::FORBIDDEN);
        customer
            .post_form(&app, "/lang/en", &[("csrf", token), ("next", "/my")])
            .await
            .assert_html(StatusCode::FORBIDDEN);
    }
    for form in [
        vec![("csrf", csrf.as_str()), ("page_locale", "en"), ("mail_locale", "fr")],
        vec![("csrf", csrf.as_str()), ("page_locale", "EN"), ("mail_locale", "en")],
        vec![("csrf", csrf.as_str()), ("mail_locale", "en")],
    ] {
        customer.post_form(&app, "/settings", &form).await.assert_html(StatusCode::BAD_REQUEST);
    }
    // A visitor's form is sent to sign in and changes nothing either.
    let mut visitor = Browser::default();
    let token = visitor.form_token(&app).await;
    let form = [("csrf", token.as_str()), ("page_locale", "en"), ("mail_locale", "en")];
    visitor.post_form(&app, "/settings", &form).await.assert_see_other("/signin?next=/settings");
    assert_eq!((app.counts(&fx).await, stored(&app, &fx.customer1).await), before, "nothing changed");
}

web_test!(item12_patch_me_changes_each_language_apart_and_refuses_a_bad_one);
async fn item12_patch_me_changes_each_language_apart_and_refuses_a_bad_one(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let patch = |body: serde_json::Value| req(Method::PATCH, "/api/v1/me").bearer(Some(&c1)).json(&body);
    let response = app.send(patch(json!({ "mail_locale": "en" }))).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!((response.json()["locale"].clone(), response.json()["mail_locale"].clone()), (json!("ko"), json!("en")));
    assert_eq!(app.get("/api/v1/me", Some(&c1)).await.json()["mail_locale"], "en");
    assert_eq!(mail_language_of_a_reply(&app, &fx).await, Locale::En);

    let before = (app.counts(&fx).await, stored(&app, &fx.customer1).await);
    let bad = app.send(patch(json!({ "locale": "fr", "mail_locale": "ko" }))).await;
    let problem = bad.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert!(problem.to_string().contains("unknown_locale"), "{problem}");
    let unknown = app.send(patch(json!({ "language": "ko" }))).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.text());
    assert_eq!((app.counts(&fx).await, stored(&app, &fx.customer1).await), before, "nothing changed");

    let response = app.send(patch(json!({ "locale": "en" }))).await;
    assert_eq!(response.json()["locale"], "en");
    assert_eq!(stored(&app, &fx.customer1).await.mail_locale, Locale::En, "the mail language kept");
}
