//! Quoted speech: which quotes count, who speaks, and how long it takes.

use storyreel_core::dialogue::{lines, seconds_to_say, tenths_needed};

fn none(_: &str) -> bool {
    false
}

#[test]
fn every_common_quote_style_is_speech() {
    for prompt in [
        "She says \"one two three\".",
        "She says “one two three”.",
        "Sie sagt „one two three“.",
        "Elle dit «one two three».",
        "彼女は「one two three」と言う。",
        "彼女は『one two three』と言う。",
    ] {
        let ls = lines(prompt, &none);
        assert_eq!(ls.len(), 1, "{prompt}");
        assert_eq!(ls[0].text, "one two three", "{prompt}");
        assert_eq!(&prompt[ls[0].start..ls[0].end].chars().count(), &15);
    }
}

#[test]
fn apostrophes_and_single_quotes_are_not_speech() {
    assert!(lines("It's the vendor's 'stall'.", &none).is_empty());
    assert_eq!(tenths_needed("It's the vendor's 'stall'."), 0);
}

#[test]
fn several_lines_add_up() {
    // 5 words (2.0 s) + 3 words (1.2 s) + 4 CJK characters (1.0 s).
    let p = r#""one two three four five" then "six seven eight" and 「你好吗呢」"#;
    assert_eq!(lines(p, &none).len(), 3);
    assert_eq!(tenths_needed(p), 42);
}

#[test]
fn words_are_runs_with_a_letter_or_digit() {
    assert!((seconds_to_say("Wait — what?! 42 ...") - 3.0 / 2.5).abs() < 1e-9);
    assert_eq!(seconds_to_say("  — !! "), 0.0);
    // Mixed scripts: 2 words and 4 characters.
    assert!((seconds_to_say("OK 你好吗呢 fine") - (2.0 / 2.5 + 1.0)).abs() < 1e-9);
}

#[test]
fn speaker_is_the_last_mention_before_the_line() {
    let known = |n: &str| ["mia", "stall", "bo"].contains(&n);
    let p = "@mia to @bo: \"Hi.\" @stall: \"Go.\" Then \"Bye.\" @ghost: \"Who?\"";
    let ls = lines(p, &known);
    let speakers: Vec<Option<&str>> = ls.iter().map(|l| l.speaker).collect();
    assert_eq!(
        speakers,
        vec![Some("bo"), Some("stall"), Some("stall"), Some("stall")]
    );
    assert_eq!(lines("\"No one.\"", &known)[0].speaker, None);
}

#[test]
fn unbalanced_quotes_stop_at_the_first_unclosed_one() {
    let ls = lines("\"one\" then \"two and «three»", &none);
    assert_eq!(ls.len(), 1);
    assert_eq!(ls[0].text, "one");
}

#[test]
fn rounding_is_up_to_the_tenth() {
    // 1 CJK character = 0.25 s = 2.5 tenths, shown as 0.3 s.
    assert_eq!(tenths_needed("「好」"), 3);
    // 1 word = 0.4 s exactly.
    assert_eq!(tenths_needed("\"Go\""), 4);
    // Exact multiples do not round up (a 2 s shot fits 5 words).
    assert_eq!(tenths_needed("\"a b c d e\""), 20);
    assert_eq!(tenths_needed("\"a b c d e f g h i j\""), 40);
}
