// apns-provider: APNs provider tokens reused within Apple's rotation window, and what to do with
// an APNs answer about the token.
//
// Apple, "Establishing a token-based connection to APNs": "Refresh your token no more than once
// every 20 minutes and no less than once every 60 minutes." A token replaced more often is answered
// with 429 TooManyProviderTokenUpdates; one whose iat is over an hour old with 403
// ExpiredProviderToken. 403 InvalidProviderToken (wrong key, Team ID or key ID) and
// BadEnvironmentKeyInToken (a key limited to sandbox or production) are not fixed by a new token,
// and minting one for them invites the 429.

import { fail, invalid } from "./errors.js";
import {
  APNS_MAX_AGE,
  APNS_MIN_INTERVAL,
  type ApnsTokenOptions,
  createApnsToken,
} from "./kinds/apns.js";
import {
  DEFAULT_REFRESH_BEFORE,
  type TokenInfo,
  type TokenProvider,
  type TokenProviderOptions,
  checkKindOptions,
  createTokenProvider,
  readProviderOptions,
} from "./provider.js";
import { DEFAULT_CLOCK_TOLERANCE, epochSeconds } from "./time.js";
import type { Declared } from "./token.js";

/**
 * Default `maxAge`: 50 minutes, so a token is replaced (at `maxAge − refreshBefore`) well inside
 * the hour.
 */
const DEFAULT_APNS_MAX_AGE = 3000;

/**
 * What to do after an APNs answer: `"remint"` (the token expired: mint a new one and send again),
 * `"keep"` (the token is fine but was replaced too often: keep using it, never mint for this) or
 * `"none"` (the answer is not about the token).
 *
 * @example
 * ```ts
 * const action: ApnsTokenAction = apnsTokenAction(403, "ExpiredProviderToken"); // "remint"
 * ```
 */
export type ApnsTokenAction = "remint" | "keep" | "none";

/**
 * Says what an APNs answer means for the provider token. `status` is the HTTP status, `reason`
 * the `reason` of the JSON body (`{"reason":"ExpiredProviderToken"}`).
 *
 * - 403 `ExpiredProviderToken`: `"remint"`, the only answer a new token fixes.
 * - 429 `TooManyProviderTokenUpdates`: `"keep"`; a new token would make it worse.
 * - 403 `InvalidProviderToken`, or `BadEnvironmentKeyInToken`: throws an {@link AscTokenError}
 *   with code `APNS_TOKEN_REJECTED` naming the likely cause (key, Team ID, key ID; or the key's
 *   environment). No new token fixes these, so none should be minted.
 * - Anything else (200, `BadDeviceToken`, `TooManyRequests`, …): `"none"`.
 *
 * @example
 * ```ts
 * import { apnsTokenAction } from "asc-token";
 * const res = await sendPush(token); // your HTTP/2 POST to api.push.apple.com
 * if (res.status !== 200) {
 *   const { reason } = (await res.json()) as { reason?: string };
 *   if (apnsTokenAction(res.status, reason) === "remint") apns.invalidate(token);
 * }
 * ```
 */
export const apnsTokenAction = (status: number, reason?: string): ApnsTokenAction => {
  if (reason === "ExpiredProviderToken" && status === 403) return "remint";
  if (reason === "TooManyProviderTokenUpdates") return "keep";
  if (reason === "InvalidProviderToken") {
    throw fail(
      "APNS_TOKEN_REJECTED",
      `APNs answered ${String(status)} InvalidProviderToken: the key, the Team ID (iss) or the ` +
        "key ID (kid) is wrong, or the key is revoked or not enabled for APNs. A new token " +
        "cannot fix this; check teamId, keyId and the .p8 file",
    );
  }
  if (reason === "BadEnvironmentKeyInToken") {
    throw fail(
      "APNS_TOKEN_REJECTED",
      `APNs answered ${String(status)} BadEnvironmentKeyInToken: the key is limited to sandbox ` +
        "or to production and this request went to the other environment. Send to " +
        "api.sandbox.push.apple.com or api.push.apple.com to match the key, or use a key for both",
    );
  }
  return "none";
};

/**
 * A {@link TokenProvider} of APNs provider tokens that keeps Apple's rotation rules: `invalidate`
 * returns whether it dropped the token (never one under 20 minutes old), and `handleResponse`
 * applies {@link apnsTokenAction} to an APNs answer.
 *
 * @example
 * ```ts
 * const apns: ApnsTokenProvider = createApnsTokenProvider({ keyId, teamId, privateKey });
 * const dropped: boolean = apns.invalidate();
 * ```
 */
