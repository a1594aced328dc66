// kinds: the list of Apple token kinds, which the CLI, the doctor and the tests enumerate, taken
// from the mint functions of all.ts (each carries its kind). The mint functions are named here
// once more, not read from a namespace import of all.ts: bundlers keep a namespace object and
// everything it reaches, which would put every kind in a createAscToken-only bundle. The type of
// MINTS is all.ts's exports, so the compiler refuses a kind missing here.

import {
  createApnsToken,
  createAppStoreServerToken,
  createAppleAdsClientSecret,
  createAppleBusinessManagerAssertion,
  createAscToken,
  createDeviceCheckToken,
  createInAppSignature,
  createMapKitToken,
  createMusicKitToken,
  createSignInWithAppleSecret,
  createWeatherKitToken,
} from "./all.js";
import type * as all from "./all.js";
import type { AppleKeyOptions, TokenKind } from "./kind.js";

/** Every mint function all.ts exports: the compiler proves this object names each one. */
const MINTS: typeof all = {
  createApnsToken,
  createAppStoreServerToken,
  createAppleAdsClientSecret,
  createAppleBusinessManagerAssertion,
  createAscToken,
  createDeviceCheckToken,
  createInAppSignature,
  createMapKitToken,
  createMusicKitToken,
  createSignInWithAppleSecret,
  createWeatherKitToken,
};

/**
 * The name of every kind in {@link TOKEN_KINDS}: `"app-store-connect" | "apns" | …`.
 *
 * @example
 * ```ts
 * import type { TokenKindName } from "asc-token";
 * const kind: TokenKindName = "weatherkit";
 * ```
 */
export type TokenKindName = (typeof all)[keyof typeof all]["kind"]["name"];

/** The kinds the mint functions carry, sorted by name. */
const kindsOf = (mints: typeof all): TokenKind<AppleKeyOptions, TokenKindName>[] =>
  Object.values(mints)
    .map(
      (mint): TokenKind<AppleKeyOptions, TokenKindName> =>
        mint.kind as TokenKind<never, TokenKindName>,
    )
    .sort((a, b) => (a.name < b.name ? -1 : 1));

/**
 * Every Apple JWT kind asc-token mints, as data: name, mint function, option names, required
 * options, Apple's lifetime rules, and whether a token may be reused. Sorted by name. (The
 * promotional offer signature is not a JWT, and not here.)
 *
 * @example
 * ```ts
 * import { TOKEN_KINDS } from "asc-token";
 * const apns = TOKEN_KINDS.find((kind) => kind.name === "apns");
 * console.log(apns?.lifetime.maxAge); // 3600: APNs refuses a token over an hour old
 * ```
 */
export const TOKEN_KINDS: readonly TokenKind<AppleKeyOptions, TokenKindName>[] =
  /* @__PURE__ */ kindsOf(MINTS);
