// nonce: the one-time UUID an in-app JWS and a promotional offer signature carry, the caller's or
// a random one, in lower case either way (as Apple's libraries write it, and as StoreKit's offer
// signature requires).

import { fail, invalid } from "./errors.js";
import { UUID, matches } from "./validate.js";

/** The `nonce` option in lower case, or undefined when left out; INVALID_NONCE unless a UUID. */
export const givenNonce = (nonce: unknown): string | undefined => {
  if (nonce === undefined) return undefined;
  if (!matches(nonce, UUID)) {
    throw invalid("INVALID_NONCE", "nonce", "a UUID, or left out for a random one", nonce);
  }
  return nonce.toLowerCase();
};

/** A fresh random UUID in lower case; CRYPTO_UNAVAILABLE where `crypto.randomUUID` is missing. */
export const randomNonce = (): string => {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof crypto?.randomUUID !== "function") {
    throw fail(
      "CRYPTO_UNAVAILABLE",
      "crypto.randomUUID is missing: pass nonce, or use a secure context (https) or Node >= 20",
    );
  }
  return crypto.randomUUID().toLowerCase();
};
