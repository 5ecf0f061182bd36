//! Kling's current design (providers.md §0.3–0.4): create at
//! `POST /omni-video/kling-3.0-omni`, look tasks up with
//! `GET /tasks?task_ids=` or `?external_task_ids=` and list them with
//! `POST /tasks`. API key only. Faults apply as on the legacy paths: the
//! create queue to the create, the query queue to `GET /tasks`, the list
//! queue to `POST /tasks`.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use storyreel_core::options::KlingApi;

use super::task::{Status, Task};
use super::validate::{bad, CreateRoute};
use super::validate_current::{self, MODEL};
use super::{answer, authorized, enqueue, now_ms, read_fault, video_url, KlingError, Simulator};

/// Most tasks one `POST /tasks` page holds, and the default.
pub const MAX_LIMIT: i64 = 500;
pub const DEFAULT_LIMIT: i64 = 100;
/// How far back a listing looks when no start is given.
pub const DEFAULT_WINDOW_MS: u64 = 30 * 24 * 3600 * 1000;

pub async fn create(
    State(sim): State<Arc<Simulator>>,
    Path(model): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let rid = match authorized(&sim, &headers, KlingApi::Current) {
        Ok(rid) => rid,
        Err(refused) => return refused.into_response(),
    };
    if model != MODEL {
        return KlingError::new(
            404,
            1203,
            format!("model {model} does not exist; this design serves /omni-video/{MODEL}"),
        )
        .into_response(rid);
    }
    let (after, body) = match super::received_create(&sim, &rid, &body).await {
        Ok(got) => got,
        Err(res) => return res,
    };
    let spec = match validate_current::create(&body) {
        Ok(spec) => spec,
        Err(e) => return e.into_response(rid),
    };
    let task = match enqueue(&sim, CreateRoute::Current, spec, &after) {
        Ok(task) => task,
        Err(e) => return e.into_response(rid),
    };
    tracing::info!(task = %task.id, seconds = task.spec.seconds(), "simulator: task created (current design)");
    answer(after, rid, task.current_created_json())
}

#[derive(Deserialize)]
pub struct Ids {
    task_ids: Option<String>,
    external_task_ids: Option<String>,
}

/// The non-empty, distinct entries of a comma-separated batch, in order.
fn batch(list: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for id in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// `GET /tasks`: by task ids or by external ids (exactly one of the two).
/// Ids the simulator does not know are left out: an empty list, not an
/// error.
pub async fn query(
    State(sim): State<Arc<Simulator>>,
    ids: Result<Query<Ids>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let rid = match authorized(&sim, &headers, KlingApi::Current) {
        Ok(rid) => rid,
        Err(refused) => return refused.into_response(),
    };
    let Ok(Query(ids)) = ids else {
        return bad("the query string cannot be read").into_response(rid);
    };
    let given = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let (by_external, list) = match (given(ids.task_ids), given(ids.external_task_ids)) {
        (Some(t), None) => (false, t),
        (None, Some(e)) => (true, e),
        (Some(_), Some(_)) => {
            return bad("task_ids and external_task_ids cannot be used together; send one of them")
                .into_response(rid)
        }
        (None, None) => {
            return bad("one of task_ids or external_task_ids is required").into_response(rid)
        }
    };
    let after = match read_fault(&sim, |f| &mut f.query, &rid).await {
        Ok(after) => after,
        Err(res) => return res,
    };
    let now = now_ms();
    let found: Vec<Value> = {
        let store = sim.store();
        batch(&list)
            .into_iter()
            .filter_map(|wanted| {
                store.tasks.iter().find(|t| {
                    if by_external {
                        t.spec.external_task_id.as_deref() == Some(wanted)
                    } else {
                        t.id == wanted
                    }
                })
            })
            .map(|t| t.current_json(now, &video_url(&headers, &t.id)))
            .collect()
    };
    answer(after, rid, Value::Array(found))
}

/// Where a listing goes on: below which store position, in which window.
/// Written as `v1.<before>.<start>.<end>`; new tasks never move it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cursor {
    before: usize,
    start: u64,
    end: u64,
}

