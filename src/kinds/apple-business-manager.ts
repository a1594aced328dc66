// apple-business-manager: the client assertion the Apple Business Manager and Apple School Manager
// APIs take in exchange for an access token (oauth/business-manager.ts makes the exchange).
//
// Apple, "Implementing OAuth for the Apple School Manager and Apple Business API" (linked from
// docs/apple-business-manager.md): header alg "ES256", kid ("your keyId that returns when you
// upload a public key"); claims aud "https://account.apple.com/auth/oauth2/v2/token", exp ("greater
// than the current date and time, and less than 180 days from the iat timestamp"), iat, sub ("your
// clientId") and jti ("Any unique identifier"); Apple's example script also sets iss, to the client
// ID. The audience is not the URL the assertion is posted to (https://account.apple.com/auth/
// oauth2/token): Apple's page names both. The default lifetime is an hour: the assertion is sent
// once, right after it is signed.

import {
  type AppleKeyOptions,
  type KindMint,
  type TokenKind,
  UNDER_180_DAYS_LIFETIME,
  defineToken,
  lasting,
} from "./kind.js";
import { randomNonce } from "../lib/nonce.js";
import { validPortalId, validPortalKeyId } from "../lib/validate.js";

/** The audience Apple names for the client assertion (not the token endpoint's URL). */
export const BUSINESS_MANAGER_AUDIENCE = "https://account.apple.com/auth/oauth2/v2/token";

/**
 * Options for {@link createAppleBusinessManagerAssertion}. Nothing here is mutated or kept.
 *
 * @example
 * ```ts
 * const options: AppleBusinessManagerAssertionOptions = {
 *   clientId: "BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152",
 *   keyId: "d136aa66-0c3b-4bd4-9892-c20e8db024ab",
 *   privateKey: pem,
 * };
 * ```
 */
export interface AppleBusinessManagerAssertionOptions extends AppleKeyOptions {
  /**
   * The Key ID Apple Business Manager or Apple School Manager shows for the API account's key (a
   * UUID). Goes into the header's `kid`.
   */
  keyId: string;
  /**
   * The API account's Client ID, e.g. `BUSINESSAPI.9703f56c-…` or `SCHOOLAPI.…`. Claims `iss` and
   * `sub`.
   */
  clientId: string;
  /**
   * Lifetime in seconds, `exp − iat`. Default 3600; less than 180 days (at most 15,551,999 s,
   * Apple's limit).
   */
  expiresIn?: number | undefined;
}

/** The Apple Business Manager client assertion kind, as data. */
export const appleBusinessManagerKind: TokenKind<
  AppleBusinessManagerAssertionOptions,
  "apple-business-manager"
> = {
  name: "apple-business-manager",
  create: "createAppleBusinessManagerAssertion",
  title: "Apple Business Manager client assertion",
  claims: {
    refuses: "Apple's token endpoint answers invalid_client",
    iss: { what: "the API account's client ID, like BUSINESSAPI.9703f56c-…" },
    aud: [BUSINESS_MANAGER_AUDIENCE],
    sub: "the API account's client ID, like BUSINESSAPI.9703f56c-…",
  },
  options: { clientId: true, expiresIn: false },
  keyId: validPortalKeyId,
  lifetime: UNDER_180_DAYS_LIFETIME,
  build: (options) => {
    const clientId = validPortalId(
      options.clientId,
      "INVALID_CLIENT_ID",
      "clientId",
      "BUSINESSAPI.9703f56c-…",
    );
    const { iat, exp } = lasting(options, appleBusinessManagerKind.lifetime);
    return {
      claims: {
        iss: clientId,
        sub: clientId,
        aud: BUSINESS_MANAGER_AUDIENCE,
        iat,
        exp,
        jti: randomNonce(),
      },
    };
  },
};

/**
 * Mints the client assertion of the Apple Business Manager and Apple School Manager APIs: header
 * `{alg, kid}`, claims `iss` and `sub` (your client ID), `aud:
 * "https://account.apple.com/auth/oauth2/v2/token"`, `iat`, `exp` and a random `jti`. `exp − iat`
 * is `expiresIn` (default 3600 s, less than 180 days); `iat` is backdated by `clockTolerance` (60
 * s). The key is the `.pem` the portal generated for the API account. To get access tokens, use
 * {@link createAppleBusinessManagerTokenProvider}, which makes one assertion per exchange.
 *
 * @example
 * ```ts
 * import { createAppleBusinessManagerAssertion } from "asc-token";
 * const clientAssertion = await createAppleBusinessManagerAssertion({
 *   clientId: "BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152",
 *   keyId: "d136aa66-0c3b-4bd4-9892-c20e8db024ab",
 *   privateKey: process.env.ABM_PRIVATE_KEY!,
 * });
 * ```
 */
export const createAppleBusinessManagerAssertion: KindMint<
  AppleBusinessManagerAssertionOptions,
  "apple-business-manager"
> = /* @__PURE__ */ defineToken(appleBusinessManagerKind);
