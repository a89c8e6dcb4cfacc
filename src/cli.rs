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
    serve(listener, state, shutdown_signal())
        .await
        .map_err(|e| format!("the server stopped: {e}"))
}

async fn shutdown_signal() {
    // If the handler cannot be installed the server simply runs until killed.
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
