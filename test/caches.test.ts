// The hot-path caches (issue 7) must never change what a token says: the header cache holds only
// frozen headers, bounded per key ID, and a CryptoKey is remembered only once it passed its check.
import { webcrypto } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ascHeader } from "../src/claims.js";
import { createAscToken } from "../src/index.js";
import { signJwt } from "../src/sign.js";
import { makeP256, type P256Fixture } from "./helpers/keys.js";
import { decodeToken, verifies } from "./helpers/verify.js";

let key: P256Fixture;
let cryptoKey: CryptoKey;
beforeAll(async () => {
  key = makeP256();
  cryptoKey = await webcrypto.subtle.importKey("pkcs8", key.pkcs8Der, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
});

describe("header cache", () => {
  it("ascHeader gives one frozen header per key ID", () => {
    const header = ascHeader("2X9R4HXF34");
    expect(ascHeader("2X9R4HXF34")).toBe(header);
    expect(Object.isFrozen(header)).toBe(true);
    expect(header).toStrictEqual({ alg: "ES256", kid: "2X9R4HXF34", typ: "JWT" });
  });

  it("many key IDs (more than are cached) each get their own header", async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `KEY${String(i).padStart(7, "0")}`);
    for (const keyId of [...ids, ...ids.slice(0, 3)]) {
      const token = await createAscToken({ keyId, privateKey: cryptoKey });
      expect(decodeToken(token).headerText).toBe(`{"alg":"ES256","kid":"${keyId}","typ":"JWT"}`);
      expect(verifies(token, key.publicKey)).toBe(true);
    }
  });

  it("signJwt encodes a header that is not frozen afresh every time", async () => {
    const header = { alg: "ES256", kid: "AAAAAAAAAA", typ: "JWT" };
    const first = await signJwt(header, { n: 1 }, cryptoKey);
    header.kid = "BBBBBBBBBB";
    const second = await signJwt(header, { n: 1 }, cryptoKey);
    expect(decodeToken(first).header.kid).toBe("AAAAAAAAAA");
    expect(decodeToken(second).header.kid).toBe("BBBBBBBBBB");
    expect(verifies(second, key.publicKey)).toBe(true);
  });
});

describe("checked CryptoKeys", () => {
  it("a refused CryptoKey is refused every time, a good one works every time", async () => {
    const verifyOnly = (await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"])).publicKey;
    for (let i = 0; i < 3; i++) {
      await expect(createAscToken({ keyId: "2X9R4HXF34", privateKey: verifyOnly })).rejects.toMatchObject({ code: "KEY_INVALID_CRYPTOKEY" });
      expect(verifies(await createAscToken({ keyId: "2X9R4HXF34", privateKey: cryptoKey }), key.publicKey)).toBe(true);
    }
  });
});
