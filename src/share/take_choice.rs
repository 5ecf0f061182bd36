//! The latest take in a share link: a choice when its video has a public
//! address, else a note that the link cannot carry it.

use leptos::prelude::*;

use super::made::TakeOffer;
use super::sharing::Sharing;

#[component]
pub fn TakeChoice(sharing: Sharing) -> impl IntoView {
    let (made, with_take) = (sharing.made, sharing.with_take);
    move || {
        made.with(|m| match m.as_ref().and_then(|m| m.take.clone()) {
            Some(TakeOffer::Public { .. }) => Some(
                view! {
                    <label class="share-take check">
                        <input
                            id="share-take"
                            type="checkbox"
                            prop:checked=with_take
                            on:change=move |ev| {
                                with_take.set(event_target_checked(&ev));
                                request_animation_frame(move || sharing.select_link());
                            }
                        />
                        " Include the video of the latest take (its link is in the address)"
                    </label>
                }
                .into_any(),
            ),
            Some(TakeOffer::LocalOnly) => Some(
                view! {
                    <p id="share-take-local" class="share-note">
                        "The latest take's video is stored only on this machine, so the link cannot include it."
                    </p>
                }
                .into_any(),
            ),
            None => None,
        })
    }
}
