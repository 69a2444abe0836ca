/** The operator's policy registry, built from configuration. */
import { makeError } from "../errors.js";
import type { PolicyRegistry, RegisteredPolicy } from "./types.js";

/** The id of the documented default policy in a registry built without one. */
export const DEFAULT_POLICY_ID = "default";

/** A fixed registry: the policies the operator configured, by id. */
export class StaticPolicyRegistry implements PolicyRegistry {
  readonly defaultId: string;
  readonly #byId = new Map<string, RegisteredPolicy>();

  /**
   * @param policies - the operator's policies (default: only the documented default policy, as `"default"`)
   * @param defaultId - the policy used when a request names none; default the first one
   * @throws InvalidPolicyError `UNKNOWN_POLICY` when `defaultId` is not among them, `INVALID_POLICY` for a duplicate id
   */
  constructor(policies: readonly RegisteredPolicy[] = [{ id: DEFAULT_POLICY_ID, policy: null }], defaultId?: string) {
    for (const entry of policies) {
      if (typeof entry.id !== "string" || entry.id === "" || this.#byId.has(entry.id)) {
        throw makeError("INVALID_POLICY", "every registered policy needs its own non-empty id");
      }
      this.#byId.set(entry.id, { ...entry });
    }
    this.defaultId = defaultId ?? policies[0]?.id ?? DEFAULT_POLICY_ID;
    if (!this.#byId.has(this.defaultId)) throw makeError("UNKNOWN_POLICY", "the default policy id is not registered");
  }

  /** The policy registered under `id`. */
  get(id: string): RegisteredPolicy | undefined {
    return this.#byId.get(id);
  }
}
