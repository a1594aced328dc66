// certificate: a throwaway chain shaped like Apple's, built with WebCrypto and der.ts's writer. A
// root and an intermediate on P-384 signing with ECDSA SHA-384, a P-256 leaf for ES256, as in
// Apple's chain (Apple Root CA - G3, WWDR G6, the receipt-signing leaf), each an X.509 v3
// certificate (RFC 5280 §4.1) with exactly the extensions Apple's verifiers read: basicConstraints
// and keyUsage, critical, and Apple's marker OIDs on the intermediate and the leaf.

import { encodeBase64 } from "../lib/base64url.js";
import {
  BIT_STRING,
  INTEGER,
  OCTET_STRING,
  SEQUENCE,
  contextTag,
  encodeDer,
  encodeOid,
  rawToDerSignature,
  readFields,
} from "../lib/der.js";
import { fail } from "../lib/errors.js";
import { subtle } from "../lib/subtle.js";
import { OID } from "../verify/x509.js";

/** Tags the writer needs beyond der.ts's. */
const BOOLEAN = 0x01;
const NULL = 0x05;
const UTF8_STRING = 0x0c;
const PRINTABLE_STRING = 0x13;
const SET = 0x31;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

const DAY = 86_400_000;

/** ecdsa-with-SHA384 (RFC 5758 §3.2): no parameters. */
const ECDSA_SHA384 = encodeDer(SEQUENCE, encodeOid("1.2.840.10045.4.3.3"));

/** A key pair, the DER Name of the certificate that holds its public key, and the key's ID. */
interface Holder {
  readonly keys: CryptoKeyPair;
  readonly name: Uint8Array<ArrayBuffer>;
  readonly keyId: Uint8Array<ArrayBuffer>;
}

/** One certificate of the chain and the key pair its subject holds. */
export interface Issued extends Holder {
  readonly der: Uint8Array<ArrayBuffer>;
}

/** A Name `CN, OU, O, C` (the attributes, in that order, of Apple's certificates). */
const name = (commonName: string): Uint8Array<ArrayBuffer> => {
  const text = new TextEncoder();
  const attribute = (oid: string, tag: number, value: string) =>
    encodeDer(SET, encodeDer(SEQUENCE, encodeOid(oid), encodeDer(tag, text.encode(value))));
  return encodeDer(
    SEQUENCE,
    attribute("2.5.4.3", UTF8_STRING, commonName),
    attribute("2.5.4.11", UTF8_STRING, "asc-token test kit"),
    attribute("2.5.4.10", UTF8_STRING, "Not Apple: a throwaway test PKI"),
    attribute("2.5.4.6", PRINTABLE_STRING, "US"),
  );
};

/** UTCTime before 2050 and GeneralizedTime from 2050 on, in whole seconds (RFC 5280 §4.1.2.5). */
const time = (ms: number): Uint8Array<ArrayBuffer> => {
  const digits = new Date(ms).toISOString().slice(0, 19).replace(/[-T:]/g, "");
  return ms < Date.UTC(2050, 0, 1)
    ? encodeDer(UTC_TIME, new TextEncoder().encode(`${digits.slice(2)}Z`))
    : encodeDer(GENERALIZED_TIME, new TextEncoder().encode(`${digits}Z`));
};

/** An Extension `{ extnID, critical, extnValue }`; DER leaves out a FALSE critical. */
const extension = (oid: string, critical: boolean, value: Uint8Array) =>
  encodeDer(
    SEQUENCE,
    encodeOid(oid),
    ...(critical ? [encodeDer(BOOLEAN, Uint8Array.of(0xff))] : []),
    encodeDer(OCTET_STRING, value),
  );

/** keyUsage bits as a BIT STRING of one byte, its trailing zero bits counted as unused. */
const keyUsage = (bits: number) => {
  let unused = 0;
  while (unused < 7 && !(bits & (1 << unused))) unused++;
  return extension("2.5.29.15", true, encodeDer(BIT_STRING, Uint8Array.of(unused, bits)));
};

/** A positive 16-byte serial number, random as RFC 5280 §4.1.2.2 asks of a CA. */
const serialNumber = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  // High bit clear (positive), next bit set (no leading zero byte): minimal DER.
  return encodeDer(
    INTEGER,
    bytes.map((byte, i) => (i ? byte : 0x40 | (byte & 0x3f))),
  );
};

