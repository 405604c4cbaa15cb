//! The public catalog, `/healthz` and the OpenAPI document.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, ids};

web_test!(apps_pages_walk_every_app_once_newest_first);
async fn apps_pages_walk_every_app_once_newest_first(app: TestApp) {
    let fx = app.seed().await;
    let mut created = vec![fx.paid_app.id.0.clone(), fx.free_app.id.0.clone()];
    for n in 1..=5 {
        let seller = if n % 2 == 0 { &fx.seller1 } else { &fx.seller2 };
        created.push(app.app(seller, &format!("Extra app {n}"), Some(1_000 * n)).await.id.0);
    }
    let newest_first: Vec<String> = created.iter().rev().cloned().collect();

    let mut seen = Vec::new();
    let mut pages = 0;
    let mut path = "/api/v1/apps?limit=2".to_owned();
    loop {
        let response = app.get(&path, None).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let page = response.json();
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2, "a page holds at most `limit` apps");
        seen.extend(ids(items));
        pages += 1;
        assert!(pages <= 10, "pagination does not end");
        match &page["next_cursor"] {
            Value::String(cursor) => path = format!("/api/v1/apps?limit=2&cursor={cursor}"),
            Value::Null => break,
            other => panic!("next_cursor {other}"),
        }
    }
    assert_eq!(pages, 4);
    assert_eq!(seen, newest_first, "each app exactly once, newest first");
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), seen.len());

    // Without a limit, the default page holds them all, in the same order.
    let all = app.get("/api/v1/apps", None).await.json();
    assert_eq!(ids(all["items"].as_array().expect("items")), newest_first);
    assert_eq!(all["next_cursor"], Value::Null);
}

web_test!(an_app_carries_its_seller_items_and_rating);
async fn an_app_carries_its_seller_items_and_rating(app: TestApp) {
    let fx = app.seed().await;
    let response = app.get(&format!("/api/v1/apps/{}", fx.paid_app.id), None).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let detail = response.json();
    assert_eq!(detail["id"], json!(fx.paid_app.id.0));
    assert_eq!(detail["seller_id"], json!(fx.seller1.id.0));
    assert_eq!(detail["seller_name"], "Seller One");
    assert_eq!(detail["title"], "Paid Puzzle");
    assert_eq!(detail["is_paid"], true);
    assert_eq!(detail["price"]["amount_minor"], 1200);
    assert_eq!(detail["price"]["currency"], "KRW");
    assert_eq!(
        detail["items"],
        json!([{
            "id": fx.paid_item.id.0,
            "title": "Hint pack",
            "price": { "amount_minor": 500, "currency": "KRW", "display": "₩500" },
        }])
    );
    assert_eq!(detail["rating"], json!({ "average": null, "count": 0, "histogram": [0, 0, 0, 0, 0] }));

    let free = app.get(&format!("/api/v1/apps/{}", fx.free_app.id), None).await.json();
    assert_eq!(free["is_paid"], false);
    assert_eq!(free["price"], Value::Null);
    assert_eq!(ids(free["items"].as_array().expect("items")), vec![fx.free_item.id.0.clone()]);

    // The list shows the same app with its rating, without items.
    let list = app.get("/api/v1/apps", None).await.json();
    let listed =
        list["items"].as_array().expect("items").iter().find(|a| a["id"] == json!(fx.paid_app.id.0)).expect("listed");
    assert_eq!(listed["rating"], detail["rating"]);
    assert!(listed.get("items").is_none());
}

web_test!(healthz_names_the_store_engine);
async fn healthz_names_the_store_engine(app: TestApp) {
    let response = app.get("/healthz", None).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json(), json!({ "status": "ok", "store": app.engine }));
    assert!(response.header("x-request-id").is_some(), "every response carries a request id");
    assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
}

/// The paths `api/mod.rs` routes, read from its source so the list cannot drift.
fn routed_paths() -> Vec<String> {
    let source = include_str!("../../src/api/mod.rs");
    let paths: Vec<String> =
        source.split(".route(\"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_owned).collect();
    assert!(paths.len() >= 10, "found the routes of api/mod.rs: {paths:?}");
    paths
}

web_test!(the_openapi_document_lists_every_route);
async fn the_openapi_document_lists_every_route(app: TestApp) {
    let response = app.get("/api/openapi.json", None).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert!(response.header("content-type").unwrap_or_default().starts_with("application/json"));
    let document = response.json();
    let version = document["openapi"].as_str().expect("openapi version");
    assert!(version.starts_with("3."), "{version}");
    let paths = document["paths"].as_object().expect("paths");
    for path in routed_paths().iter().chain([&"/healthz".to_owned()]) {
        assert!(paths.contains_key(path.as_str()), "{path} is missing from the OpenAPI document");
    }
    // Each documented method is one the router answers.
    assert!(paths["/api/v1/purchases"].get("post").is_some());
    assert!(paths["/api/v1/auth/login"].get("post").is_some());
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
    assert!(document["components"]["schemas"]["Problem"].is_object());
}
