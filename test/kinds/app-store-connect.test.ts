import { runInNewContext } from "node:vm";
import { jwtVerify } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { type AscTokenOptions, createAscToken } from "../../src/index.js";
import { makeP256, type P256Fixture } from "../helpers/keys.js";
import { decodeToken, verifies } from "../helpers/verify.js";

const keyId = "2X9R4HXF34";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0); // ms
const nowS = NOW / 1000;

let key: P256Fixture;
beforeAll(() => {
  key = makeP256();
});

const mint = (extra: Partial<AscTokenOptions> = {}) =>
  createAscToken({ keyId, issuerId, privateKey: key.applePem, now: () => NOW, ...extra });

describe("createAscToken: header and claims", () => {
  it("is verified by jose with audience and issuer checks", async () => {
    const token = await mint({ now: undefined });
    const { payload, protectedHeader } = await jwtVerify(token, key.publicKey, {
      algorithms: ["ES256"],
      audience: "appstoreconnect-v1",
      issuer: issuerId,
      typ: "JWT",
      maxTokenAge: "20m",
    });
    expect(protectedHeader.kid).toBe(keyId);
    expect(payload.exp! - payload.iat!).toBe(1140);
  });

  it("enterprise audience", async () => {
    const { claims } = decodeToken(await mint({ audience: "apple-developer-enterprise-v1" }));
    expect(claims.aud).toBe("apple-developer-enterprise-v1");
  });

  it("scope is copied into the claims, after aud", async () => {
    const scope = Object.freeze(["GET /v1/apps?filter[platform]=IOS", "POST /v1/bundleIds"]);
    const token = await mint({ scope });
    const { claims } = decodeToken(token);
    expect(claims.scope).toStrictEqual([...scope]);
    expect(Object.keys(claims)).toStrictEqual(["iss", "iat", "exp", "aud", "scope"]);
    expect(verifies(token, key.publicKey)).toBe(true);
  });

  it("clock injection: a function, a Date, and the real clock", async () => {
    expect(decodeToken(await mint({ now: new Date(NOW) })).claims.iat).toBe(nowS - 60);
    expect(decodeToken(await mint({ now: () => NOW + 999 })).claims.iat).toBe(nowS - 60);
    // A fake clock started at 0 (as test timers are) is refused.
    await expect(mint({ now: () => 5000 })).rejects.toThrow(/from 2018 on.*fake timer/);
    // A Date from another realm (a vm context, an iframe), where instanceof Date is false.
    expect(
      decodeToken(await mint({ now: runInNewContext(`new Date(${NOW})`) as Date })).claims.iat,
    ).toBe(nowS - 60);
    const before = Math.floor(Date.now() / 1000);
    const real = decodeToken(await mint({ now: undefined })).claims.iat as number;
    expect(real).toBeGreaterThanOrEqual(before - 60);
    expect(real).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) - 60);
  });

  it("expiresIn is exp − iat exactly; clockTolerance only moves iat", async () => {
    const a = decodeToken(await mint({ expiresIn: 1200, clockTolerance: 0 })).claims;
    expect(a).toMatchObject({ iat: nowS, exp: nowS + 1200 });
    const b = decodeToken(await mint({ expiresIn: 300, clockTolerance: 120 })).claims;
    expect(b).toMatchObject({ iat: nowS - 120, exp: nowS + 180 });
    const c = decodeToken(await mint({ expiresIn: 1, clockTolerance: 0 })).claims;
    expect((c.exp as number) - (c.iat as number)).toBe(1);
  });

  it("integer timestamps even for a fractional clock", async () => {
    const { claims } = decodeToken(await mint({ now: () => NOW + 0.5 }));
    expect(Number.isInteger(claims.iat)).toBe(true);
    expect(Number.isInteger(claims.exp)).toBe(true);
  });

  it("does not mutate or keep the caller's options", async () => {
    const scope = ["GET /v1/apps"];
    const options = Object.freeze({
      keyId,
      issuerId,
      privateKey: key.pkcs8Pem,
      scope: Object.freeze(scope),
      now: () => NOW,
    });
    const snapshot = JSON.stringify(options);
    await createAscToken(options);
    expect(JSON.stringify(options)).toBe(snapshot);
    expect(Object.keys(options)).toStrictEqual(["keyId", "issuerId", "privateKey", "scope", "now"]);
  });

  it("two tokens from the same key at the same time have the same claims and distinct, valid signatures", async () => {
    const [t1, t2] = await Promise.all([mint(), mint()]);
    expect(t1.split(".").slice(0, 2)).toStrictEqual(t2.split(".").slice(0, 2));
    expect(verifies(t1, key.publicKey) && verifies(t2, key.publicKey)).toBe(true);
  });
});