/** An extension value of NULL, as Apple's marker extensions hold. */
const nullValue = () => encodeDer(NULL);

/** What one certificate of the chain is: a CA or the signing leaf, and Apple's marker OID. */
type Role = "root" | "intermediate" | "leaf";

const ROLES: Record<Role, { commonName: string; curve: string; years: number }> = {
  root: { commonName: "Test Root CA", curve: "P-384", years: 20 },
  intermediate: { commonName: "Test WWDR Certification Authority", curve: "P-384", years: 10 },
  leaf: { commonName: "Test Receipt Signing", curve: "P-256", years: 2 },
};

/**
 * A certificate for `role`, issued by `issuer` (the root issues itself), valid from a day before
 * `now` for the role's years.
 */
export const issue = async (role: Role, now: number, issuer?: Holder): Promise<Issued> => {
  const { commonName, curve, years } = ROLES[role];
  const keys = await subtle().generateKey({ name: "ECDSA", namedCurve: curve }, false, [
    "sign",
    "verify",
  ]);
  const subject = name(commonName);
  const spki = new Uint8Array(await subtle().exportKey("spki", keys.publicKey));
  // The key identifier of RFC 5280 §4.2.1.2 (1): the SHA-1 of the subjectPublicKey bits.
  const bad = () => fail("CRYPTO_UNAVAILABLE", "WebCrypto exported a key that is not SPKI");
  const [info] = readFields(spki, bad, [SEQUENCE]);
  const [, bits] = readFields(info.contents, bad, [SEQUENCE, BIT_STRING]);
  const keyId = new Uint8Array(await subtle().digest("SHA-1", bits.contents.slice(1)));
  const ca = role !== "leaf";
  const extensions = [
    // basicConstraints: a CA (the intermediate may issue only end-entity certificates), or not.
    extension(
      "2.5.29.19",
      true,
      encodeDer(
        SEQUENCE,
        ...(ca ? [encodeDer(BOOLEAN, Uint8Array.of(0xff))] : []),
        ...(role === "intermediate" ? [encodeDer(INTEGER, Uint8Array.of(0))] : []),
      ),
    ),
    // keyUsage: keyCertSign and cRLSign for a CA, digitalSignature for the leaf.
    keyUsage(ca ? 0x06 : 0x80),
    // subjectKeyIdentifier, and authorityKeyIdentifier `{ [0] keyIdentifier }` but on the root:
    // RFC 5280 requires them of CAs and of issued certificates, and OpenSSL's strict mode checks.
    extension("2.5.29.14", false, encodeDer(OCTET_STRING, keyId)),
    ...(issuer
      ? [
          extension(
            "2.5.29.35",
            false,
            encodeDer(SEQUENCE, encodeDer(contextTag(0, false), issuer.keyId)),
          ),
        ]
      : []),
    // Apple's markers: an extension whose value is NULL, as in Apple's certificates.
    ...(role === "intermediate" ? [extension(OID.appleWwdrIntermediate, false, nullValue())] : []),
    ...(role === "leaf" ? [extension(OID.appleReceiptSigning, false, nullValue())] : []),
  ];
  const signer = issuer ?? { keys, name: subject, keyId };
  const tbs = encodeDer(
    SEQUENCE,
    encodeDer(contextTag(0), encodeDer(INTEGER, Uint8Array.of(2))), // version v3
    serialNumber(),
    ECDSA_SHA384,
    signer.name,
    encodeDer(SEQUENCE, time(now - DAY), time(now + years * 365 * DAY)),
    subject,
    spki,
    encodeDer(contextTag(3), encodeDer(SEQUENCE, ...extensions)),
  );
  const raw = await subtle().sign({ name: "ECDSA", hash: "SHA-384" }, signer.keys.privateKey, tbs);
  const signature = rawToDerSignature(new Uint8Array(raw));
  const der = encodeDer(
    SEQUENCE,
    tbs,
    ECDSA_SHA384,
    encodeDer(BIT_STRING, Uint8Array.of(0), signature),
  );
  return { keys, name: subject, keyId, der };
};

/** `der` as a PEM CERTIFICATE, 64 characters a line. */
export const toPem = (der: Uint8Array): string =>
  `-----BEGIN CERTIFICATE-----\n${encodeBase64(der).replace(/.{64}(?!$)/g, "$&\n")}\n` +
  "-----END CERTIFICATE-----\n";
