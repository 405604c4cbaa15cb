//! R15/R16 through the API: the operators' queue of received mail, one mail and its
//! original, releasing a held mail into its thread or discarding it, and the bouncing
//! addresses. Held mail is made the way it arrives, through
//! `vocdesk_app::inbound::receive`: a reply to a customer's real reply address, sent by
//! someone else. Everyone but operators is refused before anything is read (with a bad
//! body or query too), and a refusal changes nothing.

use axum::http::{Method, StatusCode, header};
use serde_json::{Value, json};
use vocdesk_app::inbound::{Outcome, receive};
use vocdesk_domain::audit::Channel;
use vocdesk_domain::ids::{InboundId, InquiryId};
use vocdesk_domain::inbound::{HoldReason, InboundStatus};
use vocdesk_domain::inquiry::Side;

use crate::support::{Fixture, TestApp, req};

/// What a held-mail test starts from: the cast, customer 1's inquiry about the paid app
/// and customer 1's own reply address for it (remembered as a sent mail would).
pub(crate) struct Asked {
    pub(crate) fx: Fixture,
    pub(crate) inquiry: String,
    pub(crate) address: String,
}

/// Customer 1 asks through the API; their reply token for the thread is remembered.
pub(crate) async fn asked(app: &TestApp) -> Asked {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let body = json!({ "category": "question", "subject": "레벨 3이 열리지 않아요", "body": "업데이트 후 3단계가 안 열립니다." });
    let thread = app.ask(&c1, &fx.paid_app, &body).await;
    let inquiry = thread["id"].as_str().expect("an inquiry id").to_owned();
    let core = app.state.app();
    let id = InquiryId(inquiry.clone());
    let token = core.reply_key().token(&id, &fx.customer1.id);
    core.store().remember_reply_token(&token, &id, &fx.customer1.id, app.now()).await.expect("remember the token");
    let address = token.address(&core.config().reply_domain);
    Asked { fx, inquiry, address }
}

