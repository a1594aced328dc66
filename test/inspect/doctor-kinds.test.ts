// The doctor on every kind: no finding on any token the library mints (defaults and documented
// maximum lifetimes), the kind guessed from the token, and one test per kind-only finding.
import { beforeAll, describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import {
  type AscTokenCheckOptions,
  checkAscToken,
  createApnsToken,
  createAppStoreServerToken,
} from "../../src/index.js";
import { type CheckKind, guessKind, KINDS } from "../../src/inspect/doctor.js";
import { decodeToken } from "../../src/inspect/decode.js";
import { TOKEN_KINDS } from "../../src/kinds/index.js";
import { type KindOnlyFindingCode } from "../helpers/codes.js";
import { KIND_SAMPLES, mintOf } from "../helpers/kinds.js";
import { handToken } from "../helpers/jwt.js";
import { makeP256, type P256Fixture } from "../helpers/keys.js";

const keyId = "2X9R4HXF34";
const teamId = "DEF123GHIJ";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const nowS = NOW / 1000;
const now = () => NOW;
type Kind = NonNullable<AscTokenCheckOptions["kind"]>;

let key: P256Fixture;
beforeAll(() => {
  key = makeP256();
});

const SIX_MONTHS = 15_777_000;
const bundleId = "com.example.app";
const clientId = "com.example.web";
type Row = [name: string, kind: Kind, options: Record<string, unknown>];
/** Every kind the library mints, at its default lifetime and at its documented maximum. */
const minted: Row[] = [
  ["App Store Connect", "app-store-connect", { issuerId }],
  ["App Store Connect, 1200 s", "app-store-connect", { issuerId, expiresIn: 1200 }],
  [
    "App Store Connect, individual, six months scoped",
    "app-store-connect",
    { expiresIn: SIX_MONTHS, scope: ["GET /v1/ciProducts"] },
  ],
  ["App Store Server", "app-store-server", { issuerId, bundleId }],
  ["App Store Server, 3600 s", "app-store-server", { issuerId, bundleId, expiresIn: 3600 }],
  ...(
    ["advanced-commerce-api", "promotional-offer", "introductory-offer-eligibility"] as const
  ).map((audience): Row => [`in-app JWS, ${audience}`, "in-app", { issuerId, bundleId, audience }]),
  ["APNs", "apns", { teamId }],
  ["DeviceCheck", "devicecheck", { teamId }],
  ...[undefined, SIX_MONTHS].flatMap((expiresIn): Row[] => {
    const at = expiresIn ? ", six months" : "";
    const web = { scope: ["mapkit_js", "server_api"], origin: "https://example.com" };
    return [
      [`Sign in with Apple${at}`, "sign-in-with-apple", { teamId, clientId, expiresIn }],
      [`MusicKit${at}`, "musickit", { teamId, expiresIn, origin: ["https://example.com"] }],
      [`WeatherKit${at}`, "weatherkit", { teamId, serviceId: "com.example.weather", expiresIn }],
      [`MapKit${at}`, "mapkit", { teamId, expiresIn }],
      [`MapKit for the web${at}`, "mapkit", { teamId, expiresIn, ...web }],
    ];
  }),
];

describe("checkAscToken: no finding on any token the library mints", () => {
  it.each(minted)("%s: no findings, guessed or told its kind", async (_, kind, options) => {
    const token = await mintOf(kind)({ ...options, privateKey: key.applePem });
    expect(checkAscToken(token, { now, kind })).toStrictEqual([]);
    expect(checkAscToken(token, { now })).toStrictEqual([]);
    const { header, claims } = decodeToken(token);
    // DeviceCheck's token is APNs's to the byte: it is guessed as APNs, judged by the same rules.
    expect(guessKind(header, claims).kind).toBe(kind === "devicecheck" ? "apns" : kind);
  });

  it("a token judged as another kind gets that kind's findings (the guess can be overruled)", async () => {
    const apns = await createApnsToken({ keyId, teamId, privateKey: key.applePem, now });
    const asAsc = checkAscToken(apns, { now, kind: "app-store-connect" }).map((f) => f.code);
    expect(asAsc).toStrictEqual(["TYP_MISSING", "ISS_NOT_UUID", "AUD_WRONG", "EXP_MISSING"]);
    const server = await createAppStoreServerToken({
      keyId,
      issuerId,
      bundleId: "com.example.app",
      privateKey: key.applePem,
      now,
      expiresIn: 3600,
    });
    const asAscServer = checkAscToken(server, { now, kind: "app-store-connect" });
    expect(asAscServer.map((f) => f.code)).toStrictEqual(["LIFETIME_TOO_LONG"]);
  });

  it("an unknown kind throws INVALID_OPTIONS naming the kinds", async () => {
    const token = await createApnsToken({ keyId, teamId, privateKey: key.applePem, now });
    expect(() => checkAscToken(token, { kind: "push" as never })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS" }),
    );
    expect(() => checkAscToken(token, { kind: "push" as never })).toThrow(/apns/);
  });
});

type Json = Record<string, unknown>;

describe("checkAscToken: one test per finding only other kinds have", () => {
  const server = {
    iss: issuerId,
    iat: nowS - 60,
    exp: nowS + 240,
    aud: "appstoreconnect-v1",
    bid: "com.example.app",
  };
  const inApp = {
    iss: issuerId,
    iat: nowS - 60,
    aud: "promotional-offer",
    bid: "com.example.app",
    nonce: "a1b2c3d4-0000-4000-8000-000000000001",
  };
  const weather = { iss: teamId, iat: nowS - 60, exp: nowS + 3540, sub: "com.example.weather" };
  const weatherHeader = { alg: "ES256", kid: keyId, id: `${teamId}.com.example.weather` };
  const jwtHeader = { alg: "ES256", kid: keyId, typ: "JWT" };
  const plain = { alg: "ES256", kid: keyId };
  const cases: Record<
    KindOnlyFindingCode,
    // shown: the token's shape points to its kind, so the guess finds the same.
    { kind: Kind; header: Json; claims: Json; match: RegExp; shown?: false }
  > = {
    APNS_TOKEN_TOO_OLD: {
      kind: "devicecheck",
      header: plain,
      claims: { iss: teamId, iat: nowS - 3601 },
      match: /3601 s ago, over an hour/,
    },
    ISS_MISSING: {
      kind: "apns",
      header: plain,
      claims: { iat: nowS },
      match: /no iss, and APNs answers 403.*10-character Team ID/,
      shown: false, // without iss, nothing says APNs
    },
    ISS_NOT_TEAM_ID: {
      kind: "sign-in-with-apple",
      header: plain,
      claims: {
        iss: issuerId,
        iat: nowS,
        exp: nowS + 60,
        aud: "https://appleid.apple.com",
        sub: "com.example.web",
      },
      match: /a UUID is an issuer ID.*not a Team ID.*invalid_client/,
    },
    BID_INVALID: {
      kind: "app-store-server",
      header: jwtHeader,
      claims: { ...server, bid: undefined },
      match: /no bid.*bundle ID/,
      shown: false, // bid is what tells it from an App Store Connect token
    },
    SUB_INVALID: {
      kind: "weatherkit",
      header: { ...weatherHeader, id: `${teamId}.com.example weather` },
      claims: { ...weather, sub: "com.example weather" },
      match: /sub is "com.example weather".*Services ID/,
    },
    HEADER_ID_WRONG: {
      kind: "weatherkit",
      header: { ...weatherHeader, id: "com.example.weather" },
      claims: weather,
      match: /header's id is "com.example.weather".*Team ID and Services ID/,
    },
    NONCE_INVALID: {
      kind: "in-app",
      header: jwtHeader,
      claims: { ...inApp, nonce: "12345" },
      match: /nonce is "12345".*UUID/,
    },
    EXP_PRESENT: {
      kind: "in-app",
      header: jwtHeader,
      claims: { ...inApp, exp: nowS + 300 },
      match: /have an exp.*Drop exp/,
    },
  };

  it.each(Object.entries(cases))("%s", (code, { kind, header, claims, match, shown }) => {
    const token = handToken(header, claims, key.privateKey);
    const findings = checkAscToken(token, { now, kind });
    expect(findings.map((f) => f.code)).toStrictEqual([code]);
    expect(findings[0]!.message).toMatch(match);
    // Guessed from the token's shape, the same finding.
    if (shown !== false) {
      expect(checkAscToken(token, { now }).map((f) => f.code)).toStrictEqual([code]);
    }
  });

  it("kind-specific limits: App Store Server's hour, six months for Sign in with Apple and MusicKit, none for WeatherKit and MapKit", () => {
    const at = (kind: Kind, header: Json, claims: Json) =>
      checkAscToken(handToken(header, claims, key.privateKey), { now, kind }).map((f) => f.code);
    expect(at("app-store-server", jwtHeader, { ...server, exp: nowS - 60 + 3601 })).toStrictEqual([
      "LIFETIME_TOO_LONG",
    ]);
    const siwa = {
      iss: teamId,
      iat: nowS - 60,
      aud: "https://appleid.apple.com",
      sub: "com.example.web",
    };
    expect(
      at("sign-in-with-apple", plain, { ...siwa, exp: nowS - 60 + SIX_MONTHS + 1 }),
    ).toStrictEqual(["LIFETIME_TOO_LONG"]);
    expect(
      at("musickit", plain, { iss: teamId, iat: nowS - 60, exp: nowS + 2 * SIX_MONTHS }),
    ).toStrictEqual(["LIFETIME_TOO_LONG"]);
    expect(
      at("weatherkit", weatherHeader, { ...weather, exp: nowS + 2 * SIX_MONTHS }),
    ).toStrictEqual([]);
    expect(
      at("mapkit", jwtHeader, { iss: teamId, iat: nowS - 60, exp: nowS + 2 * SIX_MONTHS }),
    ).toStrictEqual([]);
  });

  it("the other kinds' shared findings: aud, times, expiry, signature", () => {
    const at = (kind: Kind, header: Json, claims: Json, der = false) =>
      checkAscToken(handToken(header, claims, key.privateKey, { der }), { now, kind }).map(
        (f) => f.code,
      );
    expect(
      at("app-store-server", jwtHeader, { ...server, aud: "appstoreconnect-v2" }),
    ).toStrictEqual(["AUD_WRONG"]);
    expect(at("app-store-server", plain, { ...server, iss: teamId })).toStrictEqual([
      "TYP_MISSING",
      "ISS_NOT_UUID",
    ]);
    expect(at("musickit", plain, { iss: teamId, iat: nowS - 60.5 })).toStrictEqual([
      "EXP_MISSING",
      "TIMESTAMP_NOT_INTEGER",
    ]);
    expect(at("mapkit", plain, { iss: teamId, exp: nowS - 1 })).toStrictEqual([
      "IAT_MISSING",
      "EXPIRED",
    ]);
    expect(at("apns", plain, { iss: teamId, iat: nowS + 120 }, true)).toStrictEqual([
      "IAT_IN_FUTURE",
      "SIGNATURE_NOT_RAW",
    ]);
  });
});

/** The longest lifetime `kind` lets a token with `claims` have, by bisection of its rule. */
const longest = (kind: (typeof TOKEN_KINDS)[number], claims: Json): number => {
  let [low, high] = [1, 2 ** 31];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (kind.lifetime.problem(mid, claims) === undefined) low = mid;
    else high = mid - 1;
  }
  return low;
};

