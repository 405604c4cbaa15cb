/// Overdue `refund` inquiries with a purchase not yet settled, longest waiting first,
/// through `inquiries_auto_cancel_due`: `$1` the overdue cut-off, `$2` the batch size.
pub const AUTO_CANCEL_CANDIDATES: &str = "SELECT id FROM inquiries \
     WHERE awaiting_since IS NOT NULL AND category = 'refund' AND purchase_id IS NOT NULL \
     AND refund_settled_at IS NULL AND awaiting_since < $1 ORDER BY awaiting_since LIMIT $2";

/// Inquiries whose current wait began before `$1` and was not reminded yet, longest
/// waiting first, through `inquiries_reminder_due`; `$2` the batch size.
pub const DUE_REMINDERS: &str = concat!(
    inquiry_select!(),
    "WHERE q.awaiting_since IS NOT NULL AND q.reminder_sent_at IS NULL AND q.awaiting_since < $1 \
     ORDER BY q.awaiting_since LIMIT $2"
);
