//! Bulk import of reviewers (`vocdesk demo --reviews N`, a migration from another
//! store): customer accounts, what they obtained and their reviews, many rows per
//! statement and thousands per transaction, written once for both engines.
//!
//! One review per unit of work commits about 4,900 times a second on SQLite; a million
//! reviews would take most of an hour. A batch here is one unit of work: multi-row
//! `INSERT`s of [`ROWS_PER_STATEMENT`] rows, then the apps' R13 counters moved by the
//! batch's per-star totals, and one audit entry for the batch, all in one transaction.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use jiff::Timestamp;
use serde_json::json;
use vocdesk_domain::account::NewUser;
use vocdesk_domain::ids::{AppId, PurchaseId, ReviewId, UserId};
use vocdesk_domain::purchase::{NewPurchase, PurchaseStatus};
use vocdesk_domain::review::ReviewDraft;
use vocdesk_domain::{FieldError, ValidationErrors};

use crate::audit::{entry, write_audit};
use crate::db::{Db, SqlBuilder, Value, query};
use crate::reviews::bump_counters;
use crate::rows::millis;
use crate::{Acting, StoreError, StoreResult};

/// Rows per multi-row `INSERT`: at 13 columns, 6,500 arguments, well inside SQLite's
/// 32,766 and PostgreSQL's 65,535; larger statements measured no faster.
pub const ROWS_PER_STATEMENT: usize = 500;

/// A customer account to create, with the id the batch's purchases and reviews name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedCustomer {
    /// Chosen by the caller (`UserId::generate()`), so that the batch can refer to it.
    pub id: UserId,
    /// The checked account (a customer).
    pub user: NewUser,
    /// When the account was opened.
    pub created_at: Timestamp,
}

/// An official reply (R11) that a review of the import already had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedReply {
    /// A developer of the app's seller.
    pub author_id: UserId,
    /// The checked text (`parse_reply_text`).
    pub text: String,
    /// When it was posted, not before the review.
    pub at: Timestamp,
}

/// One review of the import (R10), with its reply if it had one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedReview {
    /// The app reviewed.
    pub app_id: AppId,
    /// The customer who wrote it, who obtained the app (in this batch or before).
    pub author_id: UserId,
    /// What they wrote, checked.
    pub draft: ReviewDraft,
    /// When.
    pub created_at: Timestamp,
    /// The official reply, if any.
    pub reply: Option<ImportedReply>,
}

/// One batch for [`crate::ReviewStore::import_reviews`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewImport {
    /// The password hash every customer of the batch gets (hash once, not per account).
    pub password_hash: String,
    /// New customer accounts.
    pub customers: Vec<ImportedCustomer>,
    /// Purchases to record (new TIDs only), of the batch's customers or earlier ones.
    pub purchases: Vec<NewPurchase>,
    /// Reviews, at most one per author and app, none that the author has already.
    pub reviews: Vec<ImportedReview>,
}

fn invalid(field: &str, code: &str, expected: &str) -> StoreError {
    StoreError::Invalid(ValidationErrors(vec![FieldError::new(field, code, expected)]))
}

/// `INSERT INTO table (columns) VALUES (...), (...)` for `rows` rows of `values`, which
/// holds the rows' values one row after the other.
async fn insert_rows(db: &mut dyn Db, table: &str, columns: &[&str], values: Vec<Value>) -> StoreResult<u64> {
    let width = columns.len();
    let mut written = 0;
    let mut values = values.into_iter().peekable();
    while values.peek().is_some() {
        let mut sql = SqlBuilder::new(&format!("INSERT INTO {table} ({}) VALUES ", columns.join(", ")));
        for row in 0..ROWS_PER_STATEMENT {
            if values.peek().is_none() {
                break;
            }
            sql.push(if row == 0 { "(" } else { ", (" });
            for column in 0..width {
                let value = values.next().ok_or_else(|| StoreError::Corrupt(format!("a short row of {table}")))?;
                if column > 0 {
                    sql.push(", ");
                }
                sql.push_bind(value);
            }
            sql.push(")");
        }
        written += sql.build().execute(db).await?;
    }
    Ok(written)
}

fn text_or_null(value: Option<&str>) -> Value {
    value.map_or(Value::Null(crate::db::Kind::Text), |v| Value::Text(v.to_owned()))
}

