//! What each subcommand does. Errors come back as one line for the terminal.

use crate::app::{AppState, serve};
use crate::auth::password::Passwords;
mod tags;

use crate::config::{
    Cli, Command, MigrateDataArgs, SeedBenchArgs, ServeArgs, SiteConfig, TagsCommand, UserAddArgs,
    UserCommand,
};
use crate::domain::user::{Email, NewUser, Password, Role, Username};
use crate::store::{SeedPlan, Store, StoreError};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::BufRead;

pub async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Serve(args) => run_serve(*args).await,
        Command::User(UserCommand::Add(args)) => add_user(args).await,
        Command::MigrateData(args) => migrate_data(args).await,
        Command::SeedBench(args) => seed_bench(args).await,
        Command::Tags(TagsCommand::Suggest(args)) => tags::suggest(args).await,
        Command::Tags(TagsCommand::Backfill(args)) => tags::backfill(args).await,
    }
}

/// A progress bar on stderr that follows the store's (phase, done, total).
fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:>18} [{bar:40}] {pos}/{len} rows ({per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

/// The store's progress callback, drawn on `bar`.
fn follow(bar: &ProgressBar) -> impl Fn(&str, u64, u64) + Sync + '_ {
    move |what, done, total| {
        bar.set_message(what.to_owned());
        bar.set_length(total);
        bar.set_position(done);
    }
}

async fn migrate_data(args: MigrateDataArgs) -> Result<(), String> {
    if args.from.expose() == args.to.expose() {
        return Err("--from and --to name the same database".to_owned());
    }
    let from = open_store(&args.from).await?;
    let to = open_store(&args.to).await?;
    let bar = progress_bar();
    let report = follow(&bar);
    let started = std::time::Instant::now();
    let counts = from
        .copy_site_to(&to, &report)
        .await
        .map_err(|e| format!("copying failed, nothing was committed: {e}"))?;
    bar.finish_and_clear();
    println!(
        "Copied {} to {} in {:.1?}; row counts verified:",
        args.from,
        args.to,
        started.elapsed()
    );
    for (table, rows) in counts {
        println!("  {table:<14} {rows:>10}");
    }
    Ok(())
}

async fn seed_bench(args: SeedBenchArgs) -> Result<(), String> {
    let plan = SeedPlan {
        articles: args.articles,
        users: args.users,
        likes: args.likes,
        comments: args.comments,
    };
    plan.check()?;
    let store = open_store(&args.database.database_url).await?;
    // Generated users share one random password: they exist to be counted.
    let password = Password::parse(&crate::auth::hex(&crate::auth::random_bytes::<12>()))
        .map_err(|e| e.to_string())?;
    let hash = Passwords::one_at_a_time()
        .hash(&password)
        .await
        .map_err(|e| e.to_string())?;
    let bar = progress_bar();
    let report = follow(&bar);
    let started = std::time::Instant::now();
    store
        .seed(plan, &hash, crate::clock::system_millis(), &report)
        .await
        .map_err(|e| format!("seeding failed: {e}"))?;
    bar.finish_and_clear();
    println!(
        "Seeded {} articles, {} users, {} likes and {} comments in {:.1?}.",
        plan.articles,
        plan.users,
        plan.likes,
        plan.comments,
        started.elapsed()
    );
    Ok(())
}

/// Writes what a command prints for people or programs. A reader that
/// stops early (`| head`) closes the pipe: that ends the output quietly,
/// as for any Unix tool, instead of a panic.
pub(crate) fn write_stdout(text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the output: {e}"))
        }
        _ => Ok(()),
    }
}

pub(crate) async fn open_store(url: &crate::config::DatabaseUrl) -> Result<Store, String> {
    Store::connect(url.expose())
        .await
        .map_err(|e| format!("cannot open the database at {url}: {e}"))
}

