// maps-access: the Maps Server API's second step. A MapKit JWT (scope server_api) is exchanged at
// GET https://maps-api.apple.com/v1/token for a short-lived access token, which the other Maps
// Server API endpoints take as their Bearer token.
//
// Apple, "Generate a Maps token",
// https://developer.apple.com/documentation/applemapsserverapi/-v1-token : request
// `Authorization: Bearer <maps_auth_token>`, answer `{ "accessToken": "<maps_access_token>",
// "expiresInSeconds": 1800 }` (TokenResponse: "An object that contains an access token and an
// expiration time in seconds",
// https://developer.apple.com/documentation/applemapsserverapi/tokenresponse). The access token is
// kept for its stated lifetime (at most 30 minutes, Apple's documented value) less a margin, on the
// providers' engine: one exchange serves every concurrent caller, a slow one times out, a failed
// refresh serves the still-good token.

import { createEngine } from "./engine.js";
import { type AscTokenError, type AscTokenErrorCode, fail, invalid } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import type { FetchLike } from "./fetch.js";
import { type MapKitTokenOptions, mapKitKind } from "../kinds/mapkit.js";
import type { TokenProvider } from "./token-provider.js";
import { epochSeconds, wholeSeconds } from "../lib/time.js";
import { mintKind, readKindOptions } from "../kinds/kind.js";
import { DEFAULT_MINT_TIMEOUT, DEFAULT_REFRESH_BEFORE } from "../lib/defaults.js";

/**
 * Options for {@link createMapsAccessTokenProvider}: those of {@link createMapKitToken} (the token
 * sent to `/v1/token`), plus how early to replace the access token and which `fetch` to use.
 *
 * @example
 * ```ts
 * const options: MapsAccessTokenProviderOptions = {
 *   keyId,
 *   teamId,
 *   privateKey: pem,
 *   scope: "server_api",
 * };
 * ```
 */
export interface MapsAccessTokenProviderOptions extends MapKitTokenOptions {
  /**
   * Seconds before the access token's stated expiry at which it is replaced. Whole seconds `>= 0`,
   * default {@link DEFAULT_REFRESH_BEFORE}; never more than half the lifetime Apple states, so a
   * token is always reused.
   */
  refreshBefore?: number | undefined;
  /** The `fetch` that calls Apple. Default: the global `fetch`, looked up at call time. */
  fetchImpl?: FetchLike | undefined;
  /**
   * Told of every fault the caller does not see: a refresh that failed while the cached access
   * token was still good for more than 30 s (that token is served, and the exchange is retried on
   * a later call, at most every 5 s). A callback that throws is ignored.
   */
  onError?: ((error: AscTokenError) => void) | undefined;
  /**
   * Milliseconds an exchange (signing and Apple's answer) may take before its callers get
   * `MINT_TIMEOUT` and the next call tries again. Whole ms `>= 1`, default 10000.
   */
  mintTimeout?: number | undefined;
}

const TOKEN_URL = "https://maps-api.apple.com/v1/token";
/**
 * The longest access-token lifetime believed, in seconds: Apple documents 1800. A longer stated
 * lifetime (a proxy's mistake, 2^53) is cut to this, so the token is replaced in time.
 */
const MAX_LIFETIME = 1800;
const OWN_OPTIONS = ["refreshBefore", "fetchImpl", "onError", "mintTimeout"];

/** What to do about a status Apple answered `/v1/token` with, for the message. */
const hint = (status: number): string =>
  status === 401
    ? "Apple refused the Maps token: check keyId, teamId, that the key has Maps enabled, and " +
      "scope/origin"
    : status === 429
      ? "too many requests: call again later"
      : "call again later";

/** An error about Apple's answer; never the JWT sent nor the access token received. */
const answer = (code: AscTokenErrorCode, problem: string, cause?: unknown) =>
  fail(code, `GET ${TOKEN_URL} ${problem}`, cause);

/** The access token and its lifetime from Apple's 200 answer, checked. */
const readAnswer = async (response: Response): Promise<{ token: string; lifetime: number }> => {
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw answer(
      "MAPS_TOKEN_RESPONSE_MALFORMED",
      "answered 200 with a body that is not JSON",
      cause,
    );
  }
  const { accessToken, expiresInSeconds } = (body ?? {}) as Record<string, unknown>;
  if (typeof accessToken !== "string" || !accessToken) {
    throw answer(
      "MAPS_TOKEN_RESPONSE_MALFORMED",
      `answered 200 without an accessToken string; got ${showValue(accessToken)}`,
    );
  }
  if (!Number.isSafeInteger(expiresInSeconds) || (expiresInSeconds as number) < 1) {
    throw answer(
      "MAPS_TOKEN_RESPONSE_MALFORMED",
      "answered 200 without expiresInSeconds in whole seconds >= 1; " +
        `got ${showValue(expiresInSeconds)}`,
    );
  }
  return { token: accessToken, lifetime: Math.min(expiresInSeconds as number, MAX_LIFETIME) };
};

