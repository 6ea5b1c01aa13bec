//! Opaque pagination cursors.
//!
//! A cursor is the sort key of the last item of a page, serialised as JSON and base64url-encoded.
//! Clients must treat it as opaque; the server decodes it back into a typed key and refuses
//! anything else with 422 before it gets near SQL. Only the exact text [`encode`] makes for a key
//! is accepted (not the same JSON with other spacing, escapes or key order), so a decoded cursor
//! is always one this API could have handed out.

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
pub fn decode<K: Serialize + DeserializeOwned>(cursor: &str) -> Result<K, ProblemResponse> {
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
    let key: K = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    // The same key in another spelling (`[ "a",1]`, `"\u0061"`, fields reordered or unknown ones
    // added) is not a cursor we made.
    if serde_json::to_vec(&key).ok().as_deref() != Some(bytes.as_slice()) {
        return Err(invalid());
    }
    Ok(key)
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
        let spaced = URL_SAFE_NO_PAD.encode(br#"[ "2026-11-02", 42 ]"#);
        assert!(
            decode::<(String, u32)>(&spaced).is_err(),
            "not the spelling we make"
        );
    }

    use proptest::prelude::*;
    use uuid::Uuid;

    /// The shape of the expenses list's cursor: a day and an id.
    type ListKey = (String, Uuid);

    /// Any text of up to `max` characters: every Unicode scalar value, controls included.
    fn text(max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(any::<char>(), 0..=max).prop_map(String::from_iter)
    }

    fn uuid() -> impl Strategy<Value = Uuid> {
        any::<u128>().prop_map(Uuid::from_u128)
    }

    /// JSON texts near the cursors we make: the right shape in other spellings, wrong types,
    /// SQL inside strings, numbers where text belongs, deep nesting, unpaired surrogates.
    fn json_like() -> impl Strategy<Value = String> {
        let fragment = prop_oneof![
            Just("[".to_owned()),
            Just("]".to_owned()),
            Just("{".to_owned()),
            Just("}".to_owned()),
            Just(",".to_owned()),
            Just(":".to_owned()),
            Just(" ".to_owned()),
            Just("null".to_owned()),
            Just("1e999".to_owned()),
            Just("-0".to_owned()),
            Just("18446744073709551616".to_owned()),
            Just(r#""\ud800""#.to_owned()),
            Just(r#""2026-11-02""#.to_owned()),
            Just(r#""2026-11-02' OR '1'='1""#.to_owned()),
            Just(r#""'; DROP TABLE expenses; --""#.to_owned()),
            uuid().prop_map(|id| format!("{id:?}")),
            uuid().prop_map(|id| format!("\"{}\"", id.simple())),
            text(12).prop_map(|text| serde_json::to_string(&text).unwrap()),
        ];
        proptest::collection::vec(fragment, 0..12).prop_map(|parts| parts.concat())
    }

    /// Hostile input (docs/security.md): 5,000 cases a property. XorShift, because the default
    /// ChaCha generator is several times slower in unoptimised test builds.
    fn config() -> ProptestConfig {
        ProptestConfig {
            cases: 5_000,
            rng_algorithm: proptest::test_runner::RngAlgorithm::XorShift,
            ..ProptestConfig::default()
        }
    }

    proptest! {
        #![proptest_config(config())]

        /// Any text at all: refused or decoded, never a panic; and whatever decodes is the
        /// exact cursor `encode` makes for that key.
        #[test]
        fn any_text_decodes_only_to_what_was_encoded(text in text(700)) {
            if let Ok(key) = decode::<ListKey>(&text) {
                prop_assert_eq!(&encode(&key), &text);
            }
            if let Ok(id) = decode::<Uuid>(&text) {
                prop_assert_eq!(&encode(&id), &text);
            }
        }

        /// Valid base64 of JSON-like garbage: refused unless it is exactly what `encode` makes.
        #[test]
        fn base64_of_garbage_is_refused(json in json_like()) {
            let cursor = URL_SAFE_NO_PAD.encode(json.as_bytes());
            if let Ok(key) = decode::<ListKey>(&cursor) {
                prop_assert_eq!(&encode(&key), &cursor, "{:?}", json);
            }
            if let Ok(id) = decode::<Uuid>(&cursor) {
                prop_assert_eq!(&encode(&id), &cursor, "{:?}", json);
            }
        }

        /// Whatever we encode decodes to itself.
        #[test]
        fn encoded_keys_round_trip(day in text(40), id in uuid()) {
            let key: ListKey = (day, id);
            prop_assert_eq!(decode::<ListKey>(&encode(&key)).unwrap(), key);
            prop_assert_eq!(decode::<Uuid>(&encode(&id)).unwrap(), id);
        }
    }

    #[test]
    fn huge_and_almost_right_cursors_are_refused() {
        let id = Uuid::now_v7();
        let good = encode(&("2026-11-02", id));
        assert!(decode::<ListKey>(&good).is_ok());
        for bad in [
            format!("{good}="),
            format!("{good}=="),
            good.replace('-', "+").replace('_', "/") + "+",
            format!(" {good}"),
            good.to_uppercase(),
            "A".repeat(100_000),
            URL_SAFE_NO_PAD.encode("[".repeat(10_000)),
            URL_SAFE_NO_PAD.encode(format!(r#"["2026-11-02","{id}","extra"]"#)),
            URL_SAFE_NO_PAD.encode(format!(r#"{{"0":"2026-11-02","1":"{id}"}}"#)),
            URL_SAFE_NO_PAD.encode(format!(r#"[20261102,"{id}"]"#)),
            URL_SAFE_NO_PAD.encode(format!(r#"["\u0032026-11-02","{id}"]"#)),
        ] {
            assert!(decode::<ListKey>(&bad).is_err(), "{bad:.80}");
        }
    }
}
