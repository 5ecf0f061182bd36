//! The command line.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use storyreel_core::fal::FalOptions;
use storyreel_core::replicate::ReplicateOptions;
use storyreel_core::RequestOptions;

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
    Request(RequestArgs),
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

#[derive(Args, Clone)]
pub struct RequestArgs {
    /// kling, fal or replicate
    #[arg(long, default_value = "kling")]
    pub provider: String,
    /// Public URL where this server publishes uploads (`upload:<sha256>` becomes `<URL>/<sha256>`).
    #[arg(long)]
    pub upload_base_url: Option<String>,
    /// Kling API host.
    #[arg(long, default_value = storyreel_core::kling::DEFAULT_BASE_URL)]
    pub kling_base_url: String,
    /// Our own task id, sent as `external_task_id`.
    #[arg(long)]
    pub external_task_id: Option<String>,
    /// fal: the shortest shot in `multi_prompt` (fal's per-shot range is unconfirmed: 3-15 or 1-15).
    #[arg(long, default_value_t = FalOptions::default().min_shot_seconds)]
    pub fal_min_shot_seconds: u32,
    /// fal: leave out the top-level `duration` of a multi-shot request.
    #[arg(long)]
    pub fal_omit_total_duration: bool,
    /// fal and Replicate: allow start/end frames with several shots (unconfirmed upstream).
    #[arg(long)]
    pub allow_frames_with_multi_shot: bool,
    pub file: PathBuf,
}

impl RequestArgs {
    pub fn options(&self) -> RequestOptions {
        RequestOptions {
            kling_base_url: self.kling_base_url.clone(),
            upload_base_url: self.upload_base_url.clone(),
            external_task_id: self.external_task_id.clone(),
            fal: FalOptions {
                min_shot_seconds: self.fal_min_shot_seconds,
                send_total_duration: !self.fal_omit_total_duration,
                allow_frames_with_multi_shot: self.allow_frames_with_multi_shot,
            },
            replicate: ReplicateOptions {
                allow_frames_with_multi_shot: self.allow_frames_with_multi_shot,
            },
            ..RequestOptions::default()
        }
    }
}
