//! Reading many (verified, directory) pairs at once for prepared matching: a JSON array of
//! `{"verified", "directory"}` objects, or JSON Lines of such objects (blank lines skipped), each
//! pair prepared on both sides as it is read.

use serde::de::{DeserializeSeed, Error as _, SeqAccess, Visitor};
use serde_json::Value;

use super::engine::{Matcher, PreparedRecord, PreparedVerified};
use super::verified::VerifiedClaims;
use crate::error::{Error, Result};
use crate::profile::normalize_user;

/// Largest accepted JSON Lines line, in bytes (for pairs here and for claims in `batch`).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// One pair, both sides prepared by the matcher that read it.
pub type PreparedPair = (PreparedVerified, PreparedRecord);

/// Reads and prepares every pair of `text` (an array, or JSON Lines when it does not start with `[`).
/// A pair that cannot be read fails the whole call: `INVALID_JSON`, `INPUT_TOO_LARGE` (a JSON Lines
/// line over [`MAX_LINE_BYTES`]) or the directory side's normalization error.
pub fn load_pairs(matcher: &Matcher, text: &str) -> Result<Vec<PreparedPair>> {
    let mapping = matcher.policy().attribute_mapping();
    let load = |pair: &Value| -> Result<PreparedPair> {
        let verified = VerifiedClaims::from_json(pair.get("verified").unwrap_or(&Value::Null));
        let directory = pair.get("directory").unwrap_or(&Value::Null);
        let user = normalize_user(directory, &mapping)?.user;
        Ok((matcher.prepare_verified(&verified), matcher.prepare_record(&user)))
    };
    if text.trim_start().starts_with('[') {
        // Read element by element: the whole array as one JSON tree made loading 20,000 pairs in
        // one call ten times slower per pair than 1,000 at a time (memory grown for a tree that
        // is dropped right after).
        return load_array(text, load);
    }
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if line.len() > MAX_LINE_BYTES {
            return Err(Error::InputTooLarge { what: "JSONL line", limit: MAX_LINE_BYTES });
        }
        out.push(load(&serde_json::from_str(line).map_err(|e| invalid_json(&e))?)?);
    }
    Ok(out)
}

/// Heap bytes reserved per byte of [`load_pairs`] input: a little under what loading into a fresh heap
/// grows it to anyway (noisy pairs, 377 B of JSON each: 131.5 MB for 20,000 = 17.4× the input — the
/// prepared pairs, their one copy, the growing vector, the parser's blocks; `bench/claims-memory.mjs`),
/// so the reservation saves the step-by-step growth without holding memory loading would not use.
pub const LOAD_PAIRS_HEAP_PER_INPUT_BYTE: usize = 16;

/// How many heap bytes to reserve (allocate and free at once) before loading `input_bytes` of pairs
/// into a heap whose memory is `memory_bytes` large; 0 for none. Grown bit by bit while loading, the
/// time per pair rose with the memory already grown (20,000 pairs in one call: 10.3 s into a fresh
/// heap, 2.2 s into one already grown). Only into a memory smaller than the reservation: in one already
/// grown, a block that size would not fit beside the pairs held, and every load would grow memory by a
/// whole reservation again (5 loads of 20,000 pairs kept: 520 MB instead of 350 MB).
pub fn load_pairs_reservation(input_bytes: usize, memory_bytes: usize) -> usize {
    let reserve = input_bytes.saturating_mul(LOAD_PAIRS_HEAP_PER_INPUT_BYTE);
    if memory_bytes < reserve {
        reserve
    } else {
        0
    }
}

fn invalid_json(e: &serde_json::Error) -> Error {
    Error::InvalidJson { position: format!("line {} column {}", e.line(), e.column()) }
}

