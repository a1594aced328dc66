// How keys are held: imported CryptoKeys cannot be exported, the caller's objects are neither
// changed nor kept, and the import cache is bounded (16 keys, least recently used out first).
import { webcrypto } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type ApplePrivateKey,
  type AppleSigner,
  createAscToken,
  importAppleKey,
} from "../src/index.js";
import { makeP256, type P256Fixture } from "./helpers/keys.js";
import { decodeToken, verifies } from "./helpers/verify.js";

const keyId = "2X9R4HXF34";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";
const CACHE_SIZE = 16; // documented in the README and importAppleKey's JSDoc

let key: P256Fixture;
beforeAll(() => {
  key = makeP256();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("imported keys are non-extractable", () => {
  const forms: [string, (k: P256Fixture) => Exclude<ApplePrivateKey, AppleSigner>][] = [
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

  it("a CryptoKey the caller passes is used as is, not re-imported or copied", async () => {
    const own = await webcrypto.subtle.importKey(
      "pkcs8",
      key.pkcs8Der,
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["sign"],
    );
    const spy = vi.spyOn(globalThis.crypto.subtle, "importKey");
    expect(await importAppleKey(own)).toBe(own);
    expect(verifies(await createAscToken({ keyId, privateKey: own }), key.publicKey)).toBe(true);
    expect(spy).not.toHaveBeenCalled();
  });
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

describe("the import cache is bounded", () => {
  const pems = (n: number) => Array.from({ length: n }, () => makeP256().applePem);

  it(`holds exactly ${String(CACHE_SIZE)} keys and drops the least recently used`, async () => {
    const spy = vi.spyOn(globalThis.crypto.subtle, "importKey");
    const keys = pems(CACHE_SIZE + 1);
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

  it("300 distinct keys: each imported once, then only the last 16 are still cached", async () => {
    const spy = vi.spyOn(globalThis.crypto.subtle, "importKey");
    const keys = pems(300);
    for (const pem of keys) await importAppleKey(pem);
    expect(spy).toHaveBeenCalledTimes(300);
    for (const pem of keys.slice(-CACHE_SIZE)) await importAppleKey(pem);
    expect(spy).toHaveBeenCalledTimes(300);
    for (const pem of keys.slice(0, 10)) await importAppleKey(pem);
    expect(spy).toHaveBeenCalledTimes(310);
  });

  it("evicted keys can be garbage-collected: the cache holds no reference to them", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const refs: WeakRef<CryptoKey>[] = [];
    for (const pem of pems(3 * CACHE_SIZE)) refs.push(new WeakRef(await importAppleKey(pem)));
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
