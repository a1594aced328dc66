// A required identifier given as undefined or "" (`issuerId: process.env.ASC_ISSUER_ID` with the
// variable unset) is refused, naming the likely cause, by every kind and by the providers: never
// a different token. Only an issuerId left out of createAscToken's options asks for an
// individual key's token.
import { describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import { decodeToken } from "../../src/index.js";
import { type Mint, NOW, bundleId, issuerId, key, keyId, loose, teamId } from "../helpers/kinds.js";

/** The Key ID of Apple Business Manager's and Apple Ads' portals: a UUID. */
const PORTAL_KEY_ID = "d136aa66-0c3b-4bd4-9892-c20e8db024ab";

/** Each kind, the options it needs besides keyId, privateKey and now, and its required IDs. */
const kinds: [string, Mint, Record<string, unknown>, Record<string, string>][] = [
  ["createAscToken", loose(api.createAscToken), { issuerId }, { issuerId: "INVALID_ISSUER_ID" }],
  [
    "createAppStoreServerToken",
    loose(api.createAppStoreServerToken),
    { issuerId, bundleId },
    { issuerId: "INVALID_ISSUER_ID", bundleId: "INVALID_BUNDLE_ID" },
  ],
  [
    "createInAppSignature",
    loose(api.createInAppSignature),
    {
      issuerId,
      bundleId,
      audience: "promotional-offer",
      claims: { productId: "p", offerIdentifier: "o" },
    },
    { issuerId: "INVALID_ISSUER_ID", bundleId: "INVALID_BUNDLE_ID" },
  ],
  [
    "createPromotionalOfferSignature",
    loose(api.createPromotionalOfferSignature),
    { bundleId, productId: "com.example.monthly", offerIdentifier: "WINBACK50" },
    {
      bundleId: "INVALID_BUNDLE_ID",
      productId: "INVALID_PRODUCT_ID",
      offerIdentifier: "INVALID_OFFER_IDENTIFIER",
    },
  ],
  ["createApnsToken", loose(api.createApnsToken), { teamId }, { teamId: "INVALID_TEAM_ID" }],
  [
    "createSignInWithAppleSecret",
    loose(api.createSignInWithAppleSecret),
    { teamId, clientId: "com.example.web" },
    { teamId: "INVALID_TEAM_ID", clientId: "INVALID_CLIENT_ID" },
  ],
  [
    "createMusicKitToken",
    loose(api.createMusicKitToken),
    { teamId },
    { teamId: "INVALID_TEAM_ID" },
  ],
  [
    "createWeatherKitToken",
    loose(api.createWeatherKitToken),
    { teamId, serviceId: "com.example.weather" },
    { teamId: "INVALID_TEAM_ID", serviceId: "INVALID_SERVICE_ID" },
  ],
  [
    "createMapKitToken",
    loose(api.createMapKitToken),
    { teamId, scope: ["mapkit_js"], origin: "https://example.com" },
    { teamId: "INVALID_TEAM_ID" },
  ],
  [
    "createAppleBusinessManagerAssertion",
    loose(api.createAppleBusinessManagerAssertion),
    { keyId: PORTAL_KEY_ID, clientId: "BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152" },
    { clientId: "INVALID_CLIENT_ID" },
  ],
  [
    "createAppleAdsClientSecret",
    loose(api.createAppleAdsClientSecret),
    {
      keyId: PORTAL_KEY_ID,
      clientId: "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577",
      teamId: "SEARCHADS.9703f56c-10ce-4876-8f59-e78e5e23a152",
    },
    { clientId: "INVALID_CLIENT_ID", teamId: "INVALID_TEAM_ID" },
  ],
  [
    "createDeviceCheckToken",
    loose(api.createDeviceCheckToken),
    { teamId },
    { teamId: "INVALID_TEAM_ID" },
  ],
];

const rows = kinds.flatMap(([name, mint, required, ids]) =>
  [{ keyId: "INVALID_KEY_ID", ...ids }].flatMap((codes) =>
    Object.entries(codes).flatMap(([option, code]) =>
      [undefined, ""].map((value) => ({ name, mint, required, option, code, value })),
    ),
  ),
);

describe("a required identifier given as undefined or empty is refused, naming the cause", () => {
  it("covers every kind the package exports", () => {
    const minting = Object.keys(api).filter((name) =>
      /^create(?!.*Provider)\w+(?:Token|Signature|Secret|Assertion)$/.test(name),
    );
    expect(kinds.map(([name]) => name).sort()).toStrictEqual(minting.sort());
  });

  it.each(rows)("$name: $option = $value", async ({ mint, required, option, code, value }) => {
    const options = { keyId, privateKey: key().applePem, now: () => NOW, ...required };
    await expect(mint(options)).resolves.toBeDefined(); // the row's base options are good
    const error = await mint({ ...options, [option]: value }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(api.AscTokenError);
    expect((error as api.AscTokenError).code).toBe(code);
    expect((error as Error).message).toContain(`${option} must be`);
    expect((error as Error).message).toContain("(an unset environment variable?)");
  });
});

describe("createAscToken: only an issuerId left out asks for an individual key", () => {
  const base = { keyId, privateKey: key().applePem, now: () => NOW };

  it("left out: an individual key's token (sub: user, no iss)", async () => {
    const { claims } = decodeToken(await api.createAscToken(base));
    expect(claims.sub).toBe("user");
    expect(claims).not.toHaveProperty("iss");
  });

  it.each([
    ["undefined", { issuerId: undefined }],
    ["empty", { issuerId: "" }],
    ["inherited undefined", Object.create({ issuerId: undefined }) as object],
  ])("%s: refused, saying how to ask for an individual key", async (_, extra) => {
    const options = Object.assign(Object.create(extra) as object, base);
    await expect(api.createAscToken(options as api.AscTokenOptions)).rejects.toMatchObject({
      code: "INVALID_ISSUER_ID",
      message:
        "issuerId must be a UUID (or left out for an individual key); got " +
        `${JSON.stringify(Object.values(extra)[0]) ?? "undefined"} (an unset environment variable?)`,
    });
  });

  it("the providers refuse it on construction", () => {
    const options = { ...base, issuerId: undefined } as unknown as api.AscTokenOptions;
    expect(() => api.createAscTokenProvider(options)).toThrow(/unset environment variable/);
    expect(() => api.createTokenProvider(api.createAscToken, options)).toThrow(
      /unset environment variable/,
    );
    expect(() =>
      api.createApnsTokenProvider({
        ...base,
        teamId: undefined,
      } as unknown as api.ApnsTokenOptions),
    ).toThrow(/teamId must be .*unset environment variable/);
  });
});
