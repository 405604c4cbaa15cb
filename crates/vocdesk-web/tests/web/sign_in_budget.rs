//! Item 19: one sign-in budget per client address and one per account (the email as
//! typed, known or not), shared by the API's `POST /api/v1/auth/login` and the page's
//! `POST /signin`, and by every server process on one database, since the store keeps
//! it. A refused attempt is a 429 with `Retry-After`, in the client's language, before
//! any password is checked: even the right one waits, and nothing else changes.

use axum::http::{Method, StatusCode, header};
use jiff::SignedDuration;
use serde_json::json;

use crate::support::browser::Browser;
use crate::support::{PASSWORD, TestApp, TestResponse, req};

const WRONG: &str = "not-the-password";

/// One API sign-in from `peer` (`ip:port`, the connection's address).
async fn api(app: &TestApp, peer: &str, email: &str, password: &str) -> TestResponse {
    let body = json!({ "email": email, "password": password });
    app.send(req(Method::POST, "/api/v1/auth/login").peer(peer).header("accept-language", "en").json(&body)).await
}

/// A visitor of the sign-in page: a browser with its CSRF token.
struct Visitor {
    browser: Browser,
    csrf: String,
}

impl Visitor {
    async fn new(app: &TestApp) -> Visitor {
        let mut browser = Browser::default();
        let csrf = browser.csrf(app).await;
        Visitor { browser, csrf }
    }

    /// One sign-in through the form from `peer`, in `lang`.
    async fn sign_in(&self, app: &TestApp, peer: &str, email: &str, password: &str, lang: &str) -> TestResponse {
        let form = [("csrf", self.csrf.as_str()), ("email", email), ("password", password), ("next", "")];
        app.send(
            req(Method::POST, "/signin")
                .peer(peer)
                .header("accept-language", lang)
                .cookies(&self.browser.pairs())
                .form(&form),
        )
        .await
    }
}

