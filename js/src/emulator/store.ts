/**
 * The emulator's directory: users and groups sorted by id (the list endpoints page by id, like Okta's
 * cursors), indexes for the lookups Okta supports, memberships, and the System Log the control API's
 * mutations write to.
 */
import { randomUUID } from "node:crypto";
import { generateDirectory, type GeneratorOptions } from "./generator.js";
import { oktaId, type Rng } from "./random.js";
import { forgetUserJson } from "./user-json.js";
import { messUpUsers, resolveRealism, type Realism } from "./realism.js";
import { USER_STATUSES, isoTime, type EmulatorGroup, type EmulatorUser, type LogEvent, type Profile, type UserStatus } from "./types.js";

/** Logins are unique case- and diacritic-insensitively in Okta. */
export function loginKey(login: string): string {
  return login
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

/** Index of the first element whose id is greater than `after` (ids sort in creation order). */
export function firstAfter(ids: readonly { id: string }[] | readonly string[], after: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = ids[mid];
    const id = typeof item === "string" ? item : (item?.id ?? "");
    if (id <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The emulator's error codes, by HTTP status. */
const STORE_ERROR_CODES = { 400: "EMULATOR_BAD_REQUEST", 404: "EMULATOR_NOT_FOUND", 409: "EMULATOR_CONFLICT" } as const;

/** A refused emulator control request (exported as `EmulatorStoreError`): a real `Error` with a stable `code` and the HTTP `status`. */
export class StoreError extends Error {
  /** `EMULATOR_BAD_REQUEST`, `EMULATOR_NOT_FOUND` or `EMULATOR_CONFLICT`. */
  readonly code: (typeof STORE_ERROR_CODES)[keyof typeof STORE_ERROR_CODES];
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "EmulatorStoreError";
    this.code = STORE_ERROR_CODES[status];
  }
}

/** The emulated org in memory: users, groups, memberships and the System Log (exported as `EmulatorStore`). */
export class DirectoryStore {
  readonly users: EmulatorUser[];
  readonly groups: EmulatorGroup[];
  readonly members: Map<string, string[]>;
  readonly events: LogEvent[] = [];
  readonly #byId = new Map<string, EmulatorUser>();
  readonly #byLogin = new Map<string, EmulatorUser>();
  readonly #byShortName = new Map<string, Set<string>>();
  readonly #groupById = new Map<string, EmulatorGroup>();
  readonly #rng: Rng;
  #nextUserSeq: number;
  /** Mutations are stamped with a clock that never goes backwards, so `lastUpdated gt` deltas work. */
  #lastStamp = 0;
  readonly realism: Realism;
  /** Replication lag: what the search index still shows of each recently changed user (null: not yet created). */
  readonly #indexed = new Map<string, { before: EmulatorUser | null; at: number }>();
  /** Replication lag: users deleted less than the lag ago, still in the index. */
  #recentlyDeleted: { user: EmulatorUser; at: number }[] = [];
  /** Called with every System Log event as it is written (Event Hook deliveries subscribe here). */
  readonly eventListeners: ((event: LogEvent) => void)[] = [];
  /** Control API: the next `count` events are stamped `published` at `ms` (written late, behind a poll). */
  backdate: { ms: number; count: number } | undefined;
  /** Late System Log events, not yet persisted. */
  #pendingEvents: { event: LogEvent; visibleAt: number }[] = [];
  #eventCount = 0;
  #lastPublished = 0;

  constructor(options: GeneratorOptions, realism: Realism = resolveRealism(undefined)) {
    const dir = generateDirectory(options);
    this.realism = realism;
    messUpUsers(dir.users, realism);
    this.users = dir.users;
    this.groups = dir.groups;
    this.members = dir.members;
    this.#rng = dir.rng;
    this.#nextUserSeq = dir.nextUserSeq;
    for (const u of this.users) this.#index(u);
    for (const g of this.groups) this.#groupById.set(g.id, g);
  }

  #index(u: EmulatorUser): void {
    this.#byId.set(u.id, u);
    const login = String(u.profile["login"] ?? "");
    this.#byLogin.set(loginKey(login), u);
    const short = loginKey(login.split("@")[0] ?? "");
    let set = this.#byShortName.get(short);
    if (set === undefined) this.#byShortName.set(short, (set = new Set()));
    set.add(u.id);
  }

  #unindex(u: EmulatorUser): void {
    this.#byId.delete(u.id);
    const login = String(u.profile["login"] ?? "");
    this.#byLogin.delete(loginKey(login));
    this.#byShortName.get(loginKey(login.split("@")[0] ?? ""))?.delete(u.id);
  }

  #stamp(): string {
    // With ties, Okta-like whole-second stamps: every change within one second shares its `lastUpdated`.
    this.#lastStamp = this.realism.lastUpdatedTies
      ? Math.max(Math.floor(Date.now() / 1000) * 1000, this.#lastStamp)
      : Math.max(Date.now(), this.#lastStamp + 1);
    return isoTime(this.#lastStamp);
  }

  /** Remembers how the search index sees `u` before a change (replication lag). */
  #beforeChange(u: EmulatorUser | null, id: string): void {
    if (this.realism.replicationLagMs <= 0) return;
    const now = Date.now();
    const old = this.#indexed.get(id);
    // A change inside the lag window keeps the older indexed version: the index has not caught up yet.
    const before =
      old !== undefined && now - old.at < this.realism.replicationLagMs
        ? old.before
        : u === null
          ? null
          : (structuredClone(u) as EmulatorUser);
    this.#indexed.set(id, { before, at: now });
  }

  /**
   * The users a `filter`/`search` listing sees now: the primary store, with each user changed less than the
   * replication lag ago as it was before (absent if just created), and users deleted less than the lag ago still
   * present. Sorted by id. Without lag, the store's own array.
   */
  indexedUsers(): readonly EmulatorUser[] {
    const lag = this.realism.replicationLagMs;
    if (lag <= 0) return this.users;
    const now = Date.now();
    this.#recentlyDeleted = this.#recentlyDeleted.filter((d) => now - d.at < lag);
    for (const [id, v] of this.#indexed) if (now - v.at >= lag) this.#indexed.delete(id);
    if (this.#indexed.size === 0 && this.#recentlyDeleted.length === 0) return this.users;
    const out: EmulatorUser[] = [];
    for (const u of this.users) {
      const stale = this.#indexed.get(u.id);
      if (stale === undefined) out.push(u);
      else if (stale.before !== null) out.push(stale.before);
    }
    for (const d of this.#recentlyDeleted) {
      const stale = this.#indexed.get(d.user.id);
      if (stale === undefined) out.push(d.user);
      else if (stale.before !== null) out.push(stale.before);
    }
    return this.#recentlyDeleted.length === 0 ? out : out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Persists the late System Log events that are due; returns the persisted events (persistence order). */
  persistedEvents(): readonly LogEvent[] {
    const now = Date.now();
    if (this.#pendingEvents.some((p) => p.visibleAt <= now)) {
      for (const p of this.#pendingEvents) if (p.visibleAt <= now) this.events.push(p.event);
      this.#pendingEvents = this.#pendingEvents.filter((p) => p.visibleAt > now);
    }
    return this.events;
  }

  /** Every event, late ones included (ground truth for tests). */
  allEvents(): LogEvent[] {
    return [...this.events, ...this.#pendingEvents.map((p) => p.event)];
  }

  #log(eventType: string, message: string, target: LogEvent["target"]): void {
    const late = this.realism.lateSystemLogEvents;
    const list = late > 0 && this.#eventCount++ % 3 === 2 ? undefined : this.events;
    const event: LogEvent = {
      uuid: randomUUID(),
      // `published` keeps milliseconds even when `lastUpdated` ties (Okta's System Log stamps have them).
      published: isoTime(
        this.realism.lastUpdatedTies
          ? (this.#lastPublished = Math.max(Date.now(), this.#lastPublished + 1))
          : this.#lastStamp || Date.now(),
      ),
      eventType,
      displayMessage: message,
      severity: "INFO",
      outcome: { result: "SUCCESS" },
      target,
    };
    if (this.backdate !== undefined && this.backdate.count > 0) {
      event.published = isoTime(this.backdate.ms);
      if (--this.backdate.count === 0) this.backdate = undefined;
    }
    this.persistedEvents();
    if (list === undefined) this.#pendingEvents.push({ event, visibleAt: Date.parse(event.published) + late });
    else list.push(event);
    for (const listener of this.eventListeners) listener(event);
  }

  #userTarget(u: EmulatorUser): LogEvent["target"][number] {
    return { id: u.id, type: "User", alternateId: String(u.profile["login"] ?? ""), displayName: String(u.profile["displayName"] ?? "") };
  }

  #groupTarget(g: EmulatorGroup): LogEvent["target"][number] {
    return { id: g.id, type: "UserGroup", alternateId: "unknown", displayName: g.profile.name };
  }

  userById(id: string): EmulatorUser | undefined {
    return this.#byId.get(id);
  }

  /** Okta's `{idOrLogin}`: an id, a full login, or a login short name when it is unambiguous. */
  findUser(idOrLogin: string): EmulatorUser | undefined {
    const byId = this.#byId.get(idOrLogin);
    if (byId !== undefined) return byId;
    const key = loginKey(idOrLogin);
    const byLogin = this.#byLogin.get(key);
    if (byLogin !== undefined) return byLogin;
    const short = this.#byShortName.get(key);
    if (short?.size === 1) {
      const [only] = short;
      return only === undefined ? undefined : this.#byId.get(only);
    }
    return undefined;
  }

  group(id: string): EmulatorGroup | undefined {
    return this.#groupById.get(id);
  }

  groupsOf(userId: string): EmulatorGroup[] {
    return this.groups.filter((g) => {
      const list = this.members.get(g.id) ?? [];
      const i = firstAfter(list, userId) - 1;
      return i >= 0 && list[i] === userId;
    });
  }

  createUser(profile: Profile, status: UserStatus = "ACTIVE"): EmulatorUser {
    const login = profile["login"];
    if (typeof login !== "string" || login.length < 5) throw new StoreError(400, "profile.login is required (5 characters or more)");
    if (this.#byLogin.has(loginKey(login))) throw new StoreError(409, "a user with this login already exists");
    if (!USER_STATUSES.includes(status)) throw new StoreError(400, "unknown status");
    const now = this.#stamp();
    const active = status !== "STAGED";
    const user: EmulatorUser = {
      id: oktaId("00u", this.#nextUserSeq++, this.#rng),
      status,
      created: now,
      activated: active ? now : null,
      statusChanged: active ? now : null,
      lastLogin: null,
      lastUpdated: now,
      passwordChanged: null,
      type: { id: "oty1162QAr8hJjTaq0g4" },
      profile: { email: login, ...profile },
      credentials: { provider: { type: "OKTA", name: "OKTA" } },
    };
    this.#beforeChange(null, user.id);
    this.users.push(user); // the new id is the largest, so the array stays sorted
    this.#index(user);
    const everyone = this.groups.find((g) => g.type === "BUILT_IN");
    if (everyone !== undefined) this.addMember(everyone.id, user.id, false);
    this.#log("user.lifecycle.create", "Create Okta user", [this.#userTarget(user)]);
    if (active) this.#log("user.lifecycle.activate", "Activate Okta user", [this.#userTarget(user)]);
    return user;
  }

  /** Merges profile attributes (null removes one) and optionally changes the status. */
  updateUser(id: string, change: { profile?: Profile; status?: UserStatus }): EmulatorUser {
    const user = this.#byId.get(id);
    if (user === undefined) throw new StoreError(404, "no such user");
    if (change.status !== undefined && !USER_STATUSES.includes(change.status)) throw new StoreError(400, "unknown status");
    const newLogin = change.profile?.["login"];
    if (typeof newLogin === "string" && loginKey(newLogin) !== loginKey(String(user.profile["login"]))) {
      if (this.#byLogin.has(loginKey(newLogin))) throw new StoreError(409, "a user with this login already exists");
    }
    this.#beforeChange(user, user.id);
    this.#unindex(user);
    forgetUserJson(user);
    const now = this.#stamp();
    if (change.profile !== undefined) {
      for (const [k, v] of Object.entries(change.profile)) {
        if (v === null) delete user.profile[k];
        else user.profile[k] = v;
      }
      this.#log("user.account.update_profile", "Update user profile for Okta", [this.#userTarget(user)]);
    }
    if (change.status !== undefined && change.status !== user.status) {
      const from = user.status;
      user.status = change.status;
      user.statusChanged = now;
      const event =
        change.status === "DEPROVISIONED"
          ? "user.lifecycle.deactivate"
          : change.status === "SUSPENDED"
            ? "user.lifecycle.suspend"
            : from === "SUSPENDED"
              ? "user.lifecycle.unsuspend"
              : from === "DEPROVISIONED"
                ? "user.lifecycle.reactivate"
                : "user.lifecycle.activate";
      this.#log(event, `User status ${from} -> ${change.status}`, [this.#userTarget(user)]);
    }
    user.lastUpdated = now;
    this.#index(user);
    return user;
  }

  deactivateUser(id: string): EmulatorUser {
    return this.updateUser(id, { status: "DEPROVISIONED" });
  }

  /** Hard delete: the user disappears from every list and membership (Okta's second step). */
  deleteUser(id: string): void {
    const user = this.#byId.get(id);
    if (user === undefined) throw new StoreError(404, "no such user");
    this.#stamp();
    if (this.realism.replicationLagMs > 0) {
      this.#beforeChange(user, id);
      this.#recentlyDeleted.push({ user, at: Date.now() });
    }
    for (const g of this.groupsOf(id)) this.removeMember(g.id, id, false);
    this.#unindex(user);
    this.users.splice(firstAfter(this.users, id) - 1, 1);
    this.#log("user.lifecycle.delete.initiated", "Delete Okta user", [this.#userTarget(user)]);
    this.#log("user.lifecycle.delete.completed", "Delete Okta user completed", [this.#userTarget(user)]);
  }

  addMember(groupId: string, userId: string, log = true): void {
    const group = this.#groupById.get(groupId);
    const user = this.#byId.get(userId);
    if (group === undefined || user === undefined) throw new StoreError(404, "no such group or user");
    const list = this.members.get(groupId) ?? [];
    this.members.set(groupId, list);
    const at = firstAfter(list, userId);
    if (list[at - 1] === userId) return;
    list.splice(at, 0, userId);
    group.lastMembershipUpdated = this.#stamp();
    if (log) this.#log("group.user_membership.add", "Add user to group membership", [this.#userTarget(user), this.#groupTarget(group)]);
  }

  removeMember(groupId: string, userId: string, log = true): void {
    const group = this.#groupById.get(groupId);
    if (group === undefined) throw new StoreError(404, "no such group");
    const list = this.members.get(groupId) ?? [];
    const at = firstAfter(list, userId) - 1;
    if (at < 0 || list[at] !== userId) throw new StoreError(404, "the user is not a member");
    list.splice(at, 1);
    group.lastMembershipUpdated = this.#stamp();
    const user = this.#byId.get(userId);
    if (log && user !== undefined)
      this.#log("group.user_membership.remove", "Remove user from group membership", [this.#userTarget(user), this.#groupTarget(group)]);
  }
}
