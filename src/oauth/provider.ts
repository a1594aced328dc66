// provider: access tokens from one of Apple's OAuth client-credentials endpoints, on the providers'
// engine (single flight, generations, stale-while-error, timeout). One access token is reused until
// `refreshBefore` seconds before the lifetime Apple stated; after a 429 no request is sent before
// Apple's Retry-After (or a doubling backoff) has passed; with a store, a fleet makes one exchange
// per token lifetime through the store's sharing protocol (store/shared.ts).

import { type AscTokenError, fail, invalid } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import type { FetchLike } from "../provider/fetch.js";
import { type TokenInfo, type TokenProvider, createEngine } from "../provider/engine.js";
import { sharedMint } from "../store/shared.js";
import type { TokenStore } from "../store/store.js";
import { type Clock, epochSeconds, wholeSeconds } from "../lib/time.js";
import { reuseLeft } from "../lib/reuse.js";
import { MAX_ACCESS_LIFETIME, exchangeClientCredentials } from "./exchange.js";
import {
  DEFAULT_MINT_TIMEOUT,
  DEFAULT_REFRESH_BEFORE,
  DEFAULT_REQUEST_TIMEOUT,
} from "../lib/defaults.js";

/**
 * Options every Apple OAuth access-token provider takes besides its credentials.
 *
 * @example
 * ```ts
 * const extra: OAuthProviderOptions = { refreshBefore: 600, timeout: 5000 };
 * ```
 */
export interface OAuthProviderOptions {
  /**
   * Seconds before the access token's stated expiry at which it is replaced. Whole seconds `>= 0`,
   * default 300; never more than half the lifetime Apple states, so a token is always reused.
   */
  refreshBefore?: number | undefined;
  /** The `fetch` that calls Apple. Default: the global `fetch`, looked up at call time. */
  fetchImpl?: FetchLike | undefined;
  /**
   * Milliseconds an exchange may take, answer included. Whole ms, 1 to 60000; default 10000. A
   * whole refresh (signing and the store's round trips too) is abandoned with `MINT_TIMEOUT` 10 s
   * after that.
   */
  timeout?: number | undefined;
  /**
   * Told of every fault the caller does not see: a refresh that failed while the cached access
   * token was still good for more than 30 s (that token is served), and a store fault
   * (`STORE_UNAVAILABLE`: Apple is then asked directly). A callback that throws is ignored.
   */
  onError?: ((error: AscTokenError) => void) | undefined;
  /**
   * Shares one access token across every provider with the same store, client ID and scope (a
   * fleet): one instance asks Apple per token lifetime, the others read its token. The store holds
   * the access token (a bearer credential): keep it as private as the key.
   */
  store?: TokenStore | undefined;
}

/** @internal What a service tells the provider: the endpoint, the form, the store key. */
export interface OAuthService {
  /** The token endpoint. */
  readonly url: string;
  /** The form to send, with a freshly signed client assertion or secret. */
  readonly form: () => Promise<Record<string, string>>;
  /** The store key: kind, client ID and scope (none of them secret). */
  readonly storeKey: string;
  /** The clock the credentials are dated by. */
  readonly now: Clock | undefined;
}

/** @internal The provider's own option names. */
export const OAUTH_OPTIONS = ["refreshBefore", "fetchImpl", "timeout", "onError", "store"];

/** Backoff after a 429 without Retry-After: 5 s, doubling to at most 5 minutes. */
const FIRST_BACKOFF = 5;
const MAX_BACKOFF = 300;
/** A Retry-After longer than an hour is cut to one: a token lives an hour. */
const MAX_RETRY_AFTER = 3600;
/** Seconds a shared token's issue time may lie ahead of this clock (two machines' clocks). */
const SKEW = 60;
const METHODS = ["get", "setIfAbsent", "set"] as const;

/** @internal The provider options, checked. */
export const readOAuthOptions = (read: Record<string, unknown>) => {
  const refreshBefore = wholeSeconds(
    read.refreshBefore,
    DEFAULT_REFRESH_BEFORE,
    0,
    "INVALID_REFRESH_BEFORE",
    "refreshBefore",
  );
  const { fetchImpl, onError, store } = read;
  if (fetchImpl !== undefined && typeof fetchImpl !== "function") {
    throw invalid("INVALID_OPTIONS", "fetchImpl", "a function like fetch", fetchImpl);
  }
  if (onError !== undefined && typeof onError !== "function") {
    throw invalid("INVALID_OPTIONS", "onError", "a function (error) => void", onError);
  }
  const timeout = read.timeout ?? DEFAULT_REQUEST_TIMEOUT;
  if (!Number.isSafeInteger(timeout) || (timeout as number) < 1 || (timeout as number) > 60_000) {
    throw invalid("INVALID_OPTIONS", "timeout", "whole milliseconds from 1 to 60000", timeout);
  }
  if (
    store !== undefined &&
    (typeof store !== "object" ||
      store === null ||
      METHODS.some((m) => typeof (store as Record<string, unknown>)[m] !== "function"))
  ) {
    throw invalid("INVALID_OPTIONS", "store", "a TokenStore (get, setIfAbsent, set)", store);
  }
  return {
    refreshBefore,
    fetchImpl: fetchImpl as FetchLike | undefined,
    onError: onError as ((error: AscTokenError) => void) | undefined,
    timeout: timeout as number,
    store: store as TokenStore | undefined,
  };
};

