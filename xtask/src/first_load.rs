//! The size check of `cargo xtask test`: the editor's first load, as the
//! brotli copies of the files its `index.html` names (the stylesheet, the
//! JS and the wasm Trunk links; not the tab's icon), may not pass the
//! ceiling `cargo xtask bench` holds it to. The bench measures what
//! Chromium fetched; this reads the page, so it runs with no browser.

use std::fs;
use std::path::Path;

/// The ceiling in bytes of brotli, shared with `tests/bench/size.rs`.
pub fn ceiling() -> Result<u64, String> {
    include_str!("../../tests/bench/first-load-ceiling")
        .trim()
        .parse()
        .map_err(|e| format!("tests/bench/first-load-ceiling is not a number: {e}"))
}

/// The files `html` loads from its own folder: `href` and `src` values
/// of its tags, but not the icon, which a browser fetches later.
fn linked(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        if tag.contains("rel=\"icon\"") {
            continue;
        }
        for attr in ["href=\"", "src=\""] {
            if let Some(start) = tag.find(attr).map(|i| i + attr.len()) {
                if let Some(len) = tag[start..].find('"') {
                    let url = &tag[start..start + len];
                    if let Some(name) = url.rsplit('/').next().filter(|n| !n.is_empty()) {
                        out.push(name.to_string());
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The first load of `dist` in bytes of brotli, with each file counted,
/// or why it cannot be counted.
pub fn measure(dist: &Path) -> Result<(u64, Vec<(String, u64)>), String> {
    let html = fs::read_to_string(dist.join("index.html"))
        .map_err(|e| format!("cannot read {}/index.html: {e}", dist.display()))?;
    let mut files = vec![("index.html".to_string(), 0)];
    files.extend(linked(&html).into_iter().map(|n| (n, 0)));
    let mut total = 0;
    for (name, size) in &mut files {
        let br = dist.join(format!("{name}.br"));
        *size = fs::metadata(&br)
            .map_err(|e| format!("no brotli copy {}: {e}", br.display()))?
            .len();
        total += *size;
    }
    Ok((total, files))
}

/// Fails when the first load passes the ceiling; prints the figures.
pub fn check(dist: &Path) -> Result<(), String> {
    let ceiling = ceiling()?;
    let (total, files) = measure(dist)?;
    for (name, size) in &files {
        println!("  {name}: {size} bytes of brotli");
    }
    println!("  first load: {total} bytes of brotli (ceiling {ceiling})");
    if total > ceiling {
        return Err(format!(
            "the first load is {total} bytes of brotli, over the ceiling of {ceiling} (tests/bench/first-load-ceiling): make it smaller, or raise the ceiling on purpose"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{linked, measure};

    #[test]
    fn the_page_s_own_files_but_not_its_icon() {
        let html = r#"<link rel="icon" href="/favicon-1.svg"/><link rel="stylesheet" href="/main-2.css">
<link rel="modulepreload" href="/sub/app-3.js"><link rel="preload" href="/app-3_bg.wasm" as="fetch">
<script type="module">import init from '/app-3.js';</script>"#;
        assert_eq!(
            linked(html),
            vec!["app-3.js", "app-3_bg.wasm", "main-2.css"]
        );
    }

    #[test]
    fn the_first_load_counts_each_linked_file_s_brotli_copy() {
        let dir = std::env::temp_dir().join(format!("xtask-first-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let page = r#"<link rel="icon" href="/i.svg"><link rel="stylesheet" href="/a.css"><link rel="preload" href="/b_bg.wasm">"#;
        std::fs::write(dir.join("index.html"), page).unwrap();
        for (name, len) in [
            ("index.html.br", 10),
            ("a.css.br", 20),
            ("b_bg.wasm.br", 300),
            ("other.js.br", 4000),
        ] {
            std::fs::write(dir.join(name), vec![0u8; len]).unwrap();
        }
        let (total, files) = measure(&dir).unwrap();
        assert_eq!(total, 330, "{files:?}");
        std::fs::remove_file(dir.join("a.css.br")).unwrap();
        let missing = measure(&dir).unwrap_err();
        assert!(missing.contains("a.css.br"), "{missing}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
