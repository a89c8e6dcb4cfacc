//! The desk: authors draft, editors publish, schedule and unpublish.

use crate::db::TestDb;
use crate::helpers::{Browser, Page, TestApp, extract_between};
use newsroom::domain::user::Role;
use reqwest::StatusCode;

crate::on_both_backends!(
    author_drafts_editor_publishes_reader_sees_it,
    a_scheduled_article_appears_only_after_its_time,
    scheduling_in_the_past_is_refused_with_a_message,
    slugs_are_unique_editable_before_publication_and_stable_after,
    unpublishing_takes_an_article_off_the_site,
    preview_renders_without_saving,
    invalid_articles_are_reshown_with_messages_and_input_kept,
    readers_cannot_open_the_desk_and_roles_are_changed_by_admins,
    anonymous_visitors_are_sent_to_login_from_the_desk,
    an_empty_summary_is_taken_from_the_body,
    deleting_asks_first_and_follows_the_same_rules_as_the_api,
);

fn article_fields<'a>(
    headline: &'a str,
    body: &'a str,
    tags: &'a str,
    action: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("headline", headline),
        ("summary", "Summary."),
        ("body", body),
        ("tags", tags),
        ("slug", ""),
        ("action", action),
    ]
}

/// The desk address of the article a form page belongs to.
fn desk_path(page: &Page) -> String {
    page.path().split('?').next().unwrap_or_default().to_owned()
}

async fn save_draft(author: &Browser, headline: &str, tags: &str) -> Page {
    author
        .submit(
            "/desk/new",
            "/desk/new",
            &article_fields(headline, "Draft body.", tags, "save"),
        )
        .await
}

async fn author_drafts_editor_publishes_reader_sees_it(db: TestDb) {
    let app = TestApp::on(db).await;
    let (author, author_name) = app.user(Role::Author).await;
    let page = save_draft(&author, "Ferry strike ends", "Transport, Ferries").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Saved.") && page.body.contains("Draft"));
    let desk = desk_path(&page);

    let reader = app.browser();
    assert!(
        !reader.get("/").await.body.contains("Ferry strike ends"),
        "drafts are not public"
    );
    assert_eq!(
        reader.get("/articles/ferry-strike-ends").await.status,
        StatusCode::NOT_FOUND
    );

    // Authors cannot publish.
    let page = author
        .submit(
            &desk,
            &desk,
            &article_fields("Ferry strike ends", "Draft body.", "Transport", "publish"),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);

    let editor = app.editor().await;
    let listing = editor.get("/desk").await;
    assert!(
        listing.body.contains("Ferry strike ends"),
        "the editor's desk lists every draft"
    );
    let page = editor
        .submit(
            &desk,
            &desk,
            &article_fields(
                "Ferry strike ends",
                "Crossings resume *today*.",
                "Transport, Ferries",
                "publish",
            ),
        )
        .await;
    assert!(page.body.contains("Published."), "{}", page.body);

    let front = reader.get("/").await;
    assert!(front.body.contains("href=\"/articles/ferry-strike-ends\""));
    let tag = reader.get("/tags/ferries").await;
    assert!(tag.body.contains("Ferry strike ends"));
    let article = reader.get("/articles/ferry-strike-ends").await;
    assert!(article.body.contains("Crossings resume <em>today</em>."));
    assert!(
        article.body.contains(&format!("/authors/{author_name}")),
        "the byline is the author's"
    );

    // Once published, the author can no longer edit it.
    assert_eq!(author.get(&desk).await.status, StatusCode::FORBIDDEN);
}

async fn a_scheduled_article_appears_only_after_its_time(db: TestDb) {
    let app = TestApp::on(db).await;
    let editor = app.editor().await;
    let page = save_draft(&editor, "Budget day", "Economy").await;
    let desk = desk_path(&page);
    let in_two_hours = newsroom::domain::time::input_value(app.state.now() + 2 * 3_600_000);
    let mut fields = article_fields("Budget day", "Numbers.", "Economy", "schedule");
    fields.push(("publish_at", &in_two_hours));
    let page = editor.submit(&desk, &desk, &fields).await;
    assert!(page.body.contains("Scheduled."), "{}", page.body);

    let reader = app.browser();
    assert!(!reader.get("/").await.body.contains("Budget day"));
    assert_eq!(
        reader.get("/articles/budget-day").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        editor
            .get("/desk")
            .await
            .body
            .contains("Scheduled <span class=\"count\">(1)")
    );

    assert!(
        !reader
            .get("/tags/economy")
            .await
            .body
            .contains("Budget day")
    );
    app.advance_clock(2 * 3_600_000 + 60_000);
    assert!(reader.get("/").await.body.contains("Budget day"));
    assert!(
        reader
            .get("/tags/economy")
            .await
            .body
            .contains("Budget day")
    );
    assert_eq!(
        reader.get("/articles/budget-day").await.status,
        StatusCode::OK
    );
}

