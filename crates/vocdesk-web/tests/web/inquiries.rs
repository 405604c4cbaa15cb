//! R1-R5 and R14 through the JSON API: asking a seller, replies, closing and reopening,
//! who may see and do what, bad input, attachments, the inbox order and filters, the
//! counts, concurrent replies, the outbox, and the JSON shapes.

use std::collections::HashSet;

use axum::http::{Method, StatusCode, header};
use jiff::SignedDuration;
use serde_json::{Value, json};
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::locale::Locale;
use vocdesk_store::Acting;

use crate::support::{Fixture, PNG, Part, TestApp, TestResponse, ids, req};

// ----- helpers -----

/// Customer 1 asking about the paid app with their own purchase of it.
fn question(fx: &Fixture) -> Value {
    json!({
        "category": "question",
        "subject": "레벨 3이 열리지 않아요",
        "body": "구매했는데 레벨 3이 잠겨 있습니다.",
        "purchase_id": fx.customer1_purchases[0].purchase.id.0,
        "consent_personal_info": true,
    })
}

fn asking_path(fx: &Fixture) -> String {
    format!("/api/v1/apps/{}/inquiries", fx.paid_app.id)
}

fn thread_path(id: &str) -> String {
    format!("/api/v1/inquiries/{id}")
}

fn id_of(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
}

/// The fields a `validation_failed` problem names.
fn fields(problem: &Value) -> Vec<String> {
    problem["errors"].as_array().expect("errors").iter().map(|e| e["field"].as_str().unwrap_or("").to_owned()).collect()
}

/// `GET /api/v1/inquiries?query` as `token`: the ids, in order.
async fn listed(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let response = app.get(&format!("/api/v1/inquiries{query}"), Some(token)).await;
    assert_eq!(response.status, StatusCode::OK, "list {query}: {}", response.text());
    ids(response.json()["items"].as_array().expect("items"))
}

fn assert_safe_download(response: &TestResponse, content_type: &str, bytes: &[u8]) {
    assert_eq!(response.status, StatusCode::OK, "download: {}", response.text());
    assert_eq!(response.header(header::CONTENT_TYPE), Some(content_type));
    assert_eq!(response.header(header::X_CONTENT_TYPE_OPTIONS), Some("nosniff"));
    assert_eq!(response.header(header::CONTENT_SECURITY_POLICY), Some("sandbox; default-src 'none'"));
    assert_eq!(response.header(header::CACHE_CONTROL), Some("private, no-store"));
    let disposition = response.header(header::CONTENT_DISPOSITION).unwrap_or_default();
    assert!(disposition.starts_with("attachment; "), "{disposition}");
    assert_eq!(&response.body[..], bytes, "the bytes as uploaded");
}

// ----- the path of one inquiry -----

