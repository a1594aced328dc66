// musickit: Apple Music API / MusicKit developer tokens.
//
// Apple, "Generating developer tokens",
// https://developer.apple.com/documentation/applemusicapi/generating-developer-tokens :
// header alg "ES256" ("Apple Music supports only developer tokens signed with the ES256
// algorithm"), kid; claims iss (Team ID), iat, exp, whose "value must not be greater than 15777000
// (6 months in seconds) from the current Unix time on the server", and the optional origin
// ("Optional, but recommended for web clients ... Only use this JWT if the origin header of the
// request matches one of the values in the array"). The default is an hour; pass expiresIn for
// longer-lived tokens you embed.

import {
  type TeamKeyOptions,
  type KindMint,
  type TokenKind,
  atMost,
  defineToken,
  lasting,
} from "./kind.js";
import { validOrigins, validTeamId } from "../lib/validate.js";
import { SIX_MONTHS } from "../lib/defaults.js";

/**
 * Options for {@link createMusicKitToken}. Nothing here is mutated or kept.
 *
 * @example
 * ```ts
 * const options: MusicKitTokenOptions = {
 *   keyId,
 *   teamId,
 *   privateKey: pem,
 *   expiresIn: 86_400,
 *   origin: ["https://example.com"],
 * };
 * ```
 */
export interface MusicKitTokenOptions extends TeamKeyOptions {
  /**
   * Lifetime in seconds, `exp − iat`. Default 3600; at most 15,777,000
   * (six months, Apple's limit).
   */
  expiresIn?: number | undefined;
  /**
   * Web origins allowed to use the token, e.g. `["https://example.com"]`. Claim
   * `origin` (an array).
   */
  origin?: string | readonly string[] | undefined;
}

/** The MusicKit developer token kind: the rules of {@link createMusicKitToken}, as data. */
export const musicKitKind: TokenKind<MusicKitTokenOptions, "musickit"> = {
  name: "musickit",
  create: "createMusicKitToken",
  title: "MusicKit developer token",
  claims: { refuses: "Apple Music answers 401", iss: "team" },
  options: { teamId: true, expiresIn: false, origin: false },
  lifetime: {
    default: 3600,
    problem: /* @__PURE__ */ atMost(
      SIX_MONTHS,
      "Apple refuses tokens that expire over six months ahead",
    ),
  },
  build: (options) => {
    const iss = validTeamId(options.teamId);
    const origin = validOrigins(options.origin);
    const { iat, exp } = lasting(options, musicKitKind.lifetime);
    return { claims: { iss, iat, exp, ...(origin && { origin }) } };
  },
};

/**
 * Mints an Apple Music API / MusicKit developer token: header `{alg, kid}`, claims `iss` (Team
 * ID), `iat`, `exp` and, if given, `origin` (an array). `exp − iat` is `expiresIn` (default
 * 3600 s, at most 15,777,000 s); `iat` is backdated by `clockTolerance` (60 s).
 *
 * @example
 * ```ts
 * import { createMusicKitToken } from "asc-token";
 * const developerToken = await createMusicKitToken({
 *   keyId: "2X9R4HXF34",
 *   teamId: "DEF123GHIJ",
 *   privateKey: process.env.MUSICKIT_PRIVATE_KEY!,
 *   origin: ["https://music.example.com"],
 * });
 * await fetch("https://api.music.apple.com/v1/catalog/us/songs/203709340", {
 *   headers: { Authorization: `Bearer ${developerToken}` },
 * });
 * ```
 */
export const createMusicKitToken: KindMint<MusicKitTokenOptions, "musickit"> =
  /* @__PURE__ */ defineToken(musicKitKind);