describe("checkAscToken: no finding on a token of any kind of TOKEN_KINDS, at default and at maximum lifetime", () => {
  const mints = api as unknown as Record<string, (options: object) => Promise<string>>;
  const cases = TOKEN_KINDS.flatMap((kind) => {
    const options = { keyId, privateKey: "", now, ...KIND_SAMPLES[kind.name] };
    const max = kind.lifetime.default === undefined ? [] : [longest(kind, {})];
    return [undefined, ...max].map((expiresIn) => [kind.name, expiresIn, kind, options] as const);
  });

  it("covers every kind, and a kind with exp at two lifetimes", () => {
    expect(new Set(cases.map(([name]) => name))).toStrictEqual(
      new Set(TOKEN_KINDS.map(({ name }) => name)),
    );
    expect(cases.length).toBeGreaterThan(TOKEN_KINDS.length);
  });

  it.each(cases)("%s, expiresIn %s", async (name, expiresIn, kind, options) => {
    const mint = mints[kind.create]!;
    const token = await mint({
      ...options,
      privateKey: key.applePem,
      ...(expiresIn !== undefined && { expiresIn }),
    });
    const { header, claims } = decodeToken(token);
    if (expiresIn !== undefined)
      expect((claims.exp as number) - (claims.iat as number)).toBe(expiresIn);
    expect(checkAscToken(token, { now, kind: name })).toStrictEqual([]);
    expect(checkAscToken(token, { now })).toStrictEqual([]);
    // DeviceCheck's token is APNs's to the byte: it is guessed as APNs, judged by the same rules.
    expect(guessKind(header, claims).kind).toBe(name === "devicecheck" ? "apns" : name);
    // A kind without exp: no finding until the token is as old as Apple takes it.
    const { maxAge } = kind.lifetime;
    if (maxAge !== undefined) {
      const oldest = (claims.iat as number) + maxAge;
      expect(checkAscToken(token, { now: oldest * 1000, kind: name })).toStrictEqual([]);
    }
  });
});

