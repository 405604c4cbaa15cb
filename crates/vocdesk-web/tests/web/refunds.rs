//! R5-R9 and R14 through the JSON API: a customer's purchases seen from an inquiry
//! (R6), consent and the audited reveal of payment ids (R7), cancellation requests and
//! the operators' queue and decisions (R8), off-store requests (R9), the 3-day limit
//! with the operator's and the `auto` policy's cancellation on the developer's behalf
//! and the reminder before it (R5), and the audit log's story of it all (R14). Every
//! refusal is checked to change nothing.

use axum::http::{Method, StatusCode, header};
use jiff::SignedDuration;
use serde_json::{Value, json};
use vocdesk_app::AppConfig;
use vocdesk_app::sweep::sweep;
use vocdesk_domain::ids::{InquiryId, PurchaseId, UserId};
use vocdesk_domain::outbox::QueuedMail;
use vocdesk_domain::purchase::mask;
use vocdesk_domain::refund::{AUTO_CANCEL_ACTOR, AutoCancelPolicy};
use vocdesk_store::AuditFilter;
use vocdesk_web::WebConfig;

use crate::support::{Fixture, TestApp, TestResponse, ids, purchase_body, req};

// ----- helpers -----

fn id_of(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
}

fn purchases_path(inquiry: &str) -> String {
    format!("/api/v1/inquiries/{inquiry}/purchases")
}

fn details_path(inquiry: &str) -> String {
    format!("/api/v1/inquiries/{inquiry}/payment-details")
}

fn consent_path(inquiry: &str) -> String {
    format!("/api/v1/inquiries/{inquiry}/consent")
}

fn cancel_path(inquiry: &str) -> String {
    format!("/api/v1/inquiries/{inquiry}/cancel-purchase")
}

fn request_path(id: &str) -> String {
    format!("/api/v1/cancellation-requests/{id}")
}

/// The fields a `validation_failed` problem names, in order.
fn fields(problem: &Value) -> Vec<String> {
    problem["errors"].as_array().expect("errors").iter().map(|e| e["field"].as_str().unwrap_or("").to_owned()).collect()
}

/// The code of the problem's field error on `field`.
fn field_code(problem: &Value, field: &str) -> String {
    let errors = problem["errors"].as_array().expect("errors");
    let error = errors.iter().find(|e| e["field"] == field).unwrap_or_else(|| panic!("no error on {field}: {problem}"));
    error["code"].as_str().unwrap_or("").to_owned()
}

/// `PUT /api/v1/inquiries/{id}/consent`.
async fn put_consent(app: &TestApp, token: Option<&str>, inquiry: &str, consent: bool) -> TestResponse {
    let body = json!({ "consent_personal_info": consent });
    app.send(req(Method::PUT, &consent_path(inquiry)).bearer(token).json(&body)).await
}

/// `GET path` as `token`: the listed items' ids, asserting 200.
async fn listed(app: &TestApp, token: &str, path: &str) -> Vec<String> {
    let response = app.get(path, Some(token)).await;
    assert_eq!(response.status, StatusCode::OK, "GET {path}: {}", response.text());
    ids(response.json()["items"].as_array().expect("items"))
}

/// The ids of the requests the queue lists at `query` for `token`.
async fn queue(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    listed(app, token, &format!("/api/v1/cancellation-requests{query}")).await
}

/// An operator approves (empty body); the response as it came.
async fn approve(app: &TestApp, token: &str, request: &str) -> TestResponse {
    app.send(req(Method::POST, &format!("{}/approve", request_path(request))).bearer(Some(token)).empty()).await
}

/// An operator rejects with `reason`; the response as it came.
async fn reject(app: &TestApp, token: &str, request: &str, reason: &str) -> TestResponse {
    app.post_json(&format!("{}/reject", request_path(request)), Some(token), &json!({ "reason": reason })).await
}

/// The audit log through the API as `token` with `query`, asserting 200.
async fn audit_api(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let response = app.get(&format!("/api/v1/audit?limit=100&{query}"), Some(token)).await;
    assert_eq!(response.status, StatusCode::OK, "audit {query}: {}", response.text());
    response.json()["items"].as_array().expect("items").clone()
}

fn actions(entries: &[Value]) -> Vec<String> {
    entries.iter().map(|e| e["action"].as_str().unwrap_or("").to_owned()).collect()
}

/// The `auto` policy (R5) on otherwise default settings.
fn auto_policy() -> WebConfig {
    WebConfig { app: AppConfig { auto_cancel: AutoCancelPolicy::Auto, ..AppConfig::default() }, ..WebConfig::default() }
}

/// An operator records, through the API, a purchase of the paid app by customer 1
/// that the payment system already reports as cancelled; returns its id.
async fn cancelled_purchase(app: &TestApp, fx: &Fixture) -> String {
    let op = app.login("operator@example.com").await;
    let mut body = purchase_body(fx, "T-C1-CANCELLED");
    body["status"] = json!("cancelled");
    let response = app.post_json("/api/v1/purchases", Some(&op), &body).await;
    assert_eq!(response.status, StatusCode::CREATED, "record a cancelled purchase: {}", response.text());
    id_of(&response.json())
}

// ----- R6: purchase history from an inquiry -----

