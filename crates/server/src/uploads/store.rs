//! The content-addressed store: `objects/<sha256 hex>` in an
//! [`ObjectStore`] (a local directory or S3), written through a temporary
//! object `tmp/<unique>` that is hashed, counted and checked on the way in.
//!
//! The content type is not stored: the bytes were sniffed on the way in
//! and are sniffed again on the way out (one small range read), so the
//! object is the only thing to keep, copy or back up.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, WriteMultipart};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

use super::error::{Limit, LimitOf, UploadError};
use super::sniff::{sniff, Kind, SNIFF_LEN};

/// The board format's limit for images (JPEG, PNG), the one the browser
/// checks before it uploads.
pub const IMAGE_MAX_BYTES: u64 = storyreel_core::limits::MAX_IMAGE_BYTES;
/// The default `--upload-max-bytes`: the board format's limit for videos.
pub const DEFAULT_MAX_BYTES: u64 = storyreel_core::limits::MAX_VIDEO_BYTES;

/// Parts of a multipart write (S3's smallest part is 5 MiB).
const PART_BYTES: usize = 5 * 1024 * 1024;
/// Parts being written at once; with the part being filled, at most
/// `(PARTS_IN_FLIGHT + 1) * PART_BYTES` of an upload is in memory.
const PARTS_IN_FLIGHT: usize = 2;

/// Where the objects live.
enum Backing {
    Store(Arc<dyn ObjectStore>),
    /// A local directory, created (and the store made) on the first upload,
    /// so a server that never stores anything leaves nothing behind.
    LocalDir {
        dir: PathBuf,
        store: OnceCell<Arc<dyn ObjectStore>>,
    },
}

/// A file just stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub sha256: String,
    pub bytes: u64,
    pub kind: Kind,
    /// False when the same bytes were stored before.
    pub new: bool,
}

/// A stored file about to be read: its size and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub size: u64,
    pub kind: Kind,
}

pub struct Uploads {
    backing: Backing,
    max_bytes: u64,
    public_base_url: Option<String>,
}

impl Uploads {
    /// Uploads kept in `store`. `public_base_url` must already be checked
    /// (see [`super::public_base_url`]).
    pub fn with_store(
        store: Arc<dyn ObjectStore>,
        max_bytes: u64,
        public_base_url: Option<String>,
    ) -> Uploads {
        Uploads {
            backing: Backing::Store(store),
            max_bytes,
            public_base_url,
        }
    }

    /// Uploads kept in the local directory `dir` (absolute), made when
    /// first needed.
    pub(super) fn local(dir: PathBuf, max_bytes: u64, public_base_url: Option<String>) -> Uploads {
        Uploads {
            backing: Backing::LocalDir {
                dir,
                store: OnceCell::new(),
            },
            max_bytes,
            public_base_url,
        }
    }

    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    pub fn image_max_bytes(&self) -> u64 {
        IMAGE_MAX_BYTES.min(self.max_bytes)
    }

    pub fn public_base_url(&self) -> Option<&str> {
        self.public_base_url.as_deref()
    }

    /// What `upload:<hex>` becomes with `<hex>` appended after a `/`:
    /// `<public base>/uploads`, or the path `/uploads` when no public base
    /// is set.
    pub fn url_base(&self) -> String {
        format!("{}/uploads", self.public_base_url.as_deref().unwrap_or(""))
    }

    fn limit_for(&self, kind: Kind) -> Limit {
        if kind.is_image() {
            Limit {
                bytes: self.image_max_bytes(),
                applies_to: LimitOf::Images,
            }
        } else {
            Limit {
                bytes: self.max_bytes,
                applies_to: LimitOf::Videos,
            }
        }
    }

    /// The store, for writing: a local directory is created now.
    async fn store_for_write(&self) -> Result<&Arc<dyn ObjectStore>, UploadError> {
        match &self.backing {
            Backing::Store(s) => Ok(s),
            Backing::LocalDir { dir, store } => store
                .get_or_try_init(|| async {
                    let dir = dir.clone();
                    tokio::task::spawn_blocking(move || {
                        std::fs::create_dir_all(&dir).map_err(|e| {
                            object_store::Error::Generic {
                                store: "LocalFileSystem",
                                source: format!("cannot create {}: {e}", dir.display()).into(),
                            }
                        })?;
                        let fs = LocalFileSystem::new_with_prefix(&dir)?.with_fsync(true);
                        Ok::<_, object_store::Error>(Arc::new(fs) as Arc<dyn ObjectStore>)
                    })
                    .await
                    .map_err(|e| object_store::Error::JoinError { source: e })?
                })
                .await
                .map_err(UploadError::Store),
        }
    }

