//! Short names for the functions the editor's wasm imports from its JS
//! glue.
//!
//! wasm-bindgen names each such function after the Rust item it binds and
//! a 16-digit hash (`__wbg_append_child_<hash>`), and the name is written
//! twice: in the wasm's import section and as a key of the glue's imports
//! object. The editor has about 290 of them, and brotli cannot shrink the
//! hashes. [`shorten`] renames each to a short name in both files, after
//! wasm-bindgen and before wasm-opt (which keeps import names as they are).
//! Imports from other modules (the lazy parts' loader) keep their names.

use std::ops::Range;

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::Section;
use wasmparser::{BinaryReader, ImportSectionReader};

/// Renames the imports of `wasm` from `module` (the glue's own file, as
/// the wasm names it, `./<stem>_bg.js`) in the wasm and in `glue`. Fails,
/// leaving nothing half done, when a name is not found in the glue exactly
/// once as a key of the form `name: function(`.
pub fn shorten(wasm: &[u8], glue: &str, module: &str) -> Result<(Vec<u8>, String), String> {
    let Some(range) = import_section(wasm)? else {
        return Ok((wasm.to_vec(), glue.to_string()));
    };
    let reader =
        ImportSectionReader::new(BinaryReader::new(&wasm[range.clone()], range.start as u64))
            .map_err(|e| format!("the editor's import section cannot be read: {e}"))?;
    let mut section = wasm_encoder::ImportSection::new();
    let mut glue = glue.to_string();
    let mut renamed = 0;
    for import in reader.into_imports() {
        let import = import.map_err(|e| format!("an import of the editor cannot be read: {e}"))?;
        let ty = RoundtripReencoder
            .entity_type(import.ty)
            .map_err(|e| format!("the type of import {} cannot be written: {e}", import.name))?;
        if import.module != module {
            section.import(import.module, import.name, ty);
            continue;
        }
        let short = short_name(renamed);
        renamed += 1;
        let key = format!(" {}: function(", import.name);
        match glue.matches(&key).count() {
            1 => glue = glue.replacen(&key, &format!(" {short}: function("), 1),
            n => {
                return Err(format!(
                    "the glue has {n} keys `{}: function(` where one was expected; \
                     its imports object is not as wasm-bindgen 0.2.130 writes it",
                    import.name
                ))
            }
        }
        section.import(import.module, &short, ty);
    }
    let mut out = Vec::with_capacity(wasm.len());
    out.extend_from_slice(&wasm[..header_start(wasm, &range)]);
    section.append_to(&mut out);
    out.extend_from_slice(&wasm[range.end..]);
    Ok((out, glue))
}

/// The `n`th short name: `a` … `Z`, then `a0`, `b0` …; each a plain JS
/// identifier, none starting with `_` like wasm-bindgen's own names.
fn short_name(mut n: usize) -> String {
    const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const REST: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = String::from(FIRST[n % FIRST.len()] as char);
    n /= FIRST.len();
    while n > 0 {
        n -= 1;
        name.push(REST[n % REST.len()] as char);
        n /= REST.len();
    }
    name
}

/// The byte range of the import section's contents, if the module has one.
fn import_section(wasm: &[u8]) -> Result<Option<Range<usize>>, String> {
    if wasm.get(..8) != Some(b"\0asm\x01\0\0\0".as_slice()) {
        return Err("not a wasm module (version 1)".into());
    }
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        let (len, body) = leb128(wasm, at + 1)?;
        let end = body
            .checked_add(len)
            .filter(|end| *end <= wasm.len())
            .ok_or("a section runs past the end of the module")?;
        if id == 2 {
            return Ok(Some(body..end));
        }
        at = end;
    }
    Ok(None)
}

/// Where the section whose contents are `range` begins: its id byte.
fn header_start(wasm: &[u8], range: &Range<usize>) -> usize {
    // The size's LEB128 bytes end just before the contents; each but the
    // last has its high bit set.
    let mut at = range.start - 1;
    while at > 0 && wasm[at - 1] & 0x80 != 0 {
        at -= 1;
    }
    at - 1
}

