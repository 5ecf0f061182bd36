//! Writes a clip to a file and prints how long it took:
//! `cargo run --release -p storyreel-clip --example make_clip -- OUT.mp4 WIDTH HEIGHT SECONDS,SECONDS,... [sound]`

use std::time::Instant;

use storyreel_clip::{render_mp4, ClipSpec, ShotSpec};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = args.get(1).map_or("clip.mp4", String::as_str);
    let num = |i: usize, d: u32| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    let (width, height) = (num(2, 1280), num(3, 720));
    let seconds: Vec<u32> = args
        .get(4)
        .map_or("3,2,4", String::as_str)
        .split(',')
        .filter_map(|s| s.parse().ok())
        .collect();
    let sound = args.get(5).is_some_and(|s| s == "sound");
    let labels = [
        "A lighthouse keeper climbs the spiral stairs at dawn",
        "Close-up: waves crash on black rocks — café ñ 日本",
        "The lamp turns; gulls scatter over the bay",
        "Wide shot of the coast, fog rolling in",
        "She writes in the log book by candle light",
        "Night falls; the beam sweeps the sea",
    ];
    let spec = ClipSpec {
        width,
        height,
        fps: 24,
        shots: seconds
            .iter()
            .enumerate()
            .map(|(i, &s)| ShotSpec {
                seconds: s,
                label: labels[i % labels.len()].to_string(),
            })
            .collect(),
        sound,
    };
    let start = Instant::now();
    match render_mp4(&spec) {
        Ok(bytes) => {
            let took = start.elapsed();
            if let Err(e) = std::fs::write(out, &bytes) {
                eprintln!("cannot write {out}: {e}");
                std::process::exit(1);
            }
            println!(
                "{out}: {width}x{height}, {} s, {} bytes in {:.3} s",
                spec.total_seconds(),
                bytes.len(),
                took.as_secs_f64()
            );
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}
