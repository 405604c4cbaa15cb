//! Issue 13's sender against a push service that answers what each test needs: 429 and
//! 5xx back off and are tried again, any other 4xx gives up, 404/410 delete the device;
//! each request carries VAPID, aes128gcm, TTL, Urgency and Topic. And what is queued:
//! only the kinds a device chose, a 1-2 star review, an overdue inquiry once per wait,
//! a decided request, never anything of another seller's.

use std::sync::Mutex;

use axum::http::{Method, StatusCode};
use jiff::SignedDuration;
use serde_json::{Value, json};
use vocdesk_app::push::send::{PushReport, PushTransport, send_due};
use vocdesk_app::sweep::sweep;

use crate::support::{TestApp, req};

const P256DH: &str = "BGsX0fLhLEJH-Lzm5WOkQPJ3A32BLeszoPShOUXYmMKWT-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU";
const AUTH: &str = "AAECAwQFBgcICQoLDA0ODw";

/// A push service whose answer depends on the endpoint's last path segment.
#[derive(Default)]
struct Answers {
    seen: Mutex<Vec<(String, axum::http::HeaderMap, usize)>>,
}

impl PushTransport for Answers {
    fn post(
        &self,
        request: axum::http::Request<Vec<u8>>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<u16, String>> + Send + '_>> {
        let uri = request.uri().to_string();
        self.seen.lock().expect("seen").push((uri.clone(), request.headers().clone(), request.body().len()));
        let answer = match uri.rsplit('/').next().unwrap_or("") {
            "busy" => Ok(429),
            "down" => Ok(503),
            "broken" => Ok(400),
            "gone" => Ok(410),
            "silent" => Err("connection refused".to_owned()),
            _ => Ok(201),
        };
        Box::pin(async move { answer })
    }
}

async fn subscribe(app: &TestApp, token: &str, name: &str, kinds: &[&str]) -> String {
    let body = json!({ "endpoint": format!("https://fcm.googleapis.com/fcm/send/{name}"),
                       "keys": { "p256dh": P256DH, "auth": AUTH }, "kinds": kinds, "label": name });
    let created = app.post_json("/api/v1/push/subscriptions", Some(token), &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    created.json()["id"].as_str().expect("id").to_owned()
}

async fn send(app: &TestApp, transport: &Answers) -> PushReport {
    send_due(app.state.app(), transport, "test-worker", 50).await.expect("send")
}

fn statuses(pushes: &[(vocdesk_domain::ids::PushSubscriptionId, String, String)]) -> Vec<(String, String)> {
    let mut all: Vec<_> = pushes.iter().map(|(_, k, s)| (k.clone(), s.clone())).collect();
    all.sort();
    all
}

web_test!(issue13_429_and_5xx_back_off_a_400_gives_up_and_410_deletes_the_device);
async fn issue13_429_and_5xx_back_off_a_400_gives_up_and_410_deletes_the_device(app: TestApp) {
    let fx = app.seed().await;
    let dev1 = app.login("dev1@example.com").await;
    let c1 = app.login("customer1@example.com").await;
    for name in ["ok", "busy", "down", "broken", "gone", "silent"] {
        subscribe(&app, &dev1, name, &["new_inquiry"]).await;
    }
    app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], false).await;
    let transport = Answers::default();
    let first = send(&app, &transport).await;
    assert_eq!((first.sent, first.retried, first.failed, first.gone), (1, 3, 1, 1), "{first:?}");
    {
        let seen = transport.seen.lock().expect("seen");
        let (_, headers, length) = &seen[0];
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        assert!(header("authorization").starts_with("vapid t=") && header("authorization").contains(", k="));
        assert_eq!(header("content-encoding"), "aes128gcm");
        assert_eq!(
            (header("ttl"), header("urgency"), header("topic")),
            ("86400".into(), "normal".into(), "new-inquiry".into())
        );
        assert!(*length <= 4096, "one aes128gcm record: {length} bytes");
    }
    let devices = app.store.push_subscriptions_of(&fx.dev1.id).await.expect("devices");
    assert_eq!(devices.len(), 5, "the 410 device is gone");
    assert!(devices.iter().all(|d| d.label != "gone"));
    let failing = devices.iter().find(|d| d.label == "busy").expect("busy");
    assert_eq!(failing.last_error.as_deref(), Some("push service answered 429"));
    // Nothing is due again at once; after the back-off the three are tried again.
    let now = send(&app, &transport).await;
    assert_eq!(now, PushReport::default());
    app.clock.advance(SignedDuration::from_mins(1));
    let later = send(&app, &transport).await;
    assert_eq!(later.retried, 3, "{later:?}");
    // Retried for six hours at most, then given up.
    for _ in 0..40 {
        app.clock.advance(SignedDuration::from_mins(30));
        send(&app, &transport).await;
    }
    let pushes = app.store.pushes_for(&fx.dev1.id, 20).await.expect("pushes");
    assert_eq!(
        statuses(&pushes),
        [
            ("new_inquiry".into(), "failed".into()),
            ("new_inquiry".into(), "failed".into()),
            ("new_inquiry".into(), "failed".into()),
            ("new_inquiry".into(), "failed".into()),
            ("new_inquiry".into(), "sent".into())
        ]
    );
    let op = app.login("operator@example.com").await;
    let health = app.get("/api/v1/push/health", Some(&op)).await.json();
    assert_eq!(
        (health["sent_24h"].clone(), health["gone_24h"].clone(), health["pending"].clone()),
        (json!(1), json!(1), json!(0)),
        "{health}"
    );
    assert_eq!(app.audited("push.subscription_gone").await, 1);
}

