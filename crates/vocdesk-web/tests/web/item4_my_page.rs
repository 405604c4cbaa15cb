//! Issue 12 item 4: My page's links offer only what makes sense for each purchase
//! ("request a refund" only for a paid purchase that cost money and has no request
//! waiting; a cancelled one says when it was refunded; a free one offers only a
//! question), the refund link preselects `refund` and the purchase, and each purchase
//! shows its open inquiry or its cancellation request in the customer's words.

use axum::http::StatusCode;
use serde_json::json;
use vocdesk_domain::locale::Locale;
use vocdesk_domain::purchase::PurchaseView;

use crate::support::browser::Browser;
use crate::support::{Fixture, TestApp};

/// The row of `purchase` on My page (from its `<tr>` to its end).
fn row<'a>(html: &'a str, purchase: &PurchaseView) -> &'a str {
    let marker = format!("data-purchase=\"{}\"", purchase.purchase.id.0);
    let start = html.find(&marker).unwrap_or_else(|| panic!("a row for {marker}: {html}"));
    let end = html[start..].find("</tr>").map_or(html.len(), |e| start + e);
    &html[start..end]
}

fn refund_href(purchase: &PurchaseView) -> String {
    let p = &purchase.purchase;
    format!("/apps/{}/inquiries/new?category=refund&#38;purchase_id={}", p.app_id.0, p.id.0)
}

/// Customer 1: the paid app refunded (an approved request), an open question about the
/// item; customer 2: a refund request of the paid app waiting for the store.
async fn stories(app: &TestApp, fx: &Fixture) -> (String, String) {
    let (_, request) = app.open_request(fx).await;
    let op = app.login("operator@example.com").await;
    let approve = format!("/api/v1/cancellation-requests/{}/approve", request["id"].as_str().expect("an id"));
    let approved = app.post_json(&approve, Some(&op), &json!({})).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text());
    let c1 = app.login("customer1@example.com").await;
    let item = &fx.customer1_purchases[1];
    let question = json!({
        "category": "question",
        "subject": "힌트 팩이 안 보여요",
        "body": "구매한 힌트 팩이 어디 있나요?",
        "purchase_id": item.purchase.id.0,
    });
    let asked = app.ask(&c1, &fx.paid_app, &question).await;
    let c2 = app.login("customer2@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let waiting = app.ask_refund(&c2, fx, &fx.customer2_purchases[0], false).await;
    let waiting = waiting["id"].as_str().expect("an id");
    let submitted =
        app.submit_request(&dev1, &fx.customer2_purchases[0].purchase.id.0, waiting, "합의했습니다", None).await;
    assert_eq!(submitted.status, StatusCode::CREATED, "{}", submitted.text());
    (asked["id"].as_str().expect("an id").to_owned(), waiting.to_owned())
}

