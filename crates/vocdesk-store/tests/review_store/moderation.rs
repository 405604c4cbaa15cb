//! Part of the review store suite (see `review_store.rs`).

use super::*;

// ----- R12: reports and moderation -----

store_test! {
    /// R12: one open report per reporter and item (a reply is an item of its own); the
    /// queue groups open reports by item, counts them, the longest waiting first, page
    /// by page; hiding resolves the item's reports, dismissing resolves them without
    /// hiding, and a resolved report no longer stops the reporter from reporting again.
    async fn r12_reports_one_open_per_reporter_and_item_and_the_queue(store: &dyn Store) {
        let w = World::seed(store).await;
        let (c, other, dev) = (&w.customer, &w.other_customer, &w.developer);
        let first = create(store, &w.app, c, 1, Some("광고 링크 http://spam"), at_min(1)).await;
        reply(store, &first.id, dev, "삭제 부탁드립니다", at_min(2)).await;
        let second = create(store, &w.app, other, 2, Some("별로"), at_min(3)).await;

        let file = |review: &ReviewId, reporter: &User, draft: ReportDraft, at: Timestamp| {
            let (review, reporter) = (review.clone(), reporter.clone());
            async move { store.file_report(&review, &reporter.id, &draft, &acting(&reporter), at).await.expect("report") }
        };
        let filed = file(&second.id, dev, report(ReportTarget::Review, ReportReason::OffTopic), at_min(9)).await;
        assert!(matches!(filed, ReportOutcome::Filed(_)), "{filed:?}");
        let spam = match file(&first.id, c, report(ReportTarget::Review, ReportReason::Spam), at_min(10)).await {
            ReportOutcome::Filed(report) => report,
            other => panic!("not filed: {other:?}"),
        };
        assert_eq!(
            (&spam.review_id, spam.target, &spam.reporter_id, spam.reason, spam.note.as_deref(), spam.created_at),
            (&first.id, ReportTarget::Review, &c.id, ReportReason::Spam, Some("신고합니다"), at_min(10))
        );
        // The same reporter on the same item, even for another reason: already open.
        let again = file(&first.id, c, report(ReportTarget::Review, ReportReason::Abusive), at_min(11)).await;
        assert_eq!(again, ReportOutcome::AlreadyOpen);
        // The reply is another item; another reporter is another report.
        let on_reply = file(&first.id, c, report(ReportTarget::Reply, ReportReason::Abusive), at_min(12)).await;
        assert!(matches!(on_reply, ReportOutcome::Filed(_)), "{on_reply:?}");
        let by_other = file(&first.id, other, report(ReportTarget::Review, ReportReason::Abusive), at_min(13)).await;
        assert!(matches!(by_other, ReportOutcome::Filed(_)), "{by_other:?}");

        let open = store.open_reports(&first.id).await.expect("open reports");
        let seen: Vec<_> = open.iter().map(|r| (r.target, r.reporter_id.clone(), r.created_at)).collect();
        assert_eq!(
            seen,
            [
                (ReportTarget::Review, c.id.clone(), at_min(10)),
                (ReportTarget::Reply, c.id.clone(), at_min(12)),
                (ReportTarget::Review, other.id.clone(), at_min(13)),
            ]
        );

        // The queue: by item, the longest waiting first, with counts and reasons.
        let items = queue(store, 100).await;
        let seen: Vec<_> = items
            .iter()
            .map(|i| (i.review.id.clone(), i.target, i.open_reports, i.first_reported_at, i.reasons.clone()))
            .collect();
        assert_eq!(
            seen,
            [
                (second.id.clone(), ReportTarget::Review, 1, at_min(9), vec![ReportReason::OffTopic]),
                (first.id.clone(), ReportTarget::Review, 2, at_min(10), vec![ReportReason::Abusive, ReportReason::Spam]),
                (first.id.clone(), ReportTarget::Reply, 1, at_min(12), vec![ReportReason::Abusive]),
            ]
        );
        assert_eq!(items[2].review.reply.as_ref().map(|r| r.text.as_str()), Some("삭제 부탁드립니다"));
        for limit in [1, 2] {
            assert_eq!(queue(store, limit).await, items, "in pages of {limit}");
        }

        // Hiding the review resolves its reports, not the reply's; the author is told.
        let outbox = outbox_len(store).await;
        let told = [mail(MailKind::ReviewHidden, c)];
        let hidden = store
            .set_hidden(&first.id, ReportTarget::Review, true, "스팸", &told, &acting(&w.operator), at_min(20))
            .await
            .expect("hide");
        let HideOutcome::Changed(hidden) = hidden else { panic!("not hidden: {hidden:?}") };
        assert_eq!(hidden.hidden.as_ref().map(|h| (h.at, h.reason.as_str())), Some((at_min(20), "스팸")));
        assert_eq!(outbox_len(store).await, outbox + 1);
        assert_eq!(
            queue_items(store).await,
            [(second.id.clone(), ReportTarget::Review, 1), (first.id.clone(), ReportTarget::Reply, 1)]
        );
        let open = store.open_reports(&first.id).await.expect("open reports");
        assert_eq!(open.iter().map(|r| r.target).collect::<Vec<_>>(), [ReportTarget::Reply]);
        // Hidden already: nothing changes, nothing is sent.
        let audit = audit_len(store).await;
        let same = store
            .set_hidden(&first.id, ReportTarget::Review, true, "스팸", &told, &acting(&w.operator), at_min(21))
            .await
            .expect("hide again");
        assert!(matches!(same, HideOutcome::Unchanged(_)), "{same:?}");
        assert_eq!((outbox_len(store).await, audit_len(store).await), (outbox + 1, audit));

        // Resolved, the reporter may report again: a new item in the queue.
        let anew = file(&first.id, c, report(ReportTarget::Review, ReportReason::Other), at_min(22)).await;
        assert!(matches!(anew, ReportOutcome::Filed(_)), "{anew:?}");
        assert_eq!(queue_items(store).await.last(), Some(&(first.id.clone(), ReportTarget::Review, 1)));
        assert_eq!(store.dismiss_reports(&first.id, ReportTarget::Review, &acting(&w.operator), at_min(23)).await.ok(), Some(1));

        // Dismissing keeps the reply as it is and resolves its reports.
        let dismissed = store.dismiss_reports(&first.id, ReportTarget::Reply, &acting(&w.operator), at_min(24)).await;
        assert_eq!(dismissed.expect("dismiss"), 1);
        let kept = store.review(&first.id).await.expect("review").expect("there");
        assert_eq!(kept.reply.expect("the reply").hidden, None);
        assert_eq!(queue_items(store).await, [(second.id.clone(), ReportTarget::Review, 1)]);
        let audit = audit_len(store).await;
        let none = store.dismiss_reports(&first.id, ReportTarget::Reply, &acting(&w.operator), at_min(25)).await;
        assert_eq!(none.expect("dismiss again"), 0);
        assert_eq!(audit_len(store).await, audit);

        // A review without a reply has no reply to hide.
        let no_reply = store
            .set_hidden(&second.id, ReportTarget::Reply, true, "x", &told, &acting(&w.operator), at_min(26))
            .await
            .expect("hide a reply that is not there");
        assert_eq!(no_reply, HideOutcome::NoReply);
        hide(store, &w, &second.id, ReportTarget::Review, true, at_min(27)).await;
        assert!(queue(store, 10).await.is_empty());
        let page = store.moderation_queue(&PageRequest::default()).await.expect("queue");
        assert_eq!((page.items.len(), page.next_cursor), (0, None));
    }
}

