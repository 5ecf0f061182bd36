//! `cargo xtask serve`, `cargo xtask test`, `cargo xtask bench`,
//! `cargo xtask dist` (the app built as `serve` builds it), and
//! `cargo xtask moto` (the S3 server of the upload tests).
//!
//! Each first installs what is missing (see `ensure`), so the two commands
//! in the README work on a fresh machine with only Rust, npm and apt.

mod ensure;
mod first_load;
mod precompress;
mod run;
mod short_imports;
mod split;
mod summary;
mod wasm_opt;

use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!(
        "usage: cargo xtask serve [--addr ADDR] [--port PORT]\n       cargo xtask dist [--public-url URL --dist DIR]   (builds the app as serve does, without serving)\n       cargo xtask test\n       cargo xtask bench [photos|keys|load]   (one benchmark alone, printed, BENCHMARKS.md untouched)\n       cargo xtask moto   (installs the S3 server the upload tests use; prints its path)"
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
        "dist" => run::dist(&args[1..]),
        "test" => run::test(),
        "bench" => match args.get(1).map(String::as_str) {
            None => run::bench(),
            Some(name) if run::BENCH_ALONE.contains(&name) => run::bench_alone(name),
            Some(_) => return usage(),
        },
        "moto" => ensure::moto().map(|bin| {
            println!("{}", bin.display());
            ExitCode::SUCCESS
        }),
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
