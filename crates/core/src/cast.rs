//! Edits of the cast as a whole: where a reference is used, renaming one
//! (its mentions and frames follow), removing one, and a name for a new
//! file. Each edit applies in full or is refused with a reason.

use thiserror::Error;

use crate::board::Board;
use crate::limits::MAX_NAME_CHARS;
use crate::mention;
use crate::reference::{is_name_char, name_problem, Reference};

/// A place in the board that cites a reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// Shot `n` (0-based) mentions it.
    Shot(usize),
    /// The overall prompt mentions it.
    Overall,
    FirstFrame,
    LastFrame,
}

impl Usage {
    /// "shot 2", "the overall prompt", "the first frame".
    pub fn describe(self) -> String {
        match self {
            Usage::Shot(i) => format!("shot {}", i + 1),
            Usage::Overall => "the overall prompt".into(),
            Usage::FirstFrame => "the first frame".into(),
            Usage::LastFrame => "the last frame".into(),
        }
    }
}

/// "shot 1, shot 3 and the first frame".
pub fn describe_usages(usages: &[Usage]) -> String {
    let parts: Vec<String> = usages.iter().map(|u| u.describe()).collect();
    match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CastError {
    #[error("there is no @{0} in the cast")]
    NoSuchReference(String),
    #[error("the new name: {0}")]
    BadName(String),
    #[error("@{0} is already in the cast; names must be unique")]
    Taken(String),
}

/// Every place that cites `name`, in board order: the overall prompt, the
/// shots, then the frames.
pub fn usages(board: &Board, name: &str) -> Vec<Usage> {
    let known = |n: &str| board.reference(n).is_some();
    let mentions = |text: &str| mention::find(text, &known).iter().any(|m| m.name == name);
    let mut out = Vec::new();
    if mentions(&board.prompt) {
        out.push(Usage::Overall);
    }
    for (i, shot) in board.shots.iter().enumerate() {
        if mentions(&shot.prompt) {
            out.push(Usage::Shot(i));
        }
    }
    if board.first_frame.as_deref() == Some(name) {
        out.push(Usage::FirstFrame);
    }
    if board.last_frame.as_deref() == Some(name) {
        out.push(Usage::LastFrame);
    }
    out
}

/// Names of the cast mentioned by shot `index`, in cast order, each once.
pub fn mentioned_in_shot(board: &Board, index: usize) -> Vec<&str> {
    let Some(shot) = board.shots.get(index) else {
        return Vec::new();
    };
    let known = |n: &str| board.reference(n).is_some();
    let found = mention::find(&shot.prompt, &known);
    board
        .reference_names()
        .filter(|n| found.iter().any(|m| m.known && m.name == *n))
        .collect()
}

/// Renames `old` to `new` and rewrites every mention of it and the frames
/// that name it. Mentions of other names are untouched.
pub fn rename(board: &mut Board, old: &str, new: &str) -> Result<(), CastError> {
    if board.reference(old).is_none() {
        return Err(CastError::NoSuchReference(old.to_string()));
    }
    if old == new {
        return Ok(());
    }
    if let Some(why) = name_problem(new) {
        return Err(CastError::BadName(why));
    }
    if board.reference(new).is_some() {
        return Err(CastError::Taken(new.to_string()));
    }
    let names: Vec<String> = board.reference_names().map(str::to_string).collect();
    let known = |n: &str| names.iter().any(|k| k == n);
    let spell = |n: &str| (n == old).then(|| format!("@{new}"));
    board.prompt = mention::rewrite(&board.prompt, &known, &spell);
    for shot in &mut board.shots {
        shot.prompt = mention::rewrite(&shot.prompt, &known, &spell);
    }
    for frame in [&mut board.first_frame, &mut board.last_frame] {
        if frame.as_deref() == Some(old) {
            *frame = Some(new.to_string());
        }
    }
    if let Some(r) = board.references.iter_mut().find(|r| r.name == old) {
        r.name = new.to_string();
    }
    Ok(())
}

/// Removes `name` from the cast and from the frames. Mentions in prompts
/// stay as written (they show as unknown until edited), so no text the
/// user wrote is lost.
pub fn remove(board: &mut Board, name: &str) -> Result<Reference, CastError> {
    let at = board
        .references
        .iter()
        .position(|r| r.name == name)
        .ok_or_else(|| CastError::NoSuchReference(name.to_string()))?;
    for frame in [&mut board.first_frame, &mut board.last_frame] {
        if frame.as_deref() == Some(name) {
            *frame = None;
        }
    }
    Ok(board.references.remove(at))
}

/// A valid name for a file, unique in the cast: the file name without
/// its extension, lower-cased, with other characters as `_`, cut to the
/// length limit, and a number added when taken ("mia", "mia-2").
pub fn suggest_name(file_name: &str, board: &Board) -> String {
    suggest_name_avoiding(file_name, &|n| board.reference(n).is_some())
}

/// As [`suggest_name`], avoiding every name `taken` says is taken (the
/// cast's, and those given to files still on their way in). `taken` must
/// hold for finitely many names.
pub fn suggest_name_avoiding(file_name: &str, taken: &dyn Fn(&str) -> bool) -> String {
    let stem = match file_name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => file_name,
    };
    let mut base = String::new();
    for c in stem.chars().flat_map(char::to_lowercase) {
        let c = if is_name_char(c) { c } else { '_' };
        // No runs of `_` and no leading one.
        if c == '_' && (base.is_empty() || base.ends_with('_')) {
            continue;
        }
        base.push(c);
    }
    let mut base: String = base
        .trim_end_matches('_')
        .chars()
        .take(MAX_NAME_CHARS)
        .collect();
    if base.is_empty() {
        base = "ref".into();
    }
    if !taken(&base) {
        return base;
    }
    for n in 2u32.. {
        let suffix = format!("-{n}");
        let keep = MAX_NAME_CHARS - suffix.len();
        let candidate = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        if !taken(&candidate) {
            return candidate;
        }
    }
    unreachable!("finitely many names are taken, so some number is free")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::Shot;

    fn board() -> Board {
        let mut b = Board::default();
        b.references
            .push(Reference::image("mia", "https://x.test/mia.png"));
        b.references
            .push(Reference::image("mia_hat", "https://x.test/hat.png"));
        b.references.push(Reference::element("stall", 12));
        b.prompt = "Night market, @mia.".into();
        b.shots = vec![
            Shot::new("@mia walks; @mia_hat sways.", 3),
            Shot::new("The vendor at @stall nods.", 3),
            Shot::new("@mia says \"hi\" to me@mia.test", 3),
        ];
        b.first_frame = Some("mia".into());
        b
    }

    #[test]
    fn usages_list_every_place_in_board_order() {
        let b = board();
        assert_eq!(
            usages(&b, "mia"),
            vec![
                Usage::Overall,
                Usage::Shot(0),
                Usage::Shot(2),
                Usage::FirstFrame
            ]
        );
        assert_eq!(usages(&b, "stall"), vec![Usage::Shot(1)]);
        assert_eq!(
            describe_usages(&usages(&b, "mia")),
            "the overall prompt, shot 1, shot 3 and the first frame"
        );
    }

    #[test]
    fn rename_rewrites_mentions_and_frames_only_of_that_name() {
        let mut b = board();
        rename(&mut b, "mia", "lena").unwrap();
        assert_eq!(b.prompt, "Night market, @lena.");
        assert_eq!(b.shots[0].prompt, "@lena walks; @mia_hat sways.");
        assert_eq!(b.shots[2].prompt, "@lena says \"hi\" to me@mia.test");
        assert_eq!(b.first_frame.as_deref(), Some("lena"));
        assert!(b.reference("mia").is_none());
        assert!(b.reference("lena").is_some());
    }

    #[test]
    fn rename_refuses_bad_and_taken_names_and_changes_nothing() {
        let mut b = board();
        let before = b.clone();
        assert_eq!(
            rename(&mut b, "mia", "stall"),
            Err(CastError::Taken("stall".into()))
        );
        assert!(matches!(
            rename(&mut b, "mia", "Mia Rose"),
            Err(CastError::BadName(_))
        ));
        assert_eq!(
            rename(&mut b, "nobody", "x"),
            Err(CastError::NoSuchReference("nobody".into()))
        );
        assert_eq!(b, before);
    }

    #[test]
    fn remove_clears_frames_and_keeps_prompts() {
        let mut b = board();
        let r = remove(&mut b, "mia").unwrap();
        assert_eq!(r.name, "mia");
        assert_eq!(b.first_frame, None);
        assert_eq!(b.shots[0].prompt, "@mia walks; @mia_hat sways.");
    }

    #[test]
    fn shot_chips_follow_cast_order() {
        let b = board();
        assert_eq!(mentioned_in_shot(&b, 0), vec!["mia", "mia_hat"]);
        assert_eq!(mentioned_in_shot(&b, 1), vec!["stall"]);
        assert!(mentioned_in_shot(&b, 9).is_empty());
    }

    #[test]
    fn suggested_names_are_valid_and_unique() {
        let b = board();
        assert_eq!(suggest_name("Lena Portrait.JPG", &b), "lena_portrait");
        assert_eq!(suggest_name("mia.png", &b), "mia-2");
        assert_eq!(
            suggest_name("IMG 2024-01-05 (3).jpeg", &b),
            "img_2024-01-05_3"
        );
        assert_eq!(suggest_name("日本.png", &b), "ref");
        assert_eq!(suggest_name(".png", &b), "png");
        let long = suggest_name("a_very_long_file_name_for_a_cast_photo.png", &b);
        assert_eq!(long.chars().count(), MAX_NAME_CHARS);
        for n in ["Lena Portrait.JPG", "mia.png", "日本.png", "x y z"] {
            assert_eq!(name_problem(&suggest_name(n, &b)), None, "{n}");
        }
        // Names of files still on their way in count as taken too.
        let pending = ["lena_portrait".to_string(), "lena_portrait-2".to_string()];
        let taken = |n: &str| b.reference(n).is_some() || pending.iter().any(|p| p == n);
        assert_eq!(
            suggest_name_avoiding("Lena Portrait.png", &taken),
            "lena_portrait-3"
        );
        let mut b = board();
        for _ in 0..12 {
            let n = suggest_name("mia.png", &b);
            assert!(b.reference(&n).is_none());
            b.references
                .push(Reference::image(n, "https://x.test/m.png"));
        }
    }
}