describe("KINDS", () => {
  it("lists every kind of the option's type once, and each is accepted", async () => {
    // A Record over the union: the compiler fails this file if a kind is missing here.
    const every: Record<CheckKind, true> = {
      "app-store-connect": true,
      "app-store-server": true,
      "in-app": true,
      apns: true,
      devicecheck: true,
      "sign-in-with-apple": true,
      musickit: true,
      weatherkit: true,
      mapkit: true,
      "apple-business-manager": true,
      "apple-ads": true,
    };
    expect([...KINDS].sort()).toStrictEqual(Object.keys(every).sort());
    const token = await createApnsToken({ keyId, teamId, privateKey: key.applePem, now });
    for (const kind of KINDS) expect(() => checkAscToken(token, { now, kind })).not.toThrow();
  });
});

describe("guessKind", () => {
  it.each([
    [{}, { iss: issuerId, aud: "appstoreconnect-v1" }, "app-store-connect"],
    [{}, { sub: "user" }, "app-store-connect"],
    [{}, { iss: "A1B2C3D4E5", aud: ["appstoreconnect-v1"] }, "app-store-connect"],
    [{}, { iss: issuerId, aud: "appstoreconnect-v1", bid: "x" }, "app-store-server"],
    [{}, { aud: "https://appleid.apple.com" }, "sign-in-with-apple"],
    [{}, { aud: "advanced-commerce-api" }, "in-app"],
    [{}, { aud: "https://account.apple.com/auth/oauth2/v2/token" }, "apple-business-manager"],
    [{}, { aud: "https://appleid.apple.com", iss: "SEARCHADS.27478e71-3bb0" }, "apple-ads"],
    [{}, { aud: "https://appleid.apple.com", iss: "SEARCHADS" }, "sign-in-with-apple"],
    [{}, { iss: teamId, iat: 1 }, "apns"],
    [{ id: "x" }, { iss: teamId, exp: 1 }, "weatherkit"],
    [{ typ: "JWT" }, { iss: teamId, exp: 1 }, "mapkit"],
    [{}, { iss: teamId, exp: 1, origin: "https://example.com" }, "mapkit"],
    [{}, { iss: teamId, exp: 1, origin: ["https://example.com"] }, "musickit"],
  ] as [Json, Json, Kind][])("%j %j: %s", (header, claims, kind) => {
    expect(guessKind(header, claims).kind).toBe(kind);
  });
});

