// In-app claims are copied once into plain data, and that copy is checked and signed: no depth
// throws a raw RangeError, and a Proxy that answers differently on a second read signs nothing.
import { describe, expect, it } from "vitest";
import { createInAppSignature } from "../../src/index.js";
import { bundleId, issuerId, key, keyId, NOW, opened } from "../helpers/kinds.js";

const mint = (claims: Record<string, unknown>) =>
  createInAppSignature({
    keyId,
    issuerId,
    bundleId,
    audience: "promotional-offer",
    privateKey: key().applePem,
    now: () => NOW,
    claims,
  });

const nested = (depth: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

describe("in-app claims", () => {
  it.each([65, 3_750, 4_249, 100_000])(
    "nested %i deep: INVALID_CLAIMS, not a RangeError",
    async (depth) => {
      await expect(mint(nested(depth))).rejects.toMatchObject({
        code: "INVALID_CLAIMS",
        message: expect.stringMatching(/nesting deeper than 64 levels$/) as unknown,
      });
    },
  );

  it("nested 60 deep: signed", async () => {
    expect(opened(await mint(nested(60))).claims).toHaveProperty("a");
  });

  it("a Proxy whose keys change between reads cannot set iss", async () => {
    let reads = 0;
    const claims = new Proxy(
      {},
      {
        ownKeys: () => (reads++ === 0 ? ["productId"] : ["productId", "iss"]),
        getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true, value: "x" }),
        get: (_, name) => (name === "iss" ? "attacker" : "p"),
      },
    );
    const token = await mint(claims).catch((e: unknown) => e);
    if (typeof token === "string") expect(opened(token).claims.iss).toBe(issuerId);
    else expect(token).toMatchObject({ code: "INVALID_CLAIMS" });
    // Either way, the keys were read once.
    expect(reads).toBe(1);
  });

  it("a getter is read once and its value signed", async () => {
    let reads = 0;
    const claims = {
      get productId() {
        return reads++ === 0 ? "p" : { iss: "attacker" };
      },
    };
    expect(opened(await mint(claims)).claims.productId).toBe("p");
    expect(reads).toBe(1);
  });

  it("a getter that throws: INVALID_CLAIMS, with the error as cause", async () => {
    const boom = new Error("boom");
    const claims = {
      get productId(): string {
        throw boom;
      },
    };
    await expect(mint(claims)).rejects.toMatchObject({ code: "INVALID_CLAIMS", cause: boom });
  });

  it("a cycle: INVALID_CLAIMS naming where", async () => {
    const claims: Record<string, unknown> = { request: {} };
    (claims.request as Record<string, unknown>).self = claims;
    await expect(mint(claims)).rejects.toThrow(/claims.request.self must .*a cycle/);
  });
});
