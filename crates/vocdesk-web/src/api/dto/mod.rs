//! The JSON shapes of the API. They are separate from the domain types so that the wire
//! format changes only on purpose, and they carry the OpenAPI schema.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vocdesk_domain::account::{Seller, User};
use vocdesk_domain::audit::AuditRecord;
use vocdesk_domain::catalog::{App, Item, RatingSummary};
use vocdesk_domain::money::Money;
use vocdesk_domain::page::Page;
use vocdesk_domain::purchase::PurchaseView;

mod inbound;
mod inquiries;
mod params;
mod push;
mod refunds;
mod reviews;

pub use inbound::*;
pub use inquiries::*;
pub use push::*;
pub use refunds::*;
pub use reviews::*;

/// A signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDto {
    /// Opaque id.
    pub id: String,
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// `customer`, `developer` or `operator`.
    pub role: String,
    /// The seller a developer acts for.
    pub seller_id: Option<String>,
    /// A customer's number (고객번호).
    pub customer_no: Option<String>,
    /// The language of their pages: `ko` or `en`.
    pub locale: String,
    /// R3: the language of their notification mail, a setting of its own: `ko` or `en`.
    pub mail_locale: String,
}

/// `PATCH /api/v1/me`: the languages to keep; a field left out keeps its value.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeUpdate {
    /// The language of the pages: `ko` or `en`.
    pub locale: Option<String>,
    /// R3: the language of notification mail: `ko` or `en`.
    pub mail_locale: Option<String>,
}

impl From<&User> for UserDto {
    fn from(user: &User) -> Self {
        Self {
            id: user.id.0.clone(),
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            role: user.role.as_str().to_owned(),
            seller_id: user.seller_id.as_ref().map(|s| s.0.clone()),
            customer_no: user.customer_no.clone(),
            locale: user.locale.tag().to_owned(),
            mail_locale: user.mail_locale.tag().to_owned(),
        }
    }
}

/// `POST /api/v1/auth/login`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Sign-in email.
    pub email: String,
    /// Password.
    pub password: String,
}

/// A new bearer token with the user it belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// The secret; shown once, stored only as a hash.
    pub token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// When it stops working.
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: Timestamp,
    /// Who signed in.
    pub user: UserDto,
}

/// `POST /api/v1/auth/tokens`: a payment-system token for an import job.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// A name to recognise it by ("PG nightly export").
    pub label: String,
}

/// An issued payment-system token.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// The token's id.
    pub id: String,
    /// The secret; shown once.
    pub token: String,
    /// Always `payment_system`.
    pub scope: String,
    /// When it stops working.
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: Timestamp,
}

/// An amount of money.
#[derive(Debug, Serialize, ToSchema)]
pub struct MoneyDto {
    /// In the currency's minor unit (won, cents).
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// Formatted for people (`₩1,200`).
    pub display: String,
}

impl From<&Money> for MoneyDto {
    fn from(money: &Money) -> Self {
        Self {
            amount_minor: money.amount_minor,
            currency: money.currency.as_str().to_owned(),
            display: money.display(),
        }
    }
}

/// R13: an app's rating summary.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingSummaryDto {
    /// Average of visible ratings to one decimal, `null` before the first.
    pub average: Option<f64>,
    /// Number of visible ratings.
    pub count: i64,
    /// Ratings per star, one star first.
    pub histogram: [i64; 5],
}

impl From<&RatingSummary> for RatingSummaryDto {
    fn from(summary: &RatingSummary) -> Self {
        Self {
            average: summary.average().map(|a| (a * 10.0).round() / 10.0),
            count: summary.count,
            histogram: summary.histogram,
        }
    }
}

/// An app as lists show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppDto {
    /// Opaque id.
    pub id: String,
    /// Owner.
    pub seller_id: String,
    /// Owner's name.
    pub seller_name: String,
    /// Title.
    pub title: String,
    /// Description.
    pub summary: String,
    /// Whether it costs money.
    pub is_paid: bool,
    /// Price, `null` for free apps.
    pub price: Option<MoneyDto>,
    /// R13.
    pub rating: RatingSummaryDto,
    /// Listed at.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl From<&App> for AppDto {
    fn from(app: &App) -> Self {
        Self {
            id: app.id.0.clone(),
            seller_id: app.seller_id.0.clone(),
            seller_name: app.seller_name.clone(),
            title: app.title.clone(),
            summary: app.summary.clone(),
            is_paid: app.is_paid(),
            price: app.price.as_ref().map(MoneyDto::from),
            rating: RatingSummaryDto::from(&app.rating),
            created_at: app.created_at,
        }
    }
}

