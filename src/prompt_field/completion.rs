//! `@` completion of cast names: the menu's state, kept from the caret,
//! and the keys that move in it and accept a name.

use leptos::ev;
use leptos::html::Textarea;
use leptos::prelude::*;
use storyreel_core::mention;
use storyreel_core::text::{byte_to_utf16, utf16_to_byte};

/// The completion menu's state.
#[derive(Clone, PartialEq)]
struct Completion {
    start: usize,
    caret: usize,
    names: Vec<String>,
    selected: usize,
}

/// One prompt's completion menu; copied into the field's handlers.
#[derive(Clone, Copy)]
pub struct Menu {
    state: RwSignal<Option<Completion>>,
    area: NodeRef<Textarea>,
    names: Memo<Vec<String>>,
    on_change: Callback<String>,
    /// What the menu shows: the names and the selected one. Typing on
    /// in a name moves the caret but keeps the same options, which are
    /// then not rebuilt.
    pub shown: Memo<Option<(Vec<String>, usize)>>,
}

impl Menu {
    pub fn new(
        area: NodeRef<Textarea>,
        names: Memo<Vec<String>>,
        on_change: Callback<String>,
    ) -> Menu {
        let state = RwSignal::new(None::<Completion>);
        let shown =
            Memo::new(move |_| state.with(|m| m.as_ref().map(|m| (m.names.clone(), m.selected))));
        Menu {
            state,
            area,
            names,
            on_change,
            shown,
        }
    }

    /// Recomputes the menu from the caret position.
    pub fn refresh(self) {
        let Some(el) = self.area.get_untracked() else {
            return;
        };
        let text = el.value();
        let caret_u16 = el.selection_start().ok().flatten().unwrap_or(0) as usize;
        let caret = utf16_to_byte(&text, caret_u16);
        let next = mention::partial_at(&text, caret).and_then(|p| {
            let found: Vec<String> = self.names.with_untracked(|ns| {
                mention::completions(p.prefix, ns.iter().map(String::as_str))
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            });
            (!found.is_empty()).then_some(Completion {
                start: p.start,
                caret,
                names: found,
                selected: 0,
            })
        });
        // Most keystrokes leave the menu as it was (closed): no update then.
        if self.state.with_untracked(|m| *m != next) {
            self.state.set(next);
        }
    }

    pub fn close(self) {
        self.state.set(None);
    }

    /// Writes the name at `choice` in place of the half-typed one.
    pub fn accept(self, choice: usize) {
        let menu = self.state;
        let Some(state) = menu.get_untracked() else {
            return;
        };
        let Some(el) = self.area.get_untracked() else {
            return;
        };
        let Some(name) = state.names.get(choice) else {
            return;
        };
        let text = el.value();
        let Some(partial) = mention::partial_at(&text, state.caret) else {
            menu.set(None);
            return;
        };
        if partial.start != state.start {
            menu.set(None);
            return;
        }
        let (next, caret) = mention::complete(&text, &partial, state.caret, name);
        el.set_value(&next);
        let caret_u16 = byte_to_utf16(&next, caret) as u32;
        let _ = el.set_selection_range(caret_u16, caret_u16);
        menu.set(None);
        self.on_change.run(next);
    }

    /// Up and down move in an open menu, Enter and Tab accept, Escape
    /// closes it.
    pub fn on_keydown(self, ev: ev::KeyboardEvent) {
        let menu = self.state;
        let Some(state) = menu.get_untracked() else {
            return;
        };
        let count = state.names.len();
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                menu.update(|m| {
                    if let Some(m) = m {
                        m.selected = (m.selected + 1) % count;
                    }
                });
            }
            "ArrowUp" => {
                ev.prevent_default();
                menu.update(|m| {
                    if let Some(m) = m {
                        m.selected = (m.selected + count - 1) % count;
                    }
                });
            }
            "Enter" | "Tab" => {
                ev.prevent_default();
                self.accept(state.selected);
            }
            "Escape" => {
                ev.prevent_default();
                menu.set(None);
            }
            _ => {}
        }
    }
}
