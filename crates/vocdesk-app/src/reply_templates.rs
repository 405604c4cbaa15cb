//! A seller's saved replies: listed, created, changed and deleted by its developers,
//! and offered in the reply box with their placeholders filled. A reply made from one
//! is always read and posted by a person: nothing here posts anything.

use vocdesk_domain::ids::{ReplyTemplateId, SellerId};
use vocdesk_domain::policy;
use vocdesk_domain::review::{ReplyTemplate, TemplateDraft};
use vocdesk_domain::role::Actor;

use crate::caller::Caller;
use crate::context::App;
use crate::error::{AppError, AppResult};

/// Leave to keep the caller's seller's saved replies: the seller.
pub fn permit(actor: &Actor) -> AppResult<SellerId> {
    Ok(policy::keep_reply_templates(actor)?)
}

/// Leave to change one saved reply: it exists and belongs to the caller's seller
/// (another seller's is refused, 403).
pub async fn permit_change(app: &App, actor: &Actor, id: &ReplyTemplateId) -> AppResult<ReplyTemplate> {
    policy::keep_reply_templates(actor)?;
    let template = app.store().reply_template(id).await?.ok_or(AppError::NotFound)?;
    policy::change_reply_template(actor, &template)?;
    Ok(template)
}

/// The seller's saved replies, by title.
pub async fn list(app: &App, seller: &SellerId) -> AppResult<Vec<ReplyTemplate>> {
    Ok(app.store().reply_templates(seller).await?)
}

/// Saves a new reply template.
pub async fn create(
    app: &App,
    caller: Caller<'_>,
    seller: &SellerId,
    title: &str,
    text: &str,
    lang: &str,
) -> AppResult<ReplyTemplate> {
    let draft = TemplateDraft::parse(title, text, lang)?;
    Ok(app.store().create_reply_template(seller, &draft, &caller.acting(), app.now()).await?)
}

/// Changes a saved reply.
pub async fn update(
    app: &App,
    caller: Caller<'_>,
    template: &ReplyTemplate,
    title: &str,
    text: &str,
    lang: &str,
) -> AppResult<ReplyTemplate> {
    let draft = TemplateDraft::parse(title, text, lang)?;
    Ok(app.store().update_reply_template(&template.id, &draft, &caller.acting(), app.now()).await?)
}

/// Deletes a saved reply.
pub async fn delete(app: &App, caller: Caller<'_>, template: &ReplyTemplate) -> AppResult<()> {
    if app.store().delete_reply_template(&template.id, &caller.acting(), app.now()).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
