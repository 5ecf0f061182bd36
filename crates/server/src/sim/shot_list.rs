//! How Kling's current design reads shots out of the prompt text
//! (providers.md §0.3): `shot n, m, words; shot n, m, words;`, n = 1–6 in
//! order, m whole seconds (≥ 1, summing to `settings.duration`), words at
//! most 512 characters. Text before the first `shot 1,` (an overall
//! direction) and after the last `;` is kept out of the shots.
//!
//! With `multi_shot` true and no such list, Kling still cuts a prompt with
//! semicolons into several shots ([`split_at_semicolons`]): the documented
//! risk that makes the mapper send `multi_shot: false` for one shot.

use super::validate::chars;

/// Most shots in one list.
pub const MAX_SHOTS: usize = 6;
/// Longest words of one shot, in characters.
pub const MAX_SHOT_WORDS: usize = 512;
/// How much of a bad piece of text a message quotes.
const QUOTE_CHARS: usize = 40;

/// (seconds, words) per shot.
pub type Shots = Vec<(u32, String)>;

/// A `shot n, m,` header at the very start of `text`: (n, m, the byte
/// offset where the words begin). "shot" in any case.
fn header(text: &str) -> Option<(u64, u64, usize)> {
    let head = text.get(..4)?;
    if !head.eq_ignore_ascii_case("shot") {
        return None;
    }
    let mut rest = &text[4..];
    let spaced = rest.trim_start();
    if spaced.len() == rest.len() {
        return None; // "shots", "shotgun"
    }
    rest = spaced;
    let mut number = || -> Option<u64> {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        // More than 9 digits is no duration or index Kling takes.
        if digits == 0 || digits > 9 {
            return None;
        }
        let n = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start().strip_prefix(',')?.trim_start();
        Some(n)
    };
    let n = number()?;
    let m = number()?;
    Some((n, m, text.len() - rest.len()))
}

/// The byte offset of the first `shot n, m,` header that starts a word.
fn first_header(text: &str) -> Option<usize> {
    text.char_indices()
        .filter(|&(i, _)| {
            text[..i]
                .chars()
                .next_back()
                .is_none_or(|p| !p.is_alphanumeric())
        })
        .map(|(i, _)| i)
        .find(|&i| header(&text[i..]).is_some())
}

fn quote(text: &str) -> String {
    let mut q: String = text.chars().take(QUOTE_CHARS).collect();
    if chars(text) > QUOTE_CHARS {
        q.push('…');
    }
    q
}

/// The shot list in `text`, checked against `duration`: `Ok(None)` when
/// the text holds no `shot n, m,` header at all, else the shots or a
/// message naming what is wrong.
pub fn parse(text: &str, duration: u32) -> Result<Option<Shots>, String> {
    let Some(start) = first_header(text) else {
        return Ok(None);
    };
    let pieces: Vec<&str> = text[start..].split(';').map(str::trim).collect();
    let mut shots: Shots = Vec::new();
    let mut sum: u64 = 0;
    for (k, piece) in pieces.iter().enumerate() {
        if piece.is_empty() {
            continue;
        }
        let Some((n, m, words_at)) = header(piece) else {
            if pieces[k + 1..].iter().all(|p| p.is_empty()) {
                // Text after the list: a direction, not a shot.
                continue;
            }
            return Err(format!(
                "the shot list breaks after shot {}: '{}' is not 'shot n, m, words' \
                 (a ';' inside a shot's words ends that shot)",
                shots.len(),
                quote(piece)
            ));
        };
        let expected = shots.len() + 1;
        if expected > MAX_SHOTS {
            return Err(format!(
                "the shot list has more than {MAX_SHOTS} shots; at most {MAX_SHOTS}"
            ));
        }
        if n != expected as u64 {
            return Err(format!(
                "the shot list numbers shot {n} where shot {expected} is expected (1 to {MAX_SHOTS} in order)"
            ));
        }
        if m < 1 {
            return Err(format!(
                "shot {n} lasts {m} seconds; each shot lasts at least 1"
            ));
        }
        let words = piece[words_at..].trim();
        if words.is_empty() {
            return Err(format!("shot {n} has no words"));
        }
        let count = chars(words);
        if count > MAX_SHOT_WORDS {
            return Err(format!(
                "shot {n} has {count} characters of words; at most {MAX_SHOT_WORDS}"
            ));
        }
        sum += m;
        // Checked against the duration (≤ 15) below, so it fits.
        shots.push((m.min(u64::from(u32::MAX)) as u32, words.to_string()));
    }
    if sum != u64::from(duration) {
        return Err(format!(
            "the shot durations add up to {sum} s but settings.duration is {duration} s; they must be equal"
        ));
    }
    Ok(Some(shots))
}

