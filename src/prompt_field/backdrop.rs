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
    // One escaped HTML write per change: much cheaper than rebuilding a
    // node per piece on every keystroke.
    view! {
        <div
            class="prompt-backdrop"
            aria-hidden="true"
            node_ref=scroll_ref
            inner_html=move || highlighted.with(|ps| backdrop_html(ps))
        ></div>
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
