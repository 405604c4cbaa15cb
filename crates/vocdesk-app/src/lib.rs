//! vocdesk's use cases: every door (the JSON API and the web pages in `vocdesk-web`,
//! the background sweep, the command line, the demo) calls these, and none of them
//! knows HTTP. A use case takes the [`App`] (store, attachment files, mail rendering,
//! clock, the store's policy), the [`Caller`] when someone acts, and the submitted
//! fields; it asks [`vocdesk_domain::policy`] once, validates everything before
//! writing, renders the mail the change causes, and hands the change to one
//! [`vocdesk_store::Store`] call that commits it with its outbox rows and audit entry.
//! It fails with an [`AppError`], which each door turns into its own answer.

#![warn(missing_docs)]

pub mod accounts;
mod caller;
mod context;
pub mod delivery;
mod error;
pub mod inbound;
pub mod inquiries;
pub mod moderation;
pub mod off_store;
mod parties;
pub mod password;
pub mod provisioning;
pub mod purchases;
pub mod push;
pub mod refund_mail;
pub mod refunds;
pub mod reply_templates;
pub mod reviews;
pub mod sweep;
pub mod words;

pub use caller::Caller;
pub use context::{App, AppConfig, SignInBudgets};
pub use error::{AppError, AppResult};