web_test!(r6_purchase_history_shows_only_the_sellers_purchases_of_that_customer_masked);
async fn r6_purchase_history_shows_only_the_sellers_purchases_of_that_customer_masked(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let c2 = app.login("customer2@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;
    let op = app.login("operator@example.com").await;
    let thread = app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], true).await;
    let id = id_of(&thread);

    // dev1: customer 1's purchases of seller 1 (app and item), newest first; nothing
    // of seller 2 (the free app) and nothing of customer 2.
    let response = app.get(&purchases_path(&id), Some(&dev1)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let body = response.json();
    let items = body["items"].as_array().expect("items");
    let own = [&fx.customer1_purchases[1], &fx.customer1_purchases[0]];
    assert_eq!(ids(items), own.iter().map(|p| p.purchase.id.0.clone()).collect::<Vec<_>>());
    assert_eq!(body["next_cursor"], Value::Null);
    for (item, purchase) in items.iter().zip(own) {
        let p = &purchase.purchase;
        assert_eq!(item["app_id"], json!(fx.paid_app.id.0));
        assert_eq!(item["app_title"], "Paid Puzzle");
        assert_eq!(item["status"], "paid");
        assert_eq!(item["cancelled_at"], Value::Null);
        assert_eq!(item["amount"]["amount_minor"], json!(p.amount.amount_minor));
        assert_eq!(item["purchased_at"], json!(p.purchased_at.to_string()));
        assert_eq!(item["payment_ids_masked"], true, "R7: masked in the history");
        assert_eq!(item["tid"], json!(mask(&p.payment.tid)));
        assert_eq!(item["txid"], json!(mask(p.payment.txid.as_deref().expect("a txid"))));
        assert_eq!(item["receipt_no"], json!(mask(p.payment.receipt_no.as_deref().expect("a receipt"))));
        assert_ne!(item["tid"], json!(p.payment.tid), "never the real id");
    }
    assert_eq!(items[0]["item_id"], json!(fx.paid_item.id.0));
    assert_eq!(items[0]["item_title"], "Hint pack");
    assert_eq!(items[1]["item_id"], Value::Null);
    assert!(!response.text().contains("T-C1-PAID"), "no unmasked id anywhere: {}", response.text());

    // Paging.
    let first = app.get(&format!("{}?limit=1", purchases_path(&id)), Some(&dev1)).await.json();
    assert_eq!(ids(first["items"].as_array().expect("items")), [fx.customer1_purchases[1].purchase.id.0.clone()]);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = app.get(&format!("{}?limit=1&cursor={cursor}", purchases_path(&id)), Some(&dev1)).await.json();
    assert_eq!(ids(second["items"].as_array().expect("items")), [fx.customer1_purchases[0].purchase.id.0.clone()]);

    // Operators see the same list.
    assert_eq!(listed(&app, &op, &purchases_path(&id)).await.len(), 2);

    // Everyone else is refused, and a refused read writes nothing.
    let before = app.counts(&fx).await;
    app.get(&purchases_path(&id), Some(&dev2)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    app.get(&purchases_path(&id), Some(&c1)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    // A customer never sees purchases from an inquiry, theirs or another's: refused for
    // the role (403) before the inquiry is looked up or the query read.
    app.get(&purchases_path(&id), Some(&c2)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.get(&purchases_path(&id), None).await.assert_unauthenticated();
    app.get(&purchases_path("no-such-inquiry"), Some(&dev1)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    app.get(&format!("{}?limit=0", purchases_path(&id)), Some(&dev1))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "invalid_query");
    assert_eq!(app.counts(&fx).await, before);
}

// ----- R7: consent and payment details -----

web_test!(r7_payment_details_need_the_customers_consent_and_every_reveal_is_audited);
async fn r7_payment_details_need_the_customers_consent_and_every_reveal_is_audited(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;
    let thread = app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], false).await;
    let id = id_of(&thread);
    assert_eq!(thread["consent_personal_info"], false);

    // Without consent: 403 telling the developer to ask the customer; nothing revealed,
    // nothing audited.
    let before = app.counts(&fx).await;
    let response = app
        .send(req(Method::GET, &details_path(&id)).bearer(Some(&dev1)).header("accept-language", "en").empty())
        .await;
    let problem = response.assert_problem(StatusCode::FORBIDDEN, "consent_required");
    let title = problem["title"].as_str().unwrap_or_default();
    assert!(title.contains("Ask the customer for consent"), "the title says what to do: {title}");
    assert!(!response.text().contains("T-C1-PAID"));
    let korean = app.get(&details_path(&id), Some(&dev1)).await;
    let problem = korean.assert_problem(StatusCode::FORBIDDEN, "consent_required");
    assert!(problem["title"].as_str().unwrap_or_default().contains("동의"), "{problem}");
    app.get(&details_path(&id), Some(&dev2)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    app.get(&details_path(&id), Some(&c1)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.get(&details_path(&id), None).await.assert_unauthenticated();
    assert_eq!(app.counts(&fx).await, before, "a refused reveal writes nothing");
    assert_eq!(app.audited("payment_ids.revealed").await, 0);

    // The customer consents later, from the thread: recorded with its time.
    app.clock.advance(SignedDuration::from_mins(7));
    let response = put_consent(&app, Some(&c1), &id, true).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let inquiry = response.json();
    assert_eq!(inquiry["id"], json!(id));
    assert_eq!(inquiry["consent_personal_info"], true);
    assert_eq!(inquiry["consent_at"], json!(app.now().to_string()));
    let seen = app.get(&format!("/api/v1/inquiries/{id}"), Some(&dev1)).await.json();
    assert_eq!(seen["consent_personal_info"], true);
    assert_eq!(seen["consent_at"], json!(app.now().to_string()), "the developer sees when");
    let consent_audit =
        app.audit_where(&AuditFilter { inquiry: Some(InquiryId(id.clone())), ..Default::default() }).await;
    assert!(
        consent_audit
            .iter()
            .any(|r| r.entry.actor.user_id.as_ref() == Some(&fx.customer1.id) && r.entry.action.contains("consent")),
        "R14: the consent is audited: {:?}",
        consent_audit.iter().map(|r| &r.entry.action).collect::<Vec<_>>()
    );

    // With consent: the ids in full, and one audit entry per purchase shown, by dev1.
    let response = app.get(&details_path(&id), Some(&dev1)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let items = response.json()["items"].as_array().expect("items").clone();
    let own = [&fx.customer1_purchases[1], &fx.customer1_purchases[0]];
    assert_eq!(ids(&items), own.iter().map(|p| p.purchase.id.0.clone()).collect::<Vec<_>>());
    for (item, purchase) in items.iter().zip(own) {
        assert_eq!(item["payment_ids_masked"], false);
        assert_eq!(item["tid"], json!(purchase.purchase.payment.tid));
        assert_eq!(item["txid"], json!(purchase.purchase.payment.txid));
        assert_eq!(item["receipt_no"], json!(purchase.purchase.payment.receipt_no));
    }
    assert_eq!(app.audited("payment_ids.revealed").await, 2, "one entry per purchase revealed");
    for purchase in own {
        let filter = AuditFilter { purchase: Some(purchase.purchase.id.clone()), ..Default::default() };
        let revealed: Vec<_> =
            app.audit_where(&filter).await.into_iter().filter(|r| r.entry.action == "payment_ids.revealed").collect();
        assert_eq!(revealed.len(), 1, "the reveal of {} is audited", purchase.purchase.id);
        assert_eq!(revealed[0].entry.actor.user_id.as_ref(), Some(&fx.dev1.id), "by dev1");
        assert_eq!(revealed[0].entry.channel.as_str(), "api");
    }
    // The masked history stays masked, and another look is another audit entry.
    let masked = app.get(&purchases_path(&id), Some(&dev1)).await.json();
    assert_eq!(masked["items"][0]["payment_ids_masked"], true);
    app.get(&details_path(&id), Some(&dev1)).await;
    assert_eq!(app.audited("payment_ids.revealed").await, 4);

    // Withdrawn, the ids are refused again.
    app.clock.advance(SignedDuration::from_mins(1));
    let withdrawn = put_consent(&app, Some(&c1), &id, false).await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.text());
    assert_eq!(withdrawn.json()["consent_personal_info"], false);
    app.get(&details_path(&id), Some(&dev1)).await.assert_problem(StatusCode::FORBIDDEN, "consent_required");
}

web_test!(r7_operators_see_payment_details_without_consent_and_are_audited_too);
async fn r7_operators_see_payment_details_without_consent_and_are_audited_too(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let op = app.login("operator@example.com").await;
    let id = id_of(&app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], false).await);
    let response = app.get(&details_path(&id), Some(&op)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json()["items"][0]["payment_ids_masked"], false);
    let revealed: Vec<_> =
        app.audit_log().await.into_iter().filter(|r| r.entry.action == "payment_ids.revealed").collect();
    assert_eq!(revealed.len(), 2);
    assert!(revealed.iter().all(|r| r.entry.actor.user_id.as_ref() == Some(&fx.operator.id)));
}

web_test!(r7_only_the_inquirys_customer_may_give_consent);
async fn r7_only_the_inquirys_customer_may_give_consent(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let c2 = app.login("customer2@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;
    let op = app.login("operator@example.com").await;
    let id = id_of(&app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], false).await);

    let before = app.counts(&fx).await;
    put_consent(&app, Some(&c2), &id, true).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    put_consent(&app, Some(&dev1), &id, true).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    // No developer ever consents for a customer: refused for the role (403), whichever
    // seller's inquiry it is, before the body is read.
    put_consent(&app, Some(&dev2), &id, true).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    put_consent(&app, Some(&op), &id, true).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    put_consent(&app, None, &id, true).await.assert_unauthenticated();
    put_consent(&app, Some(&c1), "no-such-inquiry", true).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    let bad = json!({ "consent_personal_info": "O" });
    app.send(req(Method::PUT, &consent_path(&id)).bearer(Some(&c1)).json(&bad))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    app.send(req(Method::PUT, &consent_path(&id)).bearer(Some(&c1)).json(&json!({})))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    assert_eq!(app.counts(&fx).await, before, "refused consent changes write nothing");
    let thread = app.get(&format!("/api/v1/inquiries/{id}"), Some(&c1)).await.json();
    assert_eq!(thread["consent_personal_info"], false);
    assert_eq!(thread["consent_at"], Value::Null);
    app.get(&details_path(&id), Some(&dev1)).await.assert_problem(StatusCode::FORBIDDEN, "consent_required");
}

// ----- R8: submitting a request -----

