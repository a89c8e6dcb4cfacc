//! Cover images: uploaded in the desk, checked, cleaned and resized, served
//! with long cache lives, shown on pages and in social cards, and removed
//! with the article or cover that owned them.

use crate::db::TestDb;
use crate::helpers::{Browser, Page, TestApp, extract_between, unescape_html};
use image::ImageFormat;
use newsroom::config::SiteConfig;
use newsroom::domain::user::Role;
use newsroom::media::samples::{encoded, gradient, with_exif};
use reqwest::StatusCode;

crate::on_both_backends!(
    a_cover_is_cleaned_resized_served_and_shown_everywhere,
    anything_but_a_good_image_is_refused_with_the_form_kept,
    covers_follow_the_desk_rules_and_need_the_form_token,
    replaced_removed_and_deleted_covers_leave_no_files,
);

/// A photo as a phone would send it: 1200×800, with EXIF.
pub fn photo() -> Vec<u8> {
    with_exif(
        &encoded(&gradient(1200, 800), ImageFormat::Jpeg),
        1,
        "GPS 51.5 N HOME-ADDRESS",
    )
}

/// Saves a draft as `author`; returns its desk address.
async fn draft(author: &Browser, headline: &str) -> String {
    let page = author
        .submit(
            "/desk/new",
            "/desk/new",
            &[
                ("headline", headline),
                ("summary", "A summary."),
                ("body", "The body."),
                ("tags", "Harbour"),
                ("slug", ""),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.path().split('?').next().unwrap_or_default().to_owned()
}

/// A file to upload: its name, media type and bytes.
type File<'a> = (&'a str, &'a str, &'a [u8]);

/// Sends the cover form of the article at `desk` as someone who opened it.
pub async fn upload(
    person: &Browser,
    desk: &str,
    alt: &str,
    caption: &str,
    file: Option<File<'_>>,
) -> Page {
    let csrf = person.get(desk).await.csrf();
    person
        .post_multipart(
            &format!("{desk}/cover"),
            &[("csrf", &csrf), ("alt", alt), ("caption", caption)],
            file.map(|(name, mime, bytes)| ("image", name, mime, bytes)),
        )
        .await
}

/// Publishes an article through the desk as a new editor and gives it
/// `photo()` as its cover; returns its slug and the image's id.
pub async fn publish_with_cover(
    app: &TestApp,
    (headline, body, tags): (&str, &str, &str),
    alt: &str,
    caption: &str,
) -> (String, String) {
    let editor = app.editor().await;
    let slug = TestApp::publish_as(&editor, headline, body, tags).await;
    let id = app
        .store()
        .article_id(&slug)
        .await
        .expect("query")
        .expect("id");
    let page = upload(
        &editor,
        &format!("/desk/articles/{id}"),
        alt,
        caption,
        Some(("photo.jpg", "image/jpeg", &photo())),
    )
    .await;
    assert!(page.shows("Cover image saved."), "{}", page.body);
    (slug, image_id(&page.body).expect("the cover"))
}

/// The image id in the first `/media/{id}/` address of a page.
pub fn image_id(html: &str) -> Option<String> {
    extract_between(html, "/media/", "/")
}

/// Every file the app keeps for images.
fn stored_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let Ok(folders) = std::fs::read_dir(&app.state.config.media_dir) else {
        return files;
    };
    for folder in folders.flatten() {
        for file in std::fs::read_dir(folder.path())
            .expect("an image folder")
            .flatten()
        {
            files.push(file.path());
        }
    }
    files
}

fn meta(html: &str, key: &str) -> Option<String> {
    for attribute in ["property", "name"] {
        let start = format!("<meta {attribute}=\"{key}\" content=\"");
        if let Some(value) = extract_between(html, &start, "\"") {
            return Some(unescape_html(&value));
        }
    }
    None
}

