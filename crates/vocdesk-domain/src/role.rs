//! Roles and the signed-in actor. Authorization decisions in [`crate::policy`] take an
//! [`Actor`], never a raw user row, so that what a request may do depends only on who
//! it is and what it owns.

use serde::{Deserialize, Serialize};

use crate::ids::{SellerId, UserId};

/// What a user is to the store; fixed for the life of the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A store user who buys, asks, and reviews.
    Customer,
    /// A member of a seller (developer account) who answers for the seller's apps.
    Developer,
    /// Store operations staff.
    Operator,
}

impl Role {
    /// The snake_case word used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Developer => "developer",
            Role::Operator => "operator",
        }
    }

    /// Parses the stored word; `None` for anything else.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "customer" => Some(Role::Customer),
            "developer" => Some(Role::Developer),
            "operator" => Some(Role::Operator),
            _ => None,
        }
    }
}

/// What a bearer token may be used for. Sign-in tokens act as their user; a
/// payment-system token, issued by an operator for an import job, may only record
/// purchases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Everything the user's role allows (API sign-in and web sessions).
    Full,
    /// Only `POST /api/v1/purchases`.
    PaymentSystem,
}

impl TokenScope {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Full => "full",
            TokenScope::PaymentSystem => "payment_system",
        }
    }

    /// Parses the stored word.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "full" => Some(TokenScope::Full),
            "payment_system" => Some(TokenScope::PaymentSystem),
            _ => None,
        }
    }
}

/// The authenticated party behind a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The user acting.
    pub user_id: UserId,
    /// Their role.
    pub role: Role,
    /// For developers, the seller they act for; `None` for everyone else.
    pub seller_id: Option<SellerId>,
    /// What the credential in use allows.
    pub scope: TokenScope,
}
