//! `noticecast`: parse the command line, run, print the error on one line, exit non-zero.

use std::process::ExitCode;

use clap::Parser;
use noticecast::cli::{Cli, CliError, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_env("NOTICECAST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(cli.default_log()));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // `check` has printed each problem already.
        Err(CliError::Invalid(_)) => ExitCode::from(1),
        Err(err) => {
            let mut line = format!("error: {err}");
            let mut source = std::error::Error::source(&err);
            while let Some(cause) = source {
                line.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            eprintln!("{line}");
            ExitCode::from(2)
        }
    }
}
