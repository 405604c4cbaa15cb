//! Issue 12 item 5, "an action that moves money asks for confirmation": approving a
//! cancellation request (R8) and cancelling on the developer's behalf (R5) go through a
//! confirmation page (a GET that changes nothing) showing what is cancelled and for how
//! much; their POST without `confirm=yes` answers that page and changes nothing; the
//! page refuses customers and developers, and so does the POST whatever its body;
//! cancel-on-behalf is offered only where the inquiry names a paid purchase.

use axum::http::{Method, StatusCode};
use jiff::SignedDuration;
use serde_json::json;
use vocdesk_domain::ids::CancellationRequestId;
use vocdesk_domain::purchase::PurchaseStatus;
use vocdesk_domain::refund::RequestStatus;

use crate::support::browser::Browser;
use crate::support::{Counts, Fixture, TestApp, req};

const QUEUE: &str = "/operator/cancellation-requests";

fn approve_path(id: &str) -> String {
    format!("{QUEUE}/{id}/approve")
}

fn cancel_path(inquiry: &str) -> String {
    format!("/operator/inquiries/{inquiry}/cancel-purchase")
}

async fn request_status(app: &TestApp, id: &str) -> RequestStatus {
    let id = CancellationRequestId(id.to_owned());
    app.store.cancellation_request(&id).await.expect("read").expect("exists").status
}

async fn paid_status(app: &TestApp, fx: &Fixture) -> PurchaseStatus {
    app.purchase_now(&fx.customer1_purchases[0]).await.purchase.status
}

/// `(inquiry, request)` of customer 1's refund of the paid app, submitted by dev1.
async fn open_request(app: &TestApp, fx: &Fixture) -> (String, String) {
    let (inquiry, request) = app.open_request(fx).await;
    (inquiry, request["id"].as_str().expect("an id").to_owned())
}

/// The part of a page from the element with `id` on.
fn from_id<'a>(html: &'a str, id: &str) -> &'a str {
    let marker = format!("id=\"{id}\"");
    html.find(&marker).map_or("", |at| &html[at..])
}

web_test!(item5_approving_without_confirmation_changes_nothing_and_answers_the_confirmation_page);
async fn item5_approving_without_confirmation_changes_nothing_and_answers_the_confirmation_page(app: TestApp) {
    let fx = app.seed().await;
    let (_, request) = open_request(&app, &fx).await;
    let mut op = Browser::signed_in(&app, "operator@example.com").await;
    let csrf = op.form_token(&app).await;
    let before = app.counts(&fx).await;

    // The old one-click form, and a confirmation that is not "yes": the confirmation
    // page, nothing cancelled.
    for confirm in [None, Some(""), Some("no"), Some("YES ")] {
        let mut form = vec![("csrf", csrf.as_str()), ("status", "open"), ("seller_id", "")];
        if let Some(word) = confirm {
            form.push(("confirm", word));
        }
        let page = op.post_form(&app, &approve_path(&request), &form).await.assert_html(StatusCode::OK);
        let confirm_form = from_id(&page, "confirm-form");
        assert!(confirm_form.contains("name=\"confirm\" value=\"yes\""), "{page}");
        let action = format!("action=\"{}\" class=\"confirm-money\" id=\"confirm-form\"", approve_path(&request));
        assert!(page.contains(&action), "{page}");
        assert!(confirm_form.contains("name=\"status\" value=\"open\""), "the queue's filter is kept");
        assert_eq!(app.counts(&fx).await, before, "nothing changed ({confirm:?})");
        assert_eq!(request_status(&app, &request).await, RequestStatus::Open);
        assert_eq!(paid_status(&app, &fx).await, PurchaseStatus::Paid);
    }

    // Yes: approved and cancelled, back to the queue.
    let form = [("csrf", csrf.as_str()), ("status", "open"), ("seller_id", ""), ("confirm", "yes")];
    op.post_form(&app, &approve_path(&request), &form)
        .await
        .assert_see_other(&format!("{QUEUE}?status=open&notice=approved"));
    assert_eq!(request_status(&app, &request).await, RequestStatus::Approved);
    assert_eq!(paid_status(&app, &fx).await, PurchaseStatus::Cancelled);

    // Decided: the confirmation page says so (409) and offers no form.
    let page = op.get(&app, &approve_path(&request)).await.assert_html(StatusCode::CONFLICT);
    assert!(page.contains("id=\"confirm-refused\"") && page.contains("이미 처리된 요청입니다"), "{page}");
    assert!(!page.contains("id=\"confirm-form\""));
}

