// check: the "doctor". Reads a token (without verifying it) and lists every reason App Store
// Connect would answer it with 401 NOT_AUTHORIZED, in plain English.

import { ASC_AUDIENCES, lifetimeProblem, validScope } from "./kinds/app-store-connect.js";
import { APNS_MAX_AGE } from "./kinds/apns.js";
import { TEN_CHARS as KEY_ID, UUID } from "./validate.js";
import { decodeToken } from "./decode.js";
import { isDerSignature } from "./der.js";
import { isAscTokenError } from "./errors.js";
import { readOptions } from "./options.js";
import { showValue as show, terminalSafe } from "./redact.js";

/** The options checkAscToken reads. */
const CHECK_OPTIONS = ["now", "kind"];
import { type Clock, epochSeconds } from "./time.js";

/**
 * Stable codes of the problems {@link checkAscToken} finds. Match on these, not on messages.
 * Each appears at most once per token.
 *
 * @example
 * ```ts
 * const expired = checkAscToken(token).some((f) => f.code === "EXPIRED");
 * ```
 */
export type AscTokenFindingCode =
  /** Header `alg` is not `"ES256"`. */
  | "ALG_NOT_ES256"
  /** Header has no `kid`. */
  | "KID_MISSING"
  /** Header `kid` is not a 10-character key ID (`A-Z0-9`). */
  | "KID_MALFORMED"
  /** Header has no `typ`. */
  | "TYP_MISSING"
  /** Header `typ` is not `"JWT"`. */
  | "TYP_NOT_JWT"
  /** Claims have neither `iss` (team key) nor `sub` (individual key). */
  | "ISS_AND_SUB_MISSING"
  /** Claims have both `iss` and `sub: "user"`. */
  | "ISS_WITH_SUB_USER"
  /** `iss` is not a UUID (an issuer ID). */
  | "ISS_NOT_UUID"
  /** `sub` is present but not `"user"`. */
  | "SUB_NOT_USER"
  /** `aud` is not `"appstoreconnect-v1"` or `"apple-developer-enterprise-v1"`. */
  | "AUD_WRONG"
  /** Claims have no `iat`. */
  | "IAT_MISSING"
  /** Claims have no `exp`. */
  | "EXP_MISSING"
  /** `iat` or `exp` is not a whole number of seconds (a fraction, or a string). */
  | "TIMESTAMP_NOT_INTEGER"
  /** `scope` is not a non-empty array of `"METHOD /vN/path?query"` strings. */
  | "SCOPE_INVALID"
  /** `exp − iat` is over 1200 s without a long-lived scope, or over six months. */
  | "LIFETIME_TOO_LONG"
  /** `iat` is later than now: the clock that made the token runs ahead. */
  | "IAT_IN_FUTURE"
  /** `exp` is now or in the past. */
  | "EXPIRED"
  /** The signature is not the raw 64-byte `r||s` ES256 wants (DER-encoded, or none). */
  | "SIGNATURE_NOT_RAW"
  /** With `kind: "apns"`: `iat` is over an hour old, and APNs answers 403 ExpiredProviderToken. */
  | "APNS_TOKEN_TOO_OLD";

/**
 * One problem found in a token: a stable `code`, and a `message` saying why Apple would refuse
 * the token and how to fix it.
 *
 * @example
 * ```ts
 * const finding: AscTokenFinding = { code: "EXPIRED", message: "the token expired 90 s ago; …" };
 * ```
 */
export interface AscTokenFinding {
  code: AscTokenFindingCode;
  message: string;
}

/**
 * Options for {@link checkAscToken}.
 *
 * @example
 * ```ts
 * checkAscToken(token, { now: () => Date.now() + 30_000 }); // as if 30 s from now
 * ```
 */
