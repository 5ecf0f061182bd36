//! `storyreel-server request` and `check`, run as the real binary on board
//! files in a temporary directory.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_storyreel-server");

struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .output()
        .expect("run the binary");
    Run {
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        code: out.status.code().expect("exit code"),
    }
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const GOOD: &str = r#"{
  "format": "storyreel/1",
  "title": "Three places",
  "prompt": "Night, rain.",
  "references": [
    {"name": "mia", "kind": "image", "src": "https://example.com/mia.png"}
  ],
  "shots": [
    {"prompt": "@mia under a streetlight.", "duration": 4},
    {"prompt": "A runner in a forest.", "duration": 5},
    {"prompt": "A sunset over mountains.", "duration": 6}
  ]
}"#;

/// The current design: the overall direction before the shot list, the
/// image cited by its id.
const GOOD_REQUEST: &str = r#"{
  "method": "POST",
  "url": "https://api-singapore.klingai.com/omni-video/kling-3.0-omni",
  "body": {
    "contents": [
      {
        "type": "prompt",
        "text": "Night, rain. shot 1, 4, @image_1 under a streetlight.; shot 2, 5, A runner in a forest.; shot 3, 6, A sunset over mountains.;"
      },
      {
        "type": "refer_image",
        "url": "https://example.com/mia.png",
        "id": "image_1"
      }
    ],
    "settings": {
      "multi_shot": true,
      "audio": "native",
      "resolution": "1080p",
      "aspect_ratio": "16:9",
      "duration": 15
    },
    "options": {
      "watermark_info": {
        "enabled": false
      }
    }
  }
}
"#;

const GOOD_REQUEST_LEGACY: &str = r#"{
  "method": "POST",
  "url": "https://api-singapore.klingai.com/v1/videos/omni-video",
  "body": {
    "model_name": "kling-v3-omni",
    "multi_shot": true,
    "shot_type": "customize",
    "multi_prompt": [
      {
        "index": 1,
        "prompt": "Night, rain. <<<image_1>>> under a streetlight.",
        "duration": "4"
      },
      {
        "index": 2,
        "prompt": "Night, rain. A runner in a forest.",
        "duration": "5"
      },
      {
        "index": 3,
        "prompt": "Night, rain. A sunset over mountains.",
        "duration": "6"
      }
    ],
    "image_list": [
      {
        "image_url": "https://example.com/mia.png"
      }
    ],
    "sound": "on",
    "mode": "pro",
    "aspect_ratio": "16:9",
    "duration": "15"
  }
}
"#;

/// Sound with a reference video, 12 s with a video, an unknown mention, and
/// a line too long for its shot.
const BAD: &str = r#"{
  "format": "storyreel/1",
  "references": [
    {"name": "moves", "kind": "video", "src": "https://example.com/dance.mp4"}
  ],
  "shots": [
    {"prompt": "@ghost dances.", "duration": 6},
    {"prompt": "She says: \"one two three four five six seven eight nine ten\"", "duration": 2},
    {"prompt": "End.", "duration": 4}
  ]
}"#;

const BAD_PROBLEMS: &str = "\
error: board duration: the video is 12 s; the limit is 10 s with a reference video
error: board sound: sound must be off when a reference video ('moves') is sent; turn sound off or remove the video
error: shot 1 prompt: @ghost is not in the cast
warning: shot 2 prompt: the quoted lines need about 4.0 s at a natural pace; the shot is 2 s
";

const MALFORMED: &str =
    "{\n  \"format\": \"storyreel/1\",\n  \"shots\": [\n    {\"prompt\": \"a\", \"duration\": 5,}\n  ]\n}\n";

#[test]
fn request_prints_the_exact_kling_request() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "good.board.json", GOOD);
    let r = run(&["request", "--provider", "kling", s(&file)]);
    assert_eq!(r.stderr, "");
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, GOOD_REQUEST);
}

#[test]
fn request_defaults_to_kling() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "good.board.json", GOOD);
    let r = run(&["request", s(&file)]);
    assert_eq!((r.code, r.stdout.as_str()), (0, GOOD_REQUEST));
    let r = run(&["request", "--kling-api", "legacy", s(&file)]);
    assert_eq!((r.code, r.stdout.as_str()), (0, GOOD_REQUEST_LEGACY));
}

