// Every token shape checked by four verifiers we did not write: node:crypto (ieee-p1363), jose's
// jwtVerify (with audience and issuer or subject checks), the openssl command line (signature
// converted to DER here), and Python's PyJWT. Each verifier must also reject forged tokens, so
// that a verifier that accepts anything cannot pass.
import { sign as nodeSign, verify as nodeVerify } from "node:crypto";
import fc from "fast-check";
import { jwtVerify } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { type AscTokenOptions, createAscToken, importAppleKey } from "../../src/index.js";
import { p1363ToDer } from "../helpers/der-signature.js";
import {
  missingTool,
  opensslVerifies,
  type PyJwtRequest,
  pyjwtVerify,
} from "../helpers/external.js";
import { makeP256, type P256Fixture } from "../helpers/keys.js";
import { canRun } from "../helpers/tools.mjs";
import { decodeToken, verifies } from "../helpers/verify.js";

const keyId = "2X9R4HXF34";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";

interface Case {
  name: string;
  token: string;
  audience: string;
  issuer?: string;
  longLived?: boolean;
}

let key: P256Fixture;
let other: P256Fixture;
let publicKeyPem: string;
let cases: Case[];
let forgeries: { name: string; token: string }[];

const reencode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

beforeAll(async () => {
  key = makeP256();
  other = makeP256();
  publicKeyPem = key.publicKey.export({ type: "spki", format: "pem" }) as string;
  // `individual`: issuerId left out, which is how an individual key's token is asked for.
  const mint = async (
    name: string,
    options: Partial<AscTokenOptions> & { individual?: true },
  ): Promise<Case> => {
    const { individual, ...rest } = options;
    const token = await createAscToken({
      keyId,
      ...(!individual && { issuerId }),
      privateKey: key.applePem,
      ...rest,
    });
    const { claims } = decodeToken(token);
    return {
      name,
      token,
      audience: claims.aud as string,
      ...(typeof claims.iss === "string" && { issuer: claims.iss }),
      ...((claims.exp as number) - (claims.iat as number) > 1200 && { longLived: true }),
    };
  };
  cases = [
    await mint("team key, Apple's .p8 PEM", {}),
    await mint("individual key (sub: user)", { individual: true, privateKey: key.pkcs8Pem }),
    await mint("Enterprise Program audience", { audience: "apple-developer-enterprise-v1" }),
    await mint("scoped token", {
      scope: ["GET /v1/apps?filter[platform]=IOS", "POST /v1/bundleIds"],
    }),
    await mint("long-lived scoped token (30 days)", {
      expiresIn: 30 * 86_400,
      scope: ["GET /v1/ciProducts", "GET /v1/apps/1/perfPowerMetrics"],
    }),
    await mint("SEC1 EC PRIVATE KEY", { privateKey: key.sec1Pem }),
    await mint("DER bytes", { privateKey: key.appleDer }),
    await mint("CRLF PEM with literal \\n escapes", {
      privateKey: key.applePem.replace(/\n/g, "\\r\\n"),
    }),
    await mint("imported CryptoKey", { privateKey: await importAppleKey(key.applePem) }),
  ];
  const [header = "", claims = "", signature = ""] = cases[0]!.token.split(".");
  const decoded = decodeToken(cases[0]!.token).claims;
  const byOther = await createAscToken({ keyId, issuerId, privateKey: other.applePem });
  forgeries = [
    {
      name: "claims changed after signing",
      token: `${header}.${reencode({ ...decoded, exp: (decoded.exp as number) + 3600 })}.${signature}`,
    },
    {
      name: "header changed after signing",
      token: `${reencode({ alg: "ES256", kid: "AAAAAAAAAA", typ: "JWT" })}.${claims}.${signature}`,
    },
    { name: "signed by another key", token: byOther },
    { name: "signature with one bit flipped", token: `${header}.${claims}.${flipBit(signature)}` },
    {
      name: "DER signature instead of raw r||s",
      token: `${header}.${claims}.${p1363ToDer(Buffer.from(signature, "base64url")).toString("base64url")}`,
    },
  ];
});

const flipBit = (segment: string): string => {
  const bytes = Buffer.from(segment, "base64url");
  bytes[10] = (bytes[10] ?? 0) ^ 1;
  return bytes.toString("base64url");
};

const joseVerify = async (c: {
  token: string;
  audience: string;
  issuer?: string | undefined;
  longLived?: boolean | undefined;
}) =>
  jwtVerify(c.token, key.publicKey, {
    algorithms: ["ES256"],
    typ: "JWT",
    audience: c.audience,
    requiredClaims: ["iat", "exp", "aud"],
    ...(c.issuer === undefined ? { subject: "user" } : { issuer: c.issuer }),
    ...(!c.longLived && { maxTokenAge: "20m" }),
  });

describe("node:crypto.verify (ieee-p1363)", () => {
  it("verifies every token shape", () => {
    for (const c of cases) expect(verifies(c.token, key.publicKey), c.name).toBe(true);
  });
  it("rejects every forgery", () => {
    for (const f of forgeries) expect(verifies(f.token, key.publicKey), f.name).toBe(false);
  });
});

