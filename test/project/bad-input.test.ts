// The bad-input matrix: every way a caller can get an option or a key wrong, through the public
// API, each with the typed error, its stable `code`, a time bound, and proof that no fragment of
// any key shows up in what the error exposes.
//
// To cover another public function, add it to `optionTakers` (takes an options object built from
// `valid` plus a row's patch), to `keyTakers` (takes a private key), or give it its own row list
// and spread that into `rows`. The last test fails when an error code has no row.
import { webcrypto } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type ApplePrivateKey,
  AscTokenError,
  type AscTokenErrorCode,
  type AscTokenOptions,
  checkAscToken,
  createApnsToken,
  createApnsTokenProvider,
  createAppleAdsTokenProvider,
  createAppleBusinessManagerTokenProvider,
  createAppStoreServerToken,
  createAscToken,
  createAscTokenProvider,
  createAuthorizedFetch,
  createDeviceCheckToken,
  createInAppSignature,
  createMapKitToken,
  createMapsAccessTokenProvider,
  createMusicKitToken,
  createPromotionalOfferSignature,
  createSignInWithAppleSecret,
  createTokenProvider,
  createWeatherKitToken,
  decodeToken,
  importAppleKey,
  isAscTokenError,
  signatureFromDer,
  signatureToDer,
  signerKey,
} from "../../src/index.js";
import { allErrorCodes } from "../helpers/codes.js";
import { makeP256, makeRejects, type P256Fixture } from "../helpers/keys.js";
import { siwaRows } from "../helpers/siwa-rows.js";
import { verifyRows } from "../helpers/verify-rows.js";
import { expectNoKeyMaterial, forbiddenRuns } from "../helpers/no-leak.js";

const KEY_ID = "2X9R4HXF34";

/** `buffer`, detached (its memory transferred away, as postMessage does): byteLength 0. */
const detach = (buffer: ArrayBuffer): ArrayBuffer => {
  structuredClone(buffer, { transfer: [buffer] });
  return buffer;
};
const ISSUER_ID = "57246542-96fe-1a63-e053-0824d011072a";
const MB = 1024 * 1024;
/** Generous: every row, 1 MB inputs included, must be refused well within this. */
const TIME_LIMIT_MS = 2000;

const derFromPem = (pem: string): Buffer =>
  Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64");

/** SEC1 ECPrivateKey with only version and private key (no curve OID, no public key), built by hand. */
const bareSec1 = (scalar: Buffer): Buffer => {
  const content = Buffer.concat([Buffer.from([0x02, 0x01, 0x01, 0x04, scalar.length]), scalar]);
  return Buffer.concat([Buffer.from([0x30, content.length]), content]);
};

const makeFixtures = async () => {
  const rejects = makeRejects(); // RSA, P-384, P-521, secp256k1, Ed25519, public, openssl certificate, encrypted
  const key: P256Fixture = rejects.p256;
  const p384Sec1 = derFromPem(rejects.p384Sec1);
  const at = p384Sec1.indexOf(Buffer.from([0x02, 0x01, 0x01, 0x04, 48])) + 5; // version 1, OCTET STRING of 48 bytes
  const p384Scalar = Buffer.from(p384Sec1.subarray(at, at + 48));
  const zeroScalar = Buffer.from(key.appleDer).fill(0, 36, 68);
  const subtle = webcrypto.subtle;
  const cryptoKeys = {
    p256Public: (
      await subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"])
    ).publicKey,
    p384Private: (await subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, false, ["sign"]))
      .privateKey,
    hmac: await subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
    ecdhP256: (
      await subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"])
    ).privateKey,
    rsa: (
      await subtle.generateKey(
        {
          name: "RSASSA-PKCS1-v1_5",
          modulusLength: 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: "SHA-256",
        },
        false,
        ["sign"],
      )
    ).privateKey,
    ed25519: ((await subtle.generateKey({ name: "Ed25519" }, false, ["sign"])) as CryptoKeyPair)
      .privateKey,
  };
  /** Keys generated while the matrix runs (uncached ones), also checked for leaks. */
  const extraSecrets: Buffer[] = [];
  const fresh = (): string => {
    const k = makeP256();
    extraSecrets.push(k.appleDer, k.pkcs8Der);
    return k.applePem;
  };
  const valid: AscTokenOptions = {
    keyId: KEY_ID,
    issuerId: ISSUER_ID,
    privateKey: key.applePem,
    now: () => Date.UTC(2026, 10, 28),
  };
  const secrets = (): (string | Uint8Array)[] => [
    key.applePem,
    key.pkcs8Pem,
    key.sec1Pem,
    key.appleDer,
    key.pkcs8Der,
    key.sec1Der,
    rejects.rsaPkcs8,
    rejects.rsaPkcs1,
    rejects.p384Pkcs8,
    rejects.p384Sec1,
    rejects.p521Pkcs8,
    rejects.secp256k1Pkcs8,
    rejects.ed25519Pkcs8,
    rejects.encryptedPkcs8,
    rejects.encryptedSec1,
    p384Scalar,
    zeroScalar,
    ...extraSecrets,
  ];
  return { key, rejects, p384Scalar, zeroScalar, cryptoKeys, fresh, valid, secrets };
};
type Fixtures = Awaited<ReturnType<typeof makeFixtures>>;

interface Row {
  /** The public function called. */
  target: string;
  name: string;
  code: AscTokenErrorCode;
  /** Calls the function with the bad input. */
  call: (f: Fixtures) => Promise<unknown>;
  /** Sets up a failing environment (mocks are undone after each row). */
  arrange?: (f: Fixtures) => void;
  /** The function is synchronous (decode, doctor, provider construction): it must throw, not return. */
  sync?: true;
}

// ---------------------------------------------------------------------------------------------
// Options: each row is [name, patch over `valid` (or a whole non-object value), expected code].

type Patch = Record<string, unknown>;
type OptionRow = [
  name: string,
  patch: (f: Fixtures) => Patch | { whole: unknown },
  code: AscTokenErrorCode,
];
const whole = (value: unknown) => () => ({ whole: value });
const set = (patch: Patch) => () => patch;

const LONG_LIVED = ["GET /v1/ciProducts", "GET /v1/ciBuildRuns/1/actions"];

