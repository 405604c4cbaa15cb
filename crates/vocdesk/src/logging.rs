//! Log set-up: `RUST_LOG` filters (default `info`), text or JSON lines, always on standard
//! error so that standard output carries only what a command reports.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once, at start-up. `json` selects JSON lines for log
/// collectors. A second call (as in tests) leaves the first subscriber in place.
pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only for a person at a terminal; log files and collectors get plain text.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    // `try_init` fails only when a subscriber is already installed; keeping it is right.
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}
