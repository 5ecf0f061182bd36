//! Shot lists as text: `export::markdown` and `export::csv`.

use storyreel_core::export::{csv, markdown};
use storyreel_core::{AspectRatio, Board, Provider, Reference, Resolution, Shot, VideoUse};

fn night_market() -> Board {
    Board {
        title: "Night market".into(),
        prompt: "Warm neon palette, handheld camera.".into(),
        references: vec![
            Reference::image("mia", "https://example.com/mia.png"),
            Reference::image("stall", "https://example.com/stall.jpg"),
            Reference::element("lantern", 831204),
        ],
        shots: vec![
            Shot::new(
                "Wide shot: @mia walks between the stalls, @lantern swaying above.",
                4,
            ),
            Shot::new(
                "Close-up on @mia. She says: \"Have you seen my brother?\"",
                5,
            ),
            Shot::new("The vendor at @stall shakes his head; @mia waits.", 3),
        ],
        ..Board::default()
    }
}

fn one_shot(prompt: &str) -> Board {
    Board {
        title: "T".into(),
        references: vec![Reference::image("mia", "https://example.com/mia.png")],
        shots: vec![Shot::new(prompt, 5)],
        ..Board::default()
    }
}

#[test]
fn markdown_of_a_three_shot_board() {
    let expected = "\
# Night market

Kling · 1080p · 16:9 · sound on · 12 s · est. $1.68

**Prompt:** Warm neon palette, handheld camera.

| # | Start | Length | Prompt | Cast |
|---|---|---|---|---|
| 1 | 0:00 | 4 s | Wide shot: @mia walks between the stalls, @lantern swaying above. | @mia, @lantern |
| 2 | 0:04 | 5 s | Close-up on @mia. She says: \"Have you seen my brother?\" | @mia |
| 3 | 0:09 | 3 s | The vendor at @stall shakes his head; @mia waits. | @stall, @mia |

## Cast

- @mia: image, https://example.com/mia.png
- @stall: image, https://example.com/stall.jpg
- @lantern: element 831204
";
    assert_eq!(markdown(&night_market()), expected);
}

#[test]
fn markdown_of_an_untitled_board_without_price_or_cast() {
    let board = Board {
        title: "   ".into(),
        provider: Provider::Replicate,
        ..Board::default()
    };
    let expected = "\
# Untitled board

Replicate · 1080p · 16:9 · sound on · 5 s · price unknown

| # | Start | Length | Prompt | Cast |
|---|---|---|---|---|
| 1 | 0:00 | 5 s |  |  |
";
    assert_eq!(markdown(&board), expected);
}

#[test]
fn markdown_settings_frames_and_video() {
    let board = Board {
        title: "Door".into(),
        provider: Provider::Fal,
        resolution: Resolution::P720,
        aspect_ratio: AspectRatio::Portrait,
        sound: false,
        references: vec![
            Reference::image("door", "https://example.com/door.png"),
            Reference::image("exit", "https://example.com/exit.png"),
        ],
        first_frame: Some("door".into()),
        last_frame: Some("exit".into()),
        shots: vec![Shot::new("@door opens", 5)],
        ..Board::default()
    };
    // fal, 720p, silent: 0.6 units a second at $0.14 a unit = $0.42 for 5 s.
    let expected = "\
# Door

fal · 720p · 9:16 · sound off · 5 s · est. $0.42

| # | Start | Length | Prompt | Cast |
|---|---|---|---|---|
| 1 | 0:00 | 5 s | @door opens | @door |

## Cast

- @door: image, https://example.com/door.png
- @exit: image, https://example.com/exit.png

First frame: @door

Last frame: @exit
";
    assert_eq!(markdown(&board), expected);

    let mut with_video = one_shot("x");
    with_video.references.push(Reference::video(
        "moves",
        "https://example.com/dance.mp4",
        VideoUse::Base,
    ));
    assert!(
        markdown(&with_video).ends_with("- @moves: video (base), https://example.com/dance.mp4\n")
    );
}

#[test]
fn markdown_start_times_pass_a_minute() {
    let board = Board {
        shots: vec![Shot::new("a", 65), Shot::new("b", 10), Shot::new("c", 1)],
        ..Board::default()
    };
    let md = markdown(&board);
    assert!(md.contains("| 1 | 0:00 | 65 s | a |  |\n"), "{md}");
    assert!(md.contains("| 2 | 1:05 | 10 s | b |  |\n"), "{md}");
    assert!(md.contains("| 3 | 1:15 | 1 s | c |  |\n"), "{md}");
}

#[test]
fn markdown_cast_column_lists_each_mention_once_and_flags_unknown_ones() {
    let md = markdown(&one_shot(
        "@mia sees @bob, then @mia again (mail mia@example.com)",
    ));
    assert!(
        md.contains("| @mia, @bob (not in cast) |\n"),
        "cast column in:\n{md}"
    );
}

/// The cells of a GFM table row: split on pipes not escaped by a backslash.
fn cells(row: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = row.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let last = out.last_mut().expect("a cell");
                last.push(c);
                if let Some(next) = chars.next() {
                    last.push(next);
                }
            }
            '|' => out.push(String::new()),
            _ => out.last_mut().expect("a cell").push(c),
        }
    }
    out
}