const optionRows: OptionRow[] = [
  ["options undefined", whole(undefined), "INVALID_OPTIONS"],
  ["options null", whole(null), "INVALID_OPTIONS"],
  ["options a string", whole("2X9R4HXF34"), "INVALID_OPTIONS"],
  ["options a number", whole(42), "INVALID_OPTIONS"],
  ["options a boolean", whole(true), "INVALID_OPTIONS"],
  ["options with issuerID for issuerId", set({ issuerID: ISSUER_ID }), "UNKNOWN_OPTION"],
  ["options with keyID for keyId", set({ keyID: KEY_ID }), "UNKNOWN_OPTION"],
  ["options with privatekey for privateKey", set({ privatekey: "x" }), "UNKNOWN_OPTION"],
  ["options with an unknown name set to undefined", set({ teamId: undefined }), "UNKNOWN_OPTION"],

  ["keyId missing", set({ keyId: undefined }), "INVALID_KEY_ID"],
  ["keyId a number", set({ keyId: 1234567890 }), "INVALID_KEY_ID"],
  ["keyId null", set({ keyId: null }), "INVALID_KEY_ID"],
  ["keyId an object", set({ keyId: { id: KEY_ID } }), "INVALID_KEY_ID"],
  ["keyId an array", set({ keyId: [KEY_ID] }), "INVALID_KEY_ID"],
  ["keyId empty", set({ keyId: "" }), "INVALID_KEY_ID"],
  ["keyId whitespace only", set({ keyId: "          " }), "INVALID_KEY_ID"],
  ["keyId of 9 characters", set({ keyId: "2X9R4HXF3" }), "INVALID_KEY_ID"],
  ["keyId of 11 characters", set({ keyId: "2X9R4HXF345" }), "INVALID_KEY_ID"],
  ["keyId lower-case", set({ keyId: "2x9r4hxf34" }), "INVALID_KEY_ID"],
  ["keyId with a leading space", set({ keyId: ` ${KEY_ID}` }), "INVALID_KEY_ID"],
  ["keyId with a trailing newline", set({ keyId: `${KEY_ID}\n` }), "INVALID_KEY_ID"],
  ["keyId with a Cyrillic look-alike", set({ keyId: "2X9R4НXF34" }), "INVALID_KEY_ID"],
  ["keyId as the file name", set({ keyId: `AuthKey_${KEY_ID}.p8` }), "INVALID_KEY_ID"],
  ["keyId holding the key itself", (f) => ({ keyId: f.key.body }), "INVALID_KEY_ID"],

  ["issuerId a number", set({ issuerId: 57246542 }), "INVALID_ISSUER_ID"],
  ["issuerId null", set({ issuerId: null }), "INVALID_ISSUER_ID"],
  ["issuerId an object", set({ issuerId: { id: ISSUER_ID } }), "INVALID_ISSUER_ID"],
  ["issuerId an array", set({ issuerId: [ISSUER_ID] }), "INVALID_ISSUER_ID"],
  ["issuerId empty", set({ issuerId: "" }), "INVALID_ISSUER_ID"],
  ["issuerId whitespace only", set({ issuerId: "   " }), "INVALID_ISSUER_ID"],
  ["issuerId not a UUID", set({ issuerId: "my-team" }), "INVALID_ISSUER_ID"],
  [
    "issuerId a UUID without dashes",
    set({ issuerId: ISSUER_ID.replace(/-/g, "") }),
    "INVALID_ISSUER_ID",
  ],
  ["issuerId a UUID in braces", set({ issuerId: `{${ISSUER_ID}}` }), "INVALID_ISSUER_ID"],
  ["issuerId a URN", set({ issuerId: `urn:uuid:${ISSUER_ID}` }), "INVALID_ISSUER_ID"],
  [
    "issuerId with a non-hex digit",
    set({ issuerId: ISSUER_ID.replace("a", "g") }),
    "INVALID_ISSUER_ID",
  ],
  ["issuerId cut short", set({ issuerId: ISSUER_ID.slice(0, -1) }), "INVALID_ISSUER_ID"],
  ["issuerId with a trailing newline", set({ issuerId: `${ISSUER_ID}\n` }), "INVALID_ISSUER_ID"],
  ["issuerId holding the key itself", (f) => ({ issuerId: f.key.body }), "INVALID_ISSUER_ID"],

  ["audience a number", set({ audience: 1 }), "INVALID_AUDIENCE"],
  ["audience null", set({ audience: null }), "INVALID_AUDIENCE"],
  ["audience an object", set({ audience: {} }), "INVALID_AUDIENCE"],
  ["audience an array", set({ audience: ["appstoreconnect-v1"] }), "INVALID_AUDIENCE"],
  ["audience empty", set({ audience: "" }), "INVALID_AUDIENCE"],
  ["audience upper-case", set({ audience: "APPSTORECONNECT-V1" }), "INVALID_AUDIENCE"],
  ["audience with a space", set({ audience: " appstoreconnect-v1" }), "INVALID_AUDIENCE"],
  ["audience of another API", set({ audience: "appstoreconnect-v2" }), "INVALID_AUDIENCE"],

  ["expiresIn a string", set({ expiresIn: "600" }), "INVALID_EXPIRES_IN"],
  ["expiresIn null", set({ expiresIn: null }), "INVALID_EXPIRES_IN"],
  ["expiresIn an object", set({ expiresIn: { seconds: 600 } }), "INVALID_EXPIRES_IN"],
  ["expiresIn an array", set({ expiresIn: [600] }), "INVALID_EXPIRES_IN"],
  ["expiresIn a boolean", set({ expiresIn: true }), "INVALID_EXPIRES_IN"],
  ["expiresIn a BigInt", set({ expiresIn: 600n }), "INVALID_EXPIRES_IN"],
  ["expiresIn 0", set({ expiresIn: 0 }), "INVALID_EXPIRES_IN"],
  ["expiresIn −1", set({ expiresIn: -1 }), "INVALID_EXPIRES_IN"],
  ["expiresIn NaN", set({ expiresIn: Number.NaN }), "INVALID_EXPIRES_IN"],
  ["expiresIn Infinity", set({ expiresIn: Number.POSITIVE_INFINITY }), "INVALID_EXPIRES_IN"],
  ["expiresIn −Infinity", set({ expiresIn: Number.NEGATIVE_INFINITY }), "INVALID_EXPIRES_IN"],
  ["expiresIn 1.5", set({ expiresIn: 1.5 }), "INVALID_EXPIRES_IN"],
  ["expiresIn above 2^53", set({ expiresIn: 2 ** 53 }), "INVALID_EXPIRES_IN"],
  ["expiresIn 1201 without scope", set({ expiresIn: 1201 }), "LIFETIME_TOO_LONG"],
  [
    "expiresIn 1201 with an ordinary scope",
    set({ expiresIn: 1201, scope: ["GET /v1/apps"] }),
    "LIFETIME_TOO_LONG",
  ],
  ["expiresIn 10^10 without scope", set({ expiresIn: 1e10 }), "LIFETIME_TOO_LONG"],
  [
    "expiresIn over six months with a long-lived scope",
    set({ expiresIn: 15_777_001, scope: LONG_LIVED }),
    "LIFETIME_TOO_LONG",
  ],
  // A lifetime over 20 minutes with a scope that is not all GETs on Apple's long-lived list.
  ...(
    [
      ["a POST entry", [...LONG_LIVED, "POST /v1/ciBuildRuns"]],
      ["a DELETE of an allowed resource", ["DELETE /v1/ciProducts/1"]],
      ["a disallowed path", [...LONG_LIVED, "GET /v1/apps"]],
      ["an allowed name under another resource", ["GET /v1/apps/1/ciProduct"]],
      ["a look-alike prefix", ["GET /v1/ciProductsX"]],
      ["a 1 MB entry", [`GET /v1/apps?q=${"x".repeat(MB)}`]],
    ] as const
  ).map(([what, scope]): OptionRow => [
    `long-lived scope with ${what}`,
    set({ expiresIn: 3600, scope }),
    "LIFETIME_TOO_LONG",
  ]),

  ["clockTolerance a string", set({ clockTolerance: "60" }), "INVALID_CLOCK_TOLERANCE"],
  ["clockTolerance null", set({ clockTolerance: null }), "INVALID_CLOCK_TOLERANCE"],
  ["clockTolerance an object", set({ clockTolerance: {} }), "INVALID_CLOCK_TOLERANCE"],
  ["clockTolerance an array", set({ clockTolerance: [60] }), "INVALID_CLOCK_TOLERANCE"],
  ["clockTolerance −1", set({ clockTolerance: -1 }), "INVALID_CLOCK_TOLERANCE"],
  ["clockTolerance 0.5", set({ clockTolerance: 0.5 }), "INVALID_CLOCK_TOLERANCE"],
  ["clockTolerance NaN", set({ clockTolerance: Number.NaN }), "INVALID_CLOCK_TOLERANCE"],
  [
    "clockTolerance Infinity",
    set({ clockTolerance: Number.POSITIVE_INFINITY }),
    "INVALID_CLOCK_TOLERANCE",
  ],
  [
    "clockTolerance equal to expiresIn",
    set({ expiresIn: 60, clockTolerance: 60 }),
    "INVALID_CLOCK_TOLERANCE",
  ],
  [
    "clockTolerance above the default expiresIn",
    set({ clockTolerance: 1200 }),
    "INVALID_CLOCK_TOLERANCE",
  ],
  [
    "the default clockTolerance with expiresIn 60",
    set({ expiresIn: 60 }),
    "INVALID_CLOCK_TOLERANCE",
  ],

  ["scope a number", set({ scope: 42 }), "INVALID_SCOPE"],
  ["scope null", set({ scope: null }), "INVALID_SCOPE"],
  ["scope an object", set({ scope: { 0: "GET /v1/apps", length: 1 } }), "INVALID_SCOPE"],
  ["scope a string", set({ scope: "GET /v1/apps" }), "INVALID_SCOPE"],
  ["scope an empty array", set({ scope: [] }), "INVALID_SCOPE"],
  ["scope entry empty", set({ scope: [""] }), "INVALID_SCOPE"],
  ["scope entry whitespace only", set({ scope: ["   "] }), "INVALID_SCOPE"],
  ["scope entry with a lower-case method", set({ scope: ["get /v1/apps"] }), "INVALID_SCOPE"],
  ["scope entry without a method", set({ scope: ["/v1/apps"] }), "INVALID_SCOPE"],
  ["scope entry without a path", set({ scope: ["GET"] }), "INVALID_SCOPE"],
  ["scope entry with an unversioned path", set({ scope: ["GET /apps"] }), "INVALID_SCOPE"],
  [
    "scope entry with a full URL",
    set({ scope: ["GET https://api.appstoreconnect.apple.com/v1/apps"] }),
    "INVALID_SCOPE",
  ],
  ["scope entry with two spaces", set({ scope: ["GET  /v1/apps"] }), "INVALID_SCOPE"],
  ["scope entry with a tab", set({ scope: ["GET\t/v1/apps"] }), "INVALID_SCOPE"],
  ["scope entry with leading whitespace", set({ scope: [" GET /v1/apps"] }), "INVALID_SCOPE"],
  ["scope entry with trailing whitespace", set({ scope: ["GET /v1/apps "] }), "INVALID_SCOPE"],
  [
    "scope entry holding two requests",
    set({ scope: ["GET /v1/apps\nPOST /v1/apps"] }),
    "INVALID_SCOPE",
  ],
  ["scope entry a number", set({ scope: [42] }), "INVALID_SCOPE"],
  ["scope entry null", set({ scope: ["GET /v1/apps", null] }), "INVALID_SCOPE"],
  ["scope entry a nested array", set({ scope: [["GET /v1/apps"]] }), "INVALID_SCOPE"],
  // eslint-disable-next-line no-sparse-arrays -- a hole is exactly the bad input here
  ["scope with a hole", set({ scope: ["GET /v1/apps", , "GET /v1/builds"] }), "INVALID_SCOPE"],
  ["scope entry holding the key itself", (f) => ({ scope: [f.key.body] }), "INVALID_SCOPE"],

  ["now a number in seconds", set({ now: Date.UTC(2026, 0, 1) / 1000 }), "INVALID_NOW"],
  ["now null", set({ now: null }), "INVALID_NOW"],
  ["now an object", set({ now: { getTime: () => 0 } }), "INVALID_NOW"],
  ["now an array", set({ now: [] }), "INVALID_NOW"],
  ["now a date string", set({ now: "2026-11-28T12:00:00Z" }), "INVALID_NOW"],
  ["now an invalid Date", set({ now: new Date("not a date") }), "INVALID_NOW"],
  ["now returning NaN", set({ now: () => Number.NaN }), "INVALID_NOW"],
  ["now returning Infinity", set({ now: () => Number.POSITIVE_INFINITY }), "INVALID_NOW"],
  ["now returning a negative time", set({ now: () => -1 }), "INVALID_NOW"],
  ["now returning a string", set({ now: () => "1764331200000" }), "INVALID_NOW"],
  ["now returning seconds as a BigInt", set({ now: () => 1764331200n }), "INVALID_NOW"],
  ["now returning a time past the last valid Date", set({ now: () => 8.64e15 + 1 }), "INVALID_NOW"],
  ["now returning seconds", set({ now: () => 1764331200 }), "INVALID_NOW"],
  ["now the epoch, as a Date", set({ now: new Date(0) }), "INVALID_NOW"],
  ["now returning 0, a fake timer's start", set({ now: () => 0 }), "INVALID_NOW"],
  ["now just before 2018", set({ now: () => Date.UTC(2017, 11, 31, 23, 59, 59) }), "INVALID_NOW"],
];

