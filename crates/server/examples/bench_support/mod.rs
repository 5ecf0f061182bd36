//! What the server's benchmark examples share: a child process stopped on
//! drop with its memory from `/proc`, the workspace root, and writing a
//! section of BENCHMARKS.md between its own markers.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Child;

/// A child process that is stopped on drop.
pub struct Proc(pub Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Proc {
    /// A `/proc/PID/status` field in KiB (`VmRSS`, `VmHWM`).
    pub fn kib(&self, field: &str) -> Option<u64> {
        status_kib(self.0.id(), field)
    }

    /// Peak resident set size in KiB.
    pub fn peak_rss_kib(&self) -> Option<u64> {
        self.kib("VmHWM")
    }
}

/// A `/proc/PID/status` field (`VmRSS`, `VmHWM`) in KiB.
pub fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| {
        l.strip_prefix(field)?
            .strip_prefix(':')?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    })
}

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap_or_else(|_| PathBuf::from("."))
}

/// Writes `section` between `<!-- NAME:start -->` and `<!-- NAME:end -->`
/// in `path`, or appends it with its markers.
pub fn write_section(path: &Path, name: &str, section: &str) -> Result<(), String> {
    let (start, end) = (
        format!("<!-- {name}:start -->"),
        format!("<!-- {name}:end -->"),
    );
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let block = format!("{start}\n{section}{end}\n");
    let new = match (old.find(&start), old.find(&end)) {
        (Some(a), Some(b)) if a < b => format!(
            "{}{block}{}",
            &old[..a],
            old[b + end.len()..].trim_start_matches('\n')
        ),
        _ => format!("{}\n\n{block}", old.trim_end()),
    };
    std::fs::write(path, new).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
