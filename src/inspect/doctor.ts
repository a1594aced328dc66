// check: the "doctor". Reads a token (without verifying it) and lists every reason the Apple
// service it is for would refuse it (App Store Connect's 401 NOT_AUTHORIZED, APNs's 403, ...), in
// plain English. Each kind's rules are the ones its minting function in kinds/ cites; the doctor
// flags only what Apple documents, so a token the library mints never gets a finding.

import { ASC_AUDIENCES, lifetimeProblem, validScope } from "../kinds/app-store-connect.js";
import { TOKEN_KINDS, type TokenKindName } from "../kinds/index.js";
import type { KindClaims, TokenKind } from "../kinds/kind.js";
import { IDENTIFIER, TEN_CHARS as KEY_ID, TEN_CHARS as TEAM_ID, UUID } from "../lib/validate.js";
import { decodeToken } from "./decode.js";
import { decodeBase64 } from "../lib/base64url.js";
import { isDerSignature } from "../lib/der.js";
import { invalid, isAscTokenError } from "../lib/errors.js";
import { readOptions } from "../lib/options.js";
import { showValue as show, terminalSafe } from "../lib/redact.js";
import { type Clock, epochSeconds } from "../lib/time.js";

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
  /** APNs or DeviceCheck: `iat` is over an hour old (APNs answers 403 ExpiredProviderToken). */
  | "APNS_TOKEN_TOO_OLD"
  /** A kind other than App Store Connect's: the claims have no `iss`. */
  | "ISS_MISSING"
  /** A Team ID kind (APNs, Sign in with Apple, MusicKit, ...): `iss` is not a 10-character ID. */
  | "ISS_NOT_TEAM_ID"
  /** App Store Server API or in-app JWS: `bid` is missing or not a bundle ID. */
  | "BID_INVALID"
  /** Sign in with Apple or WeatherKit: `sub` (client ID, Services ID) missing or malformed. */
  | "SUB_INVALID"
  /** WeatherKit: the header's `id` is not `"<iss>.<sub>"` (Team ID, period, Services ID). */
  | "HEADER_ID_WRONG"
  /** In-app JWS: `nonce` is missing or not a UUID. */
  | "NONCE_INVALID"
  /** In-app JWS: the claims have an `exp`, which makes Apple fail the request. */
  | "EXP_PRESENT";

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
 * checkAscToken(token, { kind: "apns" }); // judged as an APNs provider token
 * ```
 */
export interface AscTokenCheckOptions {
  /** The clock to judge `iat` and `exp` by (epoch ms function or a `Date`). Default `Date.now`. */
  now?: Clock | undefined;
  /**
   * The token's kind, whose rules it is judged by. Default: guessed from the token (see
   * {@link checkAscToken}), and `"app-store-connect"` when nothing points elsewhere.
   */
  kind?: TokenKindName | undefined;
}

/** @internal A kind the doctor knows: every kind of {@link TOKEN_KINDS}. */
export type CheckKind = TokenKindName;

type Add = (code: AscTokenFindingCode, message: string) => void;

/** @internal Every kind the doctor knows: those of TOKEN_KINDS. */
export const KINDS: readonly CheckKind[] = /* @__PURE__ */ TOKEN_KINDS.map(({ name }) => name);

/** What a kind's tokens are called with their article, for messages: "an APNs provider token". */
const what = (kind: TokenKind): string => {
  const title = kind.title ?? kind.name;
  return `${/^[aeiou]/i.test(title) ? "an" : "a"} ${title}`;
};

/**
 * @internal The kind a token's shape points to, and the claim that says so; App Store Connect's
 * when nothing points elsewhere. APNs and DeviceCheck tokens are identical: such a token is
 * judged as APNs's, by the same rules.
 */
export const guessKind = (
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
): { kind: CheckKind; because?: string } => {
  const { aud, iss } = claims;
  if (aud === "https://appleid.apple.com") {
    // Apple Ads' client secret shares Sign in with Apple's aud; its iss is SEARCHADS.<id>.
    return typeof iss === "string" && iss.startsWith("SEARCHADS.")
      ? { kind: "apple-ads", because: "aud and iss" }
      : { kind: "sign-in-with-apple", because: "aud" };
  }
  if (aud === "appstoreconnect-v1" && claims.bid !== undefined) {
    return { kind: "app-store-server", because: "bid" };
  }
  // An aud that only one kind has names it (the in-app JWS, Apple Business Manager, ...); App
  // Store Connect's aud, without bid, is App Store Connect's.
  const named = TOKEN_KINDS.filter(
    (kind) =>
      typeof aud === "string" && !ASC_AUDIENCES.includes(aud) && kind.claims?.aud?.includes(aud),
  );
  if (named.length === 1 && named[0]) return { kind: named[0].name, because: "aud" };
  if (aud === undefined && typeof iss === "string" && TEAM_ID.test(iss)) {
    if (header.id !== undefined) return { kind: "weatherkit", because: "the header's id" };
    if (claims.exp === undefined) return { kind: "apns", because: "iss and no exp" };
    // MapKit's header has typ and its scope and origin are strings; MusicKit's origin is a list.
    const mapkit =
      header.typ !== undefined ||
      typeof claims.scope === "string" ||
      typeof claims.origin === "string";
    return { kind: mapkit ? "mapkit" : "musickit", because: "iss and no aud" };
  }
  return { kind: "app-store-connect" };
};

/** Whether `kid` is a key ID of `kind`'s keys: by its own check, or 10 characters. */
const kidFits = (kid: unknown, kind: TokenKind): boolean => {
  if (kind.keyId === undefined) return typeof kid === "string" && KEY_ID.test(kid);
  try {
    kind.keyId(kid);
    return true;
  } catch {
    return false;
  }
};

const header = (h: Record<string, unknown>, add: Add, typ: boolean, kind: TokenKind) => {
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
  } else if (!kidFits(h.kid, kind)) {
    add(
      "KID_MALFORMED",
      kind.keyId === undefined
        ? `kid is ${show(h.kid)}, not a 10-character key ID (A-Z, 0-9), so Apple finds no key ` +
            "to check the signature with and answers 401. Copy the key ID from App Store " +
            "Connect or from the file name AuthKey_<KEYID>.p8."
        : `kid is ${show(h.kid)}, not a key ID as the portal shows it (a UUID), so Apple finds ` +
            `no key to check the signature with, and ${kind.claims?.refuses ?? "refuses it"}. ` +
            "Copy the Key ID the portal shows beside the key.",
    );
  }
  if (!typ) return; // Apple's header for this kind is {alg, kid}: typ is not judged
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

const identity = (c: Record<string, unknown>, add: Add) => {
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

const timing = (c: Record<string, unknown>, now: number, add: Add) => {
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
  const problem =
    lifetime === undefined ? undefined : lifetimeProblem(lifetime, { scope, aud: c.aud });
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

/**
 * The claims of a kind other than App Store Connect's, as its `claims` expects them: iss, aud,
 * bid, nonce, sub, header id.
 */
const kindClaims = (
  h: Record<string, unknown>,
  c: Record<string, unknown>,
  r: KindClaims,
  what: string,
  add: Add,
) => {
  const { iss, sub } = c;
  const team = r.iss === "team";
  const issWhat = team
    ? "your 10-character Team ID (A-Z, 0-9, from developer.apple.com → Account → Membership)"
    : r.iss === "issuer"
      ? "your issuer ID (a UUID, from App Store Connect → Users and Access → Integrations)"
      : r.iss.what;
  if (iss === undefined) {
    add("ISS_MISSING", `the claims have no iss, and ${r.refuses}. Set iss to ${issWhat}.`);
  } else if (team && (typeof iss !== "string" || !TEAM_ID.test(iss))) {
    const uuid = typeof iss === "string" && UUID.test(iss) ? " (a UUID is an issuer ID)" : "";
    add(
      "ISS_NOT_TEAM_ID",
      `iss is ${show(iss)}${uuid}, not a Team ID, and ${r.refuses}: ${what} is issued by ` +
        `your team. Set iss to ${issWhat}.`,
    );
  } else if (r.iss === "issuer" && (typeof iss !== "string" || !UUID.test(iss))) {
    add(
      "ISS_NOT_UUID",
      `iss is ${show(iss)}, not a UUID, and ${r.refuses}: for ${what}, iss is the issuer ID, ` +
        `not a Team ID or a key ID. Set iss to ${issWhat}.`,
    );
  }
  if (r.aud && (typeof c.aud !== "string" || !r.aud.includes(c.aud))) {
    const list = r.aud.map((value) => JSON.stringify(value)).join(" or ");
    add(
      "AUD_WRONG",
      `aud is ${c.aud === undefined ? "missing" : show(c.aud)}, but ${what} has aud ${list}, ` +
        `and otherwise ${r.refuses}. Set aud to it, as a string, not an array.`,
    );
  }
  if (r.bid && (typeof c.bid !== "string" || !IDENTIFIER.test(c.bid))) {
    add(
      "BID_INVALID",
      `${c.bid === undefined ? "the claims have no bid" : `bid is ${show(c.bid)}`}, and ` +
        `${r.refuses}: ${what} names your app's bundle ID in bid. Set bid to it, e.g. ` +
        '"com.example.app".',
    );
  }
  if (r.nonce && (typeof c.nonce !== "string" || !UUID.test(c.nonce))) {
    add(
      "NONCE_INVALID",
      `${c.nonce === undefined ? "the claims have no nonce" : `nonce is ${show(c.nonce)}`}, ` +
        `and ${r.refuses}: ${what} carries a one-time UUID in nonce. Set it to ` +
        "crypto.randomUUID() for each request.",
    );
  }
  if (r.sub && (typeof sub !== "string" || !IDENTIFIER.test(sub))) {
    add(
      "SUB_INVALID",
      `${sub === undefined ? "the claims have no sub" : `sub is ${show(sub)}`}, and ` +
        `${r.refuses}: sub is ${r.sub}. Set sub to it, e.g. "com.example.web".`,
    );
  }
  if (r.headerId && h.id !== `${String(iss)}.${String(sub)}`) {
    add(
      "HEADER_ID_WRONG",
      `the header's id is ${h.id === undefined ? "missing" : show(h.id)}, and ${r.refuses}: ` +
        "it must be your Team ID and Services ID joined by a period (iss, then sub), e.g. " +
        '"DEF123GHIJ.com.example.weather".',
    );
  }
};

