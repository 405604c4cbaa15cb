//! Item 20: the OpenAPI document is one a generated client can use. From the served
//! document alone, for every operation and each of its query parameters, a request is
//! built with a value its schema allows (an enum word, an integer within its bounds, an
//! example) and sent with a token of a role the operation serves: none is refused as
//! malformed (400/422). Path parameters are only those of the path template; every
//! operation with a JSON body declares 415 and 422, and answers 415 to a body that is
//! not JSON.

use std::collections::BTreeMap;

use axum::http::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::support::{TestApp, TestResponse, form_encode, req};

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// The schema a parameter or a `$ref` names.
fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/")) {
        Some(name) => &document["components"]["schemas"][name],
        None => schema,
    }
}

/// The schema's type, the non-null one of a `["integer", "null"]` list.
fn type_of(schema: &Value) -> Option<&str> {
    match &schema["type"] {
        Value::String(t) => Some(t),
        Value::Array(types) => types.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => schema["oneOf"].as_array().and_then(|s| s.iter().find_map(type_of)),
    }
}

fn as_query_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The one pair of query parameters the API takes only together (the audit log's
/// subject), as both their descriptions say: a client sends them together.
const TOGETHER: [(&str, &str); 1] = [("subject_type", "subject_id")];

fn partner(name: &str) -> Option<&'static str> {
    TOGETHER.iter().find_map(|&(a, b)| match name {
        n if n == a => Some(b),
        n if n == b => Some(a),
        _ => None,
    })
}

/// Values a generated client would send for this parameter, from the document alone.
fn values_for(document: &Value, parameter: &Value) -> Vec<String> {
    let name = parameter["name"].as_str().unwrap_or_default();
    let schema = resolve(document, &parameter["schema"]);
    if let Some(words) = schema["enum"].as_array() {
        return words.iter().filter(|w| !w.is_null()).map(as_query_text).collect();
    }
    let mut examples: Vec<String> = schema["examples"].as_array().into_iter().flatten().map(as_query_text).collect();
    for example in [schema.get("example"), parameter.get("example")].into_iter().flatten() {
        examples.push(as_query_text(example));
    }
    match type_of(schema) {
        Some("integer") | Some("number") => {
            let mut values: Vec<String> =
                ["minimum", "maximum", "default"].iter().filter_map(|k| schema.get(*k)).map(as_query_text).collect();
            assert!(!values.is_empty() || !examples.is_empty(), "{name}: an unbounded number without an example");
            values.extend(examples);
            values
        }
        Some("boolean") => vec!["true".to_owned(), "false".to_owned()],
        Some("string") if !examples.is_empty() => examples,
        Some("string") => {
            assert!(schema.get("pattern").is_none(), "{name}: a pattern without an example");
            match schema["format"].as_str() {
                Some("date-time") => vec!["2026-11-21T00:00:00Z".to_owned()],
                Some("date") => vec!["2026-11-21".to_owned()],
                _ => vec!["x".to_owned()],
            }
        }
        other => panic!("{name}: no value can be generated for type {other:?}: {schema}"),
    }
}

/// The path with each `{name}` replaced by the fixture's id for it.
fn fill(path: &str, ids: &BTreeMap<&str, String>) -> Option<String> {
    let mut out = path.to_owned();
    while let Some(start) = out.find('{') {
        let end = out[start..].find('}')? + start;
        let id = ids.get(&out[start + 1..end])?;
        out.replace_range(start..=end, id);
    }
    Some(out)
}

fn method_of(name: &str) -> Method {
    Method::from_bytes(name.to_ascii_uppercase().as_bytes()).expect("an HTTP method")
}

fn parameters<'a>(operation: &'a Value, place: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    operation["parameters"].as_array().into_iter().flatten().filter(move |p| p["in"] == place)
}

/// The first token (or none) the operation does not refuse as unauthenticated or
/// forbidden: a role it serves.
async fn allowed<'t>(
    app: &TestApp,
    tokens: &'t [Option<String>],
    send: &dyn Fn(Option<&str>) -> axum::http::Request<axum::body::Body>,
) -> Option<(Option<&'t str>, TestResponse)> {
    for token in tokens {
        let response = app.send(send(token.as_deref())).await;
        if response.status != StatusCode::UNAUTHORIZED && response.status != StatusCode::FORBIDDEN {
            return Some((token.as_deref(), response));
        }
    }
    None
}