// ---------------------------------------------------------------------------------------------
// Keys: each row is [name, the bad key, expected code], run through every function taking a key.

type KeyRow = [name: string, key: (f: Fixtures) => unknown, code: AscTokenErrorCode];

const swapArmor = (pem: string, from: string, to: string) => pem.replace(from, to);

const keyRows: KeyRow[] = [
  ["key undefined", () => undefined, "KEY_MISSING"],
  ["key null", () => null, "KEY_MISSING"],
  ["key empty", () => "", "KEY_MISSING"],
  ["key whitespace only", () => " \r\n\t ", "KEY_MISSING"],
  ["key of escaped newlines only", () => "\\n\\n", "KEY_MISSING"],
  ["key an empty quoted string", () => '""', "KEY_MISSING"],
  ["key a BOM only", () => "\uFEFF", "KEY_MISSING"],
  ["key empty bytes", () => new Uint8Array(0), "KEY_MISSING"],
  ["key an empty ArrayBuffer", () => new ArrayBuffer(0), "KEY_MISSING"],
  [
    "key a detached ArrayBuffer (transferred away)",
    () => detach(new ArrayBuffer(150)),
    "KEY_MISSING",
  ],
  [
    "key a view of a detached ArrayBuffer",
    () => {
      const buffer = new ArrayBuffer(150);
      const view = new Uint8Array(buffer);
      detach(buffer);
      return view;
    },
    "KEY_MISSING",
  ],

  ["key a number", () => 42, "KEY_MALFORMED"],
  ["key a boolean", () => true, "KEY_MALFORMED"],
  ["key an object", (f) => ({ pem: f.key.applePem }), "KEY_MALFORMED"],
  ["key an array", (f) => [f.key.applePem], "KEY_MALFORMED"],
  ["key a function", (f) => () => f.key.applePem, "KEY_MALFORMED"],
  ["key garbage text", () => "this is not a key", "KEY_MALFORMED"],
  ["key the file path instead of its contents", () => "./AuthKey_2X9R4HXF34.p8", "KEY_MALFORMED"],
  ["key truncated base64 body", (f) => f.key.body.slice(0, 101), "KEY_MALFORMED"],
  ["key base64 body missing its last character", (f) => f.key.body.slice(0, -1), "KEY_MALFORMED"],
  [
    "key PEM with its last body line cut",
    (f) => f.key.applePem.replace(/\n[^\n]+\n-----END/, "\n-----END"),
    "KEY_MALFORMED",
  ],
  ["key PEM cut in the middle", (f) => f.key.applePem.slice(0, 100), "KEY_MALFORMED"],
  ["key DER bytes cut short", (f) => f.key.appleDer.subarray(0, 149), "KEY_MALFORMED"],
  [
    "key DER bytes with a byte appended",
    (f) => Buffer.concat([f.key.appleDer, Buffer.from([0])]),
    "KEY_MALFORMED",
  ],
  [
    "key base64 with an invalid character",
    (f) => f.key.applePem.replace("MIG", "M*G"),
    "KEY_MALFORMED",
  ],
  [
    "key base64 with a non-ASCII character",
    (f) => f.key.applePem.replace("MIG", "MéG"),
    "KEY_MALFORMED",
  ],
  [
    "key base64 with padding in the middle",
    (f) => f.key.applePem.replace("MIG", "M=G"),
    "KEY_MALFORMED",
  ],
  [
    "key PEM with mismatched armor",
    (f) => swapArmor(f.key.applePem, "END PRIVATE KEY", "END EC PRIVATE KEY"),
    "KEY_MALFORMED",
  ],
  [
    "key PEM with BEGIN and no END",
    (f) => f.key.applePem.replace(/-----END[^]*$/, ""),
    "KEY_MALFORMED",
  ],
  [
    "key PEM with END and no BEGIN",
    (f) => f.key.applePem.replace(/^-----BEGIN[^\n]*\n/, ""),
    "KEY_MALFORMED",
  ],
  [
    "key PEM with lower-case armor",
    (f) => f.key.applePem.replace(/PRIVATE KEY/g, "private key"),
    "KEY_MALFORMED",
  ],
  [
    "key DER of a bare SEQUENCE",
    () => new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]),
    "KEY_MALFORMED",
  ],
  [
    "key DER of INTEGER then NULL",
    () => new Uint8Array([0x30, 0x05, 0x02, 0x01, 0x00, 0x05, 0x00]),
    "KEY_MALFORMED",
  ],
  [
    "key DER of two OCTET STRINGs",
    () => new Uint8Array([0x30, 0x04, 0x04, 0x00, 0x04, 0x00]),
    "KEY_MALFORMED",
  ],
  [
    "key PKCS#8 whose algorithm is not an OID",
    () => new Uint8Array([0x30, 0x09, 0x02, 0x01, 0x00, 0x30, 0x02, 0x05, 0x00, 0x04, 0x00]),
    "KEY_MALFORMED",
  ],
  [
    "key DER with an indefinite length",
    () => new Uint8Array([0x30, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00]),
    "KEY_MALFORMED",
  ],
  [
    "key DER with a 5-byte length",
    () => new Uint8Array([0x30, 0x85, 1, 0, 0, 0, 0]),
    "KEY_MALFORMED",
  ],
  ["key 1 MB of garbage text", () => "x!".repeat(MB / 2), "KEY_MALFORMED"],
  ["key 1 MB of valid-looking base64", () => "QUFB".repeat(MB / 4), "KEY_MALFORMED"],
  [
    "key 1 MB of random bytes",
    () => Uint8Array.from({ length: MB }, (_, i) => (i * 7919 + 13) % 251 || 1),
    "KEY_MALFORMED",
  ],
  [
    "key 1 MB of bytes that start like DER",
    () => Uint8Array.from({ length: MB }, (_, i) => (i === 0 ? 0x30 : i % 256)),
    "KEY_MALFORMED",
  ],
  [
    "key 1 MB of BEGIN lines and no END",
    () => "-----BEGIN PRIVATE KEY-----\n".repeat(MB / 28),
    "KEY_AMBIGUOUS",
  ],
  [
    "key 1 MB of certificate BEGIN lines and no END",
    () => "-----BEGIN CERTIFICATE-----\n".repeat(MB / 28),
    "KEY_MALFORMED",
  ],
  [
    "key 1 MB of BEGIN lines after an END",
    () => `-----END A-----${"-----BEGIN A-----x".repeat(MB / 18)}`,
    "KEY_MALFORMED",
  ],
  [
    "key a PEM with a 1 MB body",
    () => `-----BEGIN PRIVATE KEY-----\n${"QUFB\n".repeat(MB / 5)}-----END PRIVATE KEY-----\n`,
    "KEY_MALFORMED",
  ],
  ["key 1 MB of dashes", () => "-".repeat(MB), "KEY_MALFORMED"],

  ["key RSA PKCS#8", (f) => f.rejects.rsaPkcs8, "KEY_UNSUPPORTED_TYPE"],
  ["key RSA PKCS#1", (f) => f.rejects.rsaPkcs1, "KEY_UNSUPPORTED_TYPE"],
  ["key RSA PKCS#8 DER", (f) => derFromPem(f.rejects.rsaPkcs8), "KEY_UNSUPPORTED_TYPE"],
  ["key Ed25519 PKCS#8", (f) => f.rejects.ed25519Pkcs8, "KEY_UNSUPPORTED_TYPE"],
  ["key P-384 PKCS#8", (f) => f.rejects.p384Pkcs8, "KEY_UNSUPPORTED_CURVE"],
  ["key P-384 SEC1", (f) => f.rejects.p384Sec1, "KEY_UNSUPPORTED_CURVE"],
  ["key P-384 SEC1 without the curve OID", (f) => bareSec1(f.p384Scalar), "KEY_UNSUPPORTED_CURVE"],
  ["key P-521 PKCS#8", (f) => f.rejects.p521Pkcs8, "KEY_UNSUPPORTED_CURVE"],
  [
    "key P-521 PKCS#8 as base64",
    (f) => derFromPem(f.rejects.p521Pkcs8).toString("base64"),
    "KEY_UNSUPPORTED_CURVE",
  ],
  ["key secp256k1 PKCS#8", (f) => f.rejects.secp256k1Pkcs8, "KEY_UNSUPPORTED_CURVE"],

  ["key a public key PEM", (f) => f.rejects.publicKeyPem, "KEY_NOT_PRIVATE"],
  ["key a public key DER", (f) => f.rejects.publicKeyDer, "KEY_NOT_PRIVATE"],
  ["key a certificate PEM (openssl req -x509)", (f) => f.rejects.certificate, "KEY_NOT_PRIVATE"],
  ["key a certificate DER", (f) => derFromPem(f.rejects.certificate), "KEY_NOT_PRIVATE"],
  [
    "key a certificate as bare base64",
    (f) => derFromPem(f.rejects.certificate).toString("base64"),
    "KEY_NOT_PRIVATE",
  ],

  ["key encrypted PKCS#8 PEM", (f) => f.rejects.encryptedPkcs8, "KEY_ENCRYPTED"],
  ["key encrypted PKCS#8 DER", (f) => f.rejects.encryptedPkcs8Der, "KEY_ENCRYPTED"],
  [
    "key encrypted PKCS#8 as bare base64",
    (f) => f.rejects.encryptedPkcs8Der.toString("base64"),
    "KEY_ENCRYPTED",
  ],
  ["key encrypted SEC1 PEM (Proc-Type header)", (f) => f.rejects.encryptedSec1, "KEY_ENCRYPTED"],
  ["key two PEM keys one after the other", (f) => f.key.applePem + f.key.sec1Pem, "KEY_AMBIGUOUS"],

  ["key a public ECDSA P-256 CryptoKey", (f) => f.cryptoKeys.p256Public, "KEY_INVALID_CRYPTOKEY"],
  ["key an ECDSA P-384 CryptoKey", (f) => f.cryptoKeys.p384Private, "KEY_INVALID_CRYPTOKEY"],
  ["key an HMAC CryptoKey", (f) => f.cryptoKeys.hmac, "KEY_INVALID_CRYPTOKEY"],
  [
    "key an ECDH P-256 CryptoKey (no sign usage)",
    (f) => f.cryptoKeys.ecdhP256,
    "KEY_INVALID_CRYPTOKEY",
  ],
  ["key an RSA CryptoKey", (f) => f.cryptoKeys.rsa, "KEY_INVALID_CRYPTOKEY"],
  ["key an Ed25519 CryptoKey", (f) => f.cryptoKeys.ed25519, "KEY_INVALID_CRYPTOKEY"],
  [
    "key a CryptoKey look-alike with null fields",
    () => ({ type: "private", algorithm: null, usages: null }),
    "KEY_INVALID_CRYPTOKEY",
  ],
  [
    "key a CryptoKey look-alike with usages as a string",
    () => ({ type: "private", algorithm: { name: "ECDSA", namedCurve: "P-256" }, usages: "sign" }),
    "KEY_INVALID_CRYPTOKEY",
  ],

  ["key with a zero private scalar", (f) => f.zeroScalar, "KEY_IMPORT_FAILED"],
];

