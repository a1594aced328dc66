// Keys asc-token must refuse, each with the code that says why: missing, malformed, of another type
// or curve, public, encrypted, more than one, a CryptoKey that cannot sign; no error shows key
// material. Then every byte of each P-256 key form, corrupted: each fixture's layout is written out
// field by field and checked against the fixture's own bytes, and the expected outcome of every
// corrupted byte follows from the field it falls in, never from what asc-token answered. Keys
// come from node:crypto and the openssl CLI; the rarer DER shapes are built by hand.
import { createECDH, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { webcrypto } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type ApplePrivateKey,
  createAscToken,
  importAppleKey,
  isAscTokenError,
} from "../../src/index.js";
import { issuerId, keyId } from "../helpers/kinds.js";
import { makeP256, makeRejects, type P256Fixture, webCryptoKey } from "../helpers/keys.js";
import { verifies } from "../helpers/verify.js";

let key: P256Fixture;
let rejects: ReturnType<typeof makeRejects>;
beforeAll(() => {
  key = makeP256();
  rejects = makeRejects();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const mintWith = (privateKey: unknown) =>
  createAscToken({ keyId, issuerId, privateKey: privateKey as ApplePrivateKey });

/** What asc-token makes of `privateKey`: a token, or the code of its AscTokenError. */
const outcome = async (privateKey: unknown): Promise<{ token: string } | { code: string }> => {
  try {
    return { token: await mintWith(privateKey) };
  } catch (error) {
    if (isAscTokenError(error)) return { code: error.code };
    throw error;
  }
};

/** Every 12-character run of `secret` that must not show up in an error. */
const runs = (secret: string): string[] =>
  Array.from({ length: Math.max(0, secret.length - 11) }, (_, i) => secret.slice(i, i + 12));

const expectNoKeyMaterial = (error: unknown, secrets: string[]) => {
  const e = error as Error & { cause?: unknown };
  const texts = [
    e.message,
    e.stack ?? "",
    e.cause instanceof Error ? e.cause.message : "",
    (e.cause as Error | undefined)?.stack ?? "",
    JSON.stringify(e),
  ];
  const forbidden = new Set(
    secrets.flatMap((secret) => runs(secret.replace(/-----[^-]+-----|\s|\\n/g, ""))),
  );
  expect(forbidden.size).toBeGreaterThan(0);
  for (const text of texts)
    for (const run of runs(text))
      expect(forbidden.has(run), `key material in: ${text}`).toBe(false);
};

const pkcs8Of = (k: KeyObject) => k.export({ type: "pkcs8", format: "der" });
const hex = (text: string) => Buffer.from(text.replace(/\s/g, ""), "hex");
/** A DER element with a short or one-byte long length, enough for the shapes built here. */
const tlv = (tag: number, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  const length = body.length < 0x80 ? [body.length] : [0x81, body.length];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
};
/** The fixture's PKCS#8 after its version: AlgorithmIdentifier (21 bytes), then OCTET STRING SEC1. */
const algorithmAndKey = () => key.pkcs8Der.subarray(6);
/** The fixture's uncompressed public point. */
const point = () => key.publicKey.export({ type: "spki", format: "der" }).subarray(-65);

describe("rejected keys", () => {
  const otherType = (
    name: string,
    make: () => { privateKey: KeyObject },
  ): [string, string, () => unknown] => [
    name,
    "KEY_UNSUPPORTED_TYPE",
    () => pkcs8Of(make().privateKey),
  ];
  const otherCurve = (namedCurve: string): [string, string, () => unknown][] => [
    [
      `${namedCurve} PKCS#8`,
      "KEY_UNSUPPORTED_CURVE",
      () => pkcs8Of(generateKeyPairSync("ec", { namedCurve }).privateKey),
    ],
    [
      `${namedCurve} SEC1`,
      "KEY_UNSUPPORTED_CURVE",
      () =>
        generateKeyPairSync("ec", { namedCurve }).privateKey.export({
          type: "sec1",
          format: "der",
        }),
    ],
  ];
  const cases: [string, string, () => unknown][] = [
    ["undefined", "KEY_MISSING", () => undefined],
    ["null", "KEY_MISSING", () => null],
    ["empty string", "KEY_MISSING", () => ""],
    ["whitespace only", "KEY_MISSING", () => " \n\t "],
    ["empty quotes", "KEY_MISSING", () => '""'],
    ["empty bytes", "KEY_MISSING", () => new Uint8Array(0)],
    ["a number", "KEY_MALFORMED", () => 42],
    ["a plain object", "KEY_MALFORMED", () => ({ key: "x" })],
    ["garbage text", "KEY_MALFORMED", () => "not a key at all!"],
    ["1 MB of garbage", "KEY_MALFORMED", () => "x!".repeat(512 * 1024)],
    ["1 MB of valid-looking base64", "KEY_MALFORMED", () => "QUFB".repeat(256 * 1024)],
    ["truncated base64 body", "KEY_MALFORMED", () => key.body.slice(0, 101)],
    [
      "truncated PEM (body cut short)",
      "KEY_MALFORMED",
      () => key.applePem.replace(/\n[^\n]+\n-----END/, "\n-----END"),
    ],
    ["base64 with an invalid character", "KEY_MALFORMED", () => key.applePem.replace("MIG", "M*G")],
    [
      "mismatched armor",
      "KEY_MALFORMED",
      () => key.applePem.replace("END PRIVATE KEY", "END EC PRIVATE KEY"),
    ],
    ["BEGIN without END", "KEY_MALFORMED", () => key.applePem.replace(/-----END[^]*$/, "")],
    ["DER with a bad length", "KEY_MALFORMED", () => key.appleDer.subarray(0, 149)],
    ["a SEQUENCE then an INTEGER", "KEY_MALFORMED", () => hex("3005 3000 020100")],
    ["PKCS#8 version 2", "KEY_MALFORMED", () => tlv(0x30, hex("020102"), algorithmAndKey())],
    [
      "PKCS#8 version as two bytes",
      "KEY_MALFORMED",
      () => tlv(0x30, hex("02020000"), algorithmAndKey()),
    ],
    [
      "PKCS#8 [1] public key as a constructed tag",
      "KEY_MALFORMED",
      () => tlv(0x30, hex("020101"), algorithmAndKey(), tlv(0xa1, Buffer.from([0]), point())),
    ],
    [
      "PKCS#8 of an unknown algorithm",
      "KEY_MALFORMED",
      () => tlv(0x30, hex("020100 3007 0605 2b06010401"), tlv(4, key.sec1Der)),
    ],
    [
      "PKCS#8 with explicit curve parameters",
      "KEY_MALFORMED",
      () => tlv(0x30, hex("020100 300d 06072a8648ce3d0201 3002 0500"), tlv(4, key.sec1Der)),
    ],
    ["SEC1 version 0", "KEY_MALFORMED", () => tlv(0x30, hex("020100"), key.sec1Der.subarray(5))],
    [
      "SEC1 whose [1] holds no BIT STRING",
      "KEY_MALFORMED",
      () => tlv(0x30, key.sec1Der.subarray(2, 53), hex("a1020500")),
    ],
    [
      "a public key with trailing bytes inside",
      "KEY_MALFORMED",
      () =>
        tlv(0x30, key.publicKey.export({ type: "spki", format: "der" }).subarray(2), hex("0500")),
    ],
    [
      "an encrypted key's algorithm with no encrypted data",
      "KEY_MALFORMED",
      () => hex("300d 300b 0609 2a864886f70d01050d"),
    ],
    ["RSA PKCS#8", "KEY_UNSUPPORTED_TYPE", () => rejects.rsaPkcs8],
    ["RSA PKCS#1", "KEY_UNSUPPORTED_TYPE", () => rejects.rsaPkcs1],
    ["Ed25519 PKCS#8", "KEY_UNSUPPORTED_TYPE", () => rejects.ed25519Pkcs8],
    otherType("RSASSA-PSS PKCS#8", () => generateKeyPairSync("rsa-pss", { modulusLength: 1024 })),
    otherType("DSA PKCS#8", () =>
      generateKeyPairSync("dsa", { modulusLength: 2048, divisorLength: 256 }),
    ),
    otherType("X25519 PKCS#8", () => generateKeyPairSync("x25519")),
    otherType("X448 PKCS#8", () => generateKeyPairSync("x448")),
    otherType("Ed448 PKCS#8", () => generateKeyPairSync("ed448")),
    ["P-384 PKCS#8", "KEY_UNSUPPORTED_CURVE", () => rejects.p384Pkcs8],
    ["P-384 SEC1", "KEY_UNSUPPORTED_CURVE", () => rejects.p384Sec1],
    ["P-521 PKCS#8", "KEY_UNSUPPORTED_CURVE", () => rejects.p521Pkcs8],
    ["secp256k1 PKCS#8", "KEY_UNSUPPORTED_CURVE", () => rejects.secp256k1Pkcs8],
    ...["brainpoolP256r1", "brainpoolP512r1", "secp224r1", "prime192v1", "prime239v1"].flatMap(
      otherCurve,
    ),
    ["public key PEM", "KEY_NOT_PRIVATE", () => rejects.publicKeyPem],
    ["public key DER", "KEY_NOT_PRIVATE", () => rejects.publicKeyDer],
    ["certificate", "KEY_NOT_PRIVATE", () => rejects.certificate],
    [
      "certificate as bare base64",
      "KEY_NOT_PRIVATE",
      () => rejects.certificate.replace(/-----[^-]+-----|\s/g, ""),
    ],
    ["encrypted PKCS#8 PEM", "KEY_ENCRYPTED", () => rejects.encryptedPkcs8],
    ["encrypted PKCS#8 DER", "KEY_ENCRYPTED", () => rejects.encryptedPkcs8Der],
    ["PKCS#8 DER with PKCS#12 password-based 3DES", "KEY_ENCRYPTED", () => rejects.encryptedPbeDer],
    ["encrypted SEC1 PEM (Proc-Type)", "KEY_ENCRYPTED", () => rejects.encryptedSec1],
  ];

  it.each(cases)("%s → %s", async (_, code, input) => {
    const error = await mintWith(input()).catch((e: unknown) => e);
    expect(isAscTokenError(error)).toBe(true);
    expect(error).toMatchObject({ name: "AscTokenError", code });
    expect((error as Error).message).toMatch(/privateKey/);
    expectNoKeyMaterial(error, [
      key.applePem,
      key.pkcs8Pem,
      key.sec1Pem,
      rejects.rsaPkcs8,
      rejects.p384Pkcs8,
      rejects.encryptedPkcs8,
    ]);
  });

  it("openssl's PKCS#12-encrypted key names its algorithm, 1.2.840.113549.1.12.1.3", () => {
    expect(rejects.encryptedPbeDer.subarray(7, 17).toString("hex")).toBe("2a864886f70d010c0103");
  });
});

describe("more than one private key: KEY_AMBIGUOUS, never whichever key comes first", () => {
  // The wrong key would sign as the wrong team.
  const a = makeP256();
  const b = makeP256();

  /**
   * An ArrayBuffer like a fresh Node Buffer pool (8 KiB) whose first two small Buffers hold the two
   * keys: what a pooled Buffer's `.buffer` hands over. Built by hand, so the test never waits on
   * Node's pool.
   */
  const pooled = (first: string, second: string): ArrayBuffer => {
    const pool = new Uint8Array(Buffer.poolSize);
    pool.set(new TextEncoder().encode(first + second));
    return pool.buffer;
  };

  it.each([
    ["two PKCS#8 PEMs", () => a.applePem + b.applePem],
    ["PKCS#8 then SEC1", () => a.pkcs8Pem + "\n" + b.sec1Pem],
    ["the same key twice", () => a.applePem + a.applePem],
    ["two PEMs with literal \\n escapes", () => (a.applePem + b.applePem).replace(/\n/g, "\\n")],
    ["base64 of two PEM files", () => Buffer.from(a.applePem + b.applePem).toString("base64")],
    ["two PEMs as bytes", () => new TextEncoder().encode(a.applePem + b.applePem)],
    ["a pooled Node Buffer's .buffer", () => pooled(a.applePem, b.applePem)],
  ])("%s: KEY_AMBIGUOUS, with no key in the message", async (_, input) => {
    const error = (await importAppleKey(input() as string).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ name: "AscTokenError", code: "KEY_AMBIGUOUS" });
    expect(error.message).toContain("more than one private key");
    expect(error.message).not.toContain(a.body.slice(30, 50));
    expect(await outcome(input())).toEqual({ code: "KEY_AMBIGUOUS" });
  });
});

describe("DER shapes that are keys", () => {
  it("PKCS#8 v2 (OneAsymmetricKey) with its [1] IMPLICIT public key: left to WebCrypto", async () => {
    // Read as a key; OpenSSL (Node's WebCrypto) does not import v2 keys, other runtimes may.
    const v2 = tlv(0x30, hex("020101"), algorithmAndKey(), tlv(0x81, Buffer.from([0]), point()));
    const result = await outcome(v2);
    if ("token" in result) expect(verifies(result.token, key.publicKey)).toBe(true);
    else expect(result.code).toBe("KEY_IMPORT_FAILED");
  });

  it("PKCS#8 with [0] attributes: read past, a token", async () => {
    const result = await outcome(tlv(0x30, hex("020100"), algorithmAndKey(), hex("a000")));
    expect("token" in result && verifies(result.token, key.publicKey)).toBe(true);
  });
});

describe("CryptoKeys that cannot sign, and WebCrypto failing", () => {
  it("a CryptoKey without sign usage, of another curve or algorithm, or public", async () => {
    const verifyOnly = await webCryptoKey(key.pkcs8Der, []).catch(
      async () =>
        (
          await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, [
            "sign",
            "verify",
          ])
        ).publicKey,
    );
    const generate = (algorithm: EcKeyGenParams | HmacKeyGenParams, usage: KeyUsage) =>
      webcrypto.subtle.generateKey(algorithm, false, [usage]) as Promise<CryptoKeyPair & CryptoKey>;
    const p384 = await generate({ name: "ECDSA", namedCurve: "P-384" }, "sign");
    const hmac = await generate({ name: "HMAC", hash: "SHA-256" }, "sign");
    const ecdh = await generate({ name: "ECDH", namedCurve: "P-256" }, "deriveBits");
    const pair = await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, [
      "sign",
      "verify",
    ]);
    for (const bad of [verifyOnly, p384.privateKey, hmac, ecdh.privateKey, pair.publicKey]) {
      await expect(mintWith(bad)).rejects.toMatchObject({ code: "KEY_INVALID_CRYPTOKEY" });
    }
  });

  it("wraps WebCrypto's error as cause when import fails", async () => {
    // Valid P-256 PKCS#8 structure, private scalar zero: WebCrypto refuses it.
    const zero = Buffer.from(key.appleDer);
    zero.fill(0, 36, 68);
    const error = (await mintWith(zero).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: "KEY_IMPORT_FAILED" });
    expect(error.cause).toBeInstanceOf(Error);
    expectNoKeyMaterial(error, [zero.toString("base64")]);
  });

  it("reports a missing crypto.subtle clearly", async () => {
    vi.stubGlobal("crypto", {});
    try {
      await expect(mintWith(makeP256().applePem)).rejects.toMatchObject({
        code: "CRYPTO_UNAVAILABLE",
      });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("wraps a signing failure as SIGN_FAILED", async () => {
    vi.spyOn(crypto.subtle, "sign").mockRejectedValueOnce(
      new DOMException("boom", "OperationError"),
    );
    const error = (await mintWith(key.applePem).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: "SIGN_FAILED" });
    expect(error.cause).toBeInstanceOf(DOMException);
  });
});

