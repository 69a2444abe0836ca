/** Recording decided verifications into enrollment histories kept wherever the caller stores them. */
import type { EnrollmentHistory } from "../../wasm/okta_directory.js";
import { recordVerification } from "../enrollment.js";
import type { VerificationEntry, VerificationRecorder } from "./types.js";

/** Where enrollment histories live: one document per user, or one shared document (the key is the user id). */
export interface HistoryStore {
  /** The history that holds `userId`'s verifications, or `null`. */
  load(userId: string): Promise<EnrollmentHistory | null> | EnrollmentHistory | null;
  /** Stores the history after a verification of `userId` was added. */
  save(userId: string, history: EnrollmentHistory): Promise<void> | void;
}

/** A {@link VerificationRecorder} over a {@link HistoryStore}: load, append, save. */
export class HistoryRecorder implements VerificationRecorder {
  readonly #store: HistoryStore;
  /** Records per user are serialized within this process (two decisions never overwrite each other). */
  readonly #tails = new Map<string, Promise<unknown>>();

  constructor(store: HistoryStore) {
    this.#store = store;
  }

  /** Appends the verification to the user's history. */
  record(entry: VerificationEntry): Promise<EnrollmentHistory> {
    const previous = this.#tails.get(entry.userId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const history = recordVerification(await this.#store.load(entry.userId), entry.userId, entry.report, {
        atMs: entry.atMs,
        policyId: entry.policyId,
        ...(entry.vector === undefined ? {} : { vector: entry.vector }),
      });
      await this.#store.save(entry.userId, history);
      return history;
    });
    const tail = next.catch(() => undefined);
    this.#tails.set(entry.userId, tail);
    void tail.then(() => {
      if (this.#tails.get(entry.userId) === tail) this.#tails.delete(entry.userId);
    });
    return next;
  }

  /** The user's history so far. */
  async history(userId: string): Promise<EnrollmentHistory | null> {
    return (await this.#store.load(userId)) ?? null;
  }
}

/** Histories in memory, one shared document (tests, the demo). */
export class MemoryHistoryStore implements HistoryStore {
  /** The whole history document (`null` until the first verification). */
  document: EnrollmentHistory | null = null;

  /** The shared document. */
  load(): EnrollmentHistory | null {
    return this.document;
  }

  /** Replaces the shared document. */
  save(_userId: string, history: EnrollmentHistory): void {
    this.document = history;
  }
}
