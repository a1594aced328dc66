// accept: whether a token read from a shared store may be handed out, by the provider's own rule.

import { decodeToken } from "../decode.js";
import { type Clock, epochSeconds } from "../time.js";

/** Seconds a shared token's `iat` may lie ahead of this clock: two machines' clocks differ. */
const SKEW = 60;
/** The longest lifetime any Apple `.p8` token has (Sign in with Apple's six months). */
const LONGEST_LIFETIME = 15_777_000;

/**
 * The provider's refresh rule a shared token must pass (see {@link acceptSharedToken}).
 *
 * @example
 * ```ts
 * const rule: SharedTokenRule = { keyId: "2X9R4HXF34", issuer: issuerId, refreshBefore: 300 };
 * ```
 */
export interface SharedTokenRule {
  /** The key ID the token's header `kid` must name. */
  readonly keyId: string;
  /** The `iss` claim it must carry (issuer ID or Team ID); undefined: it must have none. */
  readonly issuer?: string | undefined;
  /** Seconds before `expiresAt` at which the provider replaces a token. */
  readonly refreshBefore: number;
  /** Seconds after `iat` a token may be used (required for tokens without `exp`). */
  readonly maxAge?: number | undefined;
  /** The provider's clock. */
  readonly now?: Clock | undefined;
}

const whole = (value: unknown): value is number => Number.isSafeInteger(value);

/**
 * How long, in ms, a token read from a store may still be handed out under `rule`, or 0 to
 * refuse it: anything that is not three base64url parts with JSON header and claims, a header
 * other than ES256 with this `kid`, a signature of other than 64 bytes, another `iss`, an `iat`
 * or `exp` that is not whole seconds or not sane (`iat` in the future, `exp` before `iat`, a
 * lifetime no Apple token has), or less than a second left before the provider would replace it.
 * The signature is not verified: a forged token is refused by Apple, and the provider replaces
 * it after the 401.
 *
 * @example
 * ```ts
 * const accept = (token: string) =>
 *   acceptSharedToken(token, { keyId, issuer: issuerId, refreshBefore: 300 });
 * if (accept(fromRedis) > 0) return fromRedis;
 * ```
 */
export const acceptSharedToken = (token: unknown, rule: SharedTokenRule): number => {
  if (typeof token !== "string") return 0;
  let decoded;
  try {
    decoded = decodeToken(token);
  } catch {
    return 0;
  }
  const { header, claims, signature } = decoded;
  const { iat, exp } = claims;
  // 86 base64url characters: the 64 bytes of an ES256 signature.
  if (header.alg !== "ES256" || header.kid !== rule.keyId || signature.length !== 86) return 0;
  if (claims.iss !== rule.issuer) return 0;
  if (!whole(iat) || (exp !== undefined && (!whole(exp) || exp <= iat))) return 0;
  const expiresAt = Math.min(
    exp ?? Infinity,
    rule.maxAge === undefined ? Infinity : iat + rule.maxAge,
  );
  const now = epochSeconds(rule.now);
  if (expiresAt === Infinity || iat > now + SKEW || expiresAt - iat > LONGEST_LIFETIME) return 0;
  const left = expiresAt - rule.refreshBefore - now;
  return left >= 1 ? left * 1000 : 0;
};
