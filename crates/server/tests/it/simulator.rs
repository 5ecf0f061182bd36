//! The Kling relay in front of the built-in simulator, driven through the
//! server's router as the browser would: create, poll, list, the video
//! file, Kling's errors, injected faults. Every answer is also read with
//! the core's Kling parsers, so the simulator and the app agree.

use std::time::Duration;

use crate::common;

use common::sim_api as api;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use common::sim_call::{call, Answer, HOST};
use common::three_shots;
use serde_json::{json, Value};
use storyreel_core::response::kling::{parse_create, parse_list, parse_query, Listing};
use storyreel_core::response::{Charged, FailureCategory, JobState, Submission};
use storyreel_server::sim::SimConfig;
use tower::ServiceExt;

fn quick() -> SimConfig {
    SimConfig {
        submit_ms: 40,
        process_ms: 80,
        max_concurrent: 3,
        control: true,
    }
}

/// A call without the simulator's key: the relay in front of it adds
/// its own.
async fn send(app: &Router, method: &str, uri: &str, body: Option<Value>) -> Answer {
    call(app, method, uri, None, body.as_ref()).await
}

const CREATE: &str = "/api/kling/v1/videos/omni-video";

async fn create(app: &Router, key: &str) -> String {
    let a = send(app, "POST", CREATE, Some(three_shots(key))).await;
    match parse_create(a.status, &a.text()) {
        Ok(Submission::Accepted(t)) => {
            assert_eq!(t.external_id.as_deref(), Some(key));
            t.remote_id
        }
        other => panic!("create not accepted: {other:?} ({})", a.text()),
    }
}

