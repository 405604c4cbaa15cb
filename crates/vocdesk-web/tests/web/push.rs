//! Issue 13 over the JSON API: only developers subscribe devices, each their own
//! (another user's is 404 and stays); bad endpoints and keys are 422 and store nothing;
//! one developer has at most 20 devices; the VAPID key is made once and shared; and a
//! new inquiry queues a push for the seller's subscribed developers only.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, req};

/// P-256's generator point, uncompressed: a valid browser key for requests that are
/// only stored (tests that decrypt make real key pairs).
const P256DH: &str = "BGsX0fLhLEJH-Lzm5WOkQPJ3A32BLeszoPShOUXYmMKWT-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU";
const AUTH: &str = "AAECAwQFBgcICQoLDA0ODw";

fn device(endpoint: &str) -> Value {
    json!({ "endpoint": endpoint, "expirationTime": null, "keys": { "p256dh": P256DH, "auth": AUTH },
            "kinds": ["new_inquiry", "overdue"], "label": "Pixel, Chrome" })
}

async fn devices_of(app: &TestApp, token: &str) -> Vec<Value> {
    let listed = app.get("/api/v1/push/subscriptions", Some(token)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text());
    listed.json().as_array().cloned().unwrap_or_default()
}

web_test!(issue13_only_developers_subscribe_and_a_refusal_stores_nothing);
async fn issue13_only_developers_subscribe_and_a_refusal_stores_nothing(app: TestApp) {
    app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let op = app.login("operator@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    // Bad bodies too: the refusal comes first, whatever was sent.
    for body in [device("https://fcm.googleapis.com/fcm/send/abc"), json!({"endpoint": "http://10.0.0.1/"}), json!(7)] {
        let anonymous = app.post_json("/api/v1/push/subscriptions", None, &body).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", anonymous.text());
        for token in [&c1, &op] {
            let refused = app.post_json("/api/v1/push/subscriptions", Some(token), &body).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
            assert_eq!(refused.header("content-type"), Some("application/problem+json"));
        }
    }
    for token in [&c1, &op] {
        assert_eq!(app.get("/api/v1/push/subscriptions", Some(token)).await.status, StatusCode::FORBIDDEN);
    }
    assert!(devices_of(&app, &dev1).await.is_empty());
    assert_eq!(app.audited("push.subscribed").await, 0);
    // The health view is the operators'.
    assert_eq!(app.get("/api/v1/push/health", Some(&dev1)).await.status, StatusCode::FORBIDDEN);
    let health = app.get("/api/v1/push/health", Some(&op)).await;
    assert_eq!(health.status, StatusCode::OK, "{}", health.text());
    assert_eq!(health.json()["subscriptions"], 0);
}

web_test!(issue13_a_device_is_changed_and_removed_by_its_owner_only);
async fn issue13_a_device_is_changed_and_removed_by_its_owner_only(app: TestApp) {
    app.seed().await;
    let dev1 = app.login("dev1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;
    let endpoint = "https://fcm.googleapis.com/fcm/send/dev1-phone";
    let created = app.post_json("/api/v1/push/subscriptions", Some(&dev1), &device(endpoint)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_eq!(created.header("cache-control"), Some("no-store"));
    let id = created.json()["id"].as_str().expect("an id").to_owned();
    assert_eq!(created.json()["kinds"], json!(["new_inquiry", "overdue"]));
    assert!(created.json().get("keys").is_none(), "the keys are never sent back");
    // The same browser again: updated, not doubled.
    let again = app.post_json("/api/v1/push/subscriptions", Some(&dev1), &device(endpoint)).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(devices_of(&app, &dev1).await.len(), 1);

    let path = format!("/api/v1/push/subscriptions/{id}");
    let other = app.send(req(Method::DELETE, &path).bearer(Some(&dev2)).empty()).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "{}", other.text());
    let other = app.send(req(Method::PATCH, &path).bearer(Some(&dev2)).json(&json!({"kinds": 5}))).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "{}", other.text());
    assert_eq!(devices_of(&app, &dev1).await[0]["kinds"], json!(["new_inquiry", "overdue"]));
    assert!(devices_of(&app, &dev2).await.is_empty());

    let changed = app.send(req(Method::PATCH, &path).bearer(Some(&dev1)).json(&json!({"kinds": ["low_review"]}))).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
    assert_eq!(changed.json()["kinds"], json!(["low_review"]));
    let none = app.send(req(Method::PATCH, &path).bearer(Some(&dev1)).json(&json!({"kinds": []}))).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", none.text());
    let removed = app.send(req(Method::DELETE, &path).bearer(Some(&dev1)).empty()).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.text());
    assert!(devices_of(&app, &dev1).await.is_empty());
    let twice = app.send(req(Method::DELETE, &path).bearer(Some(&dev1)).empty()).await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND);
    assert_eq!(app.audited("push.subscribed").await, 1);
    assert_eq!(app.audited("push.unsubscribed").await, 1);
}

