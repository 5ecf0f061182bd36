//! The keystroke benchmark: the same typing loop in the editor and in two
//! peers that answer each key with an input handler in plain JavaScript
//! doing the least a keystroke must (the backdrop's text and the counter,
//! in a microtask as Leptos's effects run), no framework and no rules:
//! - the floor, a page holding one shot panel alone (label, counter,
//!   highlight backdrop and textarea) in the app's stylesheet;
//! - the frozen editor, the editor's own page as the app drew it for the
//!   bench board, its scripts taken out: what the page costs the browser
//!   whatever code runs it.

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

/// The same loop on the floor page, served with the editor's stylesheet
/// from `dist`; `prompt` is the text the field starts with.
pub async fn floor(h: &Harness, dist: &Path, prompt: &str) -> Keys {
    peer(h, dist, FLOOR_PAGE, prompt).await
}

/// The same loop on the editor's page as it stands in `h` (after
/// [`editor`]): its markup with the scripts taken out.
pub async fn frozen(h: &Harness, dist: &Path, prompt: &str) -> Keys {
    let page = h
        .eval(
            "document.querySelectorAll('script, link[rel=modulepreload], link[rel=preload], link[rel=icon]')
               .forEach(e => e.remove());
             document.querySelectorAll('link[rel=stylesheet]').forEach(l => {
               l.removeAttribute('integrity'); l.setAttribute('href', 'app.css'); });
             return '<!doctype html>' + document.documentElement.outerHTML;",
            vec![],
        )
        .await;
    let page = page.as_str().expect("the editor's markup");
    assert!(
        page.contains("id=\"shot-2-prompt\""),
        "the frozen page has shot 3's prompt"
    );
    peer(h, dist, page, prompt).await
}

/// Serves `page` with the plain handler put in and the editor's
/// stylesheet as `app.css`, opens it, sets the prompt and types.
async fn peer(h: &Harness, dist: &Path, page: &str, prompt: &str) -> Keys {
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
    let page = page.replace("</body>", &format!("{HANDLER}</body>"));
    std::fs::write(dir.path().join("index.html"), page).expect("write the peer page");
    let base = serve_static(dir.path().to_path_buf(), "/peer").await;
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

/// The floor page: one shot panel as the editor draws it.
const FLOOR_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Keystroke floor</title>
<link rel="stylesheet" href="app.css"></head>
<body><main id="app"><section class="shots"><ol class="shot-list">
<li class="shot-panel" id="shot-2"><div class="prompt-field">
<div class="prompt-label-row"><label for="shot-2-prompt">Shot 3 prompt</label><span id="shot-2-prompt-count" class="counter"></span></div>
<div class="prompt-box"><div class="prompt-backdrop" aria-hidden="true"></div><textarea id="shot-2-prompt" rows="4"></textarea></div>
</div></li></ol></section></main>
</body></html>
"#;

/// The peers' input handler.
const HANDLER: &str = r#"<script>
const area = document.getElementById('shot-2-prompt');
const mirror = area.parentNode.querySelector('.prompt-backdrop');
const count = document.getElementById('shot-2-prompt-count');
const show = () => {
  mirror.textContent = area.value + '\n';
  count.textContent = `${[...area.value].length} / 512`;
};
area.addEventListener('input', () => queueMicrotask(show));
</script>"#;

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

/// What the peer rows of BENCHMARKS.md are.
pub const PEERS: &str = "The two peers run the same loop in the same browser and run, starting from shot 3's \
    prompt, with an input handler in plain JavaScript that writes the backdrop's text and the counter in a \
    microtask (as Leptos's effects run): no framework, no rules. The floor is a page holding one shot \
    panel (label, counter, highlight backdrop and textarea) in the editor's stylesheet and nothing else. \
    The frozen editor is the editor's own page as the app drew it for this board, taken from the browser \
    after the editor's run with its scripts removed: what the page itself costs the browser per \
    keystroke (style, layout and frames), whatever code answers the keys.";
