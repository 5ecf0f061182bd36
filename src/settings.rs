//! Where the app's server is (the proxy URL), fal's bring-your-own-key
//! mode, and what the server says it can do (`/api/status`).
//!
//! The proxy URL comes from, in order: the `?proxy=` URL parameter, the
//! saved setting, the build-time default (`STORYREEL_PROXY_URL` when the
//! app was built), or the server that serves the app.
//!
//! Its views: `banners` (the simulator's and the missing token's) and
//! `panel` (the Server settings), whose parts are `proxy_form`,
//! `server_lines`, `token_form` and `fal_key`.

mod banners;
mod fal_key;
mod panel;
mod proxy_form;
mod server_lines;
mod token_form;

pub use banners::{SimBanner, TokenBanner};
pub use panel::SettingsPanel;

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::transport::{normalize_proxy, Answer, Transport};
use storyreel_core::wire::ServerStatus;
use storyreel_core::KlingApi;

use crate::net;

const PROXY_KEY: &str = "storyreel.proxy";
const FAL_KEY: &str = "storyreel.fal-key";
const ACCESS_TOKEN_KEY: &str = "storyreel.access-token";
/// The proxy built into this copy of the app, if any.
const BUILD_PROXY: Option<&str> = option_env!("STORYREEL_PROXY_URL");

/// What `/api/status` said.
#[derive(Clone, Debug, PartialEq)]
pub enum ServerState {
    Checking,
    /// Boxed: the status is large, and the other states are small.
    Known(Box<ServerStatus>),
    Unreachable(String),
}

#[derive(Clone, Copy)]
pub struct Settings {
    /// The proxy base URL, normalized ("" = this server).
    pub proxy: RwSignal<String>,
    /// Where the proxy came from, in words.
    pub proxy_source: RwSignal<&'static str>,
    /// fal key of the user's own, kept in session storage only.
    pub fal_key: RwSignal<Option<String>>,
    /// The server's access token (`--access-token`), in session storage
    /// only, sent only to the server's own `/api/`.
    pub access_token: RwSignal<Option<String>>,
    pub server: RwSignal<ServerState>,
    /// The Kling design the server speaks; [`KlingApi::default`] until
    /// `/api/status` says. A memo, so a status check that changes nothing
    /// re-runs no rules.
    pub kling_api: Memo<KlingApi>,
}

fn session() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

