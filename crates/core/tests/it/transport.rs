//! The job's HTTP calls through the proxy: `transport`.

use serde_json::Value;
use storyreel_core::options::KlingApi;
use storyreel_core::transport::{
    encode_component, fal_request_url, normalize_proxy, relay_error, typical_wait, ProxyError,
    Transport, FAL_TARGET_HEADER,
};
use storyreel_core::wire::{ServerStatus, UploadsSetup, UploadsStatus};
use storyreel_core::{Board, Provider, Shot};

fn board(provider: Provider) -> Board {
    Board {
        provider,
        shots: vec![Shot::new("a lighthouse at dusk", 3), Shot::new("waves", 3)],
        ..Board::default()
    }
}

#[test]
fn proxy_urls_are_normalized() {
    assert_eq!(normalize_proxy(""), Ok(String::new()));
    assert_eq!(normalize_proxy("  "), Ok(String::new()));
    assert_eq!(
        normalize_proxy(" https://reel.example.com/ "),
        Ok("https://reel.example.com".into())
    );
    assert_eq!(
        normalize_proxy("http://127.0.0.1:8080/base//"),
        Ok("http://127.0.0.1:8080/base".into())
    );
    assert_eq!(normalize_proxy("ftp://x"), Err(ProxyError::Scheme));
    assert_eq!(normalize_proxy("example.com"), Err(ProxyError::Scheme));
    assert_eq!(normalize_proxy("https://"), Err(ProxyError::NoHost));
    assert_eq!(normalize_proxy("https:///x"), Err(ProxyError::NoHost));
    assert_eq!(normalize_proxy("https://x?y=1"), Err(ProxyError::Query));
    assert_eq!(normalize_proxy("https://a b"), Err(ProxyError::Spaces));
}

#[test]
fn kling_calls_go_to_the_kling_relay_with_the_key() {
    let t = Transport::new("http://127.0.0.1:8080/")
        .unwrap()
        .with_kling_api(KlingApi::Legacy);
    let created = t
        .create(
            Provider::Kling,
            &board(Provider::Kling),
            "storyreel-00aa11bb22cc33dd",
        )
        .unwrap();
    assert_eq!(created.call.method, "POST");
    assert_eq!(
        created.call.url,
        "http://127.0.0.1:8080/api/kling/v1/videos/omni-video"
    );
    assert_eq!(created.target, "/v1/videos/omni-video");
    assert_eq!(
        created.call.header_value("Content-Type"),
        Some("application/json")
    );
    assert_eq!(
        created.call.header_value("authorization"),
        None,
        "no secret"
    );
    let body: Value = serde_json::from_str(created.call.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["external_task_id"], "storyreel-00aa11bb22cc33dd");
    assert_eq!(body["multi_shot"], true);

    let poll = t.poll(Provider::Kling, &created.target, "8604", None);
    assert_eq!(poll.method, "GET");
    assert_eq!(
        poll.url,
        "http://127.0.0.1:8080/api/kling/v1/videos/omni-video/8604"
    );
    let lookup = t
        .find_job(
            Provider::Kling,
            &created.target,
            "storyreel-00aa11bb22cc33dd",
            1,
        )
        .unwrap();
    assert_eq!(
        lookup.url,
        "http://127.0.0.1:8080/api/kling/v1/videos/omni-video?pageNum=1&pageSize=50"
    );
    // `find_job` on a legacy job is the same paged list.
    let found = t
        .find_job(
            Provider::Kling,
            &created.target,
            "storyreel-00aa11bb22cc33dd",
            2,
        )
        .unwrap();
    assert_eq!(
        found.url,
        "http://127.0.0.1:8080/api/kling/v1/videos/omni-video?pageNum=2&pageSize=50"
    );
}

