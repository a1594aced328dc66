// kinds: the token kinds the CLI mints, read from TOKEN_KINDS: each kind's flags are its option
// names in kebab case (teamId → --team-id), its --help line its title and lifetime rules. The
// parser, the settings, --help and the tests all read this; nothing here lists the kinds.

import { SIX_MONTHS } from "../lib/defaults.js";
import { TOKEN_KINDS, type TokenKindName } from "../kinds/index.js";
import { type TokenKind, defineToken } from "../kinds/kind.js";

/** The flags only some kinds take (every kind takes --key-id, --key-file, --json, --header). */
export type KindFlag =
  | "issuer-id"
  | "individual"
  | "team-id"
  | "bundle-id"
  | "client-id"
  | "service-id"
  | "expires-in"
  | "scope"
  | "origin"
  | "enterprise"
  | "api-key-json";

/**
 * A kind the CLI mints. The single-use kinds (the in-app JWS, whose nonce Apple accepts once and
 * whose claims are a purchase's) are not minted here: `doctor` judges them.
 */
export type KindName = Exclude<TokenKindName, "in-app">;

/** The CLI-only parts of the flags: options whose flag is not their name in kebab case. */
const OPTION_FLAGS: Readonly<Record<string, KindFlag>> = {
  // App Store Connect's audience has one other value, the Enterprise Program API's.
  audience: "enterprise",
};

/** Flags beyond a kind's options: how App Store Connect's settings are read (fastlane's file). */
const MORE_FLAGS: Readonly<Record<string, readonly KindFlag[]>> = {
  "app-store-connect": ["individual", "api-key-json"],
};

/** What --help adds to a kind's lifetime, where the longest depends on the claims. */
const LIFETIME_NOTES: Readonly<Record<string, string>> = {
  "app-store-connect": ` (long-lived --scope: ${String(SIX_MONTHS)})`,
};

/** The flag that sets option `name`: teamId → team-id, audience → enterprise. */
export const flagOf = (name: string): string =>
  OPTION_FLAGS[name] ?? name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** The longest `exp − iat` a kind's rule accepts for a token with no scope (by bisection). */
export const longestLifetime = (kind: TokenKind): number => {
  let [low, high] = [1, 2 ** 31];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (kind.lifetime.problem(mid, {}) === undefined) low = mid;
    else high = mid - 1;
  }
  return low;
};

export interface MintKind {
  /** The kind, as data. */
  readonly kind: TokenKind;
  /** Mints the kind from the options the CLI resolved, as its create function does. */
  readonly create: (options: object) => Promise<string>;
  /** The kind's tokens in words, for --help and messages: "APNs provider tokens". */
  readonly title: string;
  /** The flags the kind takes beyond the shared ones. */
  readonly flags: readonly KindFlag[];
  /** Default lifetime and maximum, for --help; undefined for the kinds without exp. */
  readonly lifetime?: string | undefined;
}

const mintKind = (kind: TokenKind): MintKind => ({
  kind,
  create: defineToken(kind) as (options: object) => Promise<string>,
  // App Store Connect's kind carries no title: it would weigh on every createAscToken bundle.
  title: `${kind.title ?? "App Store Connect API token"}s`,
  flags: [
    ...Object.keys(kind.options).map((name) => flagOf(name) as KindFlag),
    ...(MORE_FLAGS[kind.name] ?? []),
  ],
  lifetime:
    kind.lifetime.default === undefined
      ? undefined
      : `default ${String(kind.lifetime.default)}, max ${String(longestLifetime(kind))}` +
        (LIFETIME_NOTES[kind.name] ?? ""),
});

/** Every kind the CLI mints, in --help's order: App Store Connect's, the default, first. */
export const MINT_KINDS = Object.fromEntries(
  [...TOKEN_KINDS]
    .filter((kind) => kind.singleUse === undefined)
    .sort((a, b) => Number(b.name === "app-store-connect") - Number(a.name === "app-store-connect"))
    .map((kind) => [kind.name, mintKind(kind)]),
) as Readonly<Record<KindName, MintKind>>;

export const KIND_NAMES = Object.keys(MINT_KINDS) as KindName[];

export const isKindName = (name: string): name is KindName => Object.hasOwn(MINT_KINDS, name);

/** The kinds that take `flag`, for "--bundle-id is for app-store-server tokens". */
export const kindsTaking = (flag: KindFlag): KindName[] =>
  KIND_NAMES.filter((name) => MINT_KINDS[name].flags.includes(flag));
