//! The words an inquiry is found by (issue 12, item 13): its tokens, cut in the domain
//! (`vocdesk_domain::search`), kept as rows of `inquiry_search` in the transaction that
//! writes the text, so a search never misses a committed message.

use std::collections::BTreeSet;

use vocdesk_domain::search::{SearchQuery, tokens};

use crate::StoreResult;
use crate::db::{Db, SqlBuilder, query};

/// Tokens per statement: a long message has thousands.
const TOKENS_PER_STATEMENT: usize = 200;

/// Files `text`'s tokens under `inquiry` (and its seller); tokens it has already change
/// nothing.
pub(crate) async fn index_text(db: &mut dyn Db, inquiry: &str, text: &str) -> StoreResult<()> {
    index_tokens(db, inquiry, &tokens(text)).await
}

async fn index_tokens(db: &mut dyn Db, inquiry: &str, tokens: &BTreeSet<String>) -> StoreResult<()> {
    let all: Vec<&String> = tokens.iter().collect();
    for chunk in all.chunks(TOKENS_PER_STATEMENT) {
        let mut sql = SqlBuilder::new(
            "INSERT INTO inquiry_search (seller_id, token, inquiry_id) SELECT q.seller_id, t.column1, q.id FROM inquiries q, (VALUES ",
        );
        for (n, token) in chunk.iter().enumerate() {
            if n > 0 {
                sql.push(", ");
            }
            sql.push("(").push_bind((*token).clone()).push(")");
        }
        sql.push(") AS t WHERE q.id = ").push_bind(inquiry.to_owned()).push(" ON CONFLICT DO NOTHING");
        sql.build().execute(db).await?;
    }
    Ok(())
}

/// Files what a new inquiry is found by besides its messages: its subject, the
/// customer's name and number, and its purchase's ids (a developer on the phone with a
/// customer has their TID).
pub(crate) async fn index_inquiry(db: &mut dyn Db, inquiry: &str) -> StoreResult<()> {
    // One text per row: the subject, the customer's name and number, the purchase's ids.
    let texts: Vec<(Option<String>,)> = query(
        "SELECT q.subject FROM inquiries q WHERE q.id = $1 \
         UNION ALL SELECT u.display_name FROM inquiries q JOIN users u ON u.id = q.customer_id WHERE q.id = $1 \
         UNION ALL SELECT u.customer_no FROM inquiries q JOIN users u ON u.id = q.customer_id WHERE q.id = $1 \
         UNION ALL SELECT p.tid FROM inquiries q JOIN purchases p ON p.id = q.purchase_id WHERE q.id = $1 \
         UNION ALL SELECT p.txid FROM inquiries q JOIN purchases p ON p.id = q.purchase_id WHERE q.id = $1 \
         UNION ALL SELECT p.receipt_no FROM inquiries q JOIN purchases p ON p.id = q.purchase_id WHERE q.id = $1",
    )
    .bind(inquiry)
    .fetch_all(db)
    .await?;
    let mut words = BTreeSet::new();
    for text in texts.into_iter().filter_map(|(text,)| text) {
        words.extend(tokens(&text));
    }
    index_tokens(db, inquiry, &words).await
}

/// The next `limit` inquiries written before search existed, by id after the last
/// batch's, indexed with their messages; answers whether more may remain. Once none
/// does, the work's row is removed and later starts do nothing.
pub(crate) async fn backfill_batch(db: &mut dyn Db, limit: i64) -> StoreResult<bool> {
    let Some((after,)): Option<(String,)> = query("SELECT after_id FROM search_backfill").fetch_optional(db).await?
    else {
        return Ok(false);
    };
    let batch: Vec<(String,)> = query("SELECT id FROM inquiries WHERE id > $1 ORDER BY id LIMIT $2")
        .bind(&after)
        .bind(limit)
        .fetch_all(db)
        .await?;
    for (id,) in &batch {
        index_inquiry(db, id).await?;
        let bodies: Vec<(String,)> =
            query("SELECT body FROM inquiry_messages WHERE inquiry_id = $1").bind(id).fetch_all(db).await?;
        for (body,) in bodies {
            index_text(db, id, &body).await?;
        }
    }
    match batch.last() {
        Some((last,)) => {
            query("UPDATE search_backfill SET after_id = $1").bind(last).execute(db).await?;
            Ok(true)
        }
        None => {
            query("DELETE FROM search_backfill").execute(db).await?;
            Ok(false)
        }
    }
}

/// Above this many inquiries with its rarest token, a search walks the list in its own
/// order and checks each inquiry (a common word fills a page within a few rows); at or
/// below it, it starts from the inquiries that have that token.
const FEW: i64 = 2_000;

/// How a search is run, chosen by how common its rarest token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Few inquiries have the rarest token: start from them.
    FromPostings,
    /// Every token is common: walk the list and look each one up.
    Probe,
}

/// Counts (up to [`FEW`] + 1) the inquiries with each token, and chooses.
pub(crate) async fn plan(db: &mut dyn Db, words: &SearchQuery, seller: Option<&str>) -> StoreResult<Plan> {
    for token in &words.tokens {
        let mut sql = SqlBuilder::new("SELECT COUNT(*) FROM (SELECT 1 FROM inquiry_search s WHERE s.token = ");
        sql.push_bind(token.clone());
        if let Some(seller) = seller {
            sql.push(" AND s.seller_id = ").push_bind(seller.to_owned());
        }
        sql.push(" LIMIT ").push_bind(FEW + 1).push(") AS few");
        let (count,): (i64,) = sql.build().fetch_one(db).await?;
        if count <= FEW {
            return Ok(Plan::FromPostings);
        }
    }
    Ok(Plan::Probe)
}

/// The condition a list adds for a search: the inquiry has every token. Within one
/// seller it reads only that seller's postings.
pub(crate) fn push_condition(sql: &mut SqlBuilder, words: &SearchQuery, seller: Option<&str>, plan: Plan) {
    if plan == Plan::Probe {
        for token in &words.tokens {
            sql.push(" AND EXISTS (SELECT 1 FROM inquiry_search s WHERE s.seller_id = q.seller_id AND s.token = ");
            sql.push_bind(token.clone()).push(" AND s.inquiry_id = q.id)");
        }
        return;
    }
    sql.push(" AND q.id IN (SELECT s.inquiry_id FROM inquiry_search s WHERE ");
    if let Some(seller) = seller {
        sql.push("s.seller_id = ").push_bind(seller.to_owned()).push(" AND ");
    }
    sql.push("s.token IN (");
    for (n, token) in words.tokens.iter().enumerate() {
        if n > 0 {
            sql.push(", ");
        }
        sql.push_bind(token.clone());
    }
    sql.push(") GROUP BY s.inquiry_id HAVING COUNT(*) = ").push_bind(words.tokens.len() as i64).push(")");
}
