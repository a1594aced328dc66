// kinds: the list of Apple token kinds, which the CLI, the doctor and the tests enumerate, read
// from the mint functions all.ts exports (each carries its kind). A bundler keeps it, and the kinds
// it reaches, only where TOKEN_KINDS is used: the package ships ESM a file per module (see
// tsup.config.ts), so a createAscToken-only bundle holds one kind.

import * as all from "./all.js";
import type { AppleKeyOptions, TokenKind } from "./kind.js";

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
  /* @__PURE__ */ kindsOf(all);
