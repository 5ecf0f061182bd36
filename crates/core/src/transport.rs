//! The HTTP calls the browser makes for a job, as data: method, URL,
//! headers and body. Nothing here sends anything.
//!
//! Every call goes through the app's server (the *proxy*), which holds the
//! keys:
//!
//! - Kling: `{proxy}/api/kling` stands in for Kling's API host, so the
//!   paths and bodies are exactly Kling's. A job keeps the design of the
//!   path it was created at ([`KlingApi::of_path`]): legacy jobs are
//!   polled at `/v1/videos/omni-video/{id}` and found in its list, current
//!   ones at `/tasks?task_ids=` and `/tasks?external_task_ids=`.
//! - fal: `{proxy}/api/fal/proxy`, fal's proxy protocol: the real
//!   `https://queue.fal.run/…` URL goes in the `x-fal-target-url` header.
//!   With a key of the user's own ([`Transport::with_fal_key`]) the browser
//!   calls fal directly with `Authorization: Key …` instead.
//! - Replicate: `https://api.replicate.com/v1/…` becomes
//!   `{proxy}/api/replicate/v1/…`.
//!
//! Kling's element and voice calls (`/v1/general/...`) are in
//! `transport/element.rs`.
//!
//! The proxy is a base URL (`https://host[:port][/prefix]`) or empty for
//! the server that serves the app.

mod answer;
mod element;

pub use answer::Answer;

pub use element::{
    DEFAULT_PAGE_SIZE, DELETE_ELEMENT_PATH, DELETE_VOICE_PATH, ELEMENTS_PATH,
    MAX_ELEMENT_PAGE_SIZE, MAX_PAGE_NUM, MAX_VOICE_PAGE_SIZE, PRESET_ELEMENTS_PATH,
    PRESET_VOICES_PATH, VOICES_PATH,
};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::board::{Board, Provider};
use crate::fal::QUEUE_BASE_URL;
use crate::kling::TASKS_PATH;
use crate::options::KlingApi;
use crate::request::{RequestError, RequestOptions, UploadsMode};
use crate::wire::RelayError;
// `/api/status` lives in `wire`; these names are kept for code that
// reads them from here.
pub use crate::wire::{KlingCredential, KlingSetup, ProviderStatus, ServerStatus, UploadsStatus};

/// Replicate's API host.
pub const REPLICATE_API: &str = "https://api.replicate.com";
/// The header of fal's proxy protocol that names the real URL.
pub const FAL_TARGET_HEADER: &str = "x-fal-target-url";
/// How many tasks the Kling lookup reads (newest first).
pub const LOOKUP_PAGE_SIZE: u32 = 50;

/// One HTTP call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpCall {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

impl HttpCall {
    fn get(url: String) -> HttpCall {
        HttpCall {
            method: "GET".into(),
            url,
            headers: Vec::new(),
            body: None,
        }
    }

    fn header(mut self, name: &str, value: impl Into<String>) -> HttpCall {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// The value of header `name` (case-insensitive), if set.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A proxy URL that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProxyError {
    #[error("the proxy URL must start with http:// or https://")]
    Scheme,
    #[error("the proxy URL has no host")]
    NoHost,
    #[error("the proxy URL may not carry a query or fragment")]
    Query,
    #[error("the proxy URL may not contain spaces")]
    Spaces,
}

/// A proxy URL as typed, made usable: trimmed, without a trailing slash.
/// Empty means the server that serves the app.
pub fn normalize_proxy(input: &str) -> Result<String, ProxyError> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(String::new());
    }
    if text.chars().any(char::is_whitespace) {
        return Err(ProxyError::Spaces);
    }
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or(ProxyError::Scheme)?;
    if rest.contains(['?', '#']) {
        return Err(ProxyError::Query);
    }
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err(ProxyError::NoHost);
    }
    Ok(text.trim_end_matches('/').to_string())
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Where a job's calls go and how they are authorized. `Debug` never
/// shows the fal key or the access token.
#[derive(Clone, PartialEq, Eq)]
pub struct Transport {
    proxy: String,
    fal_key: Option<String>,
    access_token: Option<String>,
    /// Where the server publishes uploads (`<public base>/uploads`).
    public_uploads: Option<String>,
    /// Which of Kling's designs the server relays (from `/api/status`).
    kling_api: KlingApi,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("proxy", &self.proxy)
            .field("fal_key", &self.fal_key.as_ref().map(|_| "<set>"))
            .field("access_token", &self.access_token.as_ref().map(|_| "<set>"))
            .field("public_uploads", &self.public_uploads)
            .field("kling_api", &self.kling_api)
            .finish()
    }
}

