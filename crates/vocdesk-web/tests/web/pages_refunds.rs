//! R6-R9 pages of the inquiry parties: the thread's consent, purchases, payment details
//! and cancellation requests, the developer's off-store form and request list, and the
//! dashboard's time left (R5). Through the real router and a browser that signs in on
//! the page and posts forms with the CSRF token of its visitor cookie.

use axum::http::{StatusCode, header};
use jiff::SignedDuration;
use serde_json::{Value, json};
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::ids::InquiryId;
use vocdesk_domain::money::{Currency, Money};
use vocdesk_domain::purchase::{NewPurchase, PaymentIds, PurchaseStatus, PurchaseView, mask};
use vocdesk_domain::refund::{CancellationRequest, Decision};
use vocdesk_domain::role::Role;
use vocdesk_store::{Acting, DecideOutcome, RecordOutcome};

use crate::support::browser::{Browser, hidden_input};
use crate::support::{Counts, Fixture, TestApp, TestResponse};

/// `<script>` as askama escapes it (numeric references, read by browsers as `&lt;`).
const ESCAPED_SCRIPT: &str = "&#60;script&#62;";

fn thread_path(id: &str) -> String {
    format!("/inquiries/{id}")
}

/// Customer 1 asks seller 1 for a refund of the paid app over the API, with or
/// without consent; returns the inquiry id.
async fn refund_inquiry(app: &TestApp, fx: &Fixture, consent: bool) -> String {
    let token = app.login("customer1@example.com").await;
    let body = json!({
        "category": "refund",
        "subject": "환불 요청합니다",
        "body": "결제가 두 번 됐어요. 환불 부탁드립니다.",
        "purchase_id": fx.customer1_purchases[0].purchase.id.0,
        "consent_personal_info": consent,
    });
    let thread: Value = app.ask(&token, &fx.paid_app, &body).await;
    thread["id"].as_str().expect("an id").to_owned()
}

/// The inquiry's cancellation requests, read through the store.
async fn requests_of(app: &TestApp, id: &str) -> Vec<CancellationRequest> {
    app.store.requests_of_inquiry(&InquiryId(id.to_owned())).await.expect("read the inquiry's requests")
}

/// Every stored request of any seller, counted per inquiry id given.
async fn request_count(app: &TestApp, ids: &[&str]) -> usize {
    let mut n = 0;
    for id in ids {
        n += requests_of(app, id).await.len();
    }
    n
}

/// A purchase of customer 1 of the paid app with the given amount and status.
async fn extra_purchase(app: &TestApp, fx: &Fixture, amount: i64, status: PurchaseStatus, tid: &str) -> PurchaseView {
    let new = NewPurchase {
        customer_id: fx.customer1.id.clone(),
        app_id: fx.paid_app.id.clone(),
        item_id: Some(fx.paid_item.id.clone()),
        amount: Money { amount_minor: amount, currency: Currency::parse("currency", "KRW").expect("KRW") },
        purchased_at: "2026-11-10T03:00:00Z".parse().expect("a time"),
        payment: PaymentIds { tid: tid.to_owned(), txid: None, receipt_no: None },
        status,
    };
    let mut outcomes = app
        .store
        .record_purchases(&[new], &AuditActor::system("test-fixture"), Channel::Cli, app.now())
        .await
        .expect("record a purchase");
    match outcomes.pop() {
        Some(RecordOutcome::Created(view)) => view,
        other => panic!("purchase {tid} not created: {other:?}"),
    }
}

/// An operator decides a request straight through the store (the console is another
/// page's business).
async fn operator_decides(app: &TestApp, fx: &Fixture, request: &CancellationRequest, decision: Decision) {
    let acting = Acting { actor: AuditActor::user(fx.operator.id.clone(), Role::Operator), channel: Channel::Store };
    let outcome = app
        .store
        .decide_cancellation_request(&request.id, &decision, &[], &acting, app.now())
        .await
        .expect("decide the request");
    assert!(matches!(outcome, DecideOutcome::Decided(_)), "{outcome:?}");
}

/// Switches a browser's pages to English.
async fn in_english(browser: &mut Browser, app: &TestApp) {
    let response = browser.switch_language(app, "en", "/").await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
}

#[track_caller]
fn assert_redirect_starts(response: &TestResponse, prefix: &str) -> String {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "status; body: {}", response.text());
    let location = response.header(header::LOCATION).unwrap_or_default().to_owned();
    assert!(location.starts_with(prefix), "Location {location:?} should start with {prefix:?}");
    location
}

