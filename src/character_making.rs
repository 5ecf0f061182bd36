//! The making of Kling elements and custom voices: journaled exactly like
//! a generation (see `jobs.rs`), decided by the core's
//! `character::making::Making`, driven here.
//!
//! A making is a record `{key, making}` in the `character_tasks` store,
//! keyed by its `external_task_id`. It is written, together with the
//! character's "making" status, in one read-write transaction that
//! refuses a second making of the same kind for the same character (a
//! double click, a second tab), and before the create call leaves. Only
//! the tab holding a making's lease drives it; the others hear of every
//! step on a `BroadcastChannel`. Unfinished makings resume when the page
//! starts. Each step also updates the character (`Making::apply_to`) in
//! the same transaction, so the library always says where it stands.

use std::collections::HashSet;

use idb::TransactionMode;
use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::character::making::{busy_with, Making, MakingAction};
use storyreel_core::character::{Character, ElementStatus};
use wasm_bindgen::prelude::*;

use crate::characters::Characters;
use crate::database::{self, err, CHARACTERS, CHARACTER_TASKS};
use crate::net;
use crate::settings::Settings;
use storyreel_core::transport::Transport;

const CHANNEL: &str = "storyreel-character-tasks";
/// How often makings held by another tab are checked for a lapsed lease.
const SWEEP_MS: u64 = 5_000;

/// The makings this page knows of and drives; shared through context.
#[derive(Clone, Copy)]
pub struct Makings {
    /// Every journaled making, oldest first.
    pub all: RwSignal<Vec<Making>>,
    driving: StoredValue<HashSet<String>>,
    tab: StoredValue<String>,
}

impl Makings {
    pub fn expect() -> Makings {
        expect_context::<Makings>()
    }

    /// The latest making for character `id` of the given kind.
    pub fn latest_for(&self, id: &str, element: bool) -> Option<Making> {
        self.all.with(|all| {
            all.iter()
                .rev()
                .find(|m| m.character_id == id && m.is_element() == element)
                .cloned()
        })
    }
}

fn making_of(value: &JsValue) -> Option<Making> {
    serde_json::from_str(&database::field_text(value, "making")?).ok()
}

fn making_record(m: &Making) -> Result<JsValue, String> {
    let json = serde_json::to_string(m).map_err(err)?;
    database::record(&m.key, "making", &json)
}

fn character_record(c: &Character) -> Result<JsValue, String> {
    let json = serde_json::to_string(c).map_err(err)?;
    database::stamped_record(&c.id, "character", &json, c.updated_ms as f64)
}

/// Every journaled making, oldest first.
async fn list() -> Result<Vec<Making>, String> {
    database::read_all(CHARACTER_TASKS, read_makings).await
}

lazy! {
    /// The journal's records read as makings, oldest first (`lazy!`,
    /// src/lazy.rs).
    fn read_makings(values: Vec<JsValue>) -> Vec<Making> {
        let mut out: Vec<Making> = values.iter().filter_map(making_of).collect();
        out.sort_by_key(|m| m.created_ms);
        out
    }
}

/// Writes `making` and brings its character up to date, in one
/// transaction; with `fresh`, refuses when a making of the same kind for
/// the same character is under way (its key), and when `tab` is given,
/// only if that tab may still drive it (`Ok(false)` otherwise).
async fn write(
    making: &Making,
    fresh: bool,
    tab: Option<&str>,
    now_ms: u64,
) -> Result<bool, String> {
    let db = database::db().await?;
    let tx = db
        .transaction(&[CHARACTER_TASKS, CHARACTERS], TransactionMode::ReadWrite)
        .map_err(err)?;
    let tasks = tx.object_store(CHARACTER_TASKS).map_err(err)?;
    if fresh {
        let values = tasks.get_all(None, None).map_err(err)?.await.map_err(err)?;
        let existing: Vec<Making> = values.iter().filter_map(making_of).collect();
        if let Some(busy) = busy_with(&existing, &making.character_id, making.is_element()) {
            let key = busy.key.clone();
            let _ = tx.abort();
            return Err(format!("already being made (task {key})"));
        }
    }
    if let Some(tab) = tab {
        let stored = tasks
            .get(JsValue::from_str(&making.key))
            .map_err(err)?
            .await
            .map_err(err)?;
        let mine = stored
            .as_ref()
            .and_then(making_of)
            .is_some_and(|m| m.may_drive(tab, now_ms));
        if !mine {
            let _ = tx.abort();
            return Ok(false);
        }
    }
    let value = making_record(making)?;
    if fresh {
        tasks.add(&value, None).map_err(err)?.await.map_err(err)?;
    } else {
        tasks.put(&value, None).map_err(err)?.await.map_err(err)?;
    }
    if !making.character_id.is_empty() {
        let characters = tx.object_store(CHARACTERS).map_err(err)?;
        let stored = characters
            .get(JsValue::from_str(&making.character_id))
            .map_err(err)?
            .await
            .map_err(err)?;
        let character: Option<Character> = stored
            .as_ref()
            .and_then(|v| database::field_text(v, "character"))
            .and_then(|t| serde_json::from_str(&t).ok());
        if let Some(mut c) = character {
            let before = c.clone();
            making.apply_to(&mut c);
            if c != before {
                c.updated_ms = now_ms.max(c.updated_ms);
                characters
                    .put(&character_record(&c)?, None)
                    .map_err(err)?
                    .await
                    .map_err(err)?;
            }
        }
    }
    tx.commit().map_err(err)?.await.map_err(err)?;
    Ok(true)
}

