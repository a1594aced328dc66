// The fleet against a real Redis server (Debian's redis-server, started here on a free port):
// 20 providers in worker threads sign once per lifetime and all get the same token, with ioredis
// and with node-redis; Redis stopped mid-test costs local signings, never a failed call, and
// sharing resumes when it is back; a garbage value under the key is ignored and replaced.
// Skipped, with the notice at the end of the run, where redis-server is missing; required under
// CI=true.
import { sign as nodeSign } from "node:crypto";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AscTokenErrorCode,
  createAscToken,
  createTokenProvider,
  redisStore,
  signerKey,
} from "../../src/index.js";
import { storeKeyFor } from "../../src/store/key.js";
import { makeP256 } from "../helpers/keys.js";
import { canRun } from "../helpers/tools.mjs";
import { verifies } from "../helpers/verify.js";
import { type RedisServer, startRedis } from "./redis-server.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const hasRedis = canRun("redis-server");
const key = makeP256();
const options = {
  keyId: "2X9R4HXF34",
  issuerId: "57246542-96fe-1a63-e053-0824d011072a",
  privateKey: key.pkcs8Pem,
};
const CLIENTS = ["ioredis", "node-redis"] as const;
const FLEET = 20;

let redis: RedisServer;
let admin: Redis;
const workerFiles: Record<string, string> = {};

beforeAll(async () => {
  if (!hasRedis) return;
  redis = await startRedis();
  admin = new Redis(redis.url);
  admin.on("error", () => undefined);
  // A worker is one minified script: its client, the library from source and fleet-member.ts.
  const dir = `${root}.tmp/store-redis/`;
  mkdirSync(dir, { recursive: true });
  for (const client of CLIENTS) {
    workerFiles[client] = `${dir}fleet-${client}.cjs`;
    await build({
      entryPoints: [fileURLToPath(new URL(`./fleet-${client}.ts`, import.meta.url))],
      bundle: true,
      minify: true,
      format: "cjs",
      platform: "node",
      target: "node20",
      outfile: workerFiles[client],
      logLevel: "silent",
    });
  }
}, 30_000);

afterAll(async () => {
  if (!hasRedis) return;
  admin.disconnect();
  await redis.stop();
});

/** A shared clock (epoch ms) the workers read; the test moves it. */
const sharedClock = () => {
  const buffer = new SharedArrayBuffer(8);
  const view = new Float64Array(buffer);
  view[0] = Date.now();
  return { buffer, now: () => view[0]!, advance: (s: number) => (view[0]! += s * 1000) };
};

interface Answer {
  token?: string;
  errors?: AscTokenErrorCode[];
  error?: string;
}
const next = (worker: Worker): Promise<Answer | "ready"> =>
  new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });

describe.skipIf(!hasRedis).each(CLIENTS)("a fleet of %s clients in 20 worker threads", (client) => {
  it("signs once per lifetime window, and every member gets the same token", async () => {
    await admin.flushall();
    const clock = sharedClock();
    const workers = Array.from(
      { length: FLEET },
      () =>
        new Worker(workerFiles[client]!, {
          workerData: { url: redis.url, options, clock: clock.buffer },
        }),
    );
    try {
      await Promise.all(workers.map(next)); // "ready": connected, provider made
      const round = async () => {
        const answers = (await Promise.all(
          workers.map((w) => {
            const answer = next(w);
            w.postMessage("token");
            return answer;
          }),
        )) as Answer[];
        expect(answers.filter((a) => a.error !== undefined)).toStrictEqual([]);
        expect(answers.flatMap((a) => a.errors)).toStrictEqual([]);
        const tokens = new Set(answers.map((a) => a.token));
        expect(tokens.size).toBe(1);
        return [...tokens][0]!;
      };
      const signings = async () => Number(await admin.get("test:signings"));

      const first = await round();
      expect(verifies(first, key.publicKey)).toBe(true);
      expect(await signings()).toBe(1);

      clock.advance(500); // within the window: every member keeps its token, nobody signs
      expect(await round()).toBe(first);
      expect(await signings()).toBe(1);

      clock.advance(300); // past refreshBefore: the whole fleet refreshes, one member signs
      const second = await round();
      expect(second).not.toBe(first);
      expect(verifies(second, key.publicKey)).toBe(true);
      expect(await signings()).toBe(2);

      // The shared token lives until the fleet would replace it (ms), the lease is released.
      const storeKey = await storeKeyFor("createAscToken", options);
      expect(await admin.get(storeKey)).toBe(second);
      expect(await admin.pttl(storeKey)).toBeGreaterThan(700_000);
      expect(await admin.pttl(storeKey)).toBeLessThanOrEqual(780_000);
      expect(await admin.exists(`${storeKey}:lease`)).toBe(0);
    } finally {
      await Promise.all(
        workers.map(async (w) => {
          w.postMessage("close");
          await new Promise((resolve) => w.once("exit", resolve));
        }),
      );
    }
  }, 60_000);
});