async fn scheduling_in_the_past_is_refused_with_a_message(db: TestDb) {
    let app = TestApp::on(db).await;
    let editor = app.editor().await;
    let mut fields = article_fields("Yesterday", "Body.", "", "schedule");
    fields.push(("publish_at", "2001-01-01T10:00"));
    let page = editor.submit("/desk/new", "/desk/new", &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Pick a time in the future"));
    assert!(page.body.contains("value=\"Yesterday\""), "input kept");
}

async fn slugs_are_unique_editable_before_publication_and_stable_after(db: TestDb) {
    let app = TestApp::on(db).await;
    let editor = app.editor().await;
    let first = save_draft(&editor, "Same headline", "").await;
    let second = save_draft(&editor, "Same headline", "").await;
    assert!(first.body.contains("value=\"same-headline\""));
    assert!(
        second.body.contains("value=\"same-headline-2\""),
        "a taken slug gets a suffix"
    );

    let desk = desk_path(&second);
    let mut fields = article_fields("Same headline", "Body.", "", "save");
    fields.retain(|(k, _)| *k != "slug");
    fields.push(("slug", "same-headline"));
    let page = editor.submit(&desk, &desk, &fields).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a typed slug must be free"
    );
    assert!(page.body.contains("Another article already uses this slug"));

    let mut fields = article_fields("Same headline", "Body.", "", "publish");
    fields.retain(|(k, _)| *k != "slug");
    fields.push(("slug", "custom-address"));
    let page = editor.submit(&desk, &desk, &fields).await;
    assert!(
        page.body.contains("value=\"custom-address\" readonly"),
        "{}",
        page.body
    );

    // Editing after publication keeps the URL and marks it updated.
    app.advance_clock(3_600_000);
    let mut fields = article_fields("Same headline, revised", "New body.", "", "save");
    fields.retain(|(k, _)| *k != "slug");
    fields.push(("slug", "sneaky-new-slug"));
    editor.submit(&desk, &desk, &fields).await;
    let article = app.browser().get("/articles/custom-address").await;
    assert_eq!(article.status, StatusCode::OK);
    assert!(article.body.contains("Same headline, revised") && article.body.contains("Updated"));
    assert_eq!(
        app.browser().get("/articles/sneaky-new-slug").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn unpublishing_takes_an_article_off_the_site(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app.publish("Retracted", "Oops.", "News").await;
    let editor = app.editor().await;
    let desk_page = editor.get("/desk").await;
    let id = extract_between(&desk_page.body, "<a href=\"/desk/articles/", "\"")
        .expect("article in desk");
    let desk = format!("/desk/articles/{id}");
    let page = editor
        .submit(
            &desk,
            &desk,
            &article_fields("Retracted", "Oops.", "News", "unpublish"),
        )
        .await;
    assert!(page.body.contains("Unpublished"));
    assert_eq!(
        app.browser().get(&format!("/articles/{slug}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !app.browser()
            .get("/tags/news")
            .await
            .body
            .contains("Retracted")
    );
}

async fn preview_renders_without_saving(db: TestDb) {
    let app = TestApp::on(db).await;
    let (author, _) = app.user(Role::Author).await;
    let page = author
        .submit(
            "/desk/new",
            "/desk/new",
            &article_fields("Preview me", "Some **bold** text.", "", "preview"),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Preview (not saved)") && page.body.contains("<strong>bold</strong>")
    );
    assert!(!author.get("/desk").await.body.contains("Preview me"));
}

async fn invalid_articles_are_reshown_with_messages_and_input_kept(db: TestDb) {
    let app = TestApp::on(db).await;
    let (author, _) = app.user(Role::Author).await;
    let long_headline = "h".repeat(201);
    let page = author
        .submit(
            "/desk/new",
            "/desk/new",
            &article_fields(
                &long_headline,
                "",
                &(1..=21)
                    .map(|n| format!("t{n}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                "save",
            ),
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("The headline can be at most 200 characters")
    );
    assert!(page.shows("The body can't be empty"));
    assert!(page.body.contains("at most 20 tags"));
    assert!(page.body.contains(&format!("value=\"{long_headline}\"")));
}

async fn readers_cannot_open_the_desk_and_roles_are_changed_by_admins(db: TestDb) {
    let app = TestApp::on(db).await;
    let (reader, reader_name) = app.user(Role::Reader).await;
    assert_eq!(reader.get("/desk").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        reader.get("/desk/users").await.status,
        StatusCode::FORBIDDEN
    );
    let editor = app.editor().await;
    assert_eq!(
        editor.get("/desk/users").await.status,
        StatusCode::FORBIDDEN
    );

    let (admin, _) = app.user(Role::Admin).await;
    let page = admin.change_role(&reader_name, "author").await;
    assert!(
        page.body
            .contains(&format!("Changed the role of {reader_name}"))
    );
    assert_eq!(
        reader.get("/desk").await.status,
        StatusCode::OK,
        "the new author opens the desk"
    );
    let page = admin.change_role(&reader_name, "emperor").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn anonymous_visitors_are_sent_to_login_from_the_desk(db: TestDb) {
    let app = TestApp::on(db).await;
    let page = app.browser().get("/desk").await;
    assert!(page.url.ends_with("/login?next=/desk"), "{}", page.url);
}

async fn an_empty_summary_is_taken_from_the_body(db: TestDb) {
    let app = TestApp::on(db).await;
    let editor = app.editor().await;
    let fields = [
        ("headline", "No summary"),
        ("summary", ""),
        ("body", "The **opening** words of the story. Then more."),
        ("action", "publish"),
    ];
    editor.submit("/desk/new", "/desk/new", &fields).await;
    let front = app.browser().get("/").await;
    assert!(
        front
            .body
            .contains("<p class=\"summary\">The opening words of the story. Then more.</p>"),
        "{}",
        front.body
    );
}

async fn deleting_asks_first_and_follows_the_same_rules_as_the_api(db: TestDb) {
    let app = TestApp::on(db).await;
    let (author, _) = app.user(Role::Author).await;
    let page = save_draft(&author, "Second thoughts", "Drafts").await;
    let desk = desk_path(&page);
    assert!(
        page.body.contains("Delete…"),
        "offered on a never-public draft"
    );
    let confirm = format!("{desk}/delete");
    let page = author.get(&confirm).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows("Delete “Second thoughts”?"), "{}", page.body);
    let page = author.submit(&confirm, &confirm, &[]).await;
    assert_eq!(page.path(), "/desk?deleted=Second%20thoughts");
    assert!(page.shows("Deleted “Second thoughts”."));
    assert_eq!(author.get(&desk).await.status, StatusCode::NOT_FOUND);

    // Once public, an author may no longer delete it; an editor may, and
    // sees what goes with it.
    let slug = app.publish("Live story", "Read me.", "News").await;
    let (reader, _) = app.user(Role::Reader).await;
    reader.like(&slug, "like").await;
    reader.comment(&slug, "Well put.", None).await;
    let editor = app.editor().await;
    let desk_page = editor.get("/desk").await;
    let id = extract_between(&desk_page.body, "<a href=\"/desk/articles/", "\"")
        .expect("article in desk");
    let confirm = format!("/desk/articles/{id}/delete");
    assert_eq!(author.get(&confirm).await.status, StatusCode::FORBIDDEN);
    assert_eq!(reader.get(&confirm).await.status, StatusCode::FORBIDDEN);
    let page = editor.get(&confirm).await;
    assert!(page.shows("with its 1 like and 1 comment"), "{}", page.body);
    assert!(page.shows("unpublish it instead"));
    // Without the form's token nothing happens.
    assert_eq!(
        editor.post(&confirm, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    editor.submit(&confirm, &confirm, &[]).await;
    assert_eq!(
        app.browser().get(&format!("/articles/{slug}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !app.browser()
            .get("/tags/news")
            .await
            .body
            .contains("Live story")
    );
}
