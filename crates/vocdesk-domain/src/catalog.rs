//! What sellers offer: apps (free or paid) and in-app items, and the R13 rating summary
//! every app carries.

use jiff::Timestamp;
use serde::Serialize;

use crate::ids::{AppId, ItemId, SellerId};
use crate::money::{Currency, Money};
use crate::text;
use crate::validation::{FieldError, ValidationErrors};

/// The longest app or item title.
pub const TITLE_MAX: usize = 120;
/// The longest app summary.
pub const SUMMARY_MAX: usize = 2_000;

/// An app in the store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct App {
    /// Opaque id.
    pub id: AppId,
    /// The seller that owns it; its developers answer for it.
    pub seller_id: SellerId,
    /// The seller's display name, carried along because every listing shows it.
    pub seller_name: String,
    /// Title as the seller wrote it.
    pub title: String,
    /// Short description.
    pub summary: String,
    /// `None` for a free app.
    pub price: Option<Money>,
    /// R13: average, count and histogram of visible ratings, kept up to date on write.
    pub rating: RatingSummary,
    /// When it was listed.
    pub created_at: Timestamp,
}

impl App {
    /// Whether buying it costs money (free apps can still be "purchased" at 0, R10).
    pub fn is_paid(&self) -> bool {
        self.price.is_some()
    }
}

/// An in-app item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Item {
    /// Opaque id.
    pub id: ItemId,
    /// The app it is sold in.
    pub app_id: AppId,
    /// Title.
    pub title: String,
    /// Price.
    pub price: Money,
}

/// R13: the rating summary of an app. Stored as counters per star that are changed in
/// the same transaction as the review, so reading it costs one row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RatingSummary {
    /// Number of visible ratings.
    pub count: i64,
    /// Count of 1..=5 stars, index 0 is one star.
    pub histogram: [i64; 5],
}

impl RatingSummary {
    /// Builds a summary from the five per-star counters.
    pub fn from_histogram(histogram: [i64; 5]) -> Self {
        Self { count: histogram.iter().sum(), histogram }
    }

    /// The average rating, `None` when nobody rated yet.
    pub fn average(&self) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let total: i64 = self.histogram.iter().enumerate().map(|(i, n)| (i as i64 + 1) * n).sum();
        Some(total as f64 / self.count as f64)
    }
}

/// A validated new app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewApp {
    /// Owner.
    pub seller_id: SellerId,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// `None` for free.
    pub price: Option<Money>,
}

impl NewApp {
    /// Validates title, summary and price (a paid app costs more than nothing).
    pub fn new(
        seller_id: SellerId,
        title: &str,
        summary: &str,
        price: Option<(i64, &str)>,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = errors.check(text::required_line("title", title, TITLE_MAX));
        let summary = if summary.trim().is_empty() {
            Some(String::new())
        } else {
            errors.check(text::required_text("summary", summary, SUMMARY_MAX))
        };
        let price = match price {
            None => Some(None),
            Some((amount, currency)) => errors.check(paid_price("price", amount, currency).map(Some)),
        };
        errors.finish(|| Some(NewApp { seller_id, title: title?, summary: summary?, price: price? }))
    }
}

/// A validated new in-app item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewItem {
    /// The app it belongs to.
    pub app_id: AppId,
    /// Title.
    pub title: String,
    /// Price.
    pub price: Money,
}

impl NewItem {
    /// Validates the title and a positive price.
    pub fn new(app_id: AppId, title: &str, amount_minor: i64, currency: &str) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = errors.check(text::required_line("title", title, TITLE_MAX));
        let price = errors.check(paid_price("price", amount_minor, currency));
        errors.finish(|| Some(NewItem { app_id, title: title?, price: price? }))
    }
}

fn paid_price(field: &str, amount_minor: i64, currency: &str) -> Result<Money, FieldError> {
    let currency = Currency::parse(field, currency)?;
    if amount_minor <= 0 {
        return Err(FieldError::new(field, "not_positive", "a price above zero"));
    }
    Ok(Money { amount_minor, currency })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r13_average_follows_the_histogram() {
        let summary = RatingSummary::from_histogram([1, 0, 0, 0, 3]);
        assert_eq!(summary.count, 4);
        assert_eq!(summary.average(), Some(4.0));
        assert_eq!(RatingSummary::default().average(), None);
    }

    #[test]
    fn a_paid_app_costs_more_than_nothing() {
        let seller = SellerId("s".into());
        assert!(NewApp::new(seller.clone(), "Game", "", Some((0, "KRW"))).is_err());
        assert!(NewApp::new(seller.clone(), "Game", "", Some((1_200, "KRW"))).is_ok());
        assert!(NewApp::new(seller, "Game", "", None).is_ok());
    }
}
