//! Tokens as the store keeps them: API tokens and web sessions, only ever by the
//! SHA-256 of their secret, so a stolen database yields no usable token.

use jiff::Timestamp;
use vocdesk_domain::account::User;
use vocdesk_domain::ids::{TokenId, UserId};
use vocdesk_domain::role::TokenScope;

/// Whether a token authenticates a program (`api`) or a browser session (`web`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// `Authorization: Bearer` for programs and the mobile app.
    Api,
    /// A signed session cookie for the web pages.
    Web,
}

impl TokenKind {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Api => "api",
            TokenKind::Web => "web",
        }
    }
}

/// A token to store; only the SHA-256 of its secret ever reaches the database.
#[derive(Clone, Debug)]
pub struct NewToken {
    /// Its id.
    pub id: TokenId,
    /// Hex SHA-256 of the secret.
    pub token_hash: String,
    /// Owner.
    pub user_id: UserId,
    /// API or web.
    pub kind: TokenKind,
    /// What it may do.
    pub scope: TokenScope,
    /// A name a person recognises in a token list ("sign-in", "payment export").
    pub label: String,
    /// Issued.
    pub created_at: Timestamp,
    /// No longer valid from then on.
    pub expires_at: Timestamp,
}

/// A valid token found by its hash.
#[derive(Clone, Debug)]
pub struct TokenGrant {
    /// The token's id.
    pub token_id: TokenId,
    /// Its scope.
    pub scope: TokenScope,
    /// Its owner.
    pub user: User,
}
