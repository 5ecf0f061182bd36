//! Properties of the making of a Kling element or voice: whatever Kling
//! answers, a creation is sent at most `MAX_CREATE_RETRIES + 1` times,
//! always under its one key, never once Kling has shown its task, and
//! after a lost answer only once Kling has said it does not know the key.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::Value;
use storyreel_core::character::{Character, ElementStatus, Look, Making, MakingAction, Tag};
use storyreel_core::journal::{MAX_CREATE_RETRIES, MAX_UNSEEN_LOOKUPS};
use storyreel_core::transport::Answer;
use storyreel_core::UploadsMode;

const KEY: &str = "storyreel-0011223344556677";

fn making(element: bool) -> Making {
    if element {
        let c = Character {
            id: "c1".into(),
            name: "Mara".into(),
            description: String::new(),
            tag: Tag::Character,
            look: Look::Images {
                frontal: "https://cdn.example.com/f.png".into(),
                others: vec!["https://cdn.example.com/s.png".into()],
            },
            voice: None,
            element: ElementStatus::None,
            updated_ms: 0,
        };
        Making::element(&c, KEY.into(), &UploadsMode::ResolvedByServer, 0).unwrap()
    } else {
        Making::voice(
            "c1",
            "v",
            "https://cdn.example.com/v.mp3",
            KEY.into(),
            &UploadsMode::ResolvedByServer,
            0,
        )
        .unwrap()
    }
}

/// An answer a creation may get to any of its calls, lost ones
/// included, and whether it is Kling saying it does not know the task.
fn answer() -> impl Strategy<Value = (Answer, bool)> {
    let task = |status: &str, result: &str| {
        format!(
            r#"{{"code":0,"message":"","data":{{"task_id":"t","task_status":"{status}","task_status_msg":"why","task_info":{{"external_task_id":"{KEY}"}},"task_result":{result}}}}}"#
        )
    };
    let done = r#"{"elements":[{"element_id":123,"status":"succeed"}],"voices":[{"voice_id":"9","voice_name":"v"}]}"#;
    let bodies = vec![
        (200, task("submitted", "{}"), false),
        (200, task("processing", "{}"), false),
        (200, task("succeed", done), false),
        (200, task("failed", "{}"), false),
        (429, r#"{"code":1303,"message":"busy"}"#.to_string(), false),
        (500, r#"{"code":5000,"message":"down"}"#.to_string(), false),
        (
            400,
            format!(r#"{{"code":1201,"message":"external_task_id {KEY} already exists"}}"#),
            false,
        ),
        (400, r#"{"code":1201,"message":"bad"}"#.to_string(), false),
        (
            404,
            r#"{"code":1203,"message":"not found"}"#.to_string(),
            true,
        ),
        (502, "<html>bad gateway</html>".to_string(), false),
        (504, r#"{"error":"late","relay":true}"#.to_string(), false),
        (200, "{}".to_string(), false),
    ];
    prop_oneof![
        prop::sample::select(bodies).prop_map(|(s, b, nf)| (Answer::http(s, b), nf)),
        Just((
            Answer::Network {
                message: "offline".into()
            },
            false
        )),
    ]
}

proptest! {
    #[test]
    fn a_making_is_driven_under_one_key_and_sent_at_most_n_times(
        element in any::<bool>(),
        answers in prop::collection::vec(answer(), 1..40),
    ) {
        let mut m = making(element);
        let mut sends = 0;
        let mut shown = false;
        // Since the last create whose answer was lost: how often Kling
        // said it does not know the key.
        let mut unknown_since_loss: Option<u32> = None;
        for (answer, not_found) in answers.iter().cycle().take(600) {
            match m.next_action() {
                MakingAction::Create => {
                    prop_assert!(!shown, "a create after Kling showed the task");
                    if let Some(n) = unknown_since_loss {
                        prop_assert!(n >= MAX_UNSEEN_LOOKUPS, "re-sent after {} unknown lookups", n);
                    }
                    m.begin_create().unwrap();
                    sends += 1;
                    let body: Value = serde_json::from_str(&m.request.body()).unwrap();
                    prop_assert_eq!(body["external_task_id"].as_str(), Some(KEY));
                    m.on_create(answer, 0.5);
                    unknown_since_loss = (m.next_action() == MakingAction::Lookup).then_some(0);
                }
                MakingAction::Lookup => {
                    m.on_lookup(answer, 0.5);
                    if *not_found {
                        unknown_since_loss = unknown_since_loss.map(|n| n + 1);
                    }
                }
                MakingAction::Poll(_) => { m.on_poll(answer, 0.5); }
                MakingAction::Done(_) | MakingAction::Failed(_) => break,
            }
            shown |= m.stage.task_id().is_some() || matches!(m.next_action(), MakingAction::Done(_));
            prop_assert_eq!(m.key.as_str(), KEY);
            // What the app stores reads back the same.
            let stored: Making = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
            prop_assert_eq!(&stored, &m);
        }
        prop_assert!(sends <= MAX_CREATE_RETRIES + 1, "sent {} times", sends);
    }

    #[test]
    fn arbitrary_bodies_never_panic_the_readers(status in any::<u16>(), body in ".{0,200}") {
        use storyreel_core::response::kling_general as g;
        let _ = g::parse_create(status, &body);
        let _ = g::parse_element_query(status, &body);
        let _ = g::parse_voice_query(status, &body);
        let _ = g::parse_element_list(status, &body);
        let _ = g::parse_voice_list(status, &body);
        let _ = g::parse_delete(status, &body);
    }
}