#[test]
fn request_refuses_a_board_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "bad.board.json", BAD);
    let r = run(&["request", "--provider", "kling", s(&file)]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    // The errors, one a line; warnings are not why it is refused.
    let errors: String = BAD_PROBLEMS
        .lines()
        .filter(|l| l.starts_with("error: "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(r.stderr, errors);
}

/// `GOOD` on fal (providers.md §2): reference-to-video for the image, no
/// `index`, durations as strings, `@Image1` for `@mia`.
const GOOD_FAL_REQUEST: &str = r#"{
  "method": "POST",
  "url": "https://queue.fal.run/fal-ai/kling-video/o3/pro/reference-to-video",
  "body": {
    "multi_prompt": [
      {
        "prompt": "Night, rain. @Image1 under a streetlight.",
        "duration": "4"
      },
      {
        "prompt": "Night, rain. A runner in a forest.",
        "duration": "5"
      },
      {
        "prompt": "Night, rain. A sunset over mountains.",
        "duration": "6"
      }
    ],
    "shot_type": "customize",
    "image_urls": [
      "https://example.com/mia.png"
    ],
    "duration": "15",
    "aspect_ratio": "16:9",
    "generate_audio": true
  }
}
"#;

/// `GOOD` on Replicate (providers.md §3): `multi_prompt` as JSON text with
/// integer durations; `prompt` is the overall direction.
const GOOD_REPLICATE_REQUEST: &str = r#"{
  "method": "POST",
  "url": "https://api.replicate.com/v1/models/kwaivgi/kling-v3-omni-video/predictions",
  "body": {
    "input": {
      "prompt": "Night, rain.",
      "multi_prompt": "[{\"prompt\":\"Night, rain. <<<image_1>>> under a streetlight.\",\"duration\":4},{\"prompt\":\"Night, rain. A runner in a forest.\",\"duration\":5},{\"prompt\":\"Night, rain. A sunset over mountains.\",\"duration\":6}]",
      "duration": 15,
      "mode": "pro",
      "aspect_ratio": "16:9",
      "generate_audio": true,
      "reference_images": [
        "https://example.com/mia.png"
      ]
    }
  }
}
"#;

#[test]
fn request_prints_the_exact_fal_request() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "good.board.json", GOOD);
    let r = run(&["request", "--provider", "fal", s(&file)]);
    assert_eq!(r.stderr, "");
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, GOOD_FAL_REQUEST);
}

#[test]
fn request_prints_the_exact_replicate_request() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "good.board.json", GOOD);
    let r = run(&["request", "--provider", "Replicate", s(&file)]);
    assert_eq!(r.stderr, "");
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, GOOD_REPLICATE_REQUEST);
}

