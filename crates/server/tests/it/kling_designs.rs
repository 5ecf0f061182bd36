//! Kling's two designs and two credentials, against a loopback stand-in
//! for Kling's host (`KLING_BASE_URL`): an API key goes upstream as
//! `Bearer <key>` on both designs; a key pair goes as a JWT on the legacy
//! design and a current-design path is refused by the relay itself;
//! `/api/status` says which credential and design, and why; and the relay
//! forwards Kling's calls with their methods and nothing else.

use crate::common;

use axum::response::{IntoResponse, Response};
use common::*;
use serde_json::{json, Value};
use storyreel_core::options::KlingApi;
use storyreel_server::api::Api;
use storyreel_server::config::{Keys, Secret};
use storyreel_server::kling_token;
use storyreel_server::sim::SimConfig;

const API_KEY: &str = "kk-test-3c1e9a";
const AK: &str = "ak-test-77";
const SK: &str = "sk-test-88";

fn ok_json(_: &str) -> Response {
    (
        [("content-type", "application/json")],
        r#"{"code":0,"message":"SUCCEED","data":{}}"#,
    )
        .into_response()
}

/// A server whose keys come from `env` (plus `KLING_BASE_URL` = `base`)
/// and `--kling-api` = `flag`, as `serve` loads them.
async fn server(base: &str, env: &[(&str, &str)], flag: Option<KlingApi>) -> (String, Value) {
    let mut all: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    all.push(("KLING_BASE_URL".into(), base.to_string()));
    let keys = Keys::load_with(
        None,
        |name| all.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
        flag,
    )
    .expect("keys load");
    let dist = dist();
    let api = Api::new(keys, SimConfig::default()).expect("api");
    let url = serve_api(api, dist.path()).await;
    // The dist directory is read at start-up only.
    drop(dist);
    let status = json_of(
        client()
            .get(format!("{url}/api/status"))
            .send()
            .await
            .expect("status"),
    )
    .await;
    (url, status)
}

/// The `Authorization` each call upstream carried, by method and path.
fn authorizations(seen: &Seen) -> Vec<(String, String, String)> {
    seen.lock()
        .expect("lock")
        .iter()
        .map(|(m, p, h)| {
            let auth = h
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            (m.clone(), p.clone(), auth)
        })
        .collect()
}

fn current_create_body() -> Value {
    json!({
        "contents": [{"type": "prompt", "text": "shot 1, 3, A lighthouse at dusk; shot 2, 2, Waves;"}],
        "settings": {"multi_shot": true, "resolution": "720p", "aspect_ratio": "16:9", "duration": 5, "audio": "off"},
        "options": {"external_task_id": "job-1", "watermark_info": {"enabled": false}}
    })
}

#[tokio::test]
async fn an_api_key_goes_upstream_as_bearer_on_both_designs_and_wins_over_a_pair() {
    let (up, seen) = recording(ok_json).await;
    let (url, status) = server(
        &format!("http://{up}"),
        &[
            ("KLING_API_KEY", API_KEY),
            ("KLING_ACCESS_KEY", AK),
            ("KLING_SECRET_KEY", SK),
        ],
        None,
    )
    .await;
    assert_eq!(status["kling"]["credential"], "api_key", "{status}");
    assert_eq!(status["kling"]["api"], "current", "{status}");
    let reason = status["kling"]["reason"].as_str().unwrap_or("");
    assert!(reason.contains("API key"), "{reason}");
    assert!(!status.to_string().contains(API_KEY), "{status}");

    let c = client();
    let calls = [
        c.post(format!("{url}/api/kling/omni-video/kling-3.0-omni"))
            .body((current_create_body()).to_string()),
        c.get(format!("{url}/api/kling/tasks?task_ids=81,82")),
        c.post(format!("{url}/api/kling/v1/videos/omni-video"))
            .body((three_shots("job-2")).to_string()),
        c.get(format!("{url}/api/kling/v1/videos/omni-video/81")),
    ];
    for call in calls {
        let res = call.send().await.expect("answer");
        assert_eq!(res.status(), 200);
    }
    let bearer = format!("Bearer {API_KEY}");
    let got = authorizations(&seen);
    let expected = [
        ("POST", "/omni-video/kling-3.0-omni"),
        ("GET", "/tasks?task_ids=81,82"),
        ("POST", "/v1/videos/omni-video"),
        ("GET", "/v1/videos/omni-video/81"),
    ];
    assert_eq!(got.len(), expected.len(), "{got:?}");
    for ((m, p, auth), (em, ep)) in got.iter().zip(expected) {
        assert_eq!((m.as_str(), p.as_str()), (em, ep));
        assert_eq!(auth, &bearer, "{m} {p}");
    }
}

