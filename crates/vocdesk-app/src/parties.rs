//! Who a notification goes to (R3): the customer of a thread, and the seller's
//! developers, each in their own language.

use vocdesk_domain::ids::SellerId;
use vocdesk_domain::inquiry::Inquiry;
use vocdesk_domain::locale::Locale;
use vocdesk_mail::Recipient;

use crate::context::App;
use crate::error::{AppError, AppResult};

/// R3: the seller's developers, each in their own language; a seller without developer
/// accounts is written to at its support address, in Korean.
pub(crate) async fn developer_recipients(
    app: &App,
    seller: &SellerId,
    support_email: &str,
) -> AppResult<Vec<Recipient>> {
    let developers = app.store().developers_of_seller(seller).await?;
    if developers.is_empty() {
        return Ok(vec![Recipient {
            user_id: None,
            email: support_email.to_owned(),
            name: support_email.to_owned(),
            locale: Locale::Ko,
        }]);
    }
    Ok(developers.into_iter().map(Recipient::from).collect())
}

/// Who a refund mail goes to: the customer, and the seller's developers (or its
/// support address when it has none).
pub(crate) struct Parties {
    /// The inquiry's customer.
    pub customer: Vec<Recipient>,
    /// The seller's developers.
    pub developers: Vec<Recipient>,
}

impl Parties {
    /// The parties of `inquiry`.
    pub async fn of(app: &App, inquiry: &Inquiry) -> AppResult<Self> {
        let customer = app.store().user(&inquiry.customer_id).await?.ok_or(AppError::NotFound)?;
        let seller = app.store().seller(&inquiry.seller_id).await?.ok_or(AppError::NotFound)?;
        let developers = developer_recipients(app, &seller.id, &seller.support_email).await?;
        Ok(Self { customer: vec![Recipient::from(customer)], developers })
    }
}
