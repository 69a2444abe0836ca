//! Reading many (verified, directory) pairs at once for prepared matching: a JSON array of
//! `{"verified", "directory"}` objects, or JSON Lines of such objects (blank lines skipped), each
//! pair prepared on both sides as it is read.

use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Error as _, SeqAccess, Visitor};
use serde::Deserialize;

use super::engine::{Matcher, PreparedRecord, PreparedVerified};
pub(crate) use super::pair_view::PairView;
use super::verified::VerifiedClaims;
use crate::error::{Error, Result};
use crate::profile::json::Json;
use crate::profile::json::JsonTree;
use crate::profile::{read_fields, AttributeMapping, CanonicalField, DirectoryUser};

/// Every record field the matcher reads (names, birthdate, the address parts, both phones, email): a
/// pair's directory side is read into these only (see [`read_directory`]).
const CLAIM_FIELDS: [CanonicalField; 12] = [
    CanonicalField::GivenName,
    CanonicalField::MiddleName,
    CanonicalField::FamilyName,
    CanonicalField::Birthdate,
    CanonicalField::StreetAddress,
    CanonicalField::Locality,
    CanonicalField::Region,
    CanonicalField::PostalCode,
    CanonicalField::Country,
    CanonicalField::MobilePhone,
    CanonicalField::PrimaryPhone,
    CanonicalField::Email,
];

/// The directory side of a pair (an Okta user or a bare profile) as the matcher reads it: the
/// normalized record's [`CLAIM_FIELDS`], the others left empty; the normalization's errors.
pub(crate) fn read_directory<V: JsonTree>(directory: &V, mapping: &AttributeMapping) -> Result<DirectoryUser> {
    read_fields(directory, mapping, &CLAIM_FIELDS)
}

/// Largest accepted JSON Lines line, in bytes (for pairs here and for claims in `batch`).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// One pair, both sides prepared by the matcher that read it.
pub type PreparedPair = (PreparedVerified, PreparedRecord);

