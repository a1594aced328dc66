import jwt from "jsonwebtoken";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type AscTokenFinding,
  type AscTokenFindingCode,
  checkAscToken,
  createAscToken,
  type AscTokenOptions,
} from "../../src/index.js";
import { type KindOnlyFindingCode } from "../helpers/codes.js";
import { handToken } from "../helpers/jwt.js";
import { makeP256, type P256Fixture } from "../helpers/keys.js";

const keyId = "2X9R4HXF34";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const nowS = NOW / 1000;
const now = () => NOW;

let key: P256Fixture;
beforeAll(() => {
  key = makeP256();
});

const goodHeader = { alg: "ES256", kid: keyId, typ: "JWT" };
const goodClaims = { iss: issuerId, iat: nowS - 60, exp: nowS + 1080, aud: "appstoreconnect-v1" };
type Json = Record<string, unknown>;
const without = (object: Json, name: string): Json =>
  Object.fromEntries(Object.entries(object).filter(([k]) => k !== name));

const codes = (findings: AscTokenFinding[]) => findings.map((f) => f.code);

/** Checks a token and that every message explains a 401 without echoing the token. */
const check = (token: string): AscTokenFinding[] => {
  const findings = checkAscToken(token, { now });
  for (const { message } of findings) {
    expect(message).toMatch(/401/);
    expect(message.length).toBeGreaterThan(60);
    for (const piece of token.split(".").filter((p) => p.length >= 16))
      expect(message).not.toContain(piece);
  }
  expect(new Set(codes(findings)).size).toBe(findings.length); // each code at most once
  return findings;
};

describe("checkAscToken: a correct token has no findings", () => {
  it("a hand-built token with Apple's exact header and claims", () => {
    expect(check(handToken(goodHeader, goodClaims, key.privateKey))).toStrictEqual([]);
  });

  it.each([
    ["team key", {}],
    ["individual key", { individual: true as const }],
    ["enterprise audience", { audience: "apple-developer-enterprise-v1" as const }],
    ["1200 s, no tolerance", { expiresIn: 1200, clockTolerance: 0 }],
    ["scoped", { scope: ["GET /v1/apps?filter[platform]=IOS", "POST /v1/bundleIds"] }],
    [
      "long-lived scoped (30 days)",
      { expiresIn: 30 * 86_400, scope: ["GET /v1/ciProducts", "GET /v1/apps/1/perfPowerMetrics"] },
    ],
  ])("createAscToken: %s", async (_, extra: Partial<AscTokenOptions> & { individual?: true }) => {
    // An individual key's token is asked for by leaving issuerId out.
    const { individual, ...rest } = extra;
    const token = await createAscToken({
      keyId,
      ...(!individual && { issuerId }),
      privateKey: key.applePem,
      now,
      ...rest,
    });
    expect(check(token)).toStrictEqual([]);
  });

  it("with a Date as the clock, and with the real clock", async () => {
    const token = await createAscToken({ keyId, issuerId, privateKey: key.applePem });
    expect(checkAscToken(token)).toStrictEqual([]);
    expect(checkAscToken(token, { now: new Date() })).toStrictEqual([]);
  });
});

