//! The inquiry pages (R1-R7), through the real router and a browser that signs in on the
//! page and posts multipart forms with the CSRF token of its visitor cookie.

use axum::http::{StatusCode, header};
use vocdesk_domain::inquiry::{InquiryFilter, InquiryScope};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::purchase::mask;
use vocdesk_store::InquiryQuery;

use crate::support::browser::{Browser, hidden_input};
use crate::support::{Fixture, MultipartForm, TestApp, TestResponse};

/// A one-pixel PNG.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// `<script>` as askama escapes it (numeric references, read by browsers as `&lt;`).
const ESCAPED_SCRIPT: &str = "&#60;script&#62;";

/// The inquiry id of a `303 See Other` to `/inquiries/{id}`.
#[track_caller]
fn inquiry_id_of(response: &TestResponse) -> String {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "status; body: {}", response.text());
    let location = response.header(header::LOCATION).expect("a Location");
    let id = location.strip_prefix("/inquiries/").expect("a thread location");
    id.split('#').next().unwrap_or_default().to_owned()
}

/// Every inquiry stored, of anyone.
async fn stored_inquiries(app: &TestApp) -> usize {
    let query = InquiryQuery { scope: InquiryScope::All, filter: InquiryFilter::default(), overdue_cutoff: app.now() };
    let page = PageRequest { limit: 100, after: None };
    app.store.list_inquiries(&query, &page).await.expect("list inquiries").items.len()
}

/// Every queued mail.
async fn stored_mail(app: &TestApp) -> Vec<vocdesk_domain::outbox::QueuedMail> {
    app.store.outbox(None, &PageRequest { limit: 100, after: None }).await.expect("read the outbox").items
}

/// The customer's inquiry form, filled in.
fn inquiry_form(csrf: &str, category: &str, purchase_id: &str, subject: &str, body: &str) -> MultipartForm {
    MultipartForm::new()
        .text("csrf", csrf)
        .text("category", category)
        .text("purchase_id", purchase_id)
        .text("subject", subject)
        .text("body", body)
}

/// Customer 1 asks about the paid app through the page; returns the browser and id.
async fn customer_asks(app: &TestApp, fx: &Fixture, subject: &str, body: &str) -> (Browser, String) {
    let mut customer = Browser::signed_in(app, "customer1@example.com").await;
    let form = format!("/apps/{}/inquiries/new", fx.paid_app.id);
    let csrf = customer.csrf_on(app, &form).await;
    let purchase = fx.customer1_purchases[0].purchase.id.0.clone();
    let body = inquiry_form(&csrf, "refund", &purchase, subject, body).text("consent_personal_info", "yes");
    let response = customer.post_multipart(app, &format!("/apps/{}/inquiries", fx.paid_app.id), body).await;
    let id = inquiry_id_of(&response);
    (customer, id)
}

web_test!(r2_what_is_written_on_the_pages_records_the_store_channel);
async fn r2_what_is_written_on_the_pages_records_the_store_channel(app: TestApp) {
    use vocdesk_domain::audit::Channel;
    use vocdesk_domain::ids::InquiryId;
    let fx = app.seed().await;
    let (_customer, id) = customer_asks(&app, &fx, "채널 확인", "웹에서 문의합니다.").await;
    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let csrf = dev.csrf_on(&app, &format!("/inquiries/{id}")).await;
    let reply = MultipartForm::new().text("csrf", &csrf).text("body", "웹에서 답변합니다.");
    dev.post_multipart(&app, &format!("/inquiries/{id}/messages"), reply).await;

    let thread = app.store.thread(&InquiryId(id.clone())).await.expect("read").expect("the thread");
    assert_eq!(thread.inquiry.channel, Channel::Store);
    assert_eq!(thread.messages.len(), 2);
    assert!(thread.messages.iter().all(|m| m.channel == Channel::Store), "each message keeps its channel");
    let entries: Vec<_> = app
        .audit_log()
        .await
        .into_iter()
        .filter(|r| r.entry.subject_type == "inquiry" && r.entry.subject_id == id)
        .collect();
    assert_eq!(entries.len(), 2, "created and replied");
    assert!(entries.iter().all(|r| r.entry.channel == Channel::Store), "R14 entries name the channel too");
}