// ---------------------------------------------------------------------------------------------
// Rows that need a failing environment, or that only one function can hit.

const envRows: Row[] = [
  ...(["importAppleKey", "createAscToken"] as const).map((target): Row => ({
    target,
    name: "crypto.subtle missing",
    code: "CRYPTO_UNAVAILABLE",
    arrange: () => vi.stubGlobal("crypto", {}),
    call: (f) =>
      target === "importAppleKey"
        ? importAppleKey(f.fresh())
        : createAscToken({ ...f.valid, privateKey: f.fresh() }),
  })),
  {
    target: "createAscToken",
    name: "crypto.subtle missing, with an imported CryptoKey",
    code: "CRYPTO_UNAVAILABLE",
    call: async (f) => {
      const privateKey = await importAppleKey(f.key.applePem);
      vi.stubGlobal("crypto", {});
      return createAscToken({ ...f.valid, privateKey });
    },
  },
  {
    target: "importAppleKey",
    name: "WebCrypto refusing the import",
    code: "KEY_IMPORT_FAILED",
    arrange: () =>
      vi
        .spyOn(globalThis.crypto.subtle, "importKey")
        .mockRejectedValueOnce(new DOMException("refused", "DataError")),
    call: (f) => importAppleKey(f.fresh()),
  },
  {
    target: "createAscToken",
    name: "WebCrypto failing to sign",
    code: "SIGN_FAILED",
    arrange: () =>
      vi
        .spyOn(globalThis.crypto.subtle, "sign")
        .mockRejectedValueOnce(new DOMException("failed", "OperationError")),
    call: (f) => createAscToken(f.valid),
  },
];

