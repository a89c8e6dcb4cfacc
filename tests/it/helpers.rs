//! The test harness: `TestApp` runs a server; `Browser` is one person with
//! their own cookie jar, who fills in forms the way a browser would.

use crate::db::TestDb;
use newsroom::app::{AppState, serve};
use newsroom::auth::password;
use newsroom::clock::{Clock, system_millis};
use newsroom::config::SiteConfig;
use newsroom::domain::user::{Email, NewUser, Password, Role, Username};
use newsroom::store::Store;
use reqwest::StatusCode;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    url: String,
    _db: Option<TestDb>,
    /// The app's own media directory, unless the config named one.
    _media: Option<tempfile::TempDir>,
}

impl TestApp {
    /// A server on a fresh SQLite database.
    pub async fn spawn() -> Self {
        Self::on(TestDb::sqlite()).await
    }

    /// A server on the given fresh database.
    pub async fn on(db: TestDb) -> Self {
        let mut app = Self::at_url(&db.url).await;
        app._db = Some(db);
        app
    }

    /// A server with its own settings on the given fresh database.
    pub async fn on_configured(db: TestDb, config: SiteConfig) -> Self {
        let mut app = Self::configured(&db.url, config).await;
        app._db = Some(db);
        app
    }

    /// Another instance on a database some other value keeps alive. Rate
    /// limits are off, as most tests act faster than people (their clock
    /// stands still); the tests of limits set them.
    pub async fn at_url(url: &str) -> Self {
        let config = SiteConfig {
            rate_limits: newsroom::limits::RateLimits::off(),
            ..SiteConfig::default()
        };
        Self::configured(url, config).await
    }

