//! R17, the store's turn, as each side reads it (issue 12, items 1-3): the request is an
//! event of the thread the customer sees, in their words, without the developer's note
//! for the store; the customer's mail says what comes next; the thread waits on the
//! store (the developer's clock stops) and every thread about the purchase shows the
//! same request; the decision is posted back and tells the customer what became of
//! their refund. Through the real router, on both engines, in Korean and English.

use axum::http::StatusCode;
use serde_json::json;
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::ids::InquiryId;
use vocdesk_domain::inquiry::InquiryStatus;
use vocdesk_domain::refund::Decision;
use vocdesk_domain::role::Role;
use vocdesk_store::{Acting, DecideOutcome};

use crate::support::browser::{Browser, hidden_input};
use crate::support::{Fixture, TestApp};

const NOTE: &str = "NOTE-FOR-STORE 사용 이력 없음 확인";
const MESSAGE: &str = "MESSAGE-TO-CUSTOMER 환불을 스토어에 요청했어요.";

async fn inquiry_now(app: &TestApp, id: &str) -> vocdesk_domain::inquiry::Inquiry {
    app.store.inquiry(&InquiryId(id.to_owned())).await.expect("read").expect("exists")
}

/// customer1 asks a refund of their paid-app purchase on the API; dev1 files the
/// request from the thread's form with a note and a message; returns the inquiry id.
async fn filed_from_the_page(app: &TestApp, fx: &Fixture) -> String {
    let c1 = app.login("customer1@example.com").await;
    let thread = app.ask_refund(&c1, fx, &fx.customer1_purchases[0], true).await;
    let id = thread["id"].as_str().expect("id").to_owned();
    let mut dev = Browser::signed_in(app, "dev1@example.com").await;
    let page = dev.get(app, &format!("/inquiries/{id}")).await.assert_html(StatusCode::OK);
    let csrf = hidden_input(&page, "csrf").expect("csrf");
    let purchase = fx.customer1_purchases[0].purchase.id.0.clone();
    let form = [("csrf", csrf.as_str()), ("purchase_id", purchase.as_str()), ("reason", NOTE), ("message", MESSAGE)];
    let response = dev.post_form(app, &format!("/inquiries/{id}/cancellation-requests"), &form).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.text());
    id
}

web_test!(r17_item1_2_3_the_customer_reads_the_request_its_next_step_and_its_outcome_without_the_store_note);
async fn r17_item1_2_3_the_customer_reads_the_request_its_next_step_and_its_outcome_without_the_store_note(
    app: TestApp,
) {
    let fx = app.seed().await;
    // Before: the customer reads when the developer should answer and the 3-day promise.
    let c1 = app.login("customer1@example.com").await;
    let before = app.ask_refund(&c1, &fx, &fx.customer1_purchases[1], false).await;
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let page = customer.get(&app, &format!("/inquiries/{}", before["id"].as_str().expect("id"))).await;
    let page = page.assert_html(StatusCode::OK);
    assert!(page.contains("id=\"thread-next\"") && page.contains("까지 답변해야 합니다"), "{page}");
    assert!(page.contains("스토어가 구매를 취소하고 환불해 드릴 수 있습니다"), "R5's promise, in the customer's words");
    assert!(page.contains("개발자 답변 대기 중"));

    let id = filed_from_the_page(&app, &fx).await;
    let inquiry = inquiry_now(&app, &id).await;
    assert_eq!((inquiry.status, inquiry.awaiting_since), (InquiryStatus::AwaitingStore, None), "R17: clock stopped");

    // The customer: the event, the developer's message, what comes next; never the note.
    let page = customer.get(&app, &format!("/inquiries/{id}")).await.assert_html(StatusCode::OK);
    assert!(page.contains("event-filed") && page.contains("구매취소와 환불을 요청했습니다"), "{page}");
    assert!(page.contains("MESSAGE-TO-CUSTOMER"), "the message joins the thread");
    assert!(!page.contains("NOTE-FOR-STORE"), "item 2: the note for the store is not the customer's to read");
    assert!(page.contains("스토어에서 환불 처리 중") && page.contains("지금 하실 일은 없습니다"));
    assert!(!page.contains("고객 응답 대기"), "item 3: never 'awaiting customer' to the customer");

    // The customer's mail says the store has it, quotes the message, not the note.
    let mails = app.mails_of_kind("cancellation_requested").await;
    assert_eq!(mails.len(), 1, "one notice");
    let mail = &mails[0].mail;
    assert_eq!(mail.to_user.as_ref(), Some(&fx.customer1.id));
    assert!(mail.body_text.contains("MESSAGE-TO-CUSTOMER") && !mail.body_text.contains("NOTE-FOR-STORE"));
    assert!(mail.body_text.contains("3일"), "what happens next: {}", mail.body_text);

    // The developer: the note, the paused clock.
    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let page = dev.get(&app, &format!("/inquiries/{id}")).await.assert_html(StatusCode::OK);
    assert!(page.contains("NOTE-FOR-STORE") && page.contains("3일 답변 기한은 멈춥니다"), "{page}");
    assert!(page.contains("스토어 처리 대기"));

    // The decision is posted back: the customer reads that they are refunded.
    let request = &app.store.requests_of_inquiry(&InquiryId(id.clone())).await.expect("read")[0];
    let acting = Acting { actor: AuditActor::user(fx.operator.id.clone(), Role::Operator), channel: Channel::Store };
    let decided = app.store.decide_cancellation_request(&request.id, &Decision::Approve, &[], &acting, app.now()).await;
    assert!(matches!(decided.expect("decide"), DecideOutcome::Decided(_)));
    assert_eq!(inquiry_now(&app, &id).await.status, InquiryStatus::AwaitingCustomer, "then it awaits the customer");
    let page = customer.get(&app, &format!("/inquiries/{id}")).await.assert_html(StatusCode::OK);
    assert!(page.contains("event-approved") && page.contains("id=\"refund-outcome\"") && page.contains("환불 완료"));
    assert!(page.contains("답변 완료") && !page.contains("고객 응답 대기"), "{page}");
    let response = customer.switch_language(&app, "en", "/").await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    let page = customer.get(&app, &format!("/inquiries/{id}")).await.assert_html(StatusCode::OK);
    assert!(page.contains("Refunded: your purchase of") && page.contains("Answered"), "{page}");
    assert!(!page.contains("Awaiting customer") && !page.contains("NOTE-FOR-STORE"));
}

