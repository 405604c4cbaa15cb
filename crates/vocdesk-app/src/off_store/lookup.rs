//! R9 (issue 12 item 6): a developer about to file an off-store request finds the
//! customer's purchase by customer number instead of typing its exact minute: the
//! customer's purchases of the developer's seller's apps and items, newest first, with
//! payment ids left for the caller to mask. A number nobody has and a customer without
//! purchases of this seller answer alike (an empty list), so the look-up does not tell
//! who is a customer; every look-up is audited (R14) and counted against the
//! developer's [`OFF_STORE_LOOKUPS`] budget.
//!
//! The budget is kept in this process, keyed by developer: a look-up is a read, and a
//! store-backed counter would turn every one into a second write for a limit whose
//! purpose (stopping customer numbers being tried one after another) a per-process
//! count already serves; behind several processes the limit is their sum, still a few
//! per minute per developer.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use jiff::Timestamp;
use vocdesk_domain::ids::UserId;
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::policy;
use vocdesk_domain::purchase::PurchaseView;
use vocdesk_domain::refund::{LookupBudget, OFF_STORE_LOOKUPS, parse_customer_no};

use crate::caller::Caller;
use crate::context::App;
use crate::error::{AppError, AppResult};

/// Past this many developers kept, those whose budget is full again are forgotten.
const FORGET_ABOVE: usize = 4096;

/// What the budget keeps per developer: the instant [`LookupBudget::admit`] returned.
#[derive(Debug, Default)]
pub(crate) struct LookupThrottle {
    kept: Mutex<HashMap<UserId, Timestamp>>,
}

impl LookupThrottle {
    /// Counts one look-up of `developer` at `now`; refused with the seconds to wait
    /// (at least one) when the budget is spent.
    fn admit(&self, developer: &UserId, now: Timestamp) -> Result<(), u64> {
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.len() > FORGET_ABOVE {
            kept.retain(|_, at| !LookupBudget::is_spent(*at, now));
        }
        match OFF_STORE_LOOKUPS.admit(kept.get(developer).copied(), now) {
            Ok(next) => {
                kept.insert(developer.clone(), next);
                Ok(())
            }
            Err(wait) => Err(u64::try_from((wait.as_millis() + 999) / 1000).unwrap_or(u64::MAX).max(1)),
        }
    }
}

/// R9: the purchases of the customer with this number of the developer's seller's apps
/// and items, newest first (a page of them). Refused before anything is read for anyone
/// but a developer; [`AppError::TooManyLookups`] past the budget; a malformed number is
/// [`AppError::Invalid`]. An unknown number answers an empty page, like a customer with
/// no purchases of this seller. The look-up is audited before the list is returned.
pub async fn look_up(
    app: &App,
    caller: Caller<'_>,
    customer_no: &str,
    page: &PageRequest,
) -> AppResult<Page<PurchaseView>> {
    let seller = policy::look_up_off_store_purchases(caller.actor)?;
    app.lookups()
        .admit(&caller.user.id, app.now())
        .map_err(|retry_after_secs| AppError::TooManyLookups { retry_after_secs })?;
    let customer_no = parse_customer_no(customer_no)?;
    let customer = app.store().customer_by_number(&customer_no).await?;
    // The same read for a number nobody has (an id no account has), so that both
    // answers take the same path.
    let whose = customer.as_ref().map_or_else(|| UserId(String::new()), |c| c.id.clone());
    let purchases = app.store().purchases_for_seller(&whose, &seller, page).await?;
    let customer_id = customer.as_ref().map(|c| &c.id);
    let listed = purchases.items.len();
    app.store().record_purchase_lookup(&seller, customer_id, listed, &caller.acting(), app.now()).await?;
    Ok(purchases)
}

/// R9: the purchase a developer picked from a look-up, shown again when the form comes
/// back with a problem: the customer's (by number) purchase of the developer's seller,
/// or nothing. Not a new look-up: nothing is counted or recorded.
pub async fn picked(
    app: &App,
    actor: &vocdesk_domain::role::Actor,
    customer_no: &str,
    purchase_id: &str,
) -> AppResult<Option<PurchaseView>> {
    let seller = policy::look_up_off_store_purchases(actor)?;
    let (Ok(customer_no), Some(id)) =
        (parse_customer_no(customer_no), Some(purchase_id.trim()).filter(|i| !i.is_empty()))
    else {
        return Ok(None);
    };
    let Some(customer) = app.store().customer_by_number(&customer_no).await? else {
        return Ok(None);
    };
    let view = app.store().purchase(&vocdesk_domain::ids::PurchaseId(id.to_owned())).await?;
    Ok(view.filter(|v| v.purchase.customer_id == customer.id && v.seller_id == seller))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r9_each_developer_has_a_budget_of_their_own() {
        let throttle = LookupThrottle::default();
        let now = Timestamp::UNIX_EPOCH;
        let (one, two) = (UserId("d1".into()), UserId("d2".into()));
        for _ in 0..OFF_STORE_LOOKUPS.burst {
            assert_eq!(throttle.admit(&one, now), Ok(()));
        }
        assert_eq!(throttle.admit(&one, now), Err(10), "the 31st waits ten seconds");
        assert_eq!(throttle.admit(&two, now), Ok(()), "another developer is not slowed");
    }
}
