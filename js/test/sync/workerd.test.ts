/**
 * syncDirectory inside workerd (Miniflare): the built Workers entry (dist/workerd.js: package.json's
 * "sideEffects" keeps its wasm initialization, which a bundle of src/ would tree-shake) bundled the way
 * wrangler does (esbuild, the .wasm imported as a module), syncing from the in-process emulator.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import type { SyncResult } from "../../src/node.js";
import { expectMatchesTruth } from "./helpers.js";

let emu: RunningEmulator;
/** The part of Miniflare used here (its own .d.ts needs workers-types that this project does not install). */
interface MiniflareLike {
  dispatchFetch(url: string, init: RequestInit): Promise<Response>;
  dispose(): Promise<void>;
}
type MiniflareClass = new (options: Record<string, unknown>) => MiniflareLike;
/** The part of the shared recipe (templates/worker/test/workerd-bundle.mjs: bundle as wrangler does, run in workerd) used here. */
interface WorkerdBundle {
  bundleForWorkerd(options: { entry: string; outfile: string }): Promise<unknown>;
  workerdScript(scriptPath: string): Record<string, unknown>;
}
let mf: MiniflareLike;
let dir: string;

const WORKER = `
import { OktaDirectory, syncDirectory } from ${JSON.stringify(new URL("../../dist/workerd.js", import.meta.url).pathname)};
export default {
  async fetch(request) {
    try {
      const options = { ...(await request.json()), allowInsecureLoopback: true };
      if (new URL(request.url).pathname === "/client") {
        const okta = new OktaDirectory(options);
        const summary = await okta.sync();
        const listed = [];
        for await (const user of okta.users()) listed.push(user.login);
        const first = okta.lookup(listed[0]).user.login === listed[0];
        return Response.json({ summary, info: okta.info(), listed, first });
      }
      return Response.json(await syncDirectory(options));
    } catch (e) {
      return Response.json({ error: { code: e.code, name: e.name, message: e.message } }, { status: 500 });
    }
  },
};`;

beforeAll(async () => {
  emu = await startEmulator({ users: 250, groups: 4, seed: 9, rateLimit: "off", dpop: "required" });
  dir = mkdtempSync(join(tmpdir(), "sync-workerd-"));
  writeFileSync(join(dir, "entry.mjs"), WORKER);
  // A non-literal specifier: the recipe is JavaScript outside this project (no types for tsc to check).
  const recipe: string = new URL("../../../templates/worker/test/workerd-bundle.mjs", import.meta.url).href;
  const { bundleForWorkerd, workerdScript } = (await import(recipe)) as WorkerdBundle;
  await bundleForWorkerd({ entry: join(dir, "entry.mjs"), outfile: join(dir, "worker.js") });
  const specifier: string = "miniflare"; // a non-literal specifier keeps tsc away from Miniflare's types
  const { Miniflare } = (await import(specifier)) as { Miniflare: MiniflareClass };
  mf = new Miniflare(workerdScript(join(dir, "worker.js")));
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function syncInWorker(options: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  const res = await mf.dispatchFetch("http://worker/", { method: "POST", body: JSON.stringify({ orgUrl: emu.url, ...options }) });
  return { status: res.status, body: await res.json() };
}

describe("syncDirectory in workerd", () => {
  it("private key + DPoP (WebCrypto in workerd): the directory equals the ground truth", async () => {
    const r = await syncInWorker({ clientId: emu.clientId, privateKey: emu.privateKeyPem, keyId: emu.keyId, dpop: "required" });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expectMatchesTruth(r.body as SyncResult, emu);
  }, 60_000);

  it("SSWS, and typed errors cross as codes", async () => {
    const ok = await syncInWorker({ apiToken: emu.apiToken });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expectMatchesTruth(ok.body as SyncResult, emu);
    const bad = await syncInWorker({ apiToken: "00wrong" });
    expect(bad.body).toMatchObject({ error: { code: "OKTA_AUTHENTICATION_FAILED", name: "AuthenticationError" } });
  }, 60_000);
});

describe("OktaDirectory in workerd", () => {
  it("sync(), users() and lookups run in the Workers entry", async () => {
    const res = await mf.dispatchFetch("http://worker/client", {
      method: "POST",
      body: JSON.stringify({ orgUrl: emu.url, apiToken: emu.apiToken, pageLimit: 50 }),
    });
    const body = (await res.json()) as {
      summary: { users: number };
      info: { users: number };
      listed: string[];
      first: boolean;
      error?: unknown;
    };
    expect(res.status, JSON.stringify(body.error)).toBe(200);
    expect(body.summary.users).toBe(250);
    expect(body.info.users).toBe(250);
    expect(new Set(body.listed).size).toBe(250);
    expect(body.first).toBe(true);
  }, 60_000);
});
