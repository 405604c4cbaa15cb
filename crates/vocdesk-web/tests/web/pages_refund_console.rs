//! R5/R8/R14 operator console pages: the cancellation queue (approve, reject with a
//! reason), the overdue queue (cancel on the developer's behalf, what falls due within
//! a day, the store's policy) and the audit log's filters. Through the real router and
//! a browser that signs in on the page and posts forms with its visitor's CSRF token.

use axum::http::{StatusCode, header};
use jiff::SignedDuration;
use serde_json::json;
use vocdesk_app::AppConfig;
use vocdesk_domain::ids::{CancellationRequestId, InquiryId, PurchaseId, UserId};
use vocdesk_domain::purchase::PurchaseStatus;
use vocdesk_domain::refund::{AutoCancelPolicy, RequestStatus};
use vocdesk_store::AuditFilter;
use vocdesk_web::WebConfig;

use crate::support::browser::Browser;
use crate::support::{Counts, Fixture, TestApp, TestResponse};

/// `<script>` as askama escapes it (numeric references, read by browsers as `&lt;`).
const ESCAPED_SCRIPT: &str = "&#60;script&#62;";

const QUEUE: &str = "/operator/cancellation-requests";
const OVERDUE: &str = "/operator/overdue";

fn approve_path(id: &str) -> String {
    format!("{QUEUE}/{id}/approve")
}

fn reject_path(id: &str) -> String {
    format!("{QUEUE}/{id}/reject")
}

fn cancel_path(inquiry: &str) -> String {
    format!("/operator/inquiries/{inquiry}/cancel-purchase")
}

/// R8 from the start (customer 1 asks a refund of the paid app with consent, dev1
/// submits the request through the API); returns `(inquiry id, request id)`.
async fn open_request(app: &TestApp, fx: &Fixture) -> (String, String) {
    let (inquiry, request) = app.open_request(fx).await;
    (inquiry, request["id"].as_str().expect("a request id").to_owned())
}

/// The request's status, read through the store.
async fn request_status(app: &TestApp, id: &str) -> RequestStatus {
    let id = CancellationRequestId(id.to_owned());
    app.store.cancellation_request(&id).await.expect("read the request").expect("the request exists").status
}

/// The status of customer 1's paid-app purchase now.
async fn paid_purchase_status(app: &TestApp, fx: &Fixture) -> PurchaseStatus {
    app.purchase_now(&fx.customer1_purchases[0]).await.purchase.status
}

/// An operator's browser and the CSRF token of its forms.
async fn operator(app: &TestApp) -> (Browser, String) {
    let mut browser = Browser::signed_in(app, "operator@example.com").await;
    let csrf = browser.form_token(app).await;
    (browser, csrf)
}

/// Switches a browser's pages to English.
async fn in_english(browser: &mut Browser, app: &TestApp) {
    let response = browser.switch_language(app, "en", "/").await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
}

#[track_caller]
fn location(response: &TestResponse) -> String {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "status; body: {}", response.text());
    response.header(header::LOCATION).unwrap_or_default().to_owned()
}

/// The part of a page from the element with `id` on (its table or list and what follows).
fn from_id<'a>(html: &'a str, id: &str) -> &'a str {
    let marker = format!("id=\"{id}\"");
    html.find(&marker).map_or("", |at| &html[at..])
}

/// The part of a page between the elements with ids `from` and `to`.
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let part = from_id(html, from);
    let end = part.find(&format!("id=\"{to}\"")).unwrap_or(part.len());
    &part[..end]
}

/// Nothing stored changed: audit, inquiries, messages, mail, purchases, requests.
#[track_caller]
fn assert_same(after: Counts, before: &Counts) {
    assert_eq!(&after, before, "nothing written");
}

