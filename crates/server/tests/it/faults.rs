//! Faults: an upstream that resets, cuts its answer short, stalls or
//! fails; the simulator's injected faults; a SIGTERM with a request in
//! flight; and 40 jobs driven at once by the core's journal, as the
//! browser drives them, through faults of every kind, each finishing
//! exactly once.

use crate::common;
use crate::driver;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use storyreel_core::journal::Action;
use storyreel_core::transport::{Answer, Transport};
use storyreel_core::KlingApi;
use storyreel_server::api::Api;
use storyreel_server::config::{Keys, KlingKeys, Secret};
use storyreel_server::guard::GuardConfig;
use storyreel_server::sim::SimConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Guards with no per-client limits and a short request timeout.
fn guards(timeout: Duration) -> GuardConfig {
    GuardConfig {
        rate_limit_per_minute: 0,
        max_jobs_per_client: 0,
        request_timeout: Some(timeout),
        ..GuardConfig::default()
    }
}

/// Reads one HTTP/1.1 request (head and a `Content-Length` body); returns
/// its request line.
async fn read_request(s: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = s.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return String::new();
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = s.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    head.lines().next().unwrap_or("").to_string()
}

/// Closes with a TCP reset rather than a FIN (a zero linger does not
/// block on drop).
#[allow(deprecated)]
fn reset(s: tokio::net::TcpStream) {
    let _ = s.set_linger(Some(Duration::ZERO));
    drop(s);
}

const HEAD_200: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 300\r\n\r\n";
const PART: &str = r#"{"code":0,"message":"SUCCEED","data":{"task_id":"#;

/// A fake Kling host over raw TCP, misbehaving by the last path segment:
/// `reset` (a reset before any answer), `short` (a body shorter than its
/// `Content-Length`, then a clean close), `cut` (part of the body, then a
/// reset), `stall` (part of the body, then nothing), `hang` (no answer),
/// `fail` (Kling's 500 with its body). A create (POST) resets.
async fn bad_kling() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                break;
            };
            tokio::spawn(async move {
                let line = read_request(&mut s).await;
                let path = line.split(' ').nth(1).unwrap_or("");
                let last = path.rsplit('/').next().unwrap_or("");
                if line.starts_with("POST") || last == "reset" {
                    return reset(s);
                }
                match last {
                    "short" => {
                        let _ = s.write_all(format!("{HEAD_200}{PART}").as_bytes()).await;
                        let _ = s.shutdown().await;
                    }
                    "cut" => {
                        let _ = s.write_all(format!("{HEAD_200}{PART}").as_bytes()).await;
                        let _ = s.flush().await;
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        reset(s);
                    }
                    "stall" => {
                        let _ = s.write_all(format!("{HEAD_200}{PART}").as_bytes()).await;
                        tokio::time::sleep(Duration::from_secs(60)).await;
                    }
                    "hang" => tokio::time::sleep(Duration::from_secs(60)).await,
                    _ => {
                        let body =
                            r#"{"code":5000,"message":"internal server error","request_id":"up"}"#;
                        let _ = s
                            .write_all(
                                format!(
                                    "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                                    body.len()
                                )
                                .as_bytes(),
                            )
                            .await;
                    }
                }
            });
        }
    });
    addr
}

/// A relay error: the status, and the JSON says `relay: true` with a
/// message.
async fn relay_error(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body = common::json_of(res).await;
    assert_eq!(body["relay"], json!(true), "{status}: {body}");
    (status, body["error"].as_str().unwrap_or("").to_string())
}