/// Nothing stored changed: audit, inquiries, messages, mail, purchases, requests.
async fn assert_unchanged(app: &TestApp, fx: &Fixture, before: Counts, requests_before: usize, ids: &[&str]) {
    assert_eq!(app.counts(fx).await, before, "nothing written");
    assert_eq!(request_count(app, ids).await, requests_before, "no request written");
}

web_test!(r6_r7_r8_the_thread_shows_each_role_its_refund_panels_in_korean_and_english);
async fn r6_r7_r8_the_thread_shows_each_role_its_refund_panels_in_korean_and_english(app: TestApp) {
    let fx = app.seed().await;
    let id = refund_inquiry(&app, &fx, true).await;
    let path = thread_path(&id);

    // The seller's developer: purchases (masked), the reveal button, request forms.
    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let ko = dev.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(ko.contains("<section id=\"customer-purchases\""), "{ko}");
    assert!(ko.contains("status status-paid"), "R6: a status badge");
    let paid = &fx.customer1_purchases[0].purchase.payment;
    assert!(ko.contains(&mask(&paid.tid)) && !ko.contains(&paid.tid), "R7: masked until revealed");
    assert!(ko.contains("id=\"reveal-form\"") && ko.contains("결제 상세 보기"));
    assert!(ko.contains("<section id=\"request-cancellation\"") && ko.contains("스토어에 구매취소 요청"));
    for p in &fx.customer1_purchases[..2] {
        assert!(ko.contains(&format!("id=\"request-{}\"", p.purchase.id)), "R8: a form per paid purchase");
    }
    assert!(!ko.contains(&fx.customer1_purchases[2].purchase.id.0), "R6: nothing of the other seller");
    assert!(ko.contains("<section id=\"cancellation-requests\"") && ko.contains("id=\"no-cancellation-requests\""));
    assert!(ko.contains("<dd id=\"inquiry-consent\">O</dd>") && ko.contains("id=\"consent-since\""));
    assert!(!ko.contains("id=\"consent-form\""), "R7: only the customer consents");
    assert!(!ko.contains("id=\"consent-required\""));
    in_english(&mut dev, &app).await;
    let en = dev.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(en.contains("Show payment details") && en.contains("Submit purchase cancellation request to the store"));
    assert!(en.contains("Purchase cancellation requests"));

    // The customer: the consent and the requests, never the seller's panels.
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let ko = customer.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(ko.contains("<section id=\"consent\"") && ko.contains("id=\"consent-withdraw\""), "{ko}");
    assert!(ko.contains("<section id=\"cancellation-requests\""));
    assert!(ko.contains("id=\"inquiry-purchase\"") && ko.contains("status status-paid"));
    for panel in ["id=\"customer-purchases\"", "id=\"reveal-form\"", "id=\"request-cancellation\""] {
        assert!(!ko.contains(panel), "R6-R8: {panel} is not the customer's");
    }
    in_english(&mut customer, &app).await;
    let en = customer.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(en.contains("Withdraw consent") && en.contains("Consent to share personal information"));

    // An operator: purchases and the reveal, no request forms, no consent form.
    let mut operator = Browser::signed_in(&app, "operator@example.com").await;
    let ko = operator.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(ko.contains("id=\"customer-purchases\"") && ko.contains("id=\"reveal-form\""));
    assert!(!ko.contains("id=\"request-cancellation\"") && !ko.contains("id=\"consent-form\""));
}

web_test!(r7_without_consent_the_developer_is_asked_to_get_it_and_a_forced_reveal_is_403);
async fn r7_without_consent_the_developer_is_asked_to_get_it_and_a_forced_reveal_is_403(app: TestApp) {
    let fx = app.seed().await;
    let id = refund_inquiry(&app, &fx, false).await;
    let path = thread_path(&id);
    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let thread = dev.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(thread.contains("id=\"consent-required\"") && thread.contains("동의를 요청해 주세요"), "{thread}");
    assert!(!thread.contains("id=\"reveal-form\""), "R7: no button without consent");
    assert!(thread.contains("<dd id=\"inquiry-consent\">X</dd>") && !thread.contains("id=\"consent-since\""));

    let csrf = hidden_input(&thread, "csrf").expect("csrf");
    let before = app.counts(&fx).await;
    let page = dev
        .post_form(&app, &format!("{path}/payment-details"), &[("csrf", &csrf)])
        .await
        .assert_html(StatusCode::FORBIDDEN);
    assert!(page.contains("id=\"error-message\"") && page.contains("동의를 요청해 주세요"), "{page}");
    assert!(!page.contains(&fx.customer1_purchases[0].purchase.payment.tid));
    assert_eq!(app.counts(&fx).await, before, "R14: a refused reveal records nothing");

    in_english(&mut dev, &app).await;
    let page = dev
        .post_form(&app, &format!("{path}/payment-details"), &[("csrf", &csrf)])
        .await
        .assert_html(StatusCode::FORBIDDEN);
    assert!(page.contains("Ask the customer"), "{page}");
}

