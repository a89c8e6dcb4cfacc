//! Command-line and environment configuration. Every flag can also be set
//! with a `NEWSROOM_*` variable.

use crate::domain::rate::Rates;
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
    Serve(Box<ServeArgs>),
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Copy a whole site (sessions excepted) into an empty database, for
    /// example from SQLite to PostgreSQL, and verify the row counts.
    MigrateData(MigrateDataArgs),
    /// Fill an empty database with a generated site for benchmarks.
    SeedBench(SeedBenchArgs),
    /// Automatic tags: suggest them for a text, or add them to every article.
    #[command(subcommand)]
    Tags(TagsCommand),
}

#[derive(Debug, Subcommand)]
pub enum TagsCommand {
    /// Print the people, organisations and places a text is about, most
    /// salient first, with kind and score.
    Suggest(TagsSuggestArgs),
    /// Add confident suggestions to every article's tags, with a progress bar.
    Backfill(TagsBackfillArgs),
}

#[derive(Debug, Args)]
pub struct TagsSuggestArgs {
    /// A plain-text or Markdown file; - reads standard input. A first line
    /// "# …" is the headline, unless --headline gives it.
    pub file: std::path::PathBuf,
    /// The article's headline; the whole file is then its body.
    #[arg(long, conflicts_with = "input")]
    pub headline: Option<String>,
    /// What the file holds: an article as text, one JSON object
    /// {"headline", "summary", "body"}, or JSON Lines of such objects (each
    /// may carry an "id"), answered with one JSON line per article.
    #[arg(long, value_enum, default_value_t = SuggestInput::Text)]
    pub input: SuggestInput,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// The most suggestions to print.
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub limit: u16,
    /// Also use this site's person, organisation and place tags (and their
    /// other names); without it only the built-in gazetteer is used.
    #[arg(long, env = "NEWSROOM_DATABASE_URL")]
    pub database_url: Option<DatabaseUrl>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SuggestInput {
    Text,
    Json,
    Jsonl,
}

#[derive(Debug, Args)]
pub struct TagsBackfillArgs {
    /// Add suggestions at least this confident (0.5 to 1).
    #[arg(long, default_value = "0.75", value_parser = parse_confidence)]
    pub min_confidence: f64,
    /// Report what would be added without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub database: DatabaseArgs,
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

    /// The site's public address (https://news.example.org), used for every
    /// absolute link: feeds, sitemaps, canonical URLs, structured data.
    /// Default: the address the server listens on.
    #[arg(long, env = "NEWSROOM_BASE_URL")]
    pub base_url: Option<BaseUrl>,

    /// The site's name: in the header, page titles, feeds and news sitemaps.
    #[arg(long, env = "NEWSROOM_SITE_NAME", default_value = "Newsroom")]
    pub site_name: SiteName,

    /// The language of the site's articles (a BCP 47 tag such as en or
    /// de-CH), for page markup, feeds and news sitemaps.
    #[arg(long, env = "NEWSROOM_SITE_LANGUAGE", default_value = "en")]
    pub site_language: Language,