#[test]
fn request_follows_the_provider_flag_check_the_boards_provider() {
    // `request` maps for --provider (default kling) whatever the board says;
    // `check` checks the board for its own provider.
    let dir = tempfile::tempdir().unwrap();
    let board = GOOD
        .replace("\"title\"", "\"provider\": \"fal\",\n  \"title\"")
        .replace("\"duration\": 4", "\"duration\": 2");
    let file = write(&dir, "fal.board.json", &board);
    let r = run(&["request", s(&file)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("api-singapore.klingai.com"));
    let expected = "error: shot 1 duration: 2 s is shorter than fal's minimum of 3 s a shot; fal's per-shot range ('3'–'15' or '1'–'15') is unconfirmed, so this minimum is configurable (fal min_shot_seconds)\n";
    let r = run(&["request", "--provider", "fal", s(&file)]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert_eq!(r.stderr, expected);
    let r = run(&["check", s(&file)]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        format!("{expected}{NO_ONE_CITED}1 error, 2 warnings\n")
    );
}

#[test]
fn request_refuses_what_a_provider_cannot_take() {
    let dir = tempfile::tempdir().unwrap();
    let board = GOOD.replace(
        r#"{"name": "mia", "kind": "image", "src": "https://example.com/mia.png"}"#,
        r#"{"name": "mia", "kind": "element", "element_id": 831204}"#,
    );
    let file = write(&dir, "element.board.json", &board);
    let r = run(&["request", "--provider", "kling", s(&file)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (provider, label, reason) in [
        (
            "fal",
            "fal",
            "fal's elements are image sets (a frontal image and reference images), not Kling library ids",
        ),
        (
            "replicate",
            "Replicate",
            "Replicate's kling-v3-omni-video takes no elements",
        ),
    ] {
        let r = run(&["request", "--provider", provider, s(&file)]);
        assert_eq!(r.code, 1, "{provider}");
        assert_eq!(r.stdout, "");
        assert_eq!(
            r.stderr,
            format!(
                "error: reference 'mia' references: 'mia' is a Kling element (element library id 831204) and cannot be sent to {label}: {reason}; remove it or send the board to Kling\n"
            )
        );
    }
}

#[test]
fn request_refuses_an_unknown_provider_listing_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "good.board.json", GOOD);
    let r = run(&["request", "--provider", "openai", s(&file)]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "unknown provider 'openai'; use one of kling|fal|replicate\n"
    );
}

#[test]
fn request_with_an_upload_needs_a_public_url() {
    let dir = tempfile::tempdir().unwrap();
    let board = GOOD.replace(
        "https://example.com/mia.png",
        "upload:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    );
    let file = write(&dir, "upload.board.json", &board);
    let r = run(&["request", s(&file)]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .contains("reference 'mia' is stored on this server"),
        "{}",
        r.stderr
    );
}

#[test]
fn check_lists_problems_and_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "bad.board.json", BAD);
    let r = run(&["check", s(&file)]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "");
    assert_eq!(r.stdout, format!("{BAD_PROBLEMS}3 errors, 1 warning\n"));
}

/// The consistency warnings of `GOOD`: shots 2 and 3 cite no one.
const NO_ONE_CITED: &str = "warning: shot 2 prompt: this shot cites no one from the cast, so nothing keeps its subjects consistent with the other shots; cite who or what appears with @name\n\
warning: shot 3 prompt: this shot cites no one from the cast, so nothing keeps its subjects consistent with the other shots; cite who or what appears with @name\n";

#[test]
fn check_passes_a_good_board() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "good.board.json", GOOD);
    // Warnings do not fail a check.
    let r = run(&["check", s(&file)]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            format!("{NO_ONE_CITED}0 errors, 2 warnings\n").as_str(),
            ""
        )
    );
    // Every shot citing the cast: no problems at all.
    let cited = GOOD
        .replace("A runner in a forest.", "@mia runs in a forest.")
        .replace(
            "A sunset over mountains.",
            "@mia watches a sunset over mountains.",
        );
    let file = write(&dir, "cited.board.json", &cited);
    let r = run(&["check", s(&file)]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "ok: no problems\n", "")
    );
}

#[test]
fn check_with_warnings_only_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let board = r#"{"format": "storyreel/1", "sound": false,
        "references": [{"name": "clip", "kind": "video", "src": "https://example.com/c.mp4", "use": "base"}],
        "shots": [{"prompt": "Make it snow.", "duration": 5}]}"#;
    let file = write(&dir, "warn.board.json", board);
    let r = run(&["check", s(&file)]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout,
        "warning: board duration: the video edits 'clip', so its length follows that video rather than the shots' 5 s, and it is billed on the video's length\n0 errors, 1 warning\n"
    );
    // And the request goes through.
    let r = run(&["request", s(&file)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn malformed_json_reports_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "broken.board.json", MALFORMED);
    let expected = format!(
        "{}: not valid JSON at line 4, column 35: trailing comma\n",
        file.display()
    );
    for args in [vec!["check", s(&file)], vec!["request", s(&file)]] {
        let r = run(&args);
        assert_eq!(r.code, 1, "{args:?}");
        assert_eq!(r.stdout, "", "{args:?}");
        assert_eq!(r.stderr, expected, "{args:?}");
    }
}

#[test]
fn wrong_shape_reports_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = MALFORMED.replace("5,}", "\"5\"}");
    let file = write(&dir, "shape.board.json", &text);
    let r = run(&["check", s(&file)]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("line 4, column 35") && r.stderr.contains("invalid type: string \"5\""),
        "{}",
        r.stderr
    );
}