    /// An instance with its own settings.
    /// Absolute links point at the test server unless `config` names
    /// another base URL.
    pub async fn configured(url: &str, mut config: SiteConfig) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        if config.base_url == SiteConfig::default().base_url {
            config.base_url = base.parse().expect("base URL");
        }
        let media = (config.media_dir == SiteConfig::default().media_dir)
            .then(|| tempfile::tempdir().expect("media directory"));
        if let Some(dir) = &media {
            config.media_dir = dir.path().to_owned();
        }
        let store = Store::connect(url).await.expect("database opens");
        let state = AppState::new(store, config, Clock::manual(system_millis()))
            .await
            .expect("state");
        tokio::spawn(serve(listener, state.clone(), std::future::pending()));
        Self {
            base,
            state,
            url: url.to_owned(),
            _db: None,
            _media: media,
        }
    }

    /// The URL of the database this instance serves.
    pub fn db_url(&self) -> &str {
        &self.url
    }

    pub fn store(&self) -> &Store {
        &self.state.store
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// A browser whose connections come from `address` (e.g. "127.0.0.2").
    pub fn browser_from(&self, address: &str) -> Browser {
        Browser::from_address(&self.base, Some(address.parse().expect("an address")))
    }

    /// Creates an account directly in the store (set-up, not the thing
    /// under test) and returns a browser logged in as it over HTTP.
    pub async fn user(&self, role: Role) -> (Browser, String) {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!("{}{}", role.as_str(), NEXT.fetch_add(1, Ordering::SeqCst));
        let new_user = NewUser {
            username: Username::parse(&name).expect("username"),
            email: Email::parse(&format!("{name}@example.org")).expect("email"),
            password_hash: password_hash().await,
            role,
        };
        self.store()
            .create_user(&new_user, system_millis())
            .await
            .expect("user");
        let browser = self.browser();
        let page = browser.login(&name, PASSWORD).await;
        assert!(
            page.body.contains(&format!("/authors/{name}")),
            "logged in as {name}"
        );
        (browser, name)
    }

    /// An editor's browser.
    pub async fn editor(&self) -> Browser {
        self.user(Role::Editor).await.0
    }

    /// Publishes an article through the desk as a new editor; returns its slug.
    pub async fn publish(&self, headline: &str, body: &str, tags: &str) -> String {
        Self::publish_as(&self.editor().await, headline, body, tags).await
    }

    /// Publishes an article through the desk as `editor`; returns its slug.
    pub async fn publish_as(editor: &Browser, headline: &str, body: &str, tags: &str) -> String {
        let page = editor
            .submit(
                "/desk/new",
                "/desk/new",
                &[
                    ("headline", headline),
                    ("summary", "A summary."),
                    ("body", body),
                    ("tags", tags),
                    ("slug", ""),
                    ("action", "publish"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Published."), "{}", page.body);
        page.link_after("View on the site</a>").unwrap_or_else(|| {
            extract_between(&page.body, "<a href=\"/articles/", "\"").expect("article link")
        })
    }

    pub fn advance_clock(&self, millis: i64) {
        self.state.clock.advance(millis);
    }
}

pub struct Page {
    pub status: StatusCode,
    pub url: String,
    pub body: String,
}

impl Page {
    pub fn csrf(&self) -> String {
        extract_between(&self.body, "name=\"csrf\" value=\"", "\"").expect("page has a CSRF token")
    }

    /// The slug of the article linked just before `marker`.
    fn link_after(&self, marker: &str) -> Option<String> {
        let end = self.body.find(marker)?;
        let start = self.body[..end].rfind("href=\"/articles/")? + "href=\"/articles/".len();
        Some(self.body[start..].split('"').next()?.to_owned())
    }

    /// The number in `data-NAME="N"` (first occurrence).
    pub fn data_count(&self, name: &str) -> i64 {
        extract_between(&self.body, &format!("data-{name}=\""), "\"")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no data-{name} on the page"))
    }

    /// Whether the page shows `text`, reading HTML character references as
    /// the characters they stand for.
    pub fn shows(&self, text: &str) -> bool {
        unescape_html(&self.body).contains(text)
    }

    pub fn path(&self) -> String {
        let after_host = self.url.splitn(4, '/').nth(3).unwrap_or_default();
        format!("/{after_host}")
    }
}

/// Text or an attribute value as a browser reads it: character references
/// for the characters the templates escape become those characters.
pub fn unescape_html(html: &str) -> String {
    html.replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#60;", "<")
        .replace("&lt;", "<")
        .replace("&#62;", ">")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

pub fn extract_between(text: &str, start: &str, end: &str) -> Option<String> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(text[from..to].to_owned())
}

#[derive(Clone)]
pub struct Browser {
    pub client: reqwest::Client,
    /// Shares the cookie jar with `client` but does not follow redirects.
    raw: reqwest::Client,
    jar: std::sync::Arc<reqwest::cookie::Jar>,
    base: String,
}

impl Browser {
    /// A person with an empty cookie jar visiting the site at `base`.
    pub fn new(base: &str) -> Self {
        Self::from_address(base, None)
    }

    /// A person connecting from `address` (any of 127.0.0.0/8 reaches a test
    /// server on 127.0.0.1), so tests can be several clients for real.
    pub fn from_address(base: &str, address: Option<std::net::IpAddr>) -> Self {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .local_address(address)
            .build()
            .expect("client");
        let raw = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .local_address(address)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Self {
            client,
            raw,
            jar,
            base: base.to_owned(),
        }
    }

    /// The same person (same cookies) visiting another instance of the site.
    pub fn at(&self, base: &str) -> Self {
        Self {
            base: base.to_owned(),
            ..self.clone()
        }
    }

    /// The value of a cookie the site has set in this browser.
    pub fn cookie(&self, name: &str) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let url = self.base.parse().ok()?;
        let header = self.jar.cookies(&url)?;
        header.to_str().ok()?.split("; ").find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key == name).then(|| value.to_owned())
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn page(response: reqwest::Response) -> Page {
        let status = response.status();
        let url = response.url().to_string();
        let body = response.text().await.expect("body");
        Page { status, url, body }
    }

    pub async fn get(&self, path: &str) -> Page {
        Self::page(self.client.get(self.url(path)).send().await.expect("GET")).await
    }

    /// Posts a form as-is (the caller supplies any CSRF token) and follows
    /// the redirect, keeping its `#fragment` in `Page::url` as a browser would.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let response = self
            .raw
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("POST");
        self.follow(response).await
    }

    /// Posts a form with a file input as a browser does, as
    /// `multipart/form-data`: `fields` in order, then `file` as (field name,
    /// file name, media type, bytes). Follows the redirect like `post`.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &str, &[u8])>,
    ) -> Page {
        const BOUNDARY: &str = "----newsroom-test-7d93b1f0";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        if let Some((name, file_name, content_type, bytes)) = file {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                     filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let response = self
            .raw
            .post(self.url(path))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body)
            .send()
            .await
            .expect("POST");
        self.follow(response).await
    }

    /// Follows a redirect answering a form, keeping its `#fragment` in
    /// `Page::url` as a browser would.
    async fn follow(&self, response: reqwest::Response) -> Page {
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_owned);
        match location {
            Some(location) if response.status().is_redirection() => {
                let target = if location.starts_with('/') {
                    self.url(&location)
                } else {
                    location
                };
                let mut page =
                    Self::page(self.client.get(&target).send().await.expect("GET")).await;
                if let Some((_, fragment)) = target.split_once('#') {
                    page.url = format!("{}#{fragment}", page.url);
                }
                page
            }
            _ => Self::page(response).await,
        }
    }

    /// Opens `form_page`, takes its CSRF token, and posts `fields` to
    /// `action`, as a person filling in the form would.
    pub async fn submit(&self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.get(form_page).await.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    pub async fn login(&self, login: &str, password: &str) -> Page {
        self.submit(
            "/login",
            "/login",
            &[("login", login), ("password", password)],
        )
        .await
    }

    pub async fn register(&self, username: &str, email: &str, password: &str, next: &str) -> Page {
        let form = format!("/register?next={next}");
        self.submit(
            &form,
            "/register",
            &[
                ("username", username),
                ("email", email),
                ("password", password),
                ("next", next),
            ],
        )
        .await
    }

    /// Likes or unlikes from the article page's like form.
    pub async fn like(&self, slug: &str, action: &str) -> Page {
        let path = format!("/articles/{slug}");
        self.submit(&path, &format!("{path}/like"), &[("action", action)])
            .await
    }

    pub async fn comment(&self, slug: &str, body: &str, parent: Option<i64>) -> Page {
        let path = format!("/articles/{slug}");
        let parent = parent.map(|p| p.to_string()).unwrap_or_default();
        self.submit(
            &path,
            &format!("{path}/comments"),
            &[("body", body), ("parent_id", &parent)],
        )
        .await
    }
}

