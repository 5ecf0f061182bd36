//! The take's video a share link carries.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The take's video a link carries. While it plays, the animatic follows
/// it; a video that cannot be loaded says so and leaves the animatic.
#[component]
pub fn TakeVideo(
    url: String,
    starts: Vec<u32>,
    current: RwSignal<usize>,
    playing: RwSignal<bool>,
) -> impl IntoView {
    let failed = RwSignal::new(false);
    let loaded = RwSignal::new(false);
    let host = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .unwrap_or_default()
        .to_string();
    let follow = move |ev: leptos::ev::Event| {
        let Some(video) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlMediaElement>().ok())
        else {
            return;
        };
        let at = video.current_time();
        let shot = starts
            .iter()
            .rposition(|s| f64::from(*s) <= at)
            .unwrap_or(0);
        if current.get_untracked() != shot {
            current.set(shot);
        }
    };
    view! {
        <section class="shared-take" aria-labelledby="shared-take-heading">
            <h2 id="shared-take-heading">"Take"</h2>
            <Show
                when=move || !failed.get()
                fallback=move || {
                    view! {
                        <p id="shared-take-error" class="warn-text" role="note">
                            {format!(
                                "The take's video could not be loaded from {host} (it may have expired or be private); the animatic below shows the shots."
                            )}
                        </p>
                    }
                }
            >
                <video
                    id="shared-take-video"
                    src=url.clone()
                    controls
                    preload="metadata"
                    playsinline
                    data-loaded=move || loaded.get().then_some("1")
                    on:loadedmetadata=move |_| loaded.set(true)
                    on:error=move |_| failed.set(true)
                    on:play=move |_| playing.set(false)
                    on:timeupdate=follow.clone()
                ></video>
            </Show>
        </section>
    }
}
