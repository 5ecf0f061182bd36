//! The job runner: drives each journaled job to its end (create, lookup,
//! polls with backoff, the clip into storage), resumes unfinished jobs when
//! the page starts, and keeps tabs in step.
//!
//! What to do at each step is decided by `storyreel_core::journal::Entry`;
//! this file only makes the calls, waits and writes the journal. Each step
//! is journaled before the next call goes out, and only the tab holding an
//! entry's lease drives it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::journal::{Action, Entry, Take};
use storyreel_core::response::{Charged, Failure, FailureCategory, Scope};
use storyreel_core::transport::HttpCall;
use wasm_bindgen::prelude::*;

use crate::settings::Settings;
use crate::state::BoardSignal;
use crate::studio::{Studio, TakeItem};
use crate::{database, net, tabs};

const CHANNEL: &str = "storyreel-jobs";
/// How often jobs held by another tab are checked for a lapsed lease.
const SWEEP_MS: u64 = 5_000;

/// Tells other tabs the journal changed.
fn announce() {
    tabs::post(CHANNEL, &JsValue::from_str("changed"));
}

/// Loads the journal and the takes, resumes unfinished jobs, and keeps
/// watching (other tabs, lapsed leases, the clock).
pub fn start(studio: Studio, settings: Settings, board: BoardSignal) {
    tabs::listen(CHANNEL, move |_| {
        spawn_local(async move {
            reload(studio).await;
            let title = board.with_untracked(|b| b.title.clone());
            load_takes(studio, Some(title)).await;
        });
    });
    spawn_local(async move {
        let title = board.with_untracked(|b| b.title.clone());
        load_takes(studio, Some(title)).await;
        reload(studio).await;
        resume(studio, settings);
    });
    set_interval(
        move || {
            spawn_local(async move {
                reload(studio).await;
                resume(studio, settings);
            })
        },
        std::time::Duration::from_millis(SWEEP_MS),
    );
    set_interval(
        move || {
            if studio
                .entries
                .with_untracked(|e| e.iter().any(Entry::is_active))
            {
                studio.now.set(net::now_ms());
            }
        },
        std::time::Duration::from_secs(1),
    );
}

/// Reads the journal into the page.
async fn reload(studio: Studio) {
    if let Ok(entries) = database::entries().await {
        let changed = studio.entries.with_untracked(|e| *e != entries);
        if changed {
            studio.entries.set(entries);
        }
    }
}

/// Starts driving every unfinished job this page is not driving yet (a
/// job another tab holds is left to it until its lease lapses).
fn resume(studio: Studio, settings: Settings) {
    let keys: Vec<String> = studio.entries.with_untracked(|all| {
        all.iter()
            .filter(|e| e.is_active())
            .map(|e| e.key().to_string())
            .collect()
    });
    for key in keys {
        drive(studio, settings, key);
    }
}

/// Drives one job until it is over, or another tab holds it.
pub fn drive(studio: Studio, settings: Settings, key: String) {
    let fresh = studio.driving.try_update_value(|d| d.insert(key.clone()));
    if fresh != Some(true) {
        return;
    }
    spawn_local(run_job(studio, settings, key));
}

lazy! {
    /// Runs the job `key` to its end in a task of its own. Its code (the
    /// provider calls, polling, downloading the clip) loads the first time a
    /// job runs (`lazy!`, src/lazy.rs).
    fn run_job(studio: Studio, settings: Settings, key: String) {
        spawn_local(async move {
            run(studio, settings, &key).await;
            studio.driving.update_value(|d| {
                d.remove(&key);
            });
        });
    }
}

fn tab(studio: Studio) -> String {
    studio.tab.get_value()
}

async fn run(studio: Studio, settings: Settings, key: &str) {
    let me = tab(studio);
    let mut entry = match database::claim(key, &me, net::now_ms()).await {
        Ok(Some(e)) => e,
        _ => return,
    };
    studio.upsert(entry.clone());
    loop {
        let transport = settings.transport();
        let jitter = net::jitter();
        let wait = match entry.next_action() {
            Action::Done => {
                entry.release();
                let _ = database::save(&entry, &me, net::now_ms()).await;
                studio.upsert(entry);
                announce();
                return;
            }
            Action::Create => {
                match transport.create(entry.provider(), &entry.board, key) {
                    Err(e) => {
                        let _ = entry.job.fail(Failure {
                            category: FailureCategory::InvalidRequest,
                            scope: Scope::Request,
                            http_status: None,
                            code: None,
                            message: format!("the board could not be sent: {e}"),
                            retryable: false,
                            charged: Charged::Nothing,
                        });
                        0
                    }
                    Ok(created) => {
                        if entry.begin_create().is_err() {
                            return;
                        }
                        // Journaled as "sent" before it is sent.
                        entry.claim(&me, net::now_ms(), 0);
                        match database::save(&entry, &me, net::now_ms()).await {
                            Ok(true) => {}
                            _ => return,
                        }
                        studio.upsert(entry.clone());
                        announce();
                        let answer = net::send(&created.call).await;
                        entry.on_create(&answer, jitter)
                    }
                }
            }
            Action::Lookup => {
                match transport.find_job(
                    entry.provider(),
                    &entry.target,
                    entry.key(),
                    entry.lookup_page,
                ) {
                    Some(call) => {
                        let answer = net::send(&call).await;
                        entry.on_lookup(&answer, jitter)
                    }
                    None => {
                        entry.abandon("the job cannot be looked up");
                        0
                    }
                }
            }
            Action::Poll => {
                let call = transport.poll(
                    entry.provider(),
                    &entry.target,
                    entry.job.remote_id().unwrap_or_default(),
                    entry.status_url.as_deref(),
                );
                let answer = net::send(&call).await;
                entry.on_poll(&answer, jitter)
            }
            Action::FetchResult => {
                let call = transport.fal_result(
                    &entry.target,
                    entry.job.remote_id().unwrap_or_default(),
                    entry.result_url.as_deref(),
                );
                let answer = net::send(&call).await;
                entry.on_result(&answer, jitter)
            }
            Action::SaveClip(url) => match save_clip(studio, &entry, &url, &transport).await {
                Ok(()) => {
                    entry.clip_saved();
                    0
                }
                Err(why) => entry.clip_failed(&why, jitter).unwrap_or(0),
            },
            Action::Abandon => {
                entry.abandon("the page was closed or reloaded before the provider answered");
                0
            }
        };
        let now = net::now_ms();
        if entry.job.phase.is_over() && entry.finished_at_ms.is_none() {
            entry.finished_at_ms = Some(now);
        }
        entry.claim(&me, now, wait);
        match database::save(&entry, &me, now).await {
            Ok(true) => {}
            Ok(false) => return,
            Err(_) => {} // storage trouble: go on in memory
        }
        studio.upsert(entry.clone());
        announce();
        if wait > 0 {
            net::sleep(wait).await;
        }
    }
}

