//! Every API route authorizes before it reads the body, the query or a header: a role
//! that may never use a route is answered 401, 403 or 404 whatever it sent, never 400,
//! 415 or 422, and nothing changes.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::support::{TestApp, req};

/// Who asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    Customer,
    Developer,
    Operator,
    PaymentSystem,
}

use Who::{Customer as C, Developer as D, Operator as O, PaymentSystem as P};

/// A body that is wrong for every route: valid JSON with an unknown field.
const BAD_BODY: &str = r#"{"bogus":1}"#;
/// A query that is wrong for every route that reads one.
const BAD_QUERY: &str = "limit=abc&cursor=%25%25%25&status=nope&rating=9&replied=maybe";

web_test!(every_route_refuses_a_role_that_may_never_use_it_before_reading_the_body_or_query);
async fn every_route_refuses_a_role_that_may_never_use_it_before_reading_the_body_or_query(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let op = app.login("operator@example.com").await;
    let pay = app.payment_system_token(&op, "import").await;
    // Real things, so that each refusal comes from authorization and not from a miss.
    let (inquiry, request) = app.open_request(&fx).await;
    let request = request["id"].as_str().expect("a request id").to_owned();
    let review = app
        .send(
            req(Method::PUT, &format!("/api/v1/apps/{}/reviews/mine", fx.paid_app.id))
                .bearer(Some(&c1))
                .json(&json!({ "rating": 4, "text": "좋아요" })),
        )
        .await;
    assert_eq!(review.status, StatusCode::CREATED, "{}", review.text());
    let review = review.json()["review"]["id"].as_str().expect("a review id").to_owned();
    let template = json!({ "title": "Thanks", "text": "Thank you!", "lang": "en" });
    let template = app.post_json("/api/v1/reply-templates", Some(&dev1), &template).await;
    assert_eq!(template.status, StatusCode::CREATED, "{}", template.text());
    let template = template.json()["id"].as_str().expect("a template id").to_owned();
    let outbox = app.outbox().await.first().map(|m| m.id.0.clone()).expect("queued mail");
    let purchase = fx.customer1_purchases[0].purchase.id.0.clone();
    let (app_id, i, r) = (fx.paid_app.id.0.clone(), inquiry.as_str(), review.as_str());

    // (method, path, the roles that may never use it). Every route that needs a
    // signed-in caller; the public reads (catalog, reviews, rating summary) need none.
    let routes: Vec<(Method, String, Vec<Who>)> = vec![
        (Method::POST, "/api/v1/auth/tokens".into(), vec![C, D, P]),
        (Method::GET, "/api/v1/me".into(), vec![P]),
        (Method::PATCH, "/api/v1/me".into(), vec![P]),
        (Method::GET, "/api/v1/me/purchases".into(), vec![D, O, P]),
        (Method::POST, "/api/v1/apps".into(), vec![C, D, P]),
        (Method::POST, format!("/api/v1/apps/{app_id}/items"), vec![C, D, P]),
        (Method::POST, "/api/v1/sellers".into(), vec![C, D, P]),
        (Method::POST, "/api/v1/users".into(), vec![C, D, P]),
        (Method::POST, "/api/v1/purchases".into(), vec![C, D]),
        (Method::GET, format!("/api/v1/purchases/{purchase}"), vec![D, P]),
        (Method::GET, "/api/v1/audit".into(), vec![C, D, P]),
        (Method::POST, format!("/api/v1/apps/{app_id}/inquiries"), vec![D, O, P]),
        (Method::GET, "/api/v1/inquiries".into(), vec![P]),
        (Method::GET, "/api/v1/inquiries/counts".into(), vec![C, P]),
        (Method::GET, format!("/api/v1/inquiries/{i}"), vec![P]),
        (Method::POST, format!("/api/v1/inquiries/{i}/messages"), vec![O, P]),
        (Method::POST, format!("/api/v1/inquiries/{i}/close"), vec![O, P]),
        (Method::GET, format!("/api/v1/inquiries/{i}/attachments/none"), vec![P]),
        (Method::GET, format!("/api/v1/inquiries/{i}/purchases"), vec![C, P]),
        (Method::GET, format!("/api/v1/inquiries/{i}/payment-details"), vec![C, P]),
        (Method::PUT, format!("/api/v1/inquiries/{i}/consent"), vec![D, O, P]),
        (Method::POST, format!("/api/v1/inquiries/{i}/cancel-purchase"), vec![C, D, P]),
        (Method::POST, format!("/api/v1/purchases/{purchase}/cancellation-requests"), vec![C, O, P]),
        (Method::GET, "/api/v1/cancellation-requests".into(), vec![C, P]),
        (Method::POST, "/api/v1/cancellation-requests/off-store".into(), vec![C, O, P]),
        (Method::GET, "/api/v1/off-store/purchases".into(), vec![C, O, P]),
        (Method::GET, format!("/api/v1/cancellation-requests/{request}"), vec![C, P]),
        (Method::POST, format!("/api/v1/cancellation-requests/{request}/approve"), vec![C, D, P]),
        (Method::POST, format!("/api/v1/cancellation-requests/{request}/reject"), vec![C, D, P]),
        (Method::GET, "/api/v1/outbox".into(), vec![C, D, P]),
        (Method::POST, format!("/api/v1/outbox/{outbox}/retry"), vec![C, D, P]),
        (Method::GET, "/api/v1/inbound".into(), vec![C, D, P]),
        (Method::GET, "/api/v1/inbound/none".into(), vec![C, D, P]),
        (Method::GET, "/api/v1/inbound/none/raw".into(), vec![C, D, P]),
        (Method::POST, "/api/v1/inbound/none/release".into(), vec![C, D, P]),
        (Method::POST, "/api/v1/inbound/none/discard".into(), vec![C, D, P]),
        (Method::GET, "/api/v1/bouncing-addresses".into(), vec![C, D, P]),
        (Method::POST, "/api/v1/bouncing-addresses/clear".into(), vec![C, D, P]),
        (Method::GET, format!("/api/v1/apps/{app_id}/reviews/mine"), vec![D, O, P]),
        (Method::PUT, format!("/api/v1/apps/{app_id}/reviews/mine"), vec![D, O, P]),
        (Method::DELETE, format!("/api/v1/apps/{app_id}/reviews/mine"), vec![D, O, P]),
        (Method::GET, "/api/v1/reviews".into(), vec![C, P]),
        (Method::GET, "/api/v1/reviews/counts".into(), vec![C, P]),
        (Method::GET, format!("/api/v1/reviews/{r}"), vec![C, P]),
        (Method::PUT, format!("/api/v1/reviews/{r}/reply"), vec![C, O, P]),
        (Method::DELETE, format!("/api/v1/reviews/{r}/reply"), vec![C, O, P]),
        (Method::POST, format!("/api/v1/reviews/{r}/reply/confirm"), vec![C, O, P]),
        (Method::POST, format!("/api/v1/reviews/{r}/reply/hide"), vec![C, D, P]),
        (Method::POST, format!("/api/v1/reviews/{r}/reply/unhide"), vec![C, D, P]),
        (Method::POST, format!("/api/v1/reviews/{r}/reports"), vec![O, P]),
        (Method::POST, format!("/api/v1/reviews/{r}/reports/dismiss"), vec![C, D, P]),
        (Method::POST, format!("/api/v1/reviews/{r}/hide"), vec![C, D, P]),
        (Method::POST, format!("/api/v1/reviews/{r}/unhide"), vec![C, D, P]),
        (Method::GET, "/api/v1/moderation/reports".into(), vec![C, D, P]),
        (Method::GET, "/api/v1/reply-templates".into(), vec![C, O, P]),
        (Method::POST, "/api/v1/reply-templates".into(), vec![C, O, P]),
        (Method::PUT, format!("/api/v1/reply-templates/{template}"), vec![C, O, P]),
        (Method::DELETE, format!("/api/v1/reply-templates/{template}"), vec![C, O, P]),
        (Method::GET, "/api/v1/push/subscriptions".into(), vec![C, O, P]),
        (Method::POST, "/api/v1/push/subscriptions".into(), vec![C, O, P]),
        (Method::PATCH, "/api/v1/push/subscriptions/any-device".into(), vec![C, O, P]),
        (Method::DELETE, "/api/v1/push/subscriptions/any-device".into(), vec![C, O, P]),
        (Method::GET, "/api/v1/push/health".into(), vec![C, D, P]),
    ];

    let before = app.counts(&fx).await;
    let mut checked = 0;
    for (method, path, never) in &routes {
        for who in std::iter::once(Who::Anonymous).chain(never.iter().copied()) {
            let token = match who {
                Who::Anonymous => None,
                Who::Customer => Some(c1.as_str()),
                Who::Developer => Some(dev1.as_str()),
                Who::Operator => Some(op.as_str()),
                Who::PaymentSystem => Some(pay.as_str()),
            };
            // A bad query on every route, a bad body (and two `Idempotency-Key`s,
            // which is itself a 400) on every route that may take one.
            let uri = format!("{path}?{BAD_QUERY}");
            let builder = req(method.clone(), &uri)
                .bearer(token)
                .header("idempotency-key", "a")
                .header("idempotency-key", "b")
                .header("content-type", "application/json");
            let response = app.send(builder.raw(BAD_BODY)).await;
            let expected: &[StatusCode] = match who {
                Who::Anonymous => &[StatusCode::UNAUTHORIZED],
                _ => &[StatusCode::FORBIDDEN, StatusCode::NOT_FOUND],
            };
            assert!(
                expected.contains(&response.status),
                "{who:?} {method} {path}: {} {}",
                response.status,
                response.text()
            );
            checked += 1;
        }
    }
    assert!(checked > 150, "every route and role was tried ({checked})");
    assert_eq!(app.counts(&fx).await, before, "no refused request changed anything");
}
