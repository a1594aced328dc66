// Reads the DER of a private key field by field, so that the error names what it is ("not an EC
// key", "encrypted") instead of WebCrypto's generic DataError, and wraps a SEC1 `EC PRIVATE KEY`
// into the PKCS#8 envelope WebCrypto imports. Every field is read down to the ones that tell the
// structures apart (RFC 5958 PKCS#8, RFC 5915 SEC1, RFC 8018 encrypted keys, RFC 5280 public keys
// and certificates): a damaged tag, length or trailing byte is KEY_MALFORMED, never a guess at the
// key's type. The scalar and the public key are WebCrypto's to check.

import { DerReader, TAG, contextTag, encodeDer, oidContents, oidText } from "./der.js";
import { encrypted, keyError, malformed } from "./errors.js";

/** id-ecPublicKey: the algorithm of every EC key, whatever its curve. */
const EC_PUBLIC_KEY = "1.2.840.10045.2.1";
/** prime256v1 (P-256, secp256r1): the one curve ES256 signs on. */
const P256 = "1.2.840.10045.3.1.7";

/** Algorithms of private keys that are not EC keys: RSA, RSASSA-PSS, DSA, Ed/X25519, Ed/X448. */
const NOT_EC = [
  "1.2.840.113549.1.1.1",
  "1.2.840.113549.1.1.10",
  "1.2.840.10040.4.1",
  "1.3.101.110",
  "1.3.101.111",
  "1.3.101.112",
  "1.3.101.113",
];

/**
 * Named curves other than P-256: X9.62 prime192v1..prime239v3, SECG secp224r1, secp384r1 (P-384),
 * secp521r1 (P-521), secp256k1, and brainpoolP{224,256,320,384,512}r1.
 */
const OTHER_CURVES = [
  "1.2.840.10045.3.1.1",
  "1.2.840.10045.3.1.2",
  "1.2.840.10045.3.1.3",
  "1.2.840.10045.3.1.4",
  "1.2.840.10045.3.1.5",
  "1.2.840.10045.3.1.6",
  "1.3.132.0.33",
  "1.3.132.0.34",
  "1.3.132.0.35",
  "1.3.132.0.10",
  "1.3.36.3.3.2.8.1.1.5",
  "1.3.36.3.3.2.8.1.1.7",
  "1.3.36.3.3.2.8.1.1.9",
  "1.3.36.3.3.2.8.1.1.11",
  "1.3.36.3.3.2.8.1.1.13",
];

/** Password-based encryption: PKCS#5 (PBES1/PBES2, 1.2.840.113549.1.5.x) and PKCS#12 PBE. */
const PASSWORD_BASED = ["1.2.840.113549.1.5.", "1.2.840.113549.1.12.1."];

/** `[1] IMPLICIT BIT STRING`, PKCS#8's public key: a primitive context tag (0x81). */
const PKCS8_PUBLIC_KEY = contextTag(1, false);

const unsupportedType = () => keyError("KEY_UNSUPPORTED_TYPE", "is not an EC key");
const unsupportedCurve = () => keyError("KEY_UNSUPPORTED_CURVE", "is not on curve P-256");

/** A reader over the contents of the one element `der` holds, which must have tag `tag`. */
const enterOnly = (der: Uint8Array, tag: number): DerReader => {
  const outer = new DerReader(der, malformed);
  const inner = outer.enter(tag);
  outer.end();
  return inner;
};

/** True when a version INTEGER's contents are the number `value` (0 or 1, so one byte). */
const isVersion = (contents: Uint8Array, value: number): boolean =>
  contents.length === 1 && contents[0] === value;

/** Reads a named curve (an OID, then nothing): returns if it is P-256, throws otherwise. */
const expectP256 = (reader: DerReader): void => {
  const curve = oidText(reader.expect(TAG.OID));
  reader.end();
  if (curve !== P256) throw OTHER_CURVES.includes(curve) ? unsupportedCurve() : malformed();
};

