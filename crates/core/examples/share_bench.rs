//! The share-link benchmark: our link length for every board in the corpus
//! against lz-string's `compressToEncodedURIComponent` of the same board's
//! JSON, and the time to decode the 6-shot board.
//!
//! ```text
//! node tests/node/share-bench.mjs crates/core/tests/fixtures/share-corpus > /tmp/lz.json
//! cargo run --release -p storyreel-core --example share_bench -- \
//!     crates/core/tests/fixtures/share-corpus /tmp/lz.json [BENCHMARKS.md]
//! ```
//!
//! Prints a markdown section; given a third argument, writes it into that
//! file between `<!-- share-bench:start -->` and `<!-- share-bench:end -->`
//! (the rest of the file is left as it is; the markers are appended if
//! missing).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use storyreel_core::{share, Board};

const START: &str = "<!-- share-bench:start -->";
const END: &str = "<!-- share-bench:end -->";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: share_bench CORPUS_DIR LZ_JSON [BENCHMARKS.md]");
        std::process::exit(2);
    }
    let dir = Path::new(&args[0]);
    let lz: BTreeMap<String, usize> = serde_json::from_str(
        &std::fs::read_to_string(&args[1]).expect("read the lz-string lengths"),
    )
    .expect("lz-string lengths as JSON {file: length}");

    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read the corpus")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();

    let mut rows = Vec::new();
    let mut ratios = Vec::new();
    let mut six_shot: Option<(String, Board, String)> = None;
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).expect("read a board");
        let board = Board::from_json_draft(&text).expect("a corpus board opens");
        let fragment = share::encode(&board);
        assert_eq!(
            share::decode(&fragment).as_ref(),
            Ok(&board),
            "{name} round-trips"
        );
        let minified =
            serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&text).expect("JSON"))
                .expect("JSON");
        let lz_len = *lz
            .get(name)
            .unwrap_or_else(|| panic!("no lz-string length for {name}"));
        let ratio = fragment.len() as f64 / lz_len as f64;
        ratios.push(ratio);
        rows.push(format!(
            "| {name} | {} | {} | {} | {lz_len} | {} | {:.0}% |",
            board.shots.len(),
            board.references.len(),
            minified.chars().count(),
            fragment.len(),
            ratio * 100.0
        ));
        if board.shots.len() == 6 && six_shot.is_none() {
            six_shot = Some((name.clone(), board, fragment));
        }
    }
    ratios.sort_by(f64::total_cmp);
    let median_ratio = median(&ratios);
    let total_ours: usize = names
        .iter()
        .map(|n| {
            let text = std::fs::read_to_string(dir.join(n)).unwrap();
            share::encode(&Board::from_json_draft(&text).unwrap()).len()
        })
        .sum();
    let total_lz: usize = names.iter().map(|n| lz[n]).sum();

    let (six_name, six_board, six_fragment) = six_shot.expect("a 6-shot board in the corpus");
    // The first decode in a process pays for nothing extra (no tables to
    // build); still, warm up before timing.
    for _ in 0..200 {
        std::hint::black_box(share::decode(std::hint::black_box(&six_fragment)).unwrap());
    }
    let mut times = Vec::new();
    for _ in 0..2001 {
        let t = Instant::now();
        let b = share::decode(std::hint::black_box(&six_fragment)).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1e6);
        std::hint::black_box(b);
    }
    times.sort_by(f64::total_cmp);
    let mut enc_times = Vec::new();
    for _ in 0..501 {
        let t = Instant::now();
        std::hint::black_box(share::encode(std::hint::black_box(&six_board)));
        enc_times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    enc_times.sort_by(f64::total_cmp);

    let mut md = String::new();
    md.push_str("## Share links\n\n");
    md.push_str(&format!(
        "`cargo run --release -p storyreel-core --example share_bench` (lz-string {} via \
         `node tests/node/share-bench.mjs`). Link length is the fragment after `#`, in \
         characters; lz-string gets the board JSON as the format writes it, minified \
         (`JSON.stringify`). Our link: binary layout, raw DEFLATE with a preset \
         dictionary, base64url, `b2.` prefix.\n\n",
        "1.5.0"
    ));
    md.push_str(&format!(
        "- corpus: {} boards (1 to 6 shots; en, es, de, fr, it, pt, ja, zh)\n",
        names.len()
    ));
    md.push_str(&format!(
        "- **median link length vs lz-string: {:.1}%** (aim: at most 55%); best {:.1}%, worst {:.1}%; all links together {:.1}% ({total_ours} vs {total_lz} characters)\n",
        median_ratio * 100.0,
        ratios[0] * 100.0,
        ratios[ratios.len() - 1] * 100.0,
        total_ours as f64 / total_lz as f64 * 100.0
    ));
    md.push_str(&format!(
        "- **decode of the 6-shot board** (`{six_name}`, {} characters): median {:.1} µs, p95 {:.1} µs over {} runs (aim: under 1 ms); encode median {:.1} µs. Native, release build, {}.\n\n",
        six_fragment.len(),
        median(&times),
        times[times.len() * 95 / 100],
        times.len(),
        median(&enc_times),
        std::env::consts::ARCH
    ));
    md.push_str("| board | shots | refs | JSON chars | lz-string | ours | ours / lz |\n");
    md.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
    for row in &rows {
        md.push_str(row);
        md.push('\n');
    }
    print!("{md}");

    if let Some(path) = args.get(2) {
        let old = std::fs::read_to_string(path).unwrap_or_default();
        let section = format!("{START}\n{md}{END}");
        let new = match (old.find(START), old.find(END)) {
            (Some(a), Some(b)) if a < b => {
                format!("{}{section}{}", &old[..a], &old[b + END.len()..])
            }
            _ => {
                let sep = if old.is_empty() || old.ends_with("\n\n") {
                    ""
                } else if old.ends_with('\n') {
                    "\n"
                } else {
                    "\n\n"
                };
                format!("{old}{sep}{section}\n")
            }
        };
        std::fs::write(path, new).expect("write the benchmark file");
        eprintln!("wrote the share-bench section of {path}");
    }
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}
