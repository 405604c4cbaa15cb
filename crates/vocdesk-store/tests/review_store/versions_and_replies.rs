//! Part of the review store suite (see `review_store.rs`).

use super::*;

// ----- R10, R18: versions and the outdated reply -----

store_test! {
    /// R10/R18: an edit keeps the earlier version (newest first), marks the review
    /// edited and an existing reply outdated, until the developer replies again or
    /// confirms it; writing the same rating and text again writes nothing; a deleted
    /// review written again is new, dated now, and every version is still kept.
    async fn r10_r18_edits_keep_versions_and_outdate_the_reply(store: &dyn Store) {
        let w = World::seed(store).await;
        let (app, c) = (&w.app, &w.customer);
        let first = create(store, app, c, 4, Some("재미있어요"), at_min(1)).await;
        assert!(!first.edited && first.reply.is_none());
        assert_eq!((first.created_at, first.updated_at), (at_min(1), at_min(1)));
        assert_eq!(first.lang, Locale::Ko);
        assert!(store.review_versions(&first.id).await.expect("versions").is_empty());
        let replied = reply(store, &first.id, &w.developer, "감사합니다", at_min(2)).await;
        let answer = replied.reply.as_ref().expect("a reply");
        assert!(!answer.outdated);
        assert_eq!((answer.author_id.clone(), answer.seller_name.as_str()), (w.developer.id.clone(), "Seller One"));

        // R18: the edit outdates the reply; the earlier version is kept.
        let edited = match put(store, app, c, 2, Some("Crashes now"), at_min(3)).await {
            PutReviewOutcome::Edited(review) => review,
            other => panic!("not an edit: {other:?}"),
        };
        assert!(edited.edited);
        assert_eq!((edited.stars, edited.text.as_deref(), edited.lang), (stars(2), Some("Crashes now"), Locale::En));
        assert_eq!((edited.created_at, edited.updated_at), (at_min(1), at_min(3)));
        assert!(edited.reply.as_ref().expect("the reply stays").outdated);
        assert_eq!(histogram(store, &app.id).await, [0, 1, 0, 0, 0]);
        let versions = store.review_versions(&first.id).await.expect("versions");
        assert_eq!(versions.len(), 1);
        assert_eq!(
            (versions[0].stars, versions[0].text.as_deref(), versions[0].lang, versions[0].written_at),
            (stars(4), Some("재미있어요"), Locale::Ko, at_min(1))
        );

        // Writing the same again writes nothing: no version, no audit entry, same times.
        let audit = audit_len(store).await;
        match put(store, app, c, 2, Some("Crashes now"), at_min(4)).await {
            PutReviewOutcome::Unchanged(review) => assert_eq!(review, edited),
            other => panic!("not unchanged: {other:?}"),
        }
        assert_eq!(store.review_versions(&first.id).await.expect("versions").len(), 1);
        assert_eq!(audit_len(store).await, audit);

        // Confirming clears the mark; confirming a current reply changes nothing.
        let confirmed = store.confirm_reply(&first.id, &acting(&w.developer), at_min(5)).await.expect("confirm");
        let confirmed = confirmed.expect("there is a reply");
        let answer = confirmed.reply.as_ref().expect("a reply");
        assert!(!answer.outdated);
        assert_eq!(answer.text, "감사합니다");
        let audit = audit_len(store).await;
        let again = store.confirm_reply(&first.id, &acting(&w.developer), at_min(6)).await.expect("confirm again");
        assert_eq!(again.as_ref(), Some(&confirmed));
        assert_eq!(audit_len(store).await, audit);

        // A second edit (star-only now): two versions, newest first; the reply is outdated
        // again, and replying again, even with the same text, clears the mark.
        let edited = match put(store, app, c, 3, None, at_min(7)).await {
            PutReviewOutcome::Edited(review) => review,
            other => panic!("not an edit: {other:?}"),
        };
        assert!(edited.reply.as_ref().expect("a reply").outdated);
        assert_eq!(edited.text, None);
        let versions = store.review_versions(&first.id).await.expect("versions");
        let seen: Vec<_> = versions.iter().map(|v| (v.stars, v.text.clone(), v.written_at)).collect();
        assert_eq!(
            seen,
            [(stars(2), Some("Crashes now".to_owned()), at_min(3)), (stars(4), Some("재미있어요".to_owned()), at_min(1))]
        );
        let replied = reply(store, &first.id, &w.developer, "감사합니다", at_min(8)).await;
        let answer = replied.reply.as_ref().expect("a reply");
        assert!(!answer.outdated);
        assert_eq!((answer.created_at, answer.updated_at), (at_min(2), at_min(8)));

        // Deleted: gone from `review` and `review_by_author`, its last state kept.
        let deleted = store.delete_review(&app.id, &c.id, &acting(c), at_min(9)).await.expect("delete");
        assert_eq!(deleted.map(|r| r.id), Some(first.id.clone()));
        assert_eq!(store.review(&first.id).await.expect("review"), None);
        assert_eq!(store.review_by_author(&app.id, &c.id).await.expect("by author"), None);
        assert_eq!(store.delete_review(&app.id, &c.id, &acting(c), at_min(10)).await.expect("delete again"), None);
        assert_eq!(histogram(store, &app.id).await, [0; 5]);
        assert_eq!(store.review_versions(&first.id).await.expect("versions").len(), 3);

        // Written again: the same review, new to its readers (dated now, not edited).
        let revived = create(store, app, c, 5, Some("다시 좋아졌어요"), at_min(11)).await;
        assert_eq!(revived.id, first.id);
        assert!(!revived.edited);
        assert_eq!((revived.created_at, revived.updated_at), (at_min(11), at_min(11)));
        assert_eq!(store.review_by_author(&app.id, &c.id).await.expect("by author"), Some(revived.clone()));
        assert_eq!(histogram(store, &app.id).await, [0, 0, 0, 0, 1]);
        let versions = store.review_versions(&first.id).await.expect("versions");
        assert_eq!(versions.len(), 3);
        assert_eq!((versions[0].stars, versions[0].written_at), (stars(3), at_min(7)));
    }
}

