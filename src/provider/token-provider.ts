// provider: a token kind (or a mint function of your own) on the engine. The key is imported once;
// the kind's build says a fresh token's times and, with a store, exactly what a shared token must
// be; the kind's lifetime rules bound `maxAge` (APNs's 20 and 60 minutes).

import { decodeToken } from "../inspect/decode.js";
import {
  type Engine,
  type Minted,
  type TokenInfo,
  type TokenProvider,
  createEngine,
} from "./engine.js";
import { type AscTokenError, fail, invalid } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import { type ApplePrivateKey, importAppleKey } from "../key/import.js";
import { type AscTokenOptions, createAscToken } from "../kinds/app-store-connect.js";
import { readOptions } from "../lib/options.js";
import type { SignerKey } from "../key/signer.js";
import { acceptSharedToken, readSharedToken } from "../store/accept.js";
import { storeKeyFor } from "../store/key.js";
import { sharedMint } from "../store/shared.js";
import type { TokenStore } from "../store/store.js";
import { type Clock, epochSeconds, wholeSeconds } from "../lib/time.js";
import { validKeyId } from "../lib/validate.js";
import {
  type AppleKeyOptions,
  type KindMint,
  type TokenKind,
  mintKind,
  readKindOptions,
} from "../kinds/kind.js";
import {
  DEFAULT_CLOCK_TOLERANCE,
  DEFAULT_MINT_TIMEOUT,
  DEFAULT_REFRESH_BEFORE,
} from "../lib/defaults.js";

export type { TokenInfo, TokenProvider };

/** The longest delay `setTimeout` honours (2^31 - 1 ms); a longer one fires at once. */
const MAX_TIMEOUT = 2_147_483_647;

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
   * Seconds after `iat` a token may be used; caps `exp` when both are there. Kinds without `exp`
   * have their own default and limit (APNs: 3000, at most 3600, and at least 1200 +
   * `clockTolerance` + `refreshBefore`, so no token is replaced within 20 minutes); a mint
   * function of your own whose tokens have no `exp` needs it.
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
   * createAscTokenProvider({ keyId, issuerId, privateKey: signerKey(kms), mintTimeout: 3000 });
   * ```
   */
  mintTimeout?: number | undefined;
  /**
   * Shares one token across every provider with the same store and options (a fleet of workers):
   * one instance signs per token lifetime, the others read its token (see docs/fleet.md). A token
   * read from the store is served only if it is exactly what this provider would mint, times
   * aside. A store fault never fails a call: the token is minted locally and the fault goes to
   * `onError`. Only with one of asc-token's token kinds.
   *
   * @example
   * ```ts
   * const store = redisStore(new Redis(process.env.REDIS_URL!));
   * createAscTokenProvider({ keyId, issuerId, privateKey, store });
   * ```
   */
  store?: TokenStore | undefined;
  /**
   * The store key to share tokens under, instead of the one derived from the options:
   * `asc-token:v1:<kind's function name>:<keyId>:<sha256>`, the hash (hex) over the canonical JSON
   * of every mint option but `privateKey` and `now` (issuer or Team ID, audience, scope, bundle ID,
   * lifetime, ...), never derived from the key. Only with `store`.
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
}

const PROVIDER_OPTIONS = ["refreshBefore", "maxAge", "onError", "mintTimeout", "store", "storeKey"];

/** The kind a mint function carries (every asc-token JWT kind's does), if any. */
const kindOf = (mint: unknown): TokenKind | undefined => (mint as Partial<KindMint<never>>).kind;

/**
 * @internal The provider's own options, and a snapshot of the mint function's: the names its kind
 * declares (each read once, own or inherited, anything else refused), or for a mint function of
 * your own every enumerable name, own or inherited.
 */
export const readProviderOptions = <O extends object>(
  mint: unknown,
  options: O & TokenProviderOptions,
): { base: O; read: Record<string, unknown> } => {
  const kind = kindOf(mint);
  const names: string[] = [...PROVIDER_OPTIONS];
  if (!kind && typeof options === "object" && options !== null) {
    for (const name in options) names.push(name);
  }
  const read = kind
    ? readKindOptions(kind, options, PROVIDER_OPTIONS)
    : readOptions(options, names, "{ privateKey, … }");
  const base: Record<string, unknown> = {};
  for (const name in read) if (!PROVIDER_OPTIONS.includes(name)) base[name] = read[name];
  return { base: base as O, read };
};