/** A shared store value: the access token and its times, as JSON. */
const encode = (info: TokenInfo): string =>
  JSON.stringify({ token: info.token, issuedAt: info.issuedAt, expiresAt: info.expiresAt });

/** A store value read back, or undefined for anything but what {@link encode} writes, sane. */
const decode = (value: string, now: number): TokenInfo | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  const { token, issuedAt, expiresAt } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof token !== "string" || !/^[\x21-\x7e]+$/.test(token)) return undefined;
  if (!Number.isSafeInteger(issuedAt) || !Number.isSafeInteger(expiresAt)) return undefined;
  const [iat, exp] = [issuedAt as number, expiresAt as number];
  if (iat > now + SKEW || exp <= iat || exp - iat > MAX_ACCESS_LIFETIME) return undefined;
  // Apple does not date an access token, so an `issuedAt` ahead of this clock (another machine's)
  // is read as now: the token is then good by the engine's one reuse rule, which never hands out
  // a token issued in its future, and the fleet does not ask Apple again over a clock's skew.
  return Object.freeze({ token, issuedAt: Math.min(iat, now), expiresAt: exp });
};

/** @internal A TokenProvider of `service`'s access tokens: see the file's comment. */
export const createOAuthProvider = (
  service: OAuthService,
  options: ReturnType<typeof readOAuthOptions>,
): TokenProvider => {
  const { refreshBefore, fetchImpl, onError, timeout, store } = options;
  const now = (): number => epochSeconds(service.now);
  /** Seconds before expiry at which `info` is replaced: never more than half its lifetime. */
  const margin = (info: TokenInfo): number =>
    Math.min(refreshBefore, Math.floor((info.expiresAt - info.issuedAt) / 2));
  const report = (error: unknown): void => {
    try {
      onError?.(error as AscTokenError);
    } catch {
      // A failing reporter must not fail the call it reports on.
    }
  };

  /** No request to Apple before this (epoch seconds), after a 429; and the next backoff. */
  let blockedUntil = 0;
  let backoff = FIRST_BACKOFF;
  /** A token the caller saw refused (invalidate): never served from the store again. */
  let refused: string | undefined;

  const onRateLimit = (seconds: number | undefined): void => {
    const wait = Math.min(seconds ?? backoff, MAX_RETRY_AFTER);
    backoff = seconds === undefined ? Math.min(backoff * 2, MAX_BACKOFF) : backoff;
    blockedUntil = Math.max(blockedUntil, now() + wait);
  };

  const ask = async (): Promise<TokenInfo> => {
    const wait = blockedUntil - now();
    if (wait > 0) {
      throw fail(
        "OAUTH_RATE_LIMITED",
        `POST ${service.url} answered 429 (too many requests): not asking again for ${wait} s`,
      );
    }
    const form = await service.form();
    const issuedAt = now();
    const { token, lifetime } = await exchangeClientCredentials(
      { url: service.url, form, fetchImpl, timeout },
      onRateLimit,
    );
    backoff = FIRST_BACKOFF;
    return Object.freeze({ token, issuedAt, expiresAt: issuedAt + lifetime });
  };

  /** Ms a shared value may still be served, or 0 to refuse it. */
  const accept = (value: string): number => {
    const info = decode(value, now());
    if (!info || info.token === refused) return 0;
    const left = reuseLeft(info, margin(info), now());
    return left >= 1 ? left * 1000 : 0;
  };

  const mint = async (): Promise<TokenInfo> => {
    if (!store) return ask();
    const value = await sharedMint({
      store,
      storeKey: service.storeKey,
      mint: async () => encode(await ask()),
      accept,
      onError: report,
    });
    const info = decode(value, now());
    if (!info) {
      throw fail("OAUTH_RESPONSE_MALFORMED", `the access token read back is ${showValue(value)}`);
    }
    return info;
  };

  const engine = createEngine({
    mint: async () => ({ info: await mint(), own: true }),
    now: service.now,
    margin,
    report,
    // The exchange has `timeout`; signing and the store get the other providers' mint timeout.
    mintTimeout: timeout + DEFAULT_MINT_TIMEOUT,
    waitsOn: "network, fetchImpl or store",
  });
  return Object.freeze({
    ...engine.provider,
    invalidate: (token?: string): void => {
      const cached = engine.cached()?.info.token;
      if (token !== undefined && token !== cached) return;
      refused = cached ?? refused;
      engine.provider.invalidate(token);
    },
  });
};
