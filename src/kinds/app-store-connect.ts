// app-store-connect: tokens for the App Store Connect API (and the Enterprise Program API, which
// takes the same token with its own audience).
//
// Apple, "Generating tokens for API requests",
// https://developer.apple.com/documentation/appstoreconnectapi/generating-tokens-for-api-requests :
// header alg "ES256", kid, typ "JWT"; claims iss (issuer ID; an individual key has sub "user"
// instead), iat, exp, aud "appstoreconnect-v1", and an optional scope, a list of requests. "Tokens
// that expire more than 20 minutes into the future are not valid", except tokens whose scope lists
// only GETs of the resources that allow six months. The Enterprise Program API allows 20
// minutes, no more, as its page says:
// https://developer.apple.com/documentation/enterpriseprogramapi/generating-tokens-for-api-requests

import { invalid } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import {
  type AppleKeyOptions,
  type KindMint,
  type TokenKind,
  defineToken,
  validity,
} from "./kind.js";
import { matches, validIssuerId } from "../lib/validate.js";
import { SIX_MONTHS } from "../lib/defaults.js";

/**
 * Audiences Apple's `.p8` team and individual API keys sign for.
 *
 * @example
 * ```ts
 * const audience: AscAudience = "apple-developer-enterprise-v1"; // Enterprise Program API
 * ```
 */
export type AscAudience = "appstoreconnect-v1" | "apple-developer-enterprise-v1";

/**
 * Options for {@link createAscToken}. Nothing here is mutated or kept.
 *
 * @example
 * ```ts
 * const options: AscTokenOptions = {
 *   keyId: "2X9R4HXF34",
 *   issuerId,
 *   privateKey: pem,
 *   scope: ["GET /v1/apps"],
 * };
 * ```
 */
export interface AscTokenOptions extends AppleKeyOptions {
  /**
   * Your team's issuer ID (a UUID, from App Store Connect → Users and Access → Integrations).
   * Present: a team key, claim `iss`. Left out: an individual key, claim `sub: "user"`.
   * Given as `undefined` or `""` (an unset environment variable): refused, never an individual
   * key's token.
   */
  issuerId?: string;
  /**
   * Lifetime in seconds, as Apple measures it: `exp − iat`. Default 1140 (19 minutes). At most
   * 1200, or up to 15,777,000 (six months) for a scope of GET requests to the resources Apple
   * allows long-lived tokens for.
   */
  expiresIn?: number | undefined;
  /** Requests the token is limited to, e.g. `["GET /v1/apps?filter[platform]=IOS"]`. */
  scope?: readonly string[] | undefined;
  /**
   * `"appstoreconnect-v1"` (default) or `"apple-developer-enterprise-v1"` for the Enterprise
   * Program API.
   */
  audience?: AscAudience | undefined;
}

/** Every {@link AscAudience}. */
export const ASC_AUDIENCES: readonly string[] = [
  "appstoreconnect-v1",
  "apple-developer-enterprise-v1",
];

/** Default `exp − iat`: 20 minutes less 60 s of margin; see README "Lifetime and clock skew". */
const DEFAULT_LIFETIME = 1140;
/** Apple's limit for ordinary tokens: `exp − iat` at most 20 minutes. */
const MAX_LIFETIME = 1200;
/** Apple's limit for long-lived (scoped, GET-only, allowed resources) tokens: six months. */
const MAX_LONG_LIFETIME = SIX_MONTHS;

/** `METHOD /vN/path?query`: an upper-case method, one space, a versioned path, no whitespace. */
const ENTRY = /^[A-Z]+ \/v\d+\/\S*$/;
/** What a scope entry looks like, for the error messages. */
const SHAPE = '"METHOD /v1/path?query"';

/**
 * GET requests a long-lived token may carry. Apple, "Generating Tokens for API Requests",
 * https://developer.apple.com/documentation/appstoreconnectapi/generating-tokens-for-api-requests :
 * "App Store Connect accepts a token with a lifetime of up to six months for the following
 * resources: Build Actions, Build Runs, Git References, Issues, macOS Versions, Products,
 * Providers, Power and Performance Metrics and Logs, Pull Requests, Repositories, Test Results,
 * Workflows, Xcode Versions." Their paths, from each collection page in the API reference
 * (https://developer.apple.com/documentation/appstoreconnectapi/build-actions, .../build-runs,
 * .../git-references, .../issues, .../macos-versions, .../products, .../providers,
 * .../pull-requests, .../repositories, .../test-results, .../workflows, .../xcode-versions, each
 * noting "This resource supports JSON web tokens with a lifetime of up to six months"; and
 * .../artifacts, which says the same though the token page does not list it):
 * /v1/ciBuildActions, /v1/ciBuildRuns, /v1/scmGitReferences, /v1/ciIssues, /v1/ciMacOsVersions,
 * /v1/ciProducts, /v1/scmProviders, /v1/scmPullRequests, /v1/scmRepositories, /v1/ciTestResults,
 * /v1/ciWorkflows, /v1/ciXcodeVersions, /v1/ciArtifacts, and everything below them. Power and
 * Performance Metrics and Logs: /v1/apps/{id}/perfPowerMetrics, /v1/builds/{id}/perfPowerMetrics,
 * /v1/builds/{id}/diagnosticSignatures and /v1/diagnosticSignatures/{id}/logs, from the page
 * "Power and Performance Metrics and Logs" (.../power-and-performance-metrics-and-logs; linked
 * from docs/lifetime.md).
 *
 * Paths under other resources (e.g. /v1/apps/{id}/ciProduct) are not listed, so we refuse them.
 */
