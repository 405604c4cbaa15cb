//! Catalog provisioning over the API: the store's catalog system creates sellers,
//! accounts, apps and in-app items, as an operator. The use cases are
//! [`vocdesk_app::provisioning`], which ask the policy, validate everything at once
//! (422) and write the row with its audit entry (R14); here the answers become DTOs.
//! Each handler asks the policy before it reads the body, so that a refused caller is
//! answered 403 whatever it sent.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use vocdesk_app::Caller;
use vocdesk_app::provisioning::{self, AppInput, UserInput};
use vocdesk_domain::audit::Channel;
use vocdesk_domain::ids::AppId;
use vocdesk_domain::policy;

use super::dto::{
    AppDetailDto, AppDto, CreateAppRequest, CreateItemRequest, CreateSellerRequest, CreateUserRequest, ItemDto,
    SellerDto, UserDto,
};
use crate::auth::ApiActor;
use crate::error::{ApiResult, Problem};
use crate::extract::read_json;
use crate::headers::location;
use crate::state::AppState;

/// Creates a seller (developer account) that developers and apps then name.
#[utoipa::path(post, path = "/api/v1/sellers", tag = "provisioning", security(("bearer" = [])), request_body = CreateSellerRequest,
    responses(
        (status = 201, description = "Created", body = SellerDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator, or a payment-system token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed body or invalid seller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_seller(
    State(state): State<AppState>,
    who: ApiActor,
    request: Request,
) -> ApiResult<(StatusCode, Json<SellerDto>)> {
    policy::provision_catalog(&who.actor)?;
    let body: CreateSellerRequest = read_json(request).await?;
    let created = provisioning::create_seller(state.app(), caller(&who), &body.name, &body.support_email).await?;
    Ok((StatusCode::CREATED, Json(SellerDto::from(&created))))
}

/// Creates an account with an initial password. The answer never carries the hash; a
/// taken email or customer number is 409.
#[utoipa::path(post, path = "/api/v1/users", tag = "provisioning", security(("bearer" = [])), request_body = CreateUserRequest,
    responses(
        (status = 201, description = "Created", body = UserDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator, or a payment-system token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The email or customer number is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed body, invalid account, or an unknown seller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_user(
    State(state): State<AppState>,
    who: ApiActor,
    request: Request,
) -> ApiResult<(StatusCode, Json<UserDto>)> {
    policy::provision_catalog(&who.actor)?;
    let body: CreateUserRequest = read_json(request).await?;
    let input = UserInput {
        email: &body.email,
        display_name: &body.display_name,
        role: &body.role,
        seller_id: body.seller_id.as_deref(),
        customer_no: body.customer_no.as_deref(),
        locale: body.locale.as_deref(),
        password: &body.password,
    };
    let created = provisioning::create_user(state.app(), caller(&who), &input).await?;
    Ok((StatusCode::CREATED, Json(UserDto::from(&created))))
}

/// Lists an app for an existing seller, free or paid, with no items yet.
#[utoipa::path(post, path = "/api/v1/apps", tag = "provisioning", security(("bearer" = [])), request_body = CreateAppRequest,
    responses(
        (status = 201, description = "Listed; `Location` names the app", body = AppDetailDto,
            headers(("Location" = String, description = "/api/v1/apps/{app_id}"))),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator, or a payment-system token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed body, invalid app, or an unknown seller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_app(
    State(state): State<AppState>,
    who: ApiActor,
    request: Request,
) -> ApiResult<(StatusCode, [(HeaderName, HeaderValue); 1], Json<AppDetailDto>)> {
    policy::provision_catalog(&who.actor)?;
    let body: CreateAppRequest = read_json(request).await?;
    let input = AppInput {
        seller_id: &body.seller_id,
        title: &body.title,
        summary: body.summary.as_deref(),
        price_minor: body.price_minor,
        currency: body.currency.as_deref(),
    };
    let created = provisioning::create_app(state.app(), caller(&who), &input).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location(&format!("/api/v1/apps/{}", created.id)))],
        Json(AppDetailDto { app: AppDto::from(&created), items: Vec::new() }),
    ))
}

/// Adds a paid in-app item to an existing app.
#[utoipa::path(post, path = "/api/v1/apps/{app_id}/items", tag = "provisioning", security(("bearer" = [])),
    params(("app_id" = String, Path, description = "App id")), request_body = CreateItemRequest,
    responses(
        (status = 201, description = "Added", body = ItemDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an operator, or a payment-system token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such app", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed body or invalid item", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_item(
    State(state): State<AppState>,
    who: ApiActor,
    Path(app_id): Path<String>,
    request: Request,
) -> ApiResult<(StatusCode, Json<ItemDto>)> {
    policy::provision_catalog(&who.actor)?;
    let body: CreateItemRequest = read_json(request).await?;
    let app_id = AppId(app_id);
    let created =
        provisioning::create_item(state.app(), caller(&who), &app_id, &body.title, body.price_minor, &body.currency)
            .await?;
    Ok((StatusCode::CREATED, Json(ItemDto::from(&created))))
}

/// The operator, acting through the API.
fn caller(who: &ApiActor) -> Caller<'_> {
    Caller { user: &who.user, actor: &who.actor, channel: Channel::Api }
}
