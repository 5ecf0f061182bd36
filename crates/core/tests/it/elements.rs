//! Kling elements and voices: the request bodies (compared with the shapes
//! of Kling's Element and Voice Management pages), every refusal at its
//! limit, the answers read from `fixtures/responses/kling-element-*.json`
//! and `kling-voice-*.json` (Kling's documented examples with their
//! `"string"` placeholders filled in), the calls through the proxy, and the
//! price of a custom voice.

use std::path::Path;

use serde_json::{json, Value};
use storyreel_core::character::wire::{
    CreateRequest, DeleteElement, DeleteVoice, ElementRequest, VoiceRequest,
};
use storyreel_core::character::{
    Character, CharacterError, ElementStatus, Look, Tag, Voice, VoiceSource,
};
use storyreel_core::cost;
use storyreel_core::response::kling_general::{
    self as general, Browse, CreateAnswer, Created, DeleteAnswer, ElementState, OwnedBy, Queried,
    TaskState, TaskStatus,
};
use storyreel_core::response::{FailureCategory, ParseError, Scope};
use storyreel_core::transport::Transport;
use storyreel_core::UploadsMode;

const KEY: &str = "storyreel-00112233445566778899aabb";

fn sha(c: char) -> String {
    c.to_string().repeat(64)
}

fn images_character() -> Character {
    Character {
        id: "c1".into(),
        name: "Mara".into(),
        description: "A courier in a red coat".into(),
        tag: Tag::Character,
        look: Look::Images {
            frontal: "https://cdn.example.com/mara-front.png".into(),
            others: vec![
                "https://cdn.example.com/mara-side.png".into(),
                format!("upload:{}", sha('a')),
            ],
        },
        voice: Some(Voice {
            voice_id: "829824295735410756".into(),
            name: "Sunny girl".into(),
            source: VoiceSource::Preset,
            trial_url: None,
        }),
        element: ElementStatus::None,
        updated_ms: 0,
    }
}

fn video_character() -> Character {
    Character {
        id: "c2".into(),
        name: "Jonas".into(),
        description: String::new(),
        tag: Tag::Character,
        look: Look::Video {
            src: "https://cdn.example.com/jonas.mp4".into(),
        },
        voice: None,
        element: ElementStatus::None,
        updated_ms: 0,
    }
}

fn body(c: &Character, uploads: &UploadsMode) -> Result<Value, CharacterError> {
    ElementRequest::from_character(c, KEY, uploads).map(|r| serde_json::to_value(r).unwrap())
}

fn refusal(c: &Character) -> CharacterError {
    ElementRequest::from_character(c, KEY, &UploadsMode::ResolvedByServer).unwrap_err()
}

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/responses")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---- request bodies ----

#[test]
fn a_multi_image_element_body_has_the_documented_shape() {
    let got = body(
        &images_character(),
        &UploadsMode::PublicBase("https://pub.example.com/uploads/".into()),
    )
    .unwrap();
    assert_eq!(
        got,
        json!({
            "element_name": "Mara",
            "element_description": "A courier in a red coat",
            "reference_type": "image_refer",
            "element_image_list": {
                "frontal_image": "https://cdn.example.com/mara-front.png",
                "refer_images": [
                    {"image_url": "https://cdn.example.com/mara-side.png"},
                    {"image_url": format!("https://pub.example.com/uploads/{}", sha('a'))}
                ]
            },
            "element_voice_id": "829824295735410756",
            "external_task_id": KEY,
            "tag_list": [{"tag_id": "o_102"}]
        })
    );
    // In the order of Kling's example.
    let text = serde_json::to_string(
        &ElementRequest::from_character(
            &images_character(),
            KEY,
            &UploadsMode::PublicBase("https://p".into()),
        )
        .unwrap(),
    )
    .unwrap();
    let at = |k: &str| text.find(k).unwrap();
    assert!(at("element_name") < at("element_description"));
    assert!(at("reference_type") < at("element_image_list"));
    assert!(at("element_voice_id") < at("external_task_id"));
    assert!(at("external_task_id") < at("tag_list"));
}

#[test]
fn a_video_element_body_has_the_documented_shape() {
    let got = body(&video_character(), &UploadsMode::ResolvedByServer).unwrap();
    assert_eq!(
        got,
        json!({
            "element_name": "Jonas",
            "element_description": "",
            "reference_type": "video_refer",
            "element_video_list": {"refer_videos": [{"video_url": "https://cdn.example.com/jonas.mp4"}]},
            "external_task_id": KEY,
            "tag_list": [{"tag_id": "o_102"}]
        })
    );
}

