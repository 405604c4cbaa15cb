//! Who may do what: every authorization decision of vocdesk, as pure functions of the
//! acting user and the thing acted on. Handlers call exactly one of these per resource
//! before touching the store; links that a page hides are a courtesy, never the check.
//!
//! A refusal says whether the thing may be admitted to exist: another customer's or
//! another seller's thing is [`Refusal::NotFound`], so ids cannot be probed; a role
//! that may never do this is [`Refusal::Forbidden`].

mod reviews;

pub use reviews::*;

use crate::ids::SellerId;
use crate::inquiry::{Inquiry, InquiryScope, Side};
use crate::purchase::PurchaseView;
use crate::refund::CancellationRequest;
use crate::role::{Actor, Role, TokenScope};

/// Why a request is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The actor's role or token may never do this (HTTP 403).
    Forbidden,
    /// The thing belongs to someone else; answered as if it did not exist (HTTP 404).
    NotFound,
    /// R7: a developer may see payment ids only where the customer consented on the
    /// inquiry; they should ask the customer for consent (HTTP 403).
    ConsentRequired,
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

/// R1/R4: the roles that write to threads at all (customers and developers), checked
/// before the message is read, so that an operator or a payment-system token is
/// refused (403) whatever it sent.
pub fn write_to_inquiries(actor: &Actor) -> Decision {
    full(actor)?;
    if actor.role == Role::Operator { Err(Refusal::Forbidden) } else { Ok(()) }
}

/// R1/R4: writing to a thread or closing it: only its two parties. Operators, who may
/// read it, are refused outright; anyone else is told it does not exist.
pub fn write_to_inquiry(actor: &Actor, inquiry: &Inquiry) -> Result<Side, Refusal> {
    write_to_inquiries(actor)?;
    party(actor, inquiry)
}

/// Which side of the thread the actor is on, if any.
fn party(actor: &Actor, inquiry: &Inquiry) -> Result<Side, Refusal> {
    match actor.role {
        Role::Customer if actor.user_id == inquiry.customer_id => Ok(Side::Customer),
        Role::Developer if actor.seller_id.as_ref() == Some(&inquiry.seller_id) => Ok(Side::Developer),
        _ => Err(Refusal::NotFound),
    }
}

/// R6/R7: the roles that see a customer's purchases from an inquiry at all (developers
/// and operators), checked before the query is read: a customer, who has their own
/// purchase history instead, is refused (403) for every inquiry alike.
pub fn view_inquiry_purchases(actor: &Actor) -> Decision {
    full(actor)?;
    if actor.role == Role::Customer { Err(Refusal::Forbidden) } else { Ok(()) }
}

/// R6: a customer's purchases of the seller's apps, seen from an inquiry: the seller's
/// developers and operators. The customer has their own purchase history instead.
pub fn view_customer_purchases(actor: &Actor, inquiry: &Inquiry) -> Decision {
    view_inquiry_purchases(actor)?;
    match actor.role {
        Role::Operator => Ok(()),
        Role::Developer => party(actor, inquiry).map(|_| ()),
        Role::Customer => Err(Refusal::Forbidden),
    }
}

/// R7: unmasked payment ids. Whoever may see the purchases; a developer only where the
/// customer consented on this inquiry. Operators, who run the payment ledger, always;
/// every reveal is audited either way.
pub fn reveal_payment_ids(actor: &Actor, inquiry: &Inquiry) -> Decision {
    view_customer_purchases(actor, inquiry)?;
    match actor.role {
        Role::Developer if !inquiry.consent_personal_info => Err(Refusal::ConsentRequired),
        _ => Ok(()),
    }
}

/// R7: the role that consents at all (customers), checked before the body is read:
/// developers and operators never consent for a customer, on any inquiry (403).
pub fn consent_to_sharing(actor: &Actor) -> Decision {
    role(actor, Role::Customer)
}

/// R7: giving (or withdrawing) consent on an inquiry: only its customer; another
/// customer's inquiry does not exist for them.
pub fn give_consent(actor: &Actor, inquiry: &Inquiry) -> Decision {
    consent_to_sharing(actor)?;
    party(actor, inquiry).map(|_| ())
}