/**
 * Reads a SEC1 ECPrivateKey, `SEQUENCE { version 1, privateKey OCTET STRING, [0] parameters
 * OPTIONAL, [1] publicKey OPTIONAL }`, and throws unless it is a P-256 key.
 */
const expectEcPrivateKey = (key: DerReader): void => {
  if (!isVersion(key.expect(TAG.INTEGER), 1)) throw malformed();
  const privateKey = key.expect(TAG.OCTET_STRING);
  const parameters = key.optional(contextTag(0));
  const publicKey = key.optional(contextTag(1));
  key.end();
  if (parameters) expectP256(new DerReader(parameters.contents, malformed));
  // [1] holds one BIT STRING, the point WebCrypto checks against the scalar.
  if (publicKey) enterOnly(publicKey.contents, TAG.BIT_STRING);
  // Without parameters, the size of the private key tells a P-384 or P-521 key apart.
  if (privateKey.length !== 32) throw unsupportedCurve();
};

/**
 * Checks that `der` is an unencrypted P-256 private key, as PKCS#8 or SEC1, and returns it as
 * PKCS#8. Throws an {@link AscTokenError} naming what it is otherwise.
 */
export const toPkcs8 = (der: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> => {
  const key = enterOnly(der, TAG.SEQUENCE);
  // A SEQUENCE first: an EncryptedPrivateKeyInfo { algorithm, OCTET STRING }, a public key
  // (SubjectPublicKeyInfo { algorithm, BIT STRING }) or a certificate { tbs, algorithm, BIT STRING }.
  if (key.peek() === TAG.SEQUENCE) {
    const oid = key.enter(TAG.SEQUENCE).optional(TAG.OID);
    const algorithm = oid ? oidText(oid.contents) : "";
    if (PASSWORD_BASED.some((prefix) => algorithm.startsWith(prefix))) {
      key.expect(TAG.OCTET_STRING);
      key.end();
      throw encrypted();
    }
    key.optional(TAG.SEQUENCE);
    key.expect(TAG.BIT_STRING);
    key.end();
    throw keyError("KEY_NOT_PRIVATE", "is a public key or certificate");
  }
  const version = key.expect(TAG.INTEGER);
  // PKCS#1 RSAPrivateKey { version 0, modulus INTEGER, ... } (DSA's OpenSSL form looks the same).
  if (key.peek() === TAG.INTEGER && isVersion(version, 0)) throw unsupportedType();
  // SEC1 ECPrivateKey: read it whole, then wrap it as PrivateKeyInfo { 0, P-256, { key } }.
  if (key.peek() === TAG.OCTET_STRING) {
    expectEcPrivateKey(enterOnly(der, TAG.SEQUENCE));
    return encodeDer(
      TAG.SEQUENCE,
      encodeDer(TAG.INTEGER, Uint8Array.of(0)),
      encodeDer(
        TAG.SEQUENCE,
        encodeDer(TAG.OID, oidContents(EC_PUBLIC_KEY)),
        encodeDer(TAG.OID, oidContents(P256)),
      ),
      encodeDer(TAG.OCTET_STRING, der),
    );
  }
  // PKCS#8 PrivateKeyInfo { version 0 or 1, algorithm { OID, parameters }, privateKey OCTET
  // STRING, [0] attributes OPTIONAL, [1] publicKey OPTIONAL }: WebCrypto's own format.
  const algorithm = key.enter(TAG.SEQUENCE);
  const privateKey = key.expect(TAG.OCTET_STRING);
  key.optional(contextTag(0));
  key.optional(PKCS8_PUBLIC_KEY);
  key.end();
  if (!isVersion(version, 0) && !isVersion(version, 1)) throw malformed();
  const type = oidText(algorithm.expect(TAG.OID));
  if (type !== EC_PUBLIC_KEY) throw NOT_EC.includes(type) ? unsupportedType() : malformed();
  expectP256(algorithm);
  expectEcPrivateKey(enterOnly(privateKey, TAG.SEQUENCE));
  return der;
};
