//! Which mapper writes a board's request for a provider.

use crate::board::{Board, Provider};
use crate::request::{ProviderRequest, RequestError, RequestOptions};

/// The request for the board's own provider.
pub fn for_board(board: &Board, opts: &RequestOptions) -> Result<ProviderRequest, RequestError> {
    for_provider(board.provider, board, opts)
}

/// The request a board maps to for `provider` (checked against that
/// provider's rules, whatever `board.provider` says).
pub fn for_provider(
    provider: Provider,
    board: &Board,
    opts: &RequestOptions,
) -> Result<ProviderRequest, RequestError> {
    match provider {
        Provider::Kling => crate::kling::request(board, opts),
        Provider::Fal => crate::fal::request(board, opts),
        Provider::Replicate => crate::replicate::request(board, opts),
    }
}