export interface ApnsTokenProvider extends TokenProvider {
  /**
   * Drops the cached token (only `token`, when given) so the next call mints a new one, unless it
   * is under 20 minutes old: APNs answers tokens replaced more often with 429
   * TooManyProviderTokenUpdates. Returns whether the token was dropped.
   */
  invalidate(token?: string): boolean;
  /**
   * Applies {@link apnsTokenAction} to an APNs answer about `token`: invalidates it for 403
   * ExpiredProviderToken only, and throws `APNS_TOKEN_REJECTED` for InvalidProviderToken and
   * BadEnvironmentKeyInToken. Returns the action.
   */
  handleResponse(token: string, status: number, reason?: string): ApnsTokenAction;
}

/**
 * Options of {@link createApnsTokenProvider}: `createApnsToken`'s, and every provider option
 * ({@link TokenProviderOptions}: `onError`, `mintTimeout`, and `store` to share one token across a
 * fleet, which APNs needs). `refreshBefore` defaults to 300 s; `maxAge` (seconds after `iat` a
 * token is used) to 3000, at most 3600 and at least 1200 + `clockTolerance` + `refreshBefore`, so
 * no token is replaced within 20 minutes.
 *
 * @example
 * ```ts
 * const options: ApnsTokenProviderOptions = { keyId, teamId, privateKey, maxAge: 2400 };
 * ```
 */
export type ApnsTokenProviderOptions = ApnsTokenOptions & TokenProviderOptions;

/**
 * APNs provider tokens, reused within Apple's rotation window: a token is replaced
 * `refreshBefore` (300 s) before `maxAge` (3000 s), so about every 45 minutes, never after 60
 * and never within 20 minutes of the last one, not even after `invalidate()` (APNs answers 429
 * TooManyProviderTokenUpdates to tokens replaced more often). Options are checked now; key
 * problems reject the first `getToken`. One provider per process is not enough for a fleet of
 * workers: share one token through a store (see `withStore`).
 *
 * @example
 * ```ts
 * import { createApnsTokenProvider } from "asc-token";
 * const apns = createApnsTokenProvider({
 *   keyId: "2X9R4HXF34",
 *   teamId: "DEF123GHIJ",
 *   privateKey: process.env.APNS_PRIVATE_KEY!,
 * });
 * const token = await apns.getToken();
 * const res = await sendPush(token); // HTTP/2 POST https://api.push.apple.com/3/device/<token>
 * if (res.status !== 200) {
 *   const { reason } = (await res.json()) as { reason?: string };
 *   apns.handleResponse(token, res.status, reason); // re-mints only for ExpiredProviderToken
 * }
 * ```
 */
export const createApnsTokenProvider = (options: ApnsTokenProviderOptions): ApnsTokenProvider => {
  // The caller's options are read once, here; the provider reads this snapshot.
  const { base, read } = readProviderOptions(createApnsToken, options);
  const maxAge = (read.maxAge as number | undefined) ?? DEFAULT_APNS_MAX_AGE;
  const refreshBefore = (read.refreshBefore as number | undefined) ?? DEFAULT_REFRESH_BEFORE;
  const provider = createTokenProvider(createApnsToken, {
    ...(read as unknown as ApnsTokenProviderOptions),
    refreshBefore,
    maxAge,
  });
  // Every option but the key is checked now, not on the first request.
  checkKindOptions(createApnsToken as unknown as Declared, base);
  // iat is backdated by clockTolerance: a token is minted that many seconds after its iat.
  const tolerance = base.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE;
  const minAge = APNS_MIN_INTERVAL + tolerance;
  // createTokenProvider has checked both are whole seconds; these are APNs's bounds.
  if (maxAge > APNS_MAX_AGE) {
    throw invalid("INVALID_MAX_AGE", "maxAge", "at most 3600 (APNs refuses older tokens)", maxAge);
  }
  const reuse = maxAge - refreshBefore;
  if (reuse < minAge) {
    throw fail(
      "INVALID_MAX_AGE",
      `maxAge − refreshBefore is ${String(reuse)} s, so tokens would be replaced within 20 ` +
        "minutes (plus clockTolerance) and APNs would answer 429 TooManyProviderTokenUpdates: " +
        `keep it at ${String(minAge)} or more`,
    );
  }

  const now = base.now;
  /** The token last handed out: the one `invalidate()` without an argument is about. */
  let latest: TokenInfo | undefined;

  const getTokenInfo = async (): Promise<TokenInfo> => {
    const info = await provider.getTokenInfo();
    latest = info;
    return info;
  };
  const getToken = async (): Promise<string> => (await getTokenInfo()).token;
  const invalidate = (token?: string): boolean => {
    const current = latest;
    if (!current || (token !== undefined && token !== current.token)) return false;
    if (epochSeconds(now) - current.issuedAt < minAge) return false;
    provider.invalidate(current.token);
    latest = undefined;
    return true;
  };

  return Object.freeze({
    getToken,
    getTokenInfo,
    invalidate,
    authorization: async (): Promise<string> => `Bearer ${await getToken()}`,
    handleResponse: (token: string, status: number, reason?: string): ApnsTokenAction => {
      const action = apnsTokenAction(status, reason);
      if (action === "remint") invalidate(token);
      return action;
    },
  });
};
