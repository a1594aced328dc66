// The original promotional offer signature: checked against node:crypto and the openssl command
// line over payload bytes built here by hand, never by the code under test.
import { verify, webcrypto } from "node:crypto";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type PromotionalOfferSignatureOptions,
  createPromotionalOfferSignature,
  importAppleKey,
  toPromotionalOfferSignatureV1,
} from "../../src/index.js";
import { promotionalOfferPayload } from "../../src/kinds/promotional-offer.js";
import { missingTool, opensslVerify } from "../helpers/external.js";
import { NOW, bundleId, key, keyId, minter } from "../helpers/kinds.js";

const productId = "com.example.monthly";
const offerIdentifier = "WINBACK50";
const nonce = "6584bedf-2ed0-4c01-93ed-c0c64a1670cc";
const appAccountToken = "2f3c8a1e-7b4d-4e5f-9a0b-1c2d3e4f5a6b";

const sign = minter(createPromotionalOfferSignature, {
  bundleId,
  productId,
  offerIdentifier,
  nonce,
});

/** Apple's payload, written out here: the values joined by U+2063. */
const applePayload = (...values: (string | number)[]): Buffer =>
  Buffer.from(values.map(String).join("\u2063"), "utf8");

/** True when node:crypto verifies the base64 DER `signature` over `payload` with the fixture key. */
const nodeVerifies = (payload: Buffer, signature: string): boolean =>
  verify(
    "sha256",
    payload,
    { key: key().publicKey, dsaEncoding: "der" },
    Buffer.from(signature, "base64"),
  );

/** The error `promise` rejects with (the test fails if it resolves). */
const rejection = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error as Error,
  );

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (error: unknown) => (error as { code?: string }).code,
  );

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("promotionalOfferPayload", () => {
  it("joins the seven values by U+2063 in Apple's order", () => {
    expect(
      promotionalOfferPayload({
        bundleId: "com.example.app",
        keyId: "2X9R4HXF34",
        productId: "com.example.monthly",
        offerIdentifier: "WINBACK50",
        user: "2f3c8a1e-7b4d-4e5f-9a0b-1c2d3e4f5a6b",
        nonce: "6584bedf-2ed0-4c01-93ed-c0c64a1670cc",
        timestamp: 1795867200000,
      }),
    ).toBe(
      "com.example.app\u20632X9R4HXF34\u2063com.example.monthly\u2063WINBACK50\u2063" +
        "2f3c8a1e-7b4d-4e5f-9a0b-1c2d3e4f5a6b\u20636584bedf-2ed0-4c01-93ed-c0c64a1670cc\u20631795867200000",
    );
  });

  it("keeps an empty user as an empty field between two separators", () => {
    const text = promotionalOfferPayload({
      bundleId: "a.b",
      keyId: "2X9R4HXF34",
      productId: "p",
      offerIdentifier: "o",
      user: "",
      nonce: "6584bedf-2ed0-4c01-93ed-c0c64a1670cc",
      timestamp: 1,
    });
    expect(text).toBe(
      "a.b\u20632X9R4HXF34\u2063p\u2063o\u2063\u20636584bedf-2ed0-4c01-93ed-c0c64a1670cc\u20631",
    );
    expect(text.split("\u2063")).toHaveLength(7);
  });
});

