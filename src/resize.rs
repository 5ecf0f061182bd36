//! Shrinking an image in the browser: `createImageBitmap` decodes and
//! scales it (off the main thread in Chromium), an `OffscreenCanvas`
//! re-encodes it. The core decides the size and quality (`media::fit`);
//! a retry at a lower quality reuses the decoded picture.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A file being shrunk, with its last decoded size kept for retries.
pub struct Shrinker {
    file: web_sys::Blob,
    decoded: Option<(u32, u32, web_sys::ImageBitmap)>,
}

impl Drop for Shrinker {
    fn drop(&mut self) {
        if let Some((_, _, bitmap)) = self.decoded.take() {
            bitmap.close();
        }
    }
}

impl Shrinker {
    pub fn new(file: web_sys::Blob) -> Shrinker {
        Shrinker {
            file,
            decoded: None,
        }
    }

    /// The picture scaled to `width`×`height` (EXIF orientation applied),
    /// decoded once per size.
    async fn bitmap(&mut self, width: u32, height: u32) -> Result<&web_sys::ImageBitmap, String> {
        let same = matches!(&self.decoded, Some((w, h, _)) if *w == width && *h == height);
        if !same {
            if let Some((_, _, old)) = self.decoded.take() {
                old.close();
            }
            let window = web_sys::window().ok_or("no window")?;
            let options = web_sys::ImageBitmapOptions::new();
            options.set_resize_width(width);
            options.set_resize_height(height);
            options.set_resize_quality(web_sys::ResizeQuality::High);
            options.set_image_orientation(web_sys::ImageOrientation::FromImage);
            let promise = window
                .create_image_bitmap_with_blob_and_image_bitmap_options(&self.file, &options)
                .map_err(|_| "the browser cannot decode this image".to_string())?;
            let bitmap: web_sys::ImageBitmap = JsFuture::from(promise)
                .await
                .map_err(|_| "the browser could not decode this image".to_string())?
                .unchecked_into();
            self.decoded = Some((width, height, bitmap));
        }
        match &self.decoded {
            Some((_, _, bitmap)) => Ok(bitmap),
            None => Err("the image could not be decoded".into()),
        }
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
        let bitmap = self.bitmap(width, height).await?.clone();
        let canvas = web_sys::OffscreenCanvas::new(width, height)
            .map_err(|_| "the browser has no canvas for resizing".to_string())?;
        let context: web_sys::OffscreenCanvasRenderingContext2d = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .ok_or("the browser has no 2D canvas")?
            .unchecked_into();
        if mime == "image/jpeg" {
            // JPEG has no transparency: transparent pixels become white, not black.
            context.set_fill_style_str("#fff");
            context.fill_rect(0.0, 0.0, width as f64, height as f64);
        }
        context
            .draw_image_with_image_bitmap(&bitmap, 0.0, 0.0)
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
