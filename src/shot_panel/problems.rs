//! The problems the rules find in one shot.

use leptos::prelude::*;
use storyreel_core::Location;

use crate::state::Editor;

#[component]
pub fn ShotProblems(index: Memo<usize>) -> impl IntoView {
    let editor = Editor::expect();
    let problems = Memo::new(move |_| {
        let i = index.get();
        editor.report.with(|r| {
            r.at(&Location::Shot(i))
                .map(|p| (p.is_error(), p.message()))
                .collect::<Vec<_>>()
        })
    });

    view! {
        <ul class="shot-problems">
            {move || {
                problems
                    .get()
                    .into_iter()
                    .map(|(is_error, msg)| {
                        view! { <li class:error=is_error class:warning=!is_error>{msg}</li> }
                    })
                    .collect_view()
            }}
        </ul>
    }
}
