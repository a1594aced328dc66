import { fail } from "./errors.js";

/** The `crypto` object `subtle()` last looked at, and its `subtle`. */
let seen: unknown;
let found: SubtleCrypto | undefined;

/**
 * WebCrypto's SubtleCrypto, looked up when first needed (never at import time), and again
 * whenever `globalThis.crypto` is another object: reading `crypto.subtle` goes through a getter
 * that was a measurable part of a token's JS time.
 */
export const subtle = (): SubtleCrypto => {
  const crypto = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto;
  if (crypto !== seen || !found) {
    seen = crypto;
    found = crypto?.subtle;
    if (!found) throw fail("CRYPTO_UNAVAILABLE", "crypto.subtle is missing: use https or Node >= 20");
  }
  return found;
};

/** The algorithm every Apple .p8 key signs with: ECDSA on P-256 with SHA-256 (JWS "ES256"). */
export const ES256 = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