export interface AscTokenCheckOptions {
  /** The clock to judge `iat` and `exp` by (epoch ms function or a `Date`). Default `Date.now`. */
  now?: Clock | undefined;
  /**
   * The token's kind: `"app-store-connect"` (default), or `"apns"` for an APNs provider token
   * (`iss` Team ID and `iat`, no `exp` or `aud`), checked for its alg, kid, signature, an `iat`
   * neither in the future nor over an hour old.
   */
  kind?: "app-store-connect" | "apns" | undefined;
}

const header = (
  h: Record<string, unknown>,
  add: (code: AscTokenFindingCode, message: string) => void,
  apns: boolean,
) => {
  if (h.alg !== "ES256") {
    add(
      "ALG_NOT_ES256",
      `alg is ${show(h.alg)}: Apple accepts only ES256 (ECDSA P-256 with SHA-256, the algorithm ` +
        'of .p8 keys) and answers anything else with 401. Sign with alg "ES256".',
    );
  }
  if (h.kid === undefined) {
    add(
      "KID_MISSING",
      "the header has no kid, so Apple cannot tell which key signed the token and answers 401. " +
        "Set kid to the key ID shown beside the key in App Store Connect (the XXXXXXXXXX in " +
        "AuthKey_XXXXXXXXXX.p8).",
    );
  } else if (typeof h.kid !== "string" || !KEY_ID.test(h.kid)) {
    add(
      "KID_MALFORMED",
      `kid is ${show(h.kid)}, not a 10-character key ID (A-Z, 0-9), so Apple finds no key to ` +
        "check the signature with and answers 401. Copy the key ID from App Store Connect or " +
        "from the file name AuthKey_<KEYID>.p8.",
    );
  }
  if (apns) return; // Apple's APNs header is {alg, kid}: no typ
  if (h.typ === undefined) {
    add(
      "TYP_MISSING",
      "the header has no typ. Apple documents the header as " +
        '{"alg":"ES256","kid":…,"typ":"JWT"} and may answer a token that differs with 401. Add ' +
        'typ: "JWT".',
    );
  } else if (h.typ !== "JWT") {
    add(
      "TYP_NOT_JWT",
      `typ is ${show(h.typ)}, not "JWT" as Apple documents, so Apple may answer 401. Set typ: ` +
        '"JWT".',
    );
  }
};

const identity = (
  c: Record<string, unknown>,
  add: (code: AscTokenFindingCode, message: string) => void,
) => {
  if (c.iss === undefined && c.sub === undefined) {
    add(
      "ISS_AND_SUB_MISSING",
      "the claims have neither iss nor sub, so Apple cannot tell whose key this is and answers " +
        "401. For a team key set iss to your issuer ID (a UUID, from App Store Connect → Users " +
        'and Access → Integrations); for an individual key set sub: "user".',
    );
  }
  if (c.iss !== undefined && c.sub === "user") {
    add(
      "ISS_WITH_SUB_USER",
      'the claims have both iss and sub: "user". sub: "user" marks an individual key, which must ' +
        "not send iss; a team key sends iss and no sub. Apple answers the mix with 401. Drop iss " +
        "for an individual key, or sub for a team key.",
    );
  }
  if (c.iss !== undefined && (typeof c.iss !== "string" || !UUID.test(c.iss))) {
    add(
      "ISS_NOT_UUID",
      `iss is ${show(c.iss)}, not a UUID. For App Store Connect, iss is the issuer ID (like ` +
        "57246542-96fe-1a63-e053-0824d011072a), not a team ID or a key ID, and Apple answers " +
        "anything else with 401. Copy the Issuer ID from Users and Access → Integrations.",
    );
  }
  if (c.sub !== undefined && c.sub !== "user") {
    add(
      "SUB_NOT_USER",
      `sub is ${show(c.sub)}, but an App Store Connect token only ever has sub: "user" (for an ` +
        'individual key), so Apple answers 401. Use sub: "user" for an individual key, or drop ' +
        "sub and set iss for a team key.",
    );
  }
  if (typeof c.aud !== "string" || !ASC_AUDIENCES.includes(c.aud)) {
    add(
      "AUD_WRONG",
      `aud is ${c.aud === undefined ? "missing" : show(c.aud)}: Apple accepts only the string ` +
        '"appstoreconnect-v1" (or "apple-developer-enterprise-v1" for the Enterprise Program ' +
        "API) and answers anything else with 401. Set aud to one of them, as a string, not an " +
        "array.",
    );
  }
};