/// The id of the newest comment link `#comment-N` in a URL.
pub fn comment_id(url: &str) -> i64 {
    url.rsplit("#comment-")
        .next()
        .and_then(|id| id.parse().ok())
        .expect("comment anchor")
}

/// No tag on the page can run script other than our own `/static/site.js`:
/// no inline script, no event-handler attribute, no `javascript:` URL.
/// Structured data (`application/ld+json`) is data a browser never runs.
/// Escaped text that merely looks like markup is fine.
pub fn assert_no_live_script(html: &str) {
    let lower = html.to_lowercase();
    for tag in lower
        .split('<')
        .skip(1)
        .filter_map(|rest| rest.split('>').next())
    {
        let name = tag.split_whitespace().next().unwrap_or_default();
        if name == "script" {
            assert!(
                tag == "script src=\"/static/site.js\" defer"
                    || tag == "script type=\"application/ld+json\"",
                "only our own script and structured data: <{tag}>"
            );
        }
        assert!(
            !["iframe", "svg", "object", "embed"].contains(&name),
            "<{tag}>"
        );
        for (attribute, value) in attributes(tag) {
            assert!(!attribute.starts_with("on"), "event handler in <{tag}>");
            if attribute == "href" || attribute == "src" {
                assert!(!runs_script(&value), "script URL in <{tag}>");
            }
        }
    }
}

/// The attributes of a tag (the text between `<` and `>`) as a browser
/// reads them: names, and values quoted or not. Text inside a quoted value
/// is value, however much it looks like an attribute.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut chars = tag.chars().peekable();
    // The tag's name comes first.
    while chars.next_if(|c| !c.is_whitespace()).is_some() {}
    let mut found = Vec::new();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == '/').is_some() {}
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=' && *c != '/') {
            name.push(c);
        }
        if name.is_empty() {
            return found;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            match chars.next_if(|c| *c == '"' || *c == '\'') {
                Some(quote) => {
                    for c in chars.by_ref() {
                        if c == quote {
                            break;
                        }
                        value.push(c);
                    }
                }
                None => {
                    while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                        value.push(c);
                    }
                }
            }
        }
        found.push((name, value));
    }
}