web_test!(r8_submitting_is_idempotent_and_one_open_request_per_purchase);
async fn r8_submitting_is_idempotent_and_one_open_request_per_purchase(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let purchase = &fx.customer1_purchases[0];
    let pid = purchase.purchase.id.0.clone();
    let inquiry = id_of(&app.ask_refund(&c1, &fx, purchase, true).await);
    app.clock.advance(SignedDuration::from_hours(1));

    let reason = "고객과 환불에 합의했습니다.";
    let first = app.submit_request(&dev1, &pid, &inquiry, reason, Some("refund-key-1")).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let request = first.json();
    let rid = id_of(&request);
    assert_eq!(first.header(header::LOCATION), Some(request_path(&rid).as_str()));
    assert_eq!(request["purchase_id"], json!(pid));
    assert_eq!(request["inquiry_id"], json!(inquiry));
    assert_eq!(request["inquiry_subject"], "환불 요청합니다");
    assert_eq!(request["seller_id"], json!(fx.seller1.id.0));
    assert_eq!(request["seller_name"], "Seller One");
    assert_eq!(request["app_id"], json!(fx.paid_app.id.0));
    assert_eq!(request["app_title"], "Paid Puzzle");
    assert_eq!(request["item_title"], Value::Null);
    assert_eq!(request["customer_id"], json!(fx.customer1.id.0));
    assert_eq!(request["customer_name"], "customer1");
    assert_eq!(request["requested_by"], json!(fx.dev1.id.0));
    assert_eq!(request["requested_by_name"], "dev1");
    assert_eq!(request["channel"], "api");
    assert_eq!(request["reason"], reason);
    assert_eq!(request["status"], "open");
    assert_eq!(request["decided_by"], Value::Null);
    assert_eq!(request["decided_at"], Value::Null);
    assert_eq!(request["created_at"], json!(app.now().to_string()));
    assert_eq!(app.cancellation_requests().await.len(), 1);
    // The thread shows it, to both sides.
    for token in [&c1, &dev1] {
        let thread = app.get(&format!("/api/v1/inquiries/{inquiry}"), Some(token)).await.json();
        assert_eq!(ids(thread["cancellation_requests"].as_array().expect("requests")), [rid.as_str()]);
        assert_eq!(thread["cancellation_requests"][0]["status"], "open");
    }

    // The same key and request: the same answer (201, same request), nothing new.
    app.clock.advance(SignedDuration::from_mins(1));
    let before = app.counts(&fx).await;
    let replay = app.submit_request(&dev1, &pid, &inquiry, reason, Some("refund-key-1")).await;
    assert_eq!(replay.status, StatusCode::CREATED, "{}", replay.text());
    assert_eq!(id_of(&replay.json()), rid);
    assert_eq!(replay.header(header::LOCATION), Some(request_path(&rid).as_str()));
    // A repeat without a key, or with another key: the open request, 200.
    let repeat = app.submit_request(&dev1, &pid, &inquiry, "다시 요청합니다.", None).await;
    assert_eq!(repeat.status, StatusCode::OK, "{}", repeat.text());
    assert_eq!(id_of(&repeat.json()), rid);
    let other_key = app.submit_request(&dev1, &pid, &inquiry, reason, Some("refund-key-2")).await;
    assert_eq!(other_key.status, StatusCode::OK, "{}", other_key.text());
    assert_eq!(id_of(&other_key.json()), rid);
    // The key with another request is a client bug: 422.
    app.submit_request(&dev1, &pid, &inquiry, "다른 사유", Some("refund-key-1"))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");
    let item = fx.customer1_purchases[1].purchase.id.0.clone();
    app.submit_request(&dev1, &item, &inquiry, reason, Some("refund-key-1"))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");
    // A malformed key: 400.
    for key in ["has space", &"k".repeat(256)] {
        app.submit_request(&dev1, &pid, &inquiry, reason, Some(key))
            .await
            .assert_problem(StatusCode::BAD_REQUEST, "bad_idempotency_key");
    }
    assert_eq!(app.counts(&fx).await, before, "replays, repeats and refusals write nothing");

    // Another purchase of the same customer and seller gets its own request.
    let second = app.submit_request(&dev1, &item, &inquiry, reason, None).await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text());
    assert_ne!(id_of(&second.json()), rid);
    assert_eq!(second.json()["item_title"], "Hint pack");
}

web_test!(r8_bad_submissions_are_refused_and_change_nothing);
async fn r8_bad_submissions_are_refused_and_change_nothing(app: TestApp) {
    let fx = app.seed().await;
    let cancelled = cancelled_purchase(&app, &fx).await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;
    let op = app.login("operator@example.com").await;
    let paid = fx.customer1_purchases[0].purchase.id.0.clone();
    let free = fx.customer1_purchases[2].purchase.id.0.clone();
    let other_customers = fx.customer2_purchases[0].purchase.id.0.clone();
    let inquiry = id_of(&app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], true).await);
    let free_question = json!({
        "category": "refund",
        "subject": "무료 앱 환불",
        "body": "환불해 주세요.",
        "purchase_id": free,
    });
    let free_inquiry = id_of(&app.ask(&c1, &fx.free_app, &free_question).await);
    let reason = "환불에 합의했습니다.";

    let before = app.counts(&fx).await;

    // Unknown purchase; another seller's purchase; another customer's; not their inquiry.
    let not_found = [
        (&dev1, "no-such-purchase"),       // unknown purchase
        (&dev1, free.as_str()),            // another seller's purchase
        (&dev1, other_customers.as_str()), // another customer's purchase
        (&dev2, paid.as_str()),            // not dev2's inquiry
    ];
    for (token, purchase) in not_found {
        app.submit_request(token, purchase, &inquiry, reason, None)
            .await
            .assert_problem(StatusCode::NOT_FOUND, "not_found");
    }
    // Already cancelled; free.
    app.submit_request(&dev1, &cancelled, &inquiry, reason, None)
        .await
        .assert_problem(StatusCode::CONFLICT, "purchase_cancelled");
    app.submit_request(&dev2, &free, &free_inquiry, reason, None)
        .await
        .assert_problem(StatusCode::CONFLICT, "nothing_to_refund");
    // Reasons: empty, blank, too long.
    let too_long = "가".repeat(1001);
    for (bad, code) in [("", "required"), ("   \n ", "required"), (too_long.as_str(), "too_long")] {
        let problem = app
            .submit_request(&dev1, &paid, &inquiry, bad, None)
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(fields(&problem), ["reason"]);
        assert_eq!(field_code(&problem, "reason"), code, "{problem}");
    }
    // The inquiry: missing or unknown.
    let problem = app
        .submit_request(&dev1, &paid, "", reason, None)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(fields(&problem), ["inquiry_id"]);
    let problem = app
        .submit_request(&dev1, &paid, "no-such-inquiry", reason, None)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(field_code(&problem, "inquiry_id"), "unknown_inquiry");
    // Customers and operators do not submit requests.
    for token in [&c1, &op] {
        app.submit_request(token, &paid, &inquiry, reason, None)
            .await
            .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    }
    let path = format!("/api/v1/purchases/{paid}/cancellation-requests");
    app.post_json(&path, None, &json!({ "inquiry_id": inquiry, "reason": reason })).await.assert_unauthenticated();
    // Malformed bodies.
    app.post_json(&path, Some(&dev1), &json!({ "inquiry_id": inquiry, "reason": reason, "amount": 1 }))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    app.send(req(Method::POST, &path).bearer(Some(&dev1)).header("content-type", "application/json").raw("{"))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "malformed_json");
    app.send(req(Method::POST, &path).bearer(Some(&dev1)).raw("reason=x"))
        .await
        .assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");

    assert_eq!(app.counts(&fx).await, before, "no request, audit entry or mail from any refusal");
    assert!(app.cancellation_requests().await.is_empty());
}

// ----- R8: the queue and decisions -----