/// Reads and prepares every pair of `text` (an array, or JSON Lines when it does not start with `[`).
/// A pair that cannot be read fails the whole call: `INVALID_JSON`, `INPUT_TOO_LARGE` (a JSON Lines
/// line over [`MAX_LINE_BYTES`]) or the directory side's normalization error.
pub fn load_pairs(matcher: &Matcher, text: &str) -> Result<Vec<PreparedPair>> {
    let mapping = matcher.policy().attribute_mapping();
    let load = |pair: &PairView| -> Result<PreparedPair> {
        let (verified, user) = read_view(pair, &mapping)?;
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

/// Reads one pair given as two JSON texts, the verified claims and the directory record (an Okta user or
/// a bare profile), as [`read_view`] reads the two sides of a pair: `INVALID_JSON` for text that is not
/// JSON (the verified side's first), else the directory side's normalization error.
pub fn read_sides(
    verified_json: &str,
    directory_json: &str,
    mapping: &AttributeMapping,
) -> Result<(VerifiedClaims, DirectoryUser)> {
    let verified = read_verified_json(verified_json)?;
    Ok((verified, read_directory(&parse_tree(directory_json)?, mapping)?))
}

/// Verified claims from JSON text (see [`VerifiedClaims::from_json`]); `INVALID_JSON` when it is not JSON.
pub fn read_verified_json(text: &str) -> Result<VerifiedClaims> {
    Ok(VerifiedClaims::from_tree(&parse_tree(text)?))
}

/// One JSON text as a borrowed tree (`INVALID_JSON` with its position when it is not JSON).
pub(crate) fn parse_tree(text: &str) -> Result<Json<'_>> {
    serde_json::from_str(text).map_err(|e| invalid_json(&e))
}

/// Reads one pair, `{"verified", "directory"}` (a missing side is `null`): the verified claims and the
/// normalized directory user (its normalization error when it is not a profile).
pub(crate) fn read_view(pair: &PairView, mapping: &AttributeMapping) -> Result<(VerifiedClaims, DirectoryUser)> {
    let verified = VerifiedClaims::from_tree(pair.verified());
    Ok((verified, read_directory(pair.directory(), mapping)?))
}

/// [`read_view`] over a pair read as a whole [`Json`] tree (the reader before [`PairView`]; tests compare
/// the two).
#[cfg(test)]
pub(crate) fn read_pair(pair: &Json, mapping: &AttributeMapping) -> Result<(VerifiedClaims, DirectoryUser)> {
    use crate::profile::json::JsonMap;
    let side = |key: &str| match pair {
        Json::Object(object) => object.get(key).unwrap_or(&Json::Null),
        _ => &Json::Null,
    };
    Ok((VerifiedClaims::from_tree(side("verified")), read_directory(side("directory"), mapping)?))
}

/// Reads a JSON array of pairs one element at a time, loading each as it is read. Each element is
/// read as an `Item`: the pair readers use [`PairView`], the two sides only, as trees whose strings
/// borrow from `text` (no owned copy of every key and value, no B-tree per object, the other members
/// parsed and dropped); the syntax is serde_json's whatever `Item` is, so the errors are those of
/// reading `Value`s (the tests compare the two).
pub(crate) fn load_array<'de, Item: Deserialize<'de>, T>(
    text: &'de str,
    load: impl Fn(&Item) -> Result<T>,
) -> Result<Vec<T>> {
    macro_rules! not_an_array {
        ($($name:ident: $t:ty),*) => {$(
            fn $name<Er: serde::de::Error>(self, _: $t) -> std::result::Result<(), Er> {
                Err(Er::custom("not an array"))
            }
        )*};
    }
    struct Elements<'a, Item, T, F> {
        load: F,
        out: &'a mut Vec<T>,
        failed: &'a mut Option<Error>,
        element: PhantomData<Item>,
    }
    impl<'de, Item: Deserialize<'de>, T, F: Fn(&Item) -> Result<T>> Visitor<'de> for Elements<'_, Item, T, F> {
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
            while let Some(value) = seq.next_element::<Item>()? {
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
    impl<'de, Item: Deserialize<'de>, T, F: Fn(&Item) -> Result<T>> DeserializeSeed<'de> for Elements<'_, Item, T, F> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }

    let (mut out, mut failed) = (Vec::new(), None);
    let mut de = serde_json::Deserializer::from_str(text);
    let elements = Elements { load, out: &mut out, failed: &mut failed, element: PhantomData };
    let read = elements.deserialize(&mut de).and_then(|()| de.end());
    match (failed, read) {
        (Some(e), _) => Err(e),
        (None, Err(e)) => Err(invalid_json(&e)),
        (None, Ok(())) => Ok(out),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::claims::kinds::{AddressPart, ClaimKind};
    use crate::claims::verified::Claimed;
    use crate::claims::{Decision, Policy};
    use crate::profile::DirectoryUser;

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

    /// The reader before pairs were read as borrowed trees: each element a `serde_json::Value`, the
    /// verified side read by the Value-only reader of then.
    fn read_as_values(matcher: &Matcher, text: &str) -> Result<Vec<(VerifiedClaims, DirectoryUser)>> {
        use crate::profile::normalize_user;
        use serde_json::Value;
        let mapping = matcher.policy().attribute_mapping();
        load_array(text, |pair: &Value| {
            let verified = crate::claims::verified::before::from_json(pair.get("verified").unwrap_or(&Value::Null));
            Ok((verified, claim_view(normalize_user(pair.get("directory").unwrap_or(&Value::Null), &mapping)?.user)))
        })
    }

    /// The fields of a fully normalized record that the matcher reads (written out here, not through
    /// `CLAIM_FIELDS`, so that a field left out of it shows as a difference).
    pub(crate) fn claim_view(user: DirectoryUser) -> DirectoryUser {
        use crate::profile::{PersonName, Phones};
        DirectoryUser {
            name: PersonName {
                given: user.name.given,
                middle: user.name.middle,
                family: user.name.family,
                ..Default::default()
            },
            birthdate: user.birthdate,
            address: user.address,
            phones: Phones { mobile: user.phones.mobile, primary: user.phones.primary },
            email: user.email,
            ..DirectoryUser::default()
        }
    }

    #[test]
    fn the_directory_side_is_read_into_the_fields_claims_compare_only() {
        use crate::profile::{normalize_user_json, CustomScalar, CustomValue};
        let directory = r#"{"id":"00u1abcdefghijklmnop","status":"ACTIVE","lastUpdated":"2024-01-02T03:04:05.000Z",
            "profile":{"login":"ana@example.com","firstName":" Ana ","middleName":"M","lastName":"Núñez",
            "nickName":"Anita","displayName":"Ana N","birthdate":"1990-04-03","email":"ana@example.com",
            "secondEmail":"a@example.org","streetAddress":"1 Main St","city":"Springfield","state":"IL",
            "zipCode":"62701","countryCode":"us","mobilePhone":"555-0100","primaryPhone":"555-0199",
            "employeeNumber":42,"costCenter":"x","badge":"B-7","tags":["a",1,true]}}"#;
        let mapping = AttributeMapping::default();
        let full = normalize_user_json(directory, &mapping).expect("normalizes");
        assert_eq!(full.user.custom.get("badge"), Some(&CustomValue::Scalar(CustomScalar::String("B-7".into()))));
        assert!(full.user.id.is_some() && full.user.login.is_some() && !full.sources.is_empty());
        let (_, lean) = read_sides("{}", directory, &mapping).expect("reads");
        assert_eq!(lean, claim_view(full.user.clone()));
        assert!(lean.custom.is_empty() && lean.id.is_none() && lean.login.is_none() && lean.name.nickname.is_none());
        assert_eq!((lean.phones.primary.as_deref(), lean.address.country.as_deref()), (Some("555-0199"), Some("US")));
        // Errors are the normalization's.
        for bad in ["[]", r#"{"profile":1}"#] {
            assert_eq!(read_sides("{}", bad, &mapping).map(|_| ()), normalize_user_json(bad, &mapping).map(|_| ()));
        }
    }

    /// The reader of session 7: each element a borrowed [`Json`] tree, its sides looked up in it.
    fn read_as_trees(matcher: &Matcher, text: &str) -> Result<Vec<(VerifiedClaims, DirectoryUser)>> {
        let mapping = matcher.policy().attribute_mapping();
        load_array(text, |pair: &Json| read_pair(pair, &mapping))
    }

    /// The reader of today: each element a [`PairView`].
    fn read_as_views(matcher: &Matcher, text: &str) -> Result<Vec<(VerifiedClaims, DirectoryUser)>> {
        let mapping = matcher.policy().attribute_mapping();
        load_array(text, |pair: &PairView| read_view(pair, &mapping))
    }

    /// A small deterministic generator (SplitMix64).
    pub(crate) struct Rng(pub(crate) u64);

    impl Rng {
        pub(crate) fn below(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            ((z ^ (z >> 31)) % n as u64) as usize
        }

        pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    /// A JSON value for a claim or attribute: mostly text (escaped, padded, blank, long), sometimes
    /// `null`, a number, a boolean, an array or a `{"value": …}` object.
    pub(crate) fn value(rng: &mut Rng, depth: usize) -> String {
        match rng.below(if depth > 2 { 9 } else { 12 }) {
            0..=4 => rng
                .pick(&[
                    r#""Ana""#,
                    r#"" JOSÉ ""#,
                    r#""Núñez""#,
                    r#""1990-04-03""#,
                    r#""""#,
                    r#""  ""#,
                    r#""a\u00e9\\b\"""#,
                    r#""O'Neil""#,
                    r#""+1 217 555 0100""#,
                    r#""US""#,
                    r#""12 Main St""#,
                    r#""x@example.com""#,
                ])
                .to_owned(),
            5 => rng.pick(&["null", "1990", "-0.5", "1e400", "true", "18446744073709551616"]).to_owned(),
            6 => format!("\"{}\"", "a".repeat(4090 + rng.below(12))),
            7 => r#""Zo\u00eb\ud83d\ude00""#.to_owned(),
            8 => r#""\u200bAna""#.to_owned(),
            9 => format!("{{\"value\":{}}}", value(rng, depth + 1)),
            10 => format!("[{},{}]", value(rng, depth + 1), value(rng, depth + 1)),
            _ => object(rng, depth + 1),
        }
    }

    const KEYS: [&str; 24] = [
        "given_name",
        "family_name",
        "middle_name",
        "birthdate",
        "bithdate",
        "email",
        "phone_number",
        "address",
        "street_address",
        "locality",
        "region",
        "postal_code",
        "country",
        "claims",
        "verification",
        "evidence",
        "document_details",
        "document",
        "issuer",
        "country_code",
        "firstName",
        "lastName",
        "profile",
        "id",
    ];

    /// An object of 0–7 keys drawn from the names the readers look for, repeated keys included.
    fn object(rng: &mut Rng, depth: usize) -> String {
        let entries: Vec<String> = (0..rng.below(8))
            .map(|_| {
                let key = KEYS[rng.below(KEYS.len())];
                let value = if depth > 3 { "\"Ana\"".to_owned() } else { value(rng, depth) };
                format!("{key:?}:{value}")
            })
            .collect();
        format!("{{{}}}", entries.join(","))
    }

    /// A pair as the SDK sends it, or with a side missing, `null` or of another kind.
    pub(crate) fn pair(rng: &mut Rng) -> String {
        let profile = [
            "firstName",
            "lastName",
            "birthdate",
            "streetAddress",
            "city",
            "state",
            "zipCode",
            "countryCode",
            "mobilePhone",
            "email",
            "middleName",
            "nickName",
            "custom1",
            "primaryPhone",
        ];
        let directory: Vec<String> =
            (0..rng.below(10)).map(|_| format!("{:?}:{}", rng.pick(&profile), value(rng, 2))).collect();
        let directory = format!("{{{}}}", directory.join(","));
        let directory = match rng.below(10) {
            0 => format!("{{\"id\":\"00u1\",\"status\":\"ACTIVE\",\"profile\":{directory}}}"),
            1 => value(rng, 3),
            _ => directory,
        };
        let verified = match rng.below(6) {
            0 => format!("{{\"verification\":{},\"claims\":{}}}", object(rng, 1), object(rng, 1)),
            1 => value(rng, 1),
            _ => object(rng, 0),
        };
        match rng.below(12) {
            0 => format!("{{\"directory\":{directory}}}"),
            1 => format!("{{\"verified\":{verified}}}"),
            2 => format!("{{\"directory\":{directory},\"verified\":{verified},\"directory\":{{}}}}"),
            _ => format!("{{\"verified\":{verified},\"directory\":{directory}}}"),
        }
    }

    #[test]
    fn pairs_read_as_trees_read_as_values_did() {
        let matcher = Matcher::new(Policy::default());
        let mut rng = Rng(13);
        let (mut read, mut failed) = (0, 0);
        for _ in 0..3_000 {
            let pairs: Vec<String> = (0..1 + rng.below(3)).map(|_| pair(&mut rng)).collect();
            let text = format!("[{}]", pairs.join(","));
            let want = read_as_values(&matcher, &text);
            assert_eq!(read_as_trees(&matcher, &text), want, "{text}");
            assert_eq!(read_as_views(&matcher, &text), want, "{text}");
            if want.is_ok() {
                read += 1
            } else {
                failed += 1
            }
        }
        // Both outcomes are exercised.
        assert!(read > 500 && failed > 500, "{read} read, {failed} failed");
    }

    #[test]
    fn malformed_arrays_fail_as_they_did() {
        let matcher = Matcher::new(Policy::default());
        let mut rng = Rng(7);
        for _ in 0..40 {
            let text = format!("[{},{}]", pair(&mut rng), pair(&mut rng));
            // Prefixes (every 11th byte: cut in strings, numbers, keys, between tokens), and the text with
            // one byte replaced by a character JSON rejects there.
            for end in (0..text.len()).step_by(11).filter(|i| text.is_char_boundary(*i)) {
                let cut = &text[..end];
                assert_eq!(read_as_trees(&matcher, cut), read_as_values(&matcher, cut), "{cut}");
                assert_eq!(read_as_views(&matcher, cut), read_as_values(&matcher, cut), "{cut}");
            }
            let at = rng.below(text.len());
            if text.is_char_boundary(at) && text.is_char_boundary(at + 1) {
                let broken =
                    format!("{}{}{}", &text[..at], rng.pick(&["}", "]", ",", ":", "\\", "x", "\""]), &text[at + 1..]);
                assert_eq!(read_as_trees(&matcher, &broken), read_as_values(&matcher, &broken), "{broken}");
                assert_eq!(read_as_views(&matcher, &broken), read_as_values(&matcher, &broken), "{broken}");
            }
        }
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

    /// The reader every batch entry point uses (`load_pairs`, `match_many_*`, `decide_many_json`).
    fn read_in_production(matcher: &Matcher, text: &str) -> Result<Vec<(VerifiedClaims, DirectoryUser)>> {
        read_as_views(matcher, text)
    }

    /// A pair read, in short: the verified side, and the directory fields these cases set.
    fn outcome(read: Result<Vec<(VerifiedClaims, DirectoryUser)>>) -> String {
        match read {
            Err(e) => format!("{} {e}", e.code()),
            Ok(pairs) => pairs
                .iter()
                .map(|(v, d)| {
                    let verified: Vec<String> = ClaimKind::ALL
                        .iter()
                        .map(|(kind, _)| v.get(*kind))
                        .chain(AddressPart::ALL.iter().map(|(part, _)| v.address_part(*part)))
                        .map(|c| match c {
                            Claimed::Absent => "-".to_owned(),
                            Claimed::Unreadable => "?".to_owned(),
                            Claimed::Text(t) => t.clone(),
                        })
                        .collect();
                    let a = &d.address;
                    format!(
                        "{} | {:?} {:?} {:?} {:?}",
                        verified.join(","),
                        d.name.given,
                        d.name.family,
                        a.postal_code,
                        a.country
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        }
    }

    /// What reading gives for pairs that cannot be read, values of the wrong kind, repeated keys and
    /// text that is not JSON where nothing reads it — pinned as the tree reader of session 7 gave it.
    #[test]
    fn reading_outcomes_are_pinned() {
        let matcher = Matcher::new(Policy::default());
        let cases = [
            (
                r#"[{"verified":{"given_name":"Ana"},"directory":{"firstName":"Ana"}}, nope]"#,
                "INVALID_JSON input is not valid JSON (line 1 column 70)",
            ),
            (
                r#"[{"verified":{},"directory":{"profile":1}}]"#,
                "INVALID_PROFILE invalid Okta user input at `profile`: expected an object",
            ),
            (r#"[{"verified":{}}]"#, "INVALID_PROFILE invalid Okta user input at `$`: expected a JSON object"),
            (
                r#"[{"verified":{},"directory":[]}]"#,
                "INVALID_PROFILE invalid Okta user input at `$`: expected a JSON object",
            ),
            ("[5]", "INVALID_PROFILE invalid Okta user input at `$`: expected a JSON object"),
            (
                r#"[{"verified":{},"directory":{}},"x"]"#,
                "INVALID_PROFILE invalid Okta user input at `$`: expected a JSON object",
            ),
            // Members nothing reads are still JSON: out-of-range numbers, lone surrogates, control
            // characters, bad escapes and syntax errors inside them fail where they are.
            (
                r#"[{"id":1e400,"verified":{},"directory":{}}]"#,
                "INVALID_JSON input is not valid JSON (line 1 column 12)",
            ),
            (
                r#"[{"id":"\ud800","verified":{},"directory":{}}]"#,
                "INVALID_JSON input is not valid JSON (line 1 column 15)",
            ),
            (
                r#"[{"id":"\ud800x","verified":{},"directory":{}}]"#,
                "INVALID_JSON input is not valid JSON (line 1 column 15)",
            ),
            (
                "[{\"id\":\"a\u{1}b\",\"verified\":{},\"directory\":{}}]",
                "INVALID_JSON input is not valid JSON (line 1 column 10)",
            ),
            (
                r#"[{"id":"\x","verified":{},"directory":{}}]"#,
                "INVALID_JSON input is not valid JSON (line 1 column 10)",
            ),
            (
                r#"[{"id":[1,{"a":-},"verified":{},"directory":{}}]"#,
                "INVALID_JSON input is not valid JSON (line 1 column 17)",
            ),
            (
                r#"[{"detail":{"verified":{"given_name":1e999}},"verified":{},"directory":{}}]"#,
                "INVALID_JSON input is not valid JSON (line 1 column 42)",
            ),
            // A syntax error after a directory that cannot be normalized: the syntax error.
            (r#"[{"directory":5,"verified":{},"x":tru}]"#, "INVALID_JSON input is not valid JSON (line 1 column 38)"),
            // A pair that cannot be read fails before the unclosed array is seen.
            (
                r#"[{"verified":{"given_name":"Ana"},"directory":{"firstName":"Ana"}} , {"verified":{}}"#,
                "INVALID_PROFILE invalid Okta user input at `$`: expected a JSON object",
            ),
            (
                r#"[{"verified":{"given_name":"Ana"},"directory":{"firstName":"Ana"}} , {"directory":{}}"#,
                "INVALID_JSON input is not valid JSON (line 1 column 85)",
            ),
            (
                r#"[{"verified":{"given_name":"Ana"},"directory":{"firstName":"Ana"}}] x"#,
                "INVALID_JSON input is not valid JSON (line 1 column 69)",
            ),
            // An escaped control character is text.
            (r#"[{"id":"a\u0001b","verified":{},"directory":{}}]"#, "-,-,-,-,-,-,-,-,-,-,-,- | None None None None"),
            // Repeated keys: the last one, at every level.
            (
                r#"[{"verified":{"given_name":"A"},"verified":{"given_name":" Bea ","family_name":5},"directory":{"firstName":"X","firstName":"Ana","lastName":7,"profile":{"firstName":"P"},"profile":{"lastName":"Q"}}}]"#,
                "Bea,-,?,-,-,-,-,-,-,-,-,- | None Some(\"Q\") None None",
            ),
            (
                r#"[{"verified":{"given_name":"Ana"},"directory":{"firstName":"Ana"},"directory":null}]"#,
                "INVALID_PROFILE invalid Okta user input at `$`: expected a JSON object",
            ),
            (
                r#"[{"directory":{"firstName":"Ana"},"directory":{"firstName":"Bo","firstName":"Cy"}}]"#,
                "-,-,-,-,-,-,-,-,-,-,-,- | Some(\"Cy\") None None None",
            ),
            (
                r#"[{"verified":{"given_name":"Ana","given_name":null,"family_name":{"value":"X","value":"Y"}},"directory":{}}]"#,
                "-,-,Y,-,-,-,-,-,-,-,-,- | None None None None",
            ),
            // The wrapped form, and values of other kinds than text.
            (
                r#"[{"verified":{"claims":{"given_name":"C"},"verification":{},"given_name":"T"},"directory":{"firstName":"Ana"}}]"#,
                "C,-,-,-,-,-,-,-,-,-,-,- | Some(\"Ana\") None None None",
            ),
            (
                r#"[{"verified":{"given_name":"T","claims":{"given_name":"C"}},"directory":{}}]"#,
                "T,-,-,-,-,-,-,-,-,-,-,- | None None None None",
            ),
            (
                r#"[{"directory":{"firstName":"Ana","zipCode":62701,"countryCode":"us"},"verified":{"address":"x","birthdate":19900403}}]"#,
                "-,-,-,?,-,-,-,?,?,?,?,? | Some(\"Ana\") None None Some(\"US\")",
            ),
            (
                r#"[{"verified":{"address":{"postal_code":" 627\u00301 ","country":["US"]},"given_name":true,"email":"  "},"directory":{"profile":{"firstName":" Ana\u0020","zipCode":"62701"},"firstName":"Top"}}]"#,
                "?,-,-,-,-,-,-,-,-,-,62701,? | Some(\"Ana\") None Some(\"62701\") None",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(outcome(read_in_production(&matcher, text)), want, "{text}");
            // Every batch entry point fails the same way.
            if let Err(e) = read_in_production(&matcher, text) {
                assert_eq!(load_pairs(&matcher, text).map(|_| ()), Err(e.clone()), "{text}");
                assert_eq!(crate::claims::match_many_codes(&matcher, text).map(|_| ()), Err(e.clone()), "{text}");
                assert_eq!(crate::claims::match_many_json(&matcher, text).map(|_| ()), Err(e.clone()), "{text}");
                assert_eq!(crate::claims::decide_many_json(&matcher, text).map(|_| ()), Err(e), "{text}");
            }
        }
    }
}
