//! Driving a journaled job: `journal::Entry` against scripted answers, the
//! way the browser's runner does.

use serde_json::json;
use storyreel_core::job::{Job, Phase};
use storyreel_core::journal::{
    at_fault, busy_with, cash_text, charge_short, charge_text, explain, is_duplicate_key,
    retry_delay_ms, Action, ClipState, Entry, Take, MAX_CLIP_TRIES, MAX_CREATE_RETRIES,
    MAX_LOOKUPS, MAX_UNSEEN_LOOKUPS, MAX_UNSEEN_POLLS,
};
use storyreel_core::options::KlingApi;
use storyreel_core::reference::Reference;
use storyreel_core::response::{Cash, Charge, Charged, Currency, Failure, FailureCategory, Scope};
use storyreel_core::transport::Answer;
use storyreel_core::{Board, Provider, Shot};

const KEY: &str = "storyreel-00112233445566778899aabb";

fn board(provider: Provider) -> Board {
    Board {
        provider,
        title: "Lighthouse".into(),
        shots: vec![
            Shot::new("wide", 3),
            Shot::new("waves", 2),
            Shot::new("lamp", 3),
        ],
        ..Board::default()
    }
}

fn entry(provider: Provider) -> Entry {
    let target = match provider {
        Provider::Kling => "/v1/videos/omni-video".to_string(),
        Provider::Fal => "https://queue.fal.run/fal-ai/kling-video/o3/pro/text-to-video".into(),
        Provider::Replicate => {
            "https://api.replicate.com/v1/models/kwaivgi/kling-v3-omni-video/predictions".into()
        }
    };
    Entry::new(
        Job::new(KEY.into(), provider, 1_000),
        board(provider),
        target,
    )
}

fn kling_task(status: &str, key: &str) -> serde_json::Value {
    let mut task = json!({
        "task_id": "t1",
        "task_status": status,
        "task_info": {"external_task_id": key},
        "created_at": 1, "updated_at": 2
    });
    if status == "succeed" {
        task["task_result"] =
            json!({"videos": [{"id": "v", "url": "https://cdn/v.mp4", "duration": "8"}]});
        task["final_unit_deduction"] = json!("6.4");
    }
    if status == "failed" {
        task["task_status_msg"] = json!("the output was flagged");
        task["final_unit_deduction"] = json!("0");
    }
    task
}

fn kling_ok(data: serde_json::Value) -> Answer {
    Answer::http(
        200,
        json!({"code": 0, "message": "SUCCEED", "request_id": "r", "data": data}).to_string(),
    )
}

fn kling_code(http: u16, code: i64, message: &str) -> Answer {
    Answer::http(
        http,
        json!({"code": code, "message": message, "request_id": "r"}).to_string(),
    )
}

fn net() -> Answer {
    Answer::Network {
        message: "Failed to fetch".into(),
    }
}

#[test]
fn kling_happy_path() {
    let mut e = entry(Provider::Kling);
    assert_eq!(e.phase_tag(), "journaled");
    assert_eq!(e.next_action(), Action::Create);
    e.begin_create().unwrap();
    assert_eq!(e.phase_tag(), "submit_unknown");
    assert!(e.begin_create().is_err(), "a second create is refused");
    let wait = e.on_create(&kling_ok(kling_task("submitted", KEY)), 0.0);
    assert_eq!(wait, 2_000);
    assert_eq!(e.phase_tag(), "submitted");
    assert_eq!(e.next_action(), Action::Poll);
    assert_eq!(
        e.on_poll(&kling_ok(kling_task("processing", KEY)), 0.0),
        4_000
    );
    assert_eq!(e.phase_tag(), "running");
    assert_eq!(
        e.on_poll(&kling_ok(kling_task("processing", KEY)), 0.0),
        8_000
    );
    assert_eq!(e.on_poll(&kling_ok(kling_task("succeed", KEY)), 0.0), 0);
    assert_eq!(e.phase_tag(), "finished");
    assert_eq!(e.charged_units, Some(6.4));
    assert_eq!(
        e.next_action(),
        Action::SaveClip("https://cdn/v.mp4".into())
    );
    e.clip_saved();
    assert_eq!(e.next_action(), Action::Done);
    assert!(!e.is_active());
    let take = Take::of(&e, 5, 1234).unwrap();
    assert_eq!(take.key, KEY);
    assert_eq!(take.charged_units, Some(6.4));
    assert_eq!(take.title(), "Lighthouse");
    assert_eq!(e.creates_sent, 1);
}

#[test]
fn kling_busy_and_server_errors_are_sent_again_with_the_same_key() {
    let mut e = entry(Provider::Kling);
    e.begin_create().unwrap();
    let wait = e.on_create(
        &kling_code(429, 1303, "parallel task over resource pack limit"),
        0.0,
    );
    assert_eq!(wait, 1_000);
    assert_eq!(e.phase_tag(), "submit_unknown");
    assert!(e.note.as_deref().unwrap().contains("Sending it again"));
    assert_eq!(e.next_action(), Action::Create);
    e.begin_create().unwrap();
    assert_eq!(
        e.on_create(&kling_code(500, 5000, "internal server error"), 0.0),
        2_000
    );
    assert_eq!(e.next_action(), Action::Create);
    e.begin_create().unwrap();
    e.on_create(&kling_ok(kling_task("submitted", KEY)), 0.0);
    assert_eq!(e.phase_tag(), "submitted");
    assert_eq!(e.creates_sent, 3);
}

