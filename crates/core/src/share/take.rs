//! The take video a link may carry: a URL the shared view plays.
//!
//! Whoever opens a link gets the URL as it was written, so it is held to
//! what a `<video src>` may safely be given: `http://` or `https://` (in
//! any case) with a host, at most [`MAX_TAKE_URL_CHARS`] characters, no
//! whitespace or control characters, and no user name or password before
//! the host (`https://cdn.example@evil.example/` reads as one host and
//! goes to another). Nothing else is checked: the shared view does not
//! fetch it, the browser does.

use super::ShareError;

/// The longest take video URL a link carries, in characters.
pub const MAX_TAKE_URL_CHARS: usize = 2048;

/// Whether `url` may travel in a link as the take video; if not, the
/// [`ShareError::BadTakeUrl`] that says why.
pub fn check_take_url(url: &str) -> Result<(), ShareError> {
    problem(url).map_or(Ok(()), |problem| Err(ShareError::BadTakeUrl { problem }))
}

/// What is wrong with `url`, in words that follow "the take video URL".
fn problem(url: &str) -> Option<String> {
    if url.is_empty() {
        return Some("is empty".into());
    }
    // Measured in bytes first, so a huge URL is not counted in full.
    if url.len() > MAX_TAKE_URL_CHARS {
        let len = url.chars().count();
        if len > MAX_TAKE_URL_CHARS {
            return Some(format!("is {len} characters long"));
        }
    }
    if let Some((i, c)) = url
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_whitespace() || c.is_control())
    {
        return Some(format!("has {c:?} at character {}", i + 1));
    }
    let Some(rest) = strip_http(url) else {
        return Some(match scheme(url) {
            Some(s) if !s.eq_ignore_ascii_case("http") && !s.eq_ignore_ascii_case("https") => {
                format!("is a '{s}:' URL")
            }
            _ => "does not start with http:// or https://".into(),
        });
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Some("has a user name before its host ('@')".into());
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    if host.is_empty() {
        return Some("has no host".into());
    }
    None
}

/// `url` after `http://` or `https://` (the scheme in any case).
fn strip_http(url: &str) -> Option<&str> {
    ["https://", "http://"].into_iter().find_map(|prefix| {
        let head = url.get(..prefix.len())?;
        head.eq_ignore_ascii_case(prefix)
            .then(|| &url[prefix.len()..])
    })
}

/// The scheme `url` names (RFC 3986: a letter, then letters, digits, `+`,
/// `-`, `.`), if it names a short one.
fn scheme(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let ok = scheme.len() <= 32
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn says(url: &str) -> Option<String> {
        problem(url)
    }

    #[test]
    fn good_urls_pass() {
        for url in [
            "https://cdn.example.com/take.mp4",
            "http://example.com",
            "HTTPS://CDN.EXAMPLE.COM/a.mp4?sig=x@y&t=1#t=2",
            "https://[2001:db8::1]:8443/v.mp4",
            "https://example.com:443/a/b@c.mp4",
        ] {
            assert_eq!(says(url), None, "{url}");
        }
        let long = format!("https://e.example/{}", "x".repeat(MAX_TAKE_URL_CHARS - 18));
        assert_eq!(long.len(), MAX_TAKE_URL_CHARS);
        assert_eq!(says(&long), None);
    }

    #[test]
    fn bad_urls_are_named() {
        for (url, problem) in [
            ("", "is empty"),
            ("javascript:alert(1)", "is a 'javascript:' URL"),
            ("data:video/mp4;base64,AAAA", "is a 'data:' URL"),
            ("blob:https://e.example/1", "is a 'blob:' URL"),
            ("ftp://e.example/a.mp4", "is a 'ftp:' URL"),
            (
                "//e.example/a.mp4",
                "does not start with http:// or https://",
            ),
            (
                "https:/e.example",
                "does not start with http:// or https://",
            ),
            ("https://", "has no host"),
            ("https:///a.mp4", "has no host"),
            ("https://:80/a.mp4", "has no host"),
            ("https://[]/a.mp4", "has no host"),
            (
                "https://me@e.example/a.mp4",
                "has a user name before its host ('@')",
            ),
            (
                "https://me:pw@e.example/",
                "has a user name before its host ('@')",
            ),
            ("https://e.example/a b.mp4", "has ' ' at character 20"),
            ("https://e.example/\u{7}", "has '\\u{7}' at character 19"),
            ("https://e.example/\n", "has '\\n' at character 19"),
        ] {
            assert_eq!(says(url).as_deref(), Some(problem), "{url}");
        }
        let long = format!("https://e.example/{}", "é".repeat(MAX_TAKE_URL_CHARS));
        assert_eq!(
            says(&long).as_deref(),
            Some(format!("is {} characters long", MAX_TAKE_URL_CHARS + 18).as_str())
        );
    }
}
