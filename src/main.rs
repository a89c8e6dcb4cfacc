//! The `newsroom` command: parse the command line and hand over to `cli`.

use clap::Parser;
use newsroom::config::Cli;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    newsroom::telemetry::init(cli.log_format);
    match newsroom::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("newsroom: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
