//! Rows of the ledger: accounts, sellers, apps, items, purchases, audit entries.

use vocdesk_domain::account::{Seller, User};
use vocdesk_domain::audit::{AuditActor, AuditContext, AuditEntry, AuditRecord, Channel};
use vocdesk_domain::catalog::{App, Item, RatingSummary};
use vocdesk_domain::ids::{AppId, AuditId, InquiryId, ItemId, PurchaseId, SellerId, UserId};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::money::Money;
use vocdesk_domain::page::Cursor;
use vocdesk_domain::purchase::{PaymentIds, Purchase, PurchaseStatus, PurchaseView};
use vocdesk_domain::role::Role;

use super::{currency, millis, timestamp};
use crate::db::{FromRow, Row};
use crate::{StoreError, StoreResult};

/// Epoch milliseconds, the stored form of every time.
pub(crate) struct UserRow {
    id: String,
    email: String,
    display_name: String,
    role: String,
    seller_id: Option<String>,
    customer_no: Option<String>,
    locale: String,
    mail_locale: String,
    created_at: i64,
}

impl FromRow for UserRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            id: row.get("id")?,
            email: row.get("email")?,
            display_name: row.get("display_name")?,
            role: row.get("role")?,
            seller_id: row.get("seller_id")?,
            customer_no: row.get("customer_no")?,
            locale: row.get("locale")?,
            mail_locale: row.get("mail_locale")?,
            created_at: row.get("created_at")?,
        })
    }
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;

    fn try_from(row: UserRow) -> Result<Self, Self::Error> {
        Ok(User {
            id: UserId(row.id),
            email: row.email,
            display_name: row.display_name,
            role: Role::parse(&row.role).ok_or_else(|| StoreError::Corrupt(format!("role {:?}", row.role)))?,
            seller_id: row.seller_id.map(SellerId),
            customer_no: row.customer_no,
            locale: Locale::parse(&row.locale).unwrap_or_default(),
            mail_locale: Locale::parse(&row.mail_locale).unwrap_or_default(),
            created_at: timestamp(row.created_at)?,
        })
    }
}

pub(crate) struct SellerRow {
    id: String,
    name: String,
    support_email: String,
}

impl FromRow for SellerRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self { id: row.get("id")?, name: row.get("name")?, support_email: row.get("support_email")? })
    }
}

impl From<SellerRow> for Seller {
    fn from(row: SellerRow) -> Self {
        Seller { id: SellerId(row.id), name: row.name, support_email: row.support_email }
    }
}

pub(crate) struct AppRow {
    id: String,
    seller_id: String,
    seller_name: String,
    title: String,
    summary: String,
    price_minor: Option<i64>,
    currency: Option<String>,
    rating_1: i64,
    rating_2: i64,
    rating_3: i64,
    rating_4: i64,
    rating_5: i64,
    created_at: i64,
}

impl FromRow for AppRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            id: row.get("id")?,
            seller_id: row.get("seller_id")?,
            seller_name: row.get("seller_name")?,
            title: row.get("title")?,
            summary: row.get("summary")?,
            price_minor: row.get("price_minor")?,
            currency: row.get("currency")?,
            rating_1: row.get("rating_1")?,
            rating_2: row.get("rating_2")?,
            rating_3: row.get("rating_3")?,
            rating_4: row.get("rating_4")?,
            rating_5: row.get("rating_5")?,
            created_at: row.get("created_at")?,
        })
    }
}

impl TryFrom<AppRow> for App {
    type Error = StoreError;

    fn try_from(row: AppRow) -> Result<Self, Self::Error> {
        let price = match (row.price_minor, row.currency) {
            (Some(amount_minor), Some(code)) => Some(Money { amount_minor, currency: currency(&code)? }),
            _ => None,
        };
        Ok(App {
            id: AppId(row.id),
            seller_id: SellerId(row.seller_id),
            seller_name: row.seller_name,
            title: row.title,
            summary: row.summary,
            price,
            rating: RatingSummary::from_histogram([
                row.rating_1,
                row.rating_2,
                row.rating_3,
                row.rating_4,
                row.rating_5,
            ]),
            created_at: timestamp(row.created_at)?,
        })
    }
}

pub(crate) fn app_cursor(app: &App) -> Cursor {
    Cursor { key: millis(app.created_at), id: app.id.0.clone() }
}

pub(crate) struct ItemRow {
    id: String,
    app_id: String,
    title: String,
    price_minor: i64,
    currency: String,
}

impl FromRow for ItemRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            id: row.get("id")?,
            app_id: row.get("app_id")?,
            title: row.get("title")?,
            price_minor: row.get("price_minor")?,
            currency: row.get("currency")?,
        })
    }
}

impl TryFrom<ItemRow> for Item {
    type Error = StoreError;