#[test]
fn unknown_format_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        "v9.board.json",
        r#"{"format": "storyreel/9", "shots": []}"#,
    );
    for args in [vec!["check", s(&file)], vec!["request", s(&file)]] {
        let r = run(&args);
        assert_eq!(r.code, 1);
        assert_eq!(
            r.stderr,
            format!(
                "{}: unknown board format 'storyreel/9'; this version of Storyreel reads 'storyreel/2' (and 'storyreel/1', upgraded as it is read)\n",
                file.display()
            )
        );
    }
}

#[test]
fn missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nowhere.board.json");
    for args in [vec!["check", s(&file)], vec!["request", s(&file)]] {
        let r = run(&args);
        assert_eq!(r.code, 1);
        assert_eq!(r.stdout, "");
        assert!(
            r.stderr
                .starts_with(&format!("cannot read {}: ", file.display())),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn fal_options_on_the_command_line_change_the_request() {
    let dir = tempfile::tempdir().unwrap();
    let board = write(
        &dir,
        "quick.json",
        r#"{"format": "storyreel/1", "sound": false, "shots": [
            {"prompt": "A bell rings.", "duration": 2},
            {"prompt": "A crowd turns.", "duration": 1},
            {"prompt": "Silence in the square.", "duration": 3}]}"#,
    );
    // fal's per-shot minimum is unconfirmed; the safe default is 3 s.
    let refused = run(&["request", "--provider", "fal", s(&board)]);
    assert_eq!(refused.code, 1, "{}", refused.stdout);
    assert!(
        refused.stderr.contains("shot 1") && refused.stderr.contains("3 s"),
        "{}",
        refused.stderr
    );

    let mapped = run(&[
        "request",
        "--provider",
        "fal",
        "--fal-min-shot-seconds",
        "1",
        s(&board),
    ]);
    assert_eq!(mapped.code, 0, "{}", mapped.stderr);
    let request: serde_json::Value = serde_json::from_str(&mapped.stdout).unwrap();
    assert_eq!(request["body"]["duration"], "6");
    let durations: Vec<&str> = request["body"]["multi_prompt"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["duration"].as_str().unwrap())
        .collect();
    assert_eq!(durations, vec!["2", "1", "3"]);

    let no_total = run(&[
        "request",
        "--provider",
        "fal",
        "--fal-min-shot-seconds",
        "1",
        "--fal-omit-total-duration",
        s(&board),
    ]);
    let request: serde_json::Value = serde_json::from_str(&no_total.stdout).unwrap();
    assert!(request["body"].get("duration").is_none());
}

// ------------------------------------------------------------ share, unshare

const UPLOADS: &str = r#"{
  "format": "storyreel/1",
  "title": "Local pictures",
  "references": [
    {"name": "mia", "kind": "image", "src": "upload:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
    {"name": "stall", "kind": "image", "src": "https://example.com/stall.jpg"},
    {"name": "moves", "kind": "video", "src": "blob:https://storyreel.example/1f2e", "use": "feature"}
  ],
  "sound": false,
  "shots": [
    {"prompt": "@mia dances at @stall.", "duration": 6}
  ]
}"#;

#[test]
fn share_prints_a_fragment_that_unshare_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "good.board.json", GOOD);
    let shared = run(&["share", s(&file)]);
    assert_eq!((shared.code, shared.stderr.as_str()), (0, ""));
    let fragment = shared.stdout.trim_end();
    assert!(shared.stdout.ends_with('\n') && !fragment.contains('\n'));
    assert!(fragment.starts_with("b2."), "{fragment}");
    assert!(fragment.len() < GOOD.len() / 2, "{}", fragment.len());

    let board = storyreel_core::Board::from_json(GOOD).unwrap();
    for form in [
        fragment.to_string(),
        format!("#{fragment}"),
        format!("https://storyreel.example/#{fragment}"),
    ] {
        let back = run(&["unshare", &form]);
        assert_eq!((back.code, back.stderr.as_str()), (0, ""), "{form}");
        assert_eq!(back.stdout, board.to_json() + "\n");
    }
}

