//! Every refusal of the API, and that a refused request changes nothing.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, ids, purchase_body, req};

fn tids(list: &Value) -> Vec<String> {
    list["items"].as_array().expect("items").iter().map(|p| p["tid"].as_str().expect("tid").to_owned()).collect()
}

web_test!(my_purchases_are_only_the_callers_own);
async fn my_purchases_are_only_the_callers_own(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let c2 = app.login("customer2@example.com").await;

    let mine = app.get("/api/v1/me/purchases", Some(&c1)).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.text());
    let mine = mine.json();
    // Newest first.
    assert_eq!(tids(&mine), ["T-C1-FREE", "T-C1-ITEM", "T-C1-PAID"]);
    assert!(mine["items"].as_array().expect("items").iter().all(|p| p["customer_id"] == json!(fx.customer1.id.0)));

    let theirs = app.get("/api/v1/me/purchases", Some(&c2)).await.json();
    assert_eq!(tids(&theirs), ["T-C2-FREE", "T-C2-PAID"]);
    let c1_ids: Vec<String> = fx.customer1_purchases.iter().map(|p| p.purchase.id.0.clone()).collect();
    for id in ids(theirs["items"].as_array().expect("items")) {
        assert!(!c1_ids.contains(&id), "customer 2 sees customer 1's purchase {id}");
    }
}

web_test!(my_purchases_refuse_developers_operators_and_strangers);
async fn my_purchases_refuse_developers_operators_and_strangers(app: TestApp) {
    let fx = app.seed().await;
    let dev = app.login("dev1@example.com").await;
    let op = app.login("operator@example.com").await;
    let before = app.counts(&fx).await;
    app.get("/api/v1/me/purchases", Some(&dev)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.get("/api/v1/me/purchases", Some(&op)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.get("/api/v1/me/purchases", None).await.assert_unauthenticated();
    assert_eq!(app.counts(&fx).await, before);
}

web_test!(a_purchase_is_readable_by_its_buyer_and_operators_only);
async fn a_purchase_is_readable_by_its_buyer_and_operators_only(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let c2 = app.login("customer2@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let op = app.login("operator@example.com").await;
    let purchase = &fx.customer1_purchases[0];
    let path = format!("/api/v1/purchases/{}", purchase.purchase.id);

    let own = app.get(&path, Some(&c1)).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text());
    assert_eq!(own.json()["id"], json!(purchase.purchase.id.0));
    assert_eq!(own.json()["tid"], "T-C1-PAID");

    let operator = app.get(&path, Some(&op)).await;
    assert_eq!(operator.status, StatusCode::OK, "{}", operator.text());
    assert_eq!(operator.json()["id"], json!(purchase.purchase.id.0));

    // Someone else's purchase answers as if it did not exist, so ids cannot be
    // probed; dev1 is the seller of this very app and still reaches it only through
    // an inquiry (R6).
    let before = app.counts(&fx).await;
    let other = app.get(&path, Some(&c2)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    let developer = app.get(&path, Some(&dev1)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    let missing = app.get("/api/v1/purchases/no-such-purchase", Some(&c2)).await;
    let missing = missing.assert_problem(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(other, missing, "another's purchase and a missing one look the same");
    assert_eq!(developer, missing);
    app.get(&path, None).await.assert_unauthenticated();
    assert_eq!(app.counts(&fx).await, before);
}

web_test!(only_operators_and_payment_system_tokens_record_purchases);
async fn only_operators_and_payment_system_tokens_record_purchases(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let op = app.login("operator@example.com").await;
    let before = app.counts(&fx).await;

    let body = purchase_body(&fx, "T-NEW-1");
    app.post_json("/api/v1/purchases", Some(&c1), &body).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.post_json("/api/v1/purchases", Some(&dev1), &body).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.post_json("/api/v1/purchases", None, &body).await.assert_unauthenticated();
    app.post_json("/api/v1/purchases", Some("garbage"), &body).await.assert_unauthenticated();
    assert_eq!(app.counts(&fx).await, before, "refused recordings write nothing");

    let created = app.post_json("/api/v1/purchases", Some(&op), &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let after = app.counts(&fx).await;
    assert_eq!(after.purchases, before.purchases + 1);
    assert_eq!(after.audit_entries, before.audit_entries + 1, "R14: purchase.recorded");
}

web_test!(a_payment_system_token_records_purchases_and_nothing_else);
async fn a_payment_system_token_records_purchases_and_nothing_else(app: TestApp) {
    let fx = app.seed().await;
    let op = app.login("operator@example.com").await;
    let label = "PG nightly export";
    let issued = app.post_json("/api/v1/auth/tokens", Some(&op), &json!({ "label": label })).await;
    assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.text());
    let issued = issued.json();
    assert_eq!(issued["scope"], "payment_system");
    let pay = issued["token"].as_str().expect("token").to_owned();

    let created = app.post_json("/api/v1/purchases", Some(&pay), &purchase_body(&fx, "T-PAY-1")).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let recorded = app.audit_log().await;
    let entry = recorded.iter().find(|r| {
        r.entry.action == "purchase.recorded" && r.entry.subject_id == created.json()["id"].as_str().unwrap_or_default()
    });
    assert_eq!(
        entry.and_then(|r| r.entry.actor.user_id.as_ref()),
        Some(&fx.operator.id),
        "recorded as the issuing operator"
    );

    let before = app.counts(&fx).await;
    app.get("/api/v1/me", Some(&pay)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.get("/api/v1/audit", Some(&pay)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.get("/api/v1/me/purchases", Some(&pay)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    let purchase_path = format!("/api/v1/purchases/{}", fx.customer1_purchases[0].purchase.id);
    app.get(&purchase_path, Some(&pay)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.post_json("/api/v1/auth/tokens", Some(&pay), &json!({ "label": "another" }))
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.send(req(Method::POST, "/api/v1/auth/logout").bearer(Some(&pay)).empty())
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(app.counts(&fx).await, before, "refused requests write nothing");
    // Still usable for what it is for.
    let again = app.post_json("/api/v1/purchases", Some(&pay), &purchase_body(&fx, "T-PAY-2")).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text());
}

web_test!(developers_and_customers_cannot_issue_payment_system_tokens);
async fn developers_and_customers_cannot_issue_payment_system_tokens(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let before = app.counts(&fx).await;
    for token in [&c1, &dev1] {
        app.post_json("/api/v1/auth/tokens", Some(token), &json!({ "label": "mine" }))
            .await
            .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    }
    app.post_json("/api/v1/auth/tokens", None, &json!({ "label": "mine" })).await.assert_unauthenticated();
    assert_eq!(app.counts(&fx).await, before, "no token.issued entry, no token");
}

web_test!(the_audit_log_is_for_operators_only);
async fn the_audit_log_is_for_operators_only(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let op = app.login("operator@example.com").await;
    let before = app.counts(&fx).await;

    let log = app.get("/api/v1/audit?limit=100", Some(&op)).await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.text());
    let log = log.json();
    let actions: Vec<&str> =
        log["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"purchase.recorded") && actions.contains(&"token.issued"), "{actions:?}");

    app.get("/api/v1/audit", Some(&dev1)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.get("/api/v1/audit", Some(&c1)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.get("/api/v1/audit", None).await.assert_unauthenticated();
    assert_eq!(app.counts(&fx).await, before);
}
