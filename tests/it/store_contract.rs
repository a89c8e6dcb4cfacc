//! The storage contract: what every backend must do, checked through the
//! `Store` interface alone. Each test gets a fresh database.

use crate::db::TestDb;
use newsroom::domain::article::{ArticleContent, Publication, Stage};
use newsroom::domain::page::Cursor;
use newsroom::domain::search::{SearchCursor, SearchQuery};
use newsroom::domain::user::{Email, NewUser, Role, Username};
use newsroom::store::{
    AccountUpdate, ArticleFilter, Listing, NewComment, NewImage, SearchHit, SearchRequest, Store,
    StoreError,
};

crate::on_both_backends!(
    users_are_unique_by_username_and_email,
    sessions_expire_and_end,
    taken_slugs_get_suffixes_or_conflict,
    cards_carry_counts_likes_and_tags_in_order,
    only_live_articles_are_listed_and_keyset_pages_do_not_overlap,
    editing_a_live_article_marks_it_revised_and_replaces_tags,
    site_keys_are_created_once,
    login_failures_are_counted_in_a_window,
    rate_windows_count_to_their_limit_reset_and_are_pruned,
    kept_counts_match_a_recount_after_concurrent_likes_and_comments,
    a_seeded_site_is_consistent_and_only_an_empty_one_is_seeded,
    accounts_update_partially_and_keep_names_unique,
    follows_are_idempotent_and_seen_by_the_follower_only,
    a_write_and_its_publication_land_together,
    deleting_an_article_takes_its_tags_likes_and_comments,
    the_api_lookup_finds_any_stage_with_the_body,
    kept_article_counts_always_match_the_lists,
    search_finds_live_articles_by_every_field_ranked_and_paged,
    search_follows_edits_unpublishing_deletion_and_renames_at_once,
    search_ranks_a_window_of_the_newest_matches_after_filtering,
    covers_are_set_described_replaced_and_removed_with_their_records,
    added_tags_are_counted_capped_and_no_revision,
    tag_kinds_aliases_and_rejections_are_kept,
);

async fn open(db: &TestDb) -> Store {
    Store::connect(&db.url).await.expect("connect")
}

async fn user(store: &Store, name: &str) -> i64 {
    let new_user = NewUser {
        username: Username::parse(name).expect("username"),
        email: Email::parse(&format!("{name}@example.org")).expect("email"),
        password_hash: "hash".to_owned(),
        role: Role::Author,
    };
    store.create_user(&new_user, 0).await.expect("user").id
}

fn content(headline: &str, tags: &[&str]) -> ArticleContent {
    ArticleContent {
        headline: headline.to_owned(),
        summary: String::new(),
        body_markdown: "body".to_owned(),
        body_html: "<p>body</p>".to_owned(),
        body_text: "body".to_owned(),
        tags: tags
            .iter()
            .map(|t| ((*t).to_owned(), t.to_lowercase()))
            .collect(),
    }
}

async fn published(store: &Store, author: i64, slug: &str, at: i64, tags: &[&str]) -> i64 {
    let (id, _) = store
        .create_article(
            author,
            slug,
            false,
            &content(slug, tags),
            Some(Publication::At(at)),
            at,
        )
        .await
        .expect("article");
    id
}

async fn users_are_unique_by_username_and_email(db: TestDb) {
    let store = open(&db).await;
    user(&store, "ann").await;
    let clash = |name: &str, email: &str| NewUser {
        username: Username::parse(name).expect("username"),
        email: Email::parse(email).expect("email"),
        password_hash: "h".to_owned(),
        role: Role::Reader,
    };
    let err = store
        .create_user(&clash("ann", "other@example.org"), 0)
        .await;
    assert!(
        matches!(err, Err(StoreError::Conflict("username"))),
        "{err:?}"
    );
    let err = store.create_user(&clash("bob", "ann@example.org"), 0).await;
    assert!(matches!(err, Err(StoreError::Conflict("email"))), "{err:?}");
    assert!(store.user_for_login("ann").await.expect("query").is_some());
    assert!(
        store
            .user_for_login("ann@example.org")
            .await
            .expect("query")
            .is_some()
    );
    assert!(
        store
            .user_for_login("nobody")
            .await
            .expect("query")
            .is_none()
    );
}

async fn sessions_expire_and_end(db: TestDb) {
    let store = open(&db).await;
    let id = user(&store, "ann").await;
    store
        .create_session("h1", id, 0, 1_000)
        .await
        .expect("session");
    assert_eq!(
        store
            .session_user("h1", 999)
            .await
            .expect("query")
            .map(|u| u.id),
        Some(id)
    );
    assert!(
        store
            .session_user("h1", 1_000)
            .await
            .expect("query")
            .is_none(),
        "expired"
    );
    store.delete_session("h1").await.expect("delete");
    assert!(store.session_user("h1", 0).await.expect("query").is_none());
    store
        .create_session("h2", id, 0, 1_000)
        .await
        .expect("session");
    store.set_password(id, "new").await.expect("password");
    assert!(
        store.session_user("h2", 0).await.expect("query").is_none(),
        "a new password ends sessions"
    );
}

async fn taken_slugs_get_suffixes_or_conflict(db: TestDb) {
    let store = open(&db).await;
    let author = user(&store, "ann").await;
    let (_, a) = store
        .create_article(author, "news", true, &content("News", &[]), None, 0)
        .await
        .expect("a");
    let (_, b) = store
        .create_article(author, "news", true, &content("News", &[]), None, 0)
        .await
        .expect("b");
    let (_, c) = store
        .create_article(author, "news", true, &content("News", &[]), None, 0)
        .await
        .expect("c");
    assert_eq!(
        (a.as_str(), b.as_str(), c.as_str()),
        ("news", "news-2", "news-3")
    );
    let err = store
        .create_article(author, "news", false, &content("News", &[]), None, 0)
        .await;
    assert!(matches!(err, Err(StoreError::Conflict("slug"))));
}

