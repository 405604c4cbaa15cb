//! Writing the reviews: the reviewer accounts and their purchases, the sellers' saved
//! replies, then every review of [`REVIEWS`] step by step, each at its own time, the way
//! `vocdesk_app::{reviews, moderation, reply_templates}` write them: the policy asked
//! with the acting user, the input checked by the domain's parsers, the R11/R12 mail
//! rendered for each recipient in their language, then one store call per step.

use vocdesk_domain::policy;
use vocdesk_domain::review::{
    ReportDraft, Review, ReviewDraft, TemplateDraft, fill_template, parse_moderation_reason, parse_reply_text,
};
use vocdesk_domain::role::{Actor, TokenScope};
use vocdesk_mail::{Moderation, ReviewFacts};
use vocdesk_store::{HideOutcome, PutReviewOutcome, ReplyOutcome, ReportOutcome, ReviewWrite};

use super::*;

/// The acting user as the policy sees them, signed in with full rights.
fn actor(user: &User) -> Actor {
    Actor { user_id: user.id.clone(), role: user.role, seller_id: user.seller_id.clone(), scope: TokenScope::Full }
}

/// The policy's answer as an error of the demo tables, which only do what is allowed.
fn allowed<T>(decision: Result<T, policy::Refusal>, what: impl FnOnce() -> String) -> anyhow::Result<T> {
    decision.map_err(|refusal| anyhow!("{}: the policy refuses it ({refusal:?})", what()))
}

fn acting() -> Acting {
    Acting { actor: AuditActor::system(AUDIT_LABEL), channel: Channel::Cli }
}

/// A demo account or reviewer by email.
fn person<'a>(demo: &'a DemoSeed, email: &str) -> anyhow::Result<&'a User> {
    demo.users.get(email).or_else(|| demo.reviewers.get(email)).ok_or_else(|| anyhow!("no demo account {email}"))
}

/// Creates the [`REVIEWERS`] with the demo password.
pub(super) async fn seed_reviewers(
    store: &dyn Store,
    now: Timestamp,
    demo: &mut DemoSeed,
    password_hash: &str,
) -> anyhow::Result<()> {
    for spec in REVIEWERS {
        let user = NewUser::new(
            spec.email,
            spec.display_name,
            Role::Customer,
            None,
            Some(spec.customer_no.to_owned()),
            spec.locale,
        )
        .with_context(|| format!("demo reviewer {}", spec.email))?;
        let user = store
            .create_user(&user, password_hash, &audit("user.created", "user"), now)
            .await
            .with_context(|| format!("creating demo reviewer {}", spec.email))?;
        demo.reviewers.insert(spec.email, user);
    }
    Ok(())
}

/// The reviewers' purchases of the apps they review, a day or two before the first
/// write (free apps at 0, paid ones at their price), recorded in one batch like the
/// other purchases, under the review's key.
pub(super) async fn seed_reviewer_purchases(
    store: &dyn Store,
    now: Timestamp,
    demo: &mut DemoSeed,
) -> anyhow::Result<()> {
    let seoul = TimeZone::fixed(tz::offset(9));
    let mut batch = Vec::new();
    let mut keys = Vec::new();
    for (index, spec) in REVIEWS.iter().enumerate() {
        let Some(reviewer) = demo.reviewers.get(spec.customer) else { continue };
        let app = lookup(&demo.apps, spec.app)?;
        let first = spec.steps.first().map(ReviewStep::hours_ago).unwrap_or(1);
        let purchased_at = hours_before(now, first + 20 + (index as i64 % 4) * 9)?;
        let amount =
            app.price.clone().unwrap_or(Money { amount_minor: 0, currency: Currency::parse("currency", "KRW")? });
        let day = purchased_at.to_zoned(seoul.clone()).date();
        batch.push(NewPurchase {
            customer_id: reviewer.id.clone(),
            app_id: app.id.clone(),
            item_id: None,
            // Positions after the catalog's purchases, so that every TID is new.
            payment: payment_ids(PURCHASES.len() + 100 + index, day, amount.amount_minor > 0),
            amount,
            purchased_at,
            status: PurchaseStatus::Paid,
        });
        keys.push(spec.key);
    }
    let outcomes = store
        .record_purchases(&batch, &AuditActor::system(AUDIT_LABEL), Channel::Cli, now)
        .await
        .context("recording the demo reviewers' purchases")?;
    for (key, outcome) in keys.into_iter().zip(outcomes) {
        match outcome {
            RecordOutcome::Created(view) => {
                demo.purchases.insert(key, view);
            }
            other => bail!("demo purchase {key} was not created: {other:?}"),
        }
    }
    Ok(())
}

