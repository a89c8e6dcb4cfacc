//! The command line as an operator uses it.

use newsroom::store::Store;
use reqwest::StatusCode;
use std::io::Write;
use std::process::{Command, Stdio};

/// The real binary with `args`, every stream piped, started.
fn spawn_newsroom(args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .args(args)
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("newsroom runs")
}

fn newsroom(args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = spawn_newsroom(args);
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("exit");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn user_add_creates_an_account_and_refuses_bad_input_in_one_line() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("cli.db").display());
    let add = |name: &'static str, role: &'static str, password: &'static str| {
        let url = url.clone();
        // A fresh email each time, so each case fails for its own reason.
        let email = format!("{name}-{role}-{}@example.org", password.len());
        move || {
            newsroom(
                &[
                    "user",
                    "add",
                    name,
                    "--email",
                    &email,
                    "--role",
                    role,
                    "--password-stdin",
                    "--database-url",
                    &url,
                ],
                password,
            )
        }
    };
    let (ok, stdout, _) = add("chief", "admin", "a long password\n")();
    assert!(ok);
    assert_eq!(stdout.trim(), "Created chief (admin).");
    let store = Store::connect(&url).await.expect("store");
    let user = store
        .user_by_username("chief")
        .await
        .expect("query")
        .expect("created");
    assert_eq!(user.role, newsroom::domain::user::Role::Admin);

    for (run, expected) in [
        (
            add("chief", "reader", "a long password\n"),
            "that username is already taken",
        ),
        (
            add("other", "overlord", "a long password\n"),
            "Unknown role 'overlord'",
        ),
        (
            add("other", "reader", "short\n"),
            "A password needs at least 8 characters.",
        ),
        (
            add("no", "reader", "a long password\n"),
            "A username has 3 to 32 characters.",
        ),
    ] {
        let (ok, _, stderr) = run();
        assert!(!ok, "{expected}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
        assert!(
            stderr.starts_with("newsroom: ") && stderr.contains(expected),
            "{stderr}"
        );
    }
}

#[tokio::test]
async fn an_unreachable_database_is_a_one_line_error() {
    let (ok, _, stderr) = newsroom(
        &["serve", "--database-url", "sqlite:///nonexistent/dir/x.db"],
        "",
    );
    assert!(!ok);
    assert!(
        stderr.starts_with("newsroom: cannot open the database at sqlite:///nonexistent/dir/x.db"),
        "{stderr}"
    );
    let (ok, _, stderr) = newsroom(&["serve", "--database-url", "mysql://db/x"], "");
    assert!(!ok);
    assert!(
        stderr.contains("unsupported database URL scheme"),
        "{stderr}"
    );
}

#[tokio::test]
async fn demo_content_fills_an_empty_site_once() {
    let app = crate::helpers::TestApp::spawn().await;
    let login = newsroom::demo::load(app.store()).await.expect("demo");
    let (name, password) = login.split_once(" / ").expect("login line");
    assert_eq!(name, "editor");
    assert_eq!(app.store().article_count().await.expect("count"), 12);
    let again = newsroom::demo::load(app.store()).await.expect("demo again");
    assert_eq!(
        app.store().article_count().await.expect("count"),
        12,
        "nothing added twice"
    );
    let (_, new_password) = again.split_once(" / ").expect("login line");

    let front = app.browser().get("/").await;
    assert!(front.body.contains("Harbourne council approves tram line"));
    let editor = app.browser();
    assert!(
        !editor.login(name, password).await.body.contains("/desk\""),
        "the old password no longer works"
    );
    let page = editor.login(name, new_password).await;
    assert!(
        page.body.contains("href=\"/desk\""),
        "the printed login opens the desk"
    );
}

