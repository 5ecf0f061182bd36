//! A prompt editor: textarea with a live character counter, `@` completion
//! of cast names, and mentions and quoted dialogue highlighted behind the
//! text (unknown mentions marked).

use leptos::ev;
use leptos::html::Textarea;
use leptos::prelude::*;
use storyreel_core::text::{byte_to_utf16, char_len, utf16_to_byte};
use storyreel_core::{dialogue, mention};

use crate::state::Editor;

/// A piece of the highlighted backdrop.
#[derive(Clone, PartialEq)]
enum Piece {
    Text(String),
    Known(String),
    Unknown(String),
    Speech(String),
}

fn pieces(text: &str, known: &dyn Fn(&str) -> bool) -> Vec<Piece> {
    let mut marks: Vec<(usize, usize, u8)> = mention::find(text, known)
        .into_iter()
        .map(|m| (m.start, m.end, if m.known { 1 } else { 2 }))
        .collect();
    for line in dialogue::lines(text, known) {
        if !marks
            .iter()
            .any(|(s, e, _)| *s < line.end && line.start < *e)
        {
            marks.push((line.start, line.end, 3));
        }
    }
    marks.sort_unstable();
    let mut out = Vec::new();
    let mut last = 0;
    for (start, end, kind) in marks {
        if start < last {
            continue;
        }
        if start > last {
            out.push(Piece::Text(text[last..start].to_string()));
        }
        let s = text[start..end].to_string();
        out.push(match kind {
            1 => Piece::Known(s),
            2 => Piece::Unknown(s),
            _ => Piece::Speech(s),
        });
        last = end;
    }
    out.push(Piece::Text(format!("{}\u{200b}", &text[last..])));
    out
}

/// Escapes text for HTML; prompts are always shown as text.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn backdrop_html(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for p in pieces {
        let (open, text, close) = match p {
            Piece::Text(s) => ("", s, ""),
            Piece::Known(s) => ("<mark class=\"mention\">", s, "</mark>"),
            Piece::Unknown(s) => ("<mark class=\"mention unknown\">", s, "</mark>"),
            Piece::Speech(s) => ("<mark class=\"speech\">", s, "</mark>"),
        };
        out.push_str(open);
        escape_into(&mut out, text);
        out.push_str(close);
    }
    out
}

/// The completion menu's state.
#[derive(Clone, PartialEq)]
struct Completion {
    start: usize,
    caret: usize,
    names: Vec<String>,
    selected: usize,
}

