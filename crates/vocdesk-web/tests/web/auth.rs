//! Sign-in, bearer tokens, expiry and sign-out (`/api/v1/auth/*`, `/api/v1/me`).

use axum::http::{Method, StatusCode};
use jiff::SignedDuration;
use serde_json::json;

use crate::support::{PASSWORD, TestApp, req};

web_test!(login_returns_a_token_and_the_user_with_its_role);
async fn login_returns_a_token_and_the_user_with_its_role(app: TestApp) {
    let fx = app.seed().await;
    for (email, role, user) in [
        ("customer1@example.com", "customer", &fx.customer1),
        ("dev1@example.com", "developer", &fx.dev1),
        ("operator@example.com", "operator", &fx.operator),
    ] {
        let response =
            app.post_json("/api/v1/auth/login", None, &json!({ "email": email, "password": PASSWORD })).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let body = response.json();
        let token = body["token"].as_str().expect("token");
        assert!(token.starts_with("vdk_") && token.len() > 40, "{token}");
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["user"]["id"], json!(user.id.0));
        assert_eq!(body["user"]["email"], email);
        assert_eq!(body["user"]["role"], role);
        assert!(body["user"].get("password_hash").is_none() && !response.text().contains("argon2"));

        let me = app.get("/api/v1/me", Some(token)).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.text());
        assert_eq!(me.json()["id"], json!(user.id.0));
        assert_eq!(me.json()["role"], role);
    }
    assert_eq!(fx.dev1.seller_id.as_ref(), Some(&fx.seller1.id));
}

web_test!(login_email_is_case_insensitive);
async fn login_email_is_case_insensitive(app: TestApp) {
    let fx = app.seed().await;
    let response = app
        .post_json("/api/v1/auth/login", None, &json!({ "email": " Customer1@EXAMPLE.com ", "password": PASSWORD }))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json()["user"]["id"], json!(fx.customer1.id.0));
}

web_test!(wrong_password_and_unknown_email_fail_alike);
async fn wrong_password_and_unknown_email_fail_alike(app: TestApp) {
    let fx = app.seed().await;
    let before = app.counts(&fx).await;
    let wrong_password = app
        .post_json(
            "/api/v1/auth/login",
            None,
            &json!({ "email": "customer1@example.com", "password": "wrong-password-1" }),
        )
        .await;
    let unknown_email = app
        .post_json("/api/v1/auth/login", None, &json!({ "email": "nobody@example.com", "password": PASSWORD }))
        .await;
    let not_an_email =
        app.post_json("/api/v1/auth/login", None, &json!({ "email": "not an email", "password": PASSWORD })).await;
    for response in [&wrong_password, &unknown_email, &not_an_email] {
        let problem = response.assert_problem(StatusCode::UNAUTHORIZED, "invalid_credentials");
        assert!(problem.get("detail").is_none(), "no hint which part was wrong: {problem}");
        assert!(response.header("www-authenticate").is_some());
    }
    // Byte for byte the same answer: nothing tells whether the account exists.
    assert_eq!(wrong_password.body, unknown_email.body);
    assert_eq!(wrong_password.body, not_an_email.body);
    assert_eq!(app.counts(&fx).await, before, "a failed sign-in issues no token");
}

web_test!(me_without_a_valid_token_is_401_with_a_challenge);
async fn me_without_a_valid_token_is_401_with_a_challenge(app: TestApp) {
    app.seed().await;
    app.get("/api/v1/me", None).await.assert_unauthenticated();
    app.get("/api/v1/me", Some("garbage")).await.assert_unauthenticated();
    app.get("/api/v1/me", Some("vdk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).await.assert_unauthenticated();
    for authorization in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "vdk_x", ""] {
        let response = app.send(req(Method::GET, "/api/v1/me").header("authorization", authorization).empty()).await;
        response.assert_unauthenticated();
    }
}

web_test!(an_api_token_expires_after_its_ttl);
async fn an_api_token_expires_after_its_ttl(app: TestApp) {
    app.seed().await;
    let token = app.login("customer1@example.com").await;
    app.clock.advance(app.config.api_token_ttl - SignedDuration::from_secs(1));
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, StatusCode::OK, "still valid just before");
    app.clock.advance(SignedDuration::from_secs(2));
    app.get("/api/v1/me", Some(&token)).await.assert_unauthenticated();
    // Signing in again works: the account is fine, only the token ran out.
    let fresh = app.login("customer1@example.com").await;
    assert_eq!(app.get("/api/v1/me", Some(&fresh)).await.status, StatusCode::OK);
}

web_test!(logout_revokes_only_the_token_it_carries);
async fn logout_revokes_only_the_token_it_carries(app: TestApp) {
    let fx = app.seed().await;
    let first = app.login("customer1@example.com").await;
    let second = app.login("customer1@example.com").await;
    let other_user = app.login("customer2@example.com").await;

    let response = app.send(req(Method::POST, "/api/v1/auth/logout").bearer(Some(&first)).empty()).await;
    assert_eq!(response.status, StatusCode::NO_CONTENT, "{}", response.text());

    app.get("/api/v1/me", Some(&first)).await.assert_unauthenticated();
    assert_eq!(app.get("/api/v1/me", Some(&second)).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/v1/me", Some(&other_user)).await.status, StatusCode::OK);

    // R14: the sign-out is recorded, by whom.
    let log = app.audit_log().await;
    let revoked = log.iter().find(|r| r.entry.action == "token.revoked").expect("token.revoked entry");
    assert_eq!(revoked.entry.actor.user_id.as_ref(), Some(&fx.customer1.id));

    // A revoked token cannot sign out again, nor anything else.
    let again = app.send(req(Method::POST, "/api/v1/auth/logout").bearer(Some(&first)).empty()).await;
    again.assert_unauthenticated();
    app.get("/api/v1/me/purchases", Some(&first)).await.assert_unauthenticated();
}