describe("checkAscToken: one test per finding", () => {
  // A Record over the union: the compiler fails this file if a code has no case. The findings
  // only other kinds have are tested in test/inspect/doctor-kinds.test.ts.
  const cases: Record<
    Exclude<AscTokenFindingCode, KindOnlyFindingCode>,
    { header?: Json; claims?: Json; der?: boolean; match: RegExp }
  > = {
    ALG_NOT_ES256: { header: { ...goodHeader, alg: "ES384" }, match: /alg is "ES384".*only ES256/ },
    KID_MISSING: { header: without(goodHeader, "kid"), match: /no kid.*AuthKey_/ },
    KID_MALFORMED: {
      header: { ...goodHeader, kid: "2x9r4hxf34" },
      match: /kid is "2x9r4hxf34", not a 10-character key ID/,
    },
    TYP_MISSING: { header: without(goodHeader, "typ"), match: /no typ.*typ: "JWT"/ },
    TYP_NOT_JWT: { header: { ...goodHeader, typ: "at+jwt" }, match: /typ is "at\+jwt"/ },
    ISS_AND_SUB_MISSING: {
      claims: without(goodClaims, "iss"),
      match: /neither iss nor sub.*issuer ID.*sub: "user"/,
    },
    ISS_WITH_SUB_USER: {
      claims: { ...goodClaims, sub: "user" },
      match: /both iss and sub: "user"/,
    },
    ISS_NOT_UUID: {
      claims: { ...goodClaims, iss: "ABCDE12345" },
      match: /iss is "ABCDE12345", not a UUID.*not a team ID/,
    },
    SUB_NOT_USER: {
      claims: { ...without(goodClaims, "iss"), sub: "com.example.app" },
      match: /sub is "com.example.app"/,
    },
    AUD_WRONG: {
      claims: { ...goodClaims, aud: "appstoreconnect-v2" },
      match: /aud is "appstoreconnect-v2".*"appstoreconnect-v1"/,
    },
    IAT_MISSING: { claims: without(goodClaims, "iat"), match: /no iat.*exp − iat/ },
    EXP_MISSING: { claims: without(goodClaims, "exp"), match: /no exp.*20 minutes/ },
    TIMESTAMP_NOT_INTEGER: {
      claims: { ...goodClaims, iat: nowS - 60.5 },
      match: /iat is \d+\.5: Apple wants whole epoch seconds/,
    },
    SCOPE_INVALID: {
      claims: { ...goodClaims, scope: "GET /v1/apps" },
      match: /scope must be a non-empty array.*got "/,
    },
    LIFETIME_TOO_LONG: {
      claims: { ...goodClaims, exp: nowS - 60 + 3600 },
      match: /exp − iat is 3600 s.*over 1200 s needs a scope/,
    },
    IAT_IN_FUTURE: {
      claims: { ...goodClaims, iat: nowS + 90, exp: nowS + 1000 },
      match: /iat is 90 s after now.*clock.*runs ahead/,
    },
    EXPIRED: {
      claims: { ...goodClaims, iat: nowS - 1300, exp: nowS - 160 },
      match: /expired 160 s ago/,
    },
    SIGNATURE_NOT_RAW: {
      der: true,
      match: /signature is \d+ bytes and DER-encoded.*64-byte r\|\|s/,
    },
  };

  it.each(Object.entries(cases))(
    "%s",
    (code, { header = goodHeader, claims = goodClaims, der = false, match }) => {
      const findings = check(handToken(header, claims, key.privateKey, { der }));
      expect(codes(findings)).toStrictEqual([code]);
      expect(findings[0]!.message).toMatch(match);
    },
  );
});

