# vocdesk — 알림 메일 (R3, R5, R8, R11, R12), 한국어. 여기의 모든 키는 en/mail.ftl에도 있어야 합니다 (테스트가 확인합니다).
# 사람이 쓴 값($app, $subject, $customer ...)은 그대로 끼워 넣고, HTML 본문에서는 템플릿이 이스케이프합니다.

## 제목 줄
mail-subject-inquiry-created = [vocdesk] { $app } 새 문의: { $subject }
mail-subject-customer-follow-up = [vocdesk] { $app } 추가 문의: { $subject }
mail-subject-developer-reply = [vocdesk] { $seller }의 답변: { $subject }
mail-subject-purchase-cancelled = [vocdesk] 구매취소 및 환불 안내: { $product }
mail-subject-cancellation-approved = [vocdesk] 구매취소 요청 승인: { $product }
mail-subject-cancellation-rejected = [vocdesk] 구매취소 요청 반려: { $product }
mail-subject-cancelled-on-behalf = [vocdesk] 답변 기한 초과로 구매취소: { $product }
mail-subject-response-reminder = [vocdesk] { $app } 답변 기한 알림: { $subject }

## 인사와 첫 문장
mail-greeting = { $name }님, 안녕하세요.
mail-greeting-anonymous = 안녕하세요.
mail-intro-inquiry-created = { $customer }님이 { $app }에 대한 새 문의를 보냈습니다.
mail-intro-customer-follow-up = { $customer }님이 { $app } 문의에 메시지를 추가로 보냈습니다.
mail-intro-developer-reply = { $seller }에서 { $app } 문의에 답변했습니다.
# 구매취소와 환불 (R5, R8). 사람이 쓴 값 뒤에는 받침에 따라 달라지는 조사(이/가, 을/를, 은/는)를 붙이지 않습니다.
mail-intro-purchase-cancelled-approved = { $seller }의 요청에 따라 스토어가 { $product } 구매를 취소했습니다.
mail-intro-purchase-cancelled-on-behalf = 남기신 문의에 { $seller }의 답변이 기한 안에 등록되지 않아, 스토어가 판매자를 대신해 { $product } 구매를 취소했습니다.
mail-intro-cancellation-approved = { $customer }님의 { $product } 구매에 대해 요청하신 구매취소를 스토어가 승인했습니다. 구매는 취소되었으며, 결제 금액은 고객에게 환불됩니다.
mail-intro-cancellation-rejected-developer = { $customer }님의 { $product } 구매에 대해 요청하신 구매취소를 스토어가 반려하여, 구매는 취소되지 않았습니다. 아래 반려 사유를 확인하고, 필요하면 고객과 다시 협의한 뒤 구매취소를 요청해 주세요.
mail-intro-cancellation-rejected-customer = { $seller }에서 스토어에 요청한 { $product } 구매취소가 반려되어, 구매는 취소되지 않으며 환불도 진행되지 않습니다. 반려 사유는 아래와 같습니다.
mail-intro-cancelled-on-behalf = { $customer }님의 { $app } 문의에 답변 기한 안에 답변이 등록되지 않아, 스토어가 판매자를 대신해 { $product } 구매를 취소했습니다. 결제 금액은 고객에게 환불됩니다.
mail-intro-response-reminder = { $customer }님의 { $app } 문의가 아직 답변을 기다리고 있습니다. 가능한 한 빨리 답변해 주세요.

## 문의 정보
mail-label-app = 앱
mail-label-category = 문의 유형
mail-label-subject = 제목
mail-label-author = 작성자
mail-label-sent-at = 작성 시각
mail-message-heading = 메시지
mail-attachments = 첨부 파일 { $count }개가 함께 등록되었습니다. 문의 화면에서 확인할 수 있습니다.
# R5: 답변 기한 알림 메일에만 넣습니다.
mail-label-due-at = 답변 기한

## 구매 정보와 반려 사유 (R5, R8)
mail-purchase-heading = 구매 정보
mail-label-product = 상품
mail-label-amount = 결제 금액
mail-label-purchased-at = 결제 일시
mail-reason-heading = 반려 사유

## 문의 유형 (R1)
mail-category-question = 질문
mail-category-maintenance = 개선 요청
mail-category-error_report = 오류 신고
mail-category-refund = 환불
mail-category-other = 기타

