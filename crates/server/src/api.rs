//! `/api/...`: what the app talks to. `/api/status` says which providers
//! this server can reach (and whether Kling is the simulator); the relays
//! live under `/api/kling`, `/api/fal` and `/api/replicate`; uploads
//! (`/api/uploads`, `/uploads/...`) in [`crate::uploads`].

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Extension, Json, Router};

use crate::config::Keys;
use crate::relay::fal::FalRelay;
use crate::relay::kling::{Credential, KlingRelay};
use crate::relay::media::MediaRelay;
use crate::relay::replicate::ReplicateRelay;
use crate::relay::uploads::UploadResolver;
use crate::relay::{self, relay_error, RelayConfig, MAX_BODY_BYTES, MAX_JSON_BODY_BYTES};
use crate::sim::{self, SimConfig, Simulator};
use crate::uploads;
use storyreel_core::wire::{
    KlingCredential, KlingSetup, ProviderStatus, Providers, ServerStatus, UploadsStatus,
};

/// Everything the API needs, made once at start-up.
pub struct Api {
    pub kling: Arc<KlingRelay>,
    /// Kling's credential and design, and why (`/api/status`).
    pub kling_setup: KlingSetup,
    /// Present when Kling goes to the built-in simulator.
    pub simulator: Option<Arc<Simulator>>,
    pub keys: Keys,
    pub fal: Arc<FalRelay>,
    pub replicate: Arc<ReplicateRelay>,
    pub media: Arc<MediaRelay>,
    /// Present when this server keeps uploads ([`Api::with_uploads`]).
    pub uploads: Option<Arc<uploads::Uploads>>,
    /// Whether `/api/...` needs the access token (`/api/status` says so,
    /// so the app can ask for it); the check itself is in
    /// [`crate::guard::access`].
    pub access_token_required: bool,
    /// fal and Replicate get images stored here as `data:` URIs when
    /// there is no public base URL (`--inline-uploads-as-data-uri`).
    pub inline_uploads_as_data_uri: bool,
}

impl Api {
    /// Builds the API from the keys: Kling goes to its API host when an
    /// API key or a key pair is set, else to a new simulator.
    pub fn new(keys: Keys, sim_config: SimConfig) -> std::io::Result<Api> {
        Api::with_relays(keys, sim_config, RelayConfig::default())
    }

    /// [`Api::new`] with the fal, Replicate and media relays set up by
    /// `relays` (extra hosts, test upstreams).
    pub fn with_relays(
        keys: Keys,
        sim_config: SimConfig,
        relays: RelayConfig,
    ) -> std::io::Result<Api> {
        let client = relay::http_client();
        let kling_setup = keys.kling.setup();
        let base = keys
            .kling
            .base_url
            .clone()
            .unwrap_or_else(|| storyreel_core::kling::DEFAULT_BASE_URL.to_string());
        // The API key wins over a pair.
        let credential = match (
            &keys.kling.api_key,
            &keys.kling.access_key,
            &keys.kling.secret_key,
        ) {
            (Some(key), _, _) => Some(Credential::ApiKey(key.clone())),
            (None, Some(ak), Some(sk)) => Some(Credential::KeyPair(
                crate::kling_token::KlingSigner::new(ak.clone(), sk.clone()),
            )),
            _ => None,
        };
        let (kling, simulator) = match credential {
            Some(credential) => (
                KlingRelay::http_with(base, credential, client.clone()),
                None,
            ),
            None => {
                let sim = Simulator::new(sim_config);
                (KlingRelay::simulator(sim::router(sim.clone())), Some(sim))
            }
        };
        debug_assert_eq!(
            kling_setup.credential == KlingCredential::None,
            simulator.is_some()
        );
        let fal = FalRelay::new(keys.fal.key.clone(), relays.fal, client.clone());
        let replicate = ReplicateRelay::new(keys.replicate.token.clone(), relays.replicate, client);
        Ok(Api {
            kling: Arc::new(kling),
            kling_setup,
            simulator,
            keys,
            fal: Arc::new(fal),
            replicate: Arc::new(replicate),
            media: Arc::new(MediaRelay::new(relays.media)),
            uploads: None,
            access_token_required: false,
            inline_uploads_as_data_uri: true,
        })
    }

