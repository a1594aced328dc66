// store: the interface a shared token store implements, and an in-memory one for tests.

/**
 * Where a fleet of providers keeps the token they share: three operations over string values
 * with a time to live. An adapter over Redis, Workers KV or a Durable Object is a few lines
 * ({@link redisStore}, {@link workersKvStore}, {@link durableObjectStore}). Values are compact
 * JWTs and lease markers; asc-token checks every value it reads, so a store never needs to.
 *
 * @example
 * ```ts
 * const map = new Map<string, { value: string; until: number }>();
 * const live = (key: string) => {
 *   const entry = map.get(key);
 *   return entry && entry.until > Date.now() ? entry.value : null;
 * };
 * const store: TokenStore = {
 *   get: async (key) => live(key),
 *   setIfAbsent: async (key, value, ttlMs) => {
 *     if (live(key) !== null) return false;
 *     map.set(key, { value, until: Date.now() + ttlMs });
 *     return true;
 *   },
 *   set: async (key, value, ttlMs) => {
 *     map.set(key, { value, until: Date.now() + ttlMs });
 *   },
 * };
 * ```
 */
export interface TokenStore {
  /** The value under `key`, or `null` (or `undefined`) when there is none or it has expired. */
  get(key: string): Promise<string | null | undefined>;
  /**
   * Writes `value` under `key` for `ttlMs` milliseconds **only if no live value is there**, as one
   * atomic step (Redis `SET key value NX PX ttlMs`). `true` when it wrote, `false` when a value was
   * already there. The lease that elects a single minter.
   */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Writes `value` under `key` for `ttlMs` milliseconds, replacing whatever is there. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

/**
 * A {@link TokenStore} in this process's memory, honouring TTLs by `now` (epoch ms, default
 * `Date.now`). For tests: several providers given the same memory store behave as a fleet sharing
 * Redis would. `entries` shows what is stored (live or not), to plant or inspect values.
 *
 * @example
 * ```ts
 * import { createApnsTokenProvider, createMemoryStore } from "asc-token";
 * const store = createMemoryStore();
 * const a = createApnsTokenProvider({ keyId, teamId, privateKey, store });
 * const b = createApnsTokenProvider({ keyId, teamId, privateKey, store });
 * const first = await a.getToken(); // a signs and writes the token
 * console.log((await b.getToken()) === first); // true: b reads it, one signing
 * ```
 */
export const createMemoryStore = (
  now: () => number = Date.now,
): TokenStore & { readonly entries: Map<string, { value: string; expiresAt: number }> } => {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  const live = (key: string): string | null => {
    const entry = entries.get(key);
    return entry && entry.expiresAt > now() ? entry.value : null;
  };
  const put = (key: string, value: string, ttlMs: number): void => {
    entries.set(key, { value, expiresAt: now() + ttlMs });
  };
  return {
    entries,
    get: (key) => Promise.resolve(live(key)),
    setIfAbsent: (key, value, ttlMs) => {
      const absent = live(key) === null;
      if (absent) put(key, value, ttlMs);
      return Promise.resolve(absent);
    },
    set: (key, value, ttlMs) => {
      put(key, value, ttlMs);
      return Promise.resolve();
    },
  };
};
