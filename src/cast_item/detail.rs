//! The line under a cast item's name: what the reference is and where it
//! comes from (a character's element state and voice).

use leptos::prelude::*;
use storyreel_core::ReferenceKind;

use super::short_src;
use crate::state::Editor;

/// The detail of reference `name` on the editor's board.
pub fn line(editor: Editor, name: &str) -> String {
    editor.board.with_outline(|b| {
        b.reference(name)
            .map(|r| match &r.kind {
                ReferenceKind::Image { src } => format!("image · {}", short_src(src)),
                ReferenceKind::Element {
                    element_id,
                    character: Some(link),
                } => {
                    let status = editor.roster.with(|r| r.get(&link.id).cloned());
                    let state = match status {
                        Some(s) => crate::characters::element_line(&s),
                        None if element_id.is_empty() => "no Kling element yet".to_string(),
                        None => format!("Kling element {element_id}"),
                    };
                    let voice = link
                        .voice
                        .as_ref()
                        .map(|v| format!(" · voice: {}", v.name))
                        .unwrap_or_default();
                    format!("character · {state}{voice}")
                }
                ReferenceKind::Element { element_id, .. } => format!("element · {element_id}"),
                ReferenceKind::Video { src, usage, .. } => {
                    format!("video ({}) · {}", usage.as_str(), short_src(src))
                }
            })
            .unwrap_or_default()
    })
}
