//! Who may do what: every authorization decision of vocdesk, as pure functions of the
//! acting user and the thing acted on. Handlers call exactly one of these per resource
//! before touching the store; links that a page hides are a courtesy, never the check.
//!
//! A refusal says whether the thing may be admitted to exist: another customer's or
//! another seller's thing is [`Refusal::NotFound`], so ids cannot be probed; a role
//! that may never do this is [`Refusal::Forbidden`].

use crate::ids::SellerId;
use crate::inquiry::{Inquiry, InquiryScope, Side};
use crate::purchase::PurchaseView;
use crate::role::{Actor, Role, TokenScope};

/// Why a request is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The actor's role or token may never do this (HTTP 403).
    Forbidden,
    /// The thing belongs to someone else; answered as if it did not exist (HTTP 404).
    NotFound,
}

/// The outcome of a check.
pub type Decision = Result<(), Refusal>;

fn full(actor: &Actor) -> Decision {
    if actor.scope == TokenScope::Full { Ok(()) } else { Err(Refusal::Forbidden) }
}

fn role(actor: &Actor, role: Role) -> Decision {
    full(actor)?;
    if actor.role == role { Ok(()) } else { Err(Refusal::Forbidden) }
}

/// Any signed-in use beyond the narrow payment-system scope (`GET /me`, sign-out).
pub fn use_account(actor: &Actor) -> Decision {
    full(actor)
}

/// Recording a purchase: operators, or a payment-system token an operator issued.
pub fn record_purchase(actor: &Actor) -> Decision {
    if actor.role == Role::Operator { Ok(()) } else { Err(Refusal::Forbidden) }
}

/// Issuing a payment-system token: operators, signed in themselves.
pub fn issue_payment_system_token(actor: &Actor) -> Decision {
    role(actor, Role::Operator)
}

/// Listing one's own purchase history (*My page*): customers only.
pub fn list_own_purchases(actor: &Actor) -> Decision {
    role(actor, Role::Customer)
}

/// Reading one purchase: its buyer and operators. A developer reaches a customer's
/// purchases only through an inquiry (R6), which has its own check.
pub fn view_purchase(actor: &Actor, purchase: &PurchaseView) -> Decision {
    full(actor)?;
    match actor.role {
        Role::Operator => Ok(()),
        Role::Customer if actor.user_id == purchase.purchase.customer_id => Ok(()),
        Role::Customer | Role::Developer => Err(Refusal::NotFound),
    }
}

/// Acting for a seller (its developer center pages and lists): its own developers.
pub fn act_for_seller(actor: &Actor, seller_id: &SellerId) -> Decision {
    role(actor, Role::Developer)?;
    if actor.seller_id.as_ref() == Some(seller_id) { Ok(()) } else { Err(Refusal::NotFound) }
}

/// Provisioning the catalog over the API: creating sellers, accounts, apps and in-app
/// items for the store's catalog system. Operators signed in themselves only; a
/// payment-system token, which an import job holds, may not create accounts.
pub fn provision_catalog(actor: &Actor) -> Decision {
    role(actor, Role::Operator)
}

/// The operator console: the audit log (R14), imports and queues.
pub fn operate_store(actor: &Actor) -> Decision {
    role(actor, Role::Operator)
}

/// R1: asking a seller a question (opening an inquiry): customers only.
pub fn ask_seller(actor: &Actor) -> Decision {
    role(actor, Role::Customer)
}

/// R1: whose inquiries a list shows. Customers see their own, developers their
/// seller's, operators every one (or one seller's, when they filter by it).
pub fn list_inquiries(actor: &Actor, seller_filter: Option<&SellerId>) -> Result<InquiryScope, Refusal> {
    full(actor)?;
    match actor.role {
        Role::Customer => Ok(InquiryScope::Customer(actor.user_id.clone())),
        Role::Developer => match &actor.seller_id {
            Some(own) if seller_filter.is_none_or(|s| s == own) => Ok(InquiryScope::Seller(own.clone())),
            Some(_) => Err(Refusal::NotFound),
            None => Err(Refusal::Forbidden),
        },
        Role::Operator => Ok(seller_filter.map_or(InquiryScope::All, |s| InquiryScope::Seller(s.clone()))),
    }
}

