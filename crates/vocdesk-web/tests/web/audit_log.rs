//! Issue 12, item 10: the operator console's audit log as people read it: names and
//! emails instead of UUIDs, actions and channels in words in both languages, links to
//! what each entry is about, filters by person (name or email), action and date, and
//! signing in and out folded away unless asked; nobody but operators reads it.

use axum::http::{Method, StatusCode};
use serde_json::json;
use vocdesk_domain::audit::SIGN_IN_ACTIONS;
use vocdesk_store::AuditFilter;

use crate::support::browser::Browser;
use crate::support::{Fixture, TestApp, req};

/// The text a person reads: everything outside the tags.
fn visible(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The rows of the log, each from its `<tr class="audit-row"` to its `</tr>`.
fn rows(html: &str) -> Vec<&str> {
    html.split("<tr class=\"audit-row\"").skip(1).map(|row| row.split("</tr>").next().unwrap_or_default()).collect()
}

/// The stored actions of the rows, from their `data-action`.
fn actions(html: &str) -> Vec<String> {
    rows(html)
        .iter()
        .filter_map(|row| row.split("data-action=\"").nth(1).and_then(|r| r.split('"').next()).map(str::to_owned))
        .collect()
}

/// Customer 1 asks through the API (channel `api`), dev1 answers on the pages (channel
/// `store`); both have signed in. Returns the inquiry's id and the operator's browser.
async fn a_conversation(app: &TestApp, fx: &Fixture) -> (String, Browser) {
    let c1 = app.login("customer1@example.com").await;
    let body = json!({
        "category": "refund",
        "subject": "환불 문의",
        "body": "환불해 주세요.",
        "purchase_id": fx.customer1_purchases[0].purchase.id.0,
    });
    let thread = app.ask(&c1, &fx.paid_app, &body).await;
    let id = thread["id"].as_str().expect("an id").to_owned();
    let mut dev = Browser::signed_in(app, "dev1@example.com").await;
    let csrf = dev.csrf_on(app, &format!("/inquiries/{id}")).await;
    let reply = crate::support::MultipartForm::new().text("csrf", &csrf).text("body", "확인하겠습니다.");
    let response = dev.post_multipart(app, &format!("/inquiries/{id}/messages"), reply).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.text());
    (id, Browser::signed_in(app, "operator@example.com").await)
}

web_test!(item10_the_log_shows_names_and_emails_and_actions_and_channels_in_words_in_both_languages);
async fn item10_the_log_shows_names_and_emails_and_actions_and_channels_in_words_in_both_languages(app: TestApp) {
    let fx = app.seed().await;
    let (id, mut op) = a_conversation(&app, &fx).await;
    let ko = op.get(&app, "/operator/audit").await.assert_html(StatusCode::OK);
    let text = visible(&ko);
    for user in [&fx.customer1, &fx.dev1, &fx.operator] {
        assert!(!text.contains(&user.id.0), "no UUID of {} is shown: {text}", user.email);
    }
    assert!(!text.contains(&id), "nor the inquiry's");
    let created = rows(&ko).into_iter().find(|r| r.contains("data-action=\"inquiry.created\"")).expect("a row");
    let created = visible(created);
    for words in ["customer1", "customer1@example.com", "고객", "문의 접수", "API", "환불 문의"] {
        assert!(created.contains(words), "{words:?} in {created}");
    }
    let reply = rows(&ko).into_iter().find(|r| r.contains("data-action=\"inquiry.message_added\"")).expect("a row");
    let reply = visible(reply);
    for words in ["dev1", "dev1@example.com", "개발자", "메시지 작성", "스토어"] {
        assert!(reply.contains(words), "{words:?} in {reply}");
    }
    for raw in ["inquiry.created", "inquiry.message_added", "store", "개발자 0", "고객 0"] {
        assert!(!text.contains(raw), "{raw:?} is not shown: {text}");
    }

    op.switch_language(&app, "en", "/operator").await.assert_see_other("/operator");
    let en = op.get(&app, "/operator/audit").await.assert_html(StatusCode::OK);
    let created = rows(&en).into_iter().find(|r| r.contains("data-action=\"inquiry.created\"")).expect("a row");
    let created = visible(created);
    for words in ["customer1@example.com", "Customer", "Inquiry opened", "API", "Inquiry"] {
        assert!(created.contains(words), "{words:?} in {created}");
    }
    let reply = rows(&en).into_iter().find(|r| r.contains("data-action=\"inquiry.message_added\"")).expect("a row");
    assert!(visible(reply).contains("Message written") && visible(reply).contains("Store"), "{reply}");
    // The system's own entries name the part of the store that acted.
    let recorded = rows(&en).into_iter().find(|r| r.contains("data-action=\"purchase.recorded\"")).expect("a row");
    assert!(visible(recorded).contains("System (test-fixture)") && visible(recorded).contains("Command line"));
}