    /// Whether the store can be used now, cheaply: a local directory (or,
    /// before the first upload, its nearest existing parent) is a
    /// writable directory; another store answers a `HEAD` of a name that
    /// is never stored (not found counts as reachable). The error is for
    /// the log; it may name a path.
    pub async fn reachable(&self) -> Result<(), String> {
        match &self.backing {
            Backing::Store(s) => match s.head(&Path::from("readyz-probe")).await {
                Ok(_) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(crate::config::redact::scrub(&e.to_string())),
            },
            Backing::LocalDir { dir, .. } => {
                let mut at = dir.as_path();
                loop {
                    match tokio::fs::metadata(at).await {
                        Ok(m) if m.is_dir() && !m.permissions().readonly() => return Ok(()),
                        Ok(_) => {
                            return Err(format!("{} is not a writable directory", at.display()))
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match at.parent() {
                            Some(p) => at = p,
                            None => return Err(format!("{} does not exist", dir.display())),
                        },
                        Err(e) => return Err(format!("{}: {e}", at.display())),
                    }
                }
            }
        }
    }

    /// The store, for reading: `None` while a local directory has not been
    /// made (nothing was stored yet).
    async fn store_for_read(&self) -> Result<Option<&Arc<dyn ObjectStore>>, UploadError> {
        match &self.backing {
            Backing::Store(s) => Ok(Some(s)),
            Backing::LocalDir { dir, store } => {
                if store.get().is_none() && !tokio::fs::try_exists(dir).await.unwrap_or(false) {
                    return Ok(None);
                }
                self.store_for_write().await.map(Some)
            }
        }
    }

    /// Stores the file `body` streams, which declared `declared` bytes (its
    /// `Content-Length`), if it is a kind the server takes and within its
    /// limit. Only the first bytes and one part are held at a time; on any
    /// failure the temporary object is deleted. `body` is left where
    /// reading stopped, so the caller may drain what is left.
    pub async fn put_stream<S, E>(
        &self,
        declared: Option<u64>,
        body: &mut S,
    ) -> Result<Stored, UploadError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let too_large = |limit: Limit, size: u64, declared: bool| UploadError::TooLarge {
            limit,
            size,
            declared,
        };
        if let Some(n) = declared.filter(|n| *n > self.max_bytes) {
            let limit = Limit {
                bytes: self.max_bytes,
                applies_to: LimitOf::Files,
            };
            return Err(too_large(limit, n, true));
        }
        // The first bytes, before anything is written.
        let mut head: Vec<Bytes> = Vec::new();
        let mut head_len = 0;
        while head_len < SNIFF_LEN {
            match body.next().await {
                None => break,
                Some(Ok(chunk)) if chunk.is_empty() => {}
                Some(Ok(chunk)) => {
                    head_len += chunk.len();
                    head.push(chunk);
                }
                Some(Err(e)) => return Err(UploadError::Interrupted(e.to_string())),
            }
        }
        if head_len == 0 {
            return Err(UploadError::Empty);
        }
        let first: Vec<u8> = head.iter().flatten().copied().take(SNIFF_LEN).collect();
        let kind = sniff(&first).map_err(|found| UploadError::Unsupported { found })?;
        let limit = self.limit_for(kind);
        if let Some(n) = declared.filter(|n| *n > limit.bytes) {
            return Err(too_large(limit, n, true));
        }

        let store = self.store_for_write().await?.clone();
        let tmp = temp_path();
        let upload = store.put_multipart(&tmp).await?;
        let mut pending = Pending {
            store: store.clone(),
            tmp: tmp.clone(),
            writer: Some(WriteMultipart::new_with_chunk_size(upload, PART_BYTES)),
            may_exist: false,
        };
        let written = async {
            let mut hasher = Sha256::new();
            let mut bytes = 0u64;
            let mut rest = futures_util::stream::iter(head.into_iter().map(Ok)).chain(body);
            while let Some(chunk) = rest.next().await {
                let chunk = chunk.map_err(|e| UploadError::Interrupted(e.to_string()))?;
                bytes += chunk.len() as u64;
                if bytes > limit.bytes {
                    return Err(too_large(limit, bytes, false));
                }
                hasher.update(&chunk);
                pending.write(chunk).await?;
            }
            pending.finish().await?;
            Ok((hex::encode(hasher.finalize()), bytes))
        }
        .await;
        let (sha256, bytes) = match written {
            Ok(w) => w,
            Err(e) => {
                pending.discard().await;
                return Err(e);
            }
        };

        let object = object_path(&sha256);
        let new = match publish(&store, &tmp, &object).await {
            Ok(new) => new,
            Err(e) => {
                pending.discard().await;
                return Err(e.into());
            }
        };
        if new {
            pending.disarm();
        } else {
            pending.discard().await;
        }
        Ok(Stored {
            sha256,
            bytes,
            kind,
            new,
        })
    }

