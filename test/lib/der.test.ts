import { createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  INTEGER,
  OBJECT_IDENTIFIER,
  OCTET_STRING,
  SEQUENCE,
  contextTag,
  derToRawSignature,
  encodeDer,
  fromHex,
  hex,
  isDerSignature,
  oidText,
  optional,
  rawToDerSignature,
  readDer,
  readFields,
} from "../../src/lib/der.js";
import { p1363ToDer } from "../helpers/der-signature.js";

const bad = () => new Error("bad DER");
const bytes = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s/g, ""), "hex"));

describe("readDer and readFields", () => {
  it("read nested elements and their contents", () => {
    // SEQUENCE { INTEGER 1, OCTET STRING "ab", [0] { OID 1.2.840.10045.3.1.7 } }
    const der = bytes("3013 020101 04026162 a00a 06082a8648ce3d030107");
    const [seq] = readFields(der, bad, [SEQUENCE]);
    const [version, missing, text, params] = readFields(seq.contents, bad, [
      INTEGER,
      optional(INTEGER),
      OCTET_STRING,
      optional(contextTag(0)),
    ]);
    expect(hex(version.contents)).toBe("01");
    expect(missing).toBeUndefined();
    expect(Buffer.from(text.contents).toString()).toBe("ab");
    expect(params && hex(encodeDer(params.tag, params.contents))).toBe("a00a06082a8648ce3d030107");
    const [curve] = readFields(params?.contents ?? new Uint8Array(0), bad, [OBJECT_IDENTIFIER]);
    expect(oidText(curve.contents)).toBe("1.2.840.10045.3.1.7");
    expect(readDer(seq.contents, bad, 9).map((element) => element.tag)).toEqual([2, 4, 0xa0]);
  });

  it.each([
    ["truncated contents", "3005020101"],
    ["no length byte", "30"],
    ["indefinite length", "3080020101 0000"],
    ["long form for a short length", "308103020101"],
    ["long length with a leading zero", "30820003020101"],
    ["more than four length bytes", "3085000000000302"],
    ["length past the end", "3084ffffffff"],
    ["high tag number", "1f0100"],
  ])("refuse %s", (_, text) => {
    expect(() => readDer(bytes(text), bad, 9)).toThrow("bad DER");
  });

  it("refuse a wrong tag, a missing field and trailing bytes", () => {
    expect(() => readFields(bytes("020101"), bad, [SEQUENCE])).toThrow("bad DER");
    expect(() => readFields(bytes("020101"), bad, [INTEGER, INTEGER])).toThrow("bad DER");
    expect(() => readFields(bytes("020101 0500"), bad, [INTEGER])).toThrow("bad DER");
    expect(() => readFields(bytes("020101 0500"), bad, [INTEGER, optional(INTEGER)])).toThrow(
      "bad DER",
    );
  });

  it("read lengths at the short/long boundaries", () => {
    for (const size of [0, 1, 127, 128, 255, 256, 65535, 65536]) {
      const encoded = encodeDer(OCTET_STRING, new Uint8Array(size).fill(7));
      const [element] = readFields(encoded, bad, [OCTET_STRING]);
      expect(element.contents.length).toBe(size);
      expect(hex(encodeDer(element.tag, element.contents))).toBe(hex(encoded));
    }
    expect(hex(encodeDer(OCTET_STRING, new Uint8Array(127))).slice(0, 4)).toBe("047f");
    expect(hex(encodeDer(OCTET_STRING, new Uint8Array(128))).slice(0, 6)).toBe("048180");
    expect(hex(encodeDer(OCTET_STRING, new Uint8Array(256))).slice(0, 8)).toBe("04820100");
  });

  it("read what encodeDer writes, for any contents (property)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.constantFrom(2, 3, 4, 0x30, 0xa1),
        (contents, tag) => {
          const [element] = readFields(encodeDer(tag, contents), bad, [tag]);
          expect(hex(element.contents)).toBe(hex(contents));
        },
      ),
    );
  });
});

describe("hex and fromHex", () => {
  it("round-trip, two lower-case digits a byte", () => {
    expect(hex(Uint8Array.of(0, 10, 255))).toBe("000aff");
    expect([...fromHex("000aff")]).toEqual([0, 10, 255]);
    expect(fromHex("")).toHaveLength(0);
  });
});

