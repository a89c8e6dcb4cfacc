//! Automatic tags in the product: suggestions in the desk (accept, accept
//! all, reject), tag kinds and other names edited by editors, tags added on
//! publish when the site asks for it, related articles, and the CLI.

use crate::api::Api;
use crate::db::TestDb;
use crate::helpers::{Browser, Page, TestApp, unescape_html};
use newsroom::config::SiteConfig;
use newsroom::domain::user::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

crate::on_both_backends!(
    the_desk_suggests_tags_with_kinds_and_accepting_one_saves_it,
    a_rejected_suggestion_is_not_offered_again,
    accept_all_keeps_everything_typed_and_reshows_errors,
    editors_set_a_tags_kind_and_other_names,
    other_names_must_be_unique_and_only_editors_edit_tags,
    confident_suggestions_are_added_on_publish_when_the_site_asks,
    related_articles_share_tags_and_rarer_tags_count_more,
);

const HEADLINE: &str = "Merkel and Macron agree to push Brussels on steel tariffs";
const BODY: &str = "Chancellor Angela Merkel and French President Emmanuel Macron agreed on \
Tuesday to press the European Commission for faster action on cheap steel imports, after a \
meeting in Berlin.\n\nMerkel said the two countries would present a joint proposal. Macron's \
Africa adviser, Claire Dubois, also attended. Merkel will visit Berlin again in June.";

fn fields<'a>(tags: &'a str, action: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("headline", HEADLINE),
        ("summary", ""),
        ("body", BODY),
        ("tags", tags),
        ("slug", ""),
        ("action", action),
    ]
}

/// The names the desk suggests, in order, from a form page.
fn suggested(page: &Page) -> Vec<String> {
    page.body
        .split("value=\"accept:")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(unescape_html)
        .collect()
}

fn tags_field(page: &Page) -> String {
    crate::helpers::extract_between(&page.body, "id=\"tags\" name=\"tags\" value=\"", "\"")
        .map(|v| unescape_html(&v))
        .unwrap_or_default()
}

async fn save_new(editor: &Browser, tags: &str) -> Page {
    let page = editor
        .submit("/desk/new", "/desk/new", &fields(tags, "save"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page
}

fn desk_path(page: &Page) -> String {
    page.path().split('?').next().unwrap_or_default().to_owned()
}

async fn the_desk_suggests_tags_with_kinds_and_accepting_one_saves_it(db: TestDb) {
    let app = TestApp::on(db).await;
    let editor = app.editor().await;
    let page = save_new(&editor, "Politics").await;
    let names = suggested(&page);
    assert_eq!(names[0], "Angela Merkel", "{names:?}");
    // "French President" is an adjective: France itself is not named.
    assert!(!names.contains(&"France".to_owned()), "{names:?}");
    for expected in ["Emmanuel Macron", "Berlin", "European Commission"] {
        assert!(
            names.contains(&expected.to_owned()),
            "{expected}: {names:?}"
        );
    }
    assert!(names.len() <= 12);
    assert!(
        !names
            .iter()
            .any(|n| n == "Merkel" || n == "Tuesday" || n == "Chancellor")
    );
    assert!(page.body.contains("kind-person\">Person</span>"));
    assert!(page.body.contains("kind-place\">Place</span>"));

    // Accepting saves the article with the tag, and the tag is a person.
    let desk = desk_path(&page);
    let mut accept = fields("Politics", "accept:Angela Merkel");
    let csrf = page.csrf();
    accept.insert(0, ("csrf", &csrf));
    let page = editor.post(&desk, &accept).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows("Saved with the accepted tags."));
    assert_eq!(tags_field(&page), "Politics, Angela Merkel");
    assert!(!suggested(&page).contains(&"Angela Merkel".to_owned()));
    let tag = app
        .store()
        .tag_details("angela-merkel")
        .await
        .expect("read")
        .expect("tag");
    assert_eq!(tag.kind, Some(newsroom::domain::tag::TagKind::Person));
    let politics = app
        .store()
        .tag_details("politics")
        .await
        .expect("read")
        .expect("tag");
    assert_eq!(
        politics.kind, None,
        "a topic typed by hand stays unclassified"
    );

    // Published, its NewsArticle says whom and what it is about.
    let mut publish = fields("Politics, Angela Merkel, Berlin", "publish");
    publish.insert(0, ("csrf", &csrf));
    let page = editor.post(&desk, &publish).await;
    assert!(page.shows("Published."));
    let slug = page
        .body
        .split("href=\"/articles/")
        .nth(1)
        .and_then(|s| s.split('"').next());
    let article = app
        .browser()
        .get(&format!("/articles/{}", slug.expect("live link")))
        .await;
    let news = crate::discovery::json_ld_of_type(&article.body, "NewsArticle");
    let about = news["about"].as_array().expect("about");
    assert_eq!(about.len(), 2, "{about:?}");
    assert_eq!(about[0]["@type"], "Person");
    assert_eq!(about[0]["name"], "Angela Merkel");
    assert_eq!(about[1]["@type"], "Place");
    assert!(
        about[1]["url"]
            .as_str()
            .expect("url")
            .ends_with("/tags/berlin")
    );

    // Tag pages say what a tag names.
    let editor_page = editor.get("/tags/angela-merkel").await;
    assert_eq!(editor_page.status, StatusCode::OK);
    assert!(editor_page.shows("Person · Articles about this person"));
    assert!(
        editor
            .get("/tags/politics")
            .await
            .shows("Topic · Articles on this topic")
    );
}

async fn a_rejected_suggestion_is_not_offered_again(db: TestDb) {
    let app = TestApp::on(db).await;
    let editor = app.editor().await;
    let page = save_new(&editor, "").await;
    assert!(suggested(&page).contains(&"Berlin".to_owned()));
    let desk = desk_path(&page);
    let csrf = page.csrf();
    let mut reject = fields("", "reject:Berlin");
    reject.insert(0, ("csrf", &csrf));
    let page = editor.post(&desk, &reject).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows("that suggestion will not be offered again"));
    assert!(!suggested(&page).contains(&"Berlin".to_owned()));
    assert!(suggested(&page).contains(&"Angela Merkel".to_owned()));
    // Remembered for the article, not the site.
    let other = save_new(&editor, "").await;
    assert!(suggested(&other).contains(&"Berlin".to_owned()));
    // And on a later visit.
    assert!(!suggested(&editor.get(&desk).await).contains(&"Berlin".to_owned()));
}