describe("createAscToken: lifetime rules", () => {
  const longScope = [
    "GET /v1/ciProducts",
    "GET /v1/ciBuildRuns/abc/actions?limit=5",
    "GET /v1/apps/123/perfPowerMetrics?filter[metricType]=HANG",
    "GET /v1/builds/456/diagnosticSignatures",
    "GET /v1/diagnosticSignatures/789/logs",
    "GET /v1/scmRepositories/1/gitReferences",
    "GET /v1/ciXcodeVersions",
    "GET /v1/ciMacOsVersions/1",
    "GET /v1/scmProviders",
    "GET /v1/ciWorkflows/1/buildRuns",
    "GET /v1/ciBuildActions/1/issues",
    "GET /v1/ciIssues/1",
    "GET /v1/ciTestResults/1",
    "GET /v1/scmPullRequests/1",
    "GET /v1/scmGitReferences/1",
    "GET /v1/ciArtifacts/1",
  ];

  it("accepts 1200 s without scope, refuses 1201", async () => {
    await expect(mint({ expiresIn: 1200 })).resolves.toBeTypeOf("string");
    await expect(mint({ expiresIn: 1201 })).rejects.toMatchObject({ code: "LIFETIME_TOO_LONG" });
  });

  it("accepts up to six months for GET scopes on the allowed resources", async () => {
    const token = await mint({ expiresIn: 15_777_000, scope: longScope });
    const { claims } = decodeToken(token);
    expect((claims.exp as number) - (claims.iat as number)).toBe(15_777_000);
    expect(verifies(token, key.publicKey)).toBe(true);
    await expect(mint({ expiresIn: 15_777_001, scope: longScope })).rejects.toMatchObject({
      code: "LIFETIME_TOO_LONG",
    });
  });

  it("refuses a long-lived token for the Enterprise Program API (20 minutes at most)", async () => {
    const error = await mint({
      audience: "apple-developer-enterprise-v1",
      expiresIn: 3600,
      scope: longScope,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "LIFETIME_TOO_LONG",
      message: "expiresIn must be <= 1200 s for the Enterprise Program API",
    });
    await expect(
      mint({ audience: "apple-developer-enterprise-v1", expiresIn: 1200, scope: longScope }),
    ).resolves.toBeTypeOf("string");
  });

  it.each([
    ["a POST entry", ["GET /v1/ciProducts", "POST /v1/ciBuildRuns"]],
    ["a resource not on Apple's list", ["GET /v1/apps"]],
    ["a listed name under another resource", ["GET /v1/apps/1/ciProduct"]],
    ["a look-alike prefix", ["GET /v1/ciProductsX"]],
    ["perfPowerMetrics under an unlisted resource", ["GET /v1/users/1/perfPowerMetrics"]],
  ])("refuses a long lifetime with %s, naming the entry", async (_, scope) => {
    const error = await mint({ expiresIn: 3600, scope }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "LIFETIME_TOO_LONG" });
    expect((error as Error).message).toContain(scope.at(-1));
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "600", null])(
    "refuses expiresIn %s",
    async (expiresIn) => {
      await expect(mint({ expiresIn: expiresIn as number })).rejects.toMatchObject({
        code: "INVALID_EXPIRES_IN",
      });
    },
  );

  it.each([-1, 0.5, "60", Number.NaN])("refuses clockTolerance %s", async (clockTolerance) => {
    await expect(mint({ clockTolerance: clockTolerance as number })).rejects.toMatchObject({
      code: "INVALID_CLOCK_TOLERANCE",
    });
  });

  it("refuses a clockTolerance that would make the token born expired", async () => {
    await expect(mint({ expiresIn: 60, clockTolerance: 60 })).rejects.toMatchObject({
      code: "INVALID_CLOCK_TOLERANCE",
    });
  });
});

