//! Accounts: creating them, logging in, profiles, follows, roles and passwords.

use super::SqlStore;
use super::rows::{UserRow, conflict_or, placeholders, storable};
use crate::domain::user::{NewUser, Role, User, Username};
use crate::store::{Account, AccountUpdate, Profile, Result, StoreError, UserSummary};
use sqlx::{FromRow, Row};

impl SqlStore {
    pub async fn create_user(&self, user: &NewUser, now: i64) -> Result<User> {
        let id: std::result::Result<i64, _> = sqlx::query_scalar(
            "INSERT INTO users (username, email, password_hash, role, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user.username.as_str())
        .bind(user.email.as_str())
        .bind(&user.password_hash)
        .bind(user.role.as_str())
        .bind(now)
        .fetch_one(&self.pool)
        .await;
        let id = match id {
            Ok(id) => id,
            Err(e) => {
                return Err(match conflict_or(e, &["username", "email"]) {
                    // When both are taken, the backends name different
                    // constraints first; the username is reported, on both.
                    StoreError::Conflict(_) => {
                        StoreError::Conflict(self.taken_field(&user.username).await?)
                    }
                    other => other,
                });
            }
        };
        Ok(User {
            id,
            username: user.username.as_str().to_owned(),
            email: user.email.as_str().to_owned(),
            role: user.role,
        })
    }

    /// After a unique violation on a new user: "username" when the username
    /// is taken, else "email".
    pub(super) async fn taken_field(&self, username: &Username) -> Result<&'static str> {
        let username_taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
                .bind(username.as_str())
                .fetch_optional(&self.pool)
                .await?;
        Ok(if username_taken.is_some() {
            "username"
        } else {
            "email"
        })
    }

    pub async fn user_for_login(&self, name_or_email: &str) -> Result<Option<(User, String)>> {
        if !storable(&[name_or_email]) {
            return Ok(None);
        }
        let row = sqlx::query(
            "SELECT id, username, email, role, password_hash FROM users \
             WHERE username = $1 OR email = $1",
        )
        .bind(name_or_email)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let hash: String = row.try_get("password_hash")?;
        Ok(Some((UserRow::from_row(&row)?.into_user(), hash)))
    }

    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        if !storable(&[username]) {
            return Ok(None);
        }
        let row: Option<UserRow> =
            sqlx::query_as("SELECT id, username, email, role FROM users WHERE username = $1")
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(UserRow::into_user))
    }

    pub async fn list_users(&self) -> Result<Vec<UserSummary>> {
        #[derive(FromRow)]
        struct Row {
            id: i64,
            username: String,
            email: String,
            role: String,
            created_at: i64,
        }
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, username, email, role, created_at FROM users ORDER BY username",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| UserSummary {
                id: r.id,
                username: r.username,
                email: r.email,
                role: Role::parse(&r.role).unwrap_or(Role::Reader),
                created_at: r.created_at,
            })
            .collect())
    }

    pub async fn account(&self, user_id: i64) -> Result<Option<Account>> {
        let row =
            sqlx::query("SELECT id, username, email, role, bio, image FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Account {
            bio: row.try_get("bio")?,
            image: row.try_get("image")?,
            user: UserRow::from_row(&row)?.into_user(),
        }))
    }

    pub async fn update_account(&self, user_id: i64, update: &AccountUpdate) -> Result<Account> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE users SET username = COALESCE(CAST($1 AS TEXT), username), \
             email = COALESCE(CAST($2 AS TEXT), email), \
             password_hash = COALESCE(CAST($3 AS TEXT), password_hash), \
             bio = COALESCE(CAST($4 AS TEXT), bio), \
             image = CASE WHEN $5 = 1 THEN CAST($6 AS TEXT) ELSE image END \
             WHERE id = $7",
        )
        .bind(update.username.as_deref())
        .bind(update.email.as_deref())
        .bind(update.password_hash.as_deref())
        .bind(update.bio.as_deref())
        .bind(i64::from(update.image.is_some()))
        .bind(update.image.clone().flatten())
        .bind(user_id)
        .execute(&mut *tx)
        .await
        .map_err(|e| conflict_or(e, &["username", "email"]))?;
        if let Some(username) = &update.username {
            // Searching by author name finds the new name at once.
            sqlx::query(&format!(
                "UPDATE article_search SET author = $1 WHERE {} IN \
                 (SELECT id FROM articles WHERE author_id = $2)",
                self.dialect.search_id()
            ))
            .bind(username)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        if update.password_hash.is_some() {
            // A new password ends the sessions opened with the old one.
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.account(user_id)
            .await?
            .ok_or(StoreError::Database(sqlx::Error::RowNotFound))
    }

    pub async fn profile(&self, username: &str, viewer: Option<i64>) -> Result<Option<Profile>> {
        if !storable(&[username]) {
            return Ok(None);
        }
        let row: Option<(String, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT u.username, u.bio, u.image, CAST(CASE WHEN EXISTS (SELECT 1 FROM user_follow f \
                 WHERE f.follower_id = $2 AND f.followee_id = u.id) THEN 1 ELSE 0 END AS BIGINT) \
             FROM users u WHERE u.username = $1",
        )
        .bind(username)
        .bind(viewer.unwrap_or(-1))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(username, bio, image, following)| Profile {
            username,
            bio,
            image,
            following: following != 0,
        }))
    }

    pub async fn profiles(
        &self,
        usernames: &[String],
        viewer: Option<i64>,
    ) -> Result<Vec<Profile>> {
        if usernames.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT u.username, u.bio, u.image, CAST(CASE WHEN EXISTS (SELECT 1 FROM user_follow f \
                 WHERE f.follower_id = $1 AND f.followee_id = u.id) THEN 1 ELSE 0 END AS BIGINT) \
             FROM users u WHERE u.username IN ({})",
            placeholders(2, usernames.len())
        );
        let mut query = sqlx::query_as::<_, (String, String, Option<String>, i64)>(&sql)
            .bind(viewer.unwrap_or(-1));
        for name in usernames {
            query = query.bind(name.as_str());
        }
        Ok(query
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|(username, bio, image, following)| Profile {
                username,
                bio,
                image,
                following: following != 0,
            })
            .collect())
    }

    pub async fn set_follow(
        &self,
        follower_id: i64,
        username: &str,
        follow: bool,
        now: i64,
    ) -> Result<Option<Profile>> {
        if !storable(&[username]) {
            return Ok(None);
        }
        let followee: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        let Some(followee) = followee else {
            return Ok(None);
        };
        if follow && followee != follower_id {
            sqlx::query(
                "INSERT INTO user_follow (follower_id, followee_id, followed_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (follower_id, followee_id) DO NOTHING",
            )
            .bind(follower_id)
            .bind(followee)
            .bind(now)
            .execute(&self.pool)
            .await?;
        } else if !follow {
            sqlx::query("DELETE FROM user_follow WHERE follower_id = $1 AND followee_id = $2")
                .bind(follower_id)
                .bind(followee)
                .execute(&self.pool)
                .await?;
        }
        self.profile(username, Some(follower_id)).await
    }

    pub async fn set_role(&self, user_id: i64, role: Role) -> Result<bool> {
        let done = sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn set_password(&self, user_id: i64, password_hash: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        // A new password ends every session opened with the old one.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