/// The header that carries the server's access token (`--access-token`).
pub const ACCESS_TOKEN_HEADER: &str = "x-storyreel-token";

/// What a create call needs to be followed up: the provider's own create
/// URL (Kling: the path only, so a changed proxy still finds the job).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub call: HttpCall,
    pub target: String,
}

impl Transport {
    /// Calls through `proxy` (see [`normalize_proxy`]).
    pub fn new(proxy: &str) -> Result<Transport, ProxyError> {
        Ok(Transport {
            proxy: normalize_proxy(proxy)?,
            fal_key: None,
            access_token: None,
            public_uploads: None,
            kling_api: KlingApi::default(),
        })
    }

    /// Calls to the server's `/api/...` carry this access token (a server
    /// started with `--access-token` refuses them without it). Calls that
    /// go elsewhere (fal with the user's own key) never carry it.
    pub fn with_access_token(mut self, token: Option<String>) -> Transport {
        self.access_token = token
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        self
    }

    /// The headers a call to the server's own `/api/...` needs (for calls
    /// the app makes itself, such as uploads).
    pub fn api_headers(&self) -> Vec<(String, String)> {
        self.access_token
            .iter()
            .map(|t| (ACCESS_TOKEN_HEADER.to_string(), t.clone()))
            .collect()
    }

    /// Adds the access token to a call bound for this server's `/api/`.
    fn ours(&self, mut call: HttpCall) -> HttpCall {
        let api = format!("{}/api/", self.proxy);
        if call.url.starts_with(&api) {
            call.headers.extend(self.api_headers());
        }
        call
    }

    /// Where the server publishes uploads, from `/api/status`
    /// ([`UploadsStatus::public_uploads_base`]): requests then carry
    /// `<base>/<sha256>` URLs for `upload:<sha256>` references. Without
    /// one they carry `upload:<sha256>` as written and the server's relay
    /// resolves it.
    pub fn with_public_uploads(mut self, base: Option<String>) -> Transport {
        self.public_uploads = base
            .map(|b| b.trim().trim_end_matches('/').to_string())
            .filter(|b| !b.is_empty());
        self
    }

    /// The base set by [`Transport::with_public_uploads`].
    pub fn public_uploads(&self) -> Option<&str> {
        self.public_uploads.as_deref()
    }

    /// New Kling jobs are created on this design (what `/api/status` says
    /// the server relays). A job already created keeps the design of its
    /// own path.
    pub fn with_kling_api(mut self, api: KlingApi) -> Transport {
        self.kling_api = api;
        self
    }

    /// The design new Kling jobs are created on.
    pub fn kling_api(&self) -> KlingApi {
        self.kling_api
    }

    /// fal calls go straight to fal with the user's own key.
    pub fn with_fal_key(mut self, key: Option<String>) -> Transport {
        self.fal_key = key.map(|k| k.trim().to_string()).filter(|k| !k.is_empty());
        self
    }

    pub fn proxy(&self) -> &str {
        &self.proxy
    }

    /// Whether fal is called with the user's own key.
    pub fn fal_direct(&self) -> bool {
        self.fal_key.is_some()
    }

    /// Kling's API host as the browser reaches it.
    pub fn kling_base(&self) -> String {
        format!("{}/api/kling", self.proxy)
    }