/**
 * What a byte is: `structure` (a tag or length, which must read as KEY_MALFORMED), a version
 * number, one of the two OIDs, the private scalar, or the public key (its unused-bits byte, the
 * 0x04 of an uncompressed point, x and y).
 */
type Field =
  "structure" | "pkcs8Version" | "sec1Version" | "algorithm" | "curve" | "scalar" | "publicKey";

/** A run of bytes: a field and its length, or fixed structure bytes (hex) checked as written. */
type Run = [Field, number] | ["structure", string];

const P256_OID = "2a8648ce3d030107";
const EC_PUBLIC_KEY_OID = "2a8648ce3d0201";

/** Runs written as text: `field:length` for a field, hex for structure bytes checked as written. */
const layout = (text: string): Run[] =>
  text
    .split(/\s+/)
    .filter(Boolean)
    .map((run) => {
      const [field, size] = run.split(":");
      return size === undefined ? ["structure", run] : [field as Field, Number(size)];
    });

/** SEC1 ECPrivateKey { 1, OCTET STRING (32), [0] { prime256v1 } (Apple, SEC1 only), [1] { BIT STRING } }. */
const sec1 = (withCurve: boolean) =>
  `${withCurve ? "3077" : "306b"} 0201 sec1Version:1 0420 scalar:32
   ${withCurve ? "a00a0608 curve:8" : ""} a1440342 publicKey:66`;

