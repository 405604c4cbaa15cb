//! R1: the names attached files are kept under, on both doors (the API's multipart body
//! and the pages' form): bidi and control characters are removed, and a file whose
//! name cannot be read is refused with a 422 naming it, never dropped from a message
//! that is kept without it.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::browser::{Browser, hidden_input};
use crate::support::{BOUNDARY, Fixture, TestApp, TestResponse, req};

const LOG: &[u8] = b"2026-11-21 09:00:01 ERROR crash in level 3\n";

/// One part of a hand-made multipart body: its `Content-Disposition` parameters after
/// `form-data; ` (any bytes), and its content.
type RawPart<'a> = (&'a [u8], &'a [u8]);

fn raw_multipart(parts: &[RawPart<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for (disposition, content) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; ").as_bytes());
        body.extend_from_slice(disposition);
        body.extend_from_slice(b"\r\nContent-Type: text/plain\r\n\r\n");
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn send_multipart(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    browser: Option<&Browser>,
    parts: &[RawPart<'_>],
) -> TestResponse {
    let mut request = req(Method::POST, path)
        .bearer(token)
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"));
    if let Some(browser) = browser {
        request = request.cookies(&browser.pairs());
    }
    app.send(request.raw(raw_multipart(parts))).await
}

fn question() -> String {
    json!({ "category": "error_report", "subject": "Crash", "body": "It crashes.", "consent_personal_info": false })
        .to_string()
}

/// File names no one can read as sent: not UTF-8; cut by a CR LF inside the quotes
/// (the rest reading as a header line of its own); given only in the RFC 5987
/// `filename*` form. The second item is what the refusal must name, as far as it
/// could be read.
const UNREADABLE: [(&[u8], &str); 3] = [
    (b"name=\"file\"; filename=\"caf\xe9-\xff.txt\"", "caf\u{FFFD}-\u{FFFD}.txt"),
    (b"name=\"file\"; filename=\"crash\r\nX-Note: .txt\"", "crash"),
    (b"name=\"file\"; filename*=UTF-8''%ED%99%94%EB%A9%B4.txt", "UTF-8''%ED%99%94%EB%A9%B4.txt"),
];

/// Names that break the part's headers themselves (a bare CR or LF, a CR LF not
/// followed by a header line, a C0 control): the body is malformed, refused whole (400).
const MALFORMED: [&[u8]; 4] = [
    b"name=\"file\"; filename=\"a\rb.txt\"",
    b"name=\"file\"; filename=\"a\nb.txt\"",
    b"name=\"file\"; filename=\"a\r\n.txt\"",
    b"name=\"file\"; filename=\"a\x01b.txt\"",
];

/// The thread's first message's attachment names, as the API lists them.
async fn names(app: &TestApp, token: &str, id: &str) -> Vec<Value> {
    let thread = app.get(&format!("/api/v1/inquiries/{id}"), Some(token)).await.json();
    let files = thread["messages"].as_array().expect("messages").iter().flat_map(|m| {
        m["attachments"].as_array().cloned().unwrap_or_default().into_iter().map(|a| a["filename"].clone())
    });
    files.collect()
}

web_test!(r1_bidi_and_control_characters_are_removed_from_file_names_on_both_doors);
async fn r1_bidi_and_control_characters_are_removed_from_file_names_on_both_doors(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    // U+202E would show "invoice<RLO>txt.exe" as "invoiceexe.txt"; U+200F, U+2066,
    // U+0085 (C1) and U+0009 are as invisible.
    let sent = "invoice\u{202E}txt.exe\u{200F}\u{2066}\u{85}\t.log";
    let api_name = format!("name=\"file\"; filename=\"{sent}\"");
    let payload = question();
    let parts: [RawPart<'_>; 2] = [(b"name=\"payload\"", payload.as_bytes()), (api_name.as_bytes(), LOG)];
    let asked =
        send_multipart(&app, &format!("/api/v1/apps/{}/inquiries", fx.paid_app.id), Some(&c1), None, &parts).await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.text());
    let id = asked.json()["id"].as_str().expect("id").to_owned();
    let reply = json!({ "body": "One more." }).to_string();
    let parts: [RawPart<'_>; 2] = [(b"name=\"payload\"", reply.as_bytes()), (api_name.as_bytes(), LOG)];
    let replied = send_multipart(&app, &format!("/api/v1/inquiries/{id}/messages"), Some(&c1), None, &parts).await;
    assert_eq!(replied.status, StatusCode::CREATED, "{}", replied.text());
    assert_eq!(names(&app, &c1, &id).await, [json!("invoicetxt.exe.log"), json!("invoicetxt.exe.log")]);

    // The page form: the thread shows the cleaned name, and so does the download.
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let csrf = customer.csrf_on(&app, &format!("/inquiries/{id}")).await;
    let page_name = format!("name=\"attachments\"; filename=\"{sent}\"");
    let parts: [RawPart<'_>; 3] = [
        (b"name=\"csrf\"", csrf.as_bytes()),
        (b"name=\"body\"", "웹에서 첨부합니다".as_bytes()),
        (page_name.as_bytes(), LOG),
    ];
    let posted = send_multipart(&app, &format!("/inquiries/{id}/messages"), None, Some(&customer), &parts).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text());
    let kept = names(&app, &c1, &id).await;
    assert_eq!(kept.len(), 3);
    assert!(kept.iter().all(|n| n == "invoicetxt.exe.log"), "{kept:?}");
    let html = customer.get(&app, &format!("/inquiries/{id}")).await.assert_html(StatusCode::OK);
    assert!(html.contains("invoicetxt.exe.log") && !html.contains('\u{202E}'), "no bidi override is shown");
}

/// The names the 422 problem's errors give, `(field, code, expected)`.
fn problems(response: &TestResponse) -> Vec<(String, String, String)> {
    let problem = response.assert_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let text = |e: &Value, k: &str| e[k].as_str().unwrap_or_default().to_owned();
    let errors = problem["errors"].as_array().expect("errors").iter();
    errors.map(|e| (text(e, "field"), text(e, "code"), text(e, "expected"))).collect()
}

async fn api_refuses_unreadable_names(app: &TestApp, fx: &Fixture, c1: &str, id: &str) {
    let payload = question();
    let reply = json!({ "body": "One more." }).to_string();
    for (disposition, shown) in UNREADABLE {
        for (path, payload) in [
            (format!("/api/v1/apps/{}/inquiries", fx.paid_app.id), payload.as_str()),
            (format!("/api/v1/inquiries/{id}/messages"), reply.as_str()),
        ] {
            // A readable file first: the unreadable one is the second file.
            let parts: [RawPart<'_>; 3] = [
                (b"name=\"payload\"", payload.as_bytes()),
                (b"name=\"file\"; filename=\"ok.log\"", LOG),
                (disposition, LOG),
            ];
            let response = send_multipart(app, &path, Some(c1), None, &parts).await;
            let errors = problems(&response);
            assert_eq!(errors.len(), 1, "{path}: {errors:?}");
            let (field, code, expected) = &errors[0];
            assert_eq!((field.as_str(), code.as_str()), ("attachments[1]", "unreadable_name"), "{path}");
            assert!(expected.contains(shown), "{path}: the refusal names {shown:?}: {expected}");
        }
    }
    for disposition in MALFORMED {
        let parts: [RawPart<'_>; 2] = [(b"name=\"payload\"", payload.as_bytes()), (disposition, LOG)];
        let path = format!("/api/v1/apps/{}/inquiries", fx.paid_app.id);
        let response = send_multipart(app, &path, Some(c1), None, &parts).await;
        response.assert_problem(StatusCode::BAD_REQUEST, "malformed_multipart");
    }
}

web_test!(r1_a_file_whose_name_cannot_be_read_is_refused_with_422_on_both_doors_never_dropped);
async fn r1_a_file_whose_name_cannot_be_read_is_refused_with_422_on_both_doors_never_dropped(app: TestApp) {
    let fx = app.seed().await;
    let c1 = app.login("customer1@example.com").await;
    let id = app.ask(&c1, &fx.paid_app, &serde_json::from_str(&question()).expect("json")).await;
    let id = id["id"].as_str().expect("id").to_owned();
    let mut customer = Browser::signed_in(&app, "customer1@example.com").await;
    let before = app.counts(&fx).await;

    api_refuses_unreadable_names(&app, &fx, &c1, &id).await;

    // The page forms: the form comes back (422) naming the file, with what was typed.
    let new = format!("/apps/{}/inquiries/new", fx.paid_app.id);
    let csrf = customer.csrf_on(&app, &new).await;
    for (disposition, shown) in UNREADABLE {
        let ask: [RawPart<'_>; 6] = [
            (b"name=\"csrf\"", csrf.as_bytes()),
            (b"name=\"category\"", b"error_report"),
            (b"name=\"subject\"", "앱이 멈춰요".as_bytes()),
            (b"name=\"body\"", "로그를 첨부합니다".as_bytes()),
            (b"name=\"attachments\"; filename=\"ok.log\"", LOG),
            (disposition, LOG),
        ];
        let asked =
            send_multipart(&app, &format!("/apps/{}/inquiries", fx.paid_app.id), None, Some(&customer), &ask).await;
        let html = asked.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("id=\"attachments-error\"") && html.contains("파일 2:"), "{html}");
        let escaped = shown.replace('\'', "&#39;");
        assert!(html.contains(&escaped) || html.contains(shown), "the form names {shown:?}");
        assert!(html.contains("앱이 멈춰요"), "what was typed is kept");

        let thread_csrf = hidden_input(&customer.get(&app, &format!("/inquiries/{id}")).await.text(), "csrf")
            .expect("the thread's token");
        let reply: [RawPart<'_>; 3] = [
            (b"name=\"csrf\"", thread_csrf.as_bytes()),
            (b"name=\"body\"", "로그를 다시 첨부합니다".as_bytes()),
            (disposition, LOG),
        ];
        let replied = send_multipart(&app, &format!("/inquiries/{id}/messages"), None, Some(&customer), &reply).await;
        let html = replied.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("파일 1:") && html.contains("로그를 다시 첨부합니다"), "{html}");
    }
    for disposition in MALFORMED {
        let reply: [RawPart<'_>; 3] =
            [(b"name=\"csrf\"", csrf.as_bytes()), (b"name=\"body\"", "깨진 파일".as_bytes()), (disposition, LOG)];
        let replied = send_multipart(&app, &format!("/inquiries/{id}/messages"), None, Some(&customer), &reply).await;
        replied.assert_html(StatusCode::BAD_REQUEST);
    }
    assert_eq!(app.counts(&fx).await, before, "no inquiry, message or file was kept without its file");
}
