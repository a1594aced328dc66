// promotional-offer: the original promotional offer signature (StoreKit's SKPaymentDiscount,
// StoreKit 2's Product.PurchaseOption.promotionalOffer(offerID:keyID:nonce:signature:timestamp:),
// Retention Messaging's promotionalOfferSignatureV1). Not a JWT: a DER ECDSA signature over text.
//
// Apple, "Generating a signature for promotional offers",
// https://developer.apple.com/documentation/storekit/generating-a-signature-for-promotional-offers
// says: the parameters appBundleID, keyIdentifier, productIdentifier, offerIdentifier,
// applicationUsername or appAccountToken ("may be an empty string"; "The string representation of
// the appAccountToken must be lowercase"), nonce (a one-time UUID, lower case) and timestamp (UNIX
// time in milliseconds), joined by U+2063 (INVISIBLE SEPARATOR) in that order, signed with the
// in-app purchase key by ECDSA with SHA-256; the DER signature is then base64-encoded (standard
// base64, not base64url). Apple's server libraries (PromotionalOfferSignatureCreator) note that
// "The timestamp keeps the offer active for 24 hours". The Retention Messaging fields are those of
// https://developer.apple.com/documentation/retentionmessaging/promotionaloffersignaturev1 .

import { encodeBase64, utf8 } from "../lib/base64url.js";
import { rawToDerSignature } from "../lib/der.js";
import { type AscTokenErrorCode, fail } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import { givenNonce, randomNonce } from "../lib/nonce.js";
import { readOptions } from "../lib/options.js";
import { type ApplePrivateKey, importAppleKey } from "../key/import.js";
import { signerOf } from "../key/signer.js";
import { ES256, subtle } from "../lib/subtle.js";
import { type Clock, epochSeconds } from "../lib/time.js";
import { UNSET, UUID, matches, validIdentifier, validKeyId } from "../lib/validate.js";

/**
 * Options for {@link createPromotionalOfferSignature}. Nothing here is mutated or kept.
 *
 * @example
 * ```ts
 * const options: PromotionalOfferSignatureOptions = {
 *   keyId,
 *   privateKey: pem,
 *   bundleId: "com.example.app",
 *   productId: "com.example.monthly",
 *   offerIdentifier: "WINBACK50",
 * };
 * ```
 */
export interface PromotionalOfferSignatureOptions {
  /**
   * The in-app purchase key's 10-character key ID (`A-Z0-9`), as in `SubscriptionKey_<keyId>.p8`.
   */
  keyId: string;
  /** The in-app purchase `.p8` private key, in any form listed under {@link ApplePrivateKey}. */
  privateKey: ApplePrivateKey;
  /** Your app's bundle ID, e.g. `com.example.app`. */
  bundleId: string;
  /** The subscription's product ID, e.g. `com.example.monthly`. */
  productId: string;
  /** The promotional offer's identifier, as set up in App Store Connect, e.g. `WINBACK50`. */
  offerIdentifier: string;
  /**
   * The UUID the app passes to StoreKit as `appAccountToken`, if it passes one. Signed in lower
   * case, as Apple requires. Not together with `applicationUsername`.
   */
  appAccountToken?: string | undefined;
  /**
   * The `applicationUsername` the app sets on its `SKPayment` (StoreKit 1), if any, exactly as
   * sent.
   */
  applicationUsername?: string | undefined;
  /** A one-time UUID. Default: a fresh `crypto.randomUUID()`. Signed and returned in lower case. */
  nonce?: string | undefined;
  /** Clock for `timestamp` (see {@link Clock}). Default `Date.now`. Not backdated. */
  now?: Clock | undefined;
}

/**
 * A signed promotional offer: the four values the app hands to StoreKit with the offer (named as
 * `SKPaymentDiscount` names them), and the inputs that were signed with them. Pass it to
 * {@link toPromotionalOfferSignatureV1} for a Retention Messaging response.
 *
 * @example
 * ```ts
 * const { keyIdentifier, nonce, timestamp, signature } =
 *   await createPromotionalOfferSignature(options);
 * ```
 */
export interface PromotionalOfferSignature {
  /** The key ID (StoreKit 2: `keyID`). */
  keyIdentifier: string;
  /** The nonce, a lower-case UUID. */
  nonce: string;
  /** Epoch milliseconds the signature was made at; Apple accepts it for 24 hours. */
  timestamp: number;
  /** The DER ECDSA signature, standard base64. */
  signature: string;
  /** The product ID signed. */
  productId: string;
  /** The offer identifier signed (StoreKit: the discount's `identifier`, StoreKit 2: `offerID`). */
  offerIdentifier: string;
  /** The `appAccountToken` signed, lower case, when one was given. */
  appAccountToken?: string;
  /** The `applicationUsername` signed, when one was given. */
  applicationUsername?: string;
}

