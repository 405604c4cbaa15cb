# vocdesk — notification mail (R3, R5, R8, R11, R12), English. Every key here must exist in ko/mail.ftl too (a test checks).
# Values people wrote ($app, $subject, $customer ...) are inserted as given; the HTML template escapes them.

## Subject lines
mail-subject-inquiry-created = [vocdesk] { $app } new inquiry: { $subject }
mail-subject-customer-follow-up = [vocdesk] { $app } follow-up: { $subject }
mail-subject-developer-reply = [vocdesk] Reply from { $seller }: { $subject }
mail-subject-purchase-cancelled = [vocdesk] Purchase cancelled, refund on its way: { $product }
mail-subject-cancellation-approved = [vocdesk] Cancellation request approved: { $product }
mail-subject-cancellation-rejected = [vocdesk] Cancellation request rejected: { $product }
mail-subject-cancelled-on-behalf = [vocdesk] Purchase cancelled on your behalf: { $product }
mail-subject-response-reminder = [vocdesk] { $app } reply due: { $subject }

## Greeting and first sentence
mail-greeting = Hello { $name },
mail-greeting-anonymous = Hello,
mail-intro-inquiry-created = { $customer } sent a new inquiry about { $app }.
mail-intro-customer-follow-up = { $customer } wrote again about their inquiry on { $app }.
mail-intro-developer-reply = { $seller } replied to your inquiry about { $app }.
# Purchase cancellation and refund (R5, R8).
mail-intro-purchase-cancelled-approved = At the request of { $seller }, the store cancelled your purchase of { $product }.
mail-intro-purchase-cancelled-on-behalf = { $seller } did not answer your inquiry within the response deadline, so the store cancelled your purchase of { $product } on the seller's behalf.
mail-intro-cancellation-approved = The store approved your request to cancel { $customer }'s purchase of { $product }. The purchase is cancelled, and the amount paid will be refunded to the customer.
mail-intro-cancellation-rejected-developer = The store rejected your request to cancel { $customer }'s purchase of { $product }, so the purchase stays in place. Please read the reason below; if needed, agree with the customer again and submit a new request.
mail-intro-cancellation-rejected-customer = { $seller } asked the store to cancel your purchase of { $product }, but the store rejected the request: the purchase stays in place and no refund will be made. The reason is below.
mail-intro-cancelled-on-behalf = { $customer }'s inquiry about { $app } was not answered within the response deadline, so the store cancelled the purchase of { $product } on your behalf. The amount paid will be refunded to the customer.
mail-intro-response-reminder = { $customer }'s inquiry about { $app } is still waiting for your reply. Please answer it as soon as you can.

## Inquiry facts
mail-label-app = App
mail-label-category = Category
mail-label-subject = Subject
mail-label-author = From
mail-label-sent-at = Sent
mail-message-heading = Message
mail-attachments = { $count ->
    [one] This message has 1 attachment; you can see it in the inquiry.
   *[other] This message has { $count } attachments; you can see them in the inquiry.
}
# R5: response reminders only.
mail-label-due-at = Response deadline

## Purchase and rejection reason (R5, R8)
mail-purchase-heading = Purchase
mail-label-product = Product
mail-label-amount = Amount paid
mail-label-purchased-at = Purchased
mail-reason-heading = Reason for rejection

## Categories (R1)
mail-category-question = Question
mail-category-maintenance = Improvement request
mail-category-error_report = Error report
mail-category-refund = Refund
mail-category-other = Other

## Link and notes
mail-action-developer = Open the inquiry to read it and reply:
mail-action-customer = Open the inquiry to read the whole conversation and write back:
mail-action-developer-view = Open the inquiry to read the whole conversation:
mail-link-label = Open the inquiry
# R5: developer mail only.
mail-deadline = Please answer customer inquiries within 3 days (72 hours). After that, the store may cancel the purchase.
# R5: the response reminder; it must also read right when sent after the deadline.
mail-notice-response-reminder = Once the response deadline ({ $due }) has passed without a reply, the store may cancel the related purchase on your behalf and refund the customer.
# Customer mail about a cancelled purchase only.
mail-refund-note = The amount you paid will be refunded to the payment method you used. Depending on the method, it may take a few days to appear.

# R15: the first line of mail that can be answered by replying; the reply is read from
# everything above it, so it must stay one line between the two ## marks.
mail-reply-above = ## Reply above this line to answer in the inquiry ##

