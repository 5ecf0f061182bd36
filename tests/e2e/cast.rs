//! The cast, end to end: files picked, dropped and pasted are checked in
//! the browser, shrunk when that fixes them, uploaded with progress and
//! cited; every bad file of issue 5 is refused on its item with nothing
//! uploaded and the board unchanged; renaming, removing, chips, frames and
//! sound follow the board's rules.

use serde_json::{json, Value};
use storyreel_e2e::files::{heic, mp4, png_header};
use storyreel_e2e::{stored_files, type_into, Harness};

/// Makes files in the page and hands them to the cast: through the file
/// input (`pick`), a drop on the panel (`drop`) or a paste (`paste`).
/// A spec is `{name, bytes}` or `{name, draw: {w, h, type, quality,
/// noise, clear}, cut}`; the browser draws pictures itself (`clear`:
/// `[x, y, w, h]` made transparent).
const ADD_FILES: &str = r#"
const [specs, how] = arguments;
const files = [];
for (const s of specs) {
  let blob;
  if (s.draw) {
    const {w, h, type, quality, noise, clear} = s.draw;
    const c = new OffscreenCanvas(w, h);
    const ctx = c.getContext('2d');
    if (noise) {
      const img = ctx.createImageData(w, h);
      const px = img.data;
      let seed = 12345;
      for (let i = 0; i < px.length; i += 4) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        px[i] = seed & 255; px[i + 1] = (seed >>> 8) & 255; px[i + 2] = (seed >>> 16) & 255; px[i + 3] = 255;
      }
      ctx.putImageData(img, 0, 0);
    } else {
      const g = ctx.createLinearGradient(0, 0, w, h);
      g.addColorStop(0, '#2b6cb0'); g.addColorStop(1, '#f6ad55');
      ctx.fillStyle = g; ctx.fillRect(0, 0, w, h);
      ctx.fillStyle = '#fff'; ctx.font = `${Math.floor(h / 5)}px sans-serif`;
      ctx.fillText(s.name, w / 10, h / 2);
    }
    if (clear) ctx.clearRect(...clear);
    blob = await c.convertToBlob({type: type || 'image/jpeg', quality: quality || 0.9});
    if (s.cut) blob = blob.slice(0, s.cut);
  } else {
    blob = new Blob([new Uint8Array(s.bytes)]);
  }
  files.push(new File([blob], s.name, {type: s.type || ''}));
}
const dt = new DataTransfer();
files.forEach(f => dt.items.add(f));
if (how === 'drop') {
  const target = document.getElementById('cast');
  target.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
  target.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
} else if (how === 'paste') {
  document.body.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
} else {
  const input = document.getElementById('cast-file');
  input.files = dt.files;
  input.dispatchEvent(new Event('change', {bubbles: true}));
}
return files.map(f => f.size);
"#;

async fn add_files(h: &Harness, specs: Value, how: &str) -> Value {
    h.eval(ADD_FILES, vec![specs, json!(how)]).await
}

fn drawn(name: &str, w: u32, h: u32) -> Value {
    json!({"name": name, "draw": {"w": w, "h": h, "type": "image/jpeg"}})
}

fn bytes(name: &str, data: &[u8]) -> Value {
    json!({"name": name, "bytes": data})
}

async fn saved_board(h: &Harness) -> Value {
    let text = h
        .eval("return localStorage.getItem('storyreel.board');", vec![])
        .await;
    serde_json::from_str(text.as_str().unwrap_or("null")).expect("saved board is JSON")
}

