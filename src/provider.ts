// provider: a thin cache over any mint function. The key is imported once, one token is reused
// until `refreshBefore` seconds before it expires, and any number of concurrent callers share one
// signing.

import { decodeToken } from "./decode.js";
import { type AscTokenError, fail, invalid, summarize } from "./errors.js";
import { type ApplePrivateKey, importAppleKey } from "./key.js";
import { type AscTokenOptions, createAscToken } from "./kinds/app-store-connect.js";
import { readOptions } from "./options.js";
import { DEFAULT_REFRESH_BEFORE } from "./refresh-before.js";
import type { AppleSigner } from "./signer.js";
import type { TokenStore } from "./store/store.js";
import { type SharedMintInput, withStore } from "./store/with-store.js";
import { type Clock, epochSeconds, wholeSeconds } from "./time.js";
import type { Declared } from "./token.js";
import { validKeyId } from "./validate.js";

export { DEFAULT_REFRESH_BEFORE };

/**
 * Seconds a cached token must still have before `expiresAt` to be served when its refresh fails
 * (stale-while-error): enough for the request it authorizes to reach Apple.
 */
const STALE_MARGIN = 30;

/** Seconds after a failed refresh before a caller holding a still-good token tries again. */
const RETRY_AFTER_ERROR = 5;

/** Default `mintTimeout`, in ms: far more than any import and signing take, WebCrypto or a KMS. */
const DEFAULT_MINT_TIMEOUT = 10_000;

/** The longest delay `setTimeout` honours (2^31 - 1 ms); a longer one fires at once. */
const MAX_TIMEOUT = 2_147_483_647;

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
  /**
   * Told of every fault the caller does not see: a refresh that failed while the cached token was
   * still good for more than 30 s (that token is served and minting is retried on a later call,
   * at most every 5 s), and a store fault (`STORE_UNAVAILABLE`, the token is then minted locally).
   * A callback that throws is ignored.
   *
   * @example
   * ```ts
   * createAscTokenProvider({
   *   keyId,
   *   issuerId,
   *   privateKey,
   *   onError: (err) => console.warn(err.code),
   * });
   * ```
   */
  onError?: ((error: AscTokenError) => void) | undefined;
  /**
   * Milliseconds a mint (key import and signing, a signer's round trip, a store's lease) may take
   * before its callers get `MINT_TIMEOUT` and the next call mints again. Whole ms `>= 1`, default
   * 10000. A token that arrives later is not cached.
   *
   * @example
   * ```ts
   * createAscTokenProvider({ keyId, issuerId, privateKey: kmsSigner, mintTimeout: 3000 });
   * ```
   */
  mintTimeout?: number | undefined;
  /**
   * Shares one token across every provider with the same store and options (a fleet of workers):
   * one instance signs per token lifetime, the others read its token (see docs/fleet.md). A store
   * fault never fails a call: the token is minted locally and the fault goes to `onError`.
   *
   * @example
   * ```ts
   * const store = redisStore(new Redis(process.env.REDIS_URL!));
   * createAscTokenProvider({ keyId, issuerId, privateKey, store });
   * ```
   */
  store?: TokenStore | undefined;
  /**
   * The store key to share tokens under, instead of the one derived from the options (kind, key
   * ID, issuer, audience, scope, ...). Only with `store`.
   *
   * @example
   * ```ts
   * createAscTokenProvider({
   *   keyId,
   *   issuerId,
   *   privateKey,
   *   store,
   *   storeKey: "asc-token:v1:prod-asc",
   * });
   * ```
   */
  storeKey?: string | undefined;
  /**
   * Names the token kind in the derived store key, so two kinds taking the same options never
   * share a token. Default: the library kind's export name (`"createApnsToken"`); needed only
   * for a mint function of your own whose name does not read `createXxx`, unless `storeKey` is
   * given. Only with `store`.
   *
   * @example
   * ```ts
   * createTokenProvider(myMint, {
   *   keyId,
   *   teamId,
   *   privateKey,
   *   maxAge: 3000,
   *   store,
   *   storeKind: "myMint",
   * });
   * ```
   */
  storeKind?: string | undefined;
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

const PROVIDER_OPTIONS = [
  "refreshBefore",
  "maxAge",
  "onError",
  "mintTimeout",
  "store",
  "storeKey",
  "storeKind",
];

/**
 * @internal The provider's own options, and a snapshot of the mint function's: the names a kind
 * declares (each read once, own or inherited, anything else refused), or for any other mint
 * function every enumerable name, own or inherited.
 */
export const readProviderOptions = <O extends object>(
  mint: unknown,
  options: O & TokenProviderOptions,
): { base: O; read: Record<string, unknown> } => {
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
  return { base: base as O, read };
};

/**
 * @internal Checks every option of a kind but the key, as its mint does: on construction, so a
 * wrong `keyId` or `issuerId` throws there, not on the first request.
 */
