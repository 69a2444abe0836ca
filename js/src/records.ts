/** The shapes of directory records the SDK accepts as input (what Okta's Users API returns). */

/** A bare Okta profile: attribute name → value (Okta sends an absent attribute as missing or `null`). */
export interface OktaProfile {
  [attribute: string]: unknown;
}

/** An Okta user object as the Users API returns it; only the parts the SDK reads are named (others are ignored). */
export interface OktaUser {
  /** Okta user id (`00u…`). */
  id?: string;
  /** Okta lifecycle status (`ACTIVE`, `SUSPENDED`, …). */
  status?: string;
  /** When Okta last changed the user (ISO 8601). */
  lastUpdated?: string;
  /** The user's profile attributes (an {@link OktaProfile}; any object type is accepted). */
  profile: object;
}

/** A directory record as matching and normalization read it: an Okta user object or a bare Okta profile. */
export type DirectoryRecord = OktaUser | OktaProfile;
