//! Writing the stories: inquiries, messages, reminders, requests and decisions, each at
//! its own time, through the store as the real doors would.

use super::*;
/// Writes [`INQUIRIES`] step by step, each step at its own time before `now`.
pub(super) async fn seed_inquiries(
    store: &dyn Store,
    blobs: &BlobStore,
    now: Timestamp,
    demo: &mut DemoSeed,
) -> anyhow::Result<()> {
    // The links in the mails point where a store started with the defaults is reached;
    // the running server's own address is not known yet when `serve --demo` seeds.
    let mail = MailRenderer::new(&vocdesk_app::AppConfig::default().public_url);
    for spec in INQUIRIES {
        let inquiry = seed_inquiry(store, blobs, &mail, now, demo, spec)
            .await
            .with_context(|| format!("creating demo inquiry {}", spec.key))?;
        demo.inquiries.insert(spec.key, inquiry);
    }
    Ok(())
}

/// Who takes part in a demo thread, and the mail addresses of each side.
pub(super) struct Parties {
    pub(super) customer: User,
    pub(super) developer: User,
    pub(super) to_customer: Recipient,
    pub(super) to_developers: Vec<Recipient>,
}

impl Parties {
    /// The customer, and the seller's developers (the first one writes the replies).
    pub(super) async fn of(store: &dyn Store, customer: User, seller: &Seller) -> anyhow::Result<Self> {
        let developers = store.developers_of_seller(&seller.id).await.context("reading the seller's developers")?;
        let developer =
            developers.first().cloned().ok_or_else(|| anyhow!("seller {} has no developer", seller.name))?;
        Ok(Self {
            to_customer: Recipient::from(customer.clone()),
            to_developers: developers.into_iter().map(Recipient::from).collect(),
            customer,
            developer,
        })
    }
}

/// The seller of a demo app.
pub(super) fn seller_of<'a>(demo: &'a DemoSeed, app: &App) -> anyhow::Result<&'a Seller> {
    demo.sellers
        .values()
        .find(|seller| seller.id == app.seller_id)
        .ok_or_else(|| anyhow!("app {} has no seller", app.title))
}