    /// The mapping options for a job with idempotency key `key`, for a
    /// call relayed by the server: uploads become public URLs when the
    /// server publishes them, else the relay resolves them.
    pub fn request_options(&self, key: &str) -> RequestOptions {
        RequestOptions {
            kling_base_url: self.kling_base(),
            uploads: match &self.public_uploads {
                Some(base) => UploadsMode::PublicBase(base.clone()),
                None => UploadsMode::ResolvedByServer,
            },
            external_task_id: Some(key.to_string()),
            kling_api: self.kling_api,
            ..RequestOptions::default()
        }
    }

    /// `GET {proxy}/api/status`.
    pub fn status(&self) -> HttpCall {
        self.ours(HttpCall::get(format!("{}/api/status", self.proxy)))
    }

    /// Where files are uploaded: `POST` the raw bytes.
    pub fn uploads_url(&self) -> String {
        format!("{}/api/uploads", self.proxy)
    }

    /// Where this browser can see a reference's file: an https `src` as it
    /// is, `upload:<sha256>` at the server's `/uploads/<sha256>`.
    pub fn view_url(&self, src: &str) -> Option<String> {
        if let Some(sha) = src.strip_prefix("upload:") {
            return (crate::reference::src_problem(src).is_none())
                .then(|| format!("{}/uploads/{sha}", self.proxy));
        }
        src.starts_with("https://").then(|| src.to_string())
    }

    /// A video URL fetched through the server, for CDNs that refuse the
    /// browser.
    pub fn media(&self, url: &str) -> HttpCall {
        self.ours(HttpCall::get(format!(
            "{}/api/media?url={}",
            self.proxy,
            encode_component(url)
        )))
    }

