//! The keystroke benchmark: the same typing loop in the editor and in its
//! peer, a page holding nothing but one prompt field.
//!
//! The peer is the floor any editor meets in this browser on this machine:
//! the app's stylesheet, one shot panel with its label, counter, highlight
//! backdrop and textarea, and an input handler in plain JavaScript that
//! does the least a keystroke must (the backdrop's text and the counter,
//! in a microtask as Leptos's effects run). No framework, no rules, no
//! other panels.

use std::path::Path;

use serde_json::{json, Value};
use storyreel_e2e::{serve_static, Harness};

/// Keystrokes per run.
pub const KEYSTROKES: usize = 1000;

/// The figures of one run, each list sorted: the whole time per
/// keystroke, the idle loop, and the keystroke's three parts (the input
/// handler, the message-channel turn in which the reactive updates run,
/// the forced layout).
pub struct Keys {
    pub times: Vec<f64>,
    pub idle: Vec<f64>,
    pub handler: Vec<f64>,
    pub flush: Vec<f64>,
    pub layout: Vec<f64>,
}

/// Types [`KEYSTROKES`] characters into shot 3's prompt of `board` (stored
/// as the saved board first) in the editor.
pub async fn editor(h: &Harness, board: &str) -> Keys {
    h.eval(
        "localStorage.setItem('storyreel.board', arguments[0]);",
        vec![json!(board)],
    )
    .await;
    h.goto("/?bench").await;
    crate::ready_ms(h).await;
    let shots = h.find_all(".shot-card").await.len();
    assert_eq!(shots, 6, "the bench board has six shots");
    typing(h).await
}

/// The same loop in the peer page, served with the editor's stylesheet
/// from `dist`; `prompt` is the text the field starts with.
pub async fn floor(h: &Harness, dist: &Path, prompt: &str) -> Keys {
    let dir = tempfile::tempdir().expect("a folder for the peer page");
    let css = std::fs::read_dir(dist)
        .expect("the build's folder")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.extension().is_some_and(|x| x == "css")
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("main-"))
        })
        .expect("the editor's stylesheet in the build");
    std::fs::copy(&css, dir.path().join("app.css")).expect("copy the stylesheet");
    std::fs::write(dir.path().join("index.html"), FLOOR_PAGE).expect("write the peer page");
    let base = serve_static(dir.path().to_path_buf(), "/floor").await;
    h.client
        .goto(&format!("{base}/index.html"))
        .await
        .expect("open the peer page");
    h.eval(
        "const ta = document.getElementById('shot-2-prompt'); ta.value = arguments[0];
         ta.dispatchEvent(new InputEvent('input', {bubbles: true}));",
        vec![json!(prompt)],
    )
    .await;
    let keys = typing(h).await;
    drop(dir);
    keys
}

/// The peer page: one shot panel as the editor draws it.
const FLOOR_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Keystroke floor</title>
<link rel="stylesheet" href="app.css"></head>
<body><main id="app"><section class="shots"><ol class="shot-list">
<li class="shot-panel" id="shot-2"><div class="prompt-field">
<div class="prompt-label-row"><label for="shot-2-prompt">Shot 3 prompt</label><span id="shot-2-prompt-count" class="counter"></span></div>
<div class="prompt-box"><div class="prompt-backdrop" aria-hidden="true"></div><textarea id="shot-2-prompt" rows="4"></textarea></div>
</div></li></ol></section></main>
<script>
const area = document.getElementById('shot-2-prompt');
const mirror = document.querySelector('.prompt-backdrop').appendChild(document.createTextNode(''));
const count = document.getElementById('shot-2-prompt-count').appendChild(document.createTextNode(''));
const show = () => {
  mirror.data = area.value + '\n';
  count.data = `${[...area.value].length} / 512`;
};
area.addEventListener('input', () => queueMicrotask(show));
show();
</script></body></html>
"#;

/// The loop: each sample sets the textarea's value, dispatches `input`,
/// waits one message-channel turn (the microtasks of the page's updates
/// run first) and forces a layout. Then the same loop with no input.
async fn typing(h: &Harness) -> Keys {
    let timings = h
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const n = arguments[0];
             const ta = document.getElementById('shot-2-prompt');
             ta.focus();
             const base = ta.value + ' ';
             const text = 'Rain drips from the awning while @mia listens. ';
             const chan = new MessageChannel();
             const settle = () => new Promise(r => { chan.port1.onmessage = () => r(); chan.port2.postMessage(0); });
             (async () => {
               const times = [], handler = [], flush = [], layout = [];
               let typed = '';
               for (let i = 0; i < n; i++) {
                 typed = (base.length + typed.length >= 500) ? '' : typed + text[i % text.length];
                 const t0 = performance.now();
                 ta.value = base + typed;
                 ta.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertText'}));
                 const t1 = performance.now();
                 await settle();
                 const t2 = performance.now();
                 document.body.getBoundingClientRect();
                 const t3 = performance.now();
                 times.push(t3 - t0);
                 handler.push(t1 - t0);
                 flush.push(t2 - t1);
                 layout.push(t3 - t2);
               }
               const counter = document.getElementById('shot-2-prompt-count').innerText;
               const idle = [];
               for (let i = 0; i < n; i++) {
                 const t0 = performance.now();
                 await settle();
                 document.body.getBoundingClientRect();
                 idle.push(performance.now() - t0);
               }
               done({times, idle, handler, flush, layout, counter, length: ta.value.length});
             })();",
            vec![json!(KEYSTROKES)],
        )
        .await
        .expect("keystroke script");
    let times = numbers(&timings["times"]);
    assert_eq!(times.len(), KEYSTROKES);
    let counter = timings["counter"].as_str().unwrap_or_default().to_string();
    let length = timings["length"].as_u64().unwrap_or(0);
    assert!(
        counter.starts_with(&format!("{length} ")),
        "the counter followed the typing: {counter} vs {length}"
    );
    Keys {
        times,
        idle: numbers(&timings["idle"]),
        handler: numbers(&timings["handler"]),
        flush: numbers(&timings["flush"]),
        layout: numbers(&timings["layout"]),
    }
}

/// The numbers of a JSON array, sorted.
pub fn numbers(v: &Value) -> Vec<f64> {
    let mut out: Vec<f64> = v
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    out.sort_by(|a, b| a.total_cmp(b));
    out
}

/// What the peer row of BENCHMARKS.md is.
pub const PEER: &str = "The peer is the same loop, in the same browser and run, on a page holding one prompt field \
    and nothing else: the editor's stylesheet, one shot panel with its label, counter, highlight backdrop \
    and textarea, and a handler in plain JavaScript that writes the backdrop's text and the counter in a \
    microtask (as Leptos's effects run), starting from shot 3's prompt. No framework, no rules, no other \
    panels: the least any editor of this page pays per keystroke here.";
