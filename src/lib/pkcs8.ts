// Reads the DER of a private key field by field, so that the error names what it is ("not an EC
// key", "encrypted") instead of WebCrypto's generic DataError, and wraps a SEC1 `EC PRIVATE KEY`
// into the PKCS#8 envelope WebCrypto imports. Every field is read down to the ones that tell the
// structures apart (RFC 5958 PKCS#8, RFC 5915 SEC1, RFC 8018 encrypted keys, RFC 5280 public keys
// and certificates): a damaged tag, length or trailing byte is KEY_MALFORMED, never a guess at the
// key's type. The scalar and the public key are WebCrypto's to check.
//
// OIDs are compared as the hex of their DER contents, the bytes a key holds; each is named beside
// it in dotted form.

import {
  type DerElement,
  BIT_STRING,
  INTEGER,
  OCTET_STRING,
  OBJECT_IDENTIFIER,
  SEQUENCE,
  contextTag,
  encodeDer,
  fromHex,
  hex,
  optional,
  readDer,
  readFields,
} from "./der.js";
import { encrypted, keyError, malformed } from "./errors.js";

/** id-ecPublicKey (1.2.840.10045.2.1): the algorithm of every EC key, whatever its curve. */
const EC_PUBLIC_KEY = "2a8648ce3d0201";
/** prime256v1 (1.2.840.10045.3.1.7; P-256, secp256r1): the one curve ES256 signs on. */
const P256 = "2a8648ce3d030107";

/** Algorithms of private keys that are not EC keys. */
const NOT_EC = [
  "2a864886f70d010101", // rsaEncryption 1.2.840.113549.1.1.1
  "2a864886f70d01010a", // RSASSA-PSS 1.2.840.113549.1.1.10
  "2a8648ce380401", // DSA 1.2.840.10040.4.1
  "2b656e", // X25519 1.3.101.110
  "2b656f", // X448 1.3.101.111
  "2b6570", // Ed25519 1.3.101.112
  "2b6571", // Ed448 1.3.101.113
];

/** Named curves other than P-256. */
const OTHER_CURVES = [
  "2a8648ce3d030101", // prime192v1 1.2.840.10045.3.1.1
  "2a8648ce3d030102", // prime192v2 1.2.840.10045.3.1.2
  "2a8648ce3d030103", // prime192v3 1.2.840.10045.3.1.3
  "2a8648ce3d030104", // prime239v1 1.2.840.10045.3.1.4
  "2a8648ce3d030105", // prime239v2 1.2.840.10045.3.1.5
  "2a8648ce3d030106", // prime239v3 1.2.840.10045.3.1.6
  "2b81040021", // secp224r1 1.3.132.0.33
  "2b81040022", // secp384r1 (P-384) 1.3.132.0.34
  "2b81040023", // secp521r1 (P-521) 1.3.132.0.35
  "2b8104000a", // secp256k1 1.3.132.0.10
  "2b2403030208010105", // brainpoolP224r1 1.3.36.3.3.2.8.1.1.5
  "2b2403030208010107", // brainpoolP256r1 1.3.36.3.3.2.8.1.1.7
  "2b2403030208010109", // brainpoolP320r1 1.3.36.3.3.2.8.1.1.9
  "2b240303020801010b", // brainpoolP384r1 1.3.36.3.3.2.8.1.1.11
  "2b240303020801010d", // brainpoolP512r1 1.3.36.3.3.2.8.1.1.13
];

/** Password-based encryption: PKCS#5 (PBES1/PBES2, 1.2.840.113549.1.5.x), PKCS#12 PBE (.12.1.x). */
const PASSWORD_BASED = ["2a864886f70d0105", "2a864886f70d010c01"];

/**
 * The start of the PKCS#8 form of a SEC1 key, in hex: version 0 and the algorithm
 * `{ id-ecPublicKey, prime256v1 }`, before the OCTET STRING that holds the SEC1 key.
 */
const PKCS8_P256_HEAD =
  "020100" + // INTEGER 0
  "3013" + // SEQUENCE of 19 bytes:
  `0607${EC_PUBLIC_KEY}` + // OID id-ecPublicKey
  `0608${P256}`; // OID prime256v1

const unsupportedType = () => keyError("KEY_UNSUPPORTED_TYPE", "is not an EC key");
const unsupportedCurve = () => keyError("KEY_UNSUPPORTED_CURVE", "is not on curve P-256");