/// A plain UTF-8 mail; `tag` makes its Message-ID unique (a copy would be ignored).
pub(crate) fn mail(from: &str, to: &str, subject: &str, body: &str, tag: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{tag}@mail.test>\r\n\
         Date: Sat, 21 Nov 2026 09:00:00 +0900\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// The words a forged reply carries: its subject has markup, to show it is escaped.
pub(crate) const FORGED_SUBJECT: &str = "Re: 레벨 3 <script>alert(1)</script>";
/// The forged reply's text.
pub(crate) const FORGED_BODY: &str = "환불은 이 계좌로 보내 주세요.";

/// Someone else answers customer 1's reply address, with their own envelope sender:
/// R15 holds it (`not_from_token_holder`). Returns the mail's id and its bytes.
pub(crate) async fn forged(app: &TestApp, asked: &Asked, tag: &str) -> (String, Vec<u8>) {
    let raw = mail("Mallory <mallory@evil.test>", &asked.address, FORGED_SUBJECT, FORGED_BODY, tag);
    let received =
        receive(app.state.app(), Some("mallory@evil.test"), &asked.address, raw.clone()).await.expect("kept");
    assert_eq!(received.outcome, Outcome::Held(HoldReason::NotFromTokenHolder), "R15: a forged sender is held");
    (received.id.0, raw)
}

/// R16: a permanent delivery report about `email`, as an MTA sends it: the address is
/// marked bouncing.
pub(crate) async fn bounced(app: &TestApp, email: &str, tag: &str) {
    let domain = app.state.app().config().reply_domain.clone();
    let raw = format!(
        "From: MAILER-DAEMON@mx.mail.test\r\nTo: bounce@{domain}\r\nSubject: Undelivered Mail\r\n\
         Message-ID: <{tag}@mx.mail.test>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\
         --b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.mail.test\r\n\r\n\
         Final-Recipient: rfc822; {email}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--b--\r\n"
    );
    let received =
        receive(app.state.app(), Some(""), &format!("bounce@{domain}"), raw.into_bytes()).await.expect("kept");
    assert_eq!(received.outcome, Outcome::Bounce, "a delivery report");
    assert!(app.store.is_bouncing(email).await.expect("read"), "{email} is bouncing");
}

/// A received mail as the store holds it now.
pub(crate) async fn status_of(app: &TestApp, id: &str) -> InboundStatus {
    app.store.inbound_mail(&InboundId(id.to_owned())).await.expect("read").expect("kept").status
}

/// How many messages the thread has.
pub(crate) async fn messages(app: &TestApp, inquiry: &str) -> usize {
    app.store.thread(&InquiryId(inquiry.to_owned())).await.expect("read").expect("the thread").messages.len()
}

#[track_caller]
fn assert_no_store(response: &crate::support::TestResponse) {
    assert_eq!(response.header(header::CACHE_CONTROL), Some("no-store"), "mail is never cached: {:?}", response);
}

web_test!(r15_every_inbound_route_refuses_everyone_but_operators_before_reading_anything);
async fn r15_every_inbound_route_refuses_everyone_but_operators_before_reading_anything(app: TestApp) {
    let a = asked(&app).await;
    let (id, _) = forged(&app, &a, "forged-refusals").await;
    bounced(&app, "gone@mail.test", "dsn-refusals").await;
    let routes: Vec<(Method, String)> = vec![
        (Method::GET, "/api/v1/inbound?status=bogus&limit=zero".to_owned()),
        (Method::GET, format!("/api/v1/inbound/{id}")),
        (Method::GET, format!("/api/v1/inbound/{id}/raw")),
        (Method::POST, format!("/api/v1/inbound/{id}/release")),
        (Method::POST, format!("/api/v1/inbound/{id}/discard")),
        (Method::GET, "/api/v1/bouncing-addresses".to_owned()),
        (Method::POST, "/api/v1/bouncing-addresses/clear".to_owned()),
    ];
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let before = app.counts(&a.fx).await;
    for (method, path) in &routes {
        for (who, token, expected) in [
            ("nobody", None, StatusCode::UNAUTHORIZED),
            ("a customer", Some(c1.as_str()), StatusCode::FORBIDDEN),
            ("a developer", Some(dev1.as_str()), StatusCode::FORBIDDEN),
        ] {
            // A body that is not JSON at all: the refusal comes first, whatever it is.
            let request =
                req(method.clone(), path).bearer(token).header("content-type", "application/json").raw("{not json");
            let response = app.send(request).await;
            if expected == StatusCode::UNAUTHORIZED {
                response.assert_unauthenticated();
            } else {
                response.assert_problem(expected, "forbidden");
            }
            assert!(!response.text().contains("evil.test"), "{who} reads nothing of the mail: {}", response.text());
        }
    }
    assert_eq!(status_of(&app, &id).await, InboundStatus::Held, "still held");
    assert!(app.store.is_bouncing("gone@mail.test").await.expect("read"), "still bouncing");
    assert_eq!(app.counts(&a.fx).await, before, "refusals change nothing");
}

web_test!(r15_operators_list_the_waiting_queue_oldest_first_and_everything_received);
async fn r15_operators_list_the_waiting_queue_oldest_first_and_everything_received(app: TestApp) {
    let a = asked(&app).await;
    let (first, _) = forged(&app, &a, "forged-1").await;
    app.clock.advance(jiff::SignedDuration::from_mins(5));
    let (second, _) = forged(&app, &a, "forged-2").await;
    app.clock.advance(jiff::SignedDuration::from_mins(5));
    bounced(&app, "gone@mail.test", "dsn-list").await;
    let op = app.login("operator@example.com").await;

    let waiting = app.get("/api/v1/inbound", Some(&op)).await;
    assert_eq!(waiting.status, StatusCode::OK, "{}", waiting.text());
    assert_no_store(&waiting);
    let listed = waiting.json();
    let ids: Vec<&str> = listed["items"].as_array().expect("items").iter().filter_map(|m| m["id"].as_str()).collect();
    assert_eq!(ids, [first.as_str(), second.as_str()], "what waits, the longest waiting first; no bounce");
    let mail = &listed["items"][0];
    assert_eq!(mail["status"], "held");
    assert_eq!(mail["reason"], "not_from_token_holder");
    assert_eq!(mail["waiting"], true);
    assert_eq!(mail["from_address"], "mallory@evil.test");
    assert_eq!(mail["envelope_from"], "mallory@evil.test");
    assert_eq!(mail["recipient"], a.address.as_str());
    assert_eq!(mail["subject"], FORGED_SUBJECT, "as written; escaping is the reader's");
    assert_eq!(mail["inquiry_id"], a.inquiry.as_str(), "the thread its token names");
    assert!(mail.get("raw").is_none(), "no bytes in a list");

    // Keyset pages: one at a time, then the rest.
    let one = app.get("/api/v1/inbound?status=waiting&limit=1", Some(&op)).await.json();
    assert_eq!(one["items"][0]["id"], first.as_str());
    let cursor = one["next_cursor"].as_str().expect("a next page").to_owned();
    let next = app.get(&format!("/api/v1/inbound?limit=1&after={cursor}"), Some(&op)).await.json();
    assert_eq!(next["items"][0]["id"], second.as_str(), "`after` is the cursor too");
    let next = app.get(&format!("/api/v1/inbound?limit=1&cursor={cursor}"), Some(&op)).await.json();
    assert_eq!(next["items"][0]["id"], second.as_str());

    // Everything received, newest first, with what became of it.
    let all = app.get("/api/v1/inbound?status=all", Some(&op)).await.json();
    let statuses: Vec<&str> =
        all["items"].as_array().expect("items").iter().filter_map(|m| m["status"].as_str()).collect();
    assert_eq!(statuses, ["bounce", "held", "held"], "{all}");

    for bad in ["/api/v1/inbound?status=bogus", "/api/v1/inbound?limit=0", "/api/v1/inbound?cursor=not-a-cursor"] {
        app.get(bad, Some(&op)).await.assert_problem(StatusCode::BAD_REQUEST, "invalid_query");
    }

    let one = app.get(&format!("/api/v1/inbound/{first}"), Some(&op)).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.text());
    assert_no_store(&one);
    assert_eq!(one.json()["id"], first.as_str());
    app.get("/api/v1/inbound/no-such-mail", Some(&op)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
}

web_test!(r15_the_original_is_served_byte_for_byte_and_never_cached);
async fn r15_the_original_is_served_byte_for_byte_and_never_cached(app: TestApp) {
    let a = asked(&app).await;
    let (id, raw) = forged(&app, &a, "forged-raw").await;
    let op = app.login("operator@example.com").await;
    let response = app.get(&format!("/api/v1/inbound/{id}/raw"), Some(&op)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.body.as_ref(), raw.as_slice(), "exactly the bytes that arrived");
    assert_eq!(response.header(header::CONTENT_TYPE), Some("message/rfc822"));
    assert_no_store(&response);
    let disposition = format!("attachment; filename=\"{id}.eml\"");
    assert_eq!(response.header(header::CONTENT_DISPOSITION), Some(disposition.as_str()));
    assert_eq!(response.header(header::X_CONTENT_TYPE_OPTIONS), Some("nosniff"));
    app.get("/api/v1/inbound/no-such-mail/raw", Some(&op)).await.assert_problem(StatusCode::NOT_FOUND, "not_found");
}

web_test!(r15_a_released_mail_joins_its_thread_once_and_a_second_release_is_refused);
async fn r15_a_released_mail_joins_its_thread_once_and_a_second_release_is_refused(app: TestApp) {
    let a = asked(&app).await;
    let (id, _) = forged(&app, &a, "forged-release").await;
    let op = app.login("operator@example.com").await;
    assert_eq!(messages(&app, &a.inquiry).await, 1, "held, not joined");
    let path = format!("/api/v1/inbound/{id}/release");

    // The operator's own bad body is refused, and changes nothing either.
    let bad = app.send(req(Method::POST, &path).bearer(Some(&op)).header("content-type", "application/json").raw("{"));
    bad.await.assert_problem(StatusCode::BAD_REQUEST, "malformed_json");
    app.post_json(&path, Some(&op), &json!({ "force": true }))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    assert_eq!(status_of(&app, &id).await, InboundStatus::Held);

    let released = app.send(req(Method::POST, &path).bearer(Some(&op)).empty()).await;
    assert_eq!(released.status, StatusCode::OK, "{}", released.text());
    assert_no_store(&released);
    let body: Value = released.json();
    assert_eq!(body["inquiry_id"], a.inquiry.as_str());
    assert_eq!(body["mail"]["status"], "released");
    assert_eq!(body["mail"]["waiting"], false);
    assert_eq!(body["mail"]["decided_by"], a.fx.operator.id.0.as_str());
    assert!(body["mail"]["message_ref"].is_string(), "the message it became: {body}");

    // R15: the operator vouched for the sender: it is the token holder's message, by mail.
    let thread = app.store.thread(&InquiryId(a.inquiry.clone())).await.expect("read").expect("thread");
    let last = thread.messages.last().expect("a message");
    assert_eq!((thread.messages.len(), last.side, last.channel), (2, Side::Customer, Channel::Email));
    assert_eq!(last.author_id, a.fx.customer1.id);
    assert!(last.body.contains(FORGED_BODY), "{}", last.body);
    assert_eq!(body["mail"]["message_ref"], last.id.0.as_str());

    let again = app.post_json(&path, Some(&op), &json!({})).await;
    let problem = again.assert_problem(StatusCode::CONFLICT, "mail_not_releasable");
    assert!(problem["detail"].as_str().unwrap_or_default().contains("decided already"), "{problem}");
    assert_eq!(messages(&app, &a.inquiry).await, 2, "joined once");
    let discard = app.post_json(&format!("/api/v1/inbound/{id}/discard"), Some(&op), &json!({})).await;
    discard.assert_problem(StatusCode::CONFLICT, "mail_not_releasable");
    assert_eq!(status_of(&app, &id).await, InboundStatus::Released, "a released mail stays released");
    app.post_json("/api/v1/inbound/no-such-mail/release", Some(&op), &json!({}))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "not_found");
}

