//! Warnings where subject consistency is at risk: a cast member no prompt
//! or frame uses, a shot that cites no one while the cast has images or
//! elements, and one cast member given different colours in different
//! shots ("@mia in a red coat" then "@mia in a blue coat").
//!
//! The colour check is a plain heuristic on English colour words in the
//! clause after a mention; it cannot see every contradiction, and it only
//! warns, never blocks.

use crate::board::Board;
use crate::mention::{self, Mention};
use crate::problem::{Field, Location, Problem, ProblemKind};
use crate::reference::ReferenceKind;

/// Colour words the check compares.
const COLOURS: [&str; 24] = [
    "red",
    "orange",
    "yellow",
    "green",
    "blue",
    "purple",
    "violet",
    "pink",
    "brown",
    "black",
    "white",
    "grey",
    "gray",
    "silver",
    "gold",
    "golden",
    "blonde",
    "blond",
    "teal",
    "navy",
    "beige",
    "crimson",
    "scarlet",
    "turquoise",
];

/// Words after a mention that still describe it.
const CLAUSE_WORDS: usize = 8;

pub(super) fn check(board: &Board, out: &mut Vec<Problem>) {
    let cited: Vec<&str> = board
        .references
        .iter()
        .filter(|r| !matches!(r.kind, ReferenceKind::Video { .. }))
        .map(|r| r.name.as_str())
        .collect();
    if cited.is_empty() {
        return;
    }
    let known = |n: &str| board.reference(n).is_some();
    // Each prompt's mentions, found once: the overall prompt, then each shot.
    let overall = mention::find(&board.prompt, &known);
    let shots: Vec<Vec<Mention>> = board
        .shots
        .iter()
        .map(|s| mention::find(&s.prompt, &known))
        .collect();
    let mentioned = |found: &[Mention], name: &str| found.iter().any(|m| m.known && m.name == name);
    for name in &cited {
        let used = mentioned(&overall, name)
            || shots.iter().any(|found| mentioned(found, name))
            || board.first_frame.as_deref() == Some(name)
            || board.last_frame.as_deref() == Some(name);
        if !used {
            out.push(Problem::warning(
                Location::Reference(name.to_string()),
                Field::Name,
                ProblemKind::UnusedReference {
                    name: name.to_string(),
                },
            ));
        }
    }
    let overall_cites = cited.iter().any(|n| mentioned(&overall, n));
    if !overall_cites {
        for (i, (shot, found)) in board.shots.iter().zip(&shots).enumerate() {
            let cites = found.iter().any(|m| m.known);
            if !cites && !shot.prompt.trim().is_empty() {
                out.push(Problem::warning(
                    Location::Shot(i),
                    Field::Prompt,
                    ProblemKind::ShotCitesNoOne,
                ));
            }
        }
    }
    colours(board, &shots, out);
}