    /// What feeds carry of each article: its summary, or the full text.
    #[arg(
        long,
        env = "NEWSROOM_FEED_CONTENT",
        value_enum,
        default_value = "summary"
    )]
    pub feed_content: FeedContent,

    /// Where cover images are kept: a directory, made if missing. Instances
    /// sharing a database must share it.
    #[arg(long, env = "NEWSROOM_MEDIA_DIR", default_value = "newsroom-media")]
    pub media_dir: std::path::PathBuf,

    /// The largest image upload accepted, in megabytes.
    #[arg(long, env = "NEWSROOM_MAX_UPLOAD_MB", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub max_upload_mb: u32,

    /// Add suggested tags at least this confident (a number from 0.5 to 1)
    /// when an article is published. Off by default: people tag.
    #[arg(long, env = "NEWSROOM_AUTO_TAG_CONFIDENCE", value_parser = parse_confidence)]
    pub auto_tag_confidence: Option<f64>,

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

    /// How many password hashes (logins, registrations) may run at once;
    /// each takes 19 MiB. Others wait up to 5 seconds, then get a 503.
    /// Default: one per core, at most 13 (256 MiB).
    #[arg(long, env = "NEWSROOM_MAX_CONCURRENT_HASHES", value_parser = clap::value_parser!(u32).range(1..=256))]
    pub max_concurrent_hashes: Option<u32>,

    /// Open connections at most; more wait to be accepted. Default: 10,000,
    /// or fewer to stay within the process's open-file limit.
    #[arg(long, env = "NEWSROOM_MAX_CONNECTIONS", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: Option<u32>,

    /// Open connections from one client address at most (0: no cap); more
    /// are answered 429. Default 64, or no cap with --trust-forwarded-for
    /// (every connection then comes from the proxy).
    #[arg(long, env = "NEWSROOM_MAX_CONNECTIONS_PER_ADDRESS")]
    pub max_connections_per_address: Option<u32>,

    /// Seconds a client has to send a request's headers, from connecting or
    /// from the end of the previous response (so also the keep-alive idle
    /// timeout).
    #[arg(long, env = "NEWSROOM_HEADER_TIMEOUT_SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout_seconds: u64,

    #[command(flatten)]
    pub rate_limits: RateLimitArgs,
}

/// How often one client may act: comma-separated rules COUNT/PERIOD
/// (s, min, h or d), such as 1/15s,30/h, or off.
#[derive(Debug, Clone, Args)]
pub struct RateLimitArgs {
    /// Comments per account.
    #[arg(long, env = "NEWSROOM_COMMENT_RATE", default_value = crate::limits::DEFAULT_COMMENTS)]
    pub comment_rate: Rates,
    /// Comments per client address, whichever accounts write them.
    #[arg(long, env = "NEWSROOM_COMMENT_RATE_PER_ADDRESS", default_value = crate::limits::DEFAULT_COMMENTS_PER_ADDRESS)]
    pub comment_rate_per_address: Rates,
    /// Likes and unlikes per account.
    #[arg(long, env = "NEWSROOM_LIKE_RATE", default_value = crate::limits::DEFAULT_LIKES)]
    pub like_rate: Rates,
    /// New accounts per client address.
    #[arg(long, env = "NEWSROOM_REGISTRATION_RATE_PER_ADDRESS", default_value = crate::limits::DEFAULT_REGISTRATIONS_PER_ADDRESS)]
    pub registration_rate_per_address: Rates,
    /// Searches per client address (the site's and the API's).
    #[arg(long, env = "NEWSROOM_SEARCH_RATE_PER_ADDRESS", default_value = crate::limits::DEFAULT_SEARCHES_PER_ADDRESS)]
    pub search_rate_per_address: Rates,
    /// API requests per token.
    #[arg(long, env = "NEWSROOM_API_RATE_PER_TOKEN", default_value = crate::limits::DEFAULT_API_PER_TOKEN)]
    pub api_rate_per_token: Rates,
}

impl From<RateLimitArgs> for crate::limits::RateLimits {
    fn from(args: RateLimitArgs) -> Self {
        Self {
            comments: args.comment_rate,
            comments_per_address: args.comment_rate_per_address,
            likes: args.like_rate,
            registrations_per_address: args.registration_rate_per_address,
            searches_per_address: args.search_rate_per_address,
            api_per_token: args.api_rate_per_token,
        }
    }
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

/// The public address of the site: `http(s)://host[:port]`, kept without a
/// trailing slash so paths append to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for BaseUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let url = s.trim().trim_end_matches('/');
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or("the base URL starts with http:// or https://")?;
        if rest.is_empty()
            || rest
                .chars()
                .any(|c| matches!(c, '/' | '?' | '#' | '@') || c.is_whitespace() || c.is_control())
        {
            return Err(
                "the base URL is a scheme and host, like https://news.example.org (the site is served at its root)"
                    .to_owned(),
            );
        }
        Ok(Self(url.to_owned()))
    }
}