async fn accept_all_keeps_everything_typed_and_reshows_errors(db: TestDb) {
    let app = TestApp::on(db).await;
    let editor = app.editor().await;
    let page = save_new(&editor, "Steel").await;
    let offered = suggested(&page);
    let desk = desk_path(&page);
    let csrf = page.csrf();

    // With a headline too long, nothing is saved and nothing typed is lost:
    // the accepted names are in the tag field, ready to save.
    let long = "h".repeat(201);
    let bad = vec![
        ("csrf", csrf.as_str()),
        ("headline", long.as_str()),
        ("summary", ""),
        ("body", BODY),
        ("tags", "Steel"),
        ("slug", ""),
        ("action", "accept-all"),
    ];
    let page = editor.post(&desk, &bad).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains(&format!("value=\"{long}\"")));
    let typed = tags_field(&page);
    assert!(typed.starts_with("Steel, Angela Merkel"), "{typed}");
    assert!(
        typed.contains("Emmanuel Macron") && typed.contains("Berlin"),
        "{typed}"
    );

    let mut all = fields("Steel", "accept-all");
    all.insert(0, ("csrf", &csrf));
    let page = editor.post(&desk, &all).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(suggested(&page).is_empty(), "{:?}", suggested(&page));
    let draft_tags = tags_field(&page);
    for name in &offered {
        assert!(draft_tags.contains(name.as_str()), "{name} in {draft_tags}");
    }
}

