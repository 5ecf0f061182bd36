//! Driving the making of a Kling element or voice (`character::Making`)
//! against scripted answers, the way the app's runner does: journaled
//! before the create leaves, a lost answer looked up by its key and never
//! sent again while the creation may exist.

use serde_json::{json, Value};
use storyreel_core::character::making::Stage;
use storyreel_core::character::{
    Character, ElementStatus, Look, Made, Making, MakingAction, Tag, Voice, VoiceSource,
};
use storyreel_core::journal::{MAX_CREATE_RETRIES, MAX_LOOKUPS, MAX_UNSEEN_LOOKUPS};
use storyreel_core::transport::{Answer, Transport};
use storyreel_core::UploadsMode;

const KEY: &str = "storyreel-00112233445566778899aabb";

fn character() -> Character {
    Character {
        id: "c1".into(),
        name: "Mara".into(),
        description: "A courier".into(),
        tag: Tag::Character,
        look: Look::Images {
            frontal: "https://cdn.example.com/f.png".into(),
            others: vec!["https://cdn.example.com/s.png".into()],
        },
        voice: None,
        element: ElementStatus::None,
        updated_ms: 0,
    }
}

fn element_making() -> Making {
    Making::element(
        &character(),
        KEY.into(),
        &UploadsMode::ResolvedByServer,
        1_000,
    )
    .unwrap()
}

fn voice_making() -> Making {
    Making::voice(
        "c1",
        "Mara's voice",
        "https://cdn.example.com/clip.mp3",
        KEY.into(),
        &UploadsMode::ResolvedByServer,
        1_000,
    )
    .unwrap()
}

fn ok(data: Value) -> Answer {
    Answer::http(
        200,
        json!({"code": 0, "message": "", "request_id": "r", "data": data}).to_string(),
    )
}

fn code(http: u16, code: i64, message: &str) -> Answer {
    Answer::http(
        http,
        json!({"code": code, "message": message, "request_id": "r"}).to_string(),
    )
}

fn created() -> Answer {
    ok(json!({"task_id": "t1", "task_info": {"external_task_id": KEY}, "task_status": "submitted"}))
}

fn task(status: &str) -> Value {
    json!({"task_id": "t1", "task_status": status, "task_status_msg": "",
        "task_info": {"external_task_id": KEY}, "task_result": {}})
}

fn element_done() -> Answer {
    let mut t = task("succeed");
    t["task_result"] = json!({"elements": [{
        "element_id": 860187654321098765u64,
        "element_name": "Mara",
        "reference_type": "image_refer",
        "element_voice_info": {},
        "owned_by": "1",
        "status": "succeed"
    }]});
    ok(t)
}

fn voice_done() -> Answer {
    let mut t = task("succeed");
    t["task_result"] = json!({"voices": [{
        "voice_id": "850087542757535834",
        "voice_name": "Mara's voice",
        "trial_url": "https://cdn.example.com/trial.mp3",
        "owned_by": "1"
    }]});
    t["final_unit_deduction"] = json!("0.05");
    ok(t)
}

fn net() -> Answer {
    Answer::Network {
        message: "offline".into(),
    }
}

fn not_found() -> Answer {
    code(404, 1203, "task not found")
}

/// Sends the create (begin_create first, as the runner must).
fn send(m: &mut Making, answer: &Answer) -> u64 {
    assert_eq!(m.next_action(), MakingAction::Create);
    m.begin_create().unwrap();
    m.on_create(answer, 0.0)
}

