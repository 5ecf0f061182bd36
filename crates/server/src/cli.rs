//! The command line.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "storyreel-server",
    version,
    about = "Storyreel's server and board tools"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the built app.
    Serve(ServeArgs),
    /// Print the exact provider request for a board file.
    Request {
        /// kling, fal or replicate
        #[arg(long, default_value = "kling")]
        provider: String,
        /// Public URL where this server publishes uploads (`upload:<sha256>` becomes `<URL>/<sha256>`).
        #[arg(long)]
        upload_base_url: Option<String>,
        /// Kling API host.
        #[arg(long, default_value = storyreel_core::kling::DEFAULT_BASE_URL)]
        kling_base_url: String,
        /// Our own task id, sent as `external_task_id`.
        #[arg(long)]
        external_task_id: Option<String>,
        file: PathBuf,
    },
    /// Print a board file's problems; exits 1 if it has errors.
    Check { file: PathBuf },
}

#[derive(Args, Clone)]
pub struct ServeArgs {
    #[arg(long, default_value = "127.0.0.1")]
    pub addr: IpAddr,
    /// 0 picks a free port.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The directory `trunk build` wrote.
    #[arg(long, default_value = "dist")]
    pub dist: PathBuf,
}