#[test]
fn unshare_reads_stdin_for_a_dash() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "good.board.json", GOOD);
    let fragment = run(&["share", s(&file)]).stdout;
    let mut child = Command::new(BIN)
        .args(["unshare", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(fragment.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let board = storyreel_core::Board::from_json(GOOD).unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        board.to_json() + "\n"
    );
}

#[test]
fn share_names_local_only_references() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "uploads.board.json", UPLOADS);
    let r = run(&["share", s(&file)]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stderr,
        "warning: 'mia', 'moves' are only on this machine (not an https URL others can reach); whoever opens the link will not have them\n"
    );
    // The link is printed all the same, and carries the board unchanged.
    let back = run(&["unshare", r.stdout.trim()]);
    assert_eq!(back.code, 0);
    assert_eq!(
        back.stdout,
        storyreel_core::Board::from_json_unchecked(UPLOADS)
            .unwrap()
            .to_json()
            + "\n"
    );
}

#[test]
fn share_refuses_what_a_link_cannot_carry() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "malformed.board.json", MALFORMED);
    let r = run(&["share", s(&file)]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert!(
        r.stderr.contains("not valid JSON at line 4"),
        "{}",
        r.stderr
    );

    let seven = r#"{"format": "storyreel/1", "shots": [
        {"prompt": "a", "duration": 1}, {"prompt": "a", "duration": 1},
        {"prompt": "a", "duration": 1}, {"prompt": "a", "duration": 1},
        {"prompt": "a", "duration": 1}, {"prompt": "a", "duration": 1},
        {"prompt": "a", "duration": 1}]}"#;
    let file = write(&dir, "seven.board.json", seven);
    let r = run(&["share", s(&file)]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert!(r.stderr.contains("7 shots"), "{}", r.stderr);

    let r = run(&["share", "/nonexistent/board.json"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("cannot read /nonexistent/board.json"));
}

#[test]
fn unshare_explains_a_bad_link() {
    for (link, says) in [
        ("b3.AAAA", "cannot open the share link: the share link is version 3; this version of Storyreel reads versions 1 ('b1.') and 2 ('b2.') only\n"),
        ("hello", "cannot open the share link: this is not a Storyreel share link: it should start with 'b2.'\n"),
        ("https://storyreel.example/#b2.AB+C", "cannot open the share link: the share link has '+' at character 6; a link holds only A-Z, a-z, 0-9, '-' and '_' after its version marker ('b2.' or 'b1.')\n"),
        ("https://storyreel.example/#b1.AB+C", "cannot open the share link: the share link has '+' at character 6; a link holds only A-Z, a-z, 0-9, '-' and '_' after its version marker ('b2.' or 'b1.')\n"),
        ("b2.AAAA", "cannot open the share link: the share link is damaged: the data ends too early (cut short?)\n"),
        ("b1.AAAA", "cannot open the share link: the share link is damaged: the data ends too early (cut short?)\n"),
    ] {
        let r = run(&["unshare", link]);
        assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (1, "", says), "{link}");
    }
    let long = format!("b2.{}", "A".repeat(40_000));
    let r = run(&["unshare", &long]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "cannot open the share link: the share link is 40003 characters long; the limit is 32768\n"
    );
}

// ------------------------------------------------------------ take video

const TAKE: &str = "https://cdn.klingai.example/o3/take-7f3a.mp4?sig=Q2x8&exp=1767225600";

/// A link holding `layout` (version 2) in one stored DEFLATE block: made
/// by hand, so it can hold what the encoder refuses to write.
fn stored_link(layout: &[u8]) -> String {
    stored_link_as("b2.", layout)
}

