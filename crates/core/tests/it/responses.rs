//! Provider answers: `fixtures/responses/*.json` read by the parsers of
//! `response::{kling, fal, replicate}`.
//!
//! The fixtures were written by hand from the shapes in providers.md
//! §1.8–1.10 (Kling), §2.5–2.6 (fal) and §3 (Replicate); they are not
//! captured traffic. The `kling-current-*` ones follow the examples of
//! Kling's Omni Video page (create, `GET /tasks`), with its `"string"`
//! placeholders filled in.

use std::path::Path;

use storyreel_core::response::fal::FalStatus;
use storyreel_core::response::kling::{self, Listing};
use storyreel_core::response::kling_current::{self as current, Polled};
use storyreel_core::response::{
    fal, replicate, Cash, Charge, Charged, Currency, Failure, FailureCategory as Cat, JobState,
    ParseError, Scope, Submission,
};

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/responses")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn failed(state: JobState) -> Failure {
    match state {
        JobState::Failed { reason } => reason,
        other => panic!("expected a failure, got {other:?}"),
    }
}

fn refused(submission: Submission) -> Failure {
    match submission {
        Submission::Refused(f) => f,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

// ---- Kling ----

#[test]
fn kling_create_accepted() {
    let Submission::Accepted(ticket) =
        kling::parse_create(200, &read("kling-create.json")).unwrap()
    else {
        panic!("refused");
    };
    assert_eq!(ticket.remote_id, "860481234567890123");
    assert_eq!(
        ticket.external_id.as_deref(),
        Some("storyreel-0a1b2c3d4e5f6071")
    );
    assert_eq!(ticket.state, JobState::Queued { position: None });
}

#[test]
fn kling_query_every_status() {
    assert_eq!(
        kling::parse_query(200, &read("kling-query-submitted.json")),
        Ok(JobState::Queued { position: None })
    );
    assert_eq!(
        kling::parse_query(200, &read("kling-query-processing.json")),
        Ok(JobState::Running)
    );
    assert_eq!(
        kling::parse_query(200, &read("kling-query-succeed.json")),
        Ok(JobState::Succeeded {
            video_url: "https://cdn.example.klingai.com/output.mp4".into(),
            duration_seconds: Some(10.041),
            charged: Some(Charge::units(12.5)),
        })
    );
    let f = failed(kling::parse_query(200, &read("kling-query-failed.json")).unwrap());
    assert_eq!(f.scope, Scope::Task);
    assert_eq!(f.message, "Failure to pass the risk control system");
    assert_eq!(f.charged, Charged::Units(0.0));
    assert!(!f.retryable);
    assert!(f.describe().contains("risk control"));

    let f = failed(kling::parse_query(200, &read("kling-query-failed-no-deduction.json")).unwrap());
    assert_eq!(f.charged, Charged::Unknown);
}

#[test]
fn kling_error_fixtures() {
    let cases = [
        ("kling-error-1301.json", 400, Cat::ContentSafety, false),
        ("kling-error-1303.json", 429, Cat::Concurrency, true),
        ("kling-error-1102.json", 429, Cat::Balance, false),
        ("kling-error-1004.json", 401, Cat::Auth, false),
        ("kling-error-1201.json", 400, Cat::InvalidRequest, false),
        ("kling-error-5001.json", 503, Cat::Server, true),
    ];
    for (name, http, category, retryable) in cases {
        let f = refused(kling::parse_create(http, &read(name)).unwrap());
        assert_eq!(f.category, category, "{name}");
        assert_eq!(f.retryable, retryable, "{name}");
        assert_eq!(f.charged, Charged::Nothing, "{name}: no task, no charge");
        assert_eq!(f.http_status, Some(http));
        assert_eq!(f.scope, Scope::Request);
        assert!(!f.message.is_empty());
        // The same body on a query is a failed lookup, not a failed task.
        let q = failed(kling::parse_query(http, &read(name)).unwrap());
        assert_eq!(q.scope, Scope::Request);
        assert_eq!(q.category, category);
    }
    let f = refused(kling::parse_create(429, &read("kling-error-1303.json")).unwrap());
    assert_eq!(f.code.as_deref(), Some("1303"));
    assert_eq!(f.message, "parallel task over resource pack limit");
}

/// Every code of providers.md §1.10, with its HTTP status.
#[test]
fn kling_every_code_class() {
    let table: &[(i64, u16, Cat, bool)] = &[
        (1000, 401, Cat::Auth, false),
        (1001, 401, Cat::Auth, false),
        (1002, 401, Cat::Auth, false),
        (1003, 401, Cat::Auth, false),
        (1004, 401, Cat::Auth, false),
        (1100, 429, Cat::Denied, false),
        (1101, 429, Cat::Balance, false),
        (1102, 429, Cat::Balance, false),
        (1103, 403, Cat::Denied, false),
        (1200, 400, Cat::InvalidRequest, false),
        (1201, 400, Cat::InvalidRequest, false),
        (1202, 404, Cat::NotFound, false),
        (1203, 404, Cat::NotFound, false),
        (1300, 400, Cat::ContentSafety, false),
        (1301, 400, Cat::ContentSafety, false),
        (1302, 429, Cat::RateLimited, true),
        (1303, 429, Cat::Concurrency, true),
        (1304, 429, Cat::Denied, false),
        (5000, 500, Cat::Server, true),
        (5001, 503, Cat::Server, true),
        (5002, 504, Cat::Server, true),
        (4242, 400, Cat::Unknown, false),
    ];
    for &(code, http, category, retryable) in table {
        let body = format!(r#"{{"code":{code},"message":"m{code}","request_id":"r"}}"#);
        let f = refused(kling::parse_create(http, &body).unwrap());
        assert_eq!(
            (f.category, f.retryable),
            (category, retryable),
            "code {code}"
        );
        assert_eq!(f.code, Some(code.to_string()));
        assert_eq!(f.message, format!("m{code}"));
        // A code sent as a string is read too.
        let body = format!(r#"{{"code":"{code}","message":"m"}}"#);
        assert_eq!(
            refused(kling::parse_create(http, &body).unwrap()).category,
            category
        );
    }
}

#[test]
fn kling_http_error_without_json() {
    let f = refused(kling::parse_create(502, "<html>Bad Gateway</html>").unwrap());
    assert_eq!(f.category, Cat::Server);
    assert!(f.retryable);
    assert_eq!(f.charged, Charged::Unknown);
    assert_eq!(f.message, "<html>Bad Gateway</html>");

    let f = refused(kling::parse_create(401, "").unwrap());
    assert_eq!(f.category, Cat::Auth);
    let f = refused(kling::parse_create(429, r#"{"message":"slow down"}"#).unwrap());
    assert_eq!((f.category, f.retryable), (Cat::RateLimited, true));
}

#[test]
fn kling_list_and_lookup_by_key() {
    let listing = kling::parse_list(200, &read("kling-list.json")).unwrap();
    let Listing::Tasks(tasks) = &listing else {
        panic!("refused")
    };
    assert_eq!(tasks.len(), 2);
    let mine = listing.find_by_key("storyreel-0a1b2c3d4e5f6071").unwrap();
    assert_eq!(mine.remote_id, "860481234567890123");
    assert_eq!(mine.state, JobState::Running);
    assert!(listing.find_by_key("storyreel-missing").is_none());

    let refused = kling::parse_list(401, &read("kling-error-1004.json")).unwrap();
    assert!(matches!(refused, Listing::Refused(_)));
    assert!(refused.find_by_key("storyreel-0a1b2c3d4e5f6071").is_none());
    assert_eq!(
        kling::parse_list(200, r#"{"code":0,"data":{}}"#),
        Err(ParseError::WrongType {
            field: "data",
            expected: "an array"
        })
    );
}

#[test]
fn kling_malformed_bodies() {
    let cases: &[(&str, ParseError)] = &[
        ("", ParseError::NotJson(String::new())),
        (
            "[1,2]",
            ParseError::WrongType {
                field: "body",
                expected: "an object",
            },
        ),
        (r#"{"message":"x"}"#, ParseError::Missing("code")),
        (
            r#"{"code":true}"#,
            ParseError::WrongType {
                field: "code",
                expected: "an integer",
            },
        ),
        (
            r#"{"code":"abc"}"#,
            ParseError::WrongType {
                field: "code",
                expected: "an integer",
            },
        ),
        (r#"{"code":0}"#, ParseError::Missing("data")),
        (
            r#"{"code":0,"data":[]}"#,
            ParseError::WrongType {
                field: "data",
                expected: "an object",
            },
        ),
        (r#"{"code":0,"data":{}}"#, ParseError::Missing("task_id")),
        (
            r#"{"code":0,"data":{"task_id":7}}"#,
            ParseError::WrongType {
                field: "task_id",
                expected: "a string",
            },
        ),
        (
            r#"{"code":0,"data":{"task_id":"t"}}"#,
            ParseError::Missing("task_status"),
        ),
        (
            r#"{"code":0,"data":{"task_id":"t","task_status":"succeeded"}}"#,
            ParseError::UnknownStatus("succeeded".into()),
        ),
        (
            r#"{"code":0,"data":{"task_id":"t","task_status":"succeed"}}"#,
            ParseError::Missing("task_result.videos[0]"),
        ),
        (
            r#"{"code":0,"data":{"task_id":"t","task_status":"succeed","task_result":{"videos":[]}}}"#,
            ParseError::Missing("task_result.videos[0]"),
        ),
        (
            r#"{"code":0,"data":{"task_id":"t","task_status":"succeed","task_result":{"videos":[{"url":""}]}}}"#,
            ParseError::Missing("task_result.videos[0].url"),
        ),
    ];
    for (body, expected) in cases {
        let got = kling::parse_query(200, body).unwrap_err();
        match (expected, &got) {
            (ParseError::NotJson(_), ParseError::NotJson(_)) => {}
            _ => assert_eq!(&got, expected, "{body}"),
        }
        assert!(!got.to_string().is_empty());
    }
}

#[test]
fn kling_odd_numbers_are_absent_not_errors() {
    let body = r#"{"code":0,"data":{"task_id":"t","task_status":"succeed","final_unit_deduction":"n/a",
        "task_result":{"videos":[{"url":"https://x/v.mp4","duration":5}]}}}"#;
    assert_eq!(
        kling::parse_query(200, body),
        Ok(JobState::Succeeded {
            video_url: "https://x/v.mp4".into(),
            duration_seconds: Some(5.0),
            charged: None,
        })
    );
}

// ---- Kling, current design ----

const CURRENT_ID: &str = "893605946402811985";
const CURRENT_KEY: &str = "storyreel-0a1b2c3d4e5f6071";

fn found(polled: Polled) -> JobState {
    match polled {
        Polled::Found(state) => state,
        Polled::NotVisible => panic!("expected a state, got NotVisible"),
    }
}

#[test]
fn kling_current_create_accepted() {
    let Submission::Accepted(ticket) =
        current::parse_create(200, &read("kling-current-create.json")).unwrap()
    else {
        panic!("refused");
    };
    assert_eq!(ticket.remote_id, CURRENT_ID);
    assert_eq!(ticket.external_id.as_deref(), Some(CURRENT_KEY));
    assert_eq!(ticket.state, JobState::Queued { position: None });
    // The legacy reader does not take the current shape, nor the reverse.
    assert_eq!(
        kling::parse_create(200, &read("kling-current-create.json")),
        Err(ParseError::Missing("task_id"))
    );
    assert_eq!(
        current::parse_create(200, &read("kling-create.json")),
        Err(ParseError::Missing("id"))
    );
}

#[test]
fn kling_current_tasks_every_status() {
    let poll = |name: &str| found(current::parse_poll(200, &read(name), CURRENT_ID).unwrap());
    assert_eq!(
        poll("kling-current-tasks-processing.json"),
        JobState::Running
    );
    assert_eq!(
        poll("kling-current-tasks-succeeded.json"),
        JobState::Succeeded {
            video_url: "https://v15-kling.klingai.com/bs2/upload-ylab-stunt-sgp/se/output.mp4"
                .into(),
            duration_seconds: Some(15.041),
            charged: Some(Charge::units(15.0)),
        }
    );
    let JobState::Succeeded { charged, .. } = poll("kling-current-tasks-succeeded-cash.json")
    else {
        panic!("not a success");
    };
    assert_eq!(
        charged,
        Some(Charge {
            units: 0.0,
            cash: Some(Cash {
                amount: 0.56,
                currency: Currency::parse("USD"),
            }),
        })
    );
    let JobState::Failed { reason: f } = poll("kling-current-tasks-failed.json") else {
        panic!("not a failure");
    };
    assert_eq!(f.scope, Scope::Task);
    assert_eq!(f.message, "Failure to pass the risk control system");
    assert_eq!(f.charged, Charged::Nothing, "an empty bill");
    assert!(!f.retryable);
    // A submitted task, from the create fixture's shape inside a list.
    let body = format!(
        r#"{{"code":0,"data":[{{"id":"{CURRENT_ID}","status":"submitted","external_id":"{CURRENT_KEY}"}}]}}"#
    );
    assert_eq!(
        found(current::parse_poll(200, &body, CURRENT_ID).unwrap()),
        JobState::Queued { position: None }
    );
}

#[test]
fn kling_current_empty_list_is_not_visible_yet() {
    let empty = read("kling-current-tasks-empty.json");
    assert_eq!(
        current::parse_poll(200, &empty, CURRENT_ID),
        Ok(Polled::NotVisible)
    );
    // A list holding another task does not stand for this one.
    assert_eq!(
        current::parse_poll(200, &read("kling-current-tasks-succeeded.json"), "other"),
        Ok(Polled::NotVisible)
    );
    let listing = current::parse_tasks(200, &empty).unwrap();
    assert_eq!(listing, Listing::Tasks(vec![]));
    assert!(listing.find_by_key(CURRENT_KEY).is_none());
    let listing = current::parse_tasks(200, &read("kling-current-tasks-processing.json")).unwrap();
    let mine = listing.find_by_key(CURRENT_KEY).unwrap();
    assert_eq!(mine.remote_id, CURRENT_ID);
    assert_eq!(mine.state, JobState::Running);
}

#[test]
fn kling_current_errors_use_the_same_table() {
    let f = refused(current::parse_create(401, &read("kling-current-error-1002.json")).unwrap());
    assert_eq!((f.category, f.retryable), (Cat::Auth, false));
    assert_eq!(f.code.as_deref(), Some("1002"));
    assert_eq!(f.charged, Charged::Nothing);
    for (code, http, category, retryable) in [
        (1102, 429, Cat::Balance, false),
        (1201, 400, Cat::InvalidRequest, false),
        (1301, 400, Cat::ContentSafety, false),
        (1303, 429, Cat::Concurrency, true),
        (5000, 500, Cat::Server, true),
    ] {
        let body = format!(r#"{{"code":{code},"message":"m","request_id":"r"}}"#);
        let f = refused(current::parse_create(http, &body).unwrap());
        assert_eq!((f.category, f.retryable), (category, retryable), "{code}");
        // On a status call the refusal is the call's, not the task's.
        let JobState::Failed { reason } =
            found(current::parse_poll(http, &body, CURRENT_ID).unwrap())
        else {
            panic!("{code}: not a failure");
        };
        assert_eq!(reason.scope, Scope::Request, "{code}");
        assert!(matches!(
            current::parse_tasks(http, &body).unwrap(),
            Listing::Refused(_)
        ));
    }
    // A gateway page with no JSON: the HTTP status is all there is.
    let f = refused(current::parse_create(502, "<html>Bad Gateway</html>").unwrap());
    assert_eq!((f.category, f.code), (Cat::Server, None));
}

#[test]
fn kling_current_outputs_and_billing() {
    let task = |outputs: &str, billing: &str| {
        format!(
            r#"{{"code":0,"data":[{{"id":"t","status":"succeeded","outputs":{outputs},"billing":{billing}}}]}}"#
        )
    };
    let succeeded = |body: String| match found(current::parse_poll(200, &body, "t").unwrap()) {
        JobState::Succeeded {
            video_url, charged, ..
        } => (video_url, charged),
        other => panic!("{other:?}"),
    };
    // The first item of type video, whatever comes before it.
    let outputs = r#"[{"type":"image","url":"https://x/i.png"},{"type":"video","url":"https://x/a.mp4"},{"type":"video","url":"https://x/b.mp4"}]"#;
    assert_eq!(succeeded(task(outputs, "[]")).0, "https://x/a.mp4");
    // Units summed over unit items; cash beside them; odd items skipped.
    let billing = r#"[{"charge_type":"unit","amount":"10"},{"charge_type":"unit","amount":2.5},
        {"charge_type":"cash","amount":"1.5","currency":"cny"},{"charge_type":"cash","amount":"9","currency":"USD"},
        {"charge_type":"unit","amount":"lots"},{"charge_type":"gift","amount":"3"}, 7]"#;
    let charge = succeeded(task(outputs, billing)).1.unwrap();
    assert_eq!(charge.units, 12.5);
    assert_eq!(
        charge.cash,
        Some(Cash {
            amount: 1.5,
            currency: Currency::parse("CNY")
        })
    );
    // No bill, an empty bill, an unreadable bill: no charge is claimed.
    for billing in [
        "null",
        "[]",
        r#"[{"charge_type":"string","amount":"string"}]"#,
        "{}",
    ] {
        assert_eq!(succeeded(task(outputs, billing)).1, None, "{billing}");
    }
    // Succeeded with no video is not a success.
    for outputs in [
        "[]",
        r#"[{"type":"image","url":"https://x/i.png"}]"#,
        r#"[{"type":"video","url":""}]"#,
        "null",
    ] {
        assert!(
            matches!(
                current::parse_poll(200, &task(outputs, "[]"), "t"),
                Err(ParseError::Missing(_))
            ),
            "{outputs}"
        );
    }
    // A failed task: what its bill says.
    let failed_with = |billing: &str| {
        let body = format!(
            r#"{{"code":0,"data":[{{"id":"t","status":"failed","message":"m","billing":{billing}}}]}}"#
        );
        match found(current::parse_poll(200, &body, "t").unwrap()) {
            JobState::Failed { reason } => reason.charged,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(failed_with("[]"), Charged::Nothing);
    assert_eq!(failed_with("null"), Charged::Unknown);
    assert_eq!(
        failed_with(r#"[{"charge_type":"unit","amount":"0"}]"#),
        Charged::Units(0.0)
    );
    assert_eq!(
        failed_with(r#"[{"charge_type":"cash","amount":"0.3","currency":"USD"}]"#),
        Charged::Cash(Cash {
            amount: 0.3,
            currency: Currency::parse("USD")
        })
    );
}

#[test]
fn kling_current_malformed_bodies() {
    let cases: &[(&str, ParseError)] = &[
        (r#"{"code":0}"#, ParseError::Missing("data")),
        (
            r#"{"code":0,"data":{"id":"t"}}"#,
            ParseError::WrongType {
                field: "data",
                expected: "an array",
            },
        ),
        (
            r#"{"code":0,"data":["t"]}"#,
            ParseError::WrongType {
                field: "data[]",
                expected: "an object",
            },
        ),
        (
            r#"{"code":0,"data":[{"status":"submitted"}]}"#,
            ParseError::Missing("id"),
        ),
        (
            r#"{"code":0,"data":[{"id":"t"}]}"#,
            ParseError::Missing("status"),
        ),
        (
            r#"{"code":0,"data":[{"id":"t","status":"succeed"}]}"#,
            ParseError::UnknownStatus("succeed".into()),
        ),
    ];
    for (body, want) in cases {
        assert_eq!(
            current::parse_poll(200, body, "t").as_ref(),
            Err(want),
            "{body}"
        );
    }
    assert!(matches!(
        current::parse_create(200, "not json"),
        Err(ParseError::NotJson(_))
    ));
    assert_eq!(
        current::parse_create(200, r#"{"code":0,"data":[]}"#),
        Err(ParseError::WrongType {
            field: "data",
            expected: "an object"
        })
    );
}

#[test]
fn currencies() {
    assert_eq!(
        Currency::parse(" usd ").map(|c| c.to_string()),
        Some("USD".into())
    );
    for bad in ["", "US", "USDT", "U$D", "ÜSD"] {
        assert_eq!(Currency::parse(bad), None, "{bad}");
    }
    let cash = Cash {
        amount: 1.2,
        currency: Currency::parse("CNY"),
    };
    let text = serde_json::to_string(&cash).unwrap();
    assert_eq!(text, r#"{"amount":1.2,"currency":"CNY"}"#);
    assert_eq!(serde_json::from_str::<Cash>(&text).unwrap(), cash);
    assert!(serde_json::from_str::<Cash>(r#"{"amount":1,"currency":"dollars"}"#).is_err());
}

// ---- fal ----

#[test]
fn fal_submit() {
    let Submission::Accepted(ticket) = fal::parse_submit(200, &read("fal-submit.json")).unwrap()
    else {
        panic!("refused")
    };
    assert_eq!(ticket.remote_id, "764cabcf-b745-4b3e-ae38-1200304cf45b");
    assert_eq!(
        ticket.status_url.as_deref(),
        Some("https://queue.fal.run/fal-ai/kling-video/requests/764cabcf-b745-4b3e-ae38-1200304cf45b/status")
    );
    assert!(ticket.result_url.unwrap().ends_with("1200304cf45b"));
    assert!(ticket.cancel_url.unwrap().ends_with("/cancel"));
    assert_eq!(ticket.state, JobState::Queued { position: Some(2) });
}

#[test]
fn fal_every_status() {
    let s = fal::parse_status(200, &read("fal-status-in-queue.json")).unwrap();
    assert_eq!(s, FalStatus::InQueue { position: Some(5) });
    assert_eq!(s.job_state(), Some(JobState::Queued { position: Some(5) }));
    let s = fal::parse_status(200, &read("fal-status-in-progress.json")).unwrap();
    assert_eq!(s.job_state(), Some(JobState::Running));
    let s = fal::parse_status(200, &read("fal-status-completed.json")).unwrap();
    assert_eq!(s, FalStatus::Completed);
    assert_eq!(s.job_state(), None);

    let s = fal::parse_status(200, &read("fal-status-completed-error.json")).unwrap();
    let FalStatus::Failed(f) = s else {
        panic!("not failed")
    };
    assert_eq!(f.category, Cat::ContentSafety);
    assert_eq!(f.scope, Scope::Task);
    assert_eq!(f.code.as_deref(), Some("content_policy_violation"));

    let FalStatus::Failed(f) = fal::parse_status(503, "Service Unavailable").unwrap() else {
        panic!("not failed")
    };
    assert_eq!((f.scope, f.retryable), (Scope::Request, true));
    assert_eq!(
        fal::parse_status(200, r#"{"status":"DONE"}"#),
        Err(ParseError::UnknownStatus("DONE".into()))
    );
    assert_eq!(
        fal::parse_status(200, r#"{"queue_position":1}"#),
        Err(ParseError::Missing("status"))
    );
}

#[test]
fn fal_result() {
    assert_eq!(
        fal::parse_result(200, &read("fal-result.json")),
        Ok(JobState::Succeeded {
            video_url: "https://v3b.fal.media/files/b/kangaroo/output.mp4".into(),
            duration_seconds: None,
            charged: None,
        })
    );
    assert_eq!(
        fal::parse_result(200, "{}"),
        Err(ParseError::Missing("video"))
    );
    assert_eq!(
        fal::parse_result(200, r#"{"video":{"content_type":"video/mp4"}}"#),
        Err(ParseError::Missing("video.url"))
    );
}

#[test]
fn fal_validation_errors() {
    let f = refused(fal::parse_submit(422, &read("fal-error-422-list.json")).unwrap());
    assert_eq!(f.category, Cat::InvalidRequest);
    assert_eq!(
        f.message,
        "Input should be '3', '4' or '5' (at body.multi_prompt.0.duration); Field required (at body.prompt)"
    );
    assert_eq!(f.charged, Charged::Nothing);
    assert!(!f.retryable);

    let f = refused(fal::parse_submit(422, &read("fal-error-422-string.json")).unwrap());
    assert_eq!(f.message, "Either prompt or multi_prompt must be provided");
    assert_eq!(f.category, Cat::InvalidRequest);

    let f = failed(fal::parse_result(422, &read("fal-error-422-list.json")).unwrap());
    assert_eq!((f.category, f.scope), (Cat::InvalidRequest, Scope::Task));
}

#[test]
fn fal_other_errors() {
    let f = failed(fal::parse_result(500, &read("fal-error-500.json")).unwrap());
    assert_eq!(f.category, Cat::Server);
    assert!(f.retryable);
    assert_eq!(f.code.as_deref(), Some("internal_server_error"));
    assert_eq!(f.message, "Internal server error");

    let f = refused(fal::parse_submit(401, r#"{"detail":"No user found for Key ID"}"#).unwrap());
    assert_eq!(f.category, Cat::Auth);
    let f = refused(fal::parse_submit(403, r#"{"message":"locked"}"#).unwrap());
    assert_eq!((f.category, f.message.as_str()), (Cat::Denied, "locked"));

    let f = failed(fal::parse_result(504, "gateway timeout").unwrap());
    assert_eq!((f.scope, f.retryable), (Scope::Request, true));
    assert_eq!(
        fal::parse_submit(200, r#"{"status":"IN_QUEUE"}"#),
        Err(ParseError::Missing("request_id"))
    );
}

// ---- Replicate ----

#[test]
fn replicate_create() {
    let Submission::Accepted(ticket) =
        replicate::parse_create(201, &read("replicate-starting.json")).unwrap()
    else {
        panic!("refused")
    };
    assert_eq!(ticket.remote_id, "gm3qorzdhgbfurvjtvhg6dckhu");
    assert_eq!(
        ticket.status_url.as_deref(),
        Some("https://api.replicate.com/v1/predictions/gm3qorzdhgbfurvjtvhg6dckhu")
    );
    assert!(ticket.cancel_url.unwrap().ends_with("/cancel"));
    assert_eq!(ticket.state, JobState::Queued { position: None });

    let f = refused(replicate::parse_create(422, &read("replicate-error-422.json")).unwrap());
    assert_eq!(f.category, Cat::InvalidRequest);
    assert_eq!(
        f.message,
        "- input.duration: Must be less than or equal to 15"
    );
    let f = refused(replicate::parse_create(500, "oops").unwrap());
    assert_eq!((f.category, f.retryable), (Cat::Server, true));
}

#[test]
fn replicate_every_status() {
    assert_eq!(
        replicate::parse_prediction(200, &read("replicate-starting.json")),
        Ok(JobState::Queued { position: None })
    );
    assert_eq!(
        replicate::parse_prediction(200, &read("replicate-processing.json")),
        Ok(JobState::Running)
    );
    assert_eq!(
        replicate::parse_prediction(200, &read("replicate-succeeded.json")),
        Ok(JobState::Succeeded {
            video_url: "https://replicate.delivery/xezq/abc123/output.mp4".into(),
            duration_seconds: None,
            charged: None,
        })
    );
    let f = failed(replicate::parse_prediction(200, &read("replicate-failed.json")).unwrap());
    assert_eq!(f.message, "multi_prompt durations must sum to duration");
    assert_eq!(
        (f.category, f.scope, f.code.as_deref()),
        (Cat::Unknown, Scope::Task, Some("failed"))
    );
    let f = failed(replicate::parse_prediction(200, &read("replicate-canceled.json")).unwrap());
    assert_eq!((f.category, f.message.as_str()), (Cat::Canceled, ""));
    let f = failed(replicate::parse_prediction(200, &read("replicate-aborted.json")).unwrap());
    assert_eq!(
        (f.category, f.code.as_deref()),
        (Cat::Canceled, Some("aborted"))
    );

    let f = failed(replicate::parse_prediction(404, r#"{"detail":"Not found."}"#).unwrap());
    assert_eq!((f.category, f.scope), (Cat::NotFound, Scope::Request));
}

#[test]
fn replicate_malformed() {
    assert_eq!(
        replicate::parse_prediction(200, r#"{"id":"x","status":"succeeded","output":null}"#),
        Err(ParseError::Missing("output"))
    );
    assert_eq!(
        replicate::parse_prediction(200, r#"{"id":"x","status":"queued"}"#),
        Err(ParseError::UnknownStatus("queued".into()))
    );
    assert_eq!(
        replicate::parse_create(201, r#"{"status":"starting"}"#),
        Err(ParseError::Missing("id"))
    );
    assert!(matches!(
        replicate::parse_prediction(200, "not json"),
        Err(ParseError::NotJson(_))
    ));
    // A list of outputs is taken too (the first).
    assert!(matches!(
        replicate::parse_prediction(
            200,
            r#"{"status":"succeeded","output":["https://r/v.mp4"]}"#
        ),
        Ok(JobState::Succeeded { .. })
    ));
}

#[test]
fn failures_read_in_plain_words() {
    let f = refused(kling::parse_create(400, &read("kling-error-1301.json")).unwrap());
    let text = f.to_string();
    assert!(text.starts_with("The provider's content policy blocked this request"));
    assert!(text.ends_with("(1301)"));
}
