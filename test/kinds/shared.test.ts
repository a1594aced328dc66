// What every Apple token kind shares with createAscToken: the same key forms, key cache, errors,
// clock injection and clock tolerance, signatures node:crypto and jose verify, options left alone.
import { jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import { KIND_SAMPLES, NOW, frozen, key, keyId, nowS, opened } from "../helpers/kinds.js";

type Mint = (options: Record<string, unknown>) => Promise<string>;
/** Any kind, callable with untyped options (the tests pass wrong types on purpose). */
const loose = (create: (options: never) => Promise<string>): Mint => create as Mint;

const samples = KIND_SAMPLES;

/** Every kind of TOKEN_KINDS, its mint function (by its `create` name) and its sample options. */
const kinds: [string, Mint, Record<string, unknown>, string][] = api.TOKEN_KINDS.map((kind) => [
  kind.create,
  loose((api as unknown as Record<string, (options: never) => Promise<string>>)[kind.create]!),
  samples[kind.name] ?? {},
  // A key ID every kind refuses: lower case for the 10-character IDs, a space in a portal's.
  kind.keyId ? "2X9R 4HXF34" : "2x9r4hxf34",
]);

/** A kind's options from its `required` ones: the fixed key ID, key and clock, `extra` over all. */
const optionsWith =
  (required: Record<string, unknown>) =>
  (extra: Record<string, unknown> = {}) => ({
    keyId,
    privateKey: key().applePem,
    now: () => NOW,
    ...required,
    ...extra,
  });

it("every kind in TOKEN_KINDS has sample options here and an exported mint function that carries it", () => {
  for (const kind of api.TOKEN_KINDS) {
    expect(samples, kind.name).toHaveProperty([kind.name]);
    expect((api as Record<string, unknown>)[kind.create], kind.create).toHaveProperty("kind", kind);
    const required = Object.keys(kind.options).filter(
      (name) => (kind.options as Record<string, boolean>)[name],
    );
    for (const name of required) expect(samples[kind.name], name).toHaveProperty([name]);
  }
  expect(new Set(api.TOKEN_KINDS.map((kind) => kind.name)).size).toBe(api.TOKEN_KINDS.length);
});

describe.each(kinds)("%s", (_, mint, required, badKeyId) => {
  const options = optionsWith(required);

  it("mints an ES256 JWS that node:crypto and jose verify, dated by the injected clock less 60 s", async () => {
    const token = await mint(options());
    const { header, claims } = opened(token);
    expect(header).toMatchObject({ alg: "ES256", kid: keyId });
    expect(claims.iat).toBe(nowS - 60);
    const { protectedHeader } = await jwtVerify(token, key().publicKey, {
      algorithms: ["ES256"],
      currentDate: new Date(NOW),
    });
    expect(protectedHeader.kid).toBe(keyId);
  });

  it("takes every key form the core takes: SEC1 PEM, DER bytes, base64 body, a CryptoKey", async () => {
    const fixture = key();
    const cryptoKey = await api.importAppleKey(fixture.pkcs8Pem);
    for (const privateKey of [
      fixture.sec1Pem,
      new Uint8Array(fixture.pkcs8Der),
      fixture.body,
      cryptoKey,
    ]) {
      expect(opened(await mint(options({ privateKey }))).claims.iat).toBe(nowS - 60);
    }
  });

  it("clockTolerance moves iat only; a Date is a clock too; the real clock is the default", async () => {
    expect(opened(await mint(options({ clockTolerance: 0 }))).claims.iat).toBe(nowS);
    expect(
      opened(await mint(options({ clockTolerance: 5, now: new Date(NOW + 999) }))).claims.iat,
    ).toBe(nowS - 5);
    const before = Math.floor(Date.now() / 1000) - 60;
    const iat = opened(await mint(options({ now: undefined }))).claims.iat as number;
    expect(iat).toBeGreaterThanOrEqual(before);
    expect(iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) - 60);
  });

  it.each([
    ["options not an object", null, "INVALID_OPTIONS"],
    ["keyId missing", { keyId: undefined }, "INVALID_KEY_ID"],
    ["keyId malformed", { keyId: badKeyId }, "INVALID_KEY_ID"],
    ["privateKey missing", { privateKey: undefined }, "KEY_MISSING"],
    ["privateKey not a key", { privateKey: "not a key" }, "KEY_MALFORMED"],
    ["now NaN", { now: () => Number.NaN }, "INVALID_NOW"],
    ["clockTolerance negative", { clockTolerance: -1 }, "INVALID_CLOCK_TOLERANCE"],
    ["clockTolerance fractional", { clockTolerance: 0.5 }, "INVALID_CLOCK_TOLERANCE"],
  ])("%s → %s", async (_, extra, code) => {
    const given = extra === null ? null : options(extra);
    await expect(mint(given as Record<string, unknown>)).rejects.toMatchObject({
      name: "AscTokenError",
      code,
    });
  });

  it("checks the options before touching the key", async () => {
    await expect(mint(options({ keyId: badKeyId, privateKey: "not a key" }))).rejects.toMatchObject(
      {
        code: "INVALID_KEY_ID",
      },
    );
  });

  it("does not mutate or keep the caller's (deep-frozen) options", async () => {
    const given = frozen(options());
    const snapshot = JSON.stringify(given);
    const token = await mint(given);
    expect(JSON.stringify(given)).toBe(snapshot);
    expect(Object.keys(opened(token).claims).length).toBeGreaterThan(1);
  });

  it("never echoes a refused value that might be a secret", async () => {
    const secret = `-----BEGIN PRIVATE KEY-----\n${key().body.slice(0, 40)}`;
    for (const name of Object.keys(required).concat("keyId")) {
      const error = (await mint(options({ [name]: secret })).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(api.AscTokenError);
      expect(error.message).not.toContain(secret.slice(28, 40));
    }
  });
});

/** The kinds with an exp: their default lifetime and the longest they accept. */
const expiring: [string, number, number][] = [
  ["createAppStoreServerToken", 300, 3600],
  ["createSignInWithAppleSecret", 3600, 15_777_000],
  ["createMusicKitToken", 3600, 15_777_000],
  ["createWeatherKitToken", 3600, 15_777_000],
  ["createMapKitToken", 3600, 15_777_000],
];

describe.each(expiring)("%s lifetime", (name, fallback, max) => {
  const [, mint, required] = kinds.find(([kind]) => kind === name)!;
  const options = optionsWith(required);
  const lifetime = async (extra: Record<string, unknown>) => {
    const { claims } = opened(await mint(options(extra)));
    return (claims.exp as number) - (claims.iat as number);
  };

  it(`defaults to exp − iat = ${String(fallback)} s`, async () => {
    expect(opened(await mint(options())).claims).toMatchObject({
      iat: nowS - 60,
      exp: nowS - 60 + fallback,
    });
  });

  it(`accepts ${String(max)} s, refuses ${String(max + 1)} s`, async () => {
    expect(await lifetime({ expiresIn: max })).toBe(max);
    await expect(mint(options({ expiresIn: max + 1 }))).rejects.toMatchObject({
      code: "LIFETIME_TOO_LONG",
    });
  });

  it("expiresIn is exp − iat exactly, whatever the clockTolerance", async () => {
    expect(await lifetime({ expiresIn: 1, clockTolerance: 0 })).toBe(1);
    expect(await lifetime({ expiresIn: 300, clockTolerance: 120 })).toBe(300);
  });

  it.each([0, -1, 1.5, Number.NaN, "600", null])("refuses expiresIn %s", async (expiresIn) => {
    await expect(mint(options({ expiresIn }))).rejects.toMatchObject({
      code: "INVALID_EXPIRES_IN",
    });
  });

  it("refuses a clockTolerance that would make the token born expired", async () => {
    await expect(mint(options({ expiresIn: 60, clockTolerance: 60 }))).rejects.toMatchObject({
      code: "INVALID_CLOCK_TOLERANCE",
    });
  });
});

describe.each(["createInAppSignature", "createApnsToken", "createDeviceCheckToken"])(
  "%s has no exp",
  (name) => {
    const [, mint, required] = kinds.find(([kind]) => kind === name)!;
    const options = optionsWith(required);

    it("has no exp claim", async () => {
      expect(opened(await mint(options())).claims).not.toHaveProperty("exp");
    });

    it("keeps backdating below the hour after which Apple refuses an APNs token: 3599 accepted, 3600 refused", async () => {
      expect(opened(await mint(options({ clockTolerance: 3599 }))).claims.iat).toBe(nowS - 3599);
      await expect(mint(options({ clockTolerance: 3600 }))).rejects.toMatchObject({
        code: "INVALID_CLOCK_TOLERANCE",
      });
    });
  },
);
