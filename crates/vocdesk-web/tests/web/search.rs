//! Finding an inquiry by its words from both doors (issue 12, item 13): the API's `q`
//! and the inbox's search box find Korean two-syllable words inside longer ones and
//! English words, and never another seller's inquiries.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::browser::Browser;
use crate::support::{TestApp, ids};

web_test!(search_finds_a_korean_word_inside_longer_ones_from_the_api_and_the_inbox);
async fn search_finds_a_korean_word_inside_longer_ones_from_the_api_and_the_inbox(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let path = format!("/api/v1/apps/{}/inquiries", fx.paid_app.id);
    let ask =
        |subject: &'static str, body: &'static str| json!({ "category": "question", "subject": subject, "body": body });
    let refund = app.post_json(&path, Some(&c1), &ask("결제 문의", "두 번 결제됐어요. 환불해 주세요")).await;
    assert_eq!(refund.status, StatusCode::CREATED, "{}", refund.text());
    let refund = refund.json()["id"].as_str().expect("id").to_owned();
    let crash = app.post_json(&path, Some(&c1), &ask("Crash", "The game crashes after the update")).await;
    let crash = crash.json()["id"].as_str().expect("id").to_owned();

    let dev1 = app.login("dev1@example.com").await;
    let found = |q: &'static str| {
        let (app, dev1) = (&app, &dev1);
        async move {
            let response = app.get(&format!("/api/v1/inquiries?q={q}"), Some(dev1)).await;
            assert_eq!(response.status, StatusCode::OK, "{}", response.text());
            ids(response.json()["items"].as_array().expect("items"))
        }
    };
    assert_eq!(found("%ED%99%98%EB%B6%88").await, vec![refund.clone()], "환불 inside 환불해");
    assert_eq!(found("CRASHES").await, vec![crash.clone()], "English in any case");
    assert!(found("kaleidoscope").await.is_empty());
    let dev2 = app.login("dev2@example.com").await;
    let theirs = app.get("/api/v1/inquiries?q=%ED%99%98%EB%B6%88", Some(&dev2)).await;
    assert!(ids(theirs.json()["items"].as_array().expect("items")).is_empty(), "never another seller's");

    let mut dev = Browser::signed_in(&app, "dev1@example.com").await;
    let page = dev.get(&app, "/developer/inquiries?q=%ED%99%98%EB%B6%88").await.assert_html(StatusCode::OK);
    assert!(page.contains("value=\"환불\""), "the search is shown back in its box");
    assert!(page.contains(&refund) && !page.contains(&crash), "only the matching inquiry is listed");
}
