//! Unicode normalization (NFD, NFKD, NFC) from a compact table (`normal_forms_table.rs`, generated
//! from the unicode-normalization crate by `scripts/gen-normal-forms.py`): the same results as the
//! crate's `nfd`/`nfkd`/`nfc`, `canonical_combining_class` and `is_combining_mark`, from sorted
//! columns decoded once instead of the crate's hashed `u32` tables (about four times the gzip bytes
//! in the WebAssembly module). `tests/text_normal_forms.rs` checks every code point and every
//! composition pair against the crate.

use std::sync::OnceLock;

use super::normal_forms_table as table;

/// Below this code point no character has a combining class, is a mark, or composes as the second
/// of a pair (the generator asserts it): the ASCII and Latin-1 fast paths.
const FIRST_NONSTARTER: char = '\u{300}';
/// Below this code point no character decomposes (the generator asserts it).
const FIRST_DECOMPOSABLE: char = '\u{a0}';

/// Hangul syllables compose and decompose by arithmetic (Unicode §3.12), not from the table.
mod hangul {
    pub const S_BASE: u32 = 0xAC00;
    pub const L_BASE: u32 = 0x1100;
    pub const V_BASE: u32 = 0x1161;
    pub const T_BASE: u32 = 0x11A7;
    pub const L_COUNT: u32 = 19;
    pub const V_COUNT: u32 = 21;
    pub const T_COUNT: u32 = 28;
    pub const N_COUNT: u32 = V_COUNT * T_COUNT;
    pub const S_COUNT: u32 = L_COUNT * N_COUNT;
}

/// One kind of full decomposition: sorted characters and where each one's decomposition lies.
struct Decompositions {
    keys: Vec<char>,
    spans: Vec<(u32, u32)>,
    chars: Vec<char>,
}

impl Decompositions {
    fn decode(key_deltas: &[u8], lengths: &[u8], chars: &str) -> Decompositions {
        let mut out = Decompositions {
            keys: Vec::with_capacity(lengths.len()),
            spans: Vec::new(),
            chars: chars.chars().collect(),
        };
        let (mut key, mut start) = (0u32, 0u32);
        for (delta, &len) in Leb128(key_deltas.iter()).zip(lengths) {
            key += delta;
            let end = start + u32::from(len);
            // The generator writes valid scalar values only; a bad one would simply never be looked up.
            if let Some(c) = char::from_u32(key) {
                out.keys.push(c);
                out.spans.push((start, end));
            }
            start = end;
        }
        out
    }

    fn get(&self, c: char) -> Option<&[char]> {
        let i = self.keys.binary_search(&c).ok()?;
        let (start, end) = self.spans[i];
        self.chars.get(start as usize..end as usize)
    }
}

/// The table decoded once.
struct Tables {
    canonical: Decompositions,
    compatibility: Decompositions,
    /// Runs `(first, last, class)` of characters with a non-zero canonical combining class.
    classes: Vec<(u32, u32, u8)>,
    /// Runs `(first, last)` of General_Category=Mark characters.
    marks: Vec<(u32, u32)>,
    /// `((first, second), composed)`, sorted.
    compositions: Vec<((char, char), char)>,
    /// Every character that composes as the second of a pair, sorted.
    seconds: Vec<char>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let triples: Vec<char> = table::COMPOSITIONS.chars().collect();
        let compositions: Vec<((char, char), char)> = triples.chunks_exact(3).map(|t| ((t[0], t[1]), t[2])).collect();
        let mut seconds: Vec<char> = compositions.iter().map(|((_, b), _)| *b).collect();
        crate::sort::sort(&mut seconds);
        seconds.dedup();
        Tables {
            canonical: Decompositions::decode(table::CANONICAL_KEYS, table::CANONICAL_LENGTHS, table::CANONICAL_CHARS),
            compatibility: Decompositions::decode(
                table::COMPATIBILITY_KEYS,
                table::COMPATIBILITY_LENGTHS,
                table::COMPATIBILITY_CHARS,
            ),
            classes: runs(table::COMBINING_CLASSES, true),
            marks: runs(table::MARKS, false).into_iter().map(|(first, last, _)| (first, last)).collect(),
            compositions,
            seconds,
        }
    })
}

/// Unsigned LEB128 numbers, one after the other.
struct Leb128<'a>(std::slice::Iter<'a, u8>);

impl Iterator for Leb128<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        let (mut value, mut shift) = (0u32, 0);
        loop {
            let byte = *self.0.next()?;
            value |= u32::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
    }
}

