//! R7 consent and the payment-id reveals it allows: the customer's O/X on an inquiry
//! (or, R9, a developer's record of it on the customer's behalf, until the customer
//! confirms or changes it), and the audit entry each reveal writes before the ids are
//! shown.

use jiff::Timestamp;
use vocdesk_domain::ids::{InquiryId, PurchaseId};
use vocdesk_domain::inquiry::Inquiry;

use crate::audit::{entry, write_audit};
use crate::db::{Db, query};
use crate::inquiries::fetch_inquiry;
use crate::rows::millis;
use crate::{Acting, StoreError, StoreResult};

pub(crate) async fn set_consent(
    db: &mut dyn Db,
    inquiry: &InquiryId,
    consent: bool,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<(Inquiry, bool)> {
    let current: Option<(bool, Option<String>)> = query(
        "UPDATE inquiries SET consent_personal_info = consent_personal_info WHERE id = $1 \
         RETURNING consent_personal_info, consent_recorded_by",
    )
    .bind(&inquiry.0)
    .fetch_optional(db)
    .await?;
    let Some((current, recorded_by)) = current else { return Err(StoreError::NotFound) };
    if current == consent && recorded_by.is_none() {
        let unchanged = fetch_inquiry(db, &inquiry.0).await?.ok_or(StoreError::NotFound)?;
        return Ok((unchanged, false));
    }
    if current == consent {
        // R7/R9: the customer confirms what a developer recorded for them; it is theirs now.
        query("UPDATE inquiries SET consent_recorded_by = NULL, consent_at = $1 WHERE id = $2")
            .bind(millis(now))
            .bind(&inquiry.0)
            .execute(db)
            .await?;
        let detail = serde_json::json!({ "consent_personal_info": consent, "recorded_by": recorded_by });
        write_audit(db, &entry(acting, "inquiry.consent_confirmed", "inquiry", &inquiry.0, detail), now).await?;
        let updated = fetch_inquiry(db, &inquiry.0).await?.ok_or(StoreError::NotFound)?;
        return Ok((updated, true));
    }
    query("UPDATE inquiries SET consent_personal_info = $1, consent_at = $2, consent_recorded_by = NULL WHERE id = $3")
        .bind(consent)
        .bind(millis(now))
        .bind(&inquiry.0)
        .execute(db)
        .await?;
    let action = if consent { "inquiry.consent_given" } else { "inquiry.consent_withdrawn" };
    let detail = serde_json::json!({ "consent_personal_info": consent });
    write_audit(db, &entry(acting, action, "inquiry", &inquiry.0, detail), now).await?;
    let updated = fetch_inquiry(db, &inquiry.0).await?.ok_or(StoreError::NotFound)?;
    Ok((updated, true))
}

pub(crate) async fn record_payment_reveal(
    db: &mut dyn Db,
    inquiry: &InquiryId,
    purchases: &[PurchaseId],
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<()> {
    // R7/R9: a reveal on consent a developer recorded for the customer says so.
    let recorded: Option<(Option<String>,)> =
        query("SELECT consent_recorded_by FROM inquiries WHERE id = $1").bind(&inquiry.0).fetch_optional(db).await?;
    let consent = match recorded {
        Some((Some(_),)) => "recorded_by_developer",
        _ => "given_by_customer",
    };
    for purchase in purchases {
        let detail = serde_json::json!({
            "inquiry_id": inquiry.0,
            "fields": ["tid", "txid", "receipt_no"],
            "consent": consent,
        });
        let revealed = entry(acting, "payment_ids.revealed", "purchase", &purchase.0, detail);
        write_audit(db, &revealed, now).await?;
    }
    Ok(())
}
