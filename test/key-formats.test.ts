// Key formats read field by field: each kind of key, and each shape of DER around it, gets its
// own code. Keys come from node:crypto and the openssl CLI; the rarer shapes are built by hand.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createAscToken, isAscTokenError } from "../src/index.js";
import { makeP256 } from "./helpers/keys.js";
import { verifies } from "./helpers/verify.js";

const keyId = "2X9R4HXF34";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";

const outcome = async (privateKey: Uint8Array | string): Promise<string> => {
  try {
    return await createAscToken({ keyId, issuerId, privateKey });
  } catch (error) {
    if (isAscTokenError(error)) return error.code;
    throw error;
  }
};

const pkcs8Of = (key: KeyObject) => key.export({ type: "pkcs8", format: "der" });
const hex = (text: string) => Buffer.from(text.replace(/\s/g, ""), "hex");
/** A DER element with a short or one-byte long length, enough for the shapes built here. */
const tlv = (tag: number, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  const length = body.length < 0x80 ? [body.length] : [0x81, body.length];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
};

describe("keys of other types: KEY_UNSUPPORTED_TYPE", () => {
  it.each([
    ["RSASSA-PSS PKCS#8", () => generateKeyPairSync("rsa-pss", { modulusLength: 1024 })],
    ["DSA PKCS#8", () => generateKeyPairSync("dsa", { modulusLength: 2048, divisorLength: 256 })],
    ["X25519 PKCS#8", () => generateKeyPairSync("x25519")],
    ["X448 PKCS#8", () => generateKeyPairSync("x448")],
    ["Ed448 PKCS#8", () => generateKeyPairSync("ed448")],
  ])("%s", async (_, make) => {
    expect(await outcome(pkcs8Of(make().privateKey))).toBe("KEY_UNSUPPORTED_TYPE");
  });
});

describe("EC keys on other named curves: KEY_UNSUPPORTED_CURVE", () => {
  it.each(["brainpoolP256r1", "brainpoolP512r1", "secp224r1", "prime192v1", "prime239v1"])(
    "%s, as PKCS#8 and as SEC1",
    async (namedCurve) => {
      const { privateKey } = generateKeyPairSync("ec", { namedCurve });
      expect(await outcome(pkcs8Of(privateKey))).toBe("KEY_UNSUPPORTED_CURVE");
      const sec1 = privateKey.export({ type: "sec1", format: "der" });
      expect(await outcome(sec1)).toBe("KEY_UNSUPPORTED_CURVE");
    },
  );
});

describe("shapes around a P-256 key", () => {
  const key = makeP256();
  const node = key.pkcs8Der; // 30 81 87 | 02 01 00 | AlgorithmIdentifier (21) | 04 6d SEC1
  const algorithmAndKey = node.subarray(6);
  const point = key.publicKey.export({ type: "spki", format: "der" }).subarray(-65);

  it("PKCS#8 v2 (OneAsymmetricKey) with its [1] IMPLICIT public key: left to WebCrypto", async () => {
    // Read as a key; OpenSSL (Node's WebCrypto) does not import v2 keys, other runtimes may.
    const v2 = tlv(0x30, hex("020101"), algorithmAndKey, tlv(0x81, Buffer.from([0]), point));
    const result = await outcome(v2);
    if (result !== "KEY_IMPORT_FAILED") expect(verifies(result, key.publicKey)).toBe(true);
  });

  it("PKCS#8 with [0] attributes: read past, a token", async () => {
    const withAttributes = tlv(0x30, hex("020100"), algorithmAndKey, hex("a000"));
    expect(verifies(await outcome(withAttributes), key.publicKey)).toBe(true);
  });

  it.each([
    ["PKCS#8 version 2", () => tlv(0x30, hex("020102"), algorithmAndKey)],
    ["PKCS#8 version as two bytes", () => tlv(0x30, hex("02020000"), algorithmAndKey)],
    [
      "PKCS#8 [1] public key as a constructed tag",
      () => tlv(0x30, hex("020101"), algorithmAndKey, tlv(0xa1, Buffer.from([0]), point)),
    ],
    [
      "PKCS#8 of an unknown algorithm",
      () => tlv(0x30, hex("020100 3007 0605 2b06010401"), tlv(4, key.sec1Der)),
    ],
    [
      "PKCS#8 with explicit curve parameters",
      () => tlv(0x30, hex("020100 300d 06072a8648ce3d0201 3002 0500"), tlv(4, key.sec1Der)),
    ],
    ["SEC1 version 0", () => tlv(0x30, hex("020100"), key.sec1Der.subarray(5))],
    [
      "SEC1 whose [1] holds no BIT STRING",
      () => tlv(0x30, key.sec1Der.subarray(2, 53), hex("a1020500")),
    ],
    [
      "a public key with trailing bytes inside",
      () =>
        tlv(0x30, key.publicKey.export({ type: "spki", format: "der" }).subarray(2), hex("0500")),
    ],
    ["a SEQUENCE then an INTEGER", () => hex("3005 3000 020100")],
    [
      "an encrypted key's algorithm with no encrypted data",
      () => hex("300d 300b 0609 2a864886f70d01050d"),
    ],
  ])("%s: KEY_MALFORMED", async (_, make) => {
    expect(await outcome(make())).toBe("KEY_MALFORMED");
  });

  it("an EncryptedPrivateKeyInfo with PKCS#12 password-based encryption: KEY_ENCRYPTED", async () => {
    const dir = mkdtempSync(join(tmpdir(), "asc-token-"));
    writeFileSync(join(dir, "key.pem"), key.pkcs8Pem);
    execFileSync(
      "openssl",
      [
        "pkcs8",
        "-topk8",
        "-v1",
        "PBE-SHA1-3DES",
        "-passout",
        "pass:pw",
        "-in",
        join(dir, "key.pem"),
        "-outform",
        "DER",
        "-out",
        join(dir, "key.der"),
      ],
      { stdio: "ignore" },
    );
    const der = readFileSync(join(dir, "key.der"));
    expect(der.subarray(7, 17).toString("hex")).toBe("2a864886f70d010c0103"); // 1.2.840.113549.1.12.1.3
    expect(await outcome(der)).toBe("KEY_ENCRYPTED");
  });
});
