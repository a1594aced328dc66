import { createPublicKey, sign, verify } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type AscTokenError,
  checkAscToken,
  createApnsTokenProvider,
  createMemoryStore,
  decodeToken,
  signerKey,
} from "../../src/index.js";
import { handToken } from "../helpers/jwt.js";
import { keyId, NOW as START, teamId } from "../helpers/kinds.js";
import { makeP256, type P256Fixture } from "../helpers/keys.js";

let key: P256Fixture;
beforeAll(() => {
  key = makeP256();
});

/** A provider on a clock the test moves, in seconds. */
const setup = (extra: Record<string, number> = {}) => {
  let ms = START;
  const apns = createApnsTokenProvider({
    keyId,
    teamId,
    privateKey: key.applePem,
    now: () => ms,
    ...extra,
  });
  return { apns, advance: (seconds: number) => (ms += seconds * 1000) };
};

const thrown = (call: () => unknown): AscTokenError => {
  try {
    call();
  } catch (error) {
    return error as AscTokenError;
  }
  throw new Error("did not throw");
};

describe("createApnsTokenProvider", () => {
  it("mints an APNs token node:crypto verifies, used for at most 45 minutes by default", async () => {
    const { apns, advance } = setup();
    const info = await apns.getTokenInfo();
    const [h, c, s] = info.token.split(".") as [string, string, string];
    const ok = verify(
      "sha256",
      Buffer.from(`${h}.${c}`),
      { key: createPublicKey(key.privateKey), dsaEncoding: "ieee-p1363" },
      Buffer.from(s, "base64url"),
    );
    expect(ok).toBe(true);
    expect(decodeToken(info.token).claims).toStrictEqual({ iss: teamId, iat: START / 1000 - 60 });
    expect(info.expiresAt - info.issuedAt).toBe(3000);
    expect(info.expiresAt - info.issuedAt).toBeLessThan(3600);
    advance(2639); // iat + 2699: still reused
    expect(await apns.getToken()).toBe(info.token);
    advance(1); // iat + 2700 = maxAge − refreshBefore: replaced
    expect(await apns.getToken()).not.toBe(info.token);
  });

  it("keeps a token younger than 20 minutes after invalidate(), drops an older one", async () => {
    const { apns, advance } = setup();
    const first = await apns.getToken();
    expect(apns.invalidate()).toBe(false);
    expect(apns.invalidate(first)).toBe(false);
    expect(await apns.getToken()).toBe(first);
    advance(1199); // 19:59 after minting
    expect(apns.invalidate(first)).toBe(false);
    expect(await apns.getToken()).toBe(first);
    advance(1); // 20 minutes after minting
    expect(apns.invalidate("another.token.value")).toBe(false);
    expect(apns.invalidate(first)).toBe(true);
    const second = await apns.getToken();
    expect(second).not.toBe(first);
    expect(apns.invalidate(first)).toBe(false); // a stale failure does not drop the new one
    expect(apns.invalidate()).toBe(false);
    expect(await apns.getToken()).toBe(second);
  });

  it("invalidate before any token is a no-op", () => {
    expect(setup().apns.invalidate()).toBe(false);
  });

  it("handleResponse: keep and none leave the token; ExpiredProviderToken past 20 minutes remints", async () => {
    const { apns, advance } = setup();
    const first = await apns.getToken();
    expect(apns.handleResponse(first, 429, "TooManyProviderTokenUpdates")).toBe("keep");
    expect(apns.handleResponse(first, 400, "BadDeviceToken")).toBe("none");
    expect(await apns.getToken()).toBe(first);
    advance(1200);
    expect(apns.handleResponse(first, 429, "TooManyProviderTokenUpdates")).toBe("keep");
    expect(await apns.getToken()).toBe(first);
    expect(apns.handleResponse(first, 403, "ExpiredProviderToken")).toBe("remint");
    const second = await apns.getToken();
    expect(second).not.toBe(first);
    // An answer about a token already replaced: getToken() already gives another one.
    expect(apns.handleResponse(first, 403, "ExpiredProviderToken")).toBe("remint");
    expect(await apns.getToken()).toBe(second);
  });

  it("handleResponse: a token it signed itself and APNs refuses throws, and is kept", async () => {
    const { apns, advance } = setup();
    const first = await apns.getToken();
    const invalid = thrown(() => apns.handleResponse(first, 403, "InvalidProviderToken"));
    expect(invalid).toMatchObject({ name: "AscTokenError", code: "APNS_TOKEN_REJECTED" });
    expect(invalid.message).toMatch(/key.*Team ID.*key ID/);
    advance(600);
    // Expired by APNs's clock at 10 minutes old by this one: the clock is behind, a new token
    // would be expired too.
    const expired = thrown(() => apns.handleResponse(first, 403, "ExpiredProviderToken"));
    expect(expired).toMatchObject({ code: "APNS_TOKEN_REJECTED" });
    expect(expired.message).toMatch(/clock is behind/);
    const environment = thrown(() => apns.handleResponse(first, 403, "BadEnvironmentKeyInToken"));
    expect(environment).toMatchObject({ code: "APNS_TOKEN_REJECTED" });
    expect(environment.message).toMatch(/sandbox or to production/);
    expect(await apns.getToken()).toBe(first);
  });

  it.each([
    [429, "TooManyProviderTokenUpdates", "keep"],
    [200, undefined, "none"],
    [400, "BadDeviceToken", "none"],
    [410, "Unregistered", "none"],
    [429, "TooManyRequests", "none"],
    [403, "MissingProviderToken", "none"],
  ] as const)("handleResponse %i %s → %s", async (status, reason, action) => {
    const { apns } = setup();
    const token = await apns.getToken();
    expect(apns.handleResponse(token, status, reason)).toBe(action);
    expect(await apns.getToken()).toBe(token);
  });

  it("refuses a maxAge over an hour, or one that replaces tokens within 20 minutes", () => {
    expect(thrown(() => setup({ maxAge: 3601 }))).toMatchObject({ code: "INVALID_MAX_AGE" });
    const tooOften = thrown(() => setup({ maxAge: 1559 }));
    expect(tooOften.code).toBe("INVALID_MAX_AGE");
    expect(tooOften.message).toMatch(/within 20 minutes/);
    expect(thrown(() => setup({ maxAge: 3000, refreshBefore: 1800 }))).toMatchObject({
      code: "INVALID_MAX_AGE",
    });
    expect(() => setup({ maxAge: 3600 })).not.toThrow();
    expect(() => setup({ maxAge: 1560 })).not.toThrow();
    expect(thrown(() => setup({ maxAge: 0 }))).toMatchObject({ code: "INVALID_MAX_AGE" });
  });

  it("checks options now: a bad Team ID or an unknown option throws at construction", () => {
    expect(thrown(() => setup({ teamID: 1 }))).toMatchObject({ code: "UNKNOWN_OPTION" });
    expect(
      thrown(() => createApnsTokenProvider({ keyId, teamId: "team", privateKey: key.applePem })),
    ).toMatchObject({ code: "INVALID_TEAM_ID" });
  });
});

