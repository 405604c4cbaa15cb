//! [`Store`] for both engines: each method hands its unit of work or read, written
//! once in the aggregate modules, to the engine ([`Engine`]): the SQLite writer's group
//! commit or a PostgreSQL transaction. Arguments are copied into the unit, because a
//! unit may run on another thread after the caller's borrow ends, and a unit of work
//! keeps them, because the SQLite writer may run it twice.

use async_trait::async_trait;
use jiff::Timestamp;
use vocdesk_domain::account::{NewUser, Seller, User};
use vocdesk_domain::attachment::AttachmentMeta;
use vocdesk_domain::audit::{AuditActor, AuditEntry, AuditRecord, Channel};
use vocdesk_domain::catalog::{App, Item, NewApp, NewItem};
use vocdesk_domain::ids::{AppId, AttachmentId, CancellationRequestId, InquiryId, PurchaseId, SellerId, UserId};
use vocdesk_domain::inquiry::{AppInquiryCounts, Inquiry, NewInquiry, NewMessage, Side, Thread};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::{MailStatus, OutgoingMail, QueuedMail};
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::purchase::{NewPurchase, PurchaseView};
use vocdesk_domain::refund::{CancellationRequest, Decision, NewCancellationRequest};

use crate::db::{Engine, unit, work};
use crate::{
    Acting, AuditFilter, DecideOutcome, InquiryQuery, MessageOutcome, NewToken, OffStoreOutcome, OnBehalfOutcome,
    RecordOutcome, RequestQuery, Store, StoreResult, SubmitOutcome, TokenGrant, TokenKind,
};
use crate::{accounts, audit, catalog, consent, inquiries, outbox, purchases, refunds, search, sweep};