web_test!(item4_my_page_offers_only_what_makes_sense_and_shows_where_each_purchase_stands);
async fn item4_my_page_offers_only_what_makes_sense_and_shows_where_each_purchase_stands(app: TestApp) {
    let fx = app.seed().await;
    let (question, waiting) = stories(&app, &fx).await;
    let [paid, item, free] = [&fx.customer1_purchases[0], &fx.customer1_purchases[1], &fx.customer1_purchases[2]];

    let mut c1 = Browser::signed_in(&app, "customer1@example.com").await;
    let my = c1.get(&app, "/my").await.assert_html(StatusCode::OK);
    // Refunded: when, and no refund link; asking about it stays possible.
    let refunded = row(&my, paid);
    let when = |locale| vocdesk_app::words::datetime(locale, &app.now());
    assert!(refunded.contains(&format!("{} 취소·환불됨", when(Locale::Ko))), "{refunded}");
    assert!(!refunded.contains("refund-link"), "nothing to refund twice: {refunded}");
    assert!(refunded.contains("request-status-approved") && refunded.contains("승인: 구매 취소됨"));
    assert!(refunded.contains("class=\"ask-link\""));
    // Paid, with an open question: the question's link and status in the customer's
    // words, and both links, the refund one carrying the category and the purchase.
    let asked = row(&my, item);
    assert!(asked.contains(&format!("href=\"/inquiries/{question}\"")) && asked.contains("힌트 팩이 안 보여요"));
    assert!(asked.contains("status-awaiting_developer") && asked.contains("판매자 답변을 기다리는 중"), "{asked}");
    assert!(asked.contains(&format!("class=\"refund-link\" href=\"{}\"", refund_href(item))), "{asked}");
    assert!(asked.contains(">환불 요청</a>") && asked.contains(">문의하기</a>"));
    // Free: only a question.
    let free_row = row(&my, free);
    assert!(free_row.contains("무료") && free_row.contains("class=\"ask-link\""), "{free_row}");
    assert!(!free_row.contains("refund-link"), "a free purchase offers no refund: {free_row}");

    // A request waiting for the store: shown, and no second refund request offered.
    let mut c2 = Browser::signed_in(&app, "customer2@example.com").await;
    let my2 = c2.get(&app, "/my").await.assert_html(StatusCode::OK);
    let pending = row(&my2, &fx.customer2_purchases[0]);
    assert!(pending.contains("request-status-open") && pending.contains("처리 대기"), "{pending}");
    assert!(pending.contains(&format!("href=\"/inquiries/{waiting}#cancellation-requests\"")));
    assert!(!pending.contains("refund-link"), "a request is already waiting: {pending}");
    assert!(!my2.contains("힌트 팩이 안 보여요"), "nobody else's inquiry");

    // In English, the same.
    c1.switch_language(&app, "en", "/my").await.assert_see_other("/my");
    let en = c1.get(&app, "/my").await.assert_html(StatusCode::OK);
    assert!(row(&en, paid).contains(&format!("Cancelled on {}, refunded", when(Locale::En))), "{en}");
    assert!(row(&en, paid).contains("Approved: purchase cancelled"));
    assert!(row(&en, item).contains("Waiting for the seller"), "{en}");
    assert!(row(&en, item).contains(">Request a refund</a>") && row(&en, item).contains(">Ask a question</a>"));
    assert!(!row(&en, free).contains("Request a refund"));
}

web_test!(item4_the_refund_link_preselects_refund_and_the_purchase);
async fn item4_the_refund_link_preselects_refund_and_the_purchase(app: TestApp) {
    let fx = app.seed().await;
    let mut c1 = Browser::signed_in(&app, "customer1@example.com").await;
    let my = c1.get(&app, "/my").await.assert_html(StatusCode::OK);
    let paid = &fx.customer1_purchases[0];
    let href = refund_href(paid);
    assert!(row(&my, paid).contains(&href), "{my}");
    let form = c1.get(&app, &href.replace("&#38;", "&")).await.assert_html(StatusCode::OK);
    assert!(form.contains("<option value=\"refund\" selected>"), "refund is chosen: {form}");
    assert!(form.contains(&format!("<option value=\"{}\" selected>", paid.purchase.id.0)), "and the purchase");
    // `purchase=` names the purchase too.
    let p = &paid.purchase;
    let alias = format!("/apps/{}/inquiries/new?category=refund&purchase={}", p.app_id.0, p.id.0);
    let form = c1.get(&app, &alias).await.assert_html(StatusCode::OK);
    assert!(form.contains("<option value=\"refund\" selected>"));
    assert!(form.contains(&format!("<option value=\"{}\" selected>", p.id.0)));
    // A free purchase is not offered for a refund, even by a hand-made link.
    let free = &fx.customer1_purchases[2].purchase;
    let link = format!("/apps/{}/inquiries/new?category=refund&purchase_id={}", free.app_id.0, free.id.0);
    let form = c1.get(&app, &link).await.assert_html(StatusCode::OK);
    assert!(!form.contains("<option value=\"refund\" selected>"), "{form}");
    assert!(form.contains(&format!("<option value=\"{}\" selected>", free.id.0)), "the purchase stays chosen");
    // An unknown category word chooses nothing.
    let odd = format!("/apps/{}/inquiries/new?category=nonsense&purchase_id={}", p.app_id.0, p.id.0);
    let form = c1.get(&app, &odd).await.assert_html(StatusCode::OK);
    assert!(!form.contains("\" selected>환불"), "{form}");
}