#[test]
fn a_voice_cloned_from_the_video_is_not_bound_again_but_another_voice_is() {
    let mut c = video_character();
    c.voice = Some(Voice {
        voice_id: "1".into(),
        name: "Jonas".into(),
        source: VoiceSource::Cloned,
        trial_url: None,
    });
    assert!(body(&c, &UploadsMode::Refuse)
        .unwrap()
        .get("element_voice_id")
        .is_none());
    c.voice.as_mut().unwrap().source = VoiceSource::Custom;
    assert_eq!(
        body(&c, &UploadsMode::Refuse).unwrap()["element_voice_id"],
        "1"
    );
}

#[test]
fn every_tag_is_sent_as_its_kling_id() {
    let mut c = images_character();
    c.voice = None;
    for (tag, id) in Tag::ALL.into_iter().zip([
        "o_102", "o_103", "o_104", "o_105", "o_106", "o_107", "o_108",
    ]) {
        c.tag = tag;
        assert_eq!(
            body(&c, &UploadsMode::ResolvedByServer).unwrap()["tag_list"],
            json!([{ "tag_id": id }])
        );
    }
}

#[test]
fn uploads_follow_the_boards_rules() {
    let c = images_character();
    let upload = format!("upload:{}", sha('a'));
    // Kept as written for the relay to inline.
    let kept = body(&c, &UploadsMode::ResolvedByServer).unwrap();
    assert_eq!(
        kept["element_image_list"]["refer_images"][1]["image_url"],
        upload.as_str()
    );
    // Refused, naming which image.
    let err = body(&c, &UploadsMode::Refuse).unwrap_err();
    assert_eq!(
        err,
        CharacterError::UploadNeedsPublicUrl {
            what: "other image 2".into()
        }
    );
    assert!(err.to_string().contains("--public-base-url"), "{err}");
    // A stored video needs a public base: Kling fetches it by URL.
    let mut v = video_character();
    v.look = Look::Video {
        src: upload.clone(),
    };
    assert_eq!(
        body(&v, &UploadsMode::ResolvedByServer).unwrap_err(),
        CharacterError::VideoNeedsPublicUrl
    );
    assert_eq!(
        body(
            &v,
            &UploadsMode::PublicBase("https://pub.example.com/uploads".into())
        )
        .unwrap()["element_video_list"]["refer_videos"][0]["video_url"],
        format!("https://pub.example.com/uploads/{}", sha('a'))
    );
}

#[test]
fn a_malformed_source_is_refused_naming_the_picture() {
    let mut c = images_character();
    c.look = Look::Images {
        frontal: "http://insecure.example.com/a.png".into(),
        others: vec!["https://cdn.example.com/b.png".into()],
    };
    match refusal(&c) {
        CharacterError::BadSource { what, problem } => {
            assert_eq!(what, "the frontal image");
            assert!(problem.contains("https"), "{problem}");
        }
        other => panic!("{other:?}"),
    }
    c.look = Look::Images {
        frontal: "https://cdn.example.com/a.png".into(),
        others: vec!["upload:abc".into()],
    };
    assert!(
        matches!(refusal(&c), CharacterError::BadSource { what, .. } if what == "other image 1")
    );
}

#[test]
fn the_voice_body_has_the_documented_shape() {
    let r = VoiceRequest::new(
        " Custom Voice ",
        "https://p2-kling.klingai.com/kcdn/out.mp3",
        KEY,
        &UploadsMode::ResolvedByServer,
    )
    .unwrap();
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({
            "voice_name": "Custom Voice",
            "voice_url": "https://p2-kling.klingai.com/kcdn/out.mp3",
            "external_task_id": KEY
        })
    );
    let public = VoiceRequest::new(
        "Mine",
        &format!("upload:{}", sha('b')),
        KEY,
        &UploadsMode::PublicBase("https://pub.example.com/uploads".into()),
    )
    .unwrap();
    assert_eq!(
        public.voice_url,
        format!("https://pub.example.com/uploads/{}", sha('b'))
    );
}