describe("jose jwtVerify with the public key, audience and issuer/subject checks", () => {
  it("verifies every token shape, with the claims we decode", async () => {
    for (const c of cases) {
      const { payload, protectedHeader } = await joseVerify(c);
      expect(protectedHeader, c.name).toStrictEqual({ alg: "ES256", kid: keyId, typ: "JWT" });
      expect(payload, c.name).toStrictEqual(decodeToken(c.token).claims);
    }
  });
  it("rejects every forgery, and a token for another audience or issuer", async () => {
    for (const f of forgeries) {
      await expect(
        joseVerify({ token: f.token, audience: "appstoreconnect-v1", issuer: issuerId }),
        f.name,
      ).rejects.toMatchObject({ code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" });
    }
    const team = cases[0]!;
    await expect(
      joseVerify({ ...team, audience: "apple-developer-enterprise-v1" }),
    ).rejects.toThrow(/aud/);
    await expect(
      joseVerify({ ...team, issuer: "00000000-0000-0000-0000-000000000000" }),
    ).rejects.toThrow(/iss/);
  });
});

describe("openssl dgst -sha256 -verify (raw signature converted to DER)", () => {
  it("the openssl command line is installed", () => {
    expect(missingTool("openssl")).toBeUndefined();
  });
  it("verifies every token shape", () => {
    for (const c of cases) expect(opensslVerifies(c.token, publicKeyPem), c.name).toBe(true);
  });
  it("rejects every forgery", () => {
    for (const f of forgeries) expect(opensslVerifies(f.token, publicKeyPem), f.name).toBe(false);
  });
});

// Skipped, with the notice at the end of the run, where PyJWT is missing; required under CI=true.
describe.skipIf(!canRun("pyjwt"))("PyJWT (Debian python3-jwt)", () => {
  it("is installed (.ci/run installs it on a fresh machine)", () => {
    expect(missingTool("pyjwt")).toBeUndefined();
  });
  it("verifies every token shape with audience and issuer, with the claims we decode", () => {
    const requests: PyJwtRequest[] = cases.map((c) => ({
      token: c.token,
      publicKeyPem,
      audience: c.audience,
      ...(c.issuer !== undefined && { issuer: c.issuer }),
    }));
    const { version, results } = pyjwtVerify(requests);
    expect(version).toMatch(/^2\./);
    results.forEach((result, i) => {
      const c = cases[i]!;
      expect(result, c.name).toMatchObject({ ok: true });
      if (!result.ok) return;
      expect(result.header, c.name).toStrictEqual({ alg: "ES256", kid: keyId, typ: "JWT" });
      expect(result.payload, c.name).toStrictEqual(decodeToken(c.token).claims);
    });
  });
  it("rejects every forgery, and a token for another audience or issuer", () => {
    const team = cases[0]!;
    const requests: PyJwtRequest[] = [
      ...forgeries.map((f) => ({
        token: f.token,
        publicKeyPem,
        audience: "appstoreconnect-v1",
        issuer: issuerId,
      })),
      {
        token: team.token,
        publicKeyPem,
        audience: "apple-developer-enterprise-v1",
        issuer: issuerId,
      },
      {
        token: team.token,
        publicKeyPem,
        audience: "appstoreconnect-v1",
        issuer: "00000000-0000-0000-0000-000000000000",
      },
    ];
    const { results } = pyjwtVerify(requests);
    const errors = results.map((result) => (result.ok ? "accepted" : result.error.split(":")[0]));
    expect(errors).toStrictEqual([
      ...forgeries.map(() => "InvalidSignatureError"),
      "InvalidAudienceError",
      "InvalidIssuerError",
    ]);
  });
});

describe("the raw-to-DER signature conversion used for openssl", () => {
  it("gives signatures node:crypto verifies as DER, for any message (high bits and leading zeros included)", () => {
    const data = Buffer.from("asc-token");
    const raw = nodeSign("sha256", data, { key: key.privateKey, dsaEncoding: "ieee-p1363" });
    expect(nodeVerify("sha256", data, key.publicKey, p1363ToDer(raw))).toBe(true);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (message) => {
        const signature = nodeSign("sha256", message, {
          key: key.privateKey,
          dsaEncoding: "ieee-p1363",
        });
        expect(nodeVerify("sha256", message, key.publicKey, p1363ToDer(signature))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
  it("encodes minimal, positive INTEGERs", () => {
    const raw = Buffer.alloc(64);
    raw[31] = 1; // r = 1: 31 leading zero bytes dropped
    raw[32] = 0x80; // s has its high bit set: a 0x00 byte keeps it positive
    const der = p1363ToDer(raw);
    expect(der.subarray(0, 9).toString("hex")).toBe("302602010102210080");
    expect(der).toHaveLength(40);
    expect(() => p1363ToDer(Buffer.alloc(63))).toThrow(/64-byte/);
  });
});
