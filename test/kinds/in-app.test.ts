import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createInAppSignature } from "../../src/index.js";
import { NOW, bundleId, frozen, issuerId, minter, opened } from "../helpers/kinds.js";

const nonce = "6584bedf-2ed0-4c01-93ed-c0c64a1670cc";
const mint = minter(createInAppSignature, {
  issuerId,
  bundleId,
  audience: "promotional-offer",
  nonce,
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("createInAppSignature", () => {
  it.each(["advanced-commerce-api", "promotional-offer", "introductory-offer-eligibility"])(
    "audience %s",
    async (audience) => {
      expect(
        opened(await mint({ audience, claims: { request: "eyJhIjoxfQ==" } })).claims,
      ).toMatchObject({ aud: audience, request: "eyJhIjoxfQ==" });
    },
  );

  it("passes feature claims of any JSON type through unchanged", async () => {
    const claims = {
      productId: "p",
      allowIntroductoryOffer: false,
      count: 0,
      nested: { a: [1, "b", null] },
    };
    expect(
      opened(await mint({ audience: "introductory-offer-eligibility", claims: frozen(claims) }))
        .claims,
    ).toMatchObject(claims);
  });

  it("generates a fresh UUID nonce with crypto.randomUUID when none is given", async () => {
    const a = opened(await mint({ nonce: undefined })).claims.nonce as string;
    const b = opened(await mint({ nonce: undefined })).claims.nonce as string;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it("CRYPTO_UNAVAILABLE without crypto.randomUUID, unless a nonce is given", async () => {
    vi.stubGlobal("crypto", { subtle: globalThis.crypto.subtle });
    await expect(mint({ nonce: undefined })).rejects.toMatchObject({ code: "CRYPTO_UNAVAILABLE" });
    expect(opened(await mint()).claims.nonce).toBe(nonce);
  });

  it.each([
    ["issuerId missing", { issuerId: undefined }, "INVALID_ISSUER_ID"],
    ["bundleId missing", { bundleId: undefined }, "INVALID_BUNDLE_ID"],
    ["audience missing", { audience: undefined }, "INVALID_AUDIENCE"],
    [
      "audience of the App Store Server API",
      { audience: "appstoreconnect-v1" },
      "INVALID_AUDIENCE",
    ],
    ["nonce not a UUID", { nonce: "nonce-1" }, "INVALID_NONCE"],
    ["nonce empty", { nonce: "" }, "INVALID_NONCE"],
    ["claims an array", { claims: [1] }, "INVALID_CLAIMS"],
    ["claims a string", { claims: "productId=p" }, "INVALID_CLAIMS"],
    ["claims null", { claims: null }, "INVALID_CLAIMS"],
    ["claims with exp", { claims: { exp: NOW / 1000 + 60 } }, "INVALID_CLAIMS"],
    ["claims overriding iss", { claims: { iss: "someone else" } }, "INVALID_CLAIMS"],
    ["claims overriding aud", { claims: { aud: "advanced-commerce-api" } }, "INVALID_CLAIMS"],
    ["claims overriding nonce", { claims: { nonce } }, "INVALID_CLAIMS"],
    ["claims overriding bid", { claims: { bid: "com.other" } }, "INVALID_CLAIMS"],
    ["claims overriding iat", { claims: { iat: 0 } }, "INVALID_CLAIMS"],
    ["claims with a BigInt", { claims: { transactionId: 1n } }, "INVALID_CLAIMS"],
    [
      "claims a Map (would spread to {})",
      { claims: new Map([["productId", "p"]]) },
      "INVALID_CLAIMS",
    ],
    ["claims a Date", { claims: new Date(NOW) }, "INVALID_CLAIMS"],
    [
      "claims with a function (would vanish from the JSON)",
      { claims: { productId: () => "p" } },
      "INVALID_CLAIMS",
    ],
    ["claims with a symbol", { claims: { productId: Symbol("p") } }, "INVALID_CLAIMS"],
  ])("%s → %s", async (_, extra, code) => {
    await expect(mint(extra)).rejects.toMatchObject({ code });
  });

  it("says what the claims were instead of a plain object", async () => {
    await expect(mint({ claims: new Map() })).rejects.toThrow(
      /claims must be a plain object .*; got a Map$/,
    );
    await expect(mint({ claims: { productId: () => "p" } })).rejects.toThrow(
      /claims.productId must be a JSON value .*; got a function$/,
    );
    await expect(
      mint({ claims: { request: { items: [{ when: new Date(NOW) }] } } }),
    ).rejects.toThrow(/claims.request.items\[0\].when must be a JSON value .*; got a Date$/);
    await expect(mint({ claims: { request: { sizes: new Map([[1, 2]]) } } })).rejects.toThrow(
      /claims.request.sizes must .*; got a Map$/,
    );
    await expect(mint({ claims: { price: Number.NaN } })).rejects.toThrow(
      /claims.price must .*; got NaN$/,
    );
    class Offer {
      productId = "p";
    }
    await expect(
      mint({ claims: new Offer() as unknown as Record<string, unknown> }),
    ).rejects.toThrow(/claims must be a plain object .*; got a class instance$/);
    await expect(mint({ claims: { list: [1, undefined] } })).rejects.toThrow(
      /claims.list\[1\] must .*; got undefined$/,
    );
  });

  it("takes nested JSON: objects, arrays, strings, numbers, booleans, null", async () => {
    const claims = {
      request: {
        items: [{ sku: "a", price: 1.5, gift: false, note: null }],
        nested: { deep: [[1], []] },
      },
    };
    expect(opened(await mint({ claims })).claims).toMatchObject(claims);
  });

  it("takes claims from another realm (a vm context, an iframe)", async () => {
    const claims = runInNewContext('({ productId: "p", offerIdentifier: "o" })') as Record<
      string,
      unknown
    >;
    expect(opened(await mint({ claims })).claims).toMatchObject({
      productId: "p",
      offerIdentifier: "o",
    });
  });

  it("takes claims without a prototype, and leaves out undefined ones", async () => {
    const claims = Object.assign(Object.create(null) as Record<string, unknown>, {
      productId: "p",
      transactionId: undefined,
    });
    expect(opened(await mint({ claims })).claims).toMatchObject({ productId: "p" });
    expect(opened(await mint({ claims })).claims).not.toHaveProperty("transactionId");
  });

  it("writes the nonce in lower case, as Apple's libraries do", async () => {
    expect(opened(await mint({ nonce: nonce.toUpperCase() })).claims.nonce).toBe(nonce);
  });

  it("says why exp is refused", async () => {
    await expect(mint({ claims: { exp: 1 } })).rejects.toThrow(/Apple fails an in-app JWS/);
  });

  it("refuses cyclic claims", async () => {
    const cyclic: Record<string, unknown> = { productId: "p" };
    cyclic.self = { back: cyclic };
    await expect(mint({ claims: cyclic })).rejects.toMatchObject({ code: "INVALID_CLAIMS" });
  });
});
