// shared: the protocol by which a fleet of providers signs one token per lifetime. Read the store;
// serve an acceptable token; else take a short lease, and the one that gets it mints and writes
// the token while the others poll for it. Any store fault means minting locally: a store outage
// costs extra signings, never a failed call.

import { type AscTokenError, fail } from "../lib/errors.js";
import { redactCause } from "../lib/redact.js";
import type { TokenStore } from "./store.js";
import { STORE_LEASE, STORE_TIMEOUT, STORE_WAIT } from "../lib/defaults.js";

/**
 * What {@link sharedMint} needs: the store and key, how to mint, and which tokens to serve.
 *
 * @example
 * ```ts
 * const shared: SharedMintOptions = {
 *   store,
 *   storeKey,
 *   mint: () => createAscToken(options),
 *   accept: () => 0,
 * };
 * ```
 */
export interface SharedMintOptions {
  /** Where the fleet's token lives. */
  readonly store: TokenStore;
  /** The key it lives under (see {@link storeKeyFor}); the lease uses `<storeKey>:lease`. */
  readonly storeKey: string;
  /** Signs a new token. Its errors reject the call; they are never retried here. */
  readonly mint: () => Promise<string>;
  /**
   * Ms a token read from the store may still be handed out, or 0 to refuse it (see
   * {@link acceptSharedToken}); also the TTL a freshly minted token is written with.
   */
  readonly accept: (token: string) => number;
  /** A token never to serve from the store (one the caller saw refused, after a 401). */
  readonly refuse?: string | undefined;
  /**
   * Told of every store fault (code `STORE_UNAVAILABLE`; `cause` the store's own error reduced to
   * its class and message, as redact.ts's `redactCause` does).
   */
  readonly onError?: ((error: AscTokenError) => void) | undefined;
  /** Longest total wait for another instance's token before minting locally. Default 2000 ms. */
  readonly waitMs?: number | undefined;
  /** How long a lease keeps others from minting. Default 10000 ms. */
  readonly leaseMs?: number | undefined;
  /** Longest wait for any one store call. Default 1000 ms. */
  readonly timeoutMs?: number | undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One token for a fleet: the store's token when `accept` takes it; otherwise the one instance
 * that wins the lease (`setIfAbsent`) mints and writes its token (TTL `accept(token)` ms), and
 * the others poll for that token (jittered, at most `waitMs` in all), minting locally if none
 * appears. A store call that throws, takes over `timeoutMs` or answers nonsense is reported to
 * `onError` and the token is minted locally; a value the store holds that `accept` refuses
 * (expired, corrupted, foreign) is never served and is replaced by the lease winner.
 *
 * @example
 * ```ts
 * const token = await sharedMint({
 *   store,
 *   storeKey: await storeKeyFor("createAscToken", options),
 *   mint: () => createAscToken(options),
 *   accept: (t) => acceptSharedToken(t, rule),
 *   onError: (err) => console.warn(err.message),
 * });
 * ```
 */
export const sharedMint = async (options: SharedMintOptions): Promise<string> => {
  const { store, storeKey, mint, refuse, onError } = options;
  const waitMs = options.waitMs ?? STORE_WAIT;
  const leaseMs = options.leaseMs ?? STORE_LEASE;
  const timeoutMs = options.timeoutMs ?? STORE_TIMEOUT;
  const accept = (token: unknown): number => {
    try {
      return typeof token === "string" && token !== refuse ? options.accept(token) : 0;
    } catch {
      return 0;
    }
  };

  const report = (error: unknown): void => {
    try {
      onError?.(error as AscTokenError);
    } catch {
      // A failing reporter must not fail the call it reports on.
    }
  };
  /**
   * One store call, bounded by `timeoutMs`; a fault rejects with STORE_UNAVAILABLE. Only store
   * calls run inside the `try` blocks below, so whatever they catch is a store fault.
   */
  const call = <T>(op: string, run: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const fault = (what: string, cause?: unknown): void => {
        clearTimeout(timer);
        // A client's error can hold the command it sent, token included (ioredis's
        // `command.args`): the cause keeps only its class and message.
        const kept = cause === undefined ? undefined : redactCause(cause);
        reject(fail("STORE_UNAVAILABLE", `the token store's ${op} ${what}: minting locally`, kept));
      };
      const timer = setTimeout(() => {
        fault(`took over ${String(timeoutMs)} ms`);
      }, timeoutMs);
      Promise.resolve()
        .then(run)
        .then(
          (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          fault.bind(undefined, "failed"),
        );
    });
  const read = async (): Promise<string | undefined> => {
    const value = await call("get", () => store.get(storeKey));
    return typeof value === "string" && accept(value) > 0 ? value : undefined;
  };

  const leaseKey = `${storeKey}:lease`;
  let won: unknown;
  try {
    const found = await read();
    if (found !== undefined) return found;
    won = await call("setIfAbsent", () => store.setIfAbsent(leaseKey, "lease", leaseMs));
  } catch (error) {
    report(error);
    return mint();
  }
  if (typeof won !== "boolean") {
    report(
      fail(
        "STORE_UNAVAILABLE",
        "the token store's setIfAbsent answered no boolean: minting locally",
      ),
    );
    return mint();
  }

  if (won) {
    // Between this instance's read and its lease, a previous winner may have written its token
    // and released the lease: read once more, or two instances would sign.
    let token = await read().catch(report);
    if (token === undefined) {
      token = await mint();
      const ttl = accept(token);
      if (ttl > 0) await call("set", () => store.set(storeKey, token as string, ttl)).catch(report);
    }
    // Release the lease (a 1 ms TTL), so that a token refused after a 401 is replaced at once.
    await call("set", () => store.set(leaseKey, "released", 1)).catch(report);
    return token;
  }

  // Another instance holds the lease: poll for its token, backing off with jitter.
  const deadline = Date.now() + waitMs;
  let delay = 20;
  try {
    while (Date.now() < deadline) {
      await sleep(Math.min(delay * (0.5 + Math.random()), Math.max(0, deadline - Date.now())));
      const found = await read();
      if (found !== undefined) return found;
      delay = Math.min(delay * 2, 250);
    }
  } catch (error) {
    report(error);
  }
  return mint();
};
