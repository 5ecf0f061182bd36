//! The command line.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use storyreel_core::fal::FalOptions;
use storyreel_core::options::KlingApi;
use storyreel_core::replicate::ReplicateOptions;
use storyreel_core::{RequestOptions, UploadsMode};

use crate::sim::SimConfig;

#[derive(Parser)]
#[command(
    name = "storyreel-server",
    version,
    about = "Storyreel's server and board tools"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the built app.
    Serve(Box<ServeArgs>),
    /// Print the exact provider request for a board file.
    Request(RequestArgs),
    /// Print a board file's problems; exits 1 if it has errors.
    Check(CheckArgs),
    /// Print the share-link fragment (the text after `#`) for a board file;
    /// warns on stderr about references only this machine has. With
    /// `--take URL` the link also carries the board's take video.
    Share(ShareArgs),
    /// Print the board in a share link as JSON. Takes the fragment, `#...`
    /// or a whole URL; `-` reads it from stdin. If the link carries a take
    /// video, prints `take video: URL` on stderr.
    Unshare {
        #[arg(value_name = "FRAGMENT")]
        fragment: String,
    },
}

/// `share`'s arguments.
#[derive(Args, Clone, Debug)]
pub struct ShareArgs {
    /// The board file.
    pub file: PathBuf,
    /// The URL of the board's finished take video, for the shared view to
    /// play: http:// or https:// with a host and no user name, at most 2048
    /// characters.
    #[arg(long, value_name = "URL")]
    pub take: Option<String>,
}

/// `check`'s arguments.
#[derive(Args, Clone, Debug)]
pub struct CheckArgs {
    /// The Kling design whose rules apply: current or legacy.
    #[arg(long, value_name = "DESIGN", default_value = "current", value_parser = parse_kling_api)]
    pub kling_api: KlingApi,
    /// The board file.
    pub file: PathBuf,
}

impl CheckArgs {
    /// The request options `check` applies the rules with.
    pub fn options(&self) -> RequestOptions {
        RequestOptions {
            kling_api: self.kling_api,
            ..RequestOptions::default()
        }
    }
}

/// `--kling-api`'s value: `current` or `legacy`.
pub fn parse_kling_api(value: &str) -> Result<KlingApi, String> {
    KlingApi::parse(value)
        .ok_or_else(|| format!("{value:?} is not a Kling design; use current or legacy"))
}

