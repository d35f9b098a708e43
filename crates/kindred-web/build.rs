//! Precompresses the static assets (issue 21): for each file of `static/`
//! that the pages load, a content hash for its name (`kindred.3f2a9c01be.css`),
//! a gzip (best) and a brotli (quality 11) version in OUT_DIR, and a table
//! `assets.rs` that `src/assets.rs` includes. The slow compression happens
//! once per build instead of on every request.

use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

/// The assets: file name and content type.
const ASSETS: [(&str, &str); 5] = [
    ("kindred.css", "text/css; charset=utf-8"),
    ("kindred.js", "text/javascript; charset=utf-8"),
    ("passkeys.js", "text/javascript; charset=utf-8"),
    ("live.js", "text/javascript; charset=utf-8"),
    ("call.js", "text/javascript; charset=utf-8"),
];

fn main() -> std::io::Result<()> {
    let out_dir = std::env::var("OUT_DIR").map_err(std::io::Error::other)?;
    let out = Path::new(&out_dir);
    let mut table = String::from("pub(crate) const ASSETS: &[Asset] = &[\n");
    for (name, content_type) in ASSETS {
        let source = Path::new("static").join(name);
        println!("cargo::rerun-if-changed={}", source.display());
        let plain = std::fs::read(&source)?;
        let hash: String = Sha256::digest(&plain).iter().take(5).map(|b| format!("{b:02x}")).collect();
        std::fs::write(out.join(format!("{name}.gz")), gzip(&plain)?)?;
        std::fs::write(out.join(format!("{name}.br")), brotli(&plain)?)?;
        let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
        let root = std::env::current_dir()?;
        table.push_str(&format!(
            "    Asset {{ name: {name:?}, hashed: \"{stem}.{hash}.{extension}\", hash: {hash:?}, \
             content_type: {content_type:?}, plain: include_bytes!({plain:?}), \
             gzip: include_bytes!({gz:?}), brotli: include_bytes!({br:?}) }},\n",
            plain = root.join(&source).display().to_string(),
            gz = out.join(format!("{name}.gz")).display().to_string(),
            br = out.join(format!("{name}.br")).display().to_string(),
        ));
    }
    table.push_str("];\n");
    std::fs::write(out.join("assets.rs"), table)
}

fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data)?;
    encoder.finish()
}

fn brotli(data: &[u8]) -> std::io::Result<Vec<u8>> {
    // Quality 11 (the best), a 4 MiB window (lgwin 22, the default).
    let mut writer = brotli::CompressorWriter::new(Vec::new(), 4096, 11, 22);
    writer.write_all(data)?;
    // Ends the stream (its last block) and hands back the bytes.
    Ok(writer.into_inner())
}