web_test!(r7_the_customer_consents_on_the_thread_then_each_reveal_is_audited_and_shows_the_ids);
async fn r7_the_customer_consents_on_the_thread_then_each_reveal_is_audited_and_shows_the_ids(app: TestApp) {
    let fx = app.seed().await;
    let id = refund_inquiry(&app, &fx, false).await;
    let path = thread_path(&id);
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let thread = customer.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(thread.contains("id=\"consent-give\""), "{thread}");
    let csrf = hidden_input(&thread, "csrf").expect("csrf");

    // A malformed consent field is a 400 and changes nothing.
    let before = app.counts(&fx).await;
    let response = customer.post_form(&app, &format!("{path}/consent"), &[("csrf", &csrf), ("consent", "maybe")]).await;
    response.assert_html(StatusCode::BAD_REQUEST);
    assert_eq!(app.counts(&fx).await, before);

    let response = customer.post_form(&app, &format!("{path}/consent"), &[("csrf", &csrf), ("consent", "yes")]).await;
    response.assert_see_other(&format!("{path}?notice=consent_given#consent"));
    let thread = customer.get(&app, &format!("{path}?notice=consent_given")).await.assert_html(StatusCode::OK);
    assert!(thread.contains("<dd id=\"inquiry-consent\">O</dd>") && thread.contains("id=\"consent-since\""));
    assert!(thread.contains("id=\"refund-notice\"") && thread.contains("id=\"consent-withdraw\""));

    // The developer now reveals; the ids appear only in that response, each audited.
    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let thread = dev.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(thread.contains("id=\"reveal-form\"") && !thread.contains("id=\"consent-required\""));
    let paid = fx.customer1_purchases[0].purchase.payment.clone();
    assert!(!thread.contains(&paid.tid));
    let audit_before = app.audit_log().await.len();
    let csrf = hidden_input(&thread, "csrf").expect("csrf");
    let response = dev.post_form(&app, &format!("{path}/payment-details"), &[("csrf", &csrf)]).await;
    assert_eq!(response.header(header::CACHE_CONTROL), Some("private, no-store"));
    let shown = response.assert_html(StatusCode::OK);
    assert!(shown.contains("id=\"payment-details-shown\""), "{shown}");
    assert!(shown.contains(&format!("<code class=\"payment-id tid\">{}</code>", paid.tid)));
    assert!(shown.contains(&format!("TX-{}", paid.tid)) && shown.contains(&format!("R-{}", paid.tid)));
    assert!(!shown.contains(&fx.customer1_purchases[2].purchase.payment.tid), "R6: not the other seller's");
    let audit = app.audit_log().await;
    assert_eq!(audit.len(), audit_before + 2, "R7/R14: one entry per revealed purchase");
    for record in &audit[..2] {
        assert_eq!(record.entry.actor.user_id.as_ref(), Some(&fx.dev1.id), "{record:?}");
    }
    // The thread read again is masked again.
    let again = dev.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(!again.contains(&paid.tid));

    // Withdrawn consent closes the door again.
    let csrf = hidden_input(&customer.get(&app, &path).await.text(), "csrf").expect("csrf");
    let response = customer.post_form(&app, &format!("{path}/consent"), &[("csrf", &csrf), ("consent", "no")]).await;
    response.assert_see_other(&format!("{path}?notice=consent_withdrawn#consent"));
    let thread = dev.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(thread.contains("<dd id=\"inquiry-consent\">X</dd>") && thread.contains("id=\"consent-required\""));
    let csrf = hidden_input(&thread, "csrf").expect("csrf");
    dev.post_form(&app, &format!("{path}/payment-details"), &[("csrf", &csrf)])
        .await
        .assert_html(StatusCode::FORBIDDEN);
}