fn local() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn url_param(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

impl Settings {
    /// Reads the settings; the second value is a warning to show, if any.
    pub fn load() -> (Settings, Option<String>) {
        let mut warning = None;
        let mut chosen: Option<(String, &'static str)> = None;
        if let Some(p) = url_param("proxy") {
            match normalize_proxy(&p) {
                Ok(p) => chosen = Some((p, "the ?proxy= parameter")),
                Err(e) => warning = Some(format!("The ?proxy= parameter was ignored: {e}.")),
            }
        }
        if chosen.is_none() {
            let saved = local().and_then(|s| s.get_item(PROXY_KEY).ok().flatten());
            if let Some(p) = saved.and_then(|p| normalize_proxy(&p).ok()) {
                chosen = Some((p, "your setting"));
            }
        }
        if chosen.is_none() {
            if let Some(p) = BUILD_PROXY.and_then(|p| normalize_proxy(p).ok()) {
                if !p.is_empty() {
                    chosen = Some((p, "the build's default"));
                }
            }
        }
        let (proxy, source) = chosen.unwrap_or((String::new(), "this server"));
        let fal_key = session()
            .and_then(|s| s.get_item(FAL_KEY).ok().flatten())
            .filter(|k| !k.trim().is_empty());
        let access_token = session()
            .and_then(|s| s.get_item(ACCESS_TOKEN_KEY).ok().flatten())
            .filter(|k| !k.trim().is_empty());
        let server = RwSignal::new(ServerState::Checking);
        let settings = Settings {
            proxy: RwSignal::new(proxy),
            proxy_source: RwSignal::new(source),
            fal_key: RwSignal::new(fal_key),
            access_token: RwSignal::new(access_token),
            server,
            // While a check is under way the last answer holds, so the
            // rules do not flip to the default and back.
            kling_api: Memo::new(move |last: Option<&KlingApi>| {
                server.with(|s| match s {
                    ServerState::Known(status) => status.kling.api,
                    ServerState::Checking => last.copied().unwrap_or_default(),
                    ServerState::Unreachable(_) => KlingApi::default(),
                })
            }),
        };
        (settings, warning)
    }

    pub fn expect() -> Settings {
        expect_context::<Settings>()
    }

    /// How calls are made right now. Files stored on the server go to
    /// providers by their public URL when the server has one; otherwise
    /// requests carry `upload:<sha256>` and the server's relay resolves it.
    /// New Kling jobs are created on the design the server speaks.
    pub fn transport(&self) -> Transport {
        let proxy = self.proxy.get_untracked();
        Transport::new(&proxy)
            .unwrap_or_else(|_| Transport::new("").expect("the empty proxy is valid"))
            .with_fal_key(self.fal_key.get_untracked())
            .with_access_token(self.access_token.get_untracked())
            .with_public_uploads(self.public_uploads_base())
            .with_kling_api(self.kling_api.get_untracked())
    }

    /// The server's public base for stored files (`<base>/uploads`), when
    /// it is known to have one.
    pub fn public_uploads_base(&self) -> Option<String> {
        self.server.with_untracked(|s| match s {
            ServerState::Known(status) => status.uploads.public_uploads_base(),
            _ => None,
        })
    }

    /// Keeps the server's access token for this tab ("" forgets it).
    pub fn set_access_token(&self, token: Option<String>) {
        let token = token
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        if let Some(s) = session() {
            let _ = match &token {
                Some(t) => s.set_item(ACCESS_TOKEN_KEY, t),
                None => s.remove_item(ACCESS_TOKEN_KEY),
            };
        }
        self.access_token.set(token);
    }

    /// Whether the server wants a token this tab does not have.
    pub fn token_missing(&self) -> bool {
        let required = self
            .server
            .with(|s| matches!(s, ServerState::Known(st) if st.access_token_required));
        required && self.access_token.with(Option::is_none)
    }

    /// Saves a proxy URL typed by the user ("" = this server).
    pub fn set_proxy(&self, typed: &str) -> Result<(), String> {
        let p = normalize_proxy(typed).map_err(|e| e.to_string())?;
        if let Some(s) = local() {
            let _ = if p.is_empty() {
                s.remove_item(PROXY_KEY)
            } else {
                s.set_item(PROXY_KEY, &p)
            };
        }
        self.proxy_source.set(if p.is_empty() {
            "this server"
        } else {
            "your setting"
        });
        self.proxy.set(p);
        self.refresh();
        Ok(())
    }

    pub fn set_fal_key(&self, key: Option<String>) {
        let key = key.filter(|k| !k.trim().is_empty());
        if let Some(s) = session() {
            let _ = match &key {
                Some(k) => s.set_item(FAL_KEY, k.trim()),
                None => s.remove_item(FAL_KEY),
            };
        }
        self.fal_key.set(key.map(|k| k.trim().to_string()));
    }

    /// Asks the server what it can do.
    pub fn refresh(&self) {
        let server = self.server;
        let call = self.transport().status();
        server.set(ServerState::Checking);
        spawn_local(async move {
            let state = match net::send(&call).await {
                Answer::Http { status, body } if (200..300).contains(&status) => {
                    match ServerStatus::parse(&body) {
                        Some(s) => ServerState::Known(Box::new(s)),
                        None => ServerState::Unreachable(
                            "the answer to /api/status is not a Storyreel server's".into(),
                        ),
                    }
                }
                Answer::Http { status, .. } => {
                    ServerState::Unreachable(format!("/api/status answered HTTP {status}"))
                }
                Answer::Network { message } => ServerState::Unreachable(message),
            };
            server.set(state);
        });
    }

    /// Whether the Kling simulator is in use.
    pub fn simulated(&self) -> bool {
        self.server
            .with(|s| matches!(s, ServerState::Known(st) if st.simulator))
    }
}