// ---------------------------------------------------------------------------------------------
// Apple's other token kinds, the provider, decode and the doctor: their own options and inputs.

const TEAM_ID = "DEF123GHIJ";
const NOW = () => Date.UTC(2026, 10, 28);
/** A valid options object for each other token kind (the key is added per row). */
const kindOptions = {
  createAppStoreServerToken: {
    keyId: KEY_ID,
    issuerId: ISSUER_ID,
    bundleId: "com.example.app",
    now: NOW,
  },
  createInAppSignature: {
    keyId: KEY_ID,
    issuerId: ISSUER_ID,
    bundleId: "com.example.app",
    audience: "promotional-offer",
    now: NOW,
  },
  createApnsToken: { keyId: KEY_ID, teamId: TEAM_ID, now: NOW },
  createDeviceCheckToken: { keyId: KEY_ID, teamId: TEAM_ID, now: NOW },
  createSignInWithAppleSecret: {
    keyId: KEY_ID,
    teamId: TEAM_ID,
    clientId: "com.example.web",
    now: NOW,
  },
  createMusicKitToken: { keyId: KEY_ID, teamId: TEAM_ID, now: NOW },
  createWeatherKitToken: {
    keyId: KEY_ID,
    teamId: TEAM_ID,
    serviceId: "com.example.weather",
    now: NOW,
  },
  createMapKitToken: { keyId: KEY_ID, teamId: TEAM_ID, now: NOW },
} as const;
type Kind = keyof typeof kindOptions;
const kinds: Record<Kind, (options: never) => Promise<string>> = {
  createAppStoreServerToken,
  createInAppSignature,
  createApnsToken,
  createDeviceCheckToken,
  createSignInWithAppleSecret,
  createMusicKitToken,
  createWeatherKitToken,
  createMapKitToken,
};
const mintKind = (kind: Kind, f: Fixtures, patch: Patch | { whole: unknown }) =>
  (kinds[kind] as (options: unknown) => Promise<string>)(
    "whole" in patch ? patch.whole : { ...kindOptions[kind], privateKey: f.key.applePem, ...patch },
  );