web_test!(r8_a_request_from_the_thread_shows_for_both_sides_and_its_approval_reaches_the_customer);
async fn r8_a_request_from_the_thread_shows_for_both_sides_and_its_approval_reaches_the_customer(app: TestApp) {
    let fx = app.seed().await;
    let id = refund_inquiry(&app, &fx, true).await;
    let path = thread_path(&id);
    let purchase = fx.customer1_purchases[0].purchase.id.0.clone();
    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let thread = dev.get(&app, &path).await.assert_html(StatusCode::OK);
    let csrf = hidden_input(&thread, "csrf").expect("csrf");
    let reason = "<script>alert(1)</script> 고객과 환불에 합의했습니다.";
    let form = [("csrf", csrf.as_str()), ("purchase_id", purchase.as_str()), ("reason", reason)];
    let response = dev.post_form(&app, &format!("{path}/cancellation-requests"), &form).await;
    response.assert_see_other(&format!("{path}?notice=requested#cancellation-requests"));
    let requests = requests_of(&app, &id).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].reason, reason, "kept as written");
    assert_eq!(requests[0].channel, Channel::Store, "R2: from the pages");

    let thread = dev.get(&app, &format!("{path}?notice=requested")).await.assert_html(StatusCode::OK);
    assert!(thread.contains("id=\"refund-notice\"") && thread.contains("요청을 스토어에 보냈고 고객에게도 알렸습니다"));
    assert!(thread.contains(&format!("data-request=\"{}\"", requests[0].id)), "{thread}");
    assert!(thread.contains("request-status-open") && thread.contains("처리 대기"));
    assert!(thread.contains(ESCAPED_SCRIPT) && !thread.contains("<script>alert"), "user text is escaped");
    assert!(!thread.contains(&format!("id=\"request-{purchase}\"")), "R8: no second form while one is open");
    assert!(thread.contains("request-open-tag"));

    // A repeat gets the same request.
    let response = dev.post_form(&app, &format!("{path}/cancellation-requests"), &form).await;
    response.assert_see_other(&format!("{path}?notice=request_exists#cancellation-requests"));
    assert_eq!(requests_of(&app, &id).await.len(), 1, "R8: one open request per purchase");

    // The customer sees it, then sees it approved and the purchase cancelled.
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let seen = customer.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(seen.contains(&format!("data-request=\"{}\"", requests[0].id)), "{seen}");
    assert!(
        !seen.contains(ESCAPED_SCRIPT) && !seen.contains("고객과 환불에 합의했습니다"),
        "R17: the note is the store's"
    );
    operator_decides(&app, &fx, &requests[0], Decision::Approve).await;
    let seen = customer.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(seen.contains("request-status-approved") && seen.contains("승인: 구매 취소됨"), "{seen}");
    assert!(seen.contains("class=\"request-decided\">스토어"), "the customer is told the store decided");
    assert!(!seen.contains(&format!("class=\"request-decided\">{}", fx.operator.display_name)), "not who");
    let start = seen.find("id=\"inquiry-purchase\"").expect("the inquiry's purchase");
    let purchase_fact: String = seen[start..].chars().take(200).collect();
    assert!(purchase_fact.contains("status-cancelled"), "the customer sees the purchase cancelled: {purchase_fact}");
    let thread = dev.get(&app, &path).await.assert_html(StatusCode::OK);
    let decided = format!("class=\"request-decided\">{}", fx.operator.display_name);
    assert!(thread.contains("request-status-approved") && thread.contains(&decided), "{thread}");
    in_english(&mut customer, &app).await;
    let seen = customer.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(seen.contains("Approved: purchase cancelled"));
}

