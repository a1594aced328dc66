// Reads just enough DER to tell what kind of key we were given, so that the error says so
// ("this is an RSA key") instead of WebCrypto's generic DataError, and wraps a SEC1
// `EC PRIVATE KEY` into the PKCS#8 envelope WebCrypto imports.

import { encrypted, fail, notPrivate } from "./errors.js";

interface Tlv {
  tag: number;
  /** Offset of the first value byte. */
  start: number;
  /** Offset just past the value. */
  end: number;
}

/** Reads the tag-length-value at `pos`; undefined when it does not fit inside `der`. */
const tlv = (der: Uint8Array, pos: number): Tlv | undefined => {
  const tag = der[pos];
  let len = der[pos + 1];
  let start = pos + 2;
  if (tag === undefined || len === undefined) return undefined;
  if (len > 0x80) {
    const count = len - 0x80;
    if (count > 3) return undefined;
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + (der[start++] ?? NaN);
  } else if (len === 0x80) return undefined;
  const end = start + len;
  return end <= der.length ? { tag, start, end } : undefined;
};

const hex = (der: Uint8Array, { start, end }: Tlv): string => {
  let out = "";
  for (let i = start; i < end; i++) out += (der[i] ?? 0).toString(16).padStart(2, "0");
  return out;
};

// Object identifiers, hex of the value bytes.
const EC_PUBLIC_KEY = "2a8648ce3d0201"; // 1.2.840.10045.2.1
const P256 = "2a8648ce3d030107"; // 1.2.840.10045.3.1.7 (prime256v1 / secp256r1)

/** DER length bytes for `n` (SEC1 P-256 keys are at most 121 bytes; two bytes cover anything). */
const length = (n: number): number[] => (n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff]);

/** A DER SEQUENCE around the concatenated `parts`. */
const sequence = (...parts: number[][]): number[] => {
  const content = parts.flat();
  return [0x30, ...length(content.length), ...content];
};

const malformed = () =>
  fail("KEY_MALFORMED", "privateKey is truncated or damaged: paste the whole .p8 file");
const notEc = () => fail("KEY_UNSUPPORTED_TYPE", "privateKey is not an EC key (RSA?): use Apple's P-256 .p8 key");
const notP256 = () =>
  fail("KEY_UNSUPPORTED_CURVE", "privateKey is not on curve P-256: use Apple's .p8 key");

/**
 * Checks that `der` is an unencrypted P-256 private key, as PKCS#8 or SEC1, and returns it as
 * PKCS#8. Throws an {@link AscTokenError} naming what it is otherwise.
 */
export const toPkcs8 = (der: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> => {
  const top = tlv(der, 0);
  if (top?.tag !== 0x30 || top.end !== der.length) throw malformed();
  const first = tlv(der, top.start);
  const second = first && tlv(der, first.end);
  if (!first || !second) throw malformed();

  if (first.tag === 0x02 && second.tag === 0x30) {
    // PKCS#8 PrivateKeyInfo: version, AlgorithmIdentifier { algorithm, parameters }, key.
    const algorithm = tlv(der, second.start);
    const parameters = algorithm && tlv(der, algorithm.end);
    if (algorithm?.tag !== 0x06) throw malformed();
    if (hex(der, algorithm) !== EC_PUBLIC_KEY) {
      throw notEc();
    }
    if (parameters?.tag !== 0x06 || hex(der, parameters) !== P256) throw notP256();
    return der;
  }
  if (first.tag === 0x02 && second.tag === 0x04) {
    // SEC1 ECPrivateKey: version 1, privateKey OCTET STRING, [0] curve OID, [1] public key.
    const field = tlv(der, second.end);
    if (field?.tag === 0xa0) {
      const curve = tlv(der, field.start);
      if (curve?.tag !== 0x06 || hex(der, curve) !== P256) throw notP256();
    } else if (second.end - second.start !== 32) throw notP256();
    const algorithmId = sequence([0x06, 7, ...fromHex(EC_PUBLIC_KEY)], [0x06, 8, ...fromHex(P256)]);
    return Uint8Array.from(sequence([0x02, 1, 0], algorithmId, [0x04, ...length(der.length), ...der]));
  }
  if (first.tag === 0x02 && second.tag === 0x02) {
    throw notEc();
  }
  if (first.tag === 0x30 && second.tag === 0x04) {
    throw encrypted();
  }
  if (first.tag === 0x30) {
    throw notPrivate();
  }
  throw malformed();
};

const fromHex = (hexText: string): number[] =>
  Array.from(hexText.match(/../g) ?? [], (pair) => parseInt(pair, 16));
