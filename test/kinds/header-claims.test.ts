// The exact header and claims, in order, every kind mints at a fixed clock, for default and full
// options: a change here is a change of the tokens users send to Apple, and must be one the
// CHANGELOG names. One table for every kind of TOKEN_KINDS (the last test checks none is left out).
import { describe, expect, it } from "vitest";
import { TOKEN_KINDS } from "../../src/index.js";
import {
  ABM_CLIENT as ABM,
  ADS_CLIENT as ADS,
  ADS_TEAM,
  PORTAL_KEY_ID,
  bundleId,
  issuerId,
  keyId,
  mintOf,
  nowS,
  opened,
  teamId,
} from "../helpers/kinds.js";

type Json = Record<string, unknown>;
const iat = nowS - 60;
/** Audiences. */
const ASC = "appstoreconnect-v1";
const ENTERPRISE = "apple-developer-enterprise-v1";
const APPLE_ID = "https://appleid.apple.com";
/** Option values. */
const scope = ["GET /v1/ciProducts"];
const origin = ["https://example.com"];
const nonce = "3b6b4a9e-5f2d-4c8e-9a61-2f0c8d7e1b44";
const clientId = "com.example.web";
const serviceId = "com.example.weather";
const siwa = { teamId, clientId };
const inApp = {
  productId: "com.example.monthly",
  offerIdentifier: "WINBACK50",
  transactionId: "1",
};
const jti = expect.stringMatching(/^[\da-f]{8}(-[\da-f]{4}){3}-[\da-f]{12}$/) as unknown;

/** The header fields after `alg` and `kid`. */
const JWT = { typ: "JWT" };
const BARE = {};

