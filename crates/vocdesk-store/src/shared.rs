//! The queries both engines share, written once in portable SQL (`$1` placeholders,
//! row-value comparisons, `ON CONFLICT`, integer times) and generated for each engine
//! by [`impl_store_queries!`]. What differs between the engines (opening, pragmas,
//! migrations, later: row locks for background work) lives in `sqlite.rs` and
//! `postgres.rs`.

/// Columns of a user row, for `concat!`.
macro_rules! user_columns {
    () => {
        "id, email, display_name, role, seller_id, customer_no, locale, created_at"
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

/// Audit columns, for `concat!`.
macro_rules! audit_select {
    () => {
        "SELECT id, at, actor_user_id, actor_role, actor_label, channel, action, subject_type, subject_id, detail \
         FROM audit_log "
    };
}

/// An inquiry joined with the names lists show, for `concat!`.
macro_rules! inquiry_select {
    () => {
        "SELECT q.id, q.app_id, a.title AS app_title, q.seller_id, s.name AS seller_name, q.customer_id, \
         u.display_name AS customer_name, q.purchase_id, q.category, q.subject, q.status, q.awaiting_since, \
         q.channel, q.consent_personal_info, q.consent_at, q.message_count, q.created_at, q.first_response_at, \
         q.last_activity_at, q.closed_at \
         FROM inquiries q JOIN apps a ON a.id = q.app_id JOIN sellers s ON s.id = q.seller_id \
         JOIN users u ON u.id = q.customer_id "
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

/// Generates `impl Store for $store` over the engine `$db`. The type must have
/// `reader()` and `writer()` pools and the engine-specific methods `engine_name()`,
/// `run_migrations()`.
macro_rules! impl_store_queries {
    ($store:ty, $db:ty) => {
        use async_trait::async_trait;
        use jiff::Timestamp;
        use vocdesk_domain::account::{NewUser, Seller, User};
        use vocdesk_domain::audit::{AuditActor, AuditEntry, AuditRecord, Channel};
        use vocdesk_domain::catalog::{App, Item, NewApp, NewItem};
        use vocdesk_domain::attachment::AttachmentMeta;
        use vocdesk_domain::ids::{
            AppId, AttachmentId, AuditId, CancellationRequestId, InquiryId, ItemId, OutboxId, PurchaseId, SellerId,
            UserId,
        };
        use vocdesk_domain::inquiry::{
            AppInquiryCounts, Event, Inquiry, InquiryScope, InquiryStatus, Message, NewInquiry, NewMessage, Side,
            Thread, ThreadState, inbox_rank,
        };
        use vocdesk_domain::locale::Locale;
        use vocdesk_domain::outbox::{MailStatus, OutgoingMail, QueuedMail};
        use vocdesk_domain::page::{Page, PageRequest};
        use vocdesk_domain::policy::RequestScope;
        use vocdesk_domain::purchase::{NewPurchase, PurchaseStatus, PurchaseView};
        use vocdesk_domain::refund::{
            self, CancelRefusal, CancellationRequest, Decision, DecisionEffect, NewCancellationRequest, RequestStatus,
        };
        use vocdesk_domain::role::TokenScope;
        use vocdesk_domain::{FieldError, ValidationErrors};

        use crate::rows::{
            self, AppRow, AttachmentRow, AuditRow, InquiryRow, ItemRow, MessageRow, OutboxRow, PurchaseRow, RequestRow,
            SellerRow, UserRow, millis,
        };
        use crate::{
            Acting, AuditFilter, DecideOutcome, InquiryQuery, MessageOutcome, NewToken, OffStoreOutcome,
            OnBehalfOutcome, RecordOutcome, Rejection, RequestQuery, Store, StoreError, StoreResult, SubmitOutcome,
            TokenGrant, TokenKind,
        };

        type Conn = <$db as sqlx::Database>::Connection;

        /// R14: writes an audit entry inside the caller's transaction, linked to the
        /// inquiry and the purchase it belongs to (see `rows::audit_links`) so that the
        /// audit log can be read by either.
        async fn write_audit(conn: &mut Conn, entry: &AuditEntry, at: Timestamp) -> StoreResult<()> {
            let (inquiry_id, purchase_id) = rows::audit_links(entry);
            sqlx::query(
                "INSERT INTO audit_log (id, at, actor_user_id, actor_role, actor_label, channel, action, \
                 subject_type, subject_id, detail, inquiry_id, purchase_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(AuditId::generate().0)
            .bind(millis(at))
            .bind(entry.actor.user_id.as_ref().map(|u| u.0.clone()))
            .bind(entry.actor.role.map(|r| r.as_str()))
            .bind(entry.actor.label.clone())
            .bind(entry.channel.as_str())
            .bind(entry.action.clone())
            .bind(entry.subject_type.clone())
            .bind(entry.subject_id.clone())
            .bind(entry.detail.clone())
            .bind(inquiry_id)
            .bind(purchase_id)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        /// The entry about the row just written: the store, which knows what it wrote,
        /// names the subject's type and id.
        fn about(entry: &AuditEntry, subject_type: &str, subject_id: &str) -> AuditEntry {
            AuditEntry { subject_type: subject_type.to_owned(), ..entry.clone().about(subject_id) }
        }

        async fn fetch_purchase(conn: &mut Conn, id: &str) -> StoreResult<Option<PurchaseView>> {
            let row: Option<PurchaseRow> = sqlx::query_as(concat!(purchase_select!(), "WHERE p.id = $1"))
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
            row.map(PurchaseView::try_from).transpose()
        }

        fn reject(field: &str, code: &str, expected: &str) -> RecordOutcome {
            RecordOutcome::Rejected(Rejection::Invalid(ValidationErrors(vec![FieldError::new(field, code, expected)])))
        }

        /// Records one purchase inside the batch's transaction (see `Store::record_purchases`).
        async fn record_one(
            conn: &mut Conn,
            new: &NewPurchase,
            actor: &AuditActor,
            channel: Channel,
            now: Timestamp,
        ) -> StoreResult<RecordOutcome> {
            let existing: Option<(String,)> = sqlx::query_as("SELECT id FROM purchases WHERE tid = $1")
                .bind(&new.payment.tid)
                .fetch_optional(&mut *conn)
                .await?;
            if let Some((id,)) = existing {
                return same_tid(conn, new, &id).await;
            }
            let role: Option<(String,)> = sqlx::query_as("SELECT role FROM users WHERE id = $1")
                .bind(&new.customer_id.0)
                .fetch_optional(&mut *conn)
                .await?;
            if role.as_ref().map(|(r,)| r.as_str()) != Some("customer") {
                return Ok(reject("customer_id", "unknown_customer", "the id of a customer"));
            }
            let app: Option<(String,)> = sqlx::query_as("SELECT id FROM apps WHERE id = $1")
                .bind(&new.app_id.0)
                .fetch_optional(&mut *conn)
                .await?;
            if app.is_none() {
                return Ok(reject("app_id", "unknown_app", "the id of an app"));
            }
            if let Some(item) = &new.item_id {
                let item_app: Option<(String,)> = sqlx::query_as("SELECT app_id FROM items WHERE id = $1")
                    .bind(&item.0)
                    .fetch_optional(&mut *conn)
                    .await?;
                if item_app.map(|(a,)| a) != Some(new.app_id.0.clone()) {
                    return Ok(reject("item_id", "unknown_item", "the id of an item of this app"));
                }
            }
            let id = PurchaseId::generate();
            let inserted = sqlx::query(
                "INSERT INTO purchases (id, tid, txid, receipt_no, customer_id, app_id, item_id, amount_minor, \
                 currency, purchased_at, status, cancelled_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (tid) DO NOTHING",
            )
            .bind(&id.0)
            .bind(&new.payment.tid)
            .bind(new.payment.txid.clone())
            .bind(new.payment.receipt_no.clone())
            .bind(&new.customer_id.0)
            .bind(&new.app_id.0)
            .bind(new.item_id.as_ref().map(|i| i.0.clone()))
            .bind(new.amount.amount_minor)
            .bind(new.amount.currency.as_str())
            .bind(millis(new.purchased_at))
            .bind(new.status.as_str())
            .bind((new.status == vocdesk_domain::purchase::PurchaseStatus::Cancelled).then(|| millis(now)))
            .bind(millis(now))
            .execute(&mut *conn)
            .await?;
            if inserted.rows_affected() == 0 {
                // Another process recorded the same TID between our look-up and insert.
                let (id,): (String,) = sqlx::query_as("SELECT id FROM purchases WHERE tid = $1")
                    .bind(&new.payment.tid)
                    .fetch_one(&mut *conn)
                    .await?;
                return same_tid(conn, new, &id).await;
            }
            let detail = serde_json::json!({
                "app_id": new.app_id.0,
                "item_id": new.item_id.as_ref().map(|i| &i.0),
                "customer_id": new.customer_id.0,
                "amount_minor": new.amount.amount_minor,
                "currency": new.amount.currency.as_str(),
                "status": new.status.as_str(),
            });
            let entry = AuditEntry::new(actor.clone(), channel, "purchase.recorded", "purchase", detail.to_string())
                .about(&id.0);
            write_audit(conn, &entry, now).await?;
            let view = fetch_purchase(conn, &id.0).await?.ok_or(StoreError::NotFound)?;
            Ok(RecordOutcome::Created(view))
        }

        async fn same_tid(conn: &mut Conn, new: &NewPurchase, id: &str) -> StoreResult<RecordOutcome> {
            let view = fetch_purchase(conn, id).await?.ok_or(StoreError::NotFound)?;
            // Times are stored to the millisecond: compare the retry at the precision the
            // first recording was kept, or a time sent with microseconds would never match.
            let sent = NewPurchase { purchased_at: rows::timestamp(millis(new.purchased_at))?, ..new.clone() };
            Ok(if sent.matches(&view.purchase) {
                RecordOutcome::AlreadyRecorded(view)
            } else {
                RecordOutcome::Rejected(Rejection::Conflict { what: "tid".to_owned() })
            })
        }


        /// R14: the entry a unit of work writes about itself.
        fn entry(acting: &Acting, action: &str, subject_type: &str, subject_id: &str, detail: serde_json::Value) -> AuditEntry {
            AuditEntry::new(acting.actor.clone(), acting.channel, action, subject_type, detail.to_string())
                .about(subject_id)
        }

        async fn fetch_inquiry(conn: &mut Conn, id: &str) -> StoreResult<Option<Inquiry>> {
            let row: Option<InquiryRow> = sqlx::query_as(concat!(inquiry_select!(), "WHERE q.id = $1"))
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
            row.map(Inquiry::try_from).transpose()
        }

        async fn fetch_message(conn: &mut Conn, id: &str) -> StoreResult<Message> {
            let row: MessageRow = sqlx::query_as(concat!(message_select!(), "WHERE m.id = $1"))
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
            let mut message = Message::try_from(row)?;
            let attachments: Vec<AttachmentRow> = sqlx::query_as(
                "SELECT message_id, id, filename, content_type, size, sha256 FROM attachments \
                 WHERE message_id = $1 ORDER BY position",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
            message.attachments = attachments.into_iter().map(AttachmentMeta::from).collect();
            Ok(message)
        }

        /// Writes a message at position `seq` with its attachments' rows.
        async fn insert_message(
            conn: &mut Conn,
            inquiry_id: &str,
            seq: i64,
            message: &NewMessage,
            now: Timestamp,
        ) -> StoreResult<()> {
            sqlx::query(
                "INSERT INTO inquiry_messages (id, inquiry_id, seq, author_id, side, channel, body, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&message.id.0)
            .bind(inquiry_id)
            .bind(seq)
            .bind(&message.author_id.0)
            .bind(message.side.as_str())
            .bind(message.channel.as_str())
            .bind(&message.body)
            .bind(millis(now))
            .execute(&mut *conn)
            .await?;
            for (position, file) in message.attachments.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO attachments (id, inquiry_id, message_id, position, filename, content_type, size, \
                     sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(&file.id.0)
                .bind(inquiry_id)
                .bind(&message.id.0)
                .bind(position as i64)
                .bind(&file.filename)
                .bind(&file.content_type)
                .bind(file.size)
                .bind(&file.sha256)
                .bind(millis(now))
                .execute(&mut *conn)
                .await?;
            }
            Ok(())
        }

        /// R1/R9: writes a new inquiry's row, with its app's seller copied onto it, and its
        /// first message at position 1, inside the caller's transaction; `NotFound` when
        /// the app does not exist. `state` is where the thread starts (`awaiting_developer`
        /// for a customer's inquiry, `awaiting_customer` for a developer's R9 record).
        async fn insert_inquiry(
            conn: &mut Conn,
            new: &NewInquiry,
            state: &ThreadState,
            first_response_at: Option<Timestamp>,
            now: Timestamp,
        ) -> StoreResult<()> {
            let seller: Option<(String,)> = sqlx::query_as("SELECT seller_id FROM apps WHERE id = $1")
                .bind(&new.app_id.0)
                .fetch_optional(&mut *conn)
                .await?;
            let Some((seller_id,)) = seller else { return Err(StoreError::NotFound) };
            sqlx::query(
                "INSERT INTO inquiries (id, app_id, seller_id, customer_id, purchase_id, category, subject, \
                 status, awaiting_since, channel, consent_personal_info, consent_at, message_count, created_at, \
                 first_response_at, last_activity_at, closed_at, inbox_rank) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $14, $13, NULL, $15)",
            )
            .bind(&new.id.0)
            .bind(&new.app_id.0)
            .bind(&seller_id)
            .bind(&new.customer_id.0)
            .bind(new.purchase_id.as_ref().map(|p| p.0.clone()))
            .bind(new.category.as_str())
            .bind(&new.subject)
            .bind(state.status.as_str())
            .bind(state.awaiting_since.map(millis))
            .bind(new.channel.as_str())
            .bind(new.consent_personal_info)
            .bind(new.consent_personal_info.then(|| millis(now)))
            .bind(millis(now))
            .bind(first_response_at.map(millis))
            .bind(inbox_rank(state, now))
            .execute(&mut *conn)
            .await?;
            insert_message(conn, &new.id.0, 1, &new.first_message, now).await
        }

        /// R3: queues mail inside the caller's transaction, due at once.
        async fn queue_mails(conn: &mut Conn, mails: &[OutgoingMail], now: Timestamp) -> StoreResult<()> {
            for mail in mails {
                sqlx::query(
                    "INSERT INTO outbox (id, kind, to_user_id, to_email, locale, subject, body_text, body_html, \
                     inquiry_id, status, attempts, next_attempt_at, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $10, $10)",
                )
                .bind(OutboxId::generate().0)
                .bind(mail.kind.as_str())
                .bind(mail.to_user.as_ref().map(|u| u.0.clone()))
                .bind(&mail.to_email)
                .bind(mail.locale.tag())
                .bind(&mail.subject)
                .bind(&mail.body_text)
                .bind(&mail.body_html)
                .bind(mail.inquiry_id.as_ref().map(|i| i.0.clone()))
                .bind(millis(now))
                .execute(&mut *conn)
                .await?;
            }
            Ok(())
        }

        /// Takes the inquiry's row lock (PostgreSQL; SQLite has one writer) and answers
        /// its R4/R5 state, message count and first response time.
        async fn lock_inquiry(
            conn: &mut Conn,
            id: &str,
        ) -> StoreResult<Option<(ThreadState, i64, Option<i64>)>> {
            let row: Option<(String, Option<i64>, i64, Option<i64>)> = sqlx::query_as(
                "UPDATE inquiries SET message_count = message_count WHERE id = $1 \
                 RETURNING status, awaiting_since, message_count, first_response_at",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            let Some((status, since, count, first_response)) = row else { return Ok(None) };
            let status = InquiryStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("status {status:?}")))?;
            let state = ThreadState { status, awaiting_since: since.map(rows::timestamp).transpose()? };
            Ok(Some((state, count, first_response)))
        }

        /// Stores a thread's new R4/R5 state and its inbox position.
        async fn save_state(
            conn: &mut Conn,
            id: &str,
            state: &ThreadState,
            message_count: i64,
            first_response_at: Option<i64>,
            now: Timestamp,
        ) -> StoreResult<()> {
            let closed_at = (state.status == InquiryStatus::Closed).then(|| millis(now));
            sqlx::query(
                "UPDATE inquiries SET status = $1, awaiting_since = $2, message_count = $3, \
                 first_response_at = $4, last_activity_at = $5, closed_at = $6, inbox_rank = $7, \
                 reminder_sent_at = CASE WHEN awaiting_since IS NOT DISTINCT FROM $2 THEN reminder_sent_at ELSE NULL END \
                 WHERE id = $8",
            )
            .bind(state.status.as_str())
            .bind(state.awaiting_since.map(millis))
            .bind(message_count)
            .bind(first_response_at)
            .bind(millis(now))
            .bind(closed_at)
            .bind(inbox_rank(state, now))
            .bind(id)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        // ----- refunds (R5, R7-R9) -----
        //
        // Lock order, the same on every path, so that two units of work never wait for
        // each other in a circle (PostgreSQL; SQLite has one writer): the purchase row
        // first, then the request and inquiry rows that name it. A path that must read a
        // row to learn which purchase to lock (a request's, an inquiry's purchase id,
        // which never change) reads it before its transaction and locks it after the
        // purchase. The first statement of each unit is a write, so that on SQLite it
        // takes the write lock at once instead of upgrading a read snapshot.

        /// R5: the note on a request approved by a cancellation on the developer's behalf.
        const ON_BEHALF_NOTE: &str = "cancelled on the developer's behalf (R5)";

        /// Takes the purchase's row lock (PostgreSQL; SQLite has one writer) and answers
        /// the purchase as it stands under the lock, where `refund::cancellable` is
        /// checked; `None` when it does not exist.
        async fn lock_purchase(conn: &mut Conn, id: &str) -> StoreResult<Option<PurchaseView>> {
            let locked: Option<(String,)> =
                sqlx::query_as("UPDATE purchases SET status = status WHERE id = $1 RETURNING id")
                    .bind(id)
                    .fetch_optional(&mut *conn)
                    .await?;
            if locked.is_none() {
                return Ok(None);
            }
            fetch_purchase(conn, id).await
        }

        async fn fetch_request(conn: &mut Conn, id: &str) -> StoreResult<Option<CancellationRequest>> {
            let row: Option<RequestRow> = sqlx::query_as(concat!(request_select!(), "WHERE r.id = $1"))
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
            row.map(CancellationRequest::try_from).transpose()
        }

        /// R8: the purchase's open request, if it has one (at most one, by index).
        async fn open_request_of(conn: &mut Conn, purchase_id: &str) -> StoreResult<Option<CancellationRequest>> {
            let row: Option<RequestRow> =
                sqlx::query_as(concat!(request_select!(), "WHERE r.purchase_id = $1 AND r.status = 'open'"))
                    .bind(purchase_id)
                    .fetch_optional(&mut *conn)
                    .await?;
            row.map(CancellationRequest::try_from).transpose()
        }

        /// R8: what a known `Idempotency-Key` answers: the request it was first sent
        /// with (the same fingerprint) or `KeyReused`; `None` for a new or no key.
        async fn replay(conn: &mut Conn, request: &NewCancellationRequest) -> StoreResult<Option<SubmitOutcome>> {
            let Some(key) = &request.idempotency else { return Ok(None) };
            let row: Option<(String, Option<String>)> = sqlx::query_as(
                "SELECT id, request_hash FROM cancellation_requests \
                 WHERE requested_by = $1 AND idempotency_key = $2 AND idempotency_key IS NOT NULL",
            )
            .bind(&request.requested_by.0)
            .bind(&key.key)
            .fetch_optional(&mut *conn)
            .await?;
            let Some((id, hash)) = row else { return Ok(None) };
            if hash.as_deref() != Some(key.fingerprint.as_str()) {
                return Ok(Some(SubmitOutcome::KeyReused));
            }
            let first = fetch_request(conn, &id).await?.ok_or(StoreError::NotFound)?;
            Ok(Some(SubmitOutcome::Replayed(first)))
        }

        /// R8: inserts an open request; `false` when a unique index holds another row
        /// already (the purchase's open request, the developer's key, the id), so that a
        /// race ends in a re-read, never in an error.
        async fn insert_request(
            conn: &mut Conn,
            request: &NewCancellationRequest,
            seller_id: &str,
            now: Timestamp,
        ) -> StoreResult<bool> {
            let inserted = sqlx::query(
                "INSERT INTO cancellation_requests (id, purchase_id, inquiry_id, seller_id, requested_by, channel, \
                 reason, status, idempotency_key, request_hash, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $10) ON CONFLICT DO NOTHING",
            )
            .bind(&request.id.0)
            .bind(&request.purchase_id.0)
            .bind(&request.inquiry_id.0)
            .bind(seller_id)
            .bind(&request.requested_by.0)
            .bind(request.channel.as_str())
            .bind(&request.reason)
            .bind(request.idempotency.as_ref().map(|i| i.key.clone()))
            .bind(request.idempotency.as_ref().map(|i| i.fingerprint.clone()))
            .bind(millis(now))
            .execute(&mut *conn)
            .await?;
            Ok(inserted.rows_affected() == 1)
        }

        /// R14: the entry of a submitted request; the reason itself stays in its row.
        fn submitted(acting: &Acting, request: &NewCancellationRequest) -> AuditEntry {
            let detail = serde_json::json!({
                "inquiry_id": request.inquiry_id.0,
                "purchase_id": request.purchase_id.0,
                "channel": request.channel.as_str(),
                "reason_chars": request.reason.chars().count(),
                "idempotency_key": request.idempotency.is_some(),
            });
            entry(acting, "cancellation_request.submitted", "cancellation_request", &request.id.0, detail)
        }

        /// R5/R8: cancels a paid purchase and records its one cancellation (the primary
        /// key of `purchase_cancellations` refuses a second, whatever the path). The
        /// caller holds the purchase's row lock and has checked `refund::cancellable`.
        async fn cancel_purchase(
            conn: &mut Conn,
            purchase_id: &str,
            inquiry_id: &str,
            request_id: Option<&str>,
            kind: &str,
            acting: &Acting,
            now: Timestamp,
        ) -> StoreResult<()> {
            let cancelled = sqlx::query(
                "UPDATE purchases SET status = 'cancelled', cancelled_at = $1 WHERE id = $2 AND status = 'paid'",
            )
            .bind(millis(now))
            .bind(purchase_id)
            .execute(&mut *conn)
            .await?;
            if cancelled.rows_affected() != 1 {
                return Err(StoreError::Conflict { what: "purchase".to_owned() });
            }
            sqlx::query(
                "INSERT INTO purchase_cancellations (purchase_id, inquiry_id, request_id, kind, actor_user_id, \
                 actor_label, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(purchase_id)
            .bind(inquiry_id)
            .bind(request_id)
            .bind(kind)
            .bind(acting.actor.user_id.as_ref().map(|u| u.0.clone()))
            .bind(acting.actor.label.clone())
            .bind(millis(now))
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        /// R5: marks every inquiry naming the purchase as settled (its purchase needs no
        /// cancelling any more), so that the sweep's index forgets them.
        async fn settle_inquiries(conn: &mut Conn, purchase_id: &str, now: Timestamp) -> StoreResult<()> {
            sqlx::query(
                "UPDATE inquiries SET refund_settled_at = $1 WHERE purchase_id = $2 AND refund_settled_at IS NULL",
            )
            .bind(millis(now))
            .bind(purchase_id)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        /// R9: the inquiry and the request describe the same refund: the request names
        /// the inquiry, and the inquiry the purchase, its app and its buyer.
        fn check_off_store(
            inquiry: &NewInquiry,
            request: &NewCancellationRequest,
            purchase: &PurchaseView,
        ) -> StoreResult<()> {
            let invalid = |field: &str, expected: &str| {
                Err(StoreError::Invalid(ValidationErrors(vec![FieldError::new(field, "mismatch", expected)])))
            };
            if request.inquiry_id != inquiry.id {
                return invalid("inquiry_id", "the id of the inquiry filed with the request");
            }
            if inquiry.purchase_id.as_ref() != Some(&request.purchase_id) {
                return invalid("purchase_id", "the purchase the inquiry names");
            }
            if purchase.purchase.customer_id != inquiry.customer_id || purchase.purchase.app_id != inquiry.app_id {
                return invalid("purchase_id", "a purchase of the inquiry's app by its customer");
            }
            Ok(())
        }

        #[async_trait]
        impl Store for $store {
            fn engine(&self) -> &'static str {
                self.engine_name()
            }

            async fn migrate(&self) -> StoreResult<()> {
                self.run_migrations().await
            }

            async fn ping(&self) -> StoreResult<()> {
                sqlx::query("SELECT 1").execute(self.reader()).await?;
                Ok(())
            }

            async fn has_users(&self) -> StoreResult<bool> {
                let row: Option<(String,)> =
                    sqlx::query_as("SELECT id FROM users LIMIT 1").fetch_optional(self.reader()).await?;
                Ok(row.is_some())
            }

            async fn secret(&self, name: &str, candidate: &[u8], now: Timestamp) -> StoreResult<Vec<u8>> {
                sqlx::query(
                    "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (name) DO NOTHING",
                )
                .bind(name)
                .bind(candidate)
                .bind(millis(now))
                .execute(self.writer())
                .await?;
                let (value,): (Vec<u8>,) = sqlx::query_as("SELECT value FROM server_secrets WHERE name = $1")
                    .bind(name)
                    .fetch_one(self.writer())
                    .await?;
                Ok(value)
            }

            async fn create_seller(
                &self,
                name: &str,
                support_email: &str,
                audit: &AuditEntry,
                now: Timestamp,
            ) -> StoreResult<Seller> {
                let id = SellerId::generate();
                let mut tx = self.writer().begin().await?;
                sqlx::query("INSERT INTO sellers (id, name, support_email, created_at) VALUES ($1, $2, $3, $4)")
                    .bind(&id.0)
                    .bind(name)
                    .bind(support_email)
                    .bind(millis(now))
                    .execute(&mut *tx)
                    .await?;
                write_audit(&mut tx, &about(audit, "seller", &id.0), now).await?;
                tx.commit().await?;
                Ok(Seller { id, name: name.to_owned(), support_email: support_email.to_owned() })
            }

            async fn create_user(
                &self,
                user: &NewUser,
                password_hash: &str,
                audit: &AuditEntry,
                now: Timestamp,
            ) -> StoreResult<User> {
                let id = UserId::generate();
                let mut tx = self.writer().begin().await?;
                sqlx::query(
                    "INSERT INTO users (id, email, password_hash, display_name, role, seller_id, customer_no, \
                     locale, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(&id.0)
                .bind(&user.email)
                .bind(password_hash)
                .bind(&user.display_name)
                .bind(user.role.as_str())
                .bind(user.seller_id.as_ref().map(|s| s.0.clone()))
                .bind(user.customer_no.clone())
                .bind(user.locale.tag())
                .bind(millis(now))
                .execute(&mut *tx)
                .await?;
                write_audit(&mut tx, &about(audit, "user", &id.0), now).await?;
                tx.commit().await?;
                Ok(User {
                    id,
                    email: user.email.clone(),
                    display_name: user.display_name.clone(),
                    role: user.role,
                    seller_id: user.seller_id.clone(),
                    customer_no: user.customer_no.clone(),
                    locale: user.locale,
                    created_at: rows::timestamp(millis(now))?,
                })
            }

            async fn user(&self, id: &UserId) -> StoreResult<Option<User>> {
                let row: Option<UserRow> =
                    sqlx::query_as(concat!("SELECT ", user_columns!(), " FROM users WHERE id = $1"))
                        .bind(&id.0)
                        .fetch_optional(self.reader())
                        .await?;
                row.map(User::try_from).transpose()
            }

            async fn credentials(&self, email: &str) -> StoreResult<Option<(User, String)>> {
                let row: Option<UserRow> =
                    sqlx::query_as(concat!("SELECT ", user_columns!(), " FROM users WHERE email = $1"))
                        .bind(email)
                        .fetch_optional(self.reader())
                        .await?;
                let Some(row) = row else { return Ok(None) };
                let user = User::try_from(row)?;
                let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
                    .bind(&user.id.0)
                    .fetch_one(self.reader())
                    .await?;
                Ok(Some((user, hash)))
            }

            async fn customer_by_number(&self, customer_no: &str) -> StoreResult<Option<User>> {
                let row: Option<UserRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    user_columns!(),
                    " FROM users WHERE customer_no = $1 AND role = 'customer'"
                ))
                .bind(customer_no)
                .fetch_optional(self.reader())
                .await?;
                row.map(User::try_from).transpose()
            }

            async fn insert_token(&self, token: &NewToken, audit: &AuditEntry) -> StoreResult<()> {
                let mut tx = self.writer().begin().await?;
                sqlx::query(
                    "INSERT INTO tokens (id, token_hash, user_id, kind, scope, label, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&token.id.0)
                .bind(&token.token_hash)
                .bind(&token.user_id.0)
                .bind(token.kind.as_str())
                .bind(token.scope.as_str())
                .bind(&token.label)
                .bind(millis(token.created_at))
                .bind(millis(token.expires_at))
                .execute(&mut *tx)
                .await?;
                write_audit(&mut tx, &about(audit, "token", &token.id.0), token.created_at).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn token(&self, token_hash: &str, kind: TokenKind, now: Timestamp) -> StoreResult<Option<TokenGrant>> {
                let row: Option<(String, String, String)> = sqlx::query_as(
                    "SELECT id, scope, user_id FROM tokens \
                     WHERE token_hash = $1 AND kind = $2 AND revoked_at IS NULL AND expires_at > $3",
                )
                .bind(token_hash)
                .bind(kind.as_str())
                .bind(millis(now))
                .fetch_optional(self.reader())
                .await?;
                let Some((token_id, scope, user_id)) = row else { return Ok(None) };
                let scope = TokenScope::parse(&scope).ok_or_else(|| StoreError::Corrupt(format!("scope {scope:?}")))?;
                let user = self.user(&UserId(user_id)).await?.ok_or(StoreError::NotFound)?;
                Ok(Some(TokenGrant { token_id: vocdesk_domain::ids::TokenId(token_id), scope, user }))
            }

            async fn revoke_token(&self, token_hash: &str, audit: &AuditEntry, now: Timestamp) -> StoreResult<bool> {
                let mut tx = self.writer().begin().await?;
                let revoked: Option<(String,)> = sqlx::query_as(
                    "UPDATE tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL RETURNING id",
                )
                .bind(millis(now))
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((id,)) = revoked else { return Ok(false) };
                write_audit(&mut tx, &about(audit, "token", &id), now).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn seller(&self, id: &SellerId) -> StoreResult<Option<Seller>> {
                let row: Option<SellerRow> = sqlx::query_as("SELECT id, name, support_email FROM sellers WHERE id = $1")
                    .bind(&id.0)
                    .fetch_optional(self.reader())
                    .await?;
                Ok(row.map(Seller::from))
            }

            async fn sellers(&self) -> StoreResult<Vec<Seller>> {
                let rows: Vec<SellerRow> =
                    sqlx::query_as("SELECT id, name, support_email FROM sellers ORDER BY name, id")
                        .fetch_all(self.reader())
                        .await?;
                Ok(rows.into_iter().map(Seller::from).collect())
            }

            async fn create_app(&self, app: &NewApp, audit: &AuditEntry, now: Timestamp) -> StoreResult<App> {
                let id = AppId::generate();
                let mut tx = self.writer().begin().await?;
                sqlx::query(
                    "INSERT INTO apps (id, seller_id, title, summary, price_minor, currency, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&id.0)
                .bind(&app.seller_id.0)
                .bind(&app.title)
                .bind(&app.summary)
                .bind(app.price.as_ref().map(|p| p.amount_minor))
                .bind(app.price.as_ref().map(|p| p.currency.as_str().to_owned()))
                .bind(millis(now))
                .execute(&mut *tx)
                .await?;
                write_audit(&mut tx, &about(audit, "app", &id.0), now).await?;
                tx.commit().await?;
                self.app(&id).await?.ok_or(StoreError::NotFound)
            }

            async fn create_item(&self, item: &NewItem, audit: &AuditEntry, now: Timestamp) -> StoreResult<Item> {
                let id = ItemId::generate();
                let mut tx = self.writer().begin().await?;
                sqlx::query(
                    "INSERT INTO items (id, app_id, title, price_minor, currency, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&id.0)
                .bind(&item.app_id.0)
                .bind(&item.title)
                .bind(item.price.amount_minor)
                .bind(item.price.currency.as_str())
                .bind(millis(now))
                .execute(&mut *tx)
                .await?;
                write_audit(&mut tx, &about(audit, "item", &id.0), now).await?;
                tx.commit().await?;
                Ok(Item { id, app_id: item.app_id.clone(), title: item.title.clone(), price: item.price.clone() })
            }

            async fn list_apps(&self, seller: Option<&SellerId>, page: &PageRequest) -> StoreResult<Page<App>> {
                let (key, id) = rows::start_of_descending(page.after.as_ref());
                let rows: Vec<AppRow> = match seller {
                    None => {
                        sqlx::query_as(concat!(
                            app_select!(),
                            "WHERE (a.created_at, a.id) < ($1, $2) ORDER BY a.created_at DESC, a.id DESC LIMIT $3"
                        ))
                        .bind(key)
                        .bind(id)
                        .bind(page.fetch_limit())
                        .fetch_all(self.reader())
                        .await?
                    }
                    Some(seller) => {
                        sqlx::query_as(concat!(
                            app_select!(),
                            "WHERE a.seller_id = $1 AND (a.created_at, a.id) < ($2, $3) \
                             ORDER BY a.created_at DESC, a.id DESC LIMIT $4"
                        ))
                        .bind(&seller.0)
                        .bind(key)
                        .bind(id)
                        .bind(page.fetch_limit())
                        .fetch_all(self.reader())
                        .await?
                    }
                };
                Ok(Page::from_rows(rows::convert(rows)?, page, rows::app_cursor))
            }

            async fn app(&self, id: &AppId) -> StoreResult<Option<App>> {
                let row: Option<AppRow> = sqlx::query_as(concat!(app_select!(), "WHERE a.id = $1"))
                    .bind(&id.0)
                    .fetch_optional(self.reader())
                    .await?;
                row.map(App::try_from).transpose()
            }

            async fn items_of_app(&self, id: &AppId) -> StoreResult<Vec<Item>> {
                let rows: Vec<ItemRow> = sqlx::query_as(
                    "SELECT id, app_id, title, price_minor, currency FROM items WHERE app_id = $1 \
                     ORDER BY created_at, id",
                )
                .bind(&id.0)
                .fetch_all(self.reader())
                .await?;
                rows::convert(rows)
            }

            async fn record_purchases(
                &self,
                purchases: &[NewPurchase],
                actor: &AuditActor,
                channel: Channel,
                now: Timestamp,
            ) -> StoreResult<Vec<RecordOutcome>> {
                // Rows are written in TID order, whatever the batch's order, so that two
                // batches sharing TIDs lock them in the same order and cannot deadlock.
                let mut order: Vec<usize> = (0..purchases.len()).collect();
                order.sort_by(|a, b| purchases[*a].payment.tid.cmp(&purchases[*b].payment.tid));
                let mut outcomes: Vec<Option<RecordOutcome>> = vec![None; purchases.len()];
                let mut tx = self.writer().begin().await?;
                for index in order {
                    outcomes[index] = Some(record_one(&mut tx, &purchases[index], actor, channel, now).await?);
                }
                tx.commit().await?;
                Ok(outcomes.into_iter().flatten().collect())
            }

            async fn purchase(&self, id: &PurchaseId) -> StoreResult<Option<PurchaseView>> {
                let mut conn = self.reader().acquire().await?;
                fetch_purchase(&mut conn, &id.0).await
            }

            async fn purchases_of_customer(
                &self,
                customer: &UserId,
                page: &PageRequest,
            ) -> StoreResult<Page<PurchaseView>> {
                let (key, id) = rows::start_of_descending(page.after.as_ref());
                let rows: Vec<PurchaseRow> = sqlx::query_as(concat!(
                    purchase_select!(),
                    "WHERE p.customer_id = $1 AND (p.purchased_at, p.id) < ($2, $3) \
                     ORDER BY p.purchased_at DESC, p.id DESC LIMIT $4"
                ))
                .bind(&customer.0)
                .bind(key)
                .bind(id)
                .bind(page.fetch_limit())
                .fetch_all(self.reader())
                .await?;
                Ok(Page::from_rows(rows::convert(rows)?, page, rows::purchase_cursor))
            }

            async fn audit_log(&self, filter: &AuditFilter, page: &PageRequest) -> StoreResult<Page<AuditRecord>> {
                // Every filter combines with every other; each single one has its own
                // index (by subject, actor, inquiry, purchase), newest first.
                let (key, id) = rows::start_of_descending(page.after.as_ref());
                let mut sql = sqlx::QueryBuilder::<$db>::new(concat!(audit_select!(), "WHERE (at, id) < ("));
                sql.push_bind(key).push(", ").push_bind(id).push(")");
                if let Some((kind, subject)) = &filter.subject {
                    sql.push(" AND subject_type = ").push_bind(kind.clone());
                    sql.push(" AND subject_id = ").push_bind(subject.clone());
                }
                if let Some(actor) = &filter.actor {
                    sql.push(" AND actor_user_id = ").push_bind(actor.0.clone());
                }
                if let Some(inquiry) = &filter.inquiry {
                    sql.push(" AND inquiry_id = ").push_bind(inquiry.0.clone());
                }
                if let Some(purchase) = &filter.purchase {
                    sql.push(" AND purchase_id = ").push_bind(purchase.0.clone());
                }
                sql.push(" ORDER BY at DESC, id DESC LIMIT ").push_bind(page.fetch_limit());
                let rows: Vec<AuditRow> = sql.build_query_as().fetch_all(self.reader()).await?;
                Ok(Page::from_rows(rows::convert(rows)?, page, rows::audit_cursor))
            }

            async fn set_user_locale(
                &self,
                user: &UserId,
                locale: Locale,
                acting: &Acting,
                now: Timestamp,
            ) -> StoreResult<()> {
                let mut tx = self.writer().begin().await?;
                let changed = sqlx::query("UPDATE users SET locale = $1 WHERE id = $2 AND locale <> $1")
                    .bind(locale.tag())
                    .bind(&user.0)
                    .execute(&mut *tx)
                    .await?;
                if changed.rows_affected() > 0 {
                    let detail = serde_json::json!({ "locale": locale.tag() });
                    write_audit(&mut tx, &entry(acting, "user.locale_changed", "user", &user.0, detail), now).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn developers_of_seller(&self, seller: &SellerId) -> StoreResult<Vec<User>> {
                let rows: Vec<UserRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    user_columns!(),
                    " FROM users WHERE seller_id = $1 AND role = 'developer' ORDER BY created_at, id"
                ))
                .bind(&seller.0)
                .fetch_all(self.reader())
                .await?;
                rows::convert(rows)
            }

            async fn purchases_for_seller(
                &self,
                customer: &UserId,
                seller: &SellerId,
                page: &PageRequest,
            ) -> StoreResult<Page<PurchaseView>> {
                let (key, id) = rows::start_of_descending(page.after.as_ref());
                let rows: Vec<PurchaseRow> = sqlx::query_as(concat!(
                    purchase_select!(),
                    "WHERE p.customer_id = $1 AND a.seller_id = $2 AND (p.purchased_at, p.id) < ($3, $4) \
                     ORDER BY p.purchased_at DESC, p.id DESC LIMIT $5"
                ))
                .bind(&customer.0)
                .bind(&seller.0)
                .bind(key)
                .bind(id)
                .bind(page.fetch_limit())
                .fetch_all(self.reader())
                .await?;
                Ok(Page::from_rows(rows::convert(rows)?, page, rows::purchase_cursor))
            }

            async fn create_inquiry(
                &self,
                new: &NewInquiry,
                mails: &[OutgoingMail],
                acting: &Acting,
                now: Timestamp,
            ) -> StoreResult<Inquiry> {
                let mut tx = self.writer().begin().await?;
                let state = ThreadState::opened(now);
                insert_inquiry(&mut tx, new, &state, None, now).await?;
                queue_mails(&mut tx, mails, now).await?;
                let detail = serde_json::json!({
                    "app_id": new.app_id.0,
                    "category": new.category.as_str(),
                    "purchase_id": new.purchase_id.as_ref().map(|p| &p.0),
                    "consent_personal_info": new.consent_personal_info,
                    "message_id": new.first_message.id.0,
                    "attachments": new.first_message.attachments.len(),
                    "mails_queued": mails.len(),
                    "status": state.status.as_str(),
                });
                write_audit(&mut tx, &entry(acting, "inquiry.created", "inquiry", &new.id.0, detail), now).await?;
                let inquiry = fetch_inquiry(&mut tx, &new.id.0).await?.ok_or(StoreError::NotFound)?;
                tx.commit().await?;
                Ok(inquiry)
            }

            async fn add_message(
                &self,
                inquiry: &InquiryId,
                message: &NewMessage,
                mails: &[OutgoingMail],
                acting: &Acting,
                now: Timestamp,
            ) -> StoreResult<MessageOutcome> {
                let mut tx = self.writer().begin().await?;
                let Some((before, count, first_response)) = lock_inquiry(&mut tx, &inquiry.0).await? else {
                    return Err(StoreError::NotFound);
                };
                let after = match before.after(Event::Message(message.side), now) {
                    Ok(after) => after,
                    Err(refused) => return Ok(MessageOutcome::Refused(refused)),
                };
                let seq = count + 1;
                let first_response = match message.side {
                    Side::Developer => first_response.or(Some(millis(now))),
                    Side::Customer => first_response,
                };
                save_state(&mut tx, &inquiry.0, &after, seq, first_response, now).await?;
                insert_message(&mut tx, &inquiry.0, seq, message, now).await?;
                queue_mails(&mut tx, mails, now).await?;
                let detail = serde_json::json!({
                    "message_id": message.id.0,
                    "seq": seq,
                    "side": message.side.as_str(),
                    "from": before.status.as_str(),
                    "to": after.status.as_str(),
                    "attachments": message.attachments.len(),
                    "mails_queued": mails.len(),
                });
                write_audit(&mut tx, &entry(acting, "inquiry.message_added", "inquiry", &inquiry.0, detail), now)
                    .await?;
                let updated = fetch_inquiry(&mut tx, &inquiry.0).await?.ok_or(StoreError::NotFound)?;
                let stored = fetch_message(&mut tx, &message.id.0).await?;
                tx.commit().await?;
                Ok(MessageOutcome::Added { inquiry: Box::new(updated), message: Box::new(stored) })
            }

            async fn close_inquiry(
                &self,
                inquiry: &InquiryId,
                side: Side,
                acting: &Acting,
                now: Timestamp,
            ) -> StoreResult<(Inquiry, bool)> {
                let mut tx = self.writer().begin().await?;
                let Some((before, count, first_response)) = lock_inquiry(&mut tx, &inquiry.0).await? else {
                    return Err(StoreError::NotFound);
                };
                if before.status == InquiryStatus::Closed {
                    let unchanged = fetch_inquiry(&mut tx, &inquiry.0).await?.ok_or(StoreError::NotFound)?;
                    tx.rollback().await?;
                    return Ok((unchanged, false));
                }
                let after = before
                    .after(Event::Close(side), now)
                    .map_err(|e| StoreError::Corrupt(format!("closing refused: {e}")))?;
                save_state(&mut tx, &inquiry.0, &after, count, first_response, now).await?;
                let detail = serde_json::json!({
                    "side": side.as_str(),
                    "from": before.status.as_str(),
                    "to": after.status.as_str(),
                });
                write_audit(&mut tx, &entry(acting, "inquiry.closed", "inquiry", &inquiry.0, detail), now).await?;
                let updated = fetch_inquiry(&mut tx, &inquiry.0).await?.ok_or(StoreError::NotFound)?;
                tx.commit().await?;
                Ok((updated, true))
            }

            async fn inquiry(&self, id: &InquiryId) -> StoreResult<Option<Inquiry>> {
                let mut conn = self.reader().acquire().await?;
                fetch_inquiry(&mut conn, &id.0).await
            }

            async fn thread(&self, id: &InquiryId) -> StoreResult<Option<Thread>> {
                let mut conn = self.reader().acquire().await?;
                let Some(inquiry) = fetch_inquiry(&mut conn, &id.0).await? else { return Ok(None) };
                let rows: Vec<MessageRow> =
                    sqlx::query_as(concat!(message_select!(), "WHERE m.inquiry_id = $1 ORDER BY m.seq"))
                        .bind(&id.0)
                        .fetch_all(&mut *conn)
                        .await?;
                let mut messages: Vec<Message> = rows::convert(rows)?;
                let files: Vec<AttachmentRow> = sqlx::query_as(
                    "SELECT message_id, id, filename, content_type, size, sha256 FROM attachments \
                     WHERE inquiry_id = $1 ORDER BY message_id, position",
                )
                .bind(&id.0)
                .fetch_all(&mut *conn)
                .await?;
                for file in files {
                    if let Some(message) = messages.iter_mut().find(|m| m.id.0 == file.message_id) {
                        message.attachments.push(AttachmentMeta::from(file));
                    }
                }
                Ok(Some(Thread { inquiry, messages }))
            }

            async fn list_inquiries(&self, query: &InquiryQuery, page: &PageRequest) -> StoreResult<Page<Inquiry>> {
                let mut sql = sqlx::QueryBuilder::<$db>::new(concat!(inquiry_select!(), "WHERE 1 = 1"));
                match &query.scope {
                    InquiryScope::Customer(customer) => {
                        sql.push(" AND q.customer_id = ").push_bind(customer.0.clone());
                    }
                    InquiryScope::Seller(seller) => {
                        sql.push(" AND q.seller_id = ").push_bind(seller.0.clone());
                    }
                    InquiryScope::All => {}
                }
                if let Some(status) = query.filter.status {
                    sql.push(" AND q.status = ").push_bind(status.as_str());
                }
                if let Some(app) = &query.filter.app_id {
                    sql.push(" AND q.app_id = ").push_bind(app.0.clone());
                }
                if let Some(category) = query.filter.category {
                    sql.push(" AND q.category = ").push_bind(category.as_str());
                }
                let cutoff = millis(query.overdue_cutoff);
                match query.filter.overdue {
                    Some(true) => {
                        sql.push(" AND q.awaiting_since IS NOT NULL AND q.awaiting_since < ").push_bind(cutoff);
                    }
                    Some(false) => {
                        sql.push(" AND (q.awaiting_since IS NULL OR q.awaiting_since >= ").push_bind(cutoff).push(")");
                    }
                    None => {}
                }
                let by_activity = matches!(query.scope, InquiryScope::Customer(_));
                if by_activity {
                    let (key, id) = rows::start_of_descending(page.after.as_ref());
                    sql.push(" AND (q.last_activity_at, q.id) < (").push_bind(key).push(", ").push_bind(id);
                    sql.push(") ORDER BY q.last_activity_at DESC, q.id DESC LIMIT ");
                } else {
                    let (key, id) = match &page.after {
                        Some(cursor) => (cursor.key, cursor.id.clone()),
                        None => (i64::MIN, String::new()),
                    };
                    sql.push(" AND (q.inbox_rank, q.id) > (").push_bind(key).push(", ").push_bind(id);
                    sql.push(") ORDER BY q.inbox_rank, q.id LIMIT ");
                }
                sql.push_bind(page.fetch_limit());
                let rows: Vec<InquiryRow> = sql.build_query_as().fetch_all(self.reader()).await?;
                let cursor = if by_activity { rows::activity_cursor } else { rows::inbox_cursor };
                Ok(Page::from_rows(rows::convert(rows)?, page, cursor))
            }

            async fn inquiry_counts(
                &self,
                seller: &SellerId,
                overdue_cutoff: Timestamp,
            ) -> StoreResult<Vec<AppInquiryCounts>> {
                let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
                    "SELECT a.id, a.title, COUNT(q.id), \
                     COALESCE(SUM(CASE WHEN q.awaiting_since < $2 THEN 1 ELSE 0 END), 0) \
                     FROM apps a LEFT JOIN inquiries q ON q.app_id = a.id AND q.awaiting_since IS NOT NULL \
                     WHERE a.seller_id = $1 GROUP BY a.id, a.title ORDER BY a.title, a.id",
                )
                .bind(&seller.0)
                .bind(millis(overdue_cutoff))
                .fetch_all(self.reader())
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(app_id, app_title, unanswered, overdue)| AppInquiryCounts {
                        app_id: AppId(app_id),
                        app_title,
                        unanswered,
                        overdue,
                    })
                    .collect())
            }

            async fn attachment(&self, inquiry: &InquiryId, id: &AttachmentId) -> StoreResult<Option<AttachmentMeta>> {
                let row: Option<AttachmentRow> = sqlx::query_as(
                    "SELECT message_id, id, filename, content_type, size, sha256 FROM attachments \
                     WHERE id = $1 AND inquiry_id = $2",
                )
                .bind(&id.0)
                .bind(&inquiry.0)
                .fetch_optional(self.reader())
                .await?;
                Ok(row.map(AttachmentMeta::from))
            }

            async fn outbox(&self, status: Option<MailStatus>, page: &PageRequest) -> StoreResult<Page<QueuedMail>> {
                let (key, id) = rows::start_of_descending(page.after.as_ref());
                let mut sql = sqlx::QueryBuilder::<$db>::new(
                    "SELECT id, kind, to_user_id, to_email, locale, subject, body_text, body_html, inquiry_id, status, \
                     attempts, created_at, sent_at FROM outbox WHERE (created_at, id) < (",
                );
                sql.push_bind(key).push(", ").push_bind(id).push(")");
                if let Some(status) = status {
                    sql.push(" AND status = ").push_bind(status.as_str());
                }
                sql.push(" ORDER BY created_at DESC, id DESC LIMIT ").push_bind(page.fetch_limit());
                let rows: Vec<OutboxRow> = sql.build_query_as().fetch_all(self.reader()).await?;
                Ok(Page::from_rows(rows::convert(rows)?, page, rows::outbox_cursor))
            }
            async fn set_consent(
                &self,
                inquiry: &InquiryId,
                consent: bool,
                acting: &Acting,
                now: Timestamp,
            ) -> StoreResult<(Inquiry, bool)> {
                let mut tx = self.writer().begin().await?;
                let current: Option<(bool,)> = sqlx::query_as(
                    "UPDATE inquiries SET consent_personal_info = consent_personal_info WHERE id = $1 \
                     RETURNING consent_personal_info",
                )
                .bind(&inquiry.0)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((current,)) = current else { return Err(StoreError::NotFound) };
                if current == consent {
                    let unchanged = fetch_inquiry(&mut tx, &inquiry.0).await?.ok_or(StoreError::NotFound)?;
                    tx.rollback().await?;
                    return Ok((unchanged, false));
                }
                sqlx::query("UPDATE inquiries SET consent_personal_info = $1, consent_at = $2 WHERE id = $3")
                    .bind(consent)
                    .bind(millis(now))
                    .bind(&inquiry.0)
                    .execute(&mut *tx)
                    .await?;
                let action = if consent { "inquiry.consent_given" } else { "inquiry.consent_withdrawn" };
                let detail = serde_json::json!({ "consent_personal_info": consent });
                write_audit(&mut tx, &entry(acting, action, "inquiry", &inquiry.0, detail), now).await?;
                let updated = fetch_inquiry(&mut tx, &inquiry.0).await?.ok_or(StoreError::NotFound)?;
                tx.commit().await?;
                Ok((updated, true))
            }

            async fn record_payment_reveal(
                &self,
                inquiry: &InquiryId,
                purchases: &[PurchaseId],
                acting: &Acting,
                now: Timestamp,
            ) -> StoreResult<()> {
                let mut tx = self.writer().begin().await?;
                for purchase in purchases {
                    let detail = serde_json::json!({
                        "inquiry_id": inquiry.0,
                        "fields": ["tid", "txid", "receipt_no"],
                    });
                    let revealed = entry(acting, "payment_ids.revealed", "purchase", &purchase.0, detail);
                    write_audit(&mut tx, &revealed, now).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn submit_cancellation_request(
                &self,
                request: &NewCancellationRequest,
                acting: &Acting,
                now: Timestamp,
            ) -> StoreResult<SubmitOutcome> {
                let mut tx = self.writer().begin().await?;
                let Some(purchase) = lock_purchase(&mut tx, &request.purchase_id.0).await? else {
                    return Err(StoreError::NotFound);
                };
                let inquiry: Option<(String,)> = sqlx::query_as("SELECT id FROM inquiries WHERE id = $1")
                    .bind(&request.inquiry_id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                if inquiry.is_none() {
                    return Err(StoreError::NotFound);
                }
                // Under the purchase's lock only one submission for it runs at a time; the
                // loop covers a unique index that still refuses the insert (another
                // purchase's request with the same key, or an engine without the lock),
                // by reading again what holds it.
                for _ in 0..3 {
                    if let Some(answer) = replay(&mut tx, request).await? {
                        tx.rollback().await?;
                        return Ok(answer);
                    }
                    if let Err(refusal) = refund::cancellable(&purchase.purchase) {
                        tx.rollback().await?;
                        return Ok(SubmitOutcome::Refused(refusal));
                    }
                    if let Some(open) = open_request_of(&mut tx, &request.purchase_id.0).await? {
                        tx.rollback().await?;
                        return Ok(SubmitOutcome::Existing(open));
                    }
                    if insert_request(&mut tx, request, &purchase.seller_id.0, now).await? {
                        write_audit(&mut tx, &submitted(acting, request), now).await?;
                        let created = fetch_request(&mut tx, &request.id.0).await?.ok_or(StoreError::NotFound)?;
                        tx.commit().await?;
                        return Ok(SubmitOutcome::Created(created));
                    }
                }
                Err(StoreError::Conflict { what: "cancellation_request".to_owned() })
            }

            async fn file_off_store_request(
                &self,
                inquiry: &NewInquiry,
                request: &NewCancellationRequest,
                acting: &Acting,
                now: Timestamp,
            ) -> StoreResult<OffStoreOutcome> {
                let mut tx = self.writer().begin().await?;
                let Some(purchase) = lock_purchase(&mut tx, &request.purchase_id.0).await? else {
                    return Err(StoreError::NotFound);
                };
                check_off_store(inquiry, request, &purchase)?;
                if let Err(refusal) = refund::cancellable(&purchase.purchase) {
                    tx.rollback().await?;
                    return Ok(OffStoreOutcome::Refused(refusal));
                }
                if let Some(open) = open_request_of(&mut tx, &request.purchase_id.0).await? {
                    tx.rollback().await?;
                    return Ok(OffStoreOutcome::Existing(open));
                }
                // R9: the developer's record of the customer's request is the first
                // message, so the thread starts answered: the customer's turn.
                let state = ThreadState::opened(now)
                    .after(Event::Message(Side::Developer), now)
                    .map_err(|e| StoreError::Corrupt(format!("an off-store record refused: {e}")))?;
                insert_inquiry(&mut tx, inquiry, &state, Some(now), now).await?;
                if !insert_request(&mut tx, request, &purchase.seller_id.0, now).await? {
                    // Another request holds a unique index (the lock makes this a
                    // reused key or id): nothing is filed.
                    tx.rollback().await?;
                    return Err(StoreError::Conflict { what: "cancellation_request".to_owned() });
                }
                let detail = serde_json::json!({
                    "app_id": inquiry.app_id.0,
                    "category": inquiry.category.as_str(),
                    "purchase_id": request.purchase_id.0,
                    "request_id": request.id.0,
                    "channel": inquiry.channel.as_str(),
                    "consent_personal_info": inquiry.consent_personal_info,
                    "message_id": inquiry.first_message.id.0,
                    "status": state.status.as_str(),
                });
                let filed = entry(acting, "inquiry.filed_off_store", "inquiry", &inquiry.id.0, detail);
                write_audit(&mut tx, &filed, now).await?;
                write_audit(&mut tx, &submitted(acting, request), now).await?;
                let written = fetch_inquiry(&mut tx, &inquiry.id.0).await?.ok_or(StoreError::NotFound)?;
                let created = fetch_request(&mut tx, &request.id.0).await?.ok_or(StoreError::NotFound)?;
                tx.commit().await?;
                Ok(OffStoreOutcome::Filed { inquiry: Box::new(written), request: Box::new(created) })
            }

            async fn cancellation_request(
                &self,
                id: &CancellationRequestId,
            ) -> StoreResult<Option<CancellationRequest>> {
                let mut conn = self.reader().acquire().await?;
                fetch_request(&mut conn, &id.0).await
            }

            async fn cancellation_requests(
                &self,
                query: &RequestQuery,
                page: &PageRequest,
            ) -> StoreResult<Page<CancellationRequest>> {
                let (key, id) = rows::start_of_ascending(page.after.as_ref());
                let mut sql =
                    sqlx::QueryBuilder::<$db>::new(concat!(request_select!(), "WHERE (r.created_at, r.id) > ("));
                sql.push_bind(key).push(", ").push_bind(id).push(")");
                if let RequestScope::Seller(seller) = &query.scope {
                    sql.push(" AND r.seller_id = ").push_bind(seller.0.clone());
                }
                if let Some(status) = query.status {
                    sql.push(" AND r.status = ").push_bind(status.as_str());
                }
                sql.push(" ORDER BY r.created_at, r.id LIMIT ").push_bind(page.fetch_limit());
                let rows: Vec<RequestRow> = sql.build_query_as().fetch_all(self.reader()).await?;
                Ok(Page::from_rows(rows::convert(rows)?, page, rows::request_cursor))
            }

            async fn requests_of_inquiry(&self, inquiry: &InquiryId) -> StoreResult<Vec<CancellationRequest>> {
                let rows: Vec<RequestRow> =
                    sqlx::query_as(concat!(request_select!(), "WHERE r.inquiry_id = $1 ORDER BY r.created_at, r.id"))
                        .bind(&inquiry.0)
                        .fetch_all(self.reader())
                        .await?;
                rows::convert(rows)
            }

            async fn decide_cancellation_request(
                &self,
                id: &CancellationRequestId,
                decision: &Decision,
                mails: &[OutgoingMail],
                acting: &Acting,
                now: Timestamp,
            ) -> StoreResult<DecideOutcome> {
                // The request's purchase never changes: read it first, to lock the
                // purchase before the request (the lock order above).
                let named: Option<(String,)> =
                    sqlx::query_as("SELECT purchase_id FROM cancellation_requests WHERE id = $1")
                        .bind(&id.0)
                        .fetch_optional(self.reader())
                        .await?;
                let Some((purchase_id,)) = named else { return Err(StoreError::NotFound) };
                let mut tx = self.writer().begin().await?;
                let Some(purchase) = lock_purchase(&mut tx, &purchase_id).await? else {
                    return Err(StoreError::NotFound);
                };
                let locked: Option<(String, String)> = sqlx::query_as(
                    "UPDATE cancellation_requests SET status = status WHERE id = $1 RETURNING status, inquiry_id",
                )
                .bind(&id.0)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((status, inquiry_id)) = locked else { return Err(StoreError::NotFound) };
                let status = RequestStatus::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("request status {status:?}")))?;
                let next = match refund::decide(status, decision) {
                    Err(refusal) => {
                        tx.rollback().await?;
                        return Ok(DecideOutcome::Refused(refusal));
                    }
                    Ok(DecisionEffect::AlreadyDone) => {
                        let done = fetch_request(&mut tx, &id.0).await?.ok_or(StoreError::NotFound)?;
                        tx.rollback().await?;
                        return Ok(DecideOutcome::AlreadyDone(done));
                    }
                    Ok(DecisionEffect::Decide(next)) => next,
                };
                let note = match decision {
                    Decision::Reject { reason } => Some(reason.clone()),
                    Decision::Approve => None,
                };
                sqlx::query(
                    "UPDATE cancellation_requests SET status = $1, decided_by = $2, decided_by_label = $3, \
                     decided_at = $4, decision_note = $5 WHERE id = $6",
                )
                .bind(next.as_str())
                .bind(acting.actor.user_id.as_ref().map(|u| u.0.clone()))
                .bind(acting.actor.label.clone())
                .bind(millis(now))
                .bind(note.clone())
                .bind(&id.0)
                .execute(&mut *tx)
                .await?;
                let action = match next {
                    RequestStatus::Rejected => "cancellation_request.rejected",
                    _ => "cancellation_request.approved",
                };
                let detail = serde_json::json!({
                    "inquiry_id": inquiry_id,
                    "purchase_id": purchase_id,
                    "reason_chars": note.as_ref().map(|n| n.chars().count()),
                    "mails_queued": mails.len(),
                });
                write_audit(&mut tx, &entry(acting, action, "cancellation_request", &id.0, detail), now).await?;
                if next == RequestStatus::Approved {
                    // Cancelled already by another path (which settled the inquiries):
                    // the approval stands and cancels nothing twice.
                    if purchase.purchase.status == PurchaseStatus::Paid {
                        let kind = "request_approved";
                        cancel_purchase(&mut tx, &purchase_id, &inquiry_id, Some(&id.0), kind, acting, now).await?;
                        let detail = serde_json::json!({
                            "inquiry_id": inquiry_id,
                            "request_id": id.0,
                            "kind": "request_approved",
                        });
                        let cancelled = entry(acting, "purchase.cancelled", "purchase", &purchase_id, detail);
                        write_audit(&mut tx, &cancelled, now).await?;
                    }
                    settle_inquiries(&mut tx, &purchase_id, now).await?;
                }
                queue_mails(&mut tx, mails, now).await?;
                let decided = fetch_request(&mut tx, &id.0).await?.ok_or(StoreError::NotFound)?;
                tx.commit().await?;
                Ok(DecideOutcome::Decided(decided))
            }

            async fn cancel_on_behalf(
                &self,
                inquiry: &InquiryId,
                overdue_cutoff: Timestamp,
                mails: &[OutgoingMail],
                acting: &Acting,
                now: Timestamp,
            ) -> StoreResult<OnBehalfOutcome> {
                // The inquiry's purchase never changes: read it first, to lock the
                // purchase before the inquiry (the lock order above).
                let named: Option<(Option<String>,)> = sqlx::query_as("SELECT purchase_id FROM inquiries WHERE id = $1")
                    .bind(&inquiry.0)
                    .fetch_optional(self.reader())
                    .await?;
                let Some((named,)) = named else { return Err(StoreError::NotFound) };
                let mut tx = self.writer().begin().await?;
                let purchase = match &named {
                    Some(id) => Some(lock_purchase(&mut tx, id).await?.ok_or(StoreError::NotFound)?),
                    None => None,
                };
                let locked: Option<(Option<i64>, Option<String>)> = sqlx::query_as(
                    "UPDATE inquiries SET message_count = message_count WHERE id = $1 \
                     RETURNING awaiting_since, purchase_id",
                )
                .bind(&inquiry.0)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((awaiting_since, purchase_id)) = locked else { return Err(StoreError::NotFound) };
                if purchase_id != named {
                    return Err(StoreError::Conflict { what: "purchase_id".to_owned() });
                }
                // R5: overdue means waiting since before the cut-off, as the overdue list
                // and the sweep's index read it.
                let Some(waited_since) = awaiting_since.filter(|since| *since < millis(overdue_cutoff)) else {
                    tx.rollback().await?;
                    return Ok(OnBehalfOutcome::Refused(CancelRefusal::NotOverdue));
                };
                let (Some(purchase), Some(purchase_id)) = (purchase, purchase_id) else {
                    tx.rollback().await?;
                    return Ok(OnBehalfOutcome::Refused(CancelRefusal::NoPurchase));
                };
                if let Err(refusal) = refund::cancellable(&purchase.purchase) {
                    // Nothing to cancel, now or later: settled, so the sweep forgets it.
                    let settled = sqlx::query(
                        "UPDATE inquiries SET refund_settled_at = $1 WHERE id = $2 AND refund_settled_at IS NULL",
                    )
                    .bind(millis(now))
                    .bind(&inquiry.0)
                    .execute(&mut *tx)
                    .await?;
                    if settled.rows_affected() > 0 {
                        let detail = serde_json::json!({ "purchase_id": purchase_id, "refusal": refusal.code() });
                        let record = entry(acting, "inquiry.refund_settled", "inquiry", &inquiry.0, detail);
                        write_audit(&mut tx, &record, now).await?;
                    }
                    tx.commit().await?;
                    return Ok(OnBehalfOutcome::Refused(refusal));
                }
                // An open request on the purchase is approved with the cancellation.
                let approved: Option<(String, String)> = sqlx::query_as(
                    "UPDATE cancellation_requests SET status = 'approved', decided_by = $1, decided_by_label = $2, \
                     decided_at = $3, decision_note = $4 WHERE purchase_id = $5 AND status = 'open' \
                     RETURNING id, inquiry_id",
                )
                .bind(acting.actor.user_id.as_ref().map(|u| u.0.clone()))
                .bind(acting.actor.label.clone())
                .bind(millis(now))
                .bind(ON_BEHALF_NOTE)
                .bind(&purchase_id)
                .fetch_optional(&mut *tx)
                .await?;
                let request_id = approved.as_ref().map(|(id, _)| id.as_str());
                cancel_purchase(&mut tx, &purchase_id, &inquiry.0, request_id, "on_behalf", acting, now).await?;
                settle_inquiries(&mut tx, &purchase_id, now).await?;
                if let Some((request_id, request_inquiry)) = &approved {
                    let detail = serde_json::json!({
                        "inquiry_id": request_inquiry,
                        "purchase_id": purchase_id,
                        "on_behalf_of_inquiry": inquiry.0,
                    });
                    let approval =
                        entry(acting, "cancellation_request.approved", "cancellation_request", request_id, detail);
                    write_audit(&mut tx, &approval, now).await?;
                }
                let detail = serde_json::json!({
                    "inquiry_id": inquiry.0,
                    "request_id": request_id,
                    "waited_since": rows::timestamp(waited_since)?.to_string(),
                    "overdue_cutoff": overdue_cutoff.to_string(),
                    "mails_queued": mails.len(),
                });
                let on_behalf = entry(acting, "purchase.cancelled_on_behalf", "purchase", &purchase_id, detail);
                write_audit(&mut tx, &on_behalf, now).await?;
                queue_mails(&mut tx, mails, now).await?;
                let updated = fetch_inquiry(&mut tx, &inquiry.0).await?.ok_or(StoreError::NotFound)?;
                let cancelled = fetch_purchase(&mut tx, &purchase_id).await?.ok_or(StoreError::NotFound)?;
                tx.commit().await?;
                Ok(OnBehalfOutcome::Cancelled { inquiry: Box::new(updated), purchase: Box::new(cancelled) })
            }

            async fn auto_cancel_candidates(
                &self,
                overdue_cutoff: Timestamp,
                limit: i64,
            ) -> StoreResult<Vec<InquiryId>> {
                let rows: Vec<(String,)> = sqlx::query_as(crate::sweep_sql::AUTO_CANCEL_CANDIDATES)
                    .bind(millis(overdue_cutoff))
                    .bind(limit)
                    .fetch_all(self.reader())
                    .await?;
                Ok(rows.into_iter().map(|(id,)| InquiryId(id)).collect())
            }

            async fn due_reminders(&self, cutoff: Timestamp, limit: i64) -> StoreResult<Vec<Inquiry>> {
                let rows: Vec<InquiryRow> = sqlx::query_as(crate::sweep_sql::DUE_REMINDERS)
                    .bind(millis(cutoff))
                    .bind(limit)
                    .fetch_all(self.reader())
                    .await?;
                rows::convert(rows)
            }

            async fn mark_reminded(
                &self,
                inquiry: &InquiryId,
                awaiting_since: Timestamp,
                mails: &[OutgoingMail],
                acting: &Acting,
                now: Timestamp,
            ) -> StoreResult<bool> {
                let mut tx = self.writer().begin().await?;
                let marked = sqlx::query(
                    "UPDATE inquiries SET reminder_sent_at = $1 \
                     WHERE id = $2 AND reminder_sent_at IS NULL AND awaiting_since = $3",
                )
                .bind(millis(now))
                .bind(&inquiry.0)
                .bind(millis(awaiting_since))
                .execute(&mut *tx)
                .await?;
                if marked.rows_affected() != 1 {
                    tx.rollback().await?;
                    return Ok(false);
                }
                queue_mails(&mut tx, mails, now).await?;
                let detail = serde_json::json!({
                    "awaiting_since": awaiting_since.to_string(),
                    "mails_queued": mails.len(),
                });
                let reminded = entry(acting, "inquiry.reminder_sent", "inquiry", &inquiry.0, detail);
                write_audit(&mut tx, &reminded, now).await?;
                tx.commit().await?;
                Ok(true)
            }
        }
    };
}
