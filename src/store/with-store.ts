// with-store: a mint function that shares its tokens through a store, for createTokenProvider.

import { type AscTokenError, summarize, invalid } from "../errors.js";
import type { ApplePrivateKey } from "../key.js";
import type { MintRule } from "../provider.js";
import { readOptions } from "../options.js";
import { DEFAULT_REFRESH_BEFORE } from "../refresh-before.js";
import type { Clock } from "../time.js";
import type { Declared } from "../token.js";
import { acceptSharedToken } from "./accept.js";
import { storeKeyFor } from "./key.js";
import { kindOf } from "./kind.js";
import { sharedMint } from "./shared.js";
import type { TokenStore } from "./store.js";

/**
 * Options of {@link withStore}.
 *
 * @example
 * ```ts
 * const options: WithStoreOptions = {
 *   store: createMemoryStore(),
 *   onError: (err) => console.warn(err.message),
 * };
 * ```
 */
export interface WithStoreOptions {
  /** The store the fleet shares ({@link redisStore}, {@link workersKvStore}, ...). */
  store: TokenStore;
  /**
   * Names the token kind in the store key. Default: the library kind's name (`"createApnsToken"`),
   * or a function of your own's name of the form `createXxx`; required when a minifier renames it.
   */
  kind?: string | undefined;
  /** A store key of your own instead of the derived one (see {@link storeKeyFor}). */
  storeKey?: string | undefined;
  /** Told of every store fault (code `STORE_UNAVAILABLE`); the token is then minted locally. */
  onError?: ((error: AscTokenError) => void) | undefined;
  /** Longest wait for another instance's token, in ms. Default 2000. */
  waitMs?: number | undefined;
  /** How long a minting instance holds the lease, in ms. Default 10000. */
  leaseMs?: number | undefined;
  /** Longest wait for one store call, in ms. Default 1000. */
  timeoutMs?: number | undefined;
}

/** What the wrapped mint function reads from its options. */
export interface SharedMintInput {
  keyId: string;
  privateKey: ApplePrivateKey;
  now?: Clock | undefined;
  issuerId?: string | undefined;
  teamId?: string | undefined;
}

const METHODS = ["get", "setIfAbsent", "set"] as const;
/** The options withStore reads. */
const WITH_STORE_OPTIONS = [
  "store",
  "kind",
  "storeKey",
  "onError",
  "waitMs",
  "leaseMs",
  "timeoutMs",
];
const ms = (value: unknown, name: string): number | undefined => {
  if (value !== undefined && (!Number.isSafeInteger(value) || (value as number) < 1)) {
    throw invalid("INVALID_OPTIONS", name, "whole milliseconds >= 1", value);
  }
  return value as number | undefined;
};

/**
 * Wraps a mint function (`createAscToken`, `createApnsToken`, ...) so that a fleet of providers
 * signs one token per lifetime through `store` (docs/fleet.md: one instance takes a lease and
 * signs, the others wait for its token; a store fault means signing locally, never failing). Give
 * the result to {@link createTokenProvider}: it passes the provider's `refreshBefore` and `maxAge`
 * (beside the options, which hold `now`), which decide whether a shared token is still good; the
 * result takes the options `mint` takes, checked as `mint` checks them. When the provider asks
 * again while its last token is still good (it was invalidated after a 401), the store's copy of
 * that token is refused and replaced. One wrapper per provider.
 *
 * @example
 * ```ts
 * import Redis from "ioredis";
 * import { createApnsToken, createTokenProvider, redisStore, withStore } from "asc-token";
 * const store = redisStore(new Redis(process.env.REDIS_URL!));
 * const apns = createTokenProvider(
 *   withStore(createApnsToken, { store, onError: (err) => console.warn(err.message) }),
 *   { keyId, teamId, privateKey, maxAge: 3000, refreshBefore: 1200 },
 * );
 * const token = await apns.getToken(); // one signing per ~30 minutes across every instance
 * ```
 */
export const withStore = <O extends SharedMintInput>(
  mint: (options: O) => Promise<string>,
  given: WithStoreOptions,
): ((options: O, rule?: MintRule) => Promise<string>) => {
  if (typeof mint !== "function") {
    throw invalid("INVALID_OPTIONS", "mint", "a function like createAscToken", mint);
  }
  const options = readOptions(
    given,
    WITH_STORE_OPTIONS,
    "{ store, … }",
  ) as Partial<WithStoreOptions>;
  const { store, storeKey, onError } = options;
  if (
    typeof store !== "object" ||
    store === null ||
    METHODS.some((m) => typeof store[m] !== "function")
  ) {
    throw invalid(
      "INVALID_OPTIONS",
      "store",
      "an object with get, setIfAbsent and set methods (a TokenStore)",
      store,
      typeof store === "object" && store !== null ? "an object without them" : summarize(store),
    );
  }
  const kind = options.kind ?? kindOf(mint);
  if (kind === undefined && storeKey === undefined) {
    throw invalid(
      "INVALID_OPTIONS",
      "kind",
      'given (e.g. "createApnsToken") when the mint function has no name of that form (a ' +
        "minifier renames functions)",
      undefined,
    );
  }
  if (storeKey !== undefined && typeof storeKey !== "string") {
    throw invalid("INVALID_OPTIONS", "storeKey", "a string", storeKey);
  }
  const waitMs = ms(options.waitMs, "waitMs");
  const leaseMs = ms(options.leaseMs, "leaseMs");
  const timeoutMs = ms(options.timeoutMs, "timeoutMs");
  let last: string | undefined;

  const shared = async (input: O, given?: MintRule): Promise<string> => {
    const rule = {
      keyId: input.keyId,
      issuer: input.issuerId ?? input.teamId,
      refreshBefore: given?.refreshBefore ?? DEFAULT_REFRESH_BEFORE,
      maxAge: given?.maxAge,
      now: input.now,
    };
    const token = await sharedMint({
      store,
      storeKey:
        storeKey ??
        (await storeKeyFor(
          kind ?? "",
          input as unknown as SharedMintInput & Record<string, unknown>,
        )),
      mint: () => mint(input),
      accept: (t) => acceptSharedToken(t, rule),
      refuse: last !== undefined && acceptSharedToken(last, rule) > 0 ? last : undefined,
      onError,
      waitMs,
      leaseMs,
      timeoutMs,
    });
    last = token;
    return token;
  };
  // A kind's declared option names go with it, so the provider refuses a misspelt option when it
  // is built, and hands over only those names.
  const { optionNames, build } = mint as Partial<Declared>;
  return optionNames && build ? Object.assign(shared, { optionNames, build }) : shared;
};
