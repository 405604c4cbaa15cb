//! R15/R16 on the pages: the console's held-mail page (the queue in words in both
//! languages, the original, "put into the thread" and "discard" with CSRF, the tab of
//! everything received, the bouncing addresses), and the thread's channel words, its
//! links to originals for operators and, for the seller's developers, the reply whose
//! mail to the customer failed.

use axum::http::{StatusCode, header};
use jiff::SignedDuration;
use vocdesk_domain::inbound::{HoldReason, InboundStatus};
use vocdesk_store::AttemptOutcome;

use crate::inbound::{FORGED_BODY, asked, bounced, forged, messages, status_of};
use crate::pages_reviews::assert_no_raw_keys;
use crate::support::TestApp;
use crate::support::browser::Browser;

/// `<script>` as askama escapes it.
const ESCAPED_SCRIPT: &str = "&#60;script&#62;";

/// The address a form redirected to.
#[track_caller]
fn location(response: &crate::support::TestResponse) -> String {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "status; body: {}", response.text());
    response.header(header::LOCATION).unwrap_or_default().to_owned()
}

/// The text people read on a page (between tags), where a stored word such as
/// `not_from_token_holder` must never show.
fn readable(html: &str) -> String {
    html.split('<').filter_map(|chunk| chunk.split_once('>').map(|(_, text)| text)).collect::<Vec<_>>().join(" ")
}

/// No hold reason shows as its stored word; on a Korean page, no status either (an
/// English sentence may well say "received").
#[track_caller]
fn assert_no_stored_words(html: &str) {
    let text = readable(html);
    for reason in HoldReason::ALL {
        assert!(!text.contains(reason.as_str()), "the stored word {:?} shows: {text}", reason.as_str());
    }
    if html.contains("<html lang=\"ko\">") {
        for status in InboundStatus::ALL {
            let word = status.as_str();
            assert!(!text.split_whitespace().any(|w| w == word), "the stored word {word:?} shows: {text}");
        }
    }
}

web_test!(r15_the_held_mail_page_and_its_forms_are_for_operators_only);
async fn r15_the_held_mail_page_and_its_forms_are_for_operators_only(app: TestApp) {
    let a = asked(&app).await;
    let (id, _) = forged(&app, &a, "forged-page-refusals").await;
    bounced(&app, "gone@mail.test", "dsn-page-refusals").await;
    let anonymous = app.get("/operator/mail", None).await;
    assert!(location(&anonymous).starts_with("/signin?next="), "a visitor is sent to sign in");
    let mut browsers = Vec::new();
    for email in ["customer1@example.com", "dev1@example.com"] {
        browsers.push((email, Browser::signed_in(&app, email).await));
    }
    let before = app.counts(&a.fx).await;
    for (email, browser) in &mut browsers {
        let token = browser.form_token(&app).await;
        for path in
            ["/operator/mail".to_owned(), "/operator/mail?view=all".to_owned(), format!("/operator/mail/{id}/raw")]
        {
            let page = browser.get(&app, &path).await.assert_html(StatusCode::FORBIDDEN);
            assert!(!page.contains("evil.test"), "{email} reads nothing of the mail on {path}");
        }
        for path in [
            format!("/operator/mail/{id}/release"),
            format!("/operator/mail/{id}/discard"),
            "/operator/mail/bouncing/clear".to_owned(),
        ] {
            let form = [("csrf", token.as_str()), ("email", "gone@mail.test"), ("view", "all")];
            browser.post_form(&app, &path, &form).await.assert_html(StatusCode::FORBIDDEN);
        }
    }
    assert_eq!(status_of(&app, &id).await, InboundStatus::Held);
    assert!(app.store.is_bouncing("gone@mail.test").await.expect("read"));
    assert_eq!(app.counts(&a.fx).await, before, "refusals change nothing");

    // The operator's forms need their CSRF token.
    let mut op = Browser::signed_in(&app, "operator@example.com").await;
    op.post_form(&app, &format!("/operator/mail/{id}/release"), &[]).await.assert_html(StatusCode::FORBIDDEN);
    op.post_form(&app, &format!("/operator/mail/{id}/discard"), &[("csrf", "forged")])
        .await
        .assert_html(StatusCode::FORBIDDEN);
    op.post_form(&app, "/operator/mail/bouncing/clear", &[("email", "gone@mail.test")])
        .await
        .assert_html(StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, &id).await, InboundStatus::Held);
    assert!(app.store.is_bouncing("gone@mail.test").await.expect("read"));
    op.get(&app, "/operator/mail?view=bogus").await.assert_html(StatusCode::BAD_REQUEST);
}

