//! Edits of the cast as a whole: whether it has room for one more, adding
//! one, where a reference is used, renaming one (its mentions and frames
//! follow), removing one, and a name for a new file. Each edit applies in
//! full or is refused with a reason.

use thiserror::Error;

use crate::board::Board;
use crate::limits::{
    MAX_IMAGES_AND_ELEMENTS_WITH_VIDEO, MAX_NAME_CHARS, MAX_TOTAL_SECONDS_WITH_VIDEO,
};
use crate::mention;
use crate::reference::{is_name_char, name_problem, Reference, ReferenceKind};

/// The kind of a cast member about to join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    Image,
    Element,
    Video,
}

impl Member {
    pub fn of(reference: &Reference) -> Member {
        match reference.kind {
            ReferenceKind::Image { .. } => Member::Image,
            ReferenceKind::Element { .. } => Member::Element,
            ReferenceKind::Video { .. } => Member::Video,
        }
    }
}

/// Members already promised a place: files on their way in that passed
/// [`room_for`] and are not in the board yet (being shrunk or uploaded).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OnTheWay {
    /// Images and elements.
    pub images: usize,
    pub videos: usize,
}

/// Why the cast has no room for another member.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoRoom {
    #[error("the cast already has a reference video (@{0}); a board takes one")]
    SecondVideo(String),
    #[error("another video is already on its way in; a board takes one")]
    VideoOnTheWay,
    #[error("with a reference video a board lasts at most {max} s; the shots use {total} s")]
    TooLongForVideo { total: u32, max: u32 },
    #[error(
        "with a reference video the cast holds at most {max} images and elements; it has {count}"
    )]
    TooManyForVideo { count: usize, max: usize },
    #[error("the cast already holds {count} images and elements, the most Kling takes{}",
        if *with_video { " with a reference video" } else { "" })]
    Full {
        count: usize,
        max: usize,
        with_video: bool,
    },
}

impl NoRoom {
    /// What the user can do about it.
    pub fn remedy(&self) -> &'static str {
        match self {
            NoRoom::SecondVideo(_) => "Remove it first.",
            NoRoom::VideoOnTheWay => "Wait for it, or remove it once it is in.",
            NoRoom::TooLongForVideo { .. } => "Shorten the shots first.",
            NoRoom::TooManyForVideo { .. } => "Remove some first.",
            NoRoom::Full { .. } => "Remove one first.",
        }
    }

    /// The reason and the remedy, as sentences.
    pub fn sentence(&self) -> String {
        let reason = self.to_string();
        let mut chars = reason.chars();
        // Every reason starts with an English word, a cast name or a
        // quote: ASCII case is enough.
        let first = chars.next().map(|c| c.to_ascii_uppercase());
        format!(
            "{}{}. {}",
            first.map(String::from).unwrap_or_default(),
            chars.as_str(),
            self.remedy()
        )
    }
}

/// Whether `board` has room for one more `member`, besides those
/// `on_the_way`: one video at most, and with it a shorter board and fewer
/// images and elements; at most seven images and elements without one.
pub fn room_for(board: &Board, member: Member, on_the_way: OnTheWay) -> Result<(), NoRoom> {
    let video = board.video().map(|v| v.name.clone());
    let images = board.images().count() + board.elements().count() + on_the_way.images;
    if member == Member::Video {
        if let Some(v) = video {
            return Err(NoRoom::SecondVideo(v));
        }
        if on_the_way.videos > 0 {
            return Err(NoRoom::VideoOnTheWay);
        }
        let total = board.total_seconds();
        if total > MAX_TOTAL_SECONDS_WITH_VIDEO {
            return Err(NoRoom::TooLongForVideo {
                total,
                max: MAX_TOTAL_SECONDS_WITH_VIDEO,
            });
        }
        if images > MAX_IMAGES_AND_ELEMENTS_WITH_VIDEO {
            return Err(NoRoom::TooManyForVideo {
                count: images,
                max: MAX_IMAGES_AND_ELEMENTS_WITH_VIDEO,
            });
        }
        return Ok(());
    }
    let with_video = video.is_some() || on_the_way.videos > 0;
    let max = if on_the_way.videos > 0 {
        MAX_IMAGES_AND_ELEMENTS_WITH_VIDEO
    } else {
        board.max_images_and_elements()
    };
    if images >= max {
        return Err(NoRoom::Full {
            count: images,
            max,
            with_video,
        });
    }
    Ok(())
}

/// What [`add`] did besides adding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Added {
    /// A reference video turned sound off (Kling makes no audio with one).
    pub sound_turned_off: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AddError {
    #[error("name: {0}")]
    BadName(String),
    #[error("@{0} is already in the cast; names must be unique")]
    Taken(String),
    #[error(transparent)]
    NoRoom(#[from] NoRoom),
}

/// Adds `reference` to the cast if its name is valid and free and the
/// cast has room for it besides those `on_the_way`; a video turns sound
/// off.
pub fn add(
    board: &mut Board,
    reference: Reference,
    on_the_way: OnTheWay,
) -> Result<Added, AddError> {
    if let Some(why) = name_problem(&reference.name) {
        return Err(AddError::BadName(why));
    }
    if board.reference(&reference.name).is_some() {
        return Err(AddError::Taken(reference.name));
    }
    let member = Member::of(&reference);
    room_for(board, member, on_the_way)?;
    let sound_turned_off = member == Member::Video && board.sound;
    if sound_turned_off {
        board.sound = false;
    }
    board.references.push(reference);
    Ok(Added { sound_turned_off })
}

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
    mentioned_in(
        &shot.prompt,
        board.references.iter().map(|r| r.name.as_str()),
    )
}

