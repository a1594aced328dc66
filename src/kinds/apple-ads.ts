// apple-ads: the client secret the Apple Ads API (Campaign Management API and Apple Ads Platform
// API) takes in exchange for an access token (oauth/apple-ads.ts makes the exchange).
//
// Apple, "Implementing OAuth for the Apple Ads API" and "Implementing OAuth for the Apple Ads
// Platform API" (linked from docs/apple-ads.md): the key is one you generate with `openssl ecparam
// -genkey -name prime256v1 -noout` (a SEC1 "EC PRIVATE KEY", read as it is); header alg "ES256",
// kid ("your keyId that returns when you upload a public key"); claims aud
// "https://appleid.apple.com", exp ("greater than the current date and time, and less than 180 days
// from the iat timestamp"), iss ("your teamId"), iat and sub ("your clientId"). No jti: Apple lists
// none. The default lifetime is an hour: the secret is sent once, right after it is signed.

import {
  type AppleKeyOptions,
  type KindMint,
  type TokenKind,
  UNDER_180_DAYS_LIFETIME,
  defineToken,
  lasting,
} from "./kind.js";
import { validPortalId, validPortalKeyId } from "../lib/validate.js";

/**
 * Options for {@link createAppleAdsClientSecret}. Nothing here is mutated or kept.
 *
 * @example
 * ```ts
 * const options: AppleAdsClientSecretOptions = {
 *   clientId: "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577",
 *   teamId: "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577",
 *   keyId: "bacaebda-e219-41ee-a907-e2c25b24d1b2",
 *   privateKey: pem,
 * };
 * ```
 */
export interface AppleAdsClientSecretOptions extends AppleKeyOptions {
  /** The `keyId` Apple Ads shows after you upload the public key (a UUID). Header `kid`. */
  keyId: string;
  /** The `clientId` Apple Ads shows, e.g. `SEARCHADS.27478e71-…`. Claim `sub`. */
  clientId: string;
  /** The `teamId` Apple Ads shows, e.g. `SEARCHADS.27478e71-…`. Claim `iss`. */
  teamId: string;
  /**
   * Lifetime in seconds, `exp − iat`. Default 3600; less than 180 days (at most 15,551,999 s,
   * Apple's limit).
   */
  expiresIn?: number | undefined;
}

/** The Apple Ads API client secret kind: the rules of {@link createAppleAdsClientSecret}. */
export const appleAdsKind: TokenKind<AppleAdsClientSecretOptions, "apple-ads"> = {
  name: "apple-ads",
  create: "createAppleAdsClientSecret",
  title: "Apple Ads client secret",
  claims: {
    refuses: "Apple's token endpoint answers invalid_client",
    iss: { what: "the teamId Apple Ads shows, like SEARCHADS.27478e71-…" },
    aud: ["https://appleid.apple.com"],
    sub: "the clientId Apple Ads shows, like SEARCHADS.27478e71-…",
  },
  options: { clientId: true, teamId: true, expiresIn: false },
  keyId: validPortalKeyId,
  lifetime: UNDER_180_DAYS_LIFETIME,
  build: (options) => {
    const example = "SEARCHADS.27478e71-…";
    const iss = validPortalId(options.teamId, "INVALID_TEAM_ID", "teamId", example);
    const sub = validPortalId(options.clientId, "INVALID_CLIENT_ID", "clientId", example);
    const { iat, exp } = lasting(options, appleAdsKind.lifetime);
    return { claims: { iss, iat, exp, aud: "https://appleid.apple.com", sub } };
  },
};

/**
 * Mints the client secret of the Apple Ads API: header `{alg, kid}`, claims `iss` (your team ID),
 * `sub` (your client ID), `aud: "https://appleid.apple.com"`, `iat` and `exp`. `exp − iat` is
 * `expiresIn` (default 3600 s, less than 180 days); `iat` is backdated by `clockTolerance` (60 s).
 * The key is the one you made with `openssl ecparam -genkey -name prime256v1 -noout`, passed as it
 * is. To get access tokens, use {@link createAppleAdsTokenProvider}.
 *
 * @example
 * ```ts
 * import { createAppleAdsClientSecret } from "asc-token";
 * const clientSecret = await createAppleAdsClientSecret({
 *   clientId: "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577",
 *   teamId: "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577",
 *   keyId: "bacaebda-e219-41ee-a907-e2c25b24d1b2",
 *   privateKey: process.env.APPLE_ADS_PRIVATE_KEY!,
 * });
 * ```
 */
export const createAppleAdsClientSecret: KindMint<AppleAdsClientSecretOptions, "apple-ads"> =
  /* @__PURE__ */ defineToken(appleAdsKind);