/// Waits (up to a minute: shrinking a big file takes several encodes)
/// until `name` is in the cast, failing at once if a file is refused;
/// returns the SHA-256 of the upload it cites.
async fn added_upload(h: &Harness, name: &str) -> String {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    while h.find_all(&format!("#ref-{name}")).await.is_empty() {
        let refused = h.find_all("#cast-intake .intake-item.refused").await;
        if let Some(r) = refused.first() {
            panic!("refused: {}", r.text().await.unwrap_or_default());
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{name} was not added in time"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let board = saved_board(h).await;
    let src = board["references"]
        .as_array()
        .and_then(|refs| refs.iter().find(|r| r["name"] == name))
        .and_then(|r| r["src"].as_str())
        .unwrap_or_else(|| panic!("@{name} in the saved board: {board}"));
    src.strip_prefix("upload:")
        .unwrap_or_else(|| panic!("@{name} is not an upload: {src}"))
        .to_string()
}

async fn with_uploads() -> (Harness, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("upload dir");
    let path = dir.path().to_string_lossy().to_string();
    let h = Harness::start_with(&["--upload-dir", &path]).await;
    h.open_editor().await;
    // The app has heard from the server (no keys: the simulator banner).
    h.wait_for("#sim-banner").await;
    (h, dir)
}

/// Waits for the intake item of `file` to be refused; its text.
async fn refusal(h: &Harness, file: &str) -> String {
    let sel = format!(
        "#cast-intake .intake-item.refused[data-file={}]",
        serde_json::to_string(file).unwrap()
    );
    h.wait_until(
        &format!("{file} to be refused"),
        &format!(
            "document.querySelector({}) !== null",
            serde_json::to_string(&sel).unwrap()
        ),
    )
    .await;
    h.text(&sel).await
}

#[tokio::test]
async fn a_photo_is_checked_uploaded_cited_renamed_and_removed() {
    let (h, dir) = with_uploads().await;
    type_into(
        &h.wait_for("#shot-0-prompt").await,
        "A quiet street at dusk.",
    )
    .await;

    add_files(&h, json!([drawn("Lena Portrait.jpg", 640, 800)]), "pick").await;
    h.wait_for("#ref-lena_portrait").await;
    let board = saved_board(&h).await;
    let src = board["references"][0]["src"]
        .as_str()
        .expect("a src")
        .to_string();
    let sha = src.strip_prefix("upload:").expect("an upload reference");
    assert_eq!(sha.len(), 64, "{src}");
    assert_eq!(stored_files(dir.path()), 1);
    let (status, _) = h.http("GET", &format!("/uploads/{sha}"), None).await;
    assert_eq!(status, 200);
    // The thumbnail is the file itself, read locally (the same bytes as
    // stored).
    h.wait_until(
        "the thumbnail to load",
        "(() => { const i = document.querySelector('#ref-lena_portrait img.thumb'); return i && i.complete && i.naturalWidth === 640; })()",
    )
    .await;
    // A warning: the cast member is not used yet.
    assert!(h
        .text("#problems")
        .await
        .contains("@lena_portrait is in the cast but no prompt"));

    // Cited in the shot: a chip with its thumbnail.
    type_into(
        &h.wait_for("#shot-0-prompt").await,
        " @lena_portrait waits.",
    )
    .await;
    h.wait_for("#shot-0 .shot-chips .chip[data-ref='lena_portrait'] img.thumb")
        .await;

    // Renaming rewrites the mention; a name with a space is refused on
    // the item and changes nothing.
    h.click("#ref-lena_portrait .cast-name").await;
    let input = h.wait_for("#rename-lena_portrait").await;
    input.clear().await.unwrap();
    type_into(&input, "lena rose\n").await;
    let error = h.text("#ref-lena_portrait .cast-item-error").await;
    assert!(
        error.contains("a space") && error.contains("a-z"),
        "{error}"
    );
    assert_eq!(
        saved_board(&h).await["references"][0]["name"],
        "lena_portrait"
    );
    let input = h.wait_for("#rename-lena_portrait").await;
    input.clear().await.unwrap();
    type_into(&input, "lena\n").await;
    h.wait_for("#ref-lena").await;
    h.wait_until(
        "the mention to follow",
        "JSON.parse(localStorage.getItem('storyreel.board')).shots[0].prompt.includes('@lena waits')",
    )
    .await;
    h.wait_for("#shot-0 .chip[data-ref='lena']").await;

    // Removing a cited member asks first and names where it is used.
    h.click("#ref-lena .cast-remove").await;
    let ask = h.text("#ref-lena .cast-confirm").await;
    assert!(ask.contains("shot 1"), "{ask}");
    h.click("#ref-lena .cast-remove-cancel").await;
    assert_eq!(
        saved_board(&h).await["references"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    h.click("#ref-lena .cast-remove").await;
    h.click("#ref-lena .cast-remove-confirm").await;
    h.wait_until(
        "the cast to be empty",
        "JSON.parse(localStorage.getItem('storyreel.board')).references.length === 0",
    )
    .await;
    // The prompt keeps what the user wrote.
    assert!(saved_board(&h).await["shots"][0]["prompt"]
        .as_str()
        .unwrap()
        .contains("@lena waits"));
    h.close().await;
}

#[tokio::test]
async fn a_big_photo_is_shrunk_in_the_browser_before_upload() {
    let (h, dir) = with_uploads().await;
    // Noise compresses badly: far over 10 MiB as drawn.
    let sizes = add_files(
        &h,
        json!([{"name": "huge.jpg", "draw": {"w": 5000, "h": 3500, "type": "image/jpeg", "quality": 0.95, "noise": true}}]),
        "drop",
    )
    .await;
    let before = sizes[0].as_u64().unwrap();
    assert!(
        before > 10 * 1024 * 1024,
        "the test photo is {before} bytes"
    );
    // Shrinking a noisy 17-megapixel photo under 10 MiB takes several
    // encodes: wait longer than for a click, and say where it stands.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(90);
    // The note is read in the page in one step: the intake list re-renders
    // while the upload reports progress, so an element found first may be
    // gone by the time its text is asked for.
    let read_note =
        "return document.querySelector('#cast-intake .intake-note')?.textContent ?? '';";
    let note = loop {
        let note = h.eval(read_note, vec![]).await;
        if let Some(n) = note.as_str().filter(|n| !n.is_empty()) {
            break n.to_string();
        }
        let items = h
            .eval(
                "return [...document.querySelectorAll('#cast-intake .intake-item')].map(i => i.innerText).join(' | ');",
                vec![],
            )
            .await;
        assert!(
            h.find_all("#cast-intake .intake-item.refused")
                .await
                .is_empty(),
            "refused: {items}"
        );
        assert!(
            tokio::time::Instant::now() < deadline,
            "no resize note in time: {items}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(note.starts_with("Resized 5000×3500"), "{note}");
    let sha = added_upload(&h, "huge").await;
    let got = h
        .eval(
            "const b = await (await fetch(arguments[0])).blob();
             const i = await createImageBitmap(b);
             return [b.size, i.width, i.height, b.type];",
            vec![json!(format!("/uploads/{sha}"))],
        )
        .await;
    assert!(got[0].as_u64().unwrap() <= 10 * 1024 * 1024, "{got}");
    assert!(
        got[1].as_u64().unwrap() <= 4096 && got[2].as_u64().unwrap() <= 4096,
        "{got}"
    );
    assert_eq!(got[3], "image/jpeg");
    assert_eq!(stored_files(dir.path()), 1);
    // The cast shows a small thumbnail made from the picture already
    // decoded (short side 96 px), not the 4096 px upload.
    let thumb = h
        .wait_until(
            "the local thumbnail to load",
            "(() => { const i = document.querySelector('#ref-huge img.thumb');
               return i && i.complete && i.naturalWidth > 0
                 && [i.src.slice(0, 5), i.naturalWidth, i.naturalHeight]; })()",
        )
        .await;
    let (w, h_) = (got[1].as_u64().unwrap(), got[2].as_u64().unwrap());
    let expected = storyreel_core::media::fit::thumb_size(w as u32, h_ as u32);
    assert_eq!(expected.1, 96, "a landscape photo's short side");
    assert_eq!(
        thumb,
        json!(["blob:", expected.0, expected.1]),
        "{thumb} for an upload of {w}×{h_}"
    );
    h.eval("document.getElementById('cast').scrollIntoView();", vec![])
        .await;
    h.screenshot("cast-shrunk-photo").await;
    // After a reload it comes from the server.
    h.goto("/").await;
    let thumb = h
        .wait_until(
            "the stored thumbnail to load",
            "(() => { const i = document.querySelector('#ref-huge img.thumb');
               return i && i.complete && i.naturalWidth > 0 && [i.getAttribute('src'), i.naturalWidth]; })()",
        )
        .await;
    assert_eq!(thumb[0], json!(format!("/uploads/{sha}")), "{thumb}");
    assert_eq!(thumb[1], got[1], "{thumb}");
    h.close().await;
}

#[tokio::test]
async fn two_files_for_the_last_place_the_first_is_added_and_the_second_refused() {
    let (h, dir) = with_uploads().await;
    let refs: Vec<Value> = (1..=6)
        .map(|i| json!({"name": format!("p{i}"), "kind": "image", "src": format!("https://example.com/p{i}.png")}))
        .collect();
    h.load_board(&json!({
        "format": "storyreel/1",
        "title": "Six",
        "references": refs,
        "shots": [{"prompt": "@p1 @p2 @p3 @p4 @p5 @p6 stand in a row.", "duration": 5}]
    }))
    .await;
    // Both are taken at once (one per core), so each is checked while the
    // other is on its way in.
    add_files(
        &h,
        json!([drawn("first.jpg", 640, 640), drawn("second.jpg", 640, 640)]),
        "pick",
    )
    .await;
    let text = refusal(&h, "second.jpg").await;
    assert!(
        text.contains("already holds 7 images and elements"),
        "{text}"
    );
    h.wait_for("#ref-first").await;
    let board = saved_board(&h).await;
    assert_eq!(board["references"].as_array().map(Vec::len), Some(7));
    assert_eq!(board["references"][6]["name"], "first");
    assert_eq!(stored_files(dir.path()), 1);
    h.close().await;
}

#[tokio::test]
async fn a_transparent_png_over_the_byte_limit_becomes_a_jpeg_on_white() {
    let (h, _dir) = with_uploads().await;
    // Noise with alpha: about 12 MB as PNG, so it is re-encoded as JPEG
    // at its own size; its top-left corner is transparent.
    let sizes = add_files(
        &h,
        json!([{"name": "cutout.png", "draw": {"w": 4000, "h": 3000, "type": "image/png", "noise": true, "clear": [0, 0, 400, 400]}}]),
        "pick",
    )
    .await;
    assert!(sizes[0].as_u64().unwrap() > 10 * 1024 * 1024, "{sizes}");
    let sha = added_upload(&h, "cutout").await;
    let got = h
        .eval(
            "const b = await (await fetch(arguments[0])).blob();
             const i = await createImageBitmap(b);
             const c = new OffscreenCanvas(i.width, i.height);
             const x = c.getContext('2d');
             x.drawImage(i, 0, 0);
             return [b.type, i.width, i.height, [...x.getImageData(200, 200, 1, 1).data]];",
            vec![json!(format!("/uploads/{sha}"))],
        )
        .await;
    assert_eq!(got[0], "image/jpeg", "{got}");
    assert_eq!((got[1].as_u64(), got[2].as_u64()), (Some(4000), Some(3000)));
    // White where the PNG was transparent, not black.
    let pixel: Vec<u64> = got[3]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    assert!(pixel[..3].iter().all(|c| *c >= 245), "{pixel:?}");
    h.close().await;
}

#[tokio::test]
async fn every_bad_file_is_refused_on_its_item_and_nothing_is_uploaded() {
    let (h, dir) = with_uploads().await;
    let before = saved_board(&h).await;
    let cases: Vec<(Value, &str, Vec<&str>)> = vec![
        (bytes("empty.jpg", &[]), "empty.jpg", vec!["empty (0 bytes)"]),
        (
            json!({"name": "cut.jpg", "draw": {"w": 800, "h": 600, "type": "image/jpeg"}, "cut": 100}),
            "cut.jpg",
            vec!["cannot be read"],
        ),
        (
            bytes(
                "logo.svg",
                br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="900" height="900"></svg>"#,
            ),
            "logo.svg",
            vec!["SVG", "PNG"],
        ),
        (bytes("IMG_0001.HEIC", &heic()), "IMG_0001.HEIC", vec!["HEIC", "JPEG"]),
        (
            bytes("giant.png", &png_header(30000, 30000)),
            "giant.png",
            vec!["30000×30000", "megapixels"],
        ),
        (
            bytes("notes.png", b"Shot list for Friday: lighthouse, pier, boat.\n"),
            "notes.png",
            vec!["text file named notes.png"],
        ),
        (
            bytes("long.mp4", &mp4(1280, 720, 30, 16)),
            "long.mp4",
            vec!["16.0 s long", "3 to 15.5 s"],
        ),
        (
            bytes("uhd.mp4", &mp4(3840, 2160, 120, 5)),
            "uhd.mp4",
            vec!["120 fps", "24 to 60 fps"],
        ),
        (drawn("tiny.jpg", 200, 200), "tiny.jpg", vec!["200×200", "at least 300 px"]),
        (drawn("banner.jpg", 1200, 300), "banner.jpg", vec!["1:2.5", "2.5:1"]),
    ];
    for (spec, file, needles) in &cases {
        add_files(&h, json!([spec]), "pick").await;
        let text = refusal(&h, file).await;
        for n in needles {
            assert!(text.contains(n), "{file}: {text:?} should name {n:?}");
        }
    }
    h.set_window_size(1280, 1400).await;
    h.eval(
        "document.getElementById('cast').scrollIntoView({block: 'start'});",
        vec![],
    )
    .await;
    h.screenshot("cast-refusals").await;
    assert_eq!(stored_files(dir.path()), 0, "nothing is uploaded");
    assert_eq!(saved_board(&h).await, before, "the board is unchanged");
    // A refused item can be dismissed.
    let n = h.find_all("#cast-intake .intake-item").await.len();
    h.click("#cast-intake .intake-item .intake-dismiss").await;
    h.wait_until(
        "one item fewer",
        &format!(
            "document.querySelectorAll('#cast-intake .intake-item').length === {}",
            n - 1
        ),
    )
    .await;
    h.close().await;
}

#[tokio::test]
async fn an_eighth_image_and_a_second_video_are_refused() {
    let (h, dir) = with_uploads().await;
    let refs: Vec<Value> = (1..=7)
        .map(|i| json!({"name": format!("p{i}"), "kind": "image", "src": format!("https://example.com/p{i}.png")}))
        .collect();
    let board = json!({
        "format": "storyreel/1",
        "title": "Seven",
        "references": refs,
        "shots": [{"prompt": "@p1 @p2 @p3 @p4 @p5 @p6 @p7 stand in a row.", "duration": 5}]
    });
    h.load_board(&board).await;
    let before = saved_board(&h).await;
    add_files(&h, json!([drawn("eighth.jpg", 640, 640)]), "paste").await;
    let text = refusal(&h, "eighth.jpg").await;
    assert!(
        text.contains("already holds 7 images and elements"),
        "{text}"
    );
    // The form for addresses follows the same rule.
    h.click(".cast-by-address summary").await;
    type_into(&h.wait_for("#cast-name").await, "eighth").await;
    type_into(
        &h.wait_for("#cast-value").await,
        "https://example.com/eighth.png",
    )
    .await;
    h.click("#cast-add").await;
    let error = h
        .wait_until(
            "the form to refuse an eighth image",
            "document.querySelector('.cast-by-address .form-error').innerText",
        )
        .await;
    assert_eq!(
        error,
        "The cast already holds 7 images and elements, the most Kling takes. Remove one first."
    );
    assert_eq!(saved_board(&h).await, before);

    // A board with a reference video refuses a second one, and its sound
    // toggle is off and disabled with the reason.
    let board = json!({
        "format": "storyreel/1",
        "title": "Dance",
        "sound": false,
        "references": [{"name": "moves", "kind": "video", "src": "https://example.com/moves.mp4", "use": "feature"}],
        "shots": [{"prompt": "A dancer copies @moves.", "duration": 5}]
    });
    h.load_board(&board).await;
    let before_video = saved_board(&h).await;
    add_files(
        &h,
        json!([bytes("second.mp4", &mp4(1280, 720, 30, 5))]),
        "pick",
    )
    .await;
    let text = refusal(&h, "second.mp4").await;
    assert!(
        text.contains("already has a reference video (@moves)"),
        "{text}"
    );
    let sound = h.wait_for("#setting-sound").await;
    assert!(sound.attr("disabled").await.unwrap().is_some());
    assert!(h.text("#sound-note").await.contains("reference video"));

    assert_eq!(stored_files(dir.path()), 0);
    assert_eq!(saved_board(&h).await, before_video);
    assert_ne!(before, before_video);
    h.close().await;
}

#[tokio::test]
async fn a_good_video_turns_sound_off_and_frames_follow_the_rules() {
    let (h, dir) = with_uploads().await;
    // Sound on shows what it costs.
    let note = h.text("#sound-note").await;
    assert!(note.starts_with("+$"), "{note}");

    add_files(
        &h,
        json!([bytes("Dance Moves.mp4", &mp4(1280, 720, 30, 5))]),
        "pick",
    )
    .await;
    h.wait_for("#ref-dance_moves").await;
    let board = saved_board(&h).await;
    assert_eq!(board["references"][0]["kind"], "video");
    assert_eq!(board["sound"], false);
    assert_eq!(stored_files(dir.path()), 1);

    // Frames: none to pick without images; a last frame needs a first.
    assert!(h
        .wait_for("#first-frame")
        .await
        .attr("disabled")
        .await
        .unwrap()
        .is_some());
    add_files(&h, json!([drawn("opening.jpg", 800, 450)]), "pick").await;
    h.wait_for("#ref-opening").await;
    assert!(h
        .wait_for("#last-frame")
        .await
        .attr("disabled")
        .await
        .unwrap()
        .is_some());
    h.wait_for("#first-frame")
        .await
        .select_by_value("opening")
        .await
        .unwrap();
    h.wait_until(
        "the first frame",
        "JSON.parse(localStorage.getItem('storyreel.board')).first_frame === 'opening'",
    )
    .await;
    assert!(h
        .wait_for("#last-frame")
        .await
        .attr("disabled")
        .await
        .unwrap()
        .is_none());
    assert!(h.text("#frames-note").await.starts_with("Goes to"));
    // Taking the first frame away takes the last with it.
    h.wait_for("#first-frame")
        .await
        .select_by_value("")
        .await
        .unwrap();
    h.wait_until(
        "no frames",
        "JSON.parse(localStorage.getItem('storyreel.board')).first_frame == null",
    )
    .await;
    h.screenshot("cast-video-frames").await;
    h.close().await;
}

#[tokio::test]
async fn dialogue_shows_who_speaks_and_the_time_it_needs() {
    let h = Harness::start().await;
    h.open_editor().await;
    h.load_board(&json!({
        "format": "storyreel/1",
        "references": [
            {"name": "mia", "kind": "image", "src": "https://example.com/mia.png"},
            {"name": "pier", "kind": "element", "element_id": 4242}
        ],
        "shots": [
            {"prompt": "Close-up on @mia. She says: \"Have you seen my brother anywhere tonight?\"", "duration": 5},
            {"prompt": "A voice off screen: \"Nobody here.\"", "duration": 3}
        ]
    }))
    .await;
    let first = h.text("#shot-0 .shot-lines li").await;
    assert!(first.contains("@mia"), "{first}");
    assert!(
        first.contains("Have you seen my brother anywhere tonight?"),
        "{first}"
    );
    // 7 words at 2.5 words a second.
    assert!(first.contains("2.8 s"), "{first}");
    let second = h.text("#shot-1 .shot-lines li").await;
    assert!(
        second.contains("no speaker cited") && second.contains("0.8 s"),
        "{second}"
    );
    // A duplicate name is refused on the item and changes nothing.
    let before = saved_board(&h).await;
    h.click("#ref-mia .cast-name").await;
    let input = h.wait_for("#rename-mia").await;
    input.clear().await.unwrap();
    type_into(&input, "pier\n").await;
    let error = h.text("#ref-mia .cast-item-error").await;
    assert!(error.contains("@pier is already in the cast"), "{error}");
    assert_eq!(saved_board(&h).await, before);

    // The speaker follows the cast: renamed, the line names the new name.
    let input = h.wait_for("#rename-mia").await;
    input.clear().await.unwrap();
    type_into(&input, "lena\n").await;
    h.wait_until(
        "the speaker to follow the rename",
        "document.querySelector('#shot-0 .shot-lines li').innerText.includes('@lena')",
    )
    .await;
    h.close().await;
}

#[tokio::test]
async fn a_cast_member_dropped_on_a_shot_is_cited_there_and_its_chip_selects_it() {
    let h = Harness::start().await;
    h.open_editor().await;
    h.load_board(&json!({
        "format": "storyreel/1",
        "references": [{"name": "mia", "kind": "image", "src": "https://example.com/mia.png"}],
        "shots": [
            {"prompt": "@mia at the pier.", "duration": 5},
            {"prompt": "The boat leaves.", "duration": 3}
        ]
    }))
    .await;
    assert!(h.find_all("#shot-1 .chip").await.is_empty());
    // Drag the cast item (its own drag data) onto shot 2's card.
    h.eval(
        "const item = document.getElementById('ref-mia');
         const dt = new DataTransfer();
         item.dispatchEvent(new DragEvent('dragstart', {dataTransfer: dt, bubbles: true}));
         const shot = document.querySelector('#shot-1 .shot-head');
         shot.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
         shot.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));",
        vec![],
    )
    .await;
    h.wait_until(
        "the mention to be added",
        "JSON.parse(localStorage.getItem('storyreel.board')).shots[1].prompt === 'The boat leaves. @mia'",
    )
    .await;
    // The chip appears, and clicking it takes the user to the cast item.
    h.click("#shot-1 .chip[data-ref='mia']").await;
    let active = h.eval("return document.activeElement.id;", vec![]).await;
    assert_eq!(active, json!("ref-mia"));
    // The warning that shot 2 cites no one is gone.
    assert!(!h.text("#problems").await.contains("cites no one"));
    h.close().await;
}