#[tokio::test]
async fn a_broken_kling_host_gives_clear_relay_errors_never_a_hang() {
    let up = bad_kling().await;
    let keys = Keys {
        kling: KlingKeys {
            access_key: Some(Secret::new("ak")),
            secret_key: Some(Secret::new("sk")),
            base_url: Some(format!("http://{up}")),
            ..KlingKeys::default()
        },
        ..Keys::default()
    };
    let dist = common::dist();
    let api = Api::new(keys, SimConfig::default()).expect("api");
    let base = common::serve(storyreel_server::app::router_with(
        api,
        dist.path(),
        &guards(Duration::from_secs(2)),
    ))
    .await;
    let client = common::client();
    let get = |id: &str| {
        client
            .get(format!("{base}/api/kling/v1/videos/omni-video/{id}"))
            .send()
    };

    let started = Instant::now();
    let (status, msg) = relay_error(get("reset").await.expect("answer")).await;
    assert_eq!(status, 502, "{msg}");
    assert!(msg.contains("dropped the connection"), "{msg}");
    assert!(msg.contains("not known"), "{msg}");
    for id in ["short", "cut"] {
        let (status, msg) = relay_error(get(id).await.expect("answer")).await;
        assert_eq!(status, 502, "{id}: {msg}");
        assert!(msg.contains("cut off"), "{id}: {msg}");
    }
    assert!(started.elapsed() < Duration::from_secs(2), "no waiting");

    // A stall mid-body and no answer at all: the request timeout's 504.
    for id in ["stall", "hang"] {
        let t = Instant::now();
        let (status, msg) = relay_error(get(id).await.expect("answer")).await;
        assert_eq!(status, 504, "{id}: {msg}");
        assert!(msg.contains("request timeout"), "{id}: {msg}");
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "{id}: {:?}",
            t.elapsed()
        );
    }

    // Kling's own 5xx passes through as Kling's answer.
    let res = get("fail").await.expect("answer");
    assert_eq!(res.status().as_u16(), 500);
    assert_eq!(common::json_of(res).await["code"], json!(5000));

    // A create whose connection resets: the journal looks the job up by
    // its key before it would ever send it again. (The server holds a key
    // pair, so it speaks the legacy design.)
    let transport = Transport::new(&base)
        .expect("transport")
        .with_kling_api(KlingApi::Legacy);
    let mut entry = driver::new_entry(&transport, "storyreel-0000000000000001");
    entry.begin_create().expect("create");
    let call = transport
        .create(entry.provider(), &entry.board, entry.key())
        .expect("maps")
        .call;
    let answer = driver::send(&client, &call, Duration::from_secs(10)).await;
    assert!(
        matches!(&answer, Answer::Http { status: 502, .. }),
        "{answer:?}"
    );
    let wait = entry.on_create(&answer, 0.5);
    assert_eq!(entry.phase_tag(), "submit_unknown");
    assert_eq!(entry.next_action(), Action::Lookup);
    assert_eq!(wait, 1_000);

    // The metrics count each failure by what went wrong.
    let metrics = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    let counted = metrics.lines().any(|l| {
        l.contains("provider=\"kling\"") && l.contains("code=\"read\"") && !l.starts_with('#')
    });
    assert!(counted, "{metrics}");
}

#[tokio::test]
async fn fal_and_replicate_answers_cut_short_are_relay_errors_too() {
    use storyreel_server::config::{FalKeys, ReplicateKeys};
    use storyreel_server::relay::fal::FalConfig;
    use storyreel_server::relay::replicate::ReplicateConfig;
    use storyreel_server::relay::target::AllowedHosts;
    use storyreel_server::relay::RelayConfig;

    let up = bad_kling().await;
    let keys = Keys {
        fal: FalKeys {
            key: Some(Secret::new("fal-key")),
        },
        replicate: ReplicateKeys {
            token: Some(Secret::new("r8-token")),
        },
        ..Keys::default()
    };
    let relays = RelayConfig {
        fal: FalConfig {
            allowed_hosts: AllowedHosts::parse(&[up.to_string()]).expect("entry"),
            ..FalConfig::default()
        },
        replicate: ReplicateConfig {
            base_url: format!("http://{up}"),
        },
        ..RelayConfig::default()
    };
    let dist = common::dist();
    let api = Api::with_relays(keys, SimConfig::default(), relays).expect("api");
    let base = common::serve(storyreel_server::app::router_with(
        api,
        dist.path(),
        &guards(Duration::from_secs(2)),
    ))
    .await;
    let client = common::client();
    for id in ["short", "cut"] {
        let fal = client
            .get(format!("{base}/api/fal/proxy"))
            .header("x-fal-target-url", format!("http://{up}/requests/{id}"));
        let replicate = client.get(format!("{base}/api/replicate/v1/predictions/{id}"));
        for (who, request) in [("fal", fal), ("Replicate", replicate)] {
            let res = request.send().await.expect("answer");
            let (status, msg) = relay_error(res).await;
            assert_eq!(status, 502, "{who} {id}: {msg}");
            assert!(
                msg.starts_with(&format!("{who}'s answer was cut off")),
                "{msg}"
            );
        }
    }
    let res = client
        .get(format!("{base}/api/replicate/v1/predictions/stall"))
        .send()
        .await
        .expect("answer");
    assert_eq!(relay_error(res).await.0, 504);
}

