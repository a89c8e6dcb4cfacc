//! Tags as things: their kinds and other names, the suggestions a
//! journalist turned down, and related articles by shared tags.

use super::SqlStore;
use super::articles::{index_for_search, replace_tags};
use super::rows::{CARD_COLUMNS, COVER_JOIN, CardRow, conflict_or, placeholders, storable};
use crate::domain::entities::TagEntry;
use crate::domain::tag::{TagKind, append_tags};
use crate::store::{ArticleCard, Result, StoreError};
use std::collections::HashMap;

/// A tag as the desk's tag pages show it.
#[derive(Debug, Clone, PartialEq)]
pub struct TagDetails {
    pub name: String,
    pub slug: String,
    /// `None` until someone classifies it; shown as a topic.
    pub kind: Option<TagKind>,
    pub aliases: Vec<String>,
    /// Published articles carrying it, scheduled ones included.
    pub published_count: i64,
}

impl TagDetails {
    pub fn shown_kind(&self) -> TagKind {
        self.kind.unwrap_or_default()
    }
}

/// An article's words, for the extractor to read.
#[derive(Debug, Clone)]
pub struct TaggingSource {
    pub id: i64,
    pub headline: String,
    pub summary: String,
    pub body_markdown: String,
    /// The slugs of its tags.
    pub tags: Vec<String>,
    /// Name keys of suggestions turned down for it.
    pub rejected: Vec<String>,
}

/// (article id, value) rows as each article's values.
fn by_article(rows: Vec<(i64, String)>) -> HashMap<i64, Vec<String>> {
    let mut grouped: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, value) in rows {
        grouped.entry(id).or_default().push(value);
    }
    grouped
}

/// How many of a tag's newest articles count towards relatedness: enough
/// to find neighbours, bounded so a popular tag costs the same as a rare one.
const RELATED_PER_TAG: i64 = 50;

/// A kind as stored: NULL (unclassified) stays `None`.
pub(super) fn kind_of(raw: Option<String>) -> Option<TagKind> {
    raw.and_then(|k| TagKind::parse(&k).ok())
}

impl SqlStore {
    /// Every person, organisation and place tag with its aliases: what the
    /// extractor knows of the site.
    pub async fn entity_tags(&self) -> Result<Vec<TagEntry>> {
        let rows: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT t.id, t.name, t.slug, t.kind, a.alias FROM tags t \
             LEFT JOIN tag_aliases a ON a.tag_id = t.id \
             WHERE t.kind IN ('person', 'organisation', 'place') ORDER BY t.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut entries: Vec<TagEntry> = Vec::new();
        let mut last_id = None;
        for (id, name, slug, kind, alias) in rows {
            if last_id != Some(id) {
                last_id = Some(id);
                entries.push(TagEntry {
                    name,
                    slug,
                    kind: kind_of(Some(kind)).unwrap_or_default(),
                    aliases: Vec::new(),
                });
            }
            if let (Some(alias), Some(entry)) = (alias, entries.last_mut()) {
                entry.aliases.push(alias);
            }
        }
        Ok(entries)
    }

    pub async fn tag_details(&self, slug: &str) -> Result<Option<TagDetails>> {
        if !storable(&[slug]) {
            return Ok(None);
        }
        let row: Option<(i64, String, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT id, name, slug, kind, published_count FROM tags WHERE slug = $1",
        )
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        let Some((id, name, slug, kind, published_count)) = row else {
            return Ok(None);
        };
        let aliases = sqlx::query_scalar(
            "SELECT alias FROM tag_aliases WHERE tag_id = $1 ORDER BY alias_key",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Some(TagDetails {
            name,
            slug,
            kind: kind_of(kind),
            aliases,
            published_count,
        }))
    }

