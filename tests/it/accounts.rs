//! Registering, logging in and out, sessions and throttling.

use crate::db::TestDb;
use crate::helpers::{PASSWORD, TestApp};
use newsroom::domain::user::Role;
use reqwest::StatusCode;

crate::on_both_backends!(
    registering_logs_in_and_returns_to_the_article,
    login_by_username_or_email_and_logout,
    a_wrong_password_reshows_the_form_with_the_name_kept,
    repeated_failures_throttle_the_account,
    username_and_email_share_one_count,
    guesses_elsewhere_do_not_lock_the_owner_out,
    registration_errors_sit_next_to_their_fields_and_keep_input,
    the_session_id_changes_at_login_and_cookies_are_locked_down,
    passwords_are_stored_hashed_with_argon2id,
    many_failures_from_one_address_throttle_every_account,
    pages_carry_security_headers,
    a_burst_of_logins_waits_its_turn_then_gets_503,
);

async fn registering_logs_in_and_returns_to_the_article(db: TestDb) {
    let app = TestApp::on(db).await;
    let slug = app
        .publish("Harbour festival", "Music on the quay.", "Culture")
        .await;
    let reader = app.browser();
    let next = format!("/articles/{slug}");
    let page = reader
        .register("newreader", "new@example.org", PASSWORD, &next)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.path(), next);
    assert!(page.body.contains("class=\"like-form"), "now able to like");
    assert!(!page.body.contains("please log in first"));
}

async fn login_by_username_or_email_and_logout(db: TestDb) {
    let app = TestApp::on(db).await;
    let reader = app.browser();
    reader
        .register("Sam_Reader", "Sam@Example.org", PASSWORD, "/")
        .await;
    let logout_csrf = reader.get("/").await.csrf();
    let page = reader.post("/logout", &[("csrf", &logout_csrf)]).await;
    assert!(page.body.contains("href=\"/login"), "logged out");

    let page = reader.login("SAM@example.org", PASSWORD).await;
    assert!(
        page.body.contains("/authors/sam_reader"),
        "login by email, any case"
    );
    let other = app.browser();
    let page = other.login("sam_reader", PASSWORD).await;
    assert!(
        page.body.contains("/authors/sam_reader"),
        "login by username"
    );
}

async fn a_wrong_password_reshows_the_form_with_the_name_kept(db: TestDb) {
    let app = TestApp::on(db).await;
    let (_, name) = app.user(Role::Reader).await;
    let page = app.browser().login(&name, "not the password").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.shows("don't match an account"));
    assert!(page.body.contains(&format!("value=\"{name}\"")));
}

async fn repeated_failures_throttle_the_account(db: TestDb) {
    let app = TestApp::on(db).await;
    let (_, name) = app.user(Role::Reader).await;
    let attacker = app.browser();
    for _ in 0..5 {
        let page = attacker.login(&name, "wrong password").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let page = attacker.login(&name, PASSWORD).await;
    assert_eq!(
        page.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(page.body.contains("Too many failed attempts"));
    app.advance_clock(16 * 60 * 1000);
    let page = attacker.login(&name, PASSWORD).await;
    assert!(
        page.body.contains(&format!("/authors/{name}")),
        "the window has passed"
    );
}

async fn username_and_email_share_one_count(db: TestDb) {
    let app = TestApp::on(db).await;
    let attacker = app.browser();
    attacker
        .register("twonames", "twonames@example.org", PASSWORD, "/")
        .await;
    let attacker = app.browser();
    for login in [
        "twonames",
        "twonames@example.org",
        "TwoNames",
        "twonames",
        "TWONAMES@example.org",
    ] {
        let page = attacker.login(login, "wrong password").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let page = attacker.login("twonames@example.org", PASSWORD).await;
    assert_eq!(
        page.status,
        StatusCode::TOO_MANY_REQUESTS,
        "five guesses in all, whichever name they used"
    );
}

async fn guesses_elsewhere_do_not_lock_the_owner_out(db: TestDb) {
    let app = TestApp::on(db).await;
    let (_, name) = app.user(Role::Reader).await;
    let attacker = app.browser_from("127.0.0.2");
    for _ in 0..5 {
        attacker.login(&name, "wrong password").await;
    }
    let page = attacker.login(&name, PASSWORD).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    let owner = app.browser_from("127.0.0.1");
    let page = owner.login(&name, PASSWORD).await;
    assert!(
        page.body.contains(&format!("/authors/{name}")),
        "the owner, at another address, still logs in"
    );

    // Guessers from many addresses together reach the account's bound.
    for host in 3..=12 {
        let guesser = app.browser_from(&format!("127.0.0.{host}"));
        for _ in 0..5 {
            guesser.login(&name, "wrong password").await;
        }
    }
    let page = app.browser_from("127.0.0.1").login(&name, PASSWORD).await;
    assert_eq!(
        page.status,
        StatusCode::TOO_MANY_REQUESTS,
        "fifty guesses in all, from anywhere"
    );
}

async fn registration_errors_sit_next_to_their_fields_and_keep_input(db: TestDb) {
    let app = TestApp::on(db).await;
    let reader = app.browser();
    reader
        .register("taken", "taken@example.org", PASSWORD, "/")
        .await;
    let other = app.browser();
    let page = other
        .register("Taken", "fresh@example.org", "short", "/")
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"password-error\""));
    assert!(
        page.body.contains("value=\"fresh@example.org\""),
        "typed email kept"
    );
    let page = other
        .register("taken", "fresh@example.org", PASSWORD, "/")
        .await;
    assert!(
        page.body.contains("id=\"username-error\"") && page.body.contains("That username is taken")
    );
    let page = other
        .register("fresh", "TAKEN@example.org", PASSWORD, "/")
        .await;
    assert!(page.body.contains("id=\"email-error\""));
    let page = other.register("x", "nope", "", "/").await;
    for field in ["username", "email", "password"] {
        assert!(
            page.body.contains(&format!("id=\"{field}-error\"")),
            "{field}"
        );
    }
}

async fn the_session_id_changes_at_login_and_cookies_are_locked_down(db: TestDb) {
    let app = TestApp::on(db).await;
    let (_, name) = app.user(Role::Reader).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let form = client
        .get(format!("{}/login", app.base))
        .send()
        .await
        .expect("form");
    let visitor_cookie = form.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(visitor_cookie.contains("HttpOnly") && visitor_cookie.contains("SameSite=Lax"));
    let visitor = visitor_cookie.split(';').next().expect("pair").to_owned();
    let csrf = crate::helpers::extract_between(
        &form.text().await.expect("body"),
        "name=\"csrf\" value=\"",
        "\"",
    )
    .expect("token");

    let login_url = format!("{}/login", app.base);
    let login = |client: reqwest::Client, cookie: String, csrf: String, name: String| {
        let url = login_url.clone();
        async move {
            client
                .post(url)
                .header("cookie", cookie)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("login", name.as_str()),
                    ("password", PASSWORD),
                    ("next", "/"),
                ])
                .send()
                .await
                .expect("login")
        }
    };
    let first = login(client.clone(), visitor.clone(), csrf.clone(), name.clone()).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let session = |r: &reqwest::Response| {
        r.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("nr_session=") && !c.starts_with("nr_session=;"))
            .map(str::to_owned)
            .expect("session cookie")
    };
    let first_cookie = session(&first);
    assert!(
        first_cookie.contains("HttpOnly")
            && first_cookie.contains("SameSite=Lax")
            && !first_cookie.contains("Secure")
    );
    let second = login(client, visitor, csrf, name).await;
    assert_ne!(
        session(&second),
        first_cookie,
        "every login issues a new session id"
    );
}

