//! Small owned HTTP types exchanged between the sans-IO machine and whatever driver performs I/O.

use serde::{Deserialize, Serialize};

use crate::sync::bucket::Bucket;

/// HTTP methods the sync uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A request the driver must perform. The machine never adds credentials: when `needs_auth` is set,
/// the driver adds `Authorization` (and a fresh DPoP proof per attempt) — this is the auth seam.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// Absolute URL, already checked to be on the org's origin.
    pub url: String,
    /// Headers to send, in order (never credentials).
    pub headers: Vec<(String, String)>,
    /// Whether the driver must attach credentials.
    pub needs_auth: bool,
    /// The Okta rate-limit bucket this request counts against.
    pub bucket: Bucket,
}

/// Response headers with case-insensitive lookup.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    /// Builds headers from name/value pairs (repeated names allowed).
    pub fn new(pairs: Vec<(String, String)>) -> Headers {
        Headers(pairs)
    }

    /// Adds one header.
    pub fn push(&mut self, name: &str, value: &str) {
        self.0.push((name.to_string(), value.to_string()));
    }

    /// The value of `name`; repeated headers are joined with `", "` exactly as `fetch` does.
    pub fn get(&self, name: &str) -> Option<String> {
        let mut values = self.0.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
        let first = values.next()?;
        Some(values.fold(first.to_string(), |acc, v| acc + ", " + v))
    }

    /// All pairs, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

/// A response the driver received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Headers.
    pub headers: Headers,
    /// The body as text.
    pub body: String,
}

impl Response {
    /// A response with the given status, headers and body.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: impl Into<String>) -> Response {
        Response { status, headers: Headers::new(headers), body: body.into() }
    }

    /// A response whose headers come as one flat `[name, value, name, value, …]` list (as the driver passes
    /// them); a last name without a value is dropped.
    pub fn from_flat(status: u16, headers: Vec<String>, body: impl Into<String>) -> Response {
        let mut pairs = Vec::with_capacity(headers.len() / 2);
        let mut flat = headers.into_iter();
        while let (Some(name), Some(value)) = (flat.next(), flat.next()) {
            pairs.push((name, value));
        }
        Response::new(status, pairs, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_headers_pair_up() {
        let flat = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        let r = Response::from_flat(200, flat(&["DPoP-Nonce", "n1", "link", "<a>", "link", "<b>", "dangling"]), "x");
        assert_eq!(r.headers.get("dpop-nonce").as_deref(), Some("n1"));
        assert_eq!(r.headers.get("Link").as_deref(), Some("<a>, <b>"));
        assert_eq!(r.headers.get("dangling"), None);
        assert_eq!((r.status, r.body.as_str()), (200, "x"));
    }
}
