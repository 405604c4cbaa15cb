# vocdesk-app이 문의 스레드에 쓰는 문구. R9: 스토어 양식의 문구로 남기는 외부 접수 환불 요청 기록
# (개발자 센터의 환불 요청 양식도 같은 문구를 보여줍니다).
offstore-channel-email = 이메일
offstore-channel-phone = 전화
offstore-subject = { $channel } 접수 환불 요청: { $product }
offstore-record-title = { $channel }(으)로 접수된 환불 요청 (개발자가 고객 대신 등록)
offstore-consent = 고객님의 개인정보 제공 동의 여부 (O/X)
offstore-customer-no = 고객번호
offstore-purchased-at = 상품 구매 시간
offstore-product = 결제상품
offstore-reason = 사유

# Issue 13: 개발자 기기로 가는 푸시 알림 (제목, 그리고 "앱: 첫 단어들").
push-new-inquiry-title = 답변을 기다리는 문의 { $count }건
push-near-limit-title = 답변 기한이 24시간 남았습니다
push-overdue-title = 답변 기한 3일이 지났습니다: 스토어가 대신 취소할 수 있습니다
push-low-review-title = 새 { $stars }점 리뷰
push-request-approved-title = 스토어가 취소 요청을 승인했습니다
push-request-rejected-title = 스토어가 취소 요청을 거절했습니다
push-body = { $app }: { $words }
