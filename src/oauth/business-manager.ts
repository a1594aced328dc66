// business-manager: access tokens of the Apple Business Manager and Apple School Manager APIs.
//
// Apple, "Implementing OAuth for the Apple School Manager and Apple Business API": POST to
// https://account.apple.com/auth/oauth2/token with grant_type "client_credentials", client_id,
// client_assertion_type "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
// client_assertion (kinds/apple-business-manager.ts) and scope ("The value is business.api or
// school.api"); the answer is { access_token, token_type "Bearer", expires_in 3600, scope }. "Apps
// need to generate an access token every hour, and also whenever Apple School Manager and Apple
// Business APIs return a '401' response": createAuthorizedFetch drops the token on a 401.

import { invalid } from "../lib/errors.js";
import {
  type AppleBusinessManagerAssertionOptions,
  appleBusinessManagerKind,
  createAppleBusinessManagerAssertion,
} from "../kinds/apple-business-manager.js";
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

const TOKEN_URL = "https://account.apple.com/auth/oauth2/token";
const SCOPES: readonly string[] = ["business.api", "school.api"];

/**
 * Options for {@link createAppleBusinessManagerTokenProvider}: those of
 * {@link createAppleBusinessManagerAssertion}, the scope, and the provider's.
 *
 * @example
 * ```ts
 * const options: AppleBusinessManagerTokenProviderOptions = {
 *   clientId: "BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152",
 *   keyId: "d136aa66-0c3b-4bd4-9892-c20e8db024ab",
 *   privateKey: pem,
 *   scope: "business.api",
 * };
 * ```
 */
export interface AppleBusinessManagerTokenProviderOptions
  extends AppleBusinessManagerAssertionOptions, OAuthProviderOptions {
  /** `"business.api"` (Apple Business Manager) or `"school.api"` (Apple School Manager). */
  scope: "business.api" | "school.api";
}

/**
 * A {@link TokenProvider} of Apple Business Manager or Apple School Manager API access tokens.
 * Each exchange signs a client assertion with {@link createAppleBusinessManagerAssertion} and posts
 * it to `https://account.apple.com/auth/oauth2/token` (client credentials); the access token is
 * reused until `refreshBefore` seconds (default 300) before its stated `expires_in` (at most an
 * hour) run out; concurrent callers share one exchange; a failed refresh serves the still-good
 * token and tells `onError`; after a 429 Apple is not asked again before its `Retry-After`. With
 * `store`, a fleet makes one exchange per hour. Use it with {@link createAuthorizedFetch}: a 401
 * drops the token and retries once with a new one, as Apple asks.
 *
 * Errors: `OAUTH_INVALID_CLIENT`, `OAUTH_INVALID_SCOPE`, `OAUTH_INVALID_REQUEST` (Apple's `error`),
 * `OAUTH_RATE_LIMITED`, `OAUTH_UNAVAILABLE`, `OAUTH_REQUEST_FAILED`, `OAUTH_RESPONSE_MALFORMED`,
 * and those of the assertion. Every option but the key is checked now. No message holds a token.
 *
 * @example
 * ```ts
 * import { createAppleBusinessManagerTokenProvider, createAuthorizedFetch } from "asc-token";
 * const abm = createAppleBusinessManagerTokenProvider({
 *   clientId: "BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152",
 *   keyId: "d136aa66-0c3b-4bd4-9892-c20e8db024ab",
 *   privateKey: process.env.ABM_PRIVATE_KEY!,
 *   scope: "business.api",
 * });
 * const abmFetch = createAuthorizedFetch(abm);
 * const devices = await (await abmFetch("https://api-business.apple.com/v1/orgDevices")).json();
 * ```
 */
export const createAppleBusinessManagerTokenProvider = (
  options: AppleBusinessManagerTokenProviderOptions,
): TokenProvider => {
  const kind = appleBusinessManagerKind as unknown as TokenKind;
  const read = readKindOptions(kind, options, [...OAUTH_OPTIONS, "scope"]);
  const assertion: Record<string, unknown> = {};
  for (const name of kindOptionNames(kind)) assertion[name] = read[name];
  const given = readOAuthOptions(read);
  const scope = read.scope;
  if (typeof scope !== "string" || !SCOPES.includes(scope)) {
    throw invalid("INVALID_SCOPE", "scope", '"business.api" or "school.api"', scope);
  }
  // Every option but the key is checked now, not on the first request.
  validPortalKeyId(assertion.keyId);
  kind.build(assertion as never);
  epochSeconds(assertion.now as never);
  const clientId = assertion.clientId as string;
  return createOAuthProvider(
    {
      url: TOKEN_URL,
      storeKey: ["asc-token", "v1", "apple-business-manager", clientId, scope].join(":"),
      now: assertion.now as never,
      form: async () => ({
        grant_type: "client_credentials",
        client_id: clientId,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: await createAppleBusinessManagerAssertion(
          assertion as unknown as AppleBusinessManagerAssertionOptions,
        ),
        scope,
      }),
    },
    given,
  );
};
