//! `@name` mentions in prompts: finding them, rewriting them per provider,
//! and completing a half-typed one.
//!
//! A mention is an `@` at the start of the text or after a character that
//! cannot be part of a word (so `mia@example.com` is text), followed by name
//! characters. An `@` followed by no name character is text.

use crate::reference::is_name_char;

/// One `@name` in a text. `start..end` spans the `@` and the name, in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention<'a> {
    pub name: &'a str,
    pub start: usize,
    pub end: usize,
    /// Whether the name is in the cast.
    pub known: bool,
}

fn may_precede_mention(c: char) -> bool {
    !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.' || c == '@')
}

/// Every mention in `text`. `known` says whether a name is in the cast; a
/// run such as `@mia-` that is unknown but whose trimmed form `@mia` is known
/// counts as `@mia` followed by text.
pub fn find<'a>(text: &'a str, known: &dyn Fn(&str) -> bool) -> Vec<Mention<'a>> {
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c == '@' && prev.is_none_or(may_precede_mention) {
            let name_start = i + 1;
            let run_len = text[name_start..]
                .find(|ch: char| !is_name_char(ch))
                .unwrap_or(text.len() - name_start);
            if run_len > 0 {
                let run = &text[name_start..name_start + run_len];
                let trimmed = run.trim_end_matches(['-', '_']);
                // An unknown run loses its trailing `-`/`_` (text such as
                // "@mia-"), whether or not the trimmed name is known.
                let name = if known(run) || trimmed.is_empty() {
                    run
                } else {
                    trimmed
                };
                let end = name_start + name.len();
                out.push(Mention {
                    name,
                    start: i,
                    end,
                    known: known(name),
                });
                while iter.peek().is_some_and(|(j, _)| *j < end) {
                    iter.next();
                }
                prev = text[..end].chars().next_back();
                continue;
            }
        }
        prev = Some(c);
    }
    out
}

/// `text` with each known mention replaced by `spell(name)`; unknown
/// mentions and names `spell` declines are left as written.
pub fn rewrite(
    text: &str,
    known: &dyn Fn(&str) -> bool,
    spell: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut last = 0;
    for m in find(text, known) {
        if !m.known {
            continue;
        }
        if let Some(tag) = spell(m.name) {
            out.push_str(&text[last..m.start]);
            out.push_str(&tag);
            last = m.end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// A mention being typed: the `@` at byte `start`, and the name characters
/// typed so far up to the caret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partial<'a> {
    pub start: usize,
    pub prefix: &'a str,
}

/// The mention being typed at byte offset `caret`, if any.
pub fn partial_at(text: &str, caret: usize) -> Option<Partial<'_>> {
    let caret = caret.min(text.len());
    if !text.is_char_boundary(caret) {
        return None;
    }
    let before = &text[..caret];
    let prefix_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_name_char(*c))
        .last()
        .map_or(caret, |(i, _)| i);
    let at = prefix_start.checked_sub(1)?;
    if text.as_bytes()[at] != b'@' {
        return None;
    }
    if text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| !may_precede_mention(c))
    {
        return None;
    }
    Some(Partial {
        start: at,
        prefix: &text[prefix_start..caret],
    })
}

/// Names from `names` that complete `prefix`, those starting with it first.
pub fn completions<'n>(prefix: &str, names: impl IntoIterator<Item = &'n str>) -> Vec<&'n str> {
    let (mut starts, mut contains): (Vec<&str>, Vec<&str>) = names
        .into_iter()
        .filter(|n| n.contains(prefix))
        .partition(|n| n.starts_with(prefix));
    starts.sort_unstable();
    contains.sort_unstable();
    starts.extend(contains);
    starts
}

/// Replaces the partial mention ending at `caret` by `@name ` and returns
/// the new text and the caret after it (bytes).
pub fn complete(text: &str, partial: &Partial<'_>, caret: usize, name: &str) -> (String, usize) {
    let caret = caret.min(text.len());
    let rest = &text[caret..];
    // Swallow the rest of a name the caret sits inside.
    let rest_skip = rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len());
    let rest = &rest[rest_skip..];
    let space = if rest.starts_with(' ') { "" } else { " " };
    let mut out = String::with_capacity(text.len() + name.len() + 2);
    out.push_str(&text[..partial.start]);
    out.push('@');
    out.push_str(name);
    out.push_str(space);
    let new_caret = out.len() + usize::from(space.is_empty());
    out.push_str(rest);
    let new_caret = new_caret.min(out.len());
    (out, new_caret)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cast(name: &str) -> bool {
        ["mia", "stall", "stall-keeper", "b_2"].contains(&name)
    }

    fn names(text: &str) -> Vec<(&str, bool)> {
        find(text, &cast)
            .into_iter()
            .map(|m| (m.name, m.known))
            .collect()
    }

    #[test]
    fn finds_known_and_unknown_mentions() {
        assert_eq!(
            names("@mia walks to @stall, greets @bob."),
            vec![("mia", true), ("stall", true), ("bob", false)]
        );
    }

    #[test]
    fn email_and_lone_at_are_text() {
        assert!(names("write to mia@example.com or @ me").is_empty());
        assert!(names("@@mia").is_empty());
        assert!(names("price @ 5").is_empty());
    }

    #[test]
    fn longest_known_name_wins_and_trailing_dash_is_trimmed() {
        assert_eq!(names("@stall-keeper waves"), vec![("stall-keeper", true)]);
        assert_eq!(names("@mia- no"), vec![("mia", true)]);
        assert_eq!(names("(@b_2)"), vec![("b_2", true)]);
    }

    #[test]
    fn mention_spans_cover_at_and_name() {
        let m = &find("hi @mia!", &cast)[0];
        assert_eq!((m.start, m.end), (3, 7));
    }

    #[test]
    fn uppercase_is_not_a_name() {
        assert!(names("@Mia").is_empty());
    }

    #[test]
    fn rewrite_spells_known_mentions_only() {
        let out = rewrite("@mia meets @bob at @stall", &cast, &|n| match n {
            "mia" => Some("<<<image_1>>>".into()),
            "stall" => Some("<<<image_2>>>".into()),
            _ => None,
        });
        assert_eq!(out, "<<<image_1>>> meets @bob at <<<image_2>>>");
    }

    #[test]
    fn partial_mention_at_caret() {
        let t = "Close-up on @mi";
        assert_eq!(
            partial_at(t, t.len()),
            Some(Partial {
                start: 12,
                prefix: "mi"
            })
        );
        assert_eq!(
            partial_at("a @", 3),
            Some(Partial {
                start: 2,
                prefix: ""
            })
        );
        assert_eq!(partial_at("mail a@b", 8), None);
        assert_eq!(partial_at("no mention", 5), None);
    }

    #[test]
    fn completion_replaces_the_partial() {
        let t = "Close-up on @mi now";
        let p = partial_at(t, 15).unwrap();
        let (out, caret) = complete(t, &p, 15, "mia");
        assert_eq!(out, "Close-up on @mia now");
        assert_eq!(&out[..caret], "Close-up on @mia ");
        let (out, caret) = complete("@", &partial_at("@", 1).unwrap(), 1, "stall");
        assert_eq!(out, "@stall ");
        assert_eq!(caret, out.len());
    }

    #[test]
    fn completions_prefer_prefix_matches() {
        let names = ["stall-keeper", "mia", "stall", "install"];
        assert_eq!(
            completions("stall", names),
            vec!["stall", "stall-keeper", "install"]
        );
        assert_eq!(completions("", ["b", "a"]), vec!["a", "b"]);
    }
}
