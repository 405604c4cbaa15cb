//! [`InboundStore`]: what receiving mail asks of the store (R15, R16). Every
//! [`crate::Store`] is one; both engines run the same units, written in `inbound`.
//!
//! A mail that becomes a message is linked to it in the transaction that adds the
//! message, so that two processes receiving the same mail (or an operator releasing it
//! while it is processed) cannot add it twice: the second link finds it no longer
//! waiting and rolls its message back.

use async_trait::async_trait;
use jiff::Timestamp;
use vocdesk_domain::ids::{InboundId, InquiryId, MessageId, OutboxId, UserId};
use vocdesk_domain::inbound::{InboundDecision, InboundMail, InboundStatus, NewInbound, ReplyToken};
use vocdesk_domain::inquiry::{NewInquiry, NewMessage, Thread};
use vocdesk_domain::outbox::OutgoingMail;
use vocdesk_domain::page::{Page, PageRequest};

use crate::db::{Engine, unit, work};
use crate::inbound::{self, BouncingAddress};
use crate::inquiries;
use crate::{Acting, MessageOutcome, StoreError, StoreResult};

/// A bounce report as the store records it (R16).
#[derive(Clone, Debug)]
pub struct BounceReport {
    /// The outbound mails it reports, found by their Message-ID.
    pub outbox_ids: Vec<OutboxId>,
    /// The addresses that failed, lower-case.
    pub failed_recipients: Vec<String>,
    /// Whether the failure is permanent (5.x.x): only then is an address marked.
    pub permanent: bool,
    /// The report's words, for operators.
    pub reason: String,
}

/// Who a message that arrives by mail is joined as, and whether an operator let it in.
#[derive(Clone, Debug)]
pub struct MailJoin {
    /// The received mail.
    pub inbound: InboundId,
    /// `None` when it joined by itself; the operator who released it otherwise.
    pub released_by: Option<Acting>,
}

/// R15/R16: received mail, reply tokens and bouncing addresses.
#[async_trait]
pub trait InboundStore: Send + Sync {
    /// R15: remembers who a reply token was issued to, before the mail carrying it goes.
    async fn remember_reply_token(
        &self,
        token: &ReplyToken,
        inquiry: &InquiryId,
        user: &UserId,
        now: Timestamp,
    ) -> StoreResult<()>;

    /// R15: the inquiry and the person a token was issued to.
    async fn reply_token_holder(&self, token: &ReplyToken) -> StoreResult<Option<(InquiryId, UserId)>>;

    /// Keeps a received mail as it arrived, before anything is decided about it; once
    /// this answers `Ok` the mail may be acknowledged.
    async fn record_inbound(&self, mail: &NewInbound, now: Timestamp) -> StoreResult<()>;

    /// Another mail kept earlier with the same Message-ID for the same recipient (the
    /// sending MTA retried after our answer was lost): the copy joins nothing.
    async fn earlier_copy(&self, mail: &NewInbound) -> StoreResult<Option<InboundId>>;