#[test]
fn an_element_is_made_and_the_character_follows_each_step() {
    let mut m = element_making();
    let mut c = character();
    assert_eq!(m.next_action(), MakingAction::Create);
    assert_eq!(
        m.element_status(),
        Some(ElementStatus::Making {
            key: KEY.into(),
            task_id: None
        })
    );
    m.begin_create().unwrap();
    assert_eq!(m.stage, Stage::SubmitUnknown);
    // Stored now; a second begin is refused (double click, second tab).
    assert!(m.begin_create().is_err());
    let wait = m.on_create(&created(), 0.0);
    assert!(wait > 0);
    assert_eq!(m.next_action(), MakingAction::Poll("t1".into()));
    m.apply_to(&mut c);
    assert_eq!(
        c.element,
        ElementStatus::Making {
            key: KEY.into(),
            task_id: Some("t1".into())
        }
    );
    m.on_poll(&ok(task("processing")), 0.0);
    assert_eq!(m.stage.name(), "running");
    assert_eq!(m.on_poll(&element_done(), 0.0), 0);
    assert_eq!(
        m.next_action(),
        MakingAction::Done(Made::Element {
            element_id: "860187654321098765".into(),
            voice: None
        })
    );
    assert!(!m.is_active());
    m.apply_to(&mut c);
    assert_eq!(c.element_id(), Some("860187654321098765"));
    assert_eq!(m.creates_sent, 1);
}

#[test]
fn a_voice_is_made_and_bound_to_its_character() {
    let mut m = voice_making();
    assert_eq!(m.element_status(), None);
    send(&mut m, &created());
    m.on_poll(&voice_done(), 0.0);
    let voice = Voice {
        voice_id: "850087542757535834".into(),
        name: "Mara's voice".into(),
        source: VoiceSource::Custom,
        trial_url: Some("https://cdn.example.com/trial.mp3".into()),
    };
    assert_eq!(
        m.next_action(),
        MakingAction::Done(Made::Voice {
            voice: voice.clone()
        })
    );
    assert_eq!(m.charged_units, Some(0.05));
    let mut c = character();
    m.apply_to(&mut c);
    assert_eq!(c.voice, Some(voice));
    assert_eq!(c.element, ElementStatus::None, "a voice is no element");
    let mut other = Character {
        id: "c2".into(),
        ..character()
    };
    m.apply_to(&mut other);
    assert_eq!(other.voice, None);
}

#[test]
fn the_calls_follow_the_next_action() {
    let t = Transport::new("").unwrap();
    let mut m = element_making();
    let create = m.call(&t).unwrap();
    assert_eq!(
        (create.method.as_str(), create.url.as_str()),
        ("POST", "/api/kling/v1/general/advanced-custom-elements")
    );
    let body: Value = serde_json::from_str(create.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["external_task_id"], KEY);
    m.begin_create().unwrap();
    m.on_create(&net(), 0.0);
    assert_eq!(
        m.call(&t).unwrap().url,
        format!("/api/kling/v1/general/advanced-custom-elements/{KEY}")
    );
    m.on_lookup(&ok(task("processing")), 0.0);
    assert_eq!(
        m.call(&t).unwrap().url,
        "/api/kling/v1/general/advanced-custom-elements/t1"
    );
    let mut v = voice_making();
    assert_eq!(
        v.call(&t).unwrap().url,
        "/api/kling/v1/general/custom-voices"
    );
    v.begin_create().unwrap();
    v.on_create(&net(), 0.0);
    assert_eq!(
        v.call(&t).unwrap().url,
        format!("/api/kling/v1/general/custom-voices/{KEY}")
    );
    v.on_lookup(&voice_done(), 0.0);
    assert_eq!(v.call(&t), None);
}

