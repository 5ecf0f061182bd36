//! The answer to `POST /api/uploads` (201 new, 200 known).

use serde::{Deserialize, Serialize};

/// `{"ref": "upload:<sha256>", "sha256", "bytes", "content_type", "url"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uploaded {
    /// `upload:<sha256>`: what a board's `src` becomes.
    #[serde(rename = "ref")]
    pub reference: String,
    /// 64 lowercase hex digits.
    pub sha256: String,
    pub bytes: u64,
    /// The sniffed type (`image/png`, `video/mp4`, ...).
    pub content_type: String,
    /// Where the server serves it: `<public base>/uploads/<sha256>`, or
    /// `/uploads/<sha256>` on the server itself.
    pub url: String,
}

impl Uploaded {
    /// Reads an answer; `None` when it is not one, or its `ref` is not a
    /// valid `upload:<sha256>`.
    pub fn parse(body: &str) -> Option<Uploaded> {
        serde_json::from_str::<Uploaded>(body).ok().filter(|u| {
            u.reference.starts_with("upload:")
                && crate::reference::src_problem(&u.reference).is_none()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn an_answer_names_a_valid_upload() {
        let body = format!(
            r#"{{"ref":"upload:{SHA}","sha256":"{SHA}","bytes":5,"content_type":"image/png","url":"/uploads/{SHA}"}}"#
        );
        let u = Uploaded::parse(&body).expect("an upload");
        assert_eq!(u.reference, format!("upload:{SHA}"));
        assert_eq!(u.bytes, 5);
        assert_eq!(serde_json::to_string(&u).expect("json"), body);
        let bad = body.replace(&format!("upload:{SHA}"), "upload:xyz");
        assert_eq!(Uploaded::parse(&bad), None);
        let https = body.replace(&format!("upload:{SHA}"), "https://x.test/a.png");
        assert_eq!(Uploaded::parse(&https), None);
        assert_eq!(Uploaded::parse(r#"{"error":"x","relay":true}"#), None);
    }
}
