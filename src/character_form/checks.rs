//! What keeps a character draft from being saved, in words naming the
//! field, Kling's limit and the value.

use storyreel_core::character::{
    MAX_CHARACTER_DESCRIPTION_CHARS, MAX_CHARACTER_NAME_CHARS, MAX_OTHER_IMAGES, MIN_OTHER_IMAGES,
};

/// The problem with a name, if any.
pub fn name_problem(name: &str) -> Option<String> {
    let n = name.trim().chars().count();
    if n == 0 {
        Some("Name: give the character a name.".into())
    } else if n > MAX_CHARACTER_NAME_CHARS {
        Some(format!(
            "Name: {n} characters; Kling allows at most {MAX_CHARACTER_NAME_CHARS}."
        ))
    } else {
        None
    }
}

/// The problem with a description, if any.
pub fn description_problem(text: &str) -> Option<String> {
    let n = text.trim().chars().count();
    (n > MAX_CHARACTER_DESCRIPTION_CHARS).then(|| {
        format!(
            "Description: {n} characters; Kling allows at most {MAX_CHARACTER_DESCRIPTION_CHARS}."
        )
    })
}

/// Why a character made from images cannot be saved without a frontal one.
pub fn frontal_missing() -> String {
    "Images: pick a frontal image.".into()
}

/// The problem with the count of other images, if any: Kling needs 1 to 3.
pub fn others_problem(others: usize) -> Option<String> {
    (!(MIN_OTHER_IMAGES..=MAX_OTHER_IMAGES).contains(&others)).then(|| {
        format!(
            "Images: {} other image{}; Kling needs {MIN_OTHER_IMAGES} to {MAX_OTHER_IMAGES} besides the frontal one.",
            others,
            if others == 1 { "" } else { "s" }
        )
    })
}

/// Why a character made from a video cannot be saved without one.
pub fn video_missing() -> String {
    "Video: pick one 3–8 s video of the person.".into()
}