web_test!(r8_bad_requests_re_render_the_form_with_the_problem_and_change_nothing);
async fn r8_bad_requests_re_render_the_form_with_the_problem_and_change_nothing(app: TestApp) {
    let fx = app.seed().await;
    let cancelled = extra_purchase(&app, &fx, 500, PurchaseStatus::Cancelled, "T-C1-GONE").await;
    let free = extra_purchase(&app, &fx, 0, PurchaseStatus::Paid, "T-C1-ZERO").await;
    let id = refund_inquiry(&app, &fx, true).await;
    let path = thread_path(&id);
    let post = format!("{path}/cancellation-requests");
    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let thread = dev.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(!thread.contains(&format!("id=\"request-{}\"", cancelled.purchase.id)), "no form: cancelled");
    assert!(!thread.contains(&format!("id=\"request-{}\"", free.purchase.id)), "no form: free");
    let csrf = hidden_input(&thread, "csrf").expect("csrf");
    let paid = fx.customer1_purchases[0].purchase.id.0.clone();
    let before = app.counts(&fx).await;

    // An empty reason: the form comes back open, with the message.
    let page = dev
        .post_form(&app, &post, &[("csrf", &csrf), ("purchase_id", &paid), ("reason", "   ")])
        .await
        .assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(&format!("id=\"reason-{paid}-error\"")) && page.contains("사유를 적어 주세요"), "{page}");
    assert!(page.contains(&format!("id=\"request-{paid}\" open")));
    // Too long.
    let long = "가".repeat(1001);
    let page = dev
        .post_form(&app, &post, &[("csrf", &csrf), ("purchase_id", &paid), ("reason", &long)])
        .await
        .assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("1000자 이내로"), "{page}");
    // Cancelled and free purchases: 409 with the store's word.
    let page = dev
        .post_form(&app, &post, &[("csrf", &csrf), ("purchase_id", &cancelled.purchase.id.0), ("reason", "환불")])
        .await
        .assert_html(StatusCode::CONFLICT);
    assert!(page.contains("id=\"request-error\"") && page.contains("이미 취소된 구매"), "{page}");
    let page = dev
        .post_form(&app, &post, &[("csrf", &csrf), ("purchase_id", &free.purchase.id.0), ("reason", "환불")])
        .await
        .assert_html(StatusCode::CONFLICT);
    assert!(page.contains("무료 구매"), "{page}");
    // Unknown, and another seller's purchase of the same customer: not found.
    for other in ["no-such-purchase", fx.customer1_purchases[2].purchase.id.0.as_str()] {
        dev.post_form(&app, &post, &[("csrf", &csrf), ("purchase_id", other), ("reason", "환불")])
            .await
            .assert_html(StatusCode::NOT_FOUND);
    }
    assert_unchanged(&app, &fx, before, 0, &[&id]).await;
}

web_test!(r6_r7_r8_outsiders_customers_strangers_and_forged_forms_are_refused_and_change_nothing);
async fn r6_r7_r8_outsiders_customers_strangers_and_forged_forms_are_refused_and_change_nothing(app: TestApp) {
    let fx = app.seed().await;
    let id = refund_inquiry(&app, &fx, true).await;
    let path = thread_path(&id);
    let paid = fx.customer1_purchases[0].purchase.id.0.clone();
    let reveal = format!("{path}/payment-details");
    let request = format!("{path}/cancellation-requests");
    let consent = format!("{path}/consent");
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let mut dev1 = Browser::signed_in(&app, "dev1@example.com").await;
    let mut dev2 = Browser::signed_in(&app, "dev2@example.com").await;
    let mut customer2 = Browser::signed_in(&app, "customer2@example.com").await;
    let before = app.counts(&fx).await;

    // The customer may not reveal or request (403), and is offered neither.
    let csrf = customer.csrf_on(&app, &path).await;
    customer.post_form(&app, &reveal, &[("csrf", &csrf)]).await.assert_html(StatusCode::FORBIDDEN);
    let form = [("csrf", csrf.as_str()), ("purchase_id", paid.as_str()), ("reason", "제가 직접 요청")];
    customer.post_form(&app, &request, &form).await.assert_html(StatusCode::FORBIDDEN);
    let empty = [("csrf", csrf.as_str()), ("purchase_id", paid.as_str()), ("reason", "")];
    customer.post_form(&app, &request, &empty).await.assert_html(StatusCode::FORBIDDEN);
    for page in ["/developer/off-store-requests/new", "/developer/cancellation-requests"] {
        customer.get(&app, page).await.assert_html(StatusCode::FORBIDDEN);
    }

    // The developer may not consent for the customer.
    let csrf = dev1.csrf_on(&app, &path).await;
    dev1.post_form(&app, &consent, &[("csrf", &csrf), ("consent", "no")]).await.assert_html(StatusCode::FORBIDDEN);

    // Another seller's developer and another customer: the thread does not exist,
    // except where their role may never act on any thread (a customer revealing
    // payment ids, a developer consenting): that is 403 whatever the id, which tells
    // nothing about the thread either.
    for (stranger, reveals, consents) in [
        (&mut dev2, StatusCode::NOT_FOUND, StatusCode::FORBIDDEN),
        (&mut customer2, StatusCode::FORBIDDEN, StatusCode::NOT_FOUND),
    ] {
        stranger.get(&app, &path).await.assert_html(StatusCode::NOT_FOUND);
        let csrf = stranger.form_token(&app).await;
        stranger.post_form(&app, &reveal, &[("csrf", &csrf)]).await.assert_html(reveals);
        let form = [("csrf", csrf.as_str()), ("purchase_id", paid.as_str()), ("reason", "끼어들기")];
        stranger.post_form(&app, &request, &form).await.assert_html(StatusCode::NOT_FOUND);
        stranger.post_form(&app, &consent, &[("csrf", &csrf), ("consent", "yes")]).await.assert_html(consents);
    }

    // Without a session: every page and form leads to sign-in.
    let mut anonymous = Browser::default();
    for page in [path.as_str(), "/developer/off-store-requests/new", "/developer/cancellation-requests"] {
        assert_redirect_starts(&anonymous.get(&app, page).await, "/signin?next=");
    }
    let csrf = anonymous.form_token(&app).await;
    assert_redirect_starts(&anonymous.post_form(&app, &reveal, &[("csrf", &csrf)]).await, "/signin?next=");
    let form = [("csrf", csrf.as_str()), ("purchase_id", paid.as_str()), ("reason", "익명")];
    assert_redirect_starts(&anonymous.post_form(&app, &request, &form).await, "/signin?next=");

    // Without (or with a wrong) CSRF token: refused before anything is read.
    for token in ["", "forged"] {
        dev1.post_form(&app, &reveal, &[("csrf", token)]).await.assert_html(StatusCode::FORBIDDEN);
        let form = [("csrf", token), ("purchase_id", paid.as_str()), ("reason", "CSRF 없이")];
        dev1.post_form(&app, &request, &form).await.assert_html(StatusCode::FORBIDDEN);
        let consent_form = [("csrf", token), ("consent", "no")];
        customer.post_form(&app, &consent, &consent_form).await.assert_html(StatusCode::FORBIDDEN);
        let off_store = [("csrf", token), ("channel", "phone"), ("consent_personal_info", "O")];
        dev1.post_form(&app, "/developer/off-store-requests", &off_store).await.assert_html(StatusCode::FORBIDDEN);
    }
    let page = dev1.post_form(&app, &reveal, &[]).await.assert_html(StatusCode::FORBIDDEN);
    assert!(page.contains("id=\"error-message\""));

    assert_unchanged(&app, &fx, before, 0, &[&id]).await;
    let thread = app.store.inquiry(&InquiryId(id.clone())).await.expect("read").expect("the inquiry");
    assert!(thread.consent_personal_info, "R7: consent unchanged");
}

