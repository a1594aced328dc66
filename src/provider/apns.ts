// apns-provider: APNs provider tokens reused within Apple's rotation window, and what to do with
// an APNs answer about the token.
//
// Apple, "Establishing a token-based connection to APNs": "Refresh your token no more than once
// every 20 minutes and no less than once every 60 minutes." A token replaced more often is answered
// with 429 TooManyProviderTokenUpdates; one whose iat is over an hour old with 403
// ExpiredProviderToken; one signed with the wrong key, Team ID or key ID with 403
// InvalidProviderToken. A refused token is replaced at once: the 20-minute rule is about needless
// updates, and a token read from a fleet's store may be another machine's mistake. A token this
// provider signed itself that is refused cannot be fixed by signing again (same key, same clock),
// and BadEnvironmentKeyInToken (a key limited to sandbox or production) never can: those throw.

import { fail } from "../lib/errors.js";
import { APNS_MIN_INTERVAL, type ApnsTokenOptions, createApnsToken } from "../kinds/apns.js";
import {
  type TokenProvider,
  type TokenProviderOptions,
  providerEngine,
  readProviderOptions,
} from "./token-provider.js";
import { epochSeconds } from "../lib/time.js";
import { DEFAULT_CLOCK_TOLERANCE } from "../lib/defaults.js";

/**
 * What {@link ApnsTokenProvider.handleResponse} did about an APNs answer: `"remint"` (APNs
 * refused the token as expired or invalid: it is dropped, here and in the store, and the next
 * `getToken()` gives a new one: send again with it), `"keep"` (the token is fine but tokens were
 * replaced too often: keep using it, never mint for this) or `"none"` (the answer is not about
 * the token).
 *
 * @example
 * ```ts
 * const action: ApnsTokenAction = apns.handleResponse(token, 403, "ExpiredProviderToken");
 * ```
 */
export type ApnsTokenAction = "remint" | "keep" | "none";

/**
 * A {@link TokenProvider} of APNs provider tokens that keeps Apple's rotation rules: `invalidate`
 * returns whether it dropped the token (never one under 20 minutes old), and `handleResponse`
 * does what an APNs answer about the token asks.
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
   * Acts on an APNs answer about `token`. `status` is the HTTP status, `reason` the `reason` of
   * the JSON body (`{"reason":"ExpiredProviderToken"}`).
   *
   * - 403 `ExpiredProviderToken` or `InvalidProviderToken`: `"remint"`. The token is dropped at
   *   once, whatever its age, and a store's copy is replaced: the next `getToken()` gives a new
   *   token (the 20-minute rule protects against needless updates, not a refused token). When the
   *   token is one this provider signed itself, a new one cannot help: `InvalidProviderToken`
   *   throws `APNS_TOKEN_REJECTED` naming the key, Team ID and key ID, and
   *   `ExpiredProviderToken` for a token under 20 minutes old throws it naming this machine's
   *   clock.
   * - 429 `TooManyProviderTokenUpdates`: `"keep"`; a new token would make it worse.
   * - `BadEnvironmentKeyInToken`: throws `APNS_TOKEN_REJECTED` naming the key's environment.
   * - Anything else (200, `BadDeviceToken`, `TooManyRequests`, …): `"none"`.
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
 * workers: share one token through a `store` (docs/fleet.md).
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
 *   apns.handleResponse(token, res.status, reason); // "remint": send again with getToken()
 * }
 * ```
 */
export const createApnsTokenProvider = (options: ApnsTokenProviderOptions): ApnsTokenProvider => {
  // The caller's options are read once, here; the engine reads this snapshot.
  const { base, read } = readProviderOptions(createApnsToken, options);
  const engine = providerEngine(createApnsToken, read as unknown as ApnsTokenProviderOptions);
  const { provider } = engine;
  // iat is backdated by clockTolerance: a token is minted that many seconds after its iat.
  const minAge = APNS_MIN_INTERVAL + (base.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE);
  const now = base.now;
  /** The cached token, when `token` is it or is left out. */
  const current = (token?: string) => {
    const cached = engine.cached();
    return cached && (token === undefined || token === cached.info.token) ? cached : undefined;
  };
  const invalidate = (token?: string): boolean => {
    const cached = current(token);
    if (!cached || epochSeconds(now) - cached.info.issuedAt < minAge) return false;
    provider.invalidate(cached.info.token);
    return true;
  };
  const refused = (token: string, status: number, reason: string): ApnsTokenAction => {
    const cached = current(token);
    if (cached?.own && reason === "InvalidProviderToken") {
      throw fail(
        "APNS_TOKEN_REJECTED",
        `APNs answered ${String(status)} InvalidProviderToken: the key, the Team ID (iss) or the ` +
          "key ID (kid) is wrong, or the key is revoked or not enabled for APNs. A new token " +
          "cannot fix this; check teamId, keyId and the .p8 file",
      );
    }
    const age = cached ? epochSeconds(now) - cached.info.issuedAt : undefined;
    if (cached?.own && age !== undefined && age < minAge) {
      throw fail(
        "APNS_TOKEN_REJECTED",
        `APNs answered ${String(status)} ExpiredProviderToken for a token signed ${String(age)} ` +
          "s ago: this machine's clock is behind Apple's (APNs expires a token an hour after " +
          "its iat). Set the clock right (NTP) or pass now; a new token cannot fix this",
      );
    }
    // A token from the store (or an older one): replaced now, here and in the store.
    if (cached) provider.invalidate(cached.info.token);
    return "remint";
  };

  return Object.freeze({
    getToken: () => provider.getToken(),
    getTokenInfo: () => provider.getTokenInfo(),
    invalidate,
    authorization: () => provider.authorization(),
    handleResponse: (token: string, status: number, reason?: string): ApnsTokenAction => {
      if (status === 403 && reason === "ExpiredProviderToken") {
        return refused(token, status, reason);
      }
      if (reason === "InvalidProviderToken") return refused(token, status, reason);
      if (reason === "TooManyProviderTokenUpdates") return "keep";
      if (reason === "BadEnvironmentKeyInToken") {
        throw fail(
          "APNS_TOKEN_REJECTED",
          `APNs answered ${String(status)} BadEnvironmentKeyInToken: the key is limited to ` +
            "sandbox or to production and this request went to the other environment. Send to " +
            "api.sandbox.push.apple.com or api.push.apple.com to match the key, or use a key " +
            "for both",
        );
      }
      return "none";
    },
  });
};
