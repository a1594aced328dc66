// provider: a thin cache over any mint function. The key is imported once, one token is reused
// until `refreshBefore` seconds before it expires, and any number of concurrent callers share one
// signing.

import { decodeToken } from "./decode.js";
import { fail, summarize } from "./errors.js";
import { type ApplePrivateKey, importAppleKey } from "./key.js";
import { type AscTokenOptions, createAscToken } from "./kinds/app-store-connect.js";
import { readOptions } from "./options.js";
import type { AppleSigner } from "./signer.js";
import { type Clock, epochSeconds, wholeSeconds } from "./time.js";
import type { Declared } from "./token.js";
import { validKeyId } from "./validate.js";

/**
 * Default `refreshBefore`, in seconds. With `createAscToken`'s defaults a fresh token has
 * 1080 s left (1140 s lifetime, `iat` backdated 60 s), so it is reused for 780 s (13 minutes) and
 * replaced with 5 minutes still to go: room for a slow request, a retry, or a clock a little off.
 *
 * @example
 * ```ts
 * createAscTokenProvider({ ...options, refreshBefore: DEFAULT_REFRESH_BEFORE * 2 }); // 10 minutes
 * ```
 */
export const DEFAULT_REFRESH_BEFORE = 300;

/**
 * A token and when it was issued and stops being used, in epoch seconds. Frozen.
 *
 * @example
 * ```ts
 * const { token, expiresAt } = await provider.getTokenInfo();
 * setTimeout(renewSession, (expiresAt - 300) * 1000 - Date.now());
 * ```
 */
export interface TokenInfo {
  /** The compact JWT. */
  readonly token: string;
  /** Its `iat` claim. */
  readonly issuedAt: number;
  /** Its `exp` claim, or `iat + maxAge` when that is earlier or there is no `exp`. */
  readonly expiresAt: number;
}

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
  /** Like {@link TokenProvider.getToken}, with the token's `issuedAt` and `expiresAt` (epoch seconds). */
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

/**
 * Options every provider takes on top of its mint function's own.
 *
 * @example
 * ```ts
 * const extra: TokenProviderOptions = { refreshBefore: 120, maxAge: 3000 };
 * ```
 */
export interface TokenProviderOptions {
  /**
   * Seconds before `expiresAt` at which the cached token is replaced. Whole seconds `>= 0`,
   * default {@link DEFAULT_REFRESH_BEFORE} (300). Must leave a freshly minted token some time to
   * be reused: the first `getToken` rejects with `INVALID_REFRESH_BEFORE` otherwise.
   */
  refreshBefore?: number | undefined;
  /**
   * Seconds after `iat` a token may be used. Required for tokens without an `exp` claim (APNs
   * provider tokens: Apple wants them replaced within 60 minutes); caps `exp` when both are there.
   */
  maxAge?: number | undefined;
}

/** The options every provider reads for itself; the rest go to the mint function. */
/**
 * What a provider hands its mint function besides the options: the rule it keeps tokens by, for a
 * mint that may return a token it did not just sign (`withStore`). Token kinds ignore it.
 *
 * @example
 * ```ts
 * const rule: MintRule = { refreshBefore: 300, maxAge: undefined };
 * ```
 */
export interface MintRule {
  /** The provider's `refreshBefore`, in seconds (its default applied). */
  readonly refreshBefore: number;
  /** The provider's `maxAge`, in seconds, if given. */
  readonly maxAge: number | undefined;
}

const PROVIDER_OPTIONS = ["refreshBefore", "maxAge", "onError", "mintTimeout"];

/**
 * The provider's own options, and a snapshot of the mint function's: the names a kind declares
 * (each read once, own or inherited, anything else refused), or for any other mint function every
 * enumerable name, own or inherited.
 */
const readProviderOptions = <O extends object>(
  mint: unknown,
  options: O & TokenProviderOptions,
): { base: O; read: Record<string, unknown>; refreshBefore?: unknown; maxAge?: unknown } => {
  const declared = (mint as Partial<Declared>).optionNames;
  const names: string[] = [...PROVIDER_OPTIONS];
  if (typeof options === "object" && options !== null && !declared) {
    for (const name in options) names.push(name);
  }
  const read = readOptions(
    options,
    declared ? [...PROVIDER_OPTIONS, ...declared] : names,
    "{ privateKey, … }",
  );
  const base: Record<string, unknown> = {};
  for (const name in read) if (!PROVIDER_OPTIONS.includes(name)) base[name] = read[name];
  return { base: base as O, read, refreshBefore: read.refreshBefore, maxAge: read.maxAge };
};

/** Reads `iat` and `exp` from a token just minted. */
const infoOf = (token: string, maxAge: number | undefined): TokenInfo => {
  const { iat, exp } = decodeToken(token).claims;
  if (typeof iat !== "number" || !Number.isSafeInteger(iat)) {
    throw fail(
      "TOKEN_MALFORMED",
      `the minted token's iat is ${summarize(iat)}, not whole epoch seconds, so its age is unknown`,
    );
  }
  if (exp !== undefined && (typeof exp !== "number" || !Number.isSafeInteger(exp))) {
    throw fail(
      "TOKEN_MALFORMED",
      `the minted token's exp is ${summarize(exp)}, not whole epoch seconds`,
    );
  }
  if (exp === undefined && maxAge === undefined) {
    throw fail(
      "INVALID_MAX_AGE",
      "the minted token has no exp claim: pass maxAge, the seconds after iat a token may be used (e.g. 3000 for APNs)",
    );
  }
  const expiresAt = Math.min(exp ?? Infinity, maxAge === undefined ? Infinity : iat + maxAge);
  return Object.freeze({ token, issuedAt: iat, expiresAt });
};