fn int_or_null(value: Option<i64>) -> Value {
    value.map_or(Value::Null(crate::db::Kind::Int), Value::Int)
}

/// The sellers of the batch's apps; an unknown app fails the batch.
async fn sellers_of(db: &mut dyn Db, batch: &ReviewImport) -> StoreResult<BTreeMap<String, String>> {
    let apps: BTreeSet<&str> = batch
        .reviews
        .iter()
        .map(|r| r.app_id.as_str())
        .chain(batch.purchases.iter().map(|p| p.app_id.as_str()))
        .collect();
    let mut sellers = BTreeMap::new();
    for app in apps {
        let row: Option<(String,)> =
            query("SELECT seller_id FROM apps WHERE id = $1").bind(app).fetch_optional(db).await?;
        let (seller,) = row.ok_or_else(|| invalid("app_id", "unknown_app", "the id of an app"))?;
        sellers.insert(app.to_owned(), seller);
    }
    Ok(sellers)
}

/// R11: every reply author is a developer of the reviewed app's seller.
async fn check_reply_authors(
    db: &mut dyn Db,
    batch: &ReviewImport,
    sellers: &BTreeMap<String, String>,
) -> StoreResult<()> {
    let mut checked: HashSet<(&str, &str)> = HashSet::new();
    for review in &batch.reviews {
        let Some(reply) = &review.reply else { continue };
        let seller = sellers[review.app_id.as_str()].as_str();
        if !checked.insert((reply.author_id.as_str(), seller)) {
            continue;
        }
        let row: Option<(Option<String>,)> = query("SELECT seller_id FROM users WHERE id = $1 AND role = 'developer'")
            .bind(reply.author_id.as_str())
            .fetch_optional(db)
            .await?;
        if row.and_then(|(s,)| s).as_deref() != Some(seller) {
            return Err(invalid("reply.author_id", "not_the_developer", "a developer of the app's seller"));
        }
        if reply.at < review.created_at {
            return Err(invalid("reply.at", "before_review", "a time after the review's"));
        }
    }
    Ok(())
}

/// R10: every author obtained the app they review: in this batch, or before it.
async fn check_obtained(db: &mut dyn Db, batch: &ReviewImport) -> StoreResult<()> {
    let in_batch: HashSet<(&str, &str)> =
        batch.purchases.iter().map(|p| (p.customer_id.as_str(), p.app_id.as_str())).collect();
    let mut pairs: HashSet<(&str, &str)> = HashSet::with_capacity(batch.reviews.len());
    for review in &batch.reviews {
        let pair = (review.author_id.as_str(), review.app_id.as_str());
        if !pairs.insert(pair) {
            return Err(invalid("reviews", "one_per_author", "one review per author and app"));
        }
        if in_batch.contains(&pair) {
            continue;
        }
        let row: Option<(i64,)> =
            query(crate::reviews::OBTAINED_SQL).bind(pair.0).bind(pair.1).fetch_optional(db).await?;
        if row.is_none() {
            return Err(invalid("author_id", "not_obtained", "a customer who obtained the app"));
        }
    }
    Ok(())
}