async fn run_serve(args: ServeArgs) -> Result<(), String> {
    let store = open_store(&args.database.database_url).await?;
    let login = if args.demo {
        Some(
            crate::demo::load(&store)
                .await
                .map_err(|e| format!("cannot load the demo content: {e}"))?,
        )
    } else {
        None
    };
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let base_url = match &args.base_url {
        Some(url) => url.clone(),
        None => listening_url(addr).parse()?,
    };
    let config = SiteConfig {
        secure_cookies: args.secure_cookies,
        trust_forwarded_for: args.trust_forwarded_for,
        jwt_secret: args.jwt_secret.clone(),
        token_ttl_secs: i64::from(args.token_days) * 24 * 3600,
        cors_origins: args.cors_origins.clone(),
        policy: crate::domain::policy::Policy {
            open_publishing: args.open_publishing,
        },
        base_url,
        site_name: args.site_name.clone(),
        language: args.site_language.clone(),
        feed_content: args.feed_content,
        media_dir: args.media_dir.clone(),
        max_upload_bytes: args.max_upload_mb as usize * 1024 * 1024,
        auto_tag_confidence: args.auto_tag_confidence,
        max_concurrent_hashes: args
            .max_concurrent_hashes
            .map_or_else(crate::auth::password::default_max_concurrent, |n| {
                n as usize
            }),
        hash_queue_wait: crate::auth::password::DEFAULT_QUEUE_WAIT,
        connections: crate::server::ConnectionLimits {
            max_total: args
                .max_connections
                .map_or_else(crate::server::default_max_total, |n| n as usize),
            max_per_address: match args.max_connections_per_address {
                Some(n) => n as usize,
                None if args.trust_forwarded_for => 0,
                None => crate::server::DEFAULT_MAX_PER_ADDRESS,
            },
            header_timeout: std::time::Duration::from_secs(args.header_timeout_seconds),
        },
        rate_limits: args.rate_limits.clone().into(),
    };
    let state = AppState::new(store, config, crate::clock::Clock::System)
        .await
        .map_err(|e| format!("cannot prepare the site: {e}"))?;
    println!("Newsroom is running at http://{addr}/");
    if let Some(login) = login {
        println!("Log in to the desk at http://{addr}/login as {login}");
    }
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let stop_streams = state.stop_streams.clone();
    let mut server = tokio::spawn(serve(listener, state, async {
        let _ = stopped.await;
    }));
    tokio::select! {
        finished = &mut server => return server_result(finished),
        () = shutdown_signal() => {}
    }
    // Stop accepting; requests in flight get the grace period to finish.
    tracing::info!("shutting down");
    stop_streams.send_replace(true);
    let _ = stop.send(());
    let grace = std::time::Duration::from_secs(args.shutdown_grace_seconds);
    match tokio::time::timeout(grace, &mut server).await {
        Ok(finished) => server_result(finished),
        Err(_) => {
            tracing::warn!(
                seconds = args.shutdown_grace_seconds,
                "requests still running after the grace period"
            );
            server.abort();
            Ok(())
        }
    }
}

/// Where a browser on this machine reaches a server listening on `addr`.
fn listening_url(addr: std::net::SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("http://localhost:{}", addr.port())
    } else {
        format!("http://{addr}")
    }
}

fn server_result(
    finished: Result<std::io::Result<()>, tokio::task::JoinError>,
) -> Result<(), String> {
    match finished {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("the server stopped: {e}")),
        Err(e) => Err(format!("the server failed: {e}")),
    }
}

/// Resolves on SIGTERM (what a deploy or orchestrator sends) or Ctrl-C.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    // Without a SIGTERM handler the server runs until Ctrl-C or a kill.
    let _ = tokio::signal::ctrl_c().await;
}

async fn add_user(args: UserAddArgs) -> Result<(), String> {
    let username = Username::parse(&args.username).map_err(|e| e.to_string())?;
    let email = Email::parse(&args.email).map_err(|e| e.to_string())?;
    let role = Role::parse(&args.role).map_err(|e| e.to_string())?;
    let raw_password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password from stdin: {e}"))?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        rpassword::prompt_password(format!("Password for {username}: "))
            .map_err(|e| format!("cannot read the password: {e} (try --password-stdin)"))?
    };
    let password = Password::parse(&raw_password).map_err(|e| e.to_string())?;
    let store = open_store(&args.database.database_url).await?;
    let password_hash = Passwords::one_at_a_time()
        .hash(&password)
        .await
        .map_err(|e| e.to_string())?;
    let new_user = NewUser {
        username,
        email,
        password_hash,
        role,
    };
    match store
        .create_user(&new_user, crate::clock::system_millis())
        .await
    {
        Ok(user) => {
            println!("Created {} ({}).", user.username, user.role);
            Ok(())
        }
        Err(StoreError::Conflict(field)) => Err(format!("that {field} is already taken")),
        Err(e) => Err(e.to_string()),
    }
}
