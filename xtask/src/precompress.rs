//! Brotli and gzip copies of the built app's text and wasm files, so the
//! server sends them at maximum compression without compressing per request.

use std::fs;
use std::io::Write;
use std::path::Path;

const EXTENSIONS: [&str; 4] = ["wasm", "js", "css", "html"];

pub fn dist(dir: &Path) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !EXTENSIONS.contains(&ext) {
            continue;
        }
        let data = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;

        let mut br = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 1 << 16, 11, 22);
            w.write_all(&data).map_err(|e| e.to_string())?;
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&data).map_err(|e| e.to_string())?;
        let gz = gz.finish().map_err(|e| e.to_string())?;

        let name = path.to_string_lossy();
        fs::write(format!("{name}.br"), br).map_err(|e| e.to_string())?;
        fs::write(format!("{name}.gz"), gz).map_err(|e| e.to_string())?;
    }
    Ok(())
}
