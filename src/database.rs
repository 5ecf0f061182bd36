//! The app's IndexedDB database, `storyreel`: its stores, opened once;
//! the record layout and the writes they share; and the job journal and
//! the takes.
//!
//! - `jobs`: one record per job, keyed by its idempotency key:
//!   `{key, entry}` where `entry` is the core `journal::Entry` as JSON (the
//!   `Job`, the board snapshot, the lease, timestamps).
//! - `takes`: one per finished clip: `{key, take, clip}` with the core
//!   `Take` as JSON and the video as a `Blob`.
//! - `boards`: the library, one record per board (see `library.rs`).
//! - `characters`: the character library, one record per character (see
//!   `characters.rs`).
//! - `character_tasks`: one record per Kling element being made, keyed by
//!   its `external_task_id`, with its lease (see `character_making.rs`).
//!
//! Every change that decides something is a read-then-write in one
//! readwrite transaction, which IndexedDB runs one at a time across tabs:
//! a second tab (or a double click) sees what the first wrote.

use std::cell::RefCell;
use std::rc::Rc;

use idb::{Database, DatabaseEvent, Factory, KeyPath, ObjectStoreParams, TransactionMode};
use js_sys::{Object, Reflect};
use storyreel_core::journal::{busy_with, Entry, Take};
use wasm_bindgen::JsValue;

pub const DB_NAME: &str = "storyreel";
/// Version 2 added the `boards` store (the library, `library.rs`);
/// version 3 the `characters` and `character_tasks` stores. An upgrade
/// only adds the stores that are missing, so every record stays.
const DB_VERSION: u32 = 3;
const JOBS: &str = "jobs";
const TAKES: &str = "takes";
pub const BOARDS: &str = "boards";
pub const CHARACTERS: &str = "characters";
pub const CHARACTER_TASKS: &str = "character_tasks";

thread_local! {
    static DB: RefCell<Option<Rc<Database>>> = const { RefCell::new(None) };
}

pub fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The open database (opened, and created, on first use).
pub async fn db() -> Result<Rc<Database>, String> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let factory = Factory::new().map_err(|e| format!("IndexedDB is not available ({e})"))?;
    let mut open = factory.open(DB_NAME, Some(DB_VERSION)).map_err(err)?;
    open.on_upgrade_needed(|event| {
        let Ok(db) = event.database() else { return };
        let names = db.store_names();
        for name in [JOBS, TAKES, BOARDS, CHARACTERS, CHARACTER_TASKS] {
            if !names.iter().any(|n| n == name) {
                let mut params = ObjectStoreParams::new();
                params.key_path(Some(KeyPath::new_single("key")));
                let _ = db.create_object_store(name, params);
            }
        }
    });
    let db = Rc::new(open.await.map_err(err)?);
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

pub fn record(key: &str, field: &str, json: &str) -> Result<JsValue, String> {
    let obj = Object::new();
    Reflect::set(&obj, &"key".into(), &key.into()).map_err(|_| "cannot build a record")?;
    Reflect::set(&obj, &field.into(), &json.into()).map_err(|_| "cannot build a record")?;
    Ok(obj.into())
}

/// `record` stamped with when it was saved (ms since the epoch) in its
/// `updated` field: `{key, <field>, updated}`, as the library's `boards`
/// and `characters` keep theirs.
pub fn stamped_record(
    key: &str,
    field: &str,
    json: &str,
    updated_ms: f64,
) -> Result<JsValue, String> {
    let value = record(key, field, json)?;
    Reflect::set(&value, &"updated".into(), &JsValue::from_f64(updated_ms))
        .map_err(|_| "cannot build a record")?;
    Ok(value)
}

/// Writes `value` into `store_name` (replacing the record with its key)
/// in a read-write transaction of its own.
pub async fn put(store_name: &str, value: &JsValue) -> Result<(), String> {
    let db = db().await?;
    let tx = db
        .transaction(&[store_name], TransactionMode::ReadWrite)
        .map_err(err)?;
    let store = tx.object_store(store_name).map_err(err)?;
    store
        .put(value, None)
        .map_err(err)?
        .await
        .map_err(|e| format!("{e} (browser storage full?)"))?;
    tx.commit().map_err(err)?.await.map_err(err)?;
    Ok(())
}

pub fn field_text(value: &JsValue, field: &str) -> Option<String> {
    Reflect::get(value, &field.into()).ok()?.as_string()
}

fn entry_of(value: &JsValue) -> Option<Entry> {
    serde_json::from_str(&field_text(value, "entry")?).ok()
}

fn entry_record(entry: &Entry) -> Result<JsValue, String> {
    let json = serde_json::to_string(entry).map_err(err)?;
    record(entry.key(), "entry", &json)
}

/// Every record of `store_name`.
pub async fn all(store_name: &str) -> Result<Vec<wasm_bindgen::JsValue>, String> {
    let db = db().await?;
    let tx = db
        .transaction(&[store_name], TransactionMode::ReadOnly)
        .map_err(err)?;
    let store = tx.object_store(store_name).map_err(err)?;
    let values = store.get_all(None, None).map_err(err)?.await.map_err(err)?;
    let _ = tx.await;
    Ok(values)
}