#[derive(Args, Clone)]
pub struct ServeArgs {
    #[arg(long, default_value = "127.0.0.1")]
    pub addr: IpAddr,
    /// 0 picks a free port.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The directory `trunk build` wrote.
    #[arg(long, default_value = "dist")]
    pub dist: PathBuf,
    /// A TOML file with provider keys (the environment overrides it).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Kling's request design: `current` (the default; API key only) or
    /// `legacy`. Wins over `KLING_API` and `api` under `[kling]` in the
    /// config file. With only an access key / secret key pair, the legacy
    /// design is used unless `current` is asked for, which is refused.
    #[arg(long, value_name = "DESIGN", value_parser = parse_kling_api)]
    pub kling_api: Option<KlingApi>,
    /// Simulator: milliseconds a task stays `submitted`.
    #[arg(long, default_value_t = SimConfig::default().submit_ms)]
    pub sim_submit_ms: u64,
    /// Simulator: milliseconds a task stays `processing`.
    #[arg(long, default_value_t = SimConfig::default().process_ms)]
    pub sim_process_ms: u64,
    /// Simulator: tasks that may run at once (more get Kling's 1303).
    #[arg(long, default_value_t = SimConfig::default().max_concurrent)]
    pub sim_max_concurrent: usize,
    /// Simulator: serve the test controls (fault injection, counters).
    #[arg(long)]
    pub sim_control: bool,
    /// fal proxy: another target host (HOST or HOST:PORT) besides fal.run and
    /// fal.ai, also reachable over http or by IP. For tests and self-hosted
    /// gateways. Repeatable; `FAL_ALLOWED_HOSTS` (comma-separated) adds more.
    #[arg(long = "fal-allow-host", value_name = "HOST[:PORT]")]
    pub fal_allow_hosts: Vec<String>,
    /// fal and Replicate: without --public-base-url, send an image stored
    /// here (`upload:<sha256>` in a create body) as a `data:` URI. On by
    /// default (fal documents data URIs; Replicate's support is
    /// unconfirmed); `false` refuses such requests instead. Kling always
    /// gets raw Base64.
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub inline_uploads_as_data_uri: bool,
    /// fal proxy: with no FAL_KEY, pass the browser's own `Authorization: Key ...`
    /// (bring your own key). Off by default.
    #[arg(long)]
    pub fal_allow_browser_key: bool,
    /// fal proxy, tests only: send every admitted target to this origin,
    /// keeping its path and query.
    #[arg(long, value_name = "URL")]
    pub fal_upstream_override: Option<String>,
    /// Replicate's API origin (`REPLICATE_BASE_URL` if unset).
    #[arg(long, value_name = "URL")]
    pub replicate_base_url: Option<String>,
    /// /api/media: the host suffixes clips are fetched from (giving any
    /// replaces the list).
    #[arg(long = "media-host-suffix", value_name = "SUFFIX", default_values = crate::relay::media::DEFAULT_SUFFIXES)]
    pub media_host_suffixes: Vec<String>,
    /// /api/media: another host (HOST or HOST:PORT), also over http or by IP.
    /// For tests. Repeatable; `MEDIA_ALLOWED_HOSTS` (comma-separated) adds more.
    #[arg(long = "media-allow-host", value_name = "HOST[:PORT]")]
    pub media_allow_hosts: Vec<String>,
    /// Uploads: the directory they are kept in (made on the first upload);
    /// default `storyreel-uploads`.
    #[arg(long, value_name = "DIR")]
    pub upload_dir: Option<PathBuf>,
    /// Uploads: where they are kept, instead of --upload-dir: `file:///DIR`,
    /// or `s3://BUCKET[/PREFIX]` (AWS S3, or an S3-compatible server with
    /// --s3-endpoint; keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
    /// else the EC2 instance role). `STORYREEL_UPLOAD_STORE` if unset.
    #[arg(long, value_name = "URL", conflicts_with = "upload_dir")]
    pub upload_store: Option<String>,
    /// S3: an S3-compatible server's URL (MinIO, R2...), addressed
    /// path-style; `STORYREEL_S3_ENDPOINT` if unset; neither: AWS.
    #[arg(long, value_name = "URL")]
    pub s3_endpoint: Option<String>,
    /// S3: the region (else `AWS_REGION`, `AWS_DEFAULT_REGION`, us-east-1).
    #[arg(long, value_name = "REGION")]
    pub s3_region: Option<String>,
    /// S3: allow a plain-http --s3-endpoint on another machine (loopback
    /// may always use http).
    #[arg(long)]
    pub s3_allow_http: bool,
    /// Uploads: the largest file, in bytes (videos; images are also held to
    /// the board format's 10 MiB).
    #[arg(long, value_name = "N", default_value_t = crate::uploads::DEFAULT_MAX_BYTES,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub upload_max_bytes: u64,
    /// Uploads: the absolute http(s) URL they are reachable under (upload
    /// URLs become `URL/uploads/<sha256>`); without it they are the path
    /// `/uploads/<sha256>` on this server.
    #[arg(long, value_name = "URL")]
    pub public_base_url: Option<String>,
    /// The token the API needs (`Authorization: Bearer TOKEN` or
    /// `x-storyreel-token`); `/api/status`, the app, `/uploads/...`,
    /// `/healthz` and `/readyz` stay open. Prefer the variable
    /// `STORYREEL_ACCESS_TOKEN`: a flag shows in the process list.
    #[arg(long, value_name = "TOKEN")]
    pub access_token: Option<String>,
    /// A browser origin (`https://host[:port]`) that may call the API from
    /// another site (CORS); calls from origins not listed get 403. Repeatable;
    /// `STORYREEL_ALLOW_ORIGINS` (comma-separated) adds more.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allow_origins: Vec<String>,
    /// API requests a minute per client address (0: no limit).
    #[arg(long, value_name = "N", default_value_t = crate::guard::DEFAULT_RATE_LIMIT_PER_MINUTE)]
    pub rate_limit_per_minute: u32,
    /// Job creations waiting for the provider at once per client address
    /// (0: no cap).
    #[arg(long, value_name = "N", default_value_t = crate::guard::DEFAULT_MAX_JOBS_PER_CLIENT)]
    pub max_jobs_per_client: usize,
    /// Seconds a request may take to be answered (0: no limit); uploads and
    /// file downloads are exempt, and streaming an answer is not timed.
    #[arg(long, value_name = "SECS", default_value_t = crate::guard::DEFAULT_REQUEST_TIMEOUT_SECS)]
    pub request_timeout_secs: u64,
    /// Log lines on stderr: `text`, or `json` (one object a line). `RUST_LOG`
    /// filters them (default `info`).
    #[arg(long, value_enum, default_value_t = crate::logging::LogFormat::Text)]
    pub log_format: crate::logging::LogFormat,
}

