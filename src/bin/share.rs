//! The share page (`share.html`): a shared board, read-only, without the
//! editor's code.

fn main() {
    storyreel::start_share();
}