/**
 * A {@link TokenProvider} of Maps Server API access tokens. Each exchange mints a MapKit JWT with
 * {@link createMapKitToken} and sends it to `GET https://maps-api.apple.com/v1/token`; the access
 * token Apple answers with is reused until `refreshBefore` seconds (default
 * {@link DEFAULT_REFRESH_BEFORE}) before its stated `expiresInSeconds` (at most 1800) run out
 * (counted from when the request was sent), and concurrent callers share one exchange. A failed
 * exchange rejects its callers and the next call tries again; one that fails while the cached
 * access token is still good serves that token and tells `onError`; one that takes over
 * `mintTimeout` ms rejects with `MINT_TIMEOUT`.
 * `issuedAt`/`expiresAt` of {@link TokenProvider.getTokenInfo} are epoch seconds from `now`.
 * Works with {@link createAuthorizedFetch}: a 401 from a Maps endpoint drops the access token and
 * retries once with a new one.
 *
 * Errors: `MAPS_TOKEN_REFUSED` (Apple answered other than 200; the status is in the message),
 * `MAPS_TOKEN_REQUEST_FAILED` (no answer; `cause` holds the fetch error),
 * `MAPS_TOKEN_RESPONSE_MALFORMED`, and those of createMapKitToken. No message holds a token.
 *
 * @example
 * ```ts
 * import { createAuthorizedFetch, createMapsAccessTokenProvider } from "asc-token";
 * const maps = createMapsAccessTokenProvider({
 *   keyId: "2X9R4HXF34",
 *   teamId: "DEF123GHIJ",
 *   privateKey: process.env.MAPS_PRIVATE_KEY!,
 *   scope: "server_api",
 * });
 * const mapsFetch = createAuthorizedFetch(maps);
 * const places = await (await mapsFetch("https://maps-api.apple.com/v1/search?q=coffee")).json();
 * ```
 */
export const createMapsAccessTokenProvider = (
  options: MapsAccessTokenProviderOptions,
): TokenProvider => {
  const read = readKindOptions(mapKitKind, options, OWN_OPTIONS);
  const mapKit: Record<string, unknown> = {};
  for (const name in read) if (!OWN_OPTIONS.includes(name)) mapKit[name] = read[name];
  const { fetchImpl, onError } = read;
  const refreshBefore = wholeSeconds(
    read.refreshBefore,
    DEFAULT_REFRESH_BEFORE,
    0,
    "INVALID_REFRESH_BEFORE",
    "refreshBefore",
  );
  if (fetchImpl !== undefined && typeof fetchImpl !== "function") {
    throw fail(
      "INVALID_OPTIONS",
      `fetchImpl must be a function like fetch; got ${showValue(fetchImpl)}`,
    );
  }
  if (onError !== undefined && typeof onError !== "function") {
    throw invalid("INVALID_OPTIONS", "onError", "a function (error) => void", onError);
  }
  const mintTimeout = (read.mintTimeout ?? DEFAULT_MINT_TIMEOUT) as number;
  if (!Number.isSafeInteger(mintTimeout) || mintTimeout < 1 || mintTimeout > 2_147_483_647) {
    throw invalid("INVALID_OPTIONS", "mintTimeout", "whole milliseconds from 1", mintTimeout);
  }
  const jwtOptions = mapKit as unknown as MapKitTokenOptions;
  epochSeconds(jwtOptions.now); // throws INVALID_NOW for a bad clock now rather than on first use
  // Every MapKit option but the key is checked now, not on the first request.
  mapKitKind.build(jwtOptions);

  const exchange = async () => {
    const { token: jwt } = await mintKind(mapKitKind, jwtOptions, jwtOptions.privateKey);
    const issuedAt = epochSeconds(jwtOptions.now);
    let response: Response;
    try {
      response = await ((fetchImpl as FetchLike | undefined) ?? fetch)(TOKEN_URL, {
        headers: { Authorization: `Bearer ${jwt}` },
      });
    } catch (cause) {
      throw answer("MAPS_TOKEN_REQUEST_FAILED", "failed before Apple answered", cause);
    }
    if (response.status !== 200) {
      try {
        // Frees the connection; a body that cannot be cancelled (node-fetch 3's stream, a locked
        // one) changes nothing about the answer.
        await response.body?.cancel();
      } catch {
        // The status is the answer.
      }
      throw answer("MAPS_TOKEN_REFUSED", `answered ${response.status}: ${hint(response.status)}`);
    }
    const { token, lifetime } = await readAnswer(response);
    return {
      info: Object.freeze({ token, issuedAt, expiresAt: issuedAt + lifetime }),
      own: true,
    };
  };

  return createEngine({
    mint: exchange,
    now: jwtOptions.now,
    // Never more than half the lifetime, so a token is always reused.
    margin: (info) => Math.min(refreshBefore, Math.floor((info.expiresAt - info.issuedAt) / 2)),
    report: (error) => {
      try {
        (onError as ((error: AscTokenError) => void) | undefined)?.(error as AscTokenError);
      } catch {
        // A failing reporter must not fail the call it reports on.
      }
    },
    mintTimeout,
    waitsOn: "network or fetchImpl",
  }).provider;
};
