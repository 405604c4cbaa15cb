//! Who is acting, as every door knows it: the signed-in user, what they may do, and the
//! door they came through (R2). Use cases ask the policy with the actor and write the
//! audit entry (R14) with the user and the channel.

use vocdesk_domain::account::User;
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::role::Actor;
use vocdesk_store::Acting;

/// Who is acting, as both doors know it.
#[derive(Clone, Copy, Debug)]
pub struct Caller<'a> {
    /// The signed-in user.
    pub user: &'a User,
    /// What they may do.
    pub actor: &'a Actor,
    /// R2: through which door (`store` for pages, `api` for the JSON API).
    pub channel: Channel,
}

impl Caller<'_> {
    /// The audit facts (R2, R14) of what this caller does.
    pub fn acting(&self) -> Acting {
        Acting { actor: AuditActor::user(self.user.id.clone(), self.user.role), channel: self.channel }
    }
}
