//! The library panel: every kept board with a thumbnail of its shots,
//! title search, new, open, duplicate, and delete with undo.

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::Board;

use crate::autosave::Autosave;
use crate::library::{self, Item};
use crate::state::{Editor, Status};

/// Whether the library panel is open; provided by the app.
#[derive(Clone, Copy)]
pub struct LibraryOpen(pub RwSignal<bool>);

fn title_of(board: &Board) -> String {
    if board.title.trim().is_empty() {
        "Untitled board".to_string()
    } else {
        board.title.clone()
    }
}

/// "saved 3 min ago" and the like.
fn age(updated_ms: f64) -> String {
    let secs = ((js_sys::Date::now() - updated_ms) / 1000.0).max(0.0) as u64;
    match secs {
        0..=59 => "saved just now".to_string(),
        60..=3599 => format!("saved {} min ago", secs / 60),
        3600..=86_399 => format!("saved {} h ago", secs / 3600),
        _ => format!("saved {} days ago", secs / 86_400),
    }
}

fn matches(board: &Board, query: &str) -> bool {
    let query = query.trim().to_lowercase();
    query.is_empty() || title_of(board).to_lowercase().contains(&query)
}

#[component]
pub fn LibraryButton() -> impl IntoView {
    let open = expect_context::<LibraryOpen>().0;
    view! {
        <button
            id="library-toggle"
            title="Your boards (Alt+B)"
            aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)
        >
            "Boards"
        </button>
    }
}