/** Rows every kind shares: [name, patch, code]. */
const everyKindRows: [string, Patch | { whole: unknown }, AscTokenErrorCode][] = [
  ["options null", { whole: null }, "INVALID_OPTIONS"],
  ["options a string", { whole: "options" }, "INVALID_OPTIONS"],
  ["keyId of 9 characters", { keyId: "2X9R4HXF3" }, "INVALID_KEY_ID"],
  ["keyId a number", { keyId: 42 }, "INVALID_KEY_ID"],
  ["clockTolerance negative", { clockTolerance: -1 }, "INVALID_CLOCK_TOLERANCE"],
  ["now NaN", { now: () => Number.NaN }, "INVALID_NOW"],
  ["key missing", { privateKey: undefined }, "KEY_MISSING"],
  ["key an RSA key", { privateKey: "RSA" }, "KEY_UNSUPPORTED_TYPE"],
];
/** Rows for one kind's own options: [kind, name, patch, code]. */
const kindRows: [Kind, string, Patch, AscTokenErrorCode][] = [
  ["createAppStoreServerToken", "issuerId not a UUID", { issuerId: "team" }, "INVALID_ISSUER_ID"],
  ["createAppStoreServerToken", "bundleId missing", { bundleId: undefined }, "INVALID_BUNDLE_ID"],
  [
    "createAppStoreServerToken",
    "bundleId with a space",
    { bundleId: "com.example app" },
    "INVALID_BUNDLE_ID",
  ],
  ["createAppStoreServerToken", "expiresIn 3601", { expiresIn: 3601 }, "LIFETIME_TOO_LONG"],
  ["createAppStoreServerToken", "expiresIn 1.5", { expiresIn: 1.5 }, "INVALID_EXPIRES_IN"],
  [
    "createInAppSignature",
    "audience appstoreconnect-v1",
    { audience: "appstoreconnect-v1" },
    "INVALID_AUDIENCE",
  ],
  ["createInAppSignature", "nonce not a UUID", { nonce: "once" }, "INVALID_NONCE"],
  ["createInAppSignature", "claims an array", { claims: ["productId"] }, "INVALID_CLAIMS"],
  ["createInAppSignature", "claims overriding exp", { claims: { exp: 1 } }, "INVALID_CLAIMS"],
  ["createInAppSignature", "claims overriding iss", { claims: { iss: "other" } }, "INVALID_CLAIMS"],
  ["createInAppSignature", "bundleId empty", { bundleId: "" }, "INVALID_BUNDLE_ID"],
  ["createApnsToken", "teamId lower-case", { teamId: "def123ghij" }, "INVALID_TEAM_ID"],
  ["createApnsToken", "teamId an issuer ID", { teamId: ISSUER_ID }, "INVALID_TEAM_ID"],
  [
    "createApnsToken",
    "clockTolerance of an hour",
    { clockTolerance: 3600 },
    "INVALID_CLOCK_TOLERANCE",
  ],
  ["createDeviceCheckToken", "teamId missing", { teamId: undefined }, "INVALID_TEAM_ID"],
  ["createSignInWithAppleSecret", "clientId missing", { clientId: undefined }, "INVALID_CLIENT_ID"],
  [
    "createSignInWithAppleSecret",
    "clientId a URL",
    { clientId: "https://example.com" },
    "INVALID_CLIENT_ID",
  ],
  [
    "createSignInWithAppleSecret",
    "expiresIn over six months",
    { expiresIn: 15_777_001 },
    "LIFETIME_TOO_LONG",
  ],
  ["createMusicKitToken", "origin an empty array", { origin: [] }, "INVALID_ORIGIN"],
  [
    "createMusicKitToken",
    "origin with a comma",
    { origin: "https://a.example, https://b.example" },
    "INVALID_ORIGIN",
  ],
  ["createMusicKitToken", "expiresIn 0", { expiresIn: 0 }, "INVALID_EXPIRES_IN"],
  ["createWeatherKitToken", "serviceId missing", { serviceId: undefined }, "INVALID_SERVICE_ID"],
  [
    "createWeatherKitToken",
    "serviceId with a slash",
    { serviceId: "com/example" },
    "INVALID_SERVICE_ID",
  ],
  ["createMapKitToken", "scope unknown", { scope: "maps" }, "INVALID_SCOPE"],
  ["createMapKitToken", "mapkit_js scope without origin", { scope: "mapkit_js" }, "INVALID_ORIGIN"],
  ["createMapKitToken", "origin a number", { origin: 42 }, "INVALID_ORIGIN"],
];

const validToken = async (f: Fixtures) => createAscToken(f.valid);
/** Rows for the provider, decode, the doctor and the fetch wrapper. */
const toolRows: Row[] = [
  ...(
    [
      ["not a string", () => 42],
      ["empty", () => ""],
      ["two parts", () => "eyJhbGciOiJFUzI1NiJ9.e30"],
      ["four parts", () => "a.b.c.d"],
      ["a part that is not base64url", () => "eyJhbGciOiJFUzI1NiJ9.e3*.sig"],
      [
        "claims that are not JSON",
        () => `eyJhbGciOiJFUzI1NiJ9.${Buffer.from("{nope").toString("base64url")}.c2ln`,
      ],
      [
        "claims a JSON array",
        () => `eyJhbGciOiJFUzI1NiJ9.${Buffer.from("[1]").toString("base64url")}.c2ln`,
      ],
      ["a PEM key by mistake", (f: Fixtures) => f.key.applePem],
      ["1 MB of dots and letters", () => "a.".repeat(MB / 2)],
    ] as [string, (f: Fixtures) => unknown][]
  ).flatMap(([name, token]): Row[] => [
    {
      target: "decodeToken",
      name,
      code: "TOKEN_MALFORMED",
      sync: true,
      call: (f) => decodeToken(token(f) as string) as unknown as Promise<unknown>,
    },
    {
      target: "checkAscToken",
      name,
      code: "TOKEN_MALFORMED",
      sync: true,
      call: (f) => checkAscToken(token(f) as string) as unknown as Promise<unknown>,
    },
  ]),
  {
    target: "checkAscToken",
    name: "now a string (checked on a real token)",
    code: "INVALID_NOW",
    call: (f) => validToken(f).then((t) => checkAscToken(t, { now: "today" as never })),
  },
  {
    target: "createAscTokenProvider",
    name: "refreshBefore negative",
    code: "INVALID_REFRESH_BEFORE",
    sync: true,
    call: (f) => createAscTokenProvider({ ...f.valid, refreshBefore: -1 }) as never,
  },
  {
    target: "createAscTokenProvider",
    name: "refreshBefore NaN",
    code: "INVALID_REFRESH_BEFORE",
    sync: true,
    call: (f) => createAscTokenProvider({ ...f.valid, refreshBefore: Number.NaN }) as never,
  },
  {
    target: "createAscTokenProvider",
    name: "refreshBefore longer than the token lives",
    code: "INVALID_REFRESH_BEFORE",
    call: (f) => createAscTokenProvider({ ...f.valid, refreshBefore: 5000 }).getToken(),
  },
  {
    target: "createAscTokenProvider",
    name: "keyId wrong",
    code: "INVALID_KEY_ID",
    sync: true,
    call: (f) => createAscTokenProvider({ ...f.valid, keyId: "x" }) as never,
  },
  {
    target: "createAscTokenProvider",
    name: "options null",
    code: "INVALID_OPTIONS",
    sync: true,
    call: () => createAscTokenProvider(null as never) as never,
  },
  {
    target: "createAscTokenProvider",
    name: "an RSA key, on first use",
    code: "KEY_UNSUPPORTED_TYPE",
    call: (f) => createAscTokenProvider({ ...f.valid, privateKey: f.rejects.rsaPkcs8 }).getToken(),
  },
  {
    target: "createTokenProvider",
    name: "mint not a function",
    code: "INVALID_OPTIONS",
    sync: true,
    call: (f) => createTokenProvider("createAscToken" as never, f.valid) as never,
  },
  {
    target: "createTokenProvider",
    name: "maxAge 0",
    code: "INVALID_MAX_AGE",
    sync: true,
    call: (f) => createTokenProvider(createAscToken, { ...f.valid, maxAge: 0 }) as never,
  },
  {
    target: "createTokenProvider",
    name: "APNs maxAge over an hour",
    code: "INVALID_MAX_AGE",
    sync: true,
    call: (f) =>
      createTokenProvider(createApnsToken, {
        ...kindOptions.createApnsToken,
        privateKey: f.key.applePem,
        maxAge: 3601,
      }) as never,
  },
  {
    target: "createTokenProvider",
    name: "a single-use kind (in-app JWS)",
    code: "INVALID_OPTIONS",
    sync: true,
    call: (f) =>
      createTokenProvider(createInAppSignature, {
        ...kindOptions.createInAppSignature,
        privateKey: f.key.applePem,
      }) as never,
  },
  {
    target: "createTokenProvider",
    name: "a mint returning a broken token",
    code: "TOKEN_MALFORMED",
    call: (f) =>
      createTokenProvider(() => Promise.resolve("not.a.token"), {
        privateKey: f.key.applePem,
      }).getToken(),
  },
  {
    target: "createTokenProvider",
    name: "a store without get, setIfAbsent and set",
    code: "INVALID_OPTIONS",
    sync: true,
    call: (f) => createTokenProvider(createAscToken, { ...f.valid, store: {} as never }) as never,
  },
  {
    target: "createTokenProvider",
    name: "a mint that never settles",
    code: "MINT_TIMEOUT",
    call: (f) =>
      createTokenProvider(() => new Promise<string>(() => undefined), {
        ...f.valid,
        mintTimeout: 20,
      }).getToken(),
  },
  {
    target: "createTokenProvider",
    name: "a store that fails (reported to onError, never thrown)",
    code: "STORE_UNAVAILABLE",
    call: (f) =>
      new Promise((_resolve, reject) => {
        const down = () => Promise.reject(new Error("ECONNREFUSED"));
        const store = { get: down, setIfAbsent: down, set: down };
        void createTokenProvider(createAscToken, { ...f.valid, store, onError: reject }).getToken();
      }),
  },
  {
    target: "createAuthorizedFetch",
    name: "a provider whose key is damaged",
    code: "KEY_MALFORMED",
    call: (f) =>
      createAuthorizedFetch(createAscTokenProvider({ ...f.valid, privateKey: "MIG*" }), () =>
        Promise.resolve(new Response()),
      )("https://example.invalid/"),
  },
];

