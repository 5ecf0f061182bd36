//! The finished tasks' videos: made once per task by `storyreel-clip` (on
//! a blocking thread), kept as files in a temporary directory, and served
//! with range requests so the browser can seek. The directory is made with
//! the first video, so a server that never renders one leaves nothing in
//! the system's temporary directory even when it is killed.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tokio::sync::OnceCell;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::task::Task;
use super::Simulator;

/// The longest prompt start written on a shot.
const LABEL_CHARS: usize = 60;

type Slot = Arc<OnceCell<Result<PathBuf, String>>>;

#[derive(Default)]
pub struct VideoCache {
    dir: std::sync::OnceLock<tempfile::TempDir>,
    slots: Mutex<HashMap<String, Slot>>,
}

impl VideoCache {
    /// The directory the videos are written to, made on first use.
    fn dir(&self) -> Result<&std::path::Path, String> {
        if let Some(dir) = self.dir.get() {
            return Ok(dir.path());
        }
        let made = tempfile::Builder::new()
            .prefix("storyreel-sim-")
            .tempdir()
            .map_err(|e| format!("cannot make the simulator's video directory: {e}"))?;
        // Two first videos at once: the loser's directory is removed on drop.
        let _ = self.dir.set(made);
        self.dir
            .get()
            .map(|d| d.path())
            .ok_or_else(|| "the simulator's video directory is gone".to_string())
    }

    fn slot(&self, id: &str) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.entry(id.to_string()).or_default().clone()
    }

    /// The file of `task`'s video, made on first use.
    pub async fn file(&self, task: &Task) -> Result<PathBuf, String> {
        let slot = self.slot(&task.id);
        let path = self.dir()?.join(format!("{}.mp4", task.id));
        let spec = clip_spec(task);
        slot.get_or_init(|| async move {
            let out = path.clone();
            tokio::task::spawn_blocking(move || {
                let started = std::time::Instant::now();
                let bytes = storyreel_clip::render_mp4(&spec).map_err(|e| e.to_string())?;
                std::fs::write(&out, &bytes).map_err(|e| e.to_string())?;
                tracing::info!(
                    bytes = bytes.len(),
                    ms = started.elapsed().as_millis() as u64,
                    "simulator: video made"
                );
                Ok(out)
            })
            .await
            .map_err(|e| e.to_string())?
        })
        .await
        .clone()
    }
}

/// What the clip of `task` shows: its size, each shot with its prompt's
/// start (Kling's `<<<image_1>>>` citations left as they are), and sound.
pub fn clip_spec(task: &Task) -> storyreel_clip::ClipSpec {
    let (width, height) = task.spec.size();
    storyreel_clip::ClipSpec {
        width,
        height,
        fps: 24,
        shots: task
            .spec
            .shots
            .iter()
            .map(|(seconds, prompt)| storyreel_clip::ShotSpec {
                seconds: *seconds,
                label: prompt.chars().take(LABEL_CHARS).collect(),
            })
            .collect(),
        sound: task.spec.sound,
    }
}

pub async fn serve(
    State(sim): State<Arc<Simulator>>,
    Path(file): Path<String>,
    req: Request,
) -> Response {
    let Some(task) = super::finished_task(&sim, &file) else {
        return (StatusCode::NOT_FOUND, "no finished video by that name").into_response();
    };
    match sim.videos.file(&task).await {
        Ok(path) => match ServeFile::new(path).oneshot(req).await {
            Ok(res) => res.into_response(),
            Err(never) => match never {},
        },
        Err(e) => {
            tracing::error!(task = %task.id, error = %e, "simulator: video failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the simulated video could not be made",
            )
                .into_response()
        }
    }
}