/// The simulator with its controls, served by the whole app on loopback.
async fn sim_server(config: SimConfig) -> (String, tempfile::TempDir) {
    let dist = common::dist();
    let api = Api::new(
        Keys::default(),
        SimConfig {
            control: true,
            ..config
        },
    )
    .expect("api");
    let base = common::serve(storyreel_server::app::router_with(
        api,
        dist.path(),
        &guards(Duration::from_secs(5)),
    ))
    .await;
    (base, dist)
}

#[tokio::test]
async fn injected_resets_truncations_and_gateway_errors_are_recovered_by_the_journal() {
    let (base, _dist) = sim_server(SimConfig {
        submit_ms: 50,
        process_ms: 100,
        max_concurrent: 10,
        control: true,
    })
    .await;
    let client = common::client();
    let transport = Transport::new(&base).expect("transport");
    driver::add_faults(
        &client,
        &base,
        &json!({
            "create": [{"kind": "reset"}, {"kind": "truncate"}, {"kind": "gateway", "status": 503}],
            "query": [{"kind": "reset"}, {"kind": "truncate"}, {"kind": "gateway", "status": 502}],
        }),
    )
    .await;

    // Straight through the relay: a reset or truncated answer is its 502.
    let key = "storyreel-00000000000000aa";
    let call = transport
        .create(storyreel_core::Provider::Kling, &driver::board(), key)
        .expect("maps")
        .call;
    let answer = driver::send(&client, &call, Duration::from_secs(10)).await;
    let Answer::Http { status, body } = &answer else {
        panic!("{answer:?}")
    };
    assert_eq!(*status, 502);
    let body: Value = serde_json::from_str(body).expect("JSON");
    assert_eq!(body["relay"], json!(true));
    assert!(
        body["error"].as_str().unwrap().contains("cut off"),
        "{body}"
    );
    let stats = driver::sim_stats(&client, &base).await;
    assert_eq!(stats["tasks"], json!(1), "the reset came after the work");

    // The same job, driven by the journal from the start, is found by its
    // key rather than created again; two more jobs meet the truncated
    // and the gateway create.
    let pace = driver::Pace::default();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut jitter = driver::Jitter::new(7);
    let mut entry = driver::new_entry(&transport, key);
    entry.begin_create().expect("create");
    entry.on_create(&answer, jitter.next());
    assert_eq!(entry.next_action(), Action::Lookup);
    let first = driver::drive(&client, &transport, entry, &pace, &mut jitter, deadline).await;
    let mut driven = vec![first];
    for key in ["storyreel-00000000000000bb", "storyreel-00000000000000cc"] {
        let e = driver::new_entry(&transport, key);
        driven.push(driver::drive(&client, &transport, e, &pace, &mut jitter, deadline).await);
    }
    for d in &driven {
        assert!(d.finished(), "{:?}", d.entry);
    }
    assert_eq!(driven[0].entry.creates_sent, 1, "found by its key");
    assert_eq!(
        driven[1].entry.creates_sent, 1,
        "truncated: found by its key"
    );
    assert_eq!(
        driven[2].entry.creates_sent, 2,
        "the gateway's 503 came before the work: looked up, not there, sent again"
    );
    let stats = driver::sim_stats(&client, &base).await;
    assert_eq!(stats["tasks"], json!(3), "{stats}");
    assert_eq!(stats["faults_left"], json!(0), "{stats}");
    // On the current design a lookup by key is a query too (`GET
    // /tasks?external_task_ids=`), so the three query faults land on polls
    // or lookups; each was retried.
    let queries_failed: usize = driven
        .iter()
        .flat_map(|d| &d.calls)
        .filter(|c| {
            matches!(c.kind, driver::Kind::Poll | driver::Kind::Lookup) && c.status != Some(200)
        })
        .count();
    assert_eq!(queries_failed, 3, "the three query faults, each retried");
}