describe("createApnsTokenProvider with a store", () => {
  it("a fleet of providers signs one token and every one of them uses it", async () => {
    let signings = 0;
    const signer = {
      sign: (data: Uint8Array) => {
        signings++;
        return Promise.resolve(
          sign("sha256", data, { key: key.privateKey, dsaEncoding: "ieee-p1363" }),
        );
      },
    };
    const store = createMemoryStore(() => START);
    const errors: unknown[] = [];
    const fleet = Array.from({ length: 5 }, () =>
      createApnsTokenProvider({
        keyId,
        teamId,
        privateKey: signerKey(signer),
        now: () => START,
        store,
        onError: (error) => errors.push(error),
      }),
    );
    const tokens = await Promise.all(fleet.map((apns) => apns.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(signings).toBe(1);
    expect(errors).toStrictEqual([]);
    expect([...store.entries.keys()].some((name) => name.includes(":createApnsToken:"))).toBe(true);
  });

  it("checks keyId and teamId on construction, as the App Store Connect provider does", () => {
    const base = { keyId, teamId, privateKey: key.applePem };
    expect(thrown(() => createApnsTokenProvider({ ...base, keyId: "bad" })).code).toBe(
      "INVALID_KEY_ID",
    );
    expect(thrown(() => createApnsTokenProvider({ ...base, teamId: "bad" })).code).toBe(
      "INVALID_TEAM_ID",
    );
  });

  it("refuses storeKey without a store, and an unknown option, as the other providers do", () => {
    const base = { keyId, teamId, privateKey: key.applePem };
    expect(thrown(() => createApnsTokenProvider({ ...base, storeKey: "k" })).code).toBe(
      "INVALID_OPTIONS",
    );
    const typo = { ...base, mintTimeOut: 5 } as unknown as Parameters<
      typeof createApnsTokenProvider
    >[0];
    expect(thrown(() => createApnsTokenProvider(typo)).code).toBe("UNKNOWN_OPTION");
  });
});

describe("checkAscToken with kind: apns", () => {
  const nowS = START / 1000;
  const header = { alg: "ES256", kid: keyId };
  const apnsCheck = (claims: object, h: object = header) =>
    checkAscToken(handToken(h, claims, key.privateKey), { now: () => START, kind: "apns" });
  const codes = (claims: object, h?: object) => apnsCheck(claims, h).map((f) => f.code);

  it("a fresh APNs token has no findings (no typ, exp or aud needed)", async () => {
    expect(codes({ iss: teamId, iat: nowS - 60 })).toStrictEqual([]);
    const token = await setup().apns.getToken();
    expect(checkAscToken(token, { now: () => START, kind: "apns" })).toStrictEqual([]);
  });

  it("APNS_TOKEN_TOO_OLD once iat is over an hour old", () => {
    expect(codes({ iss: teamId, iat: nowS - 3600 })).toStrictEqual([]);
    const findings = apnsCheck({ iss: teamId, iat: nowS - 3601 });
    expect(findings.map((f) => f.code)).toStrictEqual(["APNS_TOKEN_TOO_OLD"]);
    expect(findings[0]!.message).toMatch(/3601 s ago.*403 ExpiredProviderToken/);
  });

  it("IAT_IN_FUTURE, IAT_MISSING, TIMESTAMP_NOT_INTEGER and header findings", () => {
    const future = apnsCheck({ iss: teamId, iat: nowS + 90 });
    expect(future.map((f) => f.code)).toStrictEqual(["IAT_IN_FUTURE"]);
    expect(future[0]!.message).toMatch(/90 s after now.*403/);
    expect(codes({ iss: teamId, iat: START })).toStrictEqual(["IAT_IN_FUTURE"]);
    expect(codes({ iss: teamId })).toStrictEqual(["IAT_MISSING"]);
    expect(codes({ iss: teamId, iat: nowS - 0.5 })).toStrictEqual(["TIMESTAMP_NOT_INTEGER"]);
    expect(codes({ iss: teamId, iat: nowS }, { alg: "ES256" })).toStrictEqual(["KID_MISSING"]);
  });

  it("without kind, an APNs token is recognised by its shape (Team ID iss, no aud or exp)", () => {
    const token = handToken(header, { iss: teamId, iat: nowS - 3601 }, key.privateKey);
    const found = checkAscToken(token, { now: () => START }).map((f) => f.code);
    expect(found).toStrictEqual(["APNS_TOKEN_TOO_OLD"]);
  });
});