/// A relay flag that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RelayFlagError {
    #[error("{flag}: {source}")]
    Host {
        flag: &'static str,
        source: crate::relay::target::BadHostEntry,
    },
    #[error("{flag}: {value:?} is not an http(s) URL")]
    Url { flag: &'static str, value: String },
}

/// A guard flag that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum GuardFlagError {
    #[error("--allow-origin: {0}")]
    Origin(#[from] crate::guard::origin::BadOrigin),
    #[error("--access-token (or {var}) must be printable ASCII without spaces", var = crate::guard::ENV_ACCESS_TOKEN)]
    Token,
}

/// Environment variables read for the relay flags.
pub const ENV_FAL_ALLOWED_HOSTS: &str = "FAL_ALLOWED_HOSTS";
pub const ENV_MEDIA_ALLOWED_HOSTS: &str = "MEDIA_ALLOWED_HOSTS";
pub const ENV_REPLICATE_BASE_URL: &str = "REPLICATE_BASE_URL";
pub const ENV_UPLOAD_STORE: &str = "STORYREEL_UPLOAD_STORE";

impl ServeArgs {
    /// Where and how uploads are kept (checked further by
    /// `Uploads::open`), with `env` giving `STORYREEL_UPLOAD_STORE` and the
    /// S3 settings the flags leave out.
    pub fn upload_config(
        &self,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<crate::uploads::UploadConfig, crate::uploads::UploadSetupError> {
        use crate::uploads::{s3::S3Config, StoreConfig};
        let location = self.upload_store.clone().or_else(|| {
            // The variable does not override an --upload-dir given.
            self.upload_dir
                .is_none()
                .then(|| env(ENV_UPLOAD_STORE))
                .flatten()
                .filter(|v| !v.trim().is_empty())
        });
        let store = match location {
            Some(v) => StoreConfig::parse(&v, |loc| {
                S3Config::from_parts(
                    loc,
                    self.s3_endpoint.clone(),
                    self.s3_region.clone(),
                    self.s3_allow_http,
                    &env,
                )
            })?,
            None => StoreConfig::Dir(
                self.upload_dir
                    .clone()
                    .unwrap_or_else(|| PathBuf::from(crate::uploads::DEFAULT_DIR)),
            ),
        };
        Ok(crate::uploads::UploadConfig {
            store,
            max_bytes: self.upload_max_bytes,
            public_base_url: self.public_base_url.clone(),
        })
    }

    /// The guards' set-up from the flags, with `env` adding to them (the
    /// flag wins over `STORYREEL_ACCESS_TOKEN`; an empty one is unset).
    pub fn guard_config(
        &self,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<crate::guard::GuardConfig, GuardFlagError> {
        use crate::guard::{origin, ENV_ACCESS_TOKEN, ENV_ALLOW_ORIGINS};
        let token = self
            .access_token
            .clone()
            .or_else(|| env(ENV_ACCESS_TOKEN))
            .filter(|t| !t.is_empty());
        if let Some(t) = &token {
            if !t.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(GuardFlagError::Token);
            }
        }
        let mut origins = Vec::new();
        let from_env = env(ENV_ALLOW_ORIGINS).unwrap_or_default();
        for o in self
            .allow_origins
            .iter()
            .map(String::as_str)
            .chain(from_env.split(','))
        {
            if o.trim().is_empty() {
                continue;
            }
            let o = origin::parse(o)?;
            if !origins.contains(&o) {
                origins.push(o);
            }
        }
        Ok(crate::guard::GuardConfig {
            access_token: token.map(crate::config::Secret::new),
            allowed_origins: origins,
            rate_limit_per_minute: self.rate_limit_per_minute,
            max_jobs_per_client: self.max_jobs_per_client,
            request_timeout: (self.request_timeout_secs > 0)
                .then(|| std::time::Duration::from_secs(self.request_timeout_secs)),
        })
    }

    pub fn sim_config(&self) -> SimConfig {
        SimConfig {
            submit_ms: self.sim_submit_ms,
            process_ms: self.sim_process_ms,
            max_concurrent: self.sim_max_concurrent,
            control: self.sim_control,
        }
    }

    /// The relays' set-up from the flags, with `env` adding to them.
    pub fn relay_config(
        &self,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<crate::relay::RelayConfig, RelayFlagError> {
        use crate::relay::target::AllowedHosts;
        let hosts = |flag: &'static str, given: &[String], var: &str| {
            let mut all = given.to_vec();
            all.extend(env(var).unwrap_or_default().split(',').map(str::to_string));
            AllowedHosts::parse(&all).map_err(|source| RelayFlagError::Host { flag, source })
        };
        let http_url = |flag: &'static str, value: String| {
            reqwest::Url::parse(&value)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
                .ok_or(RelayFlagError::Url { flag, value })
        };
        let upstream_override = match self.fal_upstream_override.clone() {
            Some(v) => Some(http_url("--fal-upstream-override", v)?),
            None => None,
        };
        let mut replicate = crate::relay::replicate::ReplicateConfig::default();
        if let Some(v) = self
            .replicate_base_url
            .clone()
            .or_else(|| env(ENV_REPLICATE_BASE_URL).filter(|v| !v.trim().is_empty()))
        {
            replicate.base_url = http_url("--replicate-base-url", v)?.to_string();
        }
        Ok(crate::relay::RelayConfig {
            fal: crate::relay::fal::FalConfig {
                allowed_hosts: hosts(
                    "--fal-allow-host",
                    &self.fal_allow_hosts,
                    ENV_FAL_ALLOWED_HOSTS,
                )?,
                allow_browser_key: self.fal_allow_browser_key,
                upstream_override,
            },
            replicate,
            media: crate::relay::media::MediaConfig {
                suffixes: self
                    .media_host_suffixes
                    .iter()
                    .map(|s| s.trim().trim_start_matches('.').to_ascii_lowercase())
                    .filter(|s| !s.is_empty())
                    .collect(),
                allowed_hosts: hosts(
                    "--media-allow-host",
                    &self.media_allow_hosts,
                    ENV_MEDIA_ALLOWED_HOSTS,
                )?,
            },
        })
    }
}

