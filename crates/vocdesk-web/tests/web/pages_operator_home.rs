//! Issue 12 item 11 on the pages: the operator's home counts the work waiting in each
//! queue (open cancellation requests, overdue inquiries, held mail), each count links
//! to its queue, the header lists every queue, and every role's header marks the page
//! in view with `aria-current="page"`. The audit log moved to `/operator/audit`; its
//! old address still leads there with its filters.

use axum::http::{StatusCode, header};
use jiff::SignedDuration;

use crate::inbound::{asked, forged};
use crate::pages_reviews::assert_no_raw_keys;
use crate::support::TestApp;
use crate::support::browser::Browser;

/// The number a home's count shows, by the count's id.
#[track_caller]
fn count(html: &str, id: &str) -> i64 {
    let start = format!("id=\"{id}\">");
    let at = html.find(&start).unwrap_or_else(|| panic!("#{id} on the home: {html}")) + start.len();
    let digits: String = html[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or_else(|_| panic!("#{id} holds a number: {}", &html[at..at + 40]))
}

/// `(open requests, overdue, held mail)` as the home shows them.
async fn counts(op: &mut Browser, app: &TestApp) -> (i64, i64, i64) {
    let home = op.get(app, "/operator").await.assert_html(StatusCode::OK);
    (count(&home, "count-open-requests"), count(&home, "count-overdue"), count(&home, "count-held-mail"))
}

/// The `data-nav` of every header link marked as the page in view.
fn marked(html: &str) -> Vec<String> {
    html.split("<a ")
        .filter(|tag| tag.split('>').next().is_some_and(|attrs| attrs.contains("aria-current=\"page\"")))
        .filter_map(|tag| tag.split("data-nav=\"").nth(1).and_then(|rest| rest.split('"').next()))
        .map(str::to_owned)
        .collect()
}

web_test!(item11_the_operator_home_counts_open_requests_overdue_inquiries_and_held_mail);
async fn item11_the_operator_home_counts_open_requests_overdue_inquiries_and_held_mail(app: TestApp) {
    let a = asked(&app).await;
    let mut op = Browser::signed_in(&app, "operator@example.com").await;
    assert_eq!(counts(&mut op, &app).await, (0, 0, 0), "customer 1's question is not overdue yet");

    // One of each: the question waits past the 72-hour limit, a stranger's mail to the
    // customer's reply address is held, and a refund is agreed and sent to the store.
    app.clock.advance(SignedDuration::from_hours(73));
    let (held, _) = forged(&app, &a, "home-counts").await;
    let (refund, _request) = app.open_request(&a.fx).await;
    assert_eq!(counts(&mut op, &app).await, (1, 1, 1), "one open request, one overdue inquiry, one held mail");

    let home = op.get(&app, "/operator").await.assert_html(StatusCode::OK);
    for (link, count) in [
        ("href=\"/operator/cancellation-requests\" id=\"op-requests-link\"", "count-open-requests"),
        ("href=\"/operator/overdue\" id=\"op-overdue-link\"", "count-overdue"),
        ("href=\"/operator/mail\" id=\"op-mail-link\"", "count-held-mail"),
    ] {
        let tile = &home[home.find(link).unwrap_or_else(|| panic!("{link}: {home}"))..];
        assert!(tile.split("</a>").next().is_some_and(|t| t.contains(count)), "{count} is inside {link}");
    }
    for words in ["처리할 취소 요청", "답변 기한 초과 문의", "보류된 메일"] {
        assert!(home.contains(words), "{words}: {home}");
    }
    assert!(!home.contains("id=\"audit\""), "the log is a page of its own now");
    assert_no_raw_keys(&home);

    // The counts follow the work: the developer answers the overdue question, the
    // refund inquiry is young, the held mail is discarded.
    let dev1 = app.login("dev1@example.com").await;
    app.write(&dev1, &a.inquiry, "확인해 보겠습니다.").await;
    let csrf = op.form_token(&app).await;
    let discarded = op.post_form(&app, &format!("/operator/mail/{held}/discard"), &[("csrf", &csrf)]).await;
    assert_eq!(discarded.status, StatusCode::SEE_OTHER, "{}", discarded.text());
    assert_eq!(counts(&mut op, &app).await, (1, 0, 0));
    app.clock.advance(SignedDuration::from_hours(73));
    // R17: the refund inquiry waits on the store, whose turn it is, not on the developer.
    assert_eq!(
        counts(&mut op, &app).await,
        (1, 0, 0),
        "the refund inquiry {refund} is not overdue while with the store"
    );

    assert_eq!(op.switch_language(&app, "en", "/operator").await.status, StatusCode::SEE_OTHER);
    let en = op.get(&app, "/operator").await.assert_html(StatusCode::OK);
    for words in ["Open cancellation requests", "Overdue inquiries", "Held mail", "Audit log"] {
        assert!(en.contains(words), "{words}: {en}");
    }
    assert_no_raw_keys(&en);
}

web_test!(item11_every_queue_is_in_the_header_and_the_page_in_view_is_marked);
async fn item11_every_queue_is_in_the_header_and_the_page_in_view_is_marked(app: TestApp) {
    app.seed().await;
    let mut op = Browser::signed_in(&app, "operator@example.com").await;
    for (path, current) in [
        ("/operator", "operator"),
        ("/operator/cancellation-requests", "operator-requests"),
        ("/operator/overdue", "operator-overdue"),
        ("/operator/inquiries", "operator-inquiries"),
        ("/operator/moderation", "operator-moderation"),
        ("/operator/mail?view=all", "operator-mail"),
        ("/operator/outbox", "operator-outbox"),
        ("/operator/audit", "operator-audit"),
    ] {
        let page = op.get(&app, path).await.assert_html(StatusCode::OK);
        assert_eq!(marked(&page), [current], "{path} marks only itself");
        for queue in [
            "/operator/cancellation-requests",
            "/operator/overdue",
            "/operator/moderation",
            "/operator/mail",
            "/operator/outbox",
            "/operator/audit",
        ] {
            assert!(page.contains(&format!("<a href=\"{queue}\" data-nav=")), "{queue} in the header of {path}");
        }
        assert!(page.contains("aria-label=\"주 메뉴\""), "the navigation is named in words");
    }
    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    for (path, current) in [
        ("/developer", "developer"),
        ("/developer/inquiries?status=closed", "developer-inquiries"),
        ("/developer/reviews", "developer-reviews"),
    ] {
        let page = dev.get(&app, path).await.assert_html(StatusCode::OK);
        assert_eq!(marked(&page), [current], "{path}");
    }
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    for (path, current) in [("/my", "my"), ("/my/inquiries", "my-inquiries"), ("/", "apps")] {
        let page = customer.get(&app, path).await.assert_html(StatusCode::OK);
        assert_eq!(marked(&page), [current], "{path}");
    }
}

web_test!(item11_the_audit_log_has_its_own_page_and_old_links_lead_there);
async fn item11_the_audit_log_has_its_own_page_and_old_links_lead_there(app: TestApp) {
    let fx = app.seed().await;
    let mut op = Browser::signed_in(&app, "operator@example.com").await;
    let log = op.get(&app, "/operator/audit").await.assert_html(StatusCode::OK);
    assert!(log.contains("id=\"audit\"") && log.contains("action=\"/operator/audit\""), "{log}");
    let actor = &fx.dev1.id.0;
    let old = op.get(&app, &format!("/operator?actor_id={actor}")).await;
    assert_eq!(old.status, StatusCode::SEE_OTHER);
    assert_eq!(old.header(header::LOCATION), Some(format!("/operator/audit?actor_id={actor}").as_str()));
    // Anyone else is refused before the query is looked at (and nothing is redirected).
    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    for path in ["/operator?actor_id=x", "/operator/audit", "/operator/audit?inquiry_id=%3C"] {
        dev.get(&app, path).await.assert_html(StatusCode::FORBIDDEN);
    }
}
