//! The making of Kling elements (stub until the core's state machine lands).

use leptos::prelude::*;

use crate::characters::Characters;
use crate::settings::Settings;

pub fn make(_characters: Characters, _settings: Settings, _id: String) {}

pub fn delete_at_kling(
    _characters: Characters,
    _settings: Settings,
    _id: String,
    _error: RwSignal<Option<String>>,
) {
}
