//! Catalog provisioning over the API: an operator creates sellers, accounts, apps and
//! in-app items; nobody else can; bad input is a clear 4xx that writes nothing; every
//! creation is in the audit log (R14) without a password.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Fixture, TestApp, ids, req};

/// The password the tests give new accounts (long enough, and not the fixtures').
const NEW_PASSWORD: &str = "provisioned-password-1";

/// A valid `POST /api/v1/users` body.
fn user_body(email: &str, role: &str, seller_id: Option<&str>) -> Value {
    json!({
        "email": email,
        "display_name": "New Person",
        "role": role,
        "seller_id": seller_id,
        "password": NEW_PASSWORD,
    })
}

/// `(field, code)` of every invalid field of a `validation_failed` problem.
fn invalid_fields(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (e["field"].as_str().unwrap_or_default().to_owned(), e["code"].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

/// Signs in with `password` through the API; the token on success, the status otherwise.
async fn sign_in(app: &TestApp, email: &str, password: &str) -> Result<String, StatusCode> {
    let response = app.post_json("/api/v1/auth/login", None, &json!({ "email": email, "password": password })).await;
    if response.status != StatusCode::OK {
        return Err(response.status);
    }
    Ok(response.json()["token"].as_str().expect("a token").to_owned())
}

/// One request to each provisioning endpoint, each with a valid body.
fn valid_requests(fx: &Fixture) -> Vec<(String, Value)> {
    vec![
        ("/api/v1/sellers".to_owned(), json!({ "name": "Refused Seller", "support_email": "help@refused.example" })),
        ("/api/v1/users".to_owned(), user_body("refused@example.com", "customer", None)),
        (
            "/api/v1/apps".to_owned(),
            json!({ "seller_id": fx.seller1.id.0, "title": "Refused App", "price_minor": 900, "currency": "KRW" }),
        ),
        (
            format!("/api/v1/apps/{}/items", fx.paid_app.id),
            json!({ "title": "Refused Item", "price_minor": 300, "currency": "KRW" }),
        ),
    ]
}

web_test!(an_operator_provisions_sellers_accounts_apps_and_items);
async fn an_operator_provisions_sellers_accounts_apps_and_items(app: TestApp) {
    let fx = app.seed().await;
    let op = app.login("operator@example.com").await;

    // A seller.
    let seller = app
        .post_json(
            "/api/v1/sellers",
            Some(&op),
            &json!({ "name": " Sunrise Games ", "support_email": "Help@Sunrise.EXAMPLE" }),
        )
        .await;
    assert_eq!(seller.status, StatusCode::CREATED, "{}", seller.text());
    let seller = seller.json();
    let seller_id = seller["id"].as_str().expect("an id").to_owned();
    assert_eq!(
        seller,
        json!({ "id": seller_id, "name": "Sunrise Games", "support_email": "help@sunrise.example" }),
        "trimmed and normalised"
    );

    // A developer of that seller: the answer is the user, never the password or its hash.
    let developer =
        app.post_json("/api/v1/users", Some(&op), &user_body("Dev3@Example.com", "developer", Some(&seller_id))).await;
    assert_eq!(developer.status, StatusCode::CREATED, "{}", developer.text());
    let developer = developer.json();
    let mut keys: Vec<&str> = developer.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["customer_no", "display_name", "email", "id", "locale", "mail_locale", "role", "seller_id"]);
    assert_eq!(developer["email"], "dev3@example.com");
    assert_eq!(developer["role"], "developer");
    assert_eq!(developer["seller_id"], json!(seller_id));
    assert_eq!(developer["customer_no"], Value::Null);
    assert_eq!(developer["locale"], "ko", "Korean unless told otherwise");
    assert_eq!(developer["mail_locale"], "ko", "their mail too, until they change it");

    // A customer with a customer number and English mail.
    let mut customer_body = user_body("customer3@example.com", "customer", None);
    customer_body["customer_no"] = json!(" C-0003 ");
    customer_body["locale"] = json!("en");
    let customer = app.post_json("/api/v1/users", Some(&op), &customer_body).await;
    assert_eq!(customer.status, StatusCode::CREATED, "{}", customer.text());
    let customer = customer.json();
    assert_eq!(customer["role"], "customer");
    assert_eq!(customer["customer_no"], "C-0003");
    assert_eq!(customer["seller_id"], Value::Null);
    assert_eq!(customer["locale"], "en");

    // A paid app, answered as its detail with a Location, and a free one.
    let paid = app
        .post_json(
            "/api/v1/apps",
            Some(&op),
            &json!({
                "seller_id": seller_id,
                "title": "Sunrise Solitaire",
                "summary": "Cards at dawn.",
                "price_minor": 2500,
                "currency": "KRW",
            }),
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{}", paid.text());
    let app_id = paid.json()["id"].as_str().expect("an id").to_owned();
    assert_eq!(paid.header("location"), Some(format!("/api/v1/apps/{app_id}").as_str()));
    let paid = paid.json();
    assert_eq!(paid["seller_id"], json!(seller_id));
    assert_eq!(paid["seller_name"], "Sunrise Games");
    assert_eq!(paid["is_paid"], true);
    assert_eq!(paid["price"], json!({ "amount_minor": 2500, "currency": "KRW", "display": "₩2,500" }));
    assert_eq!(paid["items"], json!([]));
    assert_eq!(paid["rating"]["count"], 0);

    let free =
        app.post_json("/api/v1/apps", Some(&op), &json!({ "seller_id": seller_id, "title": "Sunrise Clock" })).await;
    assert_eq!(free.status, StatusCode::CREATED, "{}", free.text());
    let free = free.json();
    assert_eq!(free["is_paid"], false);
    assert_eq!(free["price"], Value::Null);
    assert_eq!(free["summary"], "");

    // An item of the paid app, shown with it afterwards.
    let item = app
        .post_json(
            &format!("/api/v1/apps/{app_id}/items"),
            Some(&op),
            &json!({ "title": "Joker deck", "price_minor": 1100, "currency": "KRW" }),
        )
        .await;
    assert_eq!(item.status, StatusCode::CREATED, "{}", item.text());
    let item = item.json();
    assert_eq!(item["title"], "Joker deck");
    assert_eq!(item["price"], json!({ "amount_minor": 1100, "currency": "KRW", "display": "₩1,100" }));
    let detail = app.get(&format!("/api/v1/apps/{app_id}"), None).await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.text());
    assert_eq!(ids(detail.json()["items"].as_array().expect("items")), vec![item["id"].as_str().expect("id")]);

    // The new developer signs in with the password given, acts for the new seller, and
    // sees the new apps in the catalog.
    let dev_token = sign_in(&app, "dev3@example.com", NEW_PASSWORD).await.expect("the developer signs in");
    let me = app.get("/api/v1/me", Some(&dev_token)).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text());
    assert_eq!(me.json()["id"], developer["id"]);
    assert_eq!(me.json()["seller_id"], json!(seller_id));
    let listed = app.get("/api/v1/apps", Some(&dev_token)).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text());
    let listed = ids(listed.json()["items"].as_array().expect("items"));
    assert!(listed.contains(&app_id) && listed.contains(&free["id"].as_str().expect("id").to_owned()), "{listed:?}");
    assert!(listed.contains(&fx.paid_app.id.0), "the seeded apps are still there: {listed:?}");
    sign_in(&app, "customer3@example.com", NEW_PASSWORD).await.expect("the customer signs in");
    assert_eq!(sign_in(&app, "dev3@example.com", "wrong-password-1").await, Err(StatusCode::UNAUTHORIZED));

    // R14: each creation is recorded as the operator's, through the API, about the new
    // row, and no entry carries the password or its hash.
    let log = app.audit_log().await;
    let created: Vec<(&str, &str)> = [
        ("seller.created", seller_id.as_str()),
        ("user.created", developer["id"].as_str().expect("id")),
        ("user.created", customer["id"].as_str().expect("id")),
        ("app.created", app_id.as_str()),
        ("app.created", free["id"].as_str().expect("id")),
        ("item.created", item["id"].as_str().expect("id")),
    ]
    .into();
    for (action, subject_id) in created {
        let entry = log
            .iter()
            .find(|r| r.entry.action == action && r.entry.subject_id == subject_id)
            .unwrap_or_else(|| panic!("no {action} entry for {subject_id}"));
        assert_eq!(entry.entry.actor.user_id.as_ref(), Some(&fx.operator.id), "{action}");
        assert_eq!(entry.entry.channel.as_str(), "api", "{action}");
        assert_eq!(entry.entry.subject_type, action.split('.').next().unwrap_or_default(), "{action}");
        let detail: Value = serde_json::from_str(&entry.entry.detail).expect("detail is JSON");
        assert!(detail.is_object(), "{action}: {detail}");
    }
    let developer_entry = log
        .iter()
        .find(|r| r.entry.subject_id == developer["id"].as_str().unwrap_or_default())
        .expect("the developer's entry");
    let detail: Value = serde_json::from_str(&developer_entry.entry.detail).expect("JSON");
    assert_eq!(detail, json!({ "email": "dev3@example.com", "role": "developer", "seller_id": seller_id }));
    for record in &log {
        assert!(!record.entry.detail.contains(NEW_PASSWORD), "a password in the audit log: {record:?}");
        assert!(!record.entry.detail.contains("argon2"), "a password hash in the audit log: {record:?}");
    }
    // The operator reads the same entries through the API.
    let audited = app.get(&format!("/api/v1/audit?subject_type=app&subject_id={app_id}"), Some(&op)).await;
    assert_eq!(audited.status, StatusCode::OK, "{}", audited.text());
    let audited = audited.json();
    assert_eq!(audited["items"][0]["action"], "app.created");
    assert_eq!(audited["items"][0]["detail"]["price_minor"], 2500);
}