/// Every record of `store_name`, read by `read`. An empty store (the
/// usual start) is answered without calling it, so a `lazy!` reader's
/// code loads only when there is a record to read.
pub async fn read_all<T, F>(
    store_name: &str,
    read: impl FnOnce(Vec<JsValue>) -> F,
) -> Result<Vec<T>, String>
where
    F: std::future::Future<Output = Vec<T>>,
{
    let values = all(store_name).await?;
    if values.is_empty() {
        return Ok(Vec::new());
    }
    Ok(read(values).await)
}

/// Every journaled job, oldest first. Unreadable records are skipped.
pub async fn entries() -> Result<Vec<Entry>, String> {
    read_all(JOBS, read_entries).await
}

lazy! {
    /// The journal's records read as jobs, oldest first (`lazy!`,
    /// src/lazy.rs).
    fn read_entries(values: Vec<JsValue>) -> Vec<Entry> {
        let mut out: Vec<Entry> = values.iter().filter_map(entry_of).collect();
        out.sort_by_key(|e| e.job.created_at_ms);
        out
    }
}

/// Why a new job was not journaled.
pub enum NotAdded {
    /// A job for this same board is still running (its key).
    Busy(String),
    Storage(String),
}

/// Journals a new job, unless a job for the same board is still running
/// (read and write in one transaction, so two tabs cannot both add one).
pub async fn add_if_free(entry: &Entry) -> Result<(), NotAdded> {
    let db = db().await.map_err(NotAdded::Storage)?;
    let storage = |e: idb::Error| NotAdded::Storage(e.to_string());
    let tx = db
        .transaction(&[JOBS], TransactionMode::ReadWrite)
        .map_err(storage)?;
    let store = tx.object_store(JOBS).map_err(storage)?;
    let values = store
        .get_all(None, None)
        .map_err(storage)?
        .await
        .map_err(storage)?;
    let existing: Vec<Entry> = values.iter().filter_map(entry_of).collect();
    if let Some(busy) = busy_with(&existing, &entry.board) {
        let key = busy.key().to_string();
        let _ = tx.abort();
        return Err(NotAdded::Busy(key));
    }
    let value = entry_record(entry).map_err(NotAdded::Storage)?;
    store
        .add(&value, None)
        .map_err(storage)?
        .await
        .map_err(storage)?;
    tx.commit().map_err(storage)?.await.map_err(storage)?;
    Ok(())
}

/// Reads the job with `key` and, if `tab` may drive it now, renews the
/// tab's lease on it; `Ok(None)` when another tab holds it (or it is gone).
pub async fn claim(key: &str, tab: &str, now_ms: u64) -> Result<Option<Entry>, String> {
    let db = db().await?;
    let tx = db
        .transaction(&[JOBS], TransactionMode::ReadWrite)
        .map_err(err)?;
    let store = tx.object_store(JOBS).map_err(err)?;
    let stored = store
        .get(JsValue::from_str(key))
        .map_err(err)?
        .await
        .map_err(err)?;
    let Some(mut entry) = stored.as_ref().and_then(entry_of) else {
        let _ = tx.abort();
        return Ok(None);
    };
    if !entry.may_drive(tab, now_ms) {
        let _ = tx.abort();
        return Ok(None);
    }
    entry.claim(tab, now_ms, 0);
    store
        .put(&entry_record(&entry)?, None)
        .map_err(err)?
        .await
        .map_err(err)?;
    tx.commit().map_err(err)?.await.map_err(err)?;
    Ok(Some(entry))
}

/// Writes `entry` if `tab` still may drive it; `Ok(false)` if another tab
/// took it over (or it was deleted) meanwhile.
pub async fn save(entry: &Entry, tab: &str, now_ms: u64) -> Result<bool, String> {
    let db = db().await?;
    let tx = db
        .transaction(&[JOBS], TransactionMode::ReadWrite)
        .map_err(err)?;
    let store = tx.object_store(JOBS).map_err(err)?;
    let stored = store
        .get(JsValue::from_str(entry.key()))
        .map_err(err)?
        .await
        .map_err(err)?;
    let mine = stored
        .as_ref()
        .and_then(entry_of)
        .is_some_and(|e| e.may_drive(tab, now_ms));
    if !mine {
        let _ = tx.abort();
        return Ok(false);
    }
    store
        .put(&entry_record(entry)?, None)
        .map_err(err)?
        .await
        .map_err(err)?;
    tx.commit().map_err(err)?.await.map_err(err)?;
    Ok(true)
}

/// Removes a job from the journal.
pub async fn forget(key: &str) -> Result<(), String> {
    delete(JOBS, key).await
}

