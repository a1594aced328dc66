import { showValue } from "./redact.js";

/**
 * Every failure asc-token reports has one of these stable codes. Match on `code`, not on the
 * message text (messages may be reworded; codes never change within a major version).
 *
 * @example
 * ```ts
 * if (isAscTokenError(err) && err.code === "LIFETIME_TOO_LONG") console.error("lower expiresIn");
 * ```
 */
export type AscTokenErrorCode =
  /** `options` is not an object (or `checkAscToken` got a `kind` it does not know). */
  | "INVALID_OPTIONS"
  /** `options` has a name the function does not take (a typo such as `issuerID` for `issuerId`). */
  | "UNKNOWN_OPTION"
  /**
   * `keyId` is not a 10-character key ID (`A-Z0-9`) of a `.p8` key, or not the Key ID Apple
   * Business Manager, Apple School Manager or Apple Ads shows (a UUID).
   */
  | "INVALID_KEY_ID"
  /** `issuerId` is not a UUID (or is missing where the token needs one). */
  | "INVALID_ISSUER_ID"
  /**
   * `teamId` is not a 10-character Apple Developer Team ID (`A-Z0-9`), or (Apple Ads) not the
   * `SEARCHADS.…` team ID Apple Ads shows.
   */
  | "INVALID_TEAM_ID"
  /**
   * `bundleId` is not a bundle ID (letters, digits, hyphens and periods, e.g. `com.example.app`).
   */
  | "INVALID_BUNDLE_ID"
  /**
   * `clientId` is not an App ID or Services ID like `com.example.web` (Sign in with Apple), or not
   * the client ID the portal shows, like `BUSINESSAPI.…` or `SEARCHADS.…`.
   */
  | "INVALID_CLIENT_ID"
  /** `serviceId` (WeatherKit) is not a Services ID like `com.example.weather`. */
  | "INVALID_SERVICE_ID"
  /** `nonce` (in-app JWS, promotional offer signature) is not a UUID. */
  | "INVALID_NONCE"
  /** `productId` (promotional offer signature) is empty, not a string, or holds U+2063. */
  | "INVALID_PRODUCT_ID"
  /** `offerIdentifier` (promotional offer signature) is empty, not a string, or holds U+2063. */
  | "INVALID_OFFER_IDENTIFIER"
  /**
   * `appAccountToken` (promotional offer signature) is not a UUID, or is given with
   * `applicationUsername`.
   */
  | "INVALID_APP_ACCOUNT_TOKEN"
  /**
   * `applicationUsername` (promotional offer signature) is not a string, or holds U+2063; or was
   * signed where only an `appAccountToken` fits (Retention Messaging).
   */
  | "INVALID_APPLICATION_USERNAME"
  /**
   * `claims` (in-app JWS) is not a plain object of JSON values, or sets a claim asc-token sets
   * (`iss`, `iat`, `aud`, `bid`, `nonce`) or `exp`.
   */
  | "INVALID_CLAIMS"
  /**
   * `origin` is not a non-empty list of origins like `https://example.com` (or is missing where the
   * MapKit scope needs one).
   */
  | "INVALID_ORIGIN"
  /** `audience` is not one Apple accepts for this token. */
  | "INVALID_AUDIENCE"
  /** `expiresIn` is not a positive whole number of seconds. */
  | "INVALID_EXPIRES_IN"
  /** `clockTolerance` is not a whole number of seconds in `0 ≤ t < expiresIn`. */
  | "INVALID_CLOCK_TOLERANCE"
  /**
   * `now` is not a `Date` or a function returning epoch milliseconds, or is before 2018-01-01
   * (a fake timer started at 0).
   */
  | "INVALID_NOW"
  /**
   * `scope` is not a non-empty array of `"METHOD /vN/path?query"` strings (App Store Connect), or
   * of Apple Maps scopes like `"server_api"` (MapKit), or not `"business.api"` or `"school.api"`
   * (Apple Business Manager).
   */
  | "INVALID_SCOPE"
  /** The lifetime is longer than Apple accepts for this token (and scope). */
  | "LIFETIME_TOO_LONG"
  /** No private key was given (undefined, null, empty or whitespace only). */
  | "KEY_MISSING"
  /**
   * The key is not PEM, base64 or DER that can be read (bad base64, truncated, mismatched armor),
   * or not a key at all (a signer not wrapped by `signerKey`).
   */
  | "KEY_MALFORMED"
  /** The key is encrypted (password-protected); Apple's `.p8` files are not. */
  | "KEY_ENCRYPTED"
  /**
   * The text holds more than one private key PEM block (two files pasted together, or a pooled
   * Node `Buffer`'s whole `.buffer`), so which one to sign with is unknown.
   */
  | "KEY_AMBIGUOUS"
  /** The key is not an EC key (RSA, Ed25519, ...). */
  | "KEY_UNSUPPORTED_TYPE"
  /** The key is an EC key on a curve other than P-256. */
  | "KEY_UNSUPPORTED_CURVE"
  /** A public key or certificate was given where the private key belongs. */
  | "KEY_NOT_PRIVATE"
  /** A `CryptoKey` was given that is not a private ECDSA P-256 key with `sign` usage. */
  | "KEY_INVALID_CRYPTOKEY"
  /** WebCrypto refused to import the key. */
  | "KEY_IMPORT_FAILED"
  /** `crypto.subtle` is missing (an insecure browser context, or a very old runtime). */
  | "CRYPTO_UNAVAILABLE"
  /**
   * WebCrypto failed to sign, or a signer (`signerKey`) threw or rejected (its error is the
   * `cause`).
   */
  | "SIGN_FAILED"
  /**
   * A signer (`signerKey`) did not return a Promise of a P-256 ECDSA signature (DER, or
   * 64-byte `r||s`, with 0 < r, s < n).
   */
  | "SIGNER_OUTPUT_INVALID"
  /**
   * `signatureFromDer` or `signatureToDer` was given bytes that are not a P-256 ECDSA signature in
   * the form it reads.
   */
  | "SIGNATURE_MALFORMED"
  /**
   * The string given as a token is not a compact JWT: three base64url parts, a JSON object header
   * and claims.
   */
  | "TOKEN_MALFORMED"
  /**
   * `refreshBefore` is not whole seconds >= 0, or leaves a freshly minted token no time to be
   * reused.
   */
  | "INVALID_REFRESH_BEFORE"
  /** `maxAge` is not whole seconds >= 1, or is missing for a token that has no `exp` claim. */
  | "INVALID_MAX_AGE"
  /**
   * Apple Maps answered `GET /v1/token` with a status other than 200 (401: the Maps token was
   * refused).
   */
  | "MAPS_TOKEN_REFUSED"
  /**
   * The request to Apple Maps' `GET /v1/token` failed before any answer (network, DNS, TLS, `fetch`
   * missing).
   */
  | "MAPS_TOKEN_REQUEST_FAILED"
  /** Apple Maps answered 200 but not with `{ accessToken, expiresInSeconds }`. */
  | "MAPS_TOKEN_RESPONSE_MALFORMED"
  /**
   * Apple's OAuth token endpoint (Apple Business Manager, Apple Ads) refused the client assertion
   * or secret (`invalid_client`, or a 401): wrong client ID, key ID or team ID, or a revoked key.
   */
  | "OAUTH_INVALID_CLIENT"
  /** Apple's OAuth token endpoint refused the scope (`invalid_scope`). */
  | "OAUTH_INVALID_SCOPE"
  /** Apple's OAuth token endpoint answered 4xx with another OAuth `error` (named in the text). */
  | "OAUTH_INVALID_REQUEST"
  /**
   * Apple's OAuth token endpoint answered 429, or did a moment ago and its `Retry-After` has not
   * passed (no request is sent until then).
   */
  | "OAUTH_RATE_LIMITED"
  /** Apple's OAuth token endpoint answered 5xx or another status without an OAuth `error`. */
  | "OAUTH_UNAVAILABLE"
  /**
   * The request to Apple's OAuth token endpoint got no complete answer (network, DNS, TLS, the
   * timeout, no `fetch`).
   */
  | "OAUTH_REQUEST_FAILED"
  /**
   * Apple's OAuth token endpoint answered 200 without `{ access_token, expires_in }`, or with a
   * body over 64 KiB.
   */
  | "OAUTH_RESPONSE_MALFORMED"
  /** Apple's signed data is not a compact JWS of base64url JSON (or an x5c entry is not base64). */
  | "SIGNED_DATA_MALFORMED"
  /**
   * The signed data's header is not Apple's: `alg` not `ES256`, `x5c` not three certificates, or
   * `jwk`/`jku`/`x5u`/`crit`.
   */
  | "SIGNED_DATA_HEADER_INVALID"
  /**
   * The root certificate in `x5c` is not byte-identical to a trusted root (Apple Root CA - G3 by
   * default).
   */
  | "CHAIN_UNTRUSTED_ROOT"
  /**
   * The `x5c` chain is not Apple's: unreadable, names or signatures that do not chain, a missing
   * Apple OID, CA flag or key usage, an unsupported algorithm.
   */
  | "CHAIN_INVALID"
  /**
   * The signed data is longer than any Apple signs (1 MiB; a notification with its nested
   * transaction and renewal info is about 20 kB): refused unread.
   */
  | "SIGNED_DATA_TOO_LARGE"
  /**
   * A certificate in the signed data's `x5c` is longer than any Apple issues (8 KiB of DER;
   * Apple's are about 1 kB): refused unread.
   */
  | "CERTIFICATE_TOO_LARGE"
  /**
   * The verified payload is not the kind the method reads (a transaction given to
   * `verifyNotification`, a notification to `verifyTransaction`, ...): it lacks the fields Apple
   * documents as always present for that kind.
   */
  | "UNEXPECTED_PAYLOAD_KIND"
  /** A certificate of the chain expired before the effective date. */
  | "CERTIFICATE_EXPIRED"
  /** A certificate of the chain is not valid yet at the effective date. */
  | "CERTIFICATE_NOT_YET_VALID"
  /** The JWS signature does not verify with the leaf certificate's key. */
  | "SIGNATURE_INVALID"
  /** The verified payload is for another bundle ID than the `bundleId` expected. */
  | "UNEXPECTED_BUNDLE_ID"
  /** The verified production payload is for another app than the `appAppleId` expected. */
  | "UNEXPECTED_APP_APPLE_ID"
  /**
   * The verified payload is from another environment than the one expected (or from Xcode or local
   * testing).
   */
  | "UNEXPECTED_ENVIRONMENT"
  /**
   * A provider's mint (key import, signing, a signer or store it waits on) took longer than
   * `mintTimeout`; the next call mints again.
   */
  | "MINT_TIMEOUT"
  /**
   * APNs answered 403 `InvalidProviderToken` (wrong key, Team ID or key ID) or
   * `BadEnvironmentKeyInToken` (a key limited to the other environment): a new token cannot fix it.
   */
  | "APNS_TOKEN_REJECTED"
  /**
   * A shared token store failed, hung or answered nonsense; the token was minted locally (reported
   * to `onError`, never thrown).
   */
  | "STORE_UNAVAILABLE"
  /**
   * `createAuthorizedFetch` followed 20 redirects without an answer (a redirect loop), as the
   * Fetch standard's network error.
   */
  | "TOO_MANY_REDIRECTS"
  /**
   * A Sign in with Apple identity token or notification payload is not a compact JWS of base64url
   * JSON, or is over 16,384 characters.
   */
  | "SIWA_TOKEN_MALFORMED"
  /**
   * The token's header is not Apple's: `alg` not `RS256` (`none`, `HS256`, `ES256` ...), no `kid`,
   * or a parameter that names or fetches another key (`jwk`, `jku`, `x5u`, `x5c`, `crit`).
   */
  | "SIWA_TOKEN_HEADER_INVALID"
  /** The token's `kid` is not in Apple's key set even after a refetch, or names no RS256 key. */
  | "SIWA_KEY_NOT_FOUND"
  /** The token's RS256 signature does not verify with the Apple key its `kid` names. */
  | "SIWA_SIGNATURE_INVALID"
  /**
   * A verified token has a wrong or ill-typed claim: `iss` not `https://appleid.apple.com`, `iat` in
   * the future, `sub` missing, `email_verified` neither a boolean nor `"true"`/`"false"`, ...
   */
  | "SIWA_CLAIM_INVALID"
  /** The token's `aud` is not one of the `clientId`s given. */
  | "SIWA_AUDIENCE_MISMATCH"
  /** The token's `exp` has passed (beyond `clockTolerance`). */
  | "SIWA_TOKEN_EXPIRED"
  /** A `nonce` was given and the identity token carries another one, or none. */
  | "SIWA_NONCE_MISMATCH"
  /**
   * A server-to-server notification body is not `{ "payload": "<JWS>" }`, or its `events` claim is
   * not one event of a type Apple documents.
   */
  | "SIWA_NOTIFICATION_MALFORMED"
  /**
   * Apple's key set could not be fetched: no answer within `timeout`, a network error, or a status
   * other than 200.
   */
  | "SIWA_KEYS_UNAVAILABLE"
  /**
   * The key set is not a JWK set Apple would send: not JSON, over 64 KiB, no keys or over 20, a
   * duplicate `kid`, a modulus outside 2048-4096 bits.
   */
  | "SIWA_KEYS_MALFORMED"
  /**
   * Apple's token or revoke endpoint gave no answer within `timeout` (or a network error), or
   * answered a status other than 200 without an OAuth error.
   */
  | "SIWA_REQUEST_FAILED"
  /** Apple's token endpoint answered 200 with a body that is no TokenResponse, or over 64 KiB. */
  | "SIWA_RESPONSE_MALFORMED"
  /** Apple answered `invalid_request`: a parameter missing, unsupported or repeated. */
  | "SIWA_INVALID_REQUEST"
  /**
   * Apple answered `invalid_client`: the client ID, the client secret (expired, wrong claims or
   * key) or the redirect URI is wrong.
   */
  | "SIWA_INVALID_CLIENT"
  /**
   * Apple answered `invalid_grant`: the code is used or expired, for another client or redirect
   * URI, or the refresh token is invalid or revoked.
   */
  | "SIWA_INVALID_GRANT"
  /** Apple answered `unauthorized_client`: the client may not use this grant type. */
  | "SIWA_UNAUTHORIZED_CLIENT"
  /** Apple answered `unsupported_grant_type`. */
  | "SIWA_UNSUPPORTED_GRANT_TYPE"
  /** Apple answered `invalid_scope`. */
  | "SIWA_INVALID_SCOPE";