#[tokio::test]
async fn the_design_asked_for_with_an_api_key_is_said_and_both_designs_still_pass() {
    let (up, seen) = recording(ok_json).await;
    let (url, status) = server(
        &format!("http://{up}"),
        &[("KLING_API_KEY", API_KEY), ("KLING_API", "current")],
        Some(KlingApi::Legacy),
    )
    .await;
    assert_eq!(status["kling"]["credential"], "api_key");
    assert_eq!(status["kling"]["api"], "legacy");
    assert_eq!(status["kling"]["reason"], "chosen with --kling-api legacy");
    let res = client()
        .post(format!("{url}/api/kling/omni-video/kling-3.0-omni"))
        .body((current_create_body()).to_string())
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    let got = authorizations(&seen);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].2, format!("Bearer {API_KEY}"));
}

#[tokio::test]
async fn a_key_pair_signs_legacy_calls_and_current_paths_are_refused_here() {
    let (up, seen) = recording(ok_json).await;
    let (url, status) = server(
        &format!("http://{up}"),
        &[("KLING_ACCESS_KEY", AK), ("KLING_SECRET_KEY", SK)],
        None,
    )
    .await;
    assert_eq!(status["kling"]["credential"], "access_key_pair", "{status}");
    assert_eq!(status["kling"]["api"], "legacy", "{status}");
    assert_eq!(
        status["kling"]["reason"],
        "only an access key / secret key pair is set, and Kling's current design accepts only API keys, so the legacy design is used"
    );
    for secret in [AK, SK] {
        assert!(!status.to_string().contains(secret), "{status}");
    }

    let c = client();
    let res = c
        .post(format!("{url}/api/kling/v1/videos/omni-video"))
        .body((three_shots("job-3")).to_string())
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    let got = authorizations(&seen);
    assert_eq!(got.len(), 1, "{got:?}");
    let token = got[0].2.strip_prefix("Bearer ").expect("a bearer");
    let claims = kling_token::verify_at(token, AK, &Secret::new(SK), kling_token::now_secs())
        .expect("a JWT signed with the pair");
    assert_eq!(claims.iss, AK);

    for call in [
        c.post(format!("{url}/api/kling/omni-video/kling-3.0-omni"))
            .body((current_create_body()).to_string()),
        c.get(format!("{url}/api/kling/tasks?external_task_ids=job-1")),
        c.post(format!("{url}/api/kling/tasks"))
            .body((json!({"limit": 10})).to_string()),
    ] {
        let res = call.send().await.expect("answer");
        assert_eq!(res.status(), 400);
        let body = json_of(res).await;
        assert_eq!(body["relay"], true, "{body}");
        let msg = body["error"].as_str().unwrap_or("");
        assert!(
            msg.contains("legacy design")
                && msg.contains("accepts only an API key")
                && msg.contains("KLING_API_KEY"),
            "{msg}"
        );
    }
    assert_eq!(seen_count(&seen), 1, "nothing more was forwarded");
}

