//! Deleting a character's element at Kling, after naming the kept boards
//! that cite it.

use leptos::prelude::*;
use storyreel_core::character::{Character, ElementStatus};
use storyreel_core::ReferenceKind;

use super::state::Card;

/// The titles of the kept boards that cite `character` (by its library
/// id, or by its element id).
pub async fn boards_citing(character: &Character) -> Vec<String> {
    let element_id = match &character.element {
        ElementStatus::Ready { element_id } | ElementStatus::Deleted { element_id } => {
            Some(element_id.clone())
        }
        _ => None,
    };
    let Ok(items) = crate::library::list().await else {
        return Vec::new();
    };
    items
        .into_iter()
        .filter(|item| {
            item.board.references.iter().any(|r| match &r.kind {
                ReferenceKind::Element {
                    element_id: id,
                    character: link,
                } => {
                    link.as_ref().is_some_and(|l| l.id == character.id)
                        || element_id.as_deref().is_some_and(|e| e == id)
                }
                _ => false,
            })
        })
        .map(|item| {
            if item.board.title.trim().is_empty() {
                "Untitled board".to_string()
            } else {
                item.board.title
            }
        })
        .collect()
}

/// The question asked once the boards are read; its confirm deletes the
/// element at Kling.
#[component]
pub fn DeleteAtKlingConfirm(card: Card) -> impl IntoView {
    let confirm_delete = card.confirm_delete;
    let delete_at_kling = move |_| {
        confirm_delete.set(None);
        crate::character_making::delete_at_kling(
            card.characters,
            card.settings,
            card.id(),
            card.error,
        );
    };
    view! {
        <Show when=move || confirm_delete.with(Option::is_some)>
            <div class="cast-confirm character-confirm" role="alertdialog" aria-label="Delete the element at Kling?">
                <p>
                    {move || {
                        let boards = confirm_delete.get().unwrap_or_default();
                        let id = card.character.with_value(|c| c.element_id().unwrap_or_default().to_string());
                        question(&id, &boards)
                    }}
                </p>
                <button class="danger small character-delete-kling-confirm" on:click=delete_at_kling>
                    "Delete at Kling"
                </button>
                <button class="small" on:click=move |_| confirm_delete.set(None)>"Keep"</button>
            </div>
        </Show>
    }
}

/// The question for element `id` cited by `boards`.
fn question(id: &str, boards: &[String]) -> String {
    if boards.is_empty() {
        format!("Delete element {id} at Kling? No kept board cites it. This cannot be undone.")
    } else {
        format!(
            "Delete element {id} at Kling? These boards cite it and will show a problem until it is replaced: {}. This cannot be undone.",
            boards.iter().map(|b| format!("'{b}'")).collect::<Vec<_>>().join(", ")
        )
    }
}
