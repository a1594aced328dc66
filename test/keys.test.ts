import { webcrypto } from "node:crypto";
import { runInNewContext } from "node:vm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type ApplePrivateKey,
  createAscToken,
  importAppleKey,
  isAscTokenError,
} from "../src/index.js";
import { makeP256, makeRejects, type P256Fixture } from "./helpers/keys.js";
import { verifies } from "./helpers/verify.js";

const keyId = "2X9R4HXF34";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";

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

/** `bytes` copied into a new SharedArrayBuffer. */
const shared = (bytes: Uint8Array): SharedArrayBuffer => {
  const buffer = new SharedArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return buffer;
};

describe("accepted key formats", () => {
  const forms: [string, (k: P256Fixture) => unknown][] = [
    ["Apple's 150-byte .p8 PEM (MIGTAgEA…)", (k) => k.applePem],
    ["Node/OpenSSL 138-byte PKCS#8 PEM (MIGHAgEA…)", (k) => k.pkcs8Pem],
    ["CRLF line endings", (k) => k.applePem.replace(/\n/g, "\r\n")],
    ["literal \\n escapes (env var)", (k) => k.applePem.replace(/\n/g, "\\n")],
    ["literal \\r\\n escapes", (k) => k.applePem.replace(/\n/g, "\\r\\n")],
    ["leading and trailing whitespace", (k) => `  \n\t${k.applePem}\n\n  `],
    ["a UTF-8 BOM", (k) => `\uFEFF${k.applePem}`],
    ["wrapped in double quotes", (k) => `"${k.applePem}"`],
    [
      "wrapped in single quotes with \\n escapes",
      (k) => `'${k.applePem.trim().replace(/\n/g, "\\n")}'`,
    ],
    ["JSON-stringified PEM", (k) => JSON.stringify(k.applePem)],
    ["one line, newlines turned to spaces", (k) => k.applePem.replace(/\n/g, " ")],
    ["bare base64 body", (k) => k.body],
    ["bare base64 body of the Apple form", (k) => k.appleDer.toString("base64")],
    ["bare base64 body with line breaks", (k) => (k.body.match(/.{1,64}/g) ?? []).join("\n")],
    ["base64url body", (k) => k.appleDer.toString("base64url")],
    ["base64 of the whole PEM file", (k) => Buffer.from(k.applePem).toString("base64")],
    ["SEC1 EC PRIVATE KEY PEM", (k) => k.sec1Pem],
    [
      "SEC1 after an EC PARAMETERS block",
      (k) =>
        `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${k.sec1Pem}`,
    ],
    ["PKCS#8 DER as Buffer", (k) => k.appleDer],
    ["PKCS#8 DER as ArrayBuffer", (k) => new Uint8Array(k.pkcs8Der).buffer],
    ["PKCS#8 DER as a DataView", (k) => new DataView(new Uint8Array(k.appleDer).buffer)],
    [
      "PKCS#8 DER at an offset in a larger buffer",
      (k) => new Uint8Array([9, 9, ...k.appleDer, 9]).subarray(2, 2 + k.appleDer.length),
    ],
    ["SEC1 DER bytes", (k) => k.sec1Der],
    ["the file's bytes (readFileSync without encoding)", (k) => Buffer.from(k.applePem)],
    ["double-escaped \\\\n (a secret escaped twice)", (k) => k.applePem.replace(/\n/g, "\\\\n")],
    ["PKCS#8 DER in a SharedArrayBuffer", (k) => shared(k.appleDer)],
    [
      "the file's bytes in a view of a SharedArrayBuffer",
      (k) => new Uint8Array(shared(Buffer.from(k.applePem))),
    ],
    [
      "an ArrayBuffer from another realm (a vm context, an iframe)",
      (k) =>
        runInNewContext("new Uint8Array(bytes).buffer", { bytes: [...k.appleDer] }) as ArrayBuffer,
    ],
  ];

  it.each(forms)("%s", async (_, form) => {
    const token = await mintWith(form(key));
    expect(verifies(token, key.publicKey)).toBe(true);
  });

  it("fixtures are the real-world shapes", () => {
    expect(key.appleDer.length).toBe(150);
    expect(key.appleDer.toString("base64")).toMatch(
      /^MIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg/,
    );
    expect(key.pkcs8Der.length).toBe(138);
    expect(key.body).toMatch(/^MIGHAgEA/);
  });

  it("an imported CryptoKey, from importAppleKey or from WebCrypto directly", async () => {
    const imported = await importAppleKey(key.applePem);
    expect(verifies(await mintWith(imported), key.publicKey)).toBe(true);
    const direct = await webcrypto.subtle.importKey(
      "pkcs8",
      key.pkcs8Der,
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["sign"],
    );
    expect(verifies(await mintWith(direct), key.publicKey)).toBe(true);
  });

  it("imports keys non-extractable", async () => {
    const imported = await importAppleKey(key.applePem);
    expect(imported.extractable).toBe(false);
    expect(imported.usages).toStrictEqual(["sign"]);
    await expect(webcrypto.subtle.exportKey("pkcs8", imported)).rejects.toThrow();
  });
});