/// An unsigned LEB128 at `at`: its value and the offset after it.
fn leb128(wasm: &[u8], mut at: usize) -> Result<(usize, usize), String> {
    let mut value = 0usize;
    for shift in (0..35).step_by(7) {
        let byte = *wasm
            .get(at)
            .ok_or("the module ends inside a section size")?;
        at += 1;
        value |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok((value, at));
        }
    }
    Err("a section size is longer than 5 bytes".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE_MODULE: &str = "./app-1_bg.js";

    /// A module importing two functions from the glue, one from another
    /// module, and calling the first.
    fn module() -> Vec<u8> {
        let mut m = wasm_encoder::Module::new();
        let mut types = wasm_encoder::TypeSection::new();
        types.ty().function([], []);
        m.section(&types);
        let mut imports = wasm_encoder::ImportSection::new();
        let f = wasm_encoder::EntityType::Function(0);
        imports.import(GLUE_MODULE, "__wbg_log_0123456789abcdef", f);
        imports.import("./app-split-1.js", "__wasm_split_load_x", f);
        imports.import(GLUE_MODULE, "__wbindgen_init_externref_table", f);
        m.section(&imports);
        let mut funcs = wasm_encoder::FunctionSection::new();
        funcs.function(0);
        m.section(&funcs);
        let mut code = wasm_encoder::CodeSection::new();
        let mut body = wasm_encoder::Function::new([]);
        body.instructions().call(0).end();
        code.function(&body);
        m.section(&code);
        m.finish()
    }

    const GLUE: &str = "const import0 = {\n        __proto__: null,\n        __wbg_log_0123456789abcdef: function(arg0) {\n            console.log(arg0);\n        },\n        __wbindgen_init_externref_table: function() {\n        },\n    };\n";

    fn names(wasm: &[u8]) -> Vec<(String, String)> {
        let range = import_section(wasm).unwrap().unwrap();
        ImportSectionReader::new(BinaryReader::new(&wasm[range.clone()], range.start as u64))
            .unwrap()
            .into_imports()
            .map(|i| {
                let i = i.unwrap();
                (i.module.to_string(), i.name.to_string())
            })
            .collect()
    }

    #[test]
    fn the_glue_imports_get_short_names_in_both_files() {
        let (wasm, glue) = shorten(&module(), GLUE, GLUE_MODULE).unwrap();
        assert_eq!(
            names(&wasm),
            [
                (GLUE_MODULE.to_string(), "a".to_string()),
                (
                    "./app-split-1.js".to_string(),
                    "__wasm_split_load_x".to_string()
                ),
                (GLUE_MODULE.to_string(), "b".to_string()),
            ]
        );
        assert!(glue.contains("\n        a: function(arg0) {"));
        assert!(glue.contains("\n        b: function() {"));
        assert!(!glue.contains("__wbg_log"));
        assert!(wasm.len() < module().len());
        // The rest of the module is what it was: it still validates, and
        // its code section is the same bytes.
        wasmparser::Validator::new().validate_all(&wasm).unwrap();
        let tail = |w: &[u8]| w[import_section(w).unwrap().unwrap().end..].to_vec();
        assert_eq!(tail(&wasm), tail(&module()));
    }

    #[test]
    fn a_name_the_glue_lacks_stops_the_build() {
        let glue = GLUE.replace(
            "__wbindgen_init_externref_table: function",
            "other: function",
        );
        let err = shorten(&module(), &glue, GLUE_MODULE).unwrap_err();
        assert!(err.contains("__wbindgen_init_externref_table"), "{err}");
    }

    #[test]
    fn short_names_are_distinct_identifiers() {
        let names: Vec<String> = (0..5000).map(short_name).collect();
        let set: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(set.len(), names.len());
        assert_eq!(names[0], "a");
        assert_eq!(names[51], "Z");
        assert!(names.iter().all(|n| n.as_bytes()[0].is_ascii_alphabetic()
            && n.bytes().all(|b| b.is_ascii_alphanumeric())));
        assert_eq!(names[52], "a0");
    }
}
