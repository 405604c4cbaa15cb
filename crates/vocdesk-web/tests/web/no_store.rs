//! Personal data is never kept by a cache: every response to a signed-in request (API
//! or page), every answer to a form or sign-in, and every response that sets a cookie
//! is `Cache-Control: no-store`; the public catalog for anonymous visitors and the
//! static files are not. Issue 13 names the only exceptions, [`KEPT_FOR_OFFLINE`]: the
//! developer's home and inbox and a thread read by its parties are `private, no-cache`,
//! so the service worker may keep them to read offline (it keeps nothing `no-store`).

use axum::http::{Method, StatusCode, header};
use serde_json::json;

use crate::support::browser::Browser;
use crate::support::{PASSWORD, TestApp, TestResponse, req};

/// Issue 13: every personal page a browser may keep for reading offline; any other
/// personal page is `no-store`.
const KEPT_FOR_OFFLINE: [&str; 3] = ["/developer", "/developer/inquiries", "/inquiries/{id}"];

#[track_caller]
fn assert_kept_private(response: &TestResponse, what: &str) {
    assert_eq!(response.status, StatusCode::OK, "{what}");
    assert_eq!(response.header(header::CACHE_CONTROL), Some("private, no-cache"), "{what}");
}

#[track_caller]
fn assert_no_store(response: &TestResponse, what: &str) {
    let value = response.header(header::CACHE_CONTROL).unwrap_or_default();
    assert!(value.split(',').any(|d| d.trim() == "no-store"), "{what} ({}): Cache-Control {value:?}", response.status);
}

web_test!(responses_with_personal_data_are_no_store_on_the_api_and_the_pages);
async fn responses_with_personal_data_are_no_store_on_the_api_and_the_pages(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let op = app.login("operator@example.com").await;
    let thread = app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], true).await;
    let id = thread["id"].as_str().expect("id").to_owned();

    // The API: threads, payment details, purchases, lists, audit, outbox, received mail.
    for (path, token) in [
        (format!("/api/v1/inquiries/{id}"), &c1),
        ("/api/v1/inquiries".to_owned(), &c1),
        ("/api/v1/me".to_owned(), &c1),
        ("/api/v1/me/purchases".to_owned(), &c1),
        (format!("/api/v1/purchases/{}", fx.customer1_purchases[0].purchase.id), &c1),
        (format!("/api/v1/inquiries/{id}/purchases"), &dev1),
        (format!("/api/v1/inquiries/{id}/payment-details"), &dev1),
        ("/api/v1/cancellation-requests".to_owned(), &op),
        ("/api/v1/audit".to_owned(), &op),
        ("/api/v1/outbox".to_owned(), &op),
        ("/api/v1/inbound".to_owned(), &op),
        // Refusals too: they say who is asking, and what exists.
        ("/api/v1/audit".to_owned(), &c1),
        // Even a public read, asked by a signed-in caller.
        ("/api/v1/apps".to_owned(), &c1),
    ] {
        let response = app.get(&path, Some(token)).await;
        assert!(response.status.is_success() || response.status == StatusCode::FORBIDDEN, "{path}");
        assert_no_store(&response, &path);
    }
    // The token a sign-in answers with.
    let login = json!({ "email": "customer1@example.com", "password": PASSWORD });
    assert_no_store(&app.post_json("/api/v1/auth/login", None, &login).await, "the login answer");
    assert_no_store(&app.get("/api/v1/me", Some("not-a-token")).await, "a 401");

    // The pages: My page, threads, lists, the console, the outbox, received mail.
    // Purchases (with their payment ids), lists, the store's pages: never kept.
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    for path in ["/my", "/my/inquiries", "/settings", "/", &format!("/apps/{}", fx.paid_app.id)] {
        assert_no_store(&customer.get(&app, path).await, path);
    }
    let thread = format!("/inquiries/{id}");
    let kept = |path: &str| KEPT_FOR_OFFLINE.contains(&path.replace(&id, "{id}").as_str());
    // Issue 13: only the listed pages may be kept, and only by the thread's parties.
    assert_kept_private(&customer.get(&app, &thread).await, "the customer's own thread");
    let mut developer = Browser::signed_in(&app, "dev1@example.com").await;
    for path in ["/developer", "/developer/inquiries", thread.as_str()] {
        assert!(kept(path), "{path} is listed");
        assert_kept_private(&developer.get(&app, path).await, path);
    }
    for path in [
        "/developer/reviews",
        "/developer/reply-templates",
        "/developer/cancellation-requests",
        "/developer/off-store-requests/new",
        "/settings",
    ] {
        assert!(!kept(path));
        let response = developer.get(&app, path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert_no_store(&response, path);
    }
    // R7: the reveal of payment ids (TID, TXID, receipt numbers) is a thread page that
    // shows them: `no-store`, and so are attachments.
    let csrf = developer.csrf_on(&app, &thread).await;
    let reveal = developer.post_form(&app, &format!("{thread}/payment-details"), &[("csrf", &csrf)]).await;
    assert_eq!(reveal.status, StatusCode::OK, "{}", reveal.text());
    assert_no_store(&reveal, "revealed payment details");
    assert!(reveal.text().contains("id=\"payment-details-shown\""), "the ids are on it");
    let mut operator = Browser::signed_in(&app, "operator@example.com").await;
    for path in [
        "/operator",
        "/operator/inquiries",
        "/operator/outbox",
        "/operator/mail",
        "/operator/cancellation-requests",
        "/operator/audit",
        thread.as_str(),
    ] {
        let response = operator.get(&app, path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert_no_store(&response, path);
    }
    // A wrong password: the page shows the email typed.
    let mut stranger = Browser::default();
    let csrf = stranger.csrf(&app).await;
    let form = [("csrf", csrf.as_str()), ("email", "customer1@example.com"), ("password", "wrong")];
    let refused = stranger.post_form(&app, "/signin", &form).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_no_store(&refused, "the refused sign-in form");
}

web_test!(the_public_catalog_for_anonymous_visitors_and_static_files_may_be_cached);
async fn the_public_catalog_for_anonymous_visitors_and_static_files_may_be_cached(app: TestApp) {
    let fx = app.seed().await;
    let mut visitor = Browser::default();
    // The first visit sets the visitor cookie: that answer is not for anyone else.
    assert_no_store(&visitor.get(&app, "/").await, "a response that sets a cookie");
    for path in ["/".to_owned(), format!("/apps/{}", fx.paid_app.id)] {
        let response = visitor.get(&app, &path).await;
        assert_eq!(response.status, StatusCode::OK);
        assert_eq!(response.header(header::CACHE_CONTROL), None, "{path} for an anonymous visitor");
    }
    for path in [
        "/api/v1/apps".to_owned(),
        format!("/api/v1/apps/{}", fx.paid_app.id),
        format!("/api/v1/apps/{}/reviews", fx.paid_app.id),
        "/api/openapi.json".to_owned(),
    ] {
        let response = app.get(&path, None).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert_eq!(response.header(header::CACHE_CONTROL), None, "{path} for an anonymous caller");
    }
    // Static files keep their own public caching, signed in or not.
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    for response in
        [app.send(req(Method::GET, "/static/app.css").empty()).await, customer.get(&app, "/static/app.css").await]
    {
        assert_eq!(response.header(header::CACHE_CONTROL), Some("public, max-age=3600"));
    }
}