web_test!(r8_the_queue_is_oldest_first_filtered_and_scoped_to_the_seller);
async fn r8_the_queue_is_oldest_first_filtered_and_scoped_to_the_seller(app: TestApp) {
    let fx = app.seed().await;
    let theme = app
        .purchase(&fx.customer2, &fx.free_app, Some(&fx.free_item), 1_000, "T-C2-THEME", "2026-11-06T10:00:00Z")
        .await;
    let c1 = app.login("customer1@example.com").await;
    let c2 = app.login("customer2@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;
    let op = app.login("operator@example.com").await;
    let minute = SignedDuration::from_mins(1);
    let reason = "환불에 합의했습니다.";

    let a = id_of(&app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], true).await);
    let b = id_of(&app.ask_refund(&c2, &fx, &fx.customer2_purchases[0], false).await);
    let theme_question = json!({ "category": "refund", "subject": "테마 환불", "body": "환불해 주세요.", "purchase_id": theme.purchase.id.0 });
    let c = id_of(&app.ask(&c2, &fx.free_app, &theme_question).await);
    let submit = |token: &str, purchase: &str, inquiry: &str| {
        let (token, purchase, inquiry) = (token.to_owned(), purchase.to_owned(), inquiry.to_owned());
        let app = &app;
        async move {
            app.clock.advance(minute);
            let response = app.submit_request(&token, &purchase, &inquiry, reason, None).await;
            assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
            id_of(&response.json())
        }
    };
    let r1 = submit(&dev1, &fx.customer1_purchases[0].purchase.id.0, &a).await;
    let r2 = submit(&dev1, &fx.customer2_purchases[0].purchase.id.0, &b).await;
    let r3 = submit(&dev2, &theme.purchase.id.0, &c).await;
    let r4 = submit(&dev1, &fx.customer1_purchases[1].purchase.id.0, &a).await;
    let s1 = fx.seller1.id.0.clone();
    let s2 = fx.seller2.id.0.clone();

    // Operators: every request, oldest first; by seller.
    assert_eq!(queue(&app, &op, "").await, [r1.clone(), r2.clone(), r3.clone(), r4.clone()]);
    assert_eq!(queue(&app, &op, &format!("?seller_id={s2}")).await, [r3.as_str()]);
    assert_eq!(queue(&app, &op, &format!("?seller_id={s1}")).await, [r1.clone(), r2.clone(), r4.clone()]);
    let page = app.get("/api/v1/cancellation-requests?limit=2", Some(&op)).await.json();
    assert_eq!(ids(page["items"].as_array().expect("items")), [r1.clone(), r2.clone()]);
    let cursor = page["next_cursor"].as_str().expect("a next page");
    assert_eq!(queue(&app, &op, &format!("?limit=2&cursor={cursor}")).await, [r3.clone(), r4.clone()]);
    // Developers: their own seller's only.
    assert_eq!(queue(&app, &dev1, "").await, [r1.clone(), r2.clone(), r4.clone()]);
    assert_eq!(queue(&app, &dev1, &format!("?seller_id={s1}")).await, [r1.clone(), r2.clone(), r4.clone()]);
    assert_eq!(queue(&app, &dev2, "").await, [r3.as_str()]);
    app.get(&format!("/api/v1/cancellation-requests?seller_id={s2}"), Some(&dev1))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "not_found");
    app.get("/api/v1/cancellation-requests", Some(&c1)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.get("/api/v1/cancellation-requests", None).await.assert_unauthenticated();
    app.get("/api/v1/cancellation-requests?status=pending", Some(&op))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "invalid_query");
    // One request: its seller's developers and operators.
    let one = app.get(&request_path(&r3), Some(&dev2)).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.text());
    assert_eq!(one.json()["seller_id"], json!(s2));
    assert_eq!(app.get(&request_path(&r3), Some(&op)).await.status, StatusCode::OK);
    app.get(&request_path(&r3), Some(&dev1)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    app.get(&request_path(&r3), Some(&c2)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.get(&request_path("no-such-request"), Some(&op)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");

    // By status, after deciding two.
    assert_eq!(approve(&app, &op, &r2).await.status, StatusCode::OK);
    assert_eq!(reject(&app, &op, &r4, "이미 사용한 아이템입니다.").await.status, StatusCode::OK);
    assert_eq!(queue(&app, &op, "?status=open").await, [r1.clone(), r3.clone()]);
    assert_eq!(queue(&app, &op, "?status=approved").await, [r2.as_str()]);
    assert_eq!(queue(&app, &op, "?status=rejected").await, [r4.as_str()]);
    assert_eq!(queue(&app, &op, &format!("?status=open&seller_id={s1}")).await, [r1.as_str()]);
    assert_eq!(queue(&app, &dev1, "?status=open").await, [r1]);
}

web_test!(r8_approving_cancels_the_purchase_and_notifies_both_sides);
async fn r8_approving_cancels_the_purchase_and_notifies_both_sides(app: TestApp) {
    let fx = app.seed().await;
    let (inquiry, request) = app.open_request(&fx).await;
    let rid = id_of(&request);
    let purchase = &fx.customer1_purchases[0];
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let op = app.login("operator@example.com").await;
    let mails_before = app.outbox().await.len();

    app.clock.advance(SignedDuration::from_hours(3));
    let response = approve(&app, &op, &rid).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let approved = response.json();
    assert_eq!(approved["id"], json!(rid));
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["decided_by"], json!(fx.operator.id.0));
    assert_eq!(approved["decided_by_name"], "operator");
    assert_eq!(approved["decided_at"], json!(app.now().to_string()));

    // The purchase is cancelled; the customer sees it in their history.
    let now = app.purchase_now(purchase).await;
    assert_eq!(now.purchase.status.as_str(), "cancelled");
    assert_eq!(now.purchase.cancelled_at, Some(app.now()));
    let mine = app.get("/api/v1/me/purchases", Some(&c1)).await.json();
    let entry = mine["items"].as_array().expect("items").iter().find(|p| p["id"] == json!(purchase.purchase.id.0));
    assert_eq!(entry.expect("the purchase is listed")["status"], "cancelled");
    // Both sides are told by queued mail.
    let outbox = app.outbox().await;
    assert_eq!(outbox.len(), mails_before + 2, "one mail to the customer, one to dev1");
    let to_customer = app.mails_of_kind("purchase_cancelled").await;
    assert_eq!(to_customer.len(), 1);
    assert_eq!(to_customer[0].mail.to_user.as_ref(), Some(&fx.customer1.id));
    assert_eq!(to_customer[0].mail.inquiry_id.as_ref().map(|i| i.0.as_str()), Some(inquiry.as_str()));
    let to_developer = app.mails_of_kind("cancellation_approved").await;
    assert_eq!(to_developer.len(), 1);
    assert_eq!(to_developer[0].mail.to_user.as_ref(), Some(&fx.dev1.id));
    // The thread shows it, to both sides.
    for token in [&c1, &dev1] {
        let thread = app.get(&format!("/api/v1/inquiries/{inquiry}"), Some(token)).await.json();
        assert_eq!(thread["cancellation_requests"][0]["id"], json!(rid));
        assert_eq!(thread["cancellation_requests"][0]["status"], "approved");
    }
    // R14.
    let cancelled: Vec<_> =
        app.audit_log().await.into_iter().filter(|r| r.entry.action == "purchase.cancelled").collect();
    assert_eq!(cancelled.len(), 1);
    assert_eq!(cancelled[0].entry.actor.user_id.as_ref(), Some(&fx.operator.id));

    // Approving again answers the request unchanged and does nothing; the purchase
    // cannot be requested again.
    let before = app.counts(&fx).await;
    app.clock.advance(SignedDuration::from_mins(1));
    let again = approve(&app, &op, &rid).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.json()["decided_at"], approved["decided_at"]);
    app.submit_request(&dev1, &purchase.purchase.id.0, &inquiry, "다시", None)
        .await
        .assert_problem(StatusCode::CONFLICT, "purchase_cancelled");
    reject(&app, &op, &rid, "늦었습니다").await.assert_problem(StatusCode::CONFLICT, "request_decided");
    assert_eq!(app.counts(&fx).await, before);

    // The approve body may be `{}`; anything else is refused.
    let item = &fx.customer1_purchases[1];
    let response = app.submit_request(&dev1, &item.purchase.id.0, &inquiry, "아이템도 환불", None).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let other = id_of(&response.json());
    let path = format!("{}/approve", request_path(&other));
    app.post_json(&path, Some(&op), &json!({ "note": "ok" }))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    app.send(req(Method::POST, &path).bearer(Some(&op)).header("content-type", "application/json").raw("{"))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "malformed_json");
    let with_object = app.post_json(&path, Some(&op), &json!({})).await;
    assert_eq!(with_object.status, StatusCode::OK, "{}", with_object.text());
    assert_eq!(with_object.json()["status"], "approved");
    approve(&app, &op, "no-such-request").await.assert_problem(StatusCode::NOT_FOUND, "not_found");
}