/// Reads the making `key` and, if `tab` may drive it now, renews the
/// tab's lease on it; `None` when another tab holds it (or it is gone).
async fn claim(key: &str, tab: &str, now_ms: u64) -> Result<Option<Making>, String> {
    let db = database::db().await?;
    let tx = db
        .transaction(&[CHARACTER_TASKS], TransactionMode::ReadWrite)
        .map_err(err)?;
    let store = tx.object_store(CHARACTER_TASKS).map_err(err)?;
    let stored = store
        .get(JsValue::from_str(key))
        .map_err(err)?
        .await
        .map_err(err)?;
    let Some(mut making) = stored.as_ref().and_then(making_of) else {
        let _ = tx.abort();
        return Ok(None);
    };
    if !making.is_active() || !making.may_drive(tab, now_ms) {
        let _ = tx.abort();
        return Ok(None);
    }
    making.claim(tab, now_ms, 0);
    store
        .put(&making_record(&making)?, None)
        .map_err(err)?
        .await
        .map_err(err)?;
    tx.commit().map_err(err)?.await.map_err(err)?;
    Ok(Some(making))
}

fn announce() {
    crate::tabs::post(CHANNEL, &JsValue::from_str("changed"));
}

/// Reads the makings, resumes the unfinished ones, and keeps watching
/// (other tabs, lapsed leases).
pub fn start(characters: Characters, settings: Settings) -> Makings {
    let makings = Makings {
        all: RwSignal::new(Vec::new()),
        driving: StoredValue::new(HashSet::new()),
        tab: StoredValue::new(crate::tabs::tab_id()),
    };
    crate::tabs::listen(CHANNEL, move |_| {
        spawn_local(async move {
            reload(makings).await;
            characters.reload();
        });
    });
    let sweep = move || {
        spawn_local(async move {
            reload(makings).await;
            resume(makings, characters, settings);
        })
    };
    sweep();
    set_interval(sweep, std::time::Duration::from_millis(SWEEP_MS));
    makings
}

async fn reload(makings: Makings) {
    if let Ok(all) = list().await {
        if makings.all.with_untracked(|now| *now != all) {
            makings.all.set(all);
        }
    }
}

fn upsert(makings: Makings, making: Making) {
    makings.all.update(|all| {
        match all.iter_mut().find(|m| m.key == making.key) {
            Some(slot) => *slot = making,
            None => all.push(making),
        }
        all.sort_by_key(|m| m.created_ms);
    });
}

fn resume(makings: Makings, characters: Characters, settings: Settings) {
    let keys: Vec<String> = makings.all.with_untracked(|all| {
        all.iter()
            .filter(|m| m.is_active())
            .map(|m| m.key.clone())
            .collect()
    });
    for key in keys {
        drive(makings, characters, settings, key);
    }
}

fn drive(makings: Makings, characters: Characters, settings: Settings, key: String) {
    let fresh = makings.driving.try_update_value(|d| d.insert(key.clone()));
    if fresh != Some(true) {
        return;
    }
    spawn_local(run_making(makings, characters, settings, key));
}

lazy! {
    /// Runs the making `key` to its end in a task of its own. Its code (the
    /// element and voice calls, polling) loads the first time a making runs
    /// (`lazy!`, src/lazy.rs).
    fn run_making(makings: Makings, characters: Characters, settings: Settings, key: String) {
        spawn_local(async move {
            run(makings, characters, settings, &key).await;
            makings.driving.update_value(|d| {
                d.remove(&key);
            });
        });
    }
}

