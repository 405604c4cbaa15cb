//! Issue 12 item 6 (R9): a developer finds the purchase an off-store refund is about by
//! the customer's number, on the form and over the API, and picks it instead of typing
//! its exact minute. Unknown numbers and customers without purchases of this seller
//! answer alike; another seller's purchases are never listed; only developers may look
//! up, refused before the query is read; every look-up is audited; the budget is 30,
//! then one per 10 seconds, per developer, and past it the answer is a 429.

use axum::http::{Method, StatusCode, header};
use jiff::SignedDuration;
use serde_json::{Value, json};
use vocdesk_domain::role::Role;

use crate::support::browser::Browser;
use crate::support::{Fixture, TestApp, TestResponse, req};

const LOOKUP: &str = "/api/v1/off-store/purchases";
const FORM: &str = "/developer/off-store-requests/new";
const PAGE_LOOKUP: &str = "/developer/off-store-requests/lookup";

/// A third customer, C-0003, whose only purchase is of seller 2's free app's item.
async fn customer3(app: &TestApp, fx: &Fixture) {
    let c3 = app.user("customer3@example.com", Role::Customer, None, Some("C-0003")).await;
    app.purchase(&c3, &fx.free_app, Some(&fx.free_item), 1_000, "T-C3-THEME", "2026-11-06T10:00:00Z").await;
}

async fn look_up(app: &TestApp, token: &str, query: &str) -> TestResponse {
    app.get(&format!("{LOOKUP}?{query}"), Some(token)).await
}

fn ids(body: &Value) -> Vec<String> {
    body["items"].as_array().expect("items").iter().map(|p| p["id"].as_str().expect("id").to_owned()).collect()
}

/// The look-up's audit entries' `customer_id`, oldest first.
async fn looked_up(app: &TestApp) -> Vec<Value> {
    let mut entries: Vec<Value> = app
        .audit_log()
        .await
        .iter()
        .filter(|r| r.entry.action == "purchases.looked_up")
        .map(|r| serde_json::from_str::<Value>(&r.entry.detail).expect("JSON")["customer_id"].clone())
        .collect();
    entries.reverse();
    entries
}

/// The look-up's part of the off-store form (its list, or its "none found").
fn lookup_part(html: &str) -> &str {
    let start = html.find("id=\"purchase_id\"").unwrap_or_else(|| panic!("a look-up list: {html}"));
    let end = html[start..].find("</fieldset>").map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// A developer's browser on the off-store form, and its CSRF token.
async fn developer(app: &TestApp, email: &str) -> (Browser, String) {
    let mut browser = Browser::signed_in(app, email).await;
    let csrf = browser.csrf_on(app, FORM).await;
    (browser, csrf)
}

web_test!(item6_an_unknown_customer_and_one_without_purchases_of_this_seller_get_the_same_answer);
async fn item6_an_unknown_customer_and_one_without_purchases_of_this_seller_get_the_same_answer(app: TestApp) {
    let fx = app.seed().await;
    customer3(&app, &fx).await;
    let dev1 = app.login("dev1@example.com").await;
    let none = look_up(&app, &dev1, "customer_no=C-0003").await;
    let unknown = look_up(&app, &dev1, "customer_no=C-9999").await;
    for response in [&none, &unknown] {
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        assert_eq!(response.json(), json!({ "items": [], "next_cursor": null }));
        assert_eq!(response.header(header::CACHE_CONTROL), Some("no-store"));
    }
    assert_eq!(none.body, unknown.body, "byte for byte");

    let (mut dev, csrf) = developer(&app, "dev1@example.com").await;
    let none = [("csrf", csrf.as_str()), ("customer_no", "C-0003"), ("channel", "phone")];
    let none = dev.post_form(&app, PAGE_LOOKUP, &none).await;
    let unknown = [("csrf", csrf.as_str()), ("customer_no", "C-9999"), ("channel", "phone")];
    let unknown = dev.post_form(&app, PAGE_LOOKUP, &unknown).await;
    let (none, unknown) = (none.assert_html(StatusCode::OK), unknown.assert_html(StatusCode::OK));
    assert!(lookup_part(&none).contains("id=\"lookup-none\""), "{none}");
    assert!(lookup_part(&none).contains("이 고객번호로 찾은 귀하의 앱 구매 내역이 없습니다."));
    assert_eq!(lookup_part(&none), lookup_part(&unknown), "the same words");
    assert!(none.contains("value=\"C-0003\"") && none.contains("id=\"channel-phone\" checked"), "what was typed stays");

    // R14: every look-up recorded, with the customer the number named or none.
    let c3 = app.store.customer_by_number("C-0003").await.expect("read").expect("customer 3");
    let c3 = Value::from(c3.id.0.as_str());
    assert_eq!(looked_up(&app).await, vec![c3.clone(), Value::Null, c3, Value::Null]);
}

web_test!(item6_another_sellers_purchases_are_never_listed);
async fn item6_another_sellers_purchases_are_never_listed(app: TestApp) {
    let fx = app.seed().await;
    let [paid, item, free] = [&fx.customer1_purchases[0], &fx.customer1_purchases[1], &fx.customer1_purchases[2]];
    let dev1 = app.login("dev1@example.com").await;
    let mine = look_up(&app, &dev1, "customer_no=C-0001").await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.text());
    let body = mine.json();
    assert_eq!(ids(&body), vec![item.purchase.id.0.clone(), paid.purchase.id.0.clone()], "seller 1's, newest first");
    assert_eq!(body["items"][0]["payment_ids_masked"], true);
    assert!(!mine.text().contains("T-C1-ITEM") && !mine.text().contains("T-C1-PAID"), "R7: masked");
    let dev2 = app.login("dev2@example.com").await;
    let theirs = look_up(&app, &dev2, "customer_no=C-0001").await.json();
    assert_eq!(ids(&theirs), vec![free.purchase.id.0.clone()], "seller 2's only");

    let (mut dev, csrf) = developer(&app, "dev1@example.com").await;
    let page = dev.post_form(&app, PAGE_LOOKUP, &[("csrf", &csrf), ("customer_no", " C-0001 ")]).await;
    let page = page.assert_html(StatusCode::OK);
    let list = lookup_part(&page);
    for view in [paid, item] {
        assert!(list.contains(&format!("id=\"pick-{}\"", view.purchase.id.0)), "{list}");
    }
    assert!(!list.contains(&free.purchase.id.0) && !list.contains("Free Notes"), "never another seller's: {list}");
    assert!(
        list.contains("Paid Puzzle · Hint pack") && list.contains("₩500") && list.contains("2026. 11. 02. 19:00 KST")
    );
    assert!(list.contains("결제 완료") && list.contains('…') && !list.contains("T-C1-ITEM"), "R7: masked: {list}");
    assert!(list.contains("id=\"pick-none\""), "or name it by date and item");
}