#[component]
pub fn LibraryPanel() -> impl IntoView {
    let editor = Editor::expect();
    let autosave = Autosave::expect();
    let open = expect_context::<LibraryOpen>().0;
    let items = RwSignal::new(Vec::<Item>::new());
    let error = RwSignal::new(None::<String>);
    let query = RwSignal::new(String::new());
    let deleted = RwSignal::new(None::<(Item, bool)>);

    let refresh = move || {
        spawn_local(async move {
            match library::list().await {
                Ok(list) => {
                    items.set(list);
                    error.set(None);
                }
                Err(why) => error.set(Some(format!(
                    "The library could not be read: {why}. The board open here is unaffected; export it to keep a copy."
                ))),
            }
        });
    };
    Effect::new(move |_| {
        autosave.library_changed.track();
        if open.get() {
            refresh();
        }
    });

    // Saves the open board, then runs `then`; a failed save stops it, so
    // nothing unsaved is ever left behind.
    let after_saving = move |then: Box<dyn FnOnce()>| {
        spawn_local(async move {
            match autosave.flush(editor).await {
                Ok(()) => then(),
                Err(why) => editor.status.set(Some(Status {
                    text: format!(
                        "Not switched: the open board could not be saved ({why}). Export it to keep a copy."
                    ),
                    is_error: true,
                })),
            }
        });
    };
    let open_item = move |item: Item| {
        after_saving(Box::new(move || {
            let title = title_of(&item.board);
            editor.switch_to(item.id, item.board);
            open.set(false);
            editor.say(format!("Opened '{title}'."));
        }));
    };
    let new_board = move |_| {
        after_saving(Box::new(move || {
            editor.switch_to(library::new_id(), Board::default());
            open.set(false);
            editor.say("Started a new board; the previous one is in your library.");
        }));
    };
    let duplicate = move |item: Item| {
        let mut board = item.board;
        board.title = format!("{} (copy)", title_of(&board));
        let title = board.title.clone();
        spawn_local(async move {
            match library::put(&library::new_id(), &board).await {
                Ok(()) => {
                    editor.say(format!("Duplicated as '{title}'."));
                    autosave.library_changed.update(|n| *n = n.wrapping_add(1));
                }
                Err(why) => error.set(Some(format!("Not duplicated: {why}."))),
            }
        });
    };
    let delete = move |item: Item| {
        let was_current = editor.board_id.with_untracked(|id| *id == item.id);
        spawn_local(async move {
            if let Err(why) = library::delete(&item.id).await {
                error.set(Some(format!("Not deleted: {why}.")));
                return;
            }
            if was_current {
                let next =
                    items.with_untracked(|list| list.iter().find(|i| i.id != item.id).cloned());
                match next {
                    Some(next) => editor.switch_to(next.id, next.board),
                    None => editor.switch_to(library::new_id(), Board::default()),
                }
            }
            editor.say(format!("Deleted '{}'.", title_of(&item.board)));
            deleted.set(Some((item, was_current)));
            autosave.library_changed.update(|n| *n = n.wrapping_add(1));
        });
    };
    let undo_delete = move |_| {
        let Some((item, was_current)) = deleted.get_untracked() else {
            return;
        };
        deleted.set(None);
        spawn_local(async move {
            if let Err(why) = library::restore(&item).await {
                error.set(Some(format!("Could not bring the board back: {why}.")));
                return;
            }
            let title = title_of(&item.board);
            if was_current {
                editor.switch_to(item.id, item.board);
            }
            editor.say(format!("'{title}' is back."));
            autosave.library_changed.update(|n| *n = n.wrapping_add(1));
        });
    };

    let shown = move || {
        let q = query.get();
        items.with(|list| {
            list.iter()
                .filter(|i| matches(&i.board, &q))
                .cloned()
                .collect::<Vec<_>>()
        })
    };

    view! {
        <Show when=move || open.get()>
            <section id="library" class="library" aria-labelledby="library-heading">
                <div class="library-head">
                    <h2 id="library-heading">"Your boards"</h2>
                    <input
                        id="library-search"
                        type="search"
                        placeholder="Search titles"
                        aria-label="Search board titles"
                        prop:value=query
                        on:input=move |ev| query.set(event_target_value(&ev))
                    />
                    <button id="library-new" on:click=new_board>
                        "New board"
                    </button>
                    <button
                        class="status-close"
                        aria-label="Close the library"
                        on:click=move |_| open.set(false)
                    >
                        "×"
                    </button>
                </div>
                <Show when=move || deleted.with(Option::is_some)>
                    <p class="library-deleted">
                        {move || deleted.with(|d| d.as_ref().map(|(i, _)| format!("Deleted '{}'.", title_of(&i.board))))}
                        <button id="library-undo" class="small" on:click=undo_delete>
                            "Undo"
                        </button>
                    </p>
                </Show>
                <Show when=move || error.with(Option::is_some)>
                    <p id="library-error" class="error-text" role="alert">
                        {move || error.get().unwrap_or_default()}
                    </p>
                </Show>
                <ul id="library-list" class="library-list">
                    <For
                        each=shown
                        key=|item| (item.id.clone(), item.updated_ms.to_bits())
                        children=move |item| {
                            let current = {
                                let id = item.id.clone();
                                move || editor.board_id.with(|c| *c == id)
                            };
                            let (for_open, for_dup, for_del) = (item.clone(), item.clone(), item.clone());
                            let seconds: u32 = item.board.shots.iter().map(|s| s.duration).sum();
                            let shots = item.board.shots.len();
                            view! {
                                <li
                                    class="library-item"
                                    data-id=item.id.clone()
                                    aria-current=move || current().then_some("true")
                                >
                                    <Thumbnail board=item.board.clone() />
                                    <div class="library-text">
                                        <button
                                            class="library-open link-like"
                                            title="Open this board"
                                            on:click=move |_| open_item(for_open.clone())
                                        >
                                            {title_of(&item.board)}
                                        </button>
                                        <span class="muted">
                                            {format!(
                                                "{shots} shot{} · {seconds} s · {}",
                                                if shots == 1 { "" } else { "s" },
                                                age(item.updated_ms),
                                            )}
                                        </span>
                                    </div>
                                    <button class="small library-duplicate" on:click=move |_| duplicate(for_dup.clone())>
                                        "Duplicate"
                                    </button>
                                    <button class="small library-delete" on:click=move |_| delete(for_del.clone())>
                                        "Delete"
                                    </button>
                                </li>
                            }
                        }
                    />
                </ul>
                <Show when=move || items.with(|l| !l.is_empty()) && shown().is_empty()>
                    <p class="muted">{move || format!("No board titled like '{}'.", query.get())}</p>
                </Show>
            </section>
        </Show>
    }
}

/// The shots as a strip, each as wide as it is long, with its number.
#[component]
fn Thumbnail(board: Board) -> impl IntoView {
    let cells = board
        .shots
        .iter()
        .enumerate()
        .map(|(i, shot)| {
            view! {
                <span
                    class=format!("thumb-shot shot-tone-{}", i % 6)
                    style:flex-grow=shot.duration.to_string()
                    title=format!("Shot {}: {} s", i + 1, shot.duration)
                >
                    {(i + 1).to_string()}
                </span>
            }
        })
        .collect_view();
    view! { <span class="thumb" aria-hidden="true">{cells}</span> }
}
