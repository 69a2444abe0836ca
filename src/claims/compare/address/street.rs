//! Street lines: house numbers, street words in USPS standard forms, units and PO boxes.

use super::fold::{name_key, MAX_PART_BYTES};
use super::similarity::{fuzzy_equal, ratio};
use super::tables::{directional, ordinal, street_word, unit_designator};
use crate::claims::policy::MatchMode;
use crate::claims::report::{ClaimResult, Outcome, Reason, Reasons};

/// A street address reduced to what identifies it. Keys are equal when they identify the same place,
/// however it was written.
///
/// The house numbers and the street words are each kept as one string, joined by single spaces: a
/// token holds no space and is never empty, so two lists are equal exactly when their joined forms
/// are, and a key holds two strings instead of a vector and a string per token.
#[derive(Debug, Clone, Default)]
pub struct StreetKey {
    /// House numbers as written (`12`, `12-14`, `12 1/2` as two tokens), folded, joined by spaces.
    house_numbers: String,
    /// Street words with suffixes, directionals and ordinal words in their standard forms, folded,
    /// joined by spaces.
    words: String,
    /// Unit identifiers without their designators (`Apt 4`, `#4`, `Unit 4` are all `4`), folded.
    pub units: Vec<String>,
    /// The PO box number when the address is a PO box.
    pub po_box: Option<String>,
    /// The street words before standardization, joined by single spaces (to tell when abbreviations
    /// made two sides meet); empty when they are `words` (kept once: a loaded pair holds every key).
    written: String,
    /// What each unit is: a floor, a building, or a unit (apartment, suite, `#`…).
    unit_kinds: Vec<UnitKind>,
    /// The unit designators as written (`apt`, `#`, `apartment`).
    designators: Vec<String>,
}

/// Designators that name the same kind of place are interchangeable (`Apt 4` = `Suite 4` = `#4`);
/// a floor or a building is something else (`Fl 4` is not `Apt 4`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitKind {
    Unit,
    Floor,
    Building,
}

impl UnitKind {
    fn of(abbreviation: &str) -> UnitKind {
        match abbreviation {
            "FL" => UnitKind::Floor,
            "BLDG" => UnitKind::Building,
            _ => UnitKind::Unit,
        }
    }
}

impl PartialEq for StreetKey {
    fn eq(&self, other: &Self) -> bool {
        (&self.house_numbers, &self.words, &self.units, &self.unit_kinds, &self.po_box)
            == (&other.house_numbers, &other.words, &other.units, &other.unit_kinds, &other.po_box)
    }
}

impl Eq for StreetKey {}

impl StreetKey {
    /// House numbers as written (`12`, `12-14`, `12 1/2` as two), folded, in order.
    pub fn house_numbers(&self) -> impl Iterator<Item = &str> + '_ {
        self.house_numbers.split(' ').filter(|n| !n.is_empty())
    }

    /// Street words with suffixes, directionals and ordinal words in their standard forms, folded,
    /// joined by single spaces (`main st`).
    pub fn words(&self) -> &str {
        &self.words
    }

    /// Whether the street words were written alike before standardization.
    fn written_alike(&self, other: &StreetKey) -> bool {
        // `written` is empty when it is `words` (both joined by single spaces).
        fn written(k: &StreetKey) -> &str {
            if k.written.is_empty() {
                &k.words
            } else {
                &k.written
            }
        }
        written(self) == written(other)
    }

    /// Whether nothing was read (blank, punctuation only, or over-long input).
    pub fn is_empty(&self) -> bool {
        self.house_numbers.is_empty() && self.words.is_empty() && self.units.is_empty() && self.po_box.is_none()
    }
}