describe("key cache", () => {
  it("imports the same key text once", async () => {
    const fresh = makeP256().applePem;
    const spy = vi.spyOn(crypto.subtle, "importKey");
    const [a, b] = await Promise.all([importAppleKey(fresh), importAppleKey(fresh)]);
    await mintWith(fresh);
    await mintWith(fresh);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(a).toBe(b);
  });

  it("tells different keys apart, text and bytes alike", async () => {
    const other = makeP256();
    const t1 = await mintWith(key.applePem);
    const t2 = await mintWith(other.applePem);
    const t3 = await mintWith(other.appleDer);
    expect(verifies(t1, key.publicKey)).toBe(true);
    expect(verifies(t2, other.publicKey)).toBe(true);
    expect(verifies(t3, other.publicKey)).toBe(true);
  });

  it("is bounded: many distinct keys do not pile up, and evicted keys still work", async () => {
    const keys = Array.from({ length: 40 }, () => makeP256());
    const spy = vi.spyOn(crypto.subtle, "importKey");
    for (const k of keys) await mintWith(k.applePem);
    expect(spy).toHaveBeenCalledTimes(40);
    await mintWith(keys[0]!.applePem); // long evicted: imported again
    expect(spy).toHaveBeenCalledTimes(41);
    await mintWith(keys[39]!.applePem); // recent: cached
    expect(spy).toHaveBeenCalledTimes(41);
  });

  it("does not cache a failure", async () => {
    const fresh = makeP256();
    const spy = vi
      .spyOn(crypto.subtle, "importKey")
      .mockRejectedValueOnce(new DOMException("boom", "OperationError"));
    await expect(mintWith(fresh.applePem)).rejects.toMatchObject({ code: "KEY_IMPORT_FAILED" });
    expect(verifies(await mintWith(fresh.applePem), fresh.publicKey)).toBe(true);
    expect(spy).toHaveBeenCalledTimes(2);
  });
});

describe("rejected keys", () => {
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
    [
      "random DER-looking bytes",
      "KEY_MALFORMED",
      () => new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]),
    ],
    [
      "DER with a bad length",
      "KEY_MALFORMED",
      () => Buffer.concat([key.appleDer.subarray(0, 149)]),
    ],
    ["RSA PKCS#8", "KEY_UNSUPPORTED_TYPE", () => rejects.rsaPkcs8],
    ["RSA PKCS#1", "KEY_UNSUPPORTED_TYPE", () => rejects.rsaPkcs1],
    ["Ed25519 PKCS#8", "KEY_UNSUPPORTED_TYPE", () => rejects.ed25519Pkcs8],
    ["P-384 PKCS#8", "KEY_UNSUPPORTED_CURVE", () => rejects.p384Pkcs8],
    ["P-384 SEC1", "KEY_UNSUPPORTED_CURVE", () => rejects.p384Sec1],
    ["P-521 PKCS#8", "KEY_UNSUPPORTED_CURVE", () => rejects.p521Pkcs8],
    ["secp256k1 PKCS#8", "KEY_UNSUPPORTED_CURVE", () => rejects.secp256k1Pkcs8],
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

  it("a CryptoKey without sign usage, of another curve or algorithm, or public", async () => {
    const verifyOnly = await webcrypto.subtle
      .importKey("pkcs8", key.pkcs8Der, { name: "ECDSA", namedCurve: "P-256" }, false, [])
      .catch(
        async () =>
          (
            await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, [
              "sign",
              "verify",
            ])
          ).publicKey,
      );
    const p384 = await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, false, [
      "sign",
    ]);
    const hmac = await webcrypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    const ecdh = await webcrypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, [
      "deriveBits",
    ]);
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
