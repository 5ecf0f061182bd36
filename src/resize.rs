//! Shrinking an image in the browser: `createImageBitmap` decodes and
//! scales it, an `OffscreenCanvas` re-encodes it. The core decides the
//! size and quality (`media::fit`); a retry at a lower quality reuses the
//! decoded picture.
//!
//! The work runs in a web worker when the browser allows one (the
//! encoder is the slow part, and each worker encodes on its own thread,
//! so several files are shrunk at once); otherwise on this page.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The worker: decodes the picture once per file (kept for retries until
/// told to let go), draws it scaled, on white for JPEG, encodes, and
/// answers the blob or an error text. Down to half size it scales with
/// `medium` (bilinear with mipmaps: cheaper than `high`, and its output no
/// larger); below that with `high`, which avoids aliasing. The page's own
/// fallback in `Shrinker::encode` follows the same rule.
const WORKER_JS: &str = r#"let kept = null;
self.onmessage = async (e) => {
  const {id, file, w, h, mime, quality, opaque, release} = e.data;
  if (release) { if (kept) kept.bitmap.close(); kept = null; return; }
  try {
    if (!kept || kept.id !== id) {
      if (kept) kept.bitmap.close();
      kept = null;
      const bitmap = await createImageBitmap(file, {imageOrientation: 'from-image'});
      kept = {id, bitmap};
    }
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d', {alpha: mime !== 'image/jpeg'});
    if (mime === 'image/jpeg' && !opaque) { ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, w, h); }
    ctx.imageSmoothingQuality = w * 2 >= kept.bitmap.width ? 'medium' : 'high';
    ctx.drawImage(kept.bitmap, 0, 0, w, h);
    self.postMessage({blob: await canvas.convertToBlob({type: mime, quality})});
  } catch (err) {
    self.postMessage({error: String(err && err.message || err)});
  }
};"#;

thread_local! {
    /// Idle workers, reused by the next file.
    static IDLE: RefCell<Vec<web_sys::Worker>> = const { RefCell::new(Vec::new()) };
    /// The worker script's object URL, made once.
    static SCRIPT: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The id of the next file, so a worker knows a retry of the same one.
    static NEXT_ID: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// An idle worker, or a new one; `None` where workers cannot start.
fn take_worker() -> Option<web_sys::Worker> {
    if let Some(w) = IDLE.with(|idle| idle.borrow_mut().pop()) {
        return Some(w);
    }
    let url = SCRIPT.with(|script| {
        if let Some(u) = script.borrow().as_ref() {
            return Some(u.clone());
        }
        let parts = js_sys::Array::of1(&JsValue::from_str(WORKER_JS));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("text/javascript");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        *script.borrow_mut() = Some(url.clone());
        Some(url)
    })?;
    web_sys::Worker::new(&url).ok()
}

/// How many files are shrunk at once: one per core, two to four.
pub fn parallel_files() -> usize {
    let cores = web_sys::window()
        .map(|w| w.navigator().hardware_concurrency())
        .unwrap_or(2.0) as usize;
    cores.clamp(2, 4)
}

/// One request to a worker (`message`, see `WORKER_JS`): the blob it
/// answers, or its error text.
async fn ask(worker: &web_sys::Worker, message: &js_sys::Object) -> Result<web_sys::Blob, String> {
    let slot: Rc<RefCell<Option<js_sys::Function>>> = Rc::new(RefCell::new(None));
    let done = js_sys::Promise::new(&mut |resolve, _| {
        *slot.borrow_mut() = Some(resolve);
    });
    let resolve = slot.borrow_mut().take();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            if let Some(r) = &resolve {
                let _ = r.call1(&JsValue::NULL, &ev.data());
            }
        });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker
        .post_message(message)
        .map_err(|_| "the image could not be handed to the resizer".to_string())?;
    let answer = JsFuture::from(done)
        .await
        .map_err(|_| "the resizer stopped".to_string())?;
    worker.set_onmessage(None);
    drop(on_message);
    let get = |k: &str| js_sys::Reflect::get(&answer, &JsValue::from_str(k)).ok();
    if let Some(blob) = get("blob").and_then(|b| b.dyn_into::<web_sys::Blob>().ok()) {
        return Ok(blob);
    }
    Err(get("error")
        .and_then(|e| e.as_string())
        .map(|e| format!("the browser could not resize this image ({e})"))
        .unwrap_or_else(|| "the browser could not resize this image".into()))
}

/// A file being shrunk, with its decoded picture kept for retries (in its
/// worker, or here when there is none).
pub struct Shrinker {
    id: u32,
    file: web_sys::Blob,
    /// Nothing in the picture is transparent: a JPEG needs no white behind it.
    opaque: bool,
    worker: Option<web_sys::Worker>,
    decoded: Option<web_sys::ImageBitmap>,
}