web_test!(r15_the_held_mail_page_says_why_in_korean_and_english_never_in_stored_words);
async fn r15_the_held_mail_page_says_why_in_korean_and_english_never_in_stored_words(app: TestApp) {
    let a = asked(&app).await;
    let (id, _) = forged(&app, &a, "forged-page-words").await;
    bounced(&app, "gone@mail.test", "dsn-page-words").await;
    let mut op = Browser::signed_in(&app, "operator@example.com").await;
    let home = op.get(&app, "/operator").await.assert_html(StatusCode::OK);
    assert!(home.contains("href=\"/operator/mail\""), "linked from the console");
    assert!(home.contains("data-nav=\"operator-mail\"") && home.contains("보류된 메일"), "in the navigation");

    let response = op.get(&app, "/operator/mail").await;
    assert_eq!(response.header(header::CACHE_CONTROL), Some("no-store"), "mail is never cached");
    let page = response.assert_html(StatusCode::OK);
    for fact in [
        "보류된 메일",
        "답장 주소를 받은 사람이 보낸 메일이 아닙니다.",
        "mallory@evil.test",
        a.address.as_str(),
        "Re: 레벨 3 &#60;script&#62;alert(1)&#60;/script&#62;",
        &format!("href=\"/inquiries/{}\"", a.inquiry),
        &format!("href=\"/operator/mail/{id}/raw\""),
        &format!("action=\"/operator/mail/{id}/release\""),
        &format!("action=\"/operator/mail/{id}/discard\""),
        "문의에 넣기",
        "버리기",
        "반송되는 주소",
        "gone@mail.test",
        "action=\"/operator/mail/bouncing/clear\"",
        "해제",
    ] {
        assert!(page.contains(fact), "the page shows {fact:?}: {page}");
    }
    assert!(!page.contains("<script>alert"), "the subject is escaped");
    assert!(page.contains(ESCAPED_SCRIPT));
    assert_no_raw_keys(&page);
    assert_no_stored_words(&page);

    let all = op.get(&app, "/operator/mail?view=all").await.assert_html(StatusCode::OK);
    assert!(all.contains("반송 보고") && all.contains("보류"), "statuses in words: {all}");
    assert!(all.contains("aria-current=\"true\"") && all.contains("id=\"mail-view-all\""));
    assert_no_raw_keys(&all);
    assert_no_stored_words(&all);

    assert_eq!(op.switch_language(&app, "en", "/operator/mail").await.status, StatusCode::SEE_OTHER);
    let en = op.get(&app, "/operator/mail").await.assert_html(StatusCode::OK);
    for fact in [
        "Held mail",
        "It was not sent by the person the reply address was given to.",
        "Put into the thread",
        "Discard",
        "Download the original (.eml)",
        "Bouncing addresses",
        "Clear",
    ] {
        assert!(en.contains(fact), "the English page shows {fact:?}: {en}");
    }
    assert_no_raw_keys(&en);
    assert_no_stored_words(&en);
    let all = op.get(&app, "/operator/mail?view=all").await.assert_html(StatusCode::OK);
    assert!(all.contains("Delivery report") && all.contains("Held"), "{all}");
    assert_no_raw_keys(&all);
    assert_no_stored_words(&all);

    // The page's link serves the original to operators, never cached.
    let raw = op.get(&app, &format!("/operator/mail/{id}/raw")).await;
    assert_eq!(raw.status, StatusCode::OK);
    assert_eq!(raw.header(header::CONTENT_TYPE), Some("message/rfc822"));
    assert_eq!(raw.header(header::CACHE_CONTROL), Some("no-store"));
    assert!(String::from_utf8_lossy(&raw.body).contains(FORGED_BODY));
}