web_test!(item20_a_client_generated_from_the_document_sends_every_query_parameter);
async fn item20_a_client_generated_from_the_document_sends_every_query_parameter(app: TestApp) {
    let fx = app.seed().await;
    let customer = app.login("customer1@example.com").await;
    let tokens = [
        Some(app.login("operator@example.com").await),
        Some(app.login("dev1@example.com").await),
        Some(customer.clone()),
        None,
    ];
    let thread = app
        .ask(&customer, &fx.paid_app, &json!({ "category": "question", "subject": "레벨 3", "body": "열리지 않아요" }))
        .await;
    let ids = BTreeMap::from([
        ("app_id", fx.paid_app.id.0.clone()),
        ("inquiry_id", thread["id"].as_str().expect("an inquiry id").to_owned()),
        ("purchase_id", fx.customer1_purchases[0].purchase.id.0.clone()),
    ]);
    let document = app.get("/api/openapi.json", None).await.json();
    let mut sent = 0;
    let mut parameters_seen = 0;
    let mut enums = 0;
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let what = format!("{} {path}", method.to_uppercase());
            let query: Vec<&Value> = parameters(operation, "query").collect();
            if query.is_empty() {
                continue;
            }
            assert_eq!(method, "get", "{what}: query parameters on a method other than GET");
            let bad_query = &operation["responses"]["400"]["content"]["application/problem+json"];
            assert!(bad_query.is_object(), "{what}: query parameters, but no 400 problem declared");
            let target = fill(path, &ids).unwrap_or_else(|| panic!("{what}: no fixture id for its path parameters"));
            // A generated client sends every required parameter with every request.
            let required: Vec<(String, String)> = query
                .iter()
                .filter(|p| p["required"] == json!(true))
                .map(|p| {
                    let name = p["name"].as_str().unwrap_or_default().to_owned();
                    let value = values_for(&document, p).remove(0);
                    (name.clone(), format!("{}={}", form_encode(&name), form_encode(&value)))
                })
                .collect();
            let all_required = required.iter().map(|(_, pair)| pair.as_str()).collect::<Vec<_>>().join("&");
            let base = if all_required.is_empty() { target.clone() } else { format!("{target}?{all_required}") };
            let plain = |token: Option<&str>| req(Method::GET, &base).bearer(token).empty();
            let (token, _) =
                allowed(&app, &tokens, &plain).await.unwrap_or_else(|| panic!("{what}: no role may call it"));
            for parameter in &query {
                parameters_seen += 1;
                let name = parameter["name"].as_str().expect("a parameter name");
                let others: String =
                    required.iter().filter(|(n, _)| n != name).map(|(_, pair)| format!("&{pair}")).collect();
                let schema = resolve(&document, &parameter["schema"]);
                if name == "limit" {
                    assert_eq!((&schema["minimum"], &schema["maximum"]), (&json!(1), &json!(100)), "{what}: limit");
                }
                if schema["enum"].is_array() {
                    enums += 1;
                }
                // A parameter taken only with another is sent with it, as its
                // description tells the client.
                let mut with = String::new();
                if let Some(other) = partner(name) {
                    assert!(
                        parameter["description"].as_str().unwrap_or_default().contains(other),
                        "{what}: {name} does not say it goes with {other}"
                    );
                    let other = query.iter().find(|p| p["name"] == other).expect("the partner is declared");
                    let value = values_for(&document, other).remove(0);
                    with = format!("&{}={}", other["name"].as_str().unwrap_or_default(), form_encode(&value));
                }
                for value in values_for(&document, parameter) {
                    let uri = format!("{target}?{}={}{with}{others}", form_encode(name), form_encode(&value));
                    let response = app.send(req(Method::GET, &uri).bearer(token).empty()).await;
                    assert!(
                        response.status.is_success(),
                        "{what}?{name}={value}: {} {}",
                        response.status,
                        response.text()
                    );
                    sent += 1;
                }
            }
        }
    }
    // The issue counted 30 query parameters declared `in: path`; each is sent now.
    assert!(parameters_seen >= 30, "only {parameters_seen} query parameters in the document");
    assert!(sent >= parameters_seen);
    // Words are offered as enums (status, category, sort, lang, true/false), not prose.
    assert!(enums >= 13, "only {enums} query parameters are enums");
    eprintln!("{parameters_seen} query parameters, {enums} of them enums, {sent} requests");
}

web_test!(item20_path_parameters_are_the_templates_and_json_bodies_declare_415_and_422);
async fn item20_path_parameters_are_the_templates_and_json_bodies_declare_415_and_422(app: TestApp) {
    let fx = app.seed().await;
    let customer = app.login("customer1@example.com").await;
    let tokens = [
        Some(app.login("operator@example.com").await),
        Some(app.login("dev1@example.com").await),
        Some(customer.clone()),
        None,
    ];
    let thread = app
        .ask(&customer, &fx.paid_app, &json!({ "category": "question", "subject": "레벨 3", "body": "열리지 않아요" }))
        .await;
    let ids = BTreeMap::from([
        ("app_id", fx.paid_app.id.0.clone()),
        ("inquiry_id", thread["id"].as_str().expect("an inquiry id").to_owned()),
        ("purchase_id", fx.customer1_purchases[0].purchase.id.0.clone()),
    ]);
    let document = app.get("/api/openapi.json", None).await.json();
    let mut json_bodies = 0;
    let mut answered_415 = 0;
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let what = format!("{} {path}", method.to_uppercase());
            let declared: Vec<&str> = parameters(operation, "path").filter_map(|p| p["name"].as_str()).collect();
            for name in &declared {
                assert!(path.contains(&format!("{{{name}}}")), "{what}: `{name}` is in: path but not in the path");
            }
            for segment in path.split('/').filter(|s| s.starts_with('{')) {
                let name = segment.trim_matches(|c| c == '{' || c == '}');
                assert!(declared.contains(&name), "{what}: `{name}` of the path is not declared");
            }
            if operation["requestBody"]["content"].get("application/json").is_none() {
                continue;
            }
            json_bodies += 1;
            for status in ["415", "422"] {
                let answer = &operation["responses"][status];
                assert!(answer.is_object(), "{what}: a JSON body, but no {status} answer");
                assert!(answer["content"]["application/problem+json"].is_object(), "{what}: {status} is a problem");
            }
            // Where the fixtures name every id of the path, a body that is not JSON is
            // answered 415 by a role the operation serves.
            let Some(target) = fill(path, &ids) else { continue };
            let not_json = |token: Option<&str>| {
                req(method_of(method), &target)
                    .bearer(token)
                    .header(header::CONTENT_TYPE.as_str(), "text/plain")
                    .raw("hello")
            };
            let (_, response) =
                allowed(&app, &tokens, &not_json).await.unwrap_or_else(|| panic!("{what}: no role may call it"));
            response.assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
            answered_415 += 1;
        }
    }
    assert!(json_bodies >= 20, "only {json_bodies} operations with a JSON body");
    assert!(answered_415 >= 10, "only {answered_415} operations were sent a body that is not JSON");
}