async fn run(makings: Makings, characters: Characters, settings: Settings, key: &str) {
    let me = makings.tab.get_value();
    let mut making = match claim(key, &me, net::now_ms()).await {
        Ok(Some(m)) => m,
        _ => return,
    };
    upsert(makings, making.clone());
    loop {
        let transport = settings.transport();
        let jitter = net::jitter();
        let wait = match making.next_action() {
            MakingAction::Done(_) | MakingAction::Failed(_) => {
                making.release();
                let _ = write(&making, false, Some(&me), net::now_ms()).await;
                upsert(makings, making);
                characters.changed();
                announce();
                return;
            }
            MakingAction::Create => {
                if making.begin_create().is_err() {
                    return;
                }
                // Journaled as "sent" before it is sent.
                making.claim(&me, net::now_ms(), 0);
                match write(&making, false, Some(&me), net::now_ms()).await {
                    Ok(true) => {}
                    _ => return,
                }
                upsert(makings, making.clone());
                announce();
                let answer = net::send(&transport.create_made(&making.request)).await;
                making.on_create(&answer, jitter)
            }
            MakingAction::Lookup => {
                let answer = net::send(&query(&transport, &making, &making.key)).await;
                making.on_lookup(&answer, jitter)
            }
            MakingAction::Poll(task_id) => {
                let answer = net::send(&query(&transport, &making, &task_id)).await;
                making.on_poll(&answer, jitter)
            }
        };
        let now = net::now_ms();
        making.claim(&me, now, wait);
        match write(&making, false, Some(&me), now).await {
            Ok(true) => {}
            Ok(false) => return,
            Err(_) => {} // storage trouble: go on in memory
        }
        upsert(makings, making.clone());
        characters.changed();
        announce();
        if wait > 0 {
            net::sleep(wait).await;
        }
    }
}

/// The query of an element's or a voice's task by `id` (its task id or
/// its key).
fn query(transport: &Transport, making: &Making, id: &str) -> storyreel_core::transport::HttpCall {
    if making.is_element() {
        transport.element_query(id)
    } else {
        transport.voice_query(id)
    }
}

/// Journals a new making (refused while one of the same kind runs for
/// the same character) and drives it.
pub async fn begin(
    makings: Makings,
    characters: Characters,
    settings: Settings,
    making: Making,
) -> Result<(), String> {
    write(&making, true, None, net::now_ms()).await?;
    let key = making.key.clone();
    upsert(makings, making);
    characters.changed();
    announce();
    drive(makings, characters, settings, key);
    Ok(())
}

/// A new key for a making (Kling's `external_task_id`).
pub fn new_key() -> Option<String> {
    net::random_bytes(16).and_then(|b| storyreel_core::job::key_from_random(&b).ok())
}

/// "Make Kling element": the character's making, journaled and started.
pub fn make(
    makings: Makings,
    characters: Characters,
    settings: Settings,
    id: String,
    error: RwSignal<Option<String>>,
) {
    let Some(character) = characters.get(&id) else {
        return;
    };
    if matches!(character.element, ElementStatus::Making { .. }) {
        return;
    }
    let Some(key) = new_key() else {
        error.set(Some(
            "This browser gave no random numbers for the task's key.".into(),
        ));
        return;
    };
    let uploads = settings.transport().uploads_mode();
    let making = match Making::element(&character, key, &uploads, net::now_ms()) {
        Ok(m) => m,
        Err(e) => {
            error.set(Some(format!("Not sent to Kling: {e}.")));
            return;
        }
    };
    spawn_local(async move {
        if let Err(why) = begin(makings, characters, settings, making).await {
            error.set(Some(format!("Not started: {why}.")));
        }
    });
}

/// Deletes the character's element at Kling; the character is then
/// marked deleted, which the boards citing it show as a problem.
pub fn delete_at_kling(
    characters: Characters,
    settings: Settings,
    id: String,
    error: RwSignal<Option<String>>,
) {
    use storyreel_core::response::kling_general::{parse_delete, DeleteAnswer};
    let Some(element_id) = characters
        .get(&id)
        .and_then(|c| c.element_id().map(str::to_string))
    else {
        return;
    };
    spawn_local(async move {
        let call = settings.transport().element_delete(&element_id);
        let refused = match net::send(&call).await {
            storyreel_core::transport::Answer::Network { message } => {
                Some(format!("the server could not be reached ({message})"))
            }
            storyreel_core::transport::Answer::Http { status, body } => {
                match parse_delete(status, &body) {
                    Ok(DeleteAnswer::Accepted { .. }) => None,
                    Ok(DeleteAnswer::Refused(f)) => Some(format!("Kling refused: {}", f.message)),
                    Err(e) => Some(format!("the answer could not be read ({e})")),
                }
            }
        };
        if let Some(why) = refused {
            error.set(Some(format!("Not deleted at Kling: {why}.")));
            return;
        }
        let done = characters
            .change(&id, |c| {
                c.element = ElementStatus::Deleted {
                    element_id: element_id.clone(),
                }
            })
            .await;
        match done {
            Ok(_) => error.set(None),
            Err(why) => error.set(Some(format!(
                "Deleted at Kling, but the library could not note it: {why}."
            ))),
        }
    });
}
