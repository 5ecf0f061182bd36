//! Files coming into the cast (picked, dropped or pasted): each is checked
//! by the core against the board's limits from its own bytes, shrunk in
//! the browser when that fixes it, uploaded with progress, and only then
//! added to the board. A refused file stays listed with its reasons and
//! nothing is uploaded or changed.

use leptos::prelude::*;
use storyreel_core::cast::{self, suggest_name_avoiding, Member, OnTheWay};
use storyreel_core::media::{self, MediaProblem, MoovLocation, Next, Role, Verdict};
use storyreel_core::{Reference, VideoUse};
use wasm_bindgen_futures::JsFuture;

use crate::settings::{ServerState, Settings};
use crate::state::Editor;

/// How much of an image is read to find its size (JPEG headers with a
/// large EXIF block need more than a few kilobytes).
pub const IMAGE_HEAD: u64 = 1024 * 1024;
/// JPEG quality of thumbnails.
const THUMB_QUALITY: f64 = 0.8;

/// Where a file is in its way into the cast.
#[derive(Clone, Debug, PartialEq)]
pub enum Stage {
    Checking,
    Resizing,
    /// Fraction sent, 0 to 1.
    Uploading(f64),
    /// Not taken: each line names a problem and its limit.
    Refused(Vec<String>),
    /// In the cast under this name; listed on only while its resize note
    /// is worth reading.
    Added(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Intake {
    pub id: u32,
    pub file_name: String,
    /// The name it will have in the cast.
    pub name: String,
    pub stage: Stage,
    /// Whether it is a video (known once its first bytes are read).
    pub video: bool,
    /// It passed the check for room in the cast, so it holds a place there
    /// until it is added or refused.
    pub reserved: bool,
    /// "Resized 6000×4000, 14.2 MB → 4096×2731, 2.1 MB".
    pub note: Option<String>,
}

/// The files on their way in, shared by the cast panel.
#[derive(Clone, Copy)]
pub struct Intakes {
    pub items: RwSignal<Vec<Intake>>,
    next: StoredValue<u32>,
}

impl Intakes {
    pub fn new() -> Intakes {
        Intakes {
            items: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
        }
    }

    fn start(&self, file_name: String, name: String) -> u32 {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        self.items.update(|all| {
            all.push(Intake {
                id,
                file_name,
                name,
                stage: Stage::Checking,
                video: false,
                reserved: false,
                note: None,
            })
        });
        id
    }

    fn set(&self, id: u32, f: impl FnOnce(&mut Intake)) {
        self.items.update(|all| {
            if let Some(item) = all.iter_mut().find(|i| i.id == id) {
                f(item);
            }
        });
    }

    fn refuse(&self, id: u32, reasons: Vec<String>) {
        self.set(id, |i| i.stage = Stage::Refused(reasons));
    }

    pub fn dismiss(&self, id: u32) {
        self.items.update(|all| all.retain(|i| i.id != id));
    }

    /// Done: a file that was shrunk stays listed with its before and
    /// after sizes until dismissed; any other goes.
    fn finish(&self, id: u32, name: &str) {
        let keep = self
            .items
            .with_untracked(|all| all.iter().any(|i| i.id == id && i.note.is_some()));
        if keep {
            self.set(id, |i| i.stage = Stage::Added(name.to_string()));
        } else {
            self.dismiss(id);
        }
    }

    /// Names already given to files on their way in.
    fn pending_names(&self) -> Vec<String> {
        self.items.with_untracked(|all| {
            all.iter()
                .filter(|i| !matches!(i.stage, Stage::Refused(_) | Stage::Added(_)))
                .map(|i| i.name.clone())
                .collect()
        })
    }

    /// The files that hold a place in the cast, but for `except`.
    pub fn on_the_way(&self, except: Option<u32>) -> OnTheWay {
        self.items.with_untracked(|all| {
            let mut on = OnTheWay::default();
            let holding = all.iter().filter(|i| {
                Some(i.id) != except
                    && i.reserved
                    && !matches!(i.stage, Stage::Refused(_) | Stage::Added(_))
            });
            for i in holding {
                if i.video {
                    on.videos += 1;
                } else {
                    on.images += 1;
                }
            }
            on
        })
    }
}

/// Takes `files` into the cast, several at once (one per core, see
/// `resize::parallel_files`), each checked, shrunk and uploaded on its own.
pub fn take_files(editor: Editor, settings: Settings, intakes: Intakes, files: Vec<web_sys::File>) {
    leptos::task::spawn_local(take_files_here(editor, settings, intakes, files));
}

lazy! {
    /// [`take_files`]' work: code (the checks, the shrinking, the upload)
    /// that loads the first time files are given (`lazy!`,
    /// src/lazy.rs).
    fn take_files_here(
        editor: Editor,
        settings: Settings,
        intakes: Intakes,
        files: Vec<web_sys::File>,
    ) {
        let queue = std::rc::Rc::new(std::cell::RefCell::new(
            files.into_iter().collect::<std::collections::VecDeque<_>>(),
        ));
        for _ in 0..crate::resize::parallel_files() {
            let queue = queue.clone();
            leptos::task::spawn_local(async move {
                loop {
                    let next = queue.borrow_mut().pop_front();
                    let Some(file) = next else { break };
                    take_file(editor, settings, intakes, file).await;
                }
            });
        }
    }
}

/// The files of a `FileList` (input, drop or paste).
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

async fn take_file(editor: Editor, settings: Settings, intakes: Intakes, file: web_sys::File) {
    let file_name = file.name();
    let pending = intakes.pending_names();
    let name = editor.board.with_untracked(|b| {
        suggest_name_avoiding(&file_name, &|n| {
            b.reference(n).is_some() || pending.iter().any(|p| p == n)
        })
    });
    let id = intakes.start(file_name.clone(), name.clone());
    let start_mark = format!("storyreel-prepare-{id}");
    if let Some(p) = window().performance() {
        let _ = p.mark(&start_mark);
    }
    let len = file.size().max(0.0) as u64;

    let head = match read(&file, 0, len.min(IMAGE_HEAD)).await {
        Ok(h) => h,
        Err(why) => return intakes.refuse(id, vec![why]),
    };
    let sniffed = media::sniff(&head);
    // Images and videos are told apart by content; anything else is
    // refused as an image, whose message names what it is.
    let role = match sniffed.kind() {
        Some(k) if k.is_video() => Role::Video,
        _ => Role::Image,
    };
    intakes.set(id, |i| i.video = role == Role::Video);
    if let Err(p) = media::check_kind(&sniffed, Some(&file_name), role) {
        return intakes.refuse(id, vec![sentence(&p)]);
    }
    if let Some(why) = room_for(editor, intakes, id, role) {
        return intakes.refuse(id, vec![why]);
    }
    intakes.set(id, |i| i.reserved = true);
    if let Some(why) = uploads_refusal(settings) {
        return intakes.refuse(id, vec![why]);
    }

    // An image's size as shown, for the resize note.
    let mut shown = (0, 0);
    let verdict = if role == Role::Video {
        match video_verdict(&file, &head, len).await {
            Ok(v) => v,
            Err(why) => return intakes.refuse(id, vec![why]),
        }
    } else {
        match media::read_image(&head) {
            Ok(info) => {
                shown = info.display_size();
                media::check_image(&info, len)
            }
            Err(e) => Verdict::Refused(vec![MediaProblem::Unreadable {
                kind: sniffed.kind().unwrap_or(media::Kind::Jpeg),
                reason: e.to_string(),
            }]),
        }
    };

    // The file to upload, and for an image the picture its thumbnail
    // shows until the next reload (a file within the limits is its own).
    let (blob, thumb): (web_sys::Blob, Option<web_sys::Blob>) = match verdict {
        Verdict::Refused(problems) => {
            return intakes.refuse(id, problems.iter().map(sentence).collect());
        }
        Verdict::Ok => (
            file.clone().into(),
            (role == Role::Image).then(|| file.clone().into()),
        ),
        Verdict::Fixable { plan, .. } => {
            intakes.set(id, |i| i.stage = Stage::Resizing);
            match shrink(&file, &plan).await {
                Ok((blob, attempt, thumb)) => {
                    let note = format!(
                        "Resized {}×{}, {} → {}×{}, {}",
                        shown.0,
                        shown.1,
                        megabytes(len),
                        attempt.width,
                        attempt.height,
                        megabytes(blob.size() as u64)
                    );
                    intakes.set(id, |i| i.note = Some(note));
                    (blob, thumb)
                }
                Err(why) => return intakes.refuse(id, vec![why]),
            }
        }
    };

    // The board may have changed while the file was read: check again.
    if let Some(why) = room_for(editor, intakes, id, role) {
        return intakes.refuse(id, vec![why]);
    }
    // The check and any resize, for the benchmark (`cargo xtask bench`).
    if let Some(p) = window().performance() {
        let _ = p.measure_with_start_mark("storyreel-prepare", &start_mark);
        p.clear_marks_with_mark_name(&start_mark);
    }
    intakes.set(id, |i| i.stage = Stage::Uploading(0.0));
    // The upload goes on its own, so this lane takes the next file now.
    let prepared = Prepared {
        id,
        name,
        blob,
        thumb,
        role,
    };
    leptos::task::spawn_local(store(editor, settings, intakes, prepared));
}

/// A file checked (and shrunk if it had to be), ready to upload.
struct Prepared {
    /// Its intake item.
    id: u32,
    /// The name it was given on the way in.
    name: String,
    blob: web_sys::Blob,
    /// For an image, what the cast shows until the next reload.
    thumb: Option<web_sys::Blob>,
    role: Role,
}

/// Uploads a prepared file and adds it to the cast.
async fn store(editor: Editor, settings: Settings, intakes: Intakes, prepared: Prepared) {
    let Prepared {
        id,
        name,
        blob,
        thumb,
        role,
    } = prepared;
    let transport = settings.transport();
    let url = transport.uploads_url();
    // The bar moves in steps of a hundredth: the browser may report far
    // more often than that, and each report redraws the list.
    let shown = std::cell::Cell::new(0.0);
    let progress = move |f: f64| {
        if f - shown.get() >= 0.01 || f >= 1.0 {
            shown.set(f);
            intakes.set(id, |i| i.stage = Stage::Uploading(f));
        }
    };
    let stored = match crate::upload::send(&url, &transport.api_headers(), &blob, progress).await {
        Ok(s) => s,
        Err(why) => return intakes.refuse(id, vec![format!("Not uploaded: {why}.")]),
    };
    let name = intakes
        .items
        .with_untracked(|all| all.iter().find(|i| i.id == id).map(|i| i.name.clone()))
        .unwrap_or(name);
    let name = editor.board.with_untracked(|b| {
        if b.reference(&name).is_some() {
            suggest_name_avoiding(&name, &|n| b.reference(n).is_some())
        } else {
            name
        }
    });
    if let Some(thumb) = &thumb {
        crate::thumbs::remember(&stored.reference, thumb);
    }
    let reference = if role == Role::Video {
        Reference::video(name.clone(), stored.reference, VideoUse::Feature)
    } else {
        Reference::image(name.clone(), stored.reference)
    };
    let on_the_way = intakes.on_the_way(Some(id));
    let Some(added) = editor.add_to_cast(reference, on_the_way) else {
        return;
    };
    let added = match added {
        Ok(a) => a,
        // The cast changed while the file was uploading.
        Err(e) => return intakes.refuse(id, vec![format!("Uploaded, but not added: {e}.")]),
    };
    intakes.finish(id, &name);
    editor.say(if added.sound_turned_off {
        format!("@{name} added to the cast. Sound was turned off: Kling generates no audio with a reference video.")
    } else {
        format!("@{name} added to the cast.")
    });
}

/// Why the cast has no room for file `id` of `role`, if it has none
/// (counting the files on their way in that hold a place).
fn room_for(editor: Editor, intakes: Intakes, id: u32, role: Role) -> Option<String> {
    let member = if role == Role::Video {
        Member::Video
    } else {
        Member::Image
    };
    let on_the_way = intakes.on_the_way(Some(id));
    editor
        .board
        .with_untracked(|b| cast::room_for(b, member, on_the_way))
        .err()
        .map(|e| e.sentence())
}

/// Why nothing can be uploaded to this server, if so.
pub fn uploads_refusal(settings: Settings) -> Option<String> {
    match settings.server.get_untracked() {
        ServerState::Known(status) if status.access_token_required && settings.access_token.with_untracked(Option::is_none) => Some(
            "This server needs its access token before it stores files: enter it in the Server settings.".into(),
        ),
        ServerState::Known(status) if status.uploads.available => None,
        ServerState::Known(_) => Some(
            "This server does not store files. Add the image by its https address instead (Image URL below)."
                .into(),
        ),
        ServerState::Checking => Some("Still asking the server whether it stores files; try again in a moment.".into()),
        ServerState::Unreachable(why) => Some(format!(
            "The server cannot be reached ({why}), so the file cannot be uploaded."
        )),
    }
}

/// The verdict on a video, reading only its head and its `moov` box.
async fn video_verdict(file: &web_sys::File, head: &[u8], len: u64) -> Result<Verdict, String> {
    let info = video_info(file, head, len).await?;
    Ok(media::check_video(&info, len))
}

/// A video's index, reading only its head and its `moov` box.
pub async fn video_info(
    file: &web_sys::File,
    head: &[u8],
    len: u64,
) -> Result<media::video::VideoInfo, String> {
    let mut location = media::locate_moov(head, len).map_err(|e| unreadable(&e))?;
    let mut hops = 0;
    let moov = loop {
        hops += 1;
        if hops > 64 {
            return Err("The video could not be read: too many boxes before its index.".into());
        }
        match location {
            MoovLocation::InHead(range) => break head[range].to_vec(),
            MoovLocation::At { offset, len: size } => {
                break read(file, offset, offset + size).await?
            }
            MoovLocation::ReadAt { offset } => {
                let chunk =
                    read(file, offset, (offset + media::video::HEADER_READ).min(len)).await?;
                location =
                    media::locate_moov_from(&chunk, offset, len).map_err(|e| unreadable(&e))?;
                if let MoovLocation::InHead(range) = location {
                    break chunk[range].to_vec();
                }
            }
            MoovLocation::NotFound => {
                return Err("The video could not be read: it has no index (moov box).".into())
            }
        }
    };
    media::read_moov(&moov).map_err(|e| unreadable(&e))
}

fn unreadable(e: &dyn std::fmt::Display) -> String {
    format!("The video could not be read: {e}.")
}

/// Re-encodes an image by `plan` until it fits; the last attempt made.
/// `file` re-encoded to fit `plan`, the attempt that did, and a thumbnail
/// (`None` if the browser could not make one; the upload is shown then).
async fn shrink(
    file: &web_sys::File,
    plan: &media::FitPlan,
) -> Result<(web_sys::Blob, media::Attempt, Option<web_sys::Blob>), String> {
    let mut attempt = plan.first;
    let mut shrinker = crate::resize::Shrinker::new(file.clone().into(), plan.opaque);
    for _ in 0..16 {
        let out = shrinker
            .encode(
                attempt.width,
                attempt.height,
                attempt.output.content_type(),
                attempt.output.quality().unwrap_or(1.0),
            )
            .await
            .map_err(|why| format!("The image could not be resized: {why}."))?;
        match plan.next(&attempt, out.size() as u64) {
            Next::Done => {
                // From the picture already decoded: a few milliseconds.
                let (w, h) = media::fit::thumb_size(attempt.width, attempt.height);
                let thumb = shrinker
                    .encode(w, h, "image/jpeg", THUMB_QUALITY)
                    .await
                    .ok();
                return Ok((out, attempt, thumb));
            }
            Next::Retry(next) => attempt = next,
            Next::GiveUp => break,
        }
    }
    Err(format!(
        "The image could not be made smaller than {} without going under the minimum size.",
        megabytes(plan.max_bytes)
    ))
}

/// A problem as a sentence.
fn sentence(p: &MediaProblem) -> String {
    p.message()
}

/// `14.2 MB`.
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// Bytes `start..end` of `file`.
pub async fn read(file: &web_sys::File, start: u64, end: u64) -> Result<Vec<u8>, String> {
    let slice = file
        .slice_with_f64_and_f64(start as f64, end as f64)
        .map_err(|_| "The file could not be read.".to_string())?;
    let buffer = JsFuture::from(slice.array_buffer())
        .await
        .map_err(|_| "The file could not be read (was it moved or deleted?).".to_string())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