async fn a_cover_is_cleaned_resized_served_and_shown_everywhere(db: TestDb) {
    let app = TestApp::on(db).await;
    let editor = app.editor().await;
    let desk = draft(&editor, "Tall ships return to Harbourne").await;
    let page = upload(
        &editor,
        &desk,
        "Three tall ships under sail at the harbour mouth",
        "Photo: Mara Lind <for the Gazette>",
        Some(("ships.jpg", "image/jpeg", &photo())),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.shows("Cover image saved."), "{}", page.body);
    let id = image_id(&page.body).expect("the desk shows the cover");
    assert!(
        page.shows("Three tall ships under sail"),
        "the alt text is kept for editing"
    );

    // Published, the article leads with the picture in every size and format.
    let page = editor
        .submit(
            &desk,
            &desk,
            &[
                ("headline", "Tall ships return to Harbourne"),
                ("summary", "A summary."),
                ("body", "The body."),
                ("tags", "Harbour"),
                ("slug", ""),
                ("action", "publish"),
            ],
        )
        .await;
    assert!(page.shows("Published."), "{}", page.body);
    let reader = app.browser();
    let article = reader.get("/articles/tall-ships-return-to-harbourne").await;
    let figure = extract_between(&article.body, "<figure class=\"cover\">", "</figure>")
        .expect("the article shows its cover");
    assert!(figure.contains(&format!(
        "srcset=\"/media/{id}/480.webp 480w, /media/{id}/960.webp 960w, /media/{id}/1200.webp 1200w\""
    )), "{figure}");
    assert!(figure.contains(&format!(
        "srcset=\"/media/{id}/480.jpg 480w, /media/{id}/960.jpg 960w, /media/{id}/1200.jpg 1200w\""
    )), "{figure}");
    assert!(
        figure.contains(&format!("src=\"/media/{id}/960.jpg\"")),
        "{figure}"
    );
    assert!(
        figure.contains("width=\"1200\" height=\"800\""),
        "space is kept while it loads"
    );
    assert!(figure.contains("alt=\"Three tall ships under sail at the harbour mouth\""));
    assert!(
        figure.contains("<figcaption>Photo: Mara Lind &#60;for the Gazette&#62;</figcaption>")
            || figure.contains("<figcaption>Photo: Mara Lind &lt;for the Gazette&gt;</figcaption>"),
        "the caption, escaped: {figure}"
    );
    assert!(
        !figure.contains("loading=\"lazy\""),
        "the lead picture loads at once"
    );

    // Every file is a real image of its size, without the phone's metadata,
    // served for a year.
    for (file, mime, width) in [
        ("original.jpg", "image/jpeg", 1200),
        ("480.webp", "image/webp", 480),
        ("960.jpg", "image/jpeg", 960),
        ("1200.webp", "image/webp", 1200),
        ("1200.jpg", "image/jpeg", 1200),
    ] {
        let response = reader
            .client
            .get(reader.url(&format!("/media/{id}/{file}")))
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), StatusCode::OK, "{file}");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(header("content-type"), mime, "{file}");
        assert_eq!(
            header("cache-control"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(header("x-content-type-options"), "nosniff", "{file}");
        let bytes = response.bytes().await.expect("bytes");
        assert!(!bytes.windows(12).any(|w| w == b"HOME-ADDRESS"), "{file}");
        assert!(!bytes.windows(4).any(|w| w == b"Exif"), "{file}");
        let picture = image::load_from_memory(&bytes).expect("decodes");
        assert_eq!(
            (picture.width(), picture.height()),
            (width, width * 2 / 3),
            "{file}"
        );
    }
    for missing in [
        format!("/media/{id}/2400.jpg"),
        format!("/media/{id}/480.gif"),
        format!("/media/{id}/..%2f..%2fsecret.jpg"),
        "/media/nonexistent/480.jpg".to_owned(),
    ] {
        assert_eq!(
            reader.get(&missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }

    // Shared, the largest JPEG is the picture of the card and the article.
    let largest = format!("{}/media/{id}/1200.jpg", app.base);
    assert_eq!(
        meta(&article.body, "og:image").as_deref(),
        Some(largest.as_str())
    );
    assert_eq!(
        meta(&article.body, "og:image:width").as_deref(),
        Some("1200")
    );
    assert_eq!(
        meta(&article.body, "og:image:height").as_deref(),
        Some("800")
    );
    assert_eq!(
        meta(&article.body, "og:image:alt").as_deref(),
        Some("Three tall ships under sail at the harbour mouth")
    );
    assert_eq!(
        meta(&article.body, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    let json_ld = extract_between(
        &article.body,
        "<script type=\"application/ld+json\">",
        "</script>",
    )
    .expect("JSON-LD");
    let news: serde_json::Value = serde_json::from_str(&json_ld).expect("JSON-LD parses");
    assert_eq!(news["@type"], "NewsArticle");
    assert_eq!(news["image"][0]["url"], largest.as_str());
    assert_eq!(news["image"][0]["width"], 1200);
    assert_eq!(
        news["image"][0]["caption"],
        "Photo: Mara Lind <for the Gazette>"
    );

    // On the front page, a lazy thumbnail beside the headline that says
    // the same, so it is silent to screen readers.
    let front = reader.get("/").await;
    let card = extract_between(
        &front.body,
        "<article class=\"card with-cover\">",
        "</article>",
    )
    .expect("the card has the cover");
    assert!(
        card.contains("loading=\"lazy\"") && card.contains("alt=\"\""),
        "{card}"
    );
    assert!(card.contains("aria-hidden=\"true\"") && card.contains("tabindex=\"-1\""));

    // Feed readers get the picture with each entry, in every format.
    for feed in ["/feed.xml", "/atom.xml"] {
        let body = reader.get(feed).await.body;
        let parsed = feed_rs::parser::parse(body.as_bytes()).expect("the feed parses");
        let entry = &parsed.entries[0];
        let urls: Vec<String> = entry
            .media
            .iter()
            .flat_map(|m| m.content.iter().filter_map(|c| c.url.as_ref()))
            .map(|u| u.to_string())
            .chain(
                entry
                    .links
                    .iter()
                    .filter(|l| l.rel.as_deref() == Some("enclosure"))
                    .map(|l| l.href.clone()),
            )
            .collect();
        assert!(urls.contains(&largest), "{feed}: {urls:?} in {entry:?}");
    }

    // feed-rs does not read JSON Feed's `image`: checked as JSON.
    let json_feed: serde_json::Value =
        serde_json::from_str(&reader.get("/feed.json").await.body).expect("JSON Feed");
    assert_eq!(json_feed["items"][0]["image"], largest.as_str());

    // An article without a cover says nothing about images.
    let plain = app
        .publish("Quiet day at the docks", "Nothing happened.", "")
        .await;
    let plain = reader.get(&format!("/articles/{plain}")).await;
    assert!(meta(&plain.body, "og:image").is_none());
    assert_eq!(
        meta(&plain.body, "twitter:card").as_deref(),
        Some("summary")
    );
    assert!(!plain.body.contains("<figure class=\"cover\">"));
}

async fn anything_but_a_good_image_is_refused_with_the_form_kept(db: TestDb) {
    let config = SiteConfig {
        max_upload_bytes: 1024 * 1024,
        ..SiteConfig::default()
    };
    let app = TestApp::on_configured(db, config).await;
    let (author, _) = app.user(Role::Author).await;
    let desk = draft(&author, "Storm damage on the promenade").await;
    assert!(
        author.get(&desk).await.shows("up to 1 MB"),
        "the form says the limit"
    );
    let jpeg = encoded(&gradient(300, 200), ImageFormat::Jpeg);
    // The smallest GIF there is: one transparent pixel.
    let gif = b"GIF89a\x01\0\x01\0\x80\0\0\xff\xff\xff\0\0\0!\xf9\x04\x01\0\0\0\0,\0\0\0\0\x01\0\x01\0\0\x02\x02D\x01\0;";
    let huge = with_exif(&jpeg, 1, &"x".repeat(60_000));

    let cases: [(&str, Option<File>, &str); 7] = [
        (
            "A text file named like a picture",
            Some(("notes.jpg", "image/jpeg", b"Meeting notes, not a photo.")),
            "Choose a JPEG, PNG or WebP image.",
        ),
        (
            "A GIF",
            Some(("waves.gif", "image/gif", gif)),
            "Choose a JPEG, PNG or WebP image.",
        ),
        (
            "Half a JPEG",
            Some(("cut.jpg", "image/jpeg", &jpeg[..jpeg.len() / 2])),
            "This JPEG file is damaged or incomplete",
        ),
        (
            "",
            Some(("storm.jpg", "image/jpeg", &jpeg)),
            "The description",
        ),
        ("No file at all", None, "Choose an image to upload."),
        (
            "An empty file input",
            Some(("", "application/octet-stream", b"")),
            "Choose an image to upload.",
        ),
        (
            &"A description far too long. ".repeat(20),
            Some(("storm.jpg", "image/jpeg", &jpeg)),
            "The description",
        ),
    ];
    for (alt, file, message) in cases {
        let page = upload(&author, &desk, alt, "Kept caption ✓", file).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{alt}: {}",
            page.body
        );
        assert!(page.shows(message), "{alt}: {message} in {}", page.body);
        assert!(page.body.contains("role=\"alert\""), "{alt}");
        assert!(
            page.body.contains(&format!("value=\"{alt}\"")),
            "{alt}: the description is kept"
        );
        assert!(
            page.body.contains("value=\"Kept caption ✓\""),
            "{alt}: the caption is kept"
        );
        assert!(
            page.shows("Storm damage on the promenade"),
            "the article form is there too"
        );
    }

    // Over the limit: refused before it is read to the end, with a message.
    let big = vec![0xAB_u8; 1024 * 1024 + 200 * 1024];
    let page = upload(
        &author,
        &desk,
        "Big",
        "",
        Some(("big.jpg", "image/jpeg", &big)),
    )
    .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.shows("larger than 1 MB"), "{}", page.body);
    // Just over the limit, inside the room left for the form: the form again.
    let over = vec![0xAB_u8; 1024 * 1024 + 10];
    let page = upload(
        &author,
        &desk,
        "Big",
        "",
        Some(("big.jpg", "image/jpeg", &over)),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.shows("larger than 1 MB"), "{}", page.body);

    assert!(stored_files(&app).is_empty(), "nothing refused was kept");
    assert!(!author.get(&desk).await.body.contains("/media/"));

    // A picture with a long EXIF block but well inside the limit is fine.
    let page = upload(
        &author,
        &desk,
        "Waves over the sea wall",
        "",
        Some(("ok.jpg", "image/jpeg", &huge)),
    )
    .await;
    assert!(page.shows("Cover image saved."), "{}", page.body);
}

async fn covers_follow_the_desk_rules_and_need_the_form_token(db: TestDb) {
    let app = TestApp::on(db).await;
    let (author, _) = app.user(Role::Author).await;
    let desk = draft(&author, "Ferry timetable changes").await;
    let jpeg = encoded(&gradient(200, 100), ImageFormat::Jpeg);
    let file = Some(("f.jpg", "image/jpeg", jpeg.as_slice()));

    // Without the form's token: refused, nothing kept.
    let page = author
        .post_multipart(
            &format!("{desk}/cover"),
            &[("alt", "A ferry")],
            Some(("image", "f.jpg", "image/jpeg", &jpeg)),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = author
        .post_multipart(
            &format!("{desk}/cover"),
            &[("csrf", "forged"), ("alt", "A ferry")],
            None,
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);

    // Another author and a reader may not; an anonymous visitor is asked to log in.
    let (other, _) = app.user(Role::Author).await;
    let csrf = other.get("/desk/new").await.csrf();
    let page = other
        .post_multipart(
            &format!("{desk}/cover"),
            &[("csrf", &csrf), ("alt", "A ferry")],
            Some(("image", "f.jpg", "image/jpeg", &jpeg)),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    let (reader, _) = app.user(Role::Reader).await;
    let csrf = reader.get("/").await.csrf();
    let page = reader
        .post_multipart(
            &format!("{desk}/cover"),
            &[("csrf", &csrf), ("alt", "A ferry")],
            Some(("image", "f.jpg", "image/jpeg", &jpeg)),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let anonymous = app.browser();
    let csrf = anonymous.get("/login").await.csrf();
    let page = anonymous
        .post_multipart(
            &format!("{desk}/cover"),
            &[("csrf", &csrf), ("alt", "A ferry")],
            Some(("image", "f.jpg", "image/jpeg", &jpeg)),
        )
        .await;
    assert!(page.url.contains("/login"), "{}", page.url);
    let csrf = author.get(&desk).await.csrf();
    let page = author
        .post_multipart(
            "/desk/articles/999999/cover",
            &[("csrf", &csrf), ("alt", "A ferry")],
            Some(("image", "f.jpg", "image/jpeg", &jpeg)),
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(stored_files(&app).is_empty());

    // The author may, on their own draft; the editor too.
    assert!(
        upload(&author, &desk, "A ferry", "", file)
            .await
            .shows("Cover image saved.")
    );
    let editor = app.editor().await;
    assert!(
        upload(&editor, &desk, "The ferry at dawn", "", file)
            .await
            .shows("Cover image saved.")
    );
    assert_eq!(
        stored_files(&app).len(),
        3,
        "one image 200 wide: an original and itself in two formats"
    );
}

async fn replaced_removed_and_deleted_covers_leave_no_files(db: TestDb) {
    let app = TestApp::on(db).await;
    let editor = app.editor().await;
    let desk = draft(&editor, "Market hall restored").await;
    let png = encoded(&gradient(600, 400), ImageFormat::Png);
    let webp = encoded(&gradient(400, 300), ImageFormat::WebP);

    let page = upload(
        &editor,
        &desk,
        "The market hall",
        "",
        Some(("a.png", "image/png", &png)),
    )
    .await;
    let first = image_id(&page.body).expect("first cover");
    assert_eq!(
        editor
            .get(&format!("/media/{first}/original.png"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        stored_files(&app).len(),
        5,
        "600 wide: an original, 480 and 600 in two formats"
    );

    let page = upload(
        &editor,
        &desk,
        "The new roof",
        "Photo: Ines",
        Some(("b.webp", "image/webp", &webp)),
    )
    .await;
    let second = image_id(&page.body).expect("second cover");
    assert_ne!(
        first, second,
        "a new picture is a new address: caches never show the old one"
    );
    assert_eq!(
        editor.get(&format!("/media/{first}/480.jpg")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stored_files(&app).len(),
        3,
        "only the new cover's files are left"
    );

    // Only the words change: same picture, new description and caption.
    let page = upload(
        &editor,
        &desk,
        "The new copper roof",
        "Photo: Ines Okafor",
        None,
    )
    .await;
    assert!(page.shows("Cover image saved."), "{}", page.body);
    assert_eq!(image_id(&page.body).as_deref(), Some(second.as_str()));
    assert!(page.body.contains("alt=\"The new copper roof\""));
    assert!(page.shows("Photo: Ines Okafor"));

    let csrf = editor.get(&desk).await.csrf();
    let page = editor
        .post(&format!("{desk}/cover/remove"), &[("csrf", &csrf)])
        .await;
    assert!(page.shows("Cover image removed."), "{}", page.body);
    assert!(!page.body.contains("/media/"));
    assert!(stored_files(&app).is_empty());

    // Deleting an article takes its cover's files with it.
    upload(
        &editor,
        &desk,
        "Again",
        "",
        Some(("a.png", "image/png", &png)),
    )
    .await;
    assert_eq!(stored_files(&app).len(), 5);
    let confirm = format!("{desk}/delete");
    let page = editor.submit(&confirm, &confirm, &[]).await;
    assert!(
        page.shows("Deleted “Market hall restored”."),
        "{}",
        page.body
    );
    assert!(stored_files(&app).is_empty());
}
