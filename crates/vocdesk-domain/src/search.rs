//! Finding an inquiry by its words (issue 12, item 13): customer name and number,
//! subject, the words of the conversation, the purchase's ids.
//!
//! Neither engine's own full-text search finds two-syllable Korean words (SQLite FTS5's
//! trigram tokenizer needs three characters; PostgreSQL's parsers split on spaces, and
//! Korean glues particles to words: 환불을, 환불해). So the text is cut into tokens here,
//! the same way for both engines, and each engine indexes the tokens as plain rows:
//! - a run of Hangul becomes its syllable bigrams (환불해 → 환불, 불해), a lone syllable
//!   itself, so that 환불 is found inside 환불을 and 환불해 주세요;
//! - a run of letters or digits of any other script becomes one lower-cased word
//!   (`Refund`, `T20261201`, `k-1001` → `refund`, `t20261201`, `k`, `1001`).
//!
//! A query is cut the same way, and an inquiry matches when it has every token of it.

use std::collections::BTreeSet;

/// The longest token kept: longer runs (a pasted hash, base64) are cut to it, on both
/// sides, so that they still match themselves.
pub const MAX_TOKEN_CHARS: usize = 40;

/// The most tokens one query may have: each is a lookup.
pub const MAX_QUERY_TOKENS: usize = 8;

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}')
}

/// What a run of characters is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    Hangul,
    Word,
}

fn kind(c: char) -> Option<Run> {
    if is_hangul(c) {
        Some(Run::Hangul)
    } else if c.is_alphanumeric() {
        Some(Run::Word)
    } else {
        None
    }
}

/// The tokens of `text`, each once.
pub fn tokens(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut run: Vec<char> = Vec::new();
    let mut current: Option<Run> = None;
    let mut flush = |run: &mut Vec<char>, kind: Option<Run>| {
        match kind {
            Some(Run::Hangul) if run.len() == 1 => {
                found.insert(run.iter().collect());
            }
            Some(Run::Hangul) => {
                for pair in run.windows(2) {
                    found.insert(pair.iter().collect());
                }
            }
            Some(Run::Word) => {
                let word: String = run.iter().flat_map(|c| c.to_lowercase()).take(MAX_TOKEN_CHARS).collect();
                found.insert(word);
            }
            None => {}
        }
        run.clear();
    };
    for c in text.chars() {
        let this = kind(c);
        if this != current {
            flush(&mut run, current);
            current = this;
        }
        if this.is_some() {
            run.push(c);
        }
    }
    flush(&mut run, current);
    found
}

/// A search as the user typed it, cut into tokens; `None` when nothing in it can be
/// searched for (only punctuation, or empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchQuery {
    /// As typed, trimmed (shown back in the search box).
    pub text: String,
    /// What an inquiry must have, all of it; at most [`MAX_QUERY_TOKENS`].
    pub tokens: Vec<String>,
}

impl SearchQuery {
    /// Reads what the user typed.
    /// A lone Latin letter or digit (the `B` of `B-00007`) matches almost everything and
    /// narrows nothing: it is searched for only when it is all the query has.
    pub fn parse(text: &str) -> Option<Self> {
        let all: Vec<String> = tokens(text).into_iter().collect();
        let telling = |t: &String| t.chars().count() > 1 || t.chars().all(is_hangul);
        let mut tokens: Vec<String> = all.iter().filter(|t| telling(t)).cloned().collect();
        if tokens.is_empty() {
            tokens = all;
        }
        tokens.truncate(MAX_QUERY_TOKENS);
        (!tokens.is_empty()).then(|| Self { text: text.trim().to_owned(), tokens })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn set(words: &[&str]) -> BTreeSet<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn two_syllable_korean_words_are_found_inside_longer_ones() {
        assert_eq!(tokens("환불해 주세요"), set(&["환불", "불해", "주세", "세요"]));
        assert!(tokens("구매를 취소하고 환불을 받고 싶어요").is_superset(&tokens("환불 취소")));
        assert_eq!(tokens("꼭"), set(&["꼭"]));
    }

    #[test]
    fn latin_words_and_ids_are_lower_cased_words() {
        assert_eq!(tokens("Refund please, TID T2026-1201!"), set(&["refund", "please", "tid", "t2026", "1201"]));
        assert_eq!(tokens("Level3가 안 열려요"), set(&["level3", "가", "안", "열려", "려요"]));
    }

    #[test]
    fn a_query_of_punctuation_is_no_query() {
        assert_eq!(SearchQuery::parse("  ?! "), None);
        let query = SearchQuery::parse(" 환불 ").expect("a query");
        assert_eq!((query.text.as_str(), query.tokens), ("환불", vec!["환불".to_owned()]));
        assert_eq!(
            SearchQuery::parse("B-00007").expect("a query").tokens,
            vec!["00007".to_owned()],
            "B narrows nothing"
        );
        assert_eq!(SearchQuery::parse("x").expect("a query").tokens, vec!["x".to_owned()], "unless it is all there is");
    }

    proptest! {
        /// Whatever a text is, every word of it, searched for alone, finds the text.
        #[test]
        fn every_word_of_a_text_finds_it(words in proptest::collection::vec("[가-힣]{1,4}|[a-zA-Z0-9]{1,12}", 1..8)) {
            let text = words.join(" ");
            let indexed = tokens(&text);
            for word in &words {
                let query = SearchQuery::parse(word).expect("a word is a query");
                prop_assert!(query.tokens.iter().all(|t| indexed.contains(t)), "{word} in {text}");
            }
        }
    }
}
