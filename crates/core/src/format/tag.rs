//! The first look at a board file: its `format` tag alone, every other
//! field skipped unread, so that a file of another version is refused by
//! name before its shape is judged.
//!
//! A visitor of its own rather than a `serde_json::Value`: the value tree
//! (and its ordered map) would otherwise be in the editor's first load for
//! this one field.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// Any value, read and dropped. Walked as `serde_json::Value` is (not as
/// serde's `IgnoredAny`, which serde_json skips by a faster path with
/// other messages), so a syntax error reads as it always has: "trailing
/// comma", not "key must be a string".
struct Skip;

impl Skip {
    fn seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }
    fn map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Skip, A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(Skip)
    }
}

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Skip, D::Error> {
        struct Any;
        impl<'de> Visitor<'de> for Any {
            type Value = Skip;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Skip, A::Error> {
                Skip::seq(seq)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Skip, A::Error> {
                Skip::map(map)
            }
        }
        d.deserialize_any(Any)
    }
}

/// The `format` tag, if the top-level object has one.
pub struct Probe(pub Option<Tag>);

/// A `format` tag as found.
pub enum Tag {
    Text(String),
    /// Not a string: a number, `true`, `false` or `null` as JSON, an
    /// array or object as `[…]` or `{…}`.
    Other(String),
}

impl<'de> Deserialize<'de> for Probe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Probe, D::Error> {
        struct Top;
        impl<'de> Visitor<'de> for Top {
            type Value = Probe;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a board object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
                let mut tag = None;
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    if key == "format" {
                        tag = Some(map.next_value::<Tag>()?);
                    } else {
                        map.next_value::<Skip>()?;
                    }
                }
                Ok(Probe(tag))
            }
        }
        d.deserialize_map(Top)
    }
}

impl<'de> Deserialize<'de> for Tag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Tag, D::Error> {
        struct Any;
        impl<'de> Visitor<'de> for Any {
            type Value = Tag;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a format tag")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Tag, E> {
                Ok(Tag::Text(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tag, E> {
                Ok(Tag::Other(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tag, E> {
                Ok(Tag::Other(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Tag, E> {
                Ok(Tag::Other(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Tag, E> {
                Ok(Tag::Other(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Tag, E> {
                Ok(Tag::Other("null".into()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Tag, A::Error> {
                Skip::seq(seq).map(|_| Tag::Other("[…]".into()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Tag, A::Error> {
                Skip::map(map).map(|_| Tag::Other("{…}".into()))
            }
        }
        d.deserialize_any(Any)
    }
}