#[async_trait]
impl<E: Engine> Store for E {
    fn engine(&self) -> &'static str {
        self.engine_name()
    }

    async fn migrate(&self) -> StoreResult<()> {
        self.run_migrations().await?;
        // Inquiries written before search existed get their words once, a batch per
        // transaction; afterwards this is one read of an empty table.
        while self.write_with(unit((), |db, ()| Box::pin(async move { search::backfill_batch(db, 200).await }))).await?
        {
        }
        Ok(())
    }

    async fn ping(&self) -> StoreResult<()> {
        self.check_health().await
    }

    async fn has_users(&self) -> StoreResult<bool> {
        self.read_with(work(move |db| Box::pin(async move { accounts::has_users(db).await }))).await
    }

    async fn secret(&self, name: &str, candidate: &[u8], now: Timestamp) -> StoreResult<Vec<u8>> {
        self.write_with(unit((name.to_owned(), candidate.to_vec()), move |db, (name, candidate)| {
            Box::pin(async move { accounts::secret(db, name, candidate, now).await })
        }))
        .await
    }

    async fn create_seller(
        &self,
        name: &str,
        support_email: &str,
        audit: &AuditEntry,
        now: Timestamp,
    ) -> StoreResult<Seller> {
        self.write_with(unit(
            (name.to_owned(), support_email.to_owned(), audit.clone()),
            move |db, (name, support_email, audit)| {
                Box::pin(async move { accounts::create_seller(db, name, support_email, audit, now).await })
            },
        ))
        .await
    }

    async fn create_user(
        &self,
        user: &NewUser,
        password_hash: &str,
        audit: &AuditEntry,
        now: Timestamp,
    ) -> StoreResult<User> {
        self.write_with(unit(
            (user.clone(), password_hash.to_owned(), audit.clone()),
            move |db, (user, password_hash, audit)| {
                Box::pin(async move { accounts::create_user(db, user, password_hash, audit, now).await })
            },
        ))
        .await
    }

    async fn user(&self, id: &UserId) -> StoreResult<Option<User>> {
        let id = id.clone();
        self.read_with(work(move |db| Box::pin(async move { accounts::user(db, &id).await }))).await
    }

    async fn credentials(&self, email: &str) -> StoreResult<Option<(User, String)>> {
        let email = email.to_owned();
        self.read_with(work(move |db| Box::pin(async move { accounts::credentials(db, &email).await }))).await
    }

    async fn customer_by_number(&self, customer_no: &str) -> StoreResult<Option<User>> {
        let customer_no = customer_no.to_owned();
        self.read_with(work(move |db| Box::pin(async move { accounts::customer_by_number(db, &customer_no).await })))
            .await
    }

    async fn insert_token(&self, token: &NewToken, audit: &AuditEntry) -> StoreResult<()> {
        self.write_with(unit((token.clone(), audit.clone()), move |db, (token, audit)| {
            Box::pin(async move { accounts::insert_token(db, token, audit).await })
        }))
        .await
    }

    async fn token(&self, token_hash: &str, kind: TokenKind, now: Timestamp) -> StoreResult<Option<TokenGrant>> {
        let token_hash = token_hash.to_owned();
        self.read_with(work(move |db| Box::pin(async move { accounts::token(db, &token_hash, kind, now).await }))).await
    }

    async fn revoke_token(&self, token_hash: &str, audit: &AuditEntry, now: Timestamp) -> StoreResult<bool> {
        self.write_with(unit((token_hash.to_owned(), audit.clone()), move |db, (token_hash, audit)| {
            Box::pin(async move { accounts::revoke_token(db, token_hash, audit, now).await })
        }))
        .await
    }

    async fn seller(&self, id: &SellerId) -> StoreResult<Option<Seller>> {
        let id = id.clone();
        self.read_with(work(move |db| Box::pin(async move { catalog::seller(db, &id).await }))).await
    }

    async fn sellers(&self) -> StoreResult<Vec<Seller>> {
        self.read_with(work(move |db| Box::pin(async move { catalog::sellers(db).await }))).await
    }

    async fn create_app(&self, app: &NewApp, audit: &AuditEntry, now: Timestamp) -> StoreResult<App> {
        self.write_with(unit((app.clone(), audit.clone()), move |db, (app, audit)| {
            Box::pin(async move { catalog::create_app(db, app, audit, now).await })
        }))
        .await
    }

    async fn create_item(&self, item: &NewItem, audit: &AuditEntry, now: Timestamp) -> StoreResult<Item> {
        self.write_with(unit((item.clone(), audit.clone()), move |db, (item, audit)| {
            Box::pin(async move { catalog::create_item(db, item, audit, now).await })
        }))
        .await
    }

    async fn list_apps(&self, seller: Option<&SellerId>, page: &PageRequest) -> StoreResult<Page<App>> {
        let seller = seller.cloned();
        let page = page.clone();
        self.read_with(work(move |db| Box::pin(async move { catalog::list_apps(db, seller.as_ref(), &page).await })))
            .await
    }

    async fn app(&self, id: &AppId) -> StoreResult<Option<App>> {
        let id = id.clone();
        self.read_with(work(move |db| Box::pin(async move { catalog::app(db, &id).await }))).await
    }

    async fn items_of_app(&self, id: &AppId) -> StoreResult<Vec<Item>> {
        let id = id.clone();
        self.read_with(work(move |db| Box::pin(async move { catalog::items_of_app(db, &id).await }))).await
    }

    async fn record_purchases(
        &self,
        purchases: &[NewPurchase],
        actor: &AuditActor,
        channel: Channel,
        now: Timestamp,
    ) -> StoreResult<Vec<RecordOutcome>> {
        self.write_with(unit((purchases.to_vec(), actor.clone()), move |db, (purchases, actor)| {
            Box::pin(async move { purchases::record_purchases(db, purchases, actor, channel, now).await })
        }))
        .await
    }

    async fn purchase(&self, id: &PurchaseId) -> StoreResult<Option<PurchaseView>> {
        let id = id.clone();
        self.read_with(work(move |db| Box::pin(async move { purchases::purchase(db, &id).await }))).await
    }

    async fn purchases_of_customer(&self, customer: &UserId, page: &PageRequest) -> StoreResult<Page<PurchaseView>> {
        let customer = customer.clone();
        let page = page.clone();
        self.read_with(work(move |db| {
            Box::pin(async move { purchases::purchases_of_customer(db, &customer, &page).await })
        }))
        .await
    }

    async fn audit_log(&self, filter: &AuditFilter, page: &PageRequest) -> StoreResult<Page<AuditRecord>> {
        let filter = filter.clone();
        let page = page.clone();
        self.read_with(work(move |db| Box::pin(async move { audit::audit_log(db, &filter, &page).await }))).await
    }

    async fn set_user_locale(&self, user: &UserId, locale: Locale, acting: &Acting, now: Timestamp) -> StoreResult<()> {
        self.write_with(unit((user.clone(), acting.clone()), move |db, (user, acting)| {
            Box::pin(async move { accounts::set_user_locale(db, user, locale, acting, now).await })
        }))
        .await
    }

    async fn set_mail_locale(&self, user: &UserId, locale: Locale, acting: &Acting, now: Timestamp) -> StoreResult<()> {
        self.write_with(unit((user.clone(), acting.clone()), move |db, (user, acting)| {
            Box::pin(async move { accounts::set_mail_locale(db, user, locale, acting, now).await })
        }))
        .await
    }

    async fn developers_of_seller(&self, seller: &SellerId) -> StoreResult<Vec<User>> {
        let seller = seller.clone();
        self.read_with(work(move |db| Box::pin(async move { accounts::developers_of_seller(db, &seller).await }))).await
    }

    async fn purchases_for_seller(
        &self,
        customer: &UserId,
        seller: &SellerId,
        page: &PageRequest,
    ) -> StoreResult<Page<PurchaseView>> {
        let customer = customer.clone();
        let seller = seller.clone();
        let page = page.clone();
        self.read_with(work(move |db| {
            Box::pin(async move { purchases::purchases_for_seller(db, &customer, &seller, &page).await })
        }))
        .await
    }

    async fn create_inquiry(
        &self,
        new: &NewInquiry,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<Thread> {
        self.write_with(unit((new.clone(), mails.to_vec(), acting.clone()), move |db, (new, mails, acting)| {
            Box::pin(async move { inquiries::create_inquiry(db, new, mails, acting, now).await })
        }))
        .await
    }

    async fn add_message(
        &self,
        inquiry: &InquiryId,
        message: &NewMessage,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<MessageOutcome> {
        self.write_with(unit(
            (inquiry.clone(), message.clone(), mails.to_vec(), acting.clone()),
            move |db, (inquiry, message, mails, acting)| {
                Box::pin(async move { inquiries::add_message(db, inquiry, message, mails, acting, now).await })
            },
        ))
        .await
    }

    async fn close_inquiry(
        &self,
        inquiry: &InquiryId,
        side: Side,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<(Inquiry, bool)> {
        self.write_with(unit((inquiry.clone(), acting.clone()), move |db, (inquiry, acting)| {
            Box::pin(async move { inquiries::close_inquiry(db, inquiry, side, acting, now).await })
        }))
        .await
    }

    async fn inquiry(&self, id: &InquiryId) -> StoreResult<Option<Inquiry>> {
        let id = id.clone();
        self.read_with(work(move |db| Box::pin(async move { inquiries::inquiry(db, &id).await }))).await
    }

    async fn thread(&self, id: &InquiryId) -> StoreResult<Option<Thread>> {
        let id = id.clone();
        self.read_with(work(move |db| Box::pin(async move { inquiries::thread(db, &id).await }))).await
    }

    async fn list_inquiries(&self, query: &InquiryQuery, page: &PageRequest) -> StoreResult<Page<Inquiry>> {
        let query = query.clone();
        let page = page.clone();
        self.read_with(work(move |db| Box::pin(async move { inquiries::list_inquiries(db, &query, &page).await })))
            .await
    }

    async fn inquiry_counts(&self, seller: &SellerId, overdue_cutoff: Timestamp) -> StoreResult<Vec<AppInquiryCounts>> {
        let seller = seller.clone();
        self.read_with(work(move |db| {
            Box::pin(async move { inquiries::inquiry_counts(db, &seller, overdue_cutoff).await })
        }))
        .await
    }

    async fn attachment(&self, inquiry: &InquiryId, id: &AttachmentId) -> StoreResult<Option<AttachmentMeta>> {
        let inquiry = inquiry.clone();
        let id = id.clone();
        self.read_with(work(move |db| Box::pin(async move { inquiries::attachment(db, &inquiry, &id).await }))).await
    }

    async fn outbox(&self, status: Option<MailStatus>, page: &PageRequest) -> StoreResult<Page<QueuedMail>> {
        let page = page.clone();
        self.read_with(work(move |db| Box::pin(async move { outbox::outbox(db, status, &page).await }))).await
    }

    async fn set_consent(
        &self,
        inquiry: &InquiryId,
        consent: bool,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<(Inquiry, bool)> {
        self.write_with(unit((inquiry.clone(), acting.clone()), move |db, (inquiry, acting)| {
            Box::pin(async move { consent::set_consent(db, inquiry, consent, acting, now).await })
        }))
        .await
    }

    async fn record_payment_reveal(
        &self,
        inquiry: &InquiryId,
        purchases: &[PurchaseId],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<()> {
        self.write_with(unit(
            (inquiry.clone(), purchases.to_vec(), acting.clone()),
            move |db, (inquiry, purchases, acting)| {
                Box::pin(async move { consent::record_payment_reveal(db, inquiry, purchases, acting, now).await })
            },
        ))
        .await
    }

    async fn submit_cancellation_request(
        &self,
        request: &NewCancellationRequest,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<SubmitOutcome> {
        self.write_with(unit((request.clone(), mails.to_vec(), acting.clone()), move |db, (request, mails, acting)| {
            Box::pin(async move { refunds::submit_cancellation_request(db, request, mails, acting, now).await })
        }))
        .await
    }

    async fn file_off_store_request(
        &self,
        inquiry: &NewInquiry,
        request: &NewCancellationRequest,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<OffStoreOutcome> {
        self.write_with(unit(
            (inquiry.clone(), request.clone(), mails.to_vec(), acting.clone()),
            move |db, (inquiry, request, mails, acting)| {
                Box::pin(async move { refunds::file_off_store_request(db, inquiry, request, mails, acting, now).await })
            },
        ))
        .await
    }

    async fn cancellation_request(&self, id: &CancellationRequestId) -> StoreResult<Option<CancellationRequest>> {
        let id = id.clone();
        self.read_with(work(move |db| Box::pin(async move { refunds::cancellation_request(db, &id).await }))).await
    }

    async fn cancellation_requests(
        &self,
        query: &RequestQuery,
        page: &PageRequest,
    ) -> StoreResult<Page<CancellationRequest>> {
        let query = query.clone();
        let page = page.clone();
        self.read_with(work(move |db| Box::pin(async move { refunds::cancellation_requests(db, &query, &page).await })))
            .await
    }

    async fn requests_of_inquiry(&self, inquiry: &InquiryId) -> StoreResult<Vec<CancellationRequest>> {
        let inquiry = inquiry.clone();
        self.read_with(work(move |db| Box::pin(async move { refunds::requests_of_inquiry(db, &inquiry).await }))).await
    }

    async fn decide_cancellation_request(
        &self,
        id: &CancellationRequestId,
        decision: &Decision,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<DecideOutcome> {
        self.write_with(unit(
            (id.clone(), decision.clone(), mails.to_vec(), acting.clone()),
            move |db, (id, decision, mails, acting)| {
                Box::pin(
                    async move { refunds::decide_cancellation_request(db, id, decision, mails, acting, now).await },
                )
            },
        ))
        .await
    }

    async fn cancel_on_behalf(
        &self,
        inquiry: &InquiryId,
        overdue_cutoff: Timestamp,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<OnBehalfOutcome> {
        self.write_with(unit((inquiry.clone(), mails.to_vec(), acting.clone()), move |db, (inquiry, mails, acting)| {
            Box::pin(async move { refunds::cancel_on_behalf(db, inquiry, overdue_cutoff, mails, acting, now).await })
        }))
        .await
    }

    async fn auto_cancel_candidates(&self, overdue_cutoff: Timestamp, limit: i64) -> StoreResult<Vec<InquiryId>> {
        self.read_with(work(move |db| {
            Box::pin(async move { sweep::auto_cancel_candidates(db, overdue_cutoff, limit).await })
        }))
        .await
    }

    async fn due_reminders(&self, cutoff: Timestamp, limit: i64) -> StoreResult<Vec<Inquiry>> {
        self.read_with(work(move |db| Box::pin(async move { sweep::due_reminders(db, cutoff, limit).await }))).await
    }

    async fn mark_reminded(
        &self,
        inquiry: &InquiryId,
        awaiting_since: Timestamp,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<bool> {
        self.write_with(unit((inquiry.clone(), mails.to_vec(), acting.clone()), move |db, (inquiry, mails, acting)| {
            Box::pin(async move { sweep::mark_reminded(db, inquiry, awaiting_since, mails, acting, now).await })
        }))
        .await
    }
}