/// The off-store form as the seeds describe it, for customer 1's purchase of the paid
/// app (2026-11-01 10:00 UTC, 19:00 in Korea).
fn off_store_form<'a>(csrf: &'a str, fx: &'a Fixture, reason: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("consent_personal_info", "O"),
        ("customer_no", "C-0001"),
        ("purchased_at", "2026-11-01T19:00"),
        ("product_id", fx.paid_app.id.0.as_str()),
        ("channel", "phone"),
        ("reason", reason),
    ]
}

web_test!(r9_the_off_store_form_files_a_request_and_opens_its_thread);
async fn r9_the_off_store_form_files_a_request_and_opens_its_thread(app: TestApp) {
    let fx = app.seed().await;
    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let home = dev.get(&app, "/developer").await.assert_html(StatusCode::OK);
    assert!(home.contains("id=\"dev-offstore-link\"") && home.contains("id=\"dev-requests-link\""), "{home}");

    let form = dev.get(&app, "/developer/off-store-requests/new").await.assert_html(StatusCode::OK);
    assert!(form.contains("id=\"offstore-form\"") && form.contains("고객님의 개인정보 제공 동의 여부"));
    assert!(form.contains("type=\"datetime-local\"") && form.contains("고객번호") && form.contains("결제상품"));
    assert!(form.contains("name=\"channel\" value=\"email\"") && form.contains("name=\"channel\" value=\"phone\""));
    assert!(form.contains(&format!("<option value=\"{}\"", fx.paid_app.id)), "the seller's app");
    assert!(form.contains(&format!("<option value=\"{}\"", fx.paid_item.id)), "and its items");
    assert!(!form.contains(&fx.free_app.id.0) && !form.contains(&fx.free_item.id.0), "not another seller's");
    in_english(&mut dev, &app).await;
    let en = dev.get(&app, "/developer/off-store-requests/new").await.assert_html(StatusCode::OK);
    assert!(en.contains("Consent to provide personal information (O/X)") && en.contains("Customer number"));
    assert!(en.contains("Purchase date and time") && en.contains("Purchased item"));

    let csrf = hidden_input(&form, "csrf").expect("csrf");
    let response = dev
        .post_form(&app, "/developer/off-store-requests", &off_store_form(&csrf, &fx, "전화로 환불 요청 <b>받음</b>"))
        .await;
    let location = assert_redirect_starts(&response, "/inquiries/");
    assert!(location.ends_with("?notice=filed"), "{location}");
    let id = location.trim_start_matches("/inquiries/").trim_end_matches("?notice=filed").to_owned();
    let requests = requests_of(&app, &id).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].purchase_id, fx.customer1_purchases[0].purchase.id);
    assert_eq!(requests[0].channel, Channel::Phone, "R2/R9");

    let thread = dev.get(&app, &location).await.assert_html(StatusCode::OK);
    assert!(thread.contains("id=\"refund-notice\"") && thread.contains("request-status-open"), "{thread}");
    assert!(thread.contains("&#60;b&#62;") && !thread.contains("<b>받음"), "user text is escaped");
    let list = dev.get(&app, "/developer/cancellation-requests").await.assert_html(StatusCode::OK);
    assert!(list.contains(&format!("data-request=\"{}\"", requests[0].id)), "{list}");
    assert!(list.contains(&format!("href=\"/inquiries/{id}\"")));
    let approved = dev.get(&app, "/developer/cancellation-requests?status=approved").await.assert_html(StatusCode::OK);
    assert!(!approved.contains("data-request=") && approved.contains("id=\"no-requests\""));
    dev.get(&app, "/developer/cancellation-requests?status=bogus").await.assert_html(StatusCode::BAD_REQUEST);
    // Another seller's developer sees neither the request nor its thread.
    let mut dev2 = Browser::signed_in(&app, "dev2@example.com").await;
    let theirs = dev2.get(&app, "/developer/cancellation-requests").await.assert_html(StatusCode::OK);
    assert!(!theirs.contains(&requests[0].id.0));
    dev2.get(&app, &thread_path(&id)).await.assert_html(StatusCode::NOT_FOUND);

    // Filing the same purchase again files nothing and shows the open request.
    let before = app.counts(&fx).await;
    let response = dev.post_form(&app, "/developer/off-store-requests", &off_store_form(&csrf, &fx, "다시 접수")).await;
    response.assert_see_other(&format!("/inquiries/{id}?notice=filed_existing#cancellation-requests"));
    assert_eq!(app.counts(&fx).await, before);
}