#[derive(Args, Clone)]
pub struct RequestArgs {
    /// kling, fal or replicate
    #[arg(long, default_value = "kling")]
    pub provider: String,
    /// Public URL where this server publishes uploads (`upload:<sha256>` becomes `<URL>/<sha256>`).
    #[arg(long)]
    pub upload_base_url: Option<String>,
    /// Kling API host.
    #[arg(long, default_value = storyreel_core::kling::DEFAULT_BASE_URL)]
    pub kling_base_url: String,
    /// Our own task id, sent as `external_task_id`.
    #[arg(long)]
    pub external_task_id: Option<String>,
    /// Kling: the request design to print, current or legacy.
    #[arg(long, value_name = "DESIGN", default_value = "current", value_parser = parse_kling_api)]
    pub kling_api: KlingApi,
    /// fal: the shortest shot in `multi_prompt` (fal's per-shot range is unconfirmed: 3-15 or 1-15).
    #[arg(long, default_value_t = FalOptions::default().min_shot_seconds)]
    pub fal_min_shot_seconds: u32,
    /// fal: leave out the top-level `duration` of a multi-shot request.
    #[arg(long)]
    pub fal_omit_total_duration: bool,
    /// fal and Replicate: allow start/end frames with several shots (unconfirmed upstream).
    #[arg(long)]
    pub allow_frames_with_multi_shot: bool,
    pub file: PathBuf,
}

impl RequestArgs {
    pub fn options(&self) -> RequestOptions {
        RequestOptions {
            kling_base_url: self.kling_base_url.clone(),
            kling_api: self.kling_api,
            uploads: UploadsMode::from_base(self.upload_base_url.clone()),
            external_task_id: self.external_task_id.clone(),
            fal: FalOptions {
                min_shot_seconds: self.fal_min_shot_seconds,
                send_total_duration: !self.fal_omit_total_duration,
                allow_frames_with_multi_shot: self.allow_frames_with_multi_shot,
            },
            replicate: ReplicateOptions {
                allow_frames_with_multi_shot: self.allow_frames_with_multi_shot,
            },
            ..RequestOptions::default()
        }
    }
}