describe("oidText", () => {
  it.each([
    ["2a8648ce3d0201", "1.2.840.10045.2.1"],
    ["2b81040022", "1.3.132.0.34"],
    ["2a864886f7636406020 1", "1.2.840.113635.100.6.2.1"],
    ["2b6570", "1.3.101.112"],
    ["8837", "2.999"],
  ])("%s is %s", (contents, text) => {
    expect(oidText(bytes(contents))).toBe(text);
  });

  it("is empty for a padded or unfinished subidentifier", () => {
    expect(oidText(bytes("2a80 01"))).toBe("");
    expect(oidText(bytes("2a86"))).toBe("");
    expect(oidText(new Uint8Array(0))).toBe("");
  });
});

describe("contextTag", () => {
  it("is constructed (0xa0 + n) unless asked for a primitive tag (0x80 + n)", () => {
    expect(contextTag(0)).toBe(0xa0);
    expect(contextTag(1)).toBe(0xa1);
    expect(contextTag(1, false)).toBe(0x81);
  });
});

describe("ECDSA signatures, raw r||s and DER", () => {
  const r = "80".padEnd(64, "1");
  const s = "0000ff".padEnd(64, "2");

  it("encodes fixed vectors: a high bit gets a 0x00, leading zeros are dropped", () => {
    const der = rawToDerSignature(bytes(r + s));
    expect(hex(der)).toBe(`3044 022100${r} 021f00${s.slice(4)}`.replace(/\s/g, ""));
    expect(hex(derToRawSignature(der, 32, bad))).toBe(r + s);
  });

  it("encodes r = 0 and s = 1 as one-byte integers", () => {
    const raw = new Uint8Array(64);
    raw[63] = 1;
    expect(hex(rawToDerSignature(raw))).toBe("3006020100020101");
    expect(hex(derToRawSignature(bytes("3006020100020101"), 32, bad))).toBe(hex(raw));
  });

  it("matches an independent encoder and round-trips (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (raw) => {
        const der = rawToDerSignature(raw);
        expect(hex(der)).toBe(p1363ToDer(raw).toString("hex"));
        expect(hex(derToRawSignature(der, 32, bad))).toBe(hex(raw));
      }),
      { numRuns: 500 },
    );
  });

  it("converts node:crypto's DER signatures (P-256 and P-384) to what verifies as P1363", () => {
    for (const [curve, size] of [
      ["P-256", 32],
      ["P-384", 48],
    ] as const) {
      const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: curve });
      const data = Buffer.from("header.claims");
      for (let i = 0; i < 20; i++) {
        const der = sign(null, data, privateKey);
        const raw = derToRawSignature(der, size, bad);
        const key = createPublicKey(publicKey.export({ format: "pem", type: "spki" }));
        expect(verify(null, data, { key, dsaEncoding: "ieee-p1363" }, raw)).toBe(true);
        expect(hex(rawToDerSignature(raw))).toBe(der.toString("hex"));
      }
    }
  });

  it.each([
    ["a leading zero that is not needed", `3007 02020001 020101`],
    ["a negative integer", `3006 020180 020101`],
    ["an empty integer", `3005 0200 020101`],
    ["an integer longer than the curve", `3026 0221 01${"00".repeat(32)} 020101`],
    ["trailing bytes inside", `3009 020101 020101 020101`],
    ["trailing bytes after", `3006 020101 020101 00`],
    ["a missing s", `3003 020101`],
    ["raw bytes", "11".repeat(64)],
  ])("refuses %s", (_, text) => {
    expect(() => derToRawSignature(bytes(text), 32, bad)).toThrow("bad DER");
    expect(isDerSignature(bytes(text), 32)).toBe(false);
  });

  it("isDerSignature is true exactly for what derToRawSignature reads", () => {
    expect(isDerSignature(bytes("3006 020101 020101"), 32)).toBe(true);
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const der = sign(null, Buffer.from("header.claims"), privateKey);
    expect(isDerSignature(der, 32)).toBe(true);
    expect(
      isDerSignature(
        sign(null, Buffer.from("x"), { key: privateKey, dsaEncoding: "ieee-p1363" }),
        32,
      ),
    ).toBe(false);
  });
});
