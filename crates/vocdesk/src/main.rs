//! The `vocdesk` command; everything it does lives in the library so tests can call it.

use std::process::ExitCode;

use clap::Parser;

/// Many small allocations per request (JSON, SQL values, mail text) on a few threads:
/// mimalloc's per-thread free lists serve them without glibc's consolidation work.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