/// One inquiry of [`INQUIRIES`], through the same steps as `vocdesk-web`'s use cases:
/// R1 validation, the customer's own purchase of the app, files kept before the write,
/// R3 mail to the seller's developers or the customer, R4 through the store; then the
/// refund steps (R5, R7, R8) the way `refunds.rs` takes them.
pub(super) async fn seed_inquiry(
    store: &dyn Store,
    blobs: &BlobStore,
    mail: &MailRenderer,
    now: Timestamp,
    demo: &mut DemoSeed,
    spec: &InquirySpec,
) -> anyhow::Result<Inquiry> {
    let customer = lookup(&demo.users, spec.customer)?.clone();
    let app = lookup(&demo.apps, spec.app)?.clone();
    let seller = seller_of(demo, &app)?.clone();
    let purchase_id = match spec.purchase {
        None => None,
        Some(key) => {
            let purchase = &lookup(&demo.purchases, key)?.purchase;
            if purchase.customer_id != customer.id || purchase.app_id != app.id {
                bail!("demo purchase {key} is not {}'s purchase of {}", spec.customer, spec.app);
            }
            Some(purchase.id.clone())
        }
    };
    let parties = Parties::of(store, customer, &seller).await?;
    // The demo itself is the actor of record (R14); the inquiry and its messages carry
    // the channel people would have used (R2).
    let acting = Acting { actor: AuditActor::system(AUDIT_LABEL), channel: Channel::Cli };

    let Some((Step::Customer { hours_ago, body, file }, rest)) = spec.steps.split_first() else {
        bail!("a demo inquiry starts with the customer's question");
    };
    let at = hours_before(now, *hours_ago)?;
    let input = InquiryInput {
        category: spec.category.as_str(),
        subject: spec.subject,
        body,
        purchase_id: purchase_id.as_ref().map(|id| id.as_str()),
        consent_personal_info: spec.consent,
    };
    let mut new = NewInquiry::parse(&input, app.id.clone(), parties.customer.id.clone(), spec.channel)?;
    new.first_message.attachments = keep_file(blobs, *file).await?;
    let thread = ThreadFacts {
        inquiry_id: &new.id,
        app_title: &app.title,
        seller_name: &seller.name,
        customer_name: &parties.customer.display_name,
        category: new.category,
        subject: &new.subject,
    };
    let facts = message_facts(&new.first_message, &parties.customer, at);
    let mails = mail.inquiry_created(&thread, &facts, &parties.to_developers)?;
    let mut inquiry = store.create_inquiry(&new, &mails, &acting, at).await?.inquiry;
    demo.messages += 1;
    demo.mails += mails.len();

    let mut request: Option<CancellationRequest> = None;
    for step in rest {
        let at = hours_before(now, step.hours_ago())?;
        let context = || format!("step {} hours before now", step.hours_ago());
        match step {
            Step::Customer { body, file, .. } => {
                let mut message = NewMessage::parse(parties.customer.id.clone(), Side::Customer, spec.channel, body)?;
                message.attachments = keep_file(blobs, *file).await?;
                inquiry = add_message(store, mail, demo, &inquiry, &parties, &message, &acting, at)
                    .await
                    .with_context(context)?;
            }
            Step::Developer { body, .. } => {
                let message = NewMessage::parse(parties.developer.id.clone(), Side::Developer, Channel::Store, body)?;
                inquiry = add_message(store, mail, demo, &inquiry, &parties, &message, &acting, at)
                    .await
                    .with_context(context)?;
            }
            Step::Close { side, .. } => {
                inquiry = store.close_inquiry(&inquiry.id, *side, &acting, at).await.with_context(context)?.0;
            }
            Step::Consent { .. } => {
                let (updated, changed) =
                    store.set_consent(&inquiry.id, true, &acting, at).await.with_context(context)?;
                if !changed {
                    bail!("{}: consent was given already", context());
                }
                inquiry = updated;
            }
            Step::Remind { .. } => {
                send_reminder(store, mail, demo, &inquiry, &parties, &acting, at).await.with_context(context)?;
            }
            Step::Request { reason, .. } => {
                let submitted = submit_request(store, mail, demo, spec, &inquiry, &parties, reason, &acting, at)
                    .await
                    .with_context(context)?;
                request = Some(submitted);
            }
            Step::Approve { .. } | Step::Reject { .. } => {
                let open = request.take().ok_or_else(|| anyhow!("{}: no request to decide", context()))?;
                let decision = match step {
                    Step::Reject { reason, .. } => Decision::Reject { reason: refund::parse_reason("reason", reason)? },
                    _ => Decision::Approve,
                };
                let decided =
                    decide_request(store, mail, demo, spec, &inquiry, &parties, &open, &decision, &acting, at)
                        .await
                        .with_context(context)?;
                demo.requests.insert(spec.key, decided);
            }
            Step::OnBehalf { .. } => {
                let purchase = cancel_on_behalf(store, mail, demo, spec, &inquiry, &parties, &acting, at)
                    .await
                    .with_context(context)?;
                demo.cancelled_on_behalf.insert(spec.key, purchase);
            }
        }
    }
    Ok(inquiry)
}

/// R3/R4: a message in a thread, with its mail: a reply to the customer, a follow-up to
/// the seller's developers.
#[allow(clippy::too_many_arguments)]
pub(super) async fn add_message(
    store: &dyn Store,
    mail: &MailRenderer,
    demo: &mut DemoSeed,
    inquiry: &Inquiry,
    parties: &Parties,
    message: &NewMessage,
    acting: &Acting,
    at: Timestamp,
) -> anyhow::Result<Inquiry> {
    let thread = ThreadFacts::from(inquiry);
    let mails = match message.side {
        Side::Developer => {
            vec![mail.developer_reply(
                &thread,
                &message_facts(message, &parties.developer, at),
                &parties.to_customer,
            )?]
        }
        Side::Customer => {
            mail.customer_follow_up(&thread, &message_facts(message, &parties.customer, at), &parties.to_developers)?
        }
    };
    match store.add_message(&inquiry.id, message, &mails, acting, at).await? {
        MessageOutcome::Added { inquiry: updated, .. } => {
            demo.messages += 1;
            demo.mails += mails.len();
            Ok(*updated)
        }
        MessageOutcome::Refused(refused) => bail!("the message was refused: {refused}"),
    }
}