/** The promotional offer signature and the Maps access-token exchange: their own inputs. */
const offerOptions = {
  keyId: KEY_ID,
  bundleId: "com.example.app",
  productId: "com.example.monthly",
  offerIdentifier: "WINBACK50",
  now: NOW,
};
const offer = (patch: Patch) => (f: Fixtures) =>
  createPromotionalOfferSignature({
    ...offerOptions,
    privateKey: f.key.applePem,
    ...patch,
  });
const mapsAnswer = (answer: () => Promise<Response>) => (f: Fixtures) =>
  createMapsAccessTokenProvider({
    ...kindOptions.createMapKitToken,
    privateKey: f.key.applePem,
    fetchImpl: answer,
  }).getToken();
/** The Apple Business Manager or Apple Ads provider, with Apple's token endpoint answering so. */
const oauthAnswer =
  (ads: boolean, answer: () => Promise<Response>) =>
  (f: Fixtures): Promise<string> => {
    const portal = { keyId: "d136aa66-0c3b-4bd4-9892-c20e8db024ab", privateKey: f.key.applePem };
    return (
      ads
        ? createAppleAdsTokenProvider({
            ...portal,
            clientId: "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577",
            teamId: "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577",
            fetchImpl: answer,
          })
        : createAppleBusinessManagerTokenProvider({
            ...portal,
            clientId: "BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152",
            scope: "business.api",
            fetchImpl: answer,
          })
    ).getToken();
  };
const oauthError = (status: number, body: unknown) => () =>
  Promise.resolve(new Response(JSON.stringify(body), { status }));
const oauthRows: Row[] = (
  [
    ["400 invalid_client", oauthError(400, { error: "invalid_client" }), "OAUTH_INVALID_CLIENT"],
    ["400 invalid_scope", oauthError(400, { error: "invalid_scope" }), "OAUTH_INVALID_SCOPE"],
    ["400 invalid_grant", oauthError(400, { error: "invalid_grant" }), "OAUTH_INVALID_REQUEST"],
    ["429", oauthError(429, {}), "OAUTH_RATE_LIMITED"],
    ["503", oauthError(503, {}), "OAUTH_UNAVAILABLE"],
    ["no answer", () => Promise.reject(new TypeError("fetch failed")), "OAUTH_REQUEST_FAILED"],
    [
      "a 200 without access_token",
      oauthError(200, { expires_in: 3600 }),
      "OAUTH_RESPONSE_MALFORMED",
    ],
  ] as const
).flatMap(([name, answer, code]) =>
  [false, true].map((ads): Row => ({
    target: ads ? "createAppleAdsTokenProvider" : "createAppleBusinessManagerTokenProvider",
    name: `Apple answers ${name}`,
    code,
    call: oauthAnswer(ads, answer),
  })),
);
const appleRows: Row[] = [
  ...oauthRows,
  ...(
    [
      ["productId empty", { productId: "" }, "INVALID_PRODUCT_ID"],
      ["productId with U+2063", { productId: "a\u2063b" }, "INVALID_PRODUCT_ID"],
      ["offerIdentifier missing", { offerIdentifier: undefined }, "INVALID_OFFER_IDENTIFIER"],
      ["appAccountToken not a UUID", { appAccountToken: "user" }, "INVALID_APP_ACCOUNT_TOKEN"],
      ["applicationUsername a number", { applicationUsername: 1 }, "INVALID_APPLICATION_USERNAME"],
      ["nonce not a UUID", { nonce: "once" }, "INVALID_NONCE"],
      ["key an RSA key", { privateKey: "RSA" }, "KEY_UNSUPPORTED_TYPE"],
    ] as [string, Patch, AscTokenErrorCode][]
  ).map(([name, patch, code]): Row => ({
    target: "createPromotionalOfferSignature",
    name,
    code,
    call: (f) => offer(patch.privateKey === "RSA" ? { privateKey: f.rejects.rsaPkcs8 } : patch)(f),
  })),
  {
    target: "createApnsTokenProvider",
    name: "handleResponse: 403 InvalidProviderToken for a token it signed",
    code: "APNS_TOKEN_REJECTED",
    call: async (f) => {
      const apns = createApnsTokenProvider({
        ...kindOptions.createApnsToken,
        privateKey: f.key.applePem,
      });
      return apns.handleResponse(await apns.getToken(), 403, "InvalidProviderToken");
    },
  },
  {
    target: "createApnsTokenProvider",
    name: "maxAge over an hour",
    code: "INVALID_MAX_AGE",
    sync: true,
    call: (f) =>
      createApnsTokenProvider({
        ...kindOptions.createApnsToken,
        privateKey: f.key.applePem,
        maxAge: 3601,
      }) as never,
  },
  {
    target: "createMapsAccessTokenProvider",
    name: "Apple answers 401",
    code: "MAPS_TOKEN_REFUSED",
    call: mapsAnswer(() => Promise.resolve(new Response("{}", { status: 401 }))),
  },
  {
    target: "createMapsAccessTokenProvider",
    name: "no answer",
    code: "MAPS_TOKEN_REQUEST_FAILED",
    call: mapsAnswer(() => Promise.reject(new TypeError("fetch failed"))),
  },
  {
    target: "createAuthorizedFetch",
    name: "a redirect loop",
    code: "TOO_MANY_REDIRECTS",
    call: (f) =>
      createAuthorizedFetch(
        createAscTokenProvider({ ...f.valid, privateKey: f.key.applePem }),
        (input) =>
          Promise.resolve(
            new Response(null, { status: 302, headers: { Location: input as string } }),
          ),
      )("https://api.appstoreconnect.apple.com/v1/apps"),
  },
  {
    target: "createMapsAccessTokenProvider",
    name: "a 200 without accessToken",
    code: "MAPS_TOKEN_RESPONSE_MALFORMED",
    call: mapsAnswer(() => Promise.resolve(new Response('{"expiresInSeconds":1800}'))),
  },
];

