//! `storyreel-server`: hosts the built app and works with board files on the
//! command line.

use std::process::ExitCode;

use clap::Parser;
use storyreel_core::RequestOptions;
use storyreel_server::cli::{Cli, Command};
use storyreel_server::{board_cli, static_files};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => static_files::run(args),
        Command::Request {
            provider,
            upload_base_url,
            kling_base_url,
            external_task_id,
            file,
        } => {
            let opts = RequestOptions {
                kling_base_url,
                upload_base_url,
                external_task_id,
                ..RequestOptions::default()
            };
            board_cli::request_with(&provider, &file, &opts)
        }
        Command::Check { file } => board_cli::check(&file),
    }
}