web_test!(r15_an_operator_puts_a_held_mail_into_its_thread_or_discards_it_and_is_told);
async fn r15_an_operator_puts_a_held_mail_into_its_thread_or_discards_it_and_is_told(app: TestApp) {
    let a = asked(&app).await;
    let (first, _) = forged(&app, &a, "forged-form-1").await;
    let (second, _) = forged(&app, &a, "forged-form-2").await;
    let mut op = Browser::signed_in(&app, "operator@example.com").await;
    let csrf = op.csrf_on(&app, "/operator/mail").await;
    let form = [("csrf", csrf.as_str()), ("view", "waiting")];

    let to = location(&op.post_form(&app, &format!("/operator/mail/{first}/release"), &form).await);
    assert_eq!(to, format!("/operator/mail?view=waiting&notice=released&inquiry={}", a.inquiry));
    assert_eq!(status_of(&app, &first).await, InboundStatus::Released);
    assert_eq!(messages(&app, &a.inquiry).await, 2, "in the thread");
    let told = op.get(&app, &to).await.assert_html(StatusCode::OK);
    assert!(told.contains("메일을 문의에 넣었습니다."), "{told}");
    assert!(told.contains("id=\"mail-notice-inquiry\"") && told.contains(&format!("/inquiries/{}", a.inquiry)));
    assert!(!told.contains(&format!("id=\"mail-{first}\"")), "it no longer waits");

    // A second click (another tab, another operator) is told back, and changes nothing.
    let to = location(&op.post_form(&app, &format!("/operator/mail/{first}/release"), &form).await);
    assert_eq!(to, "/operator/mail?view=waiting&notice=not_releasable&why=decided");
    let told = op.get(&app, &to).await.assert_html(StatusCode::OK);
    assert!(
        told.contains("문의에 넣지 못했습니다") && told.contains("이미 다른 운영자가 처리한 메일입니다."),
        "{told}"
    );
    assert_no_raw_keys(&told);
    assert_eq!(messages(&app, &a.inquiry).await, 2, "joined once");

    let to = location(
        &op.post_form(&app, &format!("/operator/mail/{second}/discard"), &[("csrf", &csrf), ("view", "all")]).await,
    );
    assert_eq!(to, "/operator/mail?view=all&notice=discarded");
    assert_eq!(status_of(&app, &second).await, InboundStatus::Discarded);
    let told = op.get(&app, &to).await.assert_html(StatusCode::OK);
    assert!(told.contains("메일을 버렸습니다.") && told.contains("버림") && told.contains("운영자가 문의에 넣음"));
    assert!(told.contains("처리한 운영자") && told.contains("operator · "), "who decided: {told}");
    assert_no_stored_words(&told);
    let to = location(&op.post_form(&app, &format!("/operator/mail/{second}/release"), &form).await);
    assert!(to.ends_with("notice=not_releasable&why=decided"), "{to}");
    assert_eq!(messages(&app, &a.inquiry).await, 2, "a discarded mail is never released");

    // The GET of a form's address leads back to the page.
    assert_eq!(location(&op.get(&app, &format!("/operator/mail/{first}/release")).await), "/operator/mail");
    let empty = op.get(&app, "/operator/mail").await.assert_html(StatusCode::OK);
    assert!(empty.contains("id=\"mail-empty\"") && empty.contains("처리를 기다리는 메일이 없습니다."));
}

web_test!(r16_an_operator_clears_a_bouncing_address_from_the_console);
async fn r16_an_operator_clears_a_bouncing_address_from_the_console(app: TestApp) {
    app.seed().await;
    bounced(&app, "gone@mail.test", "dsn-page-clear").await;
    let mut op = Browser::signed_in(&app, "operator@example.com").await;
    let csrf = op.csrf_on(&app, "/operator/mail").await;
    let form = [("csrf", csrf.as_str()), ("email", "gone@mail.test"), ("view", "waiting")];
    let to = location(&op.post_form(&app, "/operator/mail/bouncing/clear", &form).await);
    assert_eq!(to, "/operator/mail?view=waiting&notice=bouncing_cleared#bouncing");
    assert!(!app.store.is_bouncing("gone@mail.test").await.expect("read"));
    let told = op.get(&app, to.trim_end_matches("#bouncing")).await.assert_html(StatusCode::OK);
    assert!(told.contains("반송 주소를 해제했습니다.") && told.contains("id=\"bouncing-empty\""), "{told}");
    let to = location(&op.post_form(&app, "/operator/mail/bouncing/clear", &form).await);
    assert_eq!(to, "/operator/mail?view=waiting&notice=bouncing_unknown#bouncing");
    let told = op.get(&app, to.trim_end_matches("#bouncing")).await.assert_html(StatusCode::OK);
    assert!(told.contains("반송되는 주소가 아니어서 바뀐 것이 없습니다."), "{told}");
}