/** Keys held in a key service: a signer whose answer is not a signature, or who fails. */
const answering = (answer: () => unknown) =>
  signerKey({ sign: answer as (data: Uint8Array) => Promise<Uint8Array> });
const signerRows: Row[] = [
  {
    target: "createAscToken",
    name: "a signer answering 63 bytes",
    code: "SIGNER_OUTPUT_INVALID",
    call: (f) =>
      createAscToken({
        ...f.valid,
        privateKey: answering(() => Promise.resolve(new Uint8Array(63))),
      }),
  },
  {
    target: "createApnsToken",
    name: "a signer answering DER with a trailing byte",
    code: "SIGNER_OUTPUT_INVALID",
    call: () =>
      createApnsToken({
        ...kindOptions.createApnsToken,
        privateKey: answering(() => Promise.resolve(Uint8Array.of(0x30, 6, 2, 1, 1, 2, 1, 1, 0))),
      }),
  },
  {
    target: "createPromotionalOfferSignature",
    name: "a signer answering r = 0",
    code: "SIGNER_OUTPUT_INVALID",
    call: () =>
      createPromotionalOfferSignature({
        ...offerOptions,
        privateKey: answering(() => Promise.resolve(new Uint8Array(64).fill(1, 32))),
      }),
  },
  {
    target: "createAscTokenProvider",
    name: "a signer returning bytes, not a Promise",
    code: "SIGNER_OUTPUT_INVALID",
    call: (f) =>
      createAscTokenProvider({
        ...f.valid,
        privateKey: answering(() => new Uint8Array(64).fill(1)),
      }).getToken(),
  },
  {
    target: "createAscToken",
    name: "a signer that throws",
    code: "SIGN_FAILED",
    call: (f) =>
      createAscToken({
        ...f.valid,
        privateKey: answering(() => {
          throw new Error("kms:Sign denied");
        }),
      }),
  },
  {
    target: "signatureFromDer",
    name: "raw r||s instead of DER",
    code: "SIGNATURE_MALFORMED",
    sync: true,
    call: () => signatureFromDer(new Uint8Array(64).fill(1)) as never,
  },
  {
    target: "signatureToDer",
    name: "DER instead of raw r||s",
    code: "SIGNATURE_MALFORMED",
    sync: true,
    call: () => signatureToDer(Uint8Array.of(0x30, 6, 2, 1, 1, 2, 1, 1)) as never,
  },
];

/** Public functions that take an options object. */
const optionTakers: Record<string, (options: unknown) => Promise<unknown>> = {
  createAscToken: (options) => createAscToken(options as AscTokenOptions),
};

/** Public functions that take a private key, and how to call each with one. */
const keyTakers: Record<string, (key: unknown, f: Fixtures) => Promise<unknown>> = {
  importAppleKey: (key) => importAppleKey(key as ApplePrivateKey),
  createAscToken: (key, f) => createAscToken({ ...f.valid, privateKey: key as ApplePrivateKey }),
};

const rows: Row[] = [
  ...Object.entries(optionTakers).flatMap(([target, fn]) =>
    optionRows.map(([name, patch, code]): Row => ({
      target,
      name,
      code,
      call: (f) => {
        const p = patch(f);
        return fn("whole" in p ? p.whole : { ...f.valid, ...p });
      },
    })),
  ),
  ...Object.entries(keyTakers).flatMap(([target, fn]) =>
    keyRows.map(([name, key, code]): Row => ({ target, name, code, call: (f) => fn(key(f), f) })),
  ),
  ...envRows,
  ...Object.keys(kinds).flatMap((kind) =>
    everyKindRows.map(([name, patch, code]): Row => ({
      target: kind,
      name,
      code,
      call: (f) =>
        mintKind(
          kind as Kind,
          f,
          "privateKey" in patch && patch.privateKey === "RSA"
            ? { privateKey: f.rejects.rsaPkcs8 }
            : patch,
        ),
    })),
  ),
  ...kindRows.map(([kind, name, patch, code]): Row => ({
    target: kind,
    name,
    code,
    call: (f) => mintKind(kind, f, patch),
  })),
  ...toolRows,
  ...appleRows,
  ...signerRows,
  ...verifyRows,
  ...siwaRows,
];

let f: Fixtures;
beforeAll(async () => {
  f = await makeFixtures();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("bad-input matrix", () => {
  it.each(rows.map((row) => [`${row.target}: ${row.name} → ${row.code}`, row] as const))(
    "%s",
    async (_, row) => {
      row.arrange?.(f);
      const started = performance.now();
      let error: unknown;
      if (row.sync) {
        try {
          row.call(f) as unknown;
        } catch (thrown) {
          error = thrown;
        }
      } else {
        let pending: Promise<unknown> | undefined;
        expect(
          () => (pending = row.call(f)),
          "threw synchronously instead of rejecting",
        ).not.toThrow();
        error = await pending!.then(
          () => undefined,
          (e: unknown) => e,
        );
      }
      const elapsed = performance.now() - started;
      vi.unstubAllGlobals();

      expect(
        error,
        row.sync ? "returned instead of throwing" : "resolved instead of rejecting",
      ).toBeDefined();
      expect(isAscTokenError(error), `not an AscTokenError: ${String(error)}`).toBe(true);
      expect(error).toBeInstanceOf(AscTokenError);
      expect(error).toMatchObject({ name: "AscTokenError", code: row.code });
      const { message } = error as AscTokenError;
      expect(message.length).toBeGreaterThan(10);
      expect(message.length, "messages stay short whatever the input").toBeLessThan(300);
      expect(elapsed, "took too long").toBeLessThan(TIME_LIMIT_MS);
      expectNoKeyMaterial(error, forbiddenRuns(f.secrets()));
    },
  );

  it("has at least 40 rows, each named once per function", () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    const names = rows.map((row) => `${row.target}: ${row.name}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it("has a row for every AscTokenErrorCode", () => {
    const covered = new Set<string>(rows.map((row) => row.code));
    const codes = allErrorCodes();
    expect(codes.length).toBeGreaterThan(10);
    expect(
      codes.filter((code) => !covered.has(code)),
      "codes without a bad-input row",
    ).toStrictEqual([]);
  });
});
