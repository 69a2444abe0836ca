/** The objects the emulator serves, in the shapes Okta's Management API uses. */

export const USER_STATUSES = [
  "STAGED",
  "PROVISIONED",
  "ACTIVE",
  "RECOVERY",
  "LOCKED_OUT",
  "PASSWORD_EXPIRED",
  "SUSPENDED",
  "DEPROVISIONED",
] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export type GroupType = "BUILT_IN" | "OKTA_GROUP" | "APP_GROUP";

/** Okta profile values: strings mostly; custom attributes may be numbers, booleans or arrays. */
export type ProfileValue = string | number | boolean | null | readonly string[];
export type Profile = Record<string, ProfileValue>;

export interface EmulatorUser {
  id: string;
  status: UserStatus;
  created: string;
  activated: string | null;
  statusChanged: string | null;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string | null;
  type: { id: string };
  profile: Profile;
  credentials: {
    password?: Record<string, never>;
    provider: { type: string; name: string };
  };
}

export interface EmulatorGroup {
  id: string;
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
  objectClass: string[];
  type: GroupType;
  profile: Profile & { name: string; description: string | null };
}

/** One System Log event, reduced to the fields a directory sync reads. */
export interface LogEvent {
  uuid: string;
  published: string;
  eventType: string;
  displayMessage: string;
  severity: "INFO";
  outcome: { result: "SUCCESS" };
  target: { id: string; type: "User" | "UserGroup"; alternateId: string; displayName: string }[];
}

/** Okta's timestamp form: ISO 8601 UTC with milliseconds. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
