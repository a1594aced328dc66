// sign: header + claims + key → compact JWS (RFC 7515), ES256. The one signer every Apple token
// kind goes through.

import { encodeBytes, encodeJson, encodeText, utf8 } from "./base64url.js";
import { fail } from "./errors.js";
import { type AscSigner, isSigner, signWithSigner } from "./signer.js";
import { ES256, subtle } from "./subtle.js";

/**
 * The last signing input, as the encoded header, the claims' JSON, and the bytes signed. Tokens
 * minted in the same second with the same options have the same input: reusing it skips the
 * base64url and UTF-8 encoding (WebCrypto copies the bytes it is given, so they stay unchanged).
 */
let lastHeader = "";
let lastClaims = "";
let lastInput = "";
let lastBytes = new Uint8Array(0);

/**
 * Signs `header.claims` with ES256, given the header already base64url-encoded and the claims as
 * JSON text. WebCrypto's ECDSA output is already the raw 64-byte IEEE P1363 `r||s` that JWS
 * wants (not DER), so it is base64url-encoded as is. A signer's output is checked and, from DER,
 * converted first.
 */
export const signJws = async (
  header: string,
  claims: string,
  key: CryptoKey | AscSigner,
): Promise<string> => {
  if (claims !== lastClaims || header !== lastHeader) {
    lastInput = `${header}.${encodeText(claims)}`;
    lastBytes = utf8(lastInput);
    lastHeader = header;
    lastClaims = claims;
  }
  const input = lastInput;
  const bytes = lastBytes;
  if (isSigner(key)) return `${input}.${encodeBytes(await signWithSigner(key, bytes))}`;
  const crypto = subtle();
  let signature: ArrayBuffer;
  try {
    signature = await crypto.sign(ES256, key, bytes);
  } catch (cause) {
    throw fail("SIGN_FAILED", "WebCrypto could not sign", cause);
  }
  return `${input}.${encodeBytes(new Uint8Array(signature))}`;
};

/** {@link signJws} of a header and claims given as objects (the other Apple token kinds). */
export const signJwt = (
  header: object,
  claims: object,
  key: CryptoKey | AscSigner,
): Promise<string> => signJws(encodeJson(header), JSON.stringify(claims), key);
