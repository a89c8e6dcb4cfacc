//! Journeys through a real Chromium, driven over WebDriver (chromedriver),
//! clicking and typing as a person would. Each saves a screenshot under
//! `target/screenshots/`. Where Chromium or chromedriver is not installed
//! they say so in one line and pass; `.ci/run` installs both.

use crate::helpers::{PASSWORD, TestApp};
use fantoccini::{Client, ClientBuilder, Locator};
use newsroom::domain::user::Role;
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, SemaphorePermit};

/// Browsers are heavy: at most two run at once, whatever the test threads.
static BROWSERS: Semaphore = Semaphore::const_new(2);

/// How a browser is set up for a journey.
#[derive(Clone, Copy)]
pub struct Setup {
    pub javascript: bool,
    pub width: u32,
    pub height: u32,
    /// The system's colour scheme the page sees: dark or light.
    pub dark: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            javascript: true,
            width: 1280,
            height: 900,
            dark: false,
        }
    }
}

/// chromedriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One headless Chromium session on its own chromedriver and profile
/// (named apart from `helpers::Browser`, the plain HTTP client).
pub struct Chromium {
    pub client: Client,
    base: String,
    _driver: Driver,
    _profile: tempfile::TempDir,
    _permit: SemaphorePermit<'static>,
}

