// A required identifier given as undefined or "" (`issuerId: process.env.ASC_ISSUER_ID` with the
// variable unset) is refused, naming the likely cause, by every kind and by the providers: never
// a different token. Only an issuerId left out of createAscToken's options asks for an
// individual key's token.
import { describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import { decodeToken } from "../../src/index.js";
import {
  KIND_SAMPLES,
  type Mint,
  NOW,
  PORTAL_KEY_ID,
  bundleId,
  key,
  keyId,
  loose,
  mintOf,
} from "../helpers/kinds.js";

/** The code each kind's required identifiers are refused with, by the kind's name. */
const IDS: Record<string, Record<string, string>> = {
  "app-store-connect": { issuerId: "INVALID_ISSUER_ID" },
  "app-store-server": { issuerId: "INVALID_ISSUER_ID", bundleId: "INVALID_BUNDLE_ID" },
  "in-app": { issuerId: "INVALID_ISSUER_ID", bundleId: "INVALID_BUNDLE_ID" },
  apns: { teamId: "INVALID_TEAM_ID" },
  devicecheck: { teamId: "INVALID_TEAM_ID" },
  "sign-in-with-apple": { teamId: "INVALID_TEAM_ID", clientId: "INVALID_CLIENT_ID" },
  musickit: { teamId: "INVALID_TEAM_ID" },
  weatherkit: { teamId: "INVALID_TEAM_ID", serviceId: "INVALID_SERVICE_ID" },
  mapkit: { teamId: "INVALID_TEAM_ID" },
  "apple-business-manager": { clientId: "INVALID_CLIENT_ID" },
  "apple-ads": { clientId: "INVALID_CLIENT_ID", teamId: "INVALID_TEAM_ID" },
};

/**
 * Each kind (every kind of TOKEN_KINDS, with its sample options, and the promotional offer
 * signature), the options it needs besides keyId, privateKey and now, and its required IDs.
 */
const kinds: [string, Mint, Record<string, unknown>, Record<string, string>][] = [
  ...api.TOKEN_KINDS.map(
    (kind): [string, Mint, Record<string, unknown>, Record<string, string>] => [
      kind.create,
      mintOf(kind.name),
      { ...KIND_SAMPLES[kind.name], ...(kind.keyId && { keyId: PORTAL_KEY_ID }) },
      IDS[kind.name] ?? {},
    ],
  ),
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
    expect(api.TOKEN_KINDS.filter((kind) => !(kind.name in IDS))).toStrictEqual([]);
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