#[test]
fn kling_retries_stop() {
    let mut e = entry(Provider::Kling);
    for _ in 0..=MAX_CREATE_RETRIES {
        e.begin_create().unwrap();
        e.on_create(&kling_code(429, 1303, "busy"), 0.0);
    }
    assert_eq!(e.phase_tag(), "failed");
    let f = e.failure().unwrap();
    assert_eq!(f.category, FailureCategory::Concurrency);
    assert_eq!(f.charged, Charged::Nothing);
}

#[test]
fn a_lost_kling_answer_is_looked_up_not_repeated() {
    let mut e = entry(Provider::Kling);
    e.begin_create().unwrap();
    // The relay's 502 with no body: the task may exist.
    assert_eq!(e.on_create(&Answer::http(502, ""), 0.0), 1_000);
    assert_eq!(e.phase_tag(), "submit_unknown");
    assert_eq!(e.next_action(), Action::Lookup);
    let list = kling_ok(json!([
        kling_task("processing", "storyreel-other"),
        kling_task("processing", KEY)
    ]));
    assert_eq!(e.on_lookup(&list, 0.0), 2_000);
    assert_eq!(e.phase_tag(), "running");
    assert_eq!(e.job.remote_id(), Some("t1"));
    assert_eq!(e.creates_sent, 1);
}

#[test]
fn a_lookup_reads_further_pages_while_they_are_full() {
    use storyreel_core::journal::MAX_LOOKUP_PAGES;
    use storyreel_core::transport::{Transport, LOOKUP_PAGE_SIZE};
    let t = Transport::new("").unwrap();
    let others = |n: u32| {
        kling_ok(json!((0..n)
            .map(|i| kling_task("processing", &format!("storyreel-other-{i}")))
            .collect::<Vec<_>>()))
    };
    let mut e = entry(Provider::Kling);
    e.begin_create().unwrap();
    e.on_create(&net(), 0.0);
    // A busy account: a full first page of other jobs.
    assert_eq!(e.on_lookup(&others(LOOKUP_PAGE_SIZE), 0.0), 0);
    assert_eq!(e.next_action(), Action::Lookup);
    let call = t
        .find_job(Provider::Kling, &e.target, KEY, e.lookup_page)
        .unwrap();
    assert!(call.url.contains("pageNum=2&"), "{}", call.url);
    // Found on page 2: taken up, and the next lookup starts at page 1.
    let page2 = kling_ok(json!([kling_task("processing", KEY)]));
    e.on_lookup(&page2, 0.0);
    assert_eq!(e.phase_tag(), "running");
    assert_eq!(e.lookup_page, 0);
    assert_eq!(e.creates_sent, 1);

    // Not on a page that is not full: it never arrived; sent again.
    let mut e = entry(Provider::Kling);
    e.begin_create().unwrap();
    e.on_create(&net(), 0.0);
    e.on_lookup(&others(LOOKUP_PAGE_SIZE), 0.0);
    e.on_lookup(&others(3), 0.0);
    assert_eq!(e.next_action(), Action::Create);
    assert_eq!(e.lookup_page, 0);

    // Pages end: after MAX_LOOKUP_PAGES full pages it is sent again.
    let mut e = entry(Provider::Kling);
    e.begin_create().unwrap();
    e.on_create(&net(), 0.0);
    for _ in 0..MAX_LOOKUP_PAGES {
        assert_eq!(e.next_action(), Action::Lookup);
        e.on_lookup(&others(LOOKUP_PAGE_SIZE), 0.0);
    }
    assert_eq!(e.next_action(), Action::Create);
}

#[test]
fn a_kling_job_not_in_the_list_is_sent_again() {
    let mut e = entry(Provider::Kling);
    e.begin_create().unwrap();
    e.on_create(&net(), 0.0);
    assert_eq!(e.next_action(), Action::Lookup);
    assert_eq!(e.on_lookup(&kling_ok(json!([])), 0.0), 0);
    assert_eq!(e.next_action(), Action::Create);
    e.begin_create().unwrap();
    // It had arrived after all: the duplicate key is refused.
    let dup = kling_code(400, 1201, &format!("external_task_id {KEY} already exists"));
    assert_eq!(e.on_create(&dup, 0.0), 0);
    assert_eq!(e.next_action(), Action::Lookup);
    e.on_lookup(&kling_ok(json!([kling_task("submitted", KEY)])), 0.0);
    assert_eq!(e.phase_tag(), "submitted");
}

#[test]
fn a_crash_while_sending_resumes_with_a_lookup() {
    let mut e = entry(Provider::Kling);
    e.begin_create().unwrap();
    // Journaled now; the tab dies. Another run reads it back.
    let text = serde_json::to_string(&e).unwrap();
    let back: Entry = serde_json::from_str(&text).unwrap();
    assert_eq!(back, e);
    assert_eq!(back.next_action(), Action::Lookup);
    // A crash while waiting to re-send after a refusal re-sends.
    let mut w = entry(Provider::Kling);
    w.begin_create().unwrap();
    w.on_create(&kling_code(429, 1303, "busy"), 0.0);
    let back: Entry = serde_json::from_str(&serde_json::to_string(&w).unwrap()).unwrap();
    assert_eq!(back.next_action(), Action::Create);
}