web_test!(issue13_only_chosen_kinds_are_queued_and_a_low_review_tells_its_seller_only);
async fn issue13_only_chosen_kinds_are_queued_and_a_low_review_tells_its_seller_only(app: TestApp) {
    let fx = app.seed().await;
    let dev1 = app.login("dev1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;
    let c1 = app.login("customer1@example.com").await;
    subscribe(&app, &dev1, "dev1-reviews", &["low_review"]).await;
    subscribe(&app, &dev2, "dev2-all", &["new_inquiry", "low_review", "overdue", "near_limit", "request_decided"])
        .await;
    app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], false).await;
    assert!(app.store.pushes_for(&fx.dev1.id, 10).await.expect("pushes").is_empty(), "dev1 chose reviews only");
    let review = |rating: i64| {
        req(Method::PUT, &format!("/api/v1/apps/{}/reviews/mine", fx.paid_app.id))
            .bearer(Some(&c1))
            .json(&json!({ "rating": rating, "text": "결제 후 앱이 열리지 않아요. 환불 부탁합니다" }))
    };
    assert_eq!(app.send(review(2)).await.status, StatusCode::CREATED);
    let pushes = app.store.pushes_for(&fx.dev1.id, 10).await.expect("pushes");
    assert_eq!(statuses(&pushes), [("low_review".into(), "pending".into())]);
    assert_eq!(app.send(review(1)).await.status, StatusCode::OK, "an edit is no new review");
    assert_eq!(app.store.pushes_for(&fx.dev1.id, 10).await.expect("pushes").len(), 1);
    assert!(app.store.pushes_for(&fx.dev2.id, 10).await.expect("pushes").is_empty(), "dev2 hears nothing of seller 1");

    let transport = Answers::default();
    let report = send(&app, &transport).await;
    assert_eq!(report.sent, 1, "{report:?}");
}

