import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBase64, encodeBase64, encodeBytes, encodeText } from "../../src/lib/base64url.js";

describe("base64url", () => {
  // encodeBase64 is the standard, padded alphabet the promotional offer signature is sent in.
  it.each([
    ["encodeBytes", encodeBytes, "base64url", "-_8"],
    ["encodeBase64", encodeBase64, "base64", "+/8="],
  ] as const)("%s encodes bytes like Buffer's %s (the reference)", (_, encode, encoding, fbff) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(encode(bytes)).toBe(Buffer.from(bytes).toString(encoding));
      }),
      { numRuns: 2000 },
    );
    expect(encode(new Uint8Array([0xfb, 0xff]))).toBe(fbff);
  });

  it("encodes long input (sliced through btoa) like Buffer too, at and around the switch", () => {
    for (const length of [4095, 4096, 4097, 4098, 4099, 8192, 8193, 100_000, 1_000_001]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 7919 + (i >> 8)) & 255);
      expect(encodeBytes(bytes), String(length)).toBe(Buffer.from(bytes).toString("base64url"));
    }
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4000, maxLength: 13000 }), (bytes) => {
        expect(encodeBytes(bytes)).toBe(Buffer.from(bytes).toString("base64url"));
      }),
      { numRuns: 100 },
    );
  });

  it("encodes text as UTF-8, non-ASCII included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 100 }), (text) => {
        expect(encodeText(text)).toBe(Buffer.from(text, "utf8").toString("base64url"));
      }),
      { numRuns: 1000 },
    );
  });

  it("decodes base64 and base64url, padded or not, back to the same bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const b = Buffer.from(bytes);
        for (const text of [
          b.toString("base64"),
          b.toString("base64url"),
          b.toString("base64").replace(/=+$/, ""),
        ]) {
          expect(decodeBase64(text)).toStrictEqual(new Uint8Array(bytes));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses what is not base64", () => {
    for (const bad of ["A", "AB=C", "AB*C", "ABC===", "AB C", "=AAA"])
      expect(decodeBase64(bad)).toBeUndefined();
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const result = decodeBase64(text);
        // Where it decodes, Node's lenient decoder (the reference) agrees byte for byte.
        if (result) expect(result).toStrictEqual(new Uint8Array(Buffer.from(text, "base64")));
      }),
      { numRuns: 2000 },
    );
  });
});