web_test!(r9_a_malformed_off_store_form_lists_every_problem_and_writes_nothing);
async fn r9_a_malformed_off_store_form_lists_every_problem_and_writes_nothing(app: TestApp) {
    let fx = app.seed().await;
    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let csrf = dev.csrf_on(&app, "/developer/off-store-requests/new").await;
    let before = app.counts(&fx).await;
    let bad = [
        ("csrf", csrf.as_str()),
        ("channel", "store"),
        ("consent_personal_info", "maybe"),
        ("customer_no", "<script>"),
        ("purchased_at", "yesterday"),
        ("product_id", ""),
        ("reason", ""),
    ];
    let page =
        dev.post_form(&app, "/developer/off-store-requests", &bad).await.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("id=\"form-errors\""), "{page}");
    for field in ["channel", "consent_personal_info", "customer_no", "purchased_at", "product_id", "reason"] {
        assert!(page.contains(&format!("id=\"{field}-error\"")), "{field}: {page}");
        assert!(page.contains(&format!("<li data-field=\"{field}\">")), "{field} in the summary");
    }
    assert!(page.contains(&format!("value=\"{ESCAPED_SCRIPT}\"")), "kept and escaped: {page}");
    assert!(!page.contains("value=\"<script>"));

    // Well-formed but naming nobody, or no purchase at that time: the field says so.
    let unknown = off_store_form(&csrf, &fx, "환불")
        .into_iter()
        .map(|(k, v)| if k == "customer_no" { (k, "C-9999") } else { (k, v) })
        .collect::<Vec<_>>();
    let page = dev
        .post_form(&app, "/developer/off-store-requests", &unknown)
        .await
        .assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("id=\"customer_no-error\"") && page.contains("이 고객번호의 고객이 없습니다"), "{page}");
    let wrong_time = off_store_form(&csrf, &fx, "환불")
        .into_iter()
        .map(|(k, v)| if k == "purchased_at" { (k, "2026-11-01T19:01") } else { (k, v) })
        .collect::<Vec<_>>();
    let page = dev
        .post_form(&app, "/developer/off-store-requests", &wrong_time)
        .await
        .assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("id=\"purchased_at-error\""), "{page}");
    assert!(page.contains("value=\"2026-11-01T19:01\""), "the typed time is kept");
    // Another seller's product is no purchase of this seller.
    let other = off_store_form(&csrf, &fx, "환불")
        .into_iter()
        .map(|(k, v)| if k == "product_id" { (k, fx.free_app.id.0.as_str()) } else { (k, v) })
        .collect::<Vec<_>>();
    dev.post_form(&app, "/developer/off-store-requests", &other).await.assert_html(StatusCode::UNPROCESSABLE_ENTITY);

    in_english(&mut dev, &app).await;
    let before_en = app.counts(&fx).await;
    let page =
        dev.post_form(&app, "/developer/off-store-requests", &bad).await.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Choose how the customer asked") && page.contains("Choose O (consented) or X"));
    assert_eq!(app.counts(&fx).await, before_en);
    // The language switch wrote its own audit entry; nothing else was written.
    assert_eq!(before_en.inquiries, before.inquiries);
    assert_eq!(before_en.outbox, before.outbox);
}