/** A case: its kind, the options besides keyId, privateKey and now, the header and the claims. */
interface Case {
  name: string;
  kind: string;
  options: Json;
  /** The header's fields after `alg` and `kid`. */
  header: Json;
  /** The claims, in the order Apple lists them. */
  claims: Json;
}
const cases: Case[] = [
  {
    name: "asc team",
    kind: "app-store-connect",
    options: { issuerId },
    header: JWT,
    claims: { iss: issuerId, iat, exp: iat + 1140, aud: ASC },
  },
  {
    name: "asc individual",
    kind: "app-store-connect",
    options: {},
    header: JWT,
    claims: { sub: "user", iat, exp: iat + 1140, aud: ASC },
  },
  {
    name: "asc scoped long-lived",
    kind: "app-store-connect",
    options: { issuerId, scope, expiresIn: 15_777_000 },
    header: JWT,
    claims: { iss: issuerId, iat, exp: iat + 15_777_000, aud: ASC, scope },
  },
  {
    name: "asc enterprise",
    kind: "app-store-connect",
    options: { issuerId, audience: ENTERPRISE },
    header: JWT,
    claims: { iss: issuerId, iat, exp: iat + 1140, aud: ENTERPRISE },
  },
  {
    name: "app store server",
    kind: "app-store-server",
    options: { issuerId, bundleId },
    header: JWT,
    claims: { iss: issuerId, iat, exp: iat + 300, aud: ASC, bid: bundleId },
  },
  {
    name: "app store server 3600",
    kind: "app-store-server",
    options: { issuerId, bundleId, expiresIn: 3600 },
    header: JWT,
    claims: { iss: issuerId, iat, exp: iat + 3600, aud: ASC, bid: bundleId },
  },
  {
    name: "in-app: base claims in Apple's order, then the feature claims; no exp",
    kind: "in-app",
    options: { issuerId, bundleId, audience: "promotional-offer", nonce, claims: inApp },
    header: JWT,
    claims: { iss: issuerId, iat, aud: "promotional-offer", bid: bundleId, nonce, ...inApp },
  },
  {
    name: "apns: no typ, no exp, no aud",
    kind: "apns",
    options: { teamId },
    header: BARE,
    claims: { iss: teamId, iat },
  },
  {
    name: "devicecheck: APNs's header and claims",
    kind: "devicecheck",
    options: { teamId },
    header: BARE,
    claims: { iss: teamId, iat },
  },
  {
    name: "devicecheck, clockTolerance 5",
    kind: "devicecheck",
    options: { teamId, clockTolerance: 5 },
    header: BARE,
    claims: { iss: teamId, iat: nowS - 5 },
  },
  {
    name: "siwa 86400",
    kind: "sign-in-with-apple",
    options: { ...siwa, expiresIn: 86_400 },
    header: BARE,
    claims: { iss: teamId, iat, exp: iat + 86_400, aud: APPLE_ID, sub: clientId },
  },
  {
    name: "siwa",
    kind: "sign-in-with-apple",
    options: siwa,
    header: BARE,
    claims: { iss: teamId, iat, exp: iat + 3600, aud: APPLE_ID, sub: clientId },
  },
  {
    name: "musickit: no origin unless given",
    kind: "musickit",
    options: { teamId },
    header: BARE,
    claims: { iss: teamId, iat, exp: iat + 3600 },
  },
  {
    name: "musickit origin",
    kind: "musickit",
    options: { teamId, origin, expiresIn: 86_400 },
    header: BARE,
    claims: { iss: teamId, iat, exp: iat + 86_400, origin },
  },
  {
    name: "weatherkit",
    kind: "weatherkit",
    options: { teamId, serviceId },
    header: { id: `${teamId}.${serviceId}` },
    claims: { iss: teamId, iat, exp: iat + 3600, sub: serviceId },
  },
  {
    name: "mapkit: scope and origin only when given",
    kind: "mapkit",
    options: { teamId },
    header: JWT,
    claims: { iss: teamId, iat, exp: iat + 3600 },
  },
  {
    name: "mapkit server",
    kind: "mapkit",
    options: { teamId, scope: "server_api" },
    header: JWT,
    claims: { iss: teamId, iat, exp: iat + 3600, scope: "server_api" },
  },
  {
    name: "mapkit, Apple's Maps Server API example",
    kind: "mapkit",
    options: { teamId, scope: "server_api", origin: "*.example.com" },
    header: JWT,
    claims: { iss: teamId, iat, exp: iat + 3600, scope: "server_api", origin: "*.example.com" },
  },
  {
    name: "mapkit js",
    kind: "mapkit",
    options: { teamId, scope: ["mapkit_js", "web_snapshots"], origin: "*.example.com" },
    header: JWT,
    claims: {
      iss: teamId,
      iat,
      exp: iat + 3600,
      scope: "mapkit_js web_snapshots",
      origin: "*.example.com",
    },
  },
  {
    name: "apple business manager: iss = sub = client ID, a jti",
    kind: "apple-business-manager",
    options: { keyId: PORTAL_KEY_ID, clientId: ABM },
    header: BARE,
    claims: {
      iss: ABM,
      sub: ABM,
      aud: "https://account.apple.com/auth/oauth2/v2/token",
      iat,
      exp: iat + 3600,
      jti,
    },
  },
  {
    name: "apple ads: iss the team ID, sub the client ID; no jti",
    kind: "apple-ads",
    options: { keyId: PORTAL_KEY_ID, clientId: ADS, teamId: ADS_TEAM, expiresIn: 86_400 },
    header: BARE,
    claims: { iss: ADS_TEAM, iat, exp: iat + 86_400, aud: APPLE_ID, sub: ADS },
  },
];

describe("header and claims at a fixed clock", () => {
  it.each(cases)("$name", async ({ kind, options, header, claims }) => {
    const token = opened(await mintOf(kind)(options));
    const kid = (options.keyId as string | undefined) ?? keyId;
    expect(token.headerText).toBe(JSON.stringify({ alg: "ES256", kid, ...header }));
    expect(token.claims).toStrictEqual(claims);
    expect(Object.keys(token.claims)).toStrictEqual(Object.keys(claims));
  });

  it("has a case for every kind of TOKEN_KINDS", () => {
    const covered = new Set(cases.map(({ kind }) => kind));
    expect(TOKEN_KINDS.map((kind) => kind.name).filter((name) => !covered.has(name))).toEqual([]);
  });
});
