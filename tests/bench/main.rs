//! `cargo xtask bench`: measures the release build in headless Chromium and
//! writes BENCHMARKS.md.
//!
//! - transfer size of the app as the browser receives it, and the first
//!   load as brotli, checked against a ceiling (`size.rs`);
//! - time from navigation to an interactive editor (cold and warm cache);
//! - time per keystroke in a shot prompt of a 6-shot board over 1,000
//!   inputs: input handler, re-render, rules and a forced layout; and the
//!   same loop on two peer pages, the editor's page frozen and one prompt
//!   field alone (`keys.rs`).

mod keys;
mod prepare;
mod size;

use std::fmt::Write as _;
use std::path::PathBuf;

use keys::{Keys, KEYSTROKES};
use serde_json::{json, Value};
use storyreel_e2e::Harness;

const LOADS: usize = 10;
/// The navigation figures of two builds measured side by side, kept as
/// text (the older build is not rebuilt by a bench run).
const NAVIGATION_SIDE_BY_SIDE: &str = "The cold figure is one load. Side by side on 2026-12-04 (`cargo xtask bench load`: 7 cold loads, each in a fresh profile, and 10 warm, run five times for each build in turn against one server): the build before the lazy parts (b6cd24e, first load 550 KB of brotli) had cold medians of 218.4, 216.3, 258.0, 224.1 and 218.7 ms and warm medians of 100.3, 91.5, 94.2, 92.3 and 85.0; the build of decff4d (first load 343 KB) 273.2, 215.1, 200.0, 218.6 and 211.7 cold and 96.2, 97.7, 75.7, 86.5 and 70.0 warm. So on loopback, where the bytes cost almost nothing, the lazy parts left navigation as it was (medians of the five: 218.7 against 215.1 cold, 92.3 against 86.5 warm); the 183.5 ms of 2026-11-30 was measured on a faster day of this machine (see the photo benchmark's peer). Over a real network the 208 KB less to fetch comes on top.";
/// Cold loads of `cargo xtask bench load`, each in a fresh profile.
const COLD_LOADS: usize = 7;
const DECODES: usize = 20;

fn six_shot_board() -> Value {
    json!({
        "format": "storyreel/1",
        "title": "Bench: night market",
        "prompt": "Warm neon palette, handheld camera, light rain.",
        "sound": true,
        "references": [
            {"name": "mia", "kind": "image", "src": "https://example.com/mia.png"},
            {"name": "stall", "kind": "image", "src": "https://example.com/stall.jpg"},
            {"name": "lantern", "kind": "element", "element_id": 831204}
        ],
        "shots": [
            {"prompt": "Wide shot: @mia walks between the stalls, @lantern swaying above.", "duration": 3},
            {"prompt": "Close-up on @mia. She says: \"Have you seen my brother?\"", "duration": 3},
            {"prompt": "The vendor at @stall shakes his head and points down the lane.", "duration": 2},
            {"prompt": "Tracking shot behind @mia as she pushes through the crowd.", "duration": 3},
            {"prompt": "Low angle: fireworks burst over the market roofs.", "duration": 2},
            {"prompt": "@mia stops, smiles: \"There you are.\"", "duration": 2}
        ]
    })
}

/// Median, p90, p99 and max of sorted times.
fn four(sorted: &[f64]) -> [f64; 4] {
    [
        percentile(sorted, 50.0),
        percentile(sorted, 90.0),
        percentile(sorted, 99.0),
        sorted.last().copied().unwrap_or(f64::NAN),
    ]
}

/// [`four`] in one line.
fn figures(sorted: &[f64]) -> String {
    let [median, p90, p99, max] = four(sorted);
    format!("median {median:.3} ms, p90 {p90:.3} ms, p99 {p99:.3} ms, max {max:.3} ms")
}

/// Shot 3's prompt of a board file, where both keystroke runs type.
fn shot_three(board: &str) -> String {
    let board: Value = serde_json::from_str(board).expect("the bench board");
    board["shots"][2]["prompt"]
        .as_str()
        .expect("shot 3's prompt")
        .to_string()
}

