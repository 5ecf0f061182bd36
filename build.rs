//! The editor's wasm keeps its relocations: `cargo xtask` cuts the
//! `#[lazy]` functions out of it with them (xtask/src/split.rs).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bin=storyreel=--emit-relocs");
    }
}
