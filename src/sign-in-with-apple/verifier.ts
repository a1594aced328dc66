// verifier: one object per app that verifies Sign in with Apple identity tokens and
// server-to-server notifications against Apple's key set, which it caches (jwks.ts). Its options
// are read once.

import { fail } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import type { FetchLike } from "../provider/fetch.js";
import { readOptions } from "../lib/options.js";
import { type Clock, epochSeconds } from "../lib/time.js";
import { oneOrMany, validIdentifier } from "../lib/validate.js";
import { type SignInWithAppleIdToken, type VerifyIdTokenOptions, readIdToken } from "./id-token.js";
import { wholeNumber } from "./http.js";
import { APPLE_KEYS_URL, keyLookup, readKeySet } from "./jwks.js";
import { type Expected, verifySignature } from "./jwt.js";
import { type SignInWithAppleNotification, payloadOf, readNotification } from "./notifications.js";
import {
  DEFAULT_CLOCK_TOLERANCE,
  DEFAULT_KEYS_MAX_AGE,
  DEFAULT_KEYS_REFETCH_INTERVAL,
  DEFAULT_KEYS_TIMEOUT,
} from "../lib/defaults.js";

/**
 * Options for {@link createSignInWithAppleVerifier}. Nothing here is mutated or kept but the key
 * set's copy.
 *
 * @example
 * ```ts
 * const options: SignInWithAppleVerifierOptions = {
 *   clientId: ["com.example.app", "com.example.web"],
 *   timeout: 3000,
 * };
 * ```
 */
export interface SignInWithAppleVerifierOptions {
  /**
   * The client ID (`aud`) tokens must be for: your App ID (bundle ID) for native sign-ins, your
   * Services ID for the web; a list when both sign in. Required.
   */
  clientId: string | readonly string[];
  /**
   * Apple's keys pinned as a JWK set (`{ keys: [...] }`, or its JSON text): nothing is fetched.
   * Default: fetched from `jwksUrl`.
   */
  keys?: unknown;
  /** Where the key set is fetched from. Default `https://appleid.apple.com/auth/keys`. */
  jwksUrl?: string | undefined;
  /** The `fetch` that gets the key set. Default: the global `fetch`, looked up at call time. */
  fetchImpl?: FetchLike | undefined;
  /** Milliseconds the key set's fetch may take, answer included. Default 5000, at most 60000. */
  timeout?: number | undefined;
  /** Seconds a fetched key set is used. Default 3600, at most 86400. */
  cacheMaxAge?: number | undefined;
  /**
   * Seconds between two fetches caused by a `kid` not in the set (a rotation). Default 60, at
   * least 1.
   */
  refetchInterval?: number | undefined;
  /** Seconds of clock skew allowed on `exp` and `iat`. Default 60, at most 300. */
  clockTolerance?: number | undefined;
  /** The clock: a `Date` or a function returning epoch ms. Default `Date.now`. */
  now?: Clock | undefined;
}

/**
 * Verifies what Sign in with Apple sends your server. Made by
 * {@link createSignInWithAppleVerifier}; keep one per process so its key set is fetched once.
 *
 * @example
 * ```ts
 * const verifier: SignInWithAppleVerifier = createSignInWithAppleVerifier({
 *   clientId: "com.example.app",
 * });
 * ```
 */
export interface SignInWithAppleVerifier {
  /**
   * The claims of a verified identity token (`id_token`): RS256 signature by the Apple key its
   * `kid` names, `iss`, `aud`, `exp`, `iat`, and `nonce` when given.
   */
  verifyIdToken(idToken: string, options?: VerifyIdTokenOptions): Promise<SignInWithAppleIdToken>;
  /**
   * The verified notification of a server-to-server notification body (`{ "payload": "<JWS>" }`,
   * as text or parsed), with its `events` parsed into one typed event.
   */
  verifyNotification(body: unknown): Promise<SignInWithAppleNotification>;
}

const NAMES = [
  "clientId",
  "keys",
  "jwksUrl",
  "fetchImpl",
  "timeout",
  "cacheMaxAge",
  "refetchInterval",
  "clockTolerance",
  "now",
];
const SHAPE = '{ clientId: "com.example.app" }';

