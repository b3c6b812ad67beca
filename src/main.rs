use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    peygir::cli::run(peygir::cli::Cli::parse())
}
