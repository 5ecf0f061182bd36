//! `storyreel-server`: hosts the built app and works with board files on the
//! command line.

use std::process::ExitCode;

use clap::Parser;
use storyreel_server::cli::{Cli, Command};
use storyreel_server::{board_cli, serve};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => serve::run(*args),
        Command::Request(args) => {
            board_cli::request_with(&args.provider, &args.file, &args.options())
        }
        Command::Check(args) => board_cli::check_with(&args.file, &args.options()),
        Command::Share(args) => board_cli::share(&args),
        Command::Unshare { fragment } => board_cli::unshare(&fragment),
    }
}
