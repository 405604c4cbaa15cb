//! The rules of vocdesk as types and pure functions, with no I/O.
//!
//! Every rule of `docs/rules.md` is cited by its number where it is enforced, so a newcomer
//! finds rule R7 with `grep -rn R7`. The modules here are the vocabulary the store and
//! the web layer share; neither may decide a rule on its own.
//!
//! | module | rules |
//! | --- | --- |
//! | [`account`] | who may sign in, as which [`role::Role`] |
//! | [`catalog`] | apps and in-app items a seller offers; the R13 rating summary shape |
//! | [`purchase`] | the purchase ledger (R6) and payment-id masking (R7) |
//! | [`inquiry`] | R1 inquiries, the R4 status machine, R5's clock and the inbox order |
//! | [`attachment`] | files on messages: limits and type sniffing from the bytes (R1) |
//! | [`refund`] | R5 cancelling on the developer's behalf, R8 cancellation requests, R9 off-store requests |
//! | [`review`] | R10 reviews, R11 official replies and R18 outdated replies, R12 reports, R13 counters |
//! | [`outbox`] | R3 notification mail, queued with the change that causes it |
//! | [`push`] | issue 13: push notifications to developers' devices, which endpoints are accepted |
//! | [`delivery`] | R16 retries and the per-recipient cap of outgoing mail |
//! | [`inbound`] | R15 reply tokens and addresses, and who may join a thread by mail |
//! | [`search`] | finding an inquiry by its words: Hangul bigrams and Latin words, the same on both engines |
//! | [`throttle`] | attempt budgets (sign-in per address and per account): GCRA, kept by the store |
//! | [`policy`] | ownership checks: who may read or change what (R1, R6, R7, R8, R11, R12) |
//! | [`audit`] | the audit entry (R14) and the channel a change came through (R2) |
//! | [`page`] | keyset pagination shared by every list |
//! | [`clock`] | injected time, so that the 3-day limit (R5) is tested without waiting |

pub mod account;
pub mod attachment;
pub mod audit;
pub mod catalog;
pub mod clock;
pub mod delivery;
pub mod ids;
pub mod inbound;
pub mod inquiry;
pub mod locale;
pub mod money;
pub mod outbox;
pub mod page;
pub mod policy;
pub mod purchase;
pub mod push;
pub mod refund;
pub mod review;
pub mod role;
pub mod search;
pub mod text;
pub mod throttle;
pub mod validation;

pub use validation::{FieldError, ValidationErrors};