impl Cursor {
    fn text(self) -> String {
        format!("v1.{}.{}.{}", self.before, self.start, self.end)
    }

    fn parse(s: &str) -> Option<Cursor> {
        let mut parts = s.strip_prefix("v1.")?.split('.');
        let cursor = Cursor {
            before: parts.next()?.parse().ok()?,
            start: parts.next()?.parse().ok()?,
            end: parts.next()?.parse().ok()?,
        };
        parts.next().is_none().then_some(cursor)
    }
}

/// A time in milliseconds, sent as a string of digits (Kling's example)
/// or a number.
fn millis(body: &serde_json::Map<String, Value>, name: &str) -> Result<Option<u64>, KlingError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(v) => v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .map(Some)
            .ok_or_else(|| {
                bad(format!(
                    "{name} value '{}' is invalid; it must be a Unix time in milliseconds",
                    v.as_str().map_or_else(|| v.to_string(), str::to_string)
                ))
            }),
    }
}

/// What a listing asks for.
struct Listing {
    cursor: Cursor,
    limit: usize,
    statuses: Option<Vec<String>>,
    /// False when a `product_type` filter leaves video out.
    videos: bool,
}

fn read_listing(body: &Value) -> Result<Listing, KlingError> {
    let empty = serde_json::Map::new();
    let body = match body {
        Value::Null => &empty,
        Value::Object(b) => b,
        _ => {
            return Err(KlingError::new(
                400,
                1200,
                "the request body must be a JSON object",
            ))
        }
    };
    let limit = match body.get("limit") {
        None | Some(Value::Null) => DEFAULT_LIMIT,
        Some(v) => v
            .as_i64()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                bad(format!(
                    "limit value '{v}' is invalid; it must be an integer from 1 to {MAX_LIMIT}"
                ))
            })?,
    } as usize;
    let cursor = match body.get("cursor") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(Cursor::parse(s).ok_or_else(|| {
            bad(format!(
                "cursor value '{s}' is invalid; send the next_cursor of the previous page"
            ))
        })?),
        Some(other) => return Err(bad(format!("cursor value '{other}' is invalid"))),
    };
    let cursor = match cursor {
        // With a cursor, start_time and end_time are ignored.
        Some(c) => c,
        None => {
            let end = millis(body, "end_time")?.unwrap_or_else(now_ms);
            let start = millis(body, "start_time")?
                .unwrap_or_else(|| end.saturating_sub(DEFAULT_WINDOW_MS));
            if start >= end {
                return Err(bad(format!(
                    "start_time {start} must be earlier than end_time {end}"
                )));
            }
            Cursor {
                before: usize::MAX,
                start,
                end,
            }
        }
    };
    let mut listing = Listing {
        cursor,
        limit,
        statuses: None,
        videos: true,
    };
    let filters = match body.get("filters") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(f)) => f.as_slice(),
        Some(other) => {
            return Err(bad(format!(
                "filters value '{other}' is invalid; it must be an array"
            )))
        }
    };
    for (i, filter) in filters.iter().enumerate() {
        let key = filter.get("key").and_then(Value::as_str);
        let values: Vec<String> = match filter.get("values").and_then(Value::as_array) {
            Some(vs) => vs
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<_>>()
                .ok_or_else(|| bad(format!("filters[{i}].values must be strings")))?,
            None => return Err(bad(format!("filters[{i}].values must be an array"))),
        };
        let allowed: &[&str] = match key {
            Some("status") => &["submitted", "processing", "succeeded", "failed"],
            Some("product_type") => &["video", "image", "try_on"],
            _ => {
                return Err(bad(format!(
                    "filters[{i}].key value '{}' is invalid; it must be status or product_type",
                    filter.get("key").map_or_else(String::new, |k| k
                        .as_str()
                        .map_or_else(|| k.to_string(), str::to_string))
                )))
            }
        };
        if let Some(v) = values.iter().find(|v| !allowed.contains(&v.as_str())) {
            return Err(bad(format!(
                "filters[{i}].values value '{v}' is invalid; it must be {}",
                allowed.join(", ")
            )));
        }
        if key == Some("status") {
            listing.statuses = Some(values);
        } else {
            listing.videos = values.iter().any(|v| v == "video");
        }
    }
    Ok(listing)
}