web_test!(r1_a_customer_asks_in_korean_from_the_contact_form);
async fn r1_a_customer_asks_in_korean_from_the_contact_form(app: TestApp) {
    let fx = app.seed().await;
    // The app page links to the form, for everyone.
    let page = app.get(&format!("/apps/{}", fx.paid_app.id), None).await.assert_html(StatusCode::OK);
    let link = format!("<a id=\"contact-seller\" class=\"button\" href=\"/apps/{}/inquiries/new\">", fx.paid_app.id);
    assert!(page.contains(&link) && page.contains("판매자에게 문의"), "{page}");

    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let form_path = format!("/apps/{}/inquiries/new", fx.paid_app.id);
    let form = customer.get(&app, &form_path).await.assert_html(StatusCode::OK);
    assert!(form.contains(&format!(
        "<form id=\"inquiry-form\" method=\"post\" action=\"/apps/{}/inquiries\" enctype=\"multipart/form-data\"",
        fx.paid_app.id
    )));
    for needle in [
        "name=\"category\"",
        "name=\"purchase_id\"",
        "maxlength=\"200\"",
        "name=\"body\"",
        "name=\"consent_personal_info\" id=\"consent_personal_info\" value=\"yes\"",
        "type=\"file\" name=\"attachments\" id=\"attachments\" multiple",
        "id=\"inquiry-submit\"",
        "환불",
        "TID",
    ] {
        assert!(form.contains(needle), "the form has {needle}");
    }
    // Only the customer's own purchases of this app are offered.
    for own in &fx.customer1_purchases[..2] {
        assert!(form.contains(&format!("value=\"{}\"", own.purchase.id.0)));
    }
    assert!(!form.contains(&fx.customer1_purchases[2].purchase.id.0), "not the free app's purchase");
    assert!(!form.contains(&fx.customer2_purchases[0].purchase.id.0), "not customer 2's purchase");

    let csrf = hidden_input(&form, "csrf").expect("csrf");
    let purchase = fx.customer1_purchases[0].purchase.id.0.clone();
    let body = inquiry_form(
        &csrf,
        "refund",
        &purchase,
        "결제가 두 번 됐어요",
        "어제 결제가 두 번 되었습니다.\n환불 부탁드립니다.",
    )
    .text("consent_personal_info", "yes")
    .file("attachments", "영수증.png", "image/png", PNG);
    let response = customer.post_multipart(&app, &format!("/apps/{}/inquiries", fx.paid_app.id), body).await;
    let id = inquiry_id_of(&response);

    let thread = customer.get(&app, &format!("/inquiries/{id}")).await.assert_html(StatusCode::OK);
    assert!(thread.contains("<h1>결제가 두 번 됐어요</h1>"), "{thread}");
    assert!(thread.contains("어제 결제가 두 번 되었습니다.\n환불 부탁드립니다."));
    assert!(
        thread.contains(
            "<span class=\"status status-awaiting_developer\" id=\"inquiry-status\">개발자 답변 대기 중</span>"
        )
    );
    assert!(thread.contains("<dd id=\"inquiry-consent\">O</dd>"));
    assert!(thread.contains("class=\"message message-customer\" id=\"message-"));
    assert!(thread.contains("id=\"reply-form\"") && thread.contains("id=\"close-form\""));
    assert!(!thread.contains("id=\"customer-purchases\""), "R6: the panel is for the seller's side");
    assert!(thread.contains("영수증.png"));

    // The attachment is served with its stored type, sandboxed, never cached.
    let href_start = thread.find(&format!("/inquiries/{id}/attachments/")).expect("an attachment link");
    let href_end = href_start + thread[href_start..].find('"').expect("end of href");
    let href = thread[href_start..href_end].to_owned();
    let file = customer.get(&app, &href).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.header(header::CONTENT_TYPE), Some("image/png"));
    assert_eq!(file.body.as_ref(), PNG);
    assert!(file.header(header::CONTENT_DISPOSITION).is_some_and(|d| d.starts_with("inline;")));
    assert_eq!(file.header(header::CONTENT_SECURITY_POLICY), Some("sandbox; default-src 'none'"));
    assert_eq!(file.header(header::X_CONTENT_TYPE_OPTIONS), Some("nosniff"));
    assert_eq!(file.header(header::CACHE_CONTROL), Some("private, no-store"));

    // The customer's own list shows it.
    let mine = customer.get(&app, "/my/inquiries").await.assert_html(StatusCode::OK);
    assert!(mine.contains(&format!("href=\"/inquiries/{id}\"")) && mine.contains("status-awaiting_developer"));
}

