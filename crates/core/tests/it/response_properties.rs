//! Properties of the response parsers and the job journal: no body panics
//! a parser, and no sequence of moves lets a job be submitted twice.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use storyreel_core::job::Job;
use storyreel_core::journal::{Action, Entry, MAX_CREATE_RETRIES};
use storyreel_core::response::{
    fal, kling, kling_current, replicate, Charged, Failure, FailureCategory, JobState, Scope,
};
use storyreel_core::transport::Answer;
use storyreel_core::Board;
use storyreel_core::Provider;

fn parse_all(status: u16, body: &str) {
    let _ = kling::parse_create(status, body);
    let _ = kling::parse_query(status, body);
    let _ = kling::parse_list(status, body);
    let _ = kling_current::parse_create(status, body);
    let _ = kling_current::parse_tasks(status, body);
    let _ = kling_current::parse_poll(status, body, "t");
    let _ = fal::parse_submit(status, body);
    let _ = fal::parse_status(status, body);
    let _ = fal::parse_result(status, body);
    let _ = replicate::parse_create(status, body);
    let _ = replicate::parse_prediction(status, body);
}

/// JSON-ish text built from the fields the parsers look at, so the
/// generator reaches past the first `missing` check.
fn jsonish() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| format!("{n:?}")),
        "[a-z_ ]{0,12}".prop_map(|s| format!("{s:?}")),
        prop::sample::select(vec![
            "\"submitted\"",
            "\"processing\"",
            "\"succeed\"",
            "\"failed\"",
            "\"IN_QUEUE\"",
            "\"IN_PROGRESS\"",
            "\"COMPLETED\"",
            "\"starting\"",
            "\"succeeded\"",
            "\"canceled\"",
            "\"aborted\"",
            "0",
            "1303",
            "\"5\"",
            "\"video\"",
            "\"unit\"",
            "\"cash\"",
            "\"USD\"",
            "\"t\"",
            "\"0.56\"",
        ])
        .prop_map(str::to_string),
    ];
    let keys = prop::sample::select(vec![
        "code",
        "message",
        "data",
        "task_id",
        "task_status",
        "task_status_msg",
        "task_info",
        "external_task_id",
        "task_result",
        "videos",
        "url",
        "duration",
        "final_unit_deduction",
        "request_id",
        "status",
        "queue_position",
        "video",
        "detail",
        "msg",
        "loc",
        "type",
        "error",
        "error_type",
        "id",
        "output",
        "urls",
        "get",
        "external_id",
        "outputs",
        "billing",
        "charge_type",
        "amount",
        "currency",
    ]);
    leaf.prop_recursive(4, 40, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec((keys.clone(), inner), 0..6).prop_map(|pairs| {
                let fields: Vec<String> =
                    pairs.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", fields.join(","))
            }),
        ]
    })
}

#[derive(Debug, Clone)]
enum Move {
    Sending,
    Accepted,
    Running,
    Finish,
    Fail,
    Abandon,
    Observe(u8),
}

fn moves() -> impl Strategy<Value = Vec<Move>> {
    prop::collection::vec(
        prop_oneof![
            Just(Move::Sending),
            Just(Move::Accepted),
            Just(Move::Running),
            Just(Move::Finish),
            Just(Move::Fail),
            Just(Move::Abandon),
            (0u8..5).prop_map(Move::Observe),
        ],
        0..30,
    )
}

fn failure(scope: Scope) -> Failure {
    Failure {
        category: FailureCategory::Server,
        scope,
        http_status: None,
        code: None,
        message: String::new(),
        retryable: true,
        charged: Charged::Unknown,
    }
}

fn polled(n: u8) -> JobState {
    match n {
        0 => JobState::Queued { position: None },
        1 => JobState::Running,
        2 => JobState::Succeeded {
            video_url: "v".into(),
            duration_seconds: None,
            charged: None,
        },
        3 => JobState::Failed {
            reason: failure(Scope::Request),
        },
        _ => JobState::Failed {
            reason: failure(Scope::Task),
        },
    }
}