#[cfg(test)]
mod relay_flag_tests {
    use super::*;

    fn serve(args: &[&str]) -> ServeArgs {
        let mut all = vec!["storyreel-server", "serve"];
        all.extend_from_slice(args);
        match Cli::try_parse_from(all).expect("parses").command {
            Command::Serve(s) => *s,
            _ => panic!("not serve"),
        }
    }

    fn parse(args: &[&str]) -> Command {
        let mut all = vec!["storyreel-server"];
        all.extend_from_slice(args);
        Cli::try_parse_from(all).expect("parses").command
    }

    #[test]
    fn kling_api_flags_reach_the_options() {
        assert_eq!(serve(&[]).kling_api, None);
        assert_eq!(
            serve(&["--kling-api", "legacy"]).kling_api,
            Some(KlingApi::Legacy)
        );
        assert!(Cli::try_parse_from(["storyreel-server", "serve", "--kling-api", "v2"]).is_err());
        let Command::Request(r) = parse(&["request", "--external-task-id", "job-1", "b.json"])
        else {
            panic!("not request")
        };
        let opts = r.options();
        assert_eq!(opts.kling_api, KlingApi::Current);
        assert_eq!(opts.external_task_id.as_deref(), Some("job-1"));
        let Command::Request(r) = parse(&["request", "--kling-api", "legacy", "b.json"]) else {
            panic!("not request")
        };
        assert_eq!(r.options().kling_api, KlingApi::Legacy);
        let Command::Check(c) = parse(&["check", "b.json"]) else {
            panic!("not check")
        };
        assert_eq!(c.options().kling_api, KlingApi::Current);
        let Command::Check(c) = parse(&["check", "--kling-api", "legacy", "b.json"]) else {
            panic!("not check")
        };
        assert_eq!(c.options().kling_api, KlingApi::Legacy);
        assert_eq!(c.file, PathBuf::from("b.json"));
    }

    #[test]
    fn inlining_uploads_as_data_uris_is_on_unless_switched_off() {
        assert!(serve(&[]).inline_uploads_as_data_uri);
        assert!(!serve(&["--inline-uploads-as-data-uri", "false"]).inline_uploads_as_data_uri);
        assert!(serve(&["--inline-uploads-as-data-uri", "true"]).inline_uploads_as_data_uri);
    }

    #[test]
    fn relay_flags_and_variables_combine() {
        let args = serve(&[
            "--fal-allow-host",
            "127.0.0.1:4545",
            "--media-allow-host",
            "127.0.0.1:4546",
            "--fal-allow-browser-key",
        ]);
        let env = |name: &str| match name {
            ENV_FAL_ALLOWED_HOSTS => Some("gw.internal, [::1]:9".to_string()),
            ENV_REPLICATE_BASE_URL => Some("http://127.0.0.1:4547".to_string()),
            _ => None,
        };
        let cfg = args.relay_config(env).expect("valid");
        let fal_ok =
            |u: &str| reqwest::Url::parse(u).is_ok_and(|u| cfg.fal.allowed_hosts.admits(&u));
        assert!(fal_ok("http://127.0.0.1:4545/x"));
        assert!(fal_ok("http://gw.internal/x"));
        assert!(fal_ok("http://[::1]:9/x"));
        assert!(!fal_ok("http://127.0.0.1:4546/x"));
        assert!(cfg.fal.allow_browser_key);
        assert_eq!(cfg.replicate.base_url, "http://127.0.0.1:4547/");
        assert_eq!(cfg.media.suffixes.len(), 4);
        let media_ok = reqwest::Url::parse("http://127.0.0.1:4546/a")
            .is_ok_and(|u| cfg.media.allowed_hosts.admits(&u));
        assert!(media_ok);
    }