web_test!(r5_r8_r14_console_pages_render_for_operators_in_korean_and_english);
async fn r5_r8_r14_console_pages_render_for_operators_in_korean_and_english(app: TestApp) {
    let fx = app.seed().await;
    let (inquiry, request) = open_request(&app, &fx).await;
    let (mut op, _) = operator(&app).await;

    let ko = op.get(&app, QUEUE).await.assert_html(StatusCode::OK);
    assert!(ko.contains("<html lang=\"ko\"") && ko.contains("구매취소 요청"), "{ko}");
    let row = from_id(&ko, &format!("request-{request}"));
    assert!(!row.is_empty(), "R8: the open request is queued: {ko}");
    for fact in
        ["Seller One", "Paid Puzzle", "customer1", "dev1", "₩1,200", "결제 완료", "request-channel\">API", "대기"]
    {
        assert!(row.contains(fact), "the row shows {fact}: {row}");
    }
    assert!(row.contains("고객과 환불에 합의했습니다."), "the developer's reason");
    assert!(row.contains(&format!("href=\"/inquiries/{inquiry}\"")), "a link to the thread");
    // Issue 12 item 5: a link to the confirmation page, not a one-click form.
    assert!(
        row.contains(&format!("href=\"{}?status=open\"", approve_path(&request))) && row.contains("승인하고 구매 취소")
    );
    assert!(!row.contains(&format!("action=\"{}\"", approve_path(&request))), "no one-click approve form: {row}");
    assert!(row.contains(&format!("action=\"{}\"", reject_path(&request))) && row.contains("name=\"reason\""));
    assert!(ko.contains("<option value=\"open\" selected>"), "open by default");
    assert!(ko.contains(&format!("<option value=\"{}\">Seller One</option>", fx.seller1.id)), "a seller filter");

    let overdue = op.get(&app, OVERDUE).await.assert_html(StatusCode::OK);
    assert!(overdue.contains("답변 기한 초과 문의") && overdue.contains("id=\"no-overdue\""), "{overdue}");
    assert!(overdue.contains("data-policy=\"manual\"") && overdue.contains("수동"), "R5: the store policy");
    assert!(overdue.contains("72시간"), "the configured limit");

    let console = op.get(&app, "/operator/audit").await.assert_html(StatusCode::OK);
    assert!(console.contains(&format!("href=\"{QUEUE}\"")) && console.contains(&format!("href=\"{OVERDUE}\"")));
    assert!(!console.contains("/operator/inquiries?overdue=true"), "the new overdue page replaces the filter link");
    assert!(console.contains("id=\"audit-filters\"") && console.contains("name=\"person\""));
    assert!(console.contains("name=\"action\"") && console.contains("name=\"sign_ins\""));

    in_english(&mut op, &app).await;
    let en = op.get(&app, QUEUE).await.assert_html(StatusCode::OK);
    assert!(en.contains("<html lang=\"en\"") && en.contains("Approve and cancel the purchase"), "{en}");
    assert!(en.contains("Cancellation requests") && en.contains("request-channel\">API") && en.contains("Open"));
    let en = op.get(&app, OVERDUE).await.assert_html(StatusCode::OK);
    assert!(en.contains("Overdue inquiries") && en.contains("Manual") && en.contains("72 hours"), "{en}");
    assert!(en.contains("Due within 24 hours"));
    let en = op.get(&app, "/operator/audit").await.assert_html(StatusCode::OK);
    assert!(en.contains("Name or email") && en.contains("All actions"));
}

web_test_with!(
    r5_the_overdue_queue_explains_the_auto_policy,
    WebConfig {
        app: AppConfig { auto_cancel: AutoCancelPolicy::Auto, ..AppConfig::default() },
        ..WebConfig::default()
    }
);
async fn r5_the_overdue_queue_explains_the_auto_policy(app: TestApp) {
    app.seed().await;
    let (mut op, _) = operator(&app).await;
    let ko = op.get(&app, OVERDUE).await.assert_html(StatusCode::OK);
    assert!(ko.contains("data-policy=\"auto\"") && ko.contains("자동으로 한 번 취소합니다"), "{ko}");
}