/// R5: the reminder the sweep sends 24 hours before the limit, for the customer's
/// current wait, as `vocdesk_app::sweep` sends it.
pub(super) async fn send_reminder(
    store: &dyn Store,
    mail: &MailRenderer,
    demo: &mut DemoSeed,
    inquiry: &Inquiry,
    parties: &Parties,
    acting: &Acting,
    at: Timestamp,
) -> anyhow::Result<()> {
    let limit = DEFAULT_RESPONSE_LIMIT;
    let (Some(since), Some(due_at)) = (inquiry.awaiting_since, inquiry.state().due_at(limit)) else {
        bail!("a reminder needs a customer waiting for an answer");
    };
    if since >= refund::reminder_cutoff(at, limit) {
        bail!("a reminder falls due only 24 hours before the limit");
    }
    let mails = mail.response_reminder(&ThreadFacts::from(inquiry), due_at, &parties.to_developers)?;
    if !store.mark_reminded(&inquiry.id, since, &mails, acting, at).await? {
        bail!("the wait was reminded before");
    }
    demo.reminders += 1;
    demo.mails += mails.len();
    Ok(())
}

/// R8: the developer submits a cancellation request for the inquiry's purchase from the
/// thread, as `refunds::request_cancellation` does, with the mail that tells the customer
/// the store has their refund (R17).
#[allow(clippy::too_many_arguments)]
pub(super) async fn submit_request(
    store: &dyn Store,
    mail: &MailRenderer,
    demo: &mut DemoSeed,
    spec: &InquirySpec,
    inquiry: &Inquiry,
    parties: &Parties,
    reason: &str,
    acting: &Acting,
    at: Timestamp,
) -> anyhow::Result<CancellationRequest> {
    let purchase_id = inquiry.purchase_id.clone().ok_or_else(|| anyhow!("a request needs the inquiry's purchase"))?;
    let request = NewCancellationRequest {
        id: CancellationRequestId::generate(),
        purchase_id,
        inquiry_id: inquiry.id.clone(),
        requested_by: parties.developer.id.clone(),
        channel: Channel::Store,
        reason: refund::parse_reason("reason", reason)?,
        message_to_customer: None,
        idempotency: None,
    };
    let view = store.purchase(&request.purchase_id).await?.ok_or_else(|| anyhow!("the inquiry's purchase is gone"))?;
    let mails = vocdesk_app::refund_mail::request_filed_mails(
        mail,
        &ThreadFacts::from(inquiry),
        &view,
        None,
        std::slice::from_ref(&parties.to_customer),
    )?;
    match store.submit_cancellation_request(&request, &mails, acting, at).await? {
        SubmitOutcome::Created(created) => {
            demo.mails += mails.len();
            demo.requests.insert(spec.key, created.clone());
            Ok(created)
        }
        other => bail!("the request was not created: {other:?}"),
    }
}

/// R8: an operator decides the request, with the mail `refunds::decide` queues:
/// approved, the customer hears the purchase is cancelled and the developers that the
/// store approved; rejected, both sides hear the reason.
#[allow(clippy::too_many_arguments)]
pub(super) async fn decide_request(
    store: &dyn Store,
    mail: &MailRenderer,
    demo: &mut DemoSeed,
    spec: &InquirySpec,
    inquiry: &Inquiry,
    parties: &Parties,
    request: &CancellationRequest,
    decision: &Decision,
    acting: &Acting,
    at: Timestamp,
) -> anyhow::Result<CancellationRequest> {
    let view = purchase_of(demo, spec)?;
    let customer = std::slice::from_ref(&parties.to_customer);
    let mails = refund_mail::decision_mails(mail, inquiry, view, decision, customer, &parties.to_developers)?;
    match store.decide_cancellation_request(&request.id, decision, &mails, acting, at).await? {
        DecideOutcome::Decided(decided) => {
            demo.mails += mails.len();
            Ok(decided)
        }
        other => bail!("the request was not decided: {other:?}"),
    }
}

/// R5: past the limit, an operator cancels the inquiry's purchase on the developer's
/// behalf, with the mail `refunds::cancel_on_behalf` queues: the customer hears the
/// purchase is cancelled, the developers that the store did it for them.
#[allow(clippy::too_many_arguments)]
pub(super) async fn cancel_on_behalf(
    store: &dyn Store,
    mail: &MailRenderer,
    demo: &mut DemoSeed,
    spec: &InquirySpec,
    inquiry: &Inquiry,
    parties: &Parties,
    acting: &Acting,
    at: Timestamp,
) -> anyhow::Result<PurchaseView> {
    let limit = DEFAULT_RESPONSE_LIMIT;
    let view = purchase_of(demo, spec)?;
    refund::may_cancel_on_behalf(&inquiry.state(), Some(&view.purchase), at, limit)?;
    let customer = std::slice::from_ref(&parties.to_customer);
    let mails = refund_mail::on_behalf_mails(mail, inquiry, view, customer, &parties.to_developers)?;
    let cutoff = at.checked_sub(limit).context("the overdue cutoff")?;
    match store.cancel_on_behalf(&inquiry.id, cutoff, &mails, acting, at).await? {
        OnBehalfOutcome::Cancelled { purchase, .. } => {
            demo.mails += mails.len();
            Ok(*purchase)
        }
        OnBehalfOutcome::Refused(refusal) => bail!("the store refused to cancel on the developer's behalf: {refusal}"),
    }
}