/**
 * The one error class asc-token throws. Its `message` says what was wrong and how to fix it, and
 * never contains key material; `cause` carries the underlying WebCrypto error where there is one.
 *
 * The ESM and CJS builds each have their own copy of this class, so prefer
 * {@link isAscTokenError} or a check on `code` over `instanceof`.
 *
 * @example
 * ```ts
 * import { createAscToken, AscTokenError } from "asc-token";
 * try {
 *   await createAscToken({ keyId, issuerId, privateKey });
 * } catch (err) {
 *   if (err instanceof AscTokenError && err.code === "KEY_MISSING") {
 *     console.error("Set ASC_PRIVATE_KEY to the contents of your AuthKey_XXXXXXXXXX.p8 file");
 *   }
 *   throw err;
 * }
 * ```
 */
export class AscTokenError extends Error {
  /** Stable, documented reason for the failure. */
  declare readonly code: AscTokenErrorCode;

  constructor(code: AscTokenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AscTokenError";
    this.code = code;
  }
}

/**
 * True when `error` is an {@link AscTokenError}, from either the ESM or the CJS build, or from a
 * copy of asc-token loaded in another realm (a `vm` context, an iframe, a worker's clone).
 *
 * @example
 * ```ts
 * import { createAscToken, isAscTokenError } from "asc-token";
 * const token = await createAscToken(options).catch((err: unknown) => {
 *   if (isAscTokenError(err)) console.error(`${err.code}: ${err.message}`);
 *   throw err;
 * });
 * ```
 */
