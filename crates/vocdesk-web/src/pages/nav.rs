//! The header's navigation (issue 12, item 11): each role's pages and queues, with the
//! page in view marked (`aria-current="page"`, and a visible style), so that every page
//! says where you are and every queue is one tap away.
//!
//! The entries are listed here, once, rather than in `base.html`, so that the marking
//! follows one rule for every role instead of a condition repeated per link.

use vocdesk_domain::role::Role;

use crate::i18n::I18n;

/// One link of the header's navigation.
#[derive(Clone, Debug)]
pub struct NavLink {
    /// Where it leads.
    pub href: &'static str,
    /// `data-nav`, a stable name for tests and styles.
    pub key: &'static str,
    /// Its words, in the visitor's language.
    pub label: String,
    /// Whether it is the page in view.
    pub current: bool,
}

/// An entry: address, `data-nav`, catalog key, and whether the pages under it
/// (`href/...`) count as it. A role's home has pages of its own under it (the
/// developer's inbox is under `/developer`), so it is current only on itself.
struct Entry(&'static str, &'static str, &'static str, bool);

const APPS: Entry = Entry("/", "apps", "nav-apps", false);

const CUSTOMER: &[Entry] =
    &[Entry("/my", "my", "nav-my", false), Entry("/my/inquiries", "my-inquiries", "nav-my-inquiries", true)];

const DEVELOPER: &[Entry] = &[
    Entry("/developer", "developer", "nav-developer", false),
    Entry("/developer/inquiries", "developer-inquiries", "nav-developer-inquiries", true),
    Entry("/developer/reviews", "developer-reviews", "nav-developer-reviews", true),
];

/// The operator's home and every queue they work, in the order of a working day:
/// what waits on people first (refunds, overdue answers), then mail and the records.
const OPERATOR: &[Entry] = &[
    Entry("/operator", "operator", "nav-operator", false),
    Entry("/operator/cancellation-requests", "operator-requests", "nav-operator-requests", true),
    Entry("/operator/overdue", "operator-overdue", "nav-operator-overdue", true),
    Entry("/operator/inquiries", "operator-inquiries", "nav-operator-inquiries", true),
    Entry("/operator/moderation", "operator-moderation", "nav-operator-moderation", true),
    Entry("/operator/mail", "operator-mail", "nav-operator-mail", true),
    Entry("/operator/outbox", "operator-outbox", "nav-operator-outbox", true),
    Entry("/operator/push", "operator-push", "nav-operator-push", true),
    Entry("/operator/audit", "operator-audit", "nav-operator-audit", true),
];

/// Whether `path` (without its query) is the entry's page, or one under it.
fn is_current(entry: &Entry, path: &str) -> bool {
    let Entry(href, _, _, below) = *entry;
    path == href || (below && path.strip_prefix(href).is_some_and(|rest| rest.starts_with('/')))
}

/// The links of the header for a visitor (`None`) or a signed-in role, on the page at
/// `here` (a path, possibly with a query).
pub fn links(role: Option<Role>, here: &str, i18n: &I18n) -> Vec<NavLink> {
    let path = here.split(['?', '#']).next().unwrap_or("/");
    let own: &[Entry] = match role {
        None => &[],
        Some(Role::Customer) => CUSTOMER,
        Some(Role::Developer) => DEVELOPER,
        Some(Role::Operator) => OPERATOR,
    };
    // The store's apps, and the pages of one app under `/apps/`.
    let apps = NavLink {
        href: APPS.0,
        key: APPS.1,
        label: i18n.t(APPS.2),
        current: path == "/" || path.starts_with("/apps/"),
    };
    std::iter::once(apps)
        .chain(own.iter().map(|entry| NavLink {
            href: entry.0,
            key: entry.1,
            label: i18n.t(entry.2),
            current: is_current(entry, path),
        }))
        .collect()
}

#[cfg(test)]
mod tests {
    use vocdesk_domain::locale::Locale;

    use super::*;

    fn current(role: Role, here: &str) -> Vec<&'static str> {
        let i18n = I18n { locale: Locale::En };
        links(Some(role), here, &i18n).into_iter().filter(|l| l.current).map(|l| l.key).collect()
    }

    #[test]
    fn item11_exactly_the_page_in_view_is_marked() {
        assert_eq!(current(Role::Operator, "/operator"), ["operator"]);
        assert_eq!(current(Role::Operator, "/operator?x=1"), ["operator"]);
        assert_eq!(current(Role::Operator, "/operator/audit?actor_id=u"), ["operator-audit"]);
        assert_eq!(current(Role::Operator, "/operator/mail?view=all"), ["operator-mail"]);
        assert_eq!(current(Role::Operator, "/operator/cancellation-requests"), ["operator-requests"]);
        assert_eq!(current(Role::Operator, "/operator/overdue"), ["operator-overdue"]);
        assert_eq!(current(Role::Operator, "/operator/mailbox"), Vec::<&str>::new(), "not a prefix of a word");
        assert_eq!(current(Role::Developer, "/developer"), ["developer"]);
        assert_eq!(current(Role::Developer, "/developer/inquiries?status=closed"), ["developer-inquiries"]);
        assert_eq!(current(Role::Developer, "/developer/cancellation-requests"), Vec::<&str>::new());
        assert_eq!(current(Role::Customer, "/my/inquiries"), ["my-inquiries"]);
        assert_eq!(current(Role::Customer, "/my"), ["my"]);
        assert_eq!(current(Role::Customer, "/apps/a1"), ["apps"]);
        assert_eq!(current(Role::Customer, "/inquiries/q1"), Vec::<&str>::new());
    }

    #[test]
    fn item11_every_queue_is_in_the_operator_navigation() {
        let i18n = I18n { locale: Locale::Ko };
        let hrefs: Vec<&str> = links(Some(Role::Operator), "/", &i18n).iter().map(|l| l.href).collect();
        for queue in [
            "/operator",
            "/operator/cancellation-requests",
            "/operator/overdue",
            "/operator/moderation",
            "/operator/mail",
            "/operator/outbox",
            "/operator/push",
            "/operator/audit",
        ] {
            assert!(hrefs.contains(&queue), "{queue} in {hrefs:?}");
        }
        assert_eq!(links(None, "/", &i18n).len(), 1, "a visitor sees the apps only");
    }
}