#[test]
fn a_lost_answer_is_looked_up_by_its_key_not_sent_again() {
    for lost in [
        net(),
        Answer::http(502, r#"{"error":"Kling did not answer","relay":true}"#),
        Answer::http(504, r#"{"error":"late","relay":true}"#),
        Answer::http(502, "<html>bad gateway</html>"),
        Answer::http(200, "{not json"),
    ] {
        let mut m = element_making();
        send(&mut m, &lost);
        assert_eq!(m.next_action(), MakingAction::Lookup, "{lost:?}");
        assert!(m.note.as_deref().unwrap().contains("by its key"));
        // Found: followed by its task id, never created again.
        m.on_lookup(&ok(task("submitted")), 0.0);
        assert_eq!(m.next_action(), MakingAction::Poll("t1".into()));
        assert!(m.begin_create().is_err());
        assert_eq!(m.creates_sent, 1);
    }
}

#[test]
fn a_key_kling_does_not_know_is_asked_again_before_it_is_sent_again() {
    let mut m = element_making();
    send(&mut m, &net());
    for look in 1..MAX_UNSEEN_LOOKUPS {
        let wait = m.on_lookup(&not_found(), 0.0);
        assert!(wait > 0);
        assert_eq!(m.next_action(), MakingAction::Lookup, "look {look}");
    }
    m.on_lookup(&not_found(), 0.0);
    assert_eq!(m.next_action(), MakingAction::Create);
    m.begin_create().unwrap();
    let body: Value = serde_json::from_str(&m.request.body()).unwrap();
    assert_eq!(body["external_task_id"], KEY, "the same key");
    m.on_create(&created(), 0.0);
    assert_eq!(m.creates_sent, 2);
    assert_eq!(m.next_action(), MakingAction::Poll("t1".into()));
}

#[test]
fn a_duplicate_key_means_it_arrived() {
    let mut m = element_making();
    send(&mut m, &net());
    for _ in 0..MAX_UNSEEN_LOOKUPS {
        m.on_lookup(&not_found(), 0.0);
    }
    m.begin_create().unwrap();
    m.on_create(
        &code(400, 1201, &format!("external_task_id {KEY} already exists")),
        0.0,
    );
    assert_eq!(m.next_action(), MakingAction::Lookup);
    assert!(m.note.as_deref().unwrap().contains("already arrived"));
    m.on_lookup(&element_done(), 0.0);
    assert!(matches!(m.next_action(), MakingAction::Done(_)));
}

#[test]
fn failed_lookups_give_up_saying_it_may_exist() {
    let mut m = element_making();
    send(&mut m, &net());
    for _ in 0..MAX_LOOKUPS {
        assert!(m.on_lookup(&net(), 0.0) > 0);
        assert_eq!(m.next_action(), MakingAction::Lookup);
    }
    m.on_lookup(&Answer::http(500, r#"{"code":5000,"message":"down"}"#), 0.0);
    let reason = m.reason().unwrap();
    assert!(reason.contains("may still be made"), "{reason}");
    assert!(reason.contains("down"), "{reason}");
    assert_eq!(m.creates_sent, 1);
}

#[test]
fn passing_refusals_are_sent_again_then_given_up() {
    let mut m = element_making();
    for _ in 0..MAX_CREATE_RETRIES {
        let wait = send(&mut m, &code(429, 1303, "too many tasks"));
        assert!(wait >= 1_000);
    }
    send(&mut m, &code(429, 1303, "too many tasks"));
    assert_eq!(m.creates_sent, MAX_CREATE_RETRIES + 1);
    let MakingAction::Failed(reason) = m.next_action() else {
        panic!("{:?}", m.next_action());
    };
    assert!(reason.contains("too many tasks"), "{reason}");
}

#[test]
fn a_refusal_fails_in_plain_words_with_klings_message() {
    let mut m = element_making();
    send(&mut m, &code(400, 1201, "element_description is required"));
    let reason = m.reason().unwrap();
    assert!(
        reason.starts_with("Kling refused to make the element."),
        "{reason}"
    );
    assert!(
        reason.contains("element_description is required"),
        "{reason}"
    );
    assert!(reason.contains("1201"), "{reason}");
    let mut c = character();
    m.apply_to(&mut c);
    assert!(
        matches!(c.element, ElementStatus::Failed { ref reason } if reason.contains("required"))
    );
}

#[test]
fn a_failed_task_says_what_kling_said() {
    let mut m = voice_making();
    send(&mut m, &created());
    let mut t = task("failed");
    t["task_status_msg"] = json!("More than one human voice was found");
    m.on_poll(&ok(t), 0.0);
    assert_eq!(
        m.reason(),
        Some("Kling could not make the voice. It said: “More than one human voice was found”.")
    );
}

#[test]
fn failed_polls_back_off_without_failing() {
    let mut m = element_making();
    send(&mut m, &created());
    for answer in [
        net(),
        Answer::http(502, r#"{"error":"x","relay":true}"#),
        code(500, 5001, "busy"),
        Answer::http(200, "garbage"),
    ] {
        assert!(m.on_poll(&answer, 0.0) > 0);
        assert_eq!(m.next_action(), MakingAction::Poll("t1".into()));
    }
    assert!(m.note.is_some());
    m.on_poll(&element_done(), 0.0);
    assert!(matches!(m.next_action(), MakingAction::Done(_)));
    assert_eq!(m.note, None);
}

#[test]
fn a_task_kling_keeps_not_finding_is_given_up() {
    let mut m = element_making();
    send(&mut m, &created());
    let mut polls = 0;
    while m.is_active() {
        m.on_poll(&not_found(), 0.0);
        polls += 1;
        assert!(polls < 100);
    }
    assert!(m.reason().unwrap().contains("Gave up checking the element"));
}

#[test]
fn a_crash_while_sending_resumes_with_a_lookup() {
    let mut m = element_making();
    m.begin_create().unwrap();
    // The tab died here; the stored making is read back.
    let stored = serde_json::to_string(&m).unwrap();
    let mut resumed: Making = serde_json::from_str(&stored).unwrap();
    assert_eq!(resumed, m);
    assert_eq!(resumed.next_action(), MakingAction::Lookup);
    assert!(resumed.begin_create().is_err());
    resumed.on_lookup(&element_done(), 0.0);
    assert!(matches!(resumed.next_action(), MakingAction::Done(_)));
}

#[test]
fn one_tab_drives_a_making() {
    let mut m = element_making();
    assert!(m.may_drive("a", 0));
    m.claim("a", 1_000, 2_000);
    assert!(m.may_drive("a", 1_500));
    assert!(!m.may_drive("b", 1_500));
    assert!(m.may_drive("b", m.lease.until_ms));
    m.release();
    assert!(m.may_drive("b", 0));
}

#[test]
fn a_second_making_for_the_same_character_is_busy() {
    let m = element_making();
    let v = voice_making();
    let all = [m.clone(), v.clone()];
    assert_eq!(
        storyreel_core::character::making::busy_with(&all, "c1", true),
        Some(&m)
    );
    assert_eq!(
        storyreel_core::character::making::busy_with(&all, "c1", false),
        Some(&v)
    );
    assert_eq!(
        storyreel_core::character::making::busy_with(&all, "c2", true),
        None
    );
    let mut done = m.clone();
    done.cancel().unwrap();
    assert_eq!(
        storyreel_core::character::making::busy_with([&done], "c1", true),
        None
    );
    assert!(done.reason().unwrap().contains("canceled"));
}

#[test]
fn a_character_that_cannot_be_sent_makes_no_making() {
    let mut c = character();
    c.name = "x".repeat(21);
    assert!(Making::element(&c, KEY.into(), &UploadsMode::ResolvedByServer, 0).is_err());
    assert!(Making::voice(
        "c1",
        "v",
        &format!("upload:{}", "a".repeat(64)),
        KEY.into(),
        &UploadsMode::ResolvedByServer,
        0
    )
    .is_err());
}

#[test]
fn answers_after_the_end_change_nothing() {
    let mut m = element_making();
    send(&mut m, &created());
    m.on_poll(&element_done(), 0.0);
    let before = m.clone();
    m.on_create(&created(), 0.0);
    m.on_lookup(&not_found(), 0.0);
    m.on_poll(&ok(task("failed")), 0.0);
    assert_eq!(m, before);
}

#[test]
fn a_relay_refusal_before_sending_fails_with_the_servers_words() {
    let mut m = element_making();
    send(
        &mut m,
        &Answer::http(
            400,
            r#"{"error":"reference upload:aaaa… is 12 MB and images sent inline may be at most 10 MB","relay":true}"#,
        ),
    );
    let reason = m.reason().unwrap();
    assert!(reason.contains("nothing was sent to Kling"), "{reason}");
    assert!(reason.contains("at most 10 MB"), "{reason}");
    // A relay 5xx may have reached Kling: looked up instead.
    let mut m = element_making();
    send(
        &mut m,
        &Answer::http(500, r#"{"error":"odd","relay":true}"#),
    );
    assert_eq!(m.next_action(), MakingAction::Lookup);
}
