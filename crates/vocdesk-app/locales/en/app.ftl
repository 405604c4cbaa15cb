# Words vocdesk-app writes into threads. R9: the off-store request record, in the
# words of the store's form (the developer center's refund form shows the same labels).
offstore-channel-email = Email
offstore-channel-phone = Phone
offstore-subject = Refund request by { $channel }: { $product }
offstore-record-title = Refund request received by { $channel } (filed by the developer for the customer)
offstore-consent = Consent to provide personal information (O/X)
offstore-customer-no = Customer number
offstore-purchased-at = Purchase date and time
offstore-product = Purchased item
offstore-reason = Reason

# Issue 13: push notifications to developers' devices (title, then "app: first words").
push-new-inquiry-title = { $count ->
    [one] A customer is waiting for your answer
   *[other] { $count } inquiries waiting for your answer
}
push-near-limit-title = 24 hours left to answer
push-overdue-title = Past the 3-day limit: the store may cancel on your behalf
push-low-review-title = New { $stars }-star review
push-request-approved-title = The store approved your cancellation request
push-request-rejected-title = The store rejected your cancellation request
push-body = { $app }: { $words }