/**
 * The times of a kind other than App Store Connect's, by its lifetime rules: `exp` required where
 * the kind has a default lifetime, forbidden where its claims say so, and otherwise not judged.
 */
const kindTiming = (c: Record<string, unknown>, now: number, kind: TokenKind, add: Add) => {
  const { iat, exp } = c;
  const { lifetime } = kind;
  const r = { what: what(kind), refuses: kind.claims?.refuses ?? "Apple refuses it" };
  const expRule =
    lifetime.default !== undefined ? "required" : kind.claims?.noExp ? "forbidden" : "none";
  if (iat === undefined) {
    add(
      "IAT_MISSING",
      `the claims have no iat, and ${r.refuses}: Apple dates ${r.what} by iat. Set iat to the ` +
        "current time in epoch seconds: Math.floor(Date.now() / 1000).",
    );
  }
  if (expRule === "required" && exp === undefined) {
    add(
      "EXP_MISSING",
      `the claims have no exp, and ${r.refuses}: ${r.what} needs an expiry. Set exp to iat ` +
        "plus the lifetime in seconds.",
    );
  }
  if (expRule === "forbidden" && exp !== undefined) {
    add(
      "EXP_PRESENT",
      `the claims have an exp, and ${r.refuses}: Apple times ${r.what} from iat and fails one ` +
        "with an exp. Drop exp.",
    );
  }
  const times = expRule === "required" ? { iat, exp } : { iat };
  const bad = Object.entries(times).filter(
    ([, value]) => value !== undefined && !Number.isSafeInteger(value),
  );
  if (bad.length > 0) {
    const list = bad.map(([name, value]) => `${name} is ${show(value)}`).join(" and ");
    add(
      "TIMESTAMP_NOT_INTEGER",
      `${list}: Apple wants whole epoch seconds (a number, no fraction), and otherwise ` +
        `${r.refuses}. Use Math.floor(Date.now() / 1000), not Date.now() / 1000.`,
    );
  }
  const iatKnown = Number.isSafeInteger(iat);
  const expKnown = expRule === "required" && Number.isSafeInteger(exp);
  const issued = iat as number;
  const expires = exp as number;
  // A cap of asc-token's own is not Apple's: the service would not refuse the token for it.
  const problem =
    iatKnown && expKnown && !lifetime.capIsOurs ? lifetime.problem(expires - issued, c) : undefined;
  if (problem !== undefined) {
    add(
      "LIFETIME_TOO_LONG",
      `exp − iat is ${String(expires - issued)} s, and a lifetime ${problem}, and ` +
        `${r.refuses}. Shorten exp − iat.`,
    );
  }
  if (iatKnown && issued > now) {
    add("IAT_IN_FUTURE", inFuture(issued, now, r.refuses));
  } else if (
    // The kinds a provider reuses for a while (APNs's): too old is a finding of its own.
    lifetime.maxAge !== undefined &&
    lifetime.minInterval !== undefined &&
    iatKnown &&
    issued + lifetime.maxAge < now
  ) {
    const minutes = (seconds: number) => String(seconds / 60);
    // APNs names this refusal apart from a bad token.
    const expired = r.refuses.replace("InvalidProviderToken", "ExpiredProviderToken");
    add(
      "APNS_TOKEN_TOO_OLD",
      `iat is ${String(now - issued)} s ago, over an hour, and ${expired}. ` +
        `Mint a new token at least every ${minutes(lifetime.maxAge)} minutes and at most every ` +
        `${minutes(lifetime.minInterval)} (createApnsTokenProvider does this).`,
    );
  }
  if (expKnown && expires <= now) {
    add(
      "EXPIRED",
      `the token expired ${String(now - expires)} s ago, and ${r.refuses}. Mint a new one; ` +
        "reuse a token only until shortly before exp.",
    );
  }
};