/// An in-app item.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemDto {
    /// Opaque id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Price.
    pub price: MoneyDto,
}

impl From<&Item> for ItemDto {
    fn from(item: &Item) -> Self {
        Self { id: item.id.0.clone(), title: item.title.clone(), price: MoneyDto::from(&item.price) }
    }
}

/// One app with its items.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppDetailDto {
    /// The app.
    #[serde(flatten)]
    pub app: AppDto,
    /// Its in-app items.
    pub items: Vec<ItemDto>,
}

/// A purchase. Payment ids are shown in full here only to the buyer and operators;
/// developers reach purchases through inquiries, masked unless R7 consent was given.
#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseDto {
    /// Opaque id.
    pub id: String,
    /// The buyer.
    pub customer_id: String,
    /// The app.
    pub app_id: String,
    /// Its title.
    pub app_title: String,
    /// The app's seller.
    pub seller_id: String,
    /// The in-app item, if any.
    pub item_id: Option<String>,
    /// Its title.
    pub item_title: Option<String>,
    /// What was paid.
    pub amount: MoneyDto,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub purchased_at: Timestamp,
    /// `paid` or `cancelled`.
    pub status: String,
    /// When it was cancelled.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub cancelled_at: Option<Timestamp>,
    /// Transaction id.
    pub tid: String,
    /// Payment provider's transaction id.
    pub txid: Option<String>,
    /// Payment receipt number.
    pub receipt_no: Option<String>,
}

impl From<&PurchaseView> for PurchaseDto {
    fn from(view: &PurchaseView) -> Self {
        let p = &view.purchase;
        Self {
            id: p.id.0.clone(),
            customer_id: p.customer_id.0.clone(),
            app_id: p.app_id.0.clone(),
            app_title: view.app_title.clone(),
            seller_id: view.seller_id.0.clone(),
            item_id: p.item_id.as_ref().map(|i| i.0.clone()),
            item_title: view.item_title.clone(),
            amount: MoneyDto::from(&p.amount),
            purchased_at: p.purchased_at,
            status: p.status.as_str().to_owned(),
            cancelled_at: p.cancelled_at,
            tid: p.payment.tid.clone(),
            txid: p.payment.txid.clone(),
            receipt_no: p.payment.receipt_no.clone(),
        }
    }
}

/// `POST /api/v1/purchases`: one purchase from the payment system.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordPurchaseRequest {
    /// The buyer's id; give this or `customer_no`.
    pub customer_id: Option<String>,
    /// The buyer's customer number; give this or `customer_id`.
    pub customer_no: Option<String>,
    /// The app.
    pub app_id: String,
    /// The in-app item, if one was bought.
    pub item_id: Option<String>,
    /// What was paid, in minor units (0 for a free app).
    pub amount_minor: i64,
    /// ISO 4217.
    pub currency: String,
    /// RFC 3339.
    pub purchased_at: String,
    /// Transaction id; recording is idempotent on it.
    pub tid: String,
    /// Provider transaction id.
    pub txid: Option<String>,
    /// Receipt number.
    pub receipt_no: Option<String>,
    /// `paid` (default) or `cancelled`.
    pub status: Option<String>,
}

/// A seller (developer account) as provisioning answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SellerDto {
    /// Opaque id; developers and apps name it as `seller_id`.
    pub id: String,
    /// The name the store shows.
    pub name: String,
    /// Where R3 notifications go when no member is addressed.
    pub support_email: String,
}

impl From<&Seller> for SellerDto {
    fn from(seller: &Seller) -> Self {
        Self { id: seller.id.0.clone(), name: seller.name.clone(), support_email: seller.support_email.clone() }
    }
}

/// `POST /api/v1/sellers`: the catalog system registers a developer account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSellerRequest {
    /// The name the store shows.
    pub name: String,
    /// Support address for R3 notifications.
    pub support_email: String,
}

/// `POST /api/v1/users`: the catalog system creates an account. Its `Debug` never
/// shows the password, so a logged request cannot leak it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    /// Sign-in email; stored lower-case, unique.
    pub email: String,
    /// Name shown to the other side of a conversation.
    pub display_name: String,
    /// `customer`, `developer` or `operator`.
    pub role: String,
    /// The seller a developer acts for; required for developers, refused for others.
    pub seller_id: Option<String>,
    /// A customer's number (고객번호); customers only, unique.
    pub customer_no: Option<String>,
    /// `ko` (default) or `en`: the language of the account's mail and pages.
    pub locale: Option<String>,
    /// The initial password, at least 10 characters; only its argon2 hash is stored.
    #[schema(format = Password)]
    pub password: String,
}

