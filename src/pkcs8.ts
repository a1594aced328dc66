// Reads just enough DER to tell what kind of key we were given, so that the error says so
// ("not an EC key") instead of WebCrypto's generic DataError, and wraps a SEC1 `EC PRIVATE KEY`
// into the PKCS#8 envelope WebCrypto imports. Rather than parsing every field, it compares the
// hex of the DER with the fixed prefixes of P-256 keys and with the OIDs that identify the rest.

import { encrypted, keyError, malformed } from "./errors.js";

/** Lower-case hex of `bytes`, two digits a byte. */
const hex = (bytes: Iterable<number>): string => {
  let text = "";
  for (const byte of bytes) text += (byte | 256).toString(16).slice(1);
  return text;
};

/** AlgorithmIdentifier { id-ecPublicKey 1.2.840.10045.2.1, prime256v1 1.2.840.10045.3.1.7 }. */
const P256 = "301306072a8648ce3d020106082a8648ce3d030107";

/**
 * Checks that `der` is an unencrypted P-256 private key, as PKCS#8 or SEC1, and returns it as
 * PKCS#8. Throws an {@link AscTokenError} naming what it is otherwise.
 */
export const toPkcs8 = (der: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> => {
  // The outer SEQUENCE (30) and its length, short (< 0x80) or long (81 xx, 82 xx xx), must
  // cover exactly `der`: a truncated or padded key stops here.
  const lengthByte = der[1] ?? 0;
  const head = lengthByte < 0x80 ? 2 : lengthByte - 0x7e;
  if (
    der[0] !== 0x30 ||
    head + parseInt(hex(head > 2 ? der.subarray(2, head) : [lengthByte]), 16) !== der.length
  )
    throw malformed();
  // The hex of what follows, as far as any check below looks (5 + 32 + 12 bytes of SEC1).
  const body = hex(der.subarray(head, head + 49));
  // A SEQUENCE first: a public key or certificate, or an encrypted key (PKCS#5 or PKCS#12
  // password-based encryption, OIDs 1.2.840.113549.1.5.x and 1.2.840.113549.1.12.1.x).
  if (body.startsWith("30")) {
    throw /2a864886f70d010(5|c01)/.test(body)
      ? encrypted()
      : keyError("KEY_NOT_PRIVATE", "is a public key or certificate");
  }
  // PKCS#8 (version 0, or 1 with the public key) of a P-256 key: WebCrypto's own format.
  if (/^02010[01]/.test(body) && body.startsWith(P256, 6)) return der;
  // SEC1 ECPrivateKey: version 1, a 32-byte key, then no parameters or exactly [0] prime256v1.
  // Wrapped as PrivateKeyInfo { version 0, P256, OCTET STRING { der } }; lengths fit one byte.
  if (der.length < 128 && /^0201010420.{64}(a00a06082a8648ce3d030107|(?!a0))/.test(body)) {
    const pkcs8 = `30${der.length < 102 ? "" : "81"}${hex([der.length + 26])}020100${P256}04${hex([der.length])}${hex(der)}`;
    return Uint8Array.from(pkcs8.match(/../g) ?? [], (pair) => parseInt(pair, 16));
  }
  throw /^02010(104|[01]30..06072a8648ce3d0201)/.test(body)
    ? keyError("KEY_UNSUPPORTED_CURVE", "is not on curve P-256") // SEC1, or PKCS#8 with id-ecPublicKey
    : /^02010([01]30..06|002)/.test(body)
      ? keyError("KEY_UNSUPPORTED_TYPE", "is not an EC key") // PKCS#8 of RSA, Ed25519...; PKCS#1 RSA
      : malformed();
};
