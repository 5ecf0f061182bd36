//! The share-link fuzz target on stable: its seed corpus
//! (`fuzz/corpus/share_decode`) and a bounded number of deterministic
//! mutations of it go through `share::fuzz_decode`, which panics when a
//! board it accepts does not share again unchanged.
//!
//! The seeds are made from the boards in `tests/fixtures/share-corpus`;
//! after changing those (or the layout), write them again with
//!
//! ```text
//! STORYREEL_WRITE_FUZZ_SEEDS=1 cargo test -p storyreel-core --test it share_fuzz::
//! ```
//!
//! `SHARE_FUZZ_CASES` and `SHARE_FUZZ_SEED` change how many mutations are
//! tried (3000) and where the generator starts, for a longer local run.
#![cfg(not(target_arch = "wasm32"))]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use storyreel_core::share::{self, PREFIX};
use storyreel_core::{AspectRatio, Board, Provider, Reference, Resolution};

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/share_decode")
}

fn boards() -> Vec<(String, Board)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/share-corpus");
    let mut boards: Vec<(String, Board)> = std::fs::read_dir(dir)
        .expect("the share corpus")
        .map(|e| e.expect("entry").path())
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.strip_suffix(".board.json")?;
            let text = std::fs::read_to_string(&p).expect("read");
            let board = Board::from_json_draft(&text).expect("a corpus board");
            Some((name.to_string(), board))
        })
        .collect();
    boards.sort_by(|a, b| a.0.cmp(&b.0));
    boards
}

const TAKE: &str = "https://cdn.klingai.example/o3/take-7f3a.mp4?sig=Q2x8&exp=1767225600";

fn packed(fragment: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(&fragment[PREFIX.len()..])
        .expect("a fragment")
}

/// Version-1 links made before board format 2, from
/// `tests/fixtures/share-v1/links.tsv`: (name, link).
fn v1_links() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/share-v1/links.tsv");
    std::fs::read_to_string(path)
        .expect("the version-1 links")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| l.split_once('\t'))
        .map(|(name, link)| (name.replace('+', "-"), link.to_string()))
        .collect()
}

/// The seed corpus, by file name: links as text (some with a take, some
/// as a whole URL, some of version 1), their packed bytes, binary layouts
/// of both versions, and a few damaged ones. Every kind reaches one of
/// `fuzz_decode`'s readings intact.
fn make_seeds() -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    for (i, (name, board)) in boards().iter().enumerate() {
        let fragment = share::encode(board);
        if i % 2 == 0 {
            seeds.push((format!("fragment-{name}"), fragment.clone().into_bytes()));
        }
        if i % 6 == 1 {
            let with = share::encode_shared(board, Some(TAKE)).expect("shares");
            let text = match i / 6 {
                0 => with,
                1 => format!("#{with}"),
                _ => format!("https://storyreel.example/#{with}"),
            };
            seeds.push((format!("take-{name}"), text.into_bytes()));
        }
        if i % 6 == 3 {
            seeds.push((format!("packed-{name}"), packed(&fragment)));
        }
        if i % 5 == 0 {
            let take = (i % 10 == 0).then_some(TAKE);
            seeds.push((format!("layout-{name}"), share::fuzz_layout(board, take)));
        }
        if i % 8 == 5 {
            let cut = &fragment[..fragment.len() / 2];
            seeds.push((format!("cut-{name}"), cut.as_bytes().to_vec()));
        }
        if i % 8 == 7 {
            let mut bytes = packed(&fragment);
            let at = bytes.len() / 2;
            bytes[at] ^= 0x10;
            seeds.push((format!("flip-{name}"), bytes));
        }
    }
    // Version 1: links as they were made, and layouts (which the fuzz
    // target also packs after `b1.`).
    for (i, (name, link)) in v1_links().into_iter().enumerate() {
        if i % 12 == 0 {
            seeds.push((format!("v1-{name}"), link.into_bytes()));
        }
    }
    for (i, (name, board)) in boards().iter().enumerate() {
        if i % 7 == 2 {
            let take = (i % 2 == 0).then_some(TAKE);
            let layout = share::fuzz_layout_v1(board, take).expect("a version-1 board");
            seeds.push((format!("v1-layout-{name}"), layout));
        }
    }
    // Every setting, on the smallest board: layouts with each flag bit.
    let (_, small) = boards()
        .into_iter()
        .min_by_key(|(_, b)| share::fuzz_layout(b, None).len())
        .expect("a board");
    let settings = [
        (
            Provider::Fal,
            Resolution::P720,
            AspectRatio::Portrait,
            false,
        ),
        (
            Provider::Replicate,
            Resolution::P1080,
            AspectRatio::Square,
            true,
        ),
        (
            Provider::Kling,
            Resolution::K4,
            AspectRatio::Landscape,
            false,
        ),
        (
            Provider::Replicate,
            Resolution::K4,
            AspectRatio::Square,
            true,
        ),
    ];
    for (i, (provider, resolution, aspect_ratio, sound)) in settings.into_iter().enumerate() {
        let board = Board {
            provider,
            resolution,
            aspect_ratio,
            sound,
            first_frame: (i != 1).then(|| "https://e.example/first.png".into()),
            last_frame: (i != 0).then(|| "https://e.example/last.png".into()),
            ..small.clone()
        };
        let take = (i == 2).then_some(TAKE);
        seeds.push((
            format!("settings-{}", i + 1),
            share::fuzz_layout(&board, take),
        ));
    }
    // Element ids in both of version 2's forms.
    let elements = Board {
        references: ["860019735912247296", "0042", "9999999999999999999", "x"]
            .iter()
            .enumerate()
            .map(|(i, id)| Reference::element(format!("e{i}"), id))
            .collect(),
        ..small.clone()
    };
    seeds.push(("elements".into(), share::fuzz_layout(&elements, None)));
    seeds.push(("version-3".into(), b"b3.AAAA".to_vec()));
    seeds.push(("badtake-javascript".into(), {
        let board = &boards()[0].1;
        share::fuzz_layout(board, Some("javascript:alert(1)"))
    }));
    seeds
}

