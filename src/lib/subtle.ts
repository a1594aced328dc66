import { fail } from "./errors.js";

/** WebCrypto's SubtleCrypto, looked up when first needed (never at import time). */
export const subtle = (): SubtleCrypto => {
  const found = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (!found) {
    throw fail("CRYPTO_UNAVAILABLE", "crypto.subtle is missing: use https or Node >= 20");
  }
  return found;
};

/** The algorithm every Apple .p8 key signs with: ECDSA on P-256 with SHA-256 (JWS "ES256"). */
export const ES256 = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
