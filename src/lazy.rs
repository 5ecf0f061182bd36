//! `lazy!`: a function whose code loads the first time it is called.
//!
//! In the editor's build (feature `split`, which `index.html` asks Trunk
//! for) it is Leptos's `#[lazy]`: `cargo xtask` cuts the function, and
//! whatever only it reaches, into a wasm file of its own
//! (`xtask/src/split.rs`). Elsewhere (the share page, the tests) it is a
//! plain `async fn`, so those builds neither carry its code nor ask for a
//! loader they do not have. Each lazy function needs a name of its own in
//! the crate.

macro_rules! lazy {
    ($(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block) => {
        $(#[$meta])*
        #[cfg(feature = "split")]
        #[leptos::lazy]
        $vis fn $name($($arg: $ty),*) $(-> $ret)? $body

        $(#[$meta])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) $(-> $ret)? $body
    };
}