    /// Serves uploads from `uploads` too.
    /// The simulator, when it runs, may then read them (`sim::probe`).
    pub fn with_uploads(mut self, uploads: uploads::Uploads) -> Api {
        let uploads = Arc::new(uploads);
        if let Some(sim) = &self.simulator {
            sim.attach_uploads(uploads.clone());
        }
        self.uploads = Some(uploads);
        self
    }

    fn status(&self) -> ServerStatus {
        let simulated = self.kling.is_simulated();
        ServerStatus {
            simulator: simulated,
            providers: Providers {
                kling: ProviderStatus {
                    simulated: Some(simulated),
                    ..ProviderStatus::ready()
                },
                fal: fal_ready(&self.fal),
                replicate: ready(
                    self.keys.replicate.token.is_some(),
                    crate::config::ENV_REPLICATE_TOKEN,
                ),
            },
            uploads: self
                .uploads
                .as_ref()
                .map_or_else(UploadsStatus::unavailable, |u| u.status()),
            access_token_required: self.access_token_required,
            // It names the credential's kind, never the credential.
            kling: self.kling_setup.clone(),
        }
    }

    /// The `/api` routes, plus the simulator's public routes at
    /// [`sim::MOUNT`] when it runs.
    pub fn router(self) -> Router {
        let status = self.status();
        // The relays resolve `upload:<sha256>` in create bodies.
        let resolver = Extension(Arc::new(UploadResolver::new(
            self.uploads.clone(),
            self.inline_uploads_as_data_uri,
        )));
        // Kling and Replicate take small JSON; fal's proxy may carry a
        // file to fal's storage, so it keeps the larger limit.
        let kling = Router::new()
            .route(
                "/api/kling/{*path}",
                any(relay::kling::relay).layer(DefaultBodyLimit::max(MAX_JSON_BODY_BYTES)),
            )
            .with_state(self.kling.clone())
            .layer(resolver.clone());
        let fal = Router::new()
            .route("/api/fal/proxy", any(relay::fal::proxy))
            .with_state(self.fal.clone())
            .layer(resolver.clone());
        let replicate = Router::new()
            .route(
                "/api/replicate/{*path}",
                any(relay::replicate::relay).layer(DefaultBodyLimit::max(MAX_JSON_BODY_BYTES)),
            )
            .with_state(self.replicate.clone())
            .layer(resolver);
        let media = Router::new()
            .route("/api/media", get(relay::media::fetch))
            .with_state(self.media.clone());
        let mut r = Router::new()
            .route("/api/status", get(move || async move { Json(status) }))
            .merge(kling)
            .merge(fal)
            .merge(replicate)
            .merge(media)
            .route("/api/{*rest}", any(no_such_api))
            .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
        // After the layer: an upload's limit is its own.
        if let Some(u) = &self.uploads {
            r = r.merge(uploads::router(u.clone()));
        }
        if let Some(sim) = &self.simulator {
            r = r.nest(sim::MOUNT, sim::router(sim.clone()));
        }
        r
    }
}

fn ready(ready: bool, variable: &str) -> ProviderStatus {
    if ready {
        ProviderStatus::ready()
    } else {
        ProviderStatus::not_ready(format!(
            "this server has no key for it ({variable} is not set)"
        ))
    }
}

/// fal is ready with a server key, or when the browser may bring its own.
fn fal_ready(fal: &FalRelay) -> ProviderStatus {
    if fal.allows_browser_key() {
        ProviderStatus {
            browser_key: true,
            ..ProviderStatus::ready()
        }
    } else {
        ready(fal.is_ready(), crate::config::ENV_FAL_KEY)
    }
}

async fn no_such_api() -> Response {
    relay_error(StatusCode::NOT_FOUND, "no such API route").into_response()
}