/// The sellers' saved replies (ko and en), written by each seller's developer.
pub(super) async fn seed_templates(store: &dyn Store, now: Timestamp, demo: &mut DemoSeed) -> anyhow::Result<()> {
    for spec in TEMPLATES {
        let seller = lookup(&demo.sellers, spec.seller)?.clone();
        let developer = demo
            .users
            .values()
            .find(|user| user.seller_id.as_ref() == Some(&seller.id))
            .ok_or_else(|| anyhow!("seller {} has no developer", spec.seller))?;
        if allowed(policy::keep_reply_templates(&actor(developer)), || spec.key.to_owned())? != seller.id {
            bail!("{} keeps another seller's replies", developer.email);
        }
        let draft = TemplateDraft::parse(spec.title, spec.text, spec.lang)?;
        let template = store
            .create_reply_template(&seller.id, &draft, &acting(), hours_before(now, spec.hours_ago)?)
            .await
            .with_context(|| format!("saving demo reply template {}", spec.key))?;
        demo.reply_templates.insert(spec.key, template);
    }
    Ok(())
}

/// Writes [`REVIEWS`], each step at its own time before `now`.
pub(super) async fn seed_reviews(store: &dyn Store, now: Timestamp, demo: &mut DemoSeed) -> anyhow::Result<()> {
    let mail = MailRenderer::new(&vocdesk_app::AppConfig::default().public_url);
    for spec in REVIEWS {
        let review = seed_review(store, &mail, now, demo, spec)
            .await
            .with_context(|| format!("writing demo review {}", spec.key))?;
        demo.reviews.insert(spec.key, review);
    }
    Ok(())
}

fn facts<'a>(review: &'a Review, app: &'a App) -> ReviewFacts<'a> {
    ReviewFacts {
        review_id: &review.id,
        app_id: &review.app_id,
        app_title: &app.title,
        seller_name: &app.seller_name,
        stars: review.stars,
        review_text: review.text.as_deref(),
    }
}

