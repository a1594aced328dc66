// x509: the fields of an X.509 v3 certificate (RFC 5280) that checking Apple's chain needs, read
// with the strict DER reader. Anything a certificate of Apple's chain never holds is refused
// rather than skipped: a version other than v3, unknown critical extensions, a repeated extension.
// A trusted root is a trust anchor, a name and a key (RFC 5280 6.1.1): it may also be a v1
// certificate, as test roots often are.

import {
  type DerElement,
  BIT_STRING,
  INTEGER,
  OCTET_STRING,
  OBJECT_IDENTIFIER,
  SEQUENCE,
  contextTag,
  encodeDer,
  optional,
  oidText,
  readDer,
  readFields,
} from "../lib/der.js";
import { type AscTokenError, fail } from "../lib/errors.js";

/** Tags this file reads beyond der.ts's: BOOLEAN and the two ASN.1 time types. */
const BOOLEAN = 0x01;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

/** Extension OIDs read here; any other extension marked critical makes a certificate invalid. */
export const OID = {
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  /**
   * Apple Worldwide Developer Relations intermediate CA (Apple's signing intermediates carry it).
   */
  appleWwdrIntermediate: "1.2.840.113635.100.6.2.1",
  /** Apple's App Store receipt signing leaf. */
  appleReceiptSigning: "1.2.840.113635.100.6.11.1",
} as const;

/** The signature algorithms of an EC chain: the hash WebCrypto verifies with. */
const SIGNATURE_HASH: Record<string, "SHA-256" | "SHA-384"> = {
  "1.2.840.10045.4.3.2": "SHA-256",
  "1.2.840.10045.4.3.3": "SHA-384",
};

/** Named curves WebCrypto verifies on, with the byte size of r and s. */
const CURVES: Record<string, { name: "P-256" | "P-384"; size: number }> = {
  "1.2.840.10045.3.1.7": { name: "P-256", size: 32 },
  "1.3.132.0.34": { name: "P-384", size: 48 },
};

const EC_PUBLIC_KEY = "1.2.840.10045.2.1";

/** Extensions read per certificate at most: Apple's carry about ten. */
const MOST_EXTENSIONS = 32;

/** keyUsage bits (the first byte of the BIT STRING, most significant bit first). */
export const KEY_USAGE = { digitalSignature: 0x80, keyCertSign: 0x04 } as const;

/** What the chain check reads of one certificate. */
export interface Certificate {
  /** The signed part, exactly as encoded: what the issuer's signature covers. */
  readonly tbs: Uint8Array<ArrayBuffer>;
  /**
   * The hash of the issuer's signature, from its algorithm; undefined when not ECDSA SHA-256/384.
   */
  readonly signatureHash: "SHA-256" | "SHA-384" | undefined;
  /** The issuer's signature, DER `SEQUENCE { r, s }`. */
  readonly signature: Uint8Array;
  /** The contents of the issuer and subject Names, compared byte for byte. */
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  /** Validity, epoch milliseconds, both ends included. */
  readonly notBefore: number;
  readonly notAfter: number;
  /**
   * The public key's uncompressed point (for `importKey("raw")`, which WebCrypto imports about
   * three times faster than the SPKI around it), and its curve if supported.
   */
  readonly point: Uint8Array<ArrayBuffer>;
  readonly curve: { name: "P-256" | "P-384"; size: number } | undefined;
  /** basicConstraints cA. */
  readonly isCA: boolean;
  /** The first byte of keyUsage; undefined without the extension. */
  readonly keyUsage: number | undefined;
  /** The OIDs of every extension. */
  readonly extensions: ReadonlySet<string>;
}

/** Two digits of `text` at `at` as a number (NaN if they are not digits). */
const twoDigits = (text: string, at: number): number =>
  /^\d\d$/.test(text.slice(at, at + 2)) ? Number(text.slice(at, at + 2)) : NaN;

/**
 * A UTCTime (`YYMMDDHHMMSSZ`, years 1950-2049) or GeneralizedTime (`YYYYMMDDHHMMSSZ`) as epoch
 * milliseconds: the only forms RFC 5280 allows (seconds present, no fraction, always `Z`).
 */
export const parseTime = (tag: number, contents: Uint8Array): number | undefined => {
  const long = tag === GENERALIZED_TIME;
  if (contents.length !== (long ? 15 : 13)) return undefined;
  const text = String.fromCharCode(...contents);
  if (!text.endsWith("Z")) return undefined;
  const short = twoDigits(text, 0);
  const year = long ? short * 100 + twoDigits(text, 2) : short < 50 ? 2000 + short : 1900 + short;
  const [month, day, hour, minute, second] = [0, 2, 4, 6, 8].map((at) =>
    twoDigits(text, at + (long ? 4 : 2)),
  ) as [number, number, number, number, number];
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 February over into March: a round trip catches impossible dates.
  const date = new Date(time);
  return date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
    ? time
    : undefined;
};

/**
 * The OIDs of an AlgorithmIdentifier `{ OID, parameters OPTIONAL }`: for ECDSA and EC keys the
 * parameter is a curve OID or absent. Other parameters (RSA's NULL) are read, so that such a
 * certificate parses and is refused for its algorithm, not for its shape.
 */
const algorithm = (
  element: DerElement,
  invalid: () => AscTokenError,
): { oid: string; parameter: string | undefined } => {
  const [oid, parameter, ...rest] = readDer(element.contents, invalid, 3);
  if (oid?.tag !== OBJECT_IDENTIFIER || rest.length) throw invalid();
  return {
    oid: oidText(oid.contents),
    parameter: parameter?.tag === OBJECT_IDENTIFIER ? oidText(parameter.contents) : undefined,
  };
};

