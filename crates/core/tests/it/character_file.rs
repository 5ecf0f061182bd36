//! The character library's export file: written and read back, uploads
//! published when the server has a public address, and every bad input
//! refused with a message naming the problem.

use serde_json::{json, Value};
use storyreel_core::character::file::{
    from_json, local_only_characters, to_json, LibraryFileError, FORMAT, MAX_FILE_BYTES,
};
use storyreel_core::character::{Character, ElementStatus, Look, Tag, Voice, VoiceSource};

const UP: &str = "upload:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

fn mia() -> Character {
    Character {
        id: "c-mia".into(),
        name: "Mia".into(),
        description: "A street vendor in a red coat".into(),
        tag: Tag::Character,
        look: Look::Images {
            frontal: UP.into(),
            others: vec!["https://example.com/mia-side.png".into()],
        },
        voice: Some(Voice {
            voice_id: "829824295735410756".into(),
            name: "Sunny girl".into(),
            source: VoiceSource::Preset,
            trial_url: Some("https://example.com/trial.mp3".into()),
        }),
        element: ElementStatus::Ready {
            element_id: "860000000000000001".into(),
        },
        updated_ms: 1_790_000_000_000,
    }
}

fn tom() -> Character {
    Character {
        id: "c-tom".into(),
        name: "Tom".into(),
        description: String::new(),
        tag: Tag::Character,
        look: Look::Video {
            src: "https://example.com/tom.mp4".into(),
        },
        voice: None,
        element: ElementStatus::Making {
            key: "sr-1".into(),
            task_id: None,
        },
        updated_ms: 1,
    }
}

/// A file holding `characters` as JSON values.
fn file(characters: Value) -> String {
    json!({"format": FORMAT, "characters": characters}).to_string()
}

fn character_json(edit: impl FnOnce(&mut Value)) -> String {
    let mut c = serde_json::to_value(mia()).unwrap();
    edit(&mut c);
    file(json!([c]))
}

fn refusal(text: &str) -> String {
    from_json(text).unwrap_err().to_string()
}

#[test]
fn a_library_round_trips() {
    let text = to_json(&[mia(), tom()], None);
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["format"], "storyreel-characters/1");
    assert_eq!(value["characters"][0]["look"]["kind"], "images");
    let back = from_json(&text).unwrap();
    // A creation in progress does not travel.
    let mut expected_tom = tom();
    expected_tom.element = ElementStatus::None;
    assert_eq!(back, vec![mia(), expected_tom]);
    assert_eq!(from_json(&to_json(&[], None)).unwrap(), vec![]);
}

#[test]
fn uploads_travel_by_the_public_address_when_there_is_one() {
    assert_eq!(local_only_characters(&[mia(), tom()]), vec!["Mia"]);
    let text = to_json(&[mia()], Some("https://media.example.com/u/"));
    let back = from_json(&text).unwrap();
    assert_eq!(
        back[0].look.sources()[0],
        "https://media.example.com/u/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    );
    assert!(local_only_characters(&back).is_empty());
}

#[test]
fn the_format_is_checked() {
    assert!(refusal("not json").starts_with("the file is not JSON"));
    assert_eq!(
        from_json(r#"{"characters": []}"#),
        Err(LibraryFileError::NoFormat)
    );
    assert_eq!(
        refusal(r#"{"format": "storyreel/2", "characters": []}"#),
        "the file's format is \"storyreel/2\"; this version of Storyreel reads \"storyreel-characters/1\""
    );
    assert_eq!(
        from_json(r#"{"format": "storyreel-characters/1"}"#),
        Err(LibraryFileError::NoCharacters)
    );
    assert_eq!(
        from_json("[1, 2]"),
        Err(LibraryFileError::NoFormat),
        "a list is not a library"
    );
    let huge = format!("{}{}", " ".repeat(MAX_FILE_BYTES), file(json!([])));
    assert!(matches!(
        from_json(&huge),
        Err(LibraryFileError::TooLarge { .. })
    ));
}

#[test]
fn names_at_their_limits() {
    let named = |n: &str| character_json(|c| c["name"] = json!(n));
    assert!(from_json(&named(&"é".repeat(20))).is_ok());
    assert_eq!(
        refusal(&named(&"é".repeat(21))),
        format!(
            "character 1 (\"{}\"): the name is 21 characters; Kling's limit is 20",
            "é".repeat(21)
        )
    );
    assert!(refusal(&named("  ")).contains("the name is empty"));
    assert!(refusal(&named("Mia\nB")).contains("control character"));
    let missing = character_json(|c| {
        c.as_object_mut().unwrap().remove("name");
    });
    assert!(
        refusal(&missing).contains("missing field `name`"),
        "{}",
        refusal(&missing)
    );
}

#[test]
fn descriptions_images_and_sources_are_checked() {
    let described = |n: usize| character_json(|c| c["description"] = json!("d".repeat(n)));
    assert!(from_json(&described(100)).is_ok());
    assert!(refusal(&described(101))
        .contains("the description is 101 characters; Kling's limit is 100"));

    let others = |n: usize| {
        character_json(|c| {
            c["look"]["others"] = json!(vec!["https://example.com/x.png"; n]);
        })
    };
    assert!(from_json(&others(1)).is_ok());
    assert!(from_json(&others(3)).is_ok());
    for n in [0, 4] {
        assert!(
            refusal(&others(n)).contains(&format!(
                "it has {n} images besides the frontal one; Kling takes 1 to 3"
            )),
            "{n}"
        );
    }
    let src = |s: &str| character_json(|c| c["look"]["frontal"] = json!(s));
    assert!(refusal(&src("http://example.com/a.png")).contains("is not an https URL or an upload"));
    assert!(refusal(&src("upload:abc")).contains("64 lowercase hex digits"));
    let trial = character_json(|c| c["voice"]["trial_url"] = json!("javascript:alert(1)"));
    assert!(refusal(&trial).contains("trial audio is not an https URL"));
    let element = character_json(|c| c["element"] = json!({"state": "ready", "element_id": "abc"}));
    assert!(refusal(&element).contains("is not a Kling element id"));
    let tag = character_json(|c| c["tag"] = json!("dragon"));
    assert!(refusal(&tag).starts_with("character 1 (\"Mia\"): unknown variant `dragon`"));
}

#[test]
fn ids_are_unique() {
    let c = serde_json::to_value(mia()).unwrap();
    assert_eq!(
        from_json(&file(json!([c.clone(), c]))),
        Err(LibraryFileError::DuplicateId {
            id: "c-mia".into(),
            count: 2
        })
    );
    let empty = character_json(|c| c["id"] = json!(""));
    assert!(refusal(&empty).contains("its id is empty"));
}

#[test]
fn odd_json_never_panics() {
    for text in [
        "",
        "null",
        "{}",
        r#"{"format": 1}"#,
        r#"{"format": "storyreel-characters/1", "characters": {}}"#,
        r#"{"format": "storyreel-characters/1", "characters": [null, 1, "x"]}"#,
        r#"{"format": "storyreel-characters/1", "characters": [{"look": {"kind": "video"}}]}"#,
        &"[".repeat(10_000),
    ] {
        assert!(from_json(text).is_err(), "{text:.40}");
    }
}
