//! What each subcommand does. Errors come back as one line for the terminal.

use crate::app::{AppState, serve};
use crate::auth::password;
use crate::config::{Cli, Command, ServeArgs, SiteConfig, UserAddArgs, UserCommand};
use crate::domain::user::{Email, NewUser, Password, Role, Username};
use crate::store::{Store, StoreError};
use std::io::BufRead;

pub async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Serve(args) => run_serve(args).await,
        Command::User(UserCommand::Add(args)) => add_user(args).await,
    }
}

async fn open_store(url: &crate::config::DatabaseUrl) -> Result<Store, String> {
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
    let config = SiteConfig {
        secure_cookies: args.secure_cookies,
        trust_forwarded_for: args.trust_forwarded_for,
    };
    let state = AppState::new(store, config, crate::clock::Clock::System)
        .await
        .map_err(|e| format!("cannot prepare the site: {e}"))?;
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("Newsroom is running at http://{addr}/");
    if let Some(login) = login {
        println!("Log in to the desk at http://{addr}/login as {login}");
    }
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut server = tokio::spawn(serve(listener, state, async {
        let _ = stopped.await;
    }));
    tokio::select! {
        finished = &mut server => return server_result(finished),
        () = shutdown_signal() => {}
    }
    // Stop accepting; requests in flight get the grace period to finish.
    tracing::info!("shutting down");
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
    let password_hash = password::hash(&password).await.map_err(|e| e.to_string())?;
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