/// The site's name as people see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteName(String);

impl SiteName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for SiteName {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::domain::bounded_text(s, "The site name", 1, 100)
            .map(Self)
            .map_err(|e| e.0)
    }
}

/// A BCP 47 language tag: letters and digits in parts joined by '-'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language(String);

impl Language {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for Language {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let tag = s.trim();
        let well_formed = !tag.is_empty()
            && tag.len() <= 35
            && tag.split('-').all(|part| {
                (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
            });
        if well_formed {
            Ok(Self(tag.to_owned()))
        } else {
            Err("a language is a BCP 47 tag such as en, fr or de-CH".to_owned())
        }
    }
}

/// What feeds carry of each article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FeedContent {
    Summary,
    Full,
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

/// A confidence threshold for automatic tags: below one half, most added
/// tags would be passing mentions.
pub fn parse_confidence(raw: &str) -> Result<f64, String> {
    let value: f64 = raw
        .trim()
        .parse()
        .map_err(|_| format!("{raw:?} is not a number"))?;
    if !(0.5..=1.0).contains(&value) {
        return Err("the confidence must be between 0.5 and 1".to_owned());
    }
    Ok(value)
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
    /// Where the site is, for absolute links.
    pub base_url: BaseUrl,
    pub site_name: SiteName,
    pub language: Language,
    pub feed_content: FeedContent,
    pub media_dir: std::path::PathBuf,
    /// The largest image upload accepted.
    pub max_upload_bytes: usize,
    /// Suggested tags at least this confident (0–1) are added when an
    /// article is published; `None` leaves tagging to people.
    pub auto_tag_confidence: Option<f64>,
    /// Password hashes running at once, and how long others wait.
    pub max_concurrent_hashes: usize,
    pub hash_queue_wait: std::time::Duration,
    /// What bounds the server's connections.
    pub connections: crate::server::ConnectionLimits,
    /// How often one account, address or token may act.
    pub rate_limits: crate::limits::RateLimits,
}

impl SiteConfig {
    /// An absolute URL for a path of this site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url.as_str())
    }
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
            base_url: BaseUrl("http://localhost:8080".to_owned()),
            site_name: SiteName("Newsroom".to_owned()),
            language: Language("en".to_owned()),
            feed_content: FeedContent::Summary,
            media_dir: std::path::PathBuf::from("newsroom-media"),
            max_upload_bytes: 10 * 1024 * 1024,
            auto_tag_confidence: None,
            max_concurrent_hashes: crate::auth::password::default_max_concurrent(),
            hash_queue_wait: crate::auth::password::DEFAULT_QUEUE_WAIT,
            connections: crate::server::ConnectionLimits::default(),
            rate_limits: crate::limits::RateLimits::default(),
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
    fn base_urls_are_a_scheme_and_host() {
        let url: BaseUrl = "https://news.example.org/".parse().expect("valid");
        assert_eq!(url.as_str(), "https://news.example.org");
        assert!("http://127.0.0.1:8080".parse::<BaseUrl>().is_ok());
        for bad in [
            "news.example.org",
            "ftp://x",
            "https://",
            "https://x/news",
            "https://x?a",
            "https://a b",
        ] {
            assert!(bad.parse::<BaseUrl>().is_err(), "{bad}");
        }
    }

    #[test]
    fn languages_are_bcp47_shaped() {
        for good in ["en", "de-CH", "zh-Hant-TW"] {
            assert!(good.parse::<Language>().is_ok(), "{good}");
        }
        for bad in ["", "en_GB", "toolonglanguage", "en-", "<x>"] {
            assert!(bad.parse::<Language>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