/**
 * Retention Messaging's `promotionalOfferSignatureV1`, the object a real-time response puts in
 * its `promotionalOffer`.
 *
 * @example
 * ```ts
 * const v1: PromotionalOfferSignatureV1 = toPromotionalOfferSignatureV1(
 *   await createPromotionalOfferSignature(options),
 * );
 * ```
 */
export interface PromotionalOfferSignatureV1 {
  encodedSignature: string;
  productId: string;
  nonce: string;
  timestamp: number;
  keyId: string;
  offerIdentifier: string;
  appAccountToken?: string;
}

/** U+2063 INVISIBLE SEPARATOR, between the signed values. */
const SEPARATOR = "\u2063";

/** A value joined into the payload: a non-empty string (`optional`: or empty) without U+2063. */
const checkPart = (
  value: unknown,
  name: string,
  code: AscTokenErrorCode,
  what: string,
  optional = false,
): string => {
  if (typeof value !== "string" || (!optional && !value) || value.includes(SEPARATOR)) {
    const got =
      typeof value === "string" && value
        ? "a string holding U+2063"
        : showValue(value) + unset(value);
    throw fail(code, `${name} must be ${what}, without U+2063 (the separator); got ${got}`);
  }
  return value;
};

/** {@link UNSET} for a value given as undefined or empty, the likely unset variable. */
const unset = (value: unknown): string => (value === undefined || value === "" ? UNSET : "");

/** A UUID option, checked and in lower case; undefined when left out. */
const uuid = (value: unknown, name: string, code: AscTokenErrorCode, what: string) => {
  if (value === undefined) return undefined;
  if (!matches(value, UUID)) {
    throw fail(code, `${name} must be ${what}; got ${showValue(value)}${unset(value)}`);
  }
  return value.toLowerCase();
};

/**
 * Epoch milliseconds from `now`, read once and checked exactly as the tokens' clock is
 * (INVALID_NOW), since the timestamp counts in ms where JWTs count in seconds.
 */
const epochMs = (now: Clock | undefined): number => {
  if (typeof now === "function") {
    const ms = now();
    epochSeconds(() => ms);
    return ms;
  }
  epochSeconds(now); // valid epoch ms, a valid Date of any realm, or undefined, from here on
  return now === undefined
    ? Date.now()
    : typeof now === "number"
      ? now
      : Date.prototype.getTime.call(now);
};

/**
 * @internal The text Apple verifies: bundle ID, key ID, product ID, offer identifier,
 * appAccountToken (or applicationUsername, or ""), nonce and timestamp, joined by U+2063. The
 * values are taken as given: {@link createPromotionalOfferSignature} checks them first.
 */
export const promotionalOfferPayload = (values: {
  bundleId: string;
  keyId: string;
  productId: string;
  offerIdentifier: string;
  user: string;
  nonce: string;
  timestamp: number;
}): string =>
  [
    values.bundleId,
    values.keyId,
    values.productId,
    values.offerIdentifier,
    values.user,
    values.nonce,
    String(values.timestamp),
  ].join(SEPARATOR);

/** Signs one promotional offer: see {@link createPromotionalOfferSignature}. */
const signPromotionalOffer = async (
  options: PromotionalOfferSignatureOptions,
): Promise<PromotionalOfferSignature> => {
  const given = readOptions(
    options,
    [
      "keyId",
      "privateKey",
      "bundleId",
      "productId",
      "offerIdentifier",
      "appAccountToken",
      "applicationUsername",
      "nonce",
      "now",
    ],
    "{ keyId, privateKey, bundleId, productId, offerIdentifier }",
  ) as unknown as PromotionalOfferSignatureOptions;
  const keyId = validKeyId(given.keyId);
  const bundleId = validIdentifier(given.bundleId, "bundleId", "your app's bundle ID");
  const productId = checkPart(
    given.productId,
    "productId",
    "INVALID_PRODUCT_ID",
    "the subscription's product ID",
  );
  const offerIdentifier = checkPart(
    given.offerIdentifier,
    "offerIdentifier",
    "INVALID_OFFER_IDENTIFIER",
    "the offer's identifier from App Store Connect",
  );
  const appAccountToken = uuid(
    given.appAccountToken,
    "appAccountToken",
    "INVALID_APP_ACCOUNT_TOKEN",
    "the UUID the app passes to StoreKit as appAccountToken, or left out",
  );
  const applicationUsername =
    given.applicationUsername === undefined
      ? undefined
      : checkPart(
          given.applicationUsername,
          "applicationUsername",
          "INVALID_APPLICATION_USERNAME",
          "the string the app sets as applicationUsername",
          true,
        );
  if (appAccountToken !== undefined && applicationUsername !== undefined) {
    throw fail(
      "INVALID_APP_ACCOUNT_TOKEN",
      "appAccountToken and applicationUsername must not both be given: Apple signs one of them, " +
        "the one the app sends",
    );
  }
  const nonce = givenNonce(given.nonce) ?? randomNonce();
  const timestamp = Math.floor(epochMs(given.now));
  const key = await importAppleKey(given.privateKey);
  const payload = promotionalOfferPayload({
    bundleId,
    keyId,
    productId,
    offerIdentifier,
    user: appAccountToken ?? applicationUsername ?? "",
    nonce,
    timestamp,
  });
  let raw: Uint8Array;
  const signer = signerOf(key);
  if (signer) {
    raw = await signer(utf8(payload));
  } else {
    try {
      raw = new Uint8Array(await subtle().sign(ES256, key as CryptoKey, utf8(payload)));
    } catch (cause) {
      throw fail("SIGN_FAILED", "WebCrypto could not sign", cause);
    }
  }
  return {
    keyIdentifier: keyId,
    nonce,
    timestamp,
    signature: encodeBase64(rawToDerSignature(raw)),
    productId,
    offerIdentifier,
    ...(appAccountToken !== undefined && { appAccountToken }),
    ...(applicationUsername !== undefined && { applicationUsername }),
  };
};