web_test!(r5_r8_r14_developers_customers_and_visitors_cannot_use_the_console);
async fn r5_r8_r14_developers_customers_and_visitors_cannot_use_the_console(app: TestApp) {
    let fx = app.seed().await;
    let (inquiry, request) = open_request(&app, &fx).await;
    // Overdue, so that only the role stands between a POST and a cancellation.
    app.clock.advance(SignedDuration::from_hours(80));
    let pages = [QUEUE, OVERDUE, "/operator", "/operator?actor_id=x", "/operator/audit?actor_id=x"];
    let posts = [approve_path(&request), reject_path(&request), cancel_path(&inquiry)];
    let mut others = Vec::new();
    for email in ["dev1@example.com", "customer1@example.com"] {
        let mut browser = Browser::signed_in(&app, email).await;
        let csrf = browser.form_token(&app).await;
        others.push((browser, csrf));
    }
    let mut visitor = Browser::default();
    let visitor_csrf = visitor.form_token(&app).await;
    let (mut op, _) = operator(&app).await;
    // Signing in is audited; from here on nothing may be written.
    let before = app.counts(&fx).await;

    for (browser, csrf) in &mut others {
        for page in pages {
            browser.get(&app, page).await.assert_html(StatusCode::FORBIDDEN);
        }
        for post in &posts {
            let form = [("csrf", csrf.as_str()), ("reason", "안 됩니다"), ("status", "open")];
            browser.post_form(&app, post, &form).await.assert_html(StatusCode::FORBIDDEN);
        }
    }

    // Not signed in: sent to sign in, and back here afterwards.
    visitor.get(&app, QUEUE).await.assert_see_other("/signin?next=/operator/cancellation-requests");
    visitor.get(&app, OVERDUE).await.assert_see_other("/signin?next=/operator/overdue");
    for post in &posts {
        let response = visitor.post_form(&app, post, &[("csrf", &visitor_csrf), ("reason", "x")]).await;
        assert!(location(&response).starts_with("/signin?next="), "{post}");
    }

    // An operator's form without (or with another visitor's) token: refused.
    for post in &posts {
        op.post_form(&app, post, &[("reason", "사유")]).await.assert_html(StatusCode::FORBIDDEN);
        let form = [("csrf", visitor_csrf.as_str()), ("reason", "사유")];
        op.post_form(&app, post, &form).await.assert_html(StatusCode::FORBIDDEN);
    }

    assert_same(app.counts(&fx).await, &before);
    assert_eq!(request_status(&app, &request).await, RequestStatus::Open);
    assert_eq!(paid_purchase_status(&app, &fx).await, PurchaseStatus::Paid);
}

web_test!(r8_approving_from_the_console_cancels_the_purchase_once_and_the_request_leaves_the_open_queue);
async fn r8_approving_from_the_console_cancels_the_purchase_once_and_the_request_leaves_the_open_queue(app: TestApp) {
    let fx = app.seed().await;
    let (_, request) = open_request(&app, &fx).await;
    let (mut op, csrf) = operator(&app).await;

    let form = [("csrf", csrf.as_str()), ("status", "open"), ("seller_id", ""), ("confirm", "yes")];
    let response = op.post_form(&app, &approve_path(&request), &form).await;
    let to = location(&response);
    assert_eq!(to, format!("{QUEUE}?status=open&notice=approved"));
    assert_eq!(request_status(&app, &request).await, RequestStatus::Approved);
    assert_eq!(paid_purchase_status(&app, &fx).await, PurchaseStatus::Cancelled, "R8: approving cancels");
    assert_eq!(app.audited("purchase.cancelled").await, 1);

    let queue = op.get(&app, &to).await.assert_html(StatusCode::OK);
    assert!(queue.contains("id=\"console-notice\"") && queue.contains("구매가 취소되었습니다"), "{queue}");
    assert!(!queue.contains(&format!("id=\"request-{request}\"")), "it left the open queue");
    assert!(queue.contains("id=\"no-requests\""));
    let approved = op.get(&app, &format!("{QUEUE}?status=approved")).await.assert_html(StatusCode::OK);
    let row = from_id(&approved, &format!("request-{request}"));
    assert!(row.contains("request-status-approved") && row.contains("request-decided\">operator"), "decided by: {row}");
    assert!(row.contains("구매 취소") && !row.contains("approve-form"), "no decision forms on a decided request");
    let all = op.get(&app, &format!("{QUEUE}?status=")).await.assert_html(StatusCode::OK);
    assert!(all.contains(&format!("id=\"request-{request}\"")), "every status");

    // The same decision again (a double click): done, nothing cancelled twice.
    let before = app.counts(&fx).await;
    let again = op.post_form(&app, &approve_path(&request), &form).await;
    assert_eq!(location(&again), format!("{QUEUE}?status=open&notice=approved"));
    assert_same(app.counts(&fx).await, &before);

    // The other decision after it: a clear 409, nothing changed.
    let reject = [("csrf", csrf.as_str()), ("status", "open"), ("reason", "늦었습니다")];
    let refused = op.post_form(&app, &reject_path(&request), &reject).await.assert_html(StatusCode::CONFLICT);
    assert!(refused.contains("이미 처리된 요청입니다(승인)"), "{refused}");
    assert_same(app.counts(&fx).await, &before);
    assert_eq!(request_status(&app, &request).await, RequestStatus::Approved);

    // An unknown request is a 404 page.
    op.post_form(&app, &approve_path("no-such-request"), &form).await.assert_html(StatusCode::NOT_FOUND);
}

