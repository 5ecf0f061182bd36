//! Uploads in S3 or an S3-compatible server (MinIO, R2, moto...):
//! `--upload-store s3://BUCKET[/PREFIX]`, with the endpoint, region and
//! credentials from flags and the usual AWS variables.
//!
//! The credentials are [`Secret`]s and are registered with
//! [`crate::config::redact`] when the store is built: an S3 error can quote
//! the access key id (AWS's own 403 answers do), and store errors go to the
//! log.

use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::prefix::PrefixStore;
use object_store::ObjectStore;

use crate::config::Secret;

use super::UploadSetupError;

/// Variables read for S3.
pub const ENV_S3_ENDPOINT: &str = "STORYREEL_S3_ENDPOINT";
pub const ENV_ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
pub const ENV_SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
pub const ENV_SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";
pub const ENV_REGION: &str = "AWS_REGION";
pub const ENV_DEFAULT_REGION: &str = "AWS_DEFAULT_REGION";
/// When no region is given.
pub const DEFAULT_REGION: &str = "us-east-1";

/// Where in S3 the uploads are kept, and how to get there.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Config {
    pub bucket: String,
    /// Objects are kept under `PREFIX/` (no leading or trailing `/`).
    pub prefix: Option<String>,
    /// An S3-compatible server's URL; `None` is AWS itself.
    pub endpoint: Option<String>,
    pub region: String,
    /// Without a key pair, the AWS default chain (instance or task role).
    pub access_key_id: Option<Secret>,
    pub secret_access_key: Option<Secret>,
    pub session_token: Option<Secret>,
    /// Plain http to a host that is not on loopback (loopback always may).
    pub allow_http: bool,
}

impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &self.secret_access_key)
            .field("session_token", &self.session_token)
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

fn bad(value: &str, why: impl Into<String>) -> UploadSetupError {
    UploadSetupError::Store {
        value: value.to_string(),
        why: why.into(),
    }
}