/// A job on Kling's current design is polled and found at `/tasks`, by
/// its id and by its key, percent-encoded; whatever design the transport
/// creates new jobs on, a job follows the design of its own create path.
#[test]
fn kling_current_jobs_are_followed_at_tasks() {
    for api in KlingApi::ALL {
        let t = Transport::new("http://127.0.0.1:8080/")
            .unwrap()
            .with_kling_api(api);
        let target = "/omni-video/kling-3.0-omni";
        let poll = t.poll(Provider::Kling, target, "8936 05/9?&", None);
        assert_eq!(poll.method, "GET");
        assert_eq!(
            poll.url,
            "http://127.0.0.1:8080/api/kling/tasks?task_ids=8936%2005%2F9%3F%26"
        );
        let find = t
            .find_job(Provider::Kling, target, "storyreel-00aa,11bb", 3)
            .unwrap();
        assert_eq!(find.method, "GET");
        assert_eq!(
            find.url,
            "http://127.0.0.1:8080/api/kling/tasks?external_task_ids=storyreel-00aa%2C11bb",
            "one call by key, no paging"
        );
        // A legacy job keeps its legacy calls.
        let legacy = "/v1/videos/omni-video";
        assert_eq!(
            t.poll(Provider::Kling, legacy, "8604", None).url,
            "http://127.0.0.1:8080/api/kling/v1/videos/omni-video/8604"
        );
        assert!(t
            .find_job(Provider::Kling, legacy, "k", 1)
            .unwrap()
            .url
            .ends_with("/v1/videos/omni-video?pageNum=1&pageSize=50"));
        assert!(t.find_job(Provider::Fal, target, "k", 1).is_none());
    }
}

#[test]
fn same_origin_proxy_gives_relative_urls() {
    let t = Transport::new("").unwrap().with_kling_api(KlingApi::Legacy);
    let created = t
        .create(
            Provider::Kling,
            &board(Provider::Kling),
            "storyreel-0011223344556677",
        )
        .unwrap();
    assert_eq!(created.call.url, "/api/kling/v1/videos/omni-video");
    assert_eq!(t.status().url, "/api/status");
    assert_eq!(
        t.media("https://cdn.example.com/v.mp4?a=1&b=2").url,
        "/api/media?url=https%3A%2F%2Fcdn.example.com%2Fv.mp4%3Fa%3D1%26b%3D2"
    );
}

#[test]
fn a_board_with_errors_is_not_mapped() {
    let t = Transport::new("").unwrap();
    let mut b = board(Provider::Kling);
    b.shots[0].prompt = "meet @nobody".into();
    assert!(t
        .create(Provider::Kling, &b, "storyreel-0011223344556677")
        .is_err());
}

#[test]
fn fal_calls_use_the_proxy_protocol() {
    let t = Transport::new("https://reel.example.com").unwrap();
    let b = board(Provider::Fal);
    let created = t
        .create(Provider::Fal, &b, "storyreel-0011223344556677")
        .unwrap();
    assert_eq!(created.call.url, "https://reel.example.com/api/fal/proxy");
    assert_eq!(
        created.call.header_value(FAL_TARGET_HEADER),
        Some("https://queue.fal.run/fal-ai/kling-video/o3/pro/text-to-video")
    );
    assert_eq!(
        created.target,
        "https://queue.fal.run/fal-ai/kling-video/o3/pro/text-to-video"
    );
    let status = "https://queue.fal.run/fal-ai/kling-video/requests/r1/status";
    let poll = t.poll(Provider::Fal, &created.target, "r1", Some(status));
    assert_eq!(poll.url, "https://reel.example.com/api/fal/proxy");
    assert_eq!(poll.header_value(FAL_TARGET_HEADER), Some(status));
    // Without a status URL, the app id without the sub-path (§2.6).
    let poll = t.poll(Provider::Fal, &created.target, "r1", None);
    assert_eq!(poll.header_value(FAL_TARGET_HEADER), Some(status));
    let result = t.fal_result(&created.target, "r1", None);
    assert_eq!(
        result.header_value(FAL_TARGET_HEADER),
        Some("https://queue.fal.run/fal-ai/kling-video/requests/r1")
    );
    assert!(t.find_job(Provider::Fal, &created.target, "k", 1).is_none());
}

#[test]
fn fal_with_the_users_key_goes_direct() {
    let t = Transport::new("")
        .unwrap()
        .with_fal_key(Some(" fal-secret ".into()));
    assert!(t.fal_direct());
    let created = t
        .create(
            Provider::Fal,
            &board(Provider::Fal),
            "storyreel-0011223344556677",
        )
        .unwrap();
    assert_eq!(
        created.call.url,
        "https://queue.fal.run/fal-ai/kling-video/o3/pro/text-to-video"
    );
    assert_eq!(
        created.call.header_value("authorization"),
        Some("Key fal-secret")
    );
    assert_eq!(created.call.header_value(FAL_TARGET_HEADER), None);
    assert!(!Transport::new("")
        .unwrap()
        .with_fal_key(Some("  ".into()))
        .fal_direct());
}

