// sign: header + claims + key → compact JWS (RFC 7515), ES256. The one signer every Apple token
// kind goes through.

import { encodeBytes, encodeJson, utf8 } from "./base64url.js";
import { fail } from "./errors.js";
import { ES256, subtle } from "./subtle.js";

/** base64url JSON of frozen headers (a frozen flat object cannot change), e.g. ascHeader's. */
const encodedHeaders = new WeakMap<object, string>();

/**
 * Signs `header.claims` with ES256. WebCrypto's ECDSA output is already the raw 64-byte
 * IEEE P1363 `r||s` that JWS wants (not DER), so it is base64url-encoded as is.
 */
export const signJwt = async (header: object, claims: object, key: CryptoKey): Promise<string> => {
  let encoded = encodedHeaders.get(header);
  if (encoded === undefined) {
    encoded = encodeJson(header);
    if (Object.isFrozen(header)) encodedHeaders.set(header, encoded);
  }
  const input = `${encoded}.${encodeJson(claims)}`;
  const crypto = subtle();
  let signature: ArrayBuffer;
  try {
    signature = await crypto.sign(ES256, key, utf8(input));
  } catch (cause) {
    throw fail("SIGN_FAILED", "WebCrypto could not sign", cause);
  }
  return `${input}.${encodeBytes(new Uint8Array(signature))}`;
};