/** The IAT_IN_FUTURE message: how far ahead `iat` is, and what the service (`answer`) does. */
const inFuture = (iat: number, now: number, answer: string): string => {
  const millis = iat > 1e11 ? " (iat looks like milliseconds: divide Date.now() by 1000)" : "";
  return (
    `iat is ${String(iat - now)} s after now${millis}: the clock that made the token runs ` +
    `ahead, and ${answer}. Sync the clock, or backdate iat by a minute (asc-token's ` +
    "clockTolerance does)."
  );
};

const timing = (
  c: Record<string, unknown>,
  now: number,
  add: (code: AscTokenFindingCode, message: string) => void,
) => {
  const { iat, exp } = c;
  if (iat === undefined) {
    add(
      "IAT_MISSING",
      "the claims have no iat. Apple measures a token's lifetime as exp − iat and answers a " +
        "token without iat with 401. Set iat to the current time in epoch seconds: " +
        "Math.floor(Date.now() / 1000).",
    );
  }
  if (exp === undefined) {
    add(
      "EXP_MISSING",
      "the claims have no exp. Apple requires an expiry (at most 20 minutes after iat for most " +
        "requests) and answers 401 without one. Set exp to iat + 1140 or less.",
    );
  }
  const bad = Object.entries({ iat, exp }).filter(
    ([, value]) => value !== undefined && !Number.isSafeInteger(value),
  );
  if (bad.length > 0) {
    const list = bad.map(([name, value]) => `${name} is ${show(value)}`).join(" and ");
    add(
      "TIMESTAMP_NOT_INTEGER",
      `${list}: Apple wants whole epoch seconds (a number, no fraction) and answers anything ` +
        "else with 401. Use Math.floor(Date.now() / 1000), not Date.now() / 1000.",
    );
  }
  let scope: string[] | undefined;
  try {
    scope = validScope(c.scope);
  } catch (error) {
    if (!isAscTokenError(error)) throw error;
    add(
      "SCOPE_INVALID",
      `${error.message}. Apple answers a token whose scope matches no request with 401. Fix the ` +
        "entry, or drop scope to allow every request the key's role allows.",
    );
  }
  // Each time check runs on what is there: a token missing iat can still be expired.
  const iatKnown = typeof iat === "number" && Number.isFinite(iat);
  const expKnown = typeof exp === "number" && Number.isFinite(exp);
  const lifetime = iatKnown && expKnown ? exp - iat : undefined;
  const problem = lifetime === undefined ? undefined : lifetimeProblem(lifetime, scope, c.aud);
  if (problem !== undefined) {
    const longLived =
      c.aud === "apple-developer-enterprise-v1"
        ? ""
        : ", or scope a long-lived token to GETs of the resources Apple lists";
    add(
      "LIFETIME_TOO_LONG",
      `exp − iat is ${String(lifetime)} s, and a lifetime ${problem}. Apple answers such a ` +
        "token with 401. Keep exp − iat at 1200 s or less (asc-token's default is " +
        `1140)${longLived}.`,
    );
  }
  if (iatKnown && iat > now) {
    add(
      "IAT_IN_FUTURE",
      inFuture(iat, now, 'Apple answers "issued-at-time is in the future" with 401'),
    );
  }
  if (expKnown && exp <= now) {
    add(
      "EXPIRED",
      `the token expired ${String(now - exp)} s ago, and Apple answers an expired token with ` +
        "401. Mint a new one; reuse a token only until shortly before exp " +
        "(createAscTokenProvider does this for you).",
    );
  }
};