    #[test]
    fn guard_flags_and_variables_combine() {
        let args = serve(&[
            "--allow-origin",
            "https://App.example",
            "--rate-limit-per-minute",
            "0",
        ]);
        let env = |name: &str| match name {
            crate::guard::ENV_ACCESS_TOKEN => Some("tok-from-env".to_string()),
            crate::guard::ENV_ALLOW_ORIGINS => {
                Some("http://127.0.0.1:9, ,https://app.example".to_string())
            }
            _ => None,
        };
        let g = args.guard_config(env).expect("valid");
        assert_eq!(
            g.allowed_origins,
            vec![
                "https://app.example".to_string(),
                "http://127.0.0.1:9".to_string()
            ]
        );
        assert_eq!(
            g.access_token.as_ref().map(|t| t.expose()),
            Some("tok-from-env")
        );
        assert_eq!(g.rate_limit_per_minute, 0);
        assert_eq!(
            g.max_jobs_per_client,
            crate::guard::DEFAULT_MAX_JOBS_PER_CLIENT
        );
        let flag = serve(&["--access-token", "tok-flag", "--request-timeout-secs", "0"])
            .guard_config(env)
            .expect("valid");
        assert_eq!(
            flag.access_token.as_ref().map(|t| t.expose()),
            Some("tok-flag")
        );
        assert_eq!(flag.request_timeout, None);
        assert!(serve(&["--allow-origin", "https://a.example/app"])
            .guard_config(|_| None)
            .is_err());
        assert!(serve(&["--access-token", "has space"])
            .guard_config(|_| None)
            .is_err());
        let none = serve(&[]).guard_config(|_| None).expect("valid");
        assert!(none.access_token.is_none() && none.allowed_origins.is_empty());
    }

    #[test]
    fn upload_store_flags_and_variables() {
        use crate::uploads::StoreConfig;
        let env = |name: &str| match name {
            ENV_UPLOAD_STORE => Some("s3://env-bucket/p".to_string()),
            "STORYREEL_S3_ENDPOINT" => Some("http://127.0.0.1:9".to_string()),
            _ => None,
        };
        let c = serve(&[]).upload_config(|_| None).expect("valid");
        assert_eq!(
            c.store,
            StoreConfig::Dir(PathBuf::from("storyreel-uploads"))
        );
        let c = serve(&[]).upload_config(env).expect("valid");
        assert!(
            matches!(&c.store, StoreConfig::S3(s) if s.bucket == "env-bucket"
                && s.prefix.as_deref() == Some("p")
                && s.endpoint.as_deref() == Some("http://127.0.0.1:9")),
            "{:?}",
            c.store
        );
        let c = serve(&["--upload-dir", "here"])
            .upload_config(env)
            .expect("valid");
        assert_eq!(c.store, StoreConfig::Dir(PathBuf::from("here")));
        let c = serve(&["--upload-store", "file:///srv/up"])
            .upload_config(env)
            .expect("valid");
        assert_eq!(c.store, StoreConfig::Dir(PathBuf::from("/srv/up")));
        let c = serve(&[
            "--upload-store",
            "s3://flag-bucket",
            "--s3-endpoint",
            "https://minio.example",
            "--s3-region",
            "auto",
        ])
        .upload_config(env)
        .expect("valid");
        assert!(
            matches!(&c.store, StoreConfig::S3(s) if s.bucket == "flag-bucket"
                && s.endpoint.as_deref() == Some("https://minio.example")
                && s.region == "auto"),
            "{:?}",
            c.store
        );
        assert!(serve(&["--upload-store", "gs://x"])
            .upload_config(|_| None)
            .is_err());
        let both = [
            "storyreel-server",
            "serve",
            "--upload-dir",
            "d",
            "--upload-store",
            "s3://bkt",
        ];
        assert!(Cli::try_parse_from(both).is_err());
    }

    #[test]
    fn bad_relay_flags_are_errors() {
        assert!(serve(&["--fal-allow-host", "http://x/"])
            .relay_config(|_| None)
            .is_err());
        assert!(serve(&["--fal-upstream-override", "not a url"])
            .relay_config(|_| None)
            .is_err());
        assert!(serve(&[])
            .relay_config(|n| (n == ENV_REPLICATE_BASE_URL).then(|| "ftp://x".into()))
            .is_err());
        let cfg = serve(&["--media-host-suffix", ".Example.org"])
            .relay_config(|_| None)
            .expect("valid");
        assert_eq!(cfg.media.suffixes, vec!["example.org".to_string()]);
    }
}
