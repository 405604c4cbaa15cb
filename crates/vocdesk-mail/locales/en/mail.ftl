# vocdesk — notification mail (R3), English. Every key here must exist in ko/mail.ftl too (a test checks).
# Values people wrote ($app, $subject, $customer ...) are inserted as given; the HTML template escapes them.

## Subject lines
mail-subject-inquiry-created = [vocdesk] { $app } new inquiry: { $subject }
mail-subject-customer-follow-up = [vocdesk] { $app } follow-up: { $subject }
mail-subject-developer-reply = [vocdesk] Reply from { $seller }: { $subject }

## Greeting and first sentence
mail-greeting = Hello { $name },
mail-greeting-anonymous = Hello,
mail-intro-inquiry-created = { $customer } sent a new inquiry about { $app }.
mail-intro-customer-follow-up = { $customer } wrote again about their inquiry on { $app }.
mail-intro-developer-reply = { $seller } replied to your inquiry about { $app }.

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

## Categories (R1)
mail-category-question = Question
mail-category-maintenance = Improvement request
mail-category-error_report = Error report
mail-category-refund = Refund
mail-category-other = Other

## Link and notes
mail-action-developer = Open the inquiry to read it and reply:
mail-action-customer = Open the inquiry to read the whole conversation and write back:
mail-link-label = Open the inquiry
# R5: developer mail only.
mail-deadline = Please answer customer inquiries within 3 days (72 hours). After that, the store may cancel the purchase.

## Footer
mail-footer-developer = This mail was sent automatically by vocdesk. You are receiving it because you are a developer of { $seller }. Please reply through the link above.
mail-footer-customer = This mail was sent automatically by vocdesk. You are receiving it because a developer replied to your inquiry. Please write back through the link above.