/// Normalizes a street address (lines separated by newlines): see [`StreetKey`]. Input longer than
/// 4096 bytes yields an empty key.
///
/// ```
/// use okta_directory::claims::compare::normalize_street;
/// let a = normalize_street("12 Main St Apt 4");
/// assert_eq!(a, normalize_street("12 MAIN STREET #4"));
/// assert_eq!((a.house_numbers().next(), a.words(), a.units[0].as_str()), (Some("12"), "main st", "4"));
/// ```
pub fn normalize_street(s: &str) -> StreetKey {
    let mut key = StreetKey::default();
    if s.len() > MAX_PART_BYTES {
        return key;
    }
    // The folded tokens joined by single spaces (`fold::tokens`, in one string): every step below
    // borrows its tokens from it.
    let folded = name_key(s);
    let mut toks: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    if let Some(boxed) = take_po_box(&mut toks) {
        key.po_box = Some(boxed);
    }
    take_units(&mut toks, &mut key);
    take_house_numbers(&mut toks, &mut key);
    let split;
    let words = if toks.iter().any(|w| german_street_type(w).is_some()) {
        split = split_german_street_type(&toks);
        &split
    } else {
        &toks
    };
    key.words = standardize(words);
    // Tokens hold no spaces and are never empty: the words as written (joined) are kept only when
    // standardizing changed them.
    if !key.words.split(' ').filter(|w| !w.is_empty()).eq(toks.iter().copied()) {
        key.written = toks.join(" ");
    }
    key
}

/// A unit or box identifier: letters and digits only, leading zeros of a number dropped (`04` → `4`).
fn ident(token: &str) -> String {
    let s: String = token.chars().filter(|c| c.is_alphanumeric()).collect();
    let trimmed = s.trim_start_matches('0');
    if trimmed.is_empty() && !s.is_empty() {
        return "0".to_owned();
    }
    if trimmed.len() < s.len() && trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        return trimmed.to_owned();
    }
    s
}

/// Whether a token can be a unit or box identifier: it has a digit, or it is a single letter.
fn is_ident(token: &str) -> bool {
    token.chars().any(|c| c.is_ascii_digit()) || (token.chars().count() == 1 && token != "#")
}

/// Removes a PO box (`PO Box 12`, `P.O. Box 12`, `Post Office Box 12`, `POB 12`, `Box 12` alone…) and
/// returns its number.
fn take_po_box(toks: &mut Vec<&str>) -> Option<String> {
    const LEADS: &[&[&str]] = &[
        &["po", "box"],
        &["p", "o", "box"],
        &["post", "office", "box"],
        &["gpo", "box"],
        &["pob"],
        &["postfach"],
        &["case", "postale"],
        &["boite", "postale"],
    ];
    let words = &*toks;
    for start in 0..words.len() {
        let rest = words.get(start..).unwrap_or_default();
        // Only a word with a lead's first letter (or `box`'s) can start a box: most words are not
        // compared with the leads.
        let initial = |w: Option<&&str>| w.and_then(|w| w.as_bytes().first().copied());
        let first = initial(rest.first());
        if first != Some(b'b') && !LEADS.iter().any(|lead| initial(lead.first()) == first) {
            continue;
        }
        // `Box 12` is a PO box only when it is the whole address: elsewhere "box" may be a street name.
        let whole = rest.len() == 2 || (rest.len() == 3 && rest.get(1) == Some(&"#"));
        let lead_len = if start == 0 && whole && rest.first() == Some(&"box") {
            Some(1)
        } else {
            LEADS.iter().find(|lead| rest.starts_with(lead)).map(|lead| lead.len())
        };
        let Some(mut end) = lead_len.map(|n| start + n) else { continue };
        if words.get(end) == Some(&"#") {
            end += 1;
        }
        if let Some(id) = words.get(end).filter(|w| is_ident(w)) {
            let id = ident(id);
            toks.drain(start..=end);
            return Some(id);
        }
    }
    None
}

