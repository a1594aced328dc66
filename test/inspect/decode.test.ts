import { beforeAll, describe, expect, it } from "vitest";
import { createAscToken, decodeToken } from "../../src/index.js";
import { handToken } from "../helpers/jwt.js";
import { makeP256, type P256Fixture } from "../helpers/keys.js";
import { decodeToken as decodeByHand } from "../helpers/verify.js";

const keyId = "2X9R4HXF34";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

let key: P256Fixture;
let token: string;
beforeAll(async () => {
  key = makeP256();
  token = await createAscToken({ keyId, issuerId, privateKey: key.applePem, now: () => NOW });
});

const b64 = (text: string) => Buffer.from(text).toString("base64url");

describe("decodeToken", () => {
  it("returns header, claims and the signature as base64url text, as node:crypto reads them", () => {
    const decoded = decodeToken(token);
    const expected = decodeByHand(token);
    expect(decoded.header).toStrictEqual({ alg: "ES256", kid: keyId, typ: "JWT" });
    expect(decoded.claims).toStrictEqual(expected.claims);
    expect(decoded.signature).toBe(token.split(".")[2]);
    expect(decoded.signature).toHaveLength(86);
    expect(Buffer.from(decoded.signature, "base64url").equals(expected.signature)).toBe(true);
  });

  it("is plain JSON: JSON.stringify gives the signature as text, and parses back the same", () => {
    const decoded = decodeToken(token);
    const json = JSON.stringify(decoded);
    expect(json).toContain(`"signature":"${token.split(".")[2]!}"`);
    expect(json).not.toMatch(/"0":/);
    expect(JSON.parse(json)).toStrictEqual(decoded);
  });

  it("does not verify: a token signed by another key decodes the same way", () => {
    const other = makeP256();
    const forged = handToken(
      { alg: "ES256", kid: keyId, typ: "JWT" },
      { iss: issuerId },
      other.privateKey,
    );
    expect(decodeToken(forged).claims).toStrictEqual({ iss: issuerId });
  });

  it("returns fresh objects each time", () => {
    const a = decodeToken(token);
    a.claims.iss = "changed";
    expect(decodeToken(token).claims.iss).toBe(issuerId);
  });

  it("reads UTF-8 claims and an empty signature (an unsigned token)", () => {
    const decoded = decodeToken(`${b64('{"alg":"none"}')}.${b64('{"name":"Zoë ✓"}')}.`);
    expect(decoded.claims).toStrictEqual({ name: "Zoë ✓" });
    expect(decoded.signature).toBe("");
  });
});

describe("decodeToken: malformed tokens throw TOKEN_MALFORMED without echoing the token", () => {
  const cases: [string, () => string, RegExp][] = [
    ["one part (not a JWT)", () => token.replace(/\./g, ""), /1 part;/],
    ["two parts", () => token.split(".").slice(0, 2).join("."), /2 parts; a JWT has 3/],
    ["four parts", () => `${token}.${token.split(".")[2]!}`, /4 parts/],
    ["five parts (a JWE)", () => token.split(".").concat(["abc", "def"]).join("."), /5 parts/],
    ["empty string", () => "", /1 part/],
    [
      "standard base64 in the header (+)",
      () => `${b64('{"alg":"ES256"}')}+x.${token.split(".").slice(1).join(".")}`,
      /header is not base64url/,
    ],
    [
      "padding in the claims",
      () => {
        const [h, c, s] = token.split(".");
        return `${h!}.${c!}==.${s!}`;
      },
      /claims is not base64url/,
    ],
    [
      "a length base64 cannot have",
      () => {
        const [, c, s] = token.split(".");
        return `abcde.${c!}.${s!}`;
      },
      /header is not base64url/,
    ],
    ['"Bearer " in front', () => `Bearer ${token}`, /header is not base64url/],
    ["whitespace inside", () => token.replace(".", " ."), /header is not base64url/],
    [
      "header not JSON",
      () => {
        const [, c, s] = token.split(".");
        return `${b64("alg=ES256")}.${c!}.${s!}`;
      },
      /header is not UTF-8 JSON/,
    ],
    [
      "header empty",
      () => {
        const [, c, s] = token.split(".");
        return `.${c!}.${s!}`;
      },
      /header is not UTF-8 JSON/,
    ],
    [
      "header a JSON array",
      () => {
        const [, c, s] = token.split(".");
        return `${b64('["ES256"]')}.${c!}.${s!}`;
      },
      /header is JSON but not an object \(it is an array\)/,
    ],
    [
      "header JSON null",
      () => {
        const [, c, s] = token.split(".");
        return `${b64("null")}.${c!}.${s!}`;
      },
      /not an object \(it is null\)/,
    ],
    [
      "claims a JSON string",
      () => {
        const [h, , s] = token.split(".");
        return `${h!}.${b64('"claims"')}.${s!}`;
      },
      /claims is JSON but not an object \(it is "claims"\)/,
    ],
    [
      "claims a JSON number",
      () => {
        const [h, , s] = token.split(".");
        return `${h!}.${b64("1764331200")}.${s!}`;
      },
      /claims is JSON but not an object \(it is a number\)/,
    ],
    [
      "claims not UTF-8",
      () => {
        const [h, , s] = token.split(".");
        return `${h!}.${Buffer.from([0x7b, 0xff, 0x7d]).toString("base64url")}.${s!}`;
      },
      /claims is not UTF-8 JSON/,
    ],
    [
      "claims truncated JSON",
      () => {
        const [h, , s] = token.split(".");
        return `${h!}.${b64('{"iss":"57246542-96fe')}.${s!}`;
      },
      /claims is not UTF-8 JSON/,
    ],
    [
      "signature with a bad character",
      () => `${token.slice(0, -2)}!!`,
      /signature is not base64url/,
    ],
  ];

  it.each(cases)("%s", (_, make, message) => {
    const bad = make();
    let error: unknown;
    try {
      decodeToken(bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ name: "AscTokenError", code: "TOKEN_MALFORMED" });
    const text = (error as Error).message;
    expect(text).toMatch(message);
    for (const piece of [bad, ...bad.split(".")].filter((p) => p.length >= 16)) {
      expect(text).not.toContain(piece);
    }
    expect(text).not.toContain(token.split(".")[1]!.slice(0, 16));
  });

  it.each([undefined, null, 42, { token: "a.b.c" }, ["a", "b", "c"]])(
    "a %s instead of a string",
    (value) => {
      expect(() => decodeToken(value as unknown as string)).toThrow(
        expect.objectContaining({
          code: "TOKEN_MALFORMED",
          message: expect.stringMatching(/^token must be a string/) as unknown,
        }),
      );
    },
  );
});