web_test!(item10_entries_link_to_the_inquiry_and_the_purchase_they_are_about);
async fn item10_entries_link_to_the_inquiry_and_the_purchase_they_are_about(app: TestApp) {
    let fx = app.seed().await;
    let (id, mut op) = a_conversation(&app, &fx).await;
    let html = op.get(&app, "/operator/audit").await.assert_html(StatusCode::OK);
    let created = rows(&html).into_iter().find(|r| r.contains("data-action=\"inquiry.created\"")).expect("a row");
    assert!(created.contains(&format!("href=\"/inquiries/{id}\"")), "the thread: {created}");
    assert!(created.contains(&format!("href=\"/operator/audit?inquiry_id={id}\"")), "its story: {created}");
    let purchase = &fx.customer1_purchases[0].purchase.id.0;
    assert!(created.contains(&format!("href=\"/operator/audit?purchase_id={purchase}\"")), "the purchase's: {created}");
    assert!(visible(created).contains("Paid Puzzle"), "named by its app: {created}");
    let listed = rows(&html).into_iter().find(|r| r.contains("data-action=\"app.created\"")).expect("a row");
    assert!(listed.contains("href=\"/apps/"), "an app links to its page: {listed}");

    // The story link narrows the log, says so in words, and the form keeps it.
    let story = op.get(&app, &format!("/operator/audit?inquiry_id={id}")).await.assert_html(StatusCode::OK);
    assert!(visible(&story).contains("문의 환불 문의의 기록만"), "{story}");
    assert!(story.contains(&format!("name=\"inquiry_id\" value=\"{id}\"")), "kept by the filter form");
    assert!(actions(&story).iter().all(|a| a.starts_with("inquiry.")), "{:?}", actions(&story));
}

web_test!(item10_the_person_filter_finds_by_name_or_email_only_that_persons_entries);
async fn item10_the_person_filter_finds_by_name_or_email_only_that_persons_entries(app: TestApp) {
    let fx = app.seed().await;
    let (_, mut op) = a_conversation(&app, &fx).await;
    for person in ["dev1@example.com", "DEV1@Example.COM", "dev1", "v1@exam"] {
        let path = format!("/operator/audit?person={}&sign_ins=1", crate::support::form_encode(person));
        let html = op.get(&app, &path).await.assert_html(StatusCode::OK);
        let found = rows(&html);
        let expected =
            app.audit_where(&AuditFilter { actor: Some(fx.dev1.id.clone()), ..Default::default() }).await.len();
        assert_eq!(found.len(), expected, "{person}: every entry of dev1");
        assert!(found.iter().all(|r| visible(r).contains("dev1@example.com")), "{person}: only dev1's");
        assert!(html.contains(&format!("value=\"{person}\"")), "the filter as typed");
    }
    // A wildcard is taken as the character it is: nobody's name holds `%`.
    let none = op.get(&app, "/operator/audit?person=%25").await.assert_html(StatusCode::OK);
    assert!(rows(&none).is_empty() && none.contains("id=\"audit-none-match\""), "{none}");
    // The actor's name links to what they did.
    let all = op.get(&app, "/operator/audit").await.assert_html(StatusCode::OK);
    assert!(all.contains("href=\"/operator/audit?person=dev1%40example.com\""));
    // The same filter over the API.
    let token = app.login("operator@example.com").await;
    let api = app.get("/api/v1/audit?person=DEV1&limit=100", Some(&token)).await.json();
    let items = api["items"].as_array().expect("items");
    assert!(!items.is_empty() && items.iter().all(|e| e["actor_email"] == "dev1@example.com"), "{api}");
}

