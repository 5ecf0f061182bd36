//! `request` and `check`: a board file's provider request or its problems;
//! `share` and `unshare`: a board file (and its take video's URL) to a
//! share-link fragment and back.
//!
//! Each command is computed as an [`Output`] (what goes to stdout and
//! stderr, and the exit status) and only then written, so the text can be
//! tested without a process. Nothing here knows a secret: the request is
//! printed as the core maps it, without authentication.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::cli::ShareArgs;
use storyreel_core::request::{RequestError, RequestOptions};
use storyreel_core::share;
use storyreel_core::{check_with as check_rules_with, Board, Provider};

/// Exit status for a usage mistake (an unknown provider name).
pub const USAGE: u8 = 2;

/// What a command prints, and how it exits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub status: u8,
}

impl Output {
    fn ok(stdout: String) -> Output {
        Output {
            stdout,
            ..Output::default()
        }
    }

    fn fail(status: u8, stderr: String) -> Output {
        Output {
            stderr,
            status,
            ..Output::default()
        }
    }

    /// Writes the output (a closed pipe is not an error) and returns the
    /// exit status.
    pub fn emit(self) -> ExitCode {
        let _ = std::io::stdout().lock().write_all(self.stdout.as_bytes());
        let _ = std::io::stderr().lock().write_all(self.stderr.as_bytes());
        ExitCode::from(self.status)
    }
}

/// `storyreel-server request --provider P FILE`, with the settings that are
/// not part of the board (hosts, upload URL, task id, provider options).
pub fn request_with(provider: &str, file: &Path, opts: &RequestOptions) -> ExitCode {
    request_output(provider, file, opts).emit()
}

/// `storyreel-server check FILE`, with default options.
pub fn check(file: &Path) -> ExitCode {
    check_output(file).emit()
}

/// `storyreel-server check [--kling-api D] FILE`: the rules as they apply
/// with `opts` (the same ones `request` maps with).
pub fn check_with(file: &Path, opts: &RequestOptions) -> ExitCode {
    check_output_with(file, opts).emit()
}

/// The board in `file`, or the output that explains why there is none.
/// Only syntax, format tag and shape are checked here.
fn load(file: &Path) -> Result<Board, Output> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Output::fail(1, format!("cannot read {}: {e}\n", file.display())))?;
    Board::from_json_unchecked(&text)
        .map_err(|e| Output::fail(1, format!("{}: {e}\n", file.display())))
}

/// The exact request `file` maps to for `provider`, as pretty JSON
/// `{"method", "url", "body"}`; or the board's errors, one a line.
pub fn request_output(provider: &str, file: &Path, opts: &RequestOptions) -> Output {
    let Some(provider) = Provider::parse(&provider.to_ascii_lowercase()) else {
        let names: Vec<&str> = Provider::ALL.iter().map(|p| p.as_str()).collect();
        return Output::fail(
            USAGE,
            format!(
                "unknown provider '{provider}'; use one of {}\n",
                names.join("|")
            ),
        );
    };
    let board = match load(file) {
        Ok(board) => board,
        Err(output) => return output,
    };
    match storyreel_core::mapping::for_provider(provider, &board, opts) {
        Ok(req) => match serde_json::to_string_pretty(&req) {
            Ok(json) => Output::ok(json + "\n"),
            Err(e) => Output::fail(1, format!("cannot print the request: {e}\n")),
        },
        Err(RequestError::Invalid(problems)) => {
            Output::fail(1, problems.iter().map(|p| format!("{p}\n")).collect())
        }
        Err(other) => Output::fail(1, format!("{}: {other}\n", file.display())),
    }
}

/// Every problem of the board in `file`, one a line, and a summary line;
/// status 1 if any is an error.
pub fn check_output(file: &Path) -> Output {
    check_output_with(file, &RequestOptions::default())
}

/// [`check_output`] with the rules applied for `opts` (Kling's design,
/// fal's and Replicate's options).
pub fn check_output_with(file: &Path, opts: &RequestOptions) -> Output {
    let board = match load(file) {
        Ok(board) => board,
        Err(output) => return output,
    };
    let report = check_rules_with(&board, opts);
    let mut stdout: String = report.problems.iter().map(|p| format!("{p}\n")).collect();
    let errors = report.error_count();
    let warnings = report.problems.len() - errors;
    if report.problems.is_empty() {
        stdout.push_str("ok: no problems\n");
    } else {
        stdout.push_str(&format!(
            "{}, {}\n",
            plural(errors, "error"),
            plural(warnings, "warning")
        ));
    }
    Output {
        stdout,
        stderr: String::new(),
        status: u8::from(errors > 0),
    }
}

