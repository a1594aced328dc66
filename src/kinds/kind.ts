// token: the one path every Apple token kind mints through. A kind declares its option names and
// how its header fields and claims follow from the options; this file reads the options, checks
// the key ID, and turns header and claims into a signed JWT with the imported key.

import { fail } from "../lib/errors.js";
import { type ApplePrivateKey, importAppleKey } from "../key/import.js";
import { readOptions } from "../lib/options.js";
import { signJwt } from "../key/sign.js";
import { type Clock, issuedAt, wholeSeconds } from "../lib/time.js";
import { validKeyId } from "../lib/validate.js";
import { SIX_MONTHS, UNDER_180_DAYS } from "../lib/defaults.js";

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
  /** Clock to date the token by: epoch ms, a function returning them, or a `Date`. */
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

/**
 * Every option name of `O` beyond {@link AppleKeyOptions}, each `true`: a record, not a list, so
 * the compiler proves a kind declares exactly its interface's names (ky's `KyOptionsRegistry`).
 *
 * @example
 * ```ts
 * const names: KindOptionNames<ApnsTokenOptions> = { teamId: true };
 * ```
 */
export type KindOptionNames<O> = {
  readonly [K in Exclude<keyof O, keyof AppleKeyOptions>]-?: Partial<Pick<O, K>> extends Pick<O, K>
    ? false
    : true;
};

/**
 * How long a kind's tokens last, as Apple rules it: what the provider, the store and the doctor
 * read instead of decoding a token.
 *
 * @example
 * ```ts
 * const lifetime: KindLifetime = { default: 3600, problem: () => undefined };
 * ```
 */
export interface KindLifetime {
  /**
   * The default `exp − iat` in seconds, for kinds whose tokens carry `exp`; undefined for the
   * others, whose validity Apple counts from `iat`.
   */
  readonly default?: number | undefined;
  /**
   * Why `seconds` (`exp − iat`, or a token's age for kinds without `exp`) is too long for a token
   * with these claims, or undefined when Apple accepts it.
   */
  readonly problem: (
    seconds: number,
    claims?: Readonly<Record<string, unknown>>,
  ) => string | undefined;
  /** Kinds without `exp`: the oldest token Apple accepts, in seconds. */
  readonly maxAge?: number | undefined;
  /** Kinds without `exp`: the `maxAge` a provider uses unless given one. */
  readonly defaultMaxAge?: number | undefined;
  /**
   * Apple states no maximum: the one `problem` gives is asc-token's own cap, which minting keeps
   * and the doctor does not report (Apple would not refuse such a token).
   */
  readonly capIsOurs?: true | undefined;
  /** The shortest time Apple wants between two tokens of one key, in seconds. */
  readonly minInterval?: number | undefined;
}

/**
 * What the doctor ({@link checkAscToken}) expects in a kind's tokens beyond the times its
 * lifetime rules give, as Apple's page for the kind states it.
 *
 * @example
 * ```ts
 * const expects: KindClaims = { refuses: "APNs answers 403 InvalidProviderToken", iss: "team" };
 * ```
 */
export interface KindClaims {
  /** What the service does with a token it refuses, to end a sentence: "APNs answers 403". */
  readonly refuses: string;
  /** Apple's header has `typ: "JWT"`. Where it has none, `typ` is not judged. */
  readonly typ?: true | undefined;
  /**
   * What `iss` holds: the issuer ID (a UUID), the Team ID (10 characters), or another ID,
   * described for messages ("your client ID, like BUSINESSAPI.9703f56c-…").
   */
  readonly iss: "issuer" | "team" | { readonly what: string };
  /** The `aud` values Apple accepts; undefined where Apple's claims have no `aud`. */
  readonly aud?: readonly string[] | undefined;
  /** Claim `bid` holds the app's bundle ID. */
  readonly bid?: true | undefined;
  /** Claim `nonce` holds a one-time UUID. */
  readonly nonce?: true | undefined;
  /** What `sub` holds, where Apple requires one: "your WeatherKit Services ID". */
  readonly sub?: string | undefined;
  /** The header's `id` is `"<iss>.<sub>"` (WeatherKit). */
  readonly headerId?: true | undefined;
  /** Apple fails a token that has an `exp` (it dates the token by `iat`). */
  readonly noExp?: true | undefined;
}

/**
 * What a kind's `build` returns: the header's fields after `alg` and `kid`, and the claims.
 *
 * @example
 * ```ts
 * const built: BuiltToken = { claims: { iss: teamId, iat: 1764590400 } };
 * ```
 */
export interface BuiltToken {
  readonly header?: Readonly<Record<string, unknown>> | undefined;
  readonly claims: Readonly<Record<string, unknown>>;
}

/**
 * One Apple token kind, as data: everything the mint function, the providers, the store, the
 * doctor and the CLI know about it. `build` holds Apple's rules, quoted beside each.
 *
 * @example
 * ```ts
 * import { TOKEN_KINDS } from "asc-token";
 * for (const kind of TOKEN_KINDS) console.log(kind.name, kind.create, Object.keys(kind.options));
 * ```
 */