web_test!(r17_item1_every_inquiry_about_the_purchase_shows_the_one_request_and_offers_no_second);
async fn r17_item1_every_inquiry_about_the_purchase_shows_the_one_request_and_offers_no_second(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let purchase = &fx.customer1_purchases[0];
    let second = app
        .ask(
            &c1,
            &fx.paid_app,
            &json!({"category": "question", "subject": "같은 구매", "body": "이것도요", "purchase_id": purchase.purchase.id.0}),
        )
        .await;
    let second = second["id"].as_str().expect("id").to_owned();
    let id = filed_from_the_page(&app, &fx).await;
    let request = app.store.requests_of_inquiry(&InquiryId(id.clone())).await.expect("read")[0].clone();
    assert_eq!(inquiry_now(&app, &second).await.status, InquiryStatus::AwaitingStore);
    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let page = dev.get(&app, &format!("/inquiries/{second}")).await.assert_html(StatusCode::OK);
    assert!(page.contains(&format!("data-request=\"{}\"", request.id)), "the same request on the other thread");
    assert!(!page.contains("id=\"no-cancellation-requests\""), "no contradiction: {page}");
    assert!(!page.contains(&format!("id=\"request-{}\"", purchase.purchase.id)), "no second form for the purchase");
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let page = customer.get(&app, &format!("/inquiries/{second}")).await.assert_html(StatusCode::OK);
    assert!(page.contains("event-filed") && !page.contains("NOTE-FOR-STORE"));
}

web_test!(r17_item2_a_message_over_the_limit_is_refused_and_nothing_is_filed);
async fn r17_item2_a_message_over_the_limit_is_refused_and_nothing_is_filed(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let thread = app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], true).await;
    let id = thread["id"].as_str().expect("id");
    let before = app.counts(&fx).await;
    let path = format!("/api/v1/purchases/{}/cancellation-requests", fx.customer1_purchases[0].purchase.id);
    let body = json!({"inquiry_id": id, "reason": "합의", "message": "가".repeat(20_001)});
    let response = app.post_json(&path, Some(&dev1), &body).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", response.text());
    assert!(response.text().contains("\"message\""), "names the field: {}", response.text());
    assert_eq!(app.counts(&fx).await, before, "nothing written");
    assert_eq!(inquiry_now(&app, id).await.status, InquiryStatus::AwaitingDeveloper);
    // With a message in the limit, the API files it and the customer reads it.
    let body = json!({"inquiry_id": id, "reason": "합의", "message": "스토어에 요청했습니다"});
    let response = app.post_json(&path, Some(&dev1), &body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let thread = app.get(&format!("/api/v1/inquiries/{id}"), Some(&c1)).await.json();
    let bodies: Vec<&str> =
        thread["messages"].as_array().expect("messages").iter().filter_map(|m| m["body"].as_str()).collect();
    assert!(bodies.contains(&"스토어에 요청했습니다"), "{bodies:?}");
    assert_eq!(thread["status"], "awaiting_store");
}

web_test!(
    r17_item1_item11_the_operator_sees_how_long_a_request_waited_and_may_cancel_an_overdue_thread_in_operator_words
);
async fn r17_item1_item11_the_operator_sees_how_long_a_request_waited_and_may_cancel_an_overdue_thread_in_operator_words(
    app: TestApp,
) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let overdue = app.ask_refund(&c1, &fx, &fx.customer1_purchases[1], false).await;
    let overdue = overdue["id"].as_str().expect("id").to_owned();
    let filed = filed_from_the_page(&app, &fx).await;
    app.clock.advance(jiff::SignedDuration::from_hours(73));
    let mut op = Browser::signed_in(&app, "operator@example.com").await;
    let page = op.get(&app, &format!("/inquiries/{overdue}")).await.assert_html(StatusCode::OK);
    assert!(page.contains("id=\"cancel-on-behalf-link\""), "the overdue thread offers the operator's action");
    assert!(
        page.contains(&format!("href=\"/operator/inquiries/{overdue}/cancel-purchase\"")),
        "through its confirmation"
    );
    assert!(
        !page.contains("(내 앱)") && page.contains(&format!("고객의 {} 앱 구매 내역", fx.seller1.name)),
        "operator wording"
    );
    let page = op.get(&app, &format!("/inquiries/{filed}")).await.assert_html(StatusCode::OK);
    assert!(!page.contains("id=\"cancel-on-behalf-link\""), "a thread with the store is not overdue");
    let queue = op.get(&app, "/operator/cancellation-requests").await.assert_html(StatusCode::OK);
    assert!(
        queue.contains("class=\"request-waited nowrap\"") && queue.contains("대기 중"),
        "how long it waited: {queue}"
    );
}