const apnsTiming = (
  c: Record<string, unknown>,
  now: number,
  add: (code: AscTokenFindingCode, message: string) => void,
) => {
  const { iat } = c;
  if (iat === undefined) {
    add(
      "IAT_MISSING",
      "the claims have no iat. APNs measures a provider token's age from iat and answers 403 " +
        "without one. Set iat to the current time in epoch seconds: Math.floor(Date.now() / " +
        "1000).",
    );
    return;
  }
  if (!Number.isSafeInteger(iat)) {
    add(
      "TIMESTAMP_NOT_INTEGER",
      `iat is ${show(iat)}: APNs wants whole epoch seconds (a number, no fraction) and answers ` +
        "403 otherwise. Use Math.floor(Date.now() / 1000), not Date.now() / 1000.",
    );
    return;
  }
  const issued = iat as number;
  if (issued > now) {
    add("IAT_IN_FUTURE", inFuture(issued, now, "APNs answers 403 InvalidProviderToken"));
  } else if (issued + APNS_MAX_AGE < now) {
    add(
      "APNS_TOKEN_TOO_OLD",
      `iat is ${String(now - issued)} s ago, over an hour, and APNs answers 403 ` +
        "ExpiredProviderToken. Mint a new token at least every 60 minutes and at most every 20 " +
        "(createApnsTokenProvider does this).",
    );
  }
};

const signatureCheck = (
  signature: Uint8Array,
  add: (code: AscTokenFindingCode, message: string) => void,
) => {
  if (signature.length === 64) return;
  const encoding = isDerSignature(signature, 32) ? " and DER-encoded (an ASN.1 SEQUENCE)" : "";
  const what =
    signature.length === 0
      ? "the token has no signature"
      : `the signature is ${String(signature.length)} bytes${encoding}`;
  add(
    "SIGNATURE_NOT_RAW",
    `${what}: an ES256 JWT carries the raw 64-byte r||s, so Apple cannot verify this one and ` +
      "answers 401. Sign with WebCrypto (as asc-token does), or with node:crypto's dsaEncoding: " +
      '"ieee-p1363".',
  );
};

/**
 * The "doctor": lists every reason App Store Connect (or the Enterprise Program API) would
 * answer this token with 401, each with a stable code and a plain-English explanation and fix.
 * An empty array means nothing was found. It reads the token without verifying the signature
 * (that needs the public key, which Apple keeps); a token that is not a JWT at all throws an
 * {@link AscTokenError} with code `TOKEN_MALFORMED`. Messages never contain the token.
 * With `{ kind: "apns" }` it checks an APNs provider token by APNs's rules instead.
 *
 * @example
 * ```ts
 * import { checkAscToken } from "asc-token";
 * for (const { code, message } of checkAscToken(token)) console.error(`${code}: ${message}`);
 * // e.g. SIGNATURE_NOT_RAW: the signature is 71 bytes and DER-encoded (an ASN.1 SEQUENCE): …
 * ```
 */
export const checkAscToken = (token: string, given?: AscTokenCheckOptions): AscTokenFinding[] => {
  const options = readOptions(given ?? {}, CHECK_OPTIONS, "{ now, kind }") as AscTokenCheckOptions;
  const decoded = decodeToken(token);
  const now = epochSeconds(options.now);
  const findings: AscTokenFinding[] = [];
  // Messages quote values from an untrusted token: nothing in them may steer a terminal.
  const add = (code: AscTokenFindingCode, message: string) =>
    findings.push({ code, message: terminalSafe(message) });
  const apns = options.kind === "apns";
  header(decoded.header, add, apns);
  if (apns) {
    apnsTiming(decoded.claims, now, add);
  } else {
    identity(decoded.claims, add);
    timing(decoded.claims, now, add);
  }
  signatureCheck(decoded.signature, add);
  return findings;
};
