//! A seller's saved replies: starting points for official replies (R11) that a
//! developer always reads and edits before posting.

use jiff::Timestamp;
use serde_json::json;
use vocdesk_domain::ids::{ReplyTemplateId, SellerId};
use vocdesk_domain::review::{ReplyTemplate, TemplateDraft};

use crate::audit::{entry, write_audit};
use crate::db::{Db, query};
use crate::rows::{self, TemplateRow, millis};
use crate::{Acting, StoreError, StoreResult};

const TEMPLATE_COLUMNS: &str = "SELECT id, seller_id, title, body, lang, created_at, updated_at FROM reply_templates ";

pub(crate) async fn templates(db: &mut dyn Db, seller: &SellerId) -> StoreResult<Vec<ReplyTemplate>> {
    let rows: Vec<TemplateRow> = query(&format!("{TEMPLATE_COLUMNS}WHERE seller_id = $1 ORDER BY title, id"))
        .bind(&seller.0)
        .fetch_all(db)
        .await?;
    rows::convert(rows)
}

pub(crate) async fn template(db: &mut dyn Db, id: &ReplyTemplateId) -> StoreResult<Option<ReplyTemplate>> {
    let row: Option<TemplateRow> =
        query(&format!("{TEMPLATE_COLUMNS}WHERE id = $1")).bind(&id.0).fetch_optional(db).await?;
    row.map(ReplyTemplate::try_from).transpose()
}

pub(crate) async fn create_template(
    db: &mut dyn Db,
    seller: &SellerId,
    draft: &TemplateDraft,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<ReplyTemplate> {
    let id = ReplyTemplateId::generate();
    query(
        "INSERT INTO reply_templates (id, seller_id, title, body, lang, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&id.0)
    .bind(&seller.0)
    .bind(&draft.title)
    .bind(&draft.text)
    .bind(draft.lang.tag())
    .bind(millis(now))
    .execute(db)
    .await?;
    write_audit(db, &entry(acting, "reply_template.created", "reply_template", &id.0, json!({})), now).await?;
    template(db, &id).await?.ok_or(StoreError::NotFound)
}

pub(crate) async fn update_template(
    db: &mut dyn Db,
    id: &ReplyTemplateId,
    draft: &TemplateDraft,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<ReplyTemplate> {
    let changed = query("UPDATE reply_templates SET title = $2, body = $3, lang = $4, updated_at = $5 WHERE id = $1")
        .bind(&id.0)
        .bind(&draft.title)
        .bind(&draft.text)
        .bind(draft.lang.tag())
        .bind(millis(now))
        .execute(db)
        .await?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    write_audit(db, &entry(acting, "reply_template.edited", "reply_template", &id.0, json!({})), now).await?;
    template(db, id).await?.ok_or(StoreError::NotFound)
}

pub(crate) async fn delete_template(
    db: &mut dyn Db,
    id: &ReplyTemplateId,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<bool> {
    let deleted = query("DELETE FROM reply_templates WHERE id = $1").bind(&id.0).execute(db).await?;
    if deleted > 0 {
        write_audit(db, &entry(acting, "reply_template.deleted", "reply_template", &id.0, json!({})), now).await?;
    }
    Ok(deleted > 0)
}
