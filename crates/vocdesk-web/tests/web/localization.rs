//! Problem titles in the request's language, with `Content-Language`.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::support::{TestApp, req};

web_test!(problem_titles_follow_accept_language);
async fn problem_titles_follow_accept_language(app: TestApp) {
    app.seed().await;
    let cases = [
        ("/api/v1/nope", StatusCode::NOT_FOUND, "not_found", "찾을 수 없습니다", "Not found"),
        ("/api/v1/me", StatusCode::UNAUTHORIZED, "unauthenticated", "로그인이 필요합니다", "Sign-in required"),
    ];
    for (path, status, code, korean, english) in cases {
        let ko = app.send(req(Method::GET, path).header("accept-language", "ko").empty()).await;
        assert_eq!(ko.assert_problem(status, code)["title"], korean);
        assert_eq!(ko.header("content-language"), Some("ko"));

        let en = app.send(req(Method::GET, path).header("accept-language", "en").empty()).await;
        assert_eq!(en.assert_problem(status, code)["title"], english);
        assert_eq!(en.header("content-language"), Some("en"));

        // q-values are honoured; the store's home language is the default.
        let prefers_en =
            app.send(req(Method::GET, path).header("accept-language", "ko;q=0.4, en-US;q=0.9").empty()).await;
        assert_eq!(prefers_en.json()["title"], english);
        let neither = app.send(req(Method::GET, path).header("accept-language", "fr").empty()).await;
        assert_eq!(neither.json()["title"], korean);
        assert_eq!(neither.header("content-language"), Some("ko"));
        let none = app.get(path, None).await;
        assert_eq!(none.json()["title"], korean);
    }
}

web_test!(validation_and_credential_problems_are_localized_too);
async fn validation_and_credential_problems_are_localized_too(app: TestApp) {
    app.seed().await;
    let wrong = json!({ "email": "customer1@example.com", "password": "not-the-password" });
    let en = app.send(req(Method::POST, "/api/v1/auth/login").header("accept-language", "en").json(&wrong)).await;
    assert_eq!(en.assert_problem(StatusCode::UNAUTHORIZED, "invalid_credentials")["title"], "Wrong email or password");
    let ko = app.send(req(Method::POST, "/api/v1/auth/login").header("accept-language", "ko-KR").json(&wrong)).await;
    assert_eq!(
        ko.assert_problem(StatusCode::UNAUTHORIZED, "invalid_credentials")["title"],
        "이메일 또는 비밀번호가 올바르지 않습니다"
    );
    assert_eq!(ko.header("content-language"), Some("ko"));

    let op = app.login("operator@example.com").await;
    let invalid = app
        .send(
            req(Method::POST, "/api/v1/auth/tokens")
                .bearer(Some(&op))
                .header("accept-language", "en")
                .json(&json!({ "label": "" })),
        )
        .await;
    assert_eq!(
        invalid.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")["title"],
        "Some fields are invalid"
    );
    // The language cookie of the pages wins over the header for the API as well.
    let cookie = app
        .send(req(Method::GET, "/api/v1/nope").header("accept-language", "en").cookies(&[("vd_lang", "ko")]).empty())
        .await;
    assert_eq!(cookie.json()["title"], "찾을 수 없습니다");
}
