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
