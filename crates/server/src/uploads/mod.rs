//! Uploads: reference images and videos stored by the server, named by
//! their SHA-256 (a board's `src` is then `upload:<sha256 hex>`).
//!
//! - `POST /api/uploads`: the file is the raw request body. It is streamed
//!   (hashed, counted and written part by part to a temporary object),
//!   sniffed from its first bytes (JPEG, PNG, MP4, MOV; nothing else), and
//!   held to the limits: images at most 10 MiB (the board format's), any
//!   file at most `--upload-max-bytes` (default 200 MiB, the format's video
//!   limit). It then moves to `objects/<sha256>` unless that exists. 201
//!   when new, 200 when the same bytes were stored before:
//!   `{"ref": "upload:<hex>", "sha256", "bytes", "content_type", "url"}`.
//! - `GET`/`HEAD /uploads/<sha256>`: the file with its type, `nosniff`,
//!   a year's immutable caching, an `ETag`, and single byte ranges.
//!
//! The store is an [`object_store::ObjectStore`] behind an `Arc<dyn _>`:
//! a local directory (`--upload-dir`, or `--upload-store file:///DIR`), or
//! S3 or an S3-compatible server (`--upload-store s3://BUCKET[/PREFIX]`,
//! see [`s3`]). Servers that share one bucket share their uploads: nothing
//! else about an upload is kept.

mod error;
mod routes;
pub mod s3;
mod sniff;
mod store;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use storyreel_core::wire::{UploadsSetup, UploadsStatus};

pub use error::{human_bytes, Limit, LimitOf, UploadError};
pub use sniff::{sniff, Kind, ACCEPTED};
pub use store::{
    is_sha256_hex, object_path, Found, Stored, Uploads, DEFAULT_MAX_BYTES, IMAGE_MAX_BYTES,
};

/// The default `--upload-dir`, under the current directory.
pub const DEFAULT_DIR: &str = "storyreel-uploads";

/// Where uploads are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreConfig {
    /// A local directory, created on the first upload if missing.
    Dir(PathBuf),
    S3(s3::S3Config),
}

impl StoreConfig {
    /// From `--upload-store`: `file:///DIR` (or `file:DIR`, relative) or
    /// `s3://BUCKET[/PREFIX]`; `s3` completes an S3 location.
    pub fn parse(
        value: &str,
        s3: impl FnOnce(&str) -> Result<s3::S3Config, UploadSetupError>,
    ) -> Result<StoreConfig, UploadSetupError> {
        let value = value.trim();
        if value.starts_with("s3://") {
            return s3(value).map(StoreConfig::S3);
        }
        if let Some(rest) = value.strip_prefix("file://") {
            if !rest.starts_with('/') {
                return Err(UploadSetupError::Store {
                    value: value.to_string(),
                    why: "must be file:///ABSOLUTE/PATH (or file:RELATIVE/PATH)".into(),
                });
            }
            return Ok(StoreConfig::Dir(PathBuf::from(rest)));
        }
        if let Some(rest) = value.strip_prefix("file:") {
            if !rest.is_empty() {
                return Ok(StoreConfig::Dir(PathBuf::from(rest)));
            }
        }
        Err(UploadSetupError::Store {
            value: value.to_string(),
            why: "is neither file:///DIR nor s3://BUCKET[/PREFIX]".into(),
        })
    }
}

/// How `serve` keeps uploads (from the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadConfig {
    pub store: StoreConfig,
    pub max_bytes: u64,
    /// An absolute http(s) URL the uploads are reachable under (a CDN or
    /// the server's public address); unchecked until [`Uploads::open`].
    pub public_base_url: Option<String>,
}