#[test]
fn replicate_calls_go_to_the_replicate_relay() {
    let t = Transport::new("http://h:1").unwrap();
    let created = t
        .create(
            Provider::Replicate,
            &board(Provider::Replicate),
            "storyreel-0011223344556677",
        )
        .unwrap();
    assert_eq!(
        created.call.url,
        "http://h:1/api/replicate/v1/models/kwaivgi/kling-v3-omni-video/predictions"
    );
    let poll = t.poll(
        Provider::Replicate,
        &created.target,
        "p1",
        Some("https://api.replicate.com/v1/predictions/p1"),
    );
    assert_eq!(poll.url, "http://h:1/api/replicate/v1/predictions/p1");
    let poll = t.poll(Provider::Replicate, &created.target, "p 2", None);
    assert_eq!(poll.url, "http://h:1/api/replicate/v1/predictions/p%202");
}

#[test]
fn fal_request_urls_drop_the_sub_path() {
    assert_eq!(
        fal_request_url(
            "https://queue.fal.run/fal-ai/kling-video/o3/standard/reference-to-video",
            "x"
        ),
        "https://queue.fal.run/fal-ai/kling-video/requests/x"
    );
}

#[test]
fn relay_errors_are_told_apart_from_provider_errors() {
    assert_eq!(
        relay_error(r#"{"error":"no key for fal","relay":true}"#).as_deref(),
        Some("no key for fal")
    );
    assert_eq!(relay_error(r#"{"code":1303,"message":"busy"}"#), None);
    assert_eq!(relay_error(r#"{"error":"x","relay":false}"#), None);
    assert_eq!(relay_error(""), None);
    assert_eq!(relay_error("[1]"), None);
}

#[test]
fn server_status_reads_readiness() {
    let s = ServerStatus::parse(
        r#"{"simulator":true,"providers":{"kling":{"ready":true,"simulated":true},
            "fal":{"ready":false,"why":"this server has no key for it (FAL_KEY is not set)"},
            "replicate":{"ready":true}}}"#,
    )
    .unwrap();
    assert!(s.simulator);
    assert!(s.provider(Provider::Kling).is_simulated());
    assert_eq!(s.refusal(Provider::Kling, false), None);
    assert_eq!(
        s.refusal(Provider::Fal, false).as_deref(),
        Some("fal is not available: this server has no key for it (FAL_KEY is not set)")
    );
    assert_eq!(s.refusal(Provider::Fal, true), None, "the user's own key");
    assert_eq!(s.refusal(Provider::Replicate, false), None);
    assert!(ServerStatus::parse("<html>").is_none());
    let empty = ServerStatus::parse("{}").unwrap();
    assert!(empty.refusal(Provider::Kling, false).is_some());
}

#[test]
fn encoding_and_waits() {
    assert_eq!(encode_component("a-b_c.d~e f/é"), "a-b_c.d~e%20f%2F%C3%A9");
    assert_eq!(typical_wait(Provider::Kling, false), "usually 1–3 min");
    assert!(typical_wait(Provider::Kling, true).contains("simulated"));
}

#[test]
fn view_urls_of_references() {
    let sha = "ab".repeat(32);
    let t = Transport::new("https://proxy.example.test/base/").unwrap();
    assert_eq!(
        t.view_url(&format!("upload:{sha}")).as_deref(),
        Some(format!("https://proxy.example.test/base/uploads/{sha}").as_str())
    );
    assert_eq!(
        Transport::new("")
            .unwrap()
            .view_url(&format!("upload:{sha}")),
        Some(format!("/uploads/{sha}"))
    );
    assert_eq!(t.view_url("upload:abc"), None);
    assert_eq!(t.view_url("javascript:alert(1)"), None);
    assert_eq!(
        t.view_url("https://cdn.test/a.png").as_deref(),
        Some("https://cdn.test/a.png")
    );
}

#[test]
fn the_access_token_goes_only_to_this_servers_api() {
    let token = "tok-5f1e9c";
    let t = Transport::new("https://reel.example.test")
        .unwrap()
        .with_access_token(Some(format!("  {token} ")));
    let header = storyreel_core::transport::ACCESS_TOKEN_HEADER;
    // Every provider's create, poll and lookup through the relays.
    for p in Provider::ALL {
        let created = t
            .create(p, &board(p), "storyreel-00aa11bb22cc33dd")
            .unwrap();
        assert_eq!(
            created.call.header_value(header),
            Some(token),
            "{p:?} create"
        );
        let poll = t.poll(p, &created.target, "task-1", None);
        assert_eq!(poll.header_value(header), Some(token), "{p:?} poll");
    }
    let lookup = t
        .find_job(Provider::Kling, "/v1/videos/omni-video", "k", 1)
        .unwrap();
    assert_eq!(lookup.header_value(header), Some(token));
    let find = t
        .find_job(Provider::Kling, "/omni-video/kling-3.0-omni", "k", 1)
        .unwrap();
    assert_eq!(find.header_value(header), Some(token));
    assert_eq!(
        t.poll(Provider::Kling, "/omni-video/kling-3.0-omni", "t", None)
            .header_value(header),
        Some(token)
    );
    assert_eq!(t.status().header_value(header), Some(token));
    assert_eq!(
        t.media("https://cdn.test/a.mp4").header_value(header),
        Some(token)
    );
    assert_eq!(
        t.api_headers(),
        vec![(header.to_string(), token.to_string())]
    );

    // fal with the user's own key goes to fal: never with our token.
    let direct = t.clone().with_fal_key(Some("fal-own".into()));
    let created = direct
        .create(
            Provider::Fal,
            &board(Provider::Fal),
            "storyreel-00aa11bb22cc33dd",
        )
        .unwrap();
    assert!(created.call.url.starts_with("https://queue.fal.run/"));
    assert_eq!(created.call.header_value(header), None);
    let poll = direct.poll(Provider::Fal, &created.target, "req-1", None);
    assert_eq!(poll.header_value(header), None);

    // Debug output never shows either secret.
    let shown = format!("{direct:?}");
    assert!(
        !shown.contains(token) && !shown.contains("fal-own"),
        "{shown}"
    );

    // No token, no header; a blank token is no token.
    let none = Transport::new("")
        .unwrap()
        .with_access_token(Some("  ".into()));
    assert_eq!(none.status().header_value(header), None);
    assert!(none.api_headers().is_empty());
}

#[test]
fn status_says_whether_a_token_is_needed() {
    let s = ServerStatus::parse(r#"{"simulator":true,"access_token_required":true}"#).unwrap();
    assert!(s.access_token_required);
    assert!(!ServerStatus::parse("{}").unwrap().access_token_required);
}

const MIA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/// One shot citing an image stored on the server.
fn uploaded(provider: Provider) -> Board {
    Board {
        provider,
        references: vec![storyreel_core::Reference::image(
            "mia",
            format!("upload:{MIA}"),
        )],
        shots: vec![Shot::new("@mia waves", 5)],
        ..Board::default()
    }
}

/// A status whose uploads are `available`, with `base` (JSON) as the
/// public base URL.
fn uploads_doc(available: bool, base: &str) -> String {
    format!(
        r#"{{"uploads": {{"available": {available}, "public_base_url": {base},
            "upload_base_url": "/uploads", "max_bytes": 209715200,
            "image_max_bytes": 10485760, "accepted": ["image/png"]}}}}"#
    )
}

