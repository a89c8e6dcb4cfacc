//! Fresh databases for tests: a temporary SQLite file, or a PostgreSQL
//! schema of its own on the server named by `NEWSROOM_TEST_POSTGRES_URL`, so
//! tests run in parallel without seeing each other's rows.

use sqlx::Connection;
use sqlx::postgres::PgConnection;
use std::sync::Once;

pub const POSTGRES_ENV: &str = "NEWSROOM_TEST_POSTGRES_URL";

/// A database that lives as long as this value.
pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(
        #[expect(dead_code, reason = "held so the directory outlives the test")] tempfile::TempDir,
    ),
    Postgres {
        admin_url: String,
        schema: String,
    },
}

impl TestDb {
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
        Self {
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A new schema on the test PostgreSQL server, or `None` (with one line
    /// saying so) when no server is configured.
    pub async fn postgres() -> Option<Self> {
        let Ok(admin_url) = std::env::var(POSTGRES_ENV) else {
            static SAID: Once = Once::new();
            SAID.call_once(|| {
                eprintln!(
                    "{POSTGRES_ENV} is not set: the PostgreSQL half of the tests was skipped"
                );
            });
            return None;
        };
        let schema = format!(
            "nr_test_{}",
            newsroom::auth::session::new_token()[..16].to_owned()
        );
        let mut admin = PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
            panic!("{POSTGRES_ENV} is set but PostgreSQL cannot be reached: {e}")
        });
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut admin)
            .await
            .expect("create schema");
        let separator = if admin_url.contains('?') { '&' } else { '?' };
        let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}");
        Some(Self {
            url,
            cleanup: Cleanup::Postgres { admin_url, schema },
        })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, schema } = &self.cleanup {
            let (admin_url, schema) = (admin_url.clone(), schema.clone());
            // Drop runs inside the test's runtime, which cannot block on
            // itself: a short-lived thread with its own runtime does it.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                runtime.block_on(async {
                    let mut admin = PgConnection::connect(&admin_url).await.ok()?;
                    sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                        .execute(&mut admin)
                        .await
                        .ok()
                })
            })
            .join();
        }
    }
}

/// Runs `async fn NAME(db: TestDb)` once per backend, as the tests
/// `NAME::sqlite` and `NAME::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    super::$name($crate::db::TestDb::sqlite()).await;
                }

                #[tokio::test]
                async fn postgres() {
                    if let Some(db) = $crate::db::TestDb::postgres().await {
                        super::$name(db).await;
                    }
                }
            }
        )*
    };
}
