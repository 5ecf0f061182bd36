//! The form that adds or edits a library character: name (≤ 20),
//! description (≤ 100), tag, and either a frontal image and 1 to 3 others
//! or one 3–8 s video. Each file is checked when picked
//! (`character_files`); a refused file is listed with its reasons and is
//! never uploaded. Save uploads the new files, then writes the library.

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::character::{
    Character, ElementStatus, Look, Tag, MAX_CHARACTER_DESCRIPTION_CHARS,
    MAX_CHARACTER_NAME_CHARS, MAX_OTHER_IMAGES, MIN_OTHER_IMAGES,
};

use crate::character_files::{self, Want};
use crate::characters::Characters;
use crate::settings::Settings;

/// A file of the form: one already in the character (`src`), or one just
/// picked and checked (`file`).
#[derive(Clone, Debug)]
struct Picked {
    label: String,
    /// The character's own source (`upload:…` or https) when kept.
    src: Option<String>,
    file: Option<web_sys::File>,
    /// What the form shows.
    preview: Option<String>,
}

impl Picked {
    fn kept(src: &str, settings: Settings) -> Picked {
        Picked {
            label: short(src),
            src: Some(src.to_string()),
            file: None,
            preview: crate::thumbs::url_for(src).or_else(|| settings.transport().view_url(src)),
        }
    }
}

fn short(src: &str) -> String {
    match src.strip_prefix("upload:") {
        Some(sha) => format!("uploaded · {}", &sha[..sha.len().min(10)]),
        None => src.rsplit('/').next().unwrap_or(src).to_string(),
    }
}

/// The problem with a name, if any.
pub fn name_problem(name: &str) -> Option<String> {
    let n = name.trim().chars().count();
    if n == 0 {
        Some("Name: give the character a name.".into())
    } else if n > MAX_CHARACTER_NAME_CHARS {
        Some(format!(
            "Name: {n} characters; Kling allows at most {MAX_CHARACTER_NAME_CHARS}."
        ))
    } else {
        None
    }
}

fn description_problem(text: &str) -> Option<String> {
    let n = text.trim().chars().count();
    (n > MAX_CHARACTER_DESCRIPTION_CHARS).then(|| {
        format!(
            "Description: {n} characters; Kling allows at most {MAX_CHARACTER_DESCRIPTION_CHARS}."
        )
    })
}

