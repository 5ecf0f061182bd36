//! A share link just made: the link, what it cannot carry, and the
//! latest take it may carry.

use leptos::prelude::*;
use storyreel_core::share::{self, ShareError};
use storyreel_core::Board;

use crate::studio::Studio;

/// A link just made, and the references it cannot carry.
#[derive(Clone, Debug, PartialEq)]
pub struct Made {
    pub url: String,
    pub local_only: Vec<String>,
    /// That the Kling element ids it cites work for this account only.
    pub element_note: Option<String>,
    pub take: Option<TakeOffer>,
    /// References held only by this browser that an upload would fix.
    pub uploadable: Vec<String>,
    /// Whether the server serves uploads at a public address.
    pub public_uploads: bool,
}

/// The newest take of exactly this board, for the link.
#[derive(Clone, Debug, PartialEq)]
pub enum TakeOffer {
    /// Its video has a public address: the link may carry it.
    Public { url_with_take: String },
    /// Its video is only in this browser or on this machine.
    LocalOnly,
}

/// The offer for the newest take of `board`, if there is one.
fn take_offer(
    studio: Studio,
    board: &Board,
    fragment_with: impl Fn(&str) -> Option<String>,
) -> Option<TakeOffer> {
    let video = studio.takes.with_untracked(|takes| {
        takes
            .iter()
            .rev()
            .find(|t| t.take.board == *board)
            .map(|t| t.take.video_url.clone())
    })?;
    if share::is_local_only(&video) || share::check_take_url(&video).is_err() {
        return Some(TakeOffer::LocalOnly);
    }
    Some(match fragment_with(&video) {
        Some(fragment) => TakeOffer::Public {
            url_with_take: link_for(&fragment),
        },
        None => TakeOffer::LocalOnly,
    })
}

/// The share page beside this one, followed by `#fragment`.
fn link_for(fragment: &str) -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        crate::share_page::address(
            &location.pathname().unwrap_or_default(),
            "",
            &format!("#{fragment}")
        )
    )
}

impl Made {
    /// The link to `mine` as a recipient gets it: the server's files by
    /// their public links under `base`, when it has one.
    pub fn of(mine: &Board, base: Option<&str>, studio: Studio) -> Result<Made, ShareError> {
        let b = &share::for_recipients(mine, base);
        share::encode_checked(b).map(|fragment| Made {
            url: link_for(&fragment),
            local_only: share::local_only_references(b)
                .into_iter()
                .map(str::to_string)
                .collect(),
            element_note: share::element_note(b),
            take: take_offer(studio, b, |video| share::encode_shared(b, Some(video)).ok()),
            uploadable: b
                .references
                .iter()
                .filter(|r| r.src().is_some_and(share::is_browser_only))
                .map(|r| r.name.clone())
                .collect(),
            public_uploads: base.is_some(),
        })
    }
}