/// [`stored_link`] after `prefix`, for a layout of that version.
fn stored_link_as(prefix: &str, layout: &[u8]) -> String {
    let len = u16::try_from(layout.len()).unwrap();
    let mut packed = vec![1];
    packed.extend_from_slice(&len.to_le_bytes());
    packed.extend_from_slice(&(!len).to_le_bytes());
    packed.extend_from_slice(layout);
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::from(prefix);
    for chunk in packed.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

#[test]
fn share_with_a_take_carries_it_and_unshare_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "good.board.json", GOOD);
    let shared = run(&["share", s(&file), "--take", TAKE]);
    assert_eq!((shared.code, shared.stderr.as_str()), (0, ""));
    let fragment = shared.stdout.trim_end();
    assert!(fragment.starts_with("b2.") && !fragment.contains('\n'));
    let without = run(&["share", s(&file)]).stdout;
    assert_ne!(fragment, without.trim_end());

    let board = storyreel_core::Board::from_json(GOOD).unwrap();
    for form in [
        fragment.to_string(),
        format!("https://storyreel.example/#{fragment}"),
    ] {
        let back = run(&["unshare", &form]);
        assert_eq!(back.code, 0, "{form}");
        assert_eq!(back.stdout, board.to_json() + "\n");
        assert_eq!(back.stderr, format!("take video: {TAKE}\n"));
    }
    assert_eq!(
        storyreel_core::share::decode_shared(fragment),
        Ok(storyreel_core::share::Shared {
            board,
            take_url: Some(TAKE.into())
        })
    );
    // The flag may come first.
    let first = run(&["share", "--take", TAKE, s(&file)]);
    assert_eq!(first.stdout, shared.stdout);
}

#[test]
fn unshare_of_a_link_without_a_take_prints_nothing_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "good.board.json", GOOD);
    let fragment = run(&["share", s(&file)]).stdout;
    let back = run(&["unshare", fragment.trim()]);
    assert_eq!((back.code, back.stderr.as_str()), (0, ""));
    // A link made by hand in the old layout (no take section) reads the same.
    let board = storyreel_core::Board::from_json(GOOD).unwrap();
    let old = stored_link(&storyreel_core::share::fuzz_layout(&board, None));
    let back = run(&["unshare", &old]);
    assert_eq!((back.code, back.stderr.as_str()), (0, ""));
    assert_eq!(back.stdout, board.to_json() + "\n");
    let with = stored_link(&storyreel_core::share::fuzz_layout(&board, Some(TAKE)));
    let back = run(&["unshare", &with]);
    assert_eq!(back.stderr, format!("take video: {TAKE}\n"));
}

#[test]
fn unshare_reads_a_version_1_link_as_format_2() {
    // Links made by `share` before board format 2 (b1.), from the core's
    // share corpus; printed as the board upgraded.
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests");
    let links = std::fs::read_to_string(core.join("fixtures/share-v1/links.tsv")).unwrap();
    let mut read = 0;
    for line in links.lines().filter(|l| !l.starts_with('#')) {
        let (name, link) = line.split_once('\t').unwrap();
        let (file, take) = match name.strip_suffix("+take") {
            Some(file) => (file, format!("take video: {TAKE}\n")),
            None => (name, String::new()),
        };
        let text =
            std::fs::read_to_string(core.join(format!("fixtures/share-corpus/{file}.board.json")))
                .unwrap();
        let board = storyreel_core::Board::from_json_draft(&text).unwrap();
        let back = run(&["unshare", link]);
        assert_eq!(
            (back.code, back.stderr.as_str()),
            (0, take.as_str()),
            "{name}"
        );
        assert_eq!(back.stdout, board.to_json() + "\n", "{name}");
        assert!(
            back.stdout.contains("\"format\": \"storyreel/2\""),
            "{name}"
        );
        assert!(!back.stdout.contains("\"mode\""), "{name}");
        read += 1;
    }
    assert!(read >= 10, "{read} links");
    // One made by hand in version 1's layout, and shared again as version 2.
    let board = storyreel_core::Board::from_json(GOOD).unwrap();
    let v1 = storyreel_core::share::fuzz_layout_v1(&board, None).unwrap();
    let back = run(&["unshare", &stored_link_as("b1.", &v1)]);
    assert_eq!(
        (back.code, back.stdout.clone()),
        (0, board.to_json() + "\n")
    );
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "upgraded.board.json", &back.stdout);
    let again = run(&["share", s(&file)]);
    assert!(again.stdout.starts_with("b2."), "{}", again.stdout);
}

