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
// kept for its stated lifetime less a margin, and one exchange serves every concurrent caller.

import { type AscTokenErrorCode, fail, summarize } from "./errors.js";
import type { FetchLike } from "./fetch.js";
import { type MapKitTokenOptions, createMapKitToken } from "./kinds/mapkit.js";
import type { TokenInfo, TokenProvider } from "./provider.js";
import { readOptions } from "./options.js";
import { epochSeconds, wholeSeconds } from "./time.js";
import type { Declared } from "./token.js";

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
   * default 60; never more than half the lifetime Apple states, so a token is always reused.
   */
  refreshBefore?: number | undefined;
  /** The `fetch` that calls Apple. Default: the global `fetch`, looked up at call time. */
  fetchImpl?: FetchLike | undefined;
}

const TOKEN_URL = "https://maps-api.apple.com/v1/token";
const DEFAULT_REFRESH_BEFORE = 60;

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
      `answered 200 without an accessToken string; got ${summarize(accessToken)}`,
    );
  }
  if (!Number.isSafeInteger(expiresInSeconds) || (expiresInSeconds as number) < 1) {
    throw answer(
      "MAPS_TOKEN_RESPONSE_MALFORMED",
      "answered 200 without expiresInSeconds in whole seconds >= 1; " +
        `got ${summarize(expiresInSeconds)}`,
    );
  }
  return { token: accessToken, lifetime: expiresInSeconds as number };
};

/**
 * A {@link TokenProvider} of Maps Server API access tokens. Each exchange mints a MapKit JWT with
 * {@link createMapKitToken} and sends it to `GET https://maps-api.apple.com/v1/token`; the access
 * token Apple answers with is reused until `refreshBefore` seconds (default 60) before its stated
 * `expiresInSeconds` run out (counted from when the request was sent), and concurrent callers share
 * one exchange. A failed exchange rejects its callers and the next call tries again.
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
  const { optionNames } = createMapKitToken as unknown as Declared;
  const names = [...optionNames, "refreshBefore", "fetchImpl"];
  const read = readOptions(options, names, "{ keyId, teamId, privateKey }");
  const {
    refreshBefore: given,
    fetchImpl,
    ...mapKit
  } = read as unknown as MapsAccessTokenProviderOptions;
  const refreshBefore = wholeSeconds(
    given,
    DEFAULT_REFRESH_BEFORE,
    0,
    "INVALID_REFRESH_BEFORE",
    "refreshBefore",
  );
  if (fetchImpl !== undefined && typeof fetchImpl !== "function") {
    throw fail(
      "INVALID_OPTIONS",
      `fetchImpl must be a function like fetch; got ${summarize(fetchImpl)}`,
    );
  }
  epochSeconds(mapKit.now); // throws INVALID_NOW for a bad clock now rather than on first use

  let cached: { info: TokenInfo; margin: number } | undefined;
  let pending: Promise<TokenInfo> | undefined;
  /** Bumped by invalidate(): an exchange started under an older generation is never cached. */
  let generation = 0;

  const exchange = async (): Promise<{ info: TokenInfo; margin: number }> => {
    const jwt = await createMapKitToken(mapKit);
    const issuedAt = epochSeconds(mapKit.now);
    let response: Response;
    try {
      response = await (fetchImpl ?? fetch)(TOKEN_URL, {
        headers: { Authorization: `Bearer ${jwt}` },
      });
    } catch (cause) {
      throw answer("MAPS_TOKEN_REQUEST_FAILED", "failed before Apple answered", cause);
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw answer("MAPS_TOKEN_REFUSED", `answered ${response.status}: ${hint(response.status)}`);
    }
    const { token, lifetime } = await readAnswer(response);
    return {
      info: Object.freeze({ token, issuedAt, expiresAt: issuedAt + lifetime }),
      margin: Math.min(refreshBefore, Math.floor(lifetime / 2)),
    };
  };

  const getTokenInfo = async (): Promise<TokenInfo> => {
    if (cached && cached.info.expiresAt - epochSeconds(mapKit.now) > cached.margin) {
      return cached.info;
    }
    if (!pending) {
      const started = generation;
      const flight = exchange();
      pending = flight.then(({ info }) => info);
      // Registered before any caller awaits `pending`, so the cache is updated before they resume.
      void flight.then(
        (entry) => {
          if (started !== generation) return;
          cached = entry;
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
      if (token !== undefined && token !== cached?.info.token) return;
      cached = undefined;
      pending = undefined;
      generation++;
    },
    authorization: async (): Promise<string> => `Bearer ${await getToken()}`,
  });
};