web_test!(r3_r5_r6_the_developer_sees_counts_replies_and_the_customer_reads_it);
async fn r3_r5_r6_the_developer_sees_counts_replies_and_the_customer_reads_it(app: TestApp) {
    let fx = app.seed().await;
    let (mut customer, id) = customer_asks(&app, &fx, "환불 문의", "환불해 주세요").await;
    app.clock.advance(jiff::SignedDuration::from_hours(10));

    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let home = dev.get(&app, "/developer").await.assert_html(StatusCode::OK);
    assert!(home.contains("<strong id=\"dev-unanswered\">1</strong>"), "{home}");
    assert!(home.contains("href=\"/developer/inquiries\""));
    let inbox = dev.get(&app, "/developer/inquiries").await.assert_html(StatusCode::OK);
    assert!(inbox.contains("<section id=\"app-counts\""));
    assert!(inbox.contains("<strong id=\"total-unanswered\">1</strong>"), "{inbox}");
    assert!(inbox.contains("class=\"inquiry-row\"") && inbox.contains(&format!("href=\"/inquiries/{id}\"")));
    assert!(inbox.contains("2일 14시간 남음"), "R5: time left to the 3-day limit: {inbox}");
    // Filters narrow the list.
    let closed = dev.get(&app, "/developer/inquiries?status=closed&overdue=true").await.assert_html(StatusCode::OK);
    assert!(!closed.contains("class=\"inquiry-row\""));

    let thread = dev.get(&app, &format!("/inquiries/{id}")).await.assert_html(StatusCode::OK);
    assert!(thread.contains("<section id=\"customer-purchases\""));
    let paid = &fx.customer1_purchases[0].purchase.payment;
    assert!(thread.contains(&mask(&paid.tid)) && !thread.contains(&paid.tid), "R7: masked TID");
    assert!(!thread.contains(&format!("TX-{}", paid.tid)), "R7: masked TXID");
    assert!(!thread.contains("Free Notes"), "R6: nothing of other sellers");
    assert!(thread.contains("id=\"inquiry-due\""));

    let csrf = hidden_input(&thread, "csrf").expect("csrf");
    let reply = MultipartForm::new().text("csrf", &csrf).text("body", "환불 요청을 접수했습니다.");
    let response = dev.post_multipart(&app, &format!("/inquiries/{id}/messages"), reply).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    let location = response.header(header::LOCATION).unwrap_or_default();
    assert!(location.starts_with(&format!("/inquiries/{id}#message-")), "{location}");
    let anchor = location.split('#').nth(1).unwrap_or_default().to_owned();

    let seen = customer.get(&app, &format!("/inquiries/{id}")).await.assert_html(StatusCode::OK);
    assert!(seen.contains(&format!("<article class=\"message message-developer\" id=\"{anchor}\">")), "{seen}");
    assert!(seen.contains("환불 요청을 접수했습니다."));
    assert!(seen.contains("status-awaiting_customer\" id=\"inquiry-status\">답변 완료"));
    let inbox = dev.get(&app, "/developer/inquiries").await.assert_html(StatusCode::OK);
    assert!(inbox.contains("<strong id=\"total-unanswered\">0</strong>"));

    // The customer closes it; the developer can no longer write, the customer can reopen.
    let csrf = hidden_input(&seen, "csrf").expect("csrf");
    customer
        .post_form(&app, &format!("/inquiries/{id}/close"), &[("csrf", &csrf)])
        .await
        .assert_see_other(&format!("/inquiries/{id}"));
    let closed = dev.get(&app, &format!("/inquiries/{id}")).await.assert_html(StatusCode::OK);
    assert!(closed.contains("status-closed\" id=\"inquiry-status\">종료"));
    assert!(!closed.contains("id=\"reply-form\"") && !closed.contains("id=\"close-form\""));
    let reopen = customer.get(&app, &format!("/inquiries/{id}")).await.assert_html(StatusCode::OK);
    assert!(reopen.contains("id=\"reply-form\"") && reopen.contains("id=\"reopen-note\""));
    // A developer reply posted anyway (an old tab) is refused with a message, not stored.
    let before = app.store.thread(&vocdesk_domain::ids::InquiryId(id.clone())).await.expect("thread");
    let late =
        MultipartForm::new().text("csrf", &hidden_input(&closed, "csrf").expect("csrf")).text("body", "늦은 답변");
    let response = dev.post_multipart(&app, &format!("/inquiries/{id}/messages"), late).await;
    let html = response.assert_html(StatusCode::CONFLICT);
    assert!(html.contains("id=\"thread-notice\""));
    let after = app.store.thread(&vocdesk_domain::ids::InquiryId(id.clone())).await.expect("thread");
    assert_eq!(before.map(|t| t.messages.len()), after.map(|t| t.messages.len()));
}

