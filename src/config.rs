//! Command-line and environment configuration. Every flag can also be set
//! with a `NEWSROOM_*` variable.

use clap::{Args, Parser, Subcommand};
use std::fmt;
use std::net::SocketAddr;

#[derive(Debug, Parser)]
#[command(
    name = "newsroom",
    version,
    about = "A self-hosted news publishing platform"
)]
pub struct Cli {
    /// Log lines as text for people or as JSON for log collectors.
    #[arg(
        long,
        global = true,
        env = "NEWSROOM_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    pub log_format: crate::telemetry::LogFormat,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web site and the desk.
    Serve(ServeArgs),
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Copy a whole site (sessions excepted) into an empty database, for
    /// example from SQLite to PostgreSQL, and verify the row counts.
    MigrateData(MigrateDataArgs),
    /// Fill an empty database with a generated site for benchmarks.
    SeedBench(SeedBenchArgs),
}

#[derive(Debug, Args)]
pub struct MigrateDataArgs {
    /// The site to copy from.
    #[arg(long, env = "NEWSROOM_MIGRATE_FROM")]
    pub from: DatabaseUrl,
    /// An empty database to copy into (its schema is created).
    #[arg(long, env = "NEWSROOM_MIGRATE_TO")]
    pub to: DatabaseUrl,
}

#[derive(Debug, Args)]
pub struct SeedBenchArgs {
    #[arg(long, env = "NEWSROOM_SEED_ARTICLES", default_value_t = 10_000)]
    pub articles: i64,
    #[arg(long, env = "NEWSROOM_SEED_USERS", default_value_t = 1_000)]
    pub users: i64,
    #[arg(long, env = "NEWSROOM_SEED_LIKES", default_value_t = 100_000)]
    pub likes: i64,
    #[arg(long, env = "NEWSROOM_SEED_COMMENTS", default_value_t = 20_000)]
    pub comments: i64,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Where the data lives: sqlite://PATH (created if missing with ?mode=rwc).
    #[arg(
        long,
        env = "NEWSROOM_DATABASE_URL",
        default_value = "sqlite://newsroom.db?mode=rwc"
    )]
    pub database_url: DatabaseUrl,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "NEWSROOM_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    #[command(flatten)]
    pub database: DatabaseArgs,

    /// Fill an empty site with demo articles, users, likes and comments, and
    /// print an editor's login.
    #[arg(long, env = "NEWSROOM_DEMO")]
    pub demo: bool,

    /// Mark the session cookie Secure: set this when the site is served over https.
    #[arg(long, env = "NEWSROOM_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// Take the client address from the last X-Forwarded-For entry: set this
    /// only behind a reverse proxy that sets that header.
    #[arg(long, env = "NEWSROOM_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,

    /// Key for signing API tokens (at least 32 characters). Without it a key
    /// is generated on first start and kept in the database.
    #[arg(long, env = "NEWSROOM_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<Secret>,

    /// Browser front ends on other origins that may call the JSON API:
    /// comma-separated origins (https://app.example.org), or * for any.
    #[arg(long, env = "NEWSROOM_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,

    /// Let every account write and publish its own articles, as on the
    /// RealWorld ("Conduit") platform, in the desk and through the API.
    /// Off: authors write drafts and editors publish.
    #[arg(long, env = "NEWSROOM_OPEN_PUBLISHING")]
    pub open_publishing: bool,

    /// How many days an API token stays valid.
    #[arg(long, env = "NEWSROOM_TOKEN_DAYS", default_value_t = 30)]
    pub token_days: u32,

    /// On SIGTERM or Ctrl-C, stop accepting and give requests in flight this
    /// many seconds to finish before exiting.
    #[arg(long, env = "NEWSROOM_SHUTDOWN_GRACE_SECONDS", default_value_t = 30)]
    pub shutdown_grace_seconds: u64,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is asked for, or read from stdin.
    Add(UserAddArgs),
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// Login name: 3–32 letters, digits, '_' or '-'.
    pub username: String,
    #[arg(long, env = "NEWSROOM_USER_EMAIL")]
    pub email: String,
    /// reader, author, editor or admin.
    #[arg(long, env = "NEWSROOM_USER_ROLE", default_value = "reader")]
    pub role: String,
    /// Read the password from the first line of standard input instead of a prompt.
    #[arg(long, env = "NEWSROOM_PASSWORD_STDIN")]
    pub password_stdin: bool,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// A database URL whose password never shows in logs or `Debug` output.
#[derive(Clone)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for DatabaseUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim().is_empty() {
            return Err("the database URL is empty".to_owned());
        }
        Ok(Self(s.to_owned()))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl fmt::Display for DatabaseUrl {
    /// Shows the URL with any `user:password@` reduced to `***@`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0.find("://"), self.0.rfind('@')) {
            (Some(scheme_end), Some(at)) if at > scheme_end => {
                write!(f, "{}://***{}", &self.0[..scheme_end], &self.0[at..])
            }
            _ => f.write_str(&self.0),
        }
    }
}

/// A secret from configuration; never shown by `Debug`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for Secret {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() < 32 {
            return Err("a secret needs at least 32 characters".to_owned());
        }
        Ok(Self(s.to_owned()))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Settings the web layer needs at run time.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub secure_cookies: bool,
    pub trust_forwarded_for: bool,
    /// Signs API tokens; when absent, a key generated once per site is used.
    pub jwt_secret: Option<Secret>,
    /// How long an API token is valid.
    pub token_ttl_secs: i64,
    /// Origins allowed to call the API from a browser ("*" for any).
    pub cors_origins: Vec<String>,
    /// Who may write, publish, edit and delete articles.
    pub policy: crate::domain::policy::Policy,
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            trust_forwarded_for: false,
            jwt_secret: None,
            token_ttl_secs: 30 * 24 * 3600,
            cors_origins: Vec::new(),
            policy: crate::domain::policy::Policy::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_hide_credentials() {
        let url: DatabaseUrl = "postgres://news:hunter2@db:5432/news"
            .parse()
            .expect("valid");
        assert_eq!(format!("{url:?}"), "postgres://***@db:5432/news");
        let url: DatabaseUrl = "sqlite://newsroom.db?mode=rwc".parse().expect("valid");
        assert_eq!(url.to_string(), "sqlite://newsroom.db?mode=rwc");
    }

    #[test]
    fn the_cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