web_test!(item5_the_confirmation_pages_show_what_is_cancelled_and_for_how_much_in_korean_and_english);
async fn item5_the_confirmation_pages_show_what_is_cancelled_and_for_how_much_in_korean_and_english(app: TestApp) {
    let fx = app.seed().await;
    let (inquiry, request) = open_request(&app, &fx).await;
    let mut op = Browser::signed_in(&app, "operator@example.com").await;

    // From the queue: a link, and the page it leads to changes nothing.
    let queue = op.get(&app, QUEUE).await.assert_html(StatusCode::OK);
    let link = format!("href=\"{}?status=open\"", approve_path(&request));
    assert!(queue.contains(&link), "{queue}");
    let before = app.counts(&fx).await;
    let ko = op.get(&app, &format!("{}?status=open", approve_path(&request))).await.assert_html(StatusCode::OK);
    assert_eq!(app.counts(&fx).await, before, "a GET changes nothing");
    let facts = from_id(&ko, "confirm-facts");
    for fact in
        ["Paid Puzzle", "customer1", "₩1,200", "2026. 11. 01. 19:00 KST", "Seller One", "고객과 환불에 합의했습니다."]
    {
        assert!(facts.contains(fact), "the page shows {fact}: {facts}");
    }
    assert!(ko.contains("요청을 승인하고 이 구매를 취소할까요?"));
    assert!(ko.contains("네, 취소하고 ₩1,200 환불합니다"), "the button says how much: {ko}");
    assert!(ko.contains(&format!("name=\"csrf\" value=\"{}\"", op.form_token(&app).await)), "with CSRF");
    assert!(ko.contains("id=\"confirm-back\">돌아가기") && ko.contains(&format!("href=\"{QUEUE}?status=open\"")));
    assert!(ko.contains(&format!("href=\"/inquiries/{inquiry}\"")));

    op.switch_language(&app, "en", "/operator").await;
    let en = op.get(&app, &approve_path(&request)).await.assert_html(StatusCode::OK);
    assert!(en.contains("Approve the request and cancel this purchase?"), "{en}");
    assert!(en.contains("Yes, cancel and refund ₩1,200") && en.contains("Nov 01, 2026 19:00 KST"));
    assert!(from_id(&en, "confirm-facts").contains("Paid Puzzle") && en.contains(">Back</a>"));

    // On the developer's behalf: customer 2's refund inquiry of the paid app, overdue.
    let c2 = app.login("customer2@example.com").await;
    let asked = app.ask_refund(&c2, &fx, &fx.customer2_purchases[0], false).await;
    let overdue = asked["id"].as_str().expect("an id").to_owned();
    app.clock.advance(SignedDuration::from_hours(80));
    let queue = op.get(&app, "/operator/overdue").await.assert_html(StatusCode::OK);
    assert!(queue.contains(&format!("href=\"{}\"", cancel_path(&overdue))), "{queue}");
    let before = app.counts(&fx).await;
    let en = op.get(&app, &cancel_path(&overdue)).await.assert_html(StatusCode::OK);
    assert_eq!(app.counts(&fx).await, before, "a GET changes nothing");
    let facts = from_id(&en, "confirm-facts");
    for fact in ["Paid Puzzle", "customer2", "₩1,200", "Nov 04, 2026 19:00 KST", "Overdue by"] {
        assert!(facts.contains(fact), "the page shows {fact}: {facts}");
    }
    assert!(
        en.contains("Cancel this purchase on the developer&#39;s behalf?")
            || en.contains("Cancel this purchase on the developer's behalf?")
    );
    assert!(en.contains("Yes, cancel and refund ₩1,200") && en.contains("href=\"/operator/overdue\""));
    op.switch_language(&app, "ko", "/operator").await;
    let ko = op.get(&app, &cancel_path(&overdue)).await.assert_html(StatusCode::OK);
    assert!(ko.contains("개발자 대신 이 구매를 취소할까요?") && ko.contains("네, 취소하고 ₩1,200 환불합니다"), "{ko}");
    assert!(from_id(&ko, "confirm-facts").contains("초과"));

    // Yes cancels it, once.
    let csrf = op.form_token(&app).await;
    let form = [("csrf", csrf.as_str()), ("seller_id", ""), ("confirm", "yes")];
    op.post_form(&app, &cancel_path(&overdue), &form).await.assert_see_other("/operator/overdue?notice=cancelled");
    let theirs = app.purchase_now(&fx.customer2_purchases[0]).await;
    assert_eq!(theirs.purchase.status, PurchaseStatus::Cancelled);
}