#[tokio::test]
async fn forty_jobs_through_faults_each_finish_exactly_once() {
    forty_jobs_through_faults(KlingApi::Current).await;
}

#[tokio::test]
async fn forty_jobs_through_faults_each_finish_exactly_once_on_the_legacy_design() {
    forty_jobs_through_faults(KlingApi::Legacy).await;
}

async fn forty_jobs_through_faults(api: KlingApi) {
    const JOBS: usize = 40;
    let dist = common::dist();
    let server = common::spawn(
        dist.path(),
        &[
            "--kling-api",
            api.as_str(),
            "--sim-control",
            "--sim-submit-ms",
            "100",
            "--sim-process-ms",
            "300",
            "--sim-max-concurrent",
            "1000",
            "--rate-limit-per-minute",
            "0",
            "--max-jobs-per-client",
            "0",
        ],
        &[("RUST_LOG", "warn")],
    );
    let base = server.url.clone();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .expect("client");
    let transport = Transport::new(&base)
        .expect("transport")
        .with_kling_api(api);

    // Faults of every kind, on every kind of call; each applies to the
    // next call of its kind, so they land on jobs at random.
    let mut create = Vec::new();
    let mut query = Vec::new();
    for i in 0..4 {
        create.push(json!({"kind": "drop"}));
        create.push(json!({"kind": "reset"}));
        create.push(json!({"kind": "truncate"}));
        create.push(json!({"kind": "code", "code": 5000}));
        create.push(json!({"kind": "code", "code": 1303}));
        create.push(json!({"kind": "gateway", "status": 503}));
        create.push(json!({"kind": "slow", "ms": 300 + 100 * i}));
        query.push(json!({"kind": "drop"}));
        query.push(json!({"kind": "reset"}));
        query.push(json!({"kind": "truncate"}));
        query.push(json!({"kind": "code", "code": 5000}));
        query.push(json!({"kind": "code", "code": 5002}));
        query.push(json!({"kind": "gateway", "status": 502}));
        query.push(json!({"kind": "slow", "ms": 400}));
    }
    let list = vec![
        json!({"kind": "drop"}),
        json!({"kind": "code", "code": 5000}),
        json!({"kind": "slow", "ms": 200}),
    ];
    let injected = create.len() + query.len() + list.len();
    // The legacy design looks a job up in its task list; the current one
    // with a query by key, so the lookup faults go to the queries there.
    let plan = match api {
        KlingApi::Legacy => json!({"create": create, "query": query, "list": list}),
        KlingApi::Current => {
            query.extend(list);
            json!({"create": create, "query": query})
        }
    };
    driver::add_faults(&client, &base, &plan).await;

    let deadline = Instant::now() + Duration::from_secs(60);
    let mut tasks = Vec::new();
    for i in 0..JOBS {
        let (client, transport) = (client.clone(), transport.clone());
        tasks.push(tokio::spawn(async move {
            let key = format!("storyreel-load{i:016x}");
            let entry = driver::new_entry(&transport, &key);
            let mut jitter = driver::Jitter::new(i as u64 + 1);
            driver::drive(
                &client,
                &transport,
                entry,
                &driver::Pace::default(),
                &mut jitter,
                deadline,
            )
            .await
        }));
    }
    let mut driven = Vec::new();
    for t in tasks {
        driven.push(t.await.expect("a job's task"));
    }
    assert!(Instant::now() < deadline, "the jobs ended in time");

    let unfinished: Vec<String> = driven
        .iter()
        .filter(|d| !d.finished())
        .map(|d| {
            format!(
                "{} {} {:?}",
                d.entry.key(),
                d.entry.phase_tag(),
                d.entry.note
            )
        })
        .collect();
    assert!(unfinished.is_empty(), "lost jobs: {unfinished:#?}");

    let stats = driver::sim_stats(&client, &base).await;
    assert_eq!(stats["tasks"], json!(JOBS), "one task per job: {stats}");
    assert_eq!(stats["succeed"], json!(JOBS), "{stats}");
    assert_eq!(
        stats["faults_left"],
        json!(0),
        "every fault was met: {stats}"
    );
    let keys = driver::task_keys(&client, &transport, &driven[0].entry.target).await;
    let ours: HashSet<String> = driven.iter().map(|d| d.entry.key().to_string()).collect();
    let theirs: HashSet<String> = keys.iter().flatten().cloned().collect();
    assert_eq!(keys.len(), JOBS, "no task twice");
    assert_eq!(theirs, ours, "each job is one task, by its key");
    // Each finished job's remote id is a distinct task.
    let ids: HashSet<&str> = driven
        .iter()
        .filter_map(|d| d.entry.job.remote_id())
        .collect();
    assert_eq!(ids.len(), JOBS);

    let creates: u32 = driven.iter().map(|d| d.entry.creates_sent).sum();
    let calls: usize = driven.iter().map(|d| d.calls.len()).sum();
    let failed_calls = driven
        .iter()
        .flat_map(|d| &d.calls)
        .filter(|c| c.status != Some(200))
        .count();
    assert!(
        failed_calls >= injected - 9,
        "{failed_calls} failed calls for {injected} faults (the 9 slow ones succeed)"
    );
    eprintln!(
        "{JOBS} jobs, {calls} calls, {creates} creates sent, {failed_calls} failed calls, {injected} faults, stats {stats}"
    );
}

