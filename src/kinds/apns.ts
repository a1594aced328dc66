// apns: provider authentication tokens for Apple Push Notification service.
//
// Apple, "Establishing a token-based connection to APNs" (linked from docs/apple-tokens.md),
// says: header alg "ES256" ("APNs supports only the ES256 algorithm"), kid; claims iss (the
// 10-character Team ID) and iat, nothing else: no exp, no aud. "If the value in the iat field is
// more than one hour old, APNs rejects any notifications containing the token"; "Refresh your token
// no more than once every 20 minutes and no less than once every 60 minutes."

import {
  type TeamKeyOptions,
  type KindMint,
  type TokenKind,
  atMost,
  defineToken,
  issuedAtOnly,
} from "./kind.js";
import { validTeamId } from "../lib/validate.js";

/** @internal APNs refuses a token whose `iat` is this many seconds old (60 minutes). */
export const APNS_MAX_AGE = 3600;
/** @internal Apple's shortest interval between two provider tokens, in seconds (20 minutes). */
export const APNS_MIN_INTERVAL = 1200;

/**
 * Options for {@link createApnsToken}. Nothing here is mutated or kept.
 *
 * @example
 * ```ts
 * const options: ApnsTokenOptions = { keyId: "2X9R4HXF34", teamId: "DEF123GHIJ", privateKey: pem };
 * ```
 */
export type ApnsTokenOptions = TeamKeyOptions;

/** The APNs provider token kind: the rules of {@link createApnsToken}, as data. */
export const apnsKind: TokenKind<ApnsTokenOptions, "apns"> = {
  name: "apns",
  create: "createApnsToken",
  title: "APNs provider token",
  claims: { refuses: "APNs answers 403 InvalidProviderToken", iss: "team" },
  options: { teamId: true },
  lifetime: {
    // "If the value in the iat field is more than one hour old, APNs rejects any notifications
    // containing the token."
    problem: /* @__PURE__ */ atMost(
      APNS_MAX_AGE,
      "APNs refuses a token whose iat is more than one hour old",
    ),
    maxAge: APNS_MAX_AGE,
    // Replaced 5 minutes before 50: well inside the hour.
    defaultMaxAge: 3000,
    // "Refresh your token no more than once every 20 minutes."
    minInterval: APNS_MIN_INTERVAL,
  },
  build: (options) => ({
    claims: { iss: validTeamId(options.teamId), iat: issuedAtOnly(options) },
  }),
};

/**
 * Mints an APNs provider token: header `{alg, kid}`, claims `iss` (Team ID) and `iat` (backdated
 * by `clockTolerance`, 60 s). There is no `exp`: APNs refuses a token whose `iat` is over an hour
 * old, and one replaced more often than every 20 minutes, so mint one and reuse it for 20 to 50
 * minutes.
 *
 * @example
 * ```ts
 * import { createApnsToken } from "asc-token";
 * const token = await createApnsToken({
 *   keyId: "2X9R4HXF34",
 *   teamId: "DEF123GHIJ",
 *   privateKey: process.env.APNS_PRIVATE_KEY!, // contents of AuthKey_2X9R4HXF34.p8
 * });
 * // HTTP/2 POST https://api.push.apple.com/3/device/<device token>
 * // headers: { authorization: `bearer ${token}`, "apns-topic": "com.example.app" }
 * ```
 */
export const createApnsToken: KindMint<ApnsTokenOptions, "apns"> =
  /* @__PURE__ */ defineToken(apnsKind);
