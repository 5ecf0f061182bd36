//! `cargo xtask serve`, `cargo xtask test`, `cargo xtask bench`.
//!
//! Each first installs what is missing (see `ensure`), so the two commands
//! in the README work on a fresh machine with only Rust, npm and apt.

mod ensure;
mod precompress;
mod run;
mod summary;

use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!(
        "usage: cargo xtask serve [--addr ADDR] [--port PORT]\n       cargo xtask test\n       cargo xtask bench"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first() else {
        return usage();
    };
    let result = match command.as_str() {
        "serve" => run::serve(&args[1..]),
        "test" => run::test(),
        "bench" => run::bench(),
        _ => return usage(),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
