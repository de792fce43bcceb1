//! The `notelint` binary: parse arguments, run, exit with 0/1/2.

use std::process::ExitCode;

use clap::Parser;

// Linting allocates many small, short-lived strings on every thread; mimalloc serves them
// faster than the system allocator and without contention between threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = notelint::cli::Cli::parse();
    notelint::commands::run(cli)
}
