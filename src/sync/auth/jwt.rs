//! JWT signing inputs for the client assertion and DPoP proofs. The core builds the exact bytes to sign
//! (`base64url(header) "." base64url(claims)`); the driver signs them with WebCrypto and appends the
//! signature. Keys never enter the core.

use serde_json::{json, Map, Value};

use crate::sync::url::ParsedUrl;

/// Signature algorithms the driver can produce with WebCrypto (Okta accepts both for assertions and proofs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SigningAlg {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// ECDSA on P-256 with SHA-256 (signature as raw `r || s`, which is what WebCrypto returns).
    ES256,
}

impl SigningAlg {
    /// The JWS `alg` name.
    pub fn as_str(self) -> &'static str {
        match self {
            SigningAlg::RS256 => "RS256",
            SigningAlg::ES256 => "ES256",
        }
    }
}

/// Lifetime of a client assertion: short, since a fresh one is made for every token request.
pub const ASSERTION_LIFETIME_S: u64 = 300;

/// Unpadded base64url (RFC 4648 §5), as JWS uses.
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let index = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

fn signing_input(header: &Value, claims: &Value) -> String {
    format!("{}.{}", base64url(header.to_string().as_bytes()), base64url(claims.to_string().as_bytes()))
}

/// The `private_key_jwt` client assertion to sign: `iss` = `sub` = client id, `aud` = the token URL
/// exactly, `iat` = now, `exp` = now + 5 min, a fresh `jti` (Okta refuses a reused assertion).
pub fn assertion_input(
    client_id: &str,
    key_id: Option<&str>,
    alg: SigningAlg,
    token_url: &str,
    now_s: u64,
    jti: &str,
) -> String {
    let mut header = json!({"alg": alg.as_str(), "typ": "JWT"});
    if let (Some(kid), Some(h)) = (key_id, header.as_object_mut()) {
        h.insert("kid".into(), Value::from(kid));
    }
    let claims = json!({
        "iss": client_id,
        "sub": client_id,
        "aud": token_url,
        "iat": now_s,
        "exp": now_s.saturating_add(ASSERTION_LIFETIME_S),
        "jti": jti,
    });
    signing_input(&header, &claims)
}

/// What a DPoP proof says about its request.
#[derive(Debug, Clone, Copy)]
pub struct ProofClaims<'a> {
    /// HTTP method (`htm`).
    pub method: &'a str,
    /// The request URL; `htu` is derived from it with [`htu`].
    pub url: &'a str,
    /// Seconds since the epoch (`iat`).
    pub now_s: u64,
    /// Unique id of this proof (`jti`).
    pub jti: &'a str,
    /// The server's latest `DPoP-Nonce`, when one is known.
    pub nonce: Option<&'a str>,
    /// base64url SHA-256 of the access token (`ath`), on resource requests.
    pub ath: Option<&'a str>,
}

/// The DPoP proof to sign: header `typ: dpop+jwt`, `alg`, the public `jwk`; claims per RFC 9449.
pub fn proof_input(alg: SigningAlg, public_jwk: &Map<String, Value>, c: ProofClaims<'_>) -> String {
    let header = json!({"typ": "dpop+jwt", "alg": alg.as_str(), "jwk": public_jwk});
    let mut claims = json!({"htm": c.method, "htu": htu(c.url), "iat": c.now_s, "jti": c.jti});
    if let Some(obj) = claims.as_object_mut() {
        if let Some(nonce) = c.nonce {
            obj.insert("nonce".into(), Value::from(nonce));
        }
        if let Some(ath) = c.ath {
            obj.insert("ath".into(), Value::from(ath));
        }
    }
    signing_input(&header, &claims)
}

/// The DPoP `htu` of a request URL: origin + path, the path percent-**decoded** (Okta compares against the
/// decoded path, so `a%40b.com` must appear as `a@b.com`), without query or fragment. A URL the strict parser
/// refuses, or a path whose escapes are not UTF-8, is returned without its query as given.
pub fn htu(url: &str) -> String {
    let Ok(parsed) = ParsedUrl::parse(url) else {
        return url.split(['?', '#']).next().unwrap_or("").to_string();
    };
    let path = if parsed.path.is_empty() { "/".to_string() } else { percent_decode(&parsed.path) };
    format!("{}{path}", parsed.origin())
}

fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (b, hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| path.to_string())
}

/// Test-only: one part of a signing input, base64url-decoded and read as JSON.
#[cfg(test)]
pub(super) fn decode_part(part: &str) -> Value {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in part.bytes() {
        bits = (bits << 6) | alphabet.iter().position(|&a| a == c).unwrap() as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    serde_json::from_slice(&out).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_rfc4648_vectors() {
        let cases = [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE")];
        for (input, want) in cases {
            assert_eq!(base64url(input.as_bytes()), want);
        }
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn assertion_has_the_claims_okta_checks() {
        let input =
            assertion_input("0oa1", Some("kid-1"), SigningAlg::ES256, "https://a.okta.com/oauth2/v1/token", 1000, "j1");
        let (h, c) = input.split_once('.').unwrap();
        assert_eq!(decode_part(h), json!({"alg": "ES256", "typ": "JWT", "kid": "kid-1"}));
        assert_eq!(
            decode_part(c),
            json!({"iss": "0oa1", "sub": "0oa1", "aud": "https://a.okta.com/oauth2/v1/token", "iat": 1000, "exp": 1300, "jti": "j1"})
        );
        let no_kid = assertion_input("0oa1", None, SigningAlg::RS256, "u", 1, "j");
        assert_eq!(decode_part(no_kid.split('.').next().unwrap()), json!({"alg": "RS256", "typ": "JWT"}));
    }

    #[test]
    fn proof_carries_decoded_htu_nonce_and_ath() {
        let jwk: Map<String, Value> = serde_json::from_str(r#"{"kty":"EC","crv":"P-256","x":"X","y":"Y"}"#).unwrap();
        let c = ProofClaims {
            method: "GET",
            url: "https://a.okta.com/api/v1/users/a%40b.com?limit=1#f",
            now_s: 5,
            jti: "p1",
            nonce: Some("n"),
            ath: Some("h"),
        };
        let input = proof_input(SigningAlg::ES256, &jwk, c);
        let (h, c) = input.split_once('.').unwrap();
        assert_eq!(decode_part(h)["typ"], "dpop+jwt");
        assert_eq!(decode_part(h)["jwk"]["crv"], "P-256");
        let claims = decode_part(c);
        assert_eq!(claims["htu"], "https://a.okta.com/api/v1/users/a@b.com");
        assert_eq!(
            (claims["htm"].as_str(), claims["nonce"].as_str(), claims["ath"].as_str()),
            (Some("GET"), Some("n"), Some("h"))
        );
        let bare = proof_input(SigningAlg::ES256, &jwk, ProofClaims { nonce: None, ath: None, ..c_base() });
        let claims = decode_part(bare.split('.').nth(1).unwrap());
        assert!(claims.get("nonce").is_none() && claims.get("ath").is_none());
    }

    fn c_base() -> ProofClaims<'static> {
        ProofClaims {
            method: "POST",
            url: "https://a.okta.com/oauth2/v1/token",
            now_s: 1,
            jti: "x",
            nonce: None,
            ath: None,
        }
    }

    #[test]
    fn htu_rules() {
        assert_eq!(htu("http://127.0.0.1:8080/api/v1/users?after=x"), "http://127.0.0.1:8080/api/v1/users");
        assert_eq!(htu("https://a.okta.com"), "https://a.okta.com/");
        assert_eq!(htu("https://a.okta.com/api/v1/users/%E2%82%AC"), "https://a.okta.com/api/v1/users/€");
        // Escapes that are not UTF-8 stay as given rather than being guessed at.
        assert_eq!(htu("https://a.okta.com/x/%FF"), "https://a.okta.com/x/%FF");
        assert_eq!(htu("https://a.okta.com/x/%zz%4"), "https://a.okta.com/x/%zz%4");
    }
}