/**
 * Signs a promotional offer in Apple's original format, for StoreKit's `SKPaymentDiscount`,
 * StoreKit 2's `.promotionalOffer(offerID:keyID:nonce:signature:timestamp:)` and Retention
 * Messaging's `promotionalOfferSignatureV1`: bundle ID, key ID, product ID, offer identifier,
 * `appAccountToken` (lower case) or `applicationUsername` (or nothing), nonce (lower case) and
 * timestamp (ms) joined by U+2063, signed ECDSA P-256/SHA-256 with the in-app purchase key; the
 * signature is DER, standard base64. For Apple's newer JWS form, use
 * {@link createInAppSignature} with `audience: "promotional-offer"`.
 *
 * @example
 * ```ts
 * import { createPromotionalOfferSignature } from "asc-token";
 * const offer = await createPromotionalOfferSignature({
 *   keyId: "2X9R4HXF34",
 *   privateKey: process.env.IAP_PRIVATE_KEY!, // contents of SubscriptionKey_2X9R4HXF34.p8
 *   bundleId: "com.example.app",
 *   productId: "com.example.monthly",
 *   offerIdentifier: "WINBACK50",
 *   appAccountToken: "6584bedf-2ed0-4c01-93ed-c0c64a1670cc",
 * });
 * // Send { keyIdentifier, nonce, timestamp, signature } to the app, which passes them to StoreKit
 * ```
 */
export const createPromotionalOfferSignature: (
  options: PromotionalOfferSignatureOptions,
) => Promise<PromotionalOfferSignature> = /* @__PURE__ */ Object.assign(signPromotionalOffer, {
  // Read by the providers, which refuse to cache it.
  singleUse:
    "each promotional offer signature carries a nonce Apple accepts once: sign one per offer, " +
    "never cache it",
});

/**
 * The `promotionalOfferSignatureV1` of a Retention Messaging real-time response, from a
 * {@link createPromotionalOfferSignature} result. Retention Messaging has no `applicationUsername`:
 * a signature made with one throws `INVALID_APPLICATION_USERNAME` (sign with the customer's
 * `appAccountToken`, or neither).
 *
 * @example
 * ```ts
 * import { createPromotionalOfferSignature, toPromotionalOfferSignatureV1 } from "asc-token";
 * const offer = await createPromotionalOfferSignature({
 *   keyId,
 *   privateKey,
 *   bundleId: "com.example.app",
 *   productId: "com.example.monthly",
 *   offerIdentifier: "WINBACK50",
 * });
 * // An approved message without an image:
 * const messageIdentifier = "a1b2c3d4-0000-4000-8000-000000000001";
 * const body = {
 *   promotionalOffer: {
 *     messageIdentifier,
 *     promotionalOfferSignatureV1: toPromotionalOfferSignatureV1(offer),
 *   },
 * };
 * ```
 */
export const toPromotionalOfferSignatureV1 = (
  offer: PromotionalOfferSignature,
): PromotionalOfferSignatureV1 => {
  if (offer.applicationUsername !== undefined) {
    throw fail(
      "INVALID_APPLICATION_USERNAME",
      "promotionalOfferSignatureV1 has no applicationUsername: sign with appAccountToken, or " +
        "neither",
    );
  }
  return {
    encodedSignature: offer.signature,
    productId: offer.productId,
    nonce: offer.nonce,
    timestamp: offer.timestamp,
    keyId: offer.keyIdentifier,
    offerIdentifier: offer.offerIdentifier,
    ...(offer.appAccountToken !== undefined && { appAccountToken: offer.appAccountToken }),
  };
};