const signatureCheck = (signature: Uint8Array, add: Add, refuses: string) => {
  if (signature.length === 64) return;
  const encoding = isDerSignature(signature, 32) ? " and DER-encoded (an ASN.1 SEQUENCE)" : "";
  const what =
    signature.length === 0
      ? "the token has no signature"
      : `the signature is ${String(signature.length)} bytes${encoding}`;
  add(
    "SIGNATURE_NOT_RAW",
    `${what}: an ES256 JWT carries the raw 64-byte r||s, so Apple cannot verify it: ${refuses}. ` +
      "Sign with WebCrypto (as asc-token does), or with node:crypto's dsaEncoding: " +
      '"ieee-p1363".',
  );
};

/**
 * The "doctor": lists every reason Apple would refuse this token (App Store Connect's 401, APNs's
 * 403, ...), each with a stable code and a plain-English explanation and fix. An empty array
 * means nothing was found. It reads the token without verifying the signature (that needs the
 * public key, which Apple keeps); a token that is not a JWT at all throws an
 * {@link AscTokenError} with code `TOKEN_MALFORMED`. Messages never contain the token.
 *
 * The rules are those of the token's `kind`: given, or guessed from the token: `aud`
 * `"https://appleid.apple.com"` is a Sign in with Apple client secret, an in-app `aud` an in-app
 * JWS, `bid` beside `aud: "appstoreconnect-v1"` an App Store Server API token; without `aud`, a
 * Team ID in `iss` is a WeatherKit token (header `id`), an APNs (or DeviceCheck) token (no
 * `exp`), a MapKit token (`typ`, or `scope` or `origin` as text) or a MusicKit one; anything else
 * is judged as an App Store Connect token.
 *
 * @example
 * ```ts
 * import { checkAscToken } from "asc-token";
 * for (const { code, message } of checkAscToken(token)) console.error(`${code}: ${message}`);
 * // e.g. SIGNATURE_NOT_RAW: the signature is 71 bytes and DER-encoded (an ASN.1 SEQUENCE): …
 * checkAscToken(apnsToken, { kind: "apns" }); // say the kind where the guess could be wrong
 * ```
 */