impl std::fmt::Debug for CreateUserRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateUserRequest")
            .field("email", &self.email)
            .field("display_name", &self.display_name)
            .field("role", &self.role)
            .field("seller_id", &self.seller_id)
            .field("customer_no", &self.customer_no)
            .field("locale", &self.locale)
            .field("password", &"[redacted]")
            .finish()
    }
}

/// `POST /api/v1/apps`: the catalog system lists an app. `price_minor` and `currency`
/// come together for a paid app and are both left out for a free one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAppRequest {
    /// The owning seller.
    pub seller_id: String,
    /// Title.
    pub title: String,
    /// Description; empty when left out.
    pub summary: Option<String>,
    /// Price in minor units, above zero; with `currency`.
    pub price_minor: Option<i64>,
    /// ISO 4217; with `price_minor`.
    pub currency: Option<String>,
}

/// `POST /api/v1/apps/{app_id}/items`: the catalog system adds an in-app item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateItemRequest {
    /// Title.
    pub title: String,
    /// Price in minor units, above zero.
    pub price_minor: i64,
    /// ISO 4217.
    pub currency: String,
}

/// An audit log entry (R14).
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditDto {
    /// Opaque id.
    pub id: String,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// The user who acted, if a person did.
    pub actor_user_id: Option<String>,
    /// Their display name.
    pub actor_name: Option<String>,
    /// Their email.
    pub actor_email: Option<String>,
    /// Their role then.
    pub actor_role: Option<String>,
    /// A non-person actor (`import`, `demo`, a policy).
    pub actor_label: Option<String>,
    /// R2: `store`, `email`, `phone`, `api`, `cli`, `system`.
    pub channel: String,
    /// What happened (`purchase.recorded`).
    pub action: String,
    /// Kind of thing.
    pub subject_type: String,
    /// Its id.
    pub subject_id: String,
    /// Extra facts.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<&AuditRecord> for AuditDto {
    fn from(record: &AuditRecord) -> Self {
        let e = &record.entry;
        Self {
            id: record.id.0.clone(),
            at: record.at,
            actor_user_id: e.actor.user_id.as_ref().map(|u| u.0.clone()),
            actor_name: record.context.actor_name.clone(),
            actor_email: record.context.actor_email.clone(),
            actor_role: e.actor.role.map(|r| r.as_str().to_owned()),
            actor_label: e.actor.label.clone(),
            channel: e.channel.as_str().to_owned(),
            action: e.action.clone(),
            subject_type: e.subject_type.clone(),
            subject_id: e.subject_id.clone(),
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListDto<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl<T> ListDto<T> {
    /// Converts a store page.
    pub fn from_page<S>(page: &Page<S>) -> Self
    where
        T: for<'a> From<&'a S>,
    {
        Self {
            items: page.items.iter().map(T::from).collect(),
            next_cursor: page.next_cursor.as_ref().map(|c| c.encode()),
        }
    }
}

/// `?limit=&cursor=` of every list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(schema_with = params::cursor)]
    pub cursor: Option<String>,
}

/// `GET /api/v1/audit` filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(schema_with = params::cursor)]
    pub cursor: Option<String>,
    /// Only entries about this kind of thing (`inquiry`, `purchase`, `token`, ...);
    /// sent only together with `subject_id`.
    #[param(example = "inquiry")]
    pub subject_type: Option<String>,
    /// Only entries about this thing; sent only together with `subject_type`.
    pub subject_id: Option<String>,
    /// Only entries by this user.
    pub actor_id: Option<String>,
    /// Everything that happened to this inquiry: entries about it, and about the
    /// requests, reveals and cancellations made from it.
    pub inquiry_id: Option<String>,
    /// Everything that happened to this purchase (recorded, revealed, requested,
    /// cancelled).
    pub purchase_id: Option<String>,
    /// Only entries by people whose name or email holds this text (any case).
    pub person: Option<String>,
    /// Only entries of this action (`purchase.recorded`).
    #[param(schema_with = params::audit_action)]
    pub action: Option<String>,
    /// Only entries at or after this time (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<Timestamp>,
    /// Only entries before this time (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime)]
    pub until: Option<Timestamp>,
    /// `false` leaves out signing in and out (`token.issued`, `token.revoked`); the
    /// default `true` lists everything.
    pub sign_ins: Option<bool>,
}

/// `/healthz`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
    /// `sqlite` or `postgresql`.
    pub store: String,
}