    fn try_from(row: ItemRow) -> Result<Self, Self::Error> {
        Ok(Item {
            id: ItemId(row.id),
            app_id: AppId(row.app_id),
            title: row.title,
            price: Money { amount_minor: row.price_minor, currency: currency(&row.currency)? },
        })
    }
}

pub(crate) struct PurchaseRow {
    id: String,
    tid: String,
    txid: Option<String>,
    receipt_no: Option<String>,
    customer_id: String,
    app_id: String,
    item_id: Option<String>,
    amount_minor: i64,
    currency: String,
    purchased_at: i64,
    status: String,
    cancelled_at: Option<i64>,
    seller_id: String,
    app_title: String,
    item_title: Option<String>,
}

impl FromRow for PurchaseRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            id: row.get("id")?,
            tid: row.get("tid")?,
            txid: row.get("txid")?,
            receipt_no: row.get("receipt_no")?,
            customer_id: row.get("customer_id")?,
            app_id: row.get("app_id")?,
            item_id: row.get("item_id")?,
            amount_minor: row.get("amount_minor")?,
            currency: row.get("currency")?,
            purchased_at: row.get("purchased_at")?,
            status: row.get("status")?,
            cancelled_at: row.get("cancelled_at")?,
            seller_id: row.get("seller_id")?,
            app_title: row.get("app_title")?,
            item_title: row.get("item_title")?,
        })
    }
}

impl TryFrom<PurchaseRow> for PurchaseView {
    type Error = StoreError;

    fn try_from(row: PurchaseRow) -> Result<Self, Self::Error> {
        Ok(PurchaseView {
            purchase: Purchase {
                id: PurchaseId(row.id),
                customer_id: UserId(row.customer_id),
                app_id: AppId(row.app_id),
                item_id: row.item_id.map(ItemId),
                amount: Money { amount_minor: row.amount_minor, currency: currency(&row.currency)? },
                purchased_at: timestamp(row.purchased_at)?,
                payment: PaymentIds { tid: row.tid, txid: row.txid, receipt_no: row.receipt_no },
                status: PurchaseStatus::parse(&row.status)
                    .ok_or_else(|| StoreError::Corrupt(format!("purchase status {:?}", row.status)))?,
                cancelled_at: row.cancelled_at.map(timestamp).transpose()?,
            },
            seller_id: SellerId(row.seller_id),
            app_title: row.app_title,
            item_title: row.item_title,
        })
    }
}

pub(crate) fn purchase_cursor(view: &PurchaseView) -> Cursor {
    Cursor { key: millis(view.purchase.purchased_at), id: view.purchase.id.0.clone() }
}

pub(crate) struct AuditRow {
    id: String,
    at: i64,
    actor_user_id: Option<String>,
    actor_role: Option<String>,
    actor_label: Option<String>,
    channel: String,
    action: String,
    subject_type: String,
    subject_id: String,
    detail: String,
    inquiry_id: Option<String>,
    purchase_id: Option<String>,
    actor_name: Option<String>,
    actor_email: Option<String>,
    inquiry_subject: Option<String>,
    purchase_app_title: Option<String>,
}

impl FromRow for AuditRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            id: row.get("id")?,
            at: row.get("at")?,
            actor_user_id: row.get("actor_user_id")?,
            actor_role: row.get("actor_role")?,
            actor_label: row.get("actor_label")?,
            channel: row.get("channel")?,
            action: row.get("action")?,
            subject_type: row.get("subject_type")?,
            subject_id: row.get("subject_id")?,
            detail: row.get("detail")?,
            inquiry_id: row.get("inquiry_id")?,
            purchase_id: row.get("purchase_id")?,
            actor_name: row.get("actor_name")?,
            actor_email: row.get("actor_email")?,
            inquiry_subject: row.get("inquiry_subject")?,
            purchase_app_title: row.get("purchase_app_title")?,
        })
    }
}

impl TryFrom<AuditRow> for AuditRecord {
    type Error = StoreError;

    fn try_from(row: AuditRow) -> Result<Self, Self::Error> {
        Ok(AuditRecord {
            id: AuditId(row.id),
            at: timestamp(row.at)?,
            entry: AuditEntry {
                actor: AuditActor {
                    user_id: row.actor_user_id.map(UserId),
                    role: row.actor_role.as_deref().and_then(Role::parse),
                    label: row.actor_label,
                },
                channel: Channel::parse(&row.channel)
                    .ok_or_else(|| StoreError::Corrupt(format!("channel {:?}", row.channel)))?,
                action: row.action,
                subject_type: row.subject_type,
                subject_id: row.subject_id,
                detail: row.detail,
            },
            context: AuditContext {
                actor_name: row.actor_name,
                actor_email: row.actor_email,
                inquiry_id: row.inquiry_id.map(InquiryId),
                inquiry_subject: row.inquiry_subject,
                purchase_id: row.purchase_id.map(PurchaseId),
                purchase_app_title: row.purchase_app_title,
            },
        })
    }
}