/// Colour words in the clause after each known mention, per shot
/// (`found`: each shot's mentions).
fn colours(board: &Board, found: &[Vec<Mention>], out: &mut Vec<Problem>) {
    // (name, shot, colours) of the first shot that gave the name colours.
    let mut first: Vec<(&str, usize, Vec<&'static str>)> = Vec::new();
    for (i, (shot, found)) in board.shots.iter().zip(found).enumerate() {
        let text = shot.prompt.as_str();
        for (k, m) in found.iter().enumerate() {
            if !m.known {
                continue;
            }
            let end = found.get(k + 1).map_or(text.len(), |next| next.start);
            let here = colours_in_clause(&text[m.end..end]);
            if here.is_empty() {
                continue;
            }
            match first.iter().find(|(n, _, _)| *n == m.name) {
                None => first.push((m.name, i, here)),
                Some((_, at, before)) if *at != i && before.iter().all(|c| !here.contains(c)) => {
                    out.push(Problem::warning(
                        Location::Shot(i),
                        Field::Prompt,
                        ProblemKind::DescribedDifferently {
                            name: m.name.to_string(),
                            here: here.join(", "),
                            shot: at + 1,
                            there: before.join(", "),
                        },
                    ));
                }
                Some(_) => {}
            }
        }
    }
}

/// The colour words of the clause that starts `text`: up to the first
/// sentence or clause mark, at most [`CLAUSE_WORDS`] words.
fn colours_in_clause(text: &str) -> Vec<&'static str> {
    let clause = text
        .trim_start_matches([',', ' '])
        .split(['.', ';', ':', '!', '?', ',', '"', '“', '”', '\n'])
        .next()
        .unwrap_or("");
    let mut out = Vec::new();
    for word in clause
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(CLAUSE_WORDS)
    {
        // The colours are ASCII words, so ASCII case is all that can
        // match (and keeps Unicode's case tables out of the editor).
        let lower = word.to_ascii_lowercase();
        // "red-haired" splits into "red" and "haired".
        if let Some(c) = COLOURS.iter().find(|c| **c == lower) {
            let c = match *c {
                "gray" => "grey",
                "blond" => "blonde",
                "golden" => "gold",
                other => other,
            };
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::Shot;
    use crate::reference::Reference;

    fn board(prompts: &[&str]) -> Board {
        let mut b = Board::default();
        b.references
            .push(Reference::image("mia", "https://x.test/m.png"));
        b.references
            .push(Reference::image("lamp", "https://x.test/l.png"));
        b.shots = prompts.iter().map(|p| Shot::new(*p, 3)).collect();
        b
    }

    fn kinds(b: &Board) -> Vec<ProblemKind> {
        let mut out = Vec::new();
        check(b, &mut out);
        out.into_iter().map(|p| p.kind).collect()
    }

    #[test]
    fn an_unused_reference_and_a_shot_without_mentions_warn() {
        let b = board(&["@mia walks in.", "Rain on the window."]);
        assert_eq!(
            kinds(&b),
            vec![
                ProblemKind::UnusedReference {
                    name: "lamp".into()
                },
                ProblemKind::ShotCitesNoOne
            ]
        );
    }

    #[test]
    fn a_frame_counts_as_use_and_an_overall_mention_covers_every_shot() {
        let mut b = board(&["Rain.", "More rain."]);
        b.first_frame = Some("lamp".into());
        b.prompt = "@mia is always in the room.".into();
        assert!(kinds(&b).is_empty(), "{:?}", kinds(&b));
    }

    #[test]
    fn no_cast_no_warnings() {
        let mut b = board(&["Rain."]);
        b.references.clear();
        assert!(kinds(&b).is_empty());
    }

    #[test]
    fn contradicting_colours_are_found_per_name() {
        let b = board(&[
            "@mia in a red coat passes @lamp, which glows green.",
            "@mia, in a blue coat, sits under @lamp.",
            "@lamp flickers green; @mia in her red coat smiles.",
        ]);
        let found = kinds(&b);
        assert_eq!(
            found,
            vec![ProblemKind::DescribedDifferently {
                name: "mia".into(),
                here: "blue".into(),
                shot: 1,
                there: "red".into()
            }]
        );
        assert!(found[0]
            .to_string()
            .contains("@mia is blue here but red in shot 1"));
    }

    #[test]
    fn colours_stay_in_their_clause_and_synonyms_agree() {
        assert_eq!(
            colours_in_clause(" in a gray suit. The sky is red"),
            vec!["grey"]
        );
        assert_eq!(colours_in_clause(" walks. Red sky"), Vec::<&str>::new());
        // Upper case counts; a word with other letters is no colour.
        assert_eq!(colours_in_clause(" in a RED coat"), vec!["red"]);
        assert_eq!(colours_in_clause(" in a rédd coat"), Vec::<&str>::new());
        let b = board(&[
            "@mia, blond hair, waves at @lamp.",
            "@mia with blonde hair reads by @lamp.",
        ]);
        assert!(kinds(&b).is_empty(), "{:?}", kinds(&b));
    }
}
