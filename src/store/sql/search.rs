//! Full-text search: FTS5 on SQLite, a weighted `tsvector` on PostgreSQL,
//! ranking a bounded window of the newest matches.

use super::rows::{CARD_COLUMNS, COVER_JOIN, CardRow, Numbering, placeholders, storable};
use super::{Dialect, SqlStore};
use crate::domain::search::{HIGHLIGHT_END, HIGHLIGHT_START, SearchCursor, snippet_parts};
use crate::store::{ArticleCard, Result, SearchHit, SearchRequest};
use std::collections::HashMap;

/// A search ranks at most this many of the newest matching live articles.
pub const SEARCH_WINDOW: i64 = 1_000;

/// How much a match counts in each column of the SQLite search index
/// (headline, summary, body, tags, author); PostgreSQL weighs its document
/// the same way (A, B, D).
const SEARCH_WEIGHTS: &str = "10.0, 4.0, 1.0, 10.0, 4.0";

impl SqlStore {
    pub async fn search(
        &self,
        request: SearchRequest<'_>,
        viewer: Option<i64>,
        now: i64,
    ) -> Result<Vec<SearchHit>> {
        let texts: Vec<&str> = [request.tag_slug, request.author]
            .into_iter()
            .flatten()
            .collect();
        if request.query.is_empty() || !storable(&texts) {
            return Ok(Vec::new());
        }
        // The newest matching live articles (filters applied), at most
        // SEARCH_WINDOW, each with its score (lower is more relevant); the
        // page is the best of those. Ranking is what a search costs, so
        // bounding it bounds the cost whatever the words; a query matching
        // fewer articles than the window is ranked exactly.
        let (from_index, score, id, query_text) = match self.dialect {
            Dialect::Sqlite => (
                "article_search JOIN articles a ON a.id = article_search.rowid \
                 WHERE article_search MATCH $1"
                    .to_owned(),
                format!("bm25(article_search, {SEARCH_WEIGHTS})"),
                "article_search.rowid",
                request.query.fts5(),
            ),
            Dialect::Postgres => (
                "article_search s JOIN articles a ON a.id = s.article_id, \
                 plainto_tsquery('english', $1) AS q(query) WHERE s.document @@ q.query"
                    .to_owned(),
                "CAST(-ts_rank_cd(s.document, q.query) AS DOUBLE PRECISION)".to_owned(),
                "s.article_id",
                request.query.text(),
            ),
        };
        // $1 the query, $2 now, $3 the limit, then the filters.
        let mut window = format!(
            "SELECT {id} AS id, {score} AS score FROM {from_index} \
             AND a.status = 'published' AND a.published_at <= $2"
        );
        let mut numbers = Numbering::starting_at(4);
        if request.tag_slug.is_some() {
            window.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM article_tag tl WHERE tl.article_id = a.id \
                 AND tl.tag_id = (SELECT id FROM tags WHERE slug = {}))",
                numbers.take()
            ));
        }
        if request.author.is_some() {
            window.push_str(&format!(
                " AND a.author_id = (SELECT id FROM users WHERE username = {})",
                numbers.take()
            ));
        }
        if request.from.is_some() {
            window.push_str(&format!(" AND a.published_at >= {}", numbers.take()));
        }
        if request.until.is_some() {
            window.push_str(&format!(" AND a.published_at < {}", numbers.take()));
        }
        window.push_str(&format!(" ORDER BY {id} DESC LIMIT {SEARCH_WINDOW}"));
        let mut sql = format!("SELECT m.id, m.score FROM ({window}) m");
        if request.after.is_some() {
            let (score, id) = (numbers.take(), numbers.take());
            sql.push_str(&format!(
                " WHERE m.score > {score} OR (m.score = {score} AND m.id < {id})"
            ));
        }
        sql.push_str(" ORDER BY m.score, m.id DESC LIMIT $3");
        let mut ranked = sqlx::query_as::<_, (i64, f64)>(&sql)
            .bind(&query_text)
            .bind(now)
            .bind(request.limit);
        for text in texts {
            ranked = ranked.bind(text);
        }
        for time in [request.from, request.until].into_iter().flatten() {
            ranked = ranked.bind(time);
        }
        if let Some(cursor) = request.after {
            ranked = ranked.bind(cursor.score).bind(cursor.id);
        }
        let ranked = ranked.fetch_all(&self.pool).await?;
        if ranked.is_empty() {
            return Ok(Vec::new());
        }

        let ids: Vec<i64> = ranked.iter().map(|(id, _)| *id).collect();
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM articles a JOIN users u ON u.id = a.author_id \
             {COVER_JOIN} WHERE a.id IN ({})",
            placeholders(2, ids.len())
        );
        let mut cards = sqlx::query_as::<_, CardRow>(&sql).bind(viewer.unwrap_or(-1));
        for id in &ids {
            cards = cards.bind(id);
        }
        let mut cards: Vec<ArticleCard> = cards
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(CardRow::into_card)
            .collect();
        self.attach_tags(&mut cards).await?;

        // Snippets for this page's hits only: making one reads the text.
        let (start, end) = (HIGHLIGHT_START.to_string(), HIGHLIGHT_END.to_string());
        let mut snippets = match self.dialect {
            Dialect::Sqlite => {
                let sql = format!(
                    "SELECT rowid, snippet(article_search, 2, $2, $3, '…', 24) \
                     FROM article_search WHERE article_search MATCH $1 AND rowid IN ({})",
                    placeholders(4, ids.len())
                );
                let query = sqlx::query_as::<_, (i64, String)>(&sql)
                    .bind(&query_text)
                    .bind(&start)
                    .bind(&end);
                ids.iter()
                    .fold(query, |q, id| q.bind(id))
                    .fetch_all(&self.pool)
                    .await?
            }
            Dialect::Postgres => {
                let sql = format!(
                    "SELECT article_id, ts_headline('english', body, \
                     plainto_tsquery('english', $1), $2) \
                     FROM article_search WHERE article_id IN ({})",
                    placeholders(3, ids.len())
                );
                let options = format!(
                    "StartSel={start}, StopSel={end}, MaxWords=30, MinWords=12, \
                     MaxFragments=2, FragmentDelimiter=\" … \""
                );
                let query = sqlx::query_as::<_, (i64, String)>(&sql)
                    .bind(&query_text)
                    .bind(options);
                ids.iter()
                    .fold(query, |q, id| q.bind(id))
                    .fetch_all(&self.pool)
                    .await?
            }
        }
        .into_iter()
        .collect::<HashMap<i64, String>>();
        let mut cards: HashMap<i64, ArticleCard> = cards.drain(..).map(|c| (c.id, c)).collect();
        Ok(ranked
            .into_iter()
            .filter_map(|(id, score)| {
                Some(SearchHit {
                    card: cards.remove(&id)?,
                    snippet: snippet_parts(&snippets.remove(&id).unwrap_or_default()),
                    cursor: SearchCursor { score, id },
                })
            })
            .collect())
    }
}