describe("checkAscToken: variants and combinations", () => {
  const find = (header: Json, claims: Json) =>
    codes(check(handToken(header, claims, key.privateKey)));

  it("AUD_WRONG for a missing aud, an array aud, and accepts the enterprise audience", () => {
    expect(find(goodHeader, without(goodClaims, "aud"))).toStrictEqual(["AUD_WRONG"]);
    expect(find(goodHeader, { ...goodClaims, aud: ["appstoreconnect-v1"] })).toStrictEqual([
      "AUD_WRONG",
    ]);
    expect(find(goodHeader, { ...goodClaims, aud: "apple-developer-enterprise-v1" })).toStrictEqual(
      [],
    );
  });

  it("an individual key (sub: user, no iss) is fine", () => {
    expect(find(goodHeader, { ...without(goodClaims, "iss"), sub: "user" })).toStrictEqual([]);
  });

  it("TIMESTAMP_NOT_INTEGER names both claims once, including string timestamps", () => {
    const findings = check(
      handToken(
        goodHeader,
        { ...goodClaims, iat: String(nowS), exp: nowS + 1080.25 },
        key.privateKey,
      ),
    );
    expect(codes(findings)).toStrictEqual(["TIMESTAMP_NOT_INTEGER"]);
    expect(findings[0]!.message).toMatch(/iat is "\d+" and exp is \d+\.25/);
  });

  it("LIFETIME_TOO_LONG names the scope entry that is not long-lived, and the six-month cap", () => {
    const scoped = check(
      handToken(
        goodHeader,
        { ...goodClaims, exp: nowS + 86_400, scope: ["GET /v1/ciProducts", "GET /v1/apps"] },
        key.privateKey,
      ),
    );
    expect(codes(scoped)).toStrictEqual(["LIFETIME_TOO_LONG"]);
    expect(scoped[0]!.message).toContain('scope entry "GET /v1/apps"');
    const capped = check(
      handToken(
        goodHeader,
        { ...goodClaims, exp: nowS - 60 + 15_777_001, scope: ["GET /v1/ciProducts"] },
        key.privateKey,
      ),
    );
    expect(capped[0]!.message).toMatch(/15777000 s \(six months\)/);
    expect(find(goodHeader, { ...goodClaims, exp: nowS - 60 + 1200 })).toStrictEqual([]);
    expect(find(goodHeader, { ...goodClaims, exp: nowS - 60 + 1201 })).toStrictEqual([
      "LIFETIME_TOO_LONG",
    ]);
  });

  it("LIFETIME_TOO_LONG for a long-lived Enterprise Program API token: long-lived scopes are App Store Connect's", () => {
    const enterprise = {
      ...goodClaims,
      aud: "apple-developer-enterprise-v1",
      exp: nowS + 86_400,
      scope: ["GET /v1/ciProducts"],
    };
    const findings = check(handToken(goodHeader, enterprise, key.privateKey));
    expect(codes(findings)).toStrictEqual(["LIFETIME_TOO_LONG"]);
    expect(findings[0]!.message).toMatch(/must be <= 1200 s for the Enterprise Program API/);
    expect(findings[0]!.message).not.toMatch(/long-lived/);
    expect(find(goodHeader, { ...enterprise, aud: "appstoreconnect-v1" })).toStrictEqual([]);
  });

  it("exactly at exp is expired; a second before is not", () => {
    expect(find(goodHeader, { ...goodClaims, iat: nowS - 1140, exp: nowS })).toStrictEqual([
      "EXPIRED",
    ]);
    expect(find(goodHeader, { ...goodClaims, iat: nowS - 1139, exp: nowS + 1 })).toStrictEqual([]);
    expect(find(goodHeader, { ...goodClaims, iat: nowS, exp: nowS + 1140 })).toStrictEqual([]);
    expect(find(goodHeader, { ...goodClaims, iat: nowS + 1, exp: nowS + 1141 })).toStrictEqual([
      "IAT_IN_FUTURE",
    ]);
  });

  it("iat in milliseconds (Date.now() not divided) gets a hint", () => {
    const findings = check(
      handToken(goodHeader, { ...goodClaims, iat: NOW, exp: NOW + 1140 }, key.privateKey),
    );
    expect(codes(findings)).toStrictEqual(["IAT_IN_FUTURE"]);
    expect(findings[0]!.message).toMatch(/looks like milliseconds/);
  });

  it("an unsigned alg:none token: ALG_NOT_ES256 and SIGNATURE_NOT_RAW", () => {
    const [h = "", c = ""] = handToken(
      { alg: "none", typ: "JWT", kid: keyId },
      goodClaims,
      key.privateKey,
    ).split(".");
    const findings = check(`${h}.${c}.`);
    expect(codes(findings)).toStrictEqual(["ALG_NOT_ES256", "SIGNATURE_NOT_RAW"]);
    expect(findings[1]!.message).toMatch(/has no signature/);
  });

  it("reports everything at once, header first, signature last", () => {
    const findings = check(
      handToken({ alg: "RS256" }, { iat: nowS + 5000.5, scope: [] }, key.privateKey, { der: true }),
    );
    expect(codes(findings)).toStrictEqual([
      "ALG_NOT_ES256",
      "KID_MISSING",
      "TYP_MISSING",
      "ISS_AND_SUB_MISSING",
      "AUD_WRONG",
      "EXP_MISSING",
      "TIMESTAMP_NOT_INTEGER",
      "SCOPE_INVALID",
      "IAT_IN_FUTURE",
      "SIGNATURE_NOT_RAW",
    ]);
  });

  it("checks the times that are there: a token without iat can still be expired, one without exp early", () => {
    expect(find(goodHeader, { ...goodClaims, iat: undefined, exp: nowS - 5000 })).toStrictEqual([
      "IAT_MISSING",
      "EXPIRED",
    ]);
    expect(find(goodHeader, { ...goodClaims, exp: undefined, iat: nowS + 600 })).toStrictEqual([
      "EXP_MISSING",
      "IAT_IN_FUTURE",
    ]);
  });

  it("a malformed token throws TOKEN_MALFORMED; a bad clock throws INVALID_NOW", () => {
    expect(() => checkAscToken("not.a.token!")).toThrow(
      expect.objectContaining({ code: "TOKEN_MALFORMED" }),
    );
    expect(() => checkAscToken("abc")).toThrow(
      expect.objectContaining({ code: "TOKEN_MALFORMED" }),
    );
    const token = handToken(goodHeader, goodClaims, key.privateKey);
    expect(() => checkAscToken(token, { now: () => Number.NaN })).toThrow(
      expect.objectContaining({ code: "INVALID_NOW" }),
    );
  });

  it("never echoes a long claim value", () => {
    const secret = key.body.slice(0, 60);
    const findings = check(
      handToken(
        { ...goodHeader, kid: secret },
        { ...goodClaims, iss: secret, aud: secret },
        key.privateKey,
      ),
    );
    expect(codes(findings)).toStrictEqual(["KID_MALFORMED", "ISS_NOT_UUID", "AUD_WRONG"]);
    for (const { message } of findings) expect(message).not.toContain(secret.slice(0, 20));
  });
});

