//! Whole-site operations: generating a large site for benchmarks and copying
//! a site from one backend to another. Both work in batches and report
//! progress through a callback, so the CLI can show a progress bar.
//!
//! One piece (over 500 lines): seeding and copying share the table list,
//! the batching and the count checks, and a half of either reads poorly alone.

use super::{Dialect, SqlStore};
use crate::store::{Result, StoreError};
use futures_util::TryStreamExt;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

/// Reports (what is being done, rows done, rows in all).
pub type Progress<'a> = &'a (dyn Fn(&str, u64, u64) + Sync);

/// The size of a generated site.
#[derive(Debug, Clone, Copy)]
pub struct SeedPlan {
    pub articles: i64,
    pub users: i64,
    pub likes: i64,
    pub comments: i64,
}

const SEED_TAGS: i64 = 100;
/// Articles are written from phrases of made-up words whose frequencies
/// fall off like a natural language's (Zipf): a few words are everywhere,
/// most are rare, so searches match as many articles as they would in a
/// real archive rather than all of them.
const SEED_WORDS: u64 = 5_000;
const SEED_PHRASES: i64 = 8_192;
const SEED_PHRASE_WORDS: usize = 8;
const SYLLABLES: [&str; 16] = [
    "ka", "lo", "mi", "nu", "re", "sa", "ti", "vo", "ba", "de", "fi", "go", "hu", "je", "po", "zu",
];
const SEED_AUTHORS: i64 = 50;
/// Rows per statement: large enough to be fast, small enough for progress.
const SEED_BATCH: i64 = 100_000;

impl SeedPlan {
    /// Likes per article and comments per article, spread evenly, article by
    /// article, so that rows arrive in primary-key order.
    fn likes_per_article(&self) -> i64 {
        (self.likes + self.articles - 1) / self.articles.max(1)
    }

    fn comments_per_article(&self) -> i64 {
        (self.comments + self.articles - 1) / self.articles.max(1)
    }

    pub fn check(&self) -> Result<(), String> {
        if self.articles < 1 || self.users < 1 {
            return Err("--articles and --users must be at least 1".to_owned());
        }
        if self.likes < 0 || self.comments < 0 {
            return Err("--likes and --comments cannot be negative".to_owned());
        }
        if self.likes_per_article() > self.users {
            return Err(format!(
                "{} likes over {} articles need at least {} users (one like per user per article)",
                self.likes,
                self.articles,
                self.likes_per_article()
            ));
        }
        Ok(())
    }
}

/// The generated word of frequency rank `rank` (1 is the most frequent):
/// the syllables of `rank + 15` in base 16. `bench/scale.sh` derives its
/// search words the same way.
pub fn seed_word(rank: u64) -> String {
    let mut n = rank + 15;
    let mut word = Vec::new();
    while n > 0 {
        word.push(SYLLABLES[(n % 16) as usize]);
        n /= 16;
    }
    word.reverse();
    word.concat()
}