/// Adds a character (`editing` is `None`) or edits one. `on_done` runs
/// after a save or a cancel.
#[component]
pub fn CharacterForm(
    #[prop(optional_no_strip)] editing: Option<Character>,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let characters = Characters::expect();
    let settings = Settings::expect();
    let editor = crate::state::Editor::expect();
    let original = StoredValue::new(editing.clone());
    let name = RwSignal::new(editing.as_ref().map(|c| c.name.clone()).unwrap_or_default());
    let description = RwSignal::new(
        editing
            .as_ref()
            .map(|c| c.description.clone())
            .unwrap_or_default(),
    );
    let tag = RwSignal::new(editing.as_ref().map(|c| c.tag).unwrap_or_default());
    let (mode, frontal, others, video) = match editing.as_ref().map(|c| &c.look) {
        Some(Look::Video { src }) => (
            "video",
            None,
            Vec::new(),
            Some(Picked::kept(src, settings)),
        ),
        Some(Look::Images { frontal, others }) => (
            "images",
            Some(Picked::kept(frontal, settings)),
            others.iter().map(|s| Picked::kept(s, settings)).collect(),
            None,
        ),
        None => ("images", None, Vec::new(), None),
    };
    let mode = RwSignal::new(mode.to_string());
    let frontal = RwSignal::new_local(frontal);
    let others = RwSignal::new_local(others);
    let video = RwSignal::new_local(video);
    // Refusals of the files last picked, each with its file name.
    let refusals = RwSignal::new(Vec::<(String, Vec<String>)>::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(None::<String>);
    let prefix = if editing.is_some() { "edit" } else { "new" };
    let id = move |what: &str| format!("character-{prefix}-{what}");

    // Checks picked files; those that pass go to `put`.
    let pick = move |files: Vec<web_sys::File>, want: Want, put: Box<dyn Fn(Vec<Picked>)>| {
        refusals.set(Vec::new());
        spawn_local(async move {
            let mut ok = Vec::new();
            let mut refused = Vec::new();
            for file in files {
                match character_files::check(&file, want).await {
                    Ok(()) => {
                        let preview = (want == Want::Image)
                            .then(|| web_sys::Url::create_object_url_with_blob(&file).ok())
                            .flatten();
                        ok.push(Picked {
                            label: file.name(),
                            src: None,
                            file: Some(file),
                            preview,
                        });
                    }
                    Err(why) => refused.push((file.name(), why)),
                }
            }
            refusals.set(refused);
            if !ok.is_empty() {
                put(ok);
            }
        });
    };

    let save = move || {
        if busy.with_untracked(Option::is_some) {
            return;
        }
        let n = name.get_untracked().trim().to_string();
        let d = description.get_untracked().trim().to_string();
        if let Some(why) = name_problem(&n).or_else(|| description_problem(&d)) {
            error.set(Some(why));
            return;
        }
        let is_video = mode.get_untracked() == "video";
        let (front, rest, clip) = (
            frontal.get_untracked(),
            others.get_untracked(),
            video.get_untracked(),
        );
        if is_video {
            if clip.is_none() {
                error.set(Some("Video: pick one 3–8 s video of the person.".into()));
                return;
            }
        } else {
            if front.is_none() {
                error.set(Some("Images: pick a frontal image.".into()));
                return;
            }
            if !(MIN_OTHER_IMAGES..=MAX_OTHER_IMAGES).contains(&rest.len()) {
                error.set(Some(format!(
                    "Images: {} other image{}; Kling needs {MIN_OTHER_IMAGES} to {MAX_OTHER_IMAGES} besides the frontal one.",
                    rest.len(),
                    if rest.len() == 1 { "" } else { "s" }
                )));
                return;
            }
        }
        let needs_upload = [&front, &clip]
            .into_iter()
            .flatten()
            .chain(rest.iter())
            .any(|p| p.src.is_none());
        if needs_upload {
            if let Some(why) = crate::intake::uploads_refusal(settings) {
                error.set(Some(why));
                return;
            }
        }
        error.set(None);
        busy.set(Some("Uploading…".into()));
        spawn_local(async move {
            let result: Result<Look, String> = async {
                if is_video {
                    let src = upload(settings, clip.expect("checked above")).await?;
                    Ok(Look::Video { src })
                } else {
                    let frontal = upload(settings, front.expect("checked above")).await?;
                    let mut out = Vec::new();
                    for p in rest {
                        out.push(upload(settings, p).await?);
                    }
                    Ok(Look::Images {
                        frontal,
                        others: out,
                    })
                }
            }
            .await;
            let look = match result {
                Ok(l) => l,
                Err(why) => {
                    busy.set(None);
                    error.set(Some(format!("Not saved: {why}.")));
                    return;
                }
            };
            let character = match original.get_value() {
                Some(mut c) => {
                    // New pictures make a new element: the old one no
                    // longer looks like this character.
                    if c.look != look && !matches!(c.element, ElementStatus::Making { .. }) {
                        c.element = ElementStatus::None;
                    }
                    c.name = n;
                    c.description = d;
                    c.tag = tag.get_untracked();
                    if !c.tag.takes_voice() {
                        c.voice = None;
                    }
                    c.look = look;
                    c
                }
                None => Character {
                    id: crate::characters::new_id(),
                    name: n,
                    description: d,
                    tag: tag.get_untracked(),
                    look,
                    voice: None,
                    element: ElementStatus::None,
                    updated_ms: 0,
                },
            };
            let title = character.name.clone();
            match characters.save(character).await {
                Ok(_) => {
                    busy.set(None);
                    editor.say(format!("Saved '{title}' in your characters."));
                    on_done.run(());
                }
                Err(why) => {
                    busy.set(None);
                    error.set(Some(format!("Not saved: {why}.")));
                }
            }
        });
    };

    let file_input = move |what: &'static str, multiple: bool, want: Want| {
        let accept = match want {
            Want::Image => "image/jpeg,image/png",
            Want::Video => "video/mp4,video/quicktime",
        };
        view! {
            <input
                id=id(what)
                class="character-file"
                type="file"
                accept=accept
                multiple=multiple
                on:change=move |ev| {
                    let input: web_sys::HtmlInputElement = event_target(&ev);
                    let files = crate::intake::files_of(input.files());
                    input.set_value("");
                    let put: Box<dyn Fn(Vec<Picked>)> = match what {
                        "frontal" => Box::new(move |mut ok: Vec<Picked>| frontal.set(ok.pop())),
                        "others" => Box::new(move |ok: Vec<Picked>| {
                            others.update(|o| {
                                o.extend(ok);
                                o.truncate(MAX_OTHER_IMAGES);
                            })
                        }),
                        _ => Box::new(move |mut ok: Vec<Picked>| video.set(ok.pop())),
                    };
                    pick(files, want, put);
                }
            />
        }
    };

    view! {
        <form
            class="character-form"
            id=id("form")
            on:submit=move |ev| {
                ev.prevent_default();
                save();
            }
        >
            <label>
                <span>"Name"</span>
                <input
                    id=id("name")
                    type="text"
                    maxlength=MAX_CHARACTER_NAME_CHARS.to_string()
                    placeholder="Mia"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
            </label>
            <label>
                <span>"Kind"</span>
                <select
                    id=id("tag")
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(t) = Tag::ALL.into_iter().find(|t| t.kling_id() == v) {
                            tag.set(t);
                        }
                    }
                >
                    {Tag::ALL
                        .into_iter()
                        .map(|t| {
                            view! {
                                <option value=t.kling_id() selected=move || tag.get() == t>
                                    {t.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="wide">
                <span>"Description"</span>
                <input
                    id=id("description")
                    type="text"
                    maxlength=MAX_CHARACTER_DESCRIPTION_CHARS.to_string()
                    placeholder="Red coat, short dark hair, freckles"
                    prop:value=move || description.get()
                    on:input=move |ev| description.set(event_target_value(&ev))
                />
            </label>
            <fieldset class="wide character-look">
                <legend>"Made from"</legend>
                <label class="inline">
                    <input
                        type="radio"
                        name=id("mode")
                        id=id("mode-images")
                        prop:checked=move || mode.get() == "images"
                        on:change=move |_| mode.set("images".into())
                    />
                    "a frontal image and 1–3 others"
                </label>
                <label class="inline">
                    <input
                        type="radio"
                        name=id("mode")
                        id=id("mode-video")
                        prop:checked=move || mode.get() == "video"
                        on:change=move |_| mode.set("video".into())
                    />
                    "one 3–8 s video of a real person"
                </label>
                <Show
                    when=move || mode.get() == "images"
                    fallback=move || {
                        view! {
                            <div class="character-slot">
                                <span>"Video (MP4 or MOV, 3–8 s, 1080p, 16:9 or 9:16, ≤ 200 MB)"</span>
                                {file_input("video", false, Want::Video)}
                                {move || video.get().map(|p| view! { <span class="character-picked">{p.label}</span> })}
                            </div>
                        }
                    }
                >
                    <div class="character-slot">
                        <span>"Frontal image (JPEG or PNG, ≥ 300 px a side, ≤ 10 MB)"</span>
                        {file_input("frontal", false, Want::Image)}
                        <div class="character-previews">
                            {move || frontal.get().map(|p| preview(p, None))}
                        </div>
                    </div>
                    <div class="character-slot">
                        <span>"Other images (1 to 3)"</span>
                        {file_input("others", true, Want::Image)}
                        <div class="character-previews">
                            {move || {
                                others
                                    .get()
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, p)| {
                                        let remove = Callback::new(move |()| {
                                            others.update(|o| {
                                                if i < o.len() {
                                                    o.remove(i);
                                                }
                                            })
                                        });
                                        preview(p, Some(remove))
                                    })
                                    .collect_view()
                            }}
                        </div>
                    </div>
                </Show>
            </fieldset>
            <ul class="character-refusals" id=id("refusals") aria-live="polite">
                {move || {
                    refusals
                        .get()
                        .into_iter()
                        .map(|(file, why)| {
                            view! {
                                <li class="refused" data-file=file.clone()>
                                    <strong>{format!("{file}: not taken")}</strong>
                                    <ul>{why.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <p class="form-error" role="alert" id=id("error")>{move || error.get().unwrap_or_default()}</p>
            <div class="character-form-actions wide">
                <button type="submit" id=id("save") disabled=move || busy.with(Option::is_some)>
                    {move || busy.get().unwrap_or_else(|| "Save character".into())}
                </button>
                <button type="button" class="link-like" on:click=move |_| on_done.run(())>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}

/// A picked image as a small picture with its name.
fn preview(p: Picked, remove: Option<Callback<()>>) -> impl IntoView {
    view! {
        <span class="character-picked">
            {p.preview.map(|url| view! { <img class="thumb" src=url alt="" /> })}
            <span class="character-picked-name">{p.label}</span>
            {remove.map(|r| view! {
                <button type="button" class="small" aria-label="Remove this image" on:click=move |_| r.run(())>
                    "×"
                </button>
            })}
        </span>
    }
}

/// The picked file uploaded (or the kept source as it is).
async fn upload(settings: Settings, picked: Picked) -> Result<String, String> {
    if let Some(src) = picked.src {
        return Ok(src);
    }
    let Some(file) = picked.file else {
        return Err("a file went missing".into());
    };
    let transport = settings.transport();
    let stored = crate::upload::send(&transport.uploads_url(), &transport.api_headers(), &file, |_| {})
        .await
        .map_err(|why| format!("{} was not uploaded: {why}", picked.label))?;
    crate::thumbs::remember(&stored.reference, &file);
    Ok(stored.reference)
}