web_test!(r5_the_dashboard_shows_the_overdue_count_and_the_time_left_of_the_most_urgent);
async fn r5_the_dashboard_shows_the_overdue_count_and_the_time_left_of_the_most_urgent(app: TestApp) {
    let fx = app.seed().await;
    let old = refund_inquiry(&app, &fx, true).await;
    app.clock.advance(SignedDuration::from_hours(70));
    let newer = refund_inquiry(&app, &fx, false).await;
    app.clock.advance(SignedDuration::from_hours(10));

    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let home = dev.get(&app, "/developer").await.assert_html(StatusCode::OK);
    assert!(home.contains("<strong id=\"dev-overdue\" class=\"is-overdue\">1</strong>"), "{home}");
    assert!(home.contains("<strong id=\"dev-unanswered\">2</strong>"));
    let urgent = &home[home.find("id=\"dev-urgent\"").expect("the urgent list")..];
    let (first, second) = (urgent.find(&old).expect("the old one"), urgent.find(&newer).expect("the newer one"));
    assert!(first < second, "the overdue one first");
    assert!(urgent.contains("8시간 0분 초과"), "R5: overdue by 80h - 72h: {urgent}");
    assert!(urgent.contains("2일 14시간 남음"), "R5: time left of the newer: {urgent}");
    in_english(&mut dev, &app).await;
    let home = dev.get(&app, "/developer").await.assert_html(StatusCode::OK);
    assert!(home.contains("Overdue by 8 hours 0 minutes") && home.contains("2 days 14 hours left"), "{home}");
    assert!(home.contains("Cancellation requests") && home.contains("File a refund request received by email"));
}

web_test!(r8_a_rejected_request_shows_both_sides_the_reason_who_decided_and_when);
async fn r8_a_rejected_request_shows_both_sides_the_reason_who_decided_and_when(app: TestApp) {
    let fx = app.seed().await;
    let id = refund_inquiry(&app, &fx, true).await;
    let path = thread_path(&id);
    let purchase = fx.customer1_purchases[1].purchase.id.0.clone();
    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let csrf = dev.csrf_on(&app, &path).await;
    let form = [("csrf", csrf.as_str()), ("purchase_id", purchase.as_str()), ("reason", "아이템 미지급")];
    dev.post_form(&app, &format!("{path}/cancellation-requests"), &form)
        .await
        .assert_see_other(&format!("{path}?notice=requested#cancellation-requests"));
    let request = requests_of(&app, &id).await.remove(0);
    app.clock.advance(SignedDuration::from_hours(2));
    let note = "<i>지급 기록</i>이 확인되었습니다.";
    operator_decides(&app, &fx, &request, Decision::Reject { reason: note.to_owned() }).await;

    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let seen = customer.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(seen.contains("request-status-rejected") && seen.contains(">반려</span>"), "{seen}");
    assert!(seen.contains("class=\"request-note\">&#60;i&#62;지급 기록"), "the store's reason, escaped");
    assert!(seen.contains("class=\"request-decided\">스토어 · <span class=\"when\">2026. 11. 21."), "who and when");
    let thread = dev.get(&app, &path).await.assert_html(StatusCode::OK);
    let decided = format!("class=\"request-decided\">{} · ", fx.operator.display_name);
    assert!(thread.contains(&decided) && thread.contains("class=\"request-note\">"), "{thread}");
    // Rejected, the purchase may be asked for again.
    assert!(thread.contains(&format!("id=\"request-{purchase}\"")));
    in_english(&mut dev, &app).await;
    let list = dev.get(&app, "/developer/cancellation-requests?status=rejected").await.assert_html(StatusCode::OK);
    assert!(list.contains(&format!("data-request=\"{}\"", request.id)) && list.contains(">Rejected</span>"));
}