#[tokio::test]
async fn with_no_keys_the_status_names_the_simulator_and_its_design() {
    let (url, status) = server("http://127.0.0.1:9", &[], None).await;
    assert_eq!(status["simulator"], true);
    assert_eq!(status["kling"]["credential"], "none");
    assert_eq!(status["kling"]["api"], "current");
    assert_eq!(
        status["kling"]["reason"],
        "no Kling keys: the built-in simulator, on the current design"
    );
    drop(url);
    let (_, status) = server("http://127.0.0.1:9", &[("KLING_API", "legacy")], None).await;
    assert_eq!(status["kling"]["api"], "legacy");
    assert!(
        status["kling"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("simulator") && r.contains("KLING_API=legacy")),
        "{status}"
    );
}

#[tokio::test]
async fn the_relay_forwards_each_kling_call_with_its_methods_and_nothing_else() {
    let (up, seen) = recording(ok_json).await;
    let (url, _) = server(&format!("http://{up}"), &[("KLING_API_KEY", API_KEY)], None).await;
    let c = client();
    let allowed: &[(&str, &str)] = &[
        ("POST", "/omni-video/kling-3.0-omni"),
        ("GET", "/tasks?task_ids=1,2"),
        ("GET", "/tasks?external_task_ids=a,b"),
        ("POST", "/tasks"),
        ("POST", "/v1/videos/omni-video"),
        ("GET", "/v1/videos/omni-video?pageNum=1&pageSize=30"),
        ("GET", "/v1/videos/omni-video/81"),
        ("GET", "/v1/videos/image2video/81"),
        ("POST", "/v1/general/advanced-custom-elements"),
        (
            "GET",
            "/v1/general/advanced-custom-elements?pageNum=1&pageSize=10",
        ),
        ("GET", "/v1/general/advanced-custom-elements/771"),
        ("GET", "/v1/general/advanced-presets-elements"),
        ("POST", "/v1/general/delete-advanced-elements"),
        ("POST", "/v1/general/custom-voices"),
        ("GET", "/v1/general/custom-voices"),
        ("GET", "/v1/general/custom-voices/v_9"),
        ("GET", "/v1/general/presets-voices"),
        ("POST", "/v1/general/delete-voices"),
    ];
    for (method, path) in allowed {
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = c.request(m, format!("{url}/api/kling{path}"));
        if *method == "POST" {
            req = req.body((json!({})).to_string());
        }
        let res = req.send().await.expect("answer");
        assert_eq!(res.status(), 200, "{method} {path}");
    }
    let got = authorizations(&seen);
    assert_eq!(got.len(), allowed.len(), "{got:?}");
    for ((m, p, auth), (em, ep)) in got.iter().zip(allowed) {
        assert_eq!((m.as_str(), p.as_str()), (*em, *ep), "query kept");
        assert_eq!(auth, &format!("Bearer {API_KEY}"));
    }

    let refused: &[(&str, &str, u16)] = &[
        ("POST", "/v1/images/generations", 404),
        ("GET", "/account/costs?start_time=0&end_time=1", 404),
        ("POST", "/v1/general/ai-multi-shot", 404),
        ("POST", "/v1/general/delete-elements", 404),
        (
            "GET",
            "/v1/videos/omni-video/%2E%2E/%2E%2E/account/costs",
            404,
        ),
        ("GET", "/v1/videos/omni-video/..%2F..%2Faccount", 404),
        ("GET", "/tasks/81", 404),
        ("GET", "/omni-video/kling-3.0-omni", 405),
        ("DELETE", "/tasks", 405),
        ("POST", "/v1/videos/omni-video/81", 405),
        ("GET", "/v1/general/delete-voices", 405),
        ("POST", "/v1/general/presets-voices", 405),
        ("PUT", "/v1/general/custom-voices", 405),
    ];
    for (method, path, code) in refused {
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let res = c
            .request(m, format!("{url}/api/kling{path}"))
            .send()
            .await
            .expect("answer");
        assert_eq!(res.status().as_u16(), *code, "{method} {path}");
        let body = json_of(res).await;
        assert_eq!(body["relay"], true, "{method} {path}: {body}");
    }
    assert_eq!(
        seen_count(&seen),
        allowed.len(),
        "nothing refused was forwarded"
    );
}