web_test!(item5_cancel_on_behalf_is_not_offered_on_an_inquiry_without_a_paid_purchase);
async fn item5_cancel_on_behalf_is_not_offered_on_an_inquiry_without_a_paid_purchase(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    // An error report naming no purchase, and a question naming a free one.
    let report = json!({"category": "error_report", "subject": "앱이 꺼져요", "body": "실행하면 바로 꺼집니다."});
    let report = app.ask(&c1, &fx.paid_app, &report).await["id"].as_str().expect("an id").to_owned();
    let free = json!({
        "category": "question",
        "subject": "무료 앱 질문",
        "body": "테마는 어디서 바꾸나요?",
        "purchase_id": fx.customer1_purchases[2].purchase.id.0,
    });
    let free = app.ask(&c1, &fx.free_app, &free).await["id"].as_str().expect("an id").to_owned();
    app.clock.advance(SignedDuration::from_hours(80));

    let mut op = Browser::signed_in(&app, "operator@example.com").await;
    let queue = op.get(&app, "/operator/overdue").await.assert_html(StatusCode::OK);
    for id in [&report, &free] {
        let row = from_id(&queue, &format!("inquiry-{id}"));
        let row = &row[..row.find("</tr>").unwrap_or(row.len())];
        assert!(!row.is_empty(), "{id} is overdue: {queue}");
        assert!(!row.contains("cancel-on-behalf") && !row.contains(&cancel_path(id)), "not offered: {row}");
    }
    let csrf = op.form_token(&app).await;
    let before = app.counts(&fx).await;
    for (id, why) in [(&report, "취소할 구매가 연결되어 있지 않습니다"), (&free, "무료 구매라 환불할 금액이 없습니다")]
    {
        let page = op.get(&app, &cancel_path(id)).await.assert_html(StatusCode::CONFLICT);
        assert!(page.contains(why) && !page.contains("id=\"confirm-form\""), "{page}");
        let form = [("csrf", csrf.as_str()), ("seller_id", ""), ("confirm", "yes")];
        let refused = op.post_form(&app, &cancel_path(id), &form).await.assert_html(StatusCode::CONFLICT);
        assert!(refused.contains(why), "{refused}");
    }
    // Nothing cancelled, asked or written to anyone. (A free purchase's inquiry is
    // marked as needing no cancelling, recorded as `inquiry.refund_settled`, as before.)
    let after = app.counts(&fx).await;
    assert_eq!(Counts { audit_entries: 0, ..after }, Counts { audit_entries: 0, ..before });
    assert_eq!(app.audited("purchase.cancelled_on_behalf").await, 0);
}

web_test!(item5_customers_and_developers_are_refused_on_the_confirmation_pages_and_their_posts);
async fn item5_customers_and_developers_are_refused_on_the_confirmation_pages_and_their_posts(app: TestApp) {
    let fx = app.seed().await;
    let (inquiry, request) = open_request(&app, &fx).await;
    // Overdue, so that only the role stands between a POST and a cancellation.
    app.clock.advance(SignedDuration::from_hours(80));
    let pages = [approve_path(&request), cancel_path(&inquiry)];
    let posts = [approve_path(&request), cancel_path(&inquiry), format!("{QUEUE}/{request}/reject")];
    let mut others = Vec::new();
    for email in ["dev1@example.com", "customer1@example.com"] {
        let mut browser = Browser::signed_in(&app, email).await;
        let csrf = browser.form_token(&app).await;
        others.push((browser, csrf));
    }
    let op = Browser::signed_in(&app, "operator@example.com").await;
    // Signing in is audited; from here on nothing may be written.
    let before = app.counts(&fx).await;
    for (browser, csrf) in &mut others {
        for page in &pages {
            browser.get(&app, page).await.assert_html(StatusCode::FORBIDDEN);
        }
        for post in &posts {
            // A good form with confirmation, and bodies no form sends: refused alike.
            let form = [("csrf", csrf.as_str()), ("confirm", "yes"), ("reason", "사유"), ("status", "open")];
            browser.post_form(&app, post, &form).await.assert_html(StatusCode::FORBIDDEN);
            let json = req(Method::POST, post)
                .cookies(&browser.pairs())
                .header("content-type", "application/json")
                .raw(r#"{"bogus":1}"#);
            app.send(json).await.assert_html(StatusCode::FORBIDDEN);
            let garbled = req(Method::POST, post)
                .cookies(&browser.pairs())
                .header("content-type", "application/x-www-form-urlencoded")
                .raw(vec![0xff, 0xfe, b'=', 0x80]);
            app.send(garbled).await.assert_html(StatusCode::FORBIDDEN);
        }
    }
    // An operator's malformed body is a 400, after authorization, and changes nothing.
    for post in &posts {
        let json = req(Method::POST, post)
            .cookies(&op.pairs())
            .header("content-type", "application/json")
            .raw(r#"{"bogus":1}"#);
        app.send(json).await.assert_html(StatusCode::BAD_REQUEST);
    }
    assert_eq!(app.counts(&fx).await, before, "nothing changed");
    assert_eq!(request_status(&app, &request).await, RequestStatus::Open);
    assert_eq!(paid_status(&app, &fx).await, PurchaseStatus::Paid);
}