async fn cards_carry_counts_likes_and_tags_in_order(db: TestDb) {
    let store = open(&db).await;
    let author = user(&store, "ann").await;
    let reader = user(&store, "bob").await;
    let id = published(&store, author, "story", 10, &["Zeta", "Alpha"]).await;
    assert_eq!(store.set_like(id, reader, true, 11).await.expect("like"), 1);
    assert_eq!(
        store.set_like(id, reader, true, 12).await.expect("like"),
        1,
        "idempotent"
    );
    assert_eq!(store.set_like(id, author, true, 12).await.expect("like"), 2);
    let comment = |parent: Option<i64>| NewComment {
        article_id: id,
        parent_id: parent,
        author_id: reader,
        body_markdown: "c",
        body_html: "<p>c</p>",
    };
    let first = store
        .add_comment(&comment(None), 13)
        .await
        .expect("comment");
    let second = store
        .add_comment(&comment(Some(first)), 14)
        .await
        .expect("reply");
    let third = store
        .add_comment(&comment(None), 15)
        .await
        .expect("comment");
    store
        .set_comment_hidden(second, Some(author), 16)
        .await
        .expect("hide");
    store.delete_comment(third, 17).await.expect("delete");

    let view = store
        .published_article("story", Some(reader), 100)
        .await
        .expect("query")
        .expect("visible");
    assert_eq!(
        (view.card.likes, view.card.comments, view.card.liked),
        (2, 1, true)
    );
    let tags: Vec<_> = view.card.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tags, ["Zeta", "Alpha"], "typed order");
    let anonymous = store
        .published_article("story", None, 100)
        .await
        .expect("query")
        .expect("visible");
    assert!(!anonymous.card.liked);
    assert_eq!(store.visible_comment_count(id).await.expect("count"), 1);
    assert_eq!(
        store.article_comments(id).await.expect("comments").len(),
        3,
        "placeholders are kept"
    );

    assert_eq!(
        store.set_like(id, reader, false, 18).await.expect("unlike"),
        1
    );
}

async fn only_live_articles_are_listed_and_keyset_pages_do_not_overlap(db: TestDb) {
    let store = open(&db).await;
    let author = user(&store, "ann").await;
    for i in 0..25 {
        // Pairs share a timestamp so the id must break ties.
        published(&store, author, &format!("s{i}"), 1_000 + (i / 2), &["Tag"]).await;
    }
    let (draft, _) = store
        .create_article(author, "draft", false, &content("Draft", &["Tag"]), None, 0)
        .await
        .expect("draft");
    let scheduled = published(&store, author, "later", 5_000, &[]).await;
    let _ = (draft, scheduled);

    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .list_published(Listing::All, after, 7, None, 2_000)
            .await
            .expect("list");
        if page.is_empty() {
            break;
        }
        let last = page.last().expect("last");
        after = Some(Cursor {
            published_at: last.published_at,
            id: last.id,
        });
        seen.extend(page.into_iter().map(|c| c.slug));
    }
    assert_eq!(seen.len(), 25, "every live article exactly once: {seen:?}");
    assert_eq!(seen.first().map(String::as_str), Some("s24"));
    assert!(!seen.iter().any(|s| s == "draft" || s == "later"));
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 25);

    let tagged = store
        .list_published(Listing::Tag("tag"), None, 100, None, 2_000)
        .await
        .expect("tag");
    assert_eq!(tagged.len(), 25);
    let mut tag_pages = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .list_published(Listing::Tag("tag"), after, 4, None, 2_000)
            .await
            .expect("tag page");
        let Some(last) = page.last() else { break };
        after = Some(Cursor {
            published_at: last.published_at,
            id: last.id,
        });
        tag_pages.extend(page.into_iter().map(|c| c.slug));
    }
    assert_eq!(
        tag_pages, seen,
        "tag pages walk the same order as the front page"
    );
    let by_author = store
        .list_published(Listing::Author("ann"), None, 100, None, 10_000)
        .await
        .expect("author");
    assert_eq!(by_author.len(), 26, "the scheduled one is live by then");
}

async fn editing_a_live_article_marks_it_revised_and_replaces_tags(db: TestDb) {
    let store = open(&db).await;
    let author = user(&store, "ann").await;
    let id = published(&store, author, "live", 10, &["Old"]).await;
    store
        .update_article(
            id,
            None,
            &content("Live, revised", &["New", "Newer"]),
            None,
            20,
        )
        .await
        .expect("update");
    let draft = store
        .article_draft(id)
        .await
        .expect("query")
        .expect("exists");
    assert_eq!(draft.revised_at, Some(20));
    assert_eq!(draft.tags, ["New", "Newer"]);
    assert!(draft.slug_locked(20));
    store.unpublish_article(id, 30).await.expect("unpublish");
    assert!(
        store
            .published_article("live", None, 40)
            .await
            .expect("query")
            .is_none()
    );
    assert!(
        store
            .article_draft(id)
            .await
            .expect("query")
            .expect("exists")
            .slug_locked(40),
        "slug stays fixed"
    );
}

