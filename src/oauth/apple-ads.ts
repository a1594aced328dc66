// apple-ads: access tokens of the Apple Ads API (Campaign Management API 5, Apple Ads Platform
// API).
//
// Apple, "Implementing OAuth for the Apple Ads API": POST to
// https://appleid.apple.com/auth/oauth2/token with client_id, client_secret (kinds/apple-ads.ts),
// grant_type "client_credentials" and scope "searchadsorg"; the answer is { access_token,
// token_type "Bearer", expires_in 3600, scope }.
// Apple, "Calling the Apple Ads API": each call sends `Authorization: Bearer {access_token}` and
// `X-AP-Context: orgId={orgId}` (Campaign Management API; the Platform API's is
// `adAccountId={adAccountId}`, "Calling the Apple Ads Platform API"): the caller's header, which
// createAuthorizedFetch passes on.

import {
  type AppleAdsClientSecretOptions,
  appleAdsKind,
  createAppleAdsClientSecret,
} from "../kinds/apple-ads.js";
import type { TokenProvider } from "../provider/token-provider.js";
import { epochSeconds } from "../lib/time.js";
import { type TokenKind, kindOptionNames, readKindOptions } from "../kinds/kind.js";
import { validPortalKeyId } from "../lib/validate.js";
import {
  OAUTH_OPTIONS,
  type OAuthProviderOptions,
  createOAuthProvider,
  readOAuthOptions,
} from "./provider.js";

const TOKEN_URL = "https://appleid.apple.com/auth/oauth2/token";

/**
 * Options for {@link createAppleAdsTokenProvider}: those of {@link createAppleAdsClientSecret} and
 * the provider's.
 *
 * @example
 * ```ts
 * const options: AppleAdsTokenProviderOptions = {
 *   clientId: "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577",
 *   teamId: "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577",
 *   keyId: "bacaebda-e219-41ee-a907-e2c25b24d1b2",
 *   privateKey: pem,
 * };
 * ```
 */
export interface AppleAdsTokenProviderOptions
  extends AppleAdsClientSecretOptions, OAuthProviderOptions {}

/**
 * A {@link TokenProvider} of Apple Ads API access tokens. Each exchange signs a client secret with
 * {@link createAppleAdsClientSecret} and posts it to `https://appleid.apple.com/auth/oauth2/token`
 * (client credentials, scope `searchadsorg`); the access token is reused until `refreshBefore`
 * seconds (default 300) before its stated `expires_in` (at most an hour) run out; concurrent
 * callers share one exchange; a failed refresh serves the still-good token and tells `onError`;
 * after a 429 Apple is not asked again before its `Retry-After`. With `store`, a fleet makes one
 * exchange per hour. With {@link createAuthorizedFetch}, pass Apple's `X-AP-Context` header on
 * each call (`orgId=…`, or `adAccountId=…` for the Platform API).
 *
 * Errors: those of {@link createAppleBusinessManagerTokenProvider}, and those of the client secret.
 *
 * @example
 * ```ts
 * import { createAppleAdsTokenProvider, createAuthorizedFetch } from "asc-token";
 * const ads = createAppleAdsTokenProvider({
 *   clientId: "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577",
 *   teamId: "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577",
 *   keyId: "bacaebda-e219-41ee-a907-e2c25b24d1b2",
 *   privateKey: process.env.APPLE_ADS_PRIVATE_KEY!,
 * });
 * const adsFetch = createAuthorizedFetch(ads);
 * const campaigns = await adsFetch("https://api.searchads.apple.com/api/v5/campaigns", {
 *   headers: { "X-AP-Context": "orgId=40669820" },
 * });
 * ```
 */
export const createAppleAdsTokenProvider = (
  options: AppleAdsTokenProviderOptions,
): TokenProvider => {
  const kind = appleAdsKind as unknown as TokenKind;
  const read = readKindOptions(kind, options, [...OAUTH_OPTIONS]);
  const secret: Record<string, unknown> = {};
  for (const name of kindOptionNames(kind)) secret[name] = read[name];
  const given = readOAuthOptions(read);
  // Every option but the key is checked now, not on the first request.
  validPortalKeyId(secret.keyId);
  kind.build(secret as never);
  epochSeconds(secret.now as never);
  const clientId = secret.clientId as string;
  return createOAuthProvider(
    {
      url: TOKEN_URL,
      storeKey: ["asc-token", "v1", "apple-ads", clientId, "searchadsorg"].join(":"),
      now: secret.now as never,
      form: async () => ({
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: await createAppleAdsClientSecret(
          secret as unknown as AppleAdsClientSecretOptions,
        ),
        scope: "searchadsorg",
      }),
    },
    given,
  );
};