/// Removes unit designators with their identifiers (`Apt 4`, `#4`, `Suite B`, `Flat 4`, a final
/// `Rear`) and the Australian `4/12` form (unit 4 of number 12).
fn take_units(toks: &mut Vec<&str>, key: &mut StreetKey) {
    // The tokens kept are written back over `toks` in place (at `kept`, never past `i`, the token
    // being read), which is then cut to them.
    let mut kept = 0;
    let mut i = 0;
    while let Some(&tok) = toks.get(i) {
        let designator = if tok == "#" { Some(("#", false)) } else { unit_designator(tok) };
        let Some((abbreviation, unnumbered)) = designator else {
            toks[kept] = tok;
            kept += 1;
            i += 1;
            continue;
        };
        let mut j = i + 1;
        if tok != "#" && toks.get(j).is_some_and(|t| *t == "#") {
            j += 1;
        }
        match toks.get(j).filter(|t| is_ident(t)) {
            Some(id) => {
                key.units.push(ident(id));
                key.unit_kinds.push(UnitKind::of(abbreviation));
                key.designators.push(tok.to_owned());
                i = j + 1;
            }
            None if unnumbered && j >= toks.len() => {
                key.units.push(abbreviation.to_ascii_lowercase());
                key.unit_kinds.push(UnitKind::Unit);
                key.designators.push(tok.to_owned());
                i = j;
            }
            None => {
                // A designator word without an identifier is a street word ("Suite Rd"); a lone `#` is noise.
                if tok != "#" {
                    toks[kept] = tok;
                    kept += 1;
                }
                i += 1;
            }
        }
    }
    toks.truncate(kept);
    let kept = toks;
    // Australian "4/12 Main St": unit 4 at number 12.
    if let Some((unit, number)) = kept.first().and_then(|t| t.split_once('/')) {
        let numeric = |s: &str| !s.is_empty() && s.starts_with(|c: char| c.is_ascii_digit());
        if numeric(unit) && numeric(number) && kept.len() > 1 {
            let unit = ident(unit);
            key.units.push(unit);
            key.unit_kinds.push(UnitKind::Unit);
            key.designators.push("/".to_owned());
            kept[0] = number;
        }
    }
}

/// Whether a token is a house number (`12`, `12a`, `12-14`, `1/2`) rather than an ordinal (`5th`).
fn is_house_number(token: &str) -> bool {
    // The leading digit first: most tokens are words.
    token.starts_with(|c: char| c.is_ascii_digit())
        && !["st", "nd", "rd", "th"].iter().any(|s| token.strip_suffix(s).is_some_and(is_all_digits))
}

fn is_all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Moves the leading house numbers (or, for "Hauptstraße 12" forms, a trailing one) into the key.
/// A letter written apart from its number joins it (`12 B Main St` is `12b`), unless it is a
/// directional, a street type (`r.` for rue) or the street's only name (`12 A St`).
fn take_house_numbers(toks: &mut Vec<&str>, key: &mut StreetKey) {
    let leading = toks.iter().take_while(|t| is_house_number(t)).count();
    if leading > 0 {
        for number in toks.drain(..leading) {
            if !key.house_numbers.is_empty() {
                key.house_numbers.push(' ');
            }
            key.house_numbers.push_str(number);
        }
        let letter = toks.first().filter(|t| t.len() == 1 && t.bytes().all(|b| b.is_ascii_alphabetic()));
        if let Some(&letter) = letter {
            // Nor is a street type's one-letter abbreviation (`12 r. Victor Hugo`: rue).
            if toks.len() > 2 && directional(letter).is_none() && street_word(letter).is_none() {
                // Joined to the last number: the end of the joined numbers.
                key.house_numbers.push_str(letter);
                toks.remove(0);
            }
        }
        return;
    }
    // "Highway 61" and "Route 66" are street names, not a number after a street.
    let numbered_street = toks.len() == 2 && toks.first().is_some_and(|w| street_word(w).is_some());
    if toks.len() > 1 && !numbered_street && toks.last().is_some_and(|t| is_house_number(t)) {
        key.house_numbers = toks.pop().unwrap_or_default().to_owned();
    }
}

/// German street names are written as one word with the street type (`Hauptstraße`, `Hauptstr.`) or
/// as two (`Haupt Str.`, `Berliner Straße`): the type is split off as a word of its own, so that
/// every writing gets the same words (`haupt st` once standardized).
fn split_german_street_type<'a>(words: &[&'a str]) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(words.len() + 1);
    for &word in words {
        match german_street_type(word) {
            Some((stem, suffix)) => {
                out.push(stem);
                out.push(suffix);
            }
            None => out.push(word),
        }
    }
    out
}

/// A word ending in a German street type (`hauptstrasse`, `hauptstr`): its stem and the type.
fn german_street_type(word: &str) -> Option<(&str, &'static str)> {
    let letters = word.bytes().all(|b| b.is_ascii_lowercase());
    ["strasse", "str"].iter().find_map(|suffix| {
        let stem = word.strip_suffix(suffix)?;
        (letters && stem.len() >= 2).then_some((stem, *suffix))
    })
}

