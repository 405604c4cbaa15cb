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
        use vocdesk_domain::ids::{AppId, AuditId, ItemId, PurchaseId, SellerId, UserId};
        use vocdesk_domain::page::{Page, PageRequest};
        use vocdesk_domain::purchase::{NewPurchase, PurchaseView};
        use vocdesk_domain::role::TokenScope;
        use vocdesk_domain::{FieldError, ValidationErrors};

        use crate::rows::{self, AppRow, AuditRow, ItemRow, PurchaseRow, SellerRow, UserRow, millis};
        use crate::{
            AuditFilter, NewToken, RecordOutcome, Rejection, Store, StoreError, StoreResult, TokenGrant, TokenKind,
        };

        type Conn = <$db as sqlx::Database>::Connection;

        /// R14: writes an audit entry inside the caller's transaction.
        async fn write_audit(conn: &mut Conn, entry: &AuditEntry, at: Timestamp) -> StoreResult<()> {
            sqlx::query(
                "INSERT INTO audit_log (id, at, actor_user_id, actor_role, actor_label, channel, action, \
                 subject_type, subject_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
                let (key, id) = rows::start_of_descending(page.after.as_ref());
                let rows: Vec<AuditRow> = match (&filter.subject, &filter.actor) {
                    (Some((kind, subject)), Some(actor)) => {
                        sqlx::query_as(concat!(
                            audit_select!(),
                            "WHERE subject_type = $1 AND subject_id = $2 AND actor_user_id = $3 \
                             AND (at, id) < ($4, $5) ORDER BY at DESC, id DESC LIMIT $6"
                        ))
                        .bind(kind)
                        .bind(subject)
                        .bind(&actor.0)
                        .bind(key)
                        .bind(id)
                        .bind(page.fetch_limit())
                        .fetch_all(self.reader())
                        .await?
                    }
                    (Some((kind, subject)), None) => {
                        sqlx::query_as(concat!(
                            audit_select!(),
                            "WHERE subject_type = $1 AND subject_id = $2 AND (at, id) < ($3, $4) \
                             ORDER BY at DESC, id DESC LIMIT $5"
                        ))
                        .bind(kind)
                        .bind(subject)
                        .bind(key)
                        .bind(id)
                        .bind(page.fetch_limit())
                        .fetch_all(self.reader())
                        .await?
                    }
                    (None, Some(actor)) => {
                        sqlx::query_as(concat!(
                            audit_select!(),
                            "WHERE actor_user_id = $1 AND (at, id) < ($2, $3) ORDER BY at DESC, id DESC LIMIT $4"
                        ))
                        .bind(&actor.0)
                        .bind(key)
                        .bind(id)
                        .bind(page.fetch_limit())
                        .fetch_all(self.reader())
                        .await?
                    }
                    (None, None) => {
                        sqlx::query_as(concat!(
                            audit_select!(),
                            "WHERE (at, id) < ($1, $2) ORDER BY at DESC, id DESC LIMIT $3"
                        ))
                        .bind(key)
                        .bind(id)
                        .bind(page.fetch_limit())
                        .fetch_all(self.reader())
                        .await?
                    }
                };
                Ok(Page::from_rows(rows::convert(rows)?, page, rows::audit_cursor))
            }
        }
    };
}
