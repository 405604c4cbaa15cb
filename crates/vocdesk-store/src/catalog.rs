//! The catalog: sellers, apps with their rating counters (R13), in-app items.

use jiff::Timestamp;
use vocdesk_domain::account::Seller;
use vocdesk_domain::audit::AuditEntry;
use vocdesk_domain::catalog::{App, Item, NewApp, NewItem};
use vocdesk_domain::ids::{AppId, ItemId, SellerId};
use vocdesk_domain::page::{Page, PageRequest};

use crate::audit::{about, write_audit};
use crate::db::{Db, query};
use crate::rows::{self, AppRow, ItemRow, SellerRow, millis};
use crate::{StoreError, StoreResult};

pub(crate) async fn seller(db: &mut dyn Db, id: &SellerId) -> StoreResult<Option<Seller>> {
    let row: Option<SellerRow> =
        query("SELECT id, name, support_email FROM sellers WHERE id = $1").bind(&id.0).fetch_optional(db).await?;
    Ok(row.map(Seller::from))
}

pub(crate) async fn sellers(db: &mut dyn Db) -> StoreResult<Vec<Seller>> {
    let rows: Vec<SellerRow> =
        query("SELECT id, name, support_email FROM sellers ORDER BY name, id").fetch_all(db).await?;
    Ok(rows.into_iter().map(Seller::from).collect())
}

pub(crate) async fn create_app(db: &mut dyn Db, app: &NewApp, audit: &AuditEntry, now: Timestamp) -> StoreResult<App> {
    let id = AppId::generate();
    query(
        "INSERT INTO apps (id, seller_id, title, summary, price_minor, currency, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id.0)
    .bind(&app.seller_id.0)
    .bind(&app.title)
    .bind(&app.summary)
    .bind(app.price.as_ref().map(|p| p.amount_minor))
    .bind(app.price.as_ref().map(|p| p.currency.as_str().to_owned()))
    .bind(millis(now))
    .execute(db)
    .await?;
    write_audit(db, &about(audit, "app", &id.0), now).await?;
    crate::catalog::app(db, &id).await?.ok_or(StoreError::NotFound)
}

pub(crate) async fn create_item(
    db: &mut dyn Db,
    item: &NewItem,
    audit: &AuditEntry,
    now: Timestamp,
) -> StoreResult<Item> {
    let id = ItemId::generate();
    query(
        "INSERT INTO items (id, app_id, title, price_minor, currency, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id.0)
    .bind(&item.app_id.0)
    .bind(&item.title)
    .bind(item.price.amount_minor)
    .bind(item.price.currency.as_str())
    .bind(millis(now))
    .execute(db)
    .await?;
    write_audit(db, &about(audit, "item", &id.0), now).await?;
    Ok(Item { id, app_id: item.app_id.clone(), title: item.title.clone(), price: item.price.clone() })
}

pub(crate) async fn list_apps(
    db: &mut dyn Db,
    seller: Option<&SellerId>,
    page: &PageRequest,
) -> StoreResult<Page<App>> {
    let (key, id) = rows::start_of_descending(page.after.as_ref());
    let rows: Vec<AppRow> = match seller {
        None => {
            query(concat!(
                app_select!(),
                "WHERE (a.created_at, a.id) < ($1, $2) ORDER BY a.created_at DESC, a.id DESC LIMIT $3"
            ))
            .bind(key)
            .bind(id)
            .bind(page.fetch_limit())
            .fetch_all(db)
            .await?
        }
        Some(seller) => {
            query(concat!(
                app_select!(),
                "WHERE a.seller_id = $1 AND (a.created_at, a.id) < ($2, $3) \
                 ORDER BY a.created_at DESC, a.id DESC LIMIT $4"
            ))
            .bind(&seller.0)
            .bind(key)
            .bind(id)
            .bind(page.fetch_limit())
            .fetch_all(db)
            .await?
        }
    };
    Ok(Page::from_rows(rows::convert(rows)?, page, rows::app_cursor))
}

pub(crate) async fn app(db: &mut dyn Db, id: &AppId) -> StoreResult<Option<App>> {
    let row: Option<AppRow> = query(concat!(app_select!(), "WHERE a.id = $1")).bind(&id.0).fetch_optional(db).await?;
    row.map(App::try_from).transpose()
}

pub(crate) async fn items_of_app(db: &mut dyn Db, id: &AppId) -> StoreResult<Vec<Item>> {
    let rows: Vec<ItemRow> = query(
        "SELECT id, app_id, title, price_minor, currency FROM items WHERE app_id = $1 \
         ORDER BY created_at, id",
    )
    .bind(&id.0)
    .fetch_all(db)
    .await?;
    rows::convert(rows)
}