web_test!(r1_script_in_subject_and_body_is_shown_escaped_everywhere);
async fn r1_script_in_subject_and_body_is_shown_escaped_everywhere(app: TestApp) {
    let fx = app.seed().await;
    let (mut customer, id) =
        customer_asks(&app, &fx, "<script>alert(1)</script>", "<script>alert('body')</script><b>x</b>").await;
    let thread = customer.get(&app, &format!("/inquiries/{id}")).await.assert_html(StatusCode::OK);
    let mine = customer.get(&app, "/my/inquiries").await.assert_html(StatusCode::OK);
    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let inbox = dev.get(&app, "/developer/inquiries").await.assert_html(StatusCode::OK);
    let mut operator = Browser::signed_in(&app, "operator@example.com").await;
    let queue = operator.get(&app, "/operator/inquiries").await.assert_html(StatusCode::OK);
    let outbox = operator.get(&app, "/operator/outbox").await.assert_html(StatusCode::OK);
    for (name, html) in [("thread", &thread), ("my", &mine), ("inbox", &inbox), ("queue", &queue), ("outbox", &outbox)]
    {
        assert!(html.contains(ESCAPED_SCRIPT), "{name} shows the text escaped: {html}");
        assert!(!html.contains("<script>"), "{name} never carries markup from a user");
    }
    assert!(!thread.contains("<b>x</b>"));
}