/// Polls until the task is done, at most 100 times.
async fn until_done(app: &Router, id: &str) -> JobState {
    for _ in 0..100 {
        let a = send(app, "GET", &format!("{CREATE}/{id}"), None).await;
        let state = parse_query(a.status, &a.text()).expect("query parses");
        if state.is_done() {
            return state;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("task {id} never finished");
}

#[tokio::test]
async fn a_task_runs_to_a_playable_video() {
    let app = api(quick());
    let id = create(&app, "storyreel-one").await;

    let first = send(&app, "GET", &format!("{CREATE}/{id}"), None).await;
    assert_eq!(first.json()["data"]["task_status"], "submitted");

    let state = until_done(&app, &id).await;
    let JobState::Succeeded {
        video_url,
        duration_seconds,
        charged,
    } = state
    else {
        panic!("not a success: {state:?}");
    };
    assert_eq!(duration_seconds, Some(8.0));
    // Omni std, no sound: 0.6 units a second.
    let units = charged.expect("charge reported").units;
    assert!((units - 4.8).abs() < 1e-9, "{units}");
    let path = video_url
        .strip_prefix(&format!("http://{HOST}"))
        .expect("the video is on the host the browser used");
    assert_eq!(path, format!("/sim/kling/videos/{id}.mp4"));

    let video = send(&app, "GET", path, None).await;
    assert_eq!(video.status, 200, "{}", video.text());
    assert_eq!(video.headers[header::CONTENT_TYPE], "video/mp4");
    assert_eq!(&video.bytes()[4..8], b"ftyp");
    assert!(video.bytes().len() > 1_000);

    // Range requests work (the browser seeks with them).
    let res = app
        .clone()
        .oneshot(
            Request::builder()
                .uri(path)
                .header(header::RANGE, "bytes=0-99")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("answer");
    assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT);
}

#[tokio::test]
async fn an_unfinished_task_has_no_video() {
    let app = api(SimConfig {
        submit_ms: 60_000,
        ..quick()
    });
    let id = create(&app, "storyreel-slow").await;
    let a = send(&app, "GET", &format!("/sim/kling/videos/{id}.mp4"), None).await;
    assert_eq!(a.status, 404);
}

#[tokio::test]
async fn a_second_create_with_the_same_key_is_refused() {
    let app = api(quick());
    create(&app, "storyreel-twice").await;
    let again = send(&app, "POST", CREATE, Some(three_shots("storyreel-twice"))).await;
    assert_eq!(again.status, 400);
    assert_eq!(again.json()["code"], 1201);
    assert!(again.text().contains("already exists"));
    let stats = send(&app, "GET", "/sim/kling/control/stats", None).await;
    assert_eq!(stats.json()["tasks"], 1);
    assert_eq!(stats.json()["creates_seen"], 2);
}

#[tokio::test]
async fn the_concurrency_limit_is_klings_1303() {
    let app = api(SimConfig {
        max_concurrent: 1,
        submit_ms: 60_000,
        ..quick()
    });
    create(&app, "storyreel-a").await;
    let second = send(&app, "POST", CREATE, Some(three_shots("storyreel-b"))).await;
    assert_eq!(second.status, 429);
    let Ok(Submission::Refused(f)) = parse_create(second.status, &second.text()) else {
        panic!("not refused: {}", second.text());
    };
    assert_eq!(f.category, FailureCategory::Concurrency);
    assert!(f.retryable);
    assert_eq!(f.message, "parallel task over resource pack limit");
}

#[tokio::test]
async fn invalid_requests_get_klings_code_and_a_clear_message() {
    let app = api(quick());
    let mut body = three_shots("storyreel-bad");
    body["duration"] = json!("9");
    let a = send(&app, "POST", CREATE, Some(body)).await;
    assert_eq!(a.status, 400);
    assert_eq!(a.json()["code"], 1201);
    assert!(
        a.text().contains("add up to 8 s but duration is 9 s"),
        "{}",
        a.text()
    );
}

#[tokio::test]
async fn injected_faults_apply_in_order() {
    let app = api(quick());
    let plan = json!({"create": [
        {"kind": "code", "code": 5000},
        {"kind": "code", "code": 1301},
    ]});
    assert_eq!(
        send(&app, "POST", "/sim/kling/control/faults", Some(plan))
            .await
            .status,
        204
    );

    let a = send(&app, "POST", CREATE, Some(three_shots("storyreel-f"))).await;
    assert_eq!((a.status, a.json()["code"].as_i64()), (500, Some(5000)));
    let Ok(Submission::Refused(f)) = parse_create(a.status, &a.text()) else {
        panic!("not refused");
    };
    assert!(f.retryable);

    let b = send(&app, "POST", CREATE, Some(three_shots("storyreel-f"))).await;
    let Ok(Submission::Refused(f)) = parse_create(b.status, &b.text()) else {
        panic!("not refused");
    };
    assert_eq!(f.category, FailureCategory::ContentSafety);
    assert_eq!(f.charged, Charged::Nothing);

    // The queue is empty now: the same key goes through.
    create(&app, "storyreel-f").await;
}

#[tokio::test]
async fn a_dropped_answer_leaves_a_task_the_list_finds() {
    let app = api(quick());
    let plan = json!({"create": [{"kind": "drop"}]});
    send(&app, "POST", "/sim/kling/control/faults", Some(plan)).await;
    let lost = send(&app, "POST", CREATE, Some(three_shots("storyreel-lost"))).await;
    assert_eq!(lost.status, 502);
    assert!(lost.bytes().is_empty());

    let list = send(
        &app,
        "GET",
        &format!("{CREATE}?pageNum=1&pageSize=50"),
        None,
    )
    .await;
    let listing = parse_list(list.status, &list.text()).expect("list parses");
    assert!(matches!(listing, Listing::Tasks(_)), "{}", list.text());
    let found = listing
        .find_by_key("storyreel-lost")
        .expect("the task exists");
    // The retry with the same key is refused, so nothing runs twice.
    let again = send(&app, "POST", CREATE, Some(three_shots("storyreel-lost"))).await;
    assert_eq!(again.json()["code"], 1201);
    assert!(!found.remote_id.is_empty());
}

#[tokio::test]
async fn a_task_can_fail_while_generating_and_charges_nothing() {
    let app = api(quick());
    let plan =
        json!({"create": [{"kind": "fail_task", "message": "Output blocked by content safety"}]});
    send(&app, "POST", "/sim/kling/control/faults", Some(plan)).await;
    let id = create(&app, "storyreel-unsafe").await;
    let JobState::Failed { reason } = until_done(&app, &id).await else {
        panic!("did not fail");
    };
    assert!(
        reason.message.contains("content safety"),
        "{}",
        reason.message
    );
    // The task existed, so Kling reports its deduction: zero.
    assert_eq!(reason.charged, Charged::Units(0.0));
}

#[tokio::test]
async fn the_simulator_checks_klings_token() {
    let app = api(quick());
    // Straight to the simulator, without the relay's signature.
    let a = send(
        &app,
        "POST",
        "/sim/kling/v1/videos/omni-video",
        Some(three_shots("k")),
    )
    .await;
    assert_eq!((a.status, a.json()["code"].as_i64()), (401, Some(1001)));
}

#[tokio::test]
async fn list_pages_are_checked() {
    let app = api(quick());
    let a = send(&app, "GET", &format!("{CREATE}?pageNum=0"), None).await;
    assert_eq!(a.status, 400);
    assert!(
        a.text().contains("pageNum must be 1 to 1000"),
        "{}",
        a.text()
    );
}

#[tokio::test]
async fn the_relay_forwards_only_video_task_calls() {
    let app = api(quick());
    let a = send(&app, "GET", "/api/kling/account/costs", None).await;
    assert_eq!(a.status, 404);
    assert_eq!(a.json()["relay"], true);
}

#[tokio::test]
async fn status_says_kling_is_simulated() {
    let app = api(quick());
    let a = send(&app, "GET", "/api/status", None).await;
    assert_eq!(a.json()["simulator"], true);
    assert_eq!(a.json()["providers"]["kling"]["simulated"], true);
    assert_eq!(a.json()["providers"]["fal"]["ready"], false);
}