## Footer
mail-footer-developer = This mail was sent automatically by vocdesk. You are receiving it because you are a developer of { $seller }. You can also answer through the link above.
mail-footer-customer = This mail was sent automatically by vocdesk. You are receiving it because a developer replied to your inquiry. You can also write back through the link above.
mail-footer-customer-purchase = This mail was sent automatically by vocdesk. You are receiving it because a purchase related to your inquiry was processed. You can also write back through the link above.

## Reviews (R11, R12). A review mail has no thread: the reviewer's links open the review
## on the app page, the developers' open their reviews inbox. $stars is the rating as
## five stars (★★★★☆), $rating the number of stars.
mail-subject-review-replied = [vocdesk] { $seller } replied to your review of { $app }
mail-subject-review-hidden = [vocdesk] Your review of { $app } has been hidden
mail-subject-review-restored = [vocdesk] Your review of { $app } is shown again
mail-subject-reply-hidden = [vocdesk] Your reply to a review of { $app } has been hidden
mail-subject-reply-restored = [vocdesk] Your reply to a review of { $app } is shown again
mail-intro-review-replied = { $seller } replied to your review of { $app }. Their official reply, as it now reads, is below.
mail-intro-review-hidden = The store has hidden your review of { $app }. It no longer shows on the app page, and its rating no longer counts in the app's rating. The store's reason is below.
mail-intro-review-restored = The store has shown your review of { $app } again. It shows on the app page again, and its rating counts in the app's rating again.
mail-intro-reply-hidden = The store has hidden your official reply to a review of { $app }. The reply no longer shows under the review on the app page; the review itself stays visible. The store's reason is below.
mail-intro-reply-restored = The store has shown your official reply to a review of { $app } again. It shows under the review on the app page again, marked as the official reply.
mail-label-seller = Developer
mail-label-rating = Rating
mail-stars = { $stars } ({ $rating } out of 5 stars)
mail-label-review = Review
mail-review-no-text = Star rating only, no text
mail-review-heading-own = Your review
mail-review-heading = Review
mail-reply-heading = Official reply from { $seller }
mail-hidden-reason-heading = Reason for hiding
mail-restored-reason-heading = Reason for showing it again
mail-action-review-replied = The reply is public: everyone sees it under your review on the app page, marked as the official reply. See it there:
mail-action-review-hidden = You can still see your review, and edit or delete it, at the link below. An edited review stays hidden until the store shows it again.
mail-action-review-restored = See your review on the app page:
mail-action-reply-hidden = You can still see and edit the reply in your reviews inbox at the link below. It stays hidden until the store shows it again.
mail-action-reply-restored = See the review and your reply in your reviews inbox:
mail-link-label-review = View your review
mail-link-label-developer-reviews = Open the reviews inbox
# R18: what editing the review does to the reply.
mail-notice-review-replied = You can edit your review at any time. If you do, the reply is marked as written for an earlier version of your review until the developer answers again.
mail-footer-reviewer = This mail was sent automatically by vocdesk. You are receiving it because you reviewed { $app }. Please use the link above rather than replying to this mail.
mail-footer-developer-review = This mail was sent automatically by vocdesk. You are receiving it because you are a developer of { $seller }. Please use the link above rather than replying to this mail.

## R17: the developer asked the store to cancel the customer's purchase
mail-subject-cancellation-requested = [vocdesk] Your refund request is with the store: { $product }
mail-intro-cancellation-requested = { $seller } asked the store to cancel your purchase of { $product } and refund you.
mail-notice-cancellation-requested = What happens next: the store reviews the request, usually within 3 days. You will get an email with its decision, and it will also show in your inquiry. You do not need to do anything now.
mail-developer-message-heading = Message from the developer

## R7/R9: consent recorded on the customer's behalf
mail-subject-consent-recorded = [vocdesk] A developer recorded your consent to share payment details: { $app }
mail-intro-consent-recorded = { $developer } of { $seller } filed your refund request for you and recorded that you agreed to share your personal information (payment ids such as TID, TXID and receipt number) with them for this inquiry.
mail-notice-consent-recorded = If you did not agree, withdraw your consent with one button on the inquiry page: the developer will no longer see your payment ids. Every time they were shown is recorded.
mail-action-consent-recorded = Review or withdraw your consent on the inquiry page:
mail-label-consent-by = Recorded by
mail-label-consent-at = Recorded at