/// Writes [`OFF_STORE`], each at its own time before `now`.
pub(super) async fn seed_off_store(
    store: &dyn Store,
    mail: &MailRenderer,
    now: Timestamp,
    demo: &mut DemoSeed,
) -> anyhow::Result<()> {
    for spec in OFF_STORE {
        seed_off_store_request(store, mail, now, demo, spec)
            .await
            .with_context(|| format!("filing demo off-store request {}", spec.key))?;
    }
    Ok(())
}

/// R9: one off-store request, as `off_store::file_off_store` files it: the store's form
/// validated with [`OffStoreRequest::parse`], the customer found by number and the
/// purchase by item and minute, the form written as the developer's first message in
/// the developer's language, then the inquiry and its request in one store call.
pub(super) async fn seed_off_store_request(
    store: &dyn Store,
    mail: &MailRenderer,
    now: Timestamp,
    demo: &mut DemoSeed,
    spec: &OffStoreSpec,
) -> anyhow::Result<()> {
    let at = hours_before(now, spec.hours_ago)?;
    let developer = lookup(&demo.users, spec.developer)?.clone();
    let view = lookup(&demo.purchases, spec.purchase)?.clone();
    let customer = demo
        .users
        .values()
        .find(|user| user.id == view.purchase.customer_id)
        .cloned()
        .ok_or_else(|| anyhow!("demo purchase {} has no customer", spec.purchase))?;
    if developer.seller_id.as_ref() != Some(&view.seller_id) {
        bail!("{} is not a developer of the seller of {}", spec.developer, spec.purchase);
    }
    // The form as the developer fills it in from the call: Korean time to the minute.
    let purchased_at = view.purchase.purchased_at.to_zoned(TimeZone::fixed(tz::offset(9))).strftime("%Y-%m-%d %H:%M");
    let purchased_at = purchased_at.to_string();
    let customer_no =
        customer.customer_no.clone().ok_or_else(|| anyhow!("{} has no customer number", customer.email))?;
    let product_id = view.purchase.item_id.as_ref().map_or(view.purchase.app_id.as_str(), |item| item.as_str());
    let form = OffStoreRequest::parse(&OffStoreInput {
        channel: spec.channel,
        consent: spec.consent,
        customer_no: &customer_no,
        purchased_at: &purchased_at,
        product_id,
        purchase_id: "",
        reason: spec.reason,
    })?;
    let found = store.customer_by_number(&form.customer_no).await?;
    if found.map(|user| user.id) != Some(customer.id.clone()) || !form.names(&view.purchase) {
        bail!("the form does not name purchase {}", spec.purchase);
    }
    refund::cancellable(&view.purchase)?;

    let inquiry = vocdesk_app::off_store::off_store_inquiry(&developer, &customer, &form, &view);
    let request = NewCancellationRequest {
        id: CancellationRequestId::generate(),
        purchase_id: view.purchase.id.clone(),
        inquiry_id: inquiry.id.clone(),
        requested_by: developer.id.clone(),
        channel: form.channel,
        reason: form.reason.clone(),
        message_to_customer: None,
        idempotency: None,
    };
    let acting = Acting { actor: AuditActor::system(AUDIT_LABEL), channel: Channel::Cli };
    let seller = store.seller(&view.seller_id).await?.ok_or_else(|| anyhow!("the purchase's seller is gone"))?;
    let mails =
        vocdesk_app::off_store::off_store_mails(mail, &seller.name, &developer, &customer, &inquiry, &view, at)?;
    match store.file_off_store_request(&inquiry, &request, &mails, &acting, at).await? {
        OffStoreOutcome::Filed { inquiry, request } => {
            demo.messages += 1;
            demo.mails += mails.len();
            demo.inquiries.insert(spec.key, *inquiry);
            demo.requests.insert(spec.key, *request);
            Ok(())
        }
        other => bail!("the off-store request was not filed: {other:?}"),
    }
}
