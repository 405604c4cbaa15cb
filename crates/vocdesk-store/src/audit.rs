//! The audit log (R14): every unit of work writes its entries in its own transaction.

use jiff::Timestamp;
use vocdesk_domain::audit::{AuditEntry, AuditRecord};
use vocdesk_domain::ids::AuditId;
use vocdesk_domain::page::{Page, PageRequest};

use crate::db::{Db, SqlBuilder, query};
use crate::rows::{self, AuditRow, millis};
use crate::{Acting, AuditFilter, StoreResult};

/// R14: writes an audit entry inside the caller's transaction, linked to the
/// inquiry and the purchase it belongs to (see `rows::audit_links`) so that the
/// audit log can be read by either.
pub(crate) async fn write_audit(db: &mut dyn Db, entry: &AuditEntry, at: Timestamp) -> StoreResult<()> {
    let (inquiry_id, purchase_id) = rows::audit_links(entry);
    query(
        "INSERT INTO audit_log (id, at, actor_user_id, actor_role, actor_label, channel, action, \
         subject_type, subject_id, detail, inquiry_id, purchase_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(AuditId::generate().0)
    .bind(millis(at))
    .bind(entry.actor.user_id.as_ref().map(|u| u.0.clone()))
    .bind(entry.actor.role.map(|r| r.as_str()))
    .bind(entry.actor.label.clone())
    .bind(entry.channel.as_str())
    .bind(entry.action.clone())
    .bind(entry.subject_type.clone())
    .bind(entry.subject_id.clone())
    .bind(entry.detail.clone())
    .bind(inquiry_id)
    .bind(purchase_id)
    .execute(db)
    .await?;
    Ok(())
}

/// The entry about the row just written: the store, which knows what it wrote,
/// names the subject's type and id.
pub(crate) fn about(entry: &AuditEntry, subject_type: &str, subject_id: &str) -> AuditEntry {
    AuditEntry { subject_type: subject_type.to_owned(), ..entry.clone().about(subject_id) }
}

/// R14: the entry a unit of work writes about itself.
pub(crate) fn entry(
    acting: &Acting,
    action: &str,
    subject_type: &str,
    subject_id: &str,
    detail: serde_json::Value,
) -> AuditEntry {
    AuditEntry::new(acting.actor.clone(), acting.channel, action, subject_type, detail.to_string()).about(subject_id)
}

pub(crate) async fn audit_log(
    db: &mut dyn Db,
    filter: &AuditFilter,
    page: &PageRequest,
) -> StoreResult<Page<AuditRecord>> {
    // Every filter combines with every other; each single one has its own
    // index (by subject, actor, inquiry, purchase), newest first.
    let (key, id) = rows::start_of_descending(page.after.as_ref());
    let mut sql = SqlBuilder::new(concat!(audit_select!(), "WHERE (at, id) < ("));
    sql.push_bind(key).push(", ").push_bind(id).push(")");
    if let Some((kind, subject)) = &filter.subject {
        sql.push(" AND subject_type = ").push_bind(kind.clone());
        sql.push(" AND subject_id = ").push_bind(subject.clone());
    }
    if let Some(actor) = &filter.actor {
        sql.push(" AND actor_user_id = ").push_bind(actor.0.clone());
    }
    if let Some(inquiry) = &filter.inquiry {
        sql.push(" AND inquiry_id = ").push_bind(inquiry.0.clone());
    }
    if let Some(purchase) = &filter.purchase {
        sql.push(" AND purchase_id = ").push_bind(purchase.0.clone());
    }
    sql.push(" ORDER BY at DESC, id DESC LIMIT ").push_bind(page.fetch_limit());
    let rows: Vec<AuditRow> = sql.build().fetch_all(db).await?;
    Ok(Page::from_rows(rows::convert(rows)?, page, rows::audit_cursor))
}
