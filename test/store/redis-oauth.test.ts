// Apple's OAuth access tokens shared through a real Redis server (Debian's redis-server, started
// here on a free port): ten Apple Business Manager providers, each with its own ioredis
// connection, make one exchange with a local server that plays Apple's token endpoint.
// Skipped, with the notice at the end of the run, where redis-server is missing; required under
// CI=true.
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type FetchLike,
  createAppleBusinessManagerTokenProvider,
  redisStore,
} from "../../src/index.js";
import { makeP256 } from "../helpers/keys.js";
import { canRun } from "../helpers/tools.mjs";
import { type RedisServer, startRedis } from "./redis-server.js";

const hasRedis = canRun("redis-server");
let redis: RedisServer;
let server: Server;
let origin = "";
let exchanges = 0;
const clients: Redis[] = [];

beforeAll(async () => {
  if (!hasRedis) return;
  redis = await startRedis();
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      exchanges++;
      res.writeHead(200, { "content-type": "application/json" });
      // A slow answer, so that the whole fleet asks while the first exchange is under way.
      setTimeout(() => {
        res.end(JSON.stringify({ access_token: `access-${exchanges}`, expires_in: 3600 }));
      }, 100);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
}, 30_000);
afterAll(async () => {
  if (!hasRedis) return;
  for (const client of clients) client.disconnect();
  await new Promise((resolve) => server.close(resolve));
  await redis.stop();
});

it.skipIf(!hasRedis)("ten providers on one Redis make one exchange", async () => {
  const local: FetchLike = (input, init) =>
    fetch(`${origin}${new URL(input instanceof Request ? input.url : input).pathname}`, init);
  const privateKey = makeP256().applePem;
  const fleet = Array.from({ length: 10 }, () => {
    const client = new Redis(redis.url);
    clients.push(client);
    return createAppleBusinessManagerTokenProvider({
      clientId: "BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152",
      keyId: "d136aa66-0c3b-4bd4-9892-c20e8db024ab",
      privateKey,
      scope: "business.api",
      fetchImpl: local,
      store: redisStore(client),
    });
  });
  const tokens = await Promise.all(fleet.map((provider) => provider.getToken()));
  expect(new Set(tokens)).toStrictEqual(new Set(["access-1"]));
  expect(exchanges).toBe(1);
  const stored = await clients[0]!.get(
    "asc-token:v1:apple-business-manager:BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152:business.api",
  );
  expect(JSON.parse(stored ?? "{}")).toMatchObject({ token: "access-1" });
});