web_test!(r8_two_operators_approving_at_once_end_in_one_cancellation);
async fn r8_two_operators_approving_at_once_end_in_one_cancellation(app: TestApp) {
    let fx = app.seed().await;
    let (_, request) = open_request(&app, &fx).await;
    let (mut first, first_csrf) = operator(&app).await;
    let (mut second, second_csrf) = operator(&app).await;
    let path = approve_path(&request);
    let first_form = [("csrf", first_csrf.as_str()), ("status", "open"), ("confirm", "yes")];
    let second_form = [("csrf", second_csrf.as_str()), ("status", "open"), ("confirm", "yes")];
    let (a, b) = tokio::join!(first.post_form(&app, &path, &first_form), second.post_form(&app, &path, &second_form));
    for response in [&a, &b] {
        assert_eq!(location(response), format!("{QUEUE}?status=open&notice=approved"), "both see it approved");
    }
    assert_eq!(app.audited("purchase.cancelled").await, 1, "R8: cancelled once");
    assert_eq!(app.mails_of_kind("purchase_cancelled").await.len(), 1, "the customer is told once");
    assert_eq!(paid_purchase_status(&app, &fx).await, PurchaseStatus::Cancelled);
}

web_test!(r8_rejecting_needs_a_reason_and_the_reason_is_shown_escaped);
async fn r8_rejecting_needs_a_reason_and_the_reason_is_shown_escaped(app: TestApp) {
    let fx = app.seed().await;
    // The developer's reason carries markup too; the queue shows it as text.
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let purchase = &fx.customer1_purchases[0];
    let thread = app.ask_refund(&c1, &fx, purchase, true).await;
    let inquiry = thread["id"].as_str().expect("an id").to_owned();
    let reason = "<script>alert('dev')</script> 합의함";
    let submitted = app.submit_request(&dev1, &purchase.purchase.id.0, &inquiry, reason, None).await;
    assert_eq!(submitted.status, StatusCode::CREATED, "{}", submitted.text());
    let request = submitted.json()["id"].as_str().expect("an id").to_owned();

    let (mut op, csrf) = operator(&app).await;
    let queue = op.get(&app, QUEUE).await.assert_html(StatusCode::OK);
    assert!(!queue.contains("<script>alert"), "R8: the developer's reason is escaped");
    assert!(queue.contains(ESCAPED_SCRIPT), "{queue}");

    // No reason: the form comes back with the problem, and nothing changes.
    let before = app.counts(&fx).await;
    for blank in ["", "   \n "] {
        let form = [("csrf", csrf.as_str()), ("status", "open"), ("reason", blank)];
        let page =
            op.post_form(&app, &reject_path(&request), &form).await.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
        let row = from_id(&page, &format!("request-{request}"));
        assert!(row.contains("반려 사유를 적어 주세요.") && row.contains("aria-invalid=\"true\""), "{page}");
        assert!(row.contains("<details class=\"request-form reject\" open>"), "the reject form is unfolded");
    }
    let too_long = "가".repeat(1001);
    let form = [("csrf", csrf.as_str()), ("status", "open"), ("reason", too_long.as_str())];
    let page = op.post_form(&app, &reject_path(&request), &form).await.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("1000자 이내로 적어 주세요.") && page.contains(&too_long), "kept what was typed");
    assert_same(app.counts(&fx).await, &before);
    assert_eq!(request_status(&app, &request).await, RequestStatus::Open);

    // With a reason: rejected, the purchase stays paid, the reason is shown escaped.
    let note = "<script>alert('op')</script> 사용 기록이 있어 환불할 수 없습니다.";
    let form = [("csrf", csrf.as_str()), ("status", "open"), ("reason", note)];
    let response = op.post_form(&app, &reject_path(&request), &form).await;
    assert_eq!(location(&response), format!("{QUEUE}?status=open&notice=rejected"));
    assert_eq!(request_status(&app, &request).await, RequestStatus::Rejected);
    assert_eq!(paid_purchase_status(&app, &fx).await, PurchaseStatus::Paid, "R8: a rejection keeps it paid");
    let notice = op.get(&app, &format!("{QUEUE}?status=open&notice=rejected")).await.assert_html(StatusCode::OK);
    assert!(notice.contains("요청을 반려했습니다"), "{notice}");
    let rejected = op.get(&app, &format!("{QUEUE}?status=rejected")).await.assert_html(StatusCode::OK);
    let row = from_id(&rejected, &format!("request-{request}"));
    assert!(row.contains("사용 기록이 있어 환불할 수 없습니다.") && row.contains("request-status-rejected"));
    assert!(!rejected.contains("<script>alert"), "R8: the operator's reason is escaped too");
    assert!(row.contains(ESCAPED_SCRIPT));

    // A filter the queue does not know is a 400, before anything is decided.
    op.get(&app, &format!("{QUEUE}?status=bogus")).await.assert_html(StatusCode::BAD_REQUEST);
}

