//! The JSON shapes clients depend on, as insta snapshots in `tests/snapshots/` (ids,
//! tokens and server times redacted). Both engines compare against the same snapshot, so
//! they also prove that SQLite and PostgreSQL answer alike.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{PASSWORD, TestApp, purchase_body, req};

/// Runs an assertion with the suite's snapshot settings.
fn snapshot(assert: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_sort_maps(true);
    settings.bind(assert);
}

web_test!(login_response_shape);
async fn login_response_shape(app: TestApp) {
    app.seed().await;
    let response = app
        .post_json("/api/v1/auth/login", None, &json!({ "email": "customer1@example.com", "password": PASSWORD }))
        .await;
    assert_eq!(response.status, StatusCode::OK);
    let body: Value = response.json();
    snapshot(|| {
        insta::assert_json_snapshot!("login_response", body, {
            ".token" => "[token]",
            ".expires_at" => "[time]",
            ".user.id" => "[id]",
        });
    });
}

web_test!(app_detail_shape);
async fn app_detail_shape(app: TestApp) {
    let fx = app.seed().await;
    let body = app.get(&format!("/api/v1/apps/{}", fx.paid_app.id), None).await.json();
    snapshot(|| {
        insta::assert_json_snapshot!("app_detail", body, {
            ".id" => "[id]",
            ".seller_id" => "[id]",
            ".created_at" => "[time]",
            ".items[].id" => "[id]",
        });
    });
}

web_test!(purchase_shape);
async fn purchase_shape(app: TestApp) {
    let fx = app.seed().await;
    let op = app.login("operator@example.com").await;
    let mut request = purchase_body(&fx, "T20261120000001A7");
    request["item_id"] = json!(fx.paid_item.id.0);
    request["amount_minor"] = json!(500);
    let response = app.post_json("/api/v1/purchases", Some(&op), &request).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let body = response.json();
    snapshot(|| {
        insta::assert_json_snapshot!("purchase", body, {
            ".id" => "[id]",
            ".customer_id" => "[id]",
            ".app_id" => "[id]",
            ".seller_id" => "[id]",
            ".item_id" => "[id]",
        });
    });
}

web_test!(validation_problem_shape);
async fn validation_problem_shape(app: TestApp) {
    let fx = app.seed().await;
    let op = app.login("operator@example.com").await;
    let mut request = purchase_body(&fx, "T-SHAPE");
    request["app_id"] = json!("no-such-app");
    let response = app
        .send(req(Method::POST, "/api/v1/purchases").bearer(Some(&op)).header("accept-language", "en").json(&request))
        .await;
    let body = response.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    snapshot(|| {
        insta::assert_json_snapshot!("problem_validation_failed", body);
    });
}

web_test!(provisioned_user_shape);
async fn provisioned_user_shape(app: TestApp) {
    let fx = app.seed().await;
    let op = app.login("operator@example.com").await;
    let request = json!({
        "email": "dev3@example.com",
        "display_name": "Dev Three",
        "role": "developer",
        "seller_id": fx.seller1.id.0,
        "locale": "en",
        "password": "provisioned-password-1",
    });
    let response = app.post_json("/api/v1/users", Some(&op), &request).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let body = response.json();
    // The account as every other answer shows it: no password, no hash.
    snapshot(|| {
        insta::assert_json_snapshot!("provisioned_user", body, {
            ".id" => "[id]",
            ".seller_id" => "[id]",
        });
    });
}

web_test!(r6_r7_inquiry_purchases_shape);
async fn r6_r7_inquiry_purchases_shape(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let thread = app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], true).await;
    let id = thread["id"].as_str().expect("an id").to_owned();
    let masked = app.get(&format!("/api/v1/inquiries/{id}/purchases"), Some(&dev1)).await;
    assert_eq!(masked.status, StatusCode::OK, "{}", masked.text());
    let revealed = app.get(&format!("/api/v1/inquiries/{id}/payment-details"), Some(&dev1)).await;
    assert_eq!(revealed.status, StatusCode::OK, "{}", revealed.text());
    let body = json!({ "purchases": masked.json(), "payment_details": revealed.json() });
    snapshot(|| {
        insta::assert_json_snapshot!("inquiry_purchases", body, {
            ".*.items[].id" => "[id]",
            ".*.items[].customer_id" => "[id]",
            ".*.items[].app_id" => "[id]",
            ".*.items[].seller_id" => "[id]",
            ".*.items[].item_id" => unless_null("[id]"),
        });
    });
}

web_test!(r8_cancellation_request_shape);
async fn r8_cancellation_request_shape(app: TestApp) {
    let fx = app.seed().await;
    let (_, request) = app.open_request(&fx).await;
    let op = app.login("operator@example.com").await;
    let id = request["id"].as_str().expect("an id").to_owned();
    let response = app
        .post_json(
            &format!("/api/v1/cancellation-requests/{id}/reject"),
            Some(&op),
            &json!({ "reason": "구매 후 7일이 지났습니다." }),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let body = json!({ "submitted": request, "rejected": response.json() });
    snapshot(|| {
        insta::assert_json_snapshot!("cancellation_request", body, {
            ".*.id" => "[id]",
            ".*.purchase_id" => "[id]",
            ".*.inquiry_id" => "[id]",
            ".*.seller_id" => "[id]",
            ".*.app_id" => "[id]",
            ".*.customer_id" => "[id]",
            ".*.requested_by" => "[id]",
            ".*.decided_by" => unless_null("[id]"),
            ".*.decided_at" => unless_null("[time]"),
            ".*.created_at" => "[time]",
        });
    });
}

/// Replaces a value with `tag`, keeping `null` (so the snapshot still says what is unset).
fn unless_null(tag: &'static str) -> insta::internals::Redaction {
    insta::dynamic_redaction(move |value, _path| if value.is_nil() { value } else { tag.into() })
}

web_test!(r10_r11_review_list_shape);
async fn r10_r11_review_list_shape(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let path = format!("/api/v1/apps/{}/reviews/mine", fx.paid_app.id);
    let created =
        app.send(req(Method::PUT, &path).bearer(Some(&c1)).json(&json!({ "rating": 4, "text": "좋아요" }))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let id = created.json()["review"]["id"].as_str().expect("id").to_owned();
    let reply = format!("/api/v1/reviews/{id}/reply");
    let replied = app.send(req(Method::PUT, &reply).bearer(Some(&dev1)).json(&json!({ "text": "감사합니다" }))).await;
    assert_eq!(replied.status, StatusCode::OK, "{}", replied.text());
    let body = app.get(&format!("/api/v1/apps/{}/reviews", fx.paid_app.id), None).await.json();
    let summary = app.get(&format!("/api/v1/apps/{}/rating-summary", fx.paid_app.id), None).await.json();
    snapshot(|| {
        insta::assert_json_snapshot!("review_list", body, {
            ".items[].id" => "[id]",
            ".items[].app_id" => "[id]",
            ".items[].created_at" => "[time]",
            ".items[].updated_at" => "[time]",
            ".items[].reply.created_at" => "[time]",
            ".items[].reply.updated_at" => "[time]",
        });
        insta::assert_json_snapshot!("rating_summary", summary);
    });
}
