//! The `newsroom` command: parse the command line and hand over to `cli`.

use clap::Parser;
use newsroom::config::Cli;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    newsroom::telemetry::init();
    let cli = Cli::parse();
    match newsroom::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("newsroom: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