    /// Records a decision about a mail that did not become a message (held, ignored);
    /// holds are audited. `false` when it was decided already.
    async fn decide_inbound(
        &self,
        id: &InboundId,
        decision: &InboundDecision,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<bool>;

    /// R4/R15: adds the message a mail became and links the mail to it, in one
    /// transaction. `Conflict` (and nothing written) when the mail no longer waits.
    async fn join_by_mail(
        &self,
        join: &MailJoin,
        inquiry: &InquiryId,
        message: &NewMessage,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<MessageOutcome>;

    /// R3/R15: opens the inquiry a mail to a support address became and links the mail
    /// to its first message, in one transaction.
    async fn open_by_mail(
        &self,
        join: &MailJoin,
        new: &NewInquiry,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<Thread>;

    /// R16: a bounce marks the mails it reports failed and, when permanent, the
    /// addresses as bouncing; the mail itself is kept with status `bounce`.
    async fn record_bounce(
        &self,
        id: &InboundId,
        report: &BounceReport,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<()>;

    /// An operator discards a waiting mail; audited. `false` when it no longer waited.
    async fn discard_inbound(&self, id: &InboundId, acting: &Acting, now: Timestamp) -> StoreResult<bool>;

    /// One received mail, without its bytes.
    async fn inbound_mail(&self, id: &InboundId) -> StoreResult<Option<InboundMail>>;

    /// The mail an emailed message came from (the thread links to its original).
    async fn inbound_of_message(&self, message: &MessageId) -> StoreResult<Option<InboundMail>>;

    /// The original bytes of a received mail, as they arrived.
    async fn inbound_raw(&self, id: &InboundId) -> StoreResult<Option<Vec<u8>>>;

    /// Received mail, newest first; when `waiting`, only what waits for an operator,
    /// oldest first.
    async fn list_inbound(&self, waiting: bool, page: &PageRequest) -> StoreResult<Page<InboundMail>>;

    /// R16: whether mail to `email` is held back because it bounced.
    async fn is_bouncing(&self, email: &str) -> StoreResult<bool>;

    /// R16: every bouncing address.
    async fn bouncing_addresses(&self) -> StoreResult<Vec<BouncingAddress>>;

    /// R16: an operator clears a bouncing address; audited. `false` when it was not.
    async fn clear_bouncing(&self, email: &str, acting: &Acting, now: Timestamp) -> StoreResult<bool>;
}

/// The link that makes a mail's message final, or the error that rolls it back.
async fn link_or_roll_back(
    db: &mut dyn crate::db::Db,
    join: &MailJoin,
    inquiry: &InquiryId,
    message: &MessageId,
    now: Timestamp,
) -> StoreResult<()> {
    if inbound::link_message(db, &join.inbound, inquiry, message, join.released_by.as_ref(), now).await? {
        Ok(())
    } else {
        Err(StoreError::Conflict { what: "inbound_mail".to_owned() })
    }
}

#[async_trait]
impl<E: Engine> InboundStore for E {
    async fn remember_reply_token(
        &self,
        token: &ReplyToken,
        inquiry: &InquiryId,
        user: &UserId,
        now: Timestamp,
    ) -> StoreResult<()> {
        self.write_with(unit((token.clone(), inquiry.clone(), user.clone()), move |db, (token, inquiry, user)| {
            Box::pin(async move { inbound::remember_token(db, token, inquiry, user, now).await })
        }))
        .await
    }

    async fn reply_token_holder(&self, token: &ReplyToken) -> StoreResult<Option<(InquiryId, UserId)>> {
        let token = token.clone();
        self.read_with(work(move |db| Box::pin(async move { inbound::token_holder(db, &token).await }))).await
    }

    async fn record_inbound(&self, mail: &NewInbound, now: Timestamp) -> StoreResult<()> {
        self.write_with(unit(mail.clone(), move |db, mail| {
            Box::pin(async move { inbound::record(db, mail, now).await })
        }))
        .await
    }

    async fn earlier_copy(&self, mail: &NewInbound) -> StoreResult<Option<InboundId>> {
        let mail = NewInbound { raw: Vec::new(), ..mail.clone() };
        self.read_with(work(move |db| Box::pin(async move { inbound::earlier_copy(db, &mail).await }))).await
    }

    async fn decide_inbound(
        &self,
        id: &InboundId,
        decision: &InboundDecision,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<bool> {
        self.write_with(unit((id.clone(), decision.clone(), acting.clone()), move |db, (id, decision, acting)| {
            Box::pin(async move { inbound::decide(db, id, decision, acting, now).await })
        }))
        .await
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
        self.write_with(unit(
            (join.clone(), inquiry.clone(), message.clone(), mails.to_vec(), acting.clone()),
            move |db, (join, inquiry, message, mails, acting)| {
                Box::pin(async move {
                    let outcome = inquiries::add_message(db, inquiry, message, mails, acting, now).await?;
                    if let MessageOutcome::Added { .. } = &outcome {
                        link_or_roll_back(db, join, inquiry, &message.id, now).await?;
                    }
                    Ok(outcome)
                })
            },
        ))
        .await
    }

    async fn open_by_mail(
        &self,
        join: &MailJoin,
        new: &NewInquiry,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<Thread> {
        self.write_with(unit(
            (join.clone(), new.clone(), mails.to_vec(), acting.clone()),
            move |db, (join, new, mails, acting)| {
                Box::pin(async move {
                    let thread = inquiries::create_inquiry(db, new, mails, acting, now).await?;
                    link_or_roll_back(db, join, &new.id, &new.first_message.id, now).await?;
                    Ok(thread)
                })
            },
        ))
        .await
    }

    async fn record_bounce(
        &self,
        id: &InboundId,
        report: &BounceReport,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<()> {
        self.write_with(unit((id.clone(), report.clone(), acting.clone()), move |db, (id, report, acting)| {
            Box::pin(async move {
                let mut failed = 0_usize;
                for outbox_id in &report.outbox_ids {
                    if inbound::fail_bounced(db, outbox_id, &report.reason, now).await? {
                        failed += 1;
                    }
                }
                if report.permanent {
                    for email in &report.failed_recipients {
                        inbound::mark_bouncing(db, email, &report.reason, id, now).await?;
                    }
                }
                let decision = InboundDecision {
                    status: InboundStatus::Bounce,
                    reason: None,
                    detail: Some(format!(
                        "{failed} outbound mail(s) marked failed; {} address(es){}",
                        report.failed_recipients.len(),
                        if report.permanent { " marked bouncing" } else { " (temporary, not marked)" }
                    )),
                    inquiry_id: None,
                };
                inbound::decide(db, id, &decision, acting, now).await?;
                Ok(())
            })
        }))
        .await
    }

    async fn discard_inbound(&self, id: &InboundId, acting: &Acting, now: Timestamp) -> StoreResult<bool> {
        self.write_with(unit((id.clone(), acting.clone()), move |db, (id, acting)| {
            Box::pin(async move { inbound::discard(db, id, acting, now).await })
        }))
        .await
    }

    async fn inbound_mail(&self, id: &InboundId) -> StoreResult<Option<InboundMail>> {
        let id = id.clone();
        self.read_with(work(move |db| Box::pin(async move { inbound::one(db, &id).await }))).await
    }

    async fn inbound_of_message(&self, message: &MessageId) -> StoreResult<Option<InboundMail>> {
        let message = message.clone();
        self.read_with(work(move |db| Box::pin(async move { inbound::of_message(db, &message).await }))).await
    }

    async fn inbound_raw(&self, id: &InboundId) -> StoreResult<Option<Vec<u8>>> {
        let id = id.clone();
        self.read_with(work(move |db| Box::pin(async move { inbound::raw(db, &id).await }))).await
    }

    async fn list_inbound(&self, waiting: bool, page: &PageRequest) -> StoreResult<Page<InboundMail>> {
        let page = page.clone();
        self.read_with(work(move |db| Box::pin(async move { inbound::list(db, waiting, &page).await }))).await
    }

    async fn is_bouncing(&self, email: &str) -> StoreResult<bool> {
        let email = email.to_owned();
        self.read_with(work(move |db| Box::pin(async move { inbound::is_bouncing(db, &email).await }))).await
    }

    async fn bouncing_addresses(&self) -> StoreResult<Vec<BouncingAddress>> {
        self.read_with(work(move |db| Box::pin(async move { inbound::bouncing(db).await }))).await
    }

    async fn clear_bouncing(&self, email: &str, acting: &Acting, now: Timestamp) -> StoreResult<bool> {
        self.write_with(unit((email.to_owned(), acting.clone()), move |db, (email, acting)| {
            Box::pin(async move { inbound::clear_bouncing(db, email, acting, now).await })
        }))
        .await
    }
}