web_test!(only_a_signed_in_operator_provisions_and_a_refusal_writes_nothing);
async fn only_a_signed_in_operator_provisions_and_a_refusal_writes_nothing(app: TestApp) {
    let fx = app.seed().await;
    let op = app.login("operator@example.com").await;
    let pay = app.payment_system_token(&op, "PG nightly export").await;
    let c1 = app.login("customer1@example.com").await;
    let dev1 = app.login("dev1@example.com").await;
    let apps_before = app.get("/api/v1/apps", None).await.json();
    let before = app.counts(&fx).await;

    // dev1 is seller 1's developer: not even its own seller's apps and items.
    for (path, body) in valid_requests(&fx) {
        app.post_json(&path, None, &body).await.assert_unauthenticated();
        app.post_json(&path, Some("vdk_not-a-token"), &body).await.assert_unauthenticated();
        for (who, token) in [("customer", &c1), ("developer", &dev1), ("payment system", &pay)] {
            let response = app.post_json(&path, Some(token), &body).await;
            assert_eq!(response.status, StatusCode::FORBIDDEN, "{who} on {path}: {}", response.text());
            response.assert_problem(StatusCode::FORBIDDEN, "forbidden");
        }
    }
    assert_eq!(app.counts(&fx).await, before, "no audit entry: nothing was written");
    assert_eq!(app.get("/api/v1/apps", None).await.json(), apps_before, "no app was listed");
    let detail = app.get(&format!("/api/v1/apps/{}", fx.paid_app.id), None).await.json();
    assert_eq!(ids(detail["items"].as_array().expect("items")), vec![fx.paid_item.id.0.clone()], "no item");
    assert_eq!(sign_in(&app, "refused@example.com", NEW_PASSWORD).await, Err(StatusCode::UNAUTHORIZED), "no account");

    // The operator may, with the very same requests.
    for (path, body) in valid_requests(&fx) {
        let response = app.post_json(&path, Some(&op), &body).await;
        assert_eq!(response.status, StatusCode::CREATED, "{path}: {}", response.text());
    }
    assert_eq!(app.counts(&fx).await.audit_entries, before.audit_entries + 4, "R14: one entry per creation");
}

