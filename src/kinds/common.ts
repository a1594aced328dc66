// common: what Apple's other `.p8` token kinds share on top of the core (their base options, Team
// ID and identifier checks, lifetimes with a per-kind maximum, origins), and the one path every
// kind mints through: the core's key import and signer.

import { TEN_CHARS, checkKeyId, matches } from "../validate.js";
import { describe, fail } from "../errors.js";
import { type AscPrivateKey, importAscKey } from "../key.js";
import { signJwt } from "../sign.js";
import { type Clock, issuedAt, wholeSeconds } from "../time.js";

/**
 * Options every Apple `.p8` token function takes. Nothing here is mutated or kept.
 *
 * @example
 * ```ts
 * const base: AppleKeyOptions = { keyId: "2X9R4HXF34", privateKey: pem, clockTolerance: 30 };
 * ```
 */
export interface AppleKeyOptions {
  /** The key's 10-character key ID (`A-Z0-9`), as in `AuthKey_<keyId>.p8`. Goes into the header's `kid`. */
  keyId: string;
  /** The `.p8` private key, in any form listed under {@link AscPrivateKey}. */
  privateKey: AscPrivateKey;
  /**
   * Seconds `iat` is backdated by, so that a clock running ahead of Apple's is not refused for
   * "iat in the future". Default 60. Never lengthens the lifetime: `exp − iat` stays `expiresIn`.
   */
  clockTolerance?: number | undefined;
  /** Clock to date the token by (epoch ms function or a `Date`). Default `Date.now`. */
  now?: Clock | undefined;
}

/**
 * Options of the tokens a developer account's key signs for its team (APNs, MusicKit, ...).
 *
 * @example
 * ```ts
 * const team: TeamKeyOptions = { keyId: "2X9R4HXF34", teamId: "DEF123GHIJ", privateKey: pem };
 * ```
 */
export interface TeamKeyOptions extends AppleKeyOptions {
  /** Your 10-character Team ID (`A-Z0-9`), from developer.apple.com → Account → Membership. Claim `iss`. */
  teamId: string;
}

/**
 * Bundle IDs, App IDs and Services IDs. Apple: "The bundle ID string must contain only
 * alphanumeric characters (A–Z, a–z, and 0–9), hyphens (-), and periods (.)"
 * (https://developer.apple.com/documentation/bundleresources/information-property-list/cfbundleidentifier);
 * we also refuse empty parts between periods, which no registered identifier has.
 */
/** What an issuer ID is, for the message of the kinds that require one. */
export const ISSUER_ID =
  "the issuer ID (a UUID) from App Store Connect → Users and Access → Integrations";

const IDENTIFIER = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/;
const IDENTIFIER_CODES = {
  bundleId: "INVALID_BUNDLE_ID",
  clientId: "INVALID_CLIENT_ID",
  serviceId: "INVALID_SERVICE_ID",
} as const;
/** One origin or origin pattern (`https://example.com`, `*.example.com`): no whitespace, no commas. */
const ORIGIN = /^[^\s,]+$/;

/** The header every kind starts from, `{alg, kid}`, followed by the kind's own fields. */
export const es256Header = <T extends object>(keyId: unknown, rest: T) => ({
  alg: "ES256",
  kid: checkKeyId(keyId),
  ...rest,
});

/** The Team ID, checked: claim `iss` of the developer-account tokens. */
export const checkTeamId = (teamId: unknown): string => {
  if (!matches(teamId, TEN_CHARS)) {
    throw fail(
      "INVALID_TEAM_ID",
      `teamId must be your 10-character Team ID (A-Z, 0-9) from developer.apple.com → Account → Membership; got ${describe(teamId)}`,
    );
  }
  return teamId;
};

/** A bundle ID, App ID or Services ID option, checked; `what` tells the caller which one to pass. */
export const checkIdentifier = (
  value: unknown,
  name: keyof typeof IDENTIFIER_CODES,
  what: string,
): string => {
  if (!matches(value, IDENTIFIER)) {
    throw fail(
      IDENTIFIER_CODES[name],
      `${name} must be ${what}, letters, digits, hyphens and periods like com.example.app; got ${describe(value)}`,
    );
  }
  return value;
};

/** A kind's lifetime rule: the default `expiresIn`, the longest accepted, and the reason for it. */
export interface LifetimeRule {
  readonly fallback: number;
  readonly max: number;
  readonly reason: string;
}

/** `iat` (backdated by `clockTolerance`) and `exp` with `exp − iat` = `expiresIn` ≤ `rule.max`. */
export const validity = (
  options: AppleKeyOptions & { readonly expiresIn?: number | undefined },
  rule: LifetimeRule,
): { iat: number; exp: number } => {
  const lifetime = wholeSeconds(
    options.expiresIn,
    rule.fallback,
    1,
    "INVALID_EXPIRES_IN",
    "expiresIn",
  );
  if (lifetime > rule.max) {
    throw fail("LIFETIME_TOO_LONG", `expiresIn must be <= ${rule.max} s: ${rule.reason}`);
  }
  const iat = issuedAt(options, lifetime, "expiresIn");
  return { iat, exp: iat + lifetime };
};

/**
 * `iat` of the tokens that have no `exp` (APNs, DeviceCheck, in-app JWS), whose validity Apple
 * counts from `iat`. APNs refuses a token whose `iat` is more than an hour old, so backdating
 * must stay below an hour.
 */
export const issuedAtOnly = (options: AppleKeyOptions): number =>
  issuedAt(options, 3600, "the hour Apple accepts a token for");

/** An option given as one string or an array: its entries (a copy), or none for anything else. */
export const oneOrMany = (value: unknown): readonly unknown[] =>
  typeof value === "string" ? [value] : Array.isArray(value) ? [...(value as unknown[])] : [];

/** `origin`: one origin or a non-empty array of them, copied; undefined when absent. */
export const checkOrigins = (origin: unknown): string[] | undefined => {
  if (origin === undefined) return undefined;
  const list = oneOrMany(origin);
  if (list.length === 0) {
    throw fail(
      "INVALID_ORIGIN",
      `origin must be an origin like "https://example.com" or a non-empty array of them; got ${Array.isArray(origin) ? "[]" : describe(origin)}`,
    );
  }
  return list.map((entry, index) => {
    if (!matches(entry, ORIGIN)) {
      throw fail(
        "INVALID_ORIGIN",
        `origin[${index}] must be an origin like "https://example.com" (no spaces or commas); got ${describe(entry)}`,
      );
    }
    return entry;
  });
};

/** Signs through the core: the same key forms, key cache, errors and ES256 signer as createAscToken. */
export const mint = async (
  privateKey: AscPrivateKey,
  header: object,
  claims: object,
): Promise<string> => signJwt(header, claims, await importAscKey(privateKey));