web_test!(r1_r2_r3_r4_an_inquiry_from_question_to_reopening);
async fn r1_r2_r3_r4_an_inquiry_from_question_to_reopening(app: TestApp) {
    let fx = app.seed().await;
    // dev1 reads mail in English: R3 mail goes out in the recipient's language.
    let system = Acting { actor: AuditActor::system("test-fixture"), channel: Channel::Cli };
    app.store.set_mail_locale(&fx.dev1.id, Locale::En, &system, app.now()).await.expect("set the mail language");
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;

    let response = app.post_json(&asking_path(&fx), Some(&c1), &question(&fx)).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let thread = response.json();
    let id = id_of(&thread);
    assert_eq!(response.header(header::LOCATION), Some(thread_path(&id).as_str()));
    assert_eq!(thread["status"], "awaiting_developer");
    assert_eq!(thread["channel"], "api");
    assert_eq!(thread["category"], "question");
    assert_eq!(thread["consent_personal_info"], true);
    assert_eq!(thread["purchase_id"], json!(fx.customer1_purchases[0].purchase.id.0));
    assert_eq!(thread["app_id"], json!(fx.paid_app.id.0));
    assert_eq!(thread["seller_id"], json!(fx.seller1.id.0));
    assert_eq!(thread["message_count"], 1);
    assert_eq!(thread["overdue"], false);
    assert_eq!(thread["seconds_left"], 72 * 3600, "R5: 72 hours to answer");
    assert_eq!(thread["first_response_at"], Value::Null);
    let messages = thread["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["seq"], 1);
    assert_eq!(messages[0]["side"], "customer");
    assert_eq!(messages[0]["body"], "구매했는데 레벨 3이 잠겨 있습니다.");

    // R3: dev1 is told, in English; R14: the creation is audited.
    let outbox = app.outbox().await;
    assert_eq!(outbox.len(), 1, "one developer, one mail");
    let mail = &outbox[0].mail;
    assert_eq!(mail.kind.as_str(), "inquiry_created");
    assert_eq!(mail.to_user.as_ref(), Some(&fx.dev1.id));
    assert_eq!(mail.to_email, "dev1@example.com");
    assert_eq!(mail.locale, Locale::En);
    assert_eq!(mail.inquiry_id.as_ref().map(|i| i.0.as_str()), Some(id.as_str()));
    let audit = app.audit_log().await;
    let created = audit.iter().find(|r| r.entry.action == "inquiry.created").expect("inquiry.created audited");
    assert_eq!(created.entry.subject_id, id);
    assert_eq!(created.entry.actor.user_id.as_ref(), Some(&fx.customer1.id));
    assert_eq!(created.entry.channel, Channel::Api);

    // The developer sees it in the inbox and answers.
    assert_eq!(listed(&app, &dev1, "").await, vec![id.clone()]);
    app.clock.advance(SignedDuration::from_hours(2));
    let answer = app.write(&dev1, &id, "설정에서 복원을 눌러 주세요.").await;
    assert_eq!(answer["inquiry"]["status"], "awaiting_customer");
    assert_eq!(answer["inquiry"]["first_response_at"], json!(app.now().to_string()));
    assert_eq!(answer["inquiry"]["due_at"], Value::Null);
    assert_eq!(answer["inquiry"]["seconds_left"], Value::Null);
    assert_eq!(answer["message"]["seq"], 2);
    assert_eq!(answer["message"]["side"], "developer");
    let newest = app.outbox().await.remove(0);
    assert_eq!(newest.mail.kind.as_str(), "developer_reply");
    assert_eq!(newest.mail.to_user.as_ref(), Some(&fx.customer1.id));
    assert_eq!(newest.mail.locale, Locale::Ko);

    // The customer follows up; the developer owes an answer again.
    app.clock.advance(SignedDuration::from_mins(5));
    let follow_up = app.write(&c1, &id, "복원해도 안 됩니다.").await;
    assert_eq!(follow_up["inquiry"]["status"], "awaiting_developer");
    assert_eq!(follow_up["inquiry"]["awaiting_since"], json!(app.now().to_string()));
    assert_eq!(app.outbox().await.remove(0).mail.kind.as_str(), "customer_follow_up");

    // The developer closes it; closing again changes nothing and audits nothing.
    let closed = app.post_json(&format!("{}/close", thread_path(&id)), Some(&dev1), &json!({})).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text());
    assert_eq!(closed.json()["status"], "closed");
    assert!(closed.json()["closed_at"].is_string());
    let before = app.counts(&fx).await;
    app.clock.advance(SignedDuration::from_mins(1));
    let again = app.send(req(Method::POST, &format!("{}/close", thread_path(&id))).bearer(Some(&c1)).empty()).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.json(), closed.json(), "closing a closed inquiry answers it unchanged");
    assert_eq!(app.counts(&fx).await, before, "no new audit entry");

    // R4: a developer cannot write into a closed inquiry, and nothing changes.
    let refused =
        app.post_json(&format!("{}/messages", thread_path(&id)), Some(&dev1), &json!({ "body": "추가로" })).await;
    refused.assert_problem(StatusCode::CONFLICT, "conflict");
    assert_eq!(app.counts(&fx).await, before);
    assert_eq!(app.get(&thread_path(&id), Some(&c1)).await.json()["status"], "closed");

    // A customer message reopens it; the customer may close it too.
    let reopened = app.write(&c1, &id, "다시 문의드립니다.").await;
    assert_eq!(reopened["inquiry"]["status"], "awaiting_developer");
    assert_eq!(reopened["inquiry"]["closed_at"], Value::Null);
    assert_eq!(reopened["message"]["seq"], 4);
    let by_customer = app.post_json(&format!("{}/close", thread_path(&id)), Some(&c1), &json!({})).await;
    assert_eq!(by_customer.json()["status"], "closed");

    let thread = app.get(&thread_path(&id), Some(&dev1)).await.json();
    let seqs: Vec<i64> = thread["messages"].as_array().unwrap().iter().map(|m| m["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, [1, 2, 3, 4], "messages in order");
    let actions: Vec<String> =
        app.audit_log().await.into_iter().filter(|r| r.entry.subject_id == id).map(|r| r.entry.action).rev().collect();
    assert_eq!(
        actions,
        [
            "inquiry.created",
            "inquiry.message_added",
            "inquiry.message_added",
            "inquiry.closed",
            "inquiry.message_added",
            "inquiry.closed"
        ],
        "R14: every change, once"
    );
}

// ----- who may do what -----

web_test!(r1_without_a_token_every_route_is_401_and_nothing_changes);
async fn r1_without_a_token_every_route_is_401_and_nothing_changes(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let thread = app.ask(&c1, &fx.paid_app, &question(&fx)).await;
    let id = id_of(&thread);
    let before = app.counts(&fx).await;
    let fake = format!("{}/attachments/nothing", thread_path(&id));
    for path in ["/api/v1/inquiries", "/api/v1/inquiries/counts", "/api/v1/outbox", &thread_path(&id), &fake] {
        app.get(path, None).await.assert_unauthenticated();
        app.get(path, Some("vdk_not-a-token")).await.assert_unauthenticated();
    }
    for path in [asking_path(&fx), format!("{}/messages", thread_path(&id))] {
        app.post_json(&path, None, &question(&fx)).await.assert_unauthenticated();
    }
    app.post_json(&format!("{}/close", thread_path(&id)), None, &json!({})).await.assert_unauthenticated();
    assert_eq!(app.counts(&fx).await, before);
}

web_test!(r1_only_the_parties_write_and_others_are_told_it_does_not_exist);
async fn r1_only_the_parties_write_and_others_are_told_it_does_not_exist(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let c2 = app.login("customer2@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;
    let op = app.login("operator@example.com").await;
    let id = id_of(&app.ask(&c1, &fx.paid_app, &question(&fx)).await);
    let before = app.counts(&fx).await;
    let reply = json!({ "body": "끼어들기" });

    for outsider in [&dev2, &c2] {
        app.get(&thread_path(&id), Some(outsider)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
        app.post_json(&format!("{}/messages", thread_path(&id)), Some(outsider), &reply)
            .await
            .assert_problem(StatusCode::NOT_FOUND, "not_found");
        app.post_json(&format!("{}/close", thread_path(&id)), Some(outsider), &json!({}))
            .await
            .assert_problem(StatusCode::NOT_FOUND, "not_found");
    }
    // Operators read every thread but never write to one.
    let read = app.get(&thread_path(&id), Some(&op)).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text());
    app.post_json(&format!("{}/messages", thread_path(&id)), Some(&op), &reply)
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    app.post_json(&format!("{}/close", thread_path(&id)), Some(&op), &json!({}))
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    // Only customers ask.
    for staff in [&dev1, &op] {
        app.post_json(&asking_path(&fx), Some(staff), &question(&fx))
            .await
            .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    }
    // An unknown inquiry is the same 404.
    app.get(&thread_path("no-such-inquiry"), Some(&op)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    app.post_json("/api/v1/apps/no-such-app/inquiries", Some(&c1), &question(&fx))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(app.counts(&fx).await, before, "refusals change nothing");
}

web_test!(r1_the_purchase_must_be_the_customers_own_purchase_of_the_app);
async fn r1_the_purchase_must_be_the_customers_own_purchase_of_the_app(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let before = app.counts(&fx).await;
    let others = &fx.customer2_purchases[0].purchase.id.0; // customer 2's purchase of the paid app
    let own_of_other_app = &fx.customer1_purchases[2].purchase.id.0; // customer 1's purchase of the free app
    for purchase in [others.as_str(), own_of_other_app.as_str(), "no-such-purchase"] {
        let mut body = question(&fx);
        body["purchase_id"] = json!(purchase);
        let problem = app
            .post_json(&asking_path(&fx), Some(&c1), &body)
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(fields(&problem), ["purchase_id"], "{problem}");
    }
    assert_eq!(app.counts(&fx).await, before);
    // Without a purchase, and with the customer's purchase of an item of the app, it is fine.
    let mut body = question(&fx);
    body.as_object_mut().unwrap().remove("purchase_id");
    body.as_object_mut().unwrap().remove("consent_personal_info");
    let thread = app.ask(&c1, &fx.paid_app, &body).await;
    assert_eq!(thread["purchase_id"], Value::Null);
    assert_eq!(thread["consent_personal_info"], false, "consent defaults to no");
    body["purchase_id"] = json!(fx.customer1_purchases[1].purchase.id.0);
    app.ask(&c1, &fx.paid_app, &body).await;
}

web_test!(r1_lists_show_each_user_only_what_they_may_see);
async fn r1_lists_show_each_user_only_what_they_may_see(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let c2 = app.login("customer2@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;
    let op = app.login("operator@example.com").await;
    let ask = |category: &str| json!({ "category": category, "subject": "제목", "body": "내용" });
    let c1_paid = id_of(&app.ask(&c1, &fx.paid_app, &ask("question")).await);
    app.clock.advance(SignedDuration::from_mins(1));
    let c1_free = id_of(&app.ask(&c1, &fx.free_app, &ask("other")).await);
    app.clock.advance(SignedDuration::from_mins(1));
    let c2_paid = id_of(&app.ask(&c2, &fx.paid_app, &ask("refund")).await);

    let set = |v: Vec<String>| v.into_iter().collect::<HashSet<_>>();
    assert_eq!(set(listed(&app, &c1, "").await), set(vec![c1_paid.clone(), c1_free.clone()]));
    assert_eq!(listed(&app, &c2, "").await, vec![c2_paid.clone()]);
    assert_eq!(listed(&app, &dev1, "").await, [c1_paid.clone(), c2_paid.clone()], "seller 1's, oldest waiting first");
    assert_eq!(listed(&app, &dev2, "").await, vec![c1_free.clone()]);
    assert_eq!(listed(&app, &op, "").await, [c1_paid.clone(), c1_free.clone(), c2_paid.clone()]);
    assert_eq!(listed(&app, &op, &format!("?seller_id={}", fx.seller2.id)).await, vec![c1_free.clone()]);
    assert_eq!(listed(&app, &dev1, &format!("?seller_id={}", fx.seller1.id)).await, [c1_paid, c2_paid]);
    // A developer naming another seller is told it does not exist.
    app.get(&format!("/api/v1/inquiries?seller_id={}", fx.seller2.id), Some(&dev1))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "not_found");
}

web_test!(r1_unknown_filter_words_are_400_naming_the_field);
async fn r1_unknown_filter_words_are_400_naming_the_field(app: TestApp) {
    app.seed().await;
    let op = app.login("operator@example.com").await;
    for (query, field) in [
        ("status=open", "status"),
        ("category=complaint", "category"),
        ("overdue=yes", "overdue"),
        ("limit=0", "limit"),
        ("cursor=%%%", "cursor"),
    ] {
        let problem = app
            .get(&format!("/api/v1/inquiries?{query}"), Some(&op))
            .await
            .assert_problem(StatusCode::BAD_REQUEST, "invalid_query");
        let detail = problem["detail"].as_str().unwrap_or_default();
        assert!(detail.starts_with(field), "{query}: {detail}");
    }
    app.get("/api/v1/outbox?status=lost", Some(&op)).await.assert_problem(StatusCode::BAD_REQUEST, "invalid_query");
}

// ----- bad input -----

web_test!(r1_bad_input_is_refused_and_nothing_is_stored);
async fn r1_bad_input_is_refused_and_nothing_is_stored(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let path = asking_path(&fx);
    let before = app.counts(&fx).await;

    let with = |field: &str, value: Value| {
        let mut body = question(&fx);
        body[field] = value;
        body
    };
    for (body, field) in [
        (with("category", json!("complaint")), "category"),
        (with("subject", json!("   ")), "subject"),
        (with("subject", json!("가".repeat(201))), "subject"),
        (with("body", json!("a".repeat(20_001))), "body"),
        (with("body", json!("")), "body"),
    ] {
        let problem = app
            .post_json(&path, Some(&c1), &body)
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(fields(&problem), [field], "{problem}");
    }
    app.post_json(&path, Some(&c1), &with("priority", json!("high")))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    app.post_json(&path, Some(&c1), &with("consent_personal_info", json!("yes")))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    let malformed = req(Method::POST, &path).bearer(Some(&c1)).header("content-type", "application/json");
    app.send(malformed.raw("{\"category\": \"question\","))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "malformed_json");
    let text = req(Method::POST, &path).bearer(Some(&c1)).header("content-type", "text/plain");
    app.send(text.raw("hello")).await.assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");

    // Files: too many, too large, markup dressed as an image; and a body without `payload`.
    let payload = question(&fx).to_string();
    let six: Vec<Part<'_>> = std::iter::once(Part::Field("payload", &payload))
        .chain((0..6).map(|_| Part::File("file", "shot.png", "image/png", PNG)))
        .collect();
    let mut big = PNG.to_vec();
    big.resize(10 * 1024 * 1024 + 1, 0);
    let html = b"<!DOCTYPE html><html><script>alert(1)</script></html>";
    let cases: Vec<(Vec<Part<'_>>, &str)> = vec![
        (six, "attachments"),
        (vec![Part::Field("payload", &payload), Part::File("file", "big.png", "image/png", &big)], "attachments[0]"),
        (vec![Part::Field("payload", &payload), Part::File("file", "cute.png", "image/png", html)], "attachments[0]"),
    ];
    for (parts, field) in cases {
        let response = app.send(req(Method::POST, &path).bearer(Some(&c1)).multipart(&parts)).await;
        let problem = response.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(fields(&problem), [field], "{problem}");
    }
    let no_payload = [Part::Field("subject", "제목"), Part::File("file", "shot.png", "image/png", PNG)];
    app.send(req(Method::POST, &path).bearer(Some(&c1)).multipart(&no_payload))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "malformed_multipart");
    let bad_payload = [Part::Field("payload", "{not json"), Part::File("file", "shot.png", "image/png", PNG)];
    app.send(req(Method::POST, &path).bearer(Some(&c1)).multipart(&bad_payload))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "malformed_json");
    // A bad field and a bad file are reported together.
    let both_payload = with("subject", json!("")).to_string();
    let both = [Part::Field("payload", &both_payload), Part::File("file", "x.png", "image/png", html)];
    let problem = app
        .send(req(Method::POST, &path).bearer(Some(&c1)).multipart(&both))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(fields(&problem), ["subject", "attachments[0]"]);

    let after = app.counts(&fx).await;
    assert_eq!(after, before, "nothing stored");
    assert_eq!(after.attachments, 0);
    assert_eq!(after.files, 0, "no file kept for a refused request");

    // The same checks on a reply.
    let id = id_of(&app.ask(&c1, &fx.paid_app, &question(&fx)).await);
    let before = app.counts(&fx).await;
    let reply_path = format!("{}/messages", thread_path(&id));
    let problem = app
        .post_json(&reply_path, Some(&c1), &json!({ "body": "a".repeat(20_001) }))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(fields(&problem), ["body"]);
    app.post_json(&reply_path, Some(&c1), &json!({ "body": "hi", "to": "x" }))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    let reply_payload = json!({ "body": "파일" }).to_string();
    let bad_file = [Part::Field("payload", &reply_payload), Part::File("file", "a.png", "image/png", html)];
    app.send(req(Method::POST, &reply_path).bearer(Some(&c1)).multipart(&bad_file))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(app.counts(&fx).await, before);
}

