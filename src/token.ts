// token: the one path every Apple token kind mints through. A kind declares its option names and
// how its header fields and claims follow from the options; this file reads the options, checks
// the key ID, and turns header and claims into a signed JWT with the imported key.

import { fail } from "./errors.js";
import { type ApplePrivateKey, importAppleKey } from "./key.js";
import { readOptions } from "./options.js";
import { signJwt } from "./sign.js";
import { type Clock, issuedAt, wholeSeconds } from "./time.js";
import { validKeyId } from "./validate.js";

/**
 * Options every Apple `.p8` token function takes. Nothing here is mutated or kept.
 *
 * @example
 * ```ts
 * const base: AppleKeyOptions = { keyId: "2X9R4HXF34", privateKey: pem, clockTolerance: 30 };
 * ```
 */
export interface AppleKeyOptions {
  /**
   * The key's 10-character key ID (`A-Z0-9`), as in `AuthKey_<keyId>.p8`. Goes into the
   * header's `kid`.
   */
  keyId: string;
  /** The `.p8` private key, in any form listed under {@link ApplePrivateKey}. */
  privateKey: ApplePrivateKey;
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
  /**
   * Your 10-character Team ID (`A-Z0-9`), from developer.apple.com → Account → Membership.
   * Claim `iss`.
   */
  teamId: string;
}

/** A token kind: its option names beyond {@link AppleKeyOptions}, and its header and claims. */
export interface TokenKind<O> {
  /** The options the kind reads besides `keyId`, `privateKey`, `clockTolerance` and `now`. */
  readonly options: readonly string[];
  /** The required options, for the message when `options` is not an object. */
  readonly shape: string;
  /** Validates the options: the header's fields after `alg` and `kid`, and the claims, in order. */
  readonly build: (options: O) => { readonly header?: object; readonly claims: object };
  /**
   * Checks the key ID of a kind whose keys are not developer-account `.p8` keys (whose key ID is
   * 10 characters, the default check).
   */
  readonly keyId?: ((keyId: unknown) => string) | undefined;
}

/**
 * @internal What a function made by {@link defineToken} carries for the providers: its option
 * names, and its kind's `build`, which checks every option but the key ID and the key.
 */
export interface Declared {
  readonly optionNames: readonly string[];
  readonly build: (options: never) => unknown;
}

/**
 * A kind's minting function: options → validated claims object → JSON → base64url →
 * signature.
 */
export const defineToken = <O extends AppleKeyOptions>(
  kind: TokenKind<O>,
): ((options: O) => Promise<string>) => {
  const optionNames = ["keyId", "privateKey", "clockTolerance", "now", ...kind.options];
  const mint = async (options: O): Promise<string> => {
    const read = readOptions(options, optionNames, kind.shape) as O;
    const kid = (kind.keyId ?? validKeyId)(read.keyId);
    const { header, claims } = kind.build(read);
    return signJwt({ alg: "ES256", kid, ...header }, claims, await importAppleKey(read.privateKey));
  };
  return Object.assign(mint, { optionNames, build: kind.build } satisfies Declared);
};

/**
 * What {@link validity} asks of a kind: why a lifetime is too long, or undefined when it is not.
 */
export type LifetimeRule = (seconds: number) => string | undefined;

/** The rule of a kind whose lifetime has a plain maximum, with Apple's reason for it. */
export const atMost =
  (max: number, reason: string): LifetimeRule =>
  (seconds) =>
    seconds > max ? `must be <= ${max} s: ${reason}` : undefined;

/**
 * `iat` (backdated by `clockTolerance`) and `exp`, with `exp − iat` = `expiresIn` (default
 * `fallback`), which `rule` must accept. A refused lifetime that is a whole number of thousands
 * and fine once divided by 1000 is milliseconds, and the message says so.
 */
export const validity = (
  options: AppleKeyOptions & { readonly expiresIn?: number | undefined },
  fallback: number,
  rule: LifetimeRule,
): { iat: number; exp: number } => {
  const seconds = wholeSeconds(options.expiresIn, fallback, 1, "INVALID_EXPIRES_IN", "expiresIn");
  const problem = rule(seconds);
  if (problem !== undefined) {
    const ms = seconds >= 1e5 && seconds % 1000 === 0 && rule(seconds / 1000) === undefined;
    throw fail(
      "LIFETIME_TOO_LONG",
      `expiresIn ${problem}${ms ? " (milliseconds? expiresIn is in seconds)" : ""}`,
    );
  }
  const iat = issuedAt(options, seconds, "expiresIn");
  return { iat, exp: iat + seconds };
};

/**
 * `iat` of the tokens that have no `exp` (APNs, DeviceCheck, in-app JWS), whose validity Apple
 * counts from `iat`. APNs refuses a token whose `iat` is more than an hour old, so backdating
 * stays below an hour.
 */
export const issuedAtOnly = (options: AppleKeyOptions): number =>
  issuedAt(options, 3600, "the hour Apple accepts a token for");