// ----- R11: the official reply -----

store_test! {
    /// R11/R12: a reply to a hidden review is refused and changes nothing, one to a
    /// deleted review is not found; every version of the reply is kept, a deletion
    /// included; its mail is queued only when the reply changed.
    async fn r11_replies_keep_every_version_and_mail_only_on_change(store: &dyn Store) {
        let w = World::seed(store).await;
        let dev = &w.developer;
        let notify = [mail(MailKind::ReviewReplied, &w.customer)];
        let review = create(store, &w.app, &w.customer, 2, Some("느려요"), at_min(1)).await;

        let outbox = outbox_len(store).await;
        let posted = store.put_reply(&review.id, &dev.id, "개선하겠습니다", &notify, &acting(dev), at_min(2)).await;
        assert!(matches!(posted, Ok(ReplyOutcome::Posted(_))), "{posted:?}");
        assert_eq!(outbox_len(store).await, outbox + 1);
        let mails = store.outbox(None, &PageRequest::default()).await.expect("outbox");
        assert_eq!(mails.items[0].mail, notify[0]);

        // The same text again: nothing written, nothing sent.
        let audit = audit_len(store).await;
        let same = store.put_reply(&review.id, &dev.id, "개선하겠습니다", &notify, &acting(dev), at_min(3)).await;
        match same {
            Ok(ReplyOutcome::Unchanged(r)) => assert_eq!(r.reply.expect("a reply").updated_at, at_min(2)),
            other => panic!("not unchanged: {other:?}"),
        }
        assert_eq!((outbox_len(store).await, audit_len(store).await), (outbox + 1, audit));

        // Changed: a second version, a second mail.
        let edited = store.put_reply(&review.id, &dev.id, "고쳤습니다", &notify, &acting(dev), at_min(4)).await;
        assert!(matches!(edited, Ok(ReplyOutcome::Posted(_))), "{edited:?}");
        assert_eq!(outbox_len(store).await, outbox + 2);

        // Deleted: the deletion is a version too (no text), and the review has no reply.
        let gone = store.delete_reply(&review.id, &dev.id, &acting(dev), at_min(5)).await.expect("delete reply");
        assert_eq!(gone.expect("the review").reply, None);
        let nothing = store.delete_reply(&review.id, &dev.id, &acting(dev), at_min(6)).await.expect("delete again");
        assert_eq!(nothing, None);
        assert_eq!(store.confirm_reply(&review.id, &acting(dev), at_min(6)).await.expect("confirm"), None);
        let versions = store.reply_versions(&review.id).await.expect("reply versions");
        let seen: Vec<_> = versions.iter().map(|v| (v.text.as_deref(), v.at, v.author_name.as_str())).collect();
        assert_eq!(
            seen,
            [(None, at_min(5), "Dev One"), (Some("고쳤습니다"), at_min(4), "Dev One"), (Some("개선하겠습니다"), at_min(2), "Dev One")]
        );
        assert!(versions.iter().all(|v| v.author_id == dev.id));

        // A new reply after the deletion starts a new first-posted time.
        let again = reply(store, &review.id, dev, "다시 답변드립니다", at_min(7)).await;
        assert_eq!(again.reply.expect("a reply").created_at, at_min(7));
        assert_eq!(store.reply_versions(&review.id).await.expect("reply versions").len(), 4);

        // R12: hidden: refused, nothing written or sent.
        hide(store, &w, &review.id, ReportTarget::Review, true, at_min(8)).await;
        let (outbox, audit) = (outbox_len(store).await, audit_len(store).await);
        let refused = store.put_reply(&review.id, &dev.id, "숨겨진 리뷰에 답변", &notify, &acting(dev), at_min(9)).await;
        assert_eq!(refused.expect("an answer"), ReplyOutcome::ReviewHidden);
        assert_eq!((outbox_len(store).await, audit_len(store).await), (outbox, audit));
        assert_eq!(store.reply_versions(&review.id).await.expect("reply versions").len(), 4);
        let unchanged = store.review(&review.id).await.expect("review").expect("still there");
        assert_eq!(unchanged.reply.expect("a reply").text, "다시 답변드립니다");

        // R10: deleted: not found, nothing written.
        let other = create(store, &w.app, &w.other_customer, 5, None, at_min(10)).await;
        store.delete_review(&w.app.id, &w.other_customer.id, &acting(&w.other_customer), at_min(11)).await.expect("delete");
        let (outbox, audit) = (outbox_len(store).await, audit_len(store).await);
        let missing = store.put_reply(&other.id, &dev.id, "답변", &notify, &acting(dev), at_min(12)).await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
        let unknown = store.put_reply(&ReviewId("nope".into()), &dev.id, "답변", &notify, &acting(dev), at_min(12)).await;
        assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
        assert!(store.reply_versions(&other.id).await.expect("reply versions").is_empty());
        assert_eq!((outbox_len(store).await, audit_len(store).await), (outbox, audit));
    }
}