/// The phrases articles are made of, the same on every run: each word is
/// drawn with probability about proportional to 1 / rank.
fn seed_phrases() -> Vec<String> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut uniform = move || {
        // xorshift64*: good enough to spread words, and reproducible.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..SEED_PHRASES)
        .map(|_| {
            (0..SEED_PHRASE_WORDS)
                .map(|_| {
                    let rank = ((SEED_WORDS + 1) as f64).powf(uniform()).floor() as u64;
                    seed_word(rank.clamp(1, SEED_WORDS))
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// SQL for the text of generated article `n`: phrases picked by
/// multiplicative hashing, one multiplier per place in the article.
fn seed_text(multipliers: &[i64]) -> String {
    multipliers
        .iter()
        .map(|m| format!("(SELECT text FROM seed_phrase WHERE k = (n * {m} + 1) % {SEED_PHRASES})"))
        .collect::<Vec<_>>()
        .join(" || ' ' || ")
}

impl SqlStore {
    /// Writes the phrases generated articles are made of into a table of
    /// their own, dropped once the articles are written.
    async fn write_seed_phrases(&self) -> Result<()> {
        sqlx::query("DROP TABLE IF EXISTS seed_phrase")
            .execute(&self.pool)
            .await?;
        sqlx::query("CREATE TABLE seed_phrase (k BIGINT PRIMARY KEY, text TEXT NOT NULL)")
            .execute(&self.pool)
            .await?;
        let phrases = seed_phrases();
        for (chunk_index, chunk) in phrases.chunks(1_000).enumerate() {
            let values = (0..chunk.len())
                .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("INSERT INTO seed_phrase (k, text) VALUES {values}");
            let mut query = sqlx::query(&sql);
            for (i, text) in chunk.iter().enumerate() {
                query = query.bind((chunk_index * 1_000 + i) as i64).bind(text);
            }
            query.execute(&self.pool).await?;
        }
        Ok(())
    }

    /// `INSERT … SELECT` over the numbers `$1..=$2` (bound by the caller
    /// first) as `n`, in each dialect's fastest way to make a series.
    fn series_insert(&self, insert: &str, select: &str) -> String {
        match self.dialect {
            Dialect::Postgres => format!(
                "{insert} SELECT {select} FROM generate_series(CAST($1 AS BIGINT), \
                 CAST($2 AS BIGINT)) AS s(n)"
            ),
            Dialect::Sqlite => format!(
                "WITH RECURSIVE s(n) AS (SELECT CAST($1 AS INTEGER) UNION ALL \
                 SELECT n + 1 FROM s WHERE n < $2) {insert} SELECT {select} FROM s"
            ),
        }
    }

    /// Runs a series insert over `1..=total` in batches. `extra` binds follow
    /// `$1` and `$2`.
    async fn seed_table(
        &self,
        what: &str,
        total: i64,
        sql: &str,
        extra: &[i64],
        progress: Progress<'_>,
    ) -> Result<()> {
        let mut done = 0;
        while done < total {
            let end = (done + SEED_BATCH).min(total);
            let mut query = sqlx::query(sql).bind(done + 1).bind(end);
            for value in extra {
                query = query.bind(*value);
            }
            query.execute(&self.pool).await?;
            done = end;
            progress(what, done as u64, total as u64);
        }
        Ok(())
    }

    /// Fills an empty database with a generated site: published articles
    /// one minute apart, 100 tags (two per article), and likes and comments
    /// spread evenly. `password_hash` is shared by every generated user.
    pub async fn seed(
        &self,
        plan: SeedPlan,
        password_hash: &str,
        now: i64,
        progress: Progress<'_>,
    ) -> Result<()> {
        let existing: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM articles)",
        )
        .fetch_one(&self.pool)
        .await?;
        if existing > 0 {
            return Err(StoreError::Config(
                "seed-bench fills only an empty database: this one has users or articles"
                    .to_owned(),
            ));
        }
        // The newest article is an hour old, the oldest A minutes before it.
        let first_published = now - 3_600_000 - plan.articles * 60_000;
        let (lpa, cpa) = (plan.likes_per_article(), plan.comments_per_article());

        let users = self.series_insert(
            "INSERT INTO users (id, username, email, password_hash, role, created_at)",
            &format!(
                "n, 'reader' || n, 'reader' || n || '@bench.example', '{}', \
                 CASE WHEN n <= {SEED_AUTHORS} THEN 'author' ELSE 'reader' END, $3",
                password_hash.replace('\'', "''")
            ),
        );
        self.seed_table("users", plan.users, &users, &[now], progress)
            .await?;

        let tags = self.series_insert(
            "INSERT INTO tags (id, name, slug)",
            "n, 'Topic ' || n, 'topic-' || n",
        );
        self.seed_table("tags", SEED_TAGS, &tags, &[], progress)
            .await?;

        // Kept counts are what the like and comment rows below add up to.
        self.write_seed_phrases().await?;
        let headline = seed_text(&[7_919]);
        let summary = seed_text(&[104_729, 1_299_709]);
        let body = seed_text(&[
            15_485_863,
            179_424_673,
            2_038_074_743,
            32_452_843,
            49_979_687,
            67_867_967,
        ]);
        let articles = self.series_insert(
            "INSERT INTO articles (id, slug, author_id, headline, summary, body_markdown, \
             body_html, body_text, status, published_at, first_published_at, created_at, \
             updated_at, like_count, comment_count)",
            &format!(
                "n, 'seed-article-' || n, 1 + n % $3, {headline}, {summary}, {body}, \
                 '<p>' || {body} || '</p>', {body}, 'published', \
             $4 + n * 60000, $4 + n * 60000, $4 + n * 60000, $4 + n * 60000, \
             CASE WHEN $5 - (n - 1) * $6 >= $6 THEN $6 \
                  WHEN $5 - (n - 1) * $6 > 0 THEN $5 - (n - 1) * $6 ELSE 0 END, \
             CASE WHEN $7 - (n - 1) * $8 >= $8 THEN $8 \
                  WHEN $7 - (n - 1) * $8 > 0 THEN $7 - (n - 1) * $8 ELSE 0 END"
            ),
        );
        let author_count = SEED_AUTHORS.min(plan.users);
        self.seed_table(
            "articles",
            plan.articles,
            &articles,
            &[
                author_count,
                first_published,
                plan.likes,
                lpa,
                plan.comments,
                cpa,
            ],
            progress,
        )
        .await?;

        let article_tags = self.series_insert(
            "INSERT INTO article_tag (article_id, tag_id, position, published_at)",
            "(n + 1) / 2, CASE WHEN n % 2 = 1 THEN 1 + ((n + 1) / 2) % $3 \
             ELSE 1 + ((n / 2) * 7 + 3) % $3 END, 1 - n % 2, $4 + ((n + 1) / 2) * 60000",
        );
        self.seed_table(
            "tags of articles",
            plan.articles * 2,
            &article_tags,
            &[SEED_TAGS, first_published],
            progress,
        )
        .await?;

        let likes = self.series_insert(
            "INSERT INTO article_like (article_id, user_id, liked_at)",
            "(n - 1) / $3 + 1, (n - 1) % $3 + 1, $4",
        );
        self.seed_table("likes", plan.likes, &likes, &[lpa.max(1), now], progress)
            .await?;

        let comments = self.series_insert(
            "INSERT INTO comments (id, article_id, author_id, body_markdown, body_html, created_at)",
            "n, (n - 1) / $3 + 1, 1 + n % $4, 'Generated comment ' || n, \
             '<p>Generated comment ' || n || '</p>', $5 + n",
        );
        self.seed_table(
            "comments",
            plan.comments,
            &comments,
            &[cpa.max(1), plan.users, first_published],
            progress,
        )
        .await?;

        sqlx::query("DROP TABLE seed_phrase")
            .execute(&self.pool)
            .await?;
        let mut conn = self.pool.acquire().await?;
        super::articles::recount_published(&mut conn).await?;
        progress("search index", 0, 1);
        super::articles::index_for_search(&mut conn, self.dialect, None).await?;
        progress("search index", 1, 1);
        drop(conn);
        self.after_bulk_load().await
    }

    /// Brings id sequences past explicitly inserted ids and refreshes the
    /// planner's statistics (and, on PostgreSQL, the new rows' visibility).
    async fn after_bulk_load(&self) -> Result<()> {
        if self.dialect == Dialect::Postgres {
            for table in ["users", "articles", "tags", "comments", "login_failures"] {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                ))
                .execute(&self.pool)
                .await?;
            }
        }
        // PostgreSQL also wants the new rows' hint bits and visibility map
        // written once now rather than by the first readers.
        let refresh = match self.dialect {
            Dialect::Postgres => "VACUUM ANALYZE",
            Dialect::Sqlite => "ANALYZE",
        };
        sqlx::query(refresh).execute(&self.pool).await?;
        Ok(())
    }

    /// Copies every table of a site, except sessions and login failures,
    /// into an empty database, keeping ids; then compares row counts.
    pub async fn copy_site_to(
        &self,
        to: &SqlStore,
        progress: Progress<'_>,
    ) -> Result<Vec<(String, i64)>> {
        for table in &COPIED_TABLES {
            let there: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", table.name))
                .fetch_one(&to.pool)
                .await?;
            if there > 0 {
                return Err(StoreError::Config(format!(
                    "the destination already has {there} rows in {}: copy only into an empty site",
                    table.name
                )));
            }
        }
        let mut total = 0u64;
        let mut counts = Vec::new();
        for table in &COPIED_TABLES {
            let n = count_rows(&self.pool, table.name).await?;
            counts.push((table.name.to_owned(), n));
            total += n as u64;
        }
        let mut done = 0u64;
        let mut tx = to.pool.begin().await?;
        for table in &COPIED_TABLES {
            let columns = table
                .columns
                .iter()
                .map(|(name, _)| *name)
                .collect::<Vec<_>>()
                .join(", ");
            let select = format!(
                "SELECT {columns} FROM {} ORDER BY {}",
                table.name, table.order
            );
            let mut rows = sqlx::query(&select).fetch(&self.pool);
            let mut batch: Vec<AnyRow> = Vec::with_capacity(COPY_BATCH);
            while let Some(row) = rows.try_next().await? {
                batch.push(row);
                if batch.len() == COPY_BATCH {
                    insert_rows(&mut tx, table, &batch).await?;
                    done += batch.len() as u64;
                    progress(table.name, done, total);
                    batch.clear();
                }
            }
            insert_rows(&mut tx, table, &batch).await?;
            done += batch.len() as u64;
            progress(table.name, done, total);
        }
        // Kept counts and the search index are not copied: they are made
        // from the copied rows.
        super::articles::recount_published(&mut tx).await?;
        super::articles::index_for_search(&mut tx, to.dialect, None).await?;
        tx.commit().await?;
        to.after_bulk_load().await?;

        for (name, expected) in &counts {
            let copied = count_rows(&to.pool, name).await?;
            if copied != *expected {
                return Err(StoreError::Config(format!(
                    "{name}: {expected} rows in the source but {copied} in the destination"
                )));
            }
        }
        Ok(counts)
    }
}

async fn count_rows(pool: &AnyPool, table: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(pool)
        .await?)
}

