// claims: validates App Store Connect token options and builds the JWT header and payload.

import { invalid } from "./errors.js";
import type { AscPrivateKey } from "./key.js";
import { checkLifetime, checkScope } from "./scope.js";
import { type Clock, issuedAt, wholeSeconds } from "./time.js";
import { UUID, checkKeyId, matches } from "./validate.js";

/**
 * Audiences Apple's `.p8` team and individual API keys sign for.
 *
 * @example
 * ```ts
 * const audience: AscAudience = "apple-developer-enterprise-v1"; // Enterprise Program API
 * ```
 */
export type AscAudience = "appstoreconnect-v1" | "apple-developer-enterprise-v1";

/**
 * Options for {@link createAscToken}. Nothing here is mutated or kept.
 *
 * @example
 * ```ts
 * const options: AscTokenOptions = { keyId: "2X9R4HXF34", issuerId, privateKey: pem, scope: ["GET /v1/apps"] };
 * ```
 */
export interface AscTokenOptions {
  /** The key ID shown beside the key in App Store Connect (10 characters, `A-Z0-9`). Goes into the header's `kid`. */
  keyId: string;
  /**
   * Your team's issuer ID (a UUID, from App Store Connect → Users and Access → Integrations).
   * Present: a team key, claim `iss`. Left out: an individual key, claim `sub: "user"`.
   */
  issuerId?: string | undefined;
  /** The `.p8` private key, in any form listed under {@link AscPrivateKey}. */
  privateKey: AscPrivateKey;
  /**
   * Lifetime in seconds, as Apple measures it: `exp − iat`. Default 1140 (19 minutes). At most
   * 1200, or up to 15,777,000 (six months) for a scope of GET requests to the resources Apple
   * allows long-lived tokens for.
   */
  expiresIn?: number | undefined;
  /**
   * Seconds `iat` is backdated by, so that a clock running ahead of Apple's is not rejected for
   * "iat in the future". Default 60. `exp − iat` stays `expiresIn`.
   */
  clockTolerance?: number | undefined;
  /** Requests the token is limited to, e.g. `["GET /v1/apps?filter[platform]=IOS"]`. */
  scope?: readonly string[] | undefined;
  /** `"appstoreconnect-v1"` (default) or `"apple-developer-enterprise-v1"` for the Enterprise Program API. */
  audience?: AscAudience | undefined;
  /** Clock to date the token by (epoch ms function or a `Date`). Default `Date.now`. */
  now?: Clock | undefined;
}

/** Default lifetime: 20 minutes less 60 s of margin; see README "Lifetime and clock skew". */
export const DEFAULT_EXPIRES_IN = 1140;
/** Every {@link AscAudience}. */
export const AUDIENCES: readonly string[] = ["appstoreconnect-v1", "apple-developer-enterprise-v1"];

/** The JWS header of an App Store Connect token. */
export type AscHeader = Readonly<{ alg: "ES256"; kid: string; typ: "JWT" }>;

/** Headers by key ID, frozen, so that signJwt can reuse their encoding (at most 16 kept). */
const headers = new Map<unknown, AscHeader>();

/** The JWS header Apple wants: exactly `{"alg":"ES256","kid":…,"typ":"JWT"}`, frozen. */
export const ascHeader = (keyId: unknown): AscHeader => {
  let header = headers.get(keyId);
  if (!header) {
    header = Object.freeze({ alg: "ES256", kid: checkKeyId(keyId), typ: "JWT" });
    if (headers.size > 15) headers.clear();
    headers.set(keyId, header);
  }
  return header;
};

/** The claims Apple documents for App Store Connect, in its order: iss|sub, iat, exp, aud, scope. */
export interface AscClaims {
  iss?: string;
  sub?: "user";
  iat: number;
  exp: number;
  aud: AscAudience;
  scope?: string[];
}

/** Validates every option but the key, and builds the token's claims. */
export const ascClaims = (options: AscTokenOptions): AscClaims => {
  const { issuerId, audience = "appstoreconnect-v1" } = options;
  if (issuerId !== undefined && !matches(issuerId, UUID)) {
    throw invalid("INVALID_ISSUER_ID", "issuerId", "a UUID (or left out)", issuerId);
  }
  if (!AUDIENCES.includes(audience)) {
    throw invalid("INVALID_AUDIENCE", "audience", AUDIENCES.join(" or "), audience);
  }
  const lifetime = wholeSeconds(options.expiresIn, DEFAULT_EXPIRES_IN, 1, "INVALID_EXPIRES_IN", "expiresIn");
  const scope = checkScope(options.scope);
  checkLifetime(lifetime, scope);
  const iat = issuedAt(options, lifetime, "expiresIn");
  // Built literally, not by spreading: a fixed property order and shape, and faster.
  const claims: AscClaims = issuerId === undefined ? { sub: "user", iat, exp: iat + lifetime, aud: audience } : { iss: issuerId, iat, exp: iat + lifetime, aud: audience };
  if (scope) claims.scope = scope;
  return claims;
};