web_test!(r8_two_operators_approving_at_once_cancel_once);
async fn r8_two_operators_approving_at_once_cancel_once(app: TestApp) {
    let fx = app.seed().await;
    let second = app.user("operator2@example.com", vocdesk_domain::role::Role::Operator, None, None).await;
    let (_, request) = app.open_request(&fx).await;
    let rid = id_of(&request);
    let op1 = app.login("operator@example.com").await;
    let op2 = app.login(&second.email).await;

    let (a, b) = tokio::join!(approve(&app, &op1, &rid), approve(&app, &op2, &rid));
    for response in [&a, &b] {
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        assert_eq!(response.json()["status"], "approved");
    }
    assert_eq!(a.json()["decided_by"], b.json()["decided_by"], "one decision, whoever came first");
    assert_eq!(app.audited("purchase.cancelled").await, 1, "cancelled once");
    assert_eq!(app.mails_of_kind("purchase_cancelled").await.len(), 1, "the customer is told once");
    assert_eq!(app.mails_of_kind("cancellation_approved").await.len(), 1, "dev1 is told once");
    assert_eq!(app.purchase_now(&fx.customer1_purchases[0]).await.purchase.status.as_str(), "cancelled");
}

web_test!(r8_rejecting_needs_a_reason_notifies_both_and_is_final);
async fn r8_rejecting_needs_a_reason_notifies_both_and_is_final(app: TestApp) {
    let fx = app.seed().await;
    let (inquiry, request) = app.open_request(&fx).await;
    let rid = id_of(&request);
    let op = app.login("operator@example.com").await;
    let c1 = app.login("customer1@example.com").await;
    let path = format!("{}/reject", request_path(&rid));

    let before = app.counts(&fx).await;
    for body in [json!({}), json!({ "reason": "" }), json!({ "reason": "  " }), json!({ "reason": "x".repeat(1001) })] {
        let problem = app
            .post_json(&path, Some(&op), &body)
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(fields(&problem), ["reason"], "{body}");
    }
    app.send(req(Method::POST, &path).bearer(Some(&op)).empty())
        .await
        .assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    assert_eq!(app.counts(&fx).await, before, "a rejection without a reason changes nothing");

    app.clock.advance(SignedDuration::from_hours(1));
    let why = "구매 후 7일이 지나 환불할 수 없습니다.";
    let response = reject(&app, &op, &rid, why).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let rejected = response.json();
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["decision_note"], why);
    assert_eq!(rejected["decided_by"], json!(fx.operator.id.0));
    assert_eq!(rejected["decided_at"], json!(app.now().to_string()));
    assert_eq!(app.purchase_now(&fx.customer1_purchases[0]).await.purchase.status.as_str(), "paid");
    let mails = app.mails_of_kind("cancellation_rejected").await;
    let mut told: Vec<_> = mails.iter().filter_map(|m| m.mail.to_user.clone()).collect();
    told.sort();
    let mut both = vec![fx.customer1.id.clone(), fx.dev1.id.clone()];
    both.sort();
    assert_eq!(told, both, "the customer and dev1 are told");
    assert!(mails.iter().all(|m| m.mail.body_text.contains(why)), "with the reason");
    assert!(app.mails_of_kind("purchase_cancelled").await.is_empty());
    let thread = app.get(&format!("/api/v1/inquiries/{inquiry}"), Some(&c1)).await.json();
    assert_eq!(thread["cancellation_requests"][0]["status"], "rejected");
    assert_eq!(thread["cancellation_requests"][0]["decision_note"], why);

    // Final: approving now is 409; rejecting again answers it unchanged.
    let before = app.counts(&fx).await;
    approve(&app, &op, &rid).await.assert_problem(StatusCode::CONFLICT, "request_decided");
    let again = reject(&app, &op, &rid, "다시").await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.json()["decision_note"], why);
    assert_eq!(app.counts(&fx).await, before);
    assert_eq!(app.purchase_now(&fx.customer1_purchases[0]).await.purchase.status.as_str(), "paid");

    // After a rejection, a new request for the purchase may be submitted.
    let dev1 = app.login("dev1@example.com").await;
    let pid = fx.customer1_purchases[0].purchase.id.0.clone();
    let renewed = app.submit_request(&dev1, &pid, &inquiry, "추가 자료를 받았습니다.", None).await;
    assert_eq!(renewed.status, StatusCode::CREATED, "{}", renewed.text());
    assert_ne!(id_of(&renewed.json()), rid);
}

web_test!(r8_r14_developers_and_customers_cannot_decide_or_read_the_audit_log);
async fn r8_r14_developers_and_customers_cannot_decide_or_read_the_audit_log(app: TestApp) {
    let fx = app.seed().await;
    let (inquiry, request) = app.open_request(&fx).await;
    let rid = id_of(&request);
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;

    let before = app.counts(&fx).await;
    for token in [&dev1, &dev2, &c1] {
        approve(&app, token, &rid).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
        reject(&app, token, &rid, "안 됩니다").await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
        app.post_json(&cancel_path(&inquiry), Some(token), &json!({}))
            .await
            .assert_problem(StatusCode::FORBIDDEN, "forbidden");
        for query in ["", "?inquiry_id=x", &format!("?actor_id={}", fx.dev1.id)] {
            app.get(&format!("/api/v1/audit{query}"), Some(token))
                .await
                .assert_problem(StatusCode::FORBIDDEN, "forbidden");
        }
    }
    approve(&app, "not-a-token", &rid).await.assert_unauthenticated();
    app.get("/api/v1/audit", None).await.assert_unauthenticated();
    assert_eq!(app.counts(&fx).await, before, "nothing decided, nothing cancelled");
    assert_eq!(app.cancellation_requests().await[0].status.as_str(), "open");
}

// ----- R9: off-store requests -----

/// The seed form for customer 1's purchase of the paid app (2026-11-01 10:00 UTC is
/// 19:00 in Korea), taken by phone with consent.
fn phone_form(fx: &Fixture) -> Value {
    json!({
        "channel": "phone",
        "consent_personal_info": "O",
        "customer_no": "C-0001",
        "purchased_at": "2026-11-01 19:00",
        "product_id": fx.paid_app.id.0,
        "reason": "고객이 전화로 환불을 요청했고 합의했습니다.",
    })
}

const OFF_STORE: &str = "/api/v1/cancellation-requests/off-store";