/// What Kling does with `multi_shot` true and no shot list: the text is
/// cut at each `;` into shots that share the duration (at most six, at
/// least a second each; what is left over joins the last shot). Text
/// with no `;` stays one shot.
pub fn split_at_semicolons(text: &str, duration: u32) -> Shots {
    let parts: Vec<&str> = text
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let count = parts.len().min(MAX_SHOTS).min(duration as usize);
    if count < 2 {
        return vec![(duration, text.trim().to_string())];
    }
    let base = duration / count as u32;
    let extra = (duration % count as u32) as usize;
    (0..count)
        .map(|i| {
            let words = if i + 1 == count {
                parts[i..].join("; ")
            } else {
                parts[i].to_string()
            };
            (base + u32::from(i < extra), words)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shot_list_is_read_with_its_direction_kept_out() {
        let shots = parse(
            "Noir, rain. shot 1, 3, A door opens; SHOT 2,2, a cat walks in; closing mood",
            5,
        )
        .expect("valid")
        .expect("a list");
        assert_eq!(
            shots,
            vec![(3, "A door opens".into()), (2, "a cat walks in".into())]
        );
    }

    #[test]
    fn text_without_a_list_is_none() {
        assert_eq!(parse("a snapshot, 3, of nothing; shots", 5), Ok(None));
        assert_eq!(parse("plain text", 5), Ok(None));
    }

    #[test]
    fn each_rule_names_the_problem() {
        let e = |t: &str, d| parse(t, d).expect_err("refused");
        assert!(e("shot 1, 3, a; shot 3, 2, b;", 5).contains("shot 3 where shot 2"));
        assert!(e("shot 1, 3, a; shot 2, 3, b;", 5).contains("add up to 6 s"));
        assert!(e("shot 1, 0, a; shot 2, 5, b;", 5).contains("at least 1"));
        assert!(e("shot 1, 3, a; oops; shot 2, 2, b;", 5).contains("breaks after shot 1"));
        let seven: String = (1..=7).map(|i| format!("shot {i}, 1, w;")).collect();
        assert!(e(&seven, 7).contains("more than 6"));
        let six: String = (1..=6).map(|i| format!("shot {i}, 1, w;")).collect();
        assert_eq!(parse(&six, 6).expect("six").map(|s| s.len()), Some(6));
        let words = |n| format!("shot 1, 5, {};", "x".repeat(n));
        assert!(parse(&words(512), 5).is_ok());
        assert!(e(&words(513), 5).contains("513 characters"));
    }

    #[test]
    fn semicolons_alone_cut_the_text_into_shots_sharing_the_duration() {
        let shots = split_at_semicolons("a; b; c", 5);
        assert_eq!(
            shots,
            vec![(2, "a".into()), (2, "b".into()), (1, "c".into())]
        );
        assert_eq!(
            split_at_semicolons("one shot", 5),
            vec![(5, "one shot".into())]
        );
        // More pieces than seconds: one second each, the rest on the last.
        let shots = split_at_semicolons("a;b;c;d", 3);
        assert_eq!(shots.len(), 3);
        assert_eq!(shots[2], (1, "c; d".into()));
    }
}
