// The doctor calls a signature DER-encoded only when it reads as a DER ECDSA signature, not when
// it merely starts with 0x30 and has a plausible length.
import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkAscToken } from "../../src/index.js";

const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const header = Buffer.from(JSON.stringify({ alg: "ES256", kid: "2X9R4HXF34", typ: "JWT" }));
const now = Math.floor(Date.now() / 1000);
const claims = Buffer.from(
  JSON.stringify({
    iss: "57246542-96fe-1a63-e053-0824d011072a",
    iat: now,
    exp: now + 600,
    aud: "appstoreconnect-v1",
  }),
);
const input = `${header.toString("base64url")}.${claims.toString("base64url")}`;
const withSignature = (signature: Uint8Array) =>
  `${input}.${Buffer.from(signature).toString("base64url")}`;

const message = (signature: Uint8Array) => {
  const findings = checkAscToken(withSignature(signature));
  expect(findings.map((f) => f.code)).toStrictEqual(["SIGNATURE_NOT_RAW"]);
  return findings[0]?.message ?? "";
};

describe("checkAscToken: SIGNATURE_NOT_RAW", () => {
  it("names a DER signature (node:crypto's default encoding) as DER", () => {
    for (let i = 0; i < 20; i++) {
      const der = sign("sha256", Buffer.from(`${input}${String(i)}`), privateKey);
      expect(message(der)).toMatch(/signature is \d+ bytes and DER-encoded/);
    }
  });

  it.each([
    ["a SEQUENCE of 70 zero bytes", Uint8Array.from([0x30, 68, ...Array<number>(68).fill(0)])],
    ["0x30 then random bytes", Uint8Array.from([0x30, ...Array.from({ length: 69 }, (_, i) => i)])],
    ["a DER signature with a byte appended", Uint8Array.from([0x30, 6, 2, 1, 1, 2, 1, 1, 0])],
    ["a DER signature with a negative r", Uint8Array.from([0x30, 6, 2, 1, 0x81, 2, 1, 1])],
  ])("does not call %s DER", (_, signature) => {
    expect(message(signature)).toMatch(/signature is \d+ bytes: /);
  });
});