web_test!(r9_an_off_store_refund_becomes_an_inquiry_and_a_request_in_the_queue);
async fn r9_an_off_store_refund_becomes_an_inquiry_and_a_request_in_the_queue(app: TestApp) {
    let fx = app.seed().await;
    let dev1 = app.login("dev1@example.com").await;
    let c1 = app.login("customer1@example.com").await;
    let op = app.login("operator@example.com").await;
    let purchase = &fx.customer1_purchases[0];

    let response = app.post_json(OFF_STORE, Some(&dev1), &phone_form(&fx)).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let filed = response.json();
    let inquiry = &filed["inquiry"];
    let request = &filed["request"];
    let rid = id_of(request);
    assert_eq!(response.header(header::LOCATION), Some(request_path(&rid).as_str()));
    assert_eq!(inquiry["channel"], "phone", "R2: where it came from");
    assert_eq!(inquiry["category"], "refund");
    assert_eq!(inquiry["status"], "awaiting_store", "R17: filed for the customer, the store has the turn");
    // Item 7: the customer hears at once that consent was recorded for them, and by whom;
    // R17: and that the store has their refund.
    let consent = app.mails_of_kind("consent_recorded").await;
    assert_eq!(consent.len(), 1, "one consent notice");
    assert_eq!(consent[0].mail.to_user.as_ref(), Some(&fx.customer1.id));
    assert!(consent[0].mail.body_text.contains(&fx.dev1.display_name), "{}", consent[0].mail.body_text);
    assert_eq!(app.mails_of_kind("cancellation_requested").await.len(), 1);
    assert_eq!(inquiry["customer_id"], json!(fx.customer1.id.0));
    assert_eq!(inquiry["purchase_id"], json!(purchase.purchase.id.0));
    assert_eq!(inquiry["consent_personal_info"], true, "consent O");
    assert_eq!(request["inquiry_id"], inquiry["id"]);
    assert_eq!(request["purchase_id"], json!(purchase.purchase.id.0));
    assert_eq!(request["channel"], "phone");
    assert_eq!(request["status"], "open");
    assert_eq!(request["requested_by"], json!(fx.dev1.id.0));

    // Same queue as R8 requests; the customer sees the thread with the form in it.
    assert_eq!(queue(&app, &op, "?status=open").await, [rid.as_str()]);
    let inquiry_id = id_of(inquiry);
    let thread = app.get(&format!("/api/v1/inquiries/{inquiry_id}"), Some(&c1)).await;
    assert_eq!(thread.status, StatusCode::OK, "{}", thread.text());
    let thread = thread.json();
    assert_eq!(thread["messages"][0]["side"], "developer");
    assert_eq!(thread["messages"][0]["channel"], "phone");
    assert!(thread["messages"][0]["body"].as_str().unwrap_or_default().contains("C-0001"), "{thread}");
    assert_eq!(ids(thread["cancellation_requests"].as_array().expect("requests")), [rid.as_str()]);
    // With consent O the developer may see the payment details of the new inquiry.
    assert_eq!(app.get(&details_path(&inquiry_id), Some(&dev1)).await.status, StatusCode::OK);

    // Filing it again: the open request, 200, and nothing filed.
    let before = app.counts(&fx).await;
    let again = app.post_json(OFF_STORE, Some(&dev1), &phone_form(&fx)).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    let again = again.json();
    assert_eq!(id_of(&again["request"]), rid);
    assert!(again.get("inquiry").is_none(), "no inquiry was filed: {again}");
    assert_eq!(app.counts(&fx).await, before);

    // By email without consent, for the item, in RFC 3339.
    let email = json!({
        "channel": "email",
        "consent_personal_info": "X",
        "customer_no": "C-0001",
        "purchased_at": "2026-11-02T10:00:30Z",
        "product_id": fx.paid_item.id.0,
        "reason": "메일로 요청받았습니다.",
    });
    let response = app.post_json(OFF_STORE, Some(&dev1), &email).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let filed = response.json();
    assert_eq!(filed["inquiry"]["channel"], "email");
    assert_eq!(filed["inquiry"]["consent_personal_info"], false);
    assert_eq!(filed["request"]["purchase_id"], json!(fx.customer1_purchases[1].purchase.id.0));
    assert_eq!(filed["request"]["item_title"], "Hint pack");
    let email_inquiry = id_of(&filed["inquiry"]);
    app.get(&details_path(&email_inquiry), Some(&dev1)).await.assert_problem(StatusCode::FORBIDDEN, "consent_required");
}

