//! Bodies that may carry files: `multipart/form-data` from the pages' forms and from API
//! clients attaching screenshots, or plain JSON from API clients without files.
//!
//! An API client sends either a JSON body, or a multipart body whose `payload` part
//! holds the same JSON document and whose file parts (any name, with a filename) are
//! the attachments, in order. Files are only collected here; what they may be is
//! decided by [`vocdesk_domain::attachment::check_uploads`].

use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;
use vocdesk_domain::attachment::{NAME_MAX, Upload, is_bidi_control};
use vocdesk_domain::{FieldError, ValidationErrors};

use crate::error::ApiError;
use crate::extract::ApiJson;

/// The name of the multipart part that holds the JSON document.
pub const PAYLOAD_PART: &str = "payload";

/// The largest JSON document these routes read, with or without files: room for a
/// 20,000-character Korean body even when a client escapes every character (`\uXXXX`).
pub const JSON_DOCUMENT_LIMIT: usize = 256 * 1024;

/// The text fields and files of a multipart body, in the order they came.
#[derive(Debug, Default)]
pub struct FormParts {
    /// Text fields (parts without a filename).
    pub fields: Vec<(String, String)>,
    /// Files (parts with a filename); a form's empty file input is left out.
    pub files: Vec<Upload>,
    /// Files whose name could not be read (not UTF-8, broken by a CR or LF, or only in
    /// the `filename*` form), which must be refused rather than dropped: see
    /// [`FormParts::unreadable_names`].
    pub unreadable: Vec<UnreadableFile>,
}

/// A file part whose name could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreadableFile {
    /// Its place among the body's files, from 0, as `attachments[i]` counts them.
    pub index: usize,
    /// What could be made of its name, for the person who sent it to recognise it.
    pub shown: String,
}

impl FormParts {
    /// The first value of a text field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// R1: a 422's problems for the files whose names could not be read, each naming
    /// the file as far as it could be read. Such a file is refused, never silently
    /// left out of a message that is kept without it.
    pub fn unreadable_names(&self) -> Result<(), ValidationErrors> {
        let errors = self.unreadable.iter().map(|file| {
            let expected =
                format!("a file name in UTF-8 without line breaks; could not read the name of {:?}", file.shown);
            FieldError::new(&format!("attachments[{}]", file.index), UNREADABLE_NAME, &expected)
        });
        ValidationErrors(errors.collect()).finish(|| Some(()))
    }
}

/// The code of a file whose name could not be read.
pub const UNREADABLE_NAME: &str = "unreadable_name";

/// Whether a part's `Content-Disposition` gives a file name at all (`filename=` or
/// `filename*=`), whether or not it could be read.
fn names_a_file(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_DISPOSITION) else {
        return false;
    };
    let value = value.as_bytes().to_ascii_lowercase();
    value.windows(8).enumerate().any(|(i, w)| {
        w == b"filename" && (i == 0 || matches!(value[i - 1], b';' | b' ' | b'\t')) && {
            let after = value[i + 8..].iter().find(|b| !b.is_ascii_whitespace());
            matches!(after, Some(b'=') | Some(b'*'))
        }
    })
}

/// The name of a file part as far as it can be read: after `filename`, up to its
/// closing quote or the end, undecodable bytes and controls shown as U+FFFD.
fn shown_name(headers: &HeaderMap) -> String {
    let raw = headers.get(header::CONTENT_DISPOSITION).map(|v| v.as_bytes()).unwrap_or_default();
    let lower = raw.to_ascii_lowercase();
    let start = lower.windows(8).position(|w| w == b"filename").map_or(raw.len(), |i| i + 8);
    let rest = &raw[start..];
    let rest = rest.iter().position(|b| *b == b'=').map_or(rest, |i| &rest[i + 1..]);
    let rest = rest.strip_prefix(b"\"").unwrap_or(rest);
    let end = rest.iter().position(|b| *b == b'"').unwrap_or(rest.len());
    let shown: String = String::from_utf8_lossy(&rest[..end])
        .chars()
        .map(|c| if c.is_control() || is_bidi_control(c) { '\u{FFFD}' } else { c })
        .take(NAME_MAX)
        .collect();
    if shown.trim().is_empty() { "\u{FFFD}".to_owned() } else { shown }
}

