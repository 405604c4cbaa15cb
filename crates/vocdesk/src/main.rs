//! The `vocdesk` command; everything it does lives in the library so tests can call it.

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = vocdesk::cli::Cli::parse();
    vocdesk::logging::init(cli.global.log_json);
    match vocdesk::run(cli).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
