// KvDirectoryStore in Node over an in-memory KV: publish time, shard sizes, KV reads and latency per
// warm lookup (read one shard, decode it, look up). The KV itself costs nothing here, so the latency is
// the CPU a Worker spends per lookup besides the network read.
//   node bench/kv-lookup-node.mjs [USERS] [USERS_PER_SHARD]      (default 100000 128)
import { generateDirectory } from "../js/dist/emulator/index.js";
import { Directory, KvDirectoryStore, normalizeUser } from "../js/dist/node.js";

const N = Number(process.argv[2] ?? 100_000);
const PER_SHARD = Number(process.argv[3] ?? 128);

const t0 = performance.now();
const gen = generateDirectory({ users: N, groups: 20, seed: 3 });
const users = gen.users.map((u) => normalizeUser(u).user);
const memberships = [...gen.members].flatMap(([groupId, ids]) => ids.map((userId) => ({ groupId, userId })));
const groups = gen.groups.map((g) => ({ id: g.id, name: g.profile.name, type: g.type }));
const dir = Directory.fromSyncResult({ users, groups, memberships }, { workforceGroup: groups[1]?.id });

console.error(`generated and built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
/** @type {Map<string, Uint8Array>} */
const data = new Map();
let gets = 0;
/** @type {import("../js/dist/stores/kv.js").KvNamespaceLike} */
const kv = {
  async get(key) {
    gets++;
    const v = data.get(key);
    return v === undefined ? null : /** @type {ArrayBuffer} */ (v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
  },
  async put(key, value) {
    data.set(
      key,
      typeof value === "string"
        ? new TextEncoder().encode(value)
        : ArrayBuffer.isView(value)
          ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
          : new Uint8Array(value),
    );
  },
  async delete(key) {
    data.delete(key);
  },
};
const store = new KvDirectoryStore(kv, { usersPerShard: PER_SHARD, maxShards: 1 << 20 });
let t = performance.now();
const published = await store.publish(dir);
const publishMs = performance.now() - t;

const hints = /** @type {string[]} */ (
  users
    .filter((_, i) => i % Math.max(1, Math.floor(N / 20_000)) === 0)
    .flatMap((u) => [u.login, u.email])
    .filter(Boolean)
);
for (const h of hints.slice(0, 200)) await store.lookup(h).catch(() => {}); // warm-up
const before = gets;
/** @type {number[]} */
const per = [];
for (const h of hints) {
  t = performance.now();
  await store.lookup(h).catch(() => {});
  per.push(performance.now() - t);
}
per.sort((a, b) => a - b);
const at = (/** @type {number} */ q) => per[Math.floor((per.length - 1) * q)].toFixed(3);
console.log(
  `${N} users, ${published.shards} shards (${PER_SHARD} users/shard): publish ${publishMs.toFixed(0)} ms, ` +
    `largest shard ${published.largestShardBytes} B, total ${published.totalBytes} B; ` +
    `${hints.length} warm lookups: ${((gets - before) / hints.length).toFixed(3)} KV reads/lookup, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`,
);
