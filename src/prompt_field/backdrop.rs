//! The highlights behind a prompt's text: mentions of the cast (unknown
//! ones marked) and quoted dialogue, written as escaped HTML.

use leptos::html::Div;
use leptos::prelude::*;
use storyreel_core::{dialogue, mention};

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

/// Whether `a` and `b` have the same pieces of the same kinds, so that the
/// backdrop's nodes for `a` can show `b` by changing their text alone.
fn same_shape(a: &[Piece], b: &[Piece]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| std::mem::discriminant(x) == std::mem::discriminant(y))
}

fn piece_text(p: &Piece) -> &str {
    match p {
        Piece::Text(s) | Piece::Known(s) | Piece::Unknown(s) | Piece::Speech(s) => s,
    }
}

/// Shows `now` in `el`, which shows `before` (when known). A keystroke
/// that keeps the pieces' kinds rewrites only the text node it changed;
/// a new or removed mark rewrites the whole backdrop. Pieces map one to
/// one onto `el`'s child nodes: each is non-empty and two text pieces
/// never follow each other, so the HTML parser neither drops nor merges
/// any.
fn show(el: &web_sys::HtmlDivElement, before: Option<&[Piece]>, now: &[Piece]) {
    if let Some(before) = before.filter(|b| same_shape(b, now)) {
        let nodes = el.child_nodes();
        if nodes.length() as usize == now.len() {
            for (i, (old, new)) in before.iter().zip(now).enumerate() {
                if old == new {
                    continue;
                }
                let Some(node) = nodes.item(i as u32) else {
                    break;
                };
                let text = match new {
                    Piece::Text(_) => Some(node),
                    _ => node.first_child(),
                };
                if let Some(text) = text {
                    text.set_node_value(Some(piece_text(new)));
                }
            }
            return;
        }
    }
    el.set_inner_html(&backdrop_html(now));
}

/// The backdrop of `value` with the cast `names`; `scroll_ref` lets the
/// text area keep it scrolled with the text.
#[component]
pub fn Backdrop(
    value: Signal<String>,
    names: Memo<Vec<String>>,
    scroll_ref: NodeRef<Div>,
) -> impl IntoView {
    let highlighted = Memo::new(move |_| {
        names.with(|ns| value.with(|v| pieces(v, &|n: &str| ns.iter().any(|x| x == n))))
    });
    // Written by hand rather than by the view: one text node's data per
    // keystroke costs the browser far less layout and paint than parsing
    // the whole backdrop again.
    Effect::new(move |before: Option<Option<Vec<Piece>>>| {
        let el = scroll_ref.get()?;
        highlighted.with(|now| {
            show(&el, before.flatten().as_deref(), now);
            Some(now.clone())
        })
    });
    view! { <div class="prompt-backdrop" aria-hidden="true" node_ref=scroll_ref></div> }
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

    /// Mounts a backdrop of `text` (cast: mia) in a fresh element and
    /// returns the element, the prompt's signal and the mount.
    fn mounted(text: &str) -> (web_sys::HtmlElement, RwSignal<String>, impl Drop) {
        use wasm_bindgen::JsCast;
        let doc = web_sys::window()
            .and_then(|w| w.document())
            .expect("document");
        let host: web_sys::HtmlElement = doc
            .create_element("div")
            .expect("div")
            .dyn_into()
            .expect("an HTML element");
        doc.body()
            .expect("body")
            .append_child(&host)
            .expect("attached");
        let value = RwSignal::new(text.to_string());
        let mount = leptos::mount::mount_to(host.clone(), move || {
            let names = Memo::new(|_| vec!["mia".to_string()]);
            view! { <Backdrop value=value.into() names scroll_ref=NodeRef::new() /> }
        });
        (host, value, mount)
    }

    #[wasm_bindgen_test]
    async fn a_keystroke_rewrites_only_the_text_it_changed() {
        let (host, value, _mount) = mounted("@mia says \"hi\" then");
        leptos::task::tick().await;
        let backdrop = host.first_element_child().expect("the backdrop");
        let html = |b: &web_sys::Element| b.inner_html();
        // `expected` as the browser writes it back (quotes unescaped).
        let doc = web_sys::window()
            .and_then(|w| w.document())
            .expect("document");
        let scratch = doc.create_element("div").expect("div");
        let parsed = |text: &str| {
            scratch.set_inner_html(&backdrop_html(&pieces(text, &|n: &str| n == "mia")));
            scratch.inner_html()
        };
        assert_eq!(html(&backdrop), parsed("@mia says \"hi\" then"));
        let mark = backdrop.first_child().expect("the mention");
        let tail = backdrop.last_child().expect("the tail");

        // Typing at the end keeps every node; only the tail's text changes.
        value.set("@mia says \"hi\" then she".into());
        leptos::task::tick().await;
        assert!(backdrop
            .first_child()
            .is_some_and(|n| n.is_same_node(Some(&mark))));
        assert!(backdrop
            .last_child()
            .is_some_and(|n| n.is_same_node(Some(&tail))));
        assert_eq!(tail.node_value().as_deref(), Some(" then she\u{200b}"));

        // A new mark rewrites the backdrop, escaped as ever.
        value.set("@mia says \"hi\" then <@x>".into());
        leptos::task::tick().await;
        assert!(!backdrop
            .last_child()
            .is_some_and(|n| n.is_same_node(Some(&tail))));
        assert_eq!(html(&backdrop), parsed("@mia says \"hi\" then <@x>"));

        // Editing inside a mark changes that mark's text alone.
        value.set("@mia says \"ho\" then <@x>".into());
        leptos::task::tick().await;
        assert_eq!(html(&backdrop), parsed("@mia says \"ho\" then <@x>"));
        host.remove();
    }
}