export const checkAscToken = (token: string, given?: AscTokenCheckOptions): AscTokenFinding[] => {
  const options = readOptions(
    given ?? {},
    ["now", "kind"],
    "{ now, kind }",
  ) as AscTokenCheckOptions;
  const decoded = decodeToken(token);
  const now = epochSeconds(options.now);
  const name = options.kind ?? guessKind(decoded.header, decoded.claims).kind;
  const kind = TOKEN_KINDS.find((known) => known.name === name);
  if (kind === undefined) {
    throw invalid("INVALID_OPTIONS", "kind", `one of ${KINDS.join(", ")}`, name);
  }
  const findings: AscTokenFinding[] = [];
  // Messages quote values from an untrusted token: nothing in them may steer a terminal.
  const add: Add = (code, message) => findings.push({ code, message: terminalSafe(message) });
  // decodeToken has checked that the signature is base64url.
  const signature = decodeBase64(decoded.signature) as Uint8Array;
  if (kind.name === "app-store-connect") {
    header(decoded.header, add, true, kind);
    identity(decoded.claims, add);
    timing(decoded.claims, now, add);
    signatureCheck(signature, add, "Apple answers 401");
  } else {
    const expects = kind.claims;
    header(decoded.header, add, expects?.typ === true, kind);
    if (expects) kindClaims(decoded.header, decoded.claims, expects, what(kind), add);
    kindTiming(decoded.claims, now, kind, add);
    signatureCheck(signature, add, expects?.refuses ?? "Apple refuses it");
  }
  return findings;
};
