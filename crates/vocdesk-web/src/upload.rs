//! Bodies that may carry files: `multipart/form-data` from the pages' forms and from API
//! clients attaching screenshots, or plain JSON from API clients without files.
//!
//! An API client sends either a JSON body, or a multipart body whose `payload` part
//! holds the same JSON document and whose file parts (any name, with a filename) are
//! the attachments, in order. Files are only collected here; what they may be is
//! decided by [`vocdesk_domain::attachment::check_uploads`].

use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use vocdesk_domain::attachment::Upload;

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
}

impl FormParts {
    /// The first value of a text field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Reads every part of a multipart body.
pub async fn read_multipart(mut multipart: Multipart) -> Result<FormParts, ApiError> {
    let mut parts = FormParts::default();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name().map(str::to_owned) {
            Some(filename) => {
                let bytes = field.bytes().await.map_err(multipart_error)?;
                if filename.is_empty() && bytes.is_empty() {
                    continue;
                }
                parts.files.push(Upload { filename, bytes: bytes.to_vec() });
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

/// The `payload` part, with the same problems a JSON body would get.
fn parse_payload<T: DeserializeOwned>(payload: &str) -> Result<T, ApiError> {
    serde_json::from_str(payload).map_err(|error| match error.classify() {
        serde_json::error::Category::Data => ApiError::InvalidBody { detail: error.to_string() },
        _ => ApiError::BadRequest { code: "malformed_json", detail: error.to_string() },
    })
}