describe("checkAscToken: tokens from jsonwebtoken, a DER-era peer, called with bad options", () => {
  const sign = (payload: object, options: jwt.SignOptions) =>
    jwt.sign({ iat: nowS, ...payload }, key.pkcs8Pem, options);

  it("correct options give no findings (jsonwebtoken signs raw r||s)", () => {
    const token = sign(
      { iss: issuerId },
      { algorithm: "ES256", keyid: keyId, audience: "appstoreconnect-v1", expiresIn: "19m" },
    );
    expect(check(token)).toStrictEqual([]);
  });

  it('expiresIn: "1h", the classic mistake: LIFETIME_TOO_LONG', () => {
    const token = sign(
      { iss: issuerId },
      { algorithm: "ES256", keyid: keyId, audience: "appstoreconnect-v1", expiresIn: "1h" },
    );
    expect(codes(check(token))).toStrictEqual(["LIFETIME_TOO_LONG"]);
  });

  it("no keyid, audience as an array, issuer as the team ID", () => {
    const token = sign(
      {},
      {
        algorithm: "ES256",
        audience: ["appstoreconnect-v1"],
        issuer: "A1B2C3D4E5",
        expiresIn: 600,
      },
    );
    expect(codes(check(token))).toStrictEqual(["KID_MISSING", "ISS_NOT_UUID", "AUD_WRONG"]);
  });

  it("an individual key sent with both iss and sub: user, and no expiry", () => {
    const token = sign(
      { sub: "user" },
      { algorithm: "ES256", keyid: keyId, issuer: issuerId, audience: "appstoreconnect-v1" },
    );
    expect(codes(check(token))).toStrictEqual(["ISS_WITH_SUB_USER", "EXP_MISSING"]);
  });

  it("the default HS256 with the key text as an HMAC secret: wrong alg, 32-byte signature", () => {
    const token = jwt.sign({ iss: issuerId, iat: nowS }, "a shared secret", {
      keyid: keyId,
      audience: "appstoreconnect-v1",
      expiresIn: "10m",
    });
    const findings = check(token);
    expect(codes(findings)).toStrictEqual(["ALG_NOT_ES256", "SIGNATURE_NOT_RAW"]);
    expect(findings[1]!.message).toMatch(/signature is 32 bytes:/);
  });

  it("a jsonwebtoken token whose signature was re-encoded as DER (node:crypto's default) is caught", () => {
    const good = sign(
      { iss: issuerId },
      { algorithm: "ES256", keyid: keyId, audience: "appstoreconnect-v1", expiresIn: "19m" },
    );
    const [h = "", c = ""] = good.split(".");
    const der = handToken(
      Buffer.from(h, "base64url").toString(),
      Buffer.from(c, "base64url").toString(),
      key.privateKey,
      { der: true },
    );
    expect(der.split(".").slice(0, 2)).toStrictEqual([h, c]);
    expect(codes(check(der))).toStrictEqual(["SIGNATURE_NOT_RAW"]);
  });
});