/// R8: submitting a cancellation request from an inquiry: a developer of the
/// inquiry's seller, for a purchase of that seller's apps by that inquiry's customer.
/// Anything else of another seller or customer is answered as not found.
pub fn request_cancellation(actor: &Actor, inquiry: &Inquiry, purchase: &PurchaseView) -> Decision {
    request_cancellations(actor)?;
    party(actor, inquiry)?;
    let same_seller = purchase.seller_id == inquiry.seller_id;
    let same_customer = purchase.purchase.customer_id == inquiry.customer_id;
    if same_seller && same_customer { Ok(()) } else { Err(Refusal::NotFound) }
}

/// R8: the role that submits cancellation requests at all (developers), checked before
/// the request's body is read or its purchase looked up: customers and operators are
/// refused (403) whatever they send.
pub fn request_cancellations(actor: &Actor) -> Decision {
    role(actor, Role::Developer)
}

/// R9: filing a refund asked for by email or phone: a developer, for their own seller.
pub fn file_off_store_request(actor: &Actor) -> Result<SellerId, Refusal> {
    role(actor, Role::Developer)?;
    actor.seller_id.clone().ok_or(Refusal::Forbidden)
}

/// R9 (issue 12 item 6): looking up a customer's purchases by customer number, to pick
/// the one an off-store request is about: the developers who file those requests, and
/// only among their own seller's apps and items (the seller returned). Customers and
/// operators never look anyone up this way.
pub fn look_up_off_store_purchases(actor: &Actor) -> Result<SellerId, Refusal> {
    file_off_store_request(actor)
}

/// Whose cancellation requests a list shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestScope {
    /// One seller's (its developers; operators filtering by seller).
    Seller(SellerId),
    /// Every request (operators).
    All,
}

/// R8: the cancellation request list: a developer sees their seller's, an operator
/// every one or one seller's.
pub fn list_cancellation_requests(actor: &Actor, seller_filter: Option<&SellerId>) -> Result<RequestScope, Refusal> {
    full(actor)?;
    match actor.role {
        Role::Customer => Err(Refusal::Forbidden),
        Role::Developer => match &actor.seller_id {
            Some(own) if seller_filter.is_none_or(|s| s == own) => Ok(RequestScope::Seller(own.clone())),
            Some(_) => Err(Refusal::NotFound),
            None => Err(Refusal::Forbidden),
        },
        Role::Operator => Ok(seller_filter.map_or(RequestScope::All, |s| RequestScope::Seller(s.clone()))),
    }
}

/// R8: reading one request: its seller's developers and operators.
pub fn read_cancellation_request(actor: &Actor, request: &CancellationRequest) -> Decision {
    full(actor)?;
    match actor.role {
        Role::Operator => Ok(()),
        Role::Developer if actor.seller_id.as_ref() == Some(&request.seller_id) => Ok(()),
        Role::Developer => Err(Refusal::NotFound),
        Role::Customer => Err(Refusal::Forbidden),
    }
}

/// R8: approving or rejecting a request: operators only.
pub fn decide_cancellation(actor: &Actor) -> Decision {
    role(actor, Role::Operator)
}

/// R5: cancelling a purchase on the developer's behalf: operators only.
pub fn cancel_on_behalf(actor: &Actor) -> Decision {
    role(actor, Role::Operator)
}

/// Reading the outbox of queued mail (R3): operators.
pub fn read_outbox(actor: &Actor) -> Decision {
    role(actor, Role::Operator)
}

/// R16: retrying a mail that failed for good: operators, who see why it failed.
/// Anyone else is refused before the mail is looked up.
pub fn retry_mail(actor: &Actor) -> Decision {
    role(actor, Role::Operator)
}

/// R15/R16: the received-mail queue (reading a mail, its raw bytes, releasing it into
/// its thread, discarding it) and the bouncing addresses: operators only, refused
/// before anything is looked up. A held mail may be anyone's words to anyone.
pub fn work_inbound_mail(actor: &Actor) -> Decision {
    role(actor, Role::Operator)
}

/// Issue 13: subscribing devices to push notifications, listing and removing them:
/// developers only, for what owes an answer to their seller's customers.
pub fn subscribe_to_push(actor: &Actor) -> Decision {
    role(actor, Role::Developer)
}

/// Issue 13: changing or removing one push subscription: its owner only; anyone else's
/// is answered as if it did not exist, so subscription ids cannot be probed.
pub fn own_push_subscription(actor: &Actor, owner: &crate::ids::UserId) -> Decision {
    subscribe_to_push(actor)?;
    if &actor.user_id == owner { Ok(()) } else { Err(Refusal::NotFound) }
}

