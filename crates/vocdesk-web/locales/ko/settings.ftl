## 설정 (이슈 12, 항목 12): 화면 언어와, 그와 따로 정하는 메일 언어.

nav-settings = 설정
settings-title = 설정
settings-saved = 설정을 저장했습니다.
settings-page-language = 화면 언어
settings-page-language-help = 어느 브라우저에서 로그인해도 화면이 이 언어로 나옵니다. 위쪽의 언어 링크로도 바꿀 수 있습니다.
settings-mail-language = 메일 언어
settings-mail-language-help = 알림 메일이 이 언어로 작성됩니다. 이 양식에서만 바꿀 수 있습니다.
settings-save = 저장

# Issue 13: 개발자가 알림을 받는 기기.
settings-devices-link = 기기와 푸시 알림
devices-title = 기기와 알림
devices-intro = 고객이 기다리고 있을 때 휴대전화나 컴퓨터로 알려 드립니다: 새 문의, 3일 기한까지 24시간 남은 문의, 기한이 지난 문의, 1~2점 리뷰, 취소 요청에 대한 스토어의 결정. 알림에는 앱과 제목의 첫 단어만 나오며, 결제 정보는 절대 나오지 않습니다.
devices-this-browser = 이 브라우저
devices-label = 이 기기의 이름
devices-label-example = 예: 내 휴대전화
devices-tell-me = 알림 받을 항목
devices-kind-new_inquiry = 새 문의
devices-kind-near_limit = 기한까지 24시간 남은 문의
devices-kind-overdue = 기한이 지난 문의
devices-kind-low_review = 새 1~2점 리뷰
devices-kind-request_decided = 내 취소 요청에 대한 결정
devices-needs-js = 알림에는 JavaScript와 알림을 지원하는 브라우저가 필요합니다. 그 밖의 기능은 JavaScript 없이도 동작합니다.
devices-enable = 이 기기에서 알림 켜기
devices-yours = 내 기기
devices-none = 아직 구독한 기기가 없습니다.
devices-unnamed = 이름 없는 기기
devices-since = 구독일
devices-last-sent = 마지막 알림
devices-last-failed = 마지막 알림이 실패했습니다
devices-save = 저장
devices-remove = 이 기기 지우기
devices-done-subscribed = 이 기기로 알림을 보냅니다. 아래에서 알림 받을 항목을 바꿀 수 있습니다.
devices-done-saved = 저장했습니다.
devices-done-removed = 기기를 지웠습니다. 이 기기로는 더 이상 알림을 보내지 않습니다.
devices-done-invalid = 브라우저의 구독 정보를 쓸 수 없습니다(주소나 키가 올바르지 않음). 다시 시도하거나 다른 브라우저를 써 보세요.
devices-done-too_many = 개발자 한 명이 구독할 수 있는 기기 수를 모두 채웠습니다. 먼저 하나를 지우세요.

# Issue 13: 운영자의 푸시 상태 페이지.
nav-operator-push = 푸시
push-health-title = 푸시 알림
push-health-intro = 개발자에게 알림이 가고 있는지: 기기, 대기 중인 알림, 지난 24시간 동안 푸시 서비스의 응답.
push-health-subscriptions = 구독한 기기
push-health-subscribers = 개발자:
push-health-failing = 마지막 알림이 실패한 기기
push-health-pending = 보낼 차례를 기다리는 알림
push-health-oldest = 가장 오래된 대기
push-health-last-day = 지난 24시간
push-health-sent = 보냄
push-health-failed = 포기함
push-health-gone = 사라진 기기(404/410), 삭제함
push-health-dropped = 보내지 않음(더 이상 그 개발자의 것이 아님)
push-health-failures = 최근 실패
push-health-no-failures = 실패한 알림이 없습니다.
push-health-when = 대기 시작
push-health-kind = 종류
push-health-answer = 푸시 서비스의 응답
push-health-key = 서명 키(VAPID)
push-health-key-help = 스토어를 처음 시작할 때 만들어지며 모든 서버 프로세스가 함께 씁니다. 브라우저는 이 키로 구독하므로, 키를 바꾸면 모든 구독이 끝납니다.