web_test!(item6_customers_and_operators_are_refused_before_the_query_is_read);
async fn item6_customers_and_operators_are_refused_before_the_query_is_read(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let op = app.login("operator@example.com").await;
    let mut browsers = Vec::new();
    for email in ["customer1@example.com", "operator@example.com"] {
        let mut browser = Browser::signed_in(&app, email).await;
        let csrf = browser.form_token(&app).await;
        browsers.push((browser, csrf));
    }
    let before = app.counts(&fx).await;
    for token in [&c1, &op] {
        for query in ["customer_no=C-0001", "customer_no=%3Cb%3E&limit=abc&cursor=%25%25&bogus=1"] {
            look_up(&app, token, query).await.assert_problem(StatusCode::FORBIDDEN, "forbidden");
        }
    }
    app.get(&format!("{LOOKUP}?limit=abc"), None).await.assert_unauthenticated();
    for (browser, csrf) in &mut browsers {
        browser.get(&app, FORM).await.assert_html(StatusCode::FORBIDDEN);
        let form = [("csrf", csrf.as_str()), ("customer_no", "C-0001")];
        browser.post_form(&app, PAGE_LOOKUP, &form).await.assert_html(StatusCode::FORBIDDEN);
        let bad = req(Method::POST, PAGE_LOOKUP)
            .cookies(&browser.pairs())
            .header("content-type", "application/json")
            .raw(r#"{"customer_no":1}"#);
        app.send(bad).await.assert_html(StatusCode::FORBIDDEN);
    }
    assert_eq!(app.counts(&fx).await, before, "nothing read is recorded, nothing changed");
    assert!(looked_up(&app).await.is_empty());
    // A developer's malformed number is a 422 with the field named (after authorization).
    let dev1 = app.login("dev1@example.com").await;
    look_up(&app, &dev1, "customer_no=%3Cb%3E")
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    look_up(&app, &dev1, "limit=abc").await.assert_problem(StatusCode::BAD_REQUEST, "invalid_query");
}

web_test!(item6_picking_a_purchase_from_the_look_up_files_the_request);
async fn item6_picking_a_purchase_from_the_look_up_files_the_request(app: TestApp) {
    let fx = app.seed().await;
    let item = &fx.customer1_purchases[1];
    let (mut dev, csrf) = developer(&app, "dev1@example.com").await;
    let page = dev.post_form(&app, PAGE_LOOKUP, &[("csrf", &csrf), ("customer_no", "C-0001")]).await;
    assert!(page.assert_html(StatusCode::OK).contains(&format!("value=\"{}\"", item.purchase.id.0)));

    // Another seller's purchase or another customer's: no such purchase, nothing filed.
    let before = app.counts(&fx).await;
    for wrong in [&fx.customer1_purchases[2], &fx.customer2_purchases[0]] {
        let form = [
            ("csrf", csrf.as_str()),
            ("channel", "phone"),
            ("consent_personal_info", "O"),
            ("customer_no", "C-0001"),
            ("purchase_id", wrong.purchase.id.0.as_str()),
            ("reason", "전화로 환불 요청을 받았습니다."),
        ];
        let page = dev.post_form(&app, "/developer/off-store-requests", &form).await;
        let page = page.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("id=\"purchase_id-error\""), "{page}");
        assert!(!page.contains("id=\"lookup-list\""), "nothing of it is shown: {page}");
    }
    assert_eq!(app.counts(&fx).await, before);

    // The item, picked: no date or item typed; filed, its time and item from the purchase.
    let form = [
        ("csrf", csrf.as_str()),
        ("channel", "phone"),
        ("consent_personal_info", "O"),
        ("customer_no", "C-0001"),
        ("purchased_at", ""),
        ("product_id", ""),
        ("purchase_id", item.purchase.id.0.as_str()),
        ("reason", "전화로 환불 요청을 받았습니다."),
    ];
    let response = dev.post_form(&app, "/developer/off-store-requests", &form).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.text());
    let requests = app.cancellation_requests().await;
    let filed = requests.iter().find(|r| r.purchase_id == item.purchase.id).expect("a request for the item");
    assert_eq!(filed.status.as_str(), "open");
    let thread = app.store.thread(&filed.inquiry_id).await.expect("read").expect("the thread");
    let record = &thread.messages[0].body;
    assert!(record.contains("2026. 11. 02. 19:00 KST") && record.contains("Paid Puzzle · Hint pack"), "{record}");

    // A reason missing: the form comes back with the picked purchase still picked.
    let paid = &fx.customer1_purchases[0];
    let form = [
        ("csrf", csrf.as_str()),
        ("channel", "email"),
        ("consent_personal_info", "X"),
        ("customer_no", "C-0001"),
        ("purchase_id", paid.purchase.id.0.as_str()),
        ("reason", ""),
    ];
    let page = dev.post_form(&app, "/developer/off-store-requests", &form).await;
    let page = page.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(&format!("id=\"pick-{}\" checked", paid.purchase.id.0)), "{page}");

    // Over the API, the same with `purchase_id`.
    let dev1 = app.login("dev1@example.com").await;
    let body = json!({
        "channel": "email",
        "consent_personal_info": "X",
        "customer_no": "C-0001",
        "purchase_id": paid.purchase.id.0,
        "reason": "메일로 환불 요청을 받았습니다.",
    });
    let filed = app.post_json("/api/v1/cancellation-requests/off-store", Some(&dev1), &body).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text());
    assert_eq!(filed.json()["request"]["purchase_id"], paid.purchase.id.0.as_str());
}

