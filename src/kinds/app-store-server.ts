// app-store-server: tokens for the App Store Server API (the External Purchase Server API and the
// Retention Messaging API take the same token).
//
// Apple, "Generating JSON Web Tokens for API requests" (App Store Server API; linked from
// docs/apple-tokens.md) says: header alg "ES256" ("All JWTs must be signed with ES256
// encryption"), kid, typ "JWT"; claims iss (issuer ID), iat, exp, aud "appstoreconnect-v1", bid
// (bundle ID). "Tokens that expire more than 60 minutes after the time in iat are not valid."
// "Generate a new signed JWT for each new request": hence a short default of 5 minutes, enough
// for one request and its retries.

import {
  type AppleKeyOptions,
  type KindMint,
  type TokenKind,
  atMost,
  defineToken,
  lasting,
} from "./kind.js";
import { ISSUER_ID, validIdentifier, validIssuerId } from "../lib/validate.js";

/**
 * Options for {@link createAppStoreServerToken}. Nothing here is mutated or kept.
 *
 * @example
 * ```ts
 * const options: AppStoreServerTokenOptions = {
 *   keyId,
 *   issuerId,
 *   bundleId: "com.example.app",
 *   privateKey: pem,
 * };
 * ```
 */
export interface AppStoreServerTokenOptions extends AppleKeyOptions {
  /**
   * Your issuer ID (a UUID) from App Store Connect → Users and Access → Integrations.
   * Claim `iss`.
   */
  issuerId: string;
  /** Your app's bundle ID, e.g. `com.example.app`. Claim `bid`. */
  bundleId: string;
  /** Lifetime in seconds, `exp − iat`. Default 300; at most 3600 (Apple's limit). */
  expiresIn?: number | undefined;
}

/** The App Store Server API token kind: the rules of {@link createAppStoreServerToken}. */
export const appStoreServerKind: TokenKind<AppStoreServerTokenOptions, "app-store-server"> = {
  name: "app-store-server",
  create: "createAppStoreServerToken",
  title: "App Store Server API token",
  claims: {
    refuses: "Apple answers 401",
    typ: true,
    iss: "issuer",
    aud: ["appstoreconnect-v1"],
    bid: true,
  },
  options: { issuerId: true, bundleId: true, expiresIn: false },
  lifetime: {
    // "Generate a new signed JWT for each new request": enough for one request and its retries.
    default: 300,
    // "Tokens that expire more than 60 minutes after the time in iat are not valid."
    problem: /* @__PURE__ */ atMost(
      3600,
      "Apple refuses tokens that expire over 60 minutes after iat",
    ),
  },
  build: (options) => {
    const iss = validIssuerId(options.issuerId, ISSUER_ID);
    const bid = validIdentifier(options.bundleId, "bundleId", "your app's bundle ID");
    const { iat, exp } = lasting(options, appStoreServerKind.lifetime);
    return { header: { typ: "JWT" }, claims: { iss, iat, exp, aud: "appstoreconnect-v1", bid } };
  },
};

/**
 * Mints an App Store Server API token: header `{alg, kid, typ}`, claims `iss` (issuer ID), `iat`,
 * `exp`, `aud: "appstoreconnect-v1"` and `bid` (bundle ID). `exp − iat` is `expiresIn` (default
 * 300 s, at most 3600 s); `iat` is backdated by `clockTolerance` (60 s). Mint one per request,
 * not through a provider: Apple's page says "Generate a new signed JWT for each new request" (the
 * key import is cached, so that costs one signature). Hosts: `https://api.storekit.apple.com`
 * and `https://api.storekit-sandbox.apple.com` (the older `api.storekit.itunes.apple.com` and
 * `api.storekit-sandbox.itunes.apple.com` still answer).
 *
 * @example
 * ```ts
 * import { createAppStoreServerToken } from "asc-token";
 * const options = {
 *   keyId: "2X9R4HXF34",
 *   issuerId: "57246542-96fe-1a63-e053-0824d011072a",
 *   bundleId: "com.example.app",
 *   privateKey: process.env.IAP_PRIVATE_KEY!, // contents of SubscriptionKey_2X9R4HXF34.p8
 * };
 * // A new token for each request, as Apple asks.
 * const appStore = async (path: string, init: RequestInit = {}) => {
 *   const headers = new Headers(init.headers);
 *   headers.set("Authorization", `Bearer ${await createAppStoreServerToken(options)}`);
 *   return fetch(`https://api.storekit.apple.com${path}`, { ...init, headers });
 * };
 * const history = await (await appStore(`/inApps/v2/history/${transactionId}`)).json();
 * ```
 */
export const createAppStoreServerToken: KindMint<AppStoreServerTokenOptions, "app-store-server"> =
  /* @__PURE__ */ defineToken(appStoreServerKind);