#[test]
fn prompt_text_cannot_break_the_table() {
    let prompt = "A | B\nsecond line\r\nthird\rfourth <script>alert('x')</script> & @mia\\|";
    let md = markdown(&one_shot(prompt));
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(rows.len(), 3, "header, delimiter and one shot row:\n{md}");
    let row = rows[2];
    assert_eq!(
        row,
        "| 1 | 0:00 | 5 s | A \\| B<br>second line<br>third<br>fourth \
         &lt;script&gt;alert('x')&lt;/script&gt; &amp; @mia\\\\\\| | @mia |"
    );
    // Six pipes that split: seven pieces, five cells between the outer ones.
    let cells = cells(row);
    assert_eq!(cells.len(), 7, "{cells:?}");
    assert_eq!(cells[5].trim(), "@mia");
    assert!(!md.contains("<script>"));
    assert!(!md.contains("</script>"));
}

#[test]
fn markup_in_text_is_shown_as_written() {
    let md = markdown(&one_shot("*slow* _pan_ `cam` [link](x) ~~no~~ @mia_b"));
    assert!(
        md.contains(
            "| \\*slow\\* \\_pan\\_ \\`cam\\` \\[link\\](x) \\~\\~no\\~\\~ @mia\\_b | @mia\\_b (not in cast) |"
        ),
        "{md}"
    );
}

#[test]
fn title_and_overall_prompt_stay_on_their_line() {
    let board = Board {
        title: "Two\nlines <b>".into(),
        prompt: "| a | b |\n|---|---|\n# not a heading".into(),
        ..Board::default()
    };
    let md = markdown(&board);
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(lines[0], "# Two<br>lines &lt;b&gt;");
    assert_eq!(
        lines[4],
        "**Prompt:** \\| a \\| b \\|<br>\\|---\\|---\\|<br># not a heading"
    );
    // Only the shot table's own rows start with a pipe.
    assert_eq!(md.lines().filter(|l| l.starts_with('|')).count(), 3);
}

#[test]
fn non_ascii_passes_through_markdown() {
    let md = markdown(&one_shot("Ünïcödé 日本語 😀 — «@mia»"));
    assert!(md.contains("| Ünïcödé 日本語 😀 — «@mia» | @mia |"), "{md}");
}

#[test]
fn csv_of_a_three_shot_board() {
    let expected = "shot,start_s,duration_s,prompt,mentions\r\n\
        1,0,4,\"Wide shot: @mia walks between the stalls, @lantern swaying above.\",mia lantern\r\n\
        2,4,5,\"Close-up on @mia. She says: \"\"Have you seen my brother?\"\"\",mia\r\n\
        3,9,3,The vendor at @stall shakes his head; @mia waits.,stall mia\r\n";
    assert_eq!(csv(&night_market()), expected);
}

#[test]
fn csv_quotes_only_what_needs_it() {
    let board = Board {
        shots: vec![
            Shot::new("plain", 2),
            Shot::new("", 3),
            Shot::new("line\nbreak", 1),
            Shot::new("carriage\rreturn", 1),
            Shot::new("say \"hi\"", 1),
        ],
        ..Board::default()
    };
    assert_eq!(
        csv(&board),
        "shot,start_s,duration_s,prompt,mentions\r\n\
         1,0,2,plain,\r\n\
         2,2,3,,\r\n\
         3,5,1,\"line\nbreak\",\r\n\
         4,6,1,\"carriage\rreturn\",\r\n\
         5,7,1,\"say \"\"hi\"\"\",\r\n"
    );
}

/// A strict RFC 4180 reader: records end in CRLF, a quoted field may hold
/// anything with its quotes doubled, an unquoted one no comma, quote, CR or
/// LF. Panics on anything else.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut chars = text.chars().peekable();
    while chars.peek().is_some() {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => panic!("unterminated quoted field"),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' || c == '\r' {
                    break;
                }
                assert!(c != '"' && c != '\n', "{c:?} in an unquoted field");
                field.push(c);
                chars.next();
            }
        }
        record.push(field);
        match chars.next() {
            Some(',') => {}
            Some('\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                records.push(std::mem::take(&mut record));
            }
            other => panic!("expected a separator, found {other:?}"),
        }
    }
    assert!(record.is_empty(), "the last record has no CRLF");
    records
}

#[test]
fn csv_reads_back_tricky_prompts() {
    let prompts = [
        "He said \"no, never\" and left",
        "a,b,c",
        "\"",
        "\"\"",
        "",
        "line one\nline two",
        "line one\r\nline two\r\n",
        "\r",
        "Ünïcödé 日本語 😀, «quoted»",
        " leading and trailing ",
        "=SUM(A1:A2)",
        "@mia, \"@mia\"\n@bob",
    ];
    let board = Board {
        references: vec![Reference::image("mia", "https://example.com/mia.png")],
        shots: prompts.iter().map(|p| Shot::new(*p, 1)).collect(),
        ..Board::default()
    };
    let records = read_csv(&csv(&board));
    assert_eq!(records.len(), prompts.len() + 1);
    assert_eq!(
        records[0],
        ["shot", "start_s", "duration_s", "prompt", "mentions"]
    );
    for (i, (record, prompt)) in records[1..].iter().zip(prompts).enumerate() {
        assert_eq!(record.len(), 5, "row {}: {record:?}", i + 1);
        assert_eq!(record[0], (i + 1).to_string());
        assert_eq!(record[1], i.to_string());
        assert_eq!(record[2], "1");
        assert_eq!(record[3], prompt, "row {}", i + 1);
    }
    assert_eq!(records[12][4], "mia bob");
}
