//! The `notelint` binary: parse arguments, run, exit with 0/1/2.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = notelint::cli::Cli::parse();
    notelint::commands::run(cli)
}
