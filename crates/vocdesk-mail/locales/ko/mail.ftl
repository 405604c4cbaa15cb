# vocdesk — 알림 메일 (R3), 한국어. 여기의 모든 키는 en/mail.ftl에도 있어야 합니다 (테스트가 확인합니다).
# 사람이 쓴 값($app, $subject, $customer ...)은 그대로 끼워 넣고, HTML 본문에서는 템플릿이 이스케이프합니다.

## 제목 줄
mail-subject-inquiry-created = [vocdesk] { $app } 새 문의: { $subject }
mail-subject-customer-follow-up = [vocdesk] { $app } 추가 문의: { $subject }
mail-subject-developer-reply = [vocdesk] { $seller }의 답변: { $subject }

## 인사와 첫 문장
mail-greeting = { $name }님, 안녕하세요.
mail-greeting-anonymous = 안녕하세요.
mail-intro-inquiry-created = { $customer }님이 { $app }에 대한 새 문의를 보냈습니다.
mail-intro-customer-follow-up = { $customer }님이 { $app } 문의에 메시지를 추가로 보냈습니다.
mail-intro-developer-reply = { $seller }에서 { $app } 문의에 답변했습니다.

## 문의 정보
mail-label-app = 앱
mail-label-category = 문의 유형
mail-label-subject = 제목
mail-label-author = 작성자
mail-label-sent-at = 작성 시각
mail-message-heading = 메시지
mail-attachments = 첨부 파일 { $count }개가 함께 등록되었습니다. 문의 화면에서 확인할 수 있습니다.

## 문의 유형 (R1)
mail-category-question = 질문
mail-category-maintenance = 개선 요청
mail-category-error_report = 오류 신고
mail-category-refund = 환불
mail-category-other = 기타

## 링크와 안내
mail-action-developer = 아래 링크에서 문의를 확인하고 답변해 주세요.
mail-action-customer = 아래 링크에서 지금까지의 대화를 확인할 수 있으며, 더 궁금한 점이 있으면 추가로 문의하실 수 있습니다.
mail-link-label = 문의 열기
# R5: 개발자에게 보내는 메일에만 넣습니다.
mail-deadline = 고객 문의는 3일(72시간) 안에 답변해 주세요. 기한이 지나면 스토어가 구매를 취소할 수 있습니다.

## 바닥글
mail-footer-developer = 이 메일은 vocdesk에서 자동으로 발송되었습니다. { $seller }의 개발자로 등록되어 있어 이 메일을 받으셨습니다. 답변은 위 링크에서 작성해 주세요.
mail-footer-customer = 이 메일은 vocdesk에서 자동으로 발송되었습니다. vocdesk에 남기신 문의에 답변이 등록되어 이 메일을 받으셨습니다. 추가 문의는 위 링크에서 작성해 주세요.