async fn editors_set_a_tags_kind_and_other_names(db: TestDb) {
    let app = TestApp::on(db).await;
    let editor = app.editor().await;
    app.publish(
        "Georgia Reyes opens the harbour festival",
        "The mayor spoke.",
        "Georgia Reyes",
    )
    .await;
    let list = editor.get("/desk/tags").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.shows("Topic (unclassified)"));
    let form = editor.get("/desk/tags/georgia-reyes").await;
    assert_eq!(form.status, StatusCode::OK);
    let page = editor
        .submit(
            "/desk/tags/georgia-reyes",
            "/desk/tags/georgia-reyes",
            &[("kind", "person"), ("aliases", "Reyes\nMayor Reyes\nreyes")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.shows("Saved."));
    let tag = app
        .store()
        .tag_details("georgia-reyes")
        .await
        .expect("read")
        .expect("tag");
    assert_eq!(tag.kind, Some(newsroom::domain::tag::TagKind::Person));
    assert_eq!(tag.aliases, ["Mayor Reyes", "Reyes"]);
    assert!(
        editor
            .get("/desk/tags?kind=person")
            .await
            .shows("Georgia Reyes")
    );
    assert!(
        !editor
            .get("/desk/tags?kind=place")
            .await
            .shows("Georgia Reyes")
    );
    assert_eq!(
        editor.get("/desk/tags?kind=planet").await.status,
        StatusCode::BAD_REQUEST
    );

    // The extractor now knows her by her other name, as the site's tag:
    // "Georgia" alone would otherwise be the country.
    let page = editor
        .submit(
            "/desk/new",
            "/desk/new",
            &[
                ("headline", "Festival crowds"),
                ("summary", ""),
                (
                    "body",
                    "Reyes said the festival drew record crowds. Reyes thanked volunteers.",
                ),
                ("tags", ""),
                ("slug", ""),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(suggested(&page), ["Georgia Reyes"]);
}

async fn other_names_must_be_unique_and_only_editors_edit_tags(db: TestDb) {
    let app = TestApp::on(db).await;
    let editor = app.editor().await;
    app.publish("Two tags", "Body.", "Harbour Trust, Harbour Board")
        .await;
    let saved = editor
        .submit(
            "/desk/tags/harbour-trust",
            "/desk/tags/harbour-trust",
            &[("kind", "organisation"), ("aliases", "HT")],
        )
        .await;
    assert!(saved.shows("Saved."));
    for (aliases, message) in [
        ("HT", "is already another name of the tag"),
        ("Harbour Trust", "is the name of another tag"),
        ("!!!", "needs at least one letter or digit"),
    ] {
        let page = editor
            .submit(
                "/desk/tags/harbour-board",
                "/desk/tags/harbour-board",
                &[("kind", "organisation"), ("aliases", aliases)],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{aliases}");
        assert!(page.shows(message), "{aliases}: {}", page.body);
        assert!(
            page.body
                .contains(&format!(">{aliases}</textarea>").replace("\"", "&quot;"))
        );
    }
    let page = editor
        .submit(
            "/desk/tags/harbour-board",
            "/desk/tags/harbour-board",
            &[("kind", "planet"), ("aliases", "")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let board = app
        .store()
        .tag_details("harbour-board")
        .await
        .expect("read")
        .expect("tag");
    assert_eq!(board.kind, None);
    assert!(board.aliases.is_empty());

    let (author, _) = app.user(Role::Author).await;
    assert_eq!(author.get("/desk/tags").await.status, StatusCode::FORBIDDEN);
    let csrf = author.get("/desk").await.csrf();
    let page = author
        .post(
            "/desk/tags/harbour-board",
            &[("csrf", &csrf), ("kind", "place"), ("aliases", "")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(
        editor.get("/desk/tags/no-such-tag").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn confident_suggestions_are_added_on_publish_when_the_site_asks(db: TestDb) {
    let config = SiteConfig {
        auto_tag_confidence: Some(0.7),
        ..SiteConfig::default()
    };
    let app = TestApp::on_configured(db, config).await;
    let editor = app.editor().await;

    // Saving a draft adds nothing; publishing adds the confident ones.
    let page = save_new(&editor, "Steel").await;
    assert_eq!(tags_field(&page), "Steel");
    let desk = desk_path(&page);
    let csrf = page.csrf();
    let mut reject = fields("Steel", "reject:Emmanuel Macron");
    reject.insert(0, ("csrf", &csrf));
    editor.post(&desk, &reject).await;
    let mut publish = fields("Steel", "publish");
    publish.insert(0, ("csrf", &csrf));
    let page = editor.post(&desk, &publish).await;
    assert!(page.shows("Published."));
    let tags = tags_field(&page);
    assert!(tags.starts_with("Steel, Angela Merkel"), "{tags}");
    assert!(tags.contains("Berlin"), "{tags}");
    assert!(!tags.contains("Emmanuel Macron"), "rejected: {tags}");
    assert!(
        !tags.contains("Claire Dubois"),
        "named once in passing: {tags}"
    );

    // Through the API too.
    let api = Api::of(&app);
    let (_, name) = app.user(Role::Editor).await;
    let token = api.login(&name).await;
    let (status, body) = api
        .send(
            Method::POST,
            "/articles",
            Some(&token),
            Some(json!({ "article": {
                "title": HEADLINE, "description": "About it.", "body": BODY, "tagList": []
            } })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let list: Vec<&str> = body["article"]["tagList"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert!(
        list.contains(&"Angela Merkel") && list.contains(&"Emmanuel Macron"),
        "{list:?}"
    );
}

async fn related_articles_share_tags_and_rarer_tags_count_more(db: TestDb) {
    let app = TestApp::on(db).await;
    let editor = app.editor().await;
    let main = TestApp::publish_as(&editor, "Main story", "Body.", "Ferries, Harbour, News").await;
    // Many articles carry the common tag; one shares the rare one.
    for n in 0..6 {
        TestApp::publish_as(&editor, &format!("Common {n}"), "Body.", "News").await;
    }
    TestApp::publish_as(&editor, "Rare match", "Body.", "Ferries").await;
    TestApp::publish_as(&editor, "Unrelated", "Body.", "Weather").await;
    let draft = editor
        .submit(
            "/desk/new",
            "/desk/new",
            &[
                ("headline", "Draft sharing"),
                ("summary", ""),
                ("body", "Body."),
                ("tags", "Ferries, Harbour"),
                ("slug", ""),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(draft.status, StatusCode::OK);

    let page = app.browser().get(&format!("/articles/{main}")).await;
    let related =
        crate::helpers::extract_between(&page.body, "id=\"related-heading\"", "</section>")
            .expect("a related section");
    let headlines: Vec<&str> = related
        .split("<a href=\"/articles/")
        .skip(1)
        .filter_map(|s| s.split('>').nth(1)?.split('<').next())
        .collect();
    assert_eq!(headlines.len(), 5, "{headlines:?}");
    assert_eq!(headlines[0], "Rare match");
    assert!(!headlines.contains(&"Unrelated"));
    assert!(!headlines.contains(&"Draft sharing"));
    assert!(!headlines.contains(&"Main story"));

    let lonely = TestApp::publish_as(&editor, "Lonely", "Body.", "").await;
    let page = app.browser().get(&format!("/articles/{lonely}")).await;
    assert!(!page.body.contains("related-heading"));
}
