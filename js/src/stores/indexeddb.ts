/** An IndexedDB store (browsers): the snapshot is one record of one object store, replaced in one transaction. */
import { makeError } from "../errors.js";
import type { DirectoryStore } from "./types.js";

const OBJECT_STORE = "snapshots";

/** Options of {@link IndexedDbStore}. */
export interface IndexedDbStoreOptions {
  /** Database name (default `okta-directory`). */
  database?: string;
  /** Record key (default `directory`): several directories can share one database. */
  key?: string;
  /** The IndexedDB factory (default `globalThis.indexedDB`). */
  indexedDB?: IDBFactory;
}

function failed(what: string, cause: unknown): Error {
  return makeError("STORE_FAILED", `IndexedDB store: ${what} failed`, { cause });
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Keeps the snapshot in IndexedDB. */
export class IndexedDbStore implements DirectoryStore {
  readonly #database: string;
  readonly #key: string;
  readonly #factory: IDBFactory | undefined;
  #db: Promise<IDBDatabase> | undefined;

  constructor(options: IndexedDbStoreOptions = {}) {
    this.#database = options.database ?? "okta-directory";
    this.#key = options.key ?? "directory";
    this.#factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  }

  #open(): Promise<IDBDatabase> {
    if (this.#db === undefined) {
      const factory = this.#factory;
      if (factory === undefined) return Promise.reject(failed("opening (IndexedDB is not available here)", undefined));
      const opening = new Promise<IDBDatabase>((resolve, reject) => {
        const req = factory.open(this.#database, 1);
        req.onupgradeneeded = () => {
          if (!req.result.objectStoreNames.contains(OBJECT_STORE)) req.result.createObjectStore(OBJECT_STORE);
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
        req.onblocked = () => reject(new Error("blocked by another open connection"));
      });
      // A failed open is retried on the next call.
      this.#db = opening.catch((cause: unknown) => {
        this.#db = undefined;
        throw failed("opening the database", cause);
      });
    }
    return this.#db;
  }

  async load(): Promise<Uint8Array | null> {
    const db = await this.#open();
    try {
      const tx = db.transaction(OBJECT_STORE, "readonly");
      const value: unknown = await request(tx.objectStore(OBJECT_STORE).get(this.#key));
      if (value === undefined) return null;
      if (value instanceof Uint8Array) return value;
      if (value instanceof ArrayBuffer) return new Uint8Array(value);
      throw new Error("the record is not a snapshot");
    } catch (cause) {
      throw failed("reading the snapshot", cause);
    }
  }

  async save(snapshot: Uint8Array): Promise<void> {
    const db = await this.#open();
    try {
      const tx = db.transaction(OBJECT_STORE, "readwrite");
      tx.objectStore(OBJECT_STORE).put(snapshot.slice(), this.#key);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error("transaction aborted"));
      });
    } catch (cause) {
      throw failed("writing the snapshot", cause);
    }
  }

  /** Closes the database connection (the next call opens it again). */
  close(): void {
    const db = this.#db;
    this.#db = undefined;
    void db?.then(
      (d) => d.close(),
      () => {},
    );
  }
}
