// in-app: the JWS your server signs for StoreKit to send to the App Store (Advanced Commerce API
// in-app requests, promotional offer signatures, introductory offer eligibility).
//
// Apple, "Generating JWS to sign App Store requests",
// https://developer.apple.com/documentation/storekit/generating-jws-to-sign-app-store-requests :
// header alg "ES256", kid, typ "JWT"; base claims iss (issuer ID), iat, aud, bid, nonce ("A
// one-time-use UUID that identifies this request"), then the feature's own claims (request;
// productId, offerIdentifier, transactionId; productId, allowIntroductoryOffer, transactionId).
// aud is "advanced-commerce-api", "promotional-offer" or "introductory-offer-eligibility".
// "Don't include an exp field in your payload, because including it makes the request fail. The
// App Store server enforces an expiration time based on your iat value." Apple does not say how
// long that is, so iat is backdated as everywhere else (60 s) and never by an hour or more.

import { fail, invalid, isAscTokenError } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import {
  type AppleKeyOptions,
  type KindMint,
  type TokenKind,
  atMost,
  defineToken,
  issuedAtOnly,
} from "./kind.js";
import { givenNonce, randomNonce } from "../lib/nonce.js";
import { ISSUER_ID, validIdentifier, validIssuerId } from "../lib/validate.js";

/**
 * What the in-app JWS authorizes; its claim `aud`.
 *
 * @example
 * ```ts
 * const audience: InAppAudience = "promotional-offer";
 * ```
 */
export type InAppAudience =
  "advanced-commerce-api" | "promotional-offer" | "introductory-offer-eligibility";

/**
 * Options for {@link createInAppSignature}. Nothing here is mutated or kept.
 *
 * @example
 * ```ts
 * const options: InAppSignatureOptions = {
 *   keyId,
 *   issuerId,
 *   bundleId: "com.example.app",
 *   audience: "promotional-offer",
 *   privateKey: pem,
 *   claims: { productId: "com.example.pro" },
 * };
 * ```
 */
export interface InAppSignatureOptions extends AppleKeyOptions {
  /**
   * Your issuer ID (a UUID) from App Store Connect → Users and Access → Integrations.
   * Claim `iss`.
   */
  issuerId: string;
  /** Your app's bundle ID, e.g. `com.example.app`. Claim `bid`. */
  bundleId: string;
  /**
   * The feature: `"advanced-commerce-api"`, `"promotional-offer"` or
   * `"introductory-offer-eligibility"`. Claim `aud`.
   */
  audience: InAppAudience;
  /**
   * A one-time UUID for this request. Default: a fresh `crypto.randomUUID()`. Claim `nonce`,
   * written in lower case (as Apple's libraries write it): keep `nonce.toLowerCase()` if you store
   * it to match later.
   */
  nonce?: string | undefined;
  /**
   * The feature's own claims, copied after the base claims: `{ request }` (Advanced Commerce),
   * `{ productId, offerIdentifier, transactionId }` (promotional offer), or `{ productId,
   * allowIntroductoryOffer, transactionId }` (introductory offer eligibility). May not set `iss`,
   * `iat`, `aud`, `bid`, `nonce` or `exp`.
   */
  claims?: Readonly<Record<string, unknown>> | undefined;
}

export const IN_APP_AUDIENCES: readonly string[] = [
  "advanced-commerce-api",
  "promotional-offer",
  "introductory-offer-eligibility",
];
const RESERVED: readonly string[] = ["iss", "iat", "exp", "aud", "bid", "nonce"];

/** True for an object literal, from this realm or another, or an object without a prototype. */
const isPlain = (value: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
};

/** What a non-plain object is, for a message: "a Map", "a Date", "a class instance". */
const kindOf = (value: object): string => {
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  return tag === "Object" ? "a class instance" : `a ${tag}`;
};

/** How deep claims may nest: far more than any request Apple documents, far less than the stack. */
const MAX_DEPTH = 64;

/** The error for a claim at `path` that JSON would drop or change. */
const notJson = (path: string, kind: string) =>
  fail(
    "INVALID_CLAIMS",
    `${path} must be a JSON value (JSON would drop or change it); got ${kind}`,
  );

/**
 * A plain-data copy of `value`, read once: each object's keys and each property are read exactly
 * one time, so a getter or a Proxy that answers differently on a second read cannot slip a claim
 * past the checks (the copy is what is checked and what is signed). Throws INVALID_CLAIMS for
 * anything JSON would silently drop or change (a function, a symbol, a Map, a Date, NaN,
 * `undefined` in an array), a BigInt, a cycle, or nesting deeper than MAX_DEPTH. An `undefined`
 * property is left out: it means "no such claim".
 */
