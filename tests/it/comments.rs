//! Comments: the whole life of a comment, replies, moderation and safety.

use crate::db::TestDb;
use crate::helpers::{TestApp, comment_id};
use newsroom::domain::user::Role;
use reqwest::StatusCode;

crate::on_both_backends!(
    register_login_like_unlike_comment_reply_edit_delete,
    a_too_long_comment_is_reshown_with_the_text_kept,
    an_editor_hides_a_comment_and_the_count_follows,
    the_script_gets_the_new_comment_as_html,
    script_injection_in_comments_and_articles_comes_out_inert,
    a_flooded_discussion_is_paged_and_each_page_stays_bounded,
);

async fn register_login_like_unlike_comment_reply_edit_delete(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app
        .publish("Library opens", "Thirty thousand books.", "Culture")
        .await;
    let path = format!("/articles/{slug}");
    let reader = app.browser();

    let page = reader
        .register(
            "bookworm",
            "bookworm@example.org",
            crate::helpers::PASSWORD,
            &path,
        )
        .await;
    assert_eq!(page.path(), path);
    let logout = reader.get("/").await.csrf();
    reader.post("/logout", &[("csrf", &logout)]).await;
    let page = reader
        .submit(
            &format!("/login?next={path}"),
            "/login",
            &[
                ("login", "bookworm"),
                ("password", crate::helpers::PASSWORD),
                ("next", &path),
            ],
        )
        .await;
    assert_eq!(page.path(), path);

    let page = reader.like(&slug, "like").await;
    assert_eq!(
        (page.data_count("likes"), page.data_count("comments")),
        (1, 0)
    );
    let page = reader.like(&slug, "unlike").await;
    assert_eq!(
        (page.data_count("likes"), page.data_count("comments")),
        (0, 0)
    );

    let page = reader.comment(&slug, "First! **Great** news", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let first = comment_id(&page.url);
    assert_eq!(page.data_count("comments"), 1);
    assert!(page.body.contains("<strong>Great</strong>"));

    let (neighbour, _) = app.user(Role::Reader).await;
    let page = neighbour.comment(&slug, "Agreed", Some(first)).await;
    let reply = comment_id(&page.url);
    assert_eq!(page.data_count("comments"), 2);
    let replies =
        crate::helpers::extract_between(&page.body, &format!("data-replies=\"{first}\">"), "</ol>")
            .expect("replies");
    assert!(
        replies.contains("Agreed"),
        "the reply sits under its parent"
    );

    // A reply to a reply joins the same thread: one level only.
    let page = reader.comment(&slug, "Thanks", Some(reply)).await;
    let replies =
        crate::helpers::extract_between(&page.body, &format!("data-replies=\"{first}\">"), "</ol>")
            .expect("replies");
    assert!(replies.contains("Thanks"));
    assert_eq!(page.data_count("comments"), 3);

    let edit = format!("/comments/{first}/edit");
    let page = reader
        .submit(&edit, &edit, &[("body", "First! Edited")])
        .await;
    assert!(page.body.contains("First! Edited") && page.body.contains("edited"));
    assert_eq!(page.data_count("comments"), 3);

    // Nobody edits or deletes someone else's comment.
    let page = neighbour.get(&edit).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let csrf = neighbour.get(&path).await.csrf();
    let page = neighbour
        .post(&format!("/comments/{first}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);

    let csrf = reader.get(&path).await.csrf();
    let page = reader
        .post(&format!("/comments/{first}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(
        page.data_count("comments"),
        2,
        "deleted comments are not counted"
    );
    assert!(
        page.body.contains("This comment was deleted."),
        "placeholder keeps the thread"
    );
    assert!(!page.body.contains("First! Edited"));
    assert!(page.body.contains("Agreed"));
}

async fn a_too_long_comment_is_reshown_with_the_text_kept(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Long comments", "Body.", "").await;
    let (reader, _) = app.user(Role::Reader).await;
    let text = format!("{}END", "word ".repeat(1100));
    let page = reader.comment(&slug, &text, None).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("A comment can be at most 5000 characters")
    );
    assert!(
        page.body.contains(&text.trim().to_owned()),
        "the typed text is kept"
    );
    let page = reader.comment(&slug, "   ", None).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.shows("A comment can't be empty"));
    assert_eq!(page.data_count("comments"), 0);
}

async fn an_editor_hides_a_comment_and_the_count_follows(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Moderation", "Body.", "").await;
    let (reader, _) = app.user(Role::Reader).await;
    let page = reader.comment(&slug, "Rude words", None).await;
    let id = comment_id(&page.url);

    let csrf = reader.get(&format!("/articles/{slug}")).await.csrf();
    let page = reader
        .post(&format!("/comments/{id}/hide"), &[("csrf", &csrf)])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "readers cannot hide");

    let editor = app.editor().await;
    let csrf = editor.get(&format!("/articles/{slug}")).await.csrf();
    let page = editor
        .post(&format!("/comments/{id}/hide"), &[("csrf", &csrf)])
        .await;
    assert!(
        page.body.contains("Hidden from readers"),
        "editors still see it, marked"
    );
    assert_eq!(page.data_count("comments"), 0);
    let public = app.browser().get(&format!("/articles/{slug}")).await;
    assert!(!public.body.contains("Rude words"));
    assert_eq!(public.data_count("comments"), 0);

    let page = editor
        .post(&format!("/comments/{id}/unhide"), &[("csrf", &csrf)])
        .await;
    assert_eq!(page.data_count("comments"), 1);
}

async fn the_script_gets_the_new_comment_as_html(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Script comments", "Body.", "").await;
    let (reader, _) = app.user(Role::Reader).await;
    let csrf = reader.get(&format!("/articles/{slug}")).await.csrf();
    let url = reader.url(&format!("/articles/{slug}/comments"));
    let send = |body: &'static str| {
        reader
            .client
            .post(&url)
            .header("accept", "application/json")
            .form(&[("csrf", csrf.as_str()), ("body", body)])
            .send()
    };
    let response = send("Hello *there*").await.expect("comment");
    assert_eq!(response.status(), StatusCode::CREATED);
    let json: serde_json::Value = response.json_text().await;
    assert_eq!(json["comments"], 1);
    assert!(
        json["html"]
            .as_str()
            .is_some_and(|h| h.contains("<em>there</em>"))
    );
    let response = send("").await.expect("comment");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let json: serde_json::Value = response.json_text().await;
    assert!(json["error"].as_str().is_some_and(|e| e.contains("empty")));
}