web_test!(bad_provisioning_input_is_a_clear_4xx_and_writes_nothing);
async fn bad_provisioning_input_is_a_clear_4xx_and_writes_nothing(app: TestApp) {
    let fx = app.seed().await;
    let op = app.login("operator@example.com").await;
    let apps_before = app.get("/api/v1/apps", None).await.json();
    let before = app.counts(&fx).await;
    let seller1 = fx.seller1.id.0.as_str();
    let items_path = format!("/api/v1/apps/{}/items", fx.paid_app.id);

    // The body's shape: missing and unknown fields, wrong types, broken JSON.
    let shape_cases = [
        ("/api/v1/sellers", json!({ "name": "No Address" }), "support_email"),
        ("/api/v1/sellers", json!({ "name": "S", "support_email": "s@example.com", "phone": "1588" }), "phone"),
        ("/api/v1/users", json!({ "email": "x@example.com", "display_name": "X", "role": "customer" }), "password"),
        (
            "/api/v1/users",
            json!({
                "email": "x@example.com",
                "display_name": "X",
                "role": "customer",
                "password": NEW_PASSWORD,
                "password_hash": "$argon2id$...",
            }),
            "password_hash",
        ),
        ("/api/v1/apps", json!({ "seller_id": seller1, "title": "A", "price": 1200 }), "price"),
        (
            "/api/v1/apps",
            json!({ "seller_id": seller1, "title": "A", "price_minor": "1200", "currency": "KRW" }),
            "price_minor",
        ),
        (items_path.as_str(), json!({ "title": "I", "price_minor": 300 }), "currency"),
    ];
    for (path, body, named) in shape_cases {
        let problem = app
            .post_json(path, Some(&op), &body)
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
        assert!(problem["detail"].as_str().unwrap_or_default().contains(named), "{path} {body}: {problem}");
    }
    for path in ["/api/v1/sellers", "/api/v1/users", "/api/v1/apps", items_path.as_str()] {
        let broken = app
            .send(req(Method::POST, path).bearer(Some(&op)).header("content-type", "application/json").raw("not json"))
            .await;
        broken.assert_problem(StatusCode::BAD_REQUEST, "malformed_json");
    }

    // Well-formed bodies that break a rule: 422 naming the field.
    let mut customer_with_seller = user_body("c9@example.com", "customer", Some(seller1));
    customer_with_seller["customer_no"] = json!("C-0009");
    let mut developer_with_number = user_body("d9@example.com", "developer", Some(seller1));
    developer_with_number["customer_no"] = json!("C-0010");
    let mut short_password = user_body("short@example.com", "customer", None);
    short_password["password"] = json!("short");
    let mut unknown_locale = user_body("fr@example.com", "customer", None);
    unknown_locale["locale"] = json!("fr");
    let mut blank_number = user_body("blank@example.com", "customer", None);
    blank_number["customer_no"] = json!("   ");
    let rule_cases = [
        (
            "/api/v1/sellers",
            json!({ "name": "Bad Address", "support_email": "not-an-address" }),
            "support_email",
            "email",
        ),
        ("/api/v1/sellers", json!({ "name": "  ", "support_email": "s@example.com" }), "name", "required"),
        ("/api/v1/users", short_password, "password", "too_short"),
        ("/api/v1/users", user_body("not-an-email", "customer", None), "email", "email"),
        ("/api/v1/users", user_body("d8@example.com", "developer", None), "seller_id", "seller_membership"),
        ("/api/v1/users", customer_with_seller, "seller_id", "seller_membership"),
        ("/api/v1/users", developer_with_number, "customer_no", "customers_only"),
        (
            "/api/v1/users",
            user_body("d7@example.com", "developer", Some("no-such-seller")),
            "seller_id",
            "unknown_seller",
        ),
        ("/api/v1/users", user_body("boss@example.com", "admin", None), "role", "unknown_role"),
        ("/api/v1/users", unknown_locale, "locale", "unknown_locale"),
        ("/api/v1/users", blank_number, "customer_no", "required"),
        (
            "/api/v1/apps",
            json!({ "seller_id": seller1, "title": "Half Priced", "price_minor": 1200 }),
            "currency",
            "price_together",
        ),
        (
            "/api/v1/apps",
            json!({ "seller_id": seller1, "title": "Half Priced", "currency": "KRW" }),
            "price_minor",
            "price_together",
        ),
        (
            "/api/v1/apps",
            json!({ "seller_id": seller1, "title": "Nothing", "price_minor": 0, "currency": "KRW" }),
            "price",
            "not_positive",
        ),
        ("/api/v1/apps", json!({ "seller_id": "no-such-seller", "title": "Orphan" }), "seller_id", "unknown_seller"),
        ("/api/v1/apps", json!({ "seller_id": seller1, "title": " " }), "title", "required"),
        (
            items_path.as_str(),
            json!({ "title": "Free Lunch", "price_minor": 0, "currency": "KRW" }),
            "price",
            "not_positive",
        ),
        (items_path.as_str(), json!({ "title": "", "price_minor": 300, "currency": "KRW" }), "title", "required"),
    ];
    for (path, body, field, code) in rule_cases {
        let problem = app
            .post_json(path, Some(&op), &body)
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        let fields = invalid_fields(&problem);
        assert!(fields.contains(&(field.to_owned(), code.to_owned())), "{path} {body}: {fields:?}");
    }

    // Taken email (in any case) or customer number: 409 naming the field.
    for email in ["customer1@example.com", " Customer1@EXAMPLE.com"] {
        let problem = app
            .post_json("/api/v1/users", Some(&op), &user_body(email, "customer", None))
            .await
            .assert_problem(StatusCode::CONFLICT, "conflict");
        assert!(problem["detail"].as_str().unwrap_or_default().contains("email"), "{problem}");
    }
    let mut taken_number = user_body("c10@example.com", "customer", None);
    taken_number["customer_no"] = json!("C-0001");
    let problem =
        app.post_json("/api/v1/users", Some(&op), &taken_number).await.assert_problem(StatusCode::CONFLICT, "conflict");
    assert!(problem["detail"].as_str().unwrap_or_default().contains("customer_no"), "{problem}");

    // An item of an app that does not exist.
    app.post_json(
        "/api/v1/apps/no-such-app/items",
        Some(&op),
        &json!({ "title": "I", "price_minor": 300, "currency": "KRW" }),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND, "not_found");

    assert_eq!(app.counts(&fx).await, before, "no audit entry: nothing was written");
    assert_eq!(app.get("/api/v1/apps", None).await.json(), apps_before, "no app was listed");
    let detail = app.get(&format!("/api/v1/apps/{}", fx.paid_app.id), None).await.json();
    assert_eq!(ids(detail["items"].as_array().expect("items")), vec![fx.paid_item.id.0.clone()], "no item");
    for email in ["short@example.com", "d8@example.com", "c9@example.com", "d7@example.com", "c10@example.com"] {
        assert_eq!(sign_in(&app, email, NEW_PASSWORD).await, Err(StatusCode::UNAUTHORIZED), "{email} was not created");
    }
    // The fixture's customer kept the password it had.
    sign_in(&app, "customer1@example.com", crate::support::PASSWORD).await.expect("customer 1 still signs in");
}