web_test!(item10_the_action_and_date_filters_narrow_the_log);
async fn item10_the_action_and_date_filters_narrow_the_log(app: TestApp) {
    let fx = app.seed().await;
    let (_, mut op) = a_conversation(&app, &fx).await;
    let html = op.get(&app, "/operator/audit?action=purchase.recorded").await.assert_html(StatusCode::OK);
    assert_eq!(actions(&html), vec!["purchase.recorded"; 5], "the five fixture purchases");
    assert!(html.contains("<option value=\"purchase.recorded\" selected>구매 기록</option>"), "a select in words");
    // The suite's clock is 2026-11-21 09:00 in Korea.
    let today = op.get(&app, "/operator/audit?from=2026-11-21&to=2026-11-21").await.assert_html(StatusCode::OK);
    assert!(!rows(&today).is_empty());
    let before = op.get(&app, "/operator/audit?to=2026-11-20").await.assert_html(StatusCode::OK);
    assert!(rows(&before).is_empty() && before.contains("id=\"audit-none-match\""));
    let after = op.get(&app, "/operator/audit?from=2026-11-22").await.assert_html(StatusCode::OK);
    assert!(rows(&after).is_empty());
    for bad in ["action=token.stolen", "from=yesterday", "to=2026-13-01", "sign_ins=maybe"] {
        op.get(&app, &format!("/operator/audit?{bad}")).await.assert_html(StatusCode::BAD_REQUEST);
    }
    let token = app.login("operator@example.com").await;
    let api = app.get("/api/v1/audit?action=token.stolen", Some(&token)).await;
    api.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let api = app.get("/api/v1/audit?action=purchase.recorded&from=2026-11-20T00:00:00Z", Some(&token)).await.json();
    assert_eq!(api["items"].as_array().map(Vec::len), Some(5), "{api}");
}

web_test!(item10_sign_ins_and_sign_outs_are_folded_away_unless_asked);
async fn item10_sign_ins_and_sign_outs_are_folded_away_unless_asked(app: TestApp) {
    let fx = app.seed().await;
    let (_, mut op) = a_conversation(&app, &fx).await;
    let mut signed_out = Browser::signed_in(&app, "customer2@example.com").await;
    let csrf = signed_out.csrf_on(&app, "/my").await;
    signed_out.post_form(&app, "/signout", &[("csrf", &csrf)]).await.assert_see_other("/");

    let folded = op.get(&app, "/operator/audit").await.assert_html(StatusCode::OK);
    assert!(folded.contains("id=\"audit-sign-ins-hidden\""), "it says so");
    assert!(!actions(&folded).is_empty());
    assert!(actions(&folded).iter().all(|a| !SIGN_IN_ACTIONS.contains(&a.as_str())), "{:?}", actions(&folded));
    let shown = op.get(&app, "/operator/audit?sign_ins=1").await.assert_html(StatusCode::OK);
    for action in SIGN_IN_ACTIONS {
        assert!(actions(&shown).iter().any(|a| a == action), "{action} shown when asked");
    }
    assert!(shown.contains("name=\"sign_ins\" value=\"1\" id=\"audit-sign-ins\" checked"));
    let token = app.login("operator@example.com").await;
    let api = app.get("/api/v1/audit?sign_ins=false&limit=100", Some(&token)).await.json();
    let items = api["items"].as_array().expect("items");
    assert!(items.iter().all(|e| !SIGN_IN_ACTIONS.contains(&e["action"].as_str().unwrap_or_default())));
    assert!(app.audited("token.revoked").await >= 1 && app.counts(&fx).await.audit_entries > items.len());
}

web_test!(item10_customers_and_developers_are_refused_the_log_before_its_query_is_read);
async fn item10_customers_and_developers_are_refused_the_log_before_its_query_is_read(app: TestApp) {
    let fx = app.seed().await;
    let mut others = Vec::new();
    for email in ["customer1@example.com", "dev1@example.com"] {
        others.push((Browser::signed_in(&app, email).await, app.login(email).await));
    }
    let before = app.counts(&fx).await;
    let bad = "person=x&action=token.stolen&from=nope&to=2026-13-45&sign_ins=maybe&cursor=%25%25";
    for (browser, token) in &mut others {
        for query in ["", "?person=dev1", &format!("?{bad}")] {
            browser.get(&app, &format!("/operator{query}")).await.assert_html(StatusCode::FORBIDDEN);
            let api = app.send(req(Method::GET, &format!("/api/v1/audit{query}")).bearer(Some(token)).empty()).await;
            api.assert_problem(StatusCode::FORBIDDEN, "forbidden");
        }
    }
    app.get(&format!("/operator/audit?{bad}"), None).await.assert_see_other(&format!(
        "/signin?next=/operator/audit%3F{}",
        bad.replace('%', "%25").replace('=', "%3D").replace('&', "%26")
    ));
    assert_eq!(app.counts(&fx).await, before, "nothing changed");
}
