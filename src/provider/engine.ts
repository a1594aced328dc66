// engine: what every provider is (App Store Connect, APNs, any kind, the Maps access token). One
// token is cached until its margin before expiry; concurrent callers share one mint (single
// flight); a mint started before `invalidate` is never cached (generations); a refresh that fails
// while the cached token is still good serves that token (stale-while-error); a mint that takes
// too long is abandoned (timeout). What a mint is, is the caller's.

import { fail } from "../lib/errors.js";
import { type Clock, epochSeconds } from "../lib/time.js";
import { type TokenInfo, reuseLeft } from "../lib/reuse.js";

export type { TokenInfo };

/**
 * Hands out one cached token until it nears expiry. Every method is a bound function, so it can
 * be passed around on its own (`const { getToken } = provider`).
 *
 * @example
 * ```ts
 * const provider = createAscTokenProvider({ keyId, issuerId, privateKey });
 * const res = await fetch(url, { headers: { Authorization: await provider.authorization() } });
 * if (res.status === 401) provider.invalidate();
 * ```
 */
export interface TokenProvider {
  /** The cached token, or a freshly minted one when less than `refreshBefore` seconds are left. */
  getToken(): Promise<string>;
  /**
   * Like {@link TokenProvider.getToken}, with the token's `issuedAt` and `expiresAt` (epoch
   * seconds).
   */
  getTokenInfo(): Promise<TokenInfo>;
  /**
   * Drops the cached token, so the next call mints a new one (call it after a 401). A mint already
   * in flight still answers the callers waiting for it but is not cached. With `token`, drops
   * only if that token is still the cached one, so several requests that failed with the same
   * token cause one new signing, not one each.
   */
  invalidate(token?: string): void;
  /** `"Bearer <token>"`, the value of an `Authorization` header. */
  authorization(): Promise<string>;
}

/** @internal A token a mint produced, and whether this provider signed it itself. */
export interface Minted {
  /** The token and its times, frozen: what callers get. */
  readonly info: TokenInfo;
  /** True when this provider signed it; false when it came from a store or from Apple. */
  readonly own: boolean;
}

/** @internal What the engine needs from a provider. */
export interface EngineSettings {
  /** Produces a token and its times (signs, reads a store, or asks Apple). */
  readonly mint: () => Promise<Minted>;
  /** The provider's clock. */
  readonly now: Clock | undefined;
  /** Seconds before `expiresAt` at which `info` is replaced. */
  readonly margin: (info: TokenInfo) => number;
  /** Told of every fault the caller does not see (a failed refresh while a token is served). */
  readonly report: (error: unknown) => void;
  /** Milliseconds a mint may take before its callers get `MINT_TIMEOUT`. */
  readonly mintTimeout: number;
  /** What the timeout message says the mint waited on. */
  readonly waitsOn: string;
}

/** @internal The engine's provider, and what it holds for a wrapper (the APNs provider). */
export interface Engine {
  /** What callers get. */
  readonly provider: TokenProvider;
  /** The cached token, as minted (with `own`), if any. */
  readonly cached: () => Minted | undefined;
}

/**
 * Seconds a cached token must still have before `expiresAt` to be served when its refresh fails
 * (stale-while-error): enough for the request it authorizes to reach Apple.
 */
const STALE_MARGIN = 30;

/** Seconds after a failed refresh before a caller holding a still-good token tries again. */
const RETRY_AFTER_ERROR = 5;

/** @internal A provider over `settings.mint`: see the file's comment. */
export const createEngine = (settings: EngineSettings): Engine => {
  const { mint, margin, report, mintTimeout } = settings;
  let cached: Minted | undefined;
  let pending: Promise<Minted> | undefined;
  /** Bumped by invalidate(): a mint started under an older generation is never cached. */
  let generation = 0;
  /** When a refresh last failed while the cached token was still good, in epoch seconds. */
  let failedAt: number | undefined;
  /** The last failed flight reported, so its many waiters report it once. */
  let reported: Promise<Minted> | undefined;

  /** mint, rejected with MINT_TIMEOUT after mintTimeout ms; its timer never holds a process. */
  const mintInTime = (): Promise<Minted> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(
          fail(
            "MINT_TIMEOUT",
            `minting took longer than mintTimeout (${String(mintTimeout)} ms): check the ` +
              `${settings.waitsOn} it waits on, or raise mintTimeout; the next call mints again`,
          ),
        );
      }, mintTimeout);
      const handle: unknown = timer;
      if (typeof handle === "object" && handle !== null && "unref" in handle) {
        (handle as { unref: () => void }).unref();
      }
    });
    const attempt = mint();
    const stop = (): void => {
      clearTimeout(timer);
    };
    void attempt.then(stop, stop);
    return Promise.race([attempt, expired]);
  };

  /** The cached token while it may still be handed out at `now`; undefined once it must go. */
  const reusable = (now: number): TokenInfo | undefined => {
    // iat is backdated by the mint's clockTolerance; a clock moved back by more than that puts the
    // cached iat in the future, and Apple refuses such a token: mint anew (reuseLeft says 0).
    const usable = cached?.info;
    return usable && reuseLeft(usable, margin(usable), now) > 0 ? usable : undefined;
  };

  /** A new token for callers at `now` (one flight for all of them), or the stale one on error. */
  const refresh = async (now: number): Promise<TokenInfo> => {
    const usable = cached?.info;
    // Stale-while-error: a token still good for a while is served when its refresh fails.
    const stale =
      usable && usable.issuedAt <= now && usable.expiresAt - now > STALE_MARGIN
        ? usable
        : undefined;
    if (stale && !pending && failedAt !== undefined && now - failedAt < RETRY_AFTER_ERROR) {
      return stale;
    }
    if (!pending) {
      const started = generation;
      const flight = mintInTime();
      pending = flight;
      // Registered before any caller awaits `flight`, so the cache is updated before they resume.
      void flight.then(
        (info) => {
          if (started !== generation) return;
          cached = info;
          failedAt = undefined;
          pending = undefined;
        },
        () => {
          if (started === generation) pending = undefined;
        },
      );
    }
    if (!stale) return (await pending).info;
    const flight = pending;
    try {
      return (await flight).info;
    } catch (error) {
      // Every waiter of one failed flight is answered; the failure is reported once.
      if (reported !== flight) {
        reported = flight;
        report(error);
      }
      failedAt = now;
      return stale;
    }
  };

  // The cached token is answered without awaiting anything: most calls are that one.
  const getTokenInfo = async (): Promise<TokenInfo> => {
    const now = epochSeconds(settings.now);
    return reusable(now) ?? refresh(now);
  };
  const getToken = async (): Promise<string> => {
    const now = epochSeconds(settings.now);
    return (reusable(now) ?? (await refresh(now))).token;
  };

  const provider: TokenProvider = Object.freeze({
    getToken,
    getTokenInfo,
    invalidate: (token?: string): void => {
      if (token !== undefined && token !== cached?.info.token) return;
      cached = undefined;
      pending = undefined;
      failedAt = undefined;
      generation++;
    },
    authorization: async (): Promise<string> => `Bearer ${await getToken()}`,
  });
  return { provider, cached: () => cached };
};