/**
 * Wraps any token mint function (`createAscToken`, or another Apple token kind that takes
 * `privateKey` and `now`) in a {@link TokenProvider}: the key is imported once, on the first
 * `getToken`, and each mint gets a copy of `options` holding the imported `CryptoKey` (a signer is
 * passed through as it is); one token is
 * reused until `refreshBefore` seconds before it expires; concurrent callers share one signing;
 * a failed mint rejects its callers and the next call tries again.
 *
 * `options` are copied and checked now (`refreshBefore`, `maxAge`, `now`): a mistake throws an
 * {@link AscTokenError} here, not on the first request. The key is read on the first `getToken`.
 *
 * @example
 * ```ts
 * import { createAscToken, createTokenProvider } from "asc-token";
 * const provider = createTokenProvider(createAscToken, { keyId, issuerId, privateKey, refreshBefore: 120 });
 * const token = await provider.getToken();
 * ```
 */
export const createTokenProvider = <
  O extends { privateKey: ApplePrivateKey; now?: Clock | undefined },
>(
  mint: (options: O, rule: MintRule) => Promise<string>,
  options: O & TokenProviderOptions,
): TokenProvider => {
  if (typeof mint !== "function") {
    throw fail(
      "INVALID_OPTIONS",
      `mint must be a function like createAscToken; got ${summarize(mint)}`,
    );
  }
  const { base, refreshBefore: given, maxAge: age } = readProviderOptions(mint, options);
  const refreshBefore = wholeSeconds(
    given,
    DEFAULT_REFRESH_BEFORE,
    0,
    "INVALID_REFRESH_BEFORE",
    "refreshBefore",
  );
  const maxAge =
    age === undefined ? undefined : wholeSeconds(age, 0, 1, "INVALID_MAX_AGE", "maxAge");
  epochSeconds(base.now); // throws INVALID_NOW for a bad clock now rather than on first use

  let key: Promise<CryptoKey | AppleSigner> | undefined;
  let cached: TokenInfo | undefined;
  let pending: Promise<TokenInfo> | undefined;
  /** Bumped by invalidate(): a mint started under an older generation is never cached. */
  let generation = 0;

  const importOnce = (): Promise<CryptoKey | AppleSigner> => {
    if (!key) {
      const attempt = importAppleKey(base.privateKey);
      key = attempt;
      void attempt.catch(() => {
        if (key === attempt) key = undefined; // a failed import is retried on the next call
      });
    }
    return key;
  };

  const mintInfo = async (): Promise<TokenInfo> => {
    const privateKey = await importOnce();
    const info = infoOf(await mint({ ...base, privateKey }, { refreshBefore, maxAge }), maxAge);
    const left = info.expiresAt - epochSeconds(base.now);
    if (left <= refreshBefore) {
      throw fail(
        "INVALID_REFRESH_BEFORE",
        `refreshBefore is ${String(refreshBefore)} s but a fresh token has ${String(left)} s left, so it could never be reused: lower refreshBefore or lengthen the token's lifetime`,
      );
    }
    return info;
  };

  const getTokenInfo = async (): Promise<TokenInfo> => {
    const now = epochSeconds(base.now);
    // iat is backdated by the mint's clockTolerance; a clock moved back by more than that puts the
    // cached iat in the future, and Apple refuses such a token: mint anew.
    if (cached && cached.expiresAt - now > refreshBefore && cached.issuedAt <= now) return cached;
    if (!pending) {
      const started = generation;
      const flight = mintInfo();
      pending = flight;
      // Registered before any caller awaits `flight`, so the cache is updated before they resume.
      void flight.then(
        (info) => {
          if (started !== generation) return;
          cached = info;
          pending = undefined;
        },
        () => {
          if (started === generation) pending = undefined;
        },
      );
    }
    return pending;
  };

  const getToken = async (): Promise<string> => (await getTokenInfo()).token;

  return Object.freeze({
    getToken,
    getTokenInfo,
    invalidate: (token?: string): void => {
      if (token !== undefined && token !== cached?.token) return;
      cached = undefined;
      pending = undefined;
      generation++;
    },
    authorization: async (): Promise<string> => `Bearer ${await getToken()}`,
  });
};

/**
 * A {@link TokenProvider} of App Store Connect tokens: `createTokenProvider(createAscToken, options)`.
 * Takes `createAscToken`'s options plus `refreshBefore` (default 300 s: with the default lifetime a
 * token is reused for 13 minutes). Every option but the key is checked now, so a wrong `keyId`
 * throws here; key problems reject the first `getToken`. Apple: "reuse the same signed token for
 * multiple requests until it expires".
 *
 * @example
 * ```ts
 * import { createAscTokenProvider } from "asc-token";
 * const asc = createAscTokenProvider({
 *   keyId: "2X9R4HXF34",
 *   issuerId: "57246542-96fe-1a63-e053-0824d011072a",
 *   privateKey: process.env.ASC_PRIVATE_KEY!,
 * });
 * const res = await fetch("https://api.appstoreconnect.apple.com/v1/apps", {
 *   headers: { Authorization: await asc.authorization() },
 * });
 * ```
 */
export const createAscTokenProvider = (
  options: AscTokenOptions & { refreshBefore?: number | undefined },
): TokenProvider => {
  // The caller's options are read once, here; the provider reads this snapshot.
  const { base, read } = readProviderOptions(createAscToken, options);
  const provider = createTokenProvider(createAscToken, read as unknown as typeof options);
  // Every option but the key is checked now, not on the first request.
  validKeyId(base.keyId);
  (createAscToken as unknown as { build: (options: AscTokenOptions) => unknown }).build(base);
  return provider;
};