/** PrivateKeyInfo { 0, { id-ecPublicKey, prime256v1 }, OCTET STRING { SEC1 } }. */
const pkcs8 = (withCurve: boolean) =>
  `${withCurve ? "308193" : "308187"} 0201 pkcs8Version:1 30130607 algorithm:7 0608 curve:8
   ${withCurve ? "0479" : "046d"} ${sec1(withCurve)}`;

const LAYOUTS = {
  appleDer: layout(pkcs8(true)), // Apple's .p8: 150 bytes, its SEC1 keeps the curve and public key
  pkcs8Der: layout(pkcs8(false)), // Node/OpenSSL 3: 138 bytes, its SEC1 keeps only the public key
  sec1Der: layout(sec1(true)), // SEC1 "EC PRIVATE KEY": 121 bytes
} as const;

/** The field of every byte, in order, and where the run holding it starts. */
const fieldsOf = (runs: Run[]): { field: Field; from: number }[] => {
  let at = 0;
  return runs.flatMap(([field, size]) => {
    const length = typeof size === "number" ? size : size.length / 2;
    const from = at;
    at += length;
    return Array.from({ length }, () => ({ field, from }));
  });
};

/** Algorithms of keys that are not EC keys (RFC 8017, 4055, 3279, 8410). */
const NOT_EC = [
  "1.2.840.113549.1.1.1",
  "1.2.840.113549.1.1.10",
  "1.2.840.10040.4.1",
  "1.3.101.110",
  "1.3.101.111",
  "1.3.101.112",
  "1.3.101.113",
];
/** Named curves other than P-256 (RFC 5480, SEC 2, RFC 5639). */
const OTHER_CURVES = [
  ...[1, 2, 3, 4, 5, 6].map((n) => `1.2.840.10045.3.1.${String(n)}`),
  ...[1, 10, 33, 34, 35].map((n) => `1.3.132.0.${String(n)}`),
  ...[1, 3, 5, 7, 9, 11, 13].map((n) => `1.3.36.3.3.2.8.1.1.${String(n)}`),
];