/// [`mentioned_in_shot`] from a prompt and the cast's names in order
/// (`Board::reference_names`): the editor's view of one shot asks this
/// without reading the whole board.
pub fn mentioned_in<'a>(
    prompt: &str,
    names: impl Iterator<Item = &'a str> + Clone,
) -> Vec<&'a str> {
    let known = |n: &str| names.clone().any(|k| k == n);
    let found = mention::find(prompt, &known);
    names
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
    // A name keeps only ASCII letters, digits, `_` and `-`, so ASCII case
    // is all it needs; any other letter becomes `_` either way.
    for c in stem.chars().map(|c| c.to_ascii_lowercase()) {
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

    fn images(n: usize) -> Board {
        let mut b = Board {
            shots: vec![Shot::new("x", 5)],
            ..Board::default()
        };
        for i in 0..n {
            b.references.push(Reference::image(
                format!("p{i}"),
                format!("https://x.test/{i}.png"),
            ));
        }
        b
    }

    #[test]
    fn room_counts_members_on_the_way() {
        let none = OnTheWay::default();
        assert_eq!(room_for(&images(6), Member::Image, none), Ok(()));
        let full = NoRoom::Full {
            count: 7,
            max: 7,
            with_video: false,
        };
        assert_eq!(
            room_for(&images(7), Member::Element, none),
            Err(full.clone())
        );
        // Six in the board and one promised: the seventh slot is taken.
        let one = OnTheWay {
            images: 1,
            videos: 0,
        };
        assert_eq!(room_for(&images(6), Member::Image, one), Err(full.clone()));
        assert_eq!(
            full.sentence(),
            "The cast already holds 7 images and elements, the most Kling takes. Remove one first."
        );
    }

    #[test]
    fn a_video_needs_a_short_board_and_a_small_cast() {
        let none = OnTheWay::default();
        assert_eq!(room_for(&images(4), Member::Video, none), Ok(()));
        assert_eq!(
            room_for(&images(5), Member::Video, none),
            Err(NoRoom::TooManyForVideo { count: 5, max: 4 })
        );
        let mut long = images(0);
        long.shots = vec![Shot::new("a", 6), Shot::new("b", 6)];
        let err = room_for(&long, Member::Video, none).unwrap_err();
        assert_eq!(err, NoRoom::TooLongForVideo { total: 12, max: 10 });
        assert_eq!(
            err.sentence(),
            "With a reference video a board lasts at most 10 s; the shots use 12 s. Shorten the shots first."
        );
        // A video on its way: no second one, and images count against 4.
        let video = OnTheWay {
            images: 0,
            videos: 1,
        };
        assert_eq!(
            room_for(&images(0), Member::Video, video),
            Err(NoRoom::VideoOnTheWay)
        );
        assert_eq!(
            room_for(&images(4), Member::Image, video),
            Err(NoRoom::Full {
                count: 4,
                max: 4,
                with_video: true
            })
        );
    }

    #[test]
    fn add_checks_the_name_and_the_room_and_turns_sound_off_for_a_video() {
        let none = OnTheWay::default();
        let mut b = images(1);
        b.sound = true;
        assert_eq!(
            add(&mut b, Reference::image("p0", "https://x.test/a.png"), none),
            Err(AddError::Taken("p0".into()))
        );
        assert!(matches!(
            add(
                &mut b,
                Reference::image("has space", "https://x.test/a.png"),
                none
            ),
            Err(AddError::BadName(_))
        ));
        assert_eq!(b.references.len(), 1, "nothing added on a refusal");
        let added = add(&mut b, Reference::element("lamp", 3), none).unwrap();
        assert!(!added.sound_turned_off);
        assert!(b.sound);
        let clip = Reference::video(
            "moves",
            "https://x.test/m.mp4",
            crate::reference::VideoUse::Feature,
        );
        let added = add(&mut b, clip.clone(), none).unwrap();
        assert!(added.sound_turned_off);
        assert!(!b.sound);
        let again = Reference::video(
            "moves2",
            "https://x.test/n.mp4",
            crate::reference::VideoUse::Feature,
        );
        assert_eq!(
            add(&mut b, again, none),
            Err(AddError::NoRoom(NoRoom::SecondVideo("moves".into())))
        );
        assert_eq!(b.references.len(), 3);
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
        let names = [
            "stall".to_string(),
            "mia_hat".to_string(),
            "mia".to_string(),
        ];
        assert_eq!(
            mentioned_in(&b.shots[0].prompt, names.iter().map(String::as_str)),
            vec!["mia_hat", "mia"],
            "in the order of the names given"
        );
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
        // A letter beyond ASCII becomes `_`, in upper case as in lower.
        assert_eq!(suggest_name("Émile Été.jpg", &b), "mile_t");
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