web_test!(issue13_bad_endpoints_and_keys_are_422_and_store_nothing);
async fn issue13_bad_endpoints_and_keys_are_422_and_store_nothing(app: TestApp) {
    app.seed().await;
    let dev1 = app.login("dev1@example.com").await;
    let long = format!("https://fcm.googleapis.com/fcm/send/{}", "a".repeat(10 * 1024));
    let with = |field: &str, value: Value| {
        let mut body = device("https://fcm.googleapis.com/fcm/send/x");
        match field {
            "p256dh" | "auth" => body["keys"][field] = value,
            _ => body[field] = value,
        }
        body
    };
    let cases = [
        (device("http://fcm.googleapis.com/fcm/send/x"), "endpoint", "not_https"),
        (device("http://127.0.0.1:9/push"), "endpoint", "not_https"),
        (device("https://127.0.0.1/push"), "endpoint", "not_public"),
        (device("https://192.168.1.20/push"), "endpoint", "not_public"),
        (device("https://169.254.169.254/latest"), "endpoint", "not_public"),
        (device("https://push.internal/x"), "endpoint", "not_public"),
        (device(&long), "endpoint", "too_long"),
        (device("fcm.googleapis.com/x"), "endpoint", "not_url"),
        (with("p256dh", json!("not-a-key")), "keys.p256dh", "invalid"),
        // 65 bytes with 0x04 first, but not a point on the curve.
        (with("p256dh", json!(format!("BA{}", "A".repeat(85)))), "keys.p256dh", "invalid"),
        (with("auth", json!("c2hvcnQ")), "keys.auth", "invalid"),
        (with("kinds", json!(["new_inquiry", "everything"])), "kinds", "unknown"),
        (with("kinds", json!([])), "kinds", "required"),
    ];
    for (body, field, code) in cases {
        let refused = app.post_json("/api/v1/push/subscriptions", Some(&dev1), &body).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{field} {code}: {}", refused.text());
        assert_eq!(refused.header("content-type"), Some("application/problem+json"));
        let errors = refused.json()["errors"].clone();
        assert!(
            errors.as_array().is_some_and(|e| e.iter().any(|e| e["field"] == field && e["code"] == code)),
            "{field} {code}: {errors}"
        );
    }
    let malformed = app.post_json("/api/v1/push/subscriptions", Some(&dev1), &json!({"endpoint": 3})).await;
    assert!(malformed.status.is_client_error(), "{}", malformed.text());
    assert!(devices_of(&app, &dev1).await.is_empty());
    assert_eq!(app.audited("push.subscribed").await, 0);
}

web_test!(issue13_a_developer_subscribing_1000_devices_keeps_20);
async fn issue13_a_developer_subscribing_1000_devices_keeps_20(app: TestApp) {
    app.seed().await;
    let dev1 = app.login("dev1@example.com").await;
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for n in 0..1000 {
        let body = device(&format!("https://fcm.googleapis.com/fcm/send/device-{n}"));
        let answer = app.post_json("/api/v1/push/subscriptions", Some(&dev1), &body).await;
        if answer.status == StatusCode::CONFLICT {
            assert_eq!(answer.json()["code"], "too_many_devices", "{}", answer.text());
        }
        *statuses.entry(answer.status.as_u16()).or_default() += 1;
    }
    assert_eq!(statuses, [(201, 20), (409, 980)].into_iter().collect());
    assert_eq!(devices_of(&app, &dev1).await.len(), 20);
}

web_test!(issue13_the_vapid_key_is_made_once_and_kept_across_restarts);
async fn issue13_the_vapid_key_is_made_once_and_kept_across_restarts(app: TestApp) {
    let key = app.get("/api/v1/push/vapid-public-key", None).await;
    assert_eq!(key.status, StatusCode::OK, "{}", key.text());
    let key = key.json()["public_key"].as_str().expect("a key").to_owned();
    use base64::Engine as _;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&key).expect("base64url");
    assert_eq!((raw.len(), raw[0]), (65, 4), "an uncompressed P-256 point");
    let twin = app.twin().await;
    let shared = twin.get("/api/v1/push/vapid-public-key", None).await.json()["public_key"].clone();
    assert_eq!(shared, json!(key), "a second process on the same store signs with the same key");
    drop(twin);
    let app = app.restart().await;
    assert_eq!(app.get("/api/v1/push/vapid-public-key", None).await.json()["public_key"], json!(key));
}

web_test!(issue13_a_new_inquiry_queues_a_push_for_the_sellers_subscribed_developers_only);
async fn issue13_a_new_inquiry_queues_a_push_for_the_sellers_subscribed_developers_only(app: TestApp) {
    let fx = app.seed().await;
    let dev1 = app.login("dev1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;
    let c1 = app.login("customer1@example.com").await;
    for (token, name) in [(&dev1, "dev1"), (&dev2, "dev2")] {
        let body = device(&format!("https://fcm.googleapis.com/fcm/send/{name}"));
        assert_eq!(app.post_json("/api/v1/push/subscriptions", Some(token), &body).await.status, StatusCode::CREATED);
    }
    let opened = app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], false).await;
    assert!(opened["id"].is_string(), "{opened}");
    let dev1_pushes = app.store.pushes_for(&fx.dev1.id, 10).await.expect("pushes");
    assert_eq!(
        dev1_pushes.iter().map(|(_, k, s)| (k.as_str(), s.as_str())).collect::<Vec<_>>(),
        [("new_inquiry", "pending")]
    );
    assert!(app.store.pushes_for(&fx.dev2.id, 10).await.expect("pushes").is_empty(), "dev2 is another seller's");
}
