//! RFC 8288 `Link` header parsing, robust to what `fetch` hands over: repeated headers joined
//! with `", "`, quoted or unquoted `rel`, several relation types in one `rel`, extra parameters
//! and odd spacing. A malformed link-value is skipped, never fatal: the worst case is "no next
//! link", which ends pagination visibly rather than following something misparsed.

/// One link-value: the target as written between `<` and `>`, and its relation types (lowercased).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The target URI reference, exactly as given.
    pub target: String,
    /// Relation types from the first `rel` parameter, lowercased.
    pub rels: Vec<String>,
}

/// Parses a whole `Link` header value (possibly several comma-joined headers) into its links.
pub fn parse_link_header(value: &str) -> Vec<Link> {
    let mut links = Vec::new();
    let mut p = Parser { s: value.as_bytes(), i: 0 };
    loop {
        p.skip_while(|b| b == b',' || is_ows(b));
        if p.at_end() {
            break;
        }
        match p.link_value() {
            Some(link) => links.push(link),
            None => p.skip_to_next_link(),
        }
    }
    links
}

/// The target of the first link whose relation types include `next`, if any.
pub fn next_link(value: &str) -> Option<String> {
    parse_link_header(value).into_iter().find(|l| l.rels.iter().any(|r| r == "next")).map(|l| l.target)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

impl Parser<'_> {
    fn at_end(&self) -> bool {
        self.i >= self.s.len()
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip_while(&mut self, f: impl Fn(u8) -> bool) {
        while self.peek().is_some_and(&f) {
            self.i += 1;
        }
    }

    fn take_while(&mut self, f: impl Fn(u8) -> bool) -> String {
        let start = self.i;
        self.skip_while(f);
        String::from_utf8_lossy(self.s.get(start..self.i).unwrap_or_default()).into_owned()
    }

    /// After a malformed link-value: skip to the next comma that is outside `<…>` and quotes.
    fn skip_to_next_link(&mut self) {
        let (mut in_quotes, mut in_angle) = (false, false);
        while let Some(b) = self.peek() {
            self.i += 1;
            match b {
                b'\\' if in_quotes => self.i += 1,
                b'"' if !in_angle => in_quotes = !in_quotes,
                b'<' if !in_quotes => in_angle = true,
                b'>' if !in_quotes => in_angle = false,
                b',' if !in_quotes && !in_angle => return,
                _ => {}
            }
        }
    }

    fn link_value(&mut self) -> Option<Link> {
        if self.peek() != Some(b'<') {
            return None;
        }
        self.i += 1;
        let target = self.take_while(|b| b != b'>');
        if self.peek() != Some(b'>') {
            return None;
        }
        self.i += 1;
        let target = target.trim().to_string();
        if target.is_empty() {
            return None;
        }
        let mut rels: Option<Vec<String>> = None;
        loop {
            self.skip_while(is_ows);
            match self.peek() {
                None | Some(b',') => break,
                Some(b';') => self.i += 1,
                Some(_) => return None,
            }
            self.skip_while(is_ows);
            let name = self.take_while(is_token).to_ascii_lowercase();
            self.skip_while(is_ows);
            let value = if self.peek() == Some(b'=') {
                self.i += 1;
                self.skip_while(is_ows);
                Some(self.param_value()?)
            } else {
                None
            };
            if name.is_empty() {
                // A stray `;` (e.g. `<…>;; rel=next`): tolerate it.
                continue;
            }
            // RFC 8288 §3.3: occurrences of `rel` after the first are ignored.
            if name == "rel" && rels.is_none() {
                let text = value.unwrap_or_default().to_ascii_lowercase();
                rels = Some(text.split_ascii_whitespace().map(str::to_string).collect());
            }
        }
        Some(Link { target, rels: rels.unwrap_or_default() })
    }

    fn param_value(&mut self) -> Option<String> {
        if self.peek() != Some(b'"') {
            return Some(self.take_while(is_token));
        }
        self.i += 1;
        let mut out = Vec::new();
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(String::from_utf8_lossy(&out).into_owned());
                }
                b'\\' => {
                    out.push(*self.s.get(self.i + 1)?);
                    self.i += 2;
                }
                b => {
                    out.push(b);
                    self.i += 1;
                }
            }
        }
    }
}
