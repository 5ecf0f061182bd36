//! Every problem of the board, live; each one focuses its field.

use leptos::prelude::*;
use storyreel_core::{Field, Location, Problem};

use crate::dom;
use crate::state::Editor;

/// The DOM id of the control a problem is about.
fn target_id(p: &Problem) -> String {
    match (&p.location, p.field) {
        (Location::Shot(i), Field::Duration) => format!("shot-{i}-duration"),
        (Location::Shot(i), _) => format!("shot-{i}-prompt"),
        (Location::Reference(name), _) => format!("ref-{name}"),
        (Location::Board, Field::Prompt) => "board-prompt".into(),
        (Location::Board, Field::Sound) => "setting-sound".into(),
        (Location::Board, Field::AspectRatio) => "setting-aspect".into(),
        (Location::Board, Field::Resolution) => "setting-resolution".into(),
        (Location::Board, Field::Duration | Field::Shots) => "timeline".into(),
        (Location::Board, _) => "cast".into(),
    }
}

fn place(p: &Problem) -> String {
    match &p.location {
        Location::Board => match p.field {
            Field::Prompt => "Overall prompt".into(),
            Field::Sound => "Sound".into(),
            Field::AspectRatio => "Aspect".into(),
            Field::Resolution => "Resolution".into(),
            Field::FirstFrame => "First frame".into(),
            Field::LastFrame => "Last frame".into(),
            Field::References => "Cast".into(),
            _ => "Timeline".into(),
        },
        Location::Shot(i) => format!("Shot {}", i + 1),
        Location::Reference(n) => format!("@{n}"),
    }
}

/// One line of the list. Everything it shows is in its key, so when the
/// report changes only the lines that changed are rebuilt, in place.
#[derive(Clone, PartialEq)]
struct Row {
    key: String,
    target: String,
    is_error: bool,
    place: String,
    message: String,
}

fn rows(problems: &[Problem]) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::with_capacity(problems.len());
    let mut bases: Vec<String> = Vec::with_capacity(problems.len());
    for p in problems {
        let target = target_id(p);
        let is_error = p.is_error();
        let place = place(p);
        let message = p.message();
        let base = format!(
            "{}|{target}|{place}|{message}",
            if is_error { 'E' } else { 'W' }
        );
        // The same line twice gets a second key.
        let twins = bases.iter().filter(|b| **b == base).count();
        let key = format!("{base}#{twins}");
        bases.push(base);
        out.push(Row {
            key,
            target,
            is_error,
            place,
            message,
        });
    }
    out
}

#[component]
pub fn ProblemsPanel() -> impl IntoView {
    let editor = Editor::expect();
    let report = editor.report;
    let errors = Memo::new(move |_| report.with(|r| r.error_count()));
    let warnings = Memo::new(move |_| report.with(|r| r.warnings().count()));
    let rows = Memo::new(move |_| report.with(|r| rows(&r.problems)));

    view! {
        <section class="problems" id="problems" aria-labelledby="problems-heading">
            <h2 id="problems-heading">
                "Problems "
                <span class="badge error" class:zero=move || errors.get() == 0 id="error-count">
                    {move || format!("{} error{}", errors.get(), if errors.get() == 1 { "" } else { "s" })}
                </span>
                " "
                <span class="badge warning" class:zero=move || warnings.get() == 0>
                    {move || format!("{} warning{}", warnings.get(), if warnings.get() == 1 { "" } else { "s" })}
                </span>
            </h2>
            <Show
                when=move || report.with(|r| !r.problems.is_empty())
                fallback=|| view! { <p class="all-good">"No problems: this board can be sent as it is."</p> }
            >
                <ul class="problem-list">
                    <For each=move || rows.get() key=|row| row.key.clone() let:row>
                        {
                            let Row { target, is_error, place, message, .. } = row;
                            view! {
                                <li>
                                    <button
                                        class="problem"
                                        class:error=is_error
                                        class:warning=!is_error
                                        data-target=target.clone()
                                        on:click=move |_| dom::focus_id(&target)
                                    >
                                        <span class="problem-kind">{if is_error { "Error" } else { "Warning" }}</span>
                                        <span class="problem-place">{place}</span>
                                        <span class="problem-message">{message}</span>
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </section>
    }
}