fn installed(program: &str) -> Option<String> {
    let out = Command::new("which").arg(program).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

impl Chromium {
    /// A headless Chromium looking at `app`, or `None` (said once) when
    /// Chromium or chromedriver is not installed.
    pub async fn open(app: &TestApp, setup: Setup) -> Option<Self> {
        let (Some(chromium), Some(chromedriver)) =
            (installed("chromium"), installed("chromedriver"))
        else {
            // CI installs both (.ci/run): missing there, they are a failure.
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but chromium or chromedriver is not installed"
            );
            static SAID: Once = Once::new();
            SAID.call_once(|| {
                eprintln!(
                    "chromium or chromedriver is not installed: the browser tests were skipped \
                     (apt-get install chromium chromium-driver)"
                );
            });
            return None;
        };
        let permit = BROWSERS.acquire().await.expect("semaphore");
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            probe.local_addr().expect("address").port()
        };
        let driver = Driver(
            Command::new(chromedriver)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver starts"),
        );
        let profile = tempfile::tempdir().expect("profile directory");
        let mut args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
            format!("--window-size={},{}", setup.width, setup.height),
        ];
        // preferredColorScheme: 0 is dark, 1 is light.
        let mut blink = vec![format!("preferredColorScheme={}", u8::from(!setup.dark))];
        if !setup.javascript {
            blink.push("scriptEnabled=false".to_owned());
        }
        args.push(format!("--blink-settings={}", blink.join(",")));
        let mut options = json!({ "binary": chromium, "args": args });
        if !setup.javascript {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        if setup.width < 500 {
            // Windows are never narrower than 500 pixels; a phone's screen
            // is emulated instead, touch and all.
            options["mobileEmulation"] = json!({
                "deviceMetrics": { "width": setup.width, "height": setup.height, "pixelRatio": 1, "touch": true }
            });
        }
        let capabilities = match json!({ "browserName": "chrome", "goog:chromeOptions": options }) {
            Value::Object(map) => map,
            _ => unreachable!("an object"),
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let started = Instant::now();
        let client = loop {
            let attempt = ClientBuilder::new(connector.clone())
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await;
            match attempt {
                Ok(client) => break client,
                Err(e) if started.elapsed() > Duration::from_secs(20) => {
                    panic!("no WebDriver session: {e}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Some(Self {
            client,
            base: app.base.clone(),
            _driver: driver,
            _profile: profile,
            _permit: permit,
        })
    }

    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("navigate");
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("url");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    pub async fn text(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .text()
            .await
            .expect("text")
    }

    pub async fn has(&self, css: &str) -> bool {
        !self
            .client
            .find_all(Locator::Css(css))
            .await
            .expect("query")
            .is_empty()
    }

    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    pub async fn click_link(&self, text: &str) {
        self.mark_page().await;
        self.client
            .find(Locator::LinkText(text))
            .await
            .unwrap_or_else(|e| panic!("link {text}: {e}"))
            .click()
            .await
            .expect("click");
        self.wait_for_new_page().await;
    }

    /// Clicks what leads to another page (a link, a form's button) and
    /// waits until that page has loaded.
    pub async fn follow(&self, css: &str) {
        self.mark_page().await;
        self.click(css).await;
        self.wait_for_new_page().await;
    }

    async fn wait_for_new_page(&self) {
        let started = Instant::now();
        loop {
            let loaded = self
                .run(
                    "return window.__newsroomMark !== 'same page' \
                     && document.readyState === 'complete';",
                )
                .await;
            if loaded == json!(true) {
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "no new page");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let field = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    /// Picks a file in a file input, as choosing it in the dialog would.
    pub async fn choose_file(&self, css: &str, path: &std::path::Path) {
        let input = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        input
            .send_keys(&path.to_string_lossy())
            .await
            .expect("choose a file");
    }

    /// Whether the image `css` finds has loaded and decoded.
    pub async fn image_loaded(&self, css: &str) -> bool {
        let script = format!(
            "const img = document.querySelector({});\
             return !!img && img.complete && img.naturalWidth > 0;",
            json!(css)
        );
        self.run(&script).await == json!(true)
    }

    pub async fn run(&self, script: &str) -> Value {
        self.client
            .execute(script, Vec::new())
            .await
            .expect("script")
    }

    /// Waits (up to five seconds) until `css`'s text is `expected`.
    pub async fn wait_for_text(&self, css: &str, expected: &str) {
        let started = Instant::now();
        loop {
            let found = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if found == expected {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{css} shows {found:?}, not {expected:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Marks the loaded page, to tell later whether it was reloaded.
    pub async fn mark_page(&self) {
        self.run("window.__newsroomMark = 'same page';").await;
    }

    pub async fn same_page(&self) -> bool {
        self.run("return window.__newsroomMark === 'same page';")
            .await
            == json!(true)
    }

    /// Saves what the browser shows as `target/screenshots/{name}.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot directory");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }

    /// The serious and critical problems axe-core finds on this page.
    pub async fn accessibility_problems(&self, axe: &str) -> Vec<Value> {
        self.client
            .execute(&format!("{axe}\nreturn true;"), Vec::new())
            .await
            .expect("axe loads");
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document, { resultTypes: ['violations'] }).then(r => done(\
                   r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')\
                     .map(v => ({ id: v.id, impact: v.impact, help: v.help,\
                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary) }))));",
                Vec::new(),
            )
            .await
            .expect("axe runs");
        found.as_array().cloned().unwrap_or_default()
    }

    pub async fn log_in(&self, username: &str) {
        self.goto("/login").await;
        self.type_into("#login", username).await;
        self.type_into("#password", PASSWORD).await;
        self.follow("form.stacked button[type=submit]").await;
        assert!(
            self.has(&format!("a[href='/authors/{username}']")).await,
            "logged in"
        );
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// A site with one live article, with a cover; its slug.
async fn site_with_an_article(app: &TestApp) -> String {
    crate::images::publish_with_cover(
        app,
        (
            "Tram line opens",
            "The first tram ran *today*.",
            "Transport, City",
        ),
        "The first tram on the new line",
        "Photo: City desk",
    )
    .await
    .0
}

#[tokio::test]
async fn an_anonymous_reader_registers_from_an_article_and_can_then_like_it() {
    let app = TestApp::spawn().await;
    let slug = site_with_an_article(&app).await;
    let Some(browser) = Chromium::open(&app, Setup::default()).await else {
        return;
    };
    browser.goto(&format!("/articles/{slug}")).await;
    assert_eq!(browser.text("article h1").await, "Tram line opens");
    assert_eq!(browser.text("[data-likes]").await, "0 likes");
    assert_eq!(browser.text(".counts [data-comments]").await, "0 comments");
    assert!(
        browser
            .text(".article-body")
            .await
            .contains("The first tram ran today.")
    );
    let tags = browser.text("article footer .tags").await;
    assert!(
        tags.contains("Transport") && tags.contains("City"),
        "{tags}"
    );
    assert!(
        browser
            .text(".login-prompt")
            .await
            .starts_with("To comment or like, please log in first.")
    );
    browser.screenshot("journey-1-anonymous-article").await;

    browser.follow(".login-prompt a[href^='/register']").await;
    assert!(browser.path().await.starts_with("/register"));
    browser.type_into("#username", "newreader").await;
    browser.type_into("#email", "newreader@example.org").await;
    browser.type_into("#password", PASSWORD).await;
    browser.follow("form.stacked button[type=submit]").await;
    assert_eq!(
        browser.path().await,
        format!("/articles/{slug}"),
        "back on the article"
    );
    assert!(browser.has(".like-form button").await, "now able to like");
    assert!(!browser.has(".login-prompt").await);
    browser.screenshot("journey-1-registered").await;
    browser.close().await;
}

#[tokio::test]
async fn a_like_counts_at_once_without_a_reload_and_survives_one() {
    let app = TestApp::spawn().await;
    let slug = site_with_an_article(&app).await;
    let (_, reader) = app.user(Role::Reader).await;
    let Some(browser) = Chromium::open(&app, Setup::default()).await else {
        return;
    };
    browser.log_in(&reader).await;
    browser.goto(&format!("/articles/{slug}")).await;
    browser.mark_page().await;
    browser.click(".like-form button").await;
    browser.wait_for_text("[data-likes]", "1 like").await;
    browser.wait_for_text(".like-form button", "♥ Liked").await;
    assert!(browser.same_page().await, "no reload");
    browser.click(".like-form button").await;
    browser.wait_for_text("[data-likes]", "0 likes").await;
    browser.click(".like-form button").await;
    browser.wait_for_text("[data-likes]", "1 like").await;
    assert!(browser.same_page().await, "still no reload");
    browser.client.refresh().await.expect("reload");
    assert_eq!(browser.text("[data-likes]").await, "1 like", "kept");
    let pressed = browser
        .client
        .find(Locator::Css(".like-form button"))
        .await
        .expect("button")
        .attr("aria-pressed")
        .await
        .expect("attribute");
    assert_eq!(pressed.as_deref(), Some("true"));
    browser.screenshot("journey-2-liked").await;
    browser.close().await;
}

#[tokio::test]
async fn comments_and_replies_appear_at_once_and_a_too_long_one_keeps_its_text() {
    let app = TestApp::spawn().await;
    let slug = site_with_an_article(&app).await;
    let (_, reader) = app.user(Role::Reader).await;
    let Some(browser) = Chromium::open(&app, Setup::default()).await else {
        return;
    };
    browser.log_in(&reader).await;
    browser.goto(&format!("/articles/{slug}")).await;
    browser.mark_page().await;
    let top = "#comments > form.comment-form";
    browser
        .type_into(&format!("{top} textarea"), "First **tram**!")
        .await;
    browser.click(&format!("{top} button[type=submit]")).await;
    browser
        .wait_for_text(".counts [data-comments]", "1 comment")
        .await;
    assert!(
        browser
            .text("[data-comment-list]")
            .await
            .contains("First tram!")
    );
    assert!(!browser.has("[data-no-comments]").await);

    browser.click("details.reply summary").await;
    browser.type_into("details.reply textarea", "Agreed.").await;
    browser.click("details.reply button[type=submit]").await;
    browser
        .wait_for_text(".counts [data-comments]", "2 comments")
        .await;
    assert!(browser.text("[data-replies]").await.contains("Agreed."));
    assert!(browser.same_page().await, "no reload");

    // Too long: the message shows and the text stays, to be shortened.
    browser
        .run(&format!(
            "document.querySelector('{top} textarea').value = 'x'.repeat(5001);"
        ))
        .await;
    browser.click(&format!("{top} button[type=submit]")).await;
    browser
        .wait_for_text(
            &format!("{top} [data-error]"),
            "A comment can be at most 5000 characters (this one has 5001).",
        )
        .await;
    let kept = browser
        .run(&format!(
            "return document.querySelector('{top} textarea').value.length;"
        ))
        .await;
    assert_eq!(kept, json!(5001));
    assert_eq!(browser.text(".counts [data-comments]").await, "2 comments");
    browser.screenshot("journey-3-comments").await;
    browser.close().await;
}

#[tokio::test]
async fn an_author_drafts_and_an_editor_publishes_to_the_front_page() {
    desk_journey(true).await;
}

/// Journey 4, with or without JavaScript: only where a file over the limit
/// is caught differs.
async fn desk_journey(javascript: bool) {
    let config = newsroom::config::SiteConfig {
        max_upload_bytes: 1024 * 1024,
        ..newsroom::config::SiteConfig::default()
    };
    let app = TestApp::on_configured(crate::db::TestDb::sqlite(), config).await;
    let (_, author) = app.user(Role::Author).await;
    let (_, editor) = app.user(Role::Editor).await;
    let setup = Setup {
        javascript,
        ..Setup::default()
    };
    let Some(browser) = Chromium::open(&app, setup).await else {
        return;
    };
    browser.log_in(&author).await;
    browser.click_link("Desk").await;
    browser.click_link("New article").await;
    browser.type_into("#headline", "Ferry strike ends").await;
    browser
        .type_into("#body", "Crossings resume **today**.")
        .await;
    browser.type_into("#tags", "Transport, Ferries").await;
    browser.follow(".actions button[value=save]").await;
    assert!(browser.text(".notice").await.contains("Saved."));
    assert!(
        !browser.has("button[value=publish]").await,
        "authors do not publish"
    );

    // The saved draft gets a cover, chosen from disk like any file.
    let folder = tempfile::tempdir().expect("a folder");
    let raw = folder.path().join("raw.jpg");
    std::fs::write(&raw, vec![0_u8; 2 * 1024 * 1024]).expect("write a big file");
    browser.choose_file("#image", &raw).await;
    browser.type_into("#alt", "Too big").await;
    if javascript {
        browser.mark_page().await;
        browser.click(".cover-editor button[type=submit]").await;
        assert!(
            browser.same_page().await,
            "a file over the limit is not sent"
        );
        assert_eq!(
            browser.text("[data-too-large]").await,
            "The image is larger than 1 MB; choose a smaller one."
        );
    } else {
        let desk = browser.path().await;
        browser.follow(".cover-editor button[type=submit]").await;
        assert!(
            browser
                .text("main")
                .await
                .contains("That image is larger than 1 MB"),
            "the server says so"
        );
        browser.goto(&desk).await;
    }
    let photo = folder.path().join("ferry.jpg");
    std::fs::write(&photo, crate::images::photo()).expect("write the photo");
    browser.choose_file("#image", &photo).await;
    browser
        .type_into("#alt", "A ferry leaving the harbour at dawn")
        .await;
    browser.type_into("#caption", "Photo: Harbour desk").await;
    browser.follow(".cover-editor button[type=submit]").await;
    assert_eq!(
        browser.text(".cover-editor .notice").await,
        "Cover image saved."
    );
    assert!(browser.image_loaded(".cover-editor figure.cover img").await);
    let suffix = if javascript { "" } else { "-no-javascript" };
    browser
        .screenshot(&format!("journey-4-draft{suffix}"))
        .await;
    browser.follow(".site-header form.inline button").await;

    browser.log_in(&editor).await;
    browser.click_link("Desk").await;
    browser.click_link("Ferry strike ends").await;
    browser.follow("button[value=publish]").await;
    assert_eq!(browser.text(".notice").await, "Published.");
    browser.goto("/").await;
    assert!(browser.text(".cards").await.contains("Ferry strike ends"));
    assert!(browser.image_loaded(".card.with-cover img").await);
    browser.click_link("Ferry strike ends").await;
    assert!(browser.image_loaded("figure.cover img").await);
    assert!(
        browser
            .run("return document.querySelector('figure.cover img').currentSrc;")
            .await
            .as_str()
            .is_some_and(|src| src.ends_with(".webp")),
        "a browser that reads WebP gets WebP"
    );
    assert_eq!(
        browser.text("figure.cover figcaption").await,
        "Photo: Harbour desk"
    );
    assert!(
        browser
            .text(".article-body")
            .await
            .contains("Crossings resume today.")
    );
    assert!(
        browser
            .text("article footer .tags")
            .await
            .contains("Ferries")
    );
    browser
        .screenshot(&format!("journey-4-published{suffix}"))
        .await;
    browser.close().await;
}

#[tokio::test]
async fn without_javascript_every_journey_works_through_plain_forms() {
    let app = TestApp::spawn().await;
    let slug = site_with_an_article(&app).await;
    let setup = Setup {
        javascript: false,
        ..Setup::default()
    };
    let Some(browser) = Chromium::open(&app, setup).await else {
        return;
    };
    assert_eq!(
        browser.run("return 1;").await,
        json!(1),
        "WebDriver still runs scripts"
    );
    browser.goto(&format!("/articles/{slug}")).await;
    browser.follow(".login-prompt a[href^='/register']").await;
    browser.type_into("#username", "plainreader").await;
    browser.type_into("#email", "plainreader@example.org").await;
    browser.type_into("#password", PASSWORD).await;
    browser.follow("form.stacked button[type=submit]").await;
    assert_eq!(browser.path().await, format!("/articles/{slug}"));

    browser.follow(".like-form button").await;
    assert_eq!(
        browser.text("[data-likes]").await,
        "1 like",
        "after the form's round trip"
    );
    assert!(
        browser
            .path()
            .await
            .starts_with(&format!("/articles/{slug}"))
    );
    let top = "#comments > form.comment-form";
    browser
        .type_into(&format!("{top} textarea"), "Plain and simple.")
        .await;
    browser.follow(&format!("{top} button[type=submit]")).await;
    assert_eq!(browser.text(".counts [data-comments]").await, "1 comment");
    assert!(
        browser
            .text("[data-comment-list]")
            .await
            .contains("Plain and simple.")
    );
    browser.click("details.reply summary").await;
    browser
        .type_into("details.reply textarea", "Plainly agreed.")
        .await;
    browser.follow("details.reply button[type=submit]").await;
    assert_eq!(browser.text(".counts [data-comments]").await, "2 comments");
    assert!(
        browser
            .text("[data-replies]")
            .await
            .contains("Plainly agreed.")
    );

    let long = "y".repeat(5_001);
    browser
        .run(&format!(
            "document.querySelector('{top} textarea').value = '{long}';"
        ))
        .await;
    browser.follow(&format!("{top} button[type=submit]")).await;
    assert!(
        browser
            .text(&format!("{top} .field-error:not([hidden])"))
            .await
            .contains("at most 5000 characters")
    );
    let kept = browser
        .run(&format!(
            "return document.querySelector('{top} textarea').value.length;"
        ))
        .await;
    assert_eq!(kept, json!(5001), "the text is kept");
    browser.screenshot("journey-5-no-javascript").await;
    browser.close().await;
}

#[tokio::test]
async fn without_javascript_the_desk_journey_works_through_plain_forms() {
    desk_journey(false).await;
}

#[tokio::test]
async fn on_a_phone_nothing_overflows_and_every_control_is_reachable() {
    let app = TestApp::spawn().await;
    let slug = site_with_an_article(&app).await;
    let (_, editor) = app.user(Role::Editor).await;
    let setup = Setup {
        width: 390,
        height: 844,
        ..Setup::default()
    };
    let Some(browser) = Chromium::open(&app, setup).await else {
        return;
    };
    browser.log_in(&editor).await;
    assert_eq!(
        browser.run("return window.innerWidth;").await,
        json!(390),
        "a phone's width"
    );
    let pages = [
        ("/".to_owned(), "phone-front"),
        (format!("/articles/{slug}"), "phone-article"),
        ("/search?q=tram".to_owned(), "phone-search"),
        ("/tags/transport".to_owned(), "phone-tag"),
        ("/desk".to_owned(), "phone-desk"),
        ("/desk/new".to_owned(), "phone-desk-new"),
    ];
    for (path, name) in pages {
        browser.goto(&path).await;
        let overflow = browser
            .run(
                "return { page: document.documentElement.scrollWidth, view: window.innerWidth, \
                 outside: [...document.querySelectorAll('a, button, input, textarea, select, summary')] \
                   .filter(e => e.offsetParent !== null && !e.classList.contains('skip')) \
                   .map(e => { e.scrollIntoView({block: 'center'}); \
                               const r = e.getBoundingClientRect(); \
                               return { tag: e.tagName, text: (e.textContent || e.name || '').trim().slice(0, 30), \
                                        left: r.left, right: r.right, width: r.width }; }) \
                   .filter(r => r.width === 0 || r.left < 0 || r.right > window.innerWidth + 1) };",
            )
            .await;
        assert!(
            overflow["page"].as_f64() <= overflow["view"].as_f64(),
            "{path} scrolls sideways: {overflow}"
        );
        assert_eq!(
            overflow["outside"],
            json!([]),
            "{path}: controls out of reach"
        );
        browser.screenshot(name).await;
    }
    browser.close().await;
}

#[tokio::test]
async fn an_open_article_shows_what_other_readers_do_as_they_do_it() {
    let app = TestApp::spawn().await;
    let slug = site_with_an_article(&app).await;
    let (other, _) = app.user(Role::Reader).await;
    let Some(browser) = Chromium::open(&app, Setup::default()).await else {
        return;
    };
    browser.goto(&format!("/articles/{slug}")).await;
    browser.mark_page().await;
    let started = Instant::now();
    while !browser.has("article[data-live=true]").await {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the page follows the article"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    other.like(&slug, "like").await;
    browser.wait_for_text("[data-likes]", "1 like").await;
    other.comment(&slug, "Live from the depot.", None).await;
    browser
        .wait_for_text(".counts [data-comments]", "1 comment")
        .await;
    let started = Instant::now();
    while !browser
        .text("[data-comment-list]")
        .await
        .contains("Live from the depot.")
    {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the new comment appears"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!browser.has("[data-no-comments]").await);
    assert!(browser.same_page().await, "without a reload");
    browser.screenshot("live-updates").await;
    browser.close().await;
}

/// axe-core's script, from where `.ci/run` installs it (or
/// `NEWSROOM_AXE_JS`); `None`, said once, when it is not there.
fn axe_script() -> Option<String> {
    let path = std::env::var("NEWSROOM_AXE_JS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/.ci/tools/node_modules/axe-core/axe.min.js"
        )
        .to_owned()
    });
    match std::fs::read_to_string(&path) {
        Ok(script) => Some(script),
        Err(_) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but axe-core is not installed at {path}"
            );
            static SAID: Once = Once::new();
            SAID.call_once(|| {
                eprintln!(
                    "axe-core is not installed (npm install --prefix .ci/tools axe-core): \
                     the accessibility test was skipped"
                );
            });
            None
        }
    }
}

#[tokio::test]
async fn every_page_passes_axe_in_light_and_dark() {
    let Some(axe) = axe_script() else { return };
    let app = TestApp::spawn().await;
    let slug = site_with_an_article(&app).await;
    let (commenter, _) = app.user(Role::Reader).await;
    let page = commenter.comment(&slug, "A *reader's* view.", None).await;
    let comment = crate::helpers::comment_id(&page.url);
    let (_, admin) = app.user(Role::Admin).await;
    let (_, reader) = app.user(Role::Reader).await;
    commenter.comment(&slug, "A reply.", Some(comment)).await;
    let anonymous = [
        "/".to_owned(),
        format!("/articles/{slug}"),
        "/tags/transport".to_owned(),
        format!("/authors/{reader}"),
        "/search?q=tram".to_owned(),
        "/search?q=nothing+at+all".to_owned(),
        "/search?q=tram&from=soon".to_owned(),
        "/login".to_owned(),
        "/register".to_owned(),
        "/no/such/page".to_owned(),
    ];
    let desk_article = {
        let editor = app.editor().await;
        let desk = editor.get("/desk").await;
        crate::helpers::extract_between(&desk.body, "<a href=\"/desk/articles/", "\"")
            .expect("in the desk")
    };
    // A draft that names people and places, so its form shows suggestions.
    let suggesting = app
        .editor()
        .await
        .submit(
            "/desk/new",
            "/desk/new",
            &[
                (
                    "headline",
                    "Mayor Georgia Reyes opens the tram line in Harbourne",
                ),
                ("summary", ""),
                (
                    "body",
                    "Mayor Georgia Reyes rode the first tram from Harbourne to Gull Point.",
                ),
                ("tags", ""),
                ("slug", ""),
                ("action", "save"),
            ],
        )
        .await;
    assert!(suggesting.body.contains("accept:Georgia Reyes"));
    let signed_in = [
        format!("/articles/{slug}"),
        "/desk".to_owned(),
        "/desk/new".to_owned(),
        format!("/desk/articles/{desk_article}"),
        format!("/desk/articles/{desk_article}/delete"),
        suggesting
            .path()
            .split('?')
            .next()
            .unwrap_or_default()
            .to_owned(),
        "/desk/tags".to_owned(),
        "/desk/tags/transport".to_owned(),
        "/desk/users".to_owned(),
    ];
    let mut problems = Vec::new();
    for dark in [false, true] {
        let setup = Setup {
            dark,
            ..Setup::default()
        };
        let Some(browser) = Chromium::open(&app, setup).await else {
            return;
        };
        let scheme = if dark { "dark" } else { "light" };
        assert_eq!(
            browser
                .run("return matchMedia('(prefers-color-scheme: dark)').matches;")
                .await,
            json!(dark)
        );
        for path in &anonymous {
            browser.goto(path).await;
            for problem in browser.accessibility_problems(&axe).await {
                problems.push(format!("{scheme} {path}: {problem}"));
            }
        }
        browser.log_in(&admin).await;
        for path in &signed_in {
            browser.goto(path).await;
            for problem in browser.accessibility_problems(&axe).await {
                problems.push(format!("{scheme} {path} (admin): {problem}"));
            }
        }
        browser.goto(&format!("/articles/{slug}")).await;
        browser.screenshot(&format!("article-{scheme}")).await;
        browser.close().await;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// WebDriver's codes for the Tab and Enter keys.
const TAB: &str = "\u{e004}";
const ENTER: &str = "\u{e007}";

impl Chromium {
    /// Presses `key` where the focus is.
    async fn press(&self, key: &str) {
        self.client
            .active_element()
            .await
            .expect("focus")
            .send_keys(key)
            .await
            .expect("key");
    }

    /// What has the focus, and whether it shows: tag, text or name, id or
    /// class, and whether an outline or shadow marks it on screen.
    async fn focused(&self) -> Value {
        self.run(
            "const e = document.activeElement; const s = getComputedStyle(e); \
             const r = e.getBoundingClientRect(); \
             return { tag: e.tagName.toLowerCase(), text: (e.textContent || e.name || '').trim().slice(0, 40), \
                      class: e.className, in_main: !!e.closest('main'), \
                      shown: r.width > 0 && r.left >= 0 && r.right <= innerWidth, \
                      marked: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none' };",
        )
        .await
    }
}

#[tokio::test]
async fn the_keyboard_alone_reaches_and_uses_every_control() {
    let app = TestApp::spawn().await;
    let slug = site_with_an_article(&app).await;
    let (_, reader) = app.user(Role::Reader).await;
    let Some(browser) = Chromium::open(&app, Setup::default()).await else {
        return;
    };
    browser.log_in(&reader).await;
    browser.goto(&format!("/articles/{slug}")).await;

    browser.press(TAB).await;
    let first = browser.focused().await;
    assert_eq!(
        (&first["class"], &first["shown"], &first["marked"]),
        (&json!("skip"), &json!(true), &json!(true)),
        "{first}"
    );
    browser.press(ENTER).await;
    browser.press(TAB).await;
    assert_eq!(
        browser.focused().await["in_main"],
        json!(true),
        "skipped to the content"
    );

    let (mut liked, mut commented) = (false, false);
    for _ in 0..60 {
        let focus = browser.focused().await;
        assert_eq!(focus["marked"], json!(true), "focus is visible on {focus}");
        if focus["class"] == json!("like-button") && !liked {
            browser.press(ENTER).await;
            browser.wait_for_text("[data-likes]", "1 like").await;
            liked = true;
        }
        if focus["tag"] == json!("textarea") && focus["in_main"] == json!(true) && !commented {
            browser.press("Typed, not clicked.").await;
            browser.press(TAB).await;
            let button = browser.focused().await;
            assert_eq!(button["text"], json!("Post comment"), "{button}");
            browser.press(ENTER).await;
            browser
                .wait_for_text(".counts [data-comments]", "1 comment")
                .await;
            commented = true;
        }
        if liked && commented {
            break;
        }
        browser.press(TAB).await;
    }
    assert!(liked && commented, "liked: {liked}, commented: {commented}");
    browser.screenshot("keyboard").await;
    browser.close().await;
}
