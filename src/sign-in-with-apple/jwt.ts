// jwt: what Sign in with Apple's identity tokens and notification payloads share: a compact JWS
// signed RS256 by the key its `kid` names, issued by Apple for one of your client IDs, current.
//
// Apple, "Verifying a user": verify the JWS signature with Apple's public key, the nonce, that
// iss is https://appleid.apple.com, that aud is your client_id, and that the time is earlier than
// exp. "Processing changes for Sign in with Apple accounts": notifications are a JWS signed by
// Apple; validate them with the key of "Fetch Apple's public key for verifying token signature",
// using the algorithm in the header's alg. Apple signs both with RS256 (the alg of every key in
// that set), so RS256 is the one algorithm accepted: never `none`, never HS256 (a public modulus
// as an HMAC secret), never ES256 against an RSA key.
// Apple states no clock skew: `clockTolerance` (default 60 s) is ours, as for the tokens we mint.

import { decodeBase64, utf8 } from "../lib/base64url.js";
import { fail } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import { subtle } from "../lib/subtle.js";
import { RS256, type KeyLookup } from "./jwks.js";

/** Apple's `iss` for identity tokens and notifications. */
export const APPLE_ISSUER = "https://appleid.apple.com";
/** Longest token read, in characters: Apple's are about 1 kB. */
export const MAX_TOKEN = 16_384;
/** Header parameters that would name another key, fetch one, or change what is signed. */
const REFUSED = ["jwk", "jku", "x5u", "x5c", "crit", "b64", "zip", "enc"];

const malformed = (what: string, why: string) =>
  fail("SIWA_TOKEN_MALFORMED", `the ${what} ${why}: pass the token exactly as Apple sent it`);

/** The JSON object in one base64url part, or SIWA_TOKEN_MALFORMED. */
const objectOf = (part: string, what: string, name: string): Record<string, unknown> => {
  const bytes = /^[\w-]+$/.test(part) ? decodeBase64(part) : undefined;
  if (!bytes) throw malformed(what, `${name} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw malformed(what, `${name} is not UTF-8 JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw malformed(what, `${name} is not a JSON object`);
  }
  return value as Record<string, unknown>;
};

/**
 * The claims of `token` once its header is Apple's (RS256, a `kid`) and its signature verifies
 * with the key that `kid` names. `what` names the token in messages, which never show it.
 */
export const verifySignature = async (
  token: unknown,
  what: string,
  lookup: KeyLookup,
): Promise<Record<string, unknown>> => {
  if (typeof token !== "string") throw malformed(what, `is ${showValue(token)}, not a string`);
  if (token.length > MAX_TOKEN) throw malformed(what, `is over ${MAX_TOKEN} characters`);
  const parts = token.split(".");
  if (parts.length !== 3) throw malformed(what, "is not a compact JWS (three parts)");
  const [head, body, seal] = parts as [string, string, string];
  const header = objectOf(head, what, "header");
  if (header.alg !== "RS256") {
    throw fail(
      "SIWA_TOKEN_HEADER_INVALID",
      `the ${what}'s alg is ${showValue(header.alg)}; Apple signs with RS256 only`,
    );
  }
  const present = REFUSED.find((name) => Object.hasOwn(header, name));
  if (present) {
    throw fail("SIWA_TOKEN_HEADER_INVALID", `the ${what}'s header has ${JSON.stringify(present)}`);
  }
  const { kid } = header;
  if (typeof kid !== "string" || !kid) {
    throw fail("SIWA_TOKEN_HEADER_INVALID", `the ${what}'s header has no kid to choose a key by`);
  }
  const claims = objectOf(body, what, "payload");
  const signature = /^[\w-]+$/.test(seal) ? decodeBase64(seal) : undefined;
  if (!signature) throw malformed(what, "signature is not base64url");
  const key = await lookup(kid);
  let valid: boolean;
  try {
    valid = await subtle().verify(RS256, key, signature, utf8(`${head}.${body}`));
  } catch (cause) {
    throw fail("SIWA_SIGNATURE_INVALID", `the ${what}'s signature could not be checked`, cause);
  }
  if (!valid) {
    throw fail(
      "SIWA_SIGNATURE_INVALID",
      `the ${what}'s signature does not verify with Apple's key: refuse it`,
    );
  }
  return claims;
};

/** A claim that must be a whole number of seconds. */
const seconds = (claims: Record<string, unknown>, name: string, what: string): number => {
  const value = claims[name];
  if (!Number.isSafeInteger(value)) {
    throw fail("SIWA_CLAIM_INVALID", `the ${what}'s ${name} is ${showValue(value)}, not seconds`);
  }
  return value as number;
};

/** What every Apple-issued token is checked against. */
export interface Expected {
  audiences: readonly string[];
  now: number;
  clockTolerance: number;
}

/**
 * Checks `iss`, `aud`, `exp` and `iat` of verified claims. A token is current from `iat` (less
 * the tolerance) until `exp` (plus the tolerance), exclusive, as RFC 7519 §4.1.4 reads.
 */
export const checkIssued = (
  claims: Record<string, unknown>,
  what: string,
  expected: Expected,
): { aud: string; iat: number; exp: number } => {
  if (claims.iss !== APPLE_ISSUER) {
    throw fail(
      "SIWA_CLAIM_INVALID",
      `the ${what}'s iss is ${showValue(claims.iss)}, not ${JSON.stringify(APPLE_ISSUER)}`,
    );
  }
  const { aud } = claims;
  if (typeof aud !== "string" || !expected.audiences.includes(aud)) {
    const wanted = expected.audiences.map((audience) => JSON.stringify(audience)).join(" or ");
    throw fail(
      "SIWA_AUDIENCE_MISMATCH",
      `the ${what} is for ${showValue(aud)}, not ${wanted}: ` +
        "pass every App ID and Services ID you sign in with as clientId",
    );
  }
  const exp = seconds(claims, "exp", what);
  const iat = seconds(claims, "iat", what);
  const { now, clockTolerance } = expected;
  if (now >= exp + clockTolerance) {
    throw fail(
      "SIWA_TOKEN_EXPIRED",
      `the ${what} expired ${now - exp} s ago (clockTolerance ${clockTolerance} s)`,
    );
  }
  if (iat > now + clockTolerance) {
    throw fail(
      "SIWA_CLAIM_INVALID",
      `the ${what} is issued ${iat - now} s in the future (clockTolerance ${clockTolerance} s)`,
    );
  }
  return { aud, iat, exp };
};

/**
 * Apple's `email_verified` and `is_private_email`, which arrive as a boolean or as the string
 * "true"/"false" (Apple, "Authenticating users with Sign in with Apple": "The value can either be
 * a String ("true") or a Boolean (true)"): a boolean, or undefined when absent.
 */
export const flag = (value: unknown, name: string, what: string): boolean | undefined => {
  if (value === undefined) return undefined;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw fail("SIWA_CLAIM_INVALID", `the ${what}'s ${name} is ${showValue(value)}, not a boolean`);
};

/** `record` without the names whose value is undefined: absent stays absent. */
export const defined = (record: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

/** An optional string claim: the string, or undefined when absent. */
export const text = (value: unknown, name: string, what: string): string | undefined => {
  if (value === undefined || typeof value === "string") return value;
  throw fail("SIWA_CLAIM_INVALID", `the ${what}'s ${name} is ${showValue(value)}, not a string`);
};
