//! Ratings and reviews over the API (R10-R14, R18): the flows, every refusal with a bad
//! body and a nothing-changed check, bad input, and the shapes programs rely on.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Fixture, TestApp, req};

fn mine(app_id: &impl std::fmt::Display) -> String {
    format!("/api/v1/apps/{app_id}/reviews/mine")
}

async fn put(app: &TestApp, path: &str, token: Option<&str>, body: &Value) -> crate::support::TestResponse {
    app.send(req(Method::PUT, path).bearer(token).json(body)).await
}

async fn delete(app: &TestApp, path: &str, token: Option<&str>) -> crate::support::TestResponse {
    app.send(req(Method::DELETE, path).bearer(token).empty()).await
}

/// Bodies that are wrong in every way the extractor can see: a refusal must come first.
const BAD_BODIES: [&str; 3] = ["{not json", r#"{"rating": "five", "surprise": true}"#, ""];

async fn send_raw(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> crate::support::TestResponse {
    app.send(req(method, path).bearer(token).header("content-type", "application/json").raw(body.to_owned())).await
}

/// customer1 reviews the paid app (seller 1) and dev1 answers; the review's id.
async fn reviewed_and_answered(app: &TestApp, fx: &Fixture) -> String {
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let created = put(app, &mine(&fx.paid_app.id), Some(&c1), &json!({ "rating": 4, "text": "재미있어요" })).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let id = created.json()["review"]["id"].as_str().expect("id").to_owned();
    let replied =
        put(app, &format!("/api/v1/reviews/{id}/reply"), Some(&dev1), &json!({ "text": "감사합니다!" })).await;
    assert_eq!(replied.status, StatusCode::OK, "{}", replied.text());
    id
}

web_test!(r10_r13_a_customer_who_obtained_the_app_rates_it_and_the_summary_follows);
async fn r10_r13_a_customer_who_obtained_the_app_rates_it_and_the_summary_follows(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let c2 = app.login("customer2@example.com").await;
    // A free download counts (R10): customer1 got the free app at 0.
    let star_only = put(&app, &mine(&fx.free_app.id), Some(&c1), &json!({ "rating": 5 })).await;
    assert_eq!(star_only.status, StatusCode::CREATED, "{}", star_only.text());
    assert_eq!(star_only.json()["review"]["text"], Value::Null);
    let text = "Works <b>offline</b> <script>alert(1)</script>";
    let written = put(&app, &mine(&fx.free_app.id), Some(&c2), &json!({ "rating": 2, "text": text })).await;
    assert_eq!(written.status, StatusCode::CREATED);
    assert_eq!(written.json()["review"]["lang"], "en");

    let summary = app.get(&format!("/api/v1/apps/{}/rating-summary", fx.free_app.id), None).await.json();
    assert_eq!(summary, json!({ "average": 3.5, "count": 2, "histogram": [0, 1, 0, 0, 1] }));
    let detail = app.get(&format!("/api/v1/apps/{}", fx.free_app.id), None).await.json();
    assert_eq!(detail["rating"], summary, "the app carries the same summary");

    let listed = app.get(&format!("/api/v1/apps/{}/reviews", fx.free_app.id), None).await.json();
    let items = listed["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["text"], text, "stored as written");
    assert_eq!(items[0]["author_name"], fx.customer2.display_name);

    // Only the author edits; the earlier version is kept and the review marked edited.
    let edited = put(&app, &mine(&fx.free_app.id), Some(&c2), &json!({ "rating": 3, "text": "Better now" })).await;
    assert_eq!(edited.status, StatusCode::OK);
    let edited = edited.json();
    assert_eq!(edited["review"]["edited"], true);
    assert_eq!(edited["review"]["rating"], 3);
    let history = app.get(&mine(&fx.free_app.id), Some(&c2)).await.json();
    assert_eq!(history["review"], edited["review"], "GET answers what PUT saved");
    assert_eq!(history["history"][0]["rating"], 2);
    assert_eq!(history["history"][0]["text"], text);
    let summary = app.get(&format!("/api/v1/apps/{}/rating-summary", fx.free_app.id), None).await.json();
    assert_eq!(summary["histogram"], json!([0, 0, 1, 0, 1]));

    // Deleting takes it out of the list and the summary at once.
    assert_eq!(delete(&app, &mine(&fx.free_app.id), Some(&c2)).await.status, StatusCode::NO_CONTENT);
    let summary = app.get(&format!("/api/v1/apps/{}/rating-summary", fx.free_app.id), None).await.json();
    assert_eq!(summary, json!({ "average": 5.0, "count": 1, "histogram": [0, 0, 0, 0, 1] }));
    delete(&app, &mine(&fx.free_app.id), Some(&c2)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    for action in ["review.created", "review.edited", "review.deleted"] {
        assert!(app.audited(action).await >= 1, "R14: {action} is audited");
    }
}

web_test!(r10_only_customers_who_obtained_the_app_review_it_and_a_refusal_changes_nothing);
async fn r10_only_customers_who_obtained_the_app_review_it_and_a_refusal_changes_nothing(app: TestApp) {
    let fx = app.seed().await;
    let stranger_app = app.app(&fx.seller2, "Never Bought", None).await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let op = app.login("operator@example.com").await;
    let before = app.counts(&fx).await;
    for body in BAD_BODIES {
        // A customer without a purchase, a developer, an operator: 403 whatever the body.
        for (who, path) in [(&c1, mine(&stranger_app.id)), (&dev1, mine(&fx.paid_app.id)), (&op, mine(&fx.paid_app.id))]
        {
            send_raw(&app, Method::PUT, &path, Some(who), body)
                .await
                .assert_problem(StatusCode::FORBIDDEN, "forbidden");
        }
        send_raw(&app, Method::PUT, &mine(&fx.paid_app.id), None, body).await.assert_unauthenticated();
        send_raw(&app, Method::PUT, &mine(&"no-such-app"), Some(&c1), body)
            .await
            .assert_problem(StatusCode::NOT_FOUND, "not_found");
    }
    delete(&app, &mine(&fx.paid_app.id), Some(&dev1)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(app.counts(&fx).await, before);
}

web_test!(r10_bad_ratings_and_texts_are_refused_and_change_nothing);
async fn r10_bad_ratings_and_texts_are_refused_and_change_nothing(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let before = app.counts(&fx).await;
    let path = mine(&fx.paid_app.id);
    for rating in [json!(0), json!(6), json!(-1)] {
        let refused = put(&app, &path, Some(&c1), &json!({ "rating": rating })).await;
        let problem = refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], "rating");
    }
    for rating in [json!(3.5), json!("5"), json!(null)] {
        put(&app, &path, Some(&c1), &json!({ "rating": rating }))
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    }
    let long = "가".repeat(2_001);
    let refused = put(&app, &path, Some(&c1), &json!({ "rating": 4, "text": long })).await;
    assert_eq!(
        refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")["errors"][0]["code"],
        "too_long"
    );
    put(&app, &path, Some(&c1), &json!({ "rating": 4, "extra": 1 }))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    send_raw(&app, Method::PUT, &path, Some(&c1), "{not json")
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "malformed_json");
    assert_eq!(app.counts(&fx).await, before);
}

web_test!(r11_r18_the_official_reply_is_public_mailed_and_marked_outdated_after_an_edit);
async fn r11_r18_the_official_reply_is_public_mailed_and_marked_outdated_after_an_edit(app: TestApp) {
    let fx = app.seed().await;
    let id = reviewed_and_answered(&app, &fx).await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;

    let listed = app.get(&format!("/api/v1/apps/{}/reviews", fx.paid_app.id), None).await.json();
    let reply = &listed["items"][0]["reply"];
    assert_eq!(reply["text"], "감사합니다!");
    assert_eq!((reply["official"].clone(), reply["outdated"].clone()), (json!(true), json!(false)));
    assert_eq!(reply["seller_name"], fx.seller1.name);
    let mails = app.mails_of_kind("review_replied").await;
    assert_eq!(mails.len(), 1, "the reviewer is told once");
    assert_eq!(mails[0].mail.to_user.as_ref(), Some(&fx.customer1.id));
    assert_eq!(mails[0].mail.locale, fx.customer1.locale);

    // The same text again changes nothing and sends nothing.
    let same = put(&app, &format!("/api/v1/reviews/{id}/reply"), Some(&dev1), &json!({ "text": "감사합니다!" })).await;
    assert_eq!(same.status, StatusCode::OK);
    assert_eq!(app.mails_of_kind("review_replied").await.len(), 1);

    // R18: the reviewer edits; the developers' inbox shows the reply outdated.
    put(&app, &mine(&fx.paid_app.id), Some(&c1), &json!({ "rating": 2, "text": "업데이트 후 느려요" })).await;
    let inbox = app.get("/api/v1/reviews?outdated=true", Some(&dev1)).await.json();
    assert_eq!(inbox["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(inbox["items"][0]["reply"]["outdated"], true);
    let counts = app.get("/api/v1/reviews/counts", Some(&dev1)).await.json();
    assert_eq!(counts, json!([{ "app_id": fx.paid_app.id.0, "unanswered": 1 }]), "an outdated reply is owed again");

    let confirmed =
        app.send(req(Method::POST, &format!("/api/v1/reviews/{id}/reply/confirm")).bearer(Some(&dev1)).empty()).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.text());
    assert_eq!(confirmed.json()["reply"]["outdated"], false);
    let history = app.get(&format!("/api/v1/reviews/{id}"), Some(&dev1)).await.json();
    assert_eq!(history["reply_history"].as_array().map(Vec::len), Some(1));
    assert_eq!(history["history"][0]["rating"], 4);

    assert_eq!(delete(&app, &format!("/api/v1/reviews/{id}/reply"), Some(&dev1)).await.status, StatusCode::NO_CONTENT);
    let listed = app.get(&format!("/api/v1/apps/{}/reviews", fx.paid_app.id), None).await.json();
    assert_eq!(listed["items"][0]["reply"], Value::Null);
    for action in ["reply.posted", "reply.confirmed", "reply.deleted"] {
        assert_eq!(app.audited(action).await, 1, "R14: {action}");
    }
}

web_test!(r11_only_the_apps_sellers_developers_reply_and_a_refusal_changes_nothing);
async fn r11_only_the_apps_sellers_developers_reply_and_a_refusal_changes_nothing(app: TestApp) {
    let fx = app.seed().await;
    let id = reviewed_and_answered(&app, &fx).await;
    let c1 = app.login("customer1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;
    let op = app.login("operator@example.com").await;
    let before = app.counts(&fx).await;
    let reply = format!("/api/v1/reviews/{id}/reply");
    for body in BAD_BODIES {
        send_raw(&app, Method::PUT, &reply, Some(&dev2), body).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        send_raw(&app, Method::PUT, &reply, Some(&c1), body).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
        send_raw(&app, Method::PUT, &reply, Some(&op), body).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
        send_raw(&app, Method::PUT, &reply, None, body).await.assert_unauthenticated();
    }
    delete(&app, &reply, Some(&dev2)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    let confirm = format!("/api/v1/reviews/{id}/reply/confirm");
    app.send(req(Method::POST, &confirm).bearer(Some(&dev2)).empty())
        .await
        .assert_problem(StatusCode::NOT_FOUND, "not_found");
    app.get(&format!("/api/v1/reviews/{id}"), Some(&dev2)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    app.get(&format!("/api/v1/reviews/{id}"), Some(&c1)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    // dev2's inbox never shows seller 1's review; customers have none.
    let inbox = app.get("/api/v1/reviews", Some(&dev2)).await.json();
    assert_eq!(inbox["items"], json!([]));
    app.get("/api/v1/reviews?rating=x", Some(&c1)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(app.counts(&fx).await, before);
}

web_test!(r11_an_empty_reply_or_a_reply_to_a_hidden_review_is_refused);
async fn r11_an_empty_reply_or_a_reply_to_a_hidden_review_is_refused(app: TestApp) {
    let fx = app.seed().await;
    let id = reviewed_and_answered(&app, &fx).await;
    let dev1 = app.login("dev1@example.com").await;
    let op = app.login("operator@example.com").await;
    let reply = format!("/api/v1/reviews/{id}/reply");
    let before = app.counts(&fx).await;
    put(&app, &reply, Some(&dev1), &json!({ "text": "   " }))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    put(&app, &reply, Some(&dev1), &json!({ "text": "a".repeat(1_001) }))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(app.counts(&fx).await, before);

    let hidden = app.post_json(&format!("/api/v1/reviews/{id}/hide"), Some(&op), &json!({ "reason": "욕설" })).await;
    assert_eq!(hidden.status, StatusCode::OK, "{}", hidden.text());
    let before = app.counts(&fx).await;
    put(&app, &reply, Some(&dev1), &json!({ "text": "new answer" }))
        .await
        .assert_problem(StatusCode::CONFLICT, "review_hidden");
    assert_eq!(app.counts(&fx).await, before);
}

web_test!(r12_r13_an_operator_hides_a_reported_review_and_the_summary_forgets_it);
async fn r12_r13_an_operator_hides_a_reported_review_and_the_summary_forgets_it(app: TestApp) {
    let fx = app.seed().await;
    let id = reviewed_and_answered(&app, &fx).await;
    let c2 = app.login("customer2@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let op = app.login("operator@example.com").await;
    let reports = format!("/api/v1/reviews/{id}/reports");
    let note = "<img src=x onerror=alert(1)>";
    let filed = app.post_json(&reports, Some(&c2), &json!({ "reason": "abusive", "note": note })).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text());
    assert_eq!(filed.json()["note"], note);
    let again = app.post_json(&reports, Some(&c2), &json!({ "reason": "spam" })).await;
    again.assert_problem(StatusCode::CONFLICT, "already_reported");
    app.clock.advance(jiff::SignedDuration::from_secs(60));
    let on_reply = app.post_json(&reports, Some(&c2), &json!({ "reason": "spam", "target": "reply" })).await;
    assert_eq!(on_reply.status, StatusCode::CREATED, "a reply is another item");
    let by_dev = app.post_json(&reports, Some(&dev1), &json!({ "reason": "off_topic" })).await;
    assert_eq!(by_dev.status, StatusCode::CREATED);

    let queue = app.get("/api/v1/moderation/reports", Some(&op)).await.json();
    let items = queue["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "grouped by item: {queue}");
    assert_eq!((items[0]["target"].clone(), items[0]["open_reports"].clone()), (json!("review"), json!(2)));
    assert_eq!(items[1]["target"], "reply");

    let hidden = app.post_json(&format!("/api/v1/reviews/{id}/hide"), Some(&op), &json!({ "reason": "Insults" })).await;
    assert_eq!(hidden.json()["hidden"]["reason"], "Insults");
    let summary = app.get(&format!("/api/v1/apps/{}/rating-summary", fx.paid_app.id), None).await.json();
    assert_eq!(summary["count"], 0, "hidden leaves the summary at once");
    let listed = app.get(&format!("/api/v1/apps/{}/reviews", fx.paid_app.id), None).await.json();
    assert_eq!(listed["items"], json!([]));
    let queue = app.get("/api/v1/moderation/reports", Some(&op)).await.json();
    assert_eq!(queue["items"].as_array().map(Vec::len), Some(1), "the review's reports are resolved");
    // The author still sees it, marked hidden with the reason, and is told by mail.
    let c1 = app.login("customer1@example.com").await;
    let own = app.get(&mine(&fx.paid_app.id), Some(&c1)).await.json();
    assert_eq!(own["review"]["hidden"]["reason"], "Insults");
    assert_eq!(app.mails_of_kind("review_hidden").await.len(), 1);

    let shown =
        app.post_json(&format!("/api/v1/reviews/{id}/unhide"), Some(&op), &json!({ "reason": "Appeal upheld" })).await;
    assert_eq!(shown.status, StatusCode::OK);
    let summary = app.get(&format!("/api/v1/apps/{}/rating-summary", fx.paid_app.id), None).await.json();
    assert_eq!(summary["count"], 1);
    assert_eq!(app.mails_of_kind("review_restored").await.len(), 1);

    let dismissed = app
        .send(
            req(Method::POST, &format!("/api/v1/reviews/{id}/reports/dismiss"))
                .bearer(Some(&op))
                .json(&json!({ "target": "reply" })),
        )
        .await;
    assert_eq!(dismissed.status, StatusCode::NO_CONTENT);
    assert_eq!(app.open_reports().await, 0, "the reply's report is resolved, the reply kept");
    let reply_hidden =
        app.post_json(&format!("/api/v1/reviews/{id}/reply/hide"), Some(&op), &json!({ "reason": "Off topic" })).await;
    assert_eq!(reply_hidden.status, StatusCode::OK);
    let listed = app.get(&format!("/api/v1/apps/{}/reviews", fx.paid_app.id), None).await.json();
    assert_eq!(listed["items"][0]["reply"], Value::Null, "a hidden reply leaves the public list");
    assert_eq!(app.mails_of_kind("reply_hidden").await.len(), 1, "dev1 is told");
    for action in ["report.filed", "review.hidden", "review.unhidden", "reply.hidden", "reports.dismissed"] {
        assert!(app.audited(action).await >= 1, "R14: {action}");
    }
}

web_test!(r12_reporting_and_moderating_refuse_the_wrong_roles_and_change_nothing);
async fn r12_reporting_and_moderating_refuse_the_wrong_roles_and_change_nothing(app: TestApp) {
    let fx = app.seed().await;
    let id = reviewed_and_answered(&app, &fx).await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;
    let op = app.login("operator@example.com").await;
    let before = app.counts(&fx).await;
    for body in BAD_BODIES {
        for path in [
            format!("/api/v1/reviews/{id}/hide"),
            format!("/api/v1/reviews/{id}/unhide"),
            format!("/api/v1/reviews/{id}/reply/hide"),
        ] {
            for who in [&c1, &dev1] {
                send_raw(&app, Method::POST, &path, Some(who), body)
                    .await
                    .assert_problem(StatusCode::FORBIDDEN, "forbidden");
            }
            send_raw(&app, Method::POST, &path, None, body).await.assert_unauthenticated();
        }
        let reports = format!("/api/v1/reviews/{id}/reports");
        send_raw(&app, Method::POST, &reports, Some(&op), body)
            .await
            .assert_problem(StatusCode::FORBIDDEN, "forbidden");
        send_raw(&app, Method::POST, &reports, Some(&dev2), body)
            .await
            .assert_problem(StatusCode::NOT_FOUND, "not_found");
    }
    // A developer may not report their own seller's reply; bad reasons are 422.
    let reports = format!("/api/v1/reviews/{id}/reports");
    app.post_json(&reports, Some(&dev1), &json!({ "reason": "spam", "target": "reply" }))
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.post_json(&reports, Some(&c1), &json!({ "reason": "boring" }))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    app.post_json(&reports, Some(&c1), &json!({ "reason": "other", "note": "x".repeat(1_001) }))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    app.post_json(&format!("/api/v1/reviews/{id}/hide"), Some(&op), &json!({ "reason": "" }))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    app.get("/api/v1/moderation/reports", Some(&dev1)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.get("/api/v1/moderation/reports?limit=x", Some(&c1)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(app.counts(&fx).await, before);
}

web_test!(reply_templates_belong_to_their_seller_and_refusals_change_nothing);
async fn reply_templates_belong_to_their_seller_and_refusals_change_nothing(app: TestApp) {
    let fx = app.seed().await;
    let dev1 = app.login("dev1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;
    let c1 = app.login("customer1@example.com").await;
    let body =
        json!({ "title": "Thanks", "text": "Thank you, {customer_name}, for rating {app_title}!", "lang": "en" });
    let created = app.post_json("/api/v1/reply-templates", Some(&dev1), &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let id = created.json()["id"].as_str().expect("id").to_owned();
    assert_eq!(app.get("/api/v1/reply-templates", Some(&dev1)).await.json().as_array().map(Vec::len), Some(1));
    assert_eq!(app.get("/api/v1/reply-templates", Some(&dev2)).await.json(), json!([]));

    let before = app.counts(&fx).await;
    let path = format!("/api/v1/reply-templates/{id}");
    for raw in BAD_BODIES {
        send_raw(&app, Method::PUT, &path, Some(&dev2), raw).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
        send_raw(&app, Method::PUT, &path, Some(&c1), raw).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
        send_raw(&app, Method::POST, "/api/v1/reply-templates", Some(&c1), raw)
            .await
            .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    }
    delete(&app, &path, Some(&dev2)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.post_json("/api/v1/reply-templates", Some(&dev1), &json!({ "title": "", "text": "", "lang": "fr" }))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(app.counts(&fx).await, before);

    let changed = put(
        &app,
        &path,
        Some(&dev1),
        &json!({ "title": "고마워요", "text": "{customer_name}님 감사합니다", "lang": "ko" }),
    )
    .await;
    assert_eq!(changed.json()["lang"], "ko");
    assert_eq!(delete(&app, &path, Some(&dev1)).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.audited("reply_template.deleted").await, 1);
}

web_test!(r10_the_public_list_filters_sorts_and_pages);
async fn r10_the_public_list_filters_sorts_and_pages(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let c2 = app.login("customer2@example.com").await;
    put(&app, &mine(&fx.paid_app.id), Some(&c1), &json!({ "rating": 1, "text": "별로예요" })).await;
    app.clock.advance(jiff::SignedDuration::from_secs(60));
    put(&app, &mine(&fx.paid_app.id), Some(&c2), &json!({ "rating": 5 })).await;
    let base = format!("/api/v1/apps/{}/reviews", fx.paid_app.id);
    let stars = |v: &Value| {
        v["items"].as_array().expect("items").iter().map(|r| r["rating"].as_i64().unwrap_or(0)).collect::<Vec<_>>()
    };
    assert_eq!(stars(&app.get(&base, None).await.json()), [5, 1], "newest first");
    assert_eq!(stars(&app.get(&format!("{base}?sort=oldest"), None).await.json()), [1, 5]);
    assert_eq!(stars(&app.get(&format!("{base}?sort=rating_low"), None).await.json()), [1, 5]);
    assert_eq!(stars(&app.get(&format!("{base}?sort=rating_high"), None).await.json()), [5, 1]);
    assert_eq!(stars(&app.get(&format!("{base}?rating=1,2"), None).await.json()), [1]);
    assert_eq!(stars(&app.get(&format!("{base}?has_text=false"), None).await.json()), [5]);
    assert_eq!(stars(&app.get(&format!("{base}?lang=ko&has_text=true"), None).await.json()), [1]);
    assert_eq!(stars(&app.get(&format!("{base}?lang=en"), None).await.json()), Vec::<i64>::new());
    assert_eq!(stars(&app.get(&format!("{base}?replied=true"), None).await.json()), Vec::<i64>::new());
    let first = app.get(&format!("{base}?limit=1"), None).await.json();
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = app.get(&format!("{base}?limit=1&cursor={cursor}"), None).await.json();
    assert_eq!((stars(&first), stars(&second)), (vec![5], vec![1]));
    assert_eq!(second["next_cursor"], Value::Null);
    for bad in ["rating=6", "rating=x", "sort=best", "replied=maybe", "lang=fr", "limit=0", "cursor=%21"] {
        app.get(&format!("{base}?{bad}"), None).await.assert_problem(StatusCode::BAD_REQUEST, "invalid_query");
    }
    app.get("/api/v1/apps/nope/reviews", None).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
}