const COPY_BATCH: usize = 500;

#[derive(Clone, Copy)]
enum Kind {
    Int,
    OptInt,
    Text,
    OptText,
    Bytes,
}

struct Table {
    name: &'static str,
    order: &'static str,
    columns: &'static [(&'static str, Kind)],
}

/// Parents before children, so foreign keys hold at every row.
const COPIED_TABLES: [Table; 9] = [
    Table {
        name: "users",
        order: "id",
        columns: &[
            ("id", Kind::Int),
            ("username", Kind::Text),
            ("email", Kind::Text),
            ("password_hash", Kind::Text),
            ("role", Kind::Text),
            ("created_at", Kind::Int),
            ("bio", Kind::Text),
            ("image", Kind::OptText),
        ],
    },
    Table {
        name: "user_follow",
        order: "follower_id, followee_id",
        columns: &[
            ("follower_id", Kind::Int),
            ("followee_id", Kind::Int),
            ("followed_at", Kind::Int),
        ],
    },
    Table {
        name: "site_keys",
        order: "name",
        columns: &[("name", Kind::Text), ("value", Kind::Bytes)],
    },
    Table {
        name: "images",
        order: "id",
        columns: &[
            ("id", Kind::Text),
            ("width", Kind::Int),
            ("height", Kind::Int),
            ("widths", Kind::Text),
            ("original", Kind::Text),
            ("alt", Kind::Text),
            ("caption", Kind::Text),
            ("uploaded_by", Kind::OptInt),
            ("created_at", Kind::Int),
        ],
    },
    Table {
        name: "articles",
        order: "id",
        columns: &[
            ("id", Kind::Int),
            ("slug", Kind::Text),
            ("author_id", Kind::Int),
            ("headline", Kind::Text),
            ("summary", Kind::Text),
            ("body_markdown", Kind::Text),
            ("body_html", Kind::Text),
            ("body_text", Kind::Text),
            ("status", Kind::Text),
            ("published_at", Kind::OptInt),
            ("first_published_at", Kind::OptInt),
            ("revised_at", Kind::OptInt),
            ("created_at", Kind::Int),
            ("updated_at", Kind::Int),
            ("like_count", Kind::Int),
            ("comment_count", Kind::Int),
            ("cover_image_id", Kind::OptText),
        ],
    },
    Table {
        name: "tags",
        order: "id",
        columns: &[
            ("id", Kind::Int),
            ("name", Kind::Text),
            ("slug", Kind::Text),
        ],
    },
    Table {
        name: "article_tag",
        order: "article_id, tag_id",
        columns: &[
            ("article_id", Kind::Int),
            ("tag_id", Kind::Int),
            ("position", Kind::Int),
            ("published_at", Kind::OptInt),
        ],
    },
    Table {
        name: "article_like",
        order: "article_id, user_id",
        columns: &[
            ("article_id", Kind::Int),
            ("user_id", Kind::Int),
            ("liked_at", Kind::Int),
        ],
    },
    Table {
        // Ordered by id: a reply's parent always has the smaller id.
        name: "comments",
        order: "id",
        columns: &[
            ("id", Kind::Int),
            ("article_id", Kind::Int),
            ("parent_id", Kind::OptInt),
            ("author_id", Kind::Int),
            ("body_markdown", Kind::Text),
            ("body_html", Kind::Text),
            ("created_at", Kind::Int),
            ("edited_at", Kind::OptInt),
            ("deleted_at", Kind::OptInt),
            ("hidden_at", Kind::OptInt),
            ("hidden_by", Kind::OptInt),
        ],
    },
];