#[test]
fn a_stored_voice_clip_without_a_public_base_is_refused_saying_why() {
    for uploads in [UploadsMode::ResolvedByServer, UploadsMode::Refuse] {
        let err =
            VoiceRequest::new("Mine", &format!("upload:{}", sha('b')), KEY, &uploads).unwrap_err();
        assert_eq!(err, CharacterError::VoiceClipNeedsPublicUrl);
        let text = err.to_string();
        assert!(text.contains("by URL only"), "{text}");
        assert!(text.contains("--public-base-url"), "{text}");
    }
    assert_eq!(
        VoiceRequest::new("Mine", "  ", KEY, &UploadsMode::ResolvedByServer).unwrap_err(),
        CharacterError::NoVoiceClip
    );
}

#[test]
fn delete_bodies_are_as_documented() {
    assert_eq!(
        serde_json::to_value(DeleteElement {
            element_id: "860187654321098765".into()
        })
        .unwrap(),
        json!({"element_id": "860187654321098765"})
    );
    assert_eq!(
        serde_json::to_value(DeleteVoice {
            voice_id: "850087542757535834".into()
        })
        .unwrap(),
        json!({"voice_id": "850087542757535834"})
    );
}

// ---- refusals at their limits ----

#[test]
fn the_name_takes_1_to_20_characters() {
    let mut c = images_character();
    c.name = "é".repeat(20);
    assert!(body(&c, &UploadsMode::ResolvedByServer).is_ok());
    c.name = "é".repeat(21);
    let err = refusal(&c);
    assert_eq!(
        err,
        CharacterError::NameTooLong {
            limit: 20,
            chars: 21
        }
    );
    assert!(err.to_string().contains("21") && err.to_string().contains("20"));
    c.name = "   ".into();
    assert_eq!(refusal(&c), CharacterError::NameEmpty { limit: 20 });
    // Spaces around the name are not counted nor sent.
    c.name = format!("  {}  ", "x".repeat(20));
    assert_eq!(
        body(&c, &UploadsMode::ResolvedByServer).unwrap()["element_name"],
        "x".repeat(20)
    );
}

#[test]
fn the_description_takes_at_most_100_characters() {
    let mut c = images_character();
    c.description = "ü".repeat(100);
    assert!(body(&c, &UploadsMode::ResolvedByServer).is_ok());
    c.description = "ü".repeat(101);
    assert_eq!(
        refusal(&c),
        CharacterError::DescriptionTooLong {
            limit: 100,
            chars: 101
        }
    );
}

#[test]
fn one_to_three_other_images() {
    let mut c = images_character();
    let look = |n: usize| Look::Images {
        frontal: "https://cdn.example.com/f.png".into(),
        others: (0..n)
            .map(|i| format!("https://cdn.example.com/{i}.png"))
            .collect(),
    };
    c.look = look(0);
    let err = refusal(&c);
    assert_eq!(err, CharacterError::TooFewOtherImages { min: 1, count: 0 });
    assert!(err.to_string().contains("has 0 other images"), "{err}");
    for n in 1..=3 {
        c.look = look(n);
        assert!(body(&c, &UploadsMode::ResolvedByServer).is_ok(), "{n}");
    }
    c.look = look(4);
    assert_eq!(
        refusal(&c),
        CharacterError::TooManyOtherImages { max: 3, count: 4 }
    );
    c.look = Look::Images {
        frontal: " ".into(),
        others: vec!["https://cdn.example.com/1.png".into()],
    };
    assert_eq!(refusal(&c), CharacterError::NoFrontalImage);
    let mut v = video_character();
    v.look = Look::Video { src: String::new() };
    assert_eq!(refusal(&v), CharacterError::NoVideo);
}

#[test]
fn a_voice_only_on_a_character_tag() {
    let mut c = images_character();
    c.tag = Tag::Animal;
    let err = refusal(&c);
    assert_eq!(err, CharacterError::VoiceOnTag { tag: "Animal" });
    assert!(err.to_string().contains("Animal"));
    c.voice = None;
    assert!(body(&c, &UploadsMode::ResolvedByServer).is_ok());
    let mut c = images_character();
    c.voice.as_mut().unwrap().voice_id = " ".into();
    assert!(matches!(refusal(&c), CharacterError::VoiceWithoutId { .. }));
}

#[test]
fn the_voice_name_takes_1_to_20_characters() {
    let ok = |name: &str| {
        VoiceRequest::new(
            name,
            "https://a.example.com/v.mp3",
            KEY,
            &UploadsMode::Refuse,
        )
    };
    assert!(ok(&"v".repeat(20)).is_ok());
    assert_eq!(
        ok(&"v".repeat(21)).unwrap_err(),
        CharacterError::VoiceNameTooLong {
            limit: 20,
            chars: 21
        }
    );
    assert_eq!(
        ok("").unwrap_err(),
        CharacterError::VoiceNameEmpty { limit: 20 }
    );
}

