//! Okta org URL ("Okta instance URL") validation. The URL decides where credentials go, so it is
//! checked strictly and normalized once; every other URL (API base, token URL, the origin that
//! `next` links must keep) is derived from the normalized origin.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::sync::url::ParsedUrl;

/// Okta-hosted org domains; an org host is exactly one tenant label in front of one of them.
const OKTA_SUFFIXES: &[&str] = &[".okta.com", ".oktapreview.com", ".okta-emea.com"];
/// Longest accepted org URL; real ones are far shorter.
const MAX_URL_CHARS: usize = 2048;

/// What hosts [`OrgUrl::parse`] accepts beyond Okta-hosted domains.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgUrlPolicy {
    /// Accept any valid DNS host (an org's custom domain). Off by default: any host would get the token.
    #[serde(default)]
    pub allow_custom_domain: bool,
    /// Accept `127.0.0.1`, `localhost` and `[::1]`, also over plain http (the CLI's `--insecure-loopback`,
    /// for a local emulator). Never on in production.
    #[serde(default)]
    pub allow_insecure_loopback: bool,
}

/// A validated, normalized org URL. Deliberately not `Deserialize`: the only way to get one is [`OrgUrl::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgUrl {
    origin: String,
}

impl OrgUrl {
    /// Validates and normalizes an org URL such as ` https://Acme.okta.com/ ` → `https://acme.okta.com`.
    pub fn parse(input: &str, policy: OrgUrlPolicy) -> Result<OrgUrl> {
        let invalid = |reason| Error::InvalidOrgUrl { reason };
        let text = input.trim();
        if text.is_empty() {
            return Err(invalid("the URL is empty"));
        }
        if text.len() > MAX_URL_CHARS {
            return Err(invalid("the URL is too long"));
        }
        if text.to_ascii_lowercase().contains("{yourOktaDomain}".to_ascii_lowercase().as_str()) {
            return Err(invalid("the URL still contains the {yourOktaDomain} placeholder"));
        }
        let url = ParsedUrl::parse(text).map_err(invalid)?;
        if url.has_userinfo {
            return Err(invalid("the URL must not contain a user name or password"));
        }
        if !(url.path.is_empty() || url.path == "/") {
            return Err(invalid("the URL must have no path: use the org's origin, e.g. https://acme.okta.com"));
        }
        if url.query.is_some() || url.fragment.is_some() {
            return Err(invalid("the URL must have no query or fragment"));
        }
        if is_loopback(&url.host) {
            if !policy.allow_insecure_loopback {
                return Err(invalid("loopback hosts are allowed only with the insecure-loopback option"));
            }
            return Ok(OrgUrl { origin: url.origin() });
        }
        if url.scheme != "https" {
            return Err(Error::InsecureOrgUrl { reason: "the org URL must use https" });
        }
        if url.port.is_some_and(|p| p != 443) {
            return Err(invalid("the URL must not name a port other than 443"));
        }
        if url.host_is_ip() {
            return Err(invalid("the host must be a domain name, not an IP address"));
        }
        if url.host == "localhost" || url.host.ends_with(".localhost") {
            return Err(invalid("loopback hosts are allowed only with the insecure-loopback option"));
        }
        check_dns_name(&url.host)?;
        if url.host.ends_with(".com.com") {
            return Err(invalid("the host ends in .com.com (a typo?)"));
        }
        let first_label = url.host.split('.').next().unwrap_or("");
        if first_label.ends_with("-admin") {
            return Err(invalid(
                "this is the Admin Console host, not the API host: drop `-admin` from the first label",
            ));
        }
        let okta_suffix = OKTA_SUFFIXES.iter().find(|s| url.host.ends_with(*s));
        match okta_suffix {
            Some(suffix) => {
                let tenant = &url.host[..url.host.len() - suffix.len()];
                if tenant.contains('.') && !policy.allow_custom_domain {
                    return Err(invalid("an Okta org host is a single tenant label before the Okta domain"));
                }
            }
            None if is_bare_okta_domain(&url.host) => {
                return Err(invalid("the host is Okta's own domain, not an org: add the org's subdomain"));
            }
            None if !policy.allow_custom_domain => {
                return Err(invalid(
                    "the host is not an Okta domain (*.okta.com, *.oktapreview.com, *.okta-emea.com); \
                     custom domains must be allowed explicitly",
                ));
            }
            None => {}
        }
        Ok(OrgUrl { origin: url.origin() })
    }

    /// The org's origin, e.g. `https://acme.okta.com` (no trailing slash).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The Management API base, `{origin}/api/v1`.
    pub fn api_base(&self) -> String {
        format!("{}/api/v1", self.origin)
    }

    /// The org authorization server's token URL (also the client assertion `aud` and the token DPoP `htu`).
    pub fn token_url(&self) -> String {
        format!("{}/oauth2/v1/token", self.origin)
    }

    /// Whether `url` is an absolute URL on exactly this origin (scheme, host and port) with no userinfo.
    /// This is the gate every `next` link passes before a request (and so a credential) is made for it.
    pub fn is_same_origin(&self, url: &str) -> bool {
        match ParsedUrl::parse(url) {
            Ok(parsed) => !parsed.has_userinfo && parsed.origin() == self.origin,
            Err(_) => false,
        }
    }
}

fn is_loopback(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

fn is_bare_okta_domain(host: &str) -> bool {
    OKTA_SUFFIXES.iter().any(|s| host == &s[1..])
}

fn check_dns_name(host: &str) -> Result<()> {
    let invalid = |reason| Error::InvalidOrgUrl { reason };
    if host.len() > 253 {
        return Err(invalid("the host name is too long"));
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 {
        return Err(invalid("the host must be a fully qualified domain name"));
    }
    for label in labels {
        if label.is_empty() || label.len() > 63 {
            return Err(invalid("the host has an empty or over-long label"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(invalid("a host label starts or ends with a hyphen"));
        }
    }
    Ok(())
}
