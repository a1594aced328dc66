// The header and claims every kind mints at a fixed clock, for default and full options: a change
// here is a change of the tokens users send to Apple, and must be one the CHANGELOG names.
import { describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import { NOW, bundleId, issuerId, key, keyId, opened, teamId } from "../helpers/kinds.js";

type Mint = (options: Record<string, unknown>) => Promise<string>;
const nonce = "3b6b4a9e-5f2d-4c8e-9a61-2f0c8d7e1b44";
const cases: [string, Mint, Record<string, unknown>][] = [
  ["asc team", api.createAscToken as unknown as Mint, { issuerId }],
  ["asc individual", api.createAscToken as unknown as Mint, {}],
  [
    "asc scoped long-lived",
    api.createAscToken as unknown as Mint,
    { issuerId, scope: ["GET /v1/ciProducts"], expiresIn: 15_777_000 },
  ],
  [
    "asc enterprise",
    api.createAscToken as unknown as Mint,
    { issuerId, audience: "apple-developer-enterprise-v1" },
  ],
  ["app store server", api.createAppStoreServerToken as unknown as Mint, { issuerId, bundleId }],
  [
    "app store server 3600",
    api.createAppStoreServerToken as unknown as Mint,
    { issuerId, bundleId, expiresIn: 3600 },
  ],
  [
    "in-app",
    api.createInAppSignature as unknown as Mint,
    {
      issuerId,
      bundleId,
      audience: "promotional-offer",
      nonce,
      claims: { productId: "p", offerIdentifier: "o" },
    },
  ],
  ["apns", api.createApnsToken as unknown as Mint, { teamId }],
  ["devicecheck", api.createDeviceCheckToken as unknown as Mint, { teamId, clockTolerance: 5 }],
  [
    "siwa",
    api.createSignInWithAppleSecret as unknown as Mint,
    { teamId, clientId: "com.example.web" },
  ],
  ["musickit", api.createMusicKitToken as unknown as Mint, { teamId }],
  [
    "musickit origin",
    api.createMusicKitToken as unknown as Mint,
    { teamId, origin: ["https://example.com"], expiresIn: 86_400 },
  ],
  [
    "weatherkit",
    api.createWeatherKitToken as unknown as Mint,
    { teamId, serviceId: "com.example.weather" },
  ],
  ["mapkit server", api.createMapKitToken as unknown as Mint, { teamId, scope: "server_api" }],
  [
    "mapkit js",
    api.createMapKitToken as unknown as Mint,
    { teamId, scope: ["mapkit_js", "web_snapshots"], origin: "*.example.com" },
  ],
];

describe("header and claims at a fixed clock", () => {
  it.each(cases)("%s", async (_, mint, extra) => {
    const token = await mint({ keyId, privateKey: key().applePem, now: () => NOW, ...extra });
    const { header, claims } = opened(token);
    expect(JSON.stringify([header, claims])).toMatchSnapshot();
  });
});