/** A connected client of either library, and how to close it. */
const connect = async (kind: (typeof CLIENTS)[number]) => {
  if (kind === "ioredis") {
    const c = new Redis(redis.url, { retryStrategy: () => 50 });
    c.on("error", () => undefined);
    return {
      store: redisStore(c),
      ping: () => c.ping(),
      close: () => {
        c.disconnect();
      },
    };
  }
  const c = createClient({ url: redis.url, socket: { reconnectStrategy: () => 50 } });
  c.on("error", () => undefined);
  await c.connect();
  return {
    store: redisStore(c),
    ping: () => c.ping(),
    close: () => {
      c.destroy();
    },
  };
};

describe.skipIf(!hasRedis)("over a real Redis, in this process", () => {
  it.each(CLIENTS)(
    "a garbage value planted under the key is ignored and replaced (%s)",
    async (kind) => {
      await admin.flushall();
      const { store, close } = await connect(kind);
      try {
        const storeKey = await storeKeyFor("createAscToken", options);
        await admin.set(storeKey, "garbage.planted.here", "PX", 60_000);
        const provider = createTokenProvider(createAscToken, { ...options, store });
        const token = await provider.getToken();
        expect(token).not.toBe("garbage.planted.here");
        expect(verifies(token, key.publicKey)).toBe(true);
        expect(await admin.get(storeKey)).toBe(token);
      } finally {
        close();
      }
    },
  );

  it.each(CLIENTS)(
    "Redis stopped mid-test: every call succeeds (local fallback, onError), and sharing resumes when it is back (%s)",
    async (kind) => {
      await admin.flushall();
      const clock = sharedClock();
      let signings = 0;
      const errors: AscTokenErrorCode[] = [];
      const members = await Promise.all([1, 2, 3].map(() => connect(kind)));
      const providers = members.map(({ store }) =>
        createTokenProvider(createAscToken, {
          ...options,
          privateKey: signerKey({
            sign: (data: Uint8Array) => {
              signings++;
              return Promise.resolve(
                nodeSign("sha256", data, { key: key.privateKey, dsaEncoding: "ieee-p1363" }),
              );
            },
          }),
          store,
          onError: (e) => errors.push(e.code),
          now: clock.now,
        }),
      );
      const all = () => Promise.all(providers.map((p) => p.getToken()));
      try {
        const shared = await all();
        expect(new Set(shared).size).toBe(1);
        expect(signings).toBe(1);

        await redis.stop();
        clock.advance(800);
        const alone = await all();
        for (const token of alone) expect(verifies(token, key.publicKey)).toBe(true);
        expect(new Set(alone).size).toBe(3);
        expect(signings).toBe(4);
        expect(errors.length).toBeGreaterThanOrEqual(3);
        expect(new Set(errors)).toStrictEqual(new Set(["STORE_UNAVAILABLE"]));

        await redis.start();
        await Promise.all(members.map((m) => m.ping()));
        errors.length = 0;
        clock.advance(800);
        const again = await all();
        expect(new Set(again).size).toBe(1);
        expect(signings).toBe(5);
        expect(errors).toStrictEqual([]);
      } finally {
        for (const m of members) m.close();
      }
    },
    30_000,
  );
});