/// Reads every part of a multipart body.
pub async fn read_multipart(mut multipart: Multipart) -> Result<FormParts, ApiError> {
    let mut parts = FormParts::default();
    let mut file_index = 0;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name().map(str::to_owned) {
            Some(filename) => {
                let bytes = field.bytes().await.map_err(multipart_error)?;
                if filename.is_empty() && bytes.is_empty() {
                    continue;
                }
                parts.files.push(Upload { filename, bytes: bytes.to_vec() });
                file_index += 1;
            }
            None if names_a_file(field.headers()) => {
                let shown = shown_name(field.headers());
                // Read to the end, so that the rest of the body is still parsed.
                field.bytes().await.map_err(multipart_error)?;
                parts.unreadable.push(UnreadableFile { index: file_index, shown });
                file_index += 1;
            }
            None => {
                let text = field.text().await.map_err(multipart_error)?;
                parts.fields.push((name, text));
            }
        }
    }
    Ok(parts)
}

fn multipart_error(error: MultipartError) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge
    } else {
        ApiError::BadRequest { code: "malformed_multipart", detail: error.body_text() }
    }
}

/// An API request body of type `T`, with the files sent beside it.
#[derive(Debug)]
pub struct ApiSubmission<T> {
    /// The JSON document.
    pub body: T,
    /// The attachments, unchecked.
    pub files: Vec<Upload>,
}

impl<S, T> FromRequest<S> for ApiSubmission<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type =
            request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
        if !content_type.to_ascii_lowercase().starts_with("multipart/form-data") {
            // The route's body limit leaves room for files; a JSON body gets only its own.
            let (parts, body) = request.into_parts();
            let bytes = axum::body::to_bytes(body, JSON_DOCUMENT_LIMIT).await.map_err(|_| ApiError::PayloadTooLarge)?;
            let request = Request::from_parts(parts, axum::body::Body::from(bytes));
            let ApiJson(body) = ApiJson::<T>::from_request(request, state).await?;
            return Ok(ApiSubmission { body, files: Vec::new() });
        }
        let multipart = Multipart::from_request(request, state)
            .await
            .map_err(|rejection| ApiError::BadRequest { code: "malformed_multipart", detail: rejection.body_text() })?;
        let parts = read_multipart(multipart).await?;
        parts.unreadable_names()?;
        let payload = parts.field(PAYLOAD_PART).ok_or_else(|| ApiError::BadRequest {
            code: "malformed_multipart",
            detail: format!("a multipart body needs a `{PAYLOAD_PART}` part holding the JSON document"),
        })?;
        if payload.len() > JSON_DOCUMENT_LIMIT {
            return Err(ApiError::PayloadTooLarge);
        }
        let body = parse_payload(payload)?;
        Ok(ApiSubmission { body, files: parts.files })
    }
}

/// Reads an [`ApiSubmission`] after the handler has authorized the request, as
/// [`crate::extract::read_json`] does for plain JSON bodies.
pub async fn read_submission<T: DeserializeOwned>(request: Request) -> Result<ApiSubmission<T>, ApiError> {
    ApiSubmission::<T>::from_request(request, &()).await
}

/// The `payload` part, with the same problems a JSON body would get.
fn parse_payload<T: DeserializeOwned>(payload: &str) -> Result<T, ApiError> {
    serde_json::from_str(payload).map_err(|error| match error.classify() {
        serde_json::error::Category::Data => ApiError::InvalidBody { detail: error.to_string() },
        _ => ApiError::BadRequest { code: "malformed_json", detail: error.to_string() },
    })
}