/// Standard forms by position, as USPS applies them: a final directional, then the suffix before it,
/// then a leading directional or street type ("N", "Rue", "Boul"), and "Saint"/ordinal words anywhere
/// else. A word is abbreviated only when another word is left to name the street ("North St" stays).
/// Returns the words joined by single spaces.
fn standardize(words: &[&str]) -> String {
    // The standard form of each word that has one (tables write them in upper case).
    let mut forms: [Option<(usize, &'static str)>; 3] = [None; 3];
    let mut end = words.len();
    if end >= 2 {
        if let Some(d) = words.get(end - 1).and_then(|w| directional(w)) {
            forms[0] = Some((end - 1, d));
            end -= 1;
        }
    }
    if end >= 2 {
        if let Some(s) = words.get(end - 1).and_then(|w| street_word(w)) {
            forms[1] = Some((end - 1, s));
            end -= 1;
        }
    }
    let mut start = 0;
    if end >= 2 {
        if let Some(d) = words.first().and_then(|w| directional(w).or_else(|| street_word(w))) {
            forms[2] = Some((0, d));
            start = 1;
        }
    }
    let mut out = String::with_capacity(words.iter().map(|w| w.len() + 1).sum());
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let form = if i < start || i >= end {
            forms.iter().flatten().find(|(at, _)| *at == i).map(|(_, f)| *f)
        } else if *word == "saint" {
            Some("st")
        } else {
            ordinal(word)
        };
        match form {
            Some(form) => {
                let from = out.len();
                out.push_str(form);
                out[from..].make_ascii_lowercase();
            }
            None => out.push_str(word),
        }
    }
    out
}

/// Compares two street keys under a mode and threshold (see the module docs for the rules).
pub(crate) fn compare_street(a: &StreetKey, b: &StreetKey, mode: MatchMode, threshold: f64) -> ClaimResult {
    let mut reasons = Reasons::new();
    if a.po_box.is_some() || b.po_box.is_some() {
        reasons.push(Reason::PoBox);
        if a.po_box != b.po_box {
            if a.po_box.is_some() && b.po_box.is_some() {
                reasons.push(Reason::PoBoxDiffers);
            }
            return ClaimResult::new(Outcome::Mismatch, 0.0, reasons);
        }
    }
    if a.house_numbers != b.house_numbers {
        reasons.push(Reason::HouseNumberDiffers);
        return ClaimResult::new(Outcome::Mismatch, 0.0, reasons);
    }
    let unit_one_side = a.units.is_empty() != b.units.is_empty();
    if !a.units.is_empty() && !b.units.is_empty() {
        if a.units != b.units || a.unit_kinds != b.unit_kinds {
            reasons.push(Reason::UnitDiffers);
            return ClaimResult::new(Outcome::Mismatch, 0.0, reasons);
        }
        if a.designators != b.designators {
            reasons.push(Reason::UnitNormalized);
        }
    }
    let (words_equal, score) = match mode {
        _ if a.words == b.words => (true, 1.0),
        MatchMode::Exact => (false, ratio(&a.words, &b.words)),
        MatchMode::Fuzzy => {
            // Numbered streets (5th Ave, Highway 61) differ by a digit from their neighbours: exact.
            fn numbered(k: &StreetKey) -> impl Iterator<Item = &str> + '_ {
                k.words.split(' ').filter(|w| !w.is_empty() && w.chars().any(|c| c.is_ascii_digit()))
            }
            let (close, score) = fuzzy_equal(&a.words, &b.words, threshold);
            (close && numbered(a).eq(numbered(b)), score)
        }
    };
    if a.words == b.words && !a.written_alike(b) {
        reasons.push(Reason::StreetAbbreviated);
    }
    if unit_one_side {
        reasons.push(Reason::UnitMissingOneSide);
    }
    let outcome = if !words_equal || (unit_one_side && mode == MatchMode::Exact) {
        Outcome::Mismatch
    } else {
        if score < 1.0 {
            reasons.push(Reason::FuzzyMatch);
        }
        Outcome::Match
    };
    ClaimResult::new(outcome, score, reasons)
}

#[cfg(test)]
#[path = "street_tests.rs"]
mod tests;