fn seed_files() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(seeds_dir())
        .expect("the seed corpus directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("read"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_seeds_are_on_disk() {
    let seeds = make_seeds();
    if std::env::var_os("STORYREEL_WRITE_FUZZ_SEEDS").is_some() {
        std::fs::create_dir_all(seeds_dir()).unwrap();
        for (name, bytes) in &seeds {
            std::fs::write(seeds_dir().join(name), bytes).unwrap();
        }
    }
    let on_disk: Vec<String> = seed_files().into_iter().map(|(n, _)| n).collect();
    for (name, _) in &seeds {
        assert!(
            on_disk.contains(name),
            "seed {name} is missing; write the seeds again (see the top of this file)"
        );
    }
    assert!((25..=60).contains(&seeds.len()), "{} seeds", seeds.len());
}

#[test]
fn the_seeds_are_small_and_reach_the_checks() {
    let files = seed_files();
    assert!(files.len() >= 25, "{} seed files", files.len());
    let mut accepted = 0;
    for (name, bytes) in &files {
        assert!(bytes.len() <= 4096, "{name}: {} bytes", bytes.len());
        let n = replay(name, bytes);
        // Intact seeds are accepted in the reading they were made for.
        let intact = [
            "fragment-",
            "take-",
            "packed-",
            "layout-",
            "settings-",
            "v1-",
            "elements",
        ]
        .iter()
        .any(|p| name.starts_with(p));
        if intact {
            assert!(n >= 1, "{name} is refused");
        }
        accepted += n;
    }
    assert!(accepted >= 20, "{accepted}");
}

#[test]
fn mutated_seeds_give_a_board_that_shares_again_or_an_error() {
    let seeds: Vec<Vec<u8>> = seed_files().into_iter().map(|(_, b)| b).collect();
    assert!(!seeds.is_empty());
    let cases: usize = env_number("SHARE_FUZZ_CASES").unwrap_or(3000);
    let mut rng = XorShift(env_number("SHARE_FUZZ_SEED").unwrap_or(0x5eed_5ba2_e11c_0001));
    let mut accepted = 0;
    for case in 0..cases {
        let mut data = seeds[rng.below(seeds.len())].clone();
        // Mostly one edit, as most of libFuzzer's are; sometimes a few.
        let edits = if rng.below(2) == 0 {
            1
        } else {
            2 + rng.below(3)
        };
        for _ in 0..edits {
            mutate(&mut data, &seeds, &mut rng);
        }
        accepted += replay(&format!("mutation {case}"), &data);
    }
    // Enough mutations survive for the round-trip checks to matter.
    if cases >= 1000 {
        assert!(accepted * 100 >= cases, "{accepted} of {cases} accepted");
        eprintln!("{accepted} of {cases} accepted");
    }
}

/// `fuzz_decode` on `data`, naming the input (base64url) if it panics.
fn replay(name: &str, data: &[u8]) -> usize {
    match catch_unwind(AssertUnwindSafe(|| share::fuzz_accepted(data))) {
        Ok(n) => n,
        Err(_) => panic!(
            "{name}: fuzz_decode panicked (above) on the {} bytes {}",
            data.len(),
            URL_SAFE_NO_PAD.encode(data)
        ),
    }
}

fn env_number<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok()?.parse().ok()
}

/// xorshift64: small, fast and the same everywhere.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0.max(1);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number below `n` (0 if `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn byte(&mut self) -> u8 {
        self.next() as u8
    }
}

/// One edit of the kinds libFuzzer makes: a bit flipped, an interesting
/// byte written, a byte inserted or removed, a cut, a piece of another
/// seed spliced in, a range repeated.
fn mutate(data: &mut Vec<u8>, seeds: &[Vec<u8>], rng: &mut XorShift) {
    const INTERESTING: [u8; 8] = [0, 1, 2, 0x7f, 0x80, 0xff, b'.', b'#'];
    let len = data.len();
    match rng.below(7) {
        0 if len > 0 => {
            let at = rng.below(len);
            data[at] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let at = rng.below(len);
            data[at] = INTERESTING[rng.below(INTERESTING.len())];
        }
        2 => {
            let at = rng.below(len + 1);
            let b = rng.byte();
            data.insert(at, b);
        }
        3 if len > 0 => {
            data.remove(rng.below(len));
        }
        4 => data.truncate(rng.below(len + 1)),
        5 => {
            let other = &seeds[rng.below(seeds.len())];
            let from = rng.below(other.len() + 1);
            let to = from + rng.below(other.len() - from + 1);
            let at = rng.below(len + 1);
            data.truncate(at);
            data.extend_from_slice(&other[from..to]);
        }
        _ if len > 0 => {
            let from = rng.below(len);
            let to = (from + 1 + rng.below(16)).min(len);
            let piece = data[from..to].to_vec();
            let at = rng.below(len + 1);
            data.splice(at..at, piece);
        }
        _ => data.push(rng.byte()),
    }
}
