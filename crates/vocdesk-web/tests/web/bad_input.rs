//! Bad input gets a clear problem+json 4xx and changes nothing; text is stored as given.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::support::{TestApp, purchase_body, req};

web_test!(malformed_json_is_400_and_writes_nothing);
async fn malformed_json_is_400_and_writes_nothing(app: TestApp) {
    let fx = app.seed().await;
    let op = app.login("operator@example.com").await;
    let before = app.counts(&fx).await;
    for body in [r#"{"tid": "T-1","#, "not json", "", "{'tid': 'x'}"] {
        let response = app
            .send(
                req(Method::POST, "/api/v1/purchases")
                    .bearer(Some(&op))
                    .header("content-type", "application/json")
                    .raw(body),
            )
            .await;
        response.assert_problem(StatusCode::BAD_REQUEST, "malformed_json");
    }
    let login = app
        .send(req(Method::POST, "/api/v1/auth/login").header("content-type", "application/json").raw(r#"{"email":"#))
        .await;
    login.assert_problem(StatusCode::BAD_REQUEST, "malformed_json");
    assert_eq!(app.counts(&fx).await, before);
}

web_test!(wrong_types_and_unknown_fields_are_422_invalid_body);
async fn wrong_types_and_unknown_fields_are_422_invalid_body(app: TestApp) {
    let fx = app.seed().await;
    let op = app.login("operator@example.com").await;
    let before = app.counts(&fx).await;

    let mut wrong_type = purchase_body(&fx, "T-TYPES");
    wrong_type["amount_minor"] = json!("1200");
    let problem = app
        .post_json("/api/v1/purchases", Some(&op), &wrong_type)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    assert!(problem["detail"].as_str().unwrap_or_default().contains("amount_minor"), "names the field: {problem}");

    let mut unknown_field = purchase_body(&fx, "T-UNKNOWN");
    unknown_field["amount"] = json!(1200);
    let problem = app
        .post_json("/api/v1/purchases", Some(&op), &unknown_field)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    assert!(problem["detail"].as_str().unwrap_or_default().contains("amount"), "{problem}");

    let mut missing_field = purchase_body(&fx, "T-MISSING");
    missing_field.as_object_mut().expect("object").remove("tid");
    app.post_json("/api/v1/purchases", Some(&op), &missing_field)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");

    app.post_json("/api/v1/purchases", Some(&op), &json!([1, 2]))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    app.post_json("/api/v1/auth/login", None, &json!({ "email": 1, "password": true }))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    app.post_json("/api/v1/auth/login", None, &json!({ "email": "a@example.com", "password": "x", "remember": true }))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    assert_eq!(app.counts(&fx).await, before);
}

web_test!(a_body_that_is_not_declared_json_is_415);
async fn a_body_that_is_not_declared_json_is_415(app: TestApp) {
    let fx = app.seed().await;
    let op = app.login("operator@example.com").await;
    let before = app.counts(&fx).await;
    let body = purchase_body(&fx, "T-NO-TYPE").to_string();
    let untyped = app.send(req(Method::POST, "/api/v1/purchases").bearer(Some(&op)).raw(body.clone())).await;
    untyped.assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    let text = app
        .send(req(Method::POST, "/api/v1/purchases").bearer(Some(&op)).header("content-type", "text/plain").raw(body))
        .await;
    text.assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    assert_eq!(app.counts(&fx).await, before);
}

web_test!(a_body_over_the_json_limit_is_413);
async fn a_body_over_the_json_limit_is_413(app: TestApp) {
    let fx = app.seed().await;
    let op = app.login("operator@example.com").await;
    let before = app.counts(&fx).await;
    let mut body = purchase_body(&fx, "T-HUGE");
    body["receipt_no"] = json!("x".repeat(app.config.json_body_limit + 1));
    app.post_json("/api/v1/purchases", Some(&op), &body)
        .await
        .assert_problem(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    // Also when the client announces the length up front.
    let raw = body.to_string();
    let announced = app
        .send(
            req(Method::POST, "/api/v1/purchases")
                .bearer(Some(&op))
                .header("content-type", "application/json")
                .header("content-length", raw.len().to_string())
                .raw(raw),
        )
        .await;
    announced.assert_problem(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    assert_eq!(app.counts(&fx).await, before);
}

web_test!(invalid_utf8_in_the_body_is_a_4xx_problem);
async fn invalid_utf8_in_the_body_is_a_4xx_problem(app: TestApp) {
    let fx = app.seed().await;
    let op = app.login("operator@example.com").await;
    let before = app.counts(&fx).await;
    let mut bytes = purchase_body(&fx, "T-UTF8").to_string().into_bytes();
    let at = bytes.windows(6).position(|w| w == b"T-UTF8").expect("the tid in the body");
    bytes[at + 1] = 0xFF;
    bytes[at + 2] = 0xFE;
    let response = app
        .send(
            req(Method::POST, "/api/v1/purchases")
                .bearer(Some(&op))
                .header("content-type", "application/json")
                .raw(bytes),
        )
        .await;
    assert!(response.status.is_client_error(), "{}: {}", response.status, response.text());
    let code = response.json()["code"].as_str().unwrap_or_default().to_owned();
    response.assert_problem(response.status, &code);
    assert_eq!(app.counts(&fx).await, before);
}

web_test!(bad_limit_or_cursor_is_400_invalid_query);
async fn bad_limit_or_cursor_is_400_invalid_query(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let op = app.login("operator@example.com").await;
    for query in
        ["limit=0", "limit=101", "limit=-1", "limit=abc", "limit=1.5", "cursor=%21%21%21", "cursor=bm90LWEtY3Vyc29y"]
    {
        app.get(&format!("/api/v1/apps?{query}"), None).await.assert_problem(StatusCode::BAD_REQUEST, "invalid_query");
        app.get(&format!("/api/v1/me/purchases?{query}"), Some(&c1))
            .await
            .assert_problem(StatusCode::BAD_REQUEST, "invalid_query");
        app.get(&format!("/api/v1/audit?{query}"), Some(&op))
            .await
            .assert_problem(StatusCode::BAD_REQUEST, "invalid_query");
    }
    let _ = fx;
}

web_test!(unknown_paths_and_wrong_methods_under_the_api_are_problems);
async fn unknown_paths_and_wrong_methods_under_the_api_are_problems(app: TestApp) {
    app.seed().await;
    app.get("/api/v1/nope", None).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    app.get("/api/v2/apps", None).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    app.get("/api/v1/apps/no-such-app", None).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    app.send(req(Method::DELETE, "/api/v1/apps").empty())
        .await
        .assert_problem(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    let wrong_method = app.get("/api/v1/auth/login", None).await;
    wrong_method.assert_problem(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    assert_eq!(wrong_method.header("allow"), Some("POST"), "a 405 names the allowed methods");
    app.send(req(Method::PUT, "/api/v1/purchases").json(&json!({})))
        .await
        .assert_problem(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}

web_test!(markup_and_sql_in_text_are_stored_and_returned_verbatim);
async fn markup_and_sql_in_text_are_stored_and_returned_verbatim(app: TestApp) {
    let fx = app.seed().await;
    let op = app.login("operator@example.com").await;
    let label = "<script>alert(1)</script>'; DROP TABLE users; -- \"q\" & ü 한글";
    let issued = app.post_json("/api/v1/auth/tokens", Some(&op), &json!({ "label": label })).await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.text());
    let token_id = issued.json()["id"].as_str().expect("id").to_owned();

    let log = app.get(&format!("/api/v1/audit?subject_type=token&subject_id={token_id}"), Some(&op)).await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.text());
    let entries = log.json()["items"].as_array().expect("items").clone();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["action"], "token.issued");
    assert_eq!(entries[0]["detail"]["label"], label, "the label comes back as it was sent");

    // Nothing was dropped: every account still signs in.
    for email in ["customer1@example.com", "dev1@example.com"] {
        app.login(email).await;
    }
    assert_eq!(app.purchases_of(&fx.customer1.id).await.len(), 3);

    // Payment ids (visible ASCII, no spaces) with metacharacters, too.
    let tid = "T-';DELETE/**/FROM/**/purchases;--<i>\"&";
    let created = app.post_json("/api/v1/purchases", Some(&op), &purchase_body(&fx, tid)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_eq!(created.json()["tid"], tid);
    assert_eq!(app.purchases_of(&fx.customer1.id).await.len(), 4);
}

web_test!(an_empty_or_overlong_label_is_422_validation_failed);
async fn an_empty_or_overlong_label_is_422_validation_failed(app: TestApp) {
    let fx = app.seed().await;
    let op = app.login("operator@example.com").await;
    let before = app.counts(&fx).await;
    for label in ["", "   ", &"x".repeat(101)] {
        let problem = app
            .post_json("/api/v1/auth/tokens", Some(&op), &json!({ "label": label }))
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], "label", "{problem}");
    }
    assert_eq!(app.counts(&fx).await, before);
}