/// R1: reading a thread: its customer, the app's seller's developers, and operators.
/// Anyone else is told it does not exist.
pub fn read_inquiry(actor: &Actor, inquiry: &Inquiry) -> Decision {
    full(actor)?;
    match actor.role {
        Role::Operator => Ok(()),
        _ => party(actor, inquiry).map(|_| ()),
    }
}

/// R1/R4: writing to a thread or closing it: only its two parties. Operators, who may
/// read it, are refused outright; anyone else is told it does not exist.
pub fn write_to_inquiry(actor: &Actor, inquiry: &Inquiry) -> Result<Side, Refusal> {
    full(actor)?;
    match actor.role {
        Role::Operator => Err(Refusal::Forbidden),
        _ => party(actor, inquiry),
    }
}

/// Which side of the thread the actor is on, if any.
fn party(actor: &Actor, inquiry: &Inquiry) -> Result<Side, Refusal> {
    match actor.role {
        Role::Customer if actor.user_id == inquiry.customer_id => Ok(Side::Customer),
        Role::Developer if actor.seller_id.as_ref() == Some(&inquiry.seller_id) => Ok(Side::Developer),
        _ => Err(Refusal::NotFound),
    }
}

/// Reading the outbox of queued mail (R3): operators.
pub fn read_outbox(actor: &Actor) -> Decision {
    role(actor, Role::Operator)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{AppId, PurchaseId, UserId};
    use crate::money::{Currency, Money};
    use crate::purchase::{PaymentIds, Purchase, PurchaseStatus};

    fn actor(role: Role, user: &str, seller: Option<&str>) -> Actor {
        Actor {
            user_id: UserId(user.into()),
            role,
            seller_id: seller.map(|s| SellerId(s.into())),
            scope: TokenScope::Full,
        }
    }

    fn purchase_of(customer: &str) -> PurchaseView {
        PurchaseView {
            purchase: Purchase {
                id: PurchaseId("p".into()),
                customer_id: UserId(customer.into()),
                app_id: AppId("a".into()),
                item_id: None,
                amount: Money { amount_minor: 0, currency: Currency::parse("c", "KRW").expect("valid") },
                purchased_at: jiff::Timestamp::UNIX_EPOCH,
                payment: PaymentIds { tid: "T".into(), txid: None, receipt_no: None },
                status: PurchaseStatus::Paid,
                cancelled_at: None,
            },
            seller_id: SellerId("s1".into()),
            app_title: "App".into(),
            item_title: None,
        }
    }

    #[test]
    fn another_customers_purchase_is_not_found() {
        let p = purchase_of("c1");
        assert_eq!(view_purchase(&actor(Role::Customer, "c1", None), &p), Ok(()));
        assert_eq!(view_purchase(&actor(Role::Customer, "c2", None), &p), Err(Refusal::NotFound));
        assert_eq!(view_purchase(&actor(Role::Developer, "d1", Some("s1")), &p), Err(Refusal::NotFound));
        assert_eq!(view_purchase(&actor(Role::Operator, "o", None), &p), Ok(()));
    }

    #[test]
    fn a_developer_acts_only_for_its_own_seller() {
        let dev = actor(Role::Developer, "d1", Some("s1"));
        assert_eq!(act_for_seller(&dev, &SellerId("s1".into())), Ok(()));
        assert_eq!(act_for_seller(&dev, &SellerId("s2".into())), Err(Refusal::NotFound));
        assert_eq!(act_for_seller(&actor(Role::Customer, "c", None), &SellerId("s1".into())), Err(Refusal::Forbidden));
    }

    #[test]
    fn a_payment_system_token_records_purchases_and_nothing_else() {
        let token = Actor { scope: TokenScope::PaymentSystem, ..actor(Role::Operator, "o", None) };
        assert_eq!(record_purchase(&token), Ok(()));
        assert_eq!(operate_store(&token), Err(Refusal::Forbidden));
        assert_eq!(use_account(&token), Err(Refusal::Forbidden));
        assert_eq!(record_purchase(&actor(Role::Customer, "c", None)), Err(Refusal::Forbidden));
        assert_eq!(record_purchase(&actor(Role::Developer, "d", Some("s"))), Err(Refusal::Forbidden));
    }

    fn inquiry(customer: &str, seller: &str) -> Inquiry {
        use crate::audit::Channel;
        use crate::ids::InquiryId;
        use crate::inquiry::{Category, InquiryStatus};
        let at = jiff::Timestamp::UNIX_EPOCH;
        Inquiry {
            id: InquiryId("i".into()),
            app_id: AppId("a".into()),
            app_title: "App".into(),
            seller_id: SellerId(seller.into()),
            seller_name: "Seller".into(),
            customer_id: UserId(customer.into()),
            customer_name: "C".into(),
            purchase_id: None,
            category: Category::Question,
            subject: "s".into(),
            status: InquiryStatus::AwaitingDeveloper,
            awaiting_since: Some(at),
            channel: Channel::Store,
            consent_personal_info: false,
            message_count: 1,
            created_at: at,
            first_response_at: None,
            last_activity_at: at,
            closed_at: None,
        }
    }

    #[test]
    fn r1_only_the_parties_and_operators_read_a_thread_and_only_the_parties_write() {
        let thread = inquiry("c1", "s1");
        let customer = actor(Role::Customer, "c1", None);
        let other_customer = actor(Role::Customer, "c2", None);
        let developer = actor(Role::Developer, "d1", Some("s1"));
        let other_developer = actor(Role::Developer, "d2", Some("s2"));
        let operator = actor(Role::Operator, "o", None);
        assert_eq!(read_inquiry(&customer, &thread), Ok(()));
        assert_eq!(read_inquiry(&developer, &thread), Ok(()));
        assert_eq!(read_inquiry(&operator, &thread), Ok(()));
        assert_eq!(read_inquiry(&other_customer, &thread), Err(Refusal::NotFound));
        assert_eq!(read_inquiry(&other_developer, &thread), Err(Refusal::NotFound));
        assert_eq!(write_to_inquiry(&customer, &thread), Ok(Side::Customer));
        assert_eq!(write_to_inquiry(&developer, &thread), Ok(Side::Developer));
        assert_eq!(write_to_inquiry(&operator, &thread), Err(Refusal::Forbidden));
        assert_eq!(write_to_inquiry(&other_customer, &thread), Err(Refusal::NotFound));
        assert_eq!(write_to_inquiry(&other_developer, &thread), Err(Refusal::NotFound));
        let token = Actor { scope: TokenScope::PaymentSystem, ..operator.clone() };
        assert_eq!(read_inquiry(&token, &thread), Err(Refusal::Forbidden));
    }

    #[test]
    fn r1_lists_are_scoped_by_who_asks() {
        let s1 = SellerId("s1".into());
        let s2 = SellerId("s2".into());
        assert_eq!(
            list_inquiries(&actor(Role::Customer, "c1", None), None),
            Ok(InquiryScope::Customer(UserId("c1".into())))
        );
        let dev = actor(Role::Developer, "d1", Some("s1"));
        assert_eq!(list_inquiries(&dev, None), Ok(InquiryScope::Seller(s1.clone())));
        assert_eq!(list_inquiries(&dev, Some(&s2)), Err(Refusal::NotFound));
        let op = actor(Role::Operator, "o", None);
        assert_eq!(list_inquiries(&op, None), Ok(InquiryScope::All));
        assert_eq!(list_inquiries(&op, Some(&s2)), Ok(InquiryScope::Seller(s2)));
        assert_eq!(ask_seller(&dev), Err(Refusal::Forbidden));
        assert_eq!(ask_seller(&op), Err(Refusal::Forbidden));
    }

    #[test]
    fn only_a_signed_in_operator_provisions_the_catalog() {
        assert_eq!(provision_catalog(&actor(Role::Operator, "o", None)), Ok(()));
        let token = Actor { scope: TokenScope::PaymentSystem, ..actor(Role::Operator, "o", None) };
        assert_eq!(provision_catalog(&token), Err(Refusal::Forbidden));
        assert_eq!(provision_catalog(&actor(Role::Developer, "d", Some("s"))), Err(Refusal::Forbidden));
        assert_eq!(provision_catalog(&actor(Role::Customer, "c", None)), Err(Refusal::Forbidden));
    }
}
