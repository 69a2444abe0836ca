// @ts-check
// The dashboard's sign-in page: "Sign in with Okta" (when configured) and the one-time bootstrap token. A
// token in the URL's fragment (the link the server prints) is posted once and removed from the address bar.

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const errorBox = $("signin-error");

/** Plain words for the sign-in failures the server names. */
const ERRORS = /** @type {Record<string, string>} */ ({
  BOOTSTRAP_REFUSED: "That bootstrap token is wrong or was already used. Restart the server for a new one, or sign in with Okta.",
  OIDC_STATE_MISMATCH: "That sign-in was not started here or took too long. Try again.",
  OIDC_DENIED: "Okta refused the sign-in.",
  OIDC_TOKEN_REFUSED: "Okta refused the sign-in.",
  OIDC_TOKEN_INVALID: "Okta's answer could not be verified, so you were not signed in.",
  OIDC_DISCOVERY_FAILED: "The Okta org could not be reached.",
});

function showError(/** @type {string} */ code) {
  errorBox.textContent = ERRORS[code] ?? "Sign-in failed. Try again.";
  errorBox.hidden = false;
}

async function useToken(/** @type {string} */ token) {
  const res = await fetch("/auth/bootstrap", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });
  if (res.ok) {
    location.replace("/");
    return;
  }
  const body = await res.json().catch(() => ({}));
  showError(body.error?.code ?? "");
}

/** @type {{ signedIn?: boolean, okta?: boolean }} */
const current = await fetch("/auth/session")
  .then((r) => r.json())
  .catch(() => ({}));
if (current.signedIn) location.replace("/");
$("okta-box").hidden = !current.okta;
const failure = new URLSearchParams(location.search).get("error");
if (failure) showError(failure);

$("bootstrap-form").addEventListener("submit", (event) => {
  event.preventDefault();
  void useToken(/** @type {HTMLInputElement} */ ($("bootstrap-token")).value.trim());
});

export {};

const fragment = new URLSearchParams(location.hash.slice(1)).get("bootstrap");
if (fragment) {
  history.replaceState(null, "", location.pathname + location.search);
  void useToken(fragment);
}