    /// The size and kind of the object `sha256` (64 lowercase hex digits,
    /// checked by the caller), from one small read.
    pub async fn find(&self, sha256: &str) -> Result<Found, UploadError> {
        let Some(store) = self.store_for_read().await? else {
            return Err(UploadError::NotFound);
        };
        let opts = GetOptions::new().with_range(Some(0..SNIFF_LEN as u64));
        let got = store
            .get_opts(&object_path(sha256), opts)
            .await
            .map_err(not_found)?;
        let size = got.meta.size;
        let head = got.bytes().await.map_err(not_found)?;
        let kind = sniff(&head).map_err(|_| UploadError::Damaged)?;
        Ok(Found { size, kind })
    }

    /// The bytes of `sha256` in `range` (all of it if `None`), streamed.
    pub async fn read(
        &self,
        sha256: &str,
        range: Option<std::ops::Range<u64>>,
    ) -> Result<impl Stream<Item = Result<Bytes, object_store::Error>> + Send + 'static, UploadError>
    {
        let Some(store) = self.store_for_read().await? else {
            return Err(UploadError::NotFound);
        };
        let opts = GetOptions::new().with_range(range.map(GetRange::Bounded));
        let got = store
            .get_opts(&object_path(sha256), opts)
            .await
            .map_err(not_found)?;
        Ok(got.into_stream())
    }
}

fn not_found(e: object_store::Error) -> UploadError {
    match e {
        object_store::Error::NotFound { .. } => UploadError::NotFound,
        e => UploadError::Store(e),
    }
}