export function isAscTokenError(error: unknown): error is AscTokenError {
  // An Error of any realm: "[object Error]" comes from the internal slot, not the prototype.
  return (
    Object.prototype.toString.call(error) === "[object Error]" &&
    (error as Error).name === "AscTokenError" &&
    typeof (error as { code?: unknown }).code === "string"
  );
}

/** @internal Shorthand used by the library: `throw fail("CODE", "message")`. */
export const fail = (code: AscTokenErrorCode, message: string, cause?: unknown): AscTokenError =>
  new AscTokenError(code, message, cause === undefined ? undefined : { cause });

/**
 * @internal The shape of the option errors: `${name} must be ${expected}; got ${got}`, where `got`
 * is {@link showValue}'s account of the value unless the caller knows more.
 */
export const invalid = (
  code: AscTokenErrorCode,
  name: string,
  expected: string,
  value: unknown,
  got = showValue(value),
): AscTokenError => fail(code, `${name} must be ${expected}; got ${got}`);

/**
 * @internal The shape of the key errors: `privateKey ${problem}: ${fix}`, the fix defaulting to
 * the one that always works. Kept short on purpose (every byte ships to browsers); the README's
 * Errors table explains each code at length.
 */
export const keyError = (
  code: AscTokenErrorCode,
  problem: string,
  fix = "pass the .p8 file's contents",
): AscTokenError => fail(code, `privateKey ${problem}: ${fix}`);

/** @internal Errors raised from more than one place. */
export const missing = () => keyError("KEY_MISSING", "is empty");
/** @internal */
export const malformed = () => keyError("KEY_MALFORMED", "is not PEM, base64 or DER");
/** @internal */
export const encrypted = () =>
  keyError("KEY_ENCRYPTED", "is encrypted", "decrypt it with openssl pkcs8 -nocrypt");