/// Runs `newsroom serve` on a free port with verbose logs, registers and
/// logs in over HTTP, and checks that neither the password nor the session
/// token ever reached the logs.
#[tokio::test]
async fn logs_never_contain_passwords_or_session_ids() {
    let db = crate::db::TestDb::sqlite();
    let server = crate::helpers::Server::start(&db.url, &[], &[("RUST_LOG", "debug")]);
    let base = server.base();

    let secret = "very secret password 42";
    let person = crate::helpers::Browser::new(&base);
    let page = person
        .register("logcheck", "log@example.org", secret, "/")
        .await;
    assert!(page.body.contains("/authors/logcheck"), "registered");
    let csrf = person.get("/").await.csrf();
    person.post("/logout", &[("csrf", &csrf)]).await;
    let page = person.login("logcheck", secret).await;
    assert!(page.body.contains("/authors/logcheck"), "logged in again");
    let token = person.cookie("nr_session").expect("session cookie");
    assert_eq!(token.len(), 64);

    let (_, logs) = server.stop();
    assert!(
        logs.contains("logged in"),
        "the logs do record the event: {logs}"
    );
    assert!(!logs.contains(secret), "password in logs");
    assert!(!logs.contains(&token), "session id in logs");
}

/// A site on SQLite, copied to PostgreSQL (and back), is the same site.
#[tokio::test]
async fn migrate_data_copies_a_site_between_backends_and_verifies_counts() {
    let Some(pg) = crate::db::TestDb::postgres().await else {
        return;
    };
    let source = crate::helpers::TestApp::spawn().await;
    newsroom::demo::load(source.store()).await.expect("demo");
    let (slug, image) = crate::images::publish_with_cover(
        &source,
        ("Copied with tags", "Body.", "Alpha, Beta"),
        "A copied picture",
        "",
    )
    .await;
    let (reader, name) = source.user(newsroom::domain::user::Role::Reader).await;
    let page = reader.comment(&slug, "First", None).await;
    let parent = crate::helpers::comment_id(&page.url);
    reader.comment(&slug, "A reply", Some(parent)).await;
    reader.like(&slug, "like").await;
    let db_path = source.db_url().to_owned();
    let (ok, stdout, stderr) = newsroom(&["migrate-data", "--from", &db_path, "--to", &pg.url], "");
    assert!(ok, "{stderr}");
    assert!(stdout.contains("row counts verified"), "{stdout}");
    assert!(
        stdout.contains("articles") && stdout.contains("article_like"),
        "{stdout}"
    );

    // The copy serves the same pages, and the same password still works.
    let copy = crate::helpers::TestApp::at_url(&pg.url).await;
    let original = source.browser().get(&format!("/articles/{slug}")).await;
    let copied = copy.browser().get(&format!("/articles/{slug}")).await;
    assert_eq!(copied.status, StatusCode::OK);
    for page in [&original, &copied] {
        assert_eq!(
            (page.data_count("likes"), page.data_count("comments")),
            (1, 2)
        );
        assert!(page.body.contains("A reply") && page.body.contains("href=\"/tags/beta\""));
        assert!(
            page.body.contains(&format!("/media/{image}/960.jpg"))
                && page.body.contains("alt=\"A copied picture\""),
            "the cover's record is copied; its files stay in the shared media directory"
        );
    }
    let front = copy.browser().get("/").await;
    assert!(front.body.contains("Harbourne council approves tram line"));
    let person = copy.browser();
    assert!(
        person
            .login(&name, crate::helpers::PASSWORD)
            .await
            .body
            .contains(&format!("/authors/{name}"))
    );
    // New rows get fresh ids after the copied ones.
    person.comment(&slug, "Written on the copy", None).await;

    let (ok, _, stderr) = newsroom(&["migrate-data", "--from", &db_path, "--to", &pg.url], "");
    assert!(!ok, "a second copy into a non-empty site is refused");
    assert!(stderr.contains("copy only into an empty site"), "{stderr}");

    // And back from PostgreSQL into a new SQLite file.
    let back = crate::db::TestDb::sqlite();
    let (ok, _, stderr) = newsroom(&["migrate-data", "--from", &pg.url, "--to", &back.url], "");
    assert!(ok, "{stderr}");
    let returned = crate::helpers::TestApp::at_url(&back.url).await;
    let page = returned.browser().get(&format!("/articles/{slug}")).await;
    assert_eq!(page.data_count("comments"), 3);
    assert!(page.body.contains("Written on the copy"));
}

crate::on_both_backends!(a_failing_migration_stops_the_start_and_changes_nothing);