export interface TokenKind<O extends AppleKeyOptions = AppleKeyOptions, N extends string = string> {
  /** The kind's short name, e.g. `"apns"` (the CLI's `--kind`). */
  readonly name: N;
  /**
   * What its tokens are called, for `--help` and the doctor's messages: `"APNs provider token"`.
   * App Store Connect's kind, the one `createAscToken` bundles, leaves it out to stay small.
   */
  readonly title?: string | undefined;
  /** The name of the function that mints it, e.g. `"createApnsToken"` (and of its store keys). */
  readonly create: string;
  /**
   * The options it reads besides `keyId`, `privateKey`, `clockTolerance` and `now`: `true` for
   * those a call cannot leave out.
   */
  readonly options: KindOptionNames<O>;
  /** Apple's lifetime rules for its tokens. */
  readonly lifetime: KindLifetime;
  /**
   * Checks the key ID of a kind whose keys are not developer-account `.p8` keys (whose key ID is
   * 10 characters, the default check).
   */
  readonly keyId?: ((keyId: unknown) => string) | undefined;
  /**
   * What the doctor expects in the header and claims. App Store Connect's tokens have a doctor
   * of their own; a kind without it is judged on its header, times and signature.
   */
  readonly claims?: KindClaims | undefined;
  /** Why a token of this kind must never be reused or cached, for kinds Apple makes single-use. */
  readonly singleUse?: string | undefined;
  /** Validates the options; returns the header's fields after `alg` and `kid`, and the claims. */
  build(options: O): BuiltToken;
}

/**
 * A kind's mint function (`createApnsToken`, ...), which carries its kind: what the providers
 * read, and what {@link TOKEN_KINDS} is built from.
 *
 * @example
 * ```ts
 * import { createApnsToken } from "asc-token";
 * console.log(createApnsToken.kind.name, createApnsToken.kind.lifetime.maxAge); // apns 3600
 * ```
 */
export interface KindMint<O extends AppleKeyOptions = AppleKeyOptions, N extends string = string> {
  (options: O): Promise<string>;
  readonly kind: TokenKind<O, N>;
}

/** @internal A token just minted, with the claims it was built from. */
export interface MintedToken {
  readonly token: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

/** @internal Every option name `kind` reads: the shared ones, then its own. */
export const kindOptionNames = ({ options }: TokenKind): string[] => [
  "keyId",
  "privateKey",
  "clockTolerance",
  "now",
  ...Object.keys(options),
];

/** The options a call of `kind` needs, as a message names them: `{ keyId, teamId, privateKey }`. */
const requiredOptions = ({ options }: TokenKind): string => {
  const own = options as Record<string, boolean>;
  const names = ["keyId", ...Object.keys(own).filter((name) => own[name]), "privateKey"];
  return `{ ${names.join(", ")} }`;
};

/**
 * @internal A snapshot of the options `kind` reads (the shared ones and its own), each read once;
 * any other name refused, and a non-object answered with the options it needs.
 */
export const readKindOptions = (
  kind: TokenKind,
  options: unknown,
  more: readonly string[] = [],
): Record<string, unknown> => {
  // The required options are listed only for the message of a call given no options object.
  const shape = typeof options === "object" && options !== null ? "" : requiredOptions(kind);
  return readOptions(options, [...more, ...kindOptionNames(kind)], shape);
};

/**
 * @internal Mints one token of `kind` from options already read: checks the key ID, builds the
 * header and claims, signs with the key (imported here unless it already is).
 */
export const mintKind = async <O extends AppleKeyOptions>(
  kind: TokenKind<O>,
  read: O,
  privateKey: ApplePrivateKey,
): Promise<MintedToken> => {
  const kid = (kind.keyId ?? validKeyId)(read.keyId);
  const { header, claims } = kind.build(read);
  const token = await signJwt(
    { alg: "ES256", kid, ...header },
    claims,
    await importAppleKey(privateKey),
  );
  return { token, claims };
};

/**
 * A kind's mint function: options → validated claims object → JSON → base64url → signature. It
 * carries its kind, for the providers.
 */
export const defineToken = <O extends AppleKeyOptions, N extends string>(
  kind: TokenKind<O, N>,
): KindMint<O, N> => {
  const mint = async (options: O): Promise<string> => {
    const read = readKindOptions(kind, options) as O;
    return (await mintKind(kind, read, read.privateKey)).token;
  };
  return Object.assign(mint, { kind });
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
 * The lifetime of the kinds Apple states no limit for (WeatherKit, MapKit): an hour by default,
 * capped at six months as Apple caps its other team tokens; the doctor does not report the cap.
 */
export const OUR_SIX_MONTH_CAP: KindLifetime = {
  default: 3600,
  problem: /* @__PURE__ */ atMost(
    SIX_MONTHS,
    "Apple states no limit, asc-token caps it at six months",
  ),
  capIsOurs: true,
};

/**
 * The lifetime of Apple's OAuth client credentials (Apple Business Manager, Apple Ads): an hour by
 * default, as each is sent once; Apple: exp "less than 180 days from the iat timestamp".
 */
export const UNDER_180_DAYS_LIFETIME: KindLifetime = {
  default: 3600,
  problem: /* @__PURE__ */ atMost(UNDER_180_DAYS, "Apple wants exp less than 180 days after iat"),
};

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

/** {@link validity} by a kind's lifetime rules: its default, and its `problem`. */
export const lasting = (
  options: AppleKeyOptions & { readonly expiresIn?: number | undefined },
  lifetime: KindLifetime,
): { iat: number; exp: number } => validity(options, lifetime.default ?? 0, lifetime.problem);

/**
 * `iat` of the tokens that have no `exp` (APNs, DeviceCheck, in-app JWS), whose validity Apple
 * counts from `iat`. APNs refuses a token whose `iat` is more than an hour old, so backdating
 * stays below an hour.
 */
export const issuedAtOnly = (options: AppleKeyOptions): number =>
  issuedAt(options, 3600, "the hour Apple accepts a token for");
