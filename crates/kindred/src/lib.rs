//! The `kindred` binary: command line, configuration, wiring, demo data.

pub mod bench_members;
pub mod cli;
pub mod community_bench;
pub mod config;
pub mod connections;
pub mod demo;
mod demo_forum;
pub mod error;
pub mod forum_bench;
pub mod memory;
pub mod operations;
pub mod server;

pub use config::Settings;
pub use error::CliError;

use clap::Parser;
use std::process::ExitCode;

/// Runs the command line; every failure is one readable line and exit code 1.
pub fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("kindred: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kindred: {error}");
            ExitCode::FAILURE
        }
    }
}