/** Dotted text of OID contents; undefined unless every subidentifier is minimal and finished. */
const dotted = (contents: Uint8Array): string | undefined => {
  const values: number[] = [];
  let value = 0;
  for (const byte of contents) {
    if (value === 0 && byte === 0x80) return undefined;
    value = value * 128 + (byte & 0x7f);
    if (byte & 0x80) continue;
    values.push(value);
    value = 0;
  }
  if (contents.length === 0 || (contents.at(-1)! & 0x80) !== 0) return undefined;
  const [first = 0, ...rest] = values;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...rest].join(".");
};

/** The public key of a private scalar, or undefined when it is not one (0, or n and above). */
const publicKeyOf = (scalar: Uint8Array): KeyObject | undefined => {
  let publicPoint: Buffer;
  try {
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(scalar);
    publicPoint = ecdh.getPublicKey();
  } catch {
    return undefined;
  }
  return createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: publicPoint.subarray(1, 33).toString("base64url"),
      y: publicPoint.subarray(33).toString("base64url"),
    },
    format: "jwk",
  });
};

describe.each(Object.keys(LAYOUTS) as (keyof typeof LAYOUTS)[])("every byte of %s", (form) => {
  it("matches the written layout", () => {
    const der = new Uint8Array(key[form]);
    const runs = LAYOUTS[form];
    const fields = fieldsOf(runs);
    expect(fields).toHaveLength(der.length);
    let at = 0;
    for (const [field, size] of runs) {
      const length = typeof size === "number" ? size : size.length / 2;
      const bytes = Buffer.from(der.subarray(at, at + length)).toString("hex");
      if (typeof size === "string") expect(bytes).toBe(size);
      if (field === "algorithm") expect(bytes).toBe(EC_PUBLIC_KEY_OID);
      if (field === "curve") expect(bytes).toBe(P256_OID);
      at += length;
    }
  });

  it("flipped to any of its 8 one-bit neighbours, 0x00 or 0xff: the code that fits the field", async () => {
    const der = new Uint8Array(key[form]);
    const fields = fieldsOf(LAYOUTS[form]);
    const scalarAt = fields.findIndex(({ field }) => field === "scalar");
    const seen = new Set<string>();
    for (let at = 0; at < der.length; at++) {
      const { field, from } = fields[at]!;
      const values = new Set([
        ...[1, 2, 4, 8, 16, 32, 64, 128].map((bit) => der[at]! ^ bit),
        0,
        255,
      ]);
      values.delete(der[at]!);
      for (const value of values) {
        const bad = der.slice();
        bad[at] = value;
        const result = await outcome(bad);
        const where = `${form} byte ${String(at)} (${field}) 0x${der[at]!.toString(16)} → 0x${value.toString(16)}`;
        const got = "code" in result ? result.code : "a token";
        seen.add(`${field} ${got}`);
        switch (field) {
          case "structure":
          case "sec1Version":
            expect(got, where).toBe("KEY_MALFORMED");
            break;
          case "pkcs8Version":
            // PKCS#8 has versions 0 and 1 (RFC 5958); any other number is damage.
            if (value > 1) expect(got, where).toBe("KEY_MALFORMED");
            else
              expect("token" in result && verifies(result.token, key.publicKey), where).toBe(true);
            break;
          case "algorithm":
          case "curve": {
            const text = dotted(bad.subarray(from, from + (field === "curve" ? 8 : 7)));
            const known = field === "curve" ? OTHER_CURVES : NOT_EC;
            const specific = field === "curve" ? "KEY_UNSUPPORTED_CURVE" : "KEY_UNSUPPORTED_TYPE";
            if (got === specific) expect(known, where).toContain(text);
            else expect(got, where).toBe("KEY_MALFORMED");
            break;
          }
          case "scalar":
          case "publicKey": {
            // WebCrypto signs with the scalar, so a token must verify with the scalar's public key
            // (Node refuses a key whose public key does not match: KEY_IMPORT_FAILED).
            const own = publicKeyOf(bad.subarray(scalarAt, scalarAt + 32));
            if ("token" in result) expect(own && verifies(result.token, own), where).toBe(true);
            else expect(got, where).toBe("KEY_IMPORT_FAILED");
            break;
          }
        }
      }
    }
    // Each kind of field was hit, and a curve OID one bit away from P-256's names another curve.
    for (const { field } of fields)
      expect([...seen].some((s) => s.startsWith(`${field} `))).toBe(true);
    if (fields.some(({ field }) => field === "curve"))
      expect(seen).toContain("curve KEY_UNSUPPORTED_CURVE");
  });

  it("cut short at any length, or with a byte appended: KEY_MALFORMED", async () => {
    const der = new Uint8Array(key[form]);
    for (let length = 1; length < der.length; length++) {
      expect(await outcome(der.slice(0, length)), `cut to ${String(length)}`).toEqual({
        code: "KEY_MALFORMED",
      });
    }
    for (const extra of [0, 0x30, 0xa0, 0xa1, 0x81]) {
      expect(await outcome(Uint8Array.from([...der, extra]))).toEqual({ code: "KEY_MALFORMED" });
    }
  });
});