/// Moves `tmp` to `object` unless `object` exists. True if it moved; false
/// if the object was there already (then `tmp` is left to the caller).
async fn publish(
    store: &Arc<dyn ObjectStore>,
    tmp: &Path,
    object: &Path,
) -> object_store::Result<bool> {
    match store.rename_if_not_exists(tmp, object).await {
        Ok(()) => Ok(true),
        Err(object_store::Error::AlreadyExists { .. }) => Ok(false),
        // A store with no atomic create (S3 without conditional copies):
        // look, then move. Two uploads of the same bytes racing here
        // write the same object twice, which is harmless.
        Err(
            object_store::Error::NotSupported { .. } | object_store::Error::NotImplemented { .. },
        ) => match store.head(object).await {
            Ok(_) => Ok(false),
            Err(object_store::Error::NotFound { .. }) => {
                store.rename(tmp, object).await?;
                Ok(true)
            }
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    }
}

/// `objects/<hex>`.
pub fn object_path(sha256: &str) -> Path {
    Path::from("objects").join(sha256)
}

/// `tmp/<process>-<time>-<counter>`: unique among the servers sharing the
/// store.
fn temp_path() -> Path {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let name = format!(
        "{}-{nanos}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    Path::from("tmp").join(name.as_str())
}

/// True for 64 lowercase hex digits, the only names looked up in the store.
pub fn is_sha256_hex(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The temporary object of an upload in progress. Whatever happens, it
/// does not outlive the upload: failures call [`Pending::discard`], and if
/// the request is dropped half-way (the client went away), `Drop` cleans up
/// in a task of its own.
struct Pending {
    store: Arc<dyn ObjectStore>,
    tmp: Path,
    /// Until the write is finished.
    writer: Option<WriteMultipart>,
    /// The temporary object may exist (finishing started).
    may_exist: bool,
}

impl Pending {
    async fn write(&mut self, chunk: Bytes) -> object_store::Result<()> {
        if let Some(w) = self.writer.as_mut() {
            w.wait_for_capacity(PARTS_IN_FLIGHT).await?;
            w.put(chunk);
        }
        Ok(())
    }

    async fn finish(&mut self) -> object_store::Result<()> {
        if let Some(w) = self.writer.take() {
            self.may_exist = true;
            w.finish().await?;
        }
        Ok(())
    }

    /// Deletes what was written.
    async fn discard(&mut self) {
        if let Some(w) = self.writer.take() {
            if let Err(e) = w.abort().await {
                tracing::warn!(error = %crate::config::redact::scrub(&e.to_string()), "uploads: aborting a write failed");
            }
        }
        if std::mem::take(&mut self.may_exist) {
            match self.store.delete(&self.tmp).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => {
                    tracing::warn!(error = %crate::config::redact::scrub(&e.to_string()), "uploads: a temporary object was not deleted")
                }
            }
        }
    }

    /// The temporary object is gone (moved into place).
    fn disarm(&mut self) {
        self.writer = None;
        self.may_exist = false;
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if self.writer.is_none() && !self.may_exist {
            return;
        }
        let mut rest = Pending {
            store: self.store.clone(),
            tmp: self.tmp.clone(),
            writer: self.writer.take(),
            may_exist: std::mem::take(&mut self.may_exist),
        };
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move { rest.discard().await });
        } else {
            rest.disarm();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use object_store::memory::InMemory;

    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    fn uploads(max: u64) -> (Uploads, Arc<dyn ObjectStore>) {
        let store: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
        (Uploads::with_store(store.clone(), max, None), store)
    }

    fn chunks(parts: &[&[u8]]) -> impl Stream<Item = Result<Bytes, String>> + Unpin {
        let v: Vec<Result<Bytes, String>> = parts
            .iter()
            .map(|p| Ok(Bytes::copy_from_slice(p)))
            .collect();
        futures_util::stream::iter(v)
    }

    async fn names(store: &Arc<dyn ObjectStore>) -> Vec<String> {
        let mut all: Vec<String> = store
            .list(None)
            .map(|m| m.expect("list").location.to_string())
            .collect()
            .await;
        all.sort();
        all
    }

    #[tokio::test]
    async fn stores_once_by_content() {
        let (u, store) = uploads(DEFAULT_MAX_BYTES);
        let body: Vec<u8> = PNG.iter().copied().chain(0..=255u8).collect();
        let a = u
            .put_stream(
                None,
                &mut chunks(&[&body[..5], &body[5..100], &body[100..]]),
            )
            .await
            .expect("stored");
        assert!(a.new);
        assert_eq!(a.bytes, body.len() as u64);
        assert_eq!(a.kind, Kind::Png);
        assert_eq!(a.sha256, hex::encode(Sha256::digest(&body)));
        let b = u
            .put_stream(Some(body.len() as u64), &mut chunks(&[&body]))
            .await
            .expect("stored");
        assert!(!b.new);
        assert_eq!(names(&store).await, vec![format!("objects/{}", a.sha256)]);
        let found = u.find(&a.sha256).await.expect("found");
        assert_eq!(found.size, body.len() as u64);
        assert_eq!(found.kind, Kind::Png);
        let part: Vec<Bytes> = u
            .read(&a.sha256, Some(8..12))
            .await
            .expect("read")
            .map(|c| c.expect("chunk"))
            .collect()
            .await;
        assert_eq!(part.concat(), &body[8..12]);
    }

    #[tokio::test]
    async fn refusals_leave_nothing() {
        let (u, store) = uploads(100);
        let e = u.put_stream(None, &mut chunks(&[])).await.unwrap_err();
        assert!(matches!(e, UploadError::Empty), "{e}");
        let e = u
            .put_stream(None, &mut chunks(&[b"just some text"]))
            .await
            .unwrap_err();
        assert!(matches!(e, UploadError::Unsupported { .. }), "{e}");
        let e = u
            .put_stream(None, &mut chunks(&[PNG, &[0; 50], &[0; 50]]))
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                UploadError::TooLarge {
                    size: 112,
                    declared: false,
                    ..
                }
            ),
            "{e}"
        );
        let e = u
            .put_stream(Some(101), &mut chunks(&[PNG]))
            .await
            .unwrap_err();
        assert!(
            matches!(e, UploadError::TooLarge { declared: true, .. }),
            "{e}"
        );
        let failing = futures_util::stream::iter(vec![
            Ok(Bytes::from_static(PNG)),
            Err("connection reset".to_string()),
        ]);
        let e = u.put_stream(None, &mut failing.boxed()).await.unwrap_err();
        assert!(matches!(e, UploadError::Interrupted(_)), "{e}");
        let e = u.put_stream(None, &mut chunks(&[PNG, &[1; 20]])).await;
        assert!(e.is_ok());
        assert_eq!(names(&store).await.len(), 1);
        assert!(matches!(
            u.find(&"0".repeat(64)).await,
            Err(UploadError::NotFound)
        ));
    }

    #[test]
    fn names_are_strict() {
        assert!(is_sha256_hex(&"a1".repeat(32)));
        assert!(!is_sha256_hex(&"A1".repeat(32)));
        assert!(!is_sha256_hex(&"a1".repeat(31)));
        assert!(!is_sha256_hex("../../etc/passwd"));
        assert_eq!(
            object_path(&"f".repeat(64)).to_string(),
            format!("objects/{}", "f".repeat(64))
        );
    }
}
