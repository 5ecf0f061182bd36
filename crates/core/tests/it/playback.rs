//! Shot chapters on a clip's time line: `playback`.

use storyreel_core::playback::{chapters, fit, next_start, percent, previous_start, shot_at};
use storyreel_core::{Board, Shot};

fn board(seconds: &[u32]) -> Board {
    Board {
        shots: seconds.iter().map(|s| Shot::new("x", *s)).collect(),
        ..Board::default()
    }
}

#[test]
fn chapters_follow_the_shot_durations() {
    assert_eq!(
        chapters(&board(&[3, 2, 3])),
        vec![(0.0, 3.0), (3.0, 5.0), (5.0, 8.0)]
    );
    assert!(chapters(&board(&[])).is_empty());
}

#[test]
fn shot_at_each_time() {
    let c = chapters(&board(&[3, 2, 3]));
    assert_eq!(shot_at(&c, 0.0), Some(0));
    assert_eq!(shot_at(&c, 2.99), Some(0));
    assert_eq!(shot_at(&c, 3.0), Some(1));
    assert_eq!(shot_at(&c, 4.5), Some(1));
    assert_eq!(shot_at(&c, 5.0), Some(2));
    assert_eq!(shot_at(&c, 8.0), Some(2), "the end is the last shot");
    assert_eq!(shot_at(&c, 99.0), Some(2));
    assert_eq!(shot_at(&c, -1.0), Some(0));
    assert_eq!(shot_at(&c, f64::NAN), Some(0));
    assert_eq!(shot_at(&[], 1.0), None);
}

#[test]
fn previous_and_next() {
    let c = chapters(&board(&[3, 2, 3]));
    assert_eq!(next_start(&c, 0.5), Some(3.0));
    assert_eq!(next_start(&c, 3.2), Some(5.0));
    assert_eq!(next_start(&c, 6.0), None);
    // Well into a shot: back to its start; just after it: the one before.
    assert_eq!(previous_start(&c, 4.5), 3.0);
    assert_eq!(previous_start(&c, 3.4), 0.0);
    assert_eq!(previous_start(&c, 0.4), 0.0);
    assert_eq!(previous_start(&c, 7.5), 5.0);
    assert_eq!(previous_start(&[], 3.0), 0.0);
}

#[test]
fn chapters_fit_the_clip() {
    let c = chapters(&board(&[3, 2, 3]));
    let f = fit(&c, 16.0);
    assert_eq!(f, vec![(0.0, 6.0), (6.0, 10.0), (10.0, 16.0)]);
    assert_eq!(fit(&c, f64::NAN), c);
    assert_eq!(fit(&c, 0.0), c);
    assert_eq!(percent((3.0, 5.0), 8.0), (37.5, 25.0));
    assert_eq!(percent((3.0, 5.0), 0.0), (0.0, 0.0));
    assert_eq!(percent((6.0, 10.0), 8.0), (75.0, 25.0), "clamped");
}