/// A table row of keystroke figures.
fn row(page: &str, sorted: &[f64]) -> String {
    let [median, p90, p99, max] = four(sorted);
    format!("| {page} | {median:.3} ms | {p90:.3} ms | {p99:.3} ms | {max:.3} ms |")
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// [`LOADS`] navigations of a page loaded before, each to the ready
/// mark; sorted.
async fn warm_loads(h: &Harness) -> Vec<f64> {
    let mut warm = Vec::new();
    for _ in 0..LOADS {
        h.goto("/?warm").await;
        warm.push(ready_ms(h).await);
    }
    warm.sort_by(|a, b| a.total_cmp(b));
    warm
}

async fn ready_ms(h: &Harness) -> f64 {
    h.wait_for("body[data-ready] #timeline").await;
    h.eval(
        "const m = performance.getEntriesByName('storyreel-ready')[0]; return m ? m.startTime : null;",
        vec![],
    )
    .await
    .as_f64()
    .expect("the ready mark")
}

#[tokio::main]
async fn main() {
    let out_path = std::env::var_os("STORYREEL_BENCH_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("BENCHMARKS.md"));
    let dist = std::env::var_os("STORYREEL_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("dist"));
    // `STORYREEL_BENCH_ONLY=photos` runs the photo benchmark alone and
    // prints its section without touching BENCHMARKS.md (for tuning).
    if std::env::var("STORYREEL_BENCH_ONLY").as_deref() == Ok("photos") {
        let mut md = String::new();
        prepare::section(&mut md).await;
        println!("{md}");
        return;
    }
    // `STORYREEL_BENCH_ONLY=clip` likewise for the simulator's video.
    if std::env::var("STORYREEL_BENCH_ONLY").as_deref() == Ok("clip") {
        let mut md = String::new();
        clip_section(&mut md);
        println!("{md}");
        return;
    }
    // `STORYREEL_BENCH_ONLY=load` measures navigation alone, with more
    // cold loads than the full run (each in a fresh profile and server),
    // and prints it: for comparing two builds side by side
    // (`STORYREEL_DIST`).
    if std::env::var("STORYREEL_BENCH_ONLY").as_deref() == Ok("load") {
        let mut cold = Vec::new();
        for _ in 0..COLD_LOADS {
            let h = Harness::start().await;
            h.goto("/").await;
            cold.push(ready_ms(&h).await);
            h.close().await;
        }
        cold.sort_by(|a, b| a.total_cmp(b));
        let h = Harness::start().await;
        h.goto("/").await;
        ready_ms(&h).await;
        let warm = warm_loads(&h).await;
        h.close().await;
        println!(
            "navigation: cold median {:.1} ms (fastest {:.1}, slowest {:.1} of {COLD_LOADS}); warm median {:.1} ms, slowest {:.1} of {LOADS}",
            percentile(&cold, 50.0),
            cold.first().copied().unwrap_or(f64::NAN),
            cold.last().copied().unwrap_or(f64::NAN),
            percentile(&warm, 50.0),
            warm.last().copied().unwrap_or(f64::NAN),
        );
        return;
    }
    // `STORYREEL_BENCH_ONLY=keys` runs the keystroke benchmark alone and
    // prints median, p90, p99 and max (and the idle floor).
    if std::env::var("STORYREEL_BENCH_ONLY").as_deref() == Ok("keys") {
        let h = Harness::start().await;
        h.goto("/").await;
        ready_ms(&h).await;
        let board = six_shot_board().to_string();
        let app = keys::editor(&h, &board).await;
        let frozen = keys::frozen(&h, &dist, &shot_three(&board)).await;
        let floor = keys::floor(&h, &dist, &shot_three(&board)).await;
        h.close().await;
        for (name, part) in [
            ("handler", &app.handler),
            ("reactive", &app.flush),
            ("layout", &app.layout),
        ] {
            println!("  {name}: {}", figures(part));
        }
        println!(
            "keystrokes: {} (idle: median {:.3}, p99 {:.3}, max {:.3})",
            figures(&app.times),
            percentile(&app.idle, 50.0),
            percentile(&app.idle, 99.0),
            app.idle.last().copied().unwrap_or(f64::NAN),
        );
        println!("peer, the frozen editor: {}", figures(&frozen.times));
        println!(
            "peer, the floor (one prompt field alone): {}",
            figures(&floor.times)
        );
        return;
    }
    let h = Harness::start().await;

    // 1. Cold load: what the browser transferred.
    h.goto("/").await;
    let cold = ready_ms(&h).await;
    let resources = h
        .eval(
            "const nav = performance.getEntriesByType('navigation')[0];
             const res = performance.getEntriesByType('resource')
               .filter(r => /\\.(wasm|js|css)$/.test(new URL(r.name).pathname));
             return [nav, ...res].map(r => ({
               name: new URL(r.name).pathname, transfer: r.transferSize,
               encoded: r.encodedBodySize, decoded: r.decodedBodySize }));",
            vec![],
        )
        .await;
    let resources = resources.as_array().cloned().unwrap_or_default();

    // Brotli as served over HTTPS (Chromium asks for br only on secure
    // origins; the server sends the precompressed files then): the files
    // this cold load fetched. Checked against the ceiling at the end, once
    // BENCHMARKS.md holds the figures.
    let fetched: Vec<String> = resources
        .iter()
        .filter_map(|r| r["name"].as_str().map(str::to_string))
        .collect();
    let sizes = size::of_dist(&dist, &fetched).expect("the brotli sizes of the first load");

    // 2. Warm loads.
    let warm = warm_loads(&h).await;

    // 3. Keystrokes on a 6-shot board.
    let board = six_shot_board().to_string();
    let Keys { times, idle, .. } = keys::editor(&h, &board).await;
    // The same loop in the peers: the editor's page frozen, and one
    // prompt field alone.
    let frozen = keys::frozen(&h, &dist, &shot_three(&board)).await;
    let floor = keys::floor(&h, &dist, &shot_three(&board)).await;
    // 4. Opening a share link of the 6-shot board: the decode in wasm.
    let six = storyreel_core::Board::from_json_draft(&board).expect("the bench board");
    let fragment = storyreel_core::share::encode(&six);
    let mut decodes = Vec::new();
    for i in 0..DECODES {
        h.goto(&format!("/?decode{i}#{fragment}")).await;
        h.wait_for("body[data-ready] #shared-view").await;
        let ms = h
            .eval(
                "const m = performance.getEntriesByName('storyreel-share-decode')[0]; return m ? m.duration : null;",
                vec![],
            )
            .await
            .as_f64()
            .expect("the decode measure");
        decodes.push(ms);
    }
    decodes.sort_by(|a, b| a.total_cmp(b));

    let chromium = h
        .eval("return navigator.userAgent;", vec![])
        .await
        .as_str()
        .unwrap_or_default()
        .to_string();
    h.close().await;

    // Report.
    let mut md = String::new();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Written by `cargo xtask bench` (tests/bench/main.rs) against the release build served by \
         `storyreel-server` on loopback, in headless Chromium ({}), on a {cores}-core machine with no GPU. \
         Figures vary by a few per cent between runs on these shared machines.\n",
        chromium
            .split_whitespace()
            .find(|w| w.starts_with("HeadlessChrome/") || w.starts_with("Chrome/"))
            .unwrap_or("Chromium")
    );

    let _ = writeln!(md, "## Transfer size of the app (goal: at most 250 KB)\n");
    let _ = writeln!(md, "As Chromium received it from `storyreel-server` on loopback, from the Resource Timing API (`transferSize` includes headers):\n");
    let _ = writeln!(
        md,
        "| file | transferred (bytes) | body as sent | body decoded |\n|---|---:|---:|---:|"
    );
    let mut total_transfer = 0u64;
    let mut total_encoded = 0u64;
    for r in &resources {
        let t = r["transfer"].as_u64().unwrap_or(0);
        let e = r["encoded"].as_u64().unwrap_or(0);
        total_transfer += t;
        total_encoded += e;
        let _ = writeln!(
            md,
            "| `{}` | {t} | {e} | {} |",
            r["name"].as_str().unwrap_or("?"),
            r["decoded"].as_u64().unwrap_or(0)
        );
    }
    let _ = writeln!(
        md,
        "| **total** | **{total_transfer}** ({:.1} KB) | {total_encoded} | |\n",
        total_transfer as f64 / 1000.0
    );
    size::section(&mut md, &sizes);
    let total_br = sizes.first_load_total();
    size::reading(&mut md, total_br);

    let _ = writeln!(md, "## Navigation to an interactive editor\n");
    let _ = writeln!(
        md,
        "From navigation start to the app's `storyreel-ready` mark (set once the editor is mounted and \
         its handlers are live).\n\n| load | ms |\n|---|---:|\n| cold (first visit, empty cache) | {cold:.1} |\n\
         | warm, median of {LOADS} | {:.1} |\n| warm, slowest of {LOADS} | {:.1} |\n",
        percentile(&warm, 50.0),
        warm.last().copied().unwrap_or(f64::NAN)
    );
    let _ = writeln!(md, "{NAVIGATION_SIDE_BY_SIDE}\n");

    let _ = writeln!(md, "## Time per keystroke (goal: p99 under 2 ms)\n");
    let _ = writeln!(
        md,
        "{KEYSTROKES} inputs into shot 3's prompt on a 6-shot board with a cast of 3, mentions and dialogue. \
         Each sample runs from setting the textarea's value and dispatching `input` until the app's reactive \
         updates have run (a message-channel turn) and a forced layout: the input handler, the rules over the \
         whole board, the cost, the re-render of the counter, highlights and problems.\n"
    );
    let _ = writeln!(
        md,
        "| page | median | p90 | p99 | max |\n|---|---:|---:|---:|---:|\n{}\n{}\n{}\n",
        row("the editor, 6-shot board", &times),
        row("peer: the frozen editor (its page, no app)", &frozen.times),
        row("peer: the floor (one prompt field alone)", &floor.times),
    );
    let _ = writeln!(
        md,
        "The same loop with no input (only the message-channel turn and the layout), as the floor of this \
         machine: median {:.3} ms, p99 {:.3} ms, max {:.3} ms. `performance.now()` has 0.1 ms resolution here.\n",
        percentile(&idle, 50.0),
        percentile(&idle, 99.0),
        idle.last().copied().unwrap_or(f64::NAN)
    );
    let _ = writeln!(md, "{}\n", keys::PEERS);
    let verdict = |v: f64| if v < 2.0 { "under" } else { "over" };
    let _ = writeln!(
        md,
        "### Reading the keystroke figures\n\n\
         In this run the p99 is {} 2 ms and the median {} it. Where the time goes (traced on \
         2026-12-03, same machine, 500 keystrokes with Chromium's profiler and trace): the input handler \
         about 0.2 ms; the reactive work (Leptos's effects, run as microtasks in the message-channel turn) \
         about 1 ms, of which about 0.1 ms is the reactive graph's own bookkeeping for the board signal's \
         forty or so direct subscribers (each write copies the subscriber set, and each memo that runs \
         again leaves and rejoins it), 0.06 to 0.08 ms the rules, and, until 2026-12-03, 0.2 ms the \
         autosave's word to the other tabs and its second storage write on every key (now at most every \
         250 ms); the forced layout 0.6 to 0.7 ms. The tail is the browser's frames: one frame (style, \
         layout, painting two page-sized layers, layerizing and commit; median 3.9 ms) ran for about every \
         five keystrokes, and the slow keystrokes (219 of 1000 over 3 ms) are spaced as frames are. \
         CSS containment of the prompt's backdrop or of the shot panels, and a layer of its own for the \
         prompt, changed neither. Two changes of 2026-12-04 did, measured side by side (the two builds \
         alternated three times with this loop): the backdrop rewrites only the text node a keystroke \
         changed, instead of parsing its whole HTML again, and each shot panel and each part of the side \
         column is a compositor layer of its own (`will-change: transform`), so a frame repaints the one \
         panel typed in, not a page-sized layer. p90 went from 2.9 / 3.1 / 3.6 ms to 2.5 / 2.8 / 3.0, \
         p99 from 6.3 / 6.2 / 8.2 to 5.5 / 5.8 / 6.6, max from 12.7 / 15.1 / 32.5 to 8.8 / 13.2 / 11.6; \
         the median moved by 0.1 ms at most. The reactive turn's median fell from 1.1 to 0.7 ms and the \
         forced layout's from 0.8 to 0.6. A frame still costs more than 2 ms of the browser's own work \
         here, so the p99 stays over 2 ms on this machine. Runs on this shared 2-core VM differ by up to \
         a factor of two in the tail. \
         Traced again on 2026-12-05 (1,000 keystrokes, this loop, Chromium's trace) beside the peer: \
         every frame lands inside a sample, in the wait for the message-channel turn, since the loop \
         never yields between samples otherwise. In the editor a frame came in 130 of 999 samples and \
         cost 2.4 ms (layout 0.5, pre-paint 0.2, paint 0.8, layerize 0.3, commit 0.3); in the peer, \
         whose samples are shorter, one came in 3 to 4 of 100 and cost 1.25 ms (layout 0.2, paint 0.3, \
         layerize 0.1, commit 0.3). A keystroke's own layout was 0.48 ms in the editor (20 objects \
         dirty of about 700) and 0.19 ms in the peer. The keystroke's DOM changes are already the \
         least (watched with a `MutationObserver` over 50 keystrokes: the counter's and the backdrop's \
         text on each key; the completions, the problems, the Generate button and the shot's card only \
         on the few keys that change them, as typing an `@` name does), so the rest is the \
         size of the page the browser walks: containment (`contain: strict` on the backdrop, on the \
         prompt box at a fixed height, on a fixed-size counter, on the shot panels) and \
         `content-visibility: auto` on the panels and the side column moved neither the layout nor the \
         frame by more than the runs' noise. Garbage collection is not the tail either: 2 minor \
         collections (3.5 ms each) and one major (4.3 ms) in 1,000 keystrokes. The frozen editor \
         (the table's middle row) tells the page's share from the app's: with no framework and no rules \
         its p99 was 2.0 to 2.3 ms in four runs of 2026-12-05 while the machine ran slow (the editor's \
         3.9 to 6.8) and 1.4 ms in two runs once it ran fast again (the editor's 3.5 and 3.6; 2.3 to 2.9 \
         in eight runs with Chromium's trace on), so on this machine the editor's page alone takes most \
         of the goal's 2 ms at p99, whatever code answers the keys; the app's own work (the input handler, \
         the effects and the larger frames its samples catch) more than doubles it. \
         Per-shot signals (2026-12-05): the board is read whole, by outline (everything but the shots' \
         prompt texts) or by shot, and typing in a prompt wakes only the whole-board readers and that \
         shot's panel and card. Side by side with the build before (four alternations of `bench keys`): \
         p99 4.4 / 4.4 / 4.4 / 4.7 ms before and 3.9 / 3.9 / 4.0 / 3.9 after, p90 2.0 to 2.3 before and 1.9 \
         after, median 1.2 to 1.3 before and 1.1 after; the reactive turn's median 0.6 to 0.5. What the app \
         still does per keystroke, timed inside the wasm over 1,000 keystrokes with this loop (a probe \
         build, not kept): autosave's effect 0.106 ms (the board's JSON and the local storage write), the \
         input handler 0.054 (reading the textarea 0.012, the edit and its notifications 0.028, the \
         completion menu 0.010), the rules 0.038, the backdrop's write 0.023, the cast's three usage \
         counts 0.012, Generate's blocker 0.011, the history 0.010, the highlights, chips and the shot's \
         memo under 0.006 each: about 0.27 ms, the rest of the app's 0.5 ms being Leptos's own scheduling. \
         The release profile is `opt-level = \"s\"`. Measured again on 2026-12-05 with this loop, \
         `\"z\"` for the whole app now costs less than it once did (about twice as slow, when the rules \
         dominated a keystroke) but still costs: side by side in four alternations, p99 4.1 / 4.5 / 4.5 / \
         3.9 ms with `\"s\"` against 4.2 / 5.1 / 4.5 / 4.7 with `\"z\"`, medians 1.1 to 1.2 against 1.2, \
         for a first load 17,037 bytes of brotli smaller (302,962 to 285,925). Not taken: it moves the \
         keystroke further from its goal than it moves the size towards its own. `3` halved the time \
         again but grew the wasm to 273 KB gzip, over the size budget.\n",
        verdict(percentile(&times, 99.0)),
        verdict(percentile(&times, 50.0)),
    );
    let _ = writeln!(
        md,
        "## Opening a share link (goal: decode under 1 ms)\n\n\
         The app decodes the link of the 6-shot board above ({} characters) when the page opens: \
         base64url, DEFLATE with the preset dictionary, the binary layout, and the same checks as an \
         import. Measured in the page with `performance.measure` around the decode, over {DECODES} \
         fresh page loads (`performance.now()` has 0.1 ms resolution here).\n\n\
         | median | slowest |\n|---:|---:|\n| {:.3} ms | {:.3} ms |\n",
        fragment.len(),
        percentile(&decodes, 50.0),
        decodes.last().copied().unwrap_or(f64::NAN),
    );
    prepare::section(&mut md).await;
    clip_section(&mut md);
    std::fs::write(&out_path, &md).expect("write BENCHMARKS.md");
    println!("{md}");
    // The bundle-size check, after the figures are written.
    if let Err(why) = size::check(&sizes) {
        eprintln!("bench: {why}");
        std::process::exit(1);
    }
}

/// The simulator's video: making a 15 s clip (6 shots, sound on) in
/// process, as the simulator does when a task finishes, at 1080p and 4K.
fn clip_section(md: &mut String) {
    const RUNS: usize = 7;
    let prompts = [
        "Wide shot: a lighthouse at dusk, gulls circling the lamp",
        "Close-up: waves break on black rocks below the tower",
        "The keeper climbs the spiral stairs, lantern in hand",
        "Inside the lamp room, brass gears begin to turn",
        "The beam sweeps across the fog over the bay",
        "Dawn: the light goes out as the sun rises",
    ];
    let _ = writeln!(md, "## Simulator: making a finished task's video\n");
    let _ = writeln!(
        md,
        "`storyreel-clip` renders the MP4 the Kling simulator serves for a finished task: 15 s, \
         24 fps, 6 shots, H.264 with a FLAC audio track, on one core of this machine ({RUNS} runs \
         each, release build).\n"
    );
    let _ = writeln!(
        md,
        "| size | median | fastest | slowest | file |\n|---|---:|---:|---:|---:|"
    );
    for (width, height) in [(1920, 1080), (3840, 2160)] {
        let spec = storyreel_clip::ClipSpec {
            width,
            height,
            fps: 24,
            shots: [3, 3, 2, 2, 3, 2]
                .iter()
                .zip(prompts)
                .map(|(&seconds, label)| storyreel_clip::ShotSpec {
                    seconds,
                    label: label.to_string(),
                })
                .collect(),
            sound: true,
        };
        let mut times = Vec::with_capacity(RUNS);
        let mut bytes = 0;
        for _ in 0..RUNS {
            let started = std::time::Instant::now();
            let clip = storyreel_clip::render_mp4(&spec).expect("the clip renders");
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            bytes = clip.len();
        }
        times.sort_by(f64::total_cmp);
        let _ = writeln!(
            md,
            "| {width}×{height} | {:.0} ms | {:.0} ms | {:.0} ms | {} bytes ({:.0} KB) |",
            percentile(&times, 50.0),
            times.first().copied().unwrap_or(f64::NAN),
            times.last().copied().unwrap_or(f64::NAN),
            bytes,
            bytes as f64 / 1000.0
        );
    }
    let _ = writeln!(md);
}
