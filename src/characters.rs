//! The character library: every character the user keeps, in IndexedDB
//! (store `characters` of the `storyreel` database, see `database.rs`),
//! and the page's copy of it shared through context.
//!
//! A record is `{key, character, updated}`: the character's id, the core
//! `Character` as JSON and when it was last saved (ms since the epoch).
//! Other tabs hear of every change on a `BroadcastChannel` and read the
//! store again; the editor's rules read the library's [`Roster`].

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::character::{Character, ElementStatus, Roster};
use wasm_bindgen::prelude::*;

use crate::database::{self, CHARACTERS};

const CHANNEL: &str = "storyreel-characters";

/// A new character id: random, URL-safe.
pub fn new_id() -> String {
    let suffix = crate::net::random_bytes(6)
        .map(|b| storyreel_core::text::lower_hex(&b))
        .unwrap_or_else(|| format!("{}", crate::net::now_ms()));
    format!("char-{suffix}")
}

/// Saves `character` as it is (its `updated_ms` included).
pub async fn put(character: &Character) -> Result<(), String> {
    let json = serde_json::to_string(character).map_err(database::err)?;
    let updated = character.updated_ms as f64;
    let value = database::stamped_record(&character.id, "character", &json, updated)?;
    database::put(CHARACTERS, &value).await
}

/// Changes the stored character `id` by `f` in one read-write
/// transaction (so a change from another tab in between is not lost);
/// the character as saved, `None` if it is gone.
pub async fn update(id: &str, f: impl FnOnce(&mut Character)) -> Result<Option<Character>, String> {
    let db = database::db().await?;
    let tx = db
        .transaction(&[CHARACTERS], idb::TransactionMode::ReadWrite)
        .map_err(database::err)?;
    let store = tx.object_store(CHARACTERS).map_err(database::err)?;
    let stored = store
        .get(JsValue::from_str(id))
        .map_err(database::err)?
        .await
        .map_err(database::err)?;
    let Some(mut character) = stored.as_ref().and_then(character_of) else {
        let _ = tx.abort();
        return Ok(None);
    };
    f(&mut character);
    character.updated_ms = crate::net::now_ms();
    let json = serde_json::to_string(&character).map_err(database::err)?;
    let updated = character.updated_ms as f64;
    let value = database::stamped_record(&character.id, "character", &json, updated)?;
    store
        .put(&value, None)
        .map_err(database::err)?
        .await
        .map_err(database::err)?;
    tx.commit()
        .map_err(database::err)?
        .await
        .map_err(database::err)?;
    Ok(Some(character))
}

/// Every readable character, the most recently saved first. A record
/// that does not hold a readable character is skipped, never deleted.
pub async fn list() -> Result<Vec<Character>, String> {
    database::read_all(CHARACTERS, read_characters).await
}

lazy! {
    /// The library's records read as characters, the most recently saved
    /// first (`lazy!`, src/lazy.rs).
    fn read_characters(values: Vec<JsValue>) -> Vec<Character> {
        let mut items: Vec<Character> = values.iter().filter_map(character_of).collect();
        items.sort_by(|a, b| b.updated_ms.cmp(&a.updated_ms).then(a.name.cmp(&b.name)));
        items
    }
}

fn character_of(value: &JsValue) -> Option<Character> {
    serde_json::from_str(&database::field_text(value, "character")?).ok()
}

/// Removes a character from the library.
pub async fn delete(id: &str) -> Result<(), String> {
    database::delete(CHARACTERS, id).await
}

/// The page's copy of the library, shared through context.
#[derive(Clone, Copy)]
pub struct Characters {
    /// Every character, the most recently saved first.
    pub items: RwSignal<Vec<Character>>,
    /// Why the library could not be read, if it could not.
    pub error: RwSignal<Option<String>>,
    /// What the rules need to know of each character's element.
    pub roster: Memo<Roster>,
}

impl Characters {
    /// Reads the library and keeps it in step with other tabs.
    pub fn start() -> Characters {
        let items = RwSignal::new(Vec::<Character>::new());
        let characters = Characters {
            items,
            error: RwSignal::new(None),
            roster: Memo::new(move |_| {
                items.with(|all| {
                    all.iter()
                        .map(|c| (c.id.clone(), c.element.clone()))
                        .collect::<Roster>()
                })
            }),
        };
        crate::tabs::listen(CHANNEL, move |_| characters.reload());
        characters.reload();
        characters
    }

    pub fn expect() -> Characters {
        expect_context::<Characters>()
    }

    /// Reads the store into the page.
    pub fn reload(&self) {
        let this = *self;
        spawn_local(async move {
            match list().await {
                Ok(list) => {
                    if this.items.with_untracked(|now| *now != list) {
                        this.items.set(list);
                    }
                    this.error.set(None);
                }
                Err(why) => this.error.set(Some(format!(
                    "The character library could not be read: {why}."
                ))),
            }
        });
    }

    /// Tells this page and the other tabs that the store changed.
    pub fn changed(&self) {
        crate::tabs::post(CHANNEL, &JsValue::from_str("changed"));
        self.reload();
    }

    /// Saves a character (stamped now) and tells everyone.
    pub async fn save(&self, mut character: Character) -> Result<Character, String> {
        character.updated_ms = crate::net::now_ms();
        put(&character).await?;
        self.items.update(|all| {
            all.retain(|c| c.id != character.id);
            all.insert(0, character.clone());
        });
        self.changed();
        Ok(character)
    }

    /// Changes a stored character by `f` and tells everyone.
    pub async fn change(
        &self,
        id: &str,
        f: impl FnOnce(&mut Character),
    ) -> Result<Option<Character>, String> {
        let out = update(id, f).await?;
        self.changed();
        Ok(out)
    }

    /// The character with `id`, as the page last read it.
    pub fn get(&self, id: &str) -> Option<Character> {
        self.items
            .with_untracked(|all| all.iter().find(|c| c.id == id).cloned())
    }
}

/// "Mia" → "Mia (copy)", kept within Kling's 20 characters.
pub fn copy_name(name: &str) -> String {
    let suffix = " (copy)";
    let room = storyreel_core::character::MAX_CHARACTER_NAME_CHARS - suffix.chars().count();
    let stem: String = name.chars().take(room).collect();
    format!("{}{suffix}", stem.trim_end())
}

/// The element a character's badge names, when there is one.
pub fn element_line(status: &ElementStatus) -> String {
    match status {
        ElementStatus::None => "No Kling element yet".to_string(),
        ElementStatus::Making { task_id, .. } => match task_id {
            Some(t) => format!("Making its Kling element (task {t})…"),
            None => "Making its Kling element…".to_string(),
        },
        ElementStatus::Ready { element_id } => format!("Kling element {element_id}"),
        ElementStatus::Failed { reason } => format!("Kling element failed: {reason}"),
        ElementStatus::Deleted { element_id } => {
            format!("Kling element {element_id} was deleted at Kling")
        }
    }
}
