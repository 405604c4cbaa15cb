//! R16 through the API: an operator sends a mail that failed for good again; every one
//! else is refused before anything is read (with a bad body too), and nothing changes.

use axum::http::{Method, StatusCode};
use jiff::SignedDuration;
use serde_json::json;
use vocdesk_domain::outbox::MailStatus;
use vocdesk_store::AttemptOutcome;

use crate::support::{TestApp, req};

/// A customer asks; the developers' mail is claimed and fails for good (a 550).
async fn failed_mail(app: &TestApp) -> (crate::support::Fixture, String) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    app.ask(&c1, &fx.paid_app, &json!({ "category": "question", "subject": "레벨 3", "body": "열리지 않아요" })).await;
    let now = app.now();
    let claimed =
        app.store.claim_due_mail("test-worker", now, now + SignedDuration::from_mins(5), 100).await.expect("claim");
    let mail = claimed.into_iter().next().expect("the developers' mail");
    let failed = AttemptOutcome::Failed { error: "550 5.1.1 <dev1@example.com>: no such user".to_owned() };
    assert!(app.store.finish_delivery_attempt(&mail.id, "test-worker", &failed, now).await.expect("finish"));
    (fx, mail.id.0)
}

async fn status_of(app: &TestApp, id: &str) -> (MailStatus, i64) {
    let mail = app.outbox().await.into_iter().find(|m| m.id.0 == id).expect("in the outbox");
    (mail.status, mail.attempts)
}

web_test!(r16_an_operator_sends_a_failed_mail_again_with_the_reason_shown);
async fn r16_an_operator_sends_a_failed_mail_again_with_the_reason_shown(app: TestApp) {
    let (_, id) = failed_mail(&app).await;
    let op = app.login("operator@example.com").await;
    let listed = app.get("/api/v1/outbox?status=failed", Some(&op)).await.json();
    assert_eq!(listed["items"][0]["id"], id.as_str());
    assert_eq!(listed["items"][0]["last_error"], "550 5.1.1 <dev1@example.com>: no such user");

    let retried = app.post_json(&format!("/api/v1/outbox/{id}/retry"), Some(&op), &json!({})).await;
    assert_eq!(retried.status, StatusCode::OK, "{}", retried.text());
    assert_eq!(retried.json()["status"], "pending");
    assert_eq!(status_of(&app, &id).await, (MailStatus::Pending, 1), "attempts are kept");
    let now = app.now();
    let due =
        app.store.claim_due_mail("test-worker", now, now + SignedDuration::from_mins(5), 100).await.expect("claim");
    assert_eq!(due.len(), 1, "due at once");
    assert_eq!(due[0].window_from, now, "a new day of attempts starts now");

    // Pending (and, after that, sent) mail is not retried: sent mail is never sent twice.
    let again = app.post_json(&format!("/api/v1/outbox/{id}/retry"), Some(&op), &json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json()["code"], "mail_not_failed");
    let unknown = app.post_json("/api/v1/outbox/no-such-mail/retry", Some(&op), &json!({})).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

web_test!(r16_only_operators_retry_mail_and_a_refusal_changes_nothing);
async fn r16_only_operators_retry_mail_and_a_refusal_changes_nothing(app: TestApp) {
    let (_, id) = failed_mail(&app).await;
    let path = format!("/api/v1/outbox/{id}/retry");
    let bad_body = "{not json";
    for who in [None, Some("customer1@example.com"), Some("dev1@example.com")] {
        let token = match who {
            Some(email) => Some(app.login(email).await),
            None => None,
        };
        let response = app
            .send(
                req(Method::POST, &path)
                    .bearer(token.as_deref())
                    .header("content-type", "application/json")
                    .raw(bad_body),
            )
            .await;
        let expected = if who.is_none() { StatusCode::UNAUTHORIZED } else { StatusCode::FORBIDDEN };
        assert_eq!(response.status, expected, "{who:?}: {}", response.text());
        assert_eq!(status_of(&app, &id).await, (MailStatus::Failed, 1), "{who:?} changed nothing");
    }
}

web_test!(r16_the_outbox_page_shows_why_a_mail_failed_and_sends_it_again_for_operators_only);
async fn r16_the_outbox_page_shows_why_a_mail_failed_and_sends_it_again_for_operators_only(app: TestApp) {
    use crate::support::browser::Browser;
    let (_, id) = failed_mail(&app).await;
    let path = format!("/operator/outbox/{id}/retry");
    // Others are refused before the form is read, with a token or without one.
    let mut c1 = Browser::signed_in(&app, "customer1@example.com").await;
    let c1_token = c1.form_token(&app).await;
    c1.post_form(&app, &path, &[("csrf", c1_token.as_str())]).await.assert_html(StatusCode::FORBIDDEN);
    let mut dev1 = Browser::signed_in(&app, "dev1@example.com").await;
    dev1.post_form(&app, &path, &[("csrf", "forged")]).await.assert_html(StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, &id).await, (MailStatus::Failed, 1), "refusals change nothing");

    let mut op = Browser::signed_in(&app, "operator@example.com").await;
    let page = op.get(&app, "/operator/outbox?status=failed").await.assert_html(StatusCode::OK);
    assert!(page.contains("550 5.1.1 &#60;dev1@example.com&#62;: no such user"), "the reason, escaped: {page}");
    assert!(page.contains("다시 보내기") && page.contains(&path), "a Send again form");
    let token = op.form_token(&app).await;
    op.post_form(&app, &path, &[]).await.assert_html(StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, &id).await, (MailStatus::Failed, 1), "no CSRF token, nothing changed");
    let sent = op.post_form(&app, &path, &[("csrf", token.as_str())]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    let to = sent.header(axum::http::header::LOCATION).unwrap_or_default().to_owned();
    assert_eq!(status_of(&app, &id).await.0, MailStatus::Pending);
    let told = op.get(&app, &to).await.assert_html(StatusCode::OK);
    assert!(told.contains("다시 발송 대기열에 넣었습니다"), "the operator is told: {told}");
    let again = op.post_form(&app, &path, &[("csrf", token.as_str())]).await;
    let to = again.header(axum::http::header::LOCATION).unwrap_or_default().to_owned();
    assert!(op.get(&app, &to).await.assert_html(StatusCode::OK).contains("다시 보내지 않았습니다"));
}

