//! Checking a URL the browser asks a relay to fetch (fal's proxy target,
//! a finished clip). A URL passes when it is https on the default port, has
//! no user-info, names a host by name (no IP literal) and that name passes
//! the relay's own rule; or when its host and port are on the relay's extra
//! allow-list (for tests and self-hosted gateways), which also admits http
//! and IP literals.

use std::net::IpAddr;

use reqwest::Url;
use thiserror::Error;

/// The longest target URL accepted.
const MAX_URL_LEN: usize = 8 * 1024;

/// Why a target URL was refused. The texts name the part at fault, never
/// the whole URL (it could carry a signed query).
#[derive(Debug, Error, PartialEq, Eq)]
pub enum Refusal {
    #[error("the target is not a valid absolute URL")]
    Unparsable,
    #[error("the target URL must not carry a user name or password")]
    UserInfo,
    #[error("the target must use https, not {0}")]
    NotHttps(String),
    #[error("the target must name a host, not an IP address")]
    IpLiteral,
    #[error("the host {0} is not one this relay forwards to")]
    Host(String),
    #[error("the target must use the default https port, not {0}")]
    Port(u16),
}

/// A bad entry in an allow-list flag or variable.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("{0:?} is not HOST or HOST:PORT")]
pub struct BadHostEntry(pub String);

/// Extra `HOST[:PORT]` entries a relay accepts beyond its own rule. An
/// entry without a port means the scheme's default port.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedHosts(Vec<(String, Option<u16>)>);

impl AllowedHosts {
    /// Parses entries such as `127.0.0.1:4545`, `[::1]:80` or
    /// `gateway.internal`; blank entries are skipped.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<AllowedHosts, BadHostEntry> {
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.as_ref().trim();
            if entry.is_empty() {
                continue;
            }
            let bad = || BadHostEntry(entry.to_string());
            if entry.contains(['/', '@', '?', '#']) {
                return Err(bad());
            }
            let url = Url::parse(&format!("http://{entry}")).map_err(|_| bad())?;
            let host = url.host_str().ok_or_else(bad)?;
            out.push((host.to_string(), url.port()));
        }
        Ok(AllowedHosts(out))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when `url`'s host and port are listed.
    pub fn admits(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        self.0.iter().any(|(h, p)| h == host && *p == url.port())
    }
}

/// True when `host` (as `Url` prints it) is an IPv4 or IPv6 literal.
fn is_ip_literal(host: &str) -> bool {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .is_ok()
}

/// Parses and checks `raw`; `host_ok` is the relay's rule for host names.
pub fn check(
    raw: &str,
    host_ok: impl Fn(&str) -> bool,
    extra: &AllowedHosts,
) -> Result<Url, Refusal> {
    if raw.len() > MAX_URL_LEN {
        return Err(Refusal::Unparsable);
    }
    let url = Url::parse(raw.trim()).map_err(|_| Refusal::Unparsable)?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refusal::UserInfo);
    }
    let host = url.host_str().ok_or(Refusal::Unparsable)?;
    if extra.admits(&url) {
        return match url.scheme() {
            "http" | "https" => Ok(url),
            other => Err(Refusal::NotHttps(other.to_string())),
        };
    }
    if url.scheme() != "https" {
        return Err(Refusal::NotHttps(url.scheme().to_string()));
    }
    if is_ip_literal(host) {
        return Err(Refusal::IpLiteral);
    }
    if let Some(port) = url.port() {
        return Err(Refusal::Port(port));
    }
    if !host_ok(host) {
        return Err(Refusal::Host(host.to_string()));
    }
    Ok(url)
}

/// True when `host` is `domain` or one of its subdomains.
pub fn is_within(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// The path and query of `url` (`/a/b?c`), for re-targeting it.
pub fn path_and_query(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fal(host: &str) -> bool {
        is_within(host, "fal.run") || is_within(host, "fal.ai")
    }

    #[test]
    fn fal_hosts_pass_and_look_alikes_do_not() {
        let none = AllowedHosts::default();
        for ok in [
            "https://fal.run/fal-ai/x",
            "https://queue.fal.run/fal-ai/x?y=1",
            "https://rest.fal.ai/storage/upload/initiate",
            "https://QUEUE.FAL.RUN:443/a",
        ] {
            assert!(check(ok, fal, &none).is_ok(), "{ok}");
        }
        let refused = [
            ("https://evil.com/", Refusal::Host("evil.com".into())),
            (
                "https://fal.run.evil.com/",
                Refusal::Host("fal.run.evil.com".into()),
            ),
            ("https://evilfal.run/", Refusal::Host("evilfal.run".into())),
            ("https://fal.run./", Refusal::Host("fal.run.".into())),
            ("https://fal.run@evil.com/", Refusal::UserInfo),
            ("https://a:b@fal.run/", Refusal::UserInfo),
            ("http://fal.run/", Refusal::NotHttps("http".into())),
            ("https://fal.run:8443/", Refusal::Port(8443)),
            ("https://169.254.169.254/", Refusal::IpLiteral),
            ("https://[::1]/", Refusal::IpLiteral),
            ("https://0x7f.1/", Refusal::IpLiteral),
            ("fal.run/x", Refusal::Unparsable),
            ("file:///etc/passwd", Refusal::Unparsable),
        ];
        for (url, why) in refused {
            assert_eq!(check(url, fal, &none).unwrap_err(), why, "{url}");
        }
    }

    #[test]
    fn the_allow_list_admits_exact_host_and_port() {
        let extra = AllowedHosts::parse(&["127.0.0.1:4545", " ", "[::1]:9", "gw.internal"])
            .expect("parses");
        assert!(check("http://127.0.0.1:4545/a", fal, &extra).is_ok());
        assert!(check("http://[::1]:9/a", fal, &extra).is_ok());
        assert!(check("http://gw.internal/a", fal, &extra).is_ok());
        assert!(check("https://gw.internal/a", fal, &extra).is_ok());
        assert_eq!(
            check("http://127.0.0.1:4546/a", fal, &extra).unwrap_err(),
            Refusal::NotHttps("http".into())
        );
        assert_eq!(
            check("https://127.0.0.1:4546/a", fal, &extra).unwrap_err(),
            Refusal::IpLiteral
        );
        assert_eq!(
            check("http://x@127.0.0.1:4545/", fal, &extra).unwrap_err(),
            Refusal::UserInfo
        );
        assert_eq!(
            check("ftp://127.0.0.1:4545/", fal, &extra).unwrap_err(),
            Refusal::NotHttps("ftp".into())
        );
    }

    #[test]
    fn bad_allow_list_entries_are_named() {
        for bad in ["http://x", "x/y", "a@b", "[::1", "x:99999"] {
            assert!(AllowedHosts::parse(&[bad]).is_err(), "{bad}");
        }
    }
}