/// Issue 13: the push health view (keys, subscription counts, failures): operators.
pub fn read_push_health(actor: &Actor) -> Decision {
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
            consent_at: None,
            consent_recorded_by: None,
            consent_recorded_by_name: None,
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
    fn r6_r7_purchases_from_an_inquiry_are_for_its_seller_and_ids_need_consent() {
        let mut thread = inquiry("c1", "s1");
        let developer = actor(Role::Developer, "d1", Some("s1"));
        let other_developer = actor(Role::Developer, "d2", Some("s2"));
        let customer = actor(Role::Customer, "c1", None);
        let other_customer = actor(Role::Customer, "c2", None);
        let operator = actor(Role::Operator, "o", None);
        assert_eq!(view_customer_purchases(&developer, &thread), Ok(()));
        assert_eq!(view_customer_purchases(&operator, &thread), Ok(()));
        assert_eq!(view_customer_purchases(&other_developer, &thread), Err(Refusal::NotFound));
        assert_eq!(view_customer_purchases(&customer, &thread), Err(Refusal::Forbidden));
        // A customer never sees purchases from an inquiry, theirs or not: one answer.
        assert_eq!(view_customer_purchases(&other_customer, &thread), Err(Refusal::Forbidden));
        assert_eq!(reveal_payment_ids(&developer, &thread), Err(Refusal::ConsentRequired));
        assert_eq!(reveal_payment_ids(&operator, &thread), Ok(()));
        assert_eq!(reveal_payment_ids(&other_developer, &thread), Err(Refusal::NotFound));
        thread.consent_personal_info = true;
        assert_eq!(reveal_payment_ids(&developer, &thread), Ok(()));
        assert_eq!(give_consent(&customer, &thread), Ok(()));
        assert_eq!(give_consent(&developer, &thread), Err(Refusal::Forbidden));
        assert_eq!(give_consent(&operator, &thread), Err(Refusal::Forbidden));
        assert_eq!(give_consent(&other_customer, &thread), Err(Refusal::NotFound));
    }

    #[test]
    fn r8_only_the_sellers_developer_requests_and_only_operators_decide() {
        let thread = inquiry("c1", "s1");
        let developer = actor(Role::Developer, "d1", Some("s1"));
        let mut purchase = purchase_of("c1");
        assert_eq!(request_cancellation(&developer, &thread, &purchase), Ok(()));
        assert_eq!(
            request_cancellation(&actor(Role::Developer, "d2", Some("s2")), &thread, &purchase),
            Err(Refusal::NotFound)
        );
        assert_eq!(
            request_cancellation(&actor(Role::Customer, "c1", None), &thread, &purchase),
            Err(Refusal::Forbidden)
        );
        assert_eq!(
            request_cancellation(&actor(Role::Operator, "o", None), &thread, &purchase),
            Err(Refusal::Forbidden)
        );
        purchase.seller_id = SellerId("s2".into());
        assert_eq!(request_cancellation(&developer, &thread, &purchase), Err(Refusal::NotFound));
        let other_customers = purchase_of("c2");
        assert_eq!(request_cancellation(&developer, &thread, &other_customers), Err(Refusal::NotFound));
        assert_eq!(decide_cancellation(&actor(Role::Operator, "o", None)), Ok(()));
        assert_eq!(decide_cancellation(&developer), Err(Refusal::Forbidden));
        assert_eq!(cancel_on_behalf(&developer), Err(Refusal::Forbidden));
        assert_eq!(cancel_on_behalf(&actor(Role::Customer, "c1", None)), Err(Refusal::Forbidden));
        assert_eq!(file_off_store_request(&developer), Ok(SellerId("s1".into())));
        assert_eq!(file_off_store_request(&actor(Role::Operator, "o", None)), Err(Refusal::Forbidden));
        assert_eq!(look_up_off_store_purchases(&developer), Ok(SellerId("s1".into())));
        for role in [Role::Operator, Role::Customer] {
            assert_eq!(look_up_off_store_purchases(&actor(role, "x", None)), Err(Refusal::Forbidden));
        }
        assert_eq!(list_cancellation_requests(&developer, None), Ok(RequestScope::Seller(SellerId("s1".into()))));
        assert_eq!(list_cancellation_requests(&developer, Some(&SellerId("s2".into()))), Err(Refusal::NotFound));
        assert_eq!(list_cancellation_requests(&actor(Role::Customer, "c1", None), None), Err(Refusal::Forbidden));
        assert_eq!(list_cancellation_requests(&actor(Role::Operator, "o", None), None), Ok(RequestScope::All));
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
