// accept: whether a token read from a shared store may be handed out. It must be exactly what this
// provider would mint, times aside, and good by the provider's own rule (`reuseLeft`).

import { decodeToken } from "../inspect/decode.js";
import { type TokenInfo, reuseLeft } from "../lib/reuse.js";
import { type Clock, epochSeconds } from "../lib/time.js";
import type { BuiltToken } from "../kinds/kind.js";
import { canonicalJson } from "./key.js";

/**
 * The provider's rule a shared token must pass (see {@link acceptSharedToken}): what the provider
 * would mint, and when it replaces a token.
 *
 * @example
 * ```ts
 * const rule: SharedTokenRule = {
 *   keyId: "2X9R4HXF34",
 *   built: { header: { typ: "JWT" }, claims: { iss: issuerId, iat, exp, aud } },
 *   refreshBefore: 300,
 * };
 * ```
 */
export interface SharedTokenRule {
  /** The key ID the token's header `kid` must name. */
  readonly keyId: string;
  /** The header fields after `alg` and `kid`, and the claims, this provider would mint now. */
  readonly built: BuiltToken;
  /** Seconds before `expiresAt` at which the provider replaces a token. */
  readonly refreshBefore: number;
  /** Seconds after `iat` a token may be used (required for tokens without `exp`). */
  readonly maxAge?: number | undefined;
  /** The provider's clock. */
  readonly now?: Clock | undefined;
}

const whole = (value: unknown): value is number => Number.isSafeInteger(value);

/** Header or claims without `iat` and `exp`, as canonical JSON. */
const timeless = (fields: Readonly<Record<string, unknown>>): string =>
  canonicalJson({ ...fields, iat: undefined, exp: undefined });

/**
 * The times of a token read from a store if it is exactly what `rule` would mint, times aside:
 * three base64url parts with JSON header and claims, header `{alg: "ES256", kid}` and the kind's
 * own fields, an 86-character (64-byte) signature, the same claims but `iat` and `exp`,
 * whole-second times, and the same lifetime `exp − iat` (or no `exp` when the kind has none).
 * Undefined otherwise. The
 * signature is not verified: a forged token is refused by Apple, and the provider replaces it.
 */
export const readSharedToken = (token: unknown, rule: SharedTokenRule): TokenInfo | undefined => {
  if (typeof token !== "string") return undefined;
  let decoded;
  try {
    decoded = decodeToken(token);
  } catch {
    return undefined;
  }
  const { header, claims, signature } = decoded;
  const { header: ownHeader, claims: own } = rule.built;
  const expected = { alg: "ES256", kid: rule.keyId, ...ownHeader };
  // 86 base64url characters: the 64 bytes of an ES256 signature.
  if (signature.length !== 86 || canonicalJson(header) !== canonicalJson(expected)) return;
  if (timeless(claims) !== timeless(own)) return undefined;
  const { iat, exp } = claims;
  if (!whole(iat)) return undefined;
  if (own.exp === undefined ? exp !== undefined : !whole(exp)) return undefined;
  // The lifetime this provider mints, no other: a six-month token planted beside 20-minute ones
  // is refused.
  if (whole(exp) && exp - iat !== (own.exp as number) - (own.iat as number)) return undefined;
  const expiresAt = Math.min(whole(exp) ? exp : Infinity, iat + (rule.maxAge ?? Infinity));
  return expiresAt === Infinity ? undefined : Object.freeze({ token, issuedAt: iat, expiresAt });
};

/**
 * How long, in ms, a token read from a store may still be handed out under `rule`, or 0 to
 * refuse it: anything {@link readSharedToken} refuses (another audience, scope, bundle ID,
 * subject, issuer, key ID or lifetime than this provider mints), and any token with less than a
 * second of {@link reuseLeft}.
 *
 * @example
 * ```ts
 * const accept = (token: string) => acceptSharedToken(token, rule);
 * if (accept(fromRedis) > 0) return fromRedis;
 * ```
 */
export const acceptSharedToken = (token: unknown, rule: SharedTokenRule): number => {
  const info = readSharedToken(token, rule);
  const left = info ? reuseLeft(info, rule.refreshBefore, epochSeconds(rule.now)) : 0;
  return left >= 1 ? left * 1000 : 0;
};