    /// The create call for `board` on `provider` with key `key`. Refused
    /// when the board cannot be mapped (rule errors, uploads).
    pub fn create(
        &self,
        provider: Provider,
        board: &Board,
        key: &str,
    ) -> Result<Created, RequestError> {
        let mut opts = self.request_options(key);
        // fal with the user's own key bypasses the server: nothing there
        // can resolve an upload, only a public URL reaches fal.
        let direct = provider == Provider::Fal && self.fal_direct();
        if direct && opts.uploads == UploadsMode::ResolvedByServer {
            opts.uploads = UploadsMode::Refuse;
        }
        let req = crate::mapping::for_provider(provider, board, &opts).map_err(|e| match e {
            RequestError::UploadNeedsPublicUrl { name } if direct => {
                RequestError::UploadBypassesServer {
                    name,
                    provider: "fal",
                }
            }
            e => e,
        })?;
        let body = req.body.to_string();
        let target = match provider {
            Provider::Kling => req
                .url
                .strip_prefix(&opts.kling_base_url)
                .unwrap_or(&req.url)
                .to_string(),
            _ => req.url.clone(),
        };
        let call = HttpCall {
            method: req.method.clone(),
            url: req.url.clone(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: Some(body),
        };
        let call = match provider {
            Provider::Kling => call,
            Provider::Fal => self.fal(call),
            Provider::Replicate => self.replicate(call),
        };
        Ok(Created {
            call: self.ours(call),
            target,
        })
    }

    /// A call to a real fal URL, through the proxy or with the user's key.
    fn fal(&self, mut call: HttpCall) -> HttpCall {
        match &self.fal_key {
            Some(key) => call.header("authorization", format!("Key {key}")),
            None => {
                let target =
                    std::mem::replace(&mut call.url, format!("{}/api/fal/proxy", self.proxy));
                call.header(FAL_TARGET_HEADER, target)
            }
        }
    }

    /// A call to a real Replicate URL, through the proxy.
    fn replicate(&self, mut call: HttpCall) -> HttpCall {
        let path = call
            .url
            .strip_prefix(REPLICATE_API)
            .unwrap_or(&call.url)
            .to_string();
        call.url = format!("{}/api/replicate{path}", self.proxy);
        call
    }

    /// The status call for an accepted job.
    ///
    /// `target` is what [`Transport::create`] returned; `status_url` the one
    /// the provider gave (fal, Replicate), if any.
    pub fn poll(
        &self,
        provider: Provider,
        target: &str,
        remote_id: &str,
        status_url: Option<&str>,
    ) -> HttpCall {
        let call = match provider {
            Provider::Kling => match KlingApi::of_path(target) {
                KlingApi::Legacy => HttpCall::get(format!(
                    "{}{}/{}",
                    self.kling_base(),
                    target,
                    encode_component(remote_id)
                )),
                KlingApi::Current => HttpCall::get(format!(
                    "{}{TASKS_PATH}?task_ids={}",
                    self.kling_base(),
                    encode_component(remote_id)
                )),
            },
            Provider::Fal => {
                let url = status_url
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{}/status", fal_request_url(target, remote_id)));
                self.fal(HttpCall::get(url))
            }
            Provider::Replicate => {
                let url = status_url.map(str::to_string).unwrap_or_else(|| {
                    format!(
                        "{REPLICATE_API}/v1/predictions/{}",
                        encode_component(remote_id)
                    )
                });
                self.replicate(HttpCall::get(url))
            }
        };
        self.ours(call)
    }

    /// fal only: the result of a completed request.
    pub fn fal_result(&self, target: &str, remote_id: &str, result_url: Option<&str>) -> HttpCall {
        let url = result_url
            .map(str::to_string)
            .unwrap_or_else(|| fal_request_url(target, remote_id));
        self.ours(self.fal(HttpCall::get(url)))
    }

    /// Kling only: the call that finds a job created at `target` with key
    /// `key`, on the design of that path. Legacy: page `page` (from 1,
    /// newest tasks first) of the task list, which knows no key; current:
    /// `GET /tasks?external_task_ids=<key>` (providers.md §0.4), one call,
    /// no paging.
    pub fn find_job(
        &self,
        provider: Provider,
        target: &str,
        key: &str,
        page: u32,
    ) -> Option<HttpCall> {
        if provider != Provider::Kling {
            return None;
        }
        match KlingApi::of_path(target) {
            KlingApi::Legacy => Some(self.ours(HttpCall::get(format!(
                "{}{}?pageNum={}&pageSize={LOOKUP_PAGE_SIZE}",
                self.kling_base(),
                target,
                page.max(1)
            )))),
            KlingApi::Current => Some(self.ours(HttpCall::get(format!(
                "{}{TASKS_PATH}?external_task_ids={}",
                self.kling_base(),
                encode_component(key)
            )))),
        }
    }
}

/// `https://queue.fal.run/{owner}/{alias}/requests/{id}`: fal's status and
/// result URLs use the app id without its sub-path (providers.md §2.6).
pub fn fal_request_url(endpoint_url: &str, remote_id: &str) -> String {
    let path = endpoint_url
        .strip_prefix(QUEUE_BASE_URL)
        .unwrap_or(endpoint_url)
        .trim_start_matches('/');
    let app: Vec<&str> = path.split('/').take(2).collect();
    format!(
        "{QUEUE_BASE_URL}/{}/requests/{}",
        app.join("/"),
        encode_component(remote_id)
    )
}

/// The relay's own error ([`RelayError`]), not the provider's: its
/// message.
pub fn relay_error(body: &str) -> Option<String> {
    RelayError::parse(body).map(|e| e.message().to_string())
}

/// How long a generation usually takes, in words.
pub fn typical_wait(provider: Provider, simulated: bool) -> &'static str {
    match (provider, simulated) {
        (Provider::Kling, true) => "simulated: a few seconds",
        (Provider::Kling, false) => "usually 1–3 min",
        (Provider::Fal, _) => "usually 1–4 min",
        (Provider::Replicate, _) => "usually 2–5 min",
    }
}