web_test!(r1_refusals_on_the_inquiry_pages_change_nothing);
async fn r1_refusals_on_the_inquiry_pages_change_nothing(app: TestApp) {
    let fx = app.seed().await;
    let (mut customer, id) = customer_asks(&app, &fx, "스크린샷 첨부", "첨부 확인 부탁드립니다").await;
    // One attachment, by a follow-up with a file.
    let csrf = customer.csrf_on(&app, &format!("/inquiries/{id}")).await;
    let follow = MultipartForm::new().text("csrf", &csrf).text("body", "로그 첨부").file(
        "attachments",
        "log.txt",
        "text/plain",
        b"2026-11-21 ERROR crash\n",
    );
    customer.post_multipart(&app, &format!("/inquiries/{id}/messages"), follow).await;
    let thread = app.store.thread(&vocdesk_domain::ids::InquiryId(id.clone())).await.expect("read").expect("thread");
    let attachment = thread.messages[1].attachments[0].id.0.clone();
    let thread_path = format!("/inquiries/{id}");
    let file_path = format!("/inquiries/{id}/attachments/{attachment}");
    let form_path = format!("/apps/{}/inquiries/new", fx.paid_app.id);
    // Everyone signs in first: a sign-in is itself audited.
    let strangers =
        [Browser::signed_in(&app, "dev2@example.com").await, Browser::signed_in(&app, "customer2@example.com").await];
    let mut operator = Browser::signed_in(&app, "operator@example.com").await;
    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let before = (app.counts(&fx).await, stored_inquiries(&app).await, stored_mail(&app).await.len());

    // A visitor is sent to sign in.
    for path in [&thread_path, &file_path, &form_path] {
        let response = app.get(path, None).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
        assert!(response.header(header::LOCATION).is_some_and(|l| l.starts_with("/signin?next=")));
    }

    // Another seller's developer and another customer: "not found", for everything.
    for mut stranger in strangers {
        let csrf = stranger.form_token(&app).await;
        stranger.get(&app, &thread_path).await.assert_html(StatusCode::NOT_FOUND);
        stranger.get(&app, &file_path).await.assert_html(StatusCode::NOT_FOUND);
        let reply = MultipartForm::new().text("csrf", &csrf).text("body", "끼어들기");
        stranger
            .post_multipart(&app, &format!("{thread_path}/messages"), reply)
            .await
            .assert_html(StatusCode::NOT_FOUND);
        stranger
            .post_form(&app, &format!("{thread_path}/close"), &[("csrf", &csrf)])
            .await
            .assert_html(StatusCode::NOT_FOUND);
    }

    // An operator reads (with the purchases panel) but may not write.
    let read = operator.get(&app, &thread_path).await.assert_html(StatusCode::OK);
    assert!(read.contains("id=\"customer-purchases\"") && !read.contains("id=\"reply-form\""));
    assert!(!read.contains("id=\"close-form\""));
    assert_eq!(operator.get(&app, &file_path).await.status, StatusCode::OK);
    let csrf = hidden_input(&read, "csrf").expect("csrf");
    let reply = MultipartForm::new().text("csrf", &csrf).text("body", "운영자 메모");
    operator.post_multipart(&app, &format!("{thread_path}/messages"), reply).await.assert_html(StatusCode::FORBIDDEN);
    operator
        .post_form(&app, &format!("{thread_path}/close"), &[("csrf", &csrf)])
        .await
        .assert_html(StatusCode::FORBIDDEN);
    operator.get(&app, &form_path).await.assert_html(StatusCode::FORBIDDEN);
    dev.get(&app, &form_path).await.assert_html(StatusCode::FORBIDDEN);
    // The customer pages are the customer's.
    dev.get(&app, "/my/inquiries").await.assert_html(StatusCode::FORBIDDEN);
    operator.get(&app, "/developer/inquiries").await.assert_html(StatusCode::FORBIDDEN);
    dev.get(&app, "/operator/inquiries").await.assert_html(StatusCode::FORBIDDEN);

    // Missing or wrong CSRF: 403 before anything is read or written.
    let create = format!("/apps/{}/inquiries", fx.paid_app.id);
    let no_csrf = MultipartForm::new().text("category", "question").text("subject", "s").text("body", "b");
    customer.post_multipart(&app, &create, no_csrf).await.assert_html(StatusCode::FORBIDDEN);
    let wrong = inquiry_form("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "question", "", "s", "b");
    customer.post_multipart(&app, &create, wrong).await.assert_html(StatusCode::FORBIDDEN);
    let wrong_reply = MultipartForm::new().text("csrf", "wrong").text("body", "b");
    customer
        .post_multipart(&app, &format!("{thread_path}/messages"), wrong_reply)
        .await
        .assert_html(StatusCode::FORBIDDEN);
    customer
        .post_form(&app, &format!("{thread_path}/close"), &[("csrf", "wrong")])
        .await
        .assert_html(StatusCode::FORBIDDEN);
    // A form that is not multipart is a 400 page, not plain text.
    let csrf = customer.form_token(&app).await;
    customer.post_form(&app, &create, &[("csrf", &csrf)]).await.assert_html(StatusCode::BAD_REQUEST);

    let after = (app.counts(&fx).await, stored_inquiries(&app).await, stored_mail(&app).await.len());
    assert_eq!(after, before, "nothing changed");
    let still = customer.get(&app, &thread_path).await.assert_html(StatusCode::OK);
    assert!(still.contains("status-awaiting_developer"), "still open and unanswered");
}

web_test!(r1_validation_errors_re_render_the_form_with_422_and_store_nothing);
async fn r1_validation_errors_re_render_the_form_with_422_and_store_nothing(app: TestApp) {
    let fx = app.seed().await;
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let csrf = customer.csrf_on(&app, &format!("/apps/{}/inquiries/new", fx.paid_app.id)).await;
    let before = (app.counts(&fx).await, stored_inquiries(&app).await, stored_mail(&app).await.len());
    let other_customers = fx.customer2_purchases[0].purchase.id.0.clone();
    let body = inquiry_form(&csrf, "complaint", "", "   ", "본문은 남아 있어야 합니다")
        .text("consent_personal_info", "yes")
        .file("attachments", "page.html", "text/html", b"<!doctype html><script>alert(1)</script>");
    let response = customer.post_multipart(&app, &format!("/apps/{}/inquiries", fx.paid_app.id), body).await;
    let html = response.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["category", "subject", "attachments"] {
        assert!(html.contains(&format!("id=\"{field}-error\"")), "{field} has its error: {html}");
    }
    assert!(!html.contains("id=\"body-error\""));
    assert!(html.contains(">본문은 남아 있어야 합니다</textarea>"), "the body is kept");
    assert!(html.contains("value=\"yes\" checked"), "consent is kept");

    // Someone else's purchase is refused the same way.
    let body = inquiry_form(&csrf, "refund", &other_customers, "제목", "내용");
    let response = customer.post_multipart(&app, &format!("/apps/{}/inquiries", fx.paid_app.id), body).await;
    let html = response.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"purchase_id-error\"") && html.contains("value=\"제목\""));
    let after = (app.counts(&fx).await, stored_inquiries(&app).await, stored_mail(&app).await.len());
    assert_eq!(after, before, "nothing stored");

    // An empty reply, likewise.
    let (mut asker, id) = customer_asks(&app, &fx, "제목", "내용").await;
    let before_reply = (app.counts(&fx).await, stored_mail(&app).await.len());
    let csrf = asker.csrf_on(&app, &format!("/inquiries/{id}")).await;
    let reply = MultipartForm::new().text("csrf", &csrf).text("body", "  ");
    let html = asker.post_multipart(&app, &format!("/inquiries/{id}/messages"), reply).await;
    assert!(html.assert_html(StatusCode::UNPROCESSABLE_ENTITY).contains("id=\"body-error\""));
    assert_eq!((app.counts(&fx).await, stored_mail(&app).await.len()), before_reply);
}