/// Reads a JSON array of pairs one element at a time, loading each as it is read.
pub(crate) fn load_array<T>(text: &str, load: impl Fn(&Value) -> Result<T>) -> Result<Vec<T>> {
    macro_rules! not_an_array {
        ($($name:ident: $t:ty),*) => {$(
            fn $name<Er: serde::de::Error>(self, _: $t) -> std::result::Result<(), Er> {
                Err(Er::custom("not an array"))
            }
        )*};
    }
    struct Elements<'a, T, F> {
        load: F,
        out: &'a mut Vec<T>,
        failed: &'a mut Option<Error>,
    }
    impl<'de, T, F: Fn(&Value) -> Result<T>> Visitor<'de> for Elements<'_, T, F> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an array of pairs")
        }
        // Anything but an array: the callers only pass text that starts with `[`, and these keep
        // serde's `invalid_type` messages (which format floats) out of the module.
        not_an_array!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);
        fn visit_unit<Er: serde::de::Error>(self) -> std::result::Result<(), Er> {
            Err(Er::custom("not an array"))
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> std::result::Result<(), A::Error> {
            Err(A::Error::custom("not an array"))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
            while let Some(value) = seq.next_element::<Value>()? {
                match (self.load)(&value) {
                    Ok(pair) => self.out.push(pair),
                    Err(e) => {
                        *self.failed = Some(e);
                        return Err(A::Error::custom("pair"));
                    }
                }
            }
            Ok(())
        }
    }
    impl<'de, T, F: Fn(&Value) -> Result<T>> DeserializeSeed<'de> for Elements<'_, T, F> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }

    let (mut out, mut failed) = (Vec::new(), None);
    let mut de = serde_json::Deserializer::from_str(text);
    let read = Elements { load, out: &mut out, failed: &mut failed }.deserialize(&mut de).and_then(|()| de.end());
    match (failed, read) {
        (Some(e), _) => Err(e),
        (None, Err(e)) => Err(invalid_json(&e)),
        (None, Ok(())) => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::{Decision, Policy};

    const PAIR: &str = r#"{"verified":{"given_name":"Ana","family_name":"Núñez","birthdate":"1990-04-03"},
        "directory":{"firstName":"Ana","lastName":"Núñez","birthdate":"1990-04-03"}}"#;

    #[test]
    fn an_array_and_json_lines_give_the_same_pairs() {
        let matcher = Matcher::new(Policy::default());
        let line = PAIR.replace('\n', " ");
        let array = load_pairs(&matcher, &format!(" [{PAIR},{PAIR}]")).expect("array");
        let lines = load_pairs(&matcher, &format!("{line}\n\n{line}\n")).expect("lines");
        assert_eq!((array.len(), lines.len()), (2, 2));
        for (v, d) in array.iter().chain(&lines) {
            assert_eq!(matcher.decide_prepared(v, d), Decision::Match);
        }
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        let matcher = Matcher::new(Policy::default());
        let long = format!("{{\"verified\":{{}},\"directory\":{{\"x\":\"{}\"}}}}", "a".repeat(MAX_LINE_BYTES));
        assert!(matches!(load_pairs(&matcher, &long), Err(Error::InputTooLarge { .. })));
        assert!(matches!(load_pairs(&matcher, r#"[{"directory":{}}, nope]"#), Err(Error::InvalidJson { .. })));
        assert!(matches!(load_pairs(&matcher, "[{}]"), Err(Error::InvalidProfile { .. })));
        assert!(matches!(load_pairs(&matcher, "{\n"), Err(Error::InvalidJson { .. })));
        assert_eq!(load_pairs(&matcher, "[]").map(|p| p.len()), Ok(0));
    }

    #[test]
    fn the_heap_is_reserved_only_into_a_smaller_memory() {
        let per = LOAD_PAIRS_HEAP_PER_INPUT_BYTE;
        assert_eq!(load_pairs_reservation(1_000, 0), 1_000 * per);
        assert_eq!(load_pairs_reservation(1_000, 1_000 * per - 1), 1_000 * per);
        // A memory already as large as the reservation: loading reuses what is free in it.
        assert_eq!(load_pairs_reservation(1_000, 1_000 * per), 0);
        assert_eq!(load_pairs_reservation(1_000, 1 << 30), 0);
        assert_eq!(load_pairs_reservation(0, 0), 0);
        // No overflow on absurd sizes.
        assert_eq!(load_pairs_reservation(usize::MAX, 0), usize::MAX);
    }
}