impl Listing {
    fn admits(&self, task: &Task, now: u64) -> bool {
        let c = self.cursor;
        self.videos
            && (c.start..=c.end).contains(&task.created_ms)
            && self.statuses.as_ref().is_none_or(|s| {
                let status: Status = task.status_at(now);
                s.iter().any(|v| v == status.current_str())
            })
    }
}

/// `POST /tasks`: the tasks of both designs, newest first, a page at a
/// time with a cursor that new tasks do not disturb.
pub async fn list(
    State(sim): State<Arc<Simulator>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let rid = match authorized(&sim, &headers, KlingApi::Current) {
        Ok(rid) => rid,
        Err(refused) => return refused.into_response(),
    };
    let body: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                return KlingError::new(
                    400,
                    1200,
                    format!("the request body is not valid JSON: {e}"),
                )
                .into_response(rid)
            }
        }
    };
    let listing = match read_listing(&body) {
        Ok(l) => l,
        Err(e) => return e.into_response(rid),
    };
    let after = match read_fault(&sim, |f| &mut f.list, &rid).await {
        Ok(after) => after,
        Err(res) => return res,
    };
    let now = now_ms();
    let (result, next) = {
        let store = sim.store();
        let below = listing.cursor.before.min(store.tasks.len());
        let mut matching = (0..below)
            .rev()
            .filter(|&i| listing.admits(&store.tasks[i], now));
        let page: Vec<usize> = matching.by_ref().take(listing.limit).collect();
        let more = matching.next().is_some();
        let result: Vec<Value> = page
            .iter()
            .map(|&i| {
                let t = &store.tasks[i];
                t.current_json(now, &video_url(&headers, &t.id))
            })
            .collect();
        let next = match (more, page.last()) {
            (true, Some(&last)) => Cursor {
                before: last,
                ..listing.cursor
            }
            .text(),
            _ => String::new(),
        };
        (result, next)
    };
    let data = json!({
        "count": result.len(),
        "has_more": !next.is_empty(),
        "next_cursor": next,
        "result": result,
    });
    answer(after, rid, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_drop_blanks_and_repeats() {
        assert_eq!(batch(" a,b,,a , c"), vec!["a", "b", "c"]);
        assert!(batch(",").is_empty());
    }

    #[test]
    fn cursors_read_back_and_refuse_anything_else() {
        let c = Cursor {
            before: 7,
            start: 1,
            end: 99,
        };
        assert_eq!(Cursor::parse(&c.text()), Some(c));
        for bad in ["", "v1.7.1", "v1.7.1.99.3", "v2.7.1.99", "v1.x.1.99"] {
            assert_eq!(Cursor::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn listing_limits_are_checked() {
        let e = |b: Value| {
            read_listing(&b)
                .err()
                .map(|e| e.message)
                .unwrap_or_default()
        };
        assert!(read_listing(&json!({"limit": 500})).is_ok());
        assert!(e(json!({"limit": 501})).contains("limit value '501' is invalid"));
        assert!(e(json!({"limit": 0})).contains("limit value '0'"));
        assert!(e(json!({"start_time": "5", "end_time": "5"})).contains("earlier"));
        assert!(e(json!({"filters": [{"key": "colour", "values": []}]})).contains("'colour'"));
        assert!(
            e(json!({"filters": [{"key": "status", "values": ["succeed"]}]}))
                .contains("'succeed' is invalid")
        );
        assert_eq!(read_listing(&Value::Null).map(|l| l.limit).ok(), Some(100));
    }
}
