//! R1-R5 over the JSON API: asking a seller, the thread, replies, closing, the inbox
//! with its filters and counts, and attachment downloads. Every handler authenticates
//! with [`ApiActor`] and hands the work to the use cases in
//! [`vocdesk_app::inquiries`], which the pages share and which ask the policy; here
//! the answers become DTOs. A role that may never use a route is refused before its
//! body or query is read, so a refusal looks the same whatever was sent.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use vocdesk_domain::FieldError;
use vocdesk_domain::attachment::{MAX_BYTES, MAX_FILES, clean_filename};
use vocdesk_domain::audit::Channel;
use vocdesk_domain::ids::{AppId, AttachmentId, InquiryId, SellerId};
use vocdesk_domain::inquiry::{Category, InquiryFilter, InquiryInput, InquiryScope, InquiryStatus};
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy;

use super::catalog::bad_page;
use super::dto::{
    CreateInquiryRequest, InquiryCountsDto, InquiryCountsParams, InquiryDto, InquiryListParams, ListDto, MessageDto,
    MultipartSubmission, ReplyDto, ReplyRequest, ThreadDto,
};
use crate::auth::ApiActor;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::read_query;
use crate::headers::location;
use crate::state::AppState;
use crate::upload::{ApiSubmission, read_submission};
use vocdesk_app::{Caller, inquiries};

/// The largest body the routes that take files read: five files of 10 MB and the
/// multipart framing and JSON document around them (the same as
/// `WebConfig::upload_body_limit`'s default; the route table has no state to read it).
pub const UPLOAD_BODY_LIMIT: usize = MAX_FILES * MAX_BYTES + 1024 * 1024;

fn caller(who: &ApiActor) -> Caller<'_> {
    Caller { user: &who.user, actor: &who.actor, channel: Channel::Api }
}

fn thread_dto(state: &AppState, thread: &vocdesk_domain::inquiry::Thread) -> ThreadDto {
    ThreadDto::new(thread, state.now(), state.response_limit())
}

fn inquiry_dto(state: &AppState, inquiry: &vocdesk_domain::inquiry::Inquiry) -> InquiryDto {
    InquiryDto::new(inquiry, state.now(), state.response_limit())
}

/// R1: a customer asks the seller of `app_id` (channel `api`). The body is the JSON
/// document, or `multipart/form-data` with a `payload` part holding it and up to five
/// files. Every field and file is checked at once (422 lists each problem); nothing is
/// stored unless all pass. The seller's developers are notified by mail (R3).
#[utoipa::path(post, path = "/api/v1/apps/{app_id}/inquiries", tag = "inquiries", security(("bearer" = [])),
    params(("app_id" = String, Path, description = "App id")),
    request_body(content(
        (CreateInquiryRequest = "application/json"),
        (MultipartSubmission = "multipart/form-data"),
    )),
    responses(
        (status = 201, description = "Asked; the thread, with `Location` naming it", body = ThreadDto,
            headers(("location" = String, description = "/api/v1/inquiries/{id}"))),
        (status = 400, description = "Malformed JSON or multipart body (e.g. no `payload` part)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a customer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such app", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither JSON nor multipart", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or files, unknown fields, or a purchase that is not the customer's own purchase of this app", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn open(
    State(state): State<AppState>,
    who: ApiActor,
    Path(app_id): Path<String>,
    request: Request,
) -> ApiResult<Response> {
    policy::ask_seller(&who.actor)?;
    let submission: ApiSubmission<CreateInquiryRequest> = read_submission(request).await?;
    let body = &submission.body;
    let input = InquiryInput {
        category: &body.category,
        subject: &body.subject,
        body: &body.body,
        purchase_id: body.purchase_id.as_deref(),
        consent_personal_info: body.consent_personal_info,
    };
    let thread = inquiries::open(state.app(), caller(&who), &AppId(app_id), &input, submission.files).await?;
    let location = location(&format!("/api/v1/inquiries/{}", thread.inquiry.id));
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(thread_dto(&state, &thread))).into_response())
}