#[component]
pub fn PromptField(
    dom_id: String,
    label: String,
    #[prop(optional, into)] placeholder: String,
    #[prop(into)] value: Signal<String>,
    max: usize,
    #[prop(default = 4)] rows: u32,
    on_change: Callback<String>,
) -> impl IntoView {
    let editor = Editor::expect();
    let names = editor.names;
    let area = NodeRef::<Textarea>::new();
    let backdrop = NodeRef::<leptos::html::Div>::new();
    let menu = RwSignal::new(None::<Completion>);
    let counter_id = format!("{dom_id}-count");
    let menu_id = format!("{dom_id}-menu");

    let chars = Memo::new(move |_| value.with(|v| char_len(v)));
    let highlighted = Memo::new(move |_| {
        names.with(|ns| value.with(|v| pieces(v, &|n: &str| ns.iter().any(|x| x == n))))
    });

    // Recomputes the completion menu from the caret position.
    let refresh_menu = move || {
        let Some(el) = area.get_untracked() else {
            return;
        };
        let text = el.value();
        let caret_u16 = el.selection_start().ok().flatten().unwrap_or(0) as usize;
        let caret = utf16_to_byte(&text, caret_u16);
        let next = mention::partial_at(&text, caret).and_then(|p| {
            let found: Vec<String> = names.with_untracked(|ns| {
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
        if menu.with_untracked(|m| *m != next) {
            menu.set(next);
        }
    };

    let accept = move |choice: usize| {
        let Some(state) = menu.get_untracked() else {
            return;
        };
        let Some(el) = area.get_untracked() else {
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
        on_change.run(next);
    };

    let on_keydown = move |ev: ev::KeyboardEvent| {
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
                accept(state.selected);
            }
            "Escape" => {
                ev.prevent_default();
                menu.set(None);
            }
            _ => {}
        }
    };

    // What the menu shows: typing on in a name moves the caret but keeps
    // the same options, which are then not rebuilt.
    let shown =
        Memo::new(move |_| menu.with(|m| m.as_ref().map(|m| (m.names.clone(), m.selected))));
    let menu_id_attr = menu_id.clone();
    let active_option = {
        let menu_id = menu_id.clone();
        move || {
            shown.with(|m| {
                m.as_ref()
                    .map(|(_, selected)| format!("{menu_id}-{selected}"))
                    .unwrap_or_default()
            })
        }
    };
    let label_for = dom_id.clone();
    let option_prefix = menu_id.clone();

    view! {
        <div class="prompt-field">
            <div class="prompt-label-row">
                <label for=label_for>{label}</label>
                <span
                    id=counter_id.clone()
                    class="counter"
                    class:over=move || { chars.get() > max }
                    class:near=move || { let c = chars.get(); c <= max && c * 10 >= max * 9 }
                >
                    {move || format!("{} / {max}", chars.get())}
                </span>
            </div>
            <div class="prompt-box">
                // One escaped HTML write per change: much cheaper than
                // rebuilding a node per piece on every keystroke.
                <div
                    class="prompt-backdrop"
                    aria-hidden="true"
                    node_ref=backdrop
                    inner_html=move || highlighted.with(|ps| backdrop_html(ps))
                ></div>
                <textarea
                    id=dom_id
                    node_ref=area
                    rows=rows
                    placeholder=placeholder
                    spellcheck="true"
                    aria-describedby=counter_id
                    aria-autocomplete="list"
                    aria-controls=menu_id_attr
                    aria-activedescendant=active_option
                    aria-invalid=move || { if chars.get() > max { "true" } else { "false" } }
                    prop:value=move || value.get()
                    on:input=move |ev| {
                        on_change.run(event_target_value(&ev));
                        refresh_menu();
                    }
                    on:keydown=on_keydown
                    on:keyup=move |ev: ev::KeyboardEvent| {
                        if matches!(ev.key().as_str(), "ArrowLeft" | "ArrowRight" | "Home" | "End") {
                            refresh_menu();
                        }
                    }
                    on:click=move |_| refresh_menu()
                    on:blur=move |_| menu.set(None)
                    on:scroll=move |_| {
                        if let (Some(a), Some(b)) = (area.get_untracked(), backdrop.get_untracked()) {
                            b.set_scroll_top(a.scroll_top());
                        }
                    }
                ></textarea>
                <Show when=move || shown.with(Option::is_some)>
                    <ul class="completions" role="listbox" id=menu_id.clone() aria-label="Cast names">
                        {
                            let option_prefix = option_prefix.clone();
                            move || {
                                let option_prefix = option_prefix.clone();
                                shown.get()
                                    .map(|(names, chosen)| {
                                        names
                                            .into_iter()
                                            .enumerate()
                                            .map(|(i, n)| {
                                                let selected = i == chosen;
                                                view! {
                                                    <li
                                                        id=format!("{option_prefix}-{i}")
                                                        role="option"
                                                        aria-selected=if selected { "true" } else { "false" }
                                                        class:selected=selected
                                                        on:mousedown=move |ev| {
                                                            ev.prevent_default();
                                                            accept(i);
                                                        }
                                                    >
                                                        "@"
                                                        {n}
                                                    </li>
                                                }
                                            })
                                            .collect_view()
                                    })
                            }
                        }
                    </ul>
                </Show>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn backdrop_escapes_prompt_text() {
        let known = |n: &str| n == "mia";
        let html = backdrop_html(&pieces("<b>@mia</b> & \"hi\" @x", &known));
        assert!(html.starts_with("&lt;b&gt;<mark class=\"mention\">@mia</mark>&lt;/b&gt; &amp; "));
        assert!(html.contains("<mark class=\"speech\">&quot;hi&quot;</mark>"));
        assert!(html.contains("<mark class=\"mention unknown\">@x</mark>"));
        assert!(!html.contains("<b>"));
    }
}