impl Drop for Shrinker {
    fn drop(&mut self) {
        if let Some(bitmap) = self.decoded.take() {
            bitmap.close();
        }
        // Back to the pool for the next file, without this file's picture.
        if let Some(w) = self.worker.take() {
            let release = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&release, &JsValue::from_str("release"), &JsValue::TRUE);
            let _ = w.post_message(&release);
            IDLE.with(|idle| idle.borrow_mut().push(w));
        }
    }
}

impl Shrinker {
    pub fn new(file: web_sys::Blob, opaque: bool) -> Shrinker {
        let id = NEXT_ID.with(|n| {
            let id = n.get();
            n.set(id.wrapping_add(1));
            id
        });
        Shrinker {
            id,
            file,
            opaque,
            worker: take_worker(),
            decoded: None,
        }
    }

    /// The picture as shown (EXIF orientation applied), decoded once.
    async fn bitmap(&mut self) -> Result<web_sys::ImageBitmap, String> {
        if let Some(bitmap) = &self.decoded {
            return Ok(bitmap.clone());
        }
        let window = web_sys::window().ok_or("no window")?;
        let options = web_sys::ImageBitmapOptions::new();
        options.set_image_orientation(web_sys::ImageOrientation::FromImage);
        let promise = window
            .create_image_bitmap_with_blob_and_image_bitmap_options(&self.file, &options)
            .map_err(|_| "the browser cannot decode this image".to_string())?;
        let bitmap: web_sys::ImageBitmap = JsFuture::from(promise)
            .await
            .map_err(|_| "the browser could not decode this image".to_string())?
            .unchecked_into();
        self.decoded = Some(bitmap.clone());
        Ok(bitmap)
    }

    /// The picture at `width`×`height` encoded as `mime` (`image/jpeg` or
    /// `image/png`) at `quality`.
    pub async fn encode(
        &mut self,
        width: u32,
        height: u32,
        mime: &str,
        quality: f64,
    ) -> Result<web_sys::Blob, String> {
        if let Some(worker) = &self.worker {
            let message = js_sys::Object::new();
            let set =
                |k: &str, v: &JsValue| js_sys::Reflect::set(&message, &JsValue::from_str(k), v);
            let _ = set("id", &JsValue::from(self.id));
            let _ = set("file", &self.file);
            let _ = set("w", &JsValue::from(width));
            let _ = set("h", &JsValue::from(height));
            let _ = set("mime", &JsValue::from_str(mime));
            let _ = set("quality", &JsValue::from(quality));
            let _ = set("opaque", &JsValue::from(self.opaque));
            match ask(worker, &message).await {
                Ok(blob) => return Ok(blob),
                // A worker that cannot do it (an old browser without
                // OffscreenCanvas in workers): do it here instead.
                Err(_) => {
                    if let Some(w) = self.worker.take() {
                        w.terminate();
                    }
                }
            }
        }
        let bitmap = self.bitmap().await?;
        let canvas = web_sys::OffscreenCanvas::new(width, height)
            .map_err(|_| "the browser has no canvas for resizing".to_string())?;
        let context: web_sys::OffscreenCanvasRenderingContext2d = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .ok_or("the browser has no 2D canvas")?
            .unchecked_into();
        if mime == "image/jpeg" && !self.opaque {
            // JPEG has no transparency: transparent pixels become white, not black.
            context.set_fill_style_str("#fff");
            context.fill_rect(0.0, 0.0, width as f64, height as f64);
        }
        // As in the worker: `medium` down to half size, `high` below.
        let smoothing = if width * 2 >= bitmap.width() {
            "medium"
        } else {
            "high"
        };
        let _ = js_sys::Reflect::set(
            &context,
            &JsValue::from_str("imageSmoothingQuality"),
            &JsValue::from_str(smoothing),
        );
        context
            .draw_image_with_image_bitmap_and_dw_and_dh(
                &bitmap,
                0.0,
                0.0,
                f64::from(width),
                f64::from(height),
            )
            .map_err(|_| "the image could not be drawn".to_string())?;
        let encode = web_sys::ImageEncodeOptions::new();
        encode.set_type(mime);
        encode.set_quality(quality);
        let promise = canvas
            .convert_to_blob_with_options(&encode)
            .map_err(|_| "the image could not be encoded".to_string())?;
        JsFuture::from(promise)
            .await
            .map_err(|_| "the image could not be encoded".to_string())?
            .dyn_into::<web_sys::Blob>()
            .map_err(|_| "the encoder returned no file".to_string())
    }
}