web_test!(every_problem_of_a_new_account_is_reported_at_once);
async fn every_problem_of_a_new_account_is_reported_at_once(app: TestApp) {
    let fx = app.seed().await;
    let op = app.login("operator@example.com").await;
    let before = app.counts(&fx).await;
    let body = json!({
        "email": "nobody",
        "display_name": " ",
        "role": "superuser",
        "locale": "de",
        "password": "123",
    });
    let problem = app
        .post_json("/api/v1/users", Some(&op), &body)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let mut fields: Vec<String> = invalid_fields(&problem).into_iter().map(|(field, _)| field).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["display_name", "email", "locale", "password", "role"]);

    let app_problem = app
        .post_json("/api/v1/apps", Some(&op), &json!({ "seller_id": "ghost", "title": "", "price_minor": 5 }))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let mut fields: Vec<String> = invalid_fields(&app_problem).into_iter().map(|(field, _)| field).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["currency", "seller_id", "title"]);
    assert_eq!(app.counts(&fx).await, before);
}

web_test!(the_openapi_document_describes_provisioning);
async fn the_openapi_document_describes_provisioning(app: TestApp) {
    let document = app.get("/api/openapi.json", None).await.json();
    let paths = &document["paths"];
    assert!(paths["/api/v1/apps"]["get"].is_object(), "the public list is still documented");
    for (path, schema) in [
        ("/api/v1/sellers", "CreateSellerRequest"),
        ("/api/v1/users", "CreateUserRequest"),
        ("/api/v1/apps", "CreateAppRequest"),
        ("/api/v1/apps/{app_id}/items", "CreateItemRequest"),
    ] {
        let post = &paths[path]["post"];
        assert!(post.is_object(), "POST {path} is documented");
        for status in ["201", "401", "403", "422"] {
            assert!(post["responses"][status].is_object(), "POST {path} documents {status}");
        }
        assert!(post["security"].is_array(), "POST {path} needs a bearer token");
        let reference =
            post["requestBody"]["content"]["application/json"]["schema"]["$ref"].as_str().unwrap_or_default();
        assert!(reference.ends_with(schema), "POST {path} takes {schema}: {reference}");
    }
    assert!(paths["/api/v1/users"]["post"]["responses"]["409"].is_object());
    assert!(paths["/api/v1/apps/{app_id}/items"]["post"]["responses"]["404"].is_object());
    assert!(document["components"]["schemas"]["SellerDto"].is_object());
}