/// R1: the inquiries the caller may see, in inbox order: those awaiting a developer
/// first, longest-waiting on top, then the others by most recent activity (a customer's
/// own list: most recent activity first). Customers see their own, developers their
/// seller's, operators all (or one seller's with `seller_id`).
#[utoipa::path(get, path = "/api/v1/inquiries", tag = "inquiries", security(("bearer" = [])), params(InquiryListParams),
    responses(
        (status = 200, description = "A page of inquiries", body = ListDto<InquiryDto>),
        (status = 400, description = "Unknown filter word, bad limit or cursor (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token may not read inquiries", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "A developer named another seller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    who: ApiActor,
    uri: axum::http::Uri,
) -> ApiResult<Json<ListDto<InquiryDto>>> {
    policy::list_inquiries(&who.actor, None)?;
    let params: InquiryListParams = read_query(&uri)?;
    let page = PageRequest::parse(params.limit, params.cursor.as_deref()).map_err(bad_page)?;
    let filter = InquiryFilter {
        status: parse_word(
            params.status.as_deref(),
            "status",
            InquiryStatus::parse,
            "awaiting_developer, awaiting_customer, awaiting_store or closed",
        )?,
        app_id: non_empty(params.app_id).map(AppId),
        category: parse_word(
            params.category.as_deref(),
            "category",
            Category::parse,
            "question, maintenance, error_report, refund or other",
        )?,
        overdue: parse_word(params.overdue.as_deref(), "overdue", parse_bool, "true or false")?,
        words: params.q.as_deref().and_then(vocdesk_domain::search::SearchQuery::parse),
    };
    let seller = non_empty(params.seller_id).map(SellerId);
    let found = inquiries::list(state.app(), &who.actor, seller.as_ref(), filter, &page).await?;
    Ok(Json(ListDto {
        items: found.items.iter().map(|i| inquiry_dto(&state, i)).collect(),
        next_cursor: found.next_cursor.as_ref().map(|c| c.encode()),
    }))
}

/// R5: per app of one seller, the inquiries awaiting a developer reply and, of those,
/// the overdue ones (the inbox badges). Developers get their own seller's; operators
/// name the seller.
#[utoipa::path(get, path = "/api/v1/inquiries/counts", tag = "inquiries", security(("bearer" = [])), params(InquiryCountsParams),
    responses(
        (status = 200, description = "One row per app of the seller", body = InquiryCountsDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A customer, or a token that may not read inquiries", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "A developer named another seller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An operator without `seller_id`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn counts(
    State(state): State<AppState>,
    who: ApiActor,
    uri: axum::http::Uri,
) -> ApiResult<Json<InquiryCountsDto>> {
    if let InquiryScope::Customer(_) = policy::list_inquiries(&who.actor, None)? {
        return Err(ApiError::Forbidden);
    }
    let params: InquiryCountsParams = read_query(&uri)?;
    let seller = non_empty(params.seller_id).map(SellerId);
    let seller = match policy::list_inquiries(&who.actor, seller.as_ref())? {
        InquiryScope::Seller(seller) => seller,
        InquiryScope::All => return Err(FieldError::new("seller_id", "required", "the seller to count for").into()),
        InquiryScope::Customer(_) => return Err(ApiError::Forbidden),
    };
    let rows = state.store().inquiry_counts(&seller, state.overdue_cutoff()).await?;
    Ok(Json(InquiryCountsDto { items: rows.iter().map(Into::into).collect() }))
}

/// R1: the thread: the inquiry and its messages in order, each with its attachments,
/// and (R8) its cancellation requests. Its customer, the seller's developers and
/// operators only.
#[utoipa::path(get, path = "/api/v1/inquiries/{inquiry_id}", tag = "inquiries", security(("bearer" = [])),
    params(("inquiry_id" = String, Path, description = "Inquiry id")),
    responses(
        (status = 200, description = "The thread", body = ThreadDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token may not read inquiries", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inquiry, or not yours", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_thread(
    State(state): State<AppState>,
    who: ApiActor,
    Path(inquiry_id): Path<String>,
) -> ApiResult<Json<ThreadDto>> {
    let thread = inquiries::read(state.app(), &who.actor, &InquiryId(inquiry_id)).await?;
    let requests = vocdesk_app::refunds::requests_of_inquiry(state.app(), &thread.inquiry).await?;
    let for_customer = who.actor.role == vocdesk_domain::role::Role::Customer;
    Ok(Json(thread_dto(&state, &thread).with_requests(&requests, for_customer)))
}

/// R3/R4: one side writes to the thread (JSON `{body}`, or multipart with `payload` and
/// files). A developer reply moves it to `awaiting_customer` and mails the customer; a
/// customer message moves it to `awaiting_developer` (reopening a closed one) and mails
/// the developers. Answers the inquiry after the message and the message.
#[utoipa::path(post, path = "/api/v1/inquiries/{inquiry_id}/messages", tag = "inquiries", security(("bearer" = [])),
    params(("inquiry_id" = String, Path, description = "Inquiry id")),
    request_body(content(
        (ReplyRequest = "application/json"),
        (MultipartSubmission = "multipart/form-data"),
    )),
    responses(
        (status = 201, description = "Written", body = ReplyDto),
        (status = 400, description = "Malformed JSON or multipart body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An operator (who may read but not write)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inquiry, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A developer writing into a closed inquiry (R4)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither JSON nor multipart", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body or files", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reply(
    State(state): State<AppState>,
    who: ApiActor,
    Path(inquiry_id): Path<String>,
    request: Request,
) -> ApiResult<Response> {
    policy::write_to_inquiries(&who.actor)?;
    let submission: ApiSubmission<ReplyRequest> = read_submission(request).await?;
    let id = InquiryId(inquiry_id);
    let (inquiry, message) =
        inquiries::reply(state.app(), caller(&who), &id, &submission.body.body, submission.files).await?;
    let location = location(&format!("/api/v1/inquiries/{}", inquiry.id));
    let answer = ReplyDto { message: MessageDto::new(&inquiry.id, &message), inquiry: inquiry_dto(&state, &inquiry) };
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(answer)).into_response())
}

/// R4: either party closes the thread; closing a closed one answers it unchanged.
#[utoipa::path(post, path = "/api/v1/inquiries/{inquiry_id}/close", tag = "inquiries", security(("bearer" = [])),
    params(("inquiry_id" = String, Path, description = "Inquiry id")),
    responses(
        (status = 200, description = "Closed (or already closed)", body = InquiryDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "An operator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such inquiry, or not yours", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn close(
    State(state): State<AppState>,
    who: ApiActor,
    Path(inquiry_id): Path<String>,
) -> ApiResult<Json<InquiryDto>> {
    let inquiry = inquiries::close(state.app(), caller(&who), &InquiryId(inquiry_id)).await?;
    Ok(Json(inquiry_dto(&state, &inquiry)))
}

/// An attached file's bytes, for the thread's parties and operators. Always a download
/// (`Content-Disposition: attachment`), typed as sniffed at upload, sandboxed and
/// never cached by shared caches.
#[utoipa::path(get, path = "/api/v1/inquiries/{inquiry_id}/attachments/{attachment_id}", tag = "inquiries", security(("bearer" = [])),
    params(
        ("inquiry_id" = String, Path, description = "Inquiry id"),
        ("attachment_id" = String, Path, description = "Attachment id"),
    ),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token may not read inquiries", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such file in this inquiry, or not yours", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn attachment(
    State(state): State<AppState>,
    who: ApiActor,
    Path((inquiry_id, attachment_id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (meta, bytes) =
        inquiries::attachment(state.app(), &who.actor, &InquiryId(inquiry_id), &AttachmentId(attachment_id)).await?;
    let content_type = HeaderValue::from_str(&meta.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(&clean_filename(&meta.filename)))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(response)
}

/// `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>`
/// (RFC 6266, RFC 8187): the fallback replaces anything but printable ASCII, quotes
/// and backslashes with `_`.
pub fn content_disposition(filename: &str) -> String {
    let fallback: String = filename
        .chars()
        .map(|c| if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' { c } else { '_' })
        .collect();
    let mut encoded = String::with_capacity(filename.len() * 3);
    for byte in filename.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte);
        if keep {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// A query value that must be one of a few words: absent or empty is "no filter";
/// anything else unknown is a 400 naming the field.
pub(super) fn parse_word<T>(
    value: Option<&str>,
    field: &str,
    parse: impl Fn(&str) -> Option<T>,
    expected: &str,
) -> ApiResult<Option<T>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(word) => parse(word).map(Some).ok_or_else(|| ApiError::BadRequest {
            code: "invalid_query",
            detail: format!("{field}: expected {expected}"),
        }),
    }
}

pub(super) fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

pub(super) fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::content_disposition;

    #[test]
    fn file_names_are_encoded_for_both_kinds_of_client() {
        assert_eq!(
            content_disposition("화면 캡처.png"),
            "attachment; filename=\"__ __.png\"; filename*=UTF-8''%ED%99%94%EB%A9%B4%20%EC%BA%A1%EC%B2%98.png"
        );
        assert_eq!(
            content_disposition("a\"b\\c;.txt"),
            "attachment; filename=\"a_b_c;.txt\"; filename*=UTF-8''a%22b%5Cc%3B.txt"
        );
    }
}
