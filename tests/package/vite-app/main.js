// A browser app built by Vite that pre-checks claims with the light entry, as the portal would.
import { ClaimsMatcher, OktaDirectoryError, normalizeUser } from "okta-directory/claims";

/** @type {{ decision: string | null, family: string | null, given: string | null | undefined, error: string | null }} */
const out = { decision: null, family: null, given: null, error: null };
try {
  const { user } = normalizeUser({ profile: { firstName: "José", lastName: "García López", birthdate: "1990-04-03" } });
  out.given = user.name.given;
  const matcher = new ClaimsMatcher();
  const report = matcher.match({ given_name: "JOSE", family_name: "GARCIA LOPEZ", birthdate: "1990-04-03" }, { profile: { firstName: "José", lastName: "García López", birthdate: "1990-04-03" } });
  out.decision = report.decision;
  out.family = report.claims.family_name?.outcome ?? null;
  try {
    normalizeUser("{");
  } catch (error) {
    out.error = error instanceof OktaDirectoryError ? error.code : `untyped: ${error}`;
  }
  matcher.free();
} catch (error) {
  out.error = `failed: ${/** @type {Error | undefined} */ (error)?.stack ?? error}`;
}
/** @type {Window & { __result?: unknown }} */ (window).__result = out;
/** @type {HTMLElement} */ (document.getElementById("result")).textContent = JSON.stringify(out);
