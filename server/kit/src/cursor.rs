//! Opaque pagination cursors.
//!
//! A cursor is the sort key of the last item of a page, serialised as JSON and base64url-encoded.
//! Clients must treat it as opaque; the server decodes it back into a typed key and refuses
//! anything else with 422 before it gets near SQL.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::problem::ProblemResponse;

/// Longest cursor accepted, in characters.
const MAX_CURSOR_LEN: usize = 512;

/// Encodes a sort key as a cursor.
pub fn encode<K: Serialize>(key: &K) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).expect("cursor keys serialise"))
}

/// Decodes a cursor made by [`encode`]; a 422 naming `cursor` otherwise.
pub fn decode<K: DeserializeOwned>(cursor: &str) -> Result<K, ProblemResponse> {
    let invalid = || {
        ProblemResponse::invalid_field(
            "cursor",
            "not a cursor this API made; pass `next_cursor` from the previous page unchanged",
        )
    };
    if cursor.len() > MAX_CURSOR_LEN {
        return Err(invalid());
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    serde_json::from_slice(&bytes).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_garbage() {
        let cursor = encode(&("2026-11-02", 42_u32));
        assert_eq!(
            decode::<(String, u32)>(&cursor).unwrap(),
            ("2026-11-02".to_owned(), 42)
        );
        assert!(decode::<(String, u32)>("not base64!").is_err());
        assert!(decode::<(String, u32)>(&encode(&"other shape")).is_err());
        assert!(decode::<(String, u32)>(&"A".repeat(600)).is_err());
    }
}
