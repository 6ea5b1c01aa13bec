//! Cursor (keyset) pagination envelope used by every list endpoint.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Largest page a client may ask for with `?limit=`.
pub const MAX_PAGE_SIZE: u32 = 200;

/// One page of a list. Pass `next_cursor` back as `?cursor=` to get the next page; it is `null` on
/// the last page. Cursors are opaque: clients must not build or edit them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    /// The items of this page, in the list's documented order.
    pub items: Vec<T>,
    /// Opaque cursor of the next page, or `null` when this is the last page.
    pub next_cursor: Option<String>,
}