## 링크와 안내
mail-action-developer = 아래 링크에서 문의를 확인하고 답변해 주세요.
mail-action-customer = 아래 링크에서 지금까지의 대화를 확인할 수 있으며, 더 궁금한 점이 있으면 추가로 문의하실 수 있습니다.
mail-action-developer-view = 아래 링크에서 문의와 지금까지의 대화를 확인할 수 있습니다.
mail-link-label = 문의 열기
# R5: 개발자에게 보내는 메일에만 넣습니다.
mail-deadline = 고객 문의는 3일(72시간) 안에 답변해 주세요. 기한이 지나면 스토어가 구매를 취소할 수 있습니다.
# R5: 답변 기한 알림. 기한이 이미 지난 뒤에 보내도 맞는 말이어야 합니다.
mail-notice-response-reminder = 답변 기한({ $due })이 지나도록 답변하지 않으면 스토어가 판매자를 대신해 관련 구매를 취소하고 고객에게 환불할 수 있습니다.
# 구매가 취소된 고객에게 보내는 메일에만 넣습니다.
mail-refund-note = 결제 금액은 결제하신 수단으로 환불됩니다. 결제 수단에 따라 환불이 반영되기까지 며칠이 걸릴 수 있습니다.

# R15: 회신으로 답할 수 있는 메일의 첫 줄입니다. 이 줄 위에 쓴 글만 답장으로 읽으므로 두 ## 사이의 한 줄로 두세요.
mail-reply-above = ## 이 줄 위에 답장을 쓰시면 문의에 그대로 남습니다 ##

## 바닥글
mail-footer-developer = 이 메일은 vocdesk에서 자동으로 발송되었습니다. { $seller }의 개발자로 등록되어 있어 이 메일을 받으셨습니다. 위 링크에서도 답변할 수 있습니다.
mail-footer-customer = 이 메일은 vocdesk에서 자동으로 발송되었습니다. vocdesk에 남기신 문의에 답변이 등록되어 이 메일을 받으셨습니다. 위 링크에서도 추가 문의를 작성할 수 있습니다.
mail-footer-customer-purchase = 이 메일은 vocdesk에서 자동으로 발송되었습니다. vocdesk에 남기신 문의와 관련된 구매가 처리되어 이 메일을 받으셨습니다. 위 링크에서도 추가 문의를 작성할 수 있습니다.

