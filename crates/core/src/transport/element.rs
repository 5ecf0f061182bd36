//! Kling's element and voice calls as data (providers.md §0.5), through
//! `{proxy}/api/kling/v1/general/...` like every Kling call: the server
//! adds the key.
//!
//! A creation is looked up by its key on the query path itself
//! (`GET …/advanced-custom-elements/{external_task_id}`, `GET
//! …/custom-voices/{external_task_id}`): Kling's pages let the path name
//! either the task id or the `external_task_id`.

use super::{encode_component, HttpCall, Transport};
use crate::character::wire::{CreateRequest, DeleteElement, DeleteVoice};
use crate::request::UploadsMode;

/// Kling's custom elements: create (`POST`), query (`GET …/{id}`), list.
pub const ELEMENTS_PATH: &str = "/v1/general/advanced-custom-elements";
/// Kling's preset elements (list).
pub const PRESET_ELEMENTS_PATH: &str = "/v1/general/advanced-presets-elements";
/// Deletes a custom element.
pub const DELETE_ELEMENT_PATH: &str = "/v1/general/delete-advanced-elements";
/// Kling's custom voices: create (`POST`), query (`GET …/{id}`), list.
pub const VOICES_PATH: &str = "/v1/general/custom-voices";
/// Kling's preset voices (list).
pub const PRESET_VOICES_PATH: &str = "/v1/general/presets-voices";
/// Deletes a custom voice.
pub const DELETE_VOICE_PATH: &str = "/v1/general/delete-voices";

/// Kling's default page size for its lists.
pub const DEFAULT_PAGE_SIZE: u32 = 30;
/// The highest page number Kling takes (`pageNum` 1–1000).
pub const MAX_PAGE_NUM: u32 = 1000;
/// The largest page of elements (`pageSize` 1–500).
pub const MAX_ELEMENT_PAGE_SIZE: u32 = 500;
/// The largest page of voices (`pageSize` 1–1000).
pub const MAX_VOICE_PAGE_SIZE: u32 = 1000;

impl Transport {
    /// What `upload:<sha256>` becomes in an element or voice body: a URL
    /// under the server's public base, else kept for the relay (which can
    /// inline images, not videos or voice clips).
    pub fn uploads_mode(&self) -> UploadsMode {
        match &self.public_uploads {
            Some(base) => UploadsMode::PublicBase(base.clone()),
            None => UploadsMode::ResolvedByServer,
        }
    }

    fn general_get(&self, path: &str) -> HttpCall {
        self.ours(HttpCall::get(format!("{}{path}", self.kling_base())))
    }

    fn general_post(&self, path: &str, body: String) -> HttpCall {
        self.ours(HttpCall {
            method: "POST".into(),
            url: format!("{}{path}", self.kling_base()),
            headers: vec![("content-type".into(), "application/json".into())],
            body: Some(body),
        })
    }

    fn page(path: &str, page: u32, size: u32, max_size: u32) -> String {
        format!(
            "{path}?pageNum={}&pageSize={}",
            page.clamp(1, MAX_PAGE_NUM),
            size.clamp(1, max_size)
        )
    }

    /// `POST` of a create body (element or voice).
    pub fn create_made(&self, request: &CreateRequest) -> HttpCall {
        let path = match request {
            CreateRequest::Element(_) => ELEMENTS_PATH,
            CreateRequest::Voice(_) => VOICES_PATH,
        };
        self.general_post(path, request.body())
    }

    /// `GET …/advanced-custom-elements/{id}`: `id` is the task id or the
    /// `external_task_id`.
    pub fn element_query(&self, id: &str) -> HttpCall {
        self.general_get(&format!("{ELEMENTS_PATH}/{}", encode_component(id)))
    }

    /// Your elements, page `page` (from 1) of `size`.
    pub fn elements_mine(&self, page: u32, size: u32) -> HttpCall {
        self.general_get(&Self::page(
            ELEMENTS_PATH,
            page,
            size,
            MAX_ELEMENT_PAGE_SIZE,
        ))
    }

    /// Kling's preset elements, page `page` (from 1) of `size`.
    pub fn elements_presets(&self, page: u32, size: u32) -> HttpCall {
        self.general_get(&Self::page(
            PRESET_ELEMENTS_PATH,
            page,
            size,
            MAX_ELEMENT_PAGE_SIZE,
        ))
    }

    /// Deletes the custom element `element_id`.
    pub fn element_delete(&self, element_id: &str) -> HttpCall {
        let body = DeleteElement {
            element_id: element_id.to_string(),
        };
        self.general_post(
            DELETE_ELEMENT_PATH,
            serde_json::to_string(&body).unwrap_or_default(),
        )
    }

    /// `GET …/custom-voices/{id}`: `id` is the task id or the
    /// `external_task_id`.
    pub fn voice_query(&self, id: &str) -> HttpCall {
        self.general_get(&format!("{VOICES_PATH}/{}", encode_component(id)))
    }

    /// Your custom voices, page `page` (from 1) of `size`.
    pub fn voices_mine(&self, page: u32, size: u32) -> HttpCall {
        self.general_get(&Self::page(VOICES_PATH, page, size, MAX_VOICE_PAGE_SIZE))
    }

    /// Kling's preset voices, page `page` (from 1) of `size`.
    pub fn voices_presets(&self, page: u32, size: u32) -> HttpCall {
        self.general_get(&Self::page(
            PRESET_VOICES_PATH,
            page,
            size,
            MAX_VOICE_PAGE_SIZE,
        ))
    }

    /// Deletes the custom voice `voice_id`.
    pub fn voice_delete(&self, voice_id: &str) -> HttpCall {
        let body = DeleteVoice {
            voice_id: voice_id.to_string(),
        };
        self.general_post(
            DELETE_VOICE_PATH,
            serde_json::to_string(&body).unwrap_or_default(),
        )
    }
}