/// The server binary's pid and whether it has exited (with its status).
fn exit_within(
    child: &mut std::process::Child,
    limit: Duration,
) -> Option<std::process::ExitStatus> {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[tokio::test]
async fn sigterm_lets_a_request_in_flight_finish_then_exits_0() {
    let dist = common::dist();
    let mut server = common::spawn(
        dist.path(),
        &[
            "--sim-control",
            "--sim-submit-ms",
            "50",
            "--sim-process-ms",
            "100",
        ],
        &[("RUST_LOG", "warn")],
    );
    let base = server.url.clone();
    let client = common::client();
    let transport = Transport::new(&base).expect("transport");
    let key = "storyreel-00000000000000dd";
    let created = transport
        .create(storyreel_core::Provider::Kling, &driver::board(), key)
        .expect("maps");
    let answer = driver::send(&client, &created.call, Duration::from_secs(10)).await;
    assert!(
        matches!(answer, Answer::Http { status: 200, .. }),
        "{answer:?}"
    );
    let Answer::Http { body, .. } = answer else {
        unreachable!()
    };
    // `data.id` on the current design (`data.task_id` on the legacy one).
    let id = serde_json::from_str::<Value>(&body).expect("JSON")["data"]["id"]
        .as_str()
        .expect("task id")
        .to_string();
    driver::add_faults(
        &client,
        &base,
        &json!({"query": [{"kind": "slow", "ms": 1500}]}),
    )
    .await;

    // The poll is slow; SIGTERM arrives while it waits.
    let poll = transport.poll(storyreel_core::Provider::Kling, &created.target, &id, None);
    let c = client.clone();
    let in_flight = tokio::spawn(async move {
        let t = Instant::now();
        (
            driver::send(&c, &poll, Duration::from_secs(10)).await,
            t.elapsed(),
        )
    });
    tokio::time::sleep(Duration::from_millis(400)).await;
    let pid = server.child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    // New connections are refused soon after; the one in flight finishes.
    let (answer, took) = in_flight.await.expect("poll task");
    let Answer::Http { status, body } = answer else {
        panic!("the request in flight was cut: {answer:?}")
    };
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(v["data"][0]["id"], json!(id));
    assert!(
        took >= Duration::from_millis(1400),
        "it was the slow one: {took:?}"
    );
    let status = exit_within(&mut server.child, Duration::from_secs(10)).expect("the server exits");
    assert!(status.success(), "exit status {status:?}");
    assert_eq!(status.code(), Some(0));
}
