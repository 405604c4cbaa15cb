//! [`InboundStore`] through the cache: nothing of received mail is cached (it is
//! written once and read by operators), so every call goes to the database.

use async_trait::async_trait;
use jiff::Timestamp;
use vocdesk_domain::ids::{InboundId, InquiryId, MessageId, UserId};
use vocdesk_domain::inbound::{InboundDecision, InboundMail, NewInbound, ReplyToken};
use vocdesk_domain::inquiry::{NewInquiry, NewMessage, Thread};
use vocdesk_domain::outbox::OutgoingMail;
use vocdesk_domain::page::{Page, PageRequest};

use super::CachedStore;
use crate::inbound::BouncingAddress;
use crate::inbound_store::{BounceReport, InboundStore, MailJoin};
use crate::{Acting, MessageOutcome, StoreResult};

#[async_trait]
impl InboundStore for CachedStore {
    async fn remember_reply_token(
        &self,
        token: &ReplyToken,
        inquiry: &InquiryId,
        user: &UserId,
        now: Timestamp,
    ) -> StoreResult<()> {
        self.inner.remember_reply_token(token, inquiry, user, now).await
    }

    async fn reply_token_holder(&self, token: &ReplyToken) -> StoreResult<Option<(InquiryId, UserId)>> {
        self.inner.reply_token_holder(token).await
    }

    async fn record_inbound(&self, mail: &NewInbound, now: Timestamp) -> StoreResult<()> {
        self.inner.record_inbound(mail, now).await
    }

    async fn earlier_copy(&self, mail: &NewInbound) -> StoreResult<Option<InboundId>> {
        self.inner.earlier_copy(mail).await
    }

    async fn decide_inbound(
        &self,
        id: &InboundId,
        decision: &InboundDecision,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<bool> {
        self.inner.decide_inbound(id, decision, acting, now).await
    }

    async fn join_by_mail(
        &self,
        join: &MailJoin,
        inquiry: &InquiryId,
        message: &NewMessage,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<MessageOutcome> {
        self.inner.join_by_mail(join, inquiry, message, mails, acting, now).await
    }

    async fn open_by_mail(
        &self,
        join: &MailJoin,
        new: &NewInquiry,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<Thread> {
        self.inner.open_by_mail(join, new, mails, acting, now).await
    }

    async fn record_bounce(
        &self,
        id: &InboundId,
        report: &BounceReport,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<()> {
        self.inner.record_bounce(id, report, acting, now).await
    }

    async fn discard_inbound(&self, id: &InboundId, acting: &Acting, now: Timestamp) -> StoreResult<bool> {
        self.inner.discard_inbound(id, acting, now).await
    }

    async fn inbound_mail(&self, id: &InboundId) -> StoreResult<Option<InboundMail>> {
        self.inner.inbound_mail(id).await
    }

    async fn inbound_of_message(&self, message: &MessageId) -> StoreResult<Option<InboundMail>> {
        self.inner.inbound_of_message(message).await
    }

    async fn inbound_raw(&self, id: &InboundId) -> StoreResult<Option<Vec<u8>>> {
        self.inner.inbound_raw(id).await
    }

    async fn list_inbound(&self, waiting: bool, page: &PageRequest) -> StoreResult<Page<InboundMail>> {
        self.inner.list_inbound(waiting, page).await
    }

    async fn is_bouncing(&self, email: &str) -> StoreResult<bool> {
        self.inner.is_bouncing(email).await
    }

    async fn bouncing_addresses(&self) -> StoreResult<Vec<BouncingAddress>> {
        self.inner.bouncing_addresses().await
    }

    async fn clear_bouncing(&self, email: &str, acting: &Acting, now: Timestamp) -> StoreResult<bool> {
        self.inner.clear_bouncing(email, acting, now).await
    }
}