/**
 * Makes a {@link SignInWithAppleVerifier}: verifies Sign in with Apple identity tokens and
 * server-to-server notifications with WebCrypto alone, in every runtime. The key is the one of
 * Apple's key set whose `kid` the token names (never the first); the set is fetched from
 * `https://appleid.apple.com/auth/keys` when first needed, kept `cacheMaxAge` seconds (3600), and
 * refetched when a token names a `kid` it lacks, at most once per `refetchInterval` (60 s), one
 * fetch shared by every caller waiting. Only RS256 is accepted. `exp` and `iat` allow
 * `clockTolerance` (60 s) of skew. Pass `keys` to pin a key set (tests, or no outbound network).
 *
 * Errors (all `AscTokenError`): `SIWA_TOKEN_MALFORMED`, `SIWA_TOKEN_HEADER_INVALID`,
 * `SIWA_KEY_NOT_FOUND`, `SIWA_SIGNATURE_INVALID`, `SIWA_CLAIM_INVALID`, `SIWA_AUDIENCE_MISMATCH`,
 * `SIWA_TOKEN_EXPIRED`, `SIWA_NONCE_MISMATCH`, `SIWA_NOTIFICATION_MALFORMED`,
 * `SIWA_KEYS_UNAVAILABLE`, `SIWA_KEYS_MALFORMED`; for the options, `INVALID_OPTIONS`,
 * `UNKNOWN_OPTION`, `INVALID_CLIENT_ID`, `INVALID_NOW`. No message shows a token.
 *
 * @example
 * ```ts
 * import { createSignInWithAppleVerifier } from "asc-token";
 * const apple = createSignInWithAppleVerifier({ clientId: "com.example.app" });
 * const user = await apple.verifyIdToken(idToken, { nonce: expectedNonce });
 * console.log(user.sub, user.email, user.email_verified);
 * ```
 */
export const createSignInWithAppleVerifier = (
  options: SignInWithAppleVerifierOptions,
): SignInWithAppleVerifier => {
  const read = readOptions(options, NAMES, SHAPE);
  const ids = oneOrMany(read.clientId);
  if (ids.length === 0) {
    throw fail(
      "INVALID_CLIENT_ID",
      "clientId must be an App ID or Services ID, or a non-empty list of them; " +
        `got ${showValue(read.clientId)}`,
    );
  }
  const audiences = ids.map((id) =>
    validIdentifier(id, "clientId", "the App ID or Services ID tokens are for"),
  );
  const pinned = read.keys !== undefined;
  if (pinned && (read.jwksUrl !== undefined || read.fetchImpl !== undefined)) {
    throw fail("INVALID_OPTIONS", "keys pins the key set: leave jwksUrl and fetchImpl out");
  }
  const url = read.jwksUrl ?? APPLE_KEYS_URL;
  if (typeof url !== "string" || !/^https?:\/\/[^\s]+$/.test(url)) {
    throw fail("INVALID_OPTIONS", `jwksUrl must be an http(s) URL; got ${showValue(url)}`);
  }
  if (read.fetchImpl !== undefined && typeof read.fetchImpl !== "function") {
    throw fail(
      "INVALID_OPTIONS",
      `fetchImpl must be a function like fetch; got ${showValue(read.fetchImpl)}`,
    );
  }
  const timeoutMs = wholeNumber(read.timeout, DEFAULT_KEYS_TIMEOUT, [1, 60_000], "timeout");
  const cacheMaxAge = wholeNumber(
    read.cacheMaxAge,
    DEFAULT_KEYS_MAX_AGE,
    [1, 86_400],
    "cacheMaxAge",
  );
  const refetchInterval = wholeNumber(
    read.refetchInterval,
    DEFAULT_KEYS_REFETCH_INTERVAL,
    [1, 86_400],
    "refetchInterval",
  );
  const clockTolerance = wholeNumber(
    read.clockTolerance,
    DEFAULT_CLOCK_TOLERANCE,
    [0, 300],
    "clockTolerance",
  );
  const now = read.now as Clock | undefined;
  epochSeconds(now); // a broken clock fails here, not on the first token

  const keys = pinned ? readKeySet(read.keys) : undefined;
  // A pinned set that fails to read fails every call with its error, not as unhandled.
  keys?.catch(() => undefined);
  const lookup = keyLookup({
    keys,
    url,
    fetchImpl: read.fetchImpl as FetchLike | undefined,
    timeoutMs,
    cacheMaxAge,
    refetchInterval,
    now,
  });
  const expected = (): Expected => ({ audiences, now: epochSeconds(now), clockTolerance });

  return {
    verifyIdToken: async (idToken, callOptions = {}) => {
      const given = readOptions(callOptions, ["nonce"], "{ nonce }").nonce;
      if (given !== undefined && (typeof given !== "string" || !given || given.length > 1024)) {
        throw fail("INVALID_OPTIONS", `nonce must be the string you sent; got ${showValue(given)}`);
      }
      const claims = await verifySignature(idToken, "identity token", lookup);
      return readIdToken(claims, expected(), given);
    },
    verifyNotification: async (body) => {
      const claims = await verifySignature(payloadOf(body), "notification", lookup);
      return readNotification(claims, expected());
    },
  };
};
