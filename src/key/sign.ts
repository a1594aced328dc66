// sign: header and claims → compact JWS (RFC 7515), ES256. The last step of every token kind.

import { encodeBytes, encodeText, utf8 } from "../lib/base64url.js";
import { fail } from "../lib/errors.js";
import { type SignerKey, signerOf } from "./signer.js";
import { ES256, subtle } from "../lib/subtle.js";

/**
 * Signs `base64url(JSON(header)) . base64url(JSON(claims))` with ES256. WebCrypto's ECDSA output is
 * already the raw 64-byte IEEE P1363 `r||s` that JWS wants (not DER), so it is encoded as it is.
 */
export const signJwt = async (
  header: object,
  claims: object,
  key: CryptoKey | SignerKey,
): Promise<string> => {
  const input = `${encodeText(JSON.stringify(header))}.${encodeText(JSON.stringify(claims))}`;
  const data = utf8(input);
  let signature: Uint8Array;
  // A signer's own errors carry their own codes, outside the WebCrypto try.
  const signer = signerOf(key);
  if (signer) signature = await signer(data);
  else {
    const crypto = subtle();
    try {
      signature = new Uint8Array(await crypto.sign(ES256, key as CryptoKey, data));
    } catch (cause) {
      throw fail("SIGN_FAILED", "WebCrypto could not sign", cause);
    }
  }
  return `${input}.${encodeBytes(signature)}`;
};