web_test!(r1_my_page_ask_link_preselects_the_purchase);
async fn r1_my_page_ask_link_preselects_the_purchase(app: TestApp) {
    let fx = app.seed().await;
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let my = customer.get(&app, "/my").await.assert_html(StatusCode::OK);
    assert!(my.contains("href=\"/my/inquiries\""));
    let item = &fx.customer1_purchases[1].purchase;
    let href = format!("/apps/{}/inquiries/new?purchase_id={}", item.app_id.0, item.id.0);
    assert!(my.contains(&format!("<a class=\"ask-link\" href=\"{href}\">문의하기</a>")), "{my}");
    let form = customer.get(&app, &href).await.assert_html(StatusCode::OK);
    assert!(form.contains(&format!("<option value=\"{}\" selected>", item.id.0)), "{form}");
    assert!(!form.contains("<option value=\"\" selected>"));
    // Another customer's purchase id in the link is not offered or chosen.
    let theirs = &fx.customer2_purchases[0].purchase;
    let form = customer
        .get(&app, &format!("/apps/{}/inquiries/new?purchase_id={}", theirs.app_id.0, theirs.id.0))
        .await
        .assert_html(StatusCode::OK);
    assert!(!form.contains(&format!("value=\"{}\"", theirs.id.0)), "not offered");
    assert!(form.contains("<option value=\"\" selected>"), "none chosen");
}