/** The contents of a BIT STRING without unused bits (signatures, keys, keyUsage of whole bytes). */
const bitString = (element: DerElement, invalid: () => AscTokenError): Uint8Array => {
  if (element.contents[0] !== 0) throw invalid();
  return element.contents.subarray(1);
};

/** A DER BOOLEAN: exactly one byte, 0x00 or 0xff. */
const boolean = (contents: Uint8Array, invalid: () => AscTokenError): boolean => {
  if (contents.length !== 1 || (contents[0] !== 0 && contents[0] !== 0xff)) throw invalid();
  return contents[0] === 0xff;
};

/**
 * Reads one DER certificate, or throws CHAIN_INVALID naming `role` ("leaf", "intermediate", ...).
 * An `anchor` (a trusted root) may be X.509 v1. Parsing says nothing about trust: signatures,
 * names and dates are checked in chain.ts.
 */
export const parseCertificate = (
  der: Uint8Array<ArrayBuffer>,
  role: string,
  anchor = false,
): Certificate => {
  const invalid = () => fail("CHAIN_INVALID", `the ${role} certificate in x5c is not DER X.509 v3`);
  const [certificate] = readFields(der, invalid, [SEQUENCE]);
  const [tbsElement, signatureAlgorithm, signatureElement] = readFields(
    certificate.contents,
    invalid,
    [SEQUENCE, SEQUENCE, BIT_STRING],
  );
  const signature = bitString(signatureElement, invalid);

  const [version, , innerAlgorithm, issuer, validity, subject, spkiElement, id1, id2, extensions] =
    readFields(tbsElement.contents, invalid, [
      optional(contextTag(0)), // [0] EXPLICIT version, left out for v1
      INTEGER, // serialNumber
      SEQUENCE, // signature (the algorithm)
      SEQUENCE, // issuer
      SEQUENCE, // validity
      SEQUENCE, // subject
      SEQUENCE, // subjectPublicKeyInfo
      optional(contextTag(1, false)), // issuerUniqueID, an IMPLICIT BIT STRING
      optional(contextTag(2, false)), // subjectUniqueID
      optional(contextTag(3)), // [3] EXPLICIT extensions
    ]);
  // v3 (INTEGER 2), the only version with extensions; DER leaves out v1, the default.
  if (version) {
    const [versionNumber] = readFields(version.contents, invalid, [INTEGER]);
    if (versionNumber.contents.length !== 1 || versionNumber.contents[0] !== 2) throw invalid();
  } else if (!anchor || id1 || id2 || extensions) {
    throw invalid();
  }
  // The algorithm inside the signed part must be the one outside it (RFC 5280 4.1.1.2).
  if (!sameBytes(innerAlgorithm.contents, signatureAlgorithm.contents)) throw invalid();
  const signatureOid = algorithm(signatureAlgorithm, invalid).oid;
  const times = readDer(validity.contents, invalid, 3).map((element) =>
    element.tag === UTC_TIME || element.tag === GENERALIZED_TIME
      ? parseTime(element.tag, element.contents)
      : undefined,
  );
  const [notBefore, notAfter] = times;
  if (times.length !== 2 || notBefore === undefined || notAfter === undefined) throw invalid();
  const [keyAlgorithm, keyBits] = readFields(spkiElement.contents, invalid, [SEQUENCE, BIT_STRING]);
  const key = algorithm(keyAlgorithm, invalid);
  const point = bitString(keyBits, invalid).slice();

  const seen = new Set<string>();
  let isCA = false;
  let keyUsage: number | undefined;
  const list = extensions ? readFields(extensions.contents, invalid, [SEQUENCE])[0] : undefined;
  const all = list ? readDer(list.contents, invalid, MOST_EXTENSIONS + 1) : [];
  if (all.length > MOST_EXTENSIONS) throw invalid();
  for (const extension of all) {
    if (extension.tag !== SEQUENCE) throw invalid();
    const [oidElement, critical, value] = readFields(extension.contents, invalid, [
      OBJECT_IDENTIFIER,
      optional(BOOLEAN),
      OCTET_STRING,
    ]);
    const oid = oidText(oidElement.contents);
    // DER leaves out a DEFAULT FALSE: an explicit FALSE is not DER.
    if (!oid || seen.has(oid) || (critical && !boolean(critical.contents, invalid))) {
      throw invalid();
    }
    seen.add(oid);
    if (oid === OID.basicConstraints) {
      const [constraints] = readFields(value.contents, invalid, [SEQUENCE]);
      // { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }
      const [ca] = readFields(constraints.contents, invalid, [
        optional(BOOLEAN),
        optional(INTEGER),
      ]);
      isCA = ca !== undefined && boolean(ca.contents, invalid);
      if (ca && !isCA) throw invalid();
    } else if (oid === OID.keyUsage) {
      const [bits] = readFields(value.contents, invalid, [BIT_STRING]);
      if (bits.contents.length < 2 || (bits.contents[0] ?? 8) > 7) throw invalid();
      keyUsage = bits.contents[1];
    } else if (critical) {
      // An extension the reader does not understand, that the issuer says must be understood.
      throw invalid();
    }
  }
  return {
    tbs: encodeDer(SEQUENCE, tbsElement.contents),
    signatureHash: SIGNATURE_HASH[signatureOid],
    signature,
    issuer: issuer.contents,
    subject: subject.contents,
    notBefore,
    notAfter,
    point,
    curve:
      key.oid === EC_PUBLIC_KEY && key.parameter !== undefined ? CURVES[key.parameter] : undefined,
    isCA,
    keyUsage,
    extensions: seen,
  };
};

/** True when `a` and `b` hold the same bytes. */
export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);
