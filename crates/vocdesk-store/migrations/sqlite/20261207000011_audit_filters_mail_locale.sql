-- Issue 12, items 10 and 12.
--
-- R3: the language a user's notification mail is written in, a setting of its own;
-- `locale` stays the language of their pages. Every account keeps the mail language it
-- had, which was its one language until now.
ALTER TABLE users ADD COLUMN mail_locale TEXT NOT NULL DEFAULT 'ko' CHECK (mail_locale IN ('ko', 'en'));
UPDATE users SET mail_locale = locale;

-- R14: the audit log read by action (the console's action filter), newest first.
CREATE INDEX audit_by_action ON audit_log (action, at, id);
-- R14: the log as the console shows it by default, without signing in and out (the
-- terms of vocdesk-domain's SIGN_IN_ACTIONS, written exactly as the query writes them).
CREATE INDEX audit_without_sign_ins ON audit_log (at, id) WHERE action NOT IN ('token.issued', 'token.revoked');