/// One multi-row INSERT for a batch of rows read from the source.
async fn insert_rows(conn: &mut sqlx::AnyConnection, table: &Table, rows: &[AnyRow]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let width = table.columns.len();
    let names = table
        .columns
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ");
    let tuples = (0..rows.len())
        .map(|r| {
            let cells = (1..=width)
                .map(|c| format!("${}", r * width + c))
                .collect::<Vec<_>>();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("INSERT INTO {} ({names}) VALUES {tuples}", table.name);
    let mut query = sqlx::query(&sql);
    for row in rows {
        for (i, (_, kind)) in table.columns.iter().enumerate() {
            query = match kind {
                Kind::Int => query.bind(row.try_get::<i64, _>(i)?),
                Kind::OptInt => query.bind(row.try_get::<Option<i64>, _>(i)?),
                Kind::Text => query.bind(row.try_get::<String, _>(i)?),
                Kind::OptText => query.bind(row.try_get::<Option<String>, _>(i)?),
                Kind::Bytes => query.bind(row.try_get::<Vec<u8>, _>(i)?),
            };
        }
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_words_are_distinct_and_frequent_ones_come_first() {
        assert_eq!(
            seed_word(1),
            "loka",
            "16 in base 16: at least two syllables"
        );
        let words: std::collections::HashSet<String> = (1..=SEED_WORDS).map(seed_word).collect();
        assert_eq!(words.len(), SEED_WORDS as usize);
        let phrases = seed_phrases();
        assert_eq!(phrases, seed_phrases(), "the same every run");
        let count = |word: &str| {
            phrases
                .iter()
                .filter(|p| p.split(' ').any(|w| w == word))
                .count()
        };
        let (common, typical, rare) = (
            count(&seed_word(2)),
            count(&seed_word(200)),
            count(&seed_word(2000)),
        );
        assert!(
            common > typical && typical > rare,
            "{common} {typical} {rare}"
        );
    }
}
