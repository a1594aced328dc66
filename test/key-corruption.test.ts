// Corrupting any byte of a P-256 key gives the code that fits where the byte is. Each fixture's
// layout is written out below, field by field, and checked against the fixture's own bytes; the
// expected outcome of every corrupted byte follows from the field it falls in, never from what
// asc-token answered.
import { createECDH, createPublicKey, type KeyObject } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createAscToken, isAscTokenError } from "../src/index.js";
import { makeP256, type P256Fixture } from "./helpers/keys.js";
import { verifies } from "./helpers/verify.js";

const keyId = "2X9R4HXF34";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";

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

/** SEC1 ECPrivateKey { 1, OCTET STRING (32), [0] { prime256v1 } (Apple, SEC1 only), [1] { BIT STRING } }. */
const sec1 = (withCurve: boolean): Run[] => [
  ["structure", withCurve ? "3077" : "306b"],
  ["structure", "0201"],
  ["sec1Version", 1],
  ["structure", "0420"],
  ["scalar", 32],
  ...(withCurve
    ? ([
        ["structure", "a00a0608"],
        ["curve", 8],
      ] as Run[])
    : []),
  ["structure", "a1440342"],
  ["publicKey", 66],
];

/** PrivateKeyInfo { 0, { id-ecPublicKey, prime256v1 }, OCTET STRING { SEC1 } }. */
const pkcs8 = (withCurve: boolean): Run[] => [
  ["structure", withCurve ? "308193" : "308187"],
  ["structure", "0201"],
  ["pkcs8Version", 1],
  ["structure", "30130607"],
  ["algorithm", 7],
  ["structure", "0608"],
  ["curve", 8],
  ["structure", withCurve ? "0479" : "046d"],
  ...sec1(withCurve),
];

const LAYOUTS = {
  appleDer: pkcs8(true), // Apple's .p8: 150 bytes, its SEC1 keeps the curve and public key
  pkcs8Der: pkcs8(false), // Node/OpenSSL 3: 138 bytes, its SEC1 keeps only the public key
  sec1Der: sec1(true), // SEC1 "EC PRIVATE KEY": 121 bytes
} as const;

/** The field of every byte, in order, and where the run holding it starts. */
const fieldsOf = (layout: Run[]): { field: Field; from: number }[] => {
  let at = 0;
  return layout.flatMap(([field, size]) => {
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
  let point: Buffer;
  try {
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(scalar);
    point = ecdh.getPublicKey();
  } catch {
    return undefined;
  }
  return createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33).toString("base64url"),
    },
    format: "jwk",
  });
};

/** What asc-token makes of `der`: a token, or the code of its AscTokenError. */
const outcome = async (der: Uint8Array): Promise<{ token: string } | { code: string }> => {
  try {
    return { token: await createAscToken({ keyId, issuerId, privateKey: der }) };
  } catch (error) {
    if (isAscTokenError(error)) return { code: error.code };
    throw error;
  }
};

let key: P256Fixture;
beforeAll(() => {
  key = makeP256();
});

describe.each(Object.keys(LAYOUTS) as (keyof typeof LAYOUTS)[])("every byte of %s", (form) => {
  it("matches the written layout", () => {
    const der = new Uint8Array(key[form]);
    const layout = LAYOUTS[form];
    const fields = fieldsOf(layout);
    expect(fields).toHaveLength(der.length);
    let at = 0;
    for (const [field, size] of layout) {
      const length = typeof size === "number" ? size : size.length / 2;
      if (typeof size === "string")
        expect(Buffer.from(der.subarray(at, at + length)).toString("hex")).toBe(size);
      if (field === "algorithm")
        expect(Buffer.from(der.subarray(at, at + length)).toString("hex")).toBe(EC_PUBLIC_KEY_OID);
      if (field === "curve")
        expect(Buffer.from(der.subarray(at, at + length)).toString("hex")).toBe(P256_OID);
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
