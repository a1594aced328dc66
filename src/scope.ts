// scope: the optional list of requests an App Store Connect token is limited to, and Apple's
// rule for tokens that live longer than 20 minutes.

import { describe, fail } from "./errors.js";

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
  /^GET \/v\d+\/(?:(?:ci(?:Artifacts|BuildActions|BuildRuns|Issues|MacOsVersions|Products|TestResults|Workflows|XcodeVersions)|scm(?:GitReferences|Providers|PullRequests|Repositories))(?:[/?]|$)|(?:apps|builds)\/[^/?]+\/perfPowerMetrics(?:\?|$)|builds\/[^/?]+\/diagnosticSignatures(?:\?|$)|diagnosticSignatures\/[^/?]+\/logs(?:\?|$))/;

const quote = (entry: string): string => JSON.stringify(entry.length > 80 ? `${entry.slice(0, 80)}…` : entry);

/** Validates `scope` and returns a copy (never the caller's array), or undefined when absent. */
export const checkScope = (scope: unknown): string[] | undefined => {
  if (scope === undefined) return undefined;
  if (!Array.isArray(scope) || scope.length === 0) {
    throw fail("INVALID_SCOPE", `scope must be a non-empty array of "GET /v1/path?query" strings; got ${Array.isArray(scope) ? "[]" : describe(scope)}`);
  }
  const copy: string[] = [];
  for (const [index, entry] of (scope as unknown[]).entries()) {
    if (typeof entry !== "string" || !ENTRY.test(entry)) {
      throw fail("INVALID_SCOPE", `scope[${String(index)}] must be "METHOD /vN/path?query", e.g. "GET /v1/apps"; got ${describe(entry)}`);
    }
    copy.push(entry);
  }
  return copy;
};

/**
 * Why `lifetime` (`exp − iat`, seconds) breaks Apple's rules, as a phrase to follow "lifetime"
 * or "expiresIn"; undefined when it is fine: at most 20 minutes, or up to six months when every
 * scope entry is a GET of a resource on Apple's long-lived list.
 */
export const lifetimeProblem = (lifetime: number, scope: readonly string[] | undefined): string | undefined => {
  if (lifetime <= MAX_LIFETIME) return undefined;
  if (lifetime > MAX_LONG_LIFETIME) return `must be <= ${String(MAX_LONG_LIFETIME)} s (six months)`;
  if (!scope) return "over 1200 s needs a scope of GET requests to resources that allow long-lived tokens";
  const bad = scope.find((entry) => !LONG_LIVED.test(entry));
  return bad === undefined ? undefined : `over 1200 s: scope entry ${quote(bad)} is not a GET of a resource that allows long-lived tokens`;
};

/** Throws `LIFETIME_TOO_LONG` when {@link lifetimeProblem} finds one. */
export const checkLifetime = (lifetime: number, scope: readonly string[] | undefined): void => {
  const problem = lifetimeProblem(lifetime, scope);
  if (problem !== undefined) throw fail("LIFETIME_TOO_LONG", `expiresIn ${problem}`);
};