web_test!(r8_the_queue_filters_by_status_and_seller_oldest_first);
async fn r8_the_queue_filters_by_status_and_seller_oldest_first(app: TestApp) {
    let fx = app.seed().await;
    let (_, first) = open_request(&app, &fx).await;
    app.clock.advance(SignedDuration::from_mins(5));
    // A second request of seller 1: customer 2's paid-app purchase.
    let c2 = app.login("customer2@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let purchase = &fx.customer2_purchases[0];
    let body = json!({
        "category": "refund",
        "subject": "환불해 주세요",
        "body": "잘못 샀어요.",
        "purchase_id": purchase.purchase.id.0,
        "consent_personal_info": false,
    });
    let thread = app.ask(&c2, &fx.paid_app, &body).await;
    let inquiry = thread["id"].as_str().expect("an id");
    let response = app.submit_request(&dev1, &purchase.purchase.id.0, inquiry, "합의", None).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let second = response.json()["id"].as_str().expect("an id").to_owned();

    let (mut op, _) = operator(&app).await;
    let queue = op.get(&app, QUEUE).await.assert_html(StatusCode::OK);
    let (a, b) = (queue.find(&format!("id=\"request-{first}\"")), queue.find(&format!("id=\"request-{second}\"")));
    assert!(a.is_some() && b.is_some() && a < b, "oldest first");
    let own = op.get(&app, &format!("{QUEUE}?status=open&seller_id={}", fx.seller1.id)).await;
    let own = own.assert_html(StatusCode::OK);
    assert!(own.contains(&format!("id=\"request-{first}\"")) && own.contains(&format!("id=\"request-{second}\"")));
    assert!(own.contains(&format!("<option value=\"{}\" selected>", fx.seller1.id)), "the filter is kept");
    assert!(own.contains(&format!("name=\"seller_id\" value=\"{}\"", fx.seller1.id)), "and handed to the forms");
    let other = op.get(&app, &format!("{QUEUE}?seller_id={}", fx.seller2.id)).await.assert_html(StatusCode::OK);
    assert!(other.contains("id=\"no-requests\""), "seller 2 has none");
    let rejected = op.get(&app, &format!("{QUEUE}?status=rejected")).await.assert_html(StatusCode::OK);
    assert!(rejected.contains("id=\"no-requests\""));
}

web_test!(r5_the_overdue_queue_lists_only_overdue_inquiries_and_cancels_on_behalf_once);
async fn r5_the_overdue_queue_lists_only_overdue_inquiries_and_cancels_on_behalf_once(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let c2 = app.login("customer2@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    // A: a refund inquiry naming a paid purchase, never answered.
    let a = app.ask_refund(&c1, &fx, &fx.customer1_purchases[0], false).await;
    let a = a["id"].as_str().expect("an id").to_owned();
    // C: asked at the same time but answered: owes nothing.
    let c = app.ask(&c2, &fx.paid_app, &json!({"category": "question", "subject": "답변됨", "body": "질문"})).await;
    let c = c["id"].as_str().expect("an id").to_owned();
    app.write(&dev1, &c, "답변드립니다.").await;
    app.clock.advance(SignedDuration::from_hours(49));
    // B: asked 49 hours later, without a purchase.
    let b = app.ask(&c2, &fx.paid_app, &json!({"category": "question", "subject": "곧 기한", "body": "질문"})).await;
    let b = b["id"].as_str().expect("an id").to_owned();

    let (mut op, csrf) = operator(&app).await;
    let page = op.get(&app, OVERDUE).await.assert_html(StatusCode::OK);
    assert!(page.contains("id=\"no-overdue\""), "nothing is overdue yet: {page}");
    let soon = from_id(&page, "due-soon");
    assert!(soon.contains(&format!("data-inquiry=\"{a}\"")) && soon.contains("23시간 0분 남음"), "{soon}");
    assert!(!soon.contains(&format!("data-inquiry=\"{b}\"")), "B has 72 hours left");
    // Not overdue: the store refuses, nothing changes.
    let before = app.counts(&fx).await;
    let form = [("csrf", csrf.as_str()), ("seller_id", ""), ("confirm", "yes")];
    let refused = op.post_form(&app, &cancel_path(&a), &form).await.assert_html(StatusCode::CONFLICT);
    assert!(refused.contains("아직 답변 기한이 지나지 않은 문의입니다"), "{refused}");
    assert_same(app.counts(&fx).await, &before);

    // 100 hours after A was asked: A is 1 day 4 hours overdue; B has 21 hours left.
    app.clock.advance(SignedDuration::from_hours(51));
    let page = op.get(&app, OVERDUE).await.assert_html(StatusCode::OK);
    let overdue = between(&page, "overdue", "due-soon");
    assert!(overdue.contains(&format!("data-inquiry=\"{a}\"")), "{page}");
    assert!(!overdue.contains(&format!("data-inquiry=\"{b}\"")) && !overdue.contains(&format!("data-inquiry=\"{c}\"")));
    assert!(overdue.contains("1일 4시간 초과") && overdue.contains("환불") && overdue.contains("customer1"));
    assert!(
        overdue.contains("Paid Puzzle · <span class=\"amount\">₩1,200</span>") && overdue.contains("결제 완료"),
        "its purchase and status"
    );
    assert!(overdue.contains(&format!("href=\"{}\"", cancel_path(&a))) && overdue.contains("개발자 대신 구매취소"));
    let soon = from_id(&page, "due-soon");
    assert!(soon.contains(&format!("data-inquiry=\"{b}\"")) && soon.contains("21시간 0분 남음"), "{soon}");
    assert!(soon.contains("연결된 구매 없음"));
    assert!(!page.contains(&format!("data-inquiry=\"{c}\"")), "answered inquiries are in neither list");
    let other = op.get(&app, &format!("{OVERDUE}?seller_id={}", fx.seller2.id)).await.assert_html(StatusCode::OK);
    assert!(other.contains("id=\"no-overdue\"") && other.contains("id=\"no-due-soon\""), "seller 2 owes nothing");

    // Cancel on the developer's behalf: once.
    let response = op.post_form(&app, &cancel_path(&a), &form).await;
    assert_eq!(location(&response), format!("{OVERDUE}?notice=cancelled"));
    assert_eq!(paid_purchase_status(&app, &fx).await, PurchaseStatus::Cancelled);
    assert_eq!(app.audited("purchase.cancelled_on_behalf").await, 1, "R5: recorded as on the developer's behalf");
    let page = op.get(&app, &format!("{OVERDUE}?notice=cancelled")).await.assert_html(StatusCode::OK);
    assert!(page.contains("개발자 대신 구매를 취소했습니다"), "{page}");
    let overdue = between(&page, "overdue", "due-soon");
    // R17: the store's cancellation answered the customer; the inquiry leaves the queue.
    assert!(
        !overdue.contains(&format!("data-inquiry=\"{a}\""))
            && !overdue.contains(&format!("href=\"{}\"", cancel_path(&a)))
    );

    // A second click: a clear 409, nothing cancelled again.
    let before = app.counts(&fx).await;
    let again = op.post_form(&app, &cancel_path(&a), &form).await.assert_html(StatusCode::CONFLICT);
    assert!(again.contains("이미 취소된 구매입니다. 아무것도 바뀌지 않았습니다."), "{again}");
    assert_same(app.counts(&fx).await, &before);
    // No purchase named: refused too.
    let none = op.post_form(&app, &cancel_path(&b), &form).await.assert_html(StatusCode::CONFLICT);
    assert!(none.contains("아직 답변 기한이 지나지 않은 문의입니다"), "B is not overdue yet");
    assert_same(app.counts(&fx).await, &before);
    assert_eq!(app.audited("purchase.cancelled_on_behalf").await, 1);
}

web_test!(r14_audit_filters_narrow_the_console_log);
async fn r14_audit_filters_narrow_the_console_log(app: TestApp) {
    let fx = app.seed().await;
    let (inquiry, request) = open_request(&app, &fx).await;
    let (mut op, csrf) = operator(&app).await;
    let form = [("csrf", csrf.as_str()), ("status", "open"), ("confirm", "yes")];
    let response = op.post_form(&app, &approve_path(&request), &form).await;
    location(&response);
    let rows = |html: &str| html.matches("class=\"audit-row\"").count();
    let purchase = fx.customer1_purchases[0].purchase.id.0.clone();

    let all = op.get(&app, "/operator/audit").await.assert_html(StatusCode::OK);

    let by_inquiry = op.get(&app, &format!("/operator/audit?inquiry_id={inquiry}")).await.assert_html(StatusCode::OK);
    let filter = AuditFilter { inquiry: Some(InquiryId(inquiry.clone())), ..Default::default() };
    let expected = app.audit_where(&filter).await;
    assert!(!expected.is_empty());
    assert_eq!(rows(&by_inquiry), expected.len(), "{by_inquiry}");
    let has = |html: &str, action: &str| html.contains(&format!("data-action=\"{action}\""));
    for action in ["inquiry.created", "cancellation_request.submitted", "cancellation_request.approved"] {
        assert!(has(&by_inquiry, action), "the inquiry's story has {action}");
    }
    assert!(!has(&by_inquiry, "user.created") && !has(&by_inquiry, "token.issued"), "nothing else");
    assert!(rows(&all) > rows(&by_inquiry), "narrower than the whole log");
    assert!(by_inquiry.contains(&format!("value=\"{inquiry}\"")) && by_inquiry.contains("id=\"audit-filter-clear\""));

    let by_purchase =
        op.get(&app, &format!("/operator/audit?purchase_id={purchase}")).await.assert_html(StatusCode::OK);
    let filter = AuditFilter { purchase: Some(PurchaseId(purchase.clone())), ..Default::default() };
    assert_eq!(rows(&by_purchase), app.audit_where(&filter).await.len());
    assert!(has(&by_purchase, "purchase.cancelled") && has(&by_purchase, "purchase.recorded"));
    assert!(!has(&by_purchase, "user.created"));

    let dev1 = fx.dev1.id.0.clone();
    let by_actor = op.get(&app, &format!("/operator/audit?actor_id={dev1}")).await.assert_html(StatusCode::OK);
    // Signing in and out is folded away unless asked (item 10).
    let filter = AuditFilter { actor: Some(UserId(dev1.clone())), hide_sign_ins: true, ..Default::default() };
    assert_eq!(rows(&by_actor), app.audit_where(&filter).await.len());
    assert!(has(&by_actor, "cancellation_request.submitted"));
    assert!(!has(&by_actor, "cancellation_request.approved") && !has(&by_actor, "inquiry.created"));
    assert!(by_actor.contains("href=\"/operator/audit?person=dev1%40example.com\""), "an actor links to their entries");

    // Filters combine; one that matches nothing says so.
    let both = op.get(&app, &format!("/operator/audit?inquiry_id={inquiry}&actor_id={dev1}")).await;
    let both = both.assert_html(StatusCode::OK);
    assert!(rows(&both) >= 1 && rows(&both) < rows(&by_inquiry));
    let none = op.get(&app, "/operator/audit?actor_id=nobody").await.assert_html(StatusCode::OK);
    assert!(none.contains("id=\"audit-none-match\"") && rows(&none) == 0);
    // Markup typed into a filter comes back as text.
    let typed = op.get(&app, "/operator/audit?inquiry_id=%3Cscript%3Ex").await.assert_html(StatusCode::OK);
    assert!(!typed.contains("<script>x") && typed.contains(ESCAPED_SCRIPT));
}
