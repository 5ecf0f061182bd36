//! Scaling out: two `storyreel-server` instances behind a (pretend) load
//! balancer keep no state of their own. A and B share one S3 bucket (moto
//! on loopback) for uploads and one Kling upstream (a third server with no
//! keys, whose built-in simulator checks the JWT the relays sign). What A
//! starts, B finishes, with A stopped first: a file uploaded through A is
//! served by B, and a Kling task created through A is polled to the end
//! and its video fetched through B.

use crate::common;

use std::time::{Duration, Instant};

use common::moto::Moto;
use common::{client, dist, json_of, sha256_hex, spawn, three_shots, WAIT};

const BUCKET: &str = "storyreel-shared";

fn png(len: usize) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    b.extend((0..len - 8).map(|i| (i as u8).wrapping_mul(13).wrapping_add(5)));
    b
}

#[test]
fn two_relays_share_nothing_but_the_bucket_and_the_upstream() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let Some(moto) = Moto::start("two_relays_share_nothing_but_the_bucket_and_the_upstream") else {
        return;
    };
    rt.block_on(moto.bucket(BUCKET));
    let d = dist();

    // The Kling upstream: a server with no keys runs the simulator, which
    // takes only JWTs signed with its own key pair.
    let upstream = spawn(
        d.path(),
        &[
            "--sim-submit-ms",
            "100",
            "--sim-process-ms",
            "300",
            "--rate-limit-per-minute",
            "0",
        ],
        &[],
    );
    let upstream_host = upstream
        .url
        .strip_prefix("http://")
        .expect("http URL")
        .to_string();
    let kling_base = format!("{}/sim/kling", upstream.url);
    let mut relay_args: Vec<String> = moto.serve_args(BUCKET, None);
    relay_args.extend(
        [
            "--media-allow-host",
            &upstream_host,
            "--rate-limit-per-minute",
            "0",
        ]
        .map(String::from),
    );
    let relay_args: Vec<&str> = relay_args.iter().map(String::as_str).collect();
    let mut relay_env: Vec<(&str, &str)> = Moto::serve_env().to_vec();
    relay_env.extend([
        ("KLING_ACCESS_KEY", storyreel_server::sim::ACCESS_KEY),
        ("KLING_SECRET_KEY", storyreel_server::sim::SECRET_KEY),
        ("KLING_BASE_URL", kling_base.as_str()),
    ]);
    let a = spawn(d.path(), &relay_args, &relay_env);
    let b = spawn(d.path(), &relay_args, &relay_env);

    let task_id = rt.block_on(async {
        let c = client();
        for s in [&a.url, &b.url] {
            let st = json_of(
                c.get(format!("{s}/api/status"))
                    .send()
                    .await
                    .expect("status"),
            )
            .await;
            assert_eq!(st["simulator"], false, "{st}");
            assert_eq!(st["providers"]["kling"]["ready"], true, "{st}");
            assert_eq!(st["uploads"]["available"], true, "{st}");
            let ready = c.get(format!("{s}/readyz")).send().await.expect("readyz");
            assert_eq!(
                ready.status(),
                200,
                "{}",
                ready.text().await.unwrap_or_default()
            );
        }

        // An upload through A...
        let body = png(4096);
        let hex = sha256_hex(&body);
        let up = c
            .post(format!("{}/api/uploads", a.url))
            .body(body.clone())
            .send()
            .await
            .expect("upload through A");
        assert_eq!(up.status(), 201);
        let up = json_of(up).await;
        assert_eq!(up["sha256"], hex);

        // ...and a Kling task created through A.
        let created = c
            .post(format!("{}/api/kling/v1/videos/omni-video", a.url))
            .header("content-type", "application/json")
            .body(three_shots("scale-out-1").to_string())
            .send()
            .await
            .expect("create through A");
        assert_eq!(created.status(), 200);
        let created = json_of(created).await;
        assert_eq!(created["code"], 0, "{created}");
        created["data"]["task_id"]
            .as_str()
            .unwrap_or_else(|| panic!("no task id: {created}"))
            .to_string()
    });
    // A is gone: whatever follows can only come from B, the bucket and the
    // upstream.
    drop(a);

    rt.block_on(async {
        let c = client();
        let body = png(4096);
        let hex = sha256_hex(&body);
        let got = c
            .get(format!("{}/uploads/{hex}", b.url))
            .send()
            .await
            .expect("download through B");
        assert_eq!(got.status(), 200);
        assert_eq!(got.headers()["content-type"], "image/png");
        assert_eq!(got.bytes().await.expect("body").as_ref(), body.as_slice());
        // B knows the file is stored: the same bytes are not stored again.
        let again = c
            .post(format!("{}/api/uploads", b.url))
            .body(body.clone())
            .send()
            .await
            .expect("upload through B");
        assert_eq!(again.status(), 200);
        assert_eq!(json_of(again).await["sha256"], hex);

        // The task A created, polled to the end through B.
        let deadline = Instant::now() + WAIT;
        let done = loop {
            let q = json_of(
                c.get(format!(
                    "{}/api/kling/v1/videos/omni-video/{task_id}",
                    b.url
                ))
                .send()
                .await
                .expect("query through B"),
            )
            .await;
            assert_eq!(q["code"], 0, "{q}");
            match q["data"]["task_status"].as_str() {
                Some("succeed") => break q,
                Some("submitted" | "processing") => {}
                other => panic!("unexpected status {other:?}: {q}"),
            }
            assert!(Instant::now() < deadline, "the task did not finish: {q}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(done["data"]["task_info"]["external_task_id"], "scale-out-1");
        let video = done["data"]["task_result"]["videos"][0]["url"]
            .as_str()
            .unwrap_or_else(|| panic!("no video: {done}"))
            .to_string();
        assert!(video.starts_with(&upstream.url), "{video}");

        // The finished video, through B's media relay.
        let mut media = reqwest::Url::parse(&format!("{}/api/media", b.url)).expect("url");
        media.query_pairs_mut().append_pair("url", &video);
        let clip = c.get(media).send().await.expect("media through B");
        assert_eq!(clip.status(), 200);
        assert_eq!(clip.headers()["content-type"], "video/mp4");
        let clip = clip.bytes().await.expect("clip");
        assert!(clip.len() > 1000, "{}", clip.len());
        assert_eq!(&clip[4..8], b"ftyp");
    });

    // One object in the bucket, under the name both servers use.
    let objects = rt.block_on(common::moto::objects(moto.store(BUCKET, None).as_ref()));
    let names: Vec<&str> = objects.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, vec![format!("objects/{}", sha256_hex(&png(4096)))]);
    drop(b);
    drop(upstream);
}