web_test!(item6_the_look_up_is_throttled_per_developer_with_a_429_problem_in_korean_and_english);
async fn item6_the_look_up_is_throttled_per_developer_with_a_429_problem_in_korean_and_english(app: TestApp) {
    app.seed().await;
    let dev1 = app.login("dev1@example.com").await;
    for n in 0..30 {
        let response = look_up(&app, &dev1, &format!("customer_no=C-{n:04}")).await;
        assert_eq!(response.status, StatusCode::OK, "look-up {n}: {}", response.text());
    }
    let ko = app
        .send(
            req(Method::GET, &format!("{LOOKUP}?customer_no=C-0001"))
                .bearer(Some(&dev1))
                .header("accept-language", "ko")
                .empty(),
        )
        .await;
    let problem = ko.assert_problem(StatusCode::TOO_MANY_REQUESTS, "too_many_lookups");
    assert_eq!(problem["title"], "구매 내역 조회가 너무 많습니다");
    assert_eq!(problem["detail"], "10초 후에 다시 시도해 주세요.");
    assert_eq!(ko.header(header::RETRY_AFTER), Some("10"));
    let en = app
        .send(
            req(Method::GET, &format!("{LOOKUP}?customer_no=C-0001"))
                .bearer(Some(&dev1))
                .header("accept-language", "en")
                .empty(),
        )
        .await;
    let problem = en.assert_problem(StatusCode::TOO_MANY_REQUESTS, "too_many_lookups");
    assert_eq!(problem["title"], "Too many purchase look-ups");
    assert_eq!(problem["detail"], "Try again in 10 seconds.");
    assert_eq!(looked_up(&app).await.len(), 30, "refused look-ups read nothing and are not recorded");

    // The form shares the budget: refused too, what was typed kept, in the page's words.
    let (mut dev, csrf) = developer(&app, "dev1@example.com").await;
    let page = dev.post_form(&app, PAGE_LOOKUP, &[("csrf", &csrf), ("customer_no", "C-0001")]).await;
    assert_eq!(page.header(header::RETRY_AFTER), Some("10"));
    let page = page.assert_html(StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("id=\"lookup-notice\"") && page.contains("조회가 너무 많습니다. 10초 후에"), "{page}");
    assert!(page.contains("value=\"C-0001\"") && !page.contains("id=\"lookup-list\""));

    // Another developer is not slowed; ten seconds later one more, and only one.
    let dev2 = app.login("dev2@example.com").await;
    assert_eq!(look_up(&app, &dev2, "customer_no=C-0001").await.status, StatusCode::OK);
    app.clock.advance(SignedDuration::from_secs(10));
    assert_eq!(look_up(&app, &dev1, "customer_no=C-0001").await.status, StatusCode::OK);
    look_up(&app, &dev1, "customer_no=C-0001").await.assert_problem(StatusCode::TOO_MANY_REQUESTS, "too_many_lookups");
}