/// Decodes runs written as LEB128 (gap from the previous run's end, length) and, `with_value`, one
/// value byte: `(first, last, value)`.
pub(super) fn runs(bytes: &[u8], with_value: bool) -> Vec<(u32, u32, u8)> {
    let mut out = Vec::new();
    let mut it = bytes.iter();
    let mut end = 0u32;
    loop {
        let mut numbers = Leb128(it.clone());
        let (Some(gap), Some(len)) = (numbers.next(), numbers.next()) else { break };
        it = numbers.0;
        let value = if with_value { it.next().copied().unwrap_or(0) } else { 0 };
        let first = end + gap;
        end = first + len;
        out.push((first, end - 1, value));
    }
    out
}

/// The run of `runs` holding `cp`, if any.
fn find_run<T: Copy>(runs: &[T], cp: u32, bounds: impl Fn(T) -> (u32, u32)) -> Option<T> {
    let i = runs.partition_point(|&r| bounds(r).0 <= cp);
    let run = *runs.get(i.checked_sub(1)?)?;
    (cp <= bounds(run).1).then_some(run)
}

/// The canonical combining class of `c` (0 for starters).
pub fn canonical_combining_class(c: char) -> u8 {
    if c < FIRST_NONSTARTER {
        return 0;
    }
    find_run(&tables().classes, c as u32, |(first, last, _)| (first, last)).map_or(0, |(_, _, class)| class)
}

/// Whether `c` is a mark (General_Category M: Mn, Mc or Me).
pub fn is_combining_mark(c: char) -> bool {
    c >= FIRST_NONSTARTER && find_run(&tables().marks, c as u32, |r| r).is_some()
}

/// The canonical composition of `a` followed by `b`, if they compose.
fn compose(a: char, b: char) -> Option<char> {
    use hangul::*;
    let (x, y) = (a as u32, b as u32);
    if (L_BASE..L_BASE + L_COUNT).contains(&x) && (V_BASE..V_BASE + V_COUNT).contains(&y) {
        return char::from_u32(S_BASE + (x - L_BASE) * N_COUNT + (y - V_BASE) * T_COUNT);
    }
    if (S_BASE..S_BASE + S_COUNT).contains(&x)
        && (x - S_BASE) % T_COUNT == 0
        && (T_BASE + 1..T_BASE + T_COUNT).contains(&y)
    {
        return char::from_u32(x + (y - T_BASE));
    }
    if b < FIRST_NONSTARTER {
        return None;
    }
    let compositions = &tables().compositions;
    compositions.binary_search_by_key(&(a, b), |(pair, _)| *pair).ok().map(|i| compositions[i].1)
}

/// Emits the full canonical (or, `compatible`, compatibility) decomposition of `c`.
fn decompose(c: char, compatible: bool, mut emit: impl FnMut(char)) {
    use hangul::*;
    if c < FIRST_DECOMPOSABLE {
        return emit(c);
    }
    let s = c as u32;
    if (S_BASE..S_BASE + S_COUNT).contains(&s) {
        let index = s - S_BASE;
        let jamo = [L_BASE + index / N_COUNT, V_BASE + (index % N_COUNT) / T_COUNT, T_BASE + index % T_COUNT];
        let count = if index % T_COUNT == 0 { 2 } else { 3 };
        jamo[..count].iter().filter_map(|&j| char::from_u32(j)).for_each(emit);
        return;
    }
    let t = tables();
    let found = if compatible { t.compatibility.get(c).or_else(|| t.canonical.get(c)) } else { t.canonical.get(c) };
    match found {
        Some(chars) => chars.iter().copied().for_each(emit),
        None => emit(c),
    }
}

/// Whether `s` is certainly NFC without normalizing it: every character a starter that neither
/// decomposes nor composes with the one before it. `false` means "maybe not" (normalize to know).
pub fn is_nfc_quick(s: &str) -> bool {
    s.chars().all(|c| {
        if c < FIRST_NONSTARTER {
            return true;
        }
        use hangul::*;
        let (t, cp) = (tables(), c as u32);
        // Syllables decompose; vowel and trailing jamo compose with the character before them.
        let hangul = (S_BASE..S_BASE + S_COUNT).contains(&cp)
            || (V_BASE..V_BASE + V_COUNT).contains(&cp)
            || (T_BASE + 1..T_BASE + T_COUNT).contains(&cp);
        canonical_combining_class(c) == 0
            && !hangul
            && t.canonical.get(c).is_none()
            && t.seconds.binary_search(&c).is_err()
    })
}

/// The normalization forms as iterator adaptors over characters.
pub trait NormalForms: Iterator<Item = char> + Sized {
    /// Canonical decomposition (NFD).
    fn nfd(self) -> Decompose<Self> {
        Decompose::new(self, false)
    }
    /// Compatibility decomposition (NFKD).
    fn nfkd(self) -> Decompose<Self> {
        Decompose::new(self, true)
    }
    /// Canonical decomposition, then canonical composition (NFC).
    fn nfc(self) -> Recompose<Self> {
        Recompose {
            decomposed: Decompose::new(self, false),
            state: State::Composing,
            held: Vec::new(),
            starter: None,
            last_class: None,
        }
    }
}