/// An answer a Kling job may get, on either design, including lost ones.
fn kling_answer() -> impl Strategy<Value = Answer> {
    let task = |status: &str, extra: &str| {
        format!(
            r#"{{"id":"t","task_id":"t","status":"{status}","task_status":"{status}","external_id":"{KEY}","task_info":{{"external_task_id":"{KEY}"}}{extra}}}"#
        )
    };
    let ok = |data: String| format!(r#"{{"code":0,"message":"","data":{data}}}"#);
    let done = r#","outputs":[{"type":"video","url":"https://c/v.mp4"}],"billing":[{"charge_type":"unit","amount":"5"}],"task_result":{"videos":[{"url":"https://c/v.mp4"}]}"#;
    let bodies = vec![
        (200, ok(task("submitted", ""))),
        (200, ok(format!("[{}]", task("submitted", "")))),
        (200, ok(format!("[{}]", task("processing", "")))),
        (200, ok(format!("[{}]", task("succeeded", done)))),
        (200, ok(format!("[{}]", task("succeed", done)))),
        (200, ok(format!("[{}]", task("failed", r#","billing":[]"#)))),
        (200, ok("[]".into())),
        (429, r#"{"code":1303,"message":"busy"}"#.into()),
        (
            400,
            format!(r#"{{"code":1201,"message":"external_task_id {KEY} already exists"}}"#),
        ),
        (400, r#"{"code":1201,"message":"bad"}"#.into()),
        (502, "<html>bad gateway</html>".into()),
        (504, r#"{"error":"late","relay":true}"#.into()),
        (200, "{}".into()),
    ];
    prop_oneof![
        prop::sample::select(bodies).prop_map(|(status, body)| Answer::http(status, body)),
        Just(Answer::Network {
            message: "offline".into()
        }),
    ]
}

const KEY: &str = "storyreel-0011223344556677";

proptest! {
    /// Whatever Kling answers, on either design, a job is created at most
    /// `MAX_CREATE_RETRIES + 1` times, always under its one key, never
    /// again once Kling has accepted it.
    #[test]
    fn a_kling_entry_is_driven_to_an_end_under_one_key(
        target in prop::sample::select(vec!["/omni-video/kling-3.0-omni", "/v1/videos/omni-video"]),
        answers in prop::collection::vec(kling_answer(), 1..40),
    ) {
        let mut e = Entry::new(Job::new(KEY.into(), Provider::Kling, 0), Board::default(), target.into());
        let mut sends = 0;
        let mut accepted = false;
        for answer in answers.iter().cycle().take(2_000) {
            match e.next_action() {
                Action::Create => {
                    prop_assert!(!accepted, "a create after Kling accepted the job");
                    e.begin_create().unwrap();
                    sends += 1;
                    e.on_create(answer, 0.5);
                }
                Action::Lookup => { e.on_lookup(answer, 0.5); }
                Action::Poll => { e.on_poll(answer, 0.5); }
                Action::SaveClip(_) => e.clip_saved(),
                Action::Abandon => e.abandon("test"),
                Action::FetchResult | Action::Done => break,
            }
            accepted |= e.job.remote_id().is_some();
            prop_assert_eq!(e.key(), KEY);
        }
        prop_assert!(sends <= MAX_CREATE_RETRIES + 1, "sent {} times", sends);
    }

    #[test]
    fn arbitrary_text_never_panics(status in any::<u16>(), body in ".{0,200}") {
        parse_all(status, &body);
    }

    #[test]
    fn arbitrary_json_never_panics(
        status in prop::sample::select(vec![200u16, 201, 400, 401, 422, 429, 500, 503, 0, 999]),
        body in jsonish(),
    ) {
        parse_all(status, &body);
    }

    #[test]
    fn a_job_is_submitted_at_most_once(
        provider in prop::sample::select(Provider::ALL.to_vec()),
        moves in moves(),
    ) {
        let mut job = Job::new("storyreel-0011223344556677".into(), provider, 0);
        // Each successful `sending` is one create request on the wire.
        let mut sends = 0;
        let mut left_journaled = false;
        for m in moves {
            let before = job.clone();
            let result = match m {
                Move::Sending => job.sending(),
                Move::Accepted => job.accepted("t".into()),
                Move::Running => job.running(),
                Move::Finish => job.finish("v".into()),
                Move::Fail => job.fail(failure(Scope::Task)),
                Move::Abandon => job.abandon(),
                Move::Observe(n) => job.observe(&polled(n)).map(|_| ()),
            };
            match (&m, &result) {
                (Move::Sending, Ok(())) => sends += 1,
                (_, Err(_)) => prop_assert_eq!(&job, &before, "a refused move changes nothing"),
                _ => {}
            }
            left_journaled |= !job.may_submit();
            prop_assert!(!(left_journaled && job.may_submit()), "submittable again after {:?}", before.phase);
            if before.phase.is_over() {
                prop_assert_eq!(&job.phase, &before.phase, "an ended job stays ended");
            }
        }
        prop_assert!(sends <= 1, "sent {} times", sends);
    }
}
