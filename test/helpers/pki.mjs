// A test PKI shaped like Apple's: a P-384 root, a P-384 intermediate CA with Apple's WWDR OID, a
// P-256 leaf with Apple's receipt-signing OID, and JWS signed by the leaf with the chain in x5c.
// Certificates are built as DER here and signed with node:crypto, so that every field can be made
// wrong on purpose; a test checks the good chain with `openssl verify` and node:crypto's X509.
import { createPublicKey, generateKeyPairSync, sign } from "node:crypto";

export const WWDR_OID = "1.2.840.113635.100.6.2.1";
export const RECEIPT_OID = "1.2.840.113635.100.6.11.1";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** One DER element: tag, minimal length, contents. */
export const der = (tag, ...parts) => {
  const body = Buffer.concat(parts.map((part) => Buffer.from(part)));
  const n = body.length;
  const length =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
};

/** The DER of an OBJECT IDENTIFIER given as dotted text. */
export const oid = (text) => {
  const [a = 0, b = 0, ...rest] = text.split(".").map(Number);
  const bytes = [];
  for (const arc of [a * 40 + b, ...rest]) {
    const groups = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128))
      groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Buffer.from(bytes));
};

const seq = (...parts) => der(0x30, ...parts);
const utf8String = (text) => der(0x0c, Buffer.from(text, "utf8"));

/** A Name with one common name (and an organization, so that names look like Apple's). */
export const name = (cn) =>
  seq(
    der(0x31, seq(oid("2.5.4.3"), utf8String(cn))),
    der(0x31, seq(oid("2.5.4.10"), utf8String("Test Inc."))),
  );

/** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 §4.1.2.5). */
export const time = (ms) => {
  const iso = new Date(ms).toISOString();
  const digits = iso.slice(0, 19).replace(/[-T:]/g, "");
  return ms < Date.UTC(2050, 0, 1)
    ? der(0x17, Buffer.from(`${digits.slice(2)}Z`))
    : der(0x18, Buffer.from(`${digits}Z`));
};

const ALGORITHMS = {
  sha256: seq(oid("1.2.840.10045.4.3.2")),
  sha384: seq(oid("1.2.840.10045.4.3.3")),
  sha512: seq(oid("1.2.840.10045.4.3.4")),
  rsa: seq(oid("1.2.840.113549.1.1.11"), der(0x05)),
};

const extension = (id, critical, value) =>
  seq(oid(id), ...(critical ? [der(0x01, Buffer.from([0xff]))] : []), der(0x04, value));

/**
 * A DER certificate. `key` is the subject's key pair, `issuer` the issuing `{ name, keys }`
 * (itself when absent). Options: `ca` (basicConstraints cA), `keyUsage` (first byte of the bits),
 * `oids` (Apple marker extensions), `notBefore`/`notAfter` (ms), `hash` ("sha256", "sha384", "rsa"
 * for an RSA issuer), `extraExtensions` (DER Extension elements), `signWith` (another private key),
 * and for malformed certificates: `version`, `outerHash`, `validity` (a DER element), `uniqueIds`.
 */
export const certificate = (subject, keys, options = {}) => {
  const issuer = options.issuer ?? { name: subject, keys };
  const hash = options.hash ?? "sha384";
  const extensions = [
    ...(options.ca === undefined
      ? []
      : [
          extension(
            "2.5.29.19",
            true,
            seq(...(options.ca ? [der(0x01, Buffer.from([0xff]))] : [])),
          ),
        ]),
    ...(options.keyUsage === undefined
      ? []
      : [extension("2.5.29.15", true, der(0x03, Buffer.from([0, options.keyUsage])))]),
    ...(options.oids ?? []).map((id) => extension(id, false, der(0x05))),
    ...(options.extraExtensions ?? []),
  ];
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([options.version ?? 2]))),
    der(0x02, Buffer.from([0x01, ...Buffer.from(subject).subarray(0, 4)])),
    ALGORITHMS[hash],
    name(issuer.name),
    options.validity ??
      seq(
        time(options.notBefore ?? Date.now() - DAY),
        time(options.notAfter ?? Date.now() + 365 * DAY),
      ),
    name(subject),
    keys.publicKey.export({ type: "spki", format: "der" }),
    ...(options.uniqueIds ? [der(0x81, Buffer.from([0, 1])), der(0x82, Buffer.from([0, 2]))] : []),
    ...(extensions.length ? [der(0xa3, seq(...extensions))] : []),
  );
  const signer = options.signWith ?? issuer.keys.privateKey;
  const signature = sign(
    hash === "rsa" ? "sha256" : hash === "sha512" ? "sha512" : hash,
    tbs,
    signer,
  );
  return seq(tbs, ALGORITHMS[options.outerHash ?? hash], der(0x03, Buffer.from([0]), signature));
};

export const ecKeys = (curve) => generateKeyPairSync("ec", { namedCurve: curve });

/** The standard chain: a fresh root, intermediate and leaf, each cert as DER. */
export const makePki = (now = Date.now()) => {
  const keys = { root: ecKeys("P-384"), intermediate: ecKeys("P-384"), leaf: ecKeys("P-256") };
  const notBefore = now - 30 * DAY;
  const notAfter = now + 365 * DAY;
  const root = certificate("Test Root CA", keys.root, {
    ca: true,
    keyUsage: 0x06,
    notBefore,
    notAfter: notAfter + 365 * DAY,
  });
  const rootIssuer = { name: "Test Root CA", keys: keys.root };
  /** Options of a certificate `issuer` signs, valid like the others; `ca` for an authority. */
  const signedBy = (issuer, { ca, keyUsage, oid }) => ({
    issuer,
    ca,
    keyUsage,
    oids: [oid],
    notBefore,
    notAfter,
  });
  const intermediateOptions = signedBy(rootIssuer, { ca: true, keyUsage: 0x06, oid: WWDR_OID });
  const intermediate = certificate("Test WWDR CA", keys.intermediate, intermediateOptions);
  const intermediateIssuer = { name: "Test WWDR CA", keys: keys.intermediate };
  const leafOptions = signedBy(intermediateIssuer, { ca: false, keyUsage: 0x80, oid: RECEIPT_OID });
  const leaf = certificate("Test Receipt Signing", keys.leaf, leafOptions);
  return {
    keys,
    root,
    intermediate,
    leaf,
    rootIssuer,
    intermediateIssuer,
    intermediateOptions,
    leafOptions,
    notBefore,
    notAfter,
  };
};

const b64url = (value) => Buffer.from(value).toString("base64url");

/**
 * A compact JWS of `payload`: header `{ alg: "ES256", x5c }` (or `header` as given), signed with
 * `privateKey` (ES256, raw r||s) unless `signature` is given.
 */
export const signJws = (payload, privateKey, x5c, { header, signature } = {}) => {
  const head = b64url(
    JSON.stringify(header ?? { alg: "ES256", x5c: x5c.map((c) => c.toString("base64")) }),
  );
  const body = b64url(typeof payload === "string" ? payload : JSON.stringify(payload));
  const sig =
    signature ??
    sign("sha256", Buffer.from(`${head}.${body}`), { key: privateKey, dsaEncoding: "ieee-p1363" });
  return `${head}.${body}.${b64url(sig)}`;
};

/** The SPKI of a certificate's leaf key, as node:crypto reads it (for cross-checks). */
export const publicKeyOf = (keys) => createPublicKey(keys.privateKey);