async fn passwords_are_stored_hashed_with_argon2id(db: TestDb) {
    let app = TestApp::on(db).await;
    app.browser()
        .register("hashcheck", "hash@example.org", PASSWORD, "/")
        .await;
    let (_, hash) = app
        .store()
        .user_for_login("hashcheck")
        .await
        .expect("query")
        .expect("user");
    assert!(hash.starts_with("$argon2id$"));
    assert!(!hash.contains(PASSWORD));
}

async fn many_failures_from_one_address_throttle_every_account(db: TestDb) {
    let app = TestApp::on(db).await;
    let (_, name) = app.user(Role::Reader).await;
    let attacker = app.browser();
    for i in 0..20 {
        let page = attacker.login(&format!("ghost{i}"), "guess").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let page = attacker.login(&name, PASSWORD).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
}

async fn pages_carry_security_headers(db: TestDb) {
    let app = TestApp::on(db).await;
    let response = app
        .browser()
        .client
        .get(format!("{}/", app.base))
        .send()
        .await
        .expect("page");
    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().expect("csp");
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["cache-control"], "private, no-cache");
}

async fn a_burst_of_logins_waits_its_turn_then_gets_503(db: TestDb) {
    let config = newsroom::config::SiteConfig {
        max_concurrent_hashes: 1,
        hash_queue_wait: std::time::Duration::from_millis(1),
        ..Default::default()
    };
    let app = TestApp::on_configured(db, config).await;
    let (_, name) = app.user(Role::Reader).await;
    let client = reqwest::Client::new();
    let attempts = (0..12).map(|i| {
        let request = client
            .post(format!("{}/api/users/login", app.base))
            .header("content-type", "application/json")
            .body(
                serde_json::json!({
                    "user": { "email": format!("nobody{i}@example.org"), "password": "guess" }
                })
                .to_string(),
            )
            .send();
        async move {
            let response = request.await.expect("answers");
            let status = response.status();
            let retry_after = response.headers().get("retry-after").cloned();
            let body: serde_json::Value =
                serde_json::from_str(&response.text().await.expect("body")).expect("json");
            (status, retry_after, body)
        }
    });
    let answers = futures_util::future::join_all(attempts).await;
    let busy: Vec<_> = answers
        .iter()
        .filter(|(status, ..)| *status == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert!(
        !busy.is_empty(),
        "twelve hashes at once, one at a time, no patience"
    );
    for (_, retry_after, body) in &busy {
        assert!(retry_after.is_some(), "says when to come back");
        assert!(
            body["errors"]["body"][0]
                .as_str()
                .expect("message")
                .contains("busy")
        );
    }
    assert!(
        answers.iter().all(|(status, ..)| [
            StatusCode::UNAUTHORIZED,
            StatusCode::SERVICE_UNAVAILABLE
        ]
        .contains(status)),
        "nothing else: {answers:?}"
    );

    // Once the burst is over, the owner logs in as always.
    let page = app.browser().login(&name, PASSWORD).await;
    assert!(page.body.contains(&format!("/authors/{name}")));
}
