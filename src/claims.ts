// claims: validates App Store Connect token options and builds the JWT header and payload.

import { encodeText } from "./base64url.js";
import { invalid } from "./errors.js";
import type { AscPrivateKey } from "./key.js";
import { checkLifetime, checkScope } from "./scope.js";
import { type Clock, issuedAt, wholeSeconds } from "./time.js";
import { checkIssuerId, checkKeyId } from "./validate.js";

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

/** base64url of the JWS header by key ID (at most 16 kept): the header never changes for a key. */
const headers = new Map<unknown, string>();

/**
 * The JWS header Apple wants, exactly `{"alg":"ES256","kid":…,"typ":"JWT"}`, base64url-encoded.
 * Validates the key ID first (10 characters `A-Z0-9`: nothing to escape in JSON).
 */
export const ascHeader = (keyId: unknown): string => {
  let header = headers.get(keyId);
  if (header === undefined) {
    header = encodeText(`{"alg":"ES256","kid":"${checkKeyId(keyId)}","typ":"JWT"}`);
    if (headers.size > 15) headers.clear();
    headers.set(keyId, header);
  }
  return header;
};

/** The last issuer ID that passed the UUID check: callers pass the same one over and over. */
let checkedIssuer: unknown;

/**
 * Validates every option but the key, and returns the token's claims as JSON text, in the order
 * Apple documents: `iss` (or `sub: "user"`), `iat`, `exp`, `aud`, then `scope` if given.
 *
 * Written as a template, not by `JSON.stringify` of an object (a third of the JS time per token):
 * every value in it is checked first and needs no escaping (a UUID, integers, one of two
 * audiences), except the scope entries, which go through `JSON.stringify`.
 */
export const ascPayload = (options: AscTokenOptions): string => {
  const { issuerId, audience = "appstoreconnect-v1" } = options;
  if (issuerId !== checkedIssuer) {
    if (issuerId !== undefined) checkIssuerId(issuerId, "a UUID (or left out)");
    checkedIssuer = issuerId;
  }
  if (!AUDIENCES.includes(audience)) {
    throw invalid("INVALID_AUDIENCE", "audience", AUDIENCES.join(" or "), audience);
  }
  const lifetime = wholeSeconds(
    options.expiresIn,
    DEFAULT_EXPIRES_IN,
    1,
    "INVALID_EXPIRES_IN",
    "expiresIn",
  );
  const scope = checkScope(options.scope);
  checkLifetime(lifetime, scope, audience);
  const iat = issuedAt(options, lifetime, "expiresIn");
  return `{${issuerId === undefined ? '"sub":"user"' : `"iss":"${issuerId}"`},"iat":${iat},"exp":${iat + lifetime},"aud":"${audience}"${scope ? `,"scope":${JSON.stringify(scope)}` : ""}}`;
};