/// Fetches the finished clip (straight from the provider's CDN, else
/// through the server's `/api/media`) and stores it as a take.
async fn save_clip(
    studio: Studio,
    entry: &Entry,
    url: &str,
    transport: &storyreel_core::transport::Transport,
) -> Result<(), String> {
    let direct = HttpCall {
        method: "GET".into(),
        url: url.to_string(),
        headers: Vec::new(),
        body: None,
    };
    let blob = match net::fetch_blob(&direct).await {
        Ok(b) => b,
        Err(first) => net::fetch_blob(&transport.media(url))
            .await
            .map_err(|second| format!("{first}; through the server: {second}"))?,
    };
    let take = Take::of(entry, net::now_ms(), blob.size() as u64)
        .ok_or_else(|| "the job has no clip".to_string())?;
    database::put_take(&take, &blob).await?;
    add_take(studio, take.clone(), &blob);
    studio.selected.set(Some(take.key));
    Ok(())
}

fn object_url(studio: Studio, key: &str, blob: &web_sys::Blob) -> String {
    if let Some(url) = studio.urls.with_value(|u| u.get(key).cloned()) {
        return url;
    }
    let url = web_sys::Url::create_object_url_with_blob(blob).unwrap_or_default();
    studio
        .urls
        .update_value(|u| drop(u.insert(key.to_string(), url.clone())));
    url
}

fn add_take(studio: Studio, take: Take, blob: &web_sys::Blob) {
    let url = object_url(studio, &take.key, blob);
    studio.takes.update(|all| {
        all.retain(|t| t.take.key != take.key);
        all.push(TakeItem { take, url });
        all.sort_by_key(|t| t.take.created_ms);
    });
}

/// Reads the takes into the page. With the current board's `title`, its
/// newest take goes into the player if the player is empty.
pub async fn load_takes(studio: Studio, title: Option<String>) {
    let Ok(stored) = database::takes().await else {
        return;
    };
    let items: Vec<TakeItem> = stored
        .iter()
        .map(|(take, blob)| TakeItem {
            url: object_url(studio, &take.key, blob),
            take: take.clone(),
        })
        .collect();
    let keys: Vec<String> = items.iter().map(|t| t.take.key.clone()).collect();
    // Object URLs of deleted takes are let go.
    studio.urls.update_value(|u| {
        u.retain(|k, url| {
            let keep = keys.contains(k);
            if !keep {
                let _ = web_sys::Url::revoke_object_url(url);
            }
            keep
        })
    });
    if studio.takes.with_untracked(|t| *t != items) {
        studio.takes.set(items);
    }
    if studio
        .selected
        .with_untracked(|s| s.as_ref().is_some_and(|k| !keys.contains(k)))
    {
        studio.selected.set(None);
    }
    if let (Some(title), true) = (title, studio.selected.with_untracked(Option::is_none)) {
        let newest = studio.takes.with_untracked(|all| {
            all.iter()
                .rev()
                .find(|t| t.take.board.title == title)
                .map(|t| t.take.key.clone())
        });
        studio.selected.set(newest);
    }
}

/// Forgets a job that is over (its take, if any, stays).
pub fn forget(studio: Studio, key: String) {
    spawn_local(async move {
        if database::forget(&key).await.is_ok() {
            studio.entries.update(|all| all.retain(|e| e.key() != key));
            announce();
        }
    });
}

/// Deletes a take and its stored clip.
pub fn delete_take(studio: Studio, key: String) {
    spawn_local(async move {
        if database::delete_take(&key).await.is_ok() {
            if studio.selected.get_untracked().as_deref() == Some(key.as_str()) {
                studio.selected.set(None);
            }
            if studio.compare.get_untracked().as_deref() == Some(key.as_str()) {
                studio.compare.set(None);
            }
            load_takes(studio, None).await;
            announce();
        }
    });
}

/// A new job was journaled by this page: show it and drive it.
pub fn started(studio: Studio, settings: Settings, entry: Entry) {
    let key = entry.key().to_string();
    studio.upsert(entry);
    announce();
    drive(studio, settings, key);
}