describe("createPromotionalOfferSignature", () => {
  it("signs Apple's payload: DER, standard base64, verified by node:crypto", async () => {
    const offer = await sign({ appAccountToken });
    expect(offer).toStrictEqual({
      keyIdentifier: keyId,
      nonce,
      timestamp: NOW,
      signature: expect.any(String) as unknown,
      productId,
      offerIdentifier,
      appAccountToken,
    });
    const der = Buffer.from(offer.signature, "base64");
    expect(der.toString("base64"), "standard base64, padded").toBe(offer.signature);
    expect(der[0], "a DER SEQUENCE").toBe(0x30);
    expect(der[1]).toBe(der.length - 2);
    expect(
      nodeVerifies(
        applePayload(bundleId, keyId, productId, offerIdentifier, appAccountToken, nonce, NOW),
        offer.signature,
      ),
    ).toBe(true);
    // The check can fail: another timestamp is another payload.
    expect(
      nodeVerifies(
        applePayload(bundleId, keyId, productId, offerIdentifier, appAccountToken, nonce, NOW + 1),
        offer.signature,
      ),
    ).toBe(false);
  });

  it("verifies with the openssl command line over the exact payload bytes", async () => {
    const missing = missingTool("openssl");
    if (missing) throw new Error(missing);
    const offer = await sign({ applicationUsername: "user-42" });
    const publicKeyPem = key().publicKey.export({ type: "spki", format: "pem" }).toString();
    const run = (payload: Buffer): string =>
      opensslVerify(payload, Buffer.from(offer.signature, "base64"), publicKeyPem);
    const payload = applePayload(
      bundleId,
      keyId,
      productId,
      offerIdentifier,
      "user-42",
      nonce,
      NOW,
    );
    expect(run(payload)).toBe("Verified OK");
    expect(run(Buffer.concat([payload, Buffer.from("0")]))).toBe("Verification failure");
  });

  it("lower-cases appAccountToken and nonce, in the payload and the result", async () => {
    const offer = await sign({
      appAccountToken: appAccountToken.toUpperCase(),
      nonce: nonce.toUpperCase(),
    });
    expect(offer).toMatchObject({ appAccountToken, nonce });
    expect(
      nodeVerifies(
        applePayload(bundleId, keyId, productId, offerIdentifier, appAccountToken, nonce, NOW),
        offer.signature,
      ),
    ).toBe(true);
  });

  it("signs applicationUsername exactly as given, and an empty one as the empty field", async () => {
    for (const applicationUsername of ["User.Name_42", ""]) {
      const offer = await sign({ applicationUsername });
      expect(offer.applicationUsername).toBe(applicationUsername);
      expect(offer).not.toHaveProperty("appAccountToken");
      expect(
        nodeVerifies(
          applePayload(
            bundleId,
            keyId,
            productId,
            offerIdentifier,
            applicationUsername,
            nonce,
            NOW,
          ),
          offer.signature,
        ),
      ).toBe(true);
    }
  });

  it("signs the empty field when neither appAccountToken nor applicationUsername is given", async () => {
    const offer = await sign();
    expect(offer).not.toHaveProperty("appAccountToken");
    expect(offer).not.toHaveProperty("applicationUsername");
    expect(
      nodeVerifies(
        applePayload(bundleId, keyId, productId, offerIdentifier, "", nonce, NOW),
        offer.signature,
      ),
    ).toBe(true);
  });

  it("makes a fresh lower-case UUID nonce for each signature when none is given", async () => {
    const first = await sign({ nonce: undefined });
    const second = await sign({ nonce: undefined });
    expect(first.nonce).toMatch(/^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/);
    expect(second.nonce).not.toBe(first.nonce);
    expect(
      nodeVerifies(
        applePayload(bundleId, keyId, productId, offerIdentifier, "", first.nonce, NOW),
        first.signature,
      ),
    ).toBe(true);
  });

  it("takes the timestamp in ms from the same clock option as the tokens (no backdating)", async () => {
    expect((await sign({ now: new Date(NOW) })).timestamp).toBe(NOW);
    expect((await sign({ now: () => NOW + 0.75 })).timestamp).toBe(NOW);
    const before = Date.now();
    const { timestamp } = await sign({ now: undefined });
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Date.now());
    expect(Number.isInteger(timestamp)).toBe(true);
  });

  it("accepts an imported CryptoKey and leaves the options untouched", async () => {
    const options = Object.freeze({
      keyId,
      privateKey: await importAppleKey(key().applePem),
      bundleId,
      productId,
      offerIdentifier,
      nonce,
      now: () => NOW,
    });
    const offer = await createPromotionalOfferSignature(options);
    expect(
      nodeVerifies(
        applePayload(bundleId, keyId, productId, offerIdentifier, "", nonce, NOW),
        offer.signature,
      ),
    ).toBe(true);
  });

  it.each([
    ["options not an object", null, "INVALID_OPTIONS"],
    ["keyId lower case", { keyId: "2x9r4hxf34" }, "INVALID_KEY_ID"],
    ["keyId missing", { keyId: undefined }, "INVALID_KEY_ID"],
    ["bundleId empty", { bundleId: "" }, "INVALID_BUNDLE_ID"],
    ["bundleId with U+2063", { bundleId: "com.example\u2063app" }, "INVALID_BUNDLE_ID"],
    ["productId empty", { productId: "" }, "INVALID_PRODUCT_ID"],
    ["productId a number", { productId: 42 }, "INVALID_PRODUCT_ID"],
    ["productId with U+2063", { productId: "com.example\u2063monthly" }, "INVALID_PRODUCT_ID"],
    ["offerIdentifier missing", { offerIdentifier: undefined }, "INVALID_OFFER_IDENTIFIER"],
    ["offerIdentifier with U+2063", { offerIdentifier: "A\u2063B" }, "INVALID_OFFER_IDENTIFIER"],
    ["appAccountToken not a UUID", { appAccountToken: "user-42" }, "INVALID_APP_ACCOUNT_TOKEN"],
    ["appAccountToken empty", { appAccountToken: "" }, "INVALID_APP_ACCOUNT_TOKEN"],
    [
      "appAccountToken and applicationUsername",
      { appAccountToken, applicationUsername: "user-42" },
      "INVALID_APP_ACCOUNT_TOKEN",
    ],
    ["applicationUsername a number", { applicationUsername: 42 }, "INVALID_APPLICATION_USERNAME"],
    [
      "applicationUsername with U+2063",
      { applicationUsername: "a\u2063b" },
      "INVALID_APPLICATION_USERNAME",
    ],
    ["nonce not a UUID", { nonce: "once" }, "INVALID_NONCE"],
    ["nonce a UUID without dashes", { nonce: nonce.replaceAll("-", "") }, "INVALID_NONCE"],
    ["now in seconds", { now: () => NOW / 1000 }, "INVALID_NOW"],
    ["now an invalid Date", { now: new Date(NaN) }, "INVALID_NOW"],
    ["privateKey missing", { privateKey: undefined }, "KEY_MISSING"],
    ["privateKey not a key", { privateKey: "not a key" }, "KEY_MALFORMED"],
  ])("%s: %s", async (_name, extra, code) => {
    const promise =
      extra === null
        ? createPromotionalOfferSignature(null as unknown as PromotionalOfferSignatureOptions)
        : sign(extra);
    expect(await codeOf(promise)).toBe(code);
  });

  it("names the mistake without echoing the value", async () => {
    const secret = "sk_live_0123456789abcdef\u2063";
    const error = await rejection(sign({ productId: secret }));
    expect(error.message).toBe(
      "productId must be the subscription's product ID, without U+2063 (the separator); got a string holding U+2063",
    );
    const other = await rejection(sign({ appAccountToken: "sk_live_0123456789abcdef" }));
    expect(other.message).not.toContain("sk_live");
    expect(other.message).toContain("a string of 24 characters");
  });

  it("CRYPTO_UNAVAILABLE without crypto.randomUUID and no nonce", async () => {
    vi.stubGlobal("crypto", { subtle: webcrypto.subtle });
    expect(await codeOf(sign({ nonce: undefined }))).toBe("CRYPTO_UNAVAILABLE");
    expect(await codeOf(sign())).toBeUndefined(); // with a nonce it needs no randomUUID
  });

  it("SIGN_FAILED when WebCrypto refuses to sign, with its error as cause", async () => {
    const privateKey = await importAppleKey(key().applePem);
    const refusal = new Error("refused");
    vi.stubGlobal("crypto", { subtle: { sign: () => Promise.reject(refusal) } });
    const error = await rejection(sign({ privateKey }));
    expect(error).toMatchObject({ code: "SIGN_FAILED", cause: refusal });
  });

  it("property: random valid inputs give a signature node:crypto verifies", async () => {
    const part = fc
      .string({ unit: "grapheme", minLength: 1, maxLength: 30 })
      .filter((text) => !text.includes("\u2063"));
    const user = fc.oneof(
      fc.constant({}),
      fc.uuid().map((id) => ({ appAccountToken: id.toUpperCase() })),
      fc
        .string({ unit: "grapheme", maxLength: 30 })
        .filter((text) => !text.includes("\u2063"))
        .map((name) => ({ applicationUsername: name })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9-]{1,12}(\.[A-Za-z0-9-]{1,12}){0,3}$/),
        part,
        part,
        user,
        fc.uuid(),
        fc.integer({ min: Date.UTC(2018, 0, 1), max: 8.64e15 }),
        async (bundle, product, offerId, who, id, ms) => {
          const offer = await sign({
            bundleId: bundle,
            productId: product,
            offerIdentifier: offerId,
            nonce: id,
            now: new Date(ms),
            ...who,
          });
          const signed =
            "appAccountToken" in who
              ? who.appAccountToken.toLowerCase()
              : "applicationUsername" in who
                ? who.applicationUsername
                : "";
          expect(offer.timestamp).toBe(ms);
          expect(
            nodeVerifies(
              applePayload(bundle, keyId, product, offerId, signed, id.toLowerCase(), ms),
              offer.signature,
            ),
          ).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("toPromotionalOfferSignatureV1", () => {
  it("renames the fields for Retention Messaging's promotionalOfferSignatureV1", async () => {
    const offer = await sign({ appAccountToken });
    expect(toPromotionalOfferSignatureV1(offer)).toStrictEqual({
      encodedSignature: offer.signature,
      productId,
      nonce,
      timestamp: NOW,
      keyId,
      offerIdentifier,
      appAccountToken,
    });
    expect(toPromotionalOfferSignatureV1(await sign())).not.toHaveProperty("appAccountToken");
  });

  it("refuses a signature made with applicationUsername: Retention Messaging has no such field", async () => {
    const offer = await sign({ applicationUsername: "user-42" });
    expect(() => toPromotionalOfferSignatureV1(offer)).toThrow(
      expect.objectContaining({ code: "INVALID_APPLICATION_USERNAME" }),
    );
  });
});
