//! A deliberately small absolute-URL parser: exactly what org validation and the `next`-link origin
//! check need, strict enough that anything unusual is refused instead of being interpreted.
//!
//! Not a general WHATWG parser: it accepts only `http`/`https`, an ASCII host of letters, digits,
//! dots and hyphens (or a bracketed IPv6 literal), an optional decimal port, and a path/query/fragment
//! made of visible ASCII without backslashes. That strictness is the point: every input a browser
//! might read differently (backslashes, userinfo, percent-encoded or non-ASCII hosts) is rejected.

/// The parts of an absolute `http`/`https` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedUrl {
    /// `http` or `https`, lowercased.
    pub scheme: String,
    /// Whether the authority had a userinfo (`user@`) part.
    pub has_userinfo: bool,
    /// Host, lowercased; an IPv6 literal keeps its brackets.
    pub host: String,
    /// Port as written, when there was one.
    pub port: Option<u16>,
    /// Path, starting with `/` or empty.
    pub path: String,
    /// Query without the `?`, when present (possibly empty).
    pub query: Option<String>,
    /// Fragment without the `#`, when present (possibly empty).
    pub fragment: Option<String>,
}

/// Why a URL could not be parsed (fixed texts, never the input).
pub type UrlError = &'static str;

impl ParsedUrl {
    /// Parses an absolute URL; never panics, whatever the input.
    pub fn parse(input: &str) -> Result<ParsedUrl, UrlError> {
        if input.bytes().any(|b| !(0x21..=0x7e).contains(&b)) {
            return Err("contains whitespace, control or non-ASCII characters");
        }
        if input.contains('\\') {
            return Err("contains a backslash");
        }
        let (scheme, rest) = input.split_once("://").ok_or("is not an absolute http(s) URL")?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err("scheme is not http or https");
        }
        if rest.contains("://") {
            return Err("contains more than one scheme separator");
        }
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        let (has_userinfo, hostport) = match authority.rfind('@') {
            Some(at) => (true, &authority[at + 1..]),
            None => (false, authority),
        };
        let (host, port) = split_host_port(hostport)?;
        let (before_fragment, fragment) = match tail.split_once('#') {
            Some((a, f)) => (a, Some(f.to_string())),
            None => (tail, None),
        };
        let (path, query) = match before_fragment.split_once('?') {
            Some((p, q)) => (p, Some(q.to_string())),
            None => (before_fragment, None),
        };
        Ok(ParsedUrl { scheme, has_userinfo, host, port, path: path.to_string(), query, fragment })
    }

    /// The port actually used: the explicit one, or the scheme's default.
    pub fn effective_port(&self) -> u16 {
        self.port.unwrap_or(if self.scheme == "https" { 443 } else { 80 })
    }

    /// The serialized origin, `scheme://host[:port]`, omitting the scheme's default port.
    pub fn origin(&self) -> String {
        let default = if self.scheme == "https" { 443 } else { 80 };
        match self.port {
            Some(p) if p != default => format!("{}://{}:{p}", self.scheme, self.host),
            _ => format!("{}://{}", self.scheme, self.host),
        }
    }

    /// Whether the host is an IP literal (IPv6 in brackets, or anything WHATWG would read as IPv4).
    pub fn host_is_ip(&self) -> bool {
        if self.host.starts_with('[') {
            return true;
        }
        // WHATWG reads a host whose last label is numeric (decimal, 0x-hex, octal) as IPv4: treat all as IPs.
        let last = self.host.rsplit('.').find(|l| !l.is_empty()).unwrap_or("");
        let hex = last.strip_prefix("0x").or_else(|| last.strip_prefix("0X"));
        match hex {
            Some(h) => h.bytes().all(|b| b.is_ascii_hexdigit()),
            None => !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()),
        }
    }
}

fn split_host_port(hostport: &str) -> Result<(String, Option<u16>), UrlError> {
    let (host, port_text) = if let Some(v6) = hostport.strip_prefix('[') {
        let close = v6.find(']').ok_or("has an unterminated IPv6 literal")?;
        let literal = &v6[..close];
        if literal.is_empty() || !literal.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') {
            return Err("has a malformed IPv6 literal");
        }
        let after = &v6[close + 1..];
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return Err("has characters after the IPv6 literal"),
        };
        (format!("[{}]", literal.to_ascii_lowercase()), port)
    } else {
        match hostport.split_once(':') {
            Some((h, p)) => (h.to_ascii_lowercase(), Some(p)),
            None => (hostport.to_ascii_lowercase(), None),
        }
    };
    if host.is_empty() {
        return Err("has no host");
    }
    if !host.starts_with('[') && !host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-') {
        return Err("host contains characters other than letters, digits, dots and hyphens");
    }
    let port = match port_text {
        None => None,
        Some(p) if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) => {
            return Err("has an invalid port")
        }
        Some(p) => Some(p.parse::<u16>().map_err(|_| "has an invalid port")?),
    };
    Ok((host, port))
}