#[test]
fn share_refuses_a_take_a_link_may_not_carry() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "good.board.json", GOOD);
    let rule = "it must be an http:// or https:// URL with a host and no user name, at most 2048 characters, without whitespace or control characters";
    let long = format!("https://e.example/{}", "x".repeat(2048));
    for (take, problem) in [
        ("javascript:alert(1)", "is a 'javascript:' URL".to_string()),
        ("data:video/mp4;base64,AAAA", "is a 'data:' URL".to_string()),
        (
            "https://me@cdn.example.com/t.mp4",
            "has a user name before its host ('@')".to_string(),
        ),
        (
            "https://e.example/a b.mp4",
            "has ' ' at character 20".to_string(),
        ),
        (long.as_str(), format!("is {} characters long", long.len())),
    ] {
        let r = run(&["share", s(&file), "--take", take]);
        assert_eq!(r.code, 2, "{take}");
        assert_eq!(r.stdout, "", "{take}");
        assert_eq!(
            r.stderr,
            format!("--take: the take video URL {problem}; {rule}\n"),
            "{take}"
        );
    }
    // Refused before the file is read.
    let r = run(&["share", "/nonexistent/board.json", "--take", "ftp://x/y"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("--take: "), "{}", r.stderr);
}

#[test]
fn share_warns_about_a_take_others_cannot_reach() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "good.board.json", GOOD);
    for take in [
        "http://cdn.example.com/t.mp4",
        "https://localhost:8080/t.mp4",
    ] {
        let r = run(&["share", s(&file), "--take", take]);
        assert_eq!(r.code, 0, "{take}");
        assert_eq!(
            r.stderr,
            "warning: the take video is not an https URL others can reach; whoever opens the link may not be able to play it\n"
        );
        let back = run(&["unshare", r.stdout.trim()]);
        assert_eq!(back.stderr, format!("take video: {take}\n"));
    }
}

#[test]
fn unshare_explains_a_bad_take() {
    let board = storyreel_core::Board::from_json(GOOD).unwrap();
    let link = stored_link(&storyreel_core::share::fuzz_layout(
        &board,
        Some("javascript:alert(1)"),
    ));
    let r = run(&["unshare", &link]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert_eq!(
        r.stderr,
        "cannot open the share link: the take video URL is a 'javascript:' URL; it must be an http:// or https:// URL with a host and no user name, at most 2048 characters, without whitespace or control characters\n"
    );
}

#[test]
fn share_help_names_the_take_flag() {
    let r = run(&["share", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("--take <URL>"), "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!(
            "at most {} characters",
            storyreel_core::share::MAX_TAKE_URL_CHARS
        )),
        "{}",
        r.stdout
    );
    let r = run(&["unshare", "--help"]);
    assert!(r.stdout.contains("take video: URL"), "{}", r.stdout);
}

#[test]
fn request_and_check_take_the_kling_design() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "good.board.json", GOOD);
    for design in ["current", "legacy"] {
        let r = run(&["request", "--kling-api", design, s(&file)]);
        assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{design}");
        let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
        assert_eq!(v["method"], "POST", "{design}");
        let r = run(&["check", "--kling-api", design, s(&file)]);
        assert_eq!(r.code, 0, "{design}: {}", r.stderr);
        assert!(r.stdout.ends_with("0 errors, 2 warnings\n"), "{}", r.stdout);
    }
    for cmd in ["request", "check"] {
        let r = run(&[cmd, "--kling-api", "v2", s(&file)]);
        assert_eq!(r.code, 2, "{cmd}");
        assert!(
            r.stderr
                .contains("\"v2\" is not a Kling design; use current or legacy"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn serve_refuses_the_current_design_with_only_a_key_pair() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<!doctype html>").unwrap();
    let out = Command::new(BIN)
        .args([
            "serve",
            "--addr",
            "127.0.0.1",
            "--port",
            "0",
            "--kling-api",
            "current",
        ])
        .arg("--dist")
        .arg(dist.path())
        .env_clear()
        .env("KLING_ACCESS_KEY", "ak-cli-secret")
        .env("KLING_SECRET_KEY", "sk-cli-secret")
        .output()
        .expect("run the binary");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "--kling-api current asks for Kling's current design, which accepts only an API key"
        ) && stderr.contains("KLING_API_KEY")
            && stderr.contains("--kling-api legacy"),
        "{stderr}"
    );
    assert!(!stderr.contains("ak-cli-secret") && !stderr.contains("sk-cli-secret"));
    assert!(out.stdout.is_empty(), "it never said it listens");
}
