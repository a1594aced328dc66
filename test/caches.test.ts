// The hot-path caches (issue 7) must never change what a token says: the header cache is bounded
// per key ID, the last signing input is reused only for the same header and claims, and a
// CryptoKey is remembered only once it passed its check.
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
  cryptoKey = await webcrypto.subtle.importKey(
    "pkcs8",
    key.pkcs8Der,
    { name: "ECDSA", namedCurve: "P-256" },
    false,
    ["sign"],
  );
});

describe("header cache", () => {
  it("ascHeader gives the encoded header, exactly Apple's JSON, per key ID", () => {
    const header = ascHeader("2X9R4HXF34");
    expect(ascHeader("2X9R4HXF34")).toBe(header);
    expect(Buffer.from(header, "base64url").toString()).toBe(
      '{"alg":"ES256","kid":"2X9R4HXF34","typ":"JWT"}',
    );
    expect(() => ascHeader("2x9r4hxf34")).toThrow(
      expect.objectContaining({ code: "INVALID_KEY_ID" }),
    );
  });

  it("many key IDs (more than are cached) each get their own header", async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `KEY${String(i).padStart(7, "0")}`);
    for (const keyId of [...ids, ...ids.slice(0, 3)]) {
      const token = await createAscToken({ keyId, privateKey: cryptoKey });
      expect(decodeToken(token).headerText).toBe(`{"alg":"ES256","kid":"${keyId}","typ":"JWT"}`);
      expect(verifies(token, key.publicKey)).toBe(true);
    }
  });

  it("signJwt encodes the header afresh every time: a changed header is signed as it now is", async () => {
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
    const verifyOnly = (
      await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, [
        "sign",
        "verify",
      ])
    ).publicKey;
    for (let i = 0; i < 3; i++) {
      await expect(
        createAscToken({ keyId: "2X9R4HXF34", privateKey: verifyOnly }),
      ).rejects.toMatchObject({ code: "KEY_INVALID_CRYPTOKEY" });
      expect(
        verifies(
          await createAscToken({ keyId: "2X9R4HXF34", privateKey: cryptoKey }),
          key.publicKey,
        ),
      ).toBe(true);
    }
  });
});

describe("signing-input reuse", () => {
  const issuers = ["57246542-96fe-1a63-e053-0824d011072a", "69a6de7f-3a66-47e3-e053-5b8c7c11a4d1"];

  it("tokens minted at once, with options alternating, each carry their own claims", async () => {
    const now = () => 1_800_000_000_000;
    const options = Array.from({ length: 24 }, (_, i) => ({
      keyId: i % 3 ? "2X9R4HXF34" : "AAAAAAAAAA",
      privateKey: i % 2 ? cryptoKey : key.applePem,
      now,
      ...(i % 4 === 3 ? {} : { issuerId: issuers[i % 2] }),
      ...(i % 5 === 4 ? { scope: ["GET /v1/apps"] } : {}),
    }));
    const tokens = await Promise.all(options.map((o) => createAscToken(o)));
    tokens.forEach((token, i) => {
      const o = options[i]!;
      const decoded = decodeToken(token);
      expect(decoded.headerText).toBe(`{"alg":"ES256","kid":"${o.keyId}","typ":"JWT"}`);
      expect(decoded.claims).toStrictEqual({
        ...(o.issuerId === undefined ? { sub: "user" } : { iss: o.issuerId }),
        iat: 1_799_999_940,
        exp: 1_800_001_080,
        aud: "appstoreconnect-v1",
        ...(o.scope ? { scope: o.scope } : {}),
      });
      expect(verifies(token, key.publicKey)).toBe(true);
    });
  });

  it("the same options a second later give a token dated a second later", async () => {
    let ms = 1_800_000_000_000;
    const options = {
      keyId: "2X9R4HXF34",
      issuerId: issuers[0],
      privateKey: cryptoKey,
      now: () => ms,
    };
    const first = decodeToken(await createAscToken(options)).claims;
    const again = decodeToken(await createAscToken(options)).claims;
    ms += 1000;
    const later = decodeToken(await createAscToken(options)).claims;
    expect(again).toStrictEqual(first);
    expect(later).toMatchObject({ iat: (first.iat as number) + 1, exp: (first.exp as number) + 1 });
  });
});