/// `s3://BUCKET[/PREFIX]` as (bucket, prefix).
pub fn parse_location(value: &str) -> Result<(String, Option<String>), UploadSetupError> {
    let rest = value
        .strip_prefix("s3://")
        .ok_or_else(|| bad(value, "is not an s3:// URL"))?;
    if rest.contains(['?', '#', '@']) {
        return Err(bad(
            value,
            "must be s3://BUCKET[/PREFIX], without a query, fragment or user",
        ));
    }
    let (bucket, prefix) = match rest.split_once('/') {
        Some((b, p)) => (b, p.trim_matches('/')),
        None => (rest, ""),
    };
    let bucket_ok = (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    if !bucket_ok {
        return Err(bad(
            value,
            "names no valid bucket (3 to 63 lowercase letters, digits, '-' or '.')",
        ));
    }
    if prefix.split('/').any(|s| s == "." || s == "..")
        || prefix.contains("//")
        || prefix.contains('\\')
    {
        return Err(bad(value, "has a prefix with an empty, '.' or '..' part"));
    }
    Ok((
        bucket.to_string(),
        (!prefix.is_empty()).then(|| prefix.to_string()),
    ))
}

impl S3Config {
    /// The configuration for `location` (`s3://...`), with `endpoint` and
    /// `region` from the flags if given, else from `env`.
    pub fn from_parts(
        location: &str,
        endpoint: Option<String>,
        region: Option<String>,
        allow_http: bool,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<S3Config, UploadSetupError> {
        let (bucket, prefix) = parse_location(location)?;
        let var = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let endpoint = endpoint
            .filter(|v| !v.trim().is_empty())
            .or_else(|| var(ENV_S3_ENDPOINT));
        let region = region
            .filter(|v| !v.trim().is_empty())
            .or_else(|| var(ENV_REGION))
            .or_else(|| var(ENV_DEFAULT_REGION))
            .unwrap_or_else(|| DEFAULT_REGION.to_string());
        let config = S3Config {
            bucket,
            prefix,
            endpoint,
            region,
            access_key_id: var(ENV_ACCESS_KEY_ID).map(Secret::new),
            secret_access_key: var(ENV_SECRET_ACCESS_KEY).map(Secret::new),
            session_token: var(ENV_SESSION_TOKEN).map(Secret::new),
            allow_http,
        };
        config.check()?;
        Ok(config)
    }

    /// The endpoint is an http(s) URL with a host and nothing secret in
    /// it; plain http only to loopback unless allowed; both keys or none.
    fn check(&self) -> Result<(), UploadSetupError> {
        let flag = |why: &str| UploadSetupError::S3 {
            why: why.to_string(),
        };
        if let Some(e) = &self.endpoint {
            let url = reqwest::Url::parse(e.trim())
                .map_err(|_| flag("the endpoint (--s3-endpoint) is not an absolute URL"))?;
            if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                return Err(flag(
                    "the endpoint (--s3-endpoint) must be an http or https URL with a host",
                ));
            }
            if !url.username().is_empty() || url.password().is_some() {
                return Err(flag(
                    "the endpoint (--s3-endpoint) must not hold a user name or password; use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
                ));
            }
            let host = url.host_str().unwrap_or("").trim_matches(['[', ']']);
            let loopback = host.eq_ignore_ascii_case("localhost")
                || host
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            if url.scheme() == "http" && !loopback && !self.allow_http {
                return Err(flag(
                    "the endpoint (--s3-endpoint) is plain http to another machine; use https, or --s3-allow-http on a private network",
                ));
            }
        }
        match (&self.access_key_id, &self.secret_access_key) {
            (Some(_), None) => Err(flag(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            )),
            (None, Some(_)) => Err(flag(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
            )),
            _ => Ok(()),
        }
    }

    /// What `/api/status` and the start-up line may say: the bucket and
    /// prefix, never the endpoint's details or keys.
    pub fn describe(&self) -> String {
        match &self.prefix {
            Some(p) => format!("s3://{}/{p}", self.bucket),
            None => format!("s3://{}", self.bucket),
        }
    }

    /// The store. Nothing is sent to S3 yet.
    pub fn build(&self) -> Result<Arc<dyn ObjectStore>, UploadSetupError> {
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(&self.bucket)
            .with_region(&self.region);
        if let Some(e) = &self.endpoint {
            // Path-style (`ENDPOINT/BUCKET/KEY`): what S3-compatible
            // servers take without DNS set up for each bucket.
            b = b
                .with_endpoint(e.trim())
                .with_virtual_hosted_style_request(false)
                .with_allow_http(true);
        }
        for s in [
            &self.access_key_id,
            &self.secret_access_key,
            &self.session_token,
        ]
        .into_iter()
        .flatten()
        {
            crate::config::redact::register(s);
        }
        if let (Some(k), Some(s)) = (&self.access_key_id, &self.secret_access_key) {
            b = b
                .with_access_key_id(k.expose())
                .with_secret_access_key(s.expose());
            if let Some(t) = &self.session_token {
                b = b.with_token(t.expose());
            }
        }
        tls_provider();
        let s3 = b.build().map_err(|e| UploadSetupError::S3 {
            why: crate::config::redact::scrub(&e.to_string()),
        })?;
        Ok(match &self.prefix {
            Some(p) => Arc::new(PrefixStore::new(s3, p.as_str())),
            None => Arc::new(s3),
        })
    }
}

/// Installs ring as rustls's process-wide provider, which object_store's
/// S3 client needs before it is built: its reqwest comes without one (see
/// the server's Cargo.toml). Called again, it changes nothing.
pub fn tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::env_of;

    #[test]
    fn locations() {
        assert_eq!(
            parse_location("s3://my-bucket").unwrap(),
            ("my-bucket".to_string(), None)
        );
        assert_eq!(
            parse_location("s3://my.bucket/a/b/").unwrap(),
            ("my.bucket".to_string(), Some("a/b".to_string()))
        );
        for bad in [
            "s3://",
            "s3://ab",
            "s3://Bucket",
            "s3://b_x",
            "http://bucket",
            "s3://bucket/../x",
            "s3://bucket/a//b",
            "s3://key:secret@bucket",
            "s3://bucket?x=1",
        ] {
            assert!(parse_location(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn flags_win_over_variables_and_keys_come_in_pairs() {
        let env = env_of(&[
            (ENV_S3_ENDPOINT, "http://127.0.0.1:9000"),
            (ENV_DEFAULT_REGION, "eu-west-1"),
            (ENV_ACCESS_KEY_ID, "AKIDEXAMPLE"),
            (ENV_SECRET_ACCESS_KEY, "s3-secret-value"),
        ]);
        let c = S3Config::from_parts("s3://bucket/p", None, None, false, &env).unwrap();
        assert_eq!(c.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(c.region, "eu-west-1");
        assert_eq!(c.describe(), "s3://bucket/p");
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("AKIDEXAMPLE") && !shown.contains("s3-secret-value"),
            "{shown}"
        );
        let c = S3Config::from_parts(
            "s3://bucket",
            Some("https://minio.internal".into()),
            Some("auto".into()),
            false,
            &env,
        )
        .unwrap();
        assert_eq!(c.endpoint.as_deref(), Some("https://minio.internal"));
        assert_eq!(c.region, "auto");
        let half = env_of(&[(ENV_ACCESS_KEY_ID, "AKIDEXAMPLE")]);
        let e = S3Config::from_parts("s3://bucket", None, None, false, half).unwrap_err();
        assert!(e.to_string().contains("AWS_SECRET_ACCESS_KEY"), "{e}");
        let none = S3Config::from_parts("s3://bucket", None, None, false, |_| None).unwrap();
        assert_eq!(none.region, DEFAULT_REGION);
        assert!(none.endpoint.is_none() && none.access_key_id.is_none());
    }

    #[test]
    fn plain_http_only_to_loopback_unless_allowed() {
        let at = |e: &str, allow: bool| {
            S3Config::from_parts("s3://bucket", Some(e.into()), None, allow, |_| None)
        };
        assert!(at("http://127.0.0.1:9000", false).is_ok());
        assert!(at("http://[::1]:9000", false).is_ok());
        assert!(at("http://localhost:9000", false).is_ok());
        assert!(at("https://s3.example.com", false).is_ok());
        assert!(at("http://minio.internal:9000", false).is_err());
        assert!(at("http://minio.internal:9000", true).is_ok());
        assert!(at("ftp://x", true).is_err());
        assert!(at("minio:9000", true).is_err());
        let e = at("http://user:pw@127.0.0.1:9000", false).unwrap_err();
        assert!(!e.to_string().contains("pw"), "{e}");
    }
}
