//! Rows of My page (issue 12 item 4): a purchase with the open inquiry naming it and
//! the newest request to cancel it, as [`crate::ledger_sql::PURCHASE_STANDINGS`] reads them.

use vocdesk_domain::ids::{CancellationRequestId, InquiryId};
use vocdesk_domain::inquiry::InquiryStatus;
use vocdesk_domain::purchase::{OpenInquiry, PurchaseStanding, PurchaseView, RequestNote};
use vocdesk_domain::refund::RequestStatus;

use super::{PurchaseRow, corrupt, optional_time};
use crate::db::{FromRow, Row};
use crate::{StoreError, StoreResult};

pub(crate) struct StandingRow {
    purchase: PurchaseRow,
    open_inquiry_id: Option<String>,
    open_inquiry_customer_id: Option<String>,
    open_inquiry_subject: Option<String>,
    open_inquiry_status: Option<String>,
    request_id: Option<String>,
    request_inquiry_id: Option<String>,
    request_status: Option<String>,
    request_decided_at: Option<i64>,
}

impl FromRow for StandingRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            purchase: PurchaseRow::from_row(row)?,
            open_inquiry_id: row.get("open_inquiry_id")?,
            open_inquiry_customer_id: row.get("open_inquiry_customer_id")?,
            open_inquiry_subject: row.get("open_inquiry_subject")?,
            open_inquiry_status: row.get("open_inquiry_status")?,
            request_id: row.get("request_id")?,
            request_inquiry_id: row.get("request_inquiry_id")?,
            request_status: row.get("request_status")?,
            request_decided_at: row.get("request_decided_at")?,
        })
    }
}

impl TryFrom<StandingRow> for PurchaseStanding {
    type Error = StoreError;

    fn try_from(row: StandingRow) -> Result<Self, Self::Error> {
        let view = PurchaseView::try_from(row.purchase)?;
        // Only ever the purchase's own customer's inquiry (see the query).
        let theirs = row.open_inquiry_customer_id.as_deref() == Some(view.purchase.customer_id.as_str());
        let open_inquiry = match (row.open_inquiry_id, row.open_inquiry_subject, row.open_inquiry_status) {
            (Some(id), Some(subject), Some(status)) if theirs => Some(OpenInquiry {
                id: InquiryId(id),
                subject,
                status: InquiryStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
            }),
            _ => None,
        };
        let request = match (row.request_id, row.request_inquiry_id, row.request_status) {
            (Some(id), Some(inquiry_id), Some(status)) => Some(RequestNote {
                id: CancellationRequestId(id),
                inquiry_id: InquiryId(inquiry_id),
                status: RequestStatus::parse(&status).ok_or_else(|| corrupt("request status", &status))?,
                decided_at: optional_time(row.request_decided_at)?,
            }),
            _ => None,
        };
        Ok(PurchaseStanding { view, open_inquiry, request })
    }
}

pub(crate) fn standing_cursor(standing: &PurchaseStanding) -> vocdesk_domain::page::Cursor {
    super::purchase_cursor(&standing.view)
}
