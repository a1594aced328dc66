// Every form an Apple key reaches asc-token in is read to the same key: PEM (Apple's .p8, PKCS#8,
// SEC1) with the damage env vars and secret stores do to it, DER in every kind of buffer, a
// CryptoKey. Imported keys cannot be exported, the caller's objects are neither changed nor kept,
// and the import cache is bounded (16 keys, least recently used out first).
import { webcrypto } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type ApplePrivateKey,
  type SignerKey,
  createAscToken,
  importAppleKey,
} from "../../src/index.js";
import { issuerId, keyId } from "../helpers/kinds.js";
import { makeP256, type P256Fixture, webCryptoKey } from "../helpers/keys.js";
import { decodeToken, verifies } from "../helpers/verify.js";

const CACHE_SIZE = 16; // documented in the README and importAppleKey's JSDoc

let key: P256Fixture;
beforeAll(() => {
  key = makeP256();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const mintWith = (privateKey: unknown) =>
  createAscToken({ keyId, issuerId, privateKey: privateKey as ApplePrivateKey });

/** `bytes` copied into a new SharedArrayBuffer. */
const shared = (bytes: Uint8Array): SharedArrayBuffer => {
  const buffer = new SharedArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return buffer;
};

const EC_PARAMETERS =
  "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
const CERTIFICATE = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

describe("accepted key forms", () => {
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
    ["SEC1 after an EC PARAMETERS block", (k) => EC_PARAMETERS + k.sec1Pem],
    ["a certificate after the key", (k) => k.applePem + CERTIFICATE],
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

  it("a CryptoKey from importAppleKey signs", async () => {
    const imported = await importAppleKey(key.applePem);
    expect(verifies(await mintWith(imported), key.publicKey)).toBe(true);
  });

  it("a CryptoKey the caller passes is used as is, not re-imported or copied", async () => {
    const own = await webCryptoKey(key.pkcs8Der);
    const spy = vi.spyOn(globalThis.crypto.subtle, "importKey");
    expect(await importAppleKey(own)).toBe(own);
    expect(verifies(await createAscToken({ keyId, privateKey: own }), key.publicKey)).toBe(true);
    expect(spy).not.toHaveBeenCalled();
  });
});

describe("imported keys are non-extractable", () => {
  const forms: [string, (k: P256Fixture) => Exclude<ApplePrivateKey, SignerKey>][] = [
    ["Apple's .p8 PEM", (k) => k.applePem],
    ["PKCS#8 PEM", (k) => k.pkcs8Pem],
    ["SEC1 PEM", (k) => k.sec1Pem],
    ["DER bytes", (k) => k.appleDer],
    ["bare base64 body", (k) => k.body],
  ];

  it.each(forms)(
    "%s: a private ECDSA P-256 signing key that no format exports",
    async (_, form) => {
      const imported = await importAppleKey(form(key));
      expect(imported).toBeInstanceOf(globalThis.CryptoKey);
      expect(imported.type).toBe("private");
      expect(imported.extractable).toBe(false);
      expect(imported.usages).toStrictEqual(["sign"]);
      expect(imported.algorithm).toStrictEqual({ name: "ECDSA", namedCurve: "P-256" });
      for (const format of ["pkcs8", "jwk", "raw", "spki"] as const) {
        const exported =
          format === "jwk"
            ? webcrypto.subtle.exportKey(format, imported)
            : webcrypto.subtle.exportKey(format, imported);
        await expect(exported, format).rejects.toThrow(/not extractable/);
      }
    },
  );
});

describe("the caller's objects are never changed or kept", () => {
  it("deeply frozen options and scope are accepted as they are", async () => {
    const now = Object.freeze(new Date(Date.UTC(2026, 10, 28)));
    const scope = Object.freeze(["GET /v1/apps", "GET /v1/builds?limit=5"] as const);
    const options = Object.freeze({
      keyId,
      issuerId,
      privateKey: key.applePem,
      scope,
      now,
      expiresIn: 600,
      clockTolerance: 30,
      audience: "appstoreconnect-v1" as const,
    });
    const before = JSON.stringify(options);
    const token = await createAscToken(options);
    expect(JSON.stringify(options)).toBe(before);
    expect(decodeToken(token).claims.scope).toStrictEqual([...scope]);
    expect(verifies(token, key.publicKey)).toBe(true);
  });

  it("changing the scope array after minting does not change a token's claims", async () => {
    const scope = ["GET /v1/apps"];
    const token = await createAscToken({ keyId, issuerId, privateKey: key.applePem, scope });
    scope.push("POST /v1/apps");
    scope[0] = "DELETE /v1/apps";
    expect(decodeToken(token).claims.scope).toStrictEqual(["GET /v1/apps"]);
  });

  it.each([
    ["Uint8Array", (b: Buffer) => new Uint8Array(b)],
    ["ArrayBuffer", (b: Buffer) => new Uint8Array(b).buffer],
    ["DataView", (b: Buffer) => new DataView(new Uint8Array(b).buffer)],
    [
      "Buffer of the PEM text",
      (b: Buffer) =>
        Buffer.from(
          `-----BEGIN PRIVATE KEY-----\n${b.toString("base64")}\n-----END PRIVATE KEY-----\n`,
        ),
    ],
  ] as const)("key bytes (%s) are read, not changed, and not kept", async (_, make) => {
    const fresh = makeP256();
    const input = make(fresh.appleDer);
    const view =
      input instanceof ArrayBuffer
        ? new Uint8Array(input)
        : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    const copy = Uint8Array.from(view);
    const pending = importAppleKey(input);
    expect(view).toStrictEqual(copy); // not changed
    view.fill(0); // the caller wipes its buffer at once, before the import finishes
    const imported = await pending;
    expect(verifies(await createAscToken({ keyId, privateKey: imported }), fresh.publicKey)).toBe(
      true,
    );
  });

  it("errors keep no reference to the input", async () => {
    const secret = makeP256().applePem.replace("MIG", "M*G");
    const error = (await importAppleKey(secret).catch((e: unknown) => e)) as Error;
    expect(Object.getOwnPropertyNames(error).sort()).toStrictEqual([
      "code",
      "message",
      "name",
      "stack",
    ]);
    for (const name of Object.getOwnPropertyNames(error))
      expect((error as unknown as Record<string, unknown>)[name]).not.toBe(secret);
  });
});

describe("the import cache", () => {
  const fixtures = (n: number) => Array.from({ length: n }, () => makeP256());

  it("imports the same key text once, concurrent callers alike", async () => {
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

  it("exact: a text spelling cached key bytes in decimal is read as text, never served their key", async () => {
    const fresh = makeP256();
    await importAppleKey(fresh.appleDer);
    const spy = vi.spyOn(crypto.subtle, "importKey");
    const spelled = Array.from(fresh.appleDer).join();
    await expect(importAppleKey(spelled)).rejects.toMatchObject({ code: "KEY_MALFORMED" });
    // The bytes' own entry is still there: no new import.
    expect(verifies(await mintWith(fresh.appleDer), fresh.publicKey)).toBe(true);
    expect(spy).not.toHaveBeenCalled();
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

  it(`holds exactly ${String(CACHE_SIZE)} keys and drops the least recently used`, async () => {
    const spy = vi.spyOn(globalThis.crypto.subtle, "importKey");
    const keys = fixtures(CACHE_SIZE + 1).map((k) => k.applePem);
    for (const pem of keys.slice(0, CACHE_SIZE)) await importAppleKey(pem);
    expect(spy).toHaveBeenCalledTimes(CACHE_SIZE);
    for (const pem of keys.slice(0, CACHE_SIZE)) await importAppleKey(pem); // all still cached
    expect(spy).toHaveBeenCalledTimes(CACHE_SIZE);

    await importAppleKey(keys[0]!); // touch the oldest: now the most recently used
    await importAppleKey(keys[CACHE_SIZE]!); // one more key: evicts keys[1], not keys[0]
    expect(spy).toHaveBeenCalledTimes(CACHE_SIZE + 1);
    await importAppleKey(keys[0]!);
    expect(spy).toHaveBeenCalledTimes(CACHE_SIZE + 1);
    await importAppleKey(keys[1]!); // evicted: imported again
    expect(spy).toHaveBeenCalledTimes(CACHE_SIZE + 2);
  });

  it("300 distinct keys: each imported once, then only the last 16 are cached; evicted keys still sign", async () => {
    const spy = vi.spyOn(globalThis.crypto.subtle, "importKey");
    const keys = fixtures(300);
    for (const k of keys) await mintWith(k.applePem);
    expect(spy).toHaveBeenCalledTimes(300);
    for (const k of keys.slice(-CACHE_SIZE)) await importAppleKey(k.applePem);
    expect(spy).toHaveBeenCalledTimes(300);
    for (const k of keys.slice(0, 10)) await importAppleKey(k.applePem);
    expect(spy).toHaveBeenCalledTimes(310);
    expect(verifies(await mintWith(keys[0]!.applePem), keys[0]!.publicKey)).toBe(true);
    expect(spy).toHaveBeenCalledTimes(310); // just imported again: cached
  });

  it("evicted keys can be garbage-collected: the cache holds no reference to them", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const refs: WeakRef<CryptoKey>[] = [];
    for (const { applePem } of fixtures(3 * CACHE_SIZE))
      refs.push(new WeakRef(await importAppleKey(applePem)));
    await new Promise((resolve) => setTimeout(resolve, 0)); // WeakRefs hold their target until the job ends
    gc();
    const alive = refs.map((ref) => ref.deref() !== undefined);
    expect(alive.slice(-CACHE_SIZE).every(Boolean), "the 16 cached keys are alive").toBe(true);
    expect(
      alive.slice(0, 2 * CACHE_SIZE).filter(Boolean).length,
      "evicted keys still reachable",
    ).toBe(0);
  });
});