/** The error of a refreshBefore that leaves a fresh token no time to be reused. */
const neverReused = (refreshBefore: number, left: number): AscTokenError =>
  fail(
    "INVALID_REFRESH_BEFORE",
    `refreshBefore is ${String(refreshBefore)} s but a fresh token has ${String(left)} s left, ` +
      `so it could never be reused: keep refreshBefore below ${String(left)}`,
  );

/** `iat` and `exp` of a token a mint function of your own returned, read from the token. */
const timesOf = (token: string): { iat: number; exp: number | undefined } => {
  const { iat, exp } = decodeToken(token).claims;
  if (typeof iat !== "number" || !Number.isSafeInteger(iat)) {
    throw fail(
      "TOKEN_MALFORMED",
      `the minted token's iat is ${showValue(iat)}, not whole epoch seconds, so its age is unknown`,
    );
  }
  if (exp !== undefined && (typeof exp !== "number" || !Number.isSafeInteger(exp))) {
    throw fail(
      "TOKEN_MALFORMED",
      `the minted token's exp is ${showValue(exp)}, not whole epoch seconds`,
    );
  }
  return { iat, exp };
};

/**
 * Wraps a token kind's mint function (`createAscToken`, `createApnsToken`, … or a function of
 * your own that takes `privateKey` and `now` and returns a JWT) in a {@link TokenProvider}: the
 * key is imported once, on the first `getToken`; one token is reused until `refreshBefore` seconds
 * before it expires; concurrent callers share one signing; a failed mint rejects its callers and
 * the next call tries again. The kind's lifetime rules apply: an APNs token is used for `maxAge`
 * (default 3000 s, at most 3600) and never replaced within 20 minutes. Kinds whose tokens are
 * single-use (`createInAppSignature`, `createPromotionalOfferSignature`) are refused: their nonce
 * may be used once.
 *
 * `options` are copied and checked now (every option of the kind but the key, `refreshBefore`,
 * `maxAge`): a mistake throws an {@link AscTokenError} here, not on the first request. The key is
 * read on the first `getToken`.
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
  mint: (options: O) => Promise<string>,
  options: O & TokenProviderOptions,
): TokenProvider => providerEngine(mint, options).provider;

/** @internal {@link createTokenProvider}, with the engine's view of the cached token. */
export const providerEngine = <O extends { privateKey: ApplePrivateKey; now?: Clock | undefined }>(
  mint: (options: O) => Promise<string>,
  options: O & TokenProviderOptions,
): Engine => {
  if (typeof mint !== "function") {
    throw fail(
      "INVALID_OPTIONS",
      `mint must be a function like createAscToken; got ${showValue(mint)}`,
    );
  }
  const singleUse = (mint as { singleUse?: string }).singleUse ?? kindOf(mint)?.singleUse;
  if (singleUse !== undefined) {
    throw fail("INVALID_OPTIONS", `a provider caches and reuses tokens, but ${singleUse}`);
  }
  const kind = kindOf(mint);
  const { base, read } = readProviderOptions(mint, options);
  const refreshBefore = wholeSeconds(
    read.refreshBefore,
    DEFAULT_REFRESH_BEFORE,
    0,
    "INVALID_REFRESH_BEFORE",
    "refreshBefore",
  );
  const life = kind?.lifetime;
  const maxAge =
    read.maxAge === undefined
      ? life?.defaultMaxAge
      : wholeSeconds(read.maxAge, 0, 1, "INVALID_MAX_AGE", "maxAge");
  epochSeconds(base.now); // throws INVALID_NOW for a bad clock now rather than on first use
  const { onError, store, storeKey } = read;
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
  if (store === undefined && storeKey !== undefined) {
    throw invalid("INVALID_OPTIONS", "storeKey", "given only with store", storeKey);
  }
  if (store !== undefined) checkStore(store, storeKey, kind);
  if (kind) {
    // Every option but the key is checked now, not on the first request.
    const kindOptions = base as unknown as AppleKeyOptions;
    (kind.keyId ?? validKeyId)(kindOptions.keyId);
    kind.build(kindOptions);
    if (maxAge !== undefined && life?.maxAge !== undefined && maxAge > life.maxAge) {
      throw invalid(
        "INVALID_MAX_AGE",
        "maxAge",
        `at most ${String(life.maxAge)} (Apple refuses older ${kind.name} tokens)`,
        maxAge,
      );
    }
    if (maxAge !== undefined && life?.minInterval !== undefined) {
      // iat is backdated by clockTolerance: a token is minted that many seconds after its iat.
      const minAge = life.minInterval + (kindOptions.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE);
      const reuse = maxAge - refreshBefore;
      if (reuse < minAge) {
        throw fail(
          "INVALID_MAX_AGE",
          `maxAge − refreshBefore is ${String(reuse)} s, so tokens would be replaced within ` +
            `${String(life.minInterval / 60)} minutes (plus clockTolerance), more often than ` +
            `Apple allows: keep it at ${String(minAge)} or more`,
        );
      }
    }
  }
  const report = (error: unknown): void => {
    try {
      (onError as ((error: AscTokenError) => void) | undefined)?.(error as AscTokenError);
    } catch {
      // A failing reporter must not fail the call it reports on.
    }
  };

  let key: Promise<CryptoKey | SignerKey> | undefined;
  const importOnce = (): Promise<CryptoKey | SignerKey> => {
    if (!key) {
      const attempt = importAppleKey(base.privateKey);
      key = attempt;
      void attempt.catch(() => {
        if (key === attempt) key = undefined; // a failed import is retried on the next call
      });
    }
    return key;
  };

  /** Signs a token here: its times from the kind's claims (a function of your own: the token's). */
  const mintOwn = async (): Promise<Minted> => {
    const privateKey = await importOnce();
    let token: string;
    let times: { iat: number; exp: number | undefined };
    if (kind) {
      const minted = await mintKind(kind, base as unknown as AppleKeyOptions, privateKey);
      token = minted.token;
      times = minted.claims as { iat: number; exp: number | undefined };
    } else {
      token = await mint({ ...base, privateKey });
      times = timesOf(token);
    }
    if (times.exp === undefined && maxAge === undefined) {
      throw fail(
        "INVALID_MAX_AGE",
        "the minted token has no exp claim: pass maxAge, the seconds after iat a token may be used",
      );
    }
    const expiresAt = Math.min(times.exp ?? Infinity, times.iat + (maxAge ?? Infinity));
    // Only a token signed here can show refreshBefore to be wrong: a shared one may have aged.
    const left = expiresAt - epochSeconds(base.now);
    if (left <= refreshBefore) throw neverReused(refreshBefore, left);
    return { info: Object.freeze({ token, issuedAt: times.iat, expiresAt }), own: true };
  };

  /** The last token the store path handed out: refused from the store once it is asked again. */
  let last: string | undefined;
  const mintShared = async (kind: TokenKind): Promise<Minted> => {
    const kindOptions = base as unknown as AppleKeyOptions;
    const rule = {
      keyId: kindOptions.keyId,
      built: kind.build(kindOptions),
      refreshBefore,
      maxAge,
      now: kindOptions.now,
    };
    let own: Minted | undefined;
    const token = await sharedMint({
      store: store as TokenStore,
      storeKey: (storeKey as string | undefined) ?? (await storeKeyFor(kind.create, base as never)),
      mint: async () => (own = await mintOwn()).info.token,
      accept: (t) => acceptSharedToken(t, rule),
      // Asked again while its last token is still good: that token was invalidated (a 401).
      refuse: last !== undefined && acceptSharedToken(last, rule) > 0 ? last : undefined,
      onError: report,
    });
    last = token;
    if (own?.info.token === token) return own;
    // Accepted by the store check a moment ago; served even if a clock tick since has cut its
    // reuse to nothing (the next call replaces it).
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- accepted just now
    return { info: readSharedToken(token, rule)!, own: false };
  };

  return createEngine({
    mint: store === undefined || !kind ? mintOwn : () => mintShared(kind),
    now: base.now,
    margin: () => refreshBefore,
    report,
    mintTimeout,
    waitsOn: "signer or store",
  });
};

/** Checks `store` is a {@link TokenStore} and that the kind is one a store can check tokens of. */
const checkStore = (store: unknown, storeKey: unknown, kind: TokenKind | undefined) => {
  const methods = ["get", "setIfAbsent", "set"] as const;
  if (
    typeof store !== "object" ||
    store === null ||
    methods.some((m) => typeof (store as Record<string, unknown>)[m] !== "function")
  ) {
    throw invalid(
      "INVALID_OPTIONS",
      "store",
      "an object with get, setIfAbsent and set methods (a TokenStore)",
      store,
      typeof store === "object" && store !== null ? "an object without them" : showValue(store),
    );
  }
  if (storeKey !== undefined && typeof storeKey !== "string") {
    throw invalid("INVALID_OPTIONS", "storeKey", "a string", storeKey);
  }
  if (!kind) {
    throw fail(
      "INVALID_OPTIONS",
      "store needs one of asc-token's token functions (createAscToken, createApnsToken, …): a " +
        "token read from the store is served only if it is exactly what that kind would mint",
    );
  }
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
): TokenProvider => createTokenProvider(createAscToken, options);