trait JsonText {
    async fn json_text(self) -> serde_json::Value;
}

impl JsonText for reqwest::Response {
    async fn json_text(self) -> serde_json::Value {
        serde_json::from_str(&self.text().await.expect("body")).expect("json")
    }
}

async fn script_injection_in_comments_and_articles_comes_out_inert(db: TestDb) {
    let app = TestApp::on(db).await;
    let payload = "<script>alert('x')</script><img src=x onerror=alert(1)>[a](javascript:alert(1))";
    let slug = app
        .publish(
            "Safe <script>alert(1)</script> headline",
            &format!("Body {payload}"),
            "<b>tag</b>",
        )
        .await;
    let (reader, _) = app.user(Role::Reader).await;
    let page = reader
        .comment(
            &slug,
            &format!("Comment {payload} [link](https://example.org)"),
            None,
        )
        .await;
    crate::helpers::assert_no_live_script(&page.body);
    let body = page.body.to_lowercase();
    assert!(
        body.contains("&lt;script&gt;alert"),
        "the comment shows the text as typed"
    );
    assert!(body.contains("rel=\"nofollow ugc noopener\""));
    assert!(page.shows("Safe <script>alert(1)</script> headline"));
}

/// The ids of the comments a page shows, in order.
fn shown_comments(body: &str) -> Vec<i64> {
    body.match_indices("<article class=\"comment")
        .filter_map(|(at, _)| {
            crate::helpers::extract_between(&body[at..], "id=\"comment-", "\"")?
                .parse()
                .ok()
        })
        .collect()
}

fn link_to(body: &str, rel: &str) -> Option<String> {
    let at = body.find(&format!("rel=\"{rel}\""))?;
    let start = body[..at].rfind("href=\"")? + 6;
    Some(crate::helpers::unescape_html(&body[start..at - 2]))
}

async fn a_flooded_discussion_is_paged_and_each_page_stays_bounded(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Much discussed", "Body.", "").await;
    let path = format!("/articles/{slug}");
    let (reader, _) = app.user(Role::Reader).await;
    let csrf = reader.get(&path).await.csrf();
    let post = |body: String, parent: String| {
        let (reader, path, csrf) = (&reader, &path, &csrf);
        async move {
            let page = reader
                .post(
                    &format!("{path}/comments"),
                    &[("csrf", csrf), ("body", &body), ("parent_id", &parent)],
                )
                .await;
            comment_id(&page.url)
        }
    };
    let mut threads = Vec::new();
    for i in 0..120 {
        threads.push(post(format!("Thread {i}."), String::new()).await);
    }
    let mut replies = Vec::new();
    for i in 0..60 {
        replies.push(post(format!("Reply {i}."), threads[0].to_string()).await);
    }

    let latest = reader.get(&path).await;
    assert_eq!(
        shown_comments(&latest.body),
        threads[70..120],
        "the newest 50 threads"
    );
    assert!(
        latest.body.contains("data-comment-list"),
        "new threads arrive here live"
    );
    assert!(link_to(&latest.body, "next").is_none());
    assert_eq!(
        latest.data_count("comments"),
        180,
        "the count is of all of them"
    );

    let older = reader
        .get(&link_to(&latest.body, "prev").expect("older link"))
        .await;
    assert_eq!(shown_comments(&older.body), threads[20..70]);
    assert!(
        !older.body.contains("data-comment-list"),
        "an old page takes no new threads"
    );
    assert!(link_to(&older.body, "next").is_some());

    let oldest = reader
        .get(&link_to(&older.body, "prev").expect("older link"))
        .await;
    let shown = shown_comments(&oldest.body);
    assert_eq!(shown[0], threads[0]);
    assert_eq!(
        shown[1..51],
        replies[..50],
        "fifty replies under their thread"
    );
    assert_eq!(shown[51..], threads[1..20]);
    assert!(oldest.shows("10 more replies"));
    assert!(link_to(&oldest.body, "prev").is_none());
    let newer = reader
        .get(&link_to(&oldest.body, "next").expect("newer link"))
        .await;
    assert_eq!(shown_comments(&newer.body), threads[20..70], "and back");

    let thread = reader.get(&format!("{path}?thread={}", threads[0])).await;
    let shown = shown_comments(&thread.body);
    assert_eq!(shown[0], threads[0]);
    assert_eq!(
        shown[1..],
        replies[..],
        "the thread's page has all its replies"
    );
    assert!(thread.shows("All comments"));

    for bad in ["?before=abc", "?thread=1e9", "?after=-"] {
        let page = reader.get(&format!("{path}{bad}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let past = reader.get(&format!("{path}?before=1")).await;
    assert_eq!(past.status, StatusCode::OK);
    assert!(
        past.shows("No comments on this page"),
        "a page before the first is empty and says where the comments are"
    );
}
