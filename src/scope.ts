// scope: the optional list of requests an App Store Connect token is limited to, and Apple's
// rule for tokens that live longer than 20 minutes.

import { fail, invalid } from "./errors.js";

/** Apple's limit for ordinary App Store Connect tokens: `exp − iat` at most 20 minutes. */
export const MAX_LIFETIME = 1200;
/** Apple's limit for long-lived (scoped, GET-only, allowed resources) tokens: six months. */
export const MAX_LONG_LIFETIME = 15_777_000;

/** `METHOD /vN/path?query`: an upper-case method, one space, a versioned path, no whitespace. */
const ENTRY = /^[A-Z]+ \/v\d+\/\S*$/;

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
 * Performance Metrics and Logs
 * (https://developer.apple.com/documentation/appstoreconnectapi/power-and-performance-metrics-and-logs):
 * /v1/apps/{id}/perfPowerMetrics, /v1/builds/{id}/perfPowerMetrics,
 * /v1/builds/{id}/diagnosticSignatures, /v1/diagnosticSignatures/{id}/logs.
 * Paths under other resources (e.g. /v1/apps/{id}/ciProduct) are not listed, so we refuse them.
 */
const LONG_LIVED =
  /^GET \/v\d+\/(?:(?:ci(?:Artifacts|BuildActions|BuildRuns|Issues|MacOsVersions|Products|TestResults|Workflows|XcodeVersions)|scm(?:GitReferences|Providers|PullRequests|Repositories))(?:[/?]|$)|(?:(?:apps|builds)\/[^/?]+\/perfPowerMetrics|builds\/[^/?]+\/diagnosticSignatures|diagnosticSignatures\/[^/?]+\/logs)(?:\?|$))/;

/** What a scope entry looks like, for the error messages. */
const SHAPE = '"METHOD /v1/path?query"';

/** Validates `scope` and returns a copy (never the caller's array), or undefined when absent. */
export const checkScope = (scope: unknown): string[] | undefined => {
  if (scope === undefined) return undefined;
  if (!Array.isArray(scope) || scope.length === 0) {
    throw invalid("INVALID_SCOPE", "scope", `a non-empty array of ${SHAPE}`, scope);
  }
  // Array.from, not map: a hole in the array must be checked (as undefined), not skipped.
  return Array.from(scope as unknown[], (entry, index) => {
    if (typeof entry !== "string" || !ENTRY.test(entry))
      throw invalid("INVALID_SCOPE", `scope[${index}]`, SHAPE, entry);
    return entry;
  });
};

/**
 * Why `lifetime` (`exp − iat`, seconds) breaks Apple's rules, as a phrase to follow "lifetime"
 * or "expiresIn"; undefined when it is fine: at most 20 minutes, or up to six months when every
 * scope entry is a GET of a resource on Apple's long-lived list. Those resources are App Store
 * Connect's: the Enterprise Program API allows 20 minutes, no more (Apple, "Generating tokens
 * for API requests", https://developer.apple.com/documentation/enterpriseprogramapi/generating-tokens-for-api-requests).
 */
export const lifetimeProblem = (
  lifetime: number,
  scope: readonly string[] | undefined,
  audience?: unknown,
): string | undefined => {
  if (lifetime <= MAX_LIFETIME) return undefined;
  if (audience === "apple-developer-enterprise-v1")
    return `must be <= ${MAX_LIFETIME} s for the Enterprise Program API`;
  if (lifetime > MAX_LONG_LIFETIME) return `must be <= ${MAX_LONG_LIFETIME} s (six months)`;
  const bad = scope?.find((entry) => !LONG_LIVED.test(entry));
  return scope && bad === undefined
    ? undefined
    : `over ${MAX_LIFETIME} s needs a scope of GETs of resources that allow long-lived tokens${bad === undefined ? "" : `: scope entry ${JSON.stringify(bad.length > 80 ? `${bad.slice(0, 80)}…` : bad)} is not one`}`;
};

/** Throws `LIFETIME_TOO_LONG` when {@link lifetimeProblem} finds one. */
export const checkLifetime = (
  lifetime: number,
  scope: readonly string[] | undefined,
  audience?: unknown,
): void => {
  const problem = lifetimeProblem(lifetime, scope, audience);
  if (problem !== undefined) throw fail("LIFETIME_TOO_LONG", `expiresIn ${problem}`);
};