/// A database where the first migration cannot apply (a table of that name
/// is already there): the start stops with one line, and the migration's
/// other tables are not left half-made.
async fn a_failing_migration_stops_the_start_and_changes_nothing(db: crate::db::TestDb) {
    execute(&db.url, "CREATE TABLE articles (unrelated TEXT)")
        .await
        .expect("a clashing table");
    let (ok, _, stderr) = newsroom(
        &["serve", "--addr", "127.0.0.1:0", "--database-url", &db.url],
        "",
    );
    assert!(!ok, "the start is stopped");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("newsroom: cannot open the database at")
            && stderr.contains("migrations"),
        "{stderr}"
    );
    let users_table = execute(&db.url, "SELECT 1 FROM users").await;
    assert!(
        users_table.is_err(),
        "the failed migration's tables were rolled back"
    );
}

/// Runs one statement on a test database, outside the application.
async fn execute(url: &str, sql: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    if url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(url).await?;
        sqlx::query(sql).execute(&mut conn).await?;
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await?;
        sqlx::query(sql).execute(&mut conn).await?;
    }
    Ok(())
}

const TAGGABLE: &str = "Chancellor Angela Merkel and French President Emmanuel Macron met in \
Berlin on Tuesday.\n\nMerkel said the talks went well. Merkel will return to Berlin in June.";

#[tokio::test]
async fn tags_suggest_prints_a_table_or_json_and_refuses_bad_input() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("story.md");
    std::fs::write(&file, format!("# Merkel meets Macron\n\n{TAGGABLE}")).expect("write");
    let path = file.to_str().expect("path");

    let (ok, table, _) = newsroom(&["tags", "suggest", path], "");
    assert!(ok);
    let first = table.lines().nth(1).expect("a row");
    assert!(
        first.contains("Angela Merkel") && first.contains("person"),
        "{table}"
    );
    assert!(table.contains("Berlin") && table.contains("place"));
    assert!(!table.contains("Tuesday"));

    let (ok, json, _) = newsroom(
        &["tags", "suggest", "--json", "--limit", "2", "-"],
        TAGGABLE,
    );
    assert!(ok);
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let list = parsed.as_array().expect("a list");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["name"], "Angela Merkel");
    assert_eq!(list[0]["kind"], "person");
    assert!(list[0]["confidence"].as_f64().expect("confidence") > 0.5);
    assert_eq!(list[0]["aliases"][0], "Merkel");

    let (ok, out, _) = newsroom(&["tags", "suggest", "-"], "nothing capitalised here at all");
    assert!(ok);
    assert_eq!(out.trim(), "No people, organisations or places found.");

    std::fs::write(dir.path().join("bad.bin"), [0xff, 0xfe, 0x00, 0x80]).expect("write");
    let bad = dir.path().join("bad.bin");
    for (args, message) in [
        (vec!["tags", "suggest", "/no/such/file.md"], "cannot open"),
        (
            vec!["tags", "suggest", bad.to_str().expect("path")],
            "is not UTF-8 text",
        ),
        (vec!["tags", "suggest", "-", "--limit", "0"], "--limit"),
    ] {
        let (ok, _, err) = newsroom(&args, "");
        assert!(!ok, "{args:?}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
}

#[test]
fn tags_suggest_takes_a_headline_json_or_many_articles_as_json_lines() {
    // A Title Case headline is style, not a run of names: the person and
    // the institution inside it are tags of their own.
    let body = "Mayor Sadiq Khan said on Monday that the tram plan would go ahead. \
        The Treasury declined to comment.\n\nKhan said the Treasury must pay.";
    let headline = "Mayor Backs Tram Plan as Council Presses Treasury Over Funding";
    let (ok, json, err) = newsroom(
        &["tags", "suggest", "--json", "--headline", headline, "-"],
        body,
    );
    assert!(ok, "{err}");
    let list: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let names: Vec<&str> = list
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names, ["Treasury", "Sadiq Khan"], "{json}");

    let article = serde_json::json!({ "headline": headline, "body": body }).to_string();
    let (ok, json, err) = newsroom(
        &["tags", "suggest", "--input", "json", "--json", "-"],
        &article,
    );
    assert!(ok, "{err}");
    assert!(json.contains("\"Sadiq Khan\""), "{json}");

    let lines = format!(
        "{}\nnot json\n\n{}\n",
        serde_json::json!({ "id": "a-1", "headline": headline, "body": body }),
        serde_json::json!({ "id": 2, "body": "Angela Merkel visited Berlin. Merkel spoke." }),
    );
    let (ok, out, err) = newsroom(&["tags", "suggest", "--input", "jsonl", "-"], &lines);
    assert!(!ok, "a bad line fails the command");
    assert!(err.contains("1 of 3 lines"), "{err}");
    let answers: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(answers.len(), 3, "{out}");
    assert_eq!(answers[0]["id"], "a-1");
    assert_eq!(answers[0]["suggestions"][0]["name"], "Treasury");
    assert_eq!(answers[1]["line"], 2);
    assert!(answers[1]["error"].is_string());
    assert_eq!(answers[2]["id"], 2);
    assert_eq!(answers[2]["suggestions"][0]["name"], "Angela Merkel");

    let (ok, _, err) = newsroom(
        &["tags", "suggest", "--input", "json", "-"],
        "{\"title\": 1}",
    );
    assert!(!ok);
    assert!(err.contains("is not an article as JSON"), "{err}");
}