const copyJson = (value: unknown, path: string, depth: number, above: Set<object>): unknown => {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    throw notJson(path, String(value));
  }
  if (typeof value !== "object")
    throw notJson(path, value === undefined ? "undefined" : `a ${typeof value}`);
  if (above.has(value)) throw notJson(path, "a cycle (an object inside itself)");
  if (depth >= MAX_DEPTH) throw notJson(path, `nesting deeper than ${MAX_DEPTH} levels`);
  const array = Array.isArray(value);
  if (!array && !isPlain(value)) throw notJson(path, kindOf(value));
  above.add(value);
  let copy: unknown[] | Record<string, unknown>;
  if (array) {
    const length = value.length;
    copy = [];
    for (let i = 0; i < length; i++)
      copy.push(copyJson((value as unknown[])[i], `${path}[${i}]`, depth + 1, above));
  } else {
    copy = {};
    for (const name of Object.keys(value)) {
      const item: unknown = (value as Record<string, unknown>)[name];
      if (item !== undefined) copy[name] = copyJson(item, `${path}.${name}`, depth + 1, above);
    }
  }
  above.delete(value);
  return copy;
};

/** The caller's feature claims: one plain-data copy, checked, which is what gets signed. */
const featureClaims = (claims: unknown): Record<string, unknown> => {
  if (claims === undefined) return {};
  // A plain object only: a Map, a Date or a class instance would spread to {} and lose its data.
  // Plain means a prototype that is a root (Object.prototype of any realm) or none at all.
  if (typeof claims !== "object" || claims === null || !isPlain(claims)) {
    const kind =
      typeof claims === "object" && claims !== null && !Array.isArray(claims)
        ? kindOf(claims)
        : showValue(claims);
    throw fail(
      "INVALID_CLAIMS",
      `claims must be a plain object such as { productId, offerIdentifier }; got ${kind}`,
    );
  }
  let copy: Record<string, unknown>;
  try {
    copy = copyJson(claims, "claims", 0, new Set()) as Record<string, unknown>;
  } catch (error) {
    // Ours, or a getter or a Proxy trap that throws.
    throw isAscTokenError(error)
      ? error
      : fail("INVALID_CLAIMS", "claims could not be read as JSON values", error);
  }
  const taken = Object.keys(copy).find((name) => RESERVED.includes(name));
  if (taken !== undefined) {
    throw fail(
      "INVALID_CLAIMS",
      taken === "exp"
        ? "claims must not set exp: Apple fails an in-app JWS that has one"
        : `claims must not set ${taken}: it comes from the options`,
    );
  }
  return copy;
};

/** The in-app JWS kind: the rules of {@link createInAppSignature}, as data. */
export const inAppKind: TokenKind<InAppSignatureOptions, "in-app"> = {
  name: "in-app",
  create: "createInAppSignature",
  title: "in-app JWS",
  claims: {
    refuses: "Apple fails the request",
    typ: true,
    iss: "issuer",
    aud: IN_APP_AUDIENCES,
    bid: true,
    nonce: true,
    noExp: true,
  },
  options: { issuerId: true, bundleId: true, audience: true, nonce: false, claims: false },
  lifetime: {
    // No exp: Apple dates the JWS by iat, which may not be backdated by an hour or more.
    problem: /* @__PURE__ */ atMost(3600, "Apple dates an in-app JWS by its iat"),
    maxAge: 3600,
  },
  singleUse:
    "each in-app JWS carries a nonce Apple accepts once: mint one per purchase, never cache it",
  build: (options) => {
    const iss = validIssuerId(options.issuerId, ISSUER_ID);
    const bid = validIdentifier(options.bundleId, "bundleId", "your app's bundle ID");
    const aud = options.audience;
    if (!IN_APP_AUDIENCES.includes(aud)) {
      throw invalid("INVALID_AUDIENCE", "audience", IN_APP_AUDIENCES.join(" or "), aud);
    }
    const given = givenNonce(options.nonce);
    const extra = featureClaims(options.claims);
    const iat = issuedAtOnly(options);
    const nonce = given ?? randomNonce();
    return { header: { typ: "JWT" }, claims: { iss, iat, aud, bid, nonce, ...extra } };
  },
};

/**
 * Signs the JWS StoreKit sends with an Advanced Commerce API in-app request, a promotional offer,
 * or an introductory offer eligibility check: header `{alg, kid, typ}`, claims `iss` (issuer ID),
 * `iat`, `aud` (the feature), `bid`, `nonce` and then your feature claims. No `exp`: Apple
 * refuses one and dates the JWS by `iat` (backdated by `clockTolerance`, 60 s).
 *
 * @example
 * ```ts
 * import { createInAppSignature } from "asc-token";
 * const signature = await createInAppSignature({
 *   keyId: "2X9R4HXF34",
 *   issuerId: "57246542-96fe-1a63-e053-0824d011072a",
 *   bundleId: "com.example.app",
 *   privateKey: process.env.IAP_PRIVATE_KEY!,
 *   audience: "promotional-offer",
 *   claims: { productId: "com.example.monthly", offerIdentifier: "WINBACK50", transactionId },
 * });
 * // Return `signature` to the app, which passes it to StoreKit as a purchase option
 * ```
 */
export const createInAppSignature: KindMint<InAppSignatureOptions, "in-app"> =
  /* @__PURE__ */ defineToken(inAppKind);