export const checkKindOptions = (kind: Declared, options: object): void => {
  validKeyId((options as { keyId?: unknown }).keyId);
  (kind.build as (options: object) => unknown)(options);
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
      "the minted token has no exp claim: pass maxAge, the seconds after iat a token may be used " +
        "(e.g. 3000 for APNs)",
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
 * const provider = createTokenProvider(createAscToken, {
 *   keyId,
 *   issuerId,
 *   privateKey,
 *   refreshBefore: 120,
 * });
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
  const { base, read } = readProviderOptions(mint, options);
  const refreshBefore = wholeSeconds(
    read.refreshBefore,
    DEFAULT_REFRESH_BEFORE,
    0,
    "INVALID_REFRESH_BEFORE",
    "refreshBefore",
  );
  const maxAge =
    read.maxAge === undefined
      ? undefined
      : wholeSeconds(read.maxAge, 0, 1, "INVALID_MAX_AGE", "maxAge");
  epochSeconds(base.now); // throws INVALID_NOW for a bad clock now rather than on first use
  const { onError, store, storeKey, storeKind } = read;
  if (onError !== undefined && typeof onError !== "function") {
    throw invalid("INVALID_OPTIONS", "onError", "a function (error) => void", onError);
  }
  const mintTimeout = (read.mintTimeout ?? DEFAULT_MINT_TIMEOUT) as number;
  if (!Number.isSafeInteger(mintTimeout) || mintTimeout < 1 || mintTimeout > MAX_TIMEOUT) {
    throw invalid(
      "INVALID_OPTIONS",
      "mintTimeout",
      `whole milliseconds from 1 to ${String(MAX_TIMEOUT)}`,
      mintTimeout,
    );
  }
  if (store === undefined && (storeKey !== undefined || storeKind !== undefined)) {
    const name = storeKey === undefined ? "storeKind" : "storeKey";
    throw invalid("INVALID_OPTIONS", name, "given only with store", read[name]);
  }
  const report = (error: unknown): void => {
    try {
      (onError as ((error: AscTokenError) => void) | undefined)?.(error as AscTokenError);
    } catch {
      // A failing reporter must not fail the call it reports on.
    }
  };
  // With a store, minting goes through the fleet's sharing protocol; the rule (refreshBefore,
  // maxAge) is how it judges a token another instance wrote.
  const shared =
    store === undefined
      ? undefined
      : withStore(mint as unknown as (options: SharedMintInput) => Promise<string>, {
          store: store as TokenStore,
          kind: storeKind as string | undefined,
          storeKey: storeKey as string | undefined,
          onError: report,
        });
  const sign = (input: O, rule: MintRule): Promise<string> =>
    shared ? shared(input as unknown as SharedMintInput, rule) : mint(input, rule);

  let key: Promise<CryptoKey | AppleSigner> | undefined;
  let cached: TokenInfo | undefined;
  let pending: Promise<TokenInfo> | undefined;
  /** Bumped by invalidate(): a mint started under an older generation is never cached. */
  let generation = 0;
  /** When a refresh last failed while the cached token was still good, in epoch seconds. */
  let failedAt: number | undefined;
  /** The last failed flight reported to onError, so its many waiters report it once. */
  let reported: Promise<TokenInfo> | undefined;

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
    const info = infoOf(await sign({ ...base, privateKey }, { refreshBefore, maxAge }), maxAge);
    const left = info.expiresAt - epochSeconds(base.now);
    if (left <= refreshBefore) {
      throw fail(
        "INVALID_REFRESH_BEFORE",
        `refreshBefore is ${String(refreshBefore)} s but a fresh token has ${String(left)} s ` +
          "left, so it could never be reused: lower refreshBefore or lengthen the token's " +
          "lifetime",
      );
    }
    return info;
  };

  /** mintInfo, rejected with MINT_TIMEOUT after mintTimeout ms; its timer never holds a process. */
  const mintInTime = (): Promise<TokenInfo> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(
          fail(
            "MINT_TIMEOUT",
            `minting took longer than mintTimeout (${String(mintTimeout)} ms): check the signer ` +
              "or store it waits on, or raise mintTimeout; the next call mints again",
          ),
        );
      }, mintTimeout);
      const handle: unknown = timer;
      if (typeof handle === "object" && handle !== null && "unref" in handle) {
        (handle as { unref: () => void }).unref();
      }
    });
    const attempt = mintInfo();
    void attempt.then(
      () => {
        clearTimeout(timer);
      },
      () => {
        clearTimeout(timer);
      },
    );
    return Promise.race([attempt, expired]);
  };

  const getTokenInfo = async (): Promise<TokenInfo> => {
    const now = epochSeconds(base.now);
    // iat is backdated by the mint's clockTolerance; a clock moved back by more than that puts the
    // cached iat in the future, and Apple refuses such a token: mint anew.
    const usable = cached && cached.issuedAt <= now ? cached : undefined;
    if (usable && usable.expiresAt - now > refreshBefore) return usable;
    // Stale-while-error: a token still good for a while is served when its refresh fails.
    const stale = usable && usable.expiresAt - now > STALE_MARGIN ? usable : undefined;
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
    if (!stale) return pending;
    const flight = pending;
    try {
      return await flight;
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

  const getToken = async (): Promise<string> => (await getTokenInfo()).token;

  return Object.freeze({
    getToken,
    getTokenInfo,
    invalidate: (token?: string): void => {
      if (token !== undefined && token !== cached?.token) return;
      cached = undefined;
      pending = undefined;
      failedAt = undefined;
      generation++;
    },
    authorization: async (): Promise<string> => `Bearer ${await getToken()}`,
  });
};

/**
 * A {@link TokenProvider} of App Store Connect tokens:
 * `createTokenProvider(createAscToken, options)`. Takes `createAscToken`'s options plus
 * `refreshBefore` (default 300 s: with the default lifetime a token is reused for 13 minutes).
 * Every option but the key is checked now, so a wrong `keyId` throws here; key problems reject the
 * first `getToken`. Apple: "reuse the same signed token for multiple requests until it expires".
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
  options: AscTokenOptions & TokenProviderOptions,
): TokenProvider => {
  // The caller's options are read once, here; the provider reads this snapshot.
  const { base, read } = readProviderOptions(createAscToken, options);
  const provider = createTokenProvider(createAscToken, read as unknown as typeof options);
  // Every option but the key is checked now, not on the first request.
  checkKindOptions(createAscToken as unknown as Declared, base);
  return provider;
};
