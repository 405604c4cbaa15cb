//! Who may do what with ratings and reviews (R10-R12): one pure function per decision.
//! Another seller's review is [`Refusal::NotFound`] to a developer, so that ids cannot
//! be probed; a role that may never do this is [`Refusal::Forbidden`].

use super::{Decision, Refusal, full, role};
use crate::ids::SellerId;
use crate::review::{ReplyTemplate, ReportTarget, Review, ReviewScope};
use crate::role::{Actor, Role};

/// R10: writing, editing or deleting one's own review: customers who obtained the app
/// (a free download counts). Everyone else is refused outright: there is nothing of
/// theirs to find.
pub fn review_app(actor: &Actor, obtained: bool) -> Decision {
    role(actor, Role::Customer)?;
    if obtained { Ok(()) } else { Err(Refusal::Forbidden) }
}

/// R10: reading one's own review and its history: customers (each reads only their
/// own, which the route names by app).
pub fn read_own_review(actor: &Actor) -> Decision {
    role(actor, Role::Customer)
}

/// R11: the role that answers reviews at all (developers), checked before the review
/// is looked up, so that a customer or operator is refused alike for any id.
pub fn answer_reviews(actor: &Actor) -> Decision {
    role(actor, Role::Developer)
}

/// R11: posting, editing, confirming or deleting the official reply: only the developers
/// of the app's seller; another seller's developer is told the review does not exist.
pub fn reply_to_review(actor: &Actor, review: &Review) -> Decision {
    role(actor, Role::Developer)?;
    own_seller(actor, &review.seller_id)
}

/// R11: reading a review as the developers' side sees it (hidden items, the reply
/// history): the seller's developers and operators.
pub fn read_review_as_staff(actor: &Actor, review: &Review) -> Decision {
    full(actor)?;
    match actor.role {
        Role::Operator => Ok(()),
        Role::Developer => own_seller(actor, &review.seller_id),
        Role::Customer => Err(Refusal::Forbidden),
    }
}

/// R11: whose reviews the reviews inbox lists: a developer's own seller's (naming
/// another seller is not found), every app for operators; customers never.
pub fn list_review_inbox(actor: &Actor) -> Result<ReviewScope, Refusal> {
    full(actor)?;
    match actor.role {
        Role::Operator => Ok(ReviewScope::All),
        Role::Developer => actor.seller_id.clone().map(ReviewScope::Seller).ok_or(Refusal::Forbidden),
        Role::Customer => Err(Refusal::Forbidden),
    }
}

/// R12: reporting. Customers report any shown review or reply; developers report
/// reviews of their own seller's apps (not replies, which are theirs); operators
/// moderate instead of reporting.
pub fn report(actor: &Actor, review: &Review, target: ReportTarget) -> Decision {
    full(actor)?;
    match (actor.role, target) {
        (Role::Customer, _) => Ok(()),
        (Role::Developer, ReportTarget::Review) => own_seller(actor, &review.seller_id),
        (Role::Developer, ReportTarget::Reply) | (Role::Operator, _) => Err(Refusal::Forbidden),
    }
}

/// R12: hiding and unhiding, and reading the moderation queue: operators only.
pub fn moderate(actor: &Actor) -> Decision {
    role(actor, Role::Operator)
}

/// A seller's saved replies: listing and creating them, for its developers.
pub fn keep_reply_templates(actor: &Actor) -> Result<SellerId, Refusal> {
    role(actor, Role::Developer)?;
    actor.seller_id.clone().ok_or(Refusal::Forbidden)
}

/// Changing or deleting one saved reply: its seller's developers; another seller's
/// template is refused outright (403), as the contract says.
pub fn change_reply_template(actor: &Actor, template: &ReplyTemplate) -> Decision {
    let seller = keep_reply_templates(actor)?;
    if seller == template.seller_id { Ok(()) } else { Err(Refusal::Forbidden) }
}

fn own_seller(actor: &Actor, seller_id: &SellerId) -> Decision {
    if actor.seller_id.as_ref() == Some(seller_id) { Ok(()) } else { Err(Refusal::NotFound) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{AppId, ReviewId, UserId};
    use crate::locale::Locale;
    use crate::review::Stars;
    use crate::role::TokenScope;

    fn actor(role: Role, seller: Option<&str>) -> Actor {
        Actor {
            user_id: UserId("u".into()),
            role,
            seller_id: seller.map(|s| SellerId(s.into())),
            scope: TokenScope::Full,
        }
    }

    fn review() -> Review {
        Review {
            id: ReviewId("r".into()),
            app_id: AppId("a".into()),
            seller_id: SellerId("s1".into()),
            author_id: UserId("c".into()),
            author_name: "C".into(),
            stars: Stars::parse("rating", 4).expect("stars"),
            text: None,
            lang: Locale::Ko,
            created_at: jiff::Timestamp::UNIX_EPOCH,
            updated_at: jiff::Timestamp::UNIX_EPOCH,
            edited: false,
            hidden: None,
            reply: None,
        }
    }

    #[test]
    fn r10_only_customers_who_obtained_the_app_review_it() {
        assert_eq!(review_app(&actor(Role::Customer, None), true), Ok(()));
        assert_eq!(review_app(&actor(Role::Customer, None), false), Err(Refusal::Forbidden));
        assert_eq!(review_app(&actor(Role::Developer, Some("s1")), true), Err(Refusal::Forbidden));
        assert_eq!(review_app(&actor(Role::Operator, None), true), Err(Refusal::Forbidden));
    }

    #[test]
    fn r11_only_the_apps_sellers_developers_reply() {
        let r = review();
        assert_eq!(reply_to_review(&actor(Role::Developer, Some("s1")), &r), Ok(()));
        assert_eq!(reply_to_review(&actor(Role::Developer, Some("s2")), &r), Err(Refusal::NotFound));
        assert_eq!(reply_to_review(&actor(Role::Customer, None), &r), Err(Refusal::Forbidden));
        assert_eq!(reply_to_review(&actor(Role::Operator, None), &r), Err(Refusal::Forbidden));
    }

    #[test]
    fn r12_customers_report_both_developers_their_reviews_operators_moderate() {
        let r = review();
        assert_eq!(report(&actor(Role::Customer, None), &r, ReportTarget::Reply), Ok(()));
        assert_eq!(report(&actor(Role::Developer, Some("s1")), &r, ReportTarget::Review), Ok(()));
        assert_eq!(report(&actor(Role::Developer, Some("s2")), &r, ReportTarget::Review), Err(Refusal::NotFound));
        assert_eq!(report(&actor(Role::Developer, Some("s1")), &r, ReportTarget::Reply), Err(Refusal::Forbidden));
        assert_eq!(moderate(&actor(Role::Developer, Some("s1"))), Err(Refusal::Forbidden));
        assert_eq!(moderate(&actor(Role::Operator, None)), Ok(()));
    }
}
