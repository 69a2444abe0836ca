// Which durable engine the pinned workerd/Miniflare runs, and what a step costs on each: a Cloudflare
// Workflow of N `step.do` steps against a Durable Object chaining N alarms, each step writing one small
// R2 object (as a sync step writes its journal segment) and returning a small state. Also checks what
// a killed run does: workerd is disposed mid-run and restarted on the same persisted state.
//
//   node bench/worker-engine-probe.mjs [steps=40]
// Each step also waits 25 ms (a fast Okta page): the engine's own cost per step is perStepMs - 25.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";

const steps = Number(process.argv[2] ?? 40);

const SCRIPT = `
import { DurableObject, WorkflowEntrypoint } from "cloudflare:workers";
const STEPS = ${steps};
// Each step waits as long as a fast Okta page would take, so that a kill lands mid-run.
const work = () => new Promise((r) => setTimeout(r, 25));
export class ProbeWorkflow extends WorkflowEntrypoint {
  async run(event, step) {
    let state = { n: 0, started: Date.now() };
    for (let i = 0; i < STEPS; i++) {
      state = await step.do("page " + i, async () => {
        await work();
        await this.env.BUCKET.put("wf/" + event.payload.id + "/" + i + "/" + crypto.randomUUID(), new Uint8Array(1024));
        return { n: state.n + 1, started: state.started };
      });
    }
    await step.do("done", async () => {
      await this.env.BUCKET.put("wf/" + event.payload.id + "/done", JSON.stringify({ ms: Date.now() - state.started, n: state.n }));
    });
  }
}
export class ProbeJob extends DurableObject {
  async start(id) {
    await this.ctx.storage.put("run", { id, n: 0, started: Date.now() });
    await this.ctx.storage.setAlarm(Date.now());
  }
  async alarm() {
    const run = await this.ctx.storage.get("run");
    await work();
    await this.env.BUCKET.put("do/" + run.id + "/" + run.n + "/" + crypto.randomUUID(), new Uint8Array(1024));
    run.n += 1;
    if (run.n < STEPS) {
      await this.ctx.storage.put("run", run);
      await this.ctx.storage.setAlarm(Date.now());
    } else {
      await this.env.BUCKET.put("do/" + run.id + "/done", JSON.stringify({ ms: Date.now() - run.started, n: run.n }));
      await this.ctx.storage.delete("run");
    }
  }
  async resume() {
    if ((await this.ctx.storage.get("run")) !== undefined && (await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now());
  }
}
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const id = url.searchParams.get("id");
    if (url.pathname === "/wf") {
      const instance = await env.WF.create({ id, params: { id } });
      return Response.json({ id: instance.id });
    }
    if (url.pathname === "/wf-status") return Response.json(await (await env.WF.get(id)).status());
    if (url.pathname === "/do") {
      await env.JOB.get(env.JOB.idFromName("probe")).start(id);
      return Response.json({ id });
    }
    if (url.pathname === "/do-resume") {
      await env.JOB.get(env.JOB.idFromName("probe")).resume();
      return Response.json({});
    }
    return new Response("not found", { status: 404 });
  },
};`;

/** @param {string} persist */
function start(persist) {
  return new Miniflare({
    modules: true,
    script: SCRIPT,
    compatibilityDate: "2026-04-01",
    cf: false,
    r2Buckets: ["BUCKET"],
    durableObjects: { JOB: "ProbeJob" },
    workflows: { WF: { name: "probe", className: "ProbeWorkflow" } },
    r2Persist: join(persist, "r2"),
    durableObjectsPersist: join(persist, "do"),
    workflowsPersist: join(persist, "wf"),
  });
}

/**
 * @param {Miniflare} mf
 * @param {string} key
 */
async function waitDone(mf, key, timeoutMs = 120_000) {
  const bucket = await mf.getR2Bucket("BUCKET");
  const until = Date.now() + timeoutMs;
  for (;;) {
    const object = await bucket.get(key);
    if (object !== null) return JSON.parse(await object.text());
    if (Date.now() > until) return null;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Step executions under `prefix` (one object per execution) and the distinct steps they ran.
 * @param {Miniflare} mf
 * @param {string} prefix
 */
async function executions(mf, prefix) {
  const bucket = await mf.getR2Bucket("BUCKET");
  const keys = (await bucket.list({ prefix, limit: 1000 })).objects.map((o) => o.key).filter((k) => !k.endsWith("/done"));
  return { runs: keys.length, steps: new Set(keys.map((k) => k.split("/")[2])).size };
}

const persist = mkdtempSync(join(tmpdir(), "engine-probe-"));
try {
  let mf = start(persist);
  for (const engine of ["wf", "do"]) {
    const t0 = performance.now();
    await mf.dispatchFetch(`http://probe/${engine}?id=clean`);
    const done = await waitDone(mf, `${engine}/clean/done`);
    const ms = performance.now() - t0;
    console.log(
      JSON.stringify({
        engine: engine === "wf" ? "workflow" : "durable-object-alarms",
        steps,
        ok: done !== null,
        totalMs: Math.round(ms),
        perStepMs: +(ms / steps).toFixed(2),
      }),
    );
  }
  // Killed mid-run: dispose after about a quarter of the steps, restart on the same state, see whether it
  // finishes and how many steps ran twice.
  for (const engine of ["wf", "do"]) {
    await mf.dispatchFetch(`http://probe/${engine}?id=killed`);
    while ((await executions(mf, `${engine}/killed/`)).steps < steps / 4) await new Promise((r) => setTimeout(r, 5));
    const before = (await executions(mf, `${engine}/killed/`)).steps;
    await mf.dispose();
    mf = start(persist);
    await mf.ready;
    // Poke the engine after the restart: the Durable Object re-arms its alarm; the Workflow is asked its status.
    const poke = await mf.dispatchFetch(engine === "do" ? "http://probe/do-resume" : "http://probe/wf-status?id=killed");
    const status = engine === "wf" ? /** @type {{ status: string }} */ (await poke.json()).status : undefined;
    const done = await waitDone(mf, `${engine}/killed/done`, 30_000);
    const after = await executions(mf, `${engine}/killed/`);
    console.log(
      JSON.stringify({
        engine: engine === "wf" ? "workflow" : "durable-object-alarms",
        killedAfterSteps: before,
        finishedAfterRestart: done !== null,
        ...(status === undefined ? {} : { statusAfterRestart: status }),
        stepExecutions: after.runs,
        stepsRunTwice: after.runs - after.steps,
      }),
    );
  }
  await mf.dispose();
} finally {
  rmSync(persist, { recursive: true, force: true });
}