#[test]
fn lookups_give_up() {
    let mut e = entry(Provider::Kling);
    e.begin_create().unwrap();
    e.on_create(&net(), 0.0);
    for i in 0..MAX_LOOKUPS {
        let wait = e.on_lookup(
            &Answer::http(503, r#"{"error":"upstream down","relay":true}"#),
            0.0,
        );
        assert_eq!(wait, retry_delay_ms(i, 0.0));
        assert_eq!(e.next_action(), Action::Lookup);
    }
    e.on_lookup(&net(), 0.0);
    assert_eq!(e.phase_tag(), "failed");
    assert_eq!(e.failure().unwrap().charged, Charged::Unknown);
}

#[test]
fn kling_refusals_fail_with_nothing_charged() {
    let mut e = entry(Provider::Kling);
    e.begin_create().unwrap();
    let msg = "content safety: the input was flagged by the risk control system";
    assert_eq!(e.on_create(&kling_code(400, 1301, msg), 0.0), 0);
    assert_eq!(e.phase_tag(), "failed");
    let f = e.failure().unwrap().clone();
    assert_eq!(f.category, FailureCategory::ContentSafety);
    let text = explain(&f, &e.board, Provider::Kling);
    assert!(text.to_lowercase().contains("content safety"), "{text}");
    assert!(text.contains("Nothing was charged"), "{text}");
    assert!(text.contains("(code 1301)"), "{text}");
    assert_eq!(e.next_action(), Action::Done);
}

#[test]
fn a_task_that_fails_while_generating() {
    let mut e = entry(Provider::Kling);
    e.begin_create().unwrap();
    e.on_create(&kling_ok(kling_task("submitted", KEY)), 0.0);
    e.on_poll(&kling_ok(kling_task("failed", KEY)), 0.0);
    assert_eq!(e.phase_tag(), "failed");
    let text = explain(e.failure().unwrap(), &e.board, Provider::Kling);
    assert!(text.contains("the output was flagged"), "{text}");
    assert!(text.contains("Nothing was charged (0 units)"), "{text}");
}

#[test]
fn failed_polls_back_off_and_do_not_fail_the_job() {
    let mut e = entry(Provider::Kling);
    e.begin_create().unwrap();
    e.on_create(&kling_ok(kling_task("submitted", KEY)), 0.0);
    let w1 = e.on_poll(&kling_code(429, 1302, "too fast"), 0.0);
    assert_eq!(w1, 4_000, "one step further on after a rate limit");
    let w2 = e.on_poll(&net(), 0.0);
    assert_eq!(w2, 4_000);
    let w3 = e.on_poll(
        &Answer::http(502, r#"{"error":"bad gateway","relay":true}"#),
        0.0,
    );
    assert_eq!(w3, 8_000);
    assert_eq!(e.phase_tag(), "submitted");
    assert!(e.note.is_some());
    e.on_poll(&kling_ok(kling_task("processing", KEY)), 0.0);
    assert!(e.note.is_none());
    assert_eq!(e.phase_tag(), "running");
    // A task the provider no longer knows is given up after a few tries.
    for _ in 0..5 {
        e.on_poll(&kling_code(404, 1203, "task not found"), 0.0);
    }
    assert_eq!(e.phase_tag(), "failed");
    assert_eq!(e.failure().unwrap().charged, Charged::Unknown);
}

#[test]
fn fal_flow_through_status_and_result() {
    let mut e = entry(Provider::Fal);
    e.begin_create().unwrap();
    let submit = json!({
        "request_id": "r1",
        "status_url": "https://queue.fal.run/fal-ai/kling-video/requests/r1/status",
        "response_url": "https://queue.fal.run/fal-ai/kling-video/requests/r1",
        "status": "IN_QUEUE", "queue_position": 2
    });
    assert_eq!(
        e.on_create(&Answer::http(200, submit.to_string()), 0.0),
        2_000
    );
    assert_eq!(e.phase_tag(), "submitted");
    assert_eq!(
        e.status_url.as_deref(),
        Some("https://queue.fal.run/fal-ai/kling-video/requests/r1/status")
    );
    e.on_poll(&Answer::http(200, r#"{"status":"IN_PROGRESS"}"#), 0.0);
    assert_eq!(e.phase_tag(), "running");
    assert_eq!(
        e.on_poll(&Answer::http(200, r#"{"status":"COMPLETED"}"#), 0.0),
        0
    );
    assert_eq!(e.next_action(), Action::FetchResult);
    e.on_result(
        &Answer::http(200, r#"{"video":{"url":"https://v3b.fal.media/o.mp4"}}"#),
        0.0,
    );
    assert_eq!(e.video_url(), Some("https://v3b.fal.media/o.mp4"));
}

#[test]
fn fal_lost_answers_are_given_up_and_may_be_charged() {
    let mut e = entry(Provider::Fal);
    e.begin_create().unwrap();
    e.on_create(&net(), 0.0);
    assert_eq!(e.phase_tag(), "failed");
    assert_eq!(e.failure().unwrap().charged, Charged::Unknown);
    assert!(e.failure().unwrap().message.contains("Failed to fetch"));
    // On resume a fal job whose answer is unknown cannot be looked up.
    let mut r = entry(Provider::Replicate);
    r.begin_create().unwrap();
    assert_eq!(r.next_action(), Action::Abandon);
    r.abandon("the page was closed");
    assert_eq!(r.phase_tag(), "failed");
}

#[test]
fn a_relay_timeout_on_a_create_is_an_unknown_outcome() {
    // 504 from the relay (its request timeout, or the provider stalled
    // mid-answer): the create may have arrived.
    let body = r#"{"error":"fal did not answer in time","relay":true}"#;
    let mut f = entry(Provider::Fal);
    f.begin_create().unwrap();
    f.on_create(&Answer::http(504, body), 0.0);
    assert_eq!(f.phase_tag(), "failed");
    assert_eq!(f.failure().unwrap().charged, Charged::Unknown);
    let mut r = entry(Provider::Replicate);
    r.begin_create().unwrap();
    r.on_create(&Answer::http(504, body), 0.0);
    assert_eq!(r.failure().unwrap().charged, Charged::Unknown);
    // Kling looks it up by its key, never sends it blind.
    let mut k = entry(Provider::Kling);
    k.begin_create().unwrap();
    assert_eq!(k.on_create(&Answer::http(504, body), 0.0), 1_000);
    assert_eq!(k.next_action(), Action::Lookup);
    assert_eq!(k.creates_sent, 1);
}

#[test]
fn fal_without_a_server_key_fails_plainly() {
    let mut e = entry(Provider::Fal);
    e.begin_create().unwrap();
    let body = r#"{"error":"this server has no key for fal (FAL_KEY is not set)","relay":true}"#;
    e.on_create(&Answer::http(503, body), 0.0);
    assert_eq!(e.phase_tag(), "failed");
    let f = e.failure().unwrap();
    assert_eq!(f.charged, Charged::Nothing);
    let text = explain(f, &e.board, Provider::Fal);
    assert!(
        text.starts_with("The app's server could not pass the request on."),
        "{text}"
    );
    assert!(
        text.contains("The server said: “this server has no key for fal"),
        "{text}"
    );
    assert!(text.contains("Nothing was charged"), "{text}");
}

#[test]
fn fal_refusals_are_not_retried() {
    let mut e = entry(Provider::Fal);
    e.begin_create().unwrap();
    e.on_create(&Answer::http(429, r#"{"detail":"rate limited"}"#), 0.0);
    assert_eq!(e.phase_tag(), "failed");
    assert_eq!(e.creates_sent, 1);
}

#[test]
fn replicate_flow() {
    let mut e = entry(Provider::Replicate);
    e.begin_create().unwrap();
    let created = json!({"id": "p1", "status": "starting", "urls": {"get": "https://api.replicate.com/v1/predictions/p1"}});
    e.on_create(&Answer::http(201, created.to_string()), 0.0);
    assert_eq!(e.phase_tag(), "submitted");
    e.on_poll(
        &Answer::http(200, r#"{"id":"p1","status":"processing"}"#),
        0.0,
    );
    e.on_poll(
        &Answer::http(
            200,
            r#"{"id":"p1","status":"succeeded","output":"https://r/o.mp4"}"#,
        ),
        0.0,
    );
    assert_eq!(e.video_url(), Some("https://r/o.mp4"));
    assert_eq!(e.charged_units, None);
}

#[test]
fn leases() {
    let mut e = entry(Provider::Kling);
    assert!(e.may_drive("a", 0));
    e.claim("a", 1_000, 2_000);
    assert!(e.may_drive("a", 1_500));
    assert!(!e.may_drive("b", 1_500));
    assert!(e.may_drive("b", 1_000 + 2_000 + 20_000));
    e.release();
    assert!(e.may_drive("b", 0));
}

#[test]
fn one_running_job_per_board() {
    let mut a = entry(Provider::Kling);
    let b = board(Provider::Kling);
    assert!(busy_with([&a], &b).is_some());
    let mut other = b.clone();
    other.shots[0].prompt = "different".into();
    assert!(busy_with([&a], &other).is_none());
    a.begin_create().unwrap();
    a.on_create(&kling_code(400, 1301, "no"), 0.0);
    assert!(busy_with([&a], &b).is_none(), "a failed job does not block");
}

#[test]
fn clips_are_retried_then_given_up() {
    let mut e = entry(Provider::Kling);
    e.begin_create().unwrap();
    e.on_create(&kling_ok(kling_task("succeed", KEY)), 0.0);
    assert_eq!(e.phase_tag(), "finished");
    for _ in 1..MAX_CLIP_TRIES {
        assert!(e.clip_failed("HTTP 403", 0.0).is_some());
    }
    assert_eq!(e.clip_failed("HTTP 403", 0.0), None);
    assert!(matches!(e.clip, ClipState::Failed { .. }));
    assert_eq!(e.next_action(), Action::Done);
}

#[test]
fn faults_are_placed_where_the_message_says() {
    let mut b = board(Provider::Fal);
    b.references
        .push(Reference::image("mia", "https://x/mia.png"));
    b.references
        .push(Reference::image("tom", "https://x/tom.png"));
    assert_eq!(
        at_fault("bad multi_prompt[1].prompt", &b, Provider::Kling).as_deref(),
        Some("shot 2")
    );
    assert_eq!(
        at_fault("value error at multi_prompt.2.duration", &b, Provider::Fal).as_deref(),
        Some("shot 3")
    );
    assert_eq!(
        at_fault("Shot 1 is too short", &b, Provider::Kling).as_deref(),
        Some("shot 1")
    );
    assert_eq!(at_fault("multi_prompt[9] wrong", &b, Provider::Kling), None);
    assert_eq!(
        at_fault("image_urls.1: cannot fetch", &b, Provider::Fal).as_deref(),
        Some("reference 'tom'")
    );
    assert_eq!(
        at_fault("image_list[0] too small", &b, Provider::Kling).as_deref(),
        Some("reference 'mia'")
    );
    assert_eq!(
        at_fault("@mia is blocked", &b, Provider::Kling).as_deref(),
        Some("reference 'mia'")
    );
    assert_eq!(at_fault("nothing specific", &b, Provider::Kling), None);
}

#[test]
fn failure_texts() {
    let f = Failure {
        category: FailureCategory::Balance,
        scope: Scope::Request,
        http_status: Some(429),
        code: Some("1102".into()),
        message: "resource pack depleted".into(),
        retryable: false,
        charged: Charged::Nothing,
    };
    let b = board(Provider::Kling);
    assert_eq!(
        explain(&f, &b, Provider::Kling),
        "The account has no balance left for this; top up or buy a resource pack. The provider said: “resource pack depleted” (code 1102). Nothing was charged (no credits spent)."
    );
    let g = Failure {
        message: String::new(),
        code: None,
        charged: Charged::Units(3.5),
        ..f
    };
    assert_eq!(
        explain(&g, &b, Provider::Kling),
        "The account has no balance left for this; top up or buy a resource pack. The provider charged 3.5 units."
    );
    assert!(is_duplicate_key(&Failure {
        code: Some("1201".into()),
        message: "external_task_id x already exists".into(),
        ..g.clone()
    }));
    assert!(!is_duplicate_key(&Failure {
        code: Some("1201".into()),
        message: "duration must be 3 to 15".into(),
        ..g
    }));
}

#[test]
fn retry_delays() {
    let d: Vec<u64> = (0..8).map(|a| retry_delay_ms(a, 0.0)).collect();
    assert_eq!(
        d,
        [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]
    );
    assert_eq!(retry_delay_ms(0, 1.0), 1_200);
    assert_eq!(retry_delay_ms(0, f64::NAN), 1_000);
    // At the cap the jitter goes below it, so retries do not stay in step.
    assert_eq!(retry_delay_ms(u32::MAX, 1.0), 24_000);
    assert_eq!(retry_delay_ms(u32::MAX, 0.0), 30_000);
}

#[test]
fn phase_tags_match_the_serde_names() {
    let mut e = entry(Provider::Kling);
    for _ in 0..3 {
        let v = serde_json::to_value(&e.job).unwrap();
        assert_eq!(v["phase"]["phase"], e.phase_tag());
        let _ = e.begin_create();
        e.job.phase = match e.job.phase.clone() {
            Phase::SubmitUnknown => Phase::Submitted {
                remote_id: "t".into(),
            },
            p => p,
        };
    }
}

#[test]
fn a_blocked_output_reads_as_content_safety() {
    let mut e = entry(Provider::Kling);
    e.begin_create().unwrap();
    e.on_create(&kling_ok(kling_task("submitted", KEY)), 0.0);
    let mut task = kling_task("failed", KEY);
    task["task_status_msg"] = json!("Failure to pass the risk control system");
    e.on_poll(&kling_ok(task), 0.0);
    let f = e.failure().unwrap();
    assert_eq!(f.category, FailureCategory::ContentSafety);
    assert!(explain(f, &e.board, Provider::Kling).contains("content safety"));
    let plain = Failure {
        category: FailureCategory::Unknown,
        scope: Scope::Task,
        http_status: None,
        code: None,
        message: "something odd".into(),
        retryable: false,
        charged: Charged::Unknown,
    };
    assert_eq!(
        storyreel_core::journal::task_category(&plain),
        FailureCategory::Unknown
    );
}

#[test]
fn notes_read_as_sentences() {
    let mut e = entry(Provider::Kling);
    e.begin_create().unwrap();
    e.on_create(
        &kling_code(429, 1303, "parallel task over resource pack limit"),
        0.0,
    );
    let note = e.note.clone().unwrap();
    assert!(
        note.contains("(code 1303). Sending it again") || note.contains("(1303). Sending it again"),
        "{note}"
    );
}

// ---- Kling's current design: the create path tells the design ----

const CURRENT_PATH: &str = "/omni-video/kling-3.0-omni";

fn current_entry() -> Entry {
    let e = Entry::new(
        Job::new(KEY.into(), Provider::Kling, 1_000),
        board(Provider::Kling),
        CURRENT_PATH.into(),
    );
    assert_eq!(e.kling_api(), KlingApi::Current);
    e
}

/// A task of the current design, as `GET /tasks` lists it.
fn current_task(status: &str, key: &str) -> serde_json::Value {
    let mut task = json!({
        "id": "t1", "status": status, "message": "", "external_id": key,
        "create_time": 1, "update_time": 2, "outputs": [], "billing": []
    });
    if status == "succeeded" {
        task["outputs"] = json!([{"type": "video", "id": "v", "url": "https://cdn/c.mp4",
            "watermark_url": "https://cdn/c_wm.mp4", "duration": "8.041"}]);
        task["billing"] = json!([{"charge_type": "unit", "amount": "15", "package_type": "video"}]);
    }
    if status == "failed" {
        task["message"] = json!("the output was flagged");
    }
    task
}

/// The create answer of the current design.
fn current_created(status: &str) -> Answer {
    kling_ok(
        json!({"id": "t1", "status": status, "create_time": 1, "update_time": 1, "external_id": KEY}),
    )
}

fn tasks(list: Vec<serde_json::Value>) -> Answer {
    kling_ok(json!(list))
}

#[test]
fn current_happy_path_with_outputs_and_billing() {
    let mut e = current_entry();
    assert_eq!(e.next_action(), Action::Create);
    e.begin_create().unwrap();
    assert_eq!(e.on_create(&current_created("submitted"), 0.0), 2_000);
    assert_eq!(e.phase_tag(), "submitted");
    assert_eq!(e.job.remote_id(), Some("t1"));
    assert_eq!(e.next_action(), Action::Poll);
    assert_eq!(
        e.on_poll(&tasks(vec![current_task("submitted", KEY)]), 0.0),
        4_000
    );
    assert_eq!(e.phase_tag(), "submitted");
    assert_eq!(
        e.on_poll(&tasks(vec![current_task("processing", KEY)]), 0.0),
        8_000
    );
    assert_eq!(e.phase_tag(), "running");
    assert_eq!(
        e.on_poll(&tasks(vec![current_task("succeeded", KEY)]), 0.0),
        0
    );
    assert_eq!(e.phase_tag(), "finished");
    assert_eq!(
        e.next_action(),
        Action::SaveClip("https://cdn/c.mp4".into())
    );
    assert_eq!(e.charged_units, Some(15.0));
    assert_eq!(e.charged_cash, None);
    assert_eq!(e.charge(), Some(Charge::units(15.0)));
    e.estimate = Some("$2.10 · 15 units".into());
    assert_eq!(
        charge_text(e.charge().as_ref(), e.estimate.as_deref()),
        "The provider charged 15 units. Estimated $2.10 · 15 units."
    );
    e.clip_saved();
    assert_eq!(e.next_action(), Action::Done);
    let take = Take::of(&e, 5, 10).unwrap();
    assert_eq!(take.video_url, "https://cdn/c.mp4");
    assert_eq!(take.charge(), Some(Charge::units(15.0)));
    assert_eq!(e.creates_sent, 1);
}

#[test]
fn current_answers_are_read_by_the_current_reader_only() {
    // The legacy create answer on a current job is unreadable: the answer
    // counts as lost and the job is looked up, never failed or re-sent.
    let mut e = current_entry();
    e.begin_create().unwrap();
    assert_eq!(
        e.on_create(&kling_ok(kling_task("submitted", KEY)), 0.0),
        1_000
    );
    assert_eq!(e.phase_tag(), "submit_unknown");
    assert_eq!(e.next_action(), Action::Lookup);
    // And the current answer on a legacy job likewise.
    let mut l = entry(Provider::Kling);
    assert_eq!(l.kling_api(), KlingApi::Legacy);
    l.begin_create().unwrap();
    assert_eq!(l.on_create(&current_created("submitted"), 0.0), 1_000);
    assert_eq!(l.next_action(), Action::Lookup);
}

#[test]
fn current_cash_charge_is_recorded_with_its_currency() {
    let mut e = current_entry();
    e.begin_create().unwrap();
    e.on_create(&current_created("submitted"), 0.0);
    let mut done = current_task("succeeded", KEY);
    done["billing"] = json!([{"charge_type": "cash", "cash_type": "balance", "amount": "0.56",
        "currency": "USD", "list_price": "0.70"}]);
    e.on_poll(&tasks(vec![done]), 0.0);
    assert_eq!(e.phase_tag(), "finished");
    assert_eq!(e.charged_units, None, "no units were spent");
    let cash = e.charged_cash.unwrap();
    assert_eq!(cash.amount, 0.56);
    assert_eq!(cash.currency.map(|c| c.to_string()).as_deref(), Some("USD"));
    assert_eq!(
        charge_text(e.charge().as_ref(), Some("$0.70 · 5 units")),
        "The provider charged 0.56 USD. Estimated $0.70 · 5 units."
    );
    assert_eq!(Take::of(&e, 1, 1).unwrap().charged_cash, Some(cash));
    // The entry survives the journal with its cash charge.
    let back: Entry = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
    assert_eq!(back.charge(), e.charge());
}

#[test]
fn current_task_fails_with_klings_message_and_no_charge() {
    let mut e = current_entry();
    e.begin_create().unwrap();
    e.on_create(&current_created("submitted"), 0.0);
    let mut failed = current_task("failed", KEY);
    failed["message"] = json!("Failure to pass the risk control system");
    assert_eq!(e.on_poll(&tasks(vec![failed]), 0.0), 0);
    assert_eq!(e.phase_tag(), "failed");
    let f = e.failure().unwrap();
    assert_eq!(f.category, FailureCategory::ContentSafety);
    assert_eq!(f.charged, Charged::Nothing);
    let text = explain(f, &e.board, Provider::Kling);
    assert!(
        text.contains("Failure to pass the risk control system"),
        "{text}"
    );
    assert!(text.contains("Nothing was charged"), "{text}");
    assert_eq!(e.charge(), None);
    assert_eq!(e.next_action(), Action::Done);
}

#[test]
fn current_lost_create_is_found_by_its_key() {
    for lost in [
        net(),
        Answer::http(
            502,
            r#"{"error":"Kling's answer was cut off","relay":true}"#,
        ),
        Answer::http(
            504,
            r#"{"error":"Kling did not answer in time","relay":true}"#,
        ),
        Answer::http(502, "<html><body>502 Bad Gateway</body></html>"),
    ] {
        let mut e = current_entry();
        e.begin_create().unwrap();
        assert_eq!(e.on_create(&lost, 0.0), 1_000, "{lost:?}");
        assert_eq!(e.next_action(), Action::Lookup, "{lost:?}");
        let found = tasks(vec![current_task("processing", KEY)]);
        assert_eq!(e.on_lookup(&found, 0.0), 2_000);
        assert_eq!(e.phase_tag(), "running");
        assert_eq!(e.job.remote_id(), Some("t1"));
        assert_eq!(e.creates_sent, 1, "never sent twice");
    }
}

#[test]
fn current_job_not_visible_then_found() {
    let mut e = current_entry();
    e.begin_create().unwrap();
    e.on_create(&net(), 0.0);
    let empty = tasks(vec![]);
    assert_eq!(e.on_lookup(&empty, 0.0), retry_delay_ms(1, 0.0));
    assert_eq!(
        e.next_action(),
        Action::Lookup,
        "looked up again, not re-sent"
    );
    assert!(e
        .note
        .as_deref()
        .unwrap()
        .contains("does not show the job yet"));
    assert_eq!(e.on_lookup(&empty, 0.0), retry_delay_ms(2, 0.0));
    e.on_lookup(&tasks(vec![current_task("submitted", KEY)]), 0.0);
    assert_eq!(e.phase_tag(), "submitted");
    assert_eq!(e.unseen_lookups, 0);
    assert_eq!(e.creates_sent, 1);
}

#[test]
fn current_job_never_visible_is_sent_again_with_the_same_key() {
    let mut e = current_entry();
    e.begin_create().unwrap();
    e.on_create(&net(), 0.0);
    let mut waits = Vec::new();
    for _ in 0..MAX_UNSEEN_LOOKUPS {
        assert_eq!(e.next_action(), Action::Lookup);
        waits.push(e.on_lookup(&tasks(vec![]), 0.0));
    }
    assert_eq!(waits, [2_000, 4_000, 8_000, 16_000, 0]);
    assert_eq!(e.next_action(), Action::Create);
    e.begin_create().unwrap();
    assert_eq!(e.creates_sent, 2);
    assert_eq!(e.key(), KEY, "the same key, never a new one");
    assert_eq!(e.unseen_lookups, 0);
    // Lost again: the lookups start over.
    e.on_create(&net(), 0.0);
    assert_eq!(e.on_lookup(&tasks(vec![]), 0.0), 2_000);
    assert_eq!(e.next_action(), Action::Lookup);
    // A task with another key is not this job.
    e.on_lookup(
        &tasks(vec![current_task("processing", "storyreel-other")]),
        0.0,
    );
    assert_eq!(e.phase_tag(), "submit_unknown");
    e.on_lookup(&tasks(vec![current_task("processing", KEY)]), 0.0);
    assert_eq!(e.phase_tag(), "running");
}

#[test]
fn current_resending_is_bounded() {
    let mut e = current_entry();
    for _ in 0..100 {
        match e.next_action() {
            Action::Create => {
                e.begin_create().unwrap();
                e.on_create(&net(), 0.0);
            }
            Action::Lookup => {
                e.on_lookup(&tasks(vec![]), 0.0);
            }
            _ => break,
        }
    }
    assert_eq!(e.phase_tag(), "failed");
    assert_eq!(e.creates_sent, MAX_CREATE_RETRIES + 1);
    assert_eq!(e.failure().unwrap().charged, Charged::Unknown);
}

#[test]
fn current_duplicate_key_leads_to_a_lookup() {
    let mut e = current_entry();
    e.begin_create().unwrap();
    e.on_create(&net(), 0.0);
    for _ in 0..MAX_UNSEEN_LOOKUPS {
        e.on_lookup(&tasks(vec![]), 0.0);
    }
    assert_eq!(e.next_action(), Action::Create);
    e.begin_create().unwrap();
    // It had arrived after all.
    let dup = kling_code(
        400,
        1201,
        &format!("options.external_task_id value '{KEY}' already exists"),
    );
    assert_eq!(e.on_create(&dup, 0.0), 0);
    assert_eq!(e.phase_tag(), "submit_unknown");
    assert_eq!(e.next_action(), Action::Lookup);
    e.on_lookup(&tasks(vec![current_task("processing", KEY)]), 0.0);
    assert_eq!(e.phase_tag(), "running");
    assert_eq!(e.creates_sent, 2);
}

#[test]
fn current_passing_refusals_are_sent_again() {
    let mut e = current_entry();
    e.begin_create().unwrap();
    let wait = e.on_create(
        &kling_code(429, 1303, "parallel task over resource pack limit"),
        0.0,
    );
    assert_eq!(wait, 1_000);
    assert_eq!(e.next_action(), Action::Create);
    e.begin_create().unwrap();
    assert_eq!(
        e.on_create(&kling_code(500, 5000, "internal error"), 0.0),
        2_000
    );
    e.begin_create().unwrap();
    e.on_create(&current_created("submitted"), 0.0);
    assert_eq!(e.phase_tag(), "submitted");
    assert_eq!(e.creates_sent, 3);
    // A refusal that does not pass fails at once, with nothing charged.
    let mut r = current_entry();
    r.begin_create().unwrap();
    r.on_create(
        &kling_code(400, 1201, "settings.resolution value '9000p' is invalid"),
        0.0,
    );
    assert_eq!(r.phase_tag(), "failed");
    assert_eq!(r.failure().unwrap().charged, Charged::Nothing);
    assert_eq!(r.creates_sent, 1);
}

#[test]
fn current_empty_polls_keep_polling() {
    let mut e = current_entry();
    e.begin_create().unwrap();
    e.on_create(&current_created("submitted"), 0.0);
    let w1 = e.on_poll(&tasks(vec![]), 0.0);
    let w2 = e.on_poll(&tasks(vec![]), 0.0);
    assert_eq!((w1, w2), (4_000, 8_000), "the poll backoff");
    assert_eq!(e.phase_tag(), "submitted", "not failed");
    assert_eq!(e.next_action(), Action::Poll);
    assert!(e
        .note
        .as_deref()
        .unwrap()
        .contains("does not show the job yet"));
    e.on_poll(&tasks(vec![current_task("processing", KEY)]), 0.0);
    assert_eq!(e.phase_tag(), "running");
    assert_eq!(e.unseen_polls, 0);
    assert!(e.note.is_none());
    // Only a long run of them gives the job up, saying nothing of a charge.
    for i in 1..MAX_UNSEEN_POLLS {
        e.on_poll(&tasks(vec![]), 0.0);
        assert_eq!(e.phase_tag(), "running", "after {i}");
    }
    e.on_poll(&tasks(vec![]), 0.0);
    assert_eq!(e.phase_tag(), "failed");
    assert_eq!(e.failure().unwrap().charged, Charged::Unknown);
}

#[test]
fn current_failed_polls_back_off() {
    let mut e = current_entry();
    e.begin_create().unwrap();
    e.on_create(&current_created("submitted"), 0.0);
    assert_eq!(e.on_poll(&kling_code(429, 1302, "too fast"), 0.0), 4_000);
    assert_eq!(e.on_poll(&net(), 0.0), 4_000);
    assert_eq!(e.on_poll(&Answer::http(200, "{}"), 0.0), 8_000);
    assert_eq!(e.phase_tag(), "submitted");
    assert_eq!(e.poll_errors, 3);
}

#[test]
fn a_job_keeps_the_design_it_was_created_on() {
    // A legacy job: an empty list means the create never arrived, and it
    // is sent again at once, as before.
    let mut l = entry(Provider::Kling);
    l.begin_create().unwrap();
    l.on_create(&net(), 0.0);
    assert_eq!(l.on_lookup(&kling_ok(json!([])), 0.0), 0);
    assert_eq!(l.next_action(), Action::Create);
    // A legacy entry journaled before the current design existed reads
    // back without the new fields, and keeps its legacy path.
    let mut old = serde_json::to_value(entry(Provider::Kling)).unwrap();
    for field in ["charged_cash", "unseen_lookups", "unseen_polls"] {
        assert!(
            old.as_object_mut().unwrap().remove(field).is_some(),
            "{field}"
        );
    }
    let mut old: Entry = serde_json::from_value(old).unwrap();
    assert_eq!(old.kling_api(), KlingApi::Legacy);
    old.begin_create().unwrap();
    old.on_create(&kling_ok(kling_task("submitted", KEY)), 0.0);
    old.on_poll(&kling_ok(kling_task("succeed", KEY)), 0.0);
    assert_eq!(old.video_url(), Some("https://cdn/v.mp4"));
    assert_eq!(old.charge(), Some(Charge::units(6.4)));
    // A current entry read back mid-lookup resumes looking.
    let mut c = current_entry();
    c.begin_create().unwrap();
    c.on_create(&net(), 0.0);
    c.on_lookup(&tasks(vec![]), 0.0);
    let back: Entry = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
    assert_eq!(back.next_action(), Action::Lookup);
    assert_eq!(back.unseen_lookups, 1);
}

#[test]
fn faults_in_the_current_designs_messages() {
    let b = board(Provider::Kling);
    assert_eq!(
        at_fault("shot 2 words exceed 512 characters", &b, Provider::Kling).as_deref(),
        Some("shot 2")
    );
    // A quoted shot list is not a shot being named; a later one is.
    assert_eq!(
        at_fault(
            "prompt 'shot 1, 3, wide; shot 2, 2, waves' is invalid",
            &b,
            Provider::Kling
        ),
        None
    );
    assert_eq!(
        at_fault(
            "in 'shot 1, 3, wide': shot 3 is too short",
            &b,
            Provider::Kling
        )
        .as_deref(),
        Some("shot 3")
    );
    assert_eq!(at_fault("shot 7 is too short", &b, Provider::Kling), None);
}

#[test]
fn charges_in_plain_words() {
    let usd = Currency::parse("USD");
    let cash = |amount: f64, currency| Cash { amount, currency };
    assert_eq!(charge_short(&Charge::units(8.4)), "8.4 units");
    assert_eq!(
        charge_short(&Charge {
            units: 0.0,
            cash: Some(cash(1.2, usd))
        }),
        "1.20 USD"
    );
    assert_eq!(
        charge_short(&Charge {
            units: 15.0,
            cash: Some(cash(0.084, usd))
        }),
        "15 units and 0.084 USD"
    );
    assert_eq!(cash_text(cash(3.0, None)), "3.00 (currency not stated)");
    assert_eq!(
        charge_text(Some(&Charge::units(0.0)), None),
        "Nothing was charged (0 units)."
    );
    assert_eq!(
        charge_text(None, Some("$1.12 · 8 units")),
        "The provider did not report a charge. Estimated $1.12 · 8 units."
    );
    let f = Failure {
        category: FailureCategory::Unknown,
        scope: Scope::Task,
        http_status: None,
        code: None,
        message: String::new(),
        retryable: false,
        charged: Charged::Cash(cash(0.3, Currency::parse("CNY"))),
    };
    assert!(explain(&f, &board(Provider::Kling), Provider::Kling)
        .ends_with("The provider charged 0.30 CNY."));
}
