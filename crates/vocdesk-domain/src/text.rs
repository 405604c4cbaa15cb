//! Checks for text people type. Text is stored exactly as given (it is escaped where it
//! is shown, never altered on the way in); these only refuse what no person means:
//! empty text, text over the limit, and invisible control characters.

use crate::validation::FieldError;

/// Checks a required single-line text field of at most `max_chars` characters and
/// returns it trimmed of surrounding white space.
pub fn required_line(field: &str, value: &str, max_chars: usize) -> Result<String, FieldError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(field, "required", "a non-empty value"));
    }
    if trimmed.chars().count() > max_chars {
        return Err(FieldError::new(field, "too_long", &format!("at most {max_chars} characters")));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(FieldError::new(field, "control_characters", "text without control characters"));
    }
    Ok(trimmed.to_owned())
}

/// Checks a required multi-line text of at most `max_chars` characters; newlines and
/// tabs are allowed, other control characters are not. The text is kept as given.
pub fn required_text(field: &str, value: &str, max_chars: usize) -> Result<String, FieldError> {
    if value.trim().is_empty() {
        return Err(FieldError::new(field, "required", "a non-empty value"));
    }
    if value.chars().count() > max_chars {
        return Err(FieldError::new(field, "too_long", &format!("at most {max_chars} characters")));
    }
    if value.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(FieldError::new(field, "control_characters", "text without control characters"));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_html_and_sql_as_plain_text() {
        let raw = "<script>alert(1)</script>'; DROP TABLE users; --";
        assert_eq!(required_line("t", raw, 200).as_deref(), Ok(raw));
    }

    #[test]
    fn refuses_empty_long_and_control_text() {
        assert_eq!(required_line("t", "   ", 5).unwrap_err().code, "required");
        assert_eq!(required_line("t", "여섯글자입니다", 5).unwrap_err().code, "too_long");
        assert_eq!(required_line("t", "a\u{0}b", 5).unwrap_err().code, "control_characters");
        assert!(required_text("t", "line\nline\ttab", 50).is_ok());
        assert_eq!(required_text("t", "bell\u{7}", 50).unwrap_err().code, "control_characters");
    }
}