    /// Tags by how many published articles carry them, most first; of one
    /// kind when asked (`Topic` includes the unclassified).
    pub async fn list_tags(&self, kind: Option<TagKind>, limit: i64) -> Result<Vec<TagDetails>> {
        let filter = match kind {
            None => "",
            Some(TagKind::Topic) => "WHERE t.kind IS NULL OR t.kind = 'topic'",
            Some(_) => "WHERE t.kind = $2",
        };
        let sql = format!(
            "SELECT t.id, t.name, t.slug, t.kind, t.published_count FROM tags t {filter} \
             ORDER BY t.published_count DESC, t.name LIMIT $1"
        );
        let mut query =
            sqlx::query_as::<_, (i64, String, String, Option<String>, i64)>(&sql).bind(limit);
        if let Some(kind) = kind.filter(|k| *k != TagKind::Topic) {
            query = query.bind(kind.as_str());
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut aliases: HashMap<i64, Vec<String>> = HashMap::new();
        if !rows.is_empty() {
            let sql = format!(
                "SELECT tag_id, alias FROM tag_aliases WHERE tag_id IN ({}) ORDER BY alias_key",
                placeholders(1, rows.len())
            );
            let mut query = sqlx::query_as::<_, (i64, String)>(&sql);
            for row in &rows {
                query = query.bind(row.0);
            }
            for (tag_id, alias) in query.fetch_all(&self.pool).await? {
                aliases.entry(tag_id).or_default().push(alias);
            }
        }
        Ok(rows
            .into_iter()
            .map(|(id, name, slug, kind, published_count)| TagDetails {
                name,
                slug,
                kind: kind_of(kind),
                aliases: aliases.remove(&id).unwrap_or_default(),
                published_count,
            })
            .collect())
    }

    /// Sets a tag's kind and replaces its aliases (`(key, alias)` pairs) in
    /// one transaction. `Conflict("aliases")` when another tag has one of
    /// the aliases; false when there is no such tag.
    pub async fn update_tag(
        &self,
        slug: &str,
        kind: TagKind,
        aliases: &[(String, String)],
    ) -> Result<bool> {
        if !storable(&[slug]) {
            return Ok(false);
        }
        let mut tx = self.pool.begin().await?;
        let id: Option<i64> =
            sqlx::query_scalar("UPDATE tags SET kind = $1 WHERE slug = $2 RETURNING id")
                .bind(kind.as_str())
                .bind(slug)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(id) = id else {
            // Rolled back now: a dropped transaction would hold its locks
            // until the connection is next used.
            tx.rollback().await?;
            return Ok(false);
        };
        sqlx::query("DELETE FROM tag_aliases WHERE tag_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for (alias_key, alias) in aliases {
            let inserted = sqlx::query(
                "INSERT INTO tag_aliases (alias_key, tag_id, alias) VALUES ($1, $2, $3)",
            )
            .bind(alias_key)
            .bind(id)
            .bind(alias)
            .execute(&mut *tx)
            .await
            .map_err(|e| conflict_or(e, &["aliases"]));
            if let Err(e) = inserted {
                tx.rollback().await?;
                return Err(e);
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Which tag an alias key belongs to, by slug.
    pub async fn alias_owner(&self, alias_key: &str) -> Result<Option<String>> {
        if !storable(&[alias_key]) {
            return Ok(None);
        }
        Ok(sqlx::query_scalar(
            "SELECT t.slug FROM tag_aliases a JOIN tags t ON t.id = a.tag_id \
             WHERE a.alias_key = $1",
        )
        .bind(alias_key)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Gives unclassified tags the kinds the extractor found; a kind an
    /// editor chose stays.
    pub async fn classify_tags(&self, kinds: &[(String, TagKind)]) -> Result<()> {
        for kind in TagKind::ALL {
            let slugs: Vec<&str> = kinds
                .iter()
                .filter(|(_, k)| *k == kind)
                .map(|(slug, _)| slug.as_str())
                .collect();
            if slugs.is_empty() {
                continue;
            }
            let sql = format!(
                "UPDATE tags SET kind = $1 WHERE kind IS NULL AND slug IN ({})",
                placeholders(2, slugs.len())
            );
            let mut query = sqlx::query(&sql).bind(kind.as_str());
            for slug in slugs {
                query = query.bind(slug);
            }
            query.execute(&self.pool).await?;
        }
        Ok(())
    }

    pub async fn reject_suggestion(&self, article_id: i64, name_key: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO tag_rejections (article_id, name_key) VALUES ($1, $2) \
             ON CONFLICT (article_id, name_key) DO NOTHING",
        )
        .bind(article_id)
        .bind(name_key)
        .execute(&self.pool)
        .await
        .map_err(|e| match e {
            // The article was deleted meanwhile.
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                StoreError::Database(sqlx::Error::RowNotFound)
            }
            e => StoreError::Database(e),
        })?;
        Ok(())
    }

    pub async fn rejected_suggestions(&self, article_id: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT name_key FROM tag_rejections WHERE article_id = $1 ORDER BY name_key",
        )
        .bind(article_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Adds tags after an article's own, up to the most an article may
    /// carry, without marking it revised: tagging is the newsroom's
    /// bookkeeping, not a change readers need told about. Returns how many
    /// were added.
    pub async fn add_tags(&self, article_id: i64, tags: &[(String, String)]) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        // Locks the article's row first, so concurrent saves queue.
        let exists: Option<i64> =
            sqlx::query_scalar("UPDATE articles SET id = id WHERE id = $1 RETURNING id")
                .bind(article_id)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_none() {
            tx.rollback().await?;
            return Err(StoreError::Database(sqlx::Error::RowNotFound));
        }
        let mut current: Vec<(String, String)> = sqlx::query_as(
            "SELECT t.name, t.slug FROM article_tag tl JOIN tags t ON t.id = tl.tag_id \
             WHERE tl.article_id = $1 ORDER BY tl.position",
        )
        .bind(article_id)
        .fetch_all(&mut *tx)
        .await?;
        let added = append_tags(&mut current, tags);
        if added > 0 {
            replace_tags(&mut tx, article_id, &current).await?;
            index_for_search(&mut tx, self.dialect, Some(article_id)).await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Articles with ids above `after`, in id order, at most `limit`, with
    /// what the extractor reads and what it must leave out.
    pub async fn articles_for_tagging(&self, after: i64, limit: i64) -> Result<Vec<TaggingSource>> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT id, headline, summary, body_markdown FROM articles \
             WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let Some((last, _, _, _)) = rows.last() else {
            return Ok(Vec::new());
        };
        let range = (rows[0].0, *last);
        let linked: Vec<(i64, String)> = sqlx::query_as(
            "SELECT tl.article_id, t.slug FROM article_tag tl JOIN tags t ON t.id = tl.tag_id \
             WHERE tl.article_id BETWEEN $1 AND $2",
        )
        .bind(range.0)
        .bind(range.1)
        .fetch_all(&self.pool)
        .await?;
        let turned_down: Vec<(i64, String)> = sqlx::query_as(
            "SELECT article_id, name_key FROM tag_rejections WHERE article_id BETWEEN $1 AND $2",
        )
        .bind(range.0)
        .bind(range.1)
        .fetch_all(&self.pool)
        .await?;
        let (mut tags, mut rejected) = (by_article(linked), by_article(turned_down));
        Ok(rows
            .into_iter()
            .map(|(id, headline, summary, body_markdown)| TaggingSource {
                id,
                headline,
                summary,
                body_markdown,
                tags: tags.remove(&id).unwrap_or_default(),
                rejected: rejected.remove(&id).unwrap_or_default(),
            })
            .collect())
    }

    /// Live articles sharing tags with this one, most related first: each
    /// shared tag counts 1/ln(e + its article count), so a rare tag says
    /// more than a common one. Reads each tag's newest articles through its
    /// own index, never the archive.
    pub async fn related_articles(
        &self,
        article_id: i64,
        limit: usize,
        viewer: Option<i64>,
        now: i64,
    ) -> Result<Vec<ArticleCard>> {
        let tags: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT t.id, t.published_count FROM article_tag tl JOIN tags t ON t.id = tl.tag_id \
             WHERE tl.article_id = $1",
        )
        .bind(article_id)
        .fetch_all(&self.pool)
        .await?;
        if tags.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        // $1 the article, $2 now, $3 the per-tag limit; then one tag each.
        let per_tag: Vec<String> = (0..tags.len())
            .map(|n| {
                format!(
                    "SELECT * FROM (SELECT tag_id, article_id, published_at FROM article_tag \
                     WHERE tag_id = ${} AND published_at <= $2 AND article_id <> $1 \
                     ORDER BY published_at DESC, article_id DESC LIMIT $3) t{n}",
                    n + 4
                )
            })
            .collect();
        let sql = per_tag.join(" UNION ALL ");
        let mut query = sqlx::query_as::<_, (i64, i64, i64)>(&sql)
            .bind(article_id)
            .bind(now)
            .bind(RELATED_PER_TAG);
        for (tag_id, _) in &tags {
            query = query.bind(tag_id);
        }
        let weights: HashMap<i64, f64> = tags
            .iter()
            .map(|(id, count)| (*id, 1.0 / (std::f64::consts::E + *count as f64).ln()))
            .collect();
        let mut scores: HashMap<i64, (f64, i64)> = HashMap::new();
        for (tag_id, other, published_at) in query.fetch_all(&self.pool).await? {
            let entry = scores.entry(other).or_insert((0.0, published_at));
            entry.0 += weights.get(&tag_id).copied().unwrap_or(0.0);
        }
        let mut ranked: Vec<(i64, f64, i64)> = scores
            .into_iter()
            .map(|(id, (s, at))| (id, s, at))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.2.cmp(&a.2)).then(b.0.cmp(&a.0)));
        ranked.truncate(limit);
        if ranked.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM articles a JOIN users u ON u.id = a.author_id \
             {COVER_JOIN} WHERE a.status = 'published' AND a.id IN ({})",
            placeholders(2, ranked.len())
        );
        let mut cards = sqlx::query_as::<_, CardRow>(&sql).bind(viewer.unwrap_or(-1));
        for (id, _, _) in &ranked {
            cards = cards.bind(id);
        }
        let mut by_id: HashMap<i64, ArticleCard> = cards
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|row| {
                let card = row.into_card();
                (card.id, card)
            })
            .collect();
        let mut cards: Vec<ArticleCard> = ranked
            .iter()
            .filter_map(|(id, _, _)| by_id.remove(id))
            .collect();
        self.attach_tags(&mut cards).await?;
        Ok(cards)
    }
}