/// `storyreel-server share FILE [--take URL]`
pub fn share(args: &ShareArgs) -> ExitCode {
    share_output(&args.file, args.take.as_deref()).emit()
}

/// `storyreel-server unshare FRAGMENT` (`-` reads stdin)
pub fn unshare(fragment: &str) -> ExitCode {
    if fragment == "-" {
        let mut text = String::new();
        if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut text) {
            return Output::fail(1, format!("cannot read the link from stdin: {e}\n")).emit();
        }
        return unshare_output(&text).emit();
    }
    unshare_output(fragment).emit()
}

/// The share-link fragment (without `#`) for the board in `file`, one line,
/// carrying `take` as the take video's URL if given. The board must be one
/// a link can carry: the checks of an import (`from_json_draft`) and the
/// link's size cap; a take URL a link may not carry is a usage error.
/// References only this machine has, and a take others cannot reach, are
/// named on stderr; the link is printed all the same.
pub fn share_output(file: &Path, take: Option<&str>) -> Output {
    if let Some(url) = take {
        if let Err(e) = share::check_take_url(url) {
            return Output::fail(USAGE, format!("--take: {e}\n"));
        }
    }
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => return Output::fail(1, format!("cannot read {}: {e}\n", file.display())),
    };
    let board = match Board::from_json_draft(&text) {
        Ok(board) => board,
        Err(e) => return Output::fail(1, format!("{}: {e}\n", file.display())),
    };
    let fragment = match share::encode_shared(&board, take) {
        Ok(fragment) => fragment,
        Err(e) => {
            return Output::fail(
                1,
                format!("{}: cannot share this board: {e}\n", file.display()),
            )
        }
    };
    let local = share::local_only_references(&board);
    let mut stderr = if local.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = local.iter().map(|n| format!("'{n}'")).collect();
        let (are, them) = if local.len() == 1 {
            ("is", "it")
        } else {
            ("are", "them")
        };
        format!(
            "warning: {} {are} only on this machine (not an https URL others can reach); whoever opens the link will not have {them}\n",
            names.join(", "),
        )
    };
    if take.is_some_and(share::is_local_only) {
        stderr.push_str(
            "warning: the take video is not an https URL others can reach; whoever opens the link may not be able to play it\n",
        );
    }
    Output {
        stdout: fragment + "\n",
        stderr,
        status: 0,
    }
}

/// The board in a share link (fragment, `#fragment` or whole URL) as pretty
/// JSON, and on stderr `take video: URL` if the link carries one; or the
/// reason it cannot be opened and status 1.
pub fn unshare_output(link: &str) -> Output {
    match share::decode_shared(link) {
        Ok(shared) => Output {
            stdout: shared.board.to_json() + "\n",
            stderr: shared
                .take_url
                .map(|url| format!("take video: {url}\n"))
                .unwrap_or_default(),
            status: 0,
        },
        Err(e) => Output::fail(1, format!("cannot open the share link: {e}\n")),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    const GOOD: &str =
        r#"{"format": "storyreel/1", "shots": [{"prompt": "A fox runs.", "duration": 5}]}"#;

    #[test]
    fn request_prints_the_mapped_request() {
        let dir = tempfile::tempdir().unwrap();
        let out = request_output(
            "kling",
            &file(&dir, "b.json", GOOD),
            &RequestOptions::default(),
        );
        assert_eq!((out.status, out.stderr.as_str()), (0, ""));
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["body"]["contents"][0]["text"], "A fox runs.");
        assert_eq!(v["body"]["settings"]["multi_shot"], false);
        assert!(out.stdout.ends_with("}\n"));
    }

    #[test]
    fn request_uses_the_options() {
        let dir = tempfile::tempdir().unwrap();
        let opts = RequestOptions {
            kling_base_url: "http://127.0.0.1:9/".into(),
            ..RequestOptions::default()
        };
        let out = request_output("Kling", &file(&dir, "b.json", GOOD), &opts);
        assert!(out
            .stdout
            .contains("\"url\": \"http://127.0.0.1:9/omni-video/kling-3.0-omni\""));
    }

    #[test]
    fn unknown_provider_is_a_usage_error() {
        let out = request_output(
            "openai",
            Path::new("/nonexistent"),
            &RequestOptions::default(),
        );
        assert_eq!(out.status, USAGE);
        assert_eq!(
            out.stderr,
            "unknown provider 'openai'; use one of kling|fal|replicate\n"
        );
    }

    #[test]
    fn summary_counts() {
        assert_eq!(plural(1, "error"), "1 error");
        assert_eq!(plural(0, "warning"), "0 warnings");
        assert_eq!(plural(2, "warning"), "2 warnings");
    }
}
