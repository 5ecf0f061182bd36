//! Kling's elements to pick from: the account's own and Kling's presets.
//! Picking one puts it in the library as a character that already has
//! its element (its pictures as Kling shows them).

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::response::kling_general::{parse_element_list, ElementSummary};

use crate::characters::{self, Characters};
use crate::settings::Settings;
use crate::state::Editor;

/// How many elements are asked for at once.
const PAGE: u32 = 30;

#[component]
pub fn ElementBrowser() -> impl IntoView {
    let characters = Characters::expect();
    let settings = Settings::expect();
    let editor = Editor::expect();
    let presets = RwSignal::new(false);
    let listed = RwSignal::new(None::<Result<Vec<ElementSummary>, String>>);

    Effect::new(move |_| {
        let presets = presets.get();
        listed.set(None);
        spawn_local(async move {
            let transport = settings.transport();
            let call = if presets {
                transport.elements_presets(1, PAGE)
            } else {
                transport.elements_mine(1, PAGE)
            };
            let out = crate::net::browse(&call, parse_element_list).await;
            listed.set(Some(out));
        });
    });

    let pick = move |e: ElementSummary| {
        let known = characters.items.with_untracked(|all| {
            all.iter()
                .find(|c| c.element_id() == Some(e.element_id.as_str()))
                .map(|c| c.name.clone())
        });
        if let Some(name) = known {
            editor.say(format!(
                "Element {} is already in your characters as '{name}'.",
                e.element_id
            ));
            return;
        }
        let Some(character) = e.character(characters::new_id(), crate::net::now_ms()) else {
            editor.say(format!(
                "Kling shows no picture of element {}, so it cannot be kept.",
                e.element_id
            ));
            return;
        };
        spawn_local(async move {
            let name = character.name.clone();
            match characters.save(character).await {
                Ok(_) => editor.say(format!("'{name}' added to your characters.")),
                Err(why) => characters.error.set(Some(format!("Not added: {why}."))),
            }
        });
    };

    view! {
        <div class="element-browser" id="element-browser">
            <div role="tablist" class="element-tabs">
                <button role="tab" class="small" aria-selected=move || (!presets.get()).to_string() on:click=move |_| presets.set(false)>
                    "Your elements"
                </button>
                <button role="tab" class="small" aria-selected=move || presets.get().to_string() on:click=move |_| presets.set(true)>
                    "Kling's presets"
                </button>
            </div>
            {move || match listed.get() {
                None => view! { <p class="muted">"Asking Kling…"</p> }.into_any(),
                Some(Err(why)) => view! { <p class="error-text">{format!("The elements could not be listed: {why}.")}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">"None yet."</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="element-list">
                        {list
                            .into_iter()
                            .map(|e| {
                                let thumb = e.frontal_image_url.clone();
                                let deleted = e.status == storyreel_core::response::kling_general::ElementState::Deleted;
                                let for_pick = e.clone();
                                view! {
                                    <li data-element-id=e.element_id.clone()>
                                        {thumb.map(|url| view! { <img class="thumb" src=url alt="" loading="lazy" /> })}
                                        <span>{format!("{} · {}", e.name, e.element_id)}</span>
                                        {voice_of(&e)}
                                        {if deleted {
                                            view! { <span class="muted">"deleted"</span> }.into_any()
                                        } else {
                                            view! {
                                                <button class="small element-pick" on:click=move |_| pick(for_pick.clone())>
                                                    "Keep in my characters"
                                                </button>
                                            }
                                            .into_any()
                                        }}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </div>
    }
}

fn voice_of(e: &ElementSummary) -> Option<impl IntoView> {
    e.voice
        .as_ref()
        .map(|v| view! { <span class="muted">{format!("voice: {}", v.name)}</span> })
}