web_test!(r3_the_outbox_page_shows_queued_mail_to_operators_only);
async fn r3_the_outbox_page_shows_queued_mail_to_operators_only(app: TestApp) {
    let fx = app.seed().await;
    let (_customer, id) = customer_asks(&app, &fx, "메일 확인", "알림 메일이 가야 합니다").await;
    let mut operator = Browser::signed_in(&app, "operator@example.com").await;
    let console = operator.get(&app, "/operator").await.assert_html(StatusCode::OK);
    assert!(console.contains("href=\"/operator/outbox\"") && console.contains("href=\"/operator/inquiries\""));
    let outbox = operator.get(&app, "/operator/outbox").await.assert_html(StatusCode::OK);
    assert!(outbox.contains("class=\"outbox-row\"") && outbox.contains("dev1@example.com"), "{outbox}");
    assert!(outbox.contains(&format!("href=\"/inquiries/{id}\"")) && outbox.contains("<details>"));
    assert!(outbox.contains("알림 메일이 가야 합니다"), "the text body");
    let pending = operator.get(&app, "/operator/outbox?status=pending").await.assert_html(StatusCode::OK);
    assert!(pending.contains("class=\"outbox-row\""));
    let sent = operator.get(&app, "/operator/outbox?status=sent").await.assert_html(StatusCode::OK);
    assert!(!sent.contains("class=\"outbox-row\""));
    let queue = operator
        .get(&app, &format!("/operator/inquiries?seller_id={}", fx.seller2.id.0))
        .await
        .assert_html(StatusCode::OK);
    assert!(!queue.contains("class=\"inquiry-row\""), "seller 2 has no inquiries");
    let queue = operator
        .get(&app, &format!("/operator/inquiries?seller_id={}", fx.seller1.id.0))
        .await
        .assert_html(StatusCode::OK);
    assert!(queue.contains("class=\"inquiry-row\"") && queue.contains("Seller Two"), "a select of sellers");

    for email in ["dev1@example.com", "customer1@example.com"] {
        let mut other = Browser::signed_in(&app, email).await;
        other.get(&app, "/operator/outbox").await.assert_html(StatusCode::FORBIDDEN);
    }
    app.get("/operator/outbox", None).await.assert_see_other("/signin?next=/operator/outbox");
}

web_test!(item12_r3_the_language_switch_changes_the_pages_and_never_the_mail);
async fn item12_r3_the_language_switch_changes_the_pages_and_never_the_mail(app: TestApp) {
    let fx = app.seed().await;
    let (mut customer, id) = customer_asks(&app, &fx, "Language", "Please answer in English").await;
    customer.switch_language(&app, "en", "/my").await.assert_see_other("/my");
    let user = app.store.user(&fx.customer1.id).await.expect("read").expect("user");
    assert_eq!((user.locale, user.mail_locale), (Locale::En, Locale::Ko), "the pages' language only");
    let audited: Vec<_> = app.audit_log().await.into_iter().map(|r| r.entry.action).collect();
    assert!(audited.iter().any(|a| a == "user.locale_changed"), "audited (R14)");
    assert!(!audited.iter().any(|a| a == "user.mail_locale_changed"), "the mail language did not change");
    let english = customer.get(&app, "/my").await.assert_html(StatusCode::OK);
    assert!(
        english.contains("Ask a question") && english.contains("Request a refund") && english.contains("My inquiries")
    );

    // The next mail to the customer is still Korean.
    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let csrf = dev.csrf_on(&app, &format!("/inquiries/{id}")).await;
    let reply = MultipartForm::new().text("csrf", &csrf).text("body", "Sure.");
    dev.post_multipart(&app, &format!("/inquiries/{id}/messages"), reply).await;
    let mail = stored_mail(&app).await;
    let to_customer = mail.iter().find(|m| m.mail.to_email == "customer1@example.com").expect("a reply mail");
    assert_eq!(to_customer.mail.locale, Locale::Ko);

    let mut operator = Browser::signed_in(&app, "operator@example.com").await;
    let outbox = operator.get(&app, "/operator/outbox").await.assert_html(StatusCode::OK);
    let row_start = outbox.find("customer1@example.com").expect("the customer's row");
    let row = &outbox[row_start..row_start + outbox[row_start..].find("</tr>").expect("row end")];
    assert!(row.contains("<code>ko</code>"), "{row}");
}
