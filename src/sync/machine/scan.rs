//! A fast path for group-members pages: members are whole user objects (most of a full sync's bytes) of
//! which only `id` is kept. [`member_ids`] walks the body once, validating it as JSON, and returns the
//! ids; it returns `None` for anything it does not fully vouch for (an escape in a key or an id, a
//! non-object item, a missing or invalid id, a control character, deep nesting, any syntax error…),
//! and the caller then parses the page with serde, which gives the exact typed error. So an `Ok` from
//! either path is the same, and every error comes from serde.
//!
//! What is accepted here is a subset of what serde_json accepts: RFC 8259 grammar, strings of valid
//! UTF-8 (the body is a `&str`) without raw control characters, escapes `\" \\ \/ \b \f \n \r \t` and
//! `\uXXXX` outside the surrogate range.

use crate::records::is_okta_id;

/// Nesting this deep goes to serde (its own limit is 128).
const MAX_DEPTH: usize = 64;

/// The `id` of every item of a members page, in order, when the page is plain, valid JSON whose items
/// are all objects with a valid Okta id (the last `id` of an object, as serde keeps it).
pub(super) fn member_ids(body: &str) -> Option<Vec<String>> {
    let mut s = Scanner { b: body.as_bytes(), i: 0 };
    let mut ids = Vec::new();
    s.ws();
    s.eat(b'[')?;
    s.ws();
    if s.peek()? == b']' {
        s.i += 1;
    } else {
        loop {
            ids.push(s.item()?);
            s.ws();
            match s.next()? {
                b',' => s.ws(),
                b']' => break,
                _ => return None,
            }
        }
    }
    s.ws();
    (s.i == s.b.len()).then_some(ids)
}

/// The first `"`, `\\` or control character in `bytes`, eight bytes at a time (strings are most of a page).
pub(crate) fn find_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` is zero → its high bit in `zero(x)`; other bytes may be flagged only above a zero one.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // Bytes < 0x20: `x - 0x20` borrows into the high bit for them (and for no byte before the first).
        let special = zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'\\')))
            | (x.wrapping_sub(ONES * 0x20) & !x & HIGH);
        if special != 0 {
            return Some(at + (special.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks.remainder().iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20).map(|i| at + i)
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.next()? == c).then_some(())
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    /// One page item: an object; its last `id` member, which must be a plain string and a valid id.
    fn item(&mut self) -> Option<String> {
        self.eat(b'{')?;
        let mut id = None;
        self.ws();
        if self.peek()? == b'}' {
            return None; // no id
        }
        loop {
            self.ws();
            let key = self.plain_string()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            if key == b"id" {
                let value = self.plain_string()?;
                let value = std::str::from_utf8(value).ok().filter(|v| is_okta_id(v))?;
                id = Some(value);
            } else {
                self.value(1)?;
            }
            self.ws();
            match self.next()? {
                b',' => {}
                b'}' => break,
                _ => return None,
            }
        }
        id.map(str::to_string)
    }

    /// A string without escapes; its content.
    fn plain_string(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let start = self.i;
        let rest = self.b.get(start..)?;
        let end = find_special(rest)?;
        if rest.get(end) != Some(&b'"') {
            return None;
        }
        self.i = start + end + 1;
        rest.get(..end)
    }

    /// Any string, escapes checked.
    fn string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            let rest = self.b.get(self.i..)?;
            let at = find_special(rest)?;
            self.i += at;
            match self.next()? {
                b'"' => return Some(()),
                b'\\' => match self.next()? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                    b'u' => {
                        let hex = self.b.get(self.i..self.i + 4)?;
                        let code = std::str::from_utf8(hex).ok().and_then(|h| u16::from_str_radix(h, 16).ok())?;
                        if !hex.iter().all(u8::is_ascii_hexdigit) || (0xD800..=0xDFFF).contains(&code) {
                            return None;
                        }
                        self.i += 4;
                    }
                    _ => return None,
                },
                _ => return None, // a raw control character
            }
        }
    }

    /// Any JSON value at nesting `depth`.
    fn value(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => self.string(),
            b'{' => {
                self.i += 1;
                self.ws();
                if self.peek()? == b'}' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    self.ws();
                    self.string()?;
                    self.ws();
                    self.eat(b':')?;
                    self.ws();
                    self.value(depth + 1)?;
                    self.ws();
                    match self.next()? {
                        b',' => {}
                        b'}' => return Some(()),
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.i += 1;
                self.ws();
                if self.peek()? == b']' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    self.ws();
                    self.value(depth + 1)?;
                    self.ws();
                    match self.next()? {
                        b',' => {}
                        b']' => return Some(()),
                        _ => return None,
                    }
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number(),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.b.get(self.i..self.i + word.len())? != word {
            return None;
        }
        self.i += word.len();
        Some(())
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(0)?,
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.digits(1)?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            self.digits(1)?;
        }
        Some(())
    }

    /// At least `min` ASCII digits (`Some` when there were).
    fn digits(&mut self, min: usize) -> Option<()> {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        (self.i - start >= min).then_some(())
    }
}