web_test!(issue13_an_overdue_inquiry_is_pushed_once_per_wait_and_a_decision_is_pushed_to_its_seller);
async fn issue13_an_overdue_inquiry_is_pushed_once_per_wait_and_a_decision_is_pushed_to_its_seller(app: TestApp) {
    let fx = app.seed().await;
    let dev1 = app.login("dev1@example.com").await;
    let c1 = app.login("customer1@example.com").await;
    subscribe(&app, &dev1, "dev1-phone", &["overdue", "near_limit", "request_decided"]).await;
    app.ask_refund(&c1, &fx, &fx.customer1_purchases[1], false).await;
    app.clock.advance(SignedDuration::from_hours(49));
    sweep(app.state.app()).await.expect("sweep");
    let pushes = app.store.pushes_for(&fx.dev1.id, 10).await.expect("pushes");
    assert_eq!(statuses(&pushes), [("near_limit".into(), "pending".into())], "24 hours before the limit");
    app.clock.advance(SignedDuration::from_hours(24));
    let report = sweep(app.state.app()).await.expect("sweep");
    assert_eq!(report.overdue_pushed, 1);
    assert_eq!(sweep(app.state.app()).await.expect("sweep").overdue_pushed, 0, "once per wait");
    let pushes = app.store.pushes_for(&fx.dev1.id, 10).await.expect("pushes");
    assert!(statuses(&pushes).contains(&("overdue".into(), "pending".into())), "{pushes:?}");

    let (_, request) = app.open_request(&fx).await;
    let op = app.login("operator@example.com").await;
    let path = format!("/api/v1/cancellation-requests/{}/approve", request["id"].as_str().expect("id"));
    let approved = app.send(req(Method::POST, &path).bearer(Some(&op)).empty()).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text());
    let pushes = app.store.pushes_for(&fx.dev1.id, 10).await.expect("pushes");
    assert!(statuses(&pushes).contains(&("request_decided".into(), "pending".into())), "{pushes:?}");
    let transport = Answers::default();
    send(&app, &transport).await;
    let topics: Vec<Value> = transport
        .seen
        .lock()
        .expect("seen")
        .iter()
        .map(|(_, h, _)| json!(h.get("topic").and_then(|v| v.to_str().ok())))
        .collect();
    assert!(topics.iter().any(|t| t.as_str().is_some_and(|t| t.starts_with("request-decided-"))), "{topics:?}");
}

web_test!(issue13_a_push_for_a_kind_the_device_no_longer_chose_is_dropped);
async fn issue13_a_push_for_a_kind_the_device_no_longer_chose_is_dropped(app: TestApp) {
    let fx = app.seed().await;
    let dev1 = app.login("dev1@example.com").await;
    let c1 = app.login("customer1@example.com").await;
    let id = subscribe(&app, &dev1, "dev1-phone", &["new_inquiry"]).await;
    app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], false).await;
    let path = format!("/api/v1/push/subscriptions/{id}");
    let changed = app.send(req(Method::PATCH, &path).bearer(Some(&dev1)).json(&json!({"kinds": ["low_review"]}))).await;
    assert_eq!(changed.status, StatusCode::OK);
    let transport = Answers::default();
    let report = send(&app, &transport).await;
    assert_eq!((report.sent, report.dropped), (0, 1), "{report:?}");
    assert!(transport.seen.lock().expect("seen").is_empty());
}

web_test!(issue13_two_server_processes_on_one_store_send_each_push_once);
async fn issue13_two_server_processes_on_one_store_send_each_push_once(app: TestApp) {
    let fx = app.seed().await;
    let dev1 = app.login("dev1@example.com").await;
    let c1 = app.login("customer1@example.com").await;
    for n in 0..5 {
        subscribe(&app, &dev1, &format!("device-{n}"), &["new_inquiry"]).await;
    }
    for purchase in &fx.customer1_purchases[..2] {
        app.ask_refund(&c1, &fx, purchase, false).await;
    }
    let twin = app.twin().await;
    let transport = Answers::default();
    let (one, two) = tokio::join!(
        send_due(app.state.app(), &transport, "process-a", 3),
        send_due(twin.state.app(), &transport, "process-b", 3)
    );
    let (one, two) = (one.expect("a"), two.expect("b"));
    let rest = send(&app, &transport).await;
    assert_eq!(one.sent + two.sent + rest.sent, 10, "{one:?} {two:?} {rest:?}");
    let mut endpoints: Vec<String> = transport.seen.lock().expect("seen").iter().map(|(u, _, _)| u.clone()).collect();
    assert_eq!(endpoints.len(), 10, "each push was posted once");
    endpoints.sort();
    endpoints.dedup();
    assert_eq!(endpoints.len(), 5);
    drop(twin);
}
