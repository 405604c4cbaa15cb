//! The OpenAPI 3 document, generated from the handlers' annotations and served at
//! `/api/openapi.json`, so it cannot drift from the code.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::Ref;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::{
    audit, auth, catalog, dto, health, inbound, inquiries, moderation, off_store, outbox, provisioning, purchases,
    push, refunds, reviews, templates,
};
use crate::error::{Problem, ProblemField};

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "vocdesk API", description = "Voice of Customer for an app store: inquiries, refunds, reviews."),
    paths(
        auth::login, auth::logout, auth::me, auth::update_me, auth::issue_payment_system_token,
        catalog::list_apps, catalog::get_app,
        purchases::record, purchases::get_purchase, purchases::my_purchases,
        provisioning::create_seller, provisioning::create_user, provisioning::create_app, provisioning::create_item,
        inquiries::open, inquiries::list, inquiries::counts, inquiries::get_thread, inquiries::reply,
        inquiries::close, inquiries::attachment, outbox::list, outbox::retry,
        inbound::list, inbound::one, inbound::raw, inbound::release, inbound::discard, inbound::bouncing,
        inbound::clear_bouncing,
        refunds::purchases, refunds::payment_details, refunds::set_consent, refunds::request_cancellation,
        refunds::file_off_store, refunds::list_requests, refunds::read_request, refunds::approve, refunds::reject,
        refunds::cancel_purchase, off_store::look_up,
        reviews::list_public, reviews::rating_summary, reviews::get_mine, reviews::put_mine, reviews::delete_mine,
        reviews::inbox, reviews::counts, reviews::staff_view, reviews::put_reply, reviews::confirm_reply,
        reviews::delete_reply, moderation::report, moderation::queue, moderation::hide, moderation::unhide,
        moderation::hide_reply, moderation::unhide_reply, moderation::dismiss,
        templates::list, templates::create, templates::update, templates::delete,
        push::vapid_public_key, push::list, push::subscribe, push::set_kinds, push::unsubscribe, push::health,
        audit::list, health::healthz,
    ),
    components(schemas(Problem, ProblemField, dto::UserDto, dto::MeUpdate, dto::AppDto, dto::PurchaseDto, dto::AuditDto, dto::SellerDto,
        dto::InquiryDto, dto::ThreadDto, dto::MessageDto, dto::AttachmentDto, dto::ReplyDto, dto::CreateInquiryRequest,
        dto::ReplyRequest, dto::MultipartSubmission, dto::InquiryCountsDto, dto::AppInquiryCountsDto, dto::OutboxDto,
        dto::InquiryPurchaseDto, dto::ConsentRequest, dto::CancellationRequestDto, dto::CreateCancellationRequest,
        dto::OffStoreRequestBody, dto::OffStoreFiledDto, dto::ApproveRequest, dto::RejectRequest,
        dto::CancelPurchaseDto, dto::ReviewDto, dto::OfficialReplyDto, dto::HiddenDto, dto::MyReviewDto, dto::SavedReviewDto,
        dto::ReviewVersionDto, dto::ReplyVersionDto, dto::StaffReviewDto, dto::ReportDto, dto::ReportedItemDto,
        dto::TemplateDto, dto::PutReviewRequest, dto::ReplyTextRequest, dto::ReportRequest, dto::ModerationRequest,
        dto::DismissRequest, dto::TemplateRequest, dto::ReviewCountsDto, dto::RatingSummaryDto, dto::InboundMailDto,
        dto::ReleasedDto, dto::BouncingAddressDto, dto::InboundDecisionRequest, dto::ClearBouncingRequest, dto::VapidKeyDto, dto::SubscriptionKeys,
        dto::SubscribeRequest, dto::KindsRequest, dto::SubscriptionDto, dto::PushFailureDto, dto::PushHealthDto)),
    modifiers(&BearerAuth, &ProblemAnswers),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Item 20: the answers every operation of a kind gives, declared in one place so that
/// no route can forget them: an operation with query parameters answers 400
/// (`invalid_query`) to a malformed one; one with a JSON body answers 415 to a body that
/// is not JSON and 422 to JSON of the wrong shape. An operation that describes one of
/// these itself keeps its own description.
struct ProblemAnswers;

impl Modify for ProblemAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for operation in operations.into_iter().flatten() {
                declare_problems(operation);
            }
        }
    }
}

fn declare_problems(operation: &mut Operation) {
    let has_query = operation.parameters.iter().flatten().any(|parameter| match parameter {
        RefOr::T(parameter) => parameter.parameter_in == ParameterIn::Query,
        RefOr::Ref(_) => false,
    });
    let has_json_body = match &operation.request_body {
        Some(RefOr::T(body)) => body.content.contains_key("application/json"),
        _ => false,
    };
    if has_query {
        problem(
            operation,
            "400",
            "A query parameter is malformed, out of range or not one of its words (`invalid_query`)",
        );
    }
    if has_json_body {
        problem(operation, "415", "The body is not JSON (`unsupported_media_type`)");
        problem(
            operation,
            "422",
            "The JSON does not fit: wrong types, unknown or missing fields (`invalid_body`), or values that break a rule (`validation_failed`)",
        );
    }
}

fn problem(operation: &mut Operation, status: &str, description: &str) {
    let problem = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
    let response = ResponseBuilder::new().description(description).content("application/problem+json", problem).build();
    operation.responses.responses.entry(status.to_owned()).or_insert(RefOr::T(response));
}

/// `GET /api/openapi.json`.
pub async fn document() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