/// Whether a URL, as a browser reads it, has a scheme that runs code. The
/// scheme is what comes before the first ':' if nothing but letters (and
/// ignored whitespace or control characters) comes before it; a relative URL
/// with "javascript:" further on is just a path.
fn runs_script(url: &str) -> bool {
    let decoded = url.replace("&#58;", ":").replace("&colon;", ":");
    let Some((scheme, _)) = decoded.split_once(':') else {
        return false;
    };
    let scheme: String = scheme
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    scheme.chars().all(|c| c.is_ascii_alphabetic())
        && ["javascript", "vbscript", "data"].contains(&scheme.to_ascii_lowercase().as_str())
}

/// A `newsroom serve` process on a free port, for tests of the real binary.
pub struct Server {
    child: std::process::Child,
    /// `127.0.0.1:PORT`
    pub addr: String,
    _media: tempfile::TempDir,
}

impl Server {
    pub fn start(db_url: &str, extra: &[&str], env: &[(&str, &str)]) -> Self {
        Self::spawn(
            std::process::Command::new(env!("CARGO_BIN_EXE_newsroom")),
            db_url,
            extra,
            env,
        )
    }

    /// The server with at most `open_files` file descriptors, as on a host
    /// with a low limit.
    pub fn start_with_file_limit(db_url: &str, open_files: u32, extra: &[&str]) -> Self {
        let mut shell = std::process::Command::new("sh");
        shell
            .arg("-c")
            .arg(format!("ulimit -n {open_files} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_newsroom"));
        Self::spawn(shell, db_url, extra, &[])
    }

    fn spawn(
        mut command: std::process::Command,
        db_url: &str,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Self {
        use std::io::{BufRead, BufReader};
        use std::process::Stdio;
        let media = tempfile::tempdir().expect("media directory");
        let mut child = command
            .args(["serve", "--addr", "127.0.0.1:0", "--database-url", db_url])
            .arg("--media-dir")
            .arg(media.path())
            .args(extra)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("newsroom runs");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().expect("stdout"))
            .read_line(&mut line)
            .expect("address");
        let addr = line
            .trim()
            .strip_prefix("Newsroom is running at http://")
            .expect("announces its address")
            .trim_end_matches('/')
            .to_owned();
        Self {
            child,
            addr,
            _media: media,
        }
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sends SIGTERM, as a deploy would.
    pub fn terminate(&self) {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// Waits for the process to end; returns how it ended and its logs.
    pub fn wait(mut self) -> (std::process::ExitStatus, String) {
        use std::io::Read;
        let status = self.child.wait().expect("exit");
        let mut logs = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            stderr.read_to_string(&mut logs).expect("logs");
        }
        (status, logs)
    }

    pub fn stop(self) -> (std::process::ExitStatus, String) {
        self.terminate();
        self.wait()
    }
}

impl Browser {
    /// As an admin, gives `username` a new role on the users page.
    pub async fn change_role(&self, username: &str, role: &str) -> Page {
        let users = self.get("/desk/users").await;
        let marker = format!("Role of {username}<");
        let before = &users.body[..users.body.find(&marker).expect("user listed")];
        let action = before
            .rfind("action=\"/desk/users/")
            .map(|i| &before[i + "action=\"".len()..])
            .expect("role form");
        let action = action.split('"').next().expect("action").to_owned();
        self.submit("/desk/users", &action, &[("role", role)]).await
    }
}

/// The hash of `PASSWORD`, made once: every test account shares it.
async fn password_hash() -> String {
    static HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    HASH.get_or_init(|| async {
        password::Passwords::one_at_a_time()
            .hash(&Password::parse(PASSWORD).expect("password"))
            .await
            .expect("hash")
    })
    .await
    .clone()
}
