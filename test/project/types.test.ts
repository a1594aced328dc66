// Type tests for the public API. `tsc -p test/tsconfig.json` (npm run typecheck) checks every
// expectTypeOf and @ts-expect-error line; the runtime assertions beside them run in vitest.
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type AscAudience,
  type ApplePrivateKey,
  type AppleSigner,
  type SignerKey,
  type AppleVerifierOptions,
  AscTokenError,
  type AscTokenErrorCode,
  type AscTokenOptions,
  type Clock,
  createAscToken,
  createAppleVerifier,
  importAppleKey,
  isAscTokenError,
  signerKey,
} from "../../src/index.js";
import { allErrorCodes } from "../helpers/codes.js";

describe("AscTokenOptions", () => {
  it("needs only keyId and privateKey; issuerId is optional (individual keys)", () => {
    expectTypeOf<{ keyId: string; privateKey: string }>().toExtend<AscTokenOptions>();
    expectTypeOf<AscTokenOptions["issuerId"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<AscTokenOptions>().toHaveProperty("keyId").toEqualTypeOf<string>();
    expectTypeOf<{ issuerId: string; privateKey: string }>().not.toExtend<AscTokenOptions>();
    expectTypeOf<{ keyId: string; issuerId: string }>().not.toExtend<AscTokenOptions>();
    const individual: AscTokenOptions = { keyId: "2X9R4HXF34", privateKey: "…" };
    expect(individual.issuerId).toBeUndefined();
  });

  it("scope is a readonly string array: frozen and `as const` arrays are accepted", () => {
    expectTypeOf<AscTokenOptions["scope"]>().toEqualTypeOf<readonly string[] | undefined>();
    expectTypeOf<readonly ["GET /v1/apps"]>().toExtend<NonNullable<AscTokenOptions["scope"]>>();
    const scope = Object.freeze(["GET /v1/apps"]);
    const options: AscTokenOptions = { keyId: "2X9R4HXF34", privateKey: "…", scope };
    expect(Object.isFrozen(options.scope)).toBe(true);
  });

  it("privateKey takes text, bytes, a CryptoKey or a signerKey, never a bare signer", () => {
    expectTypeOf<AscTokenOptions["privateKey"]>().toEqualTypeOf<ApplePrivateKey>();
    expectTypeOf<ApplePrivateKey>().toEqualTypeOf<
      string | ArrayBuffer | ArrayBufferView | CryptoKey | SignerKey
    >();
    expectTypeOf<Uint8Array>().toExtend<ApplePrivateKey>();
    expectTypeOf<DataView>().toExtend<ApplePrivateKey>();
    expectTypeOf<number>().not.toExtend<ApplePrivateKey>();
    // A signer reaches privateKey only through signerKey(), which checks what it returns.
    expectTypeOf<AppleSigner>().not.toExtend<ApplePrivateKey>();
  });

  it("audience is one of Apple's two, and now is a Clock", () => {
    expectTypeOf<AscAudience>().toEqualTypeOf<
      "appstoreconnect-v1" | "apple-developer-enterprise-v1"
    >();
    expectTypeOf<AscTokenOptions["audience"]>().toEqualTypeOf<AscAudience | undefined>();
    expectTypeOf<AscTokenOptions["now"]>().toEqualTypeOf<Clock | undefined>();
    expectTypeOf<Clock>().toEqualTypeOf<(() => number) | Date | number>();
    expectTypeOf<AscTokenOptions["expiresIn"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<AscTokenOptions["clockTolerance"]>().toEqualTypeOf<number | undefined>();
  });

  it("rejects wrong types at compile time (and at run time)", async () => {
    const bad: AscTokenOptions[] = [
      // @ts-expect-error keyId must be a string
      { keyId: 1234567890, privateKey: "…" },
      // @ts-expect-error scope is an array, not a string
      { keyId: "2X9R4HXF34", privateKey: "…", scope: "GET /v1/apps" },
      // @ts-expect-error audience is one of two literals
      { keyId: "2X9R4HXF34", privateKey: "…", audience: "appstoreconnect-v2" },
      // @ts-expect-error issuerId is left out for an individual key, never given as undefined
      { keyId: "2X9R4HXF34", privateKey: "…", issuerId: undefined },
      // @ts-expect-error now is a Clock, not a date string
      { keyId: "2X9R4HXF34", privateKey: "…", now: "2026-11-28T12:00:00Z" },
    ];
    for (const options of bad)
      await expect(createAscToken(options)).rejects.toBeInstanceOf(AscTokenError);
  });
});

describe("functions and errors", () => {
  it("createAscToken resolves a string; importAppleKey a CryptoKey", () => {
    expectTypeOf(createAscToken).parameter(0).toEqualTypeOf<AscTokenOptions>();
    expectTypeOf(createAscToken).returns.toEqualTypeOf<Promise<string>>();
    expectTypeOf(importAppleKey).parameter(0).toEqualTypeOf<ApplePrivateKey>();
    expectTypeOf(() => importAppleKey("…")).returns.toEqualTypeOf<Promise<CryptoKey>>();
    expectTypeOf(() => importAppleKey(new Uint8Array(0))).returns.toEqualTypeOf<
      Promise<CryptoKey>
    >();
    const signer = signerKey({ sign: (data: Uint8Array) => Promise.resolve(data) });
    expectTypeOf(() => importAppleKey(signer)).returns.toEqualTypeOf<Promise<SignerKey>>();
    expectTypeOf(() => importAppleKey(signer as ApplePrivateKey)).returns.toEqualTypeOf<
      Promise<CryptoKey | SignerKey>
    >();
  });

  it("AscTokenErrorCode is a union of string literals, not string", () => {
    expectTypeOf<string>().not.toExtend<AscTokenErrorCode>();
    expectTypeOf<AscTokenErrorCode>().toExtend<string>();
    expectTypeOf<
      "KEY_MISSING" | "INVALID_KEY_ID" | "LIFETIME_TOO_LONG" | "SIGN_FAILED"
    >().toExtend<AscTokenErrorCode>();
    expectTypeOf<"NOT_A_CODE">().not.toExtend<AscTokenErrorCode>();
    expectTypeOf<AscTokenError["code"]>().toEqualTypeOf<AscTokenErrorCode>();
    // @ts-expect-error only listed codes construct an error
    expect(new AscTokenError("NOT_A_CODE", "x").code).toBe("NOT_A_CODE");
    expect(allErrorCodes()).toContain("KEY_MISSING");
  });

  it("isAscTokenError narrows unknown to AscTokenError", async () => {
    const error: unknown = await importAppleKey("").catch((e: unknown) => e);
    if (!isAscTokenError(error)) throw new Error("expected an AscTokenError");
    expectTypeOf(error).toEqualTypeOf<AscTokenError>();
    expectTypeOf(error.code).toEqualTypeOf<AscTokenErrorCode>();
    expect(error.code).toBe("KEY_MISSING");
  });
});

describe("AppleVerifierOptions: secure by default, in the types too", () => {
  it("needs bundleId and environment, appAppleId for Production, the opt-in for unsigned data", () => {
    expectTypeOf<{ bundleId: string; environment: "Sandbox" }>().toExtend<AppleVerifierOptions>();
    expectTypeOf<{
      bundleId: string;
      environment: "Production";
      appAppleId: number;
    }>().toExtend<AppleVerifierOptions>();
    expectTypeOf<{ environment: "Sandbox" }>().not.toExtend<AppleVerifierOptions>();
    expectTypeOf<{ bundleId: string }>().not.toExtend<AppleVerifierOptions>();
    expectTypeOf<{
      bundleId: string;
      environment: "Production";
    }>().not.toExtend<AppleVerifierOptions>();
    expectTypeOf<{
      bundleId: string;
      environment: "Xcode";
    }>().not.toExtend<AppleVerifierOptions>();
    expectTypeOf<{
      bundleId: string;
      environment: "Sandbox";
      allowUnsignedTestData: true;
    }>().not.toExtend<AppleVerifierOptions>();
    // @ts-expect-error a Production verifier without appAppleId does not compile
    expect(() => createAppleVerifier({ bundleId: "com.x", environment: "Production" })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS" }),
    );
    // @ts-expect-error no bundle ID: it would accept any app's data
    expect(() => createAppleVerifier({ environment: "Sandbox" })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS" }),
    );
    // @ts-expect-error a typo is not an option
    expect(() => createAppleVerifier({ bundleID: "com.x", environment: "Sandbox" })).toThrow(
      expect.objectContaining({ code: "UNKNOWN_OPTION" }),
    );
  });
});