#[tokio::test]
async fn tags_backfill_adds_confident_tags_to_every_article() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("site.db").display());
    let app = crate::helpers::TestApp::at_url(&url).await;
    let slug = app
        .publish("Merkel meets Macron", TAGGABLE, "Diplomacy")
        .await;
    app.publish("Rain tomorrow", "Showers are expected.", "")
        .await;
    let store = app.store();
    let id = store
        .article_id(&slug)
        .await
        .expect("read")
        .expect("article");

    let (ok, out, _) = newsroom(
        &["tags", "backfill", "--dry-run", "--database-url", &url],
        "",
    );
    assert!(ok, "{out}");
    assert!(out.starts_with("Would add "), "{out}");
    assert!(out.contains("to 1 of 2 articles"), "{out}");
    let unchanged = store.article_draft(id).await.expect("read").expect("draft");
    assert_eq!(unchanged.tags, ["Diplomacy"]);

    let (ok, out, _) = newsroom(&["tags", "backfill", "--database-url", &url], "");
    assert!(ok, "{out}");
    assert!(out.starts_with("Added "), "{out}");
    let tagged = store.article_draft(id).await.expect("read").expect("draft");
    assert_eq!(tagged.tags[0], "Diplomacy");
    assert!(
        tagged.tags.contains(&"Angela Merkel".to_owned()),
        "{:?}",
        tagged.tags
    );
    assert!(
        tagged.tags.contains(&"Emmanuel Macron".to_owned()),
        "{:?}",
        tagged.tags
    );
    // Berlin is named in the lead and once more: not confident enough.
    assert!(
        !tagged.tags.contains(&"Berlin".to_owned()),
        "{:?}",
        tagged.tags
    );
    assert_eq!(tagged.revised_at, None, "tagging is not a revision");
    let merkel = store
        .tag_details("angela-merkel")
        .await
        .expect("read")
        .expect("tag");
    assert_eq!(merkel.kind, Some(newsroom::domain::tag::TagKind::Person));
    assert_eq!(merkel.published_count, 1);

    // Running again adds nothing.
    let (ok, out, _) = newsroom(&["tags", "backfill", "--database-url", &url], "");
    assert!(ok);
    assert!(out.starts_with("Added 0 tags to 0 of 2 articles"), "{out}");

    let (ok, _, err) = newsroom(
        &[
            "tags",
            "backfill",
            "--min-confidence",
            "2",
            "--database-url",
            &url,
        ],
        "",
    );
    assert!(!ok);
    assert!(err.contains("between 0.5 and 1"), "{err}");
}

#[test]
fn tags_suggest_into_a_closed_pipe_ends_quietly() {
    // What `newsroom tags suggest FILE | head -0` does: the reader is gone
    // before anything is written.
    let mut child = spawn_newsroom(&["tags", "suggest", "-"]);
    drop(child.stdout.take());
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("# Merkel meets Macron\n\n{TAGGABLE}").as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("exit");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {:?}: {stderr}", out.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
