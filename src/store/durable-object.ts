// durable-object: a TokenStore over a Durable Object's own storage, where one object runs at a
// time, so "write if absent" is atomic and exactly one signing per lifetime is guaranteed.

import type { TokenStore } from "./store.js";

/**
 * The part of a Durable Object's `ctx.storage` (`DurableObjectStorage`) {@link durableObjectStore}
 * uses.
 *
 * @example
 * ```ts
 * const storage: DurableObjectStorageLike = this.ctx.storage;
 * ```
 */
export interface DurableObjectStorageLike {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
}

/** What is stored: the value and the epoch ms it expires at (storage has no TTL of its own). */
interface Entry {
  value: string;
  expiresAt: number;
}

const live = (entry: unknown): string | null => {
  const { value, expiresAt } = (entry ?? {}) as Partial<Entry>;
  return typeof value === "string" && typeof expiresAt === "number" && expiresAt > Date.now()
    ? value
    : null;
};

/**
 * A {@link TokenStore} over a Durable Object's transactional storage, for the strict single
 * minter on Cloudflare: Workers ask one Durable Object (`idFromName`) for the token, and the
 * object's provider signs through this store, so its token outlives the object's eviction and
 * restarts. A Durable Object handles one event at a time and storage calls hold its input gate,
 * so the read-then-write of `setIfAbsent` is atomic. See docs/fleet.md for the whole recipe.
 *
 * @example
 * ```ts
 * import { createApnsTokenProvider, durableObjectStore } from "asc-token";
 * export class ApnsToken {
 *   provider;
 *   constructor(ctx: { storage: DurableObjectStorageLike }, env: { APNS_KEY: string }) {
 *     const store = durableObjectStore(ctx.storage);
 *     this.provider = createApnsTokenProvider({ keyId, teamId, privateKey: env.APNS_KEY, store });
 *   }
 *   async fetch(): Promise<Response> {
 *     return new Response(await this.provider.getToken());
 *   }
 * }
 * ```
 */
export const durableObjectStore = (storage: DurableObjectStorageLike): TokenStore => {
  const put = (key: string, value: string, ttlMs: number) =>
    storage.put(key, { value, expiresAt: Date.now() + ttlMs } satisfies Entry);
  return {
    get: async (key) => live(await storage.get(key)),
    setIfAbsent: async (key, value, ttlMs) => {
      if (live(await storage.get(key)) !== null) return false;
      await put(key, value, ttlMs);
      return true;
    },
    set: put,
  };
};
