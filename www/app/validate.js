// @ts-check
// Validation of the Okta Directory integration form, shared by the page (live messages) and the
// server (the same rules, enforced). No DOM, no Node APIs: plain functions returning a message or "".

/** Okta's own domains for org URLs (`https://your.company.name.okta.com`). */
const OKTA_DOMAINS = ["okta.com", "oktapreview.com", "okta-emea.com", "okta-gov.com", "okta.mil"];
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** @param {string} value */
export function checkName(value) {
  const v = value.trim();
  if (!v) return "Enter a name for this directory.";
  if (v.length > 100) return "Keep the name under 100 characters.";
  return "";
}

/**
 * @param {string} value
 * @param {boolean} [loopback] allow a local emulator on http://127.0.0.1 (never a real org)
 */
export function checkOrgUrl(value, loopback = false) {
  const v = value.trim();
  if (!v) return "Enter your Okta instance URL, e.g. https://your.company.name.okta.com.";
  /** @type {URL} */
  let url;
  try {
    url = new URL(v);
  } catch {
    return "Enter a full URL starting with https://, e.g. https://your.company.name.okta.com.";
  }
  if (url.username || url.password) return "The URL must not contain a user name or password.";
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    return "Use the org URL only, without a path (remove everything after the domain, such as /admin).";
  }
  if (loopback) {
    if (!LOOPBACK_HOSTS.has(url.hostname)) return "A local emulator runs on 127.0.0.1 or localhost.";
    if (url.protocol !== "http:" && url.protocol !== "https:") return "Use an http:// or https:// URL.";
    return "";
  }
  if (url.protocol !== "https:") return "Okta is reached over https:// only.";
  const host = url.hostname.toLowerCase();
  if (host.endsWith("-admin.okta.com") || host.split(".")[0]?.endsWith("-admin")) {
    return "Use the org URL, not the admin console URL (drop “-admin”).";
  }
  const domain = OKTA_DOMAINS.find((d) => host.endsWith(`.${d}`));
  if (!domain || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host.slice(0, -domain.length - 1))) {
    return "This is not an Okta domain: the URL looks like https://your.company.name.okta.com.";
  }
  if (url.port) return "Okta org URLs have no port.";
  return "";
}

/** The Client ID of an Okta API Services app: `0oa` followed by 17 letters or digits. @param {string} value */
export function checkClientId(value) {
  const v = value.trim();
  if (!v) return "Enter the Client ID of the Okta service app.";
  if (!v.startsWith("0oa")) return "Okta app Client IDs start with 0oa.";
  if (!/^0oa[A-Za-z0-9]{17}$/.test(v)) return "A Client ID is 20 letters and digits (0oa and 17 more).";
  return "";
}

/** An Okta group id: `00g` followed by 17 letters or digits (optional field). @param {string} value */
export function checkGroupId(value) {
  const v = value.trim();
  if (!v) return "";
  if (!/^00g[A-Za-z0-9]{17}$/.test(v)) return "An Okta group ID is 20 letters and digits starting with 00g.";
  return "";
}

/** @param {string} value */
export function checkKeyId(value) {
  const v = value.trim();
  if (v && !/^[\x21-\x7e]{1,128}$/.test(v)) return "A key ID is up to 128 printable characters without spaces.";
  return "";
}

/**
 * What a private key text is: `{kind, kid?}` when usable, `{error}` otherwise. Checks the shape only
 * (the server also parses the key).
 * @param {string} text
 * @returns {{ kind: "pem" | "jwk", kid?: string, error?: undefined } | { error: string, kind?: undefined, kid?: undefined }}
 */
export function inspectKey(text) {
  const v = text.trim();
  if (!v) return { error: "Add the service app's private key (a PEM or JWK file)." };
  if (v.startsWith("-----BEGIN")) {
    if (/^-----BEGIN (RSA |EC )PRIVATE KEY-----/.test(v)) {
      return { error: "This is a PKCS#1/SEC1 key: convert it to PKCS#8 (BEGIN PRIVATE KEY), or export the key as a JWK." };
    }
    if (/^-----BEGIN (PUBLIC KEY|CERTIFICATE)-----/.test(v)) return { error: "This is a public key: the app's private key is needed." };
    if (!/^-----BEGIN PRIVATE KEY-----\s+[A-Za-z0-9+/=\s]+-----END PRIVATE KEY-----$/.test(v)) {
      return { error: "The PEM is not a complete PKCS#8 private key (BEGIN/END PRIVATE KEY)." };
    }
    return { kind: "pem" };
  }
  /** @type {unknown} */
  let jwk;
  try {
    jwk = JSON.parse(v);
  } catch {
    return { error: "The key is neither a PEM file nor JSON (JWK)." };
  }
  if (jwk === null || typeof jwk !== "object" || Array.isArray(jwk)) return { error: "A JWK is a JSON object." };
  const k = /** @type {Record<string, unknown>} */ (jwk);
  if (Array.isArray(k["keys"])) return { error: "This is a key set: paste the one private JWK." };
  if (k["kty"] !== "RSA" && k["kty"] !== "EC") return { error: "The JWK must be an RSA or EC (P-256) key." };
  if (k["kty"] === "EC" && k["crv"] !== "P-256") return { error: "EC keys must use the P-256 curve." };
  if (typeof k["d"] !== "string") return { error: "This JWK is a public key: the private key (with “d”) is needed." };
  return typeof k["kid"] === "string" ? { kind: "jwk", kid: k["kid"] } : { kind: "jwk" };
}

/** Scopes the directory sync requests. */
export const REQUIRED_SCOPES = ["okta.users.read", "okta.groups.read"];