const LONG_LIVED = [
  // CI and SCM collections, and everything below them.
  /^GET \/v\d+\/ci(?:Artifacts|BuildActions|BuildRuns|Issues|MacOsVersions|Products)(?:[/?]|$)/,
  /^GET \/v\d+\/ci(?:TestResults|Workflows|XcodeVersions)(?:[/?]|$)/,
  /^GET \/v\d+\/scm(?:GitReferences|Providers|PullRequests|Repositories)(?:[/?]|$)/,
  // Power and Performance Metrics and Logs: these paths exactly, with a query or none.
  /^GET \/v\d+\/(?:apps|builds)\/[^/?]+\/perfPowerMetrics(?:\?|$)/,
  /^GET \/v\d+\/builds\/[^/?]+\/diagnosticSignatures(?:\?|$)/,
  /^GET \/v\d+\/diagnosticSignatures\/[^/?]+\/logs(?:\?|$)/,
];

/** Validates `scope` and returns a copy (never the caller's array), or undefined when absent. */
export const validScope = (scope: unknown): string[] | undefined => {
  if (scope === undefined) return undefined;
  if (!Array.isArray(scope) || scope.length === 0) {
    throw invalid("INVALID_SCOPE", "scope", `a non-empty array of ${SHAPE}`, scope);
  }
  // Array.from, not map: a hole in the array is checked (as undefined), not skipped.
  return Array.from(scope as unknown[], (entry, index) => {
    if (typeof entry !== "string" || !ENTRY.test(entry)) {
      // Right but for case: most often a method written in lower case.
      const lower = matches(entry, new RegExp(ENTRY, "i"));
      const got = `${showValue(entry)}${lower ? " (the method must be upper case)" : ""}`;
      throw invalid("INVALID_SCOPE", `scope[${index}]`, SHAPE, entry, got);
    }
    return entry;
  });
};

/**
 * Why `lifetime` (`exp − iat`, seconds) breaks Apple's rules, as a phrase to follow "expiresIn";
 * undefined when it is fine: at most 20 minutes, or up to six months when every scope entry is a
 * GET of a resource on Apple's long-lived list. Those resources are App Store Connect's: the
 * Enterprise Program API allows 20 minutes, no more.
 */
export const lifetimeProblem = (
  lifetime: number,
  claims: { readonly scope?: unknown; readonly aud?: unknown } = {},
): string | undefined => {
  if (lifetime <= MAX_LIFETIME) return undefined;
  const scope = claims.scope as readonly string[] | undefined;
  if (claims.aud === "apple-developer-enterprise-v1") {
    return `must be <= ${MAX_LIFETIME} s for the Enterprise Program API`;
  }
  if (lifetime > MAX_LONG_LIFETIME) return `must be <= ${MAX_LONG_LIFETIME} s (six months)`;
  const bad = scope?.find((entry) => !LONG_LIVED.some((resource) => resource.test(entry)));
  if (scope && bad === undefined) return undefined;
  const long = `over ${MAX_LIFETIME} s needs a scope of GETs of long-lived resources`;
  return bad === undefined ? long : `${long}: scope entry ${showValue(bad)} is not one`;
};

/** The App Store Connect API token kind: the rules of {@link createAscToken}, as data. */
export const ascKind: TokenKind<AscTokenOptions, "app-store-connect"> = {
  name: "app-store-connect",
  create: "createAscToken",
  options: { issuerId: false, expiresIn: false, scope: false, audience: false },
  lifetime: {
    default: DEFAULT_LIFETIME,
    problem: lifetimeProblem,
  },
  build: (options) => {
    const { issuerId, audience = "appstoreconnect-v1" } = options;
    // Only an issuerId left out asks for an individual key: one given as undefined is most
    // often an unset environment variable, and a team key's token without it gets a 401.
    const iss = !("issuerId" in options)
      ? undefined
      : validIssuerId(issuerId, "a UUID (or left out for an individual key)");
    if (!ASC_AUDIENCES.includes(audience)) {
      throw invalid("INVALID_AUDIENCE", "audience", ASC_AUDIENCES.join(" or "), audience);
    }
    const scope = validScope(options.scope);
    const { iat, exp } = validity(options, DEFAULT_LIFETIME, (seconds) =>
      lifetimeProblem(seconds, { scope, aud: audience }),
    );
    return {
      header: { typ: "JWT" },
      // JSON leaves out the undefined ones: `iss` or `sub`, and `scope` only when given.
      claims: { iss, sub: iss ? undefined : "user", iat, exp, aud: audience, scope },
    };
  },
};

/**
 * Mints an App Store Connect API token: an ES256 JWT with header `{alg, kid, typ}` and claims
 * `iss` (or `sub: "user"` for an individual key), `iat`, `exp`, `aud` and, if given, `scope`.
 *
 * Validates every option first and rejects with an {@link AscTokenError} whose `code` says what
 * to fix. `iat` is backdated by `clockTolerance` (60 s) and `exp − iat` is `expiresIn` (1140 s),
 * so a clock up to a minute off either way still gets a token Apple accepts.
 *
 * @example
 * ```ts
 * import { createAscToken } from "asc-token";
 * const token = await createAscToken({
 *   keyId: "2X9R4HXF34",
 *   issuerId: "57246542-96fe-1a63-e053-0824d011072a",
 *   privateKey: process.env.ASC_PRIVATE_KEY!, // contents of AuthKey_2X9R4HXF34.p8
 * });
 * await fetch("https://api.appstoreconnect.apple.com/v1/apps", {
 *   headers: { Authorization: `Bearer ${token}` },
 * });
 * ```
 */
export const createAscToken: KindMint<AscTokenOptions, "app-store-connect"> =
  /* @__PURE__ */ defineToken(ascKind);