web_test!(r16_the_thread_tells_its_developers_that_the_customer_did_not_receive_the_mail);
async fn r16_the_thread_tells_its_developers_that_the_customer_did_not_receive_the_mail(app: TestApp) {
    use crate::support::browser::Browser;
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let dev1_token = app.login("dev1@example.com").await;
    let thread = app
        .ask(&c1, &fx.paid_app, &json!({ "category": "question", "subject": "레벨 3", "body": "열리지 않아요" }))
        .await;
    let id = thread["id"].as_str().expect("id").to_owned();
    app.write(&dev1_token, &id, "업데이트해 보세요.").await;
    // Every mail fails for good: the developers' one and the reply to the customer.
    let now = app.now();
    for mail in
        app.store.claim_due_mail("test-worker", now, now + SignedDuration::from_mins(5), 100).await.expect("claim")
    {
        let failed = AttemptOutcome::Failed { error: "550 5.1.1 mailbox unavailable".to_owned() };
        assert!(app.store.finish_delivery_attempt(&mail.id, "test-worker", &failed, now).await.expect("finish"));
    }
    let mut dev1 = Browser::signed_in(&app, "dev1@example.com").await;
    let page = dev1.get(&app, &format!("/inquiries/{id}")).await.assert_html(StatusCode::OK);
    assert!(page.contains("id=\"mail-undelivered\""), "warned: {page}");
    assert!(page.contains("고객이 이 문의에 대한 메일을 받지 못했습니다") && page.contains(&fx.customer1.email));
    assert!(!page.contains("dev1@example.com</code>"), "only mail to the customer is the customer's problem");
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let own = customer.get(&app, &format!("/inquiries/{id}")).await.assert_html(StatusCode::OK);
    assert!(!own.contains("mail-undelivered"), "the customer reads the thread itself");
}
