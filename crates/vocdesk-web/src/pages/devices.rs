//! Issue 13: `/settings/devices`, where a developer sees the devices they subscribed to
//! push notifications, chooses what each is told, removes one, and subscribes the
//! browser in hand. Subscribing needs the browser's push manager, so the button is
//! shown by `/static/app.js` (pages work without JavaScript; the page then says that
//! notifications need it); the form it fills is an ordinary POST with CSRF, through the
//! same use case as `POST /api/v1/push/subscriptions`.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::response::IntoResponse;
use axum_extra::extract::Form;
use serde::Deserialize;
use vocdesk_app::AppError;
use vocdesk_app::push::{self, SubscriptionInput};
use vocdesk_domain::ids::PushSubscriptionId;
use vocdesk_domain::push::{PushKind, PushSubscription};

use super::context::PageCtx;
use super::error::PageError;
use super::inquiries::caller;
use super::{PageResult, html, query};
use crate::headers::see_other;
use crate::i18n::I18n;
use crate::state::AppState;

/// The page's address.
pub(super) const PAGE: &str = "/settings/devices";

#[derive(Template)]
#[template(path = "settings_devices.html")]
struct DevicesPage {
    ctx: PageCtx,
    devices: Vec<DeviceRow>,
    /// Every kind, with its name, for the subscribe form (all checked).
    kinds: Vec<KindChoice>,
    vapid_key: String,
    notice: Option<Notice>,
    /// How many devices one developer may have.
    max: usize,
}

struct Notice {
    text: String,
    warn: bool,
}

struct KindChoice {
    word: &'static str,
    label: String,
    checked: bool,
}

struct DeviceRow {
    id: String,
    label: String,
    since: String,
    last_success: Option<String>,
    last_failure: Option<(String, String)>,
    kinds: Vec<KindChoice>,
}

fn choices(i18n: &I18n, chosen: &[PushKind]) -> Vec<KindChoice> {
    PushKind::ALL
        .iter()
        .map(|k| KindChoice {
            word: k.as_str(),
            label: i18n.t(&format!("devices-kind-{}", k.as_str())),
            checked: chosen.contains(k),
        })
        .collect()
}

fn row(i18n: &I18n, device: &PushSubscription) -> DeviceRow {
    let label = if device.label.is_empty() { i18n.t("devices-unnamed") } else { device.label.clone() };
    DeviceRow {
        id: device.id.0.clone(),
        label,
        since: i18n.datetime(&device.created_at),
        last_success: device.last_success_at.as_ref().map(|at| i18n.datetime(at)),
        last_failure: match (&device.last_failure_at, &device.last_error) {
            (Some(at), error) if device.last_success_at.is_none_or(|ok| ok < *at) => {
                Some((i18n.datetime(at), error.clone().unwrap_or_default()))
            }
            _ => None,
        },
        kinds: choices(i18n, &device.kinds),
    }
}

/// `?done=subscribed|saved|removed|invalid|too_many` after a form.
#[derive(Debug, Deserialize)]
struct DoneQuery {
    #[serde(default)]
    done: String,
}

/// `GET /settings/devices`: developers only.
pub(super) async fn devices_page(State(state): State<AppState>, ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    let session = ctx.authorize(vocdesk_domain::policy::subscribe_to_push)?;
    let q: DoneQuery = query(&uri)?;
    let devices = push::devices(state.app(), &session.actor).await?;
    let notice = match q.done.as_str() {
        word @ ("subscribed" | "saved" | "removed") => {
            Some(Notice { text: ctx.i18n.t(&format!("devices-done-{word}")), warn: false })
        }
        word @ ("invalid" | "too_many") => {
            Some(Notice { text: ctx.i18n.t(&format!("devices-done-{word}")), warn: true })
        }
        _ => None,
    };
    html(&DevicesPage {
        devices: devices.iter().map(|d| row(&ctx.i18n, d)).collect(),
        kinds: choices(&ctx.i18n, &PushKind::ALL),
        vapid_key: state.app().vapid_keys().public_key().to_owned(),
        notice,
        max: vocdesk_domain::push::MAX_SUBSCRIPTIONS_PER_USER,
        ctx,
    })
}

/// The subscribe form, filled by `/static/app.js` from the browser's PushSubscription.
#[derive(Debug, Deserialize)]
struct SubscribeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    endpoint: String,
    #[serde(default)]
    p256dh: String,
    #[serde(default)]
    auth: String,
    #[serde(default)]
    kinds: Vec<String>,
    #[serde(default)]
    label: String,
}

/// The kinds form of one device.
#[derive(Debug, Deserialize)]
struct KindsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kinds: Vec<String>,
}

/// The remove form.
#[derive(Debug, Deserialize)]
struct RemoveForm {
    #[serde(default)]
    csrf: String,
}

async fn form<T: serde::de::DeserializeOwned>(request: Request) -> Result<T, PageError> {
    use axum::extract::FromRequest;
    Form::<T>::from_request(request, &()).await.map(|Form(value)| value).map_err(|_| PageError::BadRequest)
}

/// Where a refused form goes back to: the page, saying why; anything else is an error page.
fn back(error: AppError) -> PageResult {
    match error {
        AppError::Invalid(_) => Ok(see_other(&format!("{PAGE}?done=invalid")).into_response()),
        AppError::TooManyDevices { .. } => Ok(see_other(&format!("{PAGE}?done=too_many")).into_response()),
        other => Err(other.into()),
    }
}

/// `POST /settings/devices`: subscribes this browser (developers only, CSRF).
pub(super) async fn subscribe(State(state): State<AppState>, ctx: PageCtx, request: Request) -> PageResult {
    let session = ctx.authorize(vocdesk_domain::policy::subscribe_to_push)?;
    let form: SubscribeForm = form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    let input = SubscriptionInput {
        endpoint: form.endpoint,
        p256dh: form.p256dh,
        auth: form.auth,
        kinds: Some(form.kinds),
        label: form.label,
    };
    match push::subscribe(state.app(), caller(session), &input).await {
        Ok(_) => Ok(see_other(&format!("{PAGE}?done=subscribed")).into_response()),
        Err(error) => back(error),
    }
}

/// `POST /settings/devices/{id}/kinds`: what one of the caller's devices is told.
pub(super) async fn save_kinds(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    request: Request,
) -> PageResult {
    let session = ctx.authorize(vocdesk_domain::policy::subscribe_to_push)?;
    let id = PushSubscriptionId(id);
    push::permit_device(state.app(), &session.actor, &id).await?;
    let form: KindsForm = form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    match push::set_kinds(state.app(), caller(session), &id, &form.kinds).await {
        Ok(_) => Ok(see_other(&format!("{PAGE}?done=saved")).into_response()),
        Err(error) => back(error),
    }
}

/// `POST /settings/devices/{id}/remove`: removes one of the caller's devices.
pub(super) async fn remove(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    request: Request,
) -> PageResult {
    let session = ctx.authorize(vocdesk_domain::policy::subscribe_to_push)?;
    let id = PushSubscriptionId(id);
    push::permit_device(state.app(), &session.actor, &id).await?;
    let form: RemoveForm = form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    push::unsubscribe(state.app(), caller(session), &id).await?;
    Ok(see_other(&format!("{PAGE}?done=removed")).into_response())
}