store_test! {
    /// R12: what its author deleted leaves the queue: deleting a review resolves the
    /// open reports of it and of its reply, deleting a reply resolves the reply's (an
    /// operator could neither hide nor dismiss a deleted review, and the oldest-first
    /// queue would keep it on top); a deleted review or a missing reply cannot be
    /// reported; written again, the review starts with no reports.
    async fn r12_deleting_resolves_the_reports_of_what_was_deleted(store: &dyn Store) {
        let w = World::seed(store).await;
        let (c, other, dev) = (&w.customer, &w.other_customer, &w.developer);
        let first = create(store, &w.app, c, 1, Some("광고"), at_min(1)).await;
        reply(store, &first.id, dev, "답변", at_min(2)).await;
        let second = create(store, &w.app, other, 2, Some("별로"), at_min(3)).await;
        reply(store, &second.id, dev, "답변", at_min(4)).await;
        let file = |review: &ReviewId, reporter: &User, target: ReportTarget, at: Timestamp| {
            let (review, reporter) = (review.clone(), reporter.clone());
            async move {
                let draft = report(target, ReportReason::Abusive);
                store.file_report(&review, &reporter.id, &draft, &acting(&reporter), at).await
            }
        };
        for (review, reporter, target, minute) in [
            (&first.id, other, ReportTarget::Review, 10),
            (&first.id, other, ReportTarget::Reply, 11),
            (&second.id, c, ReportTarget::Reply, 12),
            (&second.id, c, ReportTarget::Review, 13),
        ] {
            let filed = file(review, reporter, target, at_min(minute)).await;
            assert!(matches!(filed, Ok(ReportOutcome::Filed(_))), "{filed:?}");
        }
        assert_eq!(queue_items(store).await.len(), 4);

        // The author deletes the review: both of its items leave the queue.
        store.delete_review(&w.app.id, &c.id, &acting(c), at_min(20)).await.expect("delete review");
        assert!(store.open_reports(&first.id).await.expect("open reports").is_empty());
        assert_eq!(
            queue_items(store).await,
            [(second.id.clone(), ReportTarget::Reply, 1), (second.id.clone(), ReportTarget::Review, 1)]
        );
        // The developer deletes the other reply: its item leaves, the review's stays.
        store.delete_reply(&second.id, &dev.id, &acting(dev), at_min(21)).await.expect("delete reply");
        assert_eq!(queue_items(store).await, [(second.id.clone(), ReportTarget::Review, 1)]);

        // Nothing to report: a deleted review, a reply that is not there, an unknown id.
        let audit = audit_len(store).await;
        for (review, target) in [
            (&first.id, ReportTarget::Review),
            (&first.id, ReportTarget::Reply),
            (&second.id, ReportTarget::Reply),
            (&ReviewId("nope".into()), ReportTarget::Review),
        ] {
            let refused = file(review, dev, target, at_min(22)).await;
            assert!(matches!(refused, Err(StoreError::NotFound)), "{target:?}: {refused:?}");
        }
        assert_eq!(audit_len(store).await, audit);
        assert_eq!(queue_items(store).await, [(second.id.clone(), ReportTarget::Review, 1)]);

        // Written again, the review has no open reports, and may be reported anew.
        create(store, &w.app, c, 3, Some("다시 썼어요"), at_min(23)).await;
        assert!(store.open_reports(&first.id).await.expect("open reports").is_empty());
        let anew = file(&first.id, other, ReportTarget::Review, at_min(24)).await;
        assert!(matches!(anew, Ok(ReportOutcome::Filed(_))), "{anew:?}");
        assert_eq!(
            queue_items(store).await,
            [(second.id.clone(), ReportTarget::Review, 1), (first.id.clone(), ReportTarget::Review, 1)]
        );
    }
}
