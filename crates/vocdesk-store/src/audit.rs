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

/// R14: the term that leaves signing in and out out of the log, written exactly as the
/// partial index `audit_without_sign_ins` writes it, so that both engines read that
/// index for the console's default view (a test checks it names `SIGN_IN_ACTIONS`).
const WITHOUT_SIGN_INS: &str = " AND l.action NOT IN ('token.issued', 'token.revoked')";

/// `text` as a `LIKE` pattern that finds it anywhere, its own `%`, `_` and `\` taken
/// literally (with `ESCAPE '\'`), lower-cased as the query lower-cases names.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

pub(crate) async fn audit_log(
    db: &mut dyn Db,
    filter: &AuditFilter,
    page: &PageRequest,
) -> StoreResult<Page<AuditRecord>> {
    // Every filter combines with every other; each single one has its own index (by
    // subject, actor, inquiry, purchase, action; the time range and the default view
    // without sign-ins by time), newest first. A person is found by name or email among
    // the users, whose entries the actor index then reads.
    let (key, id) = rows::start_of_descending(page.after.as_ref());
    let mut sql = SqlBuilder::new(concat!(audit_select!(), "WHERE (l.at, l.id) < ("));
    sql.push_bind(key).push(", ").push_bind(id).push(")");
    if let Some((kind, subject)) = &filter.subject {
        sql.push(" AND l.subject_type = ").push_bind(kind.clone());
        sql.push(" AND l.subject_id = ").push_bind(subject.clone());
    }
    if let Some(actor) = &filter.actor {
        sql.push(" AND l.actor_user_id = ").push_bind(actor.0.clone());
    }
    if let Some(inquiry) = &filter.inquiry {
        sql.push(" AND l.inquiry_id = ").push_bind(inquiry.0.clone());
    }
    if let Some(purchase) = &filter.purchase {
        sql.push(" AND l.purchase_id = ").push_bind(purchase.0.clone());
    }
    if let Some(person) = &filter.person {
        let pattern = contains_pattern(person);
        sql.push(" AND l.actor_user_id IN (SELECT id FROM users WHERE lower(display_name) LIKE ")
            .push_bind(pattern.clone())
            .push(" ESCAPE '\\' OR email LIKE ")
            .push_bind(pattern)
            .push(" ESCAPE '\\')");
    }
    if let Some(action) = &filter.action {
        sql.push(" AND l.action = ").push_bind(action.clone());
    }
    if let Some(from) = filter.from {
        sql.push(" AND l.at >= ").push_bind(millis(from));
    }
    if let Some(until) = filter.until {
        sql.push(" AND l.at < ").push_bind(millis(until));
    }
    if filter.hide_sign_ins {
        sql.push(WITHOUT_SIGN_INS);
    }
    sql.push(" ORDER BY l.at DESC, l.id DESC LIMIT ").push_bind(page.fetch_limit());
    let rows: Vec<AuditRow> = sql.build().fetch_all(db).await?;
    Ok(Page::from_rows(rows::convert(rows)?, page, rows::audit_cursor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r14_the_default_view_leaves_out_exactly_the_sign_in_actions() {
        let listed: Vec<String> = vocdesk_domain::audit::SIGN_IN_ACTIONS.iter().map(|a| format!("'{a}'")).collect();
        assert_eq!(WITHOUT_SIGN_INS, format!(" AND l.action NOT IN ({})", listed.join(", ")));
        let migration = include_str!("../migrations/sqlite/20261207000011_audit_filters_mail_locale.sql");
        assert!(migration.contains(&format!("WHERE action NOT IN ({})", listed.join(", "))));
        let migration = include_str!("../migrations/postgresql/20261207000011_audit_filters_mail_locale.sql");
        assert!(migration.contains(&format!("WHERE action NOT IN ({})", listed.join(", "))));
    }

    #[test]
    fn r14_a_person_is_found_by_any_part_of_their_name_or_email_taken_literally() {
        assert_eq!(contains_pattern("Dev1@Example"), "%dev1@example%");
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