web_test!(r1_markup_in_subject_and_body_is_kept_exactly_as_sent);
async fn r1_markup_in_subject_and_body_is_kept_exactly_as_sent(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let subject = "<script>alert('x')</script> & \"quotes\"";
    let body = "<img src=x onerror=alert(1)>\n<b>굵게</b> &amp; 끝";
    let thread = app.ask(&c1, &fx.paid_app, &json!({ "category": "other", "subject": subject, "body": body })).await;
    let read = app.get(&thread_path(&id_of(&thread)), Some(&dev1)).await.json();
    assert_eq!(read["subject"], subject);
    assert_eq!(read["messages"][0]["body"], body);
    let listed = app.get("/api/v1/inquiries", Some(&dev1)).await.json();
    assert_eq!(listed["items"][0]["subject"], subject);
}

// ----- attachments -----

web_test!(r1_attachments_are_listed_and_downloaded_by_the_parties_only);
async fn r1_attachments_are_listed_and_downloaded_by_the_parties_only(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let c2 = app.login("customer2@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;
    let op = app.login("operator@example.com").await;
    let log = "2026-11-21 09:00:01 ERROR 결제 후 레벨 3 잠김\n".as_bytes();
    let payload = question(&fx).to_string();
    let parts = [
        Part::Field("payload", &payload),
        Part::File("file", "screen.png", "application/octet-stream", PNG),
        Part::File("file", "crash 로그.txt", "text/plain", log),
    ];
    let response = app.send(req(Method::POST, &asking_path(&fx)).bearer(Some(&c1)).multipart(&parts)).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let id = id_of(&response.json());
    assert_eq!(app.blob_files(), 2, "each file kept once by its hash");

    let thread = app.get(&thread_path(&id), Some(&dev1)).await.json();
    let files = thread["messages"][0]["attachments"].as_array().expect("attachments").clone();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["filename"], "screen.png");
    assert_eq!(files[0]["content_type"], "image/png", "sniffed, not the declared type");
    assert_eq!(files[0]["size"], PNG.len());
    assert_eq!(files[1]["filename"], "crash 로그.txt");
    assert_eq!(files[1]["content_type"], "text/plain; charset=utf-8");
    for file in &files {
        assert_eq!(file["url"], json!(format!("/api/v1/inquiries/{id}/attachments/{}", id_of(file))));
    }
    let png_url = files[0]["url"].as_str().unwrap();
    let log_url = files[1]["url"].as_str().unwrap();
    for reader in [&c1, &dev1, &op] {
        assert_safe_download(&app.get(png_url, Some(reader)).await, "image/png", PNG);
        let text = app.get(log_url, Some(reader)).await;
        assert_safe_download(&text, "text/plain; charset=utf-8", log);
        assert_eq!(
            text.header(header::CONTENT_DISPOSITION),
            Some("attachment; filename=\"crash __.txt\"; filename*=UTF-8''crash%20%EB%A1%9C%EA%B7%B8.txt")
        );
    }
    for outsider in [&c2, &dev2] {
        app.get(png_url, Some(outsider)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    }
    app.get(png_url, None).await.assert_unauthenticated();
    // An attachment id under another inquiry is not found.
    let other = id_of(&app.ask(&c1, &fx.paid_app, &question(&fx)).await);
    let wrong = format!("/api/v1/inquiries/{other}/attachments/{}", id_of(&files[0]));
    app.get(&wrong, Some(&c1)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");

    // A developer reply with a file.
    let reply_payload = json!({ "body": "스크린샷 확인했습니다." }).to_string();
    let reply = [Part::Field("payload", &reply_payload), Part::File("file", "fix.png", "image/png", PNG)];
    let response = app
        .send(req(Method::POST, &format!("{}/messages", thread_path(&id))).bearer(Some(&dev1)).multipart(&reply))
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let message = &response.json()["message"];
    assert_eq!(message["attachments"][0]["filename"], "fix.png");
    assert_eq!(app.blob_files(), 2, "the same bytes are not kept twice");
    let url = message["attachments"][0]["url"].as_str().unwrap().to_owned();
    assert_safe_download(&app.get(&url, Some(&c1)).await, "image/png", PNG);
}

// ----- inbox order, filters, counts -----

web_test!(r4_r5_the_inbox_orders_filters_and_pages);
async fn r4_r5_the_inbox_orders_filters_and_pages(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let c2 = app.login("customer2@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let op = app.login("operator@example.com").await;
    let minute = SignedDuration::from_mins(1);
    let ask = |category: &str| json!({ "category": category, "subject": "제목", "body": "내용" });
    // a and b wait for the developer; c was answered last; d was answered and closed.
    let a = id_of(&app.ask(&c1, &fx.paid_app, &ask("question")).await);
    app.clock.advance(minute);
    let b = id_of(&app.ask(&c2, &fx.paid_app, &ask("refund")).await);
    app.clock.advance(minute);
    let c = id_of(&app.ask(&c1, &fx.paid_app, &ask("error_report")).await);
    app.clock.advance(minute);
    let d = id_of(&app.ask(&c2, &fx.paid_app, &ask("question")).await);
    app.clock.advance(minute);
    app.write(&dev1, &d, "답변").await;
    app.post_json(&format!("{}/close", thread_path(&d)), Some(&dev1), &json!({})).await;
    app.clock.advance(minute);
    app.write(&dev1, &c, "답변").await;
    app.clock.advance(minute);
    let e = id_of(&app.ask(&c1, &fx.free_app, &ask("maintenance")).await);

    let inbox = [a.clone(), b.clone(), c.clone(), d.clone()];
    assert_eq!(listed(&app, &dev1, "").await, inbox, "waiting first, longest waiting on top; then by activity");
    assert_eq!(listed(&app, &dev1, "?status=awaiting_developer").await, [a.clone(), b.clone()]);
    assert_eq!(listed(&app, &dev1, "?status=awaiting_customer").await, vec![c.clone()]);
    assert_eq!(listed(&app, &dev1, "?status=closed").await, vec![d.clone()]);
    assert_eq!(listed(&app, &dev1, "?category=refund").await, vec![b.clone()]);
    assert_eq!(listed(&app, &op, &format!("?app_id={}", fx.free_app.id)).await, vec![e.clone()]);
    assert_eq!(listed(&app, &op, &format!("?app_id={}", fx.paid_app.id)).await, inbox);
    assert_eq!(listed(&app, &dev1, "?overdue=true").await, Vec::<String>::new());
    // A customer's own list: most recent activity first.
    assert_eq!(listed(&app, &c1, "").await, [e.clone(), c.clone(), a.clone()]);

    // R5: 73 hours later a, b and e are overdue; a new inquiry is not.
    app.clock.advance(SignedDuration::from_hours(73));
    let f = id_of(&app.ask(&c2, &fx.paid_app, &ask("other")).await);
    assert_eq!(listed(&app, &dev1, "?overdue=true").await, [a.clone(), b.clone()]);
    assert_eq!(listed(&app, &dev1, "?overdue=false").await, [f.clone(), c.clone(), d.clone()]);
    assert_eq!(listed(&app, &op, "?overdue=true").await, [a.clone(), b.clone(), e.clone()]);
    let a_now = app.get(&thread_path(&a), Some(&dev1)).await.json();
    assert_eq!(a_now["overdue"], true);
    assert!(a_now["seconds_left"].as_i64().unwrap() < 0, "negative once overdue: {a_now}");
    assert_eq!(listed(&app, &dev1, "?overdue=true&category=refund").await, vec![b.clone()]);

    // Keyset paging, one row a page, returns every row once.
    let everything = listed(&app, &op, "").await;
    assert_eq!(everything.len(), 6);
    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..20 {
        let query = match &cursor {
            Some(c) => format!("/api/v1/inquiries?limit=1&cursor={c}"),
            None => "/api/v1/inquiries?limit=1".to_owned(),
        };
        let page = app.get(&query, Some(&op)).await.json();
        paged.extend(ids(page["items"].as_array().unwrap()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(paged, everything);
    let mut customer_paged = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..20 {
        let query = match &cursor {
            Some(c) => format!("/api/v1/inquiries?limit=1&cursor={c}"),
            None => "/api/v1/inquiries?limit=1".to_owned(),
        };
        let page = app.get(&query, Some(&c1)).await.json();
        customer_paged.extend(ids(page["items"].as_array().unwrap()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(customer_paged, [e, c, a]);
}

web_test!(r5_counts_show_unanswered_and_overdue_per_app);
async fn r5_counts_show_unanswered_and_overdue_per_app(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let c2 = app.login("customer2@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let dev2 = app.login("dev2@example.com").await;
    let op = app.login("operator@example.com").await;
    let ask = json!({ "category": "question", "subject": "제목", "body": "내용" });
    let old = id_of(&app.ask(&c1, &fx.paid_app, &ask).await);
    app.ask(&c2, &fx.paid_app, &ask).await;
    let answered = id_of(&app.ask(&c2, &fx.paid_app, &ask).await);
    app.write(&dev1, &answered, "답변").await;
    app.ask(&c1, &fx.free_app, &ask).await;
    app.clock.advance(SignedDuration::from_hours(73));
    app.write(&c1, &old, "아직인가요?").await; // a follow-up does not restart the clock
    app.ask(&c1, &fx.paid_app, &ask).await;

    let counts = app.get("/api/v1/inquiries/counts", Some(&dev1)).await;
    assert_eq!(counts.status, StatusCode::OK, "{}", counts.text());
    let items = counts.json()["items"].clone();
    assert_eq!(
        items,
        json!([{
            "id": fx.paid_app.id.0, "app_id": fx.paid_app.id.0, "app_title": "Paid Puzzle",
            "unanswered": 3, "overdue": 2,
        }])
    );
    let seller2 = format!("/api/v1/inquiries/counts?seller_id={}", fx.seller2.id);
    let for_op = app.get(&seller2, Some(&op)).await.json();
    assert_eq!(for_op["items"][0]["unanswered"], 1);
    assert_eq!(for_op["items"][0]["overdue"], 1);
    assert_eq!(app.get(&seller2, Some(&dev2)).await.json(), for_op);
    app.get(&seller2, Some(&dev1)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
    let problem = app
        .get("/api/v1/inquiries/counts", Some(&op))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(fields(&problem), ["seller_id"]);
    app.get("/api/v1/inquiries/counts", Some(&c1)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
}

// ----- concurrency -----

web_test!(r4_two_replies_at_the_same_instant_both_land_in_order);
async fn r4_two_replies_at_the_same_instant_both_land_in_order(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let id = id_of(&app.ask(&c1, &fx.paid_app, &question(&fx)).await);
    let before = app.counts(&fx).await;
    let path = format!("{}/messages", thread_path(&id));
    let (answer, more) = (json!({ "body": "첫 번째 답변" }), json!({ "body": "추가 정보" }));
    let (first, second) =
        tokio::join!(app.post_json(&path, Some(&dev1), &answer), app.post_json(&path, Some(&c1), &more));
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text());
    let mut seqs =
        [first.json()["message"]["seq"].as_i64().unwrap(), second.json()["message"]["seq"].as_i64().unwrap()];
    seqs.sort();
    assert_eq!(seqs, [2, 3]);
    let thread = app.get(&thread_path(&id), Some(&c1)).await.json();
    let got: Vec<i64> = thread["messages"].as_array().unwrap().iter().map(|m| m["seq"].as_i64().unwrap()).collect();
    assert_eq!(got, [1, 2, 3]);
    assert_eq!(thread["message_count"], 3);
    let times: HashSet<&str> =
        thread["messages"].as_array().unwrap().iter().map(|m| m["created_at"].as_str().unwrap()).collect();
    assert_eq!(times.len(), 1, "all at the same instant");
    let after = app.counts(&fx).await;
    assert_eq!(after.messages, before.messages + 2);
    assert_eq!(after.outbox, before.outbox + 2, "each reply queued its mail");
    assert_eq!(after.audit_entries, before.audit_entries + 2);
}

// ----- the outbox -----

web_test!(r3_the_outbox_is_for_operators);
async fn r3_the_outbox_is_for_operators(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let op = app.login("operator@example.com").await;
    let id = id_of(&app.ask(&c1, &fx.paid_app, &question(&fx)).await);
    app.clock.advance(SignedDuration::from_mins(1));
    app.write(&dev1, &id, "답변").await;

    let response = app.get("/api/v1/outbox", Some(&op)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let body = response.json();
    let items = body["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["kind"], "developer_reply", "newest first");
    assert_eq!(items[0]["to_email"], "customer1@example.com");
    assert_eq!(items[0]["to_user_id"], json!(fx.customer1.id.0));
    assert_eq!(items[0]["inquiry_id"], json!(id));
    assert_eq!(items[0]["status"], "pending");
    assert_eq!(items[0]["attempts"], 0);
    assert_eq!(items[0]["locale"], "ko");
    assert_eq!(items[0]["sent_at"], Value::Null);
    assert!(items[0]["subject"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(items[0]["body_text"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(items[0]["body_html"].as_str().is_some_and(|s| s.contains('<')));
    assert_eq!(items[1]["kind"], "inquiry_created");
    let pending = app.get("/api/v1/outbox?status=pending&limit=1", Some(&op)).await.json();
    assert_eq!(pending["items"].as_array().unwrap().len(), 1);
    let next = pending["next_cursor"].as_str().expect("a second page");
    let second = app.get(&format!("/api/v1/outbox?status=pending&limit=1&cursor={next}"), Some(&op)).await.json();
    assert_eq!(second["items"][0]["kind"], "inquiry_created");
    assert_eq!(second["next_cursor"], Value::Null);
    assert_eq!(app.get("/api/v1/outbox?status=sent", Some(&op)).await.json()["items"], json!([]));

    for other in [&dev1, &c1] {
        app.get("/api/v1/outbox", Some(other)).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
    }
    app.get("/api/v1/outbox", None).await.assert_unauthenticated();
}

// ----- shapes -----

/// Replaces a value with `tag`, keeping `null` (so the snapshot still says what is unset).
fn unless_null(tag: &'static str) -> insta::internals::Redaction {
    insta::dynamic_redaction(move |value, _path| if value.is_nil() { value } else { tag.into() })
}

fn snapshot(assert: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_sort_maps(true);
    settings.bind(assert);
}

web_test!(r1_thread_shape);
async fn r1_thread_shape(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let payload = question(&fx).to_string();
    let parts = [Part::Field("payload", &payload), Part::File("file", "screen.png", "image/png", PNG)];
    let response = app.send(req(Method::POST, &asking_path(&fx)).bearer(Some(&c1)).multipart(&parts)).await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text());
    let id = id_of(&response.json());
    app.clock.advance(SignedDuration::from_hours(1));
    app.write(&dev1, &id, "확인해 보겠습니다.").await;
    app.clock.advance(SignedDuration::from_mins(30));
    app.write(&c1, &id, "감사합니다.").await;
    let body = app.get(&thread_path(&id), Some(&c1)).await.json();
    snapshot(|| {
        insta::assert_json_snapshot!("inquiry_thread", body, {
            ".id" => unless_null("[id]"),
            ".app_id" => unless_null("[id]"),
            ".seller_id" => unless_null("[id]"),
            ".customer_id" => unless_null("[id]"),
            ".purchase_id" => unless_null("[id]"),
            ".created_at" => unless_null("[time]"),
            ".first_response_at" => unless_null("[time]"),
            ".last_activity_at" => unless_null("[time]"),
            ".awaiting_since" => unless_null("[time]"),
            ".due_at" => unless_null("[time]"),
            ".messages[].id" => unless_null("[id]"),
            ".messages[].author_id" => unless_null("[id]"),
            ".messages[].created_at" => unless_null("[time]"),
            ".messages[].attachments[].id" => unless_null("[id]"),
            ".messages[].attachments[].url" => unless_null("[url]"),
        });
    });
}

web_test!(r1_inquiry_list_shape);
async fn r1_inquiry_list_shape(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let id = id_of(&app.ask(&c1, &fx.paid_app, &question(&fx)).await);
    app.clock.advance(SignedDuration::from_mins(10));
    app.write(&dev1, &id, "답변입니다.").await;
    app.clock.advance(SignedDuration::from_mins(10));
    app.ask(&c1, &fx.paid_app, &json!({ "category": "refund", "subject": "환불 요청", "body": "환불해 주세요." }))
        .await;
    let body = app.get("/api/v1/inquiries?limit=1", Some(&dev1)).await.json();
    assert!(body["next_cursor"].is_string());
    let items = app.get("/api/v1/inquiries", Some(&dev1)).await.json()["items"].clone();
    let body = json!({ "items": items, "next_cursor": body["next_cursor"] });
    snapshot(|| {
        insta::assert_json_snapshot!("inquiry_list", body, {
            ".items[].id" => unless_null("[id]"),
            ".items[].app_id" => unless_null("[id]"),
            ".items[].seller_id" => unless_null("[id]"),
            ".items[].customer_id" => unless_null("[id]"),
            ".items[].purchase_id" => unless_null("[id]"),
            ".items[].created_at" => unless_null("[time]"),
            ".items[].first_response_at" => unless_null("[time]"),
            ".items[].last_activity_at" => unless_null("[time]"),
            ".items[].awaiting_since" => unless_null("[time]"),
            ".items[].due_at" => unless_null("[time]"),
            ".items[].closed_at" => unless_null("[time]"),
            ".next_cursor" => unless_null("[cursor]"),
        });
    });
}