fn body_of(created: &storyreel_core::transport::Created) -> Value {
    serde_json::from_str(created.call.body.as_deref().unwrap()).unwrap()
}

#[test]
fn uploads_become_public_urls_when_the_server_publishes_them() {
    let status =
        ServerStatus::parse(&uploads_doc(true, r#""https://media.example.test/""#)).unwrap();
    let t = Transport::new("")
        .unwrap()
        .with_public_uploads(status.uploads.public_uploads_base());
    assert_eq!(
        t.public_uploads(),
        Some("https://media.example.test/uploads")
    );
    let want = format!("https://media.example.test/uploads/{MIA}");
    let kling = t
        .create(Provider::Kling, &uploaded(Provider::Kling), "k1")
        .unwrap();
    assert_eq!(body_of(&kling)["contents"][1]["url"], want.as_str());
    let fal = t
        .create(Provider::Fal, &uploaded(Provider::Fal), "k2")
        .unwrap();
    assert!(body_of(&fal).to_string().contains(&want));
    let rep = t
        .create(Provider::Replicate, &uploaded(Provider::Replicate), "k3")
        .unwrap();
    assert!(body_of(&rep).to_string().contains(&want));
    // Even fal with the user's own key: the URL is public.
    let direct = t.clone().with_fal_key(Some("own".into()));
    let fal = direct
        .create(Provider::Fal, &uploaded(Provider::Fal), "k4")
        .unwrap();
    assert!(body_of(&fal).to_string().contains(&want));
}

#[test]
fn without_a_public_base_the_relay_resolves_uploads() {
    let t = Transport::new("http://127.0.0.1:8080").unwrap();
    assert_eq!(
        t.request_options("k").uploads,
        storyreel_core::UploadsMode::ResolvedByServer
    );
    let kling = t
        .create(Provider::Kling, &uploaded(Provider::Kling), "k1")
        .unwrap();
    assert_eq!(
        body_of(&kling)["contents"][1]["url"],
        format!("upload:{MIA}").as_str()
    );
    for p in [Provider::Fal, Provider::Replicate] {
        let c = t.create(p, &uploaded(p), "k2").unwrap();
        assert!(body_of(&c)
            .to_string()
            .contains(&format!("\"upload:{MIA}\"")));
    }
    // A status without a public base (or without uploads) gives none.
    for doc in [
        uploads_doc(true, "null"),
        uploads_doc(false, r#""https://x.test""#),
        r#"{"uploads": {"available": false}}"#.to_string(),
    ] {
        let status = ServerStatus::parse(&doc).unwrap();
        let t = t
            .clone()
            .with_public_uploads(status.uploads.public_uploads_base());
        assert_eq!(t.public_uploads(), None, "{doc}");
    }
}

#[test]
fn fal_with_the_users_key_cannot_take_an_upload_without_a_public_base() {
    let t = Transport::new("").unwrap().with_fal_key(Some("own".into()));
    let e = t
        .create(Provider::Fal, &uploaded(Provider::Fal), "k")
        .unwrap_err();
    assert_eq!(
        e,
        storyreel_core::RequestError::UploadBypassesServer {
            name: "mia".into(),
            provider: "fal"
        }
    );
    let text = e.to_string();
    assert!(
        text.contains("'mia'") && text.contains("--public-base-url"),
        "{text}"
    );
    // Kling and Replicate still go through the relay.
    assert!(t
        .create(Provider::Kling, &uploaded(Provider::Kling), "k")
        .is_ok());
}

#[test]
fn stored_files_that_cannot_reach_the_provider_are_named_before_sending() {
    let clip = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    let mut b = uploaded(Provider::Kling);
    let setup = |base: Option<&str>| UploadsSetup {
        public_base_url: base.map(str::to_string),
        upload_base_url: "/uploads".into(),
        max_bytes: 1,
        image_max_bytes: 1,
        accepted: Vec::new(),
    };
    let private = UploadsStatus::available(setup(None));
    let public = UploadsStatus::available(setup(Some("https://media.example.test")));
    // Images are inlined by the relay.
    assert_eq!(private.refusal(&b, Provider::Kling, false), None);
    b.references.push(storyreel_core::Reference {
        name: "moves".into(),
        kind: storyreel_core::ReferenceKind::Video {
            src: format!("upload:{clip}"),
            usage: storyreel_core::VideoUse::Feature,
            keep_sound: false,
        },
    });
    let why = private
        .refusal(&b, Provider::Kling, false)
        .expect("refused");
    assert!(
        why.contains("'moves'") && why.contains("by URL only"),
        "{why}"
    );
    assert!(why.contains("--public-base-url"), "{why}");
    assert_eq!(public.refusal(&b, Provider::Kling, false), None);
    let fal = uploaded(Provider::Fal);
    assert_eq!(private.refusal(&fal, Provider::Fal, false), None);
    let why = private.refusal(&fal, Provider::Fal, true).expect("refused");
    assert!(why.contains("'mia'") && why.contains("own key"), "{why}");
    assert_eq!(public.refusal(&fal, Provider::Fal, true), None);
}
