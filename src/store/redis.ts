// redis: a TokenStore over the application's own Redis client, ioredis or node-redis.

import type { TokenStore } from "./store.js";

/**
 * The two methods {@link redisStore} calls, as both ioredis and node-redis (`redis`) type them:
 * ioredis takes `set(key, value, "PX", ms, "NX")`,
 * node-redis `set(key, value, { PX: ms, NX: true })`.
 *
 * @example
 * ```ts
 * import Redis from "ioredis";
 * const client: RedisClientLike = new Redis();
 * ```
 */
export interface RedisClientLike {
  get(key: string): Promise<unknown>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the clients' overloads differ
  set(key: string, value: string, ...args: any[]): Promise<unknown>;
}

/**
 * A {@link TokenStore} over a Redis client: `GET`, `SET key value NX PX ttl` and
 * `SET key value PX ttl`. Works with ioredis and node-redis `redis` (told apart by node-redis's
 * `isOpen` flag; `api` says which when a wrapper hides it). Also Valkey, KeyDB, Upstash's
 * Redis-protocol endpoints, and Redis Cluster clients: the token and its lease live under keys of
 * their own. The client is the application's: connect it, handle its errors and close it.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { createAscTokenProvider, redisStore } from "asc-token";
 * const client = await createClient({ url: process.env.REDIS_URL! }).connect();
 * const asc = createAscTokenProvider({ keyId, issuerId, privateKey, store: redisStore(client) });
 * ```
 */
export const redisStore = (
  client: RedisClientLike,
  api: "ioredis" | "node-redis" = typeof (client as { isOpen?: unknown }).isOpen === "boolean"
    ? "node-redis"
    : "ioredis",
): TokenStore => {
  const set = (key: string, value: string, ttlMs: number, nx: boolean): Promise<unknown> => {
    const px = Math.max(1, Math.ceil(ttlMs));
    if (api === "node-redis") return client.set(key, value, nx ? { PX: px, NX: true } : { PX: px });
    return nx ? client.set(key, value, "PX", px, "NX") : client.set(key, value, "PX", px);
  };
  return {
    get: async (key) => {
      const value = await client.get(key);
      return typeof value === "string" ? value : null;
    },
    setIfAbsent: async (key, value, ttlMs) => (await set(key, value, ttlMs, true)) === "OK",
    set: async (key, value, ttlMs) => {
      await set(key, value, ttlMs, false);
    },
  };
};