#[track_caller]
fn assert_api_refused(response: &TestResponse, wait: &str) {
    response.assert_problem(StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
    assert_eq!(response.header(header::RETRY_AFTER), Some(wait), "Retry-After");
}

/// The sign-in form again, 429, saying how long to wait, with the email kept.
#[track_caller]
fn assert_page_refused(response: &TestResponse, wait: &str) -> String {
    let html = response.assert_html(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.header(header::RETRY_AFTER), Some(wait), "Retry-After");
    assert!(html.contains("id=\"signin-form\""), "the form is shown again: {html}");
    assert!(html.contains("id=\"signin-throttled\""), "the page says to wait: {html}");
    assert!(!html.contains("id=\"signin-error\""), "a refused attempt is not called a wrong password");
    assert!(response.set_cookie("vd_session").is_none(), "no session");
    html
}

web_test!(item19_attempts_on_the_page_and_on_the_api_spend_one_account_budget);
async fn item19_attempts_on_the_page_and_on_the_api_spend_one_account_budget(app: TestApp) {
    app.seed().await;
    let visitor = Visitor::new(&app).await;
    let email = "customer1@example.com";
    for _ in 0..5 {
        visitor.sign_in(&app, "203.0.113.1:4000", email, WRONG, "en").await.assert_html(StatusCode::UNAUTHORIZED);
        api(&app, "203.0.113.1:4000", email, WRONG)
            .await
            .assert_problem(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    // Ten attempts spent the account's ten, five at each door: both doors refuse now.
    assert_api_refused(&api(&app, "203.0.113.1:4000", email, WRONG).await, "60");
    let html = assert_page_refused(&visitor.sign_in(&app, "203.0.113.1:4000", email, WRONG, "en").await, "60");
    assert!(html.contains("Wait 60 seconds"), "{html}");
    assert!(html.contains("value=\"customer1@example.com\""), "the email is kept");
    // A minute later one attempt fits again, on either door.
    app.clock.advance(SignedDuration::from_mins(1));
    let signed_in = visitor.sign_in(&app, "203.0.113.1:4000", email, PASSWORD, "en").await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "{}", signed_in.text());
    assert_api_refused(&api(&app, "203.0.113.1:4000", email, PASSWORD).await, "60");
}

web_test!(item19_the_address_budget_is_spent_by_both_doors_whatever_the_account);
async fn item19_the_address_budget_is_spent_by_both_doors_whatever_the_account(app: TestApp) {
    app.seed().await;
    let visitor = Visitor::new(&app).await;
    let guesser = "198.51.100.7:5123";
    for n in 0..15 {
        let page = visitor.sign_in(&app, guesser, &format!("page{n}@example.com"), WRONG, "en").await;
        page.assert_html(StatusCode::UNAUTHORIZED);
        let api = api(&app, guesser, &format!("api{n}@example.com"), WRONG).await;
        api.assert_problem(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    // Thirty attempts from one address on thirty accounts: the address waits 2 s, on
    // both doors, even for an account it never tried and the right password.
    assert_api_refused(&api(&app, guesser, "customer2@example.com", PASSWORD).await, "2");
    assert_page_refused(&visitor.sign_in(&app, guesser, "customer2@example.com", PASSWORD, "en").await, "2");
    // Another port of the same host is the same address; another address is not.
    assert_api_refused(&api(&app, "198.51.100.7:6000", "customer2@example.com", PASSWORD).await, "2");
    assert_eq!(api(&app, "198.51.100.8:5123", "customer2@example.com", PASSWORD).await.status, StatusCode::OK);
}

web_test!(item19_the_account_budget_holds_across_client_addresses);
async fn item19_the_account_budget_holds_across_client_addresses(app: TestApp) {
    app.seed().await;
    let visitor = Visitor::new(&app).await;
    // Ten addresses, one guess each, the email typed in ways sign-in reads as one.
    let typed = ["customer1@example.com", "Customer1@Example.com", " CUSTOMER1@example.com "];
    for n in 0..10 {
        let peer = format!("192.0.2.{n}:40000");
        let email = typed[n % typed.len()];
        if n % 2 == 0 {
            api(&app, &peer, email, WRONG).await.assert_problem(StatusCode::UNAUTHORIZED, "invalid_credentials");
        } else {
            visitor.sign_in(&app, &peer, email, WRONG, "en").await.assert_html(StatusCode::UNAUTHORIZED);
        }
    }
    // An eleventh address with the right password is refused: the account waits.
    assert_api_refused(&api(&app, "192.0.2.200:40000", "customer1@example.com", PASSWORD).await, "60");
    assert_page_refused(
        &visitor.sign_in(&app, "[2001:db8::1]:443", "customer1@example.com", PASSWORD, "en").await,
        "60",
    );
    // Another account from the same addresses is not.
    assert_eq!(api(&app, "192.0.2.0:40000", "customer2@example.com", PASSWORD).await.status, StatusCode::OK);
    // An account that does not exist is budgeted the same way, so the answer says
    // nothing about which accounts exist.
    for n in 0..10 {
        let nobody = api(&app, &format!("192.0.2.{n}:40001"), "nobody@example.com", WRONG).await;
        nobody.assert_problem(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    assert_api_refused(&api(&app, "192.0.2.201:40000", "nobody@example.com", WRONG).await, "60");
}

web_test!(item19_two_server_processes_on_one_database_share_the_budget);
async fn item19_two_server_processes_on_one_database_share_the_budget(app: TestApp) {
    app.seed().await;
    let other = app.twin().await;
    let on_app = Visitor::new(&app).await;
    let on_other = Visitor::new(&other).await;
    let email = "dev1@example.com";
    for n in 0..5 {
        let peer = format!("203.0.113.{n}:1000");
        api(&app, &peer, email, WRONG).await.assert_problem(StatusCode::UNAUTHORIZED, "invalid_credentials");
        on_other.sign_in(&other, &peer, email, WRONG, "en").await.assert_html(StatusCode::UNAUTHORIZED);
    }
    assert_api_refused(&api(&other, "203.0.113.50:1000", email, PASSWORD).await, "60");
    assert_page_refused(&on_app.sign_in(&app, "203.0.113.51:1000", email, PASSWORD, "en").await, "60");
    drop(other);
}

web_test!(item19_a_refused_attempt_checks_no_password_and_changes_nothing);
async fn item19_a_refused_attempt_checks_no_password_and_changes_nothing(app: TestApp) {
    let fx = app.seed().await;
    let visitor = Visitor::new(&app).await;
    let email = "operator@example.com";
    for _ in 0..10 {
        api(&app, "203.0.113.9:1", email, WRONG).await.assert_problem(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    let before = app.audit_log().await.len();
    // The right password, several times on both doors: refused each time, no token
    // issued, no session cookie, nothing recorded.
    for _ in 0..5 {
        assert_api_refused(&api(&app, "203.0.113.9:1", email, PASSWORD).await, "60");
        assert_page_refused(&visitor.sign_in(&app, "203.0.113.9:1", email, PASSWORD, "en").await, "60");
    }
    assert_eq!(app.audit_log().await.len(), before, "a refused attempt writes nothing");
    assert_eq!(app.audited("token.issued").await, 0);
    // Nor did the refusals lengthen the wait: a minute after the tenth attempt, one
    // attempt fits (and succeeds), and only one.
    app.clock.advance(SignedDuration::from_mins(1));
    let response = api(&app, "203.0.113.9:1", email, PASSWORD).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json()["user"]["id"], json!(fx.operator.id.0));
    assert_api_refused(&api(&app, "203.0.113.9:1", email, PASSWORD).await, "60");
}

web_test!(item19_a_refused_attempt_is_told_in_the_clients_language);
async fn item19_a_refused_attempt_is_told_in_the_clients_language(app: TestApp) {
    app.seed().await;
    let visitor = Visitor::new(&app).await;
    let email = "customer2@example.com";
    for _ in 0..10 {
        api(&app, "203.0.113.20:1", email, WRONG).await;
    }
    let body = json!({ "email": email, "password": WRONG });
    for (lang, title) in [("ko", "로그인 시도가 너무 많습니다"), ("en", "Too many sign-in attempts")] {
        let response = app
            .send(
                req(Method::POST, "/api/v1/auth/login")
                    .peer("203.0.113.20:1")
                    .header("accept-language", lang)
                    .json(&body),
            )
            .await;
        let problem = response.assert_problem(StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
        assert_eq!(problem["title"], title, "{lang}");
        assert_eq!(response.header(header::CONTENT_LANGUAGE), Some(lang));
    }
    let ko = assert_page_refused(&visitor.sign_in(&app, "203.0.113.20:1", email, WRONG, "ko").await, "60");
    assert!(ko.contains("60초 후에 다시 시도해 주세요"), "{ko}");
    let en = assert_page_refused(&visitor.sign_in(&app, "203.0.113.20:1", email, WRONG, "en").await, "60");
    assert!(en.contains("Wait 60 seconds and try again"), "{en}");
}