/// One review of [`REVIEWS`]: written by its customer (R10), answered by the seller's
/// developer (R11, mail to the reviewer), edited (R18), reported and moderated (R12,
/// mail to the reviewer or the seller's developers).
async fn seed_review(
    store: &dyn Store,
    mail: &MailRenderer,
    now: Timestamp,
    demo: &mut DemoSeed,
    spec: &ReviewSpec,
) -> anyhow::Result<Review> {
    let customer = person(demo, spec.customer)?.clone();
    let app = lookup(&demo.apps, spec.app)?.clone();
    let seller = threads::seller_of(demo, &app)?.clone();
    let parties = threads::Parties::of(store, customer.clone(), &seller).await?;
    let operator = lookup(&demo.users, "operator@example.com")?.clone();
    let mut current: Option<Review> = None;
    for step in spec.steps {
        let at = hours_before(now, step.hours_ago())?;
        let context = || format!("step {} hours before now", step.hours_ago());
        let review = match step {
            ReviewStep::Write { stars, text, .. } => {
                let obtained = store.has_obtained(&customer.id, &app.id).await?;
                allowed(policy::review_app(&actor(&customer), obtained), context)?;
                let draft = ReviewDraft::parse(*stars, *text, customer.locale)?;
                let write = ReviewWrite {
                    app_id: app.id.clone(),
                    seller_id: app.seller_id.clone(),
                    author_id: customer.id.clone(),
                    draft,
                };
                match store.put_review(&write, &acting(), at).await.with_context(context)? {
                    PutReviewOutcome::Created(review) | PutReviewOutcome::Edited(review) => review,
                    PutReviewOutcome::Unchanged(_) => bail!("{}: the review did not change", context()),
                }
            }
            ReviewStep::Reply { text, .. } => {
                let review = current.take().ok_or_else(|| anyhow!("a reply needs a review"))?;
                allowed(policy::reply_to_review(&actor(&parties.developer), &review), context)?;
                let text = parse_reply_text(&fill_template(text, &customer.display_name, &app.title))?;
                let mails = [mail.review_replied(&facts(&review, &app), &text, &parties.to_customer)?];
                let outcome = store
                    .put_reply(&review.id, &parties.developer.id, &text, &mails, &acting(), at)
                    .await
                    .with_context(context)?;
                match outcome {
                    ReplyOutcome::Posted(review) => {
                        demo.mails += mails.len();
                        review
                    }
                    other => bail!("{}: the reply was not posted: {other:?}", context()),
                }
            }
            ReviewStep::Report { by, target, reason, note, .. } => {
                let review = current.take().ok_or_else(|| anyhow!("a report needs a review"))?;
                let reporter = person(demo, by)?.clone();
                let draft = ReportDraft::parse(target, reason, *note)?;
                allowed(policy::report(&actor(&reporter), &review, draft.target), context)?;
                match store.file_report(&review.id, &reporter.id, &draft, &acting(), at).await.with_context(context)? {
                    ReportOutcome::Filed(_) => demo.reports += 1,
                    ReportOutcome::AlreadyOpen => bail!("{}: {by} reported this before", context()),
                }
                review
            }
            ReviewStep::Hide { target, reason, .. } | ReviewStep::Show { target, reason, .. } => {
                let review = current.take().ok_or_else(|| anyhow!("moderation needs a review"))?;
                allowed(policy::moderate(&actor(&operator)), context)?;
                let hide = matches!(step, ReviewStep::Hide { .. });
                let reason = parse_moderation_reason(reason)?;
                let (what, to) = match (target, hide) {
                    (ReportTarget::Review, true) => (Moderation::ReviewHidden, vec![parties.to_customer.clone()]),
                    (ReportTarget::Review, false) => (Moderation::ReviewRestored, vec![parties.to_customer.clone()]),
                    (ReportTarget::Reply, true) => (Moderation::ReplyHidden, parties.to_developers.clone()),
                    (ReportTarget::Reply, false) => (Moderation::ReplyRestored, parties.to_developers.clone()),
                };
                let mails = mail.review_moderated(&facts(&review, &app), what, &reason, &to)?;
                let outcome = store
                    .set_hidden(&review.id, *target, hide, &reason, &mails, &acting(), at)
                    .await
                    .with_context(context)?;
                match outcome {
                    HideOutcome::Changed(review) => {
                        demo.mails += mails.len();
                        review
                    }
                    other => bail!("{}: moderation changed nothing: {other:?}", context()),
                }
            }
        };
        current = Some(review);
    }
    let id = current.map(|r| r.id).ok_or_else(|| anyhow!("a demo review has steps"))?;
    store.review(&id).await?.ok_or_else(|| anyhow!("demo review {} vanished", spec.key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_account(email: &str) -> bool {
        ACCOUNTS.iter().any(|a| a.email == email) || REVIEWERS.iter().any(|r| r.email == email)
    }

    #[test]
    fn reviews_refer_to_known_people_and_apps_and_run_forward_in_time() {
        let mut keys: Vec<_> = REVIEWS.iter().map(|r| r.key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), REVIEWS.len(), "review keys are unique");
        let mut pairs: Vec<_> = REVIEWS.iter().map(|r| (r.customer, r.app)).collect();
        pairs.sort();
        pairs.dedup();
        assert_eq!(pairs.len(), REVIEWS.len(), "R10: one review per customer and app");
        for spec in REVIEWS {
            assert!(APPS.iter().any(|a| a.key == spec.app), "{}", spec.key);
            let customer = ACCOUNTS.iter().find(|a| a.email == spec.customer);
            assert!(
                customer.is_some_and(|a| a.role == Role::Customer)
                    || REVIEWERS.iter().any(|r| r.email == spec.customer),
                "{}: written by a customer",
                spec.key
            );
            assert!(matches!(spec.steps.first(), Some(ReviewStep::Write { .. })), "{} starts written", spec.key);
            let hours: Vec<_> = spec.steps.iter().map(ReviewStep::hours_ago).collect();
            assert!(hours.windows(2).all(|w| w[0] > w[1]), "{}: steps run forward in time", spec.key);
            assert!(hours.iter().all(|h| *h >= 1), "{}: before now", spec.key);
            for step in spec.steps {
                if let ReviewStep::Report { by, .. } = step {
                    assert!(is_account(by), "{}: reported by {by}", spec.key);
                }
            }
            // customer1 and customer2 review what they bought, after buying it.
            if customer.is_some() {
                let bought = PURCHASES
                    .iter()
                    .filter(|p| {
                        p.customer == spec.customer && matches!(p.product, Product::App(app) if app == spec.app)
                    })
                    .map(|p| i64::from(p.days_ago) * 24 - 24)
                    .max()
                    .unwrap_or_else(|| panic!("{}: a purchase of the app", spec.key));
                assert!(hours[0] < bought, "{}: written after the purchase", spec.key);
            }
        }
        let c1 = |app: &str| REVIEWS.iter().any(|r| r.customer == C1 && r.app == app);
        assert!(c1("farm") && !c1("dungeon"), "customer1 reviewed the farm app and not the dungeon app");
        for app in APPS {
            assert!(REVIEWS.iter().any(|r| r.app == app.key), "{} has reviews", app.key);
        }
    }

    #[test]
    fn templates_belong_to_sellers_and_carry_placeholders() {
        for seller in SELLERS {
            let of: Vec<_> = TEMPLATES.iter().filter(|t| t.seller == seller.key).collect();
            assert!(of.iter().any(|t| t.lang == "ko") && of.iter().any(|t| t.lang == "en"), "{}", seller.key);
            assert!(of.iter().all(|t| t.text.contains("{customer_name}")), "{}", seller.key);
        }
        let first_reply = REVIEWS
            .iter()
            .flat_map(|r| r.steps)
            .filter(|s| matches!(s, ReviewStep::Reply { .. }))
            .map(ReviewStep::hours_ago)
            .max()
            .expect("replies");
        assert!(TEMPLATES.iter().all(|t| t.hours_ago > first_reply), "saved before the replies that use them");
    }
}