/// Imports one batch in the caller's transaction (see
/// [`crate::ReviewStore::import_reviews`]); answers how many reviews it wrote.
pub(crate) async fn import_reviews(
    db: &mut dyn Db,
    batch: &ReviewImport,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<u64> {
    if batch.customers.iter().any(|c| c.user.role != vocdesk_domain::role::Role::Customer) {
        return Err(invalid("customers", "customers_only", "customer accounts"));
    }
    let sellers = sellers_of(db, batch).await?;
    check_reply_authors(db, batch, &sellers).await?;

    let mut values = Vec::with_capacity(batch.customers.len() * 9);
    for customer in &batch.customers {
        let user = &customer.user;
        values.extend([
            Value::Text(customer.id.0.clone()),
            Value::Text(user.email.clone()),
            Value::Text(batch.password_hash.clone()),
            Value::Text(user.display_name.clone()),
            Value::Text(user.role.as_str().to_owned()),
            text_or_null(user.customer_no.as_deref()),
            Value::Text(user.locale.tag().to_owned()),
            Value::Int(millis(customer.created_at)),
        ]);
    }
    let columns = ["id", "email", "password_hash", "display_name", "role", "customer_no", "locale", "created_at"];
    let customers = insert_rows(db, "users", &columns, values).await?;

    let mut values = Vec::with_capacity(batch.purchases.len() * 13);
    for p in &batch.purchases {
        let cancelled = p.status == PurchaseStatus::Cancelled;
        values.extend([
            Value::Text(PurchaseId::generate().0),
            Value::Text(p.payment.tid.clone()),
            text_or_null(p.payment.txid.as_deref()),
            text_or_null(p.payment.receipt_no.as_deref()),
            Value::Text(p.customer_id.0.clone()),
            Value::Text(p.app_id.0.clone()),
            text_or_null(p.item_id.as_ref().map(|i| i.as_str())),
            Value::Int(p.amount.amount_minor),
            Value::Text(p.amount.currency.as_str().to_owned()),
            Value::Int(millis(p.purchased_at)),
            Value::Text(p.status.as_str().to_owned()),
            int_or_null(cancelled.then(|| millis(now))),
            Value::Int(millis(now)),
        ]);
    }
    let columns = [
        "id",
        "tid",
        "txid",
        "receipt_no",
        "customer_id",
        "app_id",
        "item_id",
        "amount_minor",
        "currency",
        "purchased_at",
        "status",
        "cancelled_at",
        "created_at",
    ];
    let purchases = insert_rows(db, "purchases", &columns, values).await?;
    check_obtained(db, batch).await?;

    let mut values = Vec::with_capacity(batch.reviews.len() * 13);
    let mut replies = Vec::new();
    let mut totals: BTreeMap<&str, [i64; 5]> = BTreeMap::new();
    let mut first_id = None;
    for review in &batch.reviews {
        let id = ReviewId::generate();
        first_id.get_or_insert_with(|| id.0.clone());
        let draft = &review.draft;
        let created = millis(review.created_at);
        let reply = review.reply.as_ref();
        values.extend([
            Value::Text(id.0.clone()),
            Value::Text(review.app_id.0.clone()),
            Value::Text(sellers[review.app_id.as_str()].clone()),
            Value::Text(review.author_id.0.clone()),
            Value::Int(i64::from(draft.stars.get())),
            text_or_null(draft.text.as_deref()),
            Value::Text(draft.lang.tag().to_owned()),
            Value::Int(created),
            Value::Int(created),
            text_or_null(reply.map(|r| r.text.as_str())),
            text_or_null(reply.map(|r| r.author_id.as_str())),
            int_or_null(reply.map(|r| millis(r.at))),
            int_or_null(reply.map(|r| millis(r.at))),
        ]);
        if let Some(reply) = reply {
            replies.extend([
                Value::Text(id.0),
                Value::Int(1),
                Value::Text(reply.author_id.0.clone()),
                Value::Text(reply.text.clone()),
                Value::Int(millis(reply.at)),
            ]);
        }
        totals.entry(review.app_id.as_str()).or_default()[draft.stars.index()] += 1;
    }
    let columns = [
        "id",
        "app_id",
        "seller_id",
        "author_id",
        "rating",
        "body",
        "lang",
        "created_at",
        "updated_at",
        "reply_body",
        "reply_author_id",
        "reply_created_at",
        "reply_updated_at",
    ];
    let reviews = insert_rows(db, "reviews", &columns, values).await?;
    let reply_count =
        insert_rows(db, "reply_versions", &["review_id", "version", "author_id", "body", "at"], replies).await?;

    // R13: the counters move by the batch's totals, in the apps' order (two batches on
    // PostgreSQL lock the apps' rows in the same order and cannot deadlock).
    for (app, delta) in &totals {
        bump_counters(db, app, *delta).await?;
    }
    let per_app: BTreeMap<&str, i64> = totals.iter().map(|(app, delta)| (*app, delta.iter().sum())).collect();
    let detail = json!({
        "customers": customers,
        "purchases": purchases,
        "reviews": reviews,
        "replies": reply_count,
        "reviews_per_app": per_app,
    });
    // R14: one entry for the batch, named by its first review.
    let subject = first_id.unwrap_or_default();
    write_audit(db, &entry(acting, "reviews.imported", "review_import", &subject, detail), now).await?;
    Ok(reviews)
}