web_test!(r15_a_discarded_mail_is_kept_and_never_released);
async fn r15_a_discarded_mail_is_kept_and_never_released(app: TestApp) {
    let a = asked(&app).await;
    let (id, raw) = forged(&app, &a, "forged-discard").await;
    let op = app.login("operator@example.com").await;
    let path = format!("/api/v1/inbound/{id}/discard");
    app.send(req(Method::POST, &path).bearer(Some(&op)).header("content-type", "application/json").raw("nope"))
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "malformed_json");
    assert_eq!(status_of(&app, &id).await, InboundStatus::Held, "a bad body changes nothing");

    let discarded = app.post_json(&path, Some(&op), &json!({})).await;
    assert_eq!(discarded.status, StatusCode::OK, "{}", discarded.text());
    assert_no_store(&discarded);
    assert_eq!(discarded.json()["status"], "discarded");

    let release = app.post_json(&format!("/api/v1/inbound/{id}/release"), Some(&op), &json!({})).await;
    release.assert_problem(StatusCode::CONFLICT, "mail_not_releasable");
    app.post_json(&path, Some(&op), &json!({})).await.assert_problem(StatusCode::CONFLICT, "mail_not_releasable");
    assert_eq!(messages(&app, &a.inquiry).await, 1, "never in the thread");
    let kept = app.get(&format!("/api/v1/inbound/{id}/raw"), Some(&op)).await;
    assert_eq!(kept.body.as_ref(), raw.as_slice(), "discarded, but kept");
    let waiting = app.get("/api/v1/inbound", Some(&op)).await.json();
    assert_eq!(waiting["items"], json!([]), "nothing waits any more");
    app.post_json("/api/v1/inbound/no-such-mail/discard", Some(&op), &json!({}))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "not_found");
}

