//! Catalog provisioning: the store's catalog system creates sellers, accounts, apps and
//! in-app items over the API, as an operator. Until now only the demo seeder could;
//! a real store needs them to come from its own systems. Every handler asks
//! [`policy::provision_catalog`] first, validates everything at once (422), and writes
//! the row with its audit entry (R14) in one unit of work.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderName, StatusCode, header};
use serde_json::json;
use vocdesk_domain::account::{
    DISPLAY_NAME_MAX, NewSeller, NewUser, check_customer_no, check_new_password, normalize_email,
};
use vocdesk_domain::audit::{AuditActor, AuditEntry, Channel};
use vocdesk_domain::catalog::{NewApp, NewItem};
use vocdesk_domain::ids::{AppId, SellerId};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::role::Role;
use vocdesk_domain::{FieldError, ValidationErrors, policy, text};

use super::dto::{
    AppDetailDto, AppDto, CreateAppRequest, CreateItemRequest, CreateSellerRequest, CreateUserRequest, ItemDto,
    SellerDto, UserDto,
};
use crate::auth::ApiActor;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::ApiJson;
use crate::password;
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
    ApiJson(body): ApiJson<CreateSellerRequest>,
) -> ApiResult<(StatusCode, Json<SellerDto>)> {
    policy::provision_catalog(&who.actor)?;
    let seller = NewSeller::new(&body.name, &body.support_email)?;
    let audit = audit_entry(
        &who,
        "seller.created",
        "seller",
        json!({ "name": seller.name, "support_email": seller.support_email }),
    );
    let created = state.store().create_seller(&seller.name, &seller.support_email, &audit, state.now()).await?;
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
    ApiJson(body): ApiJson<CreateUserRequest>,
) -> ApiResult<(StatusCode, Json<UserDto>)> {
    policy::provision_catalog(&who.actor)?;
    let user = new_user(&state, &body).await?;
    // argon2 is slow on purpose: hash on the blocking pool, not on the async workers.
    let secret = body.password;
    let hash = tokio::task::spawn_blocking(move || password::hash(&secret))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    // The email is already on the account; the audit entry says what kind of account
    // it is, never its password.
    let detail = json!({
        "email": user.email,
        "role": user.role.as_str(),
        "seller_id": user.seller_id.as_ref().map(|s| s.0.clone()),
    });
    let audit = audit_entry(&who, "user.created", "user", detail);
    let created = state.store().create_user(&user, &hash, &audit, state.now()).await?;
    Ok((StatusCode::CREATED, Json(UserDto::from(&created))))
}

/// Checks every field of a new account and reports every problem at once, including a
/// developer's seller that does not exist (the store's foreign key would also refuse
/// it, as an unnamed reference; naming `seller_id` here is clearer).
async fn new_user(state: &AppState, body: &CreateUserRequest) -> ApiResult<NewUser> {
    let mut errors = ValidationErrors::default();
    let role = errors.check(
        Role::parse(body.role.trim())
            .ok_or_else(|| FieldError::new("role", "unknown_role", "customer, developer or operator")),
    );
    let locale = match body.locale.as_deref() {
        // Korean is the store's home language.
        None => Some(Locale::default()),
        Some(tag) => {
            errors.check(Locale::parse(tag).ok_or_else(|| FieldError::new("locale", "unknown_locale", "ko or en")))
        }
    };
    // An invalid number is reported, and still counts as given for the role check.
    let customer_no = body
        .customer_no
        .as_deref()
        .map(|number| errors.check(check_customer_no(number)).unwrap_or_else(|| number.to_owned()));
    errors.check(check_new_password(&body.password));
    let seller_id = body.seller_id.as_deref().map(|id| SellerId(id.trim().to_owned()));
    let user = match role {
        Some(role) => {
            if role == Role::Developer
                && let Some(id) = &seller_id
                && state.store().seller(id).await?.is_none()
            {
                errors.push(FieldError::new("seller_id", "unknown_seller", "the id of an existing seller"));
            }
            merge(
                &mut errors,
                NewUser::new(&body.email, &body.display_name, role, seller_id, customer_no, locale.unwrap_or_default()),
            )
        }
        None => {
            // Without a role, seller membership cannot be judged; the rest still can.
            errors.check(normalize_email(&body.email));
            errors.check(text::required_line("display_name", &body.display_name, DISPLAY_NAME_MAX));
            None
        }
    };
    errors.finish(|| user).map_err(ApiError::Validation)
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
    ApiJson(body): ApiJson<CreateAppRequest>,
) -> ApiResult<(StatusCode, [(HeaderName, String); 1], Json<AppDetailDto>)> {
    policy::provision_catalog(&who.actor)?;
    let mut errors = ValidationErrors::default();
    let price = match (body.price_minor, body.currency.as_deref()) {
        (Some(amount), Some(currency)) => Some((amount, currency)),
        (None, None) => None,
        (Some(_), None) | (None, Some(_)) => {
            let missing = if body.currency.is_none() { "currency" } else { "price_minor" };
            errors.push(FieldError::new(
                missing,
                "price_together",
                "price_minor and currency together, or neither for a free app",
            ));
            None
        }
    };
    let seller_id = SellerId(body.seller_id.trim().to_owned());
    if state.store().seller(&seller_id).await?.is_none() {
        errors.push(FieldError::new("seller_id", "unknown_seller", "the id of an existing seller"));
    }
    let app = merge(&mut errors, NewApp::new(seller_id, &body.title, body.summary.as_deref().unwrap_or(""), price));
    let app = errors.finish(|| app)?;
    let detail = json!({
        "seller_id": app.seller_id.0,
        "title": app.title,
        "price_minor": app.price.as_ref().map(|p| p.amount_minor),
        "currency": app.price.as_ref().map(|p| p.currency.as_str().to_owned()),
    });
    let audit = audit_entry(&who, "app.created", "app", detail);
    let created = state.store().create_app(&app, &audit, state.now()).await?;
    let location = format!("/api/v1/apps/{}", created.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
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
    ApiJson(body): ApiJson<CreateItemRequest>,
) -> ApiResult<(StatusCode, Json<ItemDto>)> {
    policy::provision_catalog(&who.actor)?;
    let app = state.store().app(&AppId(app_id)).await?.ok_or(ApiError::NotFound)?;
    let item = NewItem::new(app.id, &body.title, body.price_minor, &body.currency)?;
    let detail = json!({
        "app_id": item.app_id.0,
        "title": item.title,
        "price_minor": item.price.amount_minor,
        "currency": item.price.currency.as_str(),
    });
    let audit = audit_entry(&who, "item.created", "item", detail);
    let created = state.store().create_item(&item, &audit, state.now()).await?;
    Ok((StatusCode::CREATED, Json(ItemDto::from(&created))))
}

/// Keeps a validated value, or adds its problems to the ones already found.
fn merge<T>(errors: &mut ValidationErrors, result: Result<T, ValidationErrors>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(found) => {
            errors.0.extend(found.0);
            None
        }
    }
}

/// R14: the operator acted through the API; the store fills in the new row's id.
fn audit_entry(who: &ApiActor, action: &str, subject_type: &str, detail: serde_json::Value) -> AuditEntry {
    AuditEntry::new(
        AuditActor::user(who.user.id.clone(), who.user.role),
        Channel::Api,
        action,
        subject_type,
        detail.to_string(),
    )
}
