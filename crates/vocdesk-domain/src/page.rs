//! Keyset pagination. Every list is ordered by a sort key and the id as tie-breaker, and
//! the cursor names the last row seen, so page 1,000 costs the same as page 1 and rows
//! written meanwhile neither repeat nor vanish.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::validation::FieldError;

/// The default page size.
pub const DEFAULT_LIMIT: u32 = 20;
/// The largest page size a client may ask for.
pub const MAX_LIMIT: u32 = 100;

/// The position after the last row of a page: its sort key and id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// The sort key of the last row (a time in epoch milliseconds, usually).
    pub key: i64,
    /// The id of the last row, breaking ties between equal keys.
    pub id: String,
}

impl Cursor {
    /// The opaque form sent to clients.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}:{}", self.key, self.id))
    }

    /// Reads a cursor a client sent back; anything else is a 400.
    pub fn decode(value: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::new("cursor", "cursor", "a next_cursor value from a previous page");
        let bytes = URL_SAFE_NO_PAD.decode(value.trim()).map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let (key, id) = text.split_once(':').ok_or_else(invalid)?;
        let key = key.parse::<i64>().map_err(|_| invalid())?;
        if id.is_empty() || id.len() > 64 {
            return Err(invalid());
        }
        Ok(Cursor { key, id: id.to_owned() })
    }
}

/// What page a client asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// How many rows, 1 to [`MAX_LIMIT`].
    pub limit: u32,
    /// Rows strictly after this position; `None` for the first page.
    pub after: Option<Cursor>,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self { limit: DEFAULT_LIMIT, after: None }
    }
}

impl PageRequest {
    /// Validates `limit` and `cursor` query parameters.
    pub fn parse(limit: Option<i64>, cursor: Option<&str>) -> Result<Self, FieldError> {
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(n) if (1..=i64::from(MAX_LIMIT)).contains(&n) => n as u32,
            Some(_) => return Err(FieldError::new("limit", "range", &format!("a number from 1 to {MAX_LIMIT}"))),
        };
        let after = cursor.filter(|c| !c.is_empty()).map(Cursor::decode).transpose()?;
        Ok(Self { limit, after })
    }

    /// One more row than asked for, to learn whether a next page exists.
    pub fn fetch_limit(&self) -> i64 {
        i64::from(self.limit) + 1
    }
}

/// One page of results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<Cursor>,
}

impl<T> Page<T> {
    /// Cuts a fetch of `limit + 1` rows down to a page, deriving the cursor from the
    /// last row kept.
    pub fn from_rows(mut rows: Vec<T>, request: &PageRequest, cursor_of: impl Fn(&T) -> Cursor) -> Self {
        let has_more = rows.len() > request.limit as usize;
        rows.truncate(request.limit as usize);
        let next_cursor = if has_more { rows.last().map(cursor_of) } else { None };
        Page { items: rows, next_cursor }
    }

    /// The same page with each row transformed.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next_cursor: self.next_cursor }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn cursors_round_trip(key in any::<i64>(), id in "[a-z0-9-]{1,40}") {
            let cursor = Cursor { key, id };
            prop_assert_eq!(Cursor::decode(&cursor.encode()), Ok(cursor));
        }
    }

    #[test]
    fn bad_limits_and_cursors_are_refused() {
        assert!(PageRequest::parse(Some(0), None).is_err());
        assert!(PageRequest::parse(Some(101), None).is_err());
        assert!(PageRequest::parse(None, Some("not a cursor!")).is_err());
        assert_eq!(PageRequest::parse(None, None).map(|p| p.limit), Ok(DEFAULT_LIMIT));
    }

    #[test]
    fn a_page_knows_whether_more_rows_follow() {
        let request = PageRequest { limit: 2, after: None };
        let page = Page::from_rows(vec![1, 2, 3], &request, |n| Cursor { key: *n, id: n.to_string() });
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(page.next_cursor.map(|c| c.key), Some(2));
        let last = Page::from_rows(vec![1], &request, |n| Cursor { key: *n, id: n.to_string() });
        assert_eq!(last.next_cursor, None);
    }
}