web_test!(r15_the_thread_names_each_channel_and_links_operators_to_the_original_mail);
async fn r15_the_thread_names_each_channel_and_links_operators_to_the_original_mail(app: TestApp) {
    let a = asked(&app).await;
    let (id, raw) = forged(&app, &a, "forged-thread").await;
    let op_token = app.login("operator@example.com").await;
    let released =
        app.post_json(&format!("/api/v1/inbound/{id}/release"), Some(&op_token), &serde_json::json!({})).await;
    assert_eq!(released.status, StatusCode::OK, "{}", released.text());
    let thread = format!("/inquiries/{}", a.inquiry);
    let original = format!("href=\"/operator/mail/{id}/raw\"");

    let mut op = Browser::signed_in(&app, "operator@example.com").await;
    let page = op.get(&app, &thread).await.assert_html(StatusCode::OK);
    assert!(page.contains("channel-api\">API<") && page.contains("channel-email\">이메일<"), "channels in words");
    assert!(page.contains(&original) && page.contains("원본 메일(.eml)"), "the original, for operators: {page}");
    let bytes = op.get(&app, &format!("/operator/mail/{id}/raw")).await;
    assert_eq!(bytes.body.as_ref(), raw.as_slice());

    for email in ["dev1@example.com", "customer1@example.com"] {
        let mut party = Browser::signed_in(&app, email).await;
        let page = party.get(&app, &thread).await.assert_html(StatusCode::OK);
        assert!(page.contains("channel-email\">이메일<"), "{email} sees the channel");
        assert!(!page.contains("/operator/mail/"), "{email} gets no link to the original");
    }
    let mut en = Browser::signed_in(&app, "dev1@example.com").await;
    assert_eq!(en.switch_language(&app, "en", &thread).await.status, StatusCode::SEE_OTHER);
    let page = en.get(&app, &thread).await.assert_html(StatusCode::OK);
    assert!(page.contains("channel-email\">Email<") && page.contains("channel-api\">API<"));
    assert_no_raw_keys(&page);
}

web_test!(r16_a_developer_sees_under_each_reply_whether_its_mail_reached_the_customer);
async fn r16_a_developer_sees_under_each_reply_whether_its_mail_reached_the_customer(app: TestApp) {
    let a = asked(&app).await;
    let dev1 = app.login("dev1@example.com").await;
    app.clock.advance(SignedDuration::from_mins(10));
    app.write(&dev1, &a.inquiry, "2.1.1로 업데이트해 보세요.").await;
    // Every queued mail fails for good: the developers' one and the reply to the customer.
    let now = app.now();
    for mail in
        app.store.claim_due_mail("test-worker", now, now + SignedDuration::from_mins(5), 100).await.expect("claim")
    {
        let failed = AttemptOutcome::Failed { error: "550 5.1.1 mailbox unavailable".to_owned() };
        assert!(app.store.finish_delivery_attempt(&mail.id, "test-worker", &failed, now).await.expect("finish"));
    }
    app.clock.advance(SignedDuration::from_mins(10));
    app.write(&dev1, &a.inquiry, "해결되셨나요?").await;

    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let page = dev.get(&app, &format!("/inquiries/{}", a.inquiry)).await.assert_html(StatusCode::OK);
    let failed = "이 답변을 알리는 메일이 고객에게 전달되지 않았습니다(customer1@example.com).";
    assert_eq!(page.matches(failed).count(), 1, "under the one reply whose mail failed: {page}");
    let at = page.find(failed).unwrap_or(usize::MAX);
    let first_reply = page.find("2.1.1로 업데이트해 보세요.").unwrap_or(0);
    let second_reply = page.find("해결되셨나요?").unwrap_or(0);
    assert!(first_reply < at && at < second_reply, "right under the first reply, not the second (still waiting)");
    let waiting = "이 답변을 알리는 메일이 발송을 기다리고 있습니다.";
    assert!(page.find(waiting).is_some_and(|w| w > second_reply), "the second reply's mail waits: {page}");
    assert_no_raw_keys(&page);

    // Once the worker hands it over, the reply says so, with the time.
    let now = app.now();
    for mail in
        app.store.claim_due_mail("test-worker", now, now + SignedDuration::from_mins(5), 100).await.expect("claim")
    {
        assert!(
            app.store
                .finish_delivery_attempt(&mail.id, "test-worker", &AttemptOutcome::Sent, now)
                .await
                .expect("finish")
        );
    }
    let page = dev.get(&app, &format!("/inquiries/{}", a.inquiry)).await.assert_html(StatusCode::OK);
    assert!(page.contains("이 답변을 고객에게 메일로 알렸습니다("), "sent, with when: {page}");
    assert!(!page.contains(waiting));
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let own = customer.get(&app, &format!("/inquiries/{}", a.inquiry)).await.assert_html(StatusCode::OK);
    assert!(!own.contains("message-mail-failed"), "the customer reads the thread itself");
}
