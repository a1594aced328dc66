// validate: the identifier options several token kinds share. Each function returns the valid
// value or throws the option's error code.

import { type AscTokenErrorCode, invalid } from "./errors.js";
import { showValue } from "./redact.js";

/** Apple's 10-character identifiers: key IDs (e.g. `2X9R4HXF34`) and Team IDs. */
export const TEN_CHARS = /^[A-Z0-9]{10}$/;
/** A UUID (8-4-4-4-12 hex digits, either case): issuer IDs and nonces. */
export const UUID = /^[\da-f]{8}(-[\da-f]{4}){3}-[\da-f]{12}$/i;
/**
 * Bundle IDs, App IDs and Services IDs. Apple: "The bundle ID string must contain only
 * alphanumeric characters (A–Z, a–z, and 0–9), hyphens (-), and periods (.)", on the
 * CFBundleIdentifier page (linked from docs/apple-tokens.md).
 *
 * Empty parts between periods are refused too: no registered identifier has one.
 */
export const IDENTIFIER = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/;
/**
 * One origin or origin pattern (`https://example.com`, `*.example.com`): no whitespace, no commas.
 */
const ORIGIN = /^[^\s,]+$/;

/** The likely cause of a required identifier given as undefined or empty, to follow "got …". */
export const UNSET = " (an unset environment variable?)";

/** True when `value` is a string `pattern` matches. */
export const matches = (value: unknown, pattern: RegExp): value is string =>
  typeof value === "string" && pattern.test(value);

/**
 * What is wrong with a near miss of `pattern`, said plainly: nothing (most often an environment
 * variable that is not set), whitespace around it, or the wrong case. Otherwise the value as
 * {@link showValue} shows it.
 */
const nearMiss = (value: unknown, pattern: RegExp): string =>
  showValue(value) +
  (value === undefined || value === ""
    ? UNSET
    : typeof value !== "string"
      ? ""
      : pattern.test(value.trim())
        ? " (whitespace around it)"
        : pattern.test(value.toUpperCase())
          ? " (lower case)"
          : "");

/** Throws `code` unless `value` is a string `pattern` matches. */
const valid = (
  value: unknown,
  pattern: RegExp,
  code: AscTokenErrorCode,
  name: string,
  expected: string,
): string => {
  if (!matches(value, pattern))
    throw invalid(code, name, expected, value, nearMiss(value, pattern));
  return value;
};

/** The key ID: it goes into every header's `kid`. */
export const validKeyId = (keyId: unknown): string =>
  valid(keyId, TEN_CHARS, "INVALID_KEY_ID", "keyId", "the 10-character key ID (A-Z, 0-9)");

/** The Team ID: claim `iss` of the developer-account tokens. */
export const validTeamId = (teamId: unknown): string =>
  valid(teamId, TEN_CHARS, "INVALID_TEAM_ID", "teamId", "the 10-character Team ID (A-Z, 0-9)");

/** What an issuer ID is, for the message of the kinds that require one. */
export const ISSUER_ID =
  "the issuer ID (a UUID) from App Store Connect → Users and Access → Integrations";

/**
 * The issuer ID: a UUID. `expected` says what it should be; a 10-character ID (the key ID or the
 * Team ID, given for the issuer ID) is named as such.
 */
export const validIssuerId = (issuerId: unknown, expected: string): string => {
  if (matches(issuerId, TEN_CHARS)) {
    throw invalid("INVALID_ISSUER_ID", "issuerId", expected, issuerId, "a key ID or Team ID");
  }
  return valid(issuerId, UUID, "INVALID_ISSUER_ID", "issuerId", expected);
};

/** Which code each identifier option fails with. */
const IDENTIFIER_CODES = {
  bundleId: "INVALID_BUNDLE_ID",
  clientId: "INVALID_CLIENT_ID",
  serviceId: "INVALID_SERVICE_ID",
} as const;

/** A bundle ID, App ID or Services ID option; `what` tells the caller which one to pass. */
export const validIdentifier = (
  value: unknown,
  name: keyof typeof IDENTIFIER_CODES,
  what: string,
): string =>
  valid(value, IDENTIFIER, IDENTIFIER_CODES[name], name, `${what}, like com.example.app`);

/** An option given as one string or an array: its entries (a copy), or none for anything else. */
export const oneOrMany = (value: unknown): readonly unknown[] =>
  typeof value === "string" ? [value] : Array.isArray(value) ? [...(value as unknown[])] : [];

/** `origin`: one origin or a non-empty array of them, copied; undefined when absent. */
export const validOrigins = (origin: unknown): string[] | undefined => {
  if (origin === undefined) return undefined;
  const list = oneOrMany(origin);
  const expected = 'an origin like "https://example.com"';
  if (list.length === 0)
    throw invalid("INVALID_ORIGIN", "origin", `${expected} or an array`, origin);
  return list.map((entry, index) =>
    valid(entry, ORIGIN, "INVALID_ORIGIN", `origin[${index}]`, `${expected} (no spaces or commas)`),
  );
};

/**
 * The IDs the Apple Business Manager, Apple School Manager and Apple Ads portals show for an API
 * key: a key ID (a UUID in Apple's examples) and client or team IDs of the form `PREFIX.<id>`
 * (`BUSINESSAPI.…`, `SCHOOLAPI.…`, `SEARCHADS.…`). Apple's pages give examples, not a grammar, so
 * the check is loose: it catches an ID pasted with whitespace or into the wrong option.
 */
const PORTAL_KEY_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;
const PORTAL_ID = /^[A-Z]+\.[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;

/** The key ID of a portal key: goes into the header's `kid`. */
export const validPortalKeyId = (keyId: unknown): string =>
  valid(keyId, PORTAL_KEY_ID, "INVALID_KEY_ID", "keyId", "the Key ID the portal shows (a UUID)");

/** A portal's client or team ID, `PREFIX.<id>`, e.g. `SEARCHADS.27478e71-…`. */
export const validPortalId = (
  value: unknown,
  code: AscTokenErrorCode,
  name: string,
  example: string,
): string => valid(value, PORTAL_ID, code, name, `the ${name} the portal shows, like ${example}`);