describe("createAscToken: option errors", () => {
  it.each([
    ["keyId 9 chars", { keyId: "2X9R4HXF3" }, "INVALID_KEY_ID"],
    ["keyId 11 chars", { keyId: "2X9R4HXF345" }, "INVALID_KEY_ID"],
    ["keyId lower case", { keyId: "2x9r4hxf34" }, "INVALID_KEY_ID"],
    ["keyId missing", { keyId: undefined }, "INVALID_KEY_ID"],
    ["keyId a number", { keyId: 1234567890 }, "INVALID_KEY_ID"],
    ["issuerId not a UUID", { issuerId: "57246542-96fe-1a63-e053" }, "INVALID_ISSUER_ID"],
    ["issuerId empty", { issuerId: "" }, "INVALID_ISSUER_ID"],
    ["issuerId null", { issuerId: null }, "INVALID_ISSUER_ID"],
    ["audience unknown", { audience: "appstoreconnect-v2" }, "INVALID_AUDIENCE"],
    ["scope empty", { scope: [] }, "INVALID_SCOPE"],
    ["scope a string", { scope: "GET /v1/apps" }, "INVALID_SCOPE"],
    ["scope lower-case method", { scope: ["get /v1/apps"] }, "INVALID_SCOPE"],
    ["scope unversioned path", { scope: ["GET /apps"] }, "INVALID_SCOPE"],
    ["scope two spaces", { scope: ["GET  /v1/apps"] }, "INVALID_SCOPE"],
    ["scope entry not a string", { scope: [42] }, "INVALID_SCOPE"],
    ["now NaN", { now: () => Number.NaN }, "INVALID_NOW"],
    ["now invalid Date", { now: new Date("nope") }, "INVALID_NOW"],
    ["now a number in seconds", { now: Math.floor(NOW / 1000) }, "INVALID_NOW"],
    ["now a number NaN", { now: Number.NaN }, "INVALID_NOW"],
    ["now returning seconds", { now: () => Math.floor(NOW / 1000) }, "INVALID_NOW"],
  ])("%s", async (_, extra, code) => {
    await expect(mint(extra as Partial<AscTokenOptions>)).rejects.toMatchObject({
      name: "AscTokenError",
      code,
    });
  });

  it.each([undefined, null, "options", 42])("options %s", async (options) => {
    await expect(createAscToken(options as unknown as AscTokenOptions)).rejects.toMatchObject({
      code: "INVALID_OPTIONS",
    });
  });

  it("messages point at the actual mistake", async () => {
    const message = async (extra: Record<string, unknown>) =>
      ((await mint(extra).catch((e: unknown) => e)) as Error).message;
    expect(await message({ keyId: "2x9r4hxf34" })).toBe(
      'keyId must be the 10-character key ID (A-Z, 0-9); got "2x9r4hxf34" (lower case)',
    );
    expect(await message({ issuerId: "2X9R4HXF34" })).toMatch(
      /issuerId must be a UUID.*; got a key ID or Team ID$/,
    );
    // The default clockTolerance, not the caller's: the message says so, and gives both numbers.
    expect(await message({ expiresIn: 60 })).toBe(
      "clockTolerance must be less than expiresIn (60 s); got 60 s, the default",
    );
    expect(await message({ expiresIn: 120, clockTolerance: 300 })).toBe(
      "clockTolerance must be less than expiresIn (120 s); got 300 s",
    );
    expect(await message({ now: () => Math.floor(NOW / 1000) })).toBe(
      "now must be a Date or epoch ms from 2018 on (seconds? a fake timer?)",
    );
    expect(await message({ expiresIn: 1.5 })).toBe("expiresIn must be whole seconds >= 1; got 1.5");
  });

  it("never echoes the values it refuses", async () => {
    const secret = key.body.slice(0, 40);
    for (const extra of [{ keyId: secret }, { issuerId: secret }, { scope: [secret] }]) {
      const error = (await mint(extra).catch((e: unknown) => e)) as Error;
      expect(error.message).not.toContain(secret.slice(0, 12));
    }
  });
});
