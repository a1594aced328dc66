// workers-kv: a TokenStore over a Cloudflare Workers KV namespace binding.

import type { TokenStore } from "./store.js";

/**
 * The part of a Workers KV namespace binding {@link workersKvStore} uses.
 *
 * @example
 * ```ts
 * const kv: KvNamespaceLike = env.TOKENS; // a KVNamespace binding
 * ```
 */
export interface KvNamespaceLike {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options: { expirationTtl: number }): Promise<void>;
}

/** Workers KV refuses an `expirationTtl` under 60 seconds. */
const KV_MIN_TTL = 60;

/**
 * A {@link TokenStore} over Cloudflare Workers KV. KV is eventually consistent and has no atomic
 * "write if absent": `setIfAbsent` reads, then writes, so two locations (colos) that refresh at
 * the same moment may both mint, once each, and a write can take up to a minute to be seen
 * elsewhere. Enough to cut a fleet's signings to about one per location and lifetime; for
 * exactly one, use a Durable Object ({@link durableObjectStore}). TTLs are rounded up to KV's
 * 60-second minimum; a token kept a little longer is refused by the reader's own check anyway.
 *
 * @example
 * ```ts
 * import { createAscTokenProvider, workersKvStore } from "asc-token";
 * export default {
 *   async fetch(request: Request, env: { TOKENS: KvNamespaceLike; ASC_PRIVATE_KEY: string }) {
 *     const store = workersKvStore(env.TOKENS);
 *     const privateKey = env.ASC_PRIVATE_KEY;
 *     const asc = createAscTokenProvider({ keyId, issuerId, privateKey, store });
 *     return fetch("https://api.appstoreconnect.apple.com/v1/apps", {
 *       headers: { Authorization: await asc.authorization() },
 *     });
 *   },
 * };
 * ```
 */
export const workersKvStore = (namespace: KvNamespaceLike): TokenStore => {
  const put = (key: string, value: string, ttlMs: number) =>
    namespace.put(key, value, { expirationTtl: Math.max(KV_MIN_TTL, Math.ceil(ttlMs / 1000)) });
  return {
    get: (key) => namespace.get(key),
    setIfAbsent: async (key, value, ttlMs) => {
      if ((await namespace.get(key)) !== null) return false;
      await put(key, value, ttlMs);
      return true;
    },
    set: put,
  };
};
