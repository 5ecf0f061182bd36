//! The JSON the server writes and the app reads, one serde type per
//! message, so both ends use the same field names:
//!
//! - `status.rs`: `GET /api/status` ([`ServerStatus`]: providers, uploads,
//!   the access token, Kling's credential and design);
//! - `upload.rs`: the answer to `POST /api/uploads` ([`Uploaded`]);
//! - `relay_error.rs`: the server's own error, as opposed to a provider's
//!   ([`RelayError`], `{"error", "relay": true, "request_id"}`, with the
//!   numbers of a refused upload beside it).
//!
//! The server's tests read its real answers into these types and write
//! them back, so a field one side renames or adds alone fails a test.

mod relay_error;
mod status;
mod upload;

pub use relay_error::RelayError;
pub use status::{
    KlingCredential, KlingSetup, ProviderStatus, Providers, ServerStatus, UploadsSetup,
    UploadsStatus,
};
pub use upload::Uploaded;