/// Why uploads cannot be set up (checked at start-up).
#[derive(Debug, thiserror::Error)]
pub enum UploadSetupError {
    #[error("--public-base-url: {value:?} {why}")]
    BaseUrl { value: String, why: &'static str },
    #[error("--upload-dir: {path} {why}")]
    Dir { path: String, why: String },
    #[error("--upload-store: {value:?} {why}")]
    Store { value: String, why: String },
    #[error("--upload-store s3: {why}")]
    S3 { why: String },
    #[error("--upload-max-bytes must be at least 1")]
    MaxBytes,
}

impl Uploads {
    /// Checks `config` and sets up uploads in its store. A local directory
    /// is made (if missing) on the first upload, so a server that never
    /// stores a file leaves nothing behind; an existing path that is not a
    /// directory is refused now. S3 is not contacted here (`/readyz` does).
    pub fn open(config: &UploadConfig) -> Result<Uploads, UploadSetupError> {
        if config.max_bytes == 0 {
            return Err(UploadSetupError::MaxBytes);
        }
        let base = match &config.public_base_url {
            Some(v) => Some(public_base_url(v)?),
            None => None,
        };
        let dir = match &config.store {
            StoreConfig::Dir(dir) => dir,
            StoreConfig::S3(s3) => {
                return Ok(Uploads::with_store(s3.build()?, config.max_bytes, base));
            }
        };
        let dir = std::path::absolute(dir).map_err(|e| UploadSetupError::Dir {
            path: dir.display().to_string(),
            why: e.to_string(),
        })?;
        if dir.exists() && !dir.is_dir() {
            return Err(UploadSetupError::Dir {
                path: dir.display().to_string(),
                why: "is not a directory".into(),
            });
        }
        Ok(Uploads::local(dir, config.max_bytes, base))
    }

    /// What `/api/status` says under `"uploads"`.
    pub fn status(&self) -> UploadsStatus {
        UploadsStatus::available(UploadsSetup {
            public_base_url: self.public_base_url().map(str::to_string),
            upload_base_url: self.url_base(),
            max_bytes: self.max_bytes(),
            image_max_bytes: self.image_max_bytes(),
            accepted: ACCEPTED.iter().map(|t| t.to_string()).collect(),
        })
    }
}

/// Checks a `--public-base-url`: an absolute http or https URL with a
/// host, no user name, query or fragment. Returned without a trailing `/`.
pub fn public_base_url(value: &str) -> Result<String, UploadSetupError> {
    let bad = |why| UploadSetupError::BaseUrl {
        value: value.to_string(),
        why,
    };
    let url = reqwest::Url::parse(value.trim()).map_err(|_| bad("is not an absolute URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("is not an http or https URL"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not hold a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// The upload routes. The body limit is the uploads' own (checked while
/// streaming), not the API's.
pub fn router(uploads: Arc<Uploads>) -> Router {
    Router::new()
        .route(
            "/api/uploads",
            post(routes::upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/uploads/{*name}", get(routes::download))
        .with_state(uploads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_base_urls() {
        assert_eq!(
            public_base_url("https://cdn.example.com/").unwrap(),
            "https://cdn.example.com"
        );
        assert_eq!(
            public_base_url("http://127.0.0.1:8080/story/").unwrap(),
            "http://127.0.0.1:8080/story"
        );
        for bad in [
            "cdn.example.com",
            "/uploads",
            "ftp://x.org",
            "https://u:p@x.org",
            "https://x.org/?a=1",
            "https://x.org/#f",
        ] {
            assert!(public_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn store_locations() {
        let no_s3 = |_: &str| -> Result<s3::S3Config, UploadSetupError> { panic!("not s3") };
        assert_eq!(
            StoreConfig::parse("file:///var/uploads", no_s3).unwrap(),
            StoreConfig::Dir(PathBuf::from("/var/uploads"))
        );
        assert_eq!(
            StoreConfig::parse("file:up", no_s3).unwrap(),
            StoreConfig::Dir(PathBuf::from("up"))
        );
        for bad in ["file://host/x", "/var/uploads", "gs://b", "file:"] {
            assert!(StoreConfig::parse(bad, no_s3).is_err(), "{bad}");
        }
        let s3 = StoreConfig::parse("s3://bucket/p", |v| {
            s3::S3Config::from_parts(v, None, None, false, |_| None)
        })
        .unwrap();
        assert!(matches!(s3, StoreConfig::S3(c) if c.bucket == "bucket"));
    }

    #[test]
    fn an_existing_file_is_no_upload_dir() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("f");
        std::fs::write(&file, "x").expect("write");
        let config = UploadConfig {
            store: StoreConfig::Dir(file),
            max_bytes: DEFAULT_MAX_BYTES,
            public_base_url: None,
        };
        assert!(Uploads::open(&config).is_err());
        let later = UploadConfig {
            store: StoreConfig::Dir(dir.path().join("later")),
            ..config
        };
        assert!(Uploads::open(&later).is_ok());
        assert!(!dir.path().join("later").exists(), "made only when needed");
    }
}