describe("the OAuth kinds: Apple Business Manager's client assertion, Apple Ads' client secret", () => {
  const clientId = "BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152";
  const adsId = "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577";
  const uuidKid = { alg: "ES256", kid: "d136aa66-0c3b-4bd4-9892-c20e8db024ab" };
  const abm = {
    iss: clientId,
    sub: clientId,
    aud: "https://account.apple.com/auth/oauth2/v2/token",
    iat: nowS - 60,
    exp: nowS + 3540,
    jti: "a1b2c3d4-0000-4000-8000-000000000001",
  };
  const ads = { iss: adsId, sub: adsId, aud: "https://appleid.apple.com", iat: nowS - 60 };
  const judge = (header: Json, claims: Json, kind?: Kind) =>
    checkAscToken(handToken(header, claims, key.privateKey), { now, kind });

  it("a UUID kid is their key ID; anything the portal's check refuses is KID_MALFORMED", () => {
    expect(judge(uuidKid, abm)).toStrictEqual([]);
    const bad = judge({ ...uuidKid, kid: "d136aa66 0c3b" }, abm);
    expect(bad.map((f) => f.code)).toStrictEqual(["KID_MALFORMED"]);
    expect(bad[0]!.message).toMatch(
      /not a key ID as the portal shows it \(a UUID\).*invalid_client/,
    );
    // The other kinds still want 10 characters.
    const apns = judge(uuidKid, { iss: teamId, iat: nowS }, "apns");
    expect(apns.map((f) => f.code)).toStrictEqual(["KID_MALFORMED"]);
  });

  it("judges iss, aud, sub and Apple's 180 days", () => {
    const codes = (header: Json, claims: Json, kind?: Kind) =>
      judge(header, claims, kind).map((f) => f.code);
    expect(codes(uuidKid, { ...abm, iss: undefined })).toStrictEqual(["ISS_MISSING"]);
    expect(
      codes(
        uuidKid,
        { ...abm, aud: "https://account.apple.com/auth/oauth2/token" },
        "apple-business-manager",
      ),
    ).toStrictEqual(["AUD_WRONG"]);
    expect(codes(uuidKid, { ...abm, sub: "not an id" })).toStrictEqual(["SUB_INVALID"]);
    expect(codes(uuidKid, { ...ads, exp: nowS - 60 + 15_552_000 })).toStrictEqual([
      "LIFETIME_TOO_LONG",
    ]);
    expect(codes(uuidKid, { ...ads, exp: nowS - 60 + 15_551_999 })).toStrictEqual([]);
    expect(codes(uuidKid, ads)).toStrictEqual(["EXP_MISSING"]);
    expect(judge(uuidKid, ads)[0]!.message).toMatch(
      /no exp, and Apple's token endpoint answers invalid_client: an Apple Ads client secret needs an expiry/,
    );
    const message = judge(uuidKid, { ...ads, exp: nowS + 2e7 })[0]!.message;
    expect(message).toMatch(
      /exp − iat is \d+ s, and a lifetime must be <= 15551999 s: Apple wants exp less than 180 days/,
    );
  });
});
