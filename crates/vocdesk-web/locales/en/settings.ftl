## Settings (issue 12, item 12): the page language and, apart from it, the mail language.

nav-settings = Settings
settings-title = Settings
settings-saved = Your settings are saved.
settings-page-language = Language of the pages
settings-page-language-help = The pages follow it on every browser you sign in from. The language links at the top change it too.
settings-mail-language = Language of your mail
settings-mail-language-help = Notification mail is written in this language. Only this form changes it.
settings-save = Save

# Issue 13: the devices a developer is notified on.
settings-devices-link = Devices and push notifications
devices-title = Devices and notifications
devices-intro = Be told on your phone or computer when a customer is waiting: a new inquiry, an inquiry 24 hours from the 3-day limit, an overdue one, a 1-2 star review, or the store's decision on your cancellation request. A notification shows the app and the subject's first words, never payment details.
devices-this-browser = This browser
devices-label = Name of this device
devices-label-example = e.g. My phone
devices-tell-me = Tell me about
devices-kind-new_inquiry = New inquiries
devices-kind-near_limit = Inquiries 24 hours from the limit
devices-kind-overdue = Inquiries past the limit
devices-kind-low_review = New 1-2 star reviews
devices-kind-request_decided = Decisions on my cancellation requests
devices-needs-js = Notifications need JavaScript and a browser that supports them; the rest of vocdesk works without.
devices-enable = Turn on notifications on this device
devices-yours = Your devices
devices-none = No device is subscribed yet.
devices-unnamed = Unnamed device
devices-since = Subscribed
devices-last-sent = last notified
devices-last-failed = The last notification failed
devices-save = Save
devices-remove = Remove this device
devices-done-subscribed = This device will be notified. You can change what it is told below.
devices-done-saved = Saved.
devices-done-removed = The device was removed; it will not be notified again.
devices-done-invalid = The browser's subscription could not be used (an address or key it gave is not valid). Try again, or try another browser.
devices-done-too_many = You have the most devices one developer may subscribe. Remove one first.

# Issue 13: the operators' push health page.
nav-operator-push = Push
push-health-title = Push notifications
push-health-intro = Whether developers are being told: devices, what waits, and what the push services answered in the last 24 hours.
push-health-subscriptions = devices subscribed
push-health-subscribers = developers:
push-health-failing = devices whose last notification failed
push-health-pending = notifications waiting to be sent
push-health-oldest = oldest queued
push-health-last-day = Last 24 hours
push-health-sent = Sent
push-health-failed = Given up
push-health-gone = Devices gone (404/410), removed
push-health-dropped = Not sent (no longer the developer's)
push-health-failures = Latest failures
push-health-no-failures = No notification has failed.
push-health-when = Queued
push-health-kind = Kind
push-health-answer = Push service's answer
push-health-key = Signing key (VAPID)
push-health-key-help = Made at the store's first start and shared by every server process. Browsers subscribe with it; changing it would end every subscription.
