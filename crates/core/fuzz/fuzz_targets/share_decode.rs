//! Share links: any input, read as pasted text, as a link's packed bytes
//! and as a binary layout, is refused or gives a board that shares again
//! unchanged (`storyreel_core::share::fuzz_decode` panics otherwise).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    storyreel_core::share::fuzz_decode(data);
});