// ---- answers ----

#[test]
fn create_answers_read_the_task_and_key() {
    for (file, task, key) in [
        ("kling-element-create.json", "860100000000000001", KEY),
        (
            "kling-voice-create.json",
            "870100000000000001",
            "storyreel-a1a2a3a4a5a6a7a8",
        ),
    ] {
        assert_eq!(
            general::parse_create(200, &read(file)).unwrap(),
            CreateAnswer::Accepted(Created {
                task_id: task.into(),
                external_id: Some(key.into()),
                status: TaskStatus::Submitted,
            })
        );
    }
}

#[test]
fn kling_error_codes_use_the_video_tasks_table() {
    let refused = |status, body: &str| match general::parse_create(status, body).unwrap() {
        CreateAnswer::Refused(f) => f,
        other => panic!("{other:?}"),
    };
    let f = refused(
        400,
        r#"{"code":1201,"message":"element_name too long","request_id":"r"}"#,
    );
    assert_eq!(f.category, FailureCategory::InvalidRequest);
    assert_eq!(f.code.as_deref(), Some("1201"));
    assert_eq!(f.scope, Scope::Request);
    assert!(!f.retryable);
    let busy = refused(429, r#"{"code":1303,"message":"busy"}"#);
    assert!(busy.retryable);
    assert_eq!(busy.category, FailureCategory::Concurrency);
    let gateway = refused(502, "<html>bad gateway</html>");
    assert_eq!(gateway.code, None);
    assert_eq!(gateway.http_status, Some(502));
    // The same for every other call.
    assert!(matches!(
        general::parse_element_list(401, r#"{"code":1002,"message":"bad key"}"#).unwrap(),
        Browse::Refused(f) if f.category == FailureCategory::Auth
    ));
    assert!(matches!(
        general::parse_delete(404, r#"{"code":1203,"message":"no such element"}"#).unwrap(),
        DeleteAnswer::Refused(f) if f.category == FailureCategory::NotFound
    ));
}

#[test]
fn a_made_element_is_read_with_its_id_as_digits_and_its_voice() {
    let Queried::Found(task) =
        general::parse_element_query(200, &read("kling-element-query-succeed.json")).unwrap()
    else {
        panic!("not found");
    };
    assert_eq!(task.task_id, "860100000000000001");
    assert_eq!(task.external_id.as_deref(), Some(KEY));
    assert_eq!(task.charged_units, Some(0.0));
    let TaskState::Succeeded { made } = task.state else {
        panic!("{:?}", task.state);
    };
    assert_eq!(made.element_id, "860187654321098765");
    assert_eq!(made.name, "Mara");
    assert_eq!(made.tag, Some(Tag::Character), "o_101 (Hottest) is skipped");
    assert_eq!(
        made.frontal_image_url.as_deref(),
        Some("https://cdn.example.com/mara-front.png")
    );
    assert_eq!(made.other_urls.len(), 2);
    assert_eq!(made.owned_by, OwnedBy::Creator("7700123".into()));
    assert_eq!(made.status, ElementState::Succeed);
    let voice = made.voice.unwrap();
    assert_eq!(voice.voice_id, "850087542757535834");
    assert_eq!(voice.source, VoiceSource::Preset, "owned by kling");
    assert_eq!(
        voice.trial_url.as_deref(),
        Some("https://cdn.example.com/voice-trial.mp3")
    );
}

#[test]
fn a_video_elements_own_voice_is_cloned() {
    let Queried::Found(task) =
        general::parse_element_query(200, &read("kling-element-query-video.json")).unwrap()
    else {
        panic!()
    };
    let TaskState::Succeeded { made } = task.state else {
        panic!()
    };
    assert_eq!(made.element_id, "860187654321098766");
    assert_eq!(
        made.video_url.as_deref(),
        Some("https://cdn.example.com/jonas.mp4")
    );
    assert_eq!(made.tag, None);
    let voice = made.voice.clone().unwrap();
    assert_eq!(voice.source, VoiceSource::Cloned);
    assert_eq!(
        made.look(),
        Some(Look::Video {
            src: "https://cdn.example.com/jonas.mp4".into()
        })
    );
}

#[test]
fn a_failed_element_carries_klings_message() {
    let Queried::Found(task) =
        general::parse_element_query(200, &read("kling-element-query-failed.json")).unwrap()
    else {
        panic!()
    };
    let TaskState::Failed { reason } = task.state else {
        panic!()
    };
    assert_eq!(reason.scope, Scope::Task);
    assert_eq!(
        reason.message,
        "The frontal image contains no recognizable subject"
    );
}

#[test]
fn element_lists_show_made_elements_and_skip_the_rest() {
    let Browse::Items(mine) =
        general::parse_element_list(200, &read("kling-element-list.json")).unwrap()
    else {
        panic!()
    };
    assert_eq!(mine.len(), 1, "the processing task has nothing to show");
    assert_eq!(mine[0].element_id, "860187654321098765");
    assert_eq!(mine[0].status, ElementState::Deleted);
    assert_eq!(mine[0].tag, Some(Tag::Animal));
    assert_eq!(
        mine[0].voice, None,
        "an empty element_voice_info is no voice"
    );
    let c = mine[0].character("lib-1".into(), 5).unwrap();
    assert_eq!(
        c.element,
        ElementStatus::Deleted {
            element_id: "860187654321098765".into()
        }
    );

    let Browse::Items(presets) =
        general::parse_element_list(200, &read("kling-element-presets.json")).unwrap()
    else {
        panic!()
    };
    assert_eq!(presets[0].element_id, "0");
    assert_eq!(presets[0].owned_by, OwnedBy::Kling);
    assert_eq!(presets[0].tag, Some(Tag::Costume));
    let c = presets[0].character("lib-2".into(), 5).unwrap();
    assert_eq!(c.name, "Astronaut");
    assert_eq!(c.element_id(), Some("0"));
    assert!(matches!(c.look, Look::Images { ref others, .. } if others.len() == 3));
}

#[test]
fn voices_are_read_from_queries_and_lists() {
    let Queried::Found(task) =
        general::parse_voice_query(200, &read("kling-voice-query-succeed.json")).unwrap()
    else {
        panic!()
    };
    assert_eq!(task.charged_units, Some(0.05));
    let TaskState::Succeeded { made } = task.state else {
        panic!()
    };
    assert_eq!(made.voice_id, "850087542757535834");
    assert_eq!(made.voice(VoiceSource::Custom).source, VoiceSource::Custom);

    let Queried::Found(failed) =
        general::parse_voice_query(200, &read("kling-voice-query-failed.json")).unwrap()
    else {
        panic!()
    };
    assert!(
        matches!(failed.state, TaskState::Failed { ref reason } if reason.message.contains("More than one human voice"))
    );

    let Browse::Items(mine) =
        general::parse_voice_list(200, &read("kling-voice-list.json")).unwrap()
    else {
        panic!()
    };
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].owned_by, OwnedBy::Creator("7700123".into()));

    let Browse::Items(presets) =
        general::parse_voice_list(200, &read("kling-voice-presets.json")).unwrap()
    else {
        panic!()
    };
    let names: Vec<&str> = presets.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Sunny girl", "Old sailor"]);
    let v = presets[0].voice(VoiceSource::Custom);
    assert_eq!(v.source, VoiceSource::Preset);
    assert_eq!(
        v.trial_url.as_deref(),
        Some("https://cdn.example.com/sunny-girl.mp3")
    );
}

#[test]
fn delete_answers_are_read() {
    assert_eq!(
        general::parse_delete(200, &read("kling-element-delete.json")).unwrap(),
        DeleteAnswer::Accepted {
            task_id: "880100000000000001".into(),
            status: TaskStatus::Succeed
        }
    );
}

#[test]
fn malformed_answers_are_parse_errors() {
    let element = |e: Value| {
        json!({"code":0,"message":"","data":{"task_id":"t","task_status":"succeed",
            "task_result":{"elements":[e]}}})
        .to_string()
    };
    for bad in [
        json!({"element_id": -1}),
        json!({"element_id": 1.5}),
        json!({"element_id": "12a"}),
        json!({"element_id": true}),
    ] {
        assert_eq!(
            general::parse_element_query(200, &element(bad)).unwrap_err(),
            ParseError::WrongType {
                field: "element_id",
                expected: "a string of digits"
            }
        );
    }
    assert_eq!(
        general::parse_element_query(200, &element(json!({}))).unwrap_err(),
        ParseError::Missing("element_id")
    );
    assert!(matches!(
        general::parse_element_query(
            200,
            r#"{"code":0,"data":{"task_id":"t","task_status":"succeed","task_result":{"elements":[]}}}"#
        ),
        Err(ParseError::Missing("task_result.elements[0]"))
    ));
    assert!(matches!(
        general::parse_voice_query(200, r#"{"code":0,"data":{"task_id":"t","task_status":"done"}}"#),
        Err(ParseError::UnknownStatus(s)) if s == "done"
    ));
    assert!(general::parse_create(200, "not json").is_err());
    assert!(general::parse_element_list(200, r#"{"code":0,"data":{}}"#).is_err());
    assert!(general::parse_voice_list(200, r#"{"code":0,"data":[1]}"#).is_err());
    assert!(general::parse_delete(200, r#"{"code":0,"data":[]}"#).is_err());
}

// ---- calls ----

#[test]
fn calls_go_through_the_proxy_under_v1_general() {
    let t = Transport::new("https://app.example.com/")
        .unwrap()
        .with_access_token(Some("tok".into()));
    let base = "https://app.example.com/api/kling/v1/general";
    let create = t.create_made(&CreateRequest::Voice(
        VoiceRequest::new(
            "V",
            "https://a.example.com/v.mp3",
            KEY,
            &UploadsMode::Refuse,
        )
        .unwrap(),
    ));
    assert_eq!(create.method, "POST");
    assert_eq!(create.url, format!("{base}/custom-voices"));
    assert_eq!(create.header_value("x-storyreel-token"), Some("tok"));
    assert_eq!(
        create.header_value("content-type"),
        Some("application/json")
    );
    let sent: Value = serde_json::from_str(create.body.as_deref().unwrap()).unwrap();
    assert_eq!(sent["external_task_id"], KEY);

    let element = CreateRequest::Element(
        ElementRequest::from_character(&images_character(), KEY, &t.uploads_mode()).unwrap(),
    );
    assert_eq!(
        t.create_made(&element).url,
        format!("{base}/advanced-custom-elements")
    );
    assert_eq!(
        t.element_query("860100000000000001").url,
        format!("{base}/advanced-custom-elements/860100000000000001")
    );
    assert_eq!(
        t.element_query("a b").url,
        format!("{base}/advanced-custom-elements/a%20b")
    );
    assert_eq!(
        t.elements_mine(2, 50).url,
        format!("{base}/advanced-custom-elements?pageNum=2&pageSize=50")
    );
    assert_eq!(
        t.elements_presets(0, 9_999).url,
        format!("{base}/advanced-presets-elements?pageNum=1&pageSize=500")
    );
    assert_eq!(
        t.voices_mine(5_000, 1_000).url,
        format!("{base}/custom-voices?pageNum=1000&pageSize=1000")
    );
    assert_eq!(
        t.voices_presets(1, 30).url,
        format!("{base}/presets-voices?pageNum=1&pageSize=30")
    );
    assert_eq!(t.voice_query("k").url, format!("{base}/custom-voices/k"));
    let del = t.element_delete("860187654321098765");
    assert_eq!(
        (del.method.as_str(), del.url.as_str()),
        ("POST", format!("{base}/delete-advanced-elements").as_str())
    );
    assert_eq!(
        del.body.as_deref(),
        Some(r#"{"element_id":"860187654321098765"}"#)
    );
    let del = t.voice_delete("850087542757535834");
    assert_eq!(del.url, format!("{base}/delete-voices"));
    assert_eq!(
        del.body.as_deref(),
        Some(r#"{"voice_id":"850087542757535834"}"#)
    );
}

#[test]
fn the_uploads_mode_follows_the_public_base() {
    let t = Transport::new("").unwrap();
    assert_eq!(t.uploads_mode(), UploadsMode::ResolvedByServer);
    let t = t.with_public_uploads(Some("https://pub.example.com/uploads/".into()));
    assert_eq!(
        t.uploads_mode(),
        UploadsMode::PublicBase("https://pub.example.com/uploads".into())
    );
}

// ---- cost ----

#[test]
fn a_custom_voice_costs_five_hundredths_of_a_unit() {
    assert_eq!(cost::CUSTOM_VOICE_UNIT_HUNDREDTHS, 5);
    assert_eq!(cost::custom_voice_milli_usd(), 7);
    assert_eq!(cost::custom_voice_text(), "0.05 units (about $0.007)");
    assert!(cost::VOICE_PRICE_SOURCE.contains("§0.5"));
}