web_test!(r16_operators_list_and_clear_bouncing_addresses);
async fn r16_operators_list_and_clear_bouncing_addresses(app: TestApp) {
    let fx = app.seed().await;
    bounced(&app, "Gone@Mail.test", "dsn-clear").await;
    let op = app.login("operator@example.com").await;
    let listed = app.get("/api/v1/bouncing-addresses", Some(&op)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text());
    assert_no_store(&listed);
    let listed = listed.json();
    assert_eq!(listed["next_cursor"], Value::Null);
    let address = &listed["items"][0];
    assert_eq!((address["id"].as_str(), address["email"].as_str()), (Some("gone@mail.test"), Some("gone@mail.test")));
    assert!(address["inbound_id"].is_string() && address["since"].is_string(), "{address}");

    let path = "/api/v1/bouncing-addresses/clear";
    let before = app.counts(&fx).await;
    for (body, status, code) in [
        ("{\"email\":", StatusCode::BAD_REQUEST, "malformed_json"),
        ("{\"address\": \"gone@mail.test\"}", StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        ("{\"email\": \"  \"}", StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
    ] {
        let response =
            app.send(req(Method::POST, path).bearer(Some(&op)).header("content-type", "application/json").raw(body));
        response.await.assert_problem(status, code);
    }
    assert_eq!(app.counts(&fx).await, before, "bad bodies change nothing");
    assert!(app.store.is_bouncing("gone@mail.test").await.expect("read"));

    let cleared = app.post_json(path, Some(&op), &json!({ "email": "GONE@mail.test" })).await;
    assert_eq!(cleared.status, StatusCode::NO_CONTENT, "{}", cleared.text());
    assert!(!app.store.is_bouncing("gone@mail.test").await.expect("read"), "mail goes to it again");
    assert_eq!(app.audited("mail.bounce_cleared").await, 1, "R14");
    let listed = app.get("/api/v1/bouncing-addresses", Some(&op)).await.json();
    assert_eq!(listed["items"], json!([]));
    app.post_json(path, Some(&op), &json!({ "email": "gone@mail.test" }))
        .await
        .assert_problem(StatusCode::NOT_FOUND, "not_found");
}

web_test!(r15_the_openapi_document_describes_the_inbound_routes);
async fn r15_the_openapi_document_describes_the_inbound_routes(app: TestApp) {
    let document = app.get("/api/openapi.json", None).await.json();
    let paths = &document["paths"];
    let raw = &paths["/api/v1/inbound/{id}/raw"]["get"]["responses"]["200"]["content"];
    assert!(raw["message/rfc822"].is_object(), "the original is message/rfc822: {raw}");
    for (path, method) in [
        ("/api/v1/inbound", "get"),
        ("/api/v1/inbound/{id}", "get"),
        ("/api/v1/inbound/{id}/release", "post"),
        ("/api/v1/inbound/{id}/discard", "post"),
        ("/api/v1/bouncing-addresses", "get"),
        ("/api/v1/bouncing-addresses/clear", "post"),
    ] {
        let operation = &paths[path][method];
        assert!(operation["security"].is_array(), "{method} {path} needs a bearer token");
        assert!(operation["responses"]["403"].is_object(), "{method} {path} documents 403");
    }
    assert!(paths["/api/v1/inbound/{id}/release"]["post"]["responses"]["409"].is_object());
    assert!(document["components"]["schemas"]["InboundMailDto"].is_object());
}