web_test!(r9_a_malformed_off_store_form_is_refused_field_by_field_and_changes_nothing);
async fn r9_a_malformed_off_store_form_is_refused_field_by_field_and_changes_nothing(app: TestApp) {
    let fx = app.seed().await;
    let dev1 = app.login("dev1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;
    let c1 = app.login("customer1@example.com").await;
    let op = app.login("operator@example.com").await;
    let before = app.counts(&fx).await;

    // Every malformed field at once.
    let bad = json!({
        "channel": "store",
        "consent_personal_info": "maybe",
        "customer_no": "<b>",
        "purchased_at": "yesterday",
        "product_id": "",
        "reason": "",
    });
    let problem = app
        .post_json(OFF_STORE, Some(&dev1), &bad)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(
        fields(&problem),
        ["channel", "consent_personal_info", "customer_no", "purchased_at", "product_id", "reason"]
    );
    // Left out: the same, field by field.
    let problem = app
        .post_json(OFF_STORE, Some(&dev1), &json!({}))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(
        fields(&problem),
        ["channel", "consent_personal_info", "customer_no", "purchased_at", "product_id", "reason"]
    );
    // One field at a time.
    for (field, value) in [
        ("consent_personal_info", json!("Y")),
        ("purchased_at", json!("2026-13-01 19:00")),
        ("reason", json!("x".repeat(1001))),
        ("channel", json!("api")),
    ] {
        let mut form = phone_form(&fx);
        form[field] = value;
        let problem = app
            .post_json(OFF_STORE, Some(&dev1), &form)
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(fields(&problem), [field]);
    }
    // A customer number no customer has.
    let mut form = phone_form(&fx);
    form["customer_no"] = json!("C-9999");
    let problem = app
        .post_json(OFF_STORE, Some(&dev1), &form)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(field_code(&problem, "customer_no"), "unknown_customer");
    // No purchase of that product at that time; another seller's product; a product of
    // the seller the customer never bought.
    let mut form = phone_form(&fx);
    form["purchased_at"] = json!("2026-11-01 19:01");
    let problem = app
        .post_json(OFF_STORE, Some(&dev1), &form)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(field_code(&problem, "purchased_at"), "unknown_purchase");
    let problem = app
        .post_json(OFF_STORE, Some(&dev2), &phone_form(&fx))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(field_code(&problem, "purchased_at"), "unknown_purchase", "dev2 cannot reach seller 1's purchases");
    // A free purchase: the form is fine, the store refuses, and nothing is filed.
    let free = json!({
        "channel": "email",
        "consent_personal_info": "O",
        "customer_no": "C-0001",
        "purchased_at": "2026-11-03 19:00",
        "product_id": fx.free_app.id.0,
        "reason": "무료 앱 환불",
    });
    app.post_json(OFF_STORE, Some(&dev2), &free).await.assert_problem(StatusCode::CONFLICT, "nothing_to_refund");
    // Only developers file.
    app.post_json(OFF_STORE, Some(&c1), &phone_form(&fx)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.post_json(OFF_STORE, Some(&op), &phone_form(&fx)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.post_json(OFF_STORE, None, &phone_form(&fx)).await.assert_unauthenticated();
    // Not the form's types.
    let mut typed = phone_form(&fx);
    typed["consent_personal_info"] = json!(true);
    app.post_json(OFF_STORE, Some(&dev1), &typed)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");

    assert_eq!(app.counts(&fx).await, before, "no inquiry, request, audit entry or mail");
}

// ----- R5: the 3-day limit -----

/// The R5 reminders queued about inquiry `id`.
async fn reminders(app: &TestApp, id: &str) -> Vec<QueuedMail> {
    let about = |m: &QueuedMail| m.mail.inquiry_id.as_ref().is_some_and(|i| i.0 == id);
    app.mails_of_kind("response_reminder").await.into_iter().filter(about).collect()
}

/// The queued mails of `kind` about inquiry `id`.
async fn mails_about(app: &TestApp, kind: &str, id: &str) -> Vec<QueuedMail> {
    let about = |m: &QueuedMail| m.mail.inquiry_id.as_ref().is_some_and(|i| i.0 == id);
    app.mails_of_kind(kind).await.into_iter().filter(about).collect()
}

web_test!(r5_an_operator_cancels_an_overdue_inquirys_purchase_on_the_developers_behalf_once);
async fn r5_an_operator_cancels_an_overdue_inquirys_purchase_on_the_developers_behalf_once(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let op = app.login("operator@example.com").await;
    let purchase = &fx.customer1_purchases[0];
    let id = id_of(&app.ask_refund(&c1, &fx, purchase, false).await);
    let no_purchase = json!({ "category": "refund", "subject": "환불", "body": "환불해 주세요." });
    let without = id_of(&app.ask(&c1, &fx.paid_app, &no_purchase).await);

    // Before the limit: 409, nothing changes; only operators may.
    app.clock.advance(SignedDuration::from_hours(71));
    let before = app.counts(&fx).await;
    app.post_json(&cancel_path(&id), Some(&op), &json!({})).await.assert_problem(StatusCode::CONFLICT, "not_overdue");
    for token in [&dev1, &c1] {
        app.post_json(&cancel_path(&id), Some(token), &json!({}))
            .await
            .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    }
    app.post_json(&cancel_path(&id), None, &json!({})).await.assert_unauthenticated();
    app.post_json(&cancel_path("no-such-inquiry"), Some(&op), &json!({}))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(app.counts(&fx).await, before);
    let not_yet = listed(&app, &op, "/api/v1/inquiries?overdue=true").await;
    assert!(!not_yet.contains(&id), "not overdue at 71 hours");

    // Past 72 hours it is in the overdue queue, and the operator cancels.
    app.clock.advance(SignedDuration::from_hours(2));
    let overdue = listed(&app, &op, "/api/v1/inquiries?overdue=true").await;
    assert!(overdue.contains(&id) && overdue.contains(&without), "{overdue:?}");
    assert!(listed(&app, &dev1, "/api/v1/inquiries?overdue=true").await.contains(&id), "the developer sees it too");
    let response = app.post_json(&cancel_path(&id), Some(&op), &json!({})).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let body = response.json();
    assert_eq!(body["inquiry"]["id"], json!(id));
    assert_eq!(body["purchase"]["id"], json!(purchase.purchase.id.0));
    assert_eq!(body["purchase"]["status"], "cancelled");
    assert_eq!(body["purchase"]["cancelled_at"], json!(app.now().to_string()));
    assert_eq!(app.purchase_now(purchase).await.purchase.status.as_str(), "cancelled");
    // Recorded as done on the developer's behalf, by the operator.
    let on_behalf: Vec<_> =
        app.audit_log().await.into_iter().filter(|r| r.entry.action == "purchase.cancelled_on_behalf").collect();
    assert_eq!(on_behalf.len(), 1);
    assert_eq!(on_behalf[0].entry.actor.user_id.as_ref(), Some(&fx.operator.id));
    assert_eq!(on_behalf[0].entry.channel.as_str(), "api");
    let to_customer = app.mails_of_kind("purchase_cancelled").await;
    assert_eq!(to_customer.len(), 1);
    assert_eq!(to_customer[0].mail.to_user.as_ref(), Some(&fx.customer1.id));
    let to_developer = app.mails_of_kind("cancelled_on_behalf").await;
    assert_eq!(to_developer.len(), 1);
    assert_eq!(to_developer[0].mail.to_user.as_ref(), Some(&fx.dev1.id));

    // Never twice; an inquiry without a purchase has nothing to cancel.
    let before = app.counts(&fx).await;
    app.post_json(&cancel_path(&id), Some(&op), &json!({}))
        .await
        .assert_problem(StatusCode::CONFLICT, "purchase_cancelled");
    app.post_json(&cancel_path(&without), Some(&op), &json!({}))
        .await
        .assert_problem(StatusCode::CONFLICT, "no_purchase");
    assert_eq!(app.counts(&fx).await, before);
}

web_test_with!(r5_auto_policy_cancels_exactly_once_across_two_sweeps_and_a_restart, auto_policy());
async fn r5_auto_policy_cancels_exactly_once_across_two_sweeps_and_a_restart(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let purchase = fx.customer1_purchases[0].clone();
    let item = fx.customer1_purchases[1].clone();
    let refund = id_of(&app.ask_refund(&c1, &fx, &purchase, true).await);
    // Overdue too, but a question: the policy cancels only for refund inquiries.
    let question = json!({
        "category": "question",
        "subject": "아이템이 안 보여요",
        "body": "힌트 팩이 보이지 않습니다.",
        "purchase_id": item.purchase.id.0,
    });
    let question = id_of(&app.ask(&c1, &fx.paid_app, &question).await);

    // Before the limit the sweep cancels nothing.
    app.clock.advance(SignedDuration::from_hours(60));
    let early = sweep(app.state.app()).await.expect("sweep");
    assert_eq!(early.cancelled, 0);
    assert_eq!(app.purchase_now(&purchase).await.purchase.status.as_str(), "paid");

    // Past 72 hours: two sweeps at once, then one more.
    app.clock.advance(SignedDuration::from_hours(13));
    let (first, second) = tokio::join!(sweep(app.state.app()), sweep(app.state.app()));
    let (first, second) = (first.expect("sweep"), second.expect("sweep"));
    assert_eq!(first.cancelled + second.cancelled, 1, "one cancellation between two sweeps: {first:?} {second:?}");
    let third = sweep(app.state.app()).await.expect("sweep");
    assert_eq!(third.cancelled, 0, "{third:?}");
    let cancelled_at = app.purchase_now(&purchase).await.purchase.cancelled_at;
    assert_eq!(cancelled_at, Some(app.now()));

    // A real restart over the same database, and another sweep later.
    let app = app.restart().await;
    app.clock.advance(SignedDuration::from_hours(1));
    let after_restart = sweep(app.state.app()).await.expect("sweep after the restart");
    assert_eq!(after_restart.cancelled, 0, "{after_restart:?}");

    // Exactly one cancellation, recorded as the policy's, with one pair of mails.
    let now = app.purchase_now(&purchase).await;
    assert_eq!(now.purchase.status.as_str(), "cancelled");
    assert_eq!(now.purchase.cancelled_at, cancelled_at, "not cancelled again");
    assert_eq!(app.purchase_now(&item).await.purchase.status.as_str(), "paid", "a question is not refunded");
    let on_behalf: Vec<_> =
        app.audit_log().await.into_iter().filter(|r| r.entry.action == "purchase.cancelled_on_behalf").collect();
    assert_eq!(on_behalf.len(), 1, "one purchase_cancellations effect");
    assert_eq!(on_behalf[0].entry.actor.label.as_deref(), Some(AUTO_CANCEL_ACTOR));
    assert_eq!(on_behalf[0].entry.actor.user_id, None);
    assert_eq!(on_behalf[0].entry.channel.as_str(), "system");
    let to_customer = app.mails_of_kind("purchase_cancelled").await;
    assert_eq!(to_customer.len(), 1, "the customer is told once");
    assert_eq!(to_customer[0].mail.inquiry_id.as_ref().map(|i| i.0.as_str()), Some(refund.as_str()));
    assert_eq!(app.mails_of_kind("cancelled_on_behalf").await.len(), 1, "dev1 is told once");
    assert!(mails_about(&app, "purchase_cancelled", &question).await.is_empty(), "nothing about the question");

    // The restarted app answers as before: the customer (same token) sees it cancelled,
    // and an operator cannot cancel it again.
    let mine = app.get("/api/v1/me/purchases", Some(&c1)).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.text());
    let mine = mine.json();
    let entry = mine["items"].as_array().expect("items").iter().find(|p| p["id"] == json!(purchase.purchase.id.0));
    assert_eq!(entry.expect("listed")["status"], "cancelled");
    let op = app.login("operator@example.com").await;
    app.post_json(&cancel_path(&refund), Some(&op), &json!({}))
        .await
        .assert_problem(StatusCode::CONFLICT, "purchase_cancelled");
}

web_test_with!(r5_auto_policy_approves_an_open_request_with_the_cancellation, auto_policy());
async fn r5_auto_policy_approves_an_open_request_with_the_cancellation(app: TestApp) {
    let fx = app.seed().await;
    let (inquiry, request) = app.open_request(&fx).await;
    // R17: the request stopped that thread's clock; the customer asks again about the
    // same purchase and that inquiry goes unanswered past the limit.
    let c1 = app.login("customer1@example.com").await;
    app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], true).await;
    app.clock.advance(SignedDuration::from_hours(73));
    let report = sweep(app.state.app()).await.expect("sweep");
    assert_eq!(report.cancelled, 1, "{report:?}");
    let op = app.login("operator@example.com").await;
    let now = app.get(&request_path(&id_of(&request)), Some(&op)).await.json();
    assert_eq!(now["status"], "approved", "the open request is settled with the purchase");
    assert_eq!(now["decided_by_name"], AUTO_CANCEL_ACTOR);
    approve(&app, &op, &id_of(&request)).await;
    assert_eq!(app.audited("purchase.cancelled_on_behalf").await + app.audited("purchase.cancelled").await, 1);
    assert_eq!(app.mails_of_kind("purchase_cancelled").await.len(), 1);
    let thread = app.get(&format!("/api/v1/inquiries/{inquiry}"), Some(&c1)).await.json();
    assert_eq!(thread["cancellation_requests"][0]["status"], "approved");
    assert_eq!(thread["cancellation_requests"][0]["reason"], json!(null), "R17: the note is the store's");
    assert_eq!(thread["status"], "awaiting_customer", "R17: the decision hands the thread back");
}

