/**
 * Key reading: the text of a service app's private key file (PKCS#8 PEM, or a JWK as JSON) into what
 * `syncDirectory`'s `privateKey` takes. Runtime-neutral; public through the `node` and `workers` entries.
 */
import { makeError } from "../errors.js";

/**
 * The `privateKey` option from a key file's text: a JWK object when the text is JSON (it starts with `{`),
 * else the text itself (a PEM; `syncDirectory` checks it is PKCS#8 when it imports it).
 *
 * @throws ConfigurationError (`INVALID_CREDENTIALS`) when the text is empty, or starts like JSON but is not a
 *   JSON object; the message never repeats the key.
 */
export function parsePrivateKey(text: string): string | JsonWebKey {
  const trimmed = text.trim();
  if (trimmed === "") throw makeError("INVALID_CREDENTIALS", "the private key is empty");
  if (!trimmed.startsWith("{")) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    // The JSON error would quote the text around the fault: key material. It is not kept as the cause.
    throw makeError("INVALID_CREDENTIALS", "the private key is neither PKCS#8 PEM nor a JSON JWK");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw makeError("INVALID_CREDENTIALS", "the private key is neither PKCS#8 PEM nor a JSON JWK");
  return parsed as JsonWebKey;
}
