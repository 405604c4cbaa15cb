//! What lists of reviews are narrowed to and ordered by: the public list's filters and
//! orders (R10), the developers' inbox (R11) and whose reviews it shows.

use super::Stars;
use crate::ids::{AppId, SellerId};
use crate::locale::Locale;
use crate::validation::FieldError;

/// The public list's order (R10), newest first unless asked otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ReviewSort {
    /// Newest first.
    #[default]
    Newest,
    /// Oldest first.
    Oldest,
    /// Most stars first, newest first within a rating.
    RatingHigh,
    /// Fewest stars first, newest first within a rating.
    RatingLow,
}

impl ReviewSort {
    /// Parses the `sort` word.
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "newest" => ReviewSort::Newest,
            "oldest" => ReviewSort::Oldest,
            "rating_high" => ReviewSort::RatingHigh,
            "rating_low" => ReviewSort::RatingLow,
            _ => return None,
        })
    }

    /// The word.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewSort::Newest => "newest",
            ReviewSort::Oldest => "oldest",
            ReviewSort::RatingHigh => "rating_high",
            ReviewSort::RatingLow => "rating_low",
        }
    }
}

/// A set of star ratings to show (bit `n - 1` for `n` stars); empty means all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct StarSet(u8);

impl StarSet {
    /// Reads `1,2` or `5`: a list of ratings.
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        let mut set = 0u8;
        for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let n: i64 = part.parse().map_err(|_| Stars::parse("rating", 0).unwrap_err())?;
            set |= 1 << Stars::parse("rating", n)?.index();
        }
        Ok(StarSet(set))
    }

    /// A set of the given ratings.
    pub fn of(stars: &[Stars]) -> Self {
        StarSet(stars.iter().fold(0, |set, s| set | 1 << s.index()))
    }

    /// The ratings in the set, one star first; empty when no filter was given.
    pub fn stars(self) -> Vec<Stars> {
        Stars::ALL.into_iter().filter(|s| self.0 & (1 << s.index()) != 0).collect()
    }

    /// Whether a filter was given.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether the set lets `stars` through.
    pub fn contains(self, stars: Stars) -> bool {
        self.is_empty() || self.0 & (1 << stars.index()) != 0
    }
}

/// What the public list of an app's reviews is narrowed to (R10). Filters combine.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ReviewFilter {
    /// Only these ratings.
    pub stars: StarSet,
    /// Only reviews with (`true`) or without (`false`) a shown official reply.
    pub replied: Option<bool>,
    /// Only reviews with (`true`) or without (`false`) text.
    pub has_text: Option<bool>,
    /// Only reviews in this language.
    pub lang: Option<Locale>,
    /// The order.
    pub sort: ReviewSort,
}

/// The developers' reviews inbox order: owed answers first unless asked otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum InboxSort {
    /// Reviews without a reply, or with an outdated one (R18), first; newest first
    /// within each group.
    #[default]
    Unanswered,
    /// Any of the public orders.
    Public(ReviewSort),
}

impl InboxSort {
    /// Parses the `sort` word of the inbox.
    pub fn parse(value: &str) -> Option<Self> {
        if value == "unanswered" {
            Some(InboxSort::Unanswered)
        } else {
            ReviewSort::parse(value).map(InboxSort::Public)
        }
    }
}

/// Whose reviews an inbox shows (from the policy, never from the client).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ReviewScope {
    /// One seller's apps.
    Seller(SellerId),
    /// Every app (operators).
    All,
}

/// What the reviews inbox is narrowed to (R11). Filters combine.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct InboxFilter {
    /// One app.
    pub app_id: Option<AppId>,
    /// Only these ratings.
    pub stars: StarSet,
    /// Only reviews with (`true`) or without (`false`) a reply.
    pub replied: Option<bool>,
    /// Only reviews whose reply is (`true`) or is not (`false`) outdated (R18).
    pub outdated: Option<bool>,
    /// The order.
    pub sort: InboxSort,
}