web_test!(r5_manual_policy_sweep_cancels_nothing);
async fn r5_manual_policy_sweep_cancels_nothing(app: TestApp) {
    let fx = app.seed().await;
    assert_eq!(app.config.app.auto_cancel, AutoCancelPolicy::Manual, "manual is the default");
    let c1 = app.login("customer1@example.com").await;
    let op = app.login("operator@example.com").await;
    let purchase = &fx.customer1_purchases[0];
    let id = id_of(&app.ask_refund(&c1, &fx, purchase, true).await);
    app.clock.advance(SignedDuration::from_hours(100));
    for _ in 0..2 {
        let report = sweep(app.state.app()).await.expect("sweep");
        assert_eq!(report.cancelled, 0, "{report:?}");
    }
    assert_eq!(app.purchase_now(purchase).await.purchase.status.as_str(), "paid");
    assert_eq!(app.audited("purchase.cancelled_on_behalf").await, 0);
    assert!(app.mails_of_kind("purchase_cancelled").await.is_empty());
    // It waits in the operators' overdue queue instead.
    assert!(listed(&app, &op, "/api/v1/inquiries?overdue=true&category=refund").await.contains(&id));
}

web_test!(r5_a_reminder_is_queued_once_24_hours_before_the_limit);
async fn r5_a_reminder_is_queued_once_24_hours_before_the_limit(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let id = id_of(&app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], true).await);

    // 47 hours: nothing yet.
    app.clock.advance(SignedDuration::from_hours(47));
    sweep(app.state.app()).await.expect("sweep");
    assert!(reminders(&app, &id).await.is_empty(), "more than 24 hours left");

    // 49 hours: one reminder to dev1, and only one however often the sweep runs.
    app.clock.advance(SignedDuration::from_hours(2));
    let report = sweep(app.state.app()).await.expect("sweep");
    assert_eq!(report.reminded, 1, "{report:?}");
    let sent = reminders(&app, &id).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].mail.to_user.as_ref(), Some(&fx.dev1.id));
    app.clock.advance(SignedDuration::from_hours(1));
    let (a, b) = tokio::join!(sweep(app.state.app()), sweep(app.state.app()));
    assert_eq!(a.expect("sweep").reminded + b.expect("sweep").reminded, 0);
    let app = app.restart().await;
    sweep(app.state.app()).await.expect("sweep after a restart");
    assert_eq!(reminders(&app, &id).await.len(), 1, "once per wait, across sweeps and restarts");

    // A new wait (answered, then the customer writes again) gets its own reminder.
    app.write(&dev1, &id, "확인 중입니다.").await;
    app.clock.advance(SignedDuration::from_hours(1));
    app.write(&c1, &id, "아직 환불이 안 됐어요.").await;
    app.clock.advance(SignedDuration::from_hours(49));
    sweep(app.state.app()).await.expect("sweep");
    assert_eq!(reminders(&app, &id).await.len(), 2);
}

// ----- R14: the story of a refund in the audit log -----

web_test!(r14_audit_filters_by_inquiry_purchase_and_actor_tell_the_story);
async fn r14_audit_filters_by_inquiry_purchase_and_actor_tell_the_story(app: TestApp) {
    let fx = app.seed().await;
    let c2 = app.login("customer2@example.com").await;
    let other = id_of(&app.ask_refund(&c2, &fx, &fx.customer2_purchases[0], true).await);
    let (inquiry, request) = app.open_request(&fx).await;
    let dev1 = app.login("dev1@example.com").await;
    let op = app.login("operator@example.com").await;
    let purchase = fx.customer1_purchases[0].purchase.id.0.clone();
    assert_eq!(app.get(&details_path(&inquiry), Some(&dev1)).await.status, StatusCode::OK);
    assert_eq!(app.get(&details_path(&other), Some(&dev1)).await.status, StatusCode::OK);
    app.clock.advance(SignedDuration::from_hours(1));
    assert_eq!(approve(&app, &op, &id_of(&request)).await.status, StatusCode::OK);

    // By inquiry: asked, revealed, requested, approved and cancelled; nothing of the
    // other inquiry.
    let story = audit_api(&app, &op, &format!("inquiry_id={inquiry}")).await;
    let told = actions(&story);
    for action in ["inquiry.created", "payment_ids.revealed", "purchase.cancelled"] {
        assert!(told.iter().any(|a| a == action), "{action} in {told:?}");
    }
    assert!(story.iter().any(|e| e["subject_id"] == json!(id_of(&request))), "the request's entries: {told:?}");
    assert!(story.iter().all(|e| e["subject_id"] != json!(other)), "nothing of the other inquiry");
    assert_eq!(
        story.iter().filter(|e| e["action"] == "payment_ids.revealed").count(),
        2,
        "this inquiry's reveals only (two purchases)"
    );
    // By purchase: recorded, revealed, requested, cancelled.
    let history = audit_api(&app, &op, &format!("purchase_id={purchase}")).await;
    let told = actions(&history);
    for action in ["purchase.recorded", "payment_ids.revealed", "purchase.cancelled"] {
        assert!(told.iter().any(|a| a == action), "{action} in {told:?}");
    }
    let recorded: Vec<_> = history.iter().filter(|e| e["action"] == "purchase.recorded").collect();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0]["subject_id"], json!(purchase));
    assert_eq!(told.iter().filter(|a| *a == "payment_ids.revealed").count(), 1, "revealed once from this inquiry");
    // By actor: only dev1's doing.
    let by_dev1 = audit_api(&app, &op, &format!("actor_id={}", fx.dev1.id)).await;
    assert!(!by_dev1.is_empty());
    assert!(by_dev1.iter().all(|e| e["actor_user_id"] == json!(fx.dev1.id.0)), "{by_dev1:?}");
    // Two purchases revealed from this inquiry, one (customer 2's) from the other.
    assert_eq!(actions(&by_dev1).iter().filter(|a| *a == "payment_ids.revealed").count(), 3);
    // Combined: dev1's doing on this inquiry.
    let combined = audit_api(&app, &op, &format!("inquiry_id={inquiry}&actor_id={}", fx.dev1.id)).await;
    assert!(combined.iter().all(|e| e["actor_user_id"] == json!(fx.dev1.id.0)));
    assert_eq!(actions(&combined).iter().filter(|a| *a == "payment_ids.revealed").count(), 2);
    assert!(!actions(&combined).iter().any(|a| a == "purchase.cancelled"), "the operator's, not dev1's");
    // The store answers the same.
    let direct = app
        .audit_where(&AuditFilter {
            inquiry: Some(InquiryId(inquiry.clone())),
            purchase: Some(PurchaseId(purchase.clone())),
            actor: Some(UserId(fx.operator.id.0.clone())),
            ..Default::default()
        })
        .await;
    assert!(direct.iter().any(|r| r.entry.action == "purchase.cancelled"));
    assert!(direct.iter().all(|r| r.entry.actor.user_id.as_ref() == Some(&fx.operator.id)));
}