/** True when `element` is the version INTEGER `value` (0 or 1, so one byte). */
const isVersion = (element: DerElement | undefined, value: number): boolean =>
  element?.tag === INTEGER && hex(element.contents) === `0${value}`;

/** Throws unless the named curve `curve` (an OID element) is P-256. */
const expectP256 = (curve: DerElement): void => {
  const oid = hex(curve.contents);
  if (oid !== P256) throw OTHER_CURVES.includes(oid) ? unsupportedCurve() : malformed();
};

/**
 * Reads a SEC1 ECPrivateKey, `SEQUENCE { version 1, privateKey OCTET STRING, [0] parameters
 * OPTIONAL, [1] publicKey OPTIONAL }`, and throws unless it is a P-256 key.
 */
const expectEcPrivateKey = (der: Uint8Array): void => {
  const [key] = readFields(der, malformed, [SEQUENCE]);
  const [version, privateKey, parameters, publicKey] = readFields(key.contents, malformed, [
    INTEGER,
    OCTET_STRING,
    optional(contextTag(0)),
    optional(contextTag(1)),
  ]);
  if (!isVersion(version, 1)) throw malformed();
  if (parameters) expectP256(readFields(parameters.contents, malformed, [OBJECT_IDENTIFIER])[0]);
  // [1] holds one BIT STRING, the point WebCrypto checks against the scalar.
  if (publicKey) readFields(publicKey.contents, malformed, [BIT_STRING]);
  // Without parameters, the size of the private key tells a P-384 or P-521 key apart.
  if (privateKey.contents.length !== 32) throw unsupportedCurve();
};

/**
 * Checks that `der` is an unencrypted P-256 private key, as PKCS#8 or SEC1, and returns it as
 * PKCS#8. Throws an {@link AscTokenError} naming what it is otherwise.
 */
export const toPkcs8 = (der: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> => {
  const fields = readFields(der, malformed, [SEQUENCE])[0].contents;
  const [first, second] = readDer(fields, malformed, 2);
  // A SEQUENCE first: an EncryptedPrivateKeyInfo { algorithm, OCTET STRING }, a public key
  // (SubjectPublicKeyInfo { algorithm, BIT STRING }) or a certificate
  // { tbs, algorithm, BIT STRING }.
  if (first?.tag === SEQUENCE) {
    const [oid] = readDer(first.contents, malformed, 1);
    const algorithm = oid?.tag === OBJECT_IDENTIFIER ? hex(oid.contents) : "";
    if (PASSWORD_BASED.some((prefix) => algorithm.startsWith(prefix))) {
      readFields(fields, malformed, [SEQUENCE, OCTET_STRING]);
      throw encrypted();
    }
    readFields(fields, malformed, [SEQUENCE, optional(SEQUENCE), BIT_STRING]);
    throw keyError("KEY_NOT_PRIVATE", "is a public key or certificate");
  }
  // PKCS#1 RSAPrivateKey { version 0, modulus INTEGER, ... } (DSA's OpenSSL form looks the same).
  if (isVersion(first, 0) && second?.tag === INTEGER) throw unsupportedType();
  // SEC1 ECPrivateKey: read it whole, then wrap it as PrivateKeyInfo { 0, P-256, { key } }.
  if (second?.tag === OCTET_STRING) {
    expectEcPrivateKey(der);
    return encodeDer(SEQUENCE, fromHex(PKCS8_P256_HEAD), encodeDer(OCTET_STRING, der));
  }
  // PKCS#8 PrivateKeyInfo { version 0 or 1, algorithm { OID, parameters }, privateKey OCTET
  // STRING, [0] attributes OPTIONAL, [1] publicKey OPTIONAL }: WebCrypto's own format.
  const [version, algorithm, privateKey] = readFields(fields, malformed, [
    INTEGER,
    SEQUENCE,
    OCTET_STRING,
    optional(contextTag(0)),
    optional(contextTag(1, false)),
  ]);
  if (!isVersion(version, 0) && !isVersion(version, 1)) throw malformed();
  // The type first: an RSA or Ed25519 key's parameters differ from an EC key's.
  const [type] = readDer(algorithm.contents, malformed, 1);
  const oid = type?.tag === OBJECT_IDENTIFIER ? hex(type.contents) : "";
  if (oid !== EC_PUBLIC_KEY) throw NOT_EC.includes(oid) ? unsupportedType() : malformed();
  expectP256(readFields(algorithm.contents, malformed, [OBJECT_IDENTIFIER, OBJECT_IDENTIFIER])[1]);
  expectEcPrivateKey(privateKey.contents);
  return der;
};