async fn site_keys_are_created_once(db: TestDb) {
    let store = open(&db).await;
    let first = store.site_key("k", b"one").await.expect("key");
    let second = store.site_key("k", b"two").await.expect("key");
    assert_eq!(
        (first.as_slice(), second.as_slice()),
        (&b"one"[..], &b"one"[..])
    );
}

async fn login_failures_are_counted_in_a_window(db: TestDb) {
    let store = open(&db).await;
    store
        .record_login_failure(&["a", "b"], 100)
        .await
        .expect("record");
    store
        .record_login_failure(&["a"], 200)
        .await
        .expect("record");
    assert_eq!(store.count_login_failures("a", 0).await.expect("count"), 2);
    assert_eq!(
        store.count_login_failures("a", 150).await.expect("count"),
        1
    );
    assert_eq!(store.count_login_failures("b", 0).await.expect("count"), 1);
}

async fn kept_counts_match_a_recount_after_concurrent_likes_and_comments(db: TestDb) {
    let store = open(&db).await;
    let author = user(&store, "ann").await;
    let id = published(&store, author, "busy", 10, &[]).await;
    let mut readers = Vec::new();
    for i in 0..8 {
        readers.push(user(&store, &format!("reader{i}")).await);
    }
    let mut tasks = Vec::new();
    for (n, reader) in readers.iter().copied().enumerate() {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for round in 0..4 {
                // Two presses at once, then a change of mind on odd rounds.
                let (a, b) = tokio::join!(
                    store.set_like(id, reader, true, 20),
                    store.set_like(id, reader, true, 20)
                );
                a.expect("like");
                b.expect("like");
                if (round + n) % 2 == 1 {
                    store.set_like(id, reader, false, 21).await.expect("unlike");
                }
                let comment = NewComment {
                    article_id: id,
                    parent_id: None,
                    author_id: reader,
                    body_markdown: "c",
                    body_html: "<p>c</p>",
                };
                let comment_id = store.add_comment(&comment, 22).await.expect("comment");
                match (round + n) % 4 {
                    0 => store.delete_comment(comment_id, 23).await.expect("delete"),
                    1 => store
                        .set_comment_hidden(comment_id, Some(author), 23)
                        .await
                        .expect("hide"),
                    2 => {
                        store
                            .set_comment_hidden(comment_id, Some(author), 23)
                            .await
                            .expect("hide");
                        store
                            .set_comment_hidden(comment_id, Some(author), 24)
                            .await
                            .expect("hide twice");
                        store
                            .set_comment_hidden(comment_id, None, 25)
                            .await
                            .expect("unhide");
                        store.delete_comment(comment_id, 26).await.expect("delete");
                        store
                            .delete_comment(comment_id, 27)
                            .await
                            .expect("delete twice");
                    }
                    _ => {}
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    let view = store
        .published_article("busy", None, 100)
        .await
        .expect("query")
        .expect("live");
    let recount = store.recount(id).await.expect("recount");
    assert_eq!((view.card.likes, view.card.comments), recount);
    assert_eq!(
        recount,
        (4, 8),
        "half the readers end liking; a quarter of the comments stay"
    );
    assert_eq!(store.visible_comment_count(id).await.expect("count"), 8);
}

async fn a_seeded_site_is_consistent_and_only_an_empty_one_is_seeded(db: TestDb) {
    let store = open(&db).await;
    let plan = newsroom::store::SeedPlan {
        articles: 50,
        users: 20,
        likes: 310,
        comments: 70,
    };
    plan.check().expect("a possible plan");
    store
        .seed(plan, "hash", 10_000_000, &|_, _, _| {})
        .await
        .expect("seed");
    assert_eq!(store.article_count().await.expect("count"), 50);
    let mut likes = 0;
    let mut comments = 0;
    for id in 1..=50 {
        let (l, c) = store.recount(id).await.expect("recount");
        let slug = format!("seed-article-{id}");
        let view = store
            .published_article(&slug, None, 20_000_000)
            .await
            .expect("query")
            .expect("live");
        assert_eq!((view.card.likes, view.card.comments), (l, c), "{slug}");
        assert_eq!(view.card.tags.len(), 2, "{slug}");
        likes += l;
        comments += c;
    }
    assert_eq!((likes, comments), (310, 70));
    let page = store
        .list_published(Listing::Tag("topic-2"), None, 100, None, 20_000_000)
        .await
        .expect("tag");
    assert!(!page.is_empty());
    assert_counts_match_lists(&store, &["topic-2", "topic-3"], 20_000_000).await;
    let copy = TestDb::sqlite();
    let copied = Store::connect(&copy.url).await.expect("connect");
    store
        .copy_site_to(&copied, &|_, _, _| {})
        .await
        .expect("copy");
    assert_counts_match_lists(&copied, &["topic-2", "topic-3"], 20_000_000).await;
    // New rows after seeding get ids past the generated ones.
    let reader = user(&store, "after").await;
    assert!(reader > 20);
    let err = store.seed(plan, "hash", 0, &|_, _, _| {}).await;
    assert!(
        matches!(err, Err(StoreError::Config(_))),
        "a second seed is refused"
    );
    let impossible = newsroom::store::SeedPlan {
        articles: 1,
        users: 2,
        likes: 3,
        comments: 0,
    };
    assert!(
        impossible.check().is_err(),
        "three likes on one article need three users"
    );
}

#[tokio::test]
async fn an_in_memory_sqlite_site_is_one_database() {
    let store = Store::connect("sqlite::memory:").await.expect("connect");
    let author = user(&store, "ann").await;
    let tasks: Vec<_> = (0..4)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(
                async move { published(&store, author, &format!("m{i}"), 10 + i, &[]).await },
            )
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    assert_eq!(store.article_count().await.expect("count"), 4);
}

async fn accounts_update_partially_and_keep_names_unique(db: TestDb) {
    let store = open(&db).await;
    let ann = user(&store, "ann").await;
    user(&store, "bob").await;
    let account = store.account(ann).await.expect("query").expect("exists");
    assert_eq!((account.bio.as_str(), account.image.as_deref()), ("", None));
    let update = newsroom::store::AccountUpdate {
        bio: Some("Reporter".to_owned()),
        image: Some(Some("https://example.org/ann.jpg".to_owned())),
        ..Default::default()
    };
    let account = store.update_account(ann, &update).await.expect("update");
    assert_eq!(account.bio, "Reporter");
    assert_eq!(account.user.username, "ann", "untouched fields stay");
    let clash = newsroom::store::AccountUpdate {
        username: Some("bob".to_owned()),
        ..Default::default()
    };
    assert!(matches!(
        store.update_account(ann, &clash).await,
        Err(StoreError::Conflict("username"))
    ));
    let clash = newsroom::store::AccountUpdate {
        email: Some("bob@example.org".to_owned()),
        ..Default::default()
    };
    assert!(matches!(
        store.update_account(ann, &clash).await,
        Err(StoreError::Conflict("email"))
    ));
    let remove = newsroom::store::AccountUpdate {
        image: Some(None),
        ..Default::default()
    };
    assert_eq!(
        store
            .update_account(ann, &remove)
            .await
            .expect("update")
            .image,
        None
    );
    assert!(store.account(9_999).await.expect("query").is_none());
}

async fn follows_are_idempotent_and_seen_by_the_follower_only(db: TestDb) {
    let store = open(&db).await;
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    for _ in 0..2 {
        let profile = store
            .set_follow(ann, "bob", true, 1)
            .await
            .expect("follow")
            .expect("bob");
        assert!(profile.following);
    }
    assert!(
        store
            .profile("bob", Some(ann))
            .await
            .expect("query")
            .expect("bob")
            .following
    );
    assert!(
        !store
            .profile("bob", Some(bob))
            .await
            .expect("query")
            .expect("bob")
            .following
    );
    assert!(
        !store
            .profile("bob", None)
            .await
            .expect("query")
            .expect("bob")
            .following
    );
    let profile = store
        .set_follow(ann, "bob", false, 2)
        .await
        .expect("unfollow")
        .expect("bob");
    assert!(!profile.following);
    assert!(
        store
            .set_follow(ann, "nobody", true, 3)
            .await
            .expect("query")
            .is_none()
    );
    let own = store
        .set_follow(ann, "ann", true, 4)
        .await
        .expect("query")
        .expect("ann");
    assert!(!own.following, "nobody follows themselves");

    published(&store, ann, "tagged", 10, &["Zeta", "Alpha"]).await;
    store
        .create_article(ann, "draft", false, &content("Draft", &["Hidden"]), None, 0)
        .await
        .expect("draft");
    assert_eq!(store.live_tags(100).await.expect("tags"), ["Alpha", "Zeta"]);
}

async fn a_write_and_its_publication_land_together(db: TestDb) {
    let store = open(&db).await;
    let author = user(&store, "ann").await;
    let (id, _) = store
        .create_article(
            author,
            "at-once",
            false,
            &content("At once", &["Now"]),
            Some(Publication::At(10)),
            10,
        )
        .await
        .expect("create");
    let tag_page = store
        .list_published(Listing::Tag("now"), None, 10, None, 10)
        .await
        .expect("list");
    assert_eq!(tag_page.len(), 1, "live and on its tag's page at once");
    store
        .update_article(
            id,
            None,
            &content("At once", &["Now"]),
            Some(Publication::Withdraw),
            20,
        )
        .await
        .expect("withdraw");
    assert!(
        store
            .list_published(Listing::Tag("now"), None, 10, None, 30)
            .await
            .expect("list")
            .is_empty()
    );
    store
        .update_article(
            id,
            None,
            &content("At once", &["Now"]),
            Some(Publication::At(100)),
            30,
        )
        .await
        .expect("schedule");
    let draft = store
        .article_draft(id)
        .await
        .expect("query")
        .expect("exists");
    assert_eq!(
        (draft.stage(50), draft.stage(100)),
        (Stage::Scheduled, Stage::Published)
    );
    // A refused write publishes nothing.
    let taken = store
        .create_article(
            author,
            "at-once",
            false,
            &content("Other", &["Other"]),
            Some(Publication::At(40)),
            40,
        )
        .await;
    assert!(matches!(taken, Err(StoreError::Conflict("slug"))));
    assert!(
        store
            .list_published(Listing::Tag("other"), None, 10, None, 50)
            .await
            .expect("list")
            .is_empty()
    );
}

async fn deleting_an_article_takes_its_tags_likes_and_comments(db: TestDb) {
    let store = open(&db).await;
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let gone = published(&store, ann, "gone", 10, &["Shared"]).await;
    let kept = published(&store, ann, "kept", 10, &["Shared"]).await;
    for id in [gone, kept] {
        store.set_like(id, bob, true, 11).await.expect("like");
        let comment = NewComment {
            article_id: id,
            parent_id: None,
            author_id: bob,
            body_markdown: "Hi",
            body_html: "<p>Hi</p>",
        };
        let parent = store.add_comment(&comment, 12).await.expect("comment");
        let reply = NewComment {
            parent_id: Some(parent),
            ..comment
        };
        store.add_comment(&reply, 13).await.expect("reply");
    }
    assert!(store.delete_article(gone).await.expect("delete"));
    assert!(!store.delete_article(gone).await.expect("delete"), "once");
    assert!(store.article_draft(gone).await.expect("query").is_none());
    assert!(
        store
            .article_comments(gone)
            .await
            .expect("query")
            .is_empty()
    );
    assert_eq!(store.recount(gone).await.expect("recount"), (0, 0));
    let shared = store
        .list_published(Listing::Tag("shared"), None, 10, None, 20)
        .await
        .expect("list");
    assert_eq!(shared.iter().map(|c| c.id).collect::<Vec<_>>(), [kept]);
    assert_eq!(store.recount(kept).await.expect("recount"), (1, 2));
    let favorited = ArticleFilter {
        favorited_by: Some("bob"),
        ..ArticleFilter::default()
    };
    assert_eq!(
        store
            .count_filtered_articles(favorited, 20)
            .await
            .expect("count"),
        1
    );
}

async fn the_api_lookup_finds_any_stage_with_the_body(db: TestDb) {
    let store = open(&db).await;
    let ann = user(&store, "ann").await;
    store
        .create_article(ann, "draft", false, &content("Draft", &["B", "A"]), None, 5)
        .await
        .expect("draft");
    let (article, body) = store
        .article_entry("draft", Some(ann))
        .await
        .expect("query")
        .expect("found");
    assert_eq!(body, "body");
    assert_eq!(
        (article.stage(10), article.published_at, article.author_id),
        (Stage::Draft, None, ann)
    );
    assert_eq!(
        article
            .tags
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>(),
        ["B", "A"],
        "typed order; the API sorts"
    );
    assert_eq!(
        store.article_id("draft").await.expect("query"),
        Some(article.id)
    );
    assert!(
        store
            .article_entry("nope", None)
            .await
            .expect("query")
            .is_none()
    );
    assert!(
        store
            .article_entry("a\0b", None)
            .await
            .expect("query")
            .is_none()
    );
    assert_eq!(store.article_id("a\0b").await.expect("query"), None);
}

/// The count an API list reports equals the articles the list holds, for
/// the whole site and for each tag (lists here are short enough to read
/// whole).
async fn assert_counts_match_lists(store: &Store, tags: &[&str], now: i64) {
    let filters = std::iter::once(None).chain(tags.iter().map(|t| Some(*t)));
    for tag_slug in filters {
        let filter = ArticleFilter {
            tag_slug,
            ..ArticleFilter::default()
        };
        let listed = store
            .filtered_articles(filter, 100, 0, None, now)
            .await
            .expect("list")
            .len();
        let counted = store
            .count_filtered_articles(filter, now)
            .await
            .expect("count");
        assert_eq!(counted, listed as i64, "tag {tag_slug:?} at {now}");
    }
}

async fn kept_article_counts_always_match_the_lists(db: TestDb) {
    let store = open(&db).await;
    let ann = user(&store, "ann").await;
    let tags = ["a", "b", "c"];
    let check = |now| assert_counts_match_lists(&store, &tags, now);
    let mut ids = Vec::new();
    for (i, (article_tags, publication)) in [
        (vec!["A", "B"], Some(Publication::At(10))),
        (vec!["A"], Some(Publication::At(10))),
        (vec!["B", "C"], Some(Publication::At(100))),
        (vec!["C"], None),
        (vec![], Some(Publication::At(10))),
        (vec!["A", "C"], Some(Publication::At(20))),
    ]
    .into_iter()
    .enumerate()
    {
        let slug = format!("article-{i}");
        let (id, _) = store
            .create_article(
                ann,
                &slug,
                false,
                &content(&slug, &article_tags),
                publication,
                5,
            )
            .await
            .expect("create");
        ids.push(id);
    }
    check(50).await;
    check(150).await;
    // Retag a live article, reschedule one, withdraw one, republish it.
    store
        .update_article(ids[0], None, &content("article-0", &["C"]), None, 60)
        .await
        .expect("retag");
    check(60).await;
    store
        .publish_article(ids[1], 200, 61)
        .await
        .expect("reschedule");
    check(62).await;
    check(250).await;
    store.unpublish_article(ids[5], 63).await.expect("withdraw");
    store.unpublish_article(ids[5], 64).await.expect("twice");
    check(65).await;
    store
        .update_article(
            ids[5],
            None,
            &content("article-5", &["B"]),
            Some(Publication::At(66)),
            66,
        )
        .await
        .expect("republish retagged");
    check(70).await;
    // Delete a live, a scheduled and a draft article.
    for id in [ids[0], ids[2], ids[3]] {
        assert!(store.delete_article(id).await.expect("delete"));
    }
    check(80).await;
    check(300).await;
    // Concurrent publishing and withdrawing count each change once.
    let (draft, _) = store
        .create_article(
            ann,
            "contested",
            false,
            &content("contested", &["A"]),
            None,
            90,
        )
        .await
        .expect("create");
    let mut tasks = Vec::new();
    for n in 0..8 {
        let store = store.clone();
        let live = ids[4];
        tasks.push(tokio::spawn(async move {
            store.publish_article(draft, 91, 91).await.expect("publish");
            if n % 2 == 0 {
                store.unpublish_article(live, 92).await.expect("withdraw");
            } else {
                store.publish_article(live, 92, 92).await.expect("publish");
            }
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    check(400).await;
}

fn written(headline: &str, summary: &str, body: &str, tags: &[&str]) -> ArticleContent {
    let mut errors = newsroom::domain::FieldErrors::default();
    ArticleContent::parse(headline, summary, body, tags.iter().copied(), &mut errors)
        .expect("valid article")
}

async fn search(store: &Store, words: &str, now: i64) -> Vec<SearchHit> {
    let query = SearchQuery::parse(words);
    search_with(store, &query, |r| r, now).await
}

async fn search_with(
    store: &Store,
    query: &SearchQuery,
    adjust: impl FnOnce(SearchRequest<'_>) -> SearchRequest<'_>,
    now: i64,
) -> Vec<SearchHit> {
    let request = SearchRequest {
        query,
        tag_slug: None,
        author: None,
        from: None,
        until: None,
        after: None,
        limit: 20,
    };
    store
        .search(adjust(request), None, now)
        .await
        .expect("search never fails")
}

fn slugs(hits: &[SearchHit]) -> Vec<&str> {
    hits.iter().map(|h| h.card.slug.as_str()).collect()
}

async fn search_finds_live_articles_by_every_field_ranked_and_paged(db: TestDb) {
    let store = open(&db).await;
    let ann = user(&store, "ann").await;
    let bob = user(&store, "bob").await;
    let articles = [
        (
            "headline",
            ann,
            written(
                "Tram line opens",
                "",
                "The council cut the ribbon.",
                &["Transport"],
            ),
            Some(Publication::At(10)),
        ),
        (
            "body",
            bob,
            written(
                "Budget day",
                "Numbers.",
                "Also a word on the tram depot.",
                &[],
            ),
            Some(Publication::At(20)),
        ),
        (
            "draft",
            ann,
            written("Secret tram plans", "", "Tram tram tram.", &[]),
            None,
        ),
        (
            "later",
            ann,
            written("Tram timetable", "", "Soon.", &[]),
            Some(Publication::At(1_000)),
        ),
        (
            "summary",
            bob,
            written("Harbour news", "Ferries and trams.", "Boats.", &["Ferries"]),
            Some(Publication::At(30)),
        ),
    ];
    for (slug, author, content, publication) in &articles {
        store
            .create_article(*author, slug, false, content, *publication, 5)
            .await
            .expect("create");
    }
    let now = 100;
    let hits = search(&store, "tram", now).await;
    assert_eq!(slugs(&hits)[0], "headline", "a headline match ranks first");
    let mut found = slugs(&hits);
    found.sort_unstable();
    assert_eq!(
        found,
        ["body", "headline", "summary"],
        "drafts and scheduled articles never"
    );
    assert_eq!(
        slugs(&search(&store, "tram", 2_000).await).len(),
        4,
        "scheduled, once live"
    );
    assert_eq!(
        slugs(&search(&store, "transport", now).await),
        ["headline"],
        "tags"
    );
    assert_eq!(
        slugs(&search(&store, "bob budget", now).await),
        ["body"],
        "author and every word"
    );
    assert!(search(&store, "tram nonexistentword", now).await.is_empty());
    let snippet = &search(&store, "depot", now).await[0].snippet;
    assert!(
        snippet
            .iter()
            .any(|p| p.highlighted && p.text.to_lowercase() == "depot"),
        "{snippet:?}"
    );

    // Filters.
    let query = SearchQuery::parse("tram");
    let by_tag = search_with(
        &store,
        &query,
        |r| SearchRequest {
            tag_slug: Some("ferries"),
            ..r
        },
        now,
    )
    .await;
    assert_eq!(slugs(&by_tag), ["summary"]);
    let by_author = search_with(
        &store,
        &query,
        |r| SearchRequest {
            author: Some("bob"),
            ..r
        },
        now,
    )
    .await;
    assert_eq!(by_author.len(), 2);
    let in_time = search_with(
        &store,
        &query,
        |r| SearchRequest {
            from: Some(15),
            until: Some(25),
            ..r
        },
        now,
    )
    .await;
    assert_eq!(slugs(&in_time), ["body"]);

    // Keyset pages cover every hit once.
    let mut after: Option<SearchCursor> = None;
    let mut paged = Vec::new();
    loop {
        let page = search_with(
            &store,
            &query,
            |r| SearchRequest {
                after,
                limit: 1,
                ..r
            },
            now,
        )
        .await;
        let Some(last) = page.last() else { break };
        after = Some(last.cursor);
        paged.extend(page.iter().map(|h| h.card.slug.clone()));
    }
    assert_eq!(paged, slugs(&hits));

    // Any text is words, never syntax.
    let long = "x".repeat(10_000);
    for hostile in [
        "\"tram",
        "tram AND OR NOT",
        "(tram",
        "tram*",
        "NEAR(tram",
        "🙂",
        "",
        "'; --",
        long.as_str(),
        "\u{0}",
    ] {
        search(&store, hostile, now).await;
    }
    assert_eq!(
        search(&store, "NEAR(tram depot)", now).await.len(),
        0,
        "NEAR is a word here, not FTS5's operator"
    );
}

async fn search_follows_edits_unpublishing_deletion_and_renames_at_once(db: TestDb) {
    let store = open(&db).await;
    let ann = user(&store, "ann").await;
    let (id, _) = store
        .create_article(
            ann,
            "story",
            false,
            &written("Harbour crane", "", "A crane fell.", &[]),
            Some(Publication::At(10)),
            10,
        )
        .await
        .expect("create");
    assert_eq!(search(&store, "crane", 20).await.len(), 1);
    store
        .update_article(
            id,
            None,
            &written("Harbour news", "", "Nothing fell.", &["Docks"]),
            None,
            20,
        )
        .await
        .expect("edit");
    assert!(search(&store, "crane", 30).await.is_empty(), "edited away");
    assert_eq!(search(&store, "docks", 30).await.len(), 1, "new tag");
    store
        .update_account(
            ann,
            &AccountUpdate {
                username: Some("annabel".to_owned()),
                ..AccountUpdate::default()
            },
        )
        .await
        .expect("rename");
    assert_eq!(
        search(&store, "annabel", 30).await.len(),
        1,
        "by the new name"
    );
    assert!(search(&store, "ann", 30).await.is_empty());
    store.unpublish_article(id, 40).await.expect("unpublish");
    assert!(search(&store, "harbour", 50).await.is_empty());
    store.publish_article(id, 60, 60).await.expect("publish");
    assert_eq!(search(&store, "harbour", 70).await.len(), 1);
    store.delete_article(id).await.expect("delete");
    assert!(search(&store, "harbour", 80).await.is_empty());
}

async fn search_ranks_a_window_of_the_newest_matches_after_filtering(db: TestDb) {
    use newsroom::store::{SEARCH_WINDOW, seed_word};
    let store = open(&db).await;
    let plan = newsroom::store::SeedPlan {
        articles: 1_500,
        users: 10,
        likes: 0,
        comments: 0,
    };
    let now = 100_000_000_000;
    store
        .seed(plan, "hash", now, &|_, _, _| {})
        .await
        .expect("seed");
    // Seeded article n is published at first + n minutes.
    let first = now - 3_600_000 - 1_500 * 60_000;
    let query = SearchQuery::parse(&seed_word(1));
    let everything = |after| {
        search_with(
            &store,
            &query,
            move |r| SearchRequest {
                after,
                limit: 100,
                ..r
            },
            now,
        )
    };
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = everything(after).await;
        let Some(last) = page.last() else { break };
        after = Some(last.cursor);
        seen.extend(page.iter().map(|h| h.card.id));
    }
    assert_eq!(
        seen.len() as i64,
        SEARCH_WINDOW,
        "the most common word matches more than the window"
    );
    let oldest = seen.iter().min().copied().unwrap_or_default();
    assert!(
        oldest > 1_500 - SEARCH_WINDOW - 100,
        "the newest matches: {oldest}"
    );
    // A filter applies before the window, so old articles stay reachable.
    let early = search_with(
        &store,
        &query,
        |r| SearchRequest {
            until: Some(first + 101 * 60_000),
            limit: 200,
            ..r
        },
        now,
    )
    .await;
    assert!(
        !early.is_empty() && early.iter().all(|h| h.card.id <= 100),
        "{}",
        early.len()
    );
}

fn image(id: &str, uploaded_by: i64) -> NewImage {
    NewImage {
        id: id.to_owned(),
        width: 1200,
        height: 800,
        widths: vec![480, 960, 1200],
        original: "original.jpg".to_owned(),
        alt: format!("Picture {id}"),
        caption: String::new(),
        uploaded_by,
    }
}

async fn covers_are_set_described_replaced_and_removed_with_their_records(db: TestDb) {
    let store = open(&db).await;
    let ann = user(&store, "ann").await;
    let live = published(&store, ann, "live", 10, &[]).await;
    let draft = store
        .create_article(ann, "draft", false, &content("draft", &[]), None, 10)
        .await
        .expect("draft")
        .0;

    assert_eq!(
        store
            .set_cover(live, Some(&image("a", ann)), 20)
            .await
            .expect("set"),
        None
    );
    let view = store
        .published_article("live", None, 30)
        .await
        .expect("query")
        .expect("live");
    let cover = view.card.cover.expect("the card carries its cover");
    assert_eq!((cover.id.as_str(), cover.alt.as_str()), ("a", "Picture a"));
    assert_eq!(
        (cover.width, cover.height, cover.widths),
        (1200, 800, vec![480, 960, 1200])
    );
    assert_eq!(
        view.card.revised_at,
        Some(20),
        "a new cover revises a live article"
    );
    let listed = store
        .list_published(Listing::All, None, 10, None, 30)
        .await
        .expect("list");
    assert_eq!(listed[0].cover.as_ref().map(|c| c.id.as_str()), Some("a"));

    // Replacing hands back the old image, whose record is gone with it.
    assert_eq!(
        store
            .set_cover(live, Some(&image("b", ann)), 40)
            .await
            .expect("replace"),
        Some("a".to_owned())
    );
    assert!(
        store
            .describe_cover(live, "Ships", "Photo: Ann", 50)
            .await
            .expect("describe")
    );
    let cover = store
        .article_draft(live)
        .await
        .expect("query")
        .expect("article")
        .cover;
    let cover = cover.expect("cover");
    assert_eq!(
        (
            cover.id.as_str(),
            cover.alt.as_str(),
            cover.caption.as_str()
        ),
        ("b", "Ships", "Photo: Ann")
    );
    // The old id is free again: its record really went.
    assert_eq!(
        store
            .set_cover(draft, Some(&image("a", ann)), 60)
            .await
            .expect("reuse"),
        None
    );
    assert_eq!(
        store
            .article_draft(draft)
            .await
            .expect("query")
            .expect("draft")
            .revised_at,
        None,
        "a draft is not revised"
    );

    assert_eq!(
        store.set_cover(live, None, 70).await.expect("remove"),
        Some("b".to_owned())
    );
    assert!(
        !store
            .describe_cover(live, "x", "", 80)
            .await
            .expect("describe"),
        "no cover"
    );
    assert!(
        store
            .article_draft(live)
            .await
            .expect("query")
            .expect("live")
            .cover
            .is_none()
    );
    assert!(
        store
            .set_cover(9999, Some(&image("c", ann)), 90)
            .await
            .is_err(),
        "no article"
    );
    assert!(
        store
            .set_cover(live, Some(&image("c", ann)), 90)
            .await
            .is_ok(),
        "nothing was left half-done"
    );

    // Deleting an article deletes its cover's record.
    assert!(store.delete_article(draft).await.expect("delete"));
    assert_eq!(
        store
            .set_cover(live, Some(&image("a", ann)), 100)
            .await
            .expect("reuse"),
        Some("c".to_owned())
    );
}

async fn added_tags_are_counted_capped_and_no_revision(db: TestDb) {
    let store = open(&db).await;
    let author = user(&store, "tagger").await;
    let id = published(&store, author, "tagged", 1_000, &["One"]).await;
    let many: Vec<(String, String)> = (0..30)
        .map(|n| (format!("Extra {n}"), format!("extra-{n}")))
        .collect();
    let added = store.add_tags(id, &many).await.expect("add");
    assert_eq!(added, newsroom::domain::tag::TAGS_PER_ARTICLE_MAX - 1);
    let draft = store.article_draft(id).await.expect("read").expect("draft");
    assert_eq!(draft.tags[0], "One");
    assert_eq!(
        draft.tags.len(),
        newsroom::domain::tag::TAGS_PER_ARTICLE_MAX
    );
    assert_eq!(draft.revised_at, None);
    assert_counts_match_lists(&store, &["one", "extra-0", "extra-18"], 2_000).await;
    assert_eq!(store.add_tags(id, &many).await.expect("again"), 0);
    let missing = store.add_tags(id + 1000, &many).await;
    assert!(matches!(
        missing,
        Err(StoreError::Database(sqlx::Error::RowNotFound))
    ));
}

async fn tag_kinds_aliases_and_rejections_are_kept(db: TestDb) {
    use newsroom::domain::tag::TagKind;
    let store = open(&db).await;
    let author = user(&store, "kinds").await;
    let id = published(&store, author, "kinds", 1_000, &["Merkel", "Berlin"]).await;
    store
        .classify_tags(&[("berlin".to_owned(), TagKind::Place)])
        .await
        .expect("classify");
    let aliases = [("angela".to_owned(), "Angela".to_owned())];
    assert!(
        store
            .update_tag("merkel", TagKind::Person, &aliases)
            .await
            .expect("update")
    );
    // An editor's choice is not overridden by the extractor.
    assert!(
        store
            .update_tag("berlin", TagKind::Topic, &[])
            .await
            .expect("update")
    );
    store
        .classify_tags(&[("berlin".to_owned(), TagKind::Place)])
        .await
        .expect("classify");
    let berlin = store
        .tag_details("berlin")
        .await
        .expect("read")
        .expect("tag");
    assert_eq!(berlin.kind, Some(TagKind::Topic));
    let entities = store.entity_tags().await.expect("entities");
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].name, "Merkel");
    assert_eq!(entities[0].aliases, ["Angela"]);
    assert_eq!(
        store.alias_owner("angela").await.expect("owner").as_deref(),
        Some("merkel")
    );
    let taken = store.update_tag("berlin", TagKind::Place, &aliases).await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))));
    assert!(
        !store
            .update_tag("nowhere", TagKind::Place, &[])
            .await
            .expect("update")
    );

    store.reject_suggestion(id, "paris").await.expect("reject");
    store
        .reject_suggestion(id, "paris")
        .await
        .expect("twice is fine");
    assert_eq!(
        store.rejected_suggestions(id).await.expect("read"),
        ["paris"]
    );
    assert!(store.delete_article(id).await.expect("delete"));
    assert!(
        store
            .rejected_suggestions(id)
            .await
            .expect("read")
            .is_empty()
    );
    assert_eq!(
        store
            .list_tags(Some(TagKind::Person), 10)
            .await
            .expect("list")
            .len(),
        1
    );
}

async fn rate_windows_count_to_their_limit_reset_and_are_pruned(db: TestDb) {
    use newsroom::domain::rate::{Rates, Window};
    let store = open(&db).await;
    let rates: Rates = "3/min".parse().expect("rates");
    let rule = rates.rules()[0];
    // Racing takes on one bucket: exactly the limit passes.
    let takes = (0..20).map(|_| store.take_rate("test:min:a", rule, 1_000));
    let taken = futures_util::future::join_all(takes).await;
    let passed: Vec<Window> = taken
        .into_iter()
        .filter_map(|t| t.expect("query"))
        .collect();
    assert_eq!(passed.len(), 3);
    assert!(passed.iter().all(|w| w.resets_at == 61_000));
    assert_eq!(
        store.rate_window("test:min:a").await.expect("query"),
        Some(Window {
            resets_at: 61_000,
            used: 3
        })
    );
    assert!(
        store
            .take_rate("test:min:b", rule, 1_000)
            .await
            .expect("query")
            .is_some()
    );
    // When the window closes, the next action opens a new one.
    let reopened = store
        .take_rate("test:min:a", rule, 61_000)
        .await
        .expect("query");
    assert_eq!(
        reopened,
        Some(Window {
            resets_at: 121_000,
            used: 1
        })
    );
    assert_eq!(
        store.prune_rates(61_000).await.expect("prune"),
        1,
        "b's closed window"
    );
    assert_eq!(store.rate_window("test:min:b").await.expect("query"), None);
    assert!(
        store
            .rate_window("test:min:a")
            .await
            .expect("query")
            .is_some()
    );
}