impl<I: Iterator<Item = char>> NormalForms for I {}

/// NFD or NFKD of the characters of `I`, in canonical order.
pub struct Decompose<I> {
    chars: I,
    compatible: bool,
    /// Decomposed characters with their combining class; `..ready` are in canonical order.
    buffer: Vec<(u8, char)>,
    /// The next ready character to hand out.
    next: usize,
    ready: usize,
}

impl<I> Decompose<I> {
    fn new(chars: I, compatible: bool) -> Self {
        Decompose { chars, compatible, buffer: Vec::new(), next: 0, ready: 0 }
    }

    /// Appends one decomposed character: a starter closes the run of marks before it, which is then
    /// put in canonical order (a stable sort keeps equal classes in their written order).
    fn push(&mut self, c: char) {
        let class = canonical_combining_class(c);
        if class == 0 {
            canonical_order(&mut self.buffer[self.ready..]);
            self.buffer.push((0, c));
            self.ready = self.buffer.len();
        } else {
            self.buffer.push((class, c));
        }
    }
}

/// Puts a run of marks in canonical order: by combining class, equal classes in their written order
/// (a stable sort). Not generic, so every `Decompose<I>` shares one sort (each had its own, 1.3 KB).
fn canonical_order(marks: &mut [(u8, char)]) {
    crate::sort::sort_by_key(marks, |&(class, _)| class);
}

impl<I: Iterator<Item = char>> Iterator for Decompose<I> {
    type Item = char;
    fn next(&mut self) -> Option<char> {
        while self.next == self.ready {
            if self.ready > 0 {
                // Everything ready was handed out: keep only the marks still waiting for a starter.
                self.buffer.drain(..self.ready);
                (self.next, self.ready) = (0, 0);
            }
            match self.chars.next() {
                Some(c) => decompose(c, self.compatible, |d| self.push(d)),
                None if self.buffer.is_empty() => return None,
                None => {
                    canonical_order(&mut self.buffer);
                    self.ready = self.buffer.len();
                }
            }
        }
        let (_, c) = self.buffer[self.next];
        self.next += 1;
        Some(c)
    }
}

/// Where [`Recompose`] is: composing, or handing out the held characters (then composing again,
/// or at the end, handing out the last starter).
#[derive(Clone, Copy)]
enum State {
    Composing,
    Purging(usize),
    Finished(usize),
}

/// NFC of the characters of `I`: canonical composition over their NFD.
pub struct Recompose<I> {
    decomposed: Decompose<I>,
    state: State,
    /// Marks that did not compose with `starter`, in order.
    held: Vec<char>,
    /// The last starter, which later characters may still compose with.
    starter: Option<char>,
    /// The combining class of the last held character (`None`: nothing held since `starter`).
    last_class: Option<u8>,
}

impl<I: Iterator<Item = char>> Iterator for Recompose<I> {
    type Item = char;
    fn next(&mut self) -> Option<char> {
        loop {
            match self.state {
                State::Composing => {
                    for c in self.decomposed.by_ref() {
                        let class = canonical_combining_class(c);
                        let Some(starter) = self.starter else {
                            if class != 0 {
                                return Some(c);
                            }
                            self.starter = Some(c);
                            continue;
                        };
                        match self.last_class {
                            // Blocked: a held character of the same or a higher class stands between.
                            Some(last) if last >= class => {
                                if class == 0 {
                                    self.starter = Some(c);
                                    self.last_class = None;
                                    self.state = State::Purging(0);
                                    return Some(starter);
                                }
                                self.held.push(c);
                                self.last_class = Some(class);
                            }
                            last => match compose(starter, c) {
                                Some(composed) => self.starter = Some(composed),
                                None if class == 0 && last.is_none() => {
                                    self.starter = Some(c);
                                    return Some(starter);
                                }
                                None => {
                                    self.held.push(c);
                                    self.last_class = Some(class);
                                }
                            },
                        }
                    }
                    self.state = State::Finished(0);
                    if self.starter.is_some() {
                        return self.starter.take();
                    }
                }
                State::Purging(i) => match self.held.get(i).copied() {
                    None => {
                        self.held.clear();
                        self.state = State::Composing;
                    }
                    held => {
                        self.state = State::Purging(i + 1);
                        return held;
                    }
                },
                State::Finished(i) => match self.held.get(i).copied() {
                    None => {
                        self.held.clear();
                        return self.starter.take();
                    }
                    held => {
                        self.state = State::Finished(i + 1);
                        return held;
                    }
                },
            }
        }
    }
}
