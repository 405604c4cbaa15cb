//! The column lists and joins that several aggregates read, as macros so that
//! `concat!` builds each query's text at compile time.

/// Columns of a user row, for `concat!`.
macro_rules! user_columns {
    () => {
        "id, email, display_name, role, seller_id, customer_no, locale, mail_locale, created_at"
    };
}

/// Columns of an app row joined with its seller, for `concat!`.
macro_rules! app_select {
    () => {
        "SELECT a.id, a.seller_id, s.name AS seller_name, a.title, a.summary, a.price_minor, a.currency, \
         a.rating_1, a.rating_2, a.rating_3, a.rating_4, a.rating_5, a.created_at \
         FROM apps a JOIN sellers s ON s.id = a.seller_id "
    };
}

/// A purchase joined with the names lists show, for `concat!`.
macro_rules! purchase_select {
    () => {
        "SELECT p.id, p.tid, p.txid, p.receipt_no, p.customer_id, p.app_id, p.item_id, p.amount_minor, \
         p.currency, p.purchased_at, p.status, p.cancelled_at, a.seller_id, a.title AS app_title, \
         i.title AS item_title \
         FROM purchases p JOIN apps a ON a.id = p.app_id LEFT JOIN items i ON i.id = p.item_id "
    };
}

/// Audit columns with the names people read instead of ids (R14): the acting user's
/// name and email, the subject of the inquiry and the app of the purchase the entry
/// belongs to (each a primary-key look-up), for `concat!`. The log is `l`.
macro_rules! audit_select {
    () => {
        "SELECT l.id, l.at, l.actor_user_id, l.actor_role, l.actor_label, l.channel, l.action, l.subject_type, \
         l.subject_id, l.detail, l.inquiry_id, l.purchase_id, u.display_name AS actor_name, \
         u.email AS actor_email, q.subject AS inquiry_subject, pa.title AS purchase_app_title \
         FROM audit_log l LEFT JOIN users u ON u.id = l.actor_user_id \
         LEFT JOIN inquiries q ON q.id = l.inquiry_id \
         LEFT JOIN purchases p ON p.id = l.purchase_id LEFT JOIN apps pa ON pa.id = p.app_id "
    };
}

/// An inquiry joined with the names lists show, for `concat!`.
macro_rules! inquiry_select {
    () => {
        "SELECT q.id, q.app_id, a.title AS app_title, q.seller_id, s.name AS seller_name, q.customer_id, \
         u.display_name AS customer_name, q.purchase_id, q.category, q.subject, q.status, q.awaiting_since, \
         q.channel, q.consent_personal_info, q.consent_at, q.message_count, q.created_at, q.first_response_at, \
         q.last_activity_at, q.closed_at, q.consent_recorded_by, cr.display_name AS consent_recorded_by_name \
         FROM inquiries q JOIN apps a ON a.id = q.app_id JOIN sellers s ON s.id = q.seller_id \
         JOIN users u ON u.id = q.customer_id LEFT JOIN users cr ON cr.id = q.consent_recorded_by "
    };
}

/// A message with its author's name, for `concat!`.
macro_rules! message_select {
    () => {
        "SELECT m.id, m.seq, m.author_id, u.display_name AS author_name, m.side, m.channel, m.body, m.created_at \
         FROM inquiry_messages m JOIN users u ON u.id = m.author_id "
    };
}

/// A cancellation request with the names lists show (R8), for `concat!`: the purchase's
/// app and item, the seller, the customer, the requesting developer, the inquiry's
/// subject, and who decided it (a person's name, or the policy's label).
macro_rules! request_select {
    () => {
        "SELECT r.id, r.purchase_id, r.inquiry_id, q.subject AS inquiry_subject, r.seller_id, s.name AS seller_name, \
         p.app_id, a.title AS app_title, i.title AS item_title, p.customer_id, cu.display_name AS customer_name, \
         r.requested_by, rb.display_name AS requested_by_name, r.channel, r.reason, r.status, r.decided_by, \
         COALESCE(d.display_name, r.decided_by_label) AS decided_by_name, r.decision_note, r.decided_at, \
         r.created_at \
         FROM cancellation_requests r JOIN purchases p ON p.id = r.purchase_id JOIN apps a ON a.id = p.app_id \
         LEFT JOIN items i ON i.id = p.item_id JOIN sellers s ON s.id = r.seller_id \
         JOIN users cu ON cu.id = p.customer_id JOIN users rb ON rb.id = r.requested_by \
         JOIN inquiries q ON q.id = r.inquiry_id LEFT JOIN users d ON d.id = r.decided_by "
    };
}

/// A review with its reply and the names it is shown with, for `concat!`.
macro_rules! review_select {
    () => {
        "SELECT r.id, r.app_id, r.seller_id, s.name AS seller_name, r.author_id, u.display_name AS author_name, \
         r.rating, r.body, r.lang, r.created_at, r.updated_at, r.edited, r.hidden_at, r.hidden_reason, \
         r.reply_body, r.reply_author_id, r.reply_created_at, r.reply_updated_at, r.reply_outdated, \
         r.reply_hidden_at, r.reply_hidden_reason \
         FROM reviews r JOIN sellers s ON s.id = r.seller_id JOIN users u ON u.id = r.author_id "
    };
}
