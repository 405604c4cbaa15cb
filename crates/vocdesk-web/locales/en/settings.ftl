## Settings (issue 12, item 12): the page language and, apart from it, the mail language.

nav-settings = Settings
settings-title = Settings
settings-saved = Your settings are saved.
settings-page-language = Language of the pages
settings-page-language-help = The pages follow it on every browser you sign in from. The language links at the top change it too.
settings-mail-language = Language of your mail
settings-mail-language-help = Notification mail is written in this language. Only this form changes it.
settings-save = Save