## 리뷰 (R11, R12). 리뷰 메일에는 문의 대화가 없습니다. 리뷰 작성자의 링크는 앱 페이지의
## 리뷰를, 개발자의 링크는 리뷰 관리 화면을 엽니다. $stars는 별 다섯 개로 나타낸 별점(★★★★☆),
## $rating은 별의 개수입니다.
mail-subject-review-replied = [vocdesk] { $app } 리뷰에 { $seller }의 답변이 등록되었습니다
mail-subject-review-hidden = [vocdesk] { $app } 리뷰 숨김 안내
mail-subject-review-restored = [vocdesk] { $app } 리뷰 다시 표시 안내
mail-subject-reply-hidden = [vocdesk] { $app } 리뷰 답변 숨김 안내
mail-subject-reply-restored = [vocdesk] { $app } 리뷰 답변 다시 표시 안내
mail-intro-review-replied = { $seller }에서 { $app }에 남기신 리뷰에 공식 답변을 남겼습니다. 현재 게시된 답변은 아래와 같습니다.
mail-intro-review-hidden = 스토어가 { $app }에 남기신 리뷰를 숨겼습니다. 이 리뷰는 더 이상 앱 페이지에 표시되지 않으며, 별점도 앱 평점에 반영되지 않습니다. 스토어가 밝힌 사유는 아래와 같습니다.
mail-intro-review-restored = 스토어가 숨겼던 { $app } 리뷰를 다시 표시했습니다. 리뷰가 다시 앱 페이지에 표시되며, 별점도 다시 앱 평점에 반영됩니다.
mail-intro-reply-hidden = 스토어가 { $app } 리뷰에 남기신 공식 답변을 숨겼습니다. 이 답변은 더 이상 앱 페이지의 리뷰 아래에 표시되지 않으며, 리뷰 자체는 계속 표시됩니다. 스토어가 밝힌 사유는 아래와 같습니다.
mail-intro-reply-restored = 스토어가 숨겼던 { $app } 리뷰의 공식 답변을 다시 표시했습니다. 답변이 다시 앱 페이지의 리뷰 아래에 공식 답변으로 표시됩니다.
mail-label-seller = 개발자
mail-label-rating = 별점
mail-stars = { $stars } (5점 만점에 { $rating }점)
mail-label-review = 리뷰 내용
mail-review-no-text = 내용 없이 별점만 남긴 리뷰
mail-review-heading-own = 작성하신 리뷰
mail-review-heading = 리뷰
mail-reply-heading = { $seller }의 공식 답변
mail-hidden-reason-heading = 숨김 사유
mail-restored-reason-heading = 다시 표시한 사유
mail-action-review-replied = 답변은 앱 페이지의 리뷰 아래에 공식 답변으로 공개되어 누구나 볼 수 있습니다. 아래 링크에서 확인하세요.
mail-action-review-hidden = 작성하신 리뷰는 아래 링크에서 계속 확인하고 수정하거나 삭제할 수 있습니다. 리뷰를 수정해도 스토어가 다시 표시하기 전까지는 숨김 상태가 유지됩니다.
mail-action-review-restored = 아래 링크에서 앱 페이지에 표시된 리뷰를 확인할 수 있습니다.
mail-action-reply-hidden = 답변은 아래 링크의 리뷰 관리 화면에서 계속 확인하고 수정할 수 있습니다. 스토어가 다시 표시하기 전까지는 숨김 상태가 유지됩니다.
mail-action-reply-restored = 아래 링크의 리뷰 관리 화면에서 리뷰와 답변을 확인할 수 있습니다.
mail-link-label-review = 내 리뷰 보기
mail-link-label-developer-reviews = 리뷰 관리 열기
# R18: 리뷰를 수정하면 답변이 어떻게 되는지 알려 줍니다.
mail-notice-review-replied = 리뷰는 언제든 수정할 수 있습니다. 리뷰를 수정하면 개발자가 다시 답변할 때까지 이 답변에는 이전 리뷰에 대한 답변이라는 표시가 붙습니다.
mail-footer-reviewer = 이 메일은 vocdesk에서 자동으로 발송되었습니다. { $app }에 리뷰를 남기셔서 이 메일을 받으셨습니다. 이 메일에 회신하지 마시고 위 링크를 이용해 주세요.
mail-footer-developer-review = 이 메일은 vocdesk에서 자동으로 발송되었습니다. { $seller }의 개발자로 등록되어 있어 이 메일을 받으셨습니다. 이 메일에 회신하지 마시고 위 링크를 이용해 주세요.

## R17: 개발자가 스토어에 구매취소를 요청함
mail-subject-cancellation-requested = [vocdesk] 환불 요청이 스토어에 전달되었습니다: { $product }
mail-intro-cancellation-requested = { $seller }이(가) 스토어에 { $product } 구매를 취소하고 환불해 달라고 요청했습니다.
mail-notice-cancellation-requested = 다음 단계: 스토어가 요청을 검토하며, 보통 3일 안에 결정합니다. 결정되면 메일로 알려 드리고 문의 화면에도 표시됩니다. 지금 하실 일은 없습니다.
mail-developer-message-heading = 개발자가 보낸 메시지

## R7/R9: 고객을 대신해 기록된 동의
mail-subject-consent-recorded = [vocdesk] 개발자가 결제 정보 제공 동의를 기록했습니다: { $app }
mail-intro-consent-recorded = { $seller }의 { $developer }님이 고객님을 대신해 환불 요청을 접수하면서, 이 문의에 대해 개인정보(TID, TXID, 영수증 번호 등 결제 식별 정보) 제공에 동의하셨다고 기록했습니다.
mail-notice-consent-recorded = 동의하신 적이 없다면 문의 화면의 버튼 하나로 동의를 철회하세요. 철회하면 개발자는 더 이상 결제 정보를 볼 수 없습니다. 결제 정보가 표시될 때마다 기록이 남습니다.
mail-action-consent-recorded = 문의 화면에서 동의를 확인하거나 철회하세요:
mail-label-consent-by = 기록한 사람
mail-label-consent-at = 기록 시각