pub async fn delete(store_name: &str, key: &str) -> Result<(), String> {
    let db = db().await?;
    let tx = db
        .transaction(&[store_name], TransactionMode::ReadWrite)
        .map_err(err)?;
    let store = tx.object_store(store_name).map_err(err)?;
    store
        .delete(JsValue::from_str(key))
        .map_err(err)?
        .await
        .map_err(err)?;
    tx.commit().map_err(err)?.await.map_err(err)?;
    Ok(())
}

/// Stores a take and its clip.
pub async fn put_take(take: &Take, clip: &web_sys::Blob) -> Result<(), String> {
    let json = serde_json::to_string(take).map_err(err)?;
    let value = record(&take.key, "take", &json)?;
    Reflect::set(&value, &"clip".into(), clip).map_err(|_| "cannot build a record")?;
    put(TAKES, &value).await
}

/// Every take with its clip, oldest first.
pub async fn takes() -> Result<Vec<(Take, web_sys::Blob)>, String> {
    read_all(TAKES, read_takes).await
}

lazy! {
    /// The takes' records read with their clips, oldest first (`lazy!`,
    /// src/lazy.rs).
    fn read_takes(values: Vec<JsValue>) -> Vec<(Take, web_sys::Blob)> {
        use wasm_bindgen::JsCast;
        let mut out: Vec<(Take, web_sys::Blob)> = values
            .iter()
            .filter_map(|v| {
                let take: Take = serde_json::from_str(&field_text(v, "take")?).ok()?;
                let clip = Reflect::get(v, &"clip".into())
                    .ok()?
                    .dyn_into::<web_sys::Blob>()
                    .ok()?;
                Some((take, clip))
            })
            .collect();
        out.sort_by_key(|(t, _)| t.created_ms);
        out
    }
}

/// Removes a take and its clip.
pub async fn delete_take(key: &str) -> Result<(), String> {
    delete(TAKES, key).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyreel_core::job::Job;
    use storyreel_core::{Board, Provider, Shot};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn entry(key: &str, prompt: &str) -> Entry {
        let board = Board {
            shots: vec![Shot::new(prompt, 4)],
            ..Board::default()
        };
        Entry::new(
            Job::new(key.into(), Provider::Kling, crate::net::now_ms()),
            board,
            "/v1/videos/omni-video".into(),
        )
    }

    #[wasm_bindgen_test]
    async fn a_journaled_job_reads_back() {
        let e = entry("storyreel-test-readback", "read back");
        let _ = forget(e.key()).await;
        assert!(add_if_free(&e).await.is_ok());
        let all = entries().await.unwrap();
        let back = all.iter().find(|x| x.key() == e.key()).expect("stored");
        assert_eq!(back, &e);
        forget(e.key()).await.unwrap();
    }

    #[wasm_bindgen_test]
    async fn a_second_job_for_the_same_board_is_refused() {
        let a = entry("storyreel-test-first", "same board");
        let b = entry("storyreel-test-second", "same board");
        let _ = forget(a.key()).await;
        let _ = forget(b.key()).await;
        assert!(add_if_free(&a).await.is_ok());
        match add_if_free(&b).await {
            Err(NotAdded::Busy(key)) => assert_eq!(key, a.key()),
            _ => panic!("the second job was journaled"),
        }
        // The same key twice is refused too.
        let mut other = entry("storyreel-test-first", "another board");
        other.board.title = "x".into();
        assert!(add_if_free(&other).await.is_err());
        forget(a.key()).await.unwrap();
        assert!(add_if_free(&b).await.is_ok(), "free again");
        forget(b.key()).await.unwrap();
    }

    #[wasm_bindgen_test]
    async fn only_the_lease_holder_drives_a_job() {
        let e = entry("storyreel-test-lease", "lease");
        let _ = forget(e.key()).await;
        add_if_free(&e).await.ok();
        let now = crate::net::now_ms();
        let mine = claim(e.key(), "tab-a", now).await.unwrap().expect("free");
        assert!(claim(e.key(), "tab-b", now).await.unwrap().is_none());
        assert!(!save(&mine, "tab-b", now).await.unwrap());
        assert!(save(&mine, "tab-a", now).await.unwrap());
        forget(e.key()).await.unwrap();
    }

    #[wasm_bindgen_test]
    async fn takes_keep_their_clip() {
        let e = entry("storyreel-test-take", "take");
        let mut finished = e.clone();
        finished.job.phase = storyreel_core::job::Phase::Finished {
            remote_id: "t".into(),
            video_url: "https://x/v.mp4".into(),
        };
        let take = Take::of(&finished, 1, 3).unwrap();
        let bytes = js_sys::Uint8Array::from(&[1u8, 2, 3][..]);
        let parts = js_sys::Array::of1(&bytes);
        let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
        put_take(&take, &blob).await.unwrap();
        let all = takes().await.unwrap();
        let (back, clip) = all.iter().find(|(t, _)| t.key == take.key).unwrap();
        assert_eq!(back, &take);
        assert_eq!(crate::net::blob_bytes(clip).await, vec![1, 2, 3]);
        delete_take(&take.key).await.unwrap();
    }
}
