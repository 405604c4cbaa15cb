//! Issue 13's settings page `/settings/devices`: developers only; subscribing this
//! browser, changing a device's kinds and removing it are POSTs with CSRF through the
//! API's use case; another developer's device is 404 and stays; a bad subscription goes
//! back to the page saying so and stores nothing.

use axum::http::StatusCode;

use crate::support::TestApp;
use crate::support::browser::{Browser, hidden_input};

const P256DH: &str = "BGsX0fLhLEJH-Lzm5WOkQPJ3A32BLeszoPShOUXYmMKWT-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU";
const AUTH: &str = "AAECAwQFBgcICQoLDA0ODw";

web_test!(issue13_the_devices_page_is_for_developers_and_subscribes_changes_and_removes_with_csrf);
async fn issue13_the_devices_page_is_for_developers_and_subscribes_changes_and_removes_with_csrf(app: TestApp) {
    let fx = app.seed().await;
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    assert_eq!(customer.get(&app, "/settings/devices").await.status, StatusCode::FORBIDDEN);
    let csrf = customer.form_token(&app).await;
    let refused = customer
        .post_form(&app, "/settings/devices", &[("csrf", &csrf), ("endpoint", "https://fcm.googleapis.com/x")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let mut dev1 = Browser::signed_in(&app, "dev1@example.com").await;
    let page = dev1.get(&app, "/settings/devices").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    let key = app.state.app().vapid_keys().public_key().to_owned();
    assert!(html.contains(&format!("data-vapid-key=\"{key}\"")), "the page carries the VAPID key");
    assert!(html.contains("id=\"push-enable\"") && html.contains(" hidden>"), "the button waits for app.js");
    assert!(html.contains("id=\"devices-none\""));
    let csrf = hidden_input(&html, "csrf").expect("csrf");
    let form = [
        ("csrf", csrf.as_str()),
        ("endpoint", "https://fcm.googleapis.com/fcm/send/dev1-browser"),
        ("p256dh", P256DH),
        ("auth", AUTH),
        ("kinds", "new_inquiry"),
        ("kinds", "overdue"),
        ("label", "<b>Phone</b>"),
    ];
    let without = dev1.post_form(&app, "/settings/devices", &form[1..]).await;
    assert_eq!(without.status, StatusCode::FORBIDDEN, "no CSRF token, no device");
    assert!(app.store.push_subscriptions_of(&fx.dev1.id).await.expect("devices").is_empty());
    let subscribed = dev1.post_form(&app, "/settings/devices", &form).await;
    assert_eq!(subscribed.status, StatusCode::SEE_OTHER);
    assert_eq!(subscribed.header("location"), Some("/settings/devices?done=subscribed"));
    let devices = app.store.push_subscriptions_of(&fx.dev1.id).await.expect("devices");
    assert_eq!(devices.len(), 1);
    let listed = dev1.get(&app, "/settings/devices").await.text();
    assert!(listed.contains("Phone") && !listed.contains("<b>Phone"), "the label is escaped");

    let mut dev2 = Browser::signed_in(&app, "dev2@example.com").await;
    let csrf2 = dev2.form_token(&app).await;
    let id = devices[0].id.0.clone();
    let theirs = dev2.post_form(&app, &format!("/settings/devices/{id}/remove"), &[("csrf", &csrf2)]).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let theirs =
        dev2.post_form(&app, &format!("/settings/devices/{id}/kinds"), &[("csrf", &csrf2), ("kinds", "x")]).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(app.store.push_subscriptions_of(&fx.dev1.id).await.expect("devices").len(), 1);

    let csrf = dev1.form_token(&app).await;
    let saved = dev1
        .post_form(&app, &format!("/settings/devices/{id}/kinds"), &[("csrf", &csrf), ("kinds", "low_review")])
        .await;
    assert_eq!(saved.header("location"), Some("/settings/devices?done=saved"));
    let kinds = app.store.push_subscription(&devices[0].id).await.expect("read").expect("kept").kinds;
    assert_eq!(kinds, [vocdesk_domain::push::PushKind::LowReview]);
    let bad = dev1.post_form(&app, "/settings/devices", &[("csrf", &csrf), ("endpoint", "http://10.0.0.1/")]).await;
    assert_eq!(bad.header("location"), Some("/settings/devices?done=invalid"));
    let told = dev1.get(&app, "/settings/devices?done=invalid").await.text();
    assert!(told.contains("id=\"devices-notice\""));
    let removed = dev1.post_form(&app, &format!("/settings/devices/{id}/remove"), &[("csrf", &csrf)]).await;
    assert_eq!(removed.header("location"), Some("/settings/devices?done=removed"));
    assert!(app.store.push_subscriptions_of(&fx.dev1.id).await.expect("devices").is_empty());
}

web_test!(issue13_the_push_health_page_is_the_operators);
async fn issue13_the_push_health_page_is_the_operators(app: TestApp) {
    app.seed().await;
    for email in ["dev1@example.com", "customer1@example.com"] {
        let mut browser = Browser::signed_in(&app, email).await;
        assert_eq!(browser.get(&app, "/operator/push").await.status, StatusCode::FORBIDDEN, "{email}");
    }
    let mut operator = Browser::signed_in(&app, "operator@example.com").await;
    let page = operator.get(&app, "/operator/push").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains(app.state.app().vapid_keys().public_key()), "the key is shown");
    assert!(html.contains("id=\"push-subscriptions\"") && html.contains("id=\"push-no-failures\""));
    assert!(html.contains("href=\"/operator/push\"") && html.contains("aria-current"), "in the operator navigation");
}
