// signature: the two forms of a P-256 ECDSA signature, for code that sits between a key service
// and a JWS (or the other way round): DER, what X.509, OpenSSL and most key services produce, and
// the raw `r||s` that JWS (RFC 7518 §3.4) and WebCrypto use.

import { derToRawSignature, rawToDerSignature } from "../lib/der.js";
import { fail } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import { validRawSignature } from "./signer.js";

/**
 * `value` if it is a Uint8Array (of any realm; a Buffer is one), with `check` applied to it;
 * SIGNATURE_MALFORMED saying it is not `what` otherwise.
 */
const read = <T>(
  value: unknown,
  what: string,
  check: (bytes: Uint8Array, invalid: () => Error) => T,
): T => {
  const bytes = Object.prototype.toString.call(value) === "[object Uint8Array]";
  const got = bytes ? `${(value as Uint8Array).length} bytes that are not one` : showValue(value);
  const invalid = () =>
    fail("SIGNATURE_MALFORMED", `signature must be ${what}, with 0 < r, s < n; got ${got}`);
  if (!bytes) throw invalid();
  return check(value as Uint8Array, invalid);
};

/**
 * A P-256 ECDSA signature in DER (`SEQUENCE { INTEGER r, INTEGER s }`, what AWS KMS, Google Cloud
 * KMS, Vault transit by default and OpenSSL return) as the raw 64-byte `r||s` a JWS carries.
 * Strict: minimal integers, no trailing bytes, `r` and `s` in [1, n − 1]; anything else throws
 * `SIGNATURE_MALFORMED`. A signer given as `signerKey(signer)` needs no conversion: asc-token
 * does it.
 *
 * @example
 * ```ts
 * import { signatureFromDer } from "asc-token";
 * // The DER signature of signingInput from AWS KMS, Vault transit or `openssl dgst -sign`:
 * const der = Uint8Array.from(atob(derBase64), (c) => c.charCodeAt(0));
 * const jwsSignature = btoa(String.fromCharCode(...signatureFromDer(der)))
 *   .replace(/\+/g, "-")
 *   .replace(/\//g, "_")
 *   .replace(/=+$/, "");
 * const jws = `${signingInput}.${jwsSignature}`;
 * ```
 */
export const signatureFromDer = (der: Uint8Array): Uint8Array =>
  read(der, "a DER ECDSA P-256 signature", (bytes, invalid) =>
    validRawSignature(derToRawSignature(bytes, 32, invalid), invalid),
  );

/**
 * A raw 64-byte P-256 ECDSA signature `r||s` (a JWS signature, WebCrypto's output) as DER
 * (`SEQUENCE { INTEGER r, INTEGER s }`), the form OpenSSL, X.509 and Apple's promotional offer
 * signature use. Throws `SIGNATURE_MALFORMED` unless it is 64 bytes with `r` and `s` in
 * [1, n − 1].
 *
 * @example
 * ```ts
 * import { signatureToDer } from "asc-token";
 * const [header, claims, signature] = token.split(".") as [string, string, string];
 * const raw = Uint8Array.from(atob(signature.replace(/-/g, "+").replace(/_/g, "/")), (c) =>
 *   c.charCodeAt(0),
 * );
 * // For `openssl dgst -sha256 -verify public.pem -signature sig.der`, over `header.claims`:
 * const sigDer = btoa(String.fromCharCode(...signatureToDer(raw))); // `base64 -d > sig.der`
 * console.log(`${header}.${claims}`, sigDer);
 * ```
 */
export const signatureToDer = (raw: Uint8Array): Uint8Array =>
  read(raw, "a raw 64-byte P-256 ECDSA signature r||s", (bytes, invalid) =>
    rawToDerSignature(validRawSignature(bytes, invalid)),
  );
