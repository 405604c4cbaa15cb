## 설정 (이슈 12, 항목 12): 화면 언어와, 그와 따로 정하는 메일 언어.

nav-settings = 설정
settings-title = 설정
settings-saved = 설정을 저장했습니다.
settings-page-language = 화면 언어
settings-page-language-help = 어느 브라우저에서 로그인해도 화면이 이 언어로 나옵니다. 위쪽의 언어 링크로도 바꿀 수 있습니다.
settings-mail-language = 메일 언어
settings-mail-language-help = 알림 메일이 이 언어로 작성됩니다. 이 양식에서만 바꿀 수 있습니다.
settings-save = 저장
