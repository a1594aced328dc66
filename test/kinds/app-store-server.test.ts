import { describe, expect, it } from "vitest";
import { createAppStoreServerToken } from "../../src/index.js";
import { bundleId, issuerId, minter, nowS, opened } from "../helpers/kinds.js";

const mint = minter(createAppStoreServerToken, { issuerId, bundleId });

describe("createAppStoreServerToken", () => {
  it("exact header and claims, in Apple's order", async () => {
    const { headerText, claims } = opened(await mint());
    expect(headerText).toBe('{"alg":"ES256","kid":"2X9R4HXF34","typ":"JWT"}');
    expect(claims).toStrictEqual({
      iss: issuerId,
      iat: nowS - 60,
      exp: nowS + 240,
      aud: "appstoreconnect-v1",
      bid: bundleId,
    });
    expect(Object.keys(claims)).toStrictEqual(["iss", "iat", "exp", "aud", "bid"]);
  });

  it.each([
    ["issuerId missing", { issuerId: undefined }, "INVALID_ISSUER_ID"],
    ["issuerId not a UUID", { issuerId: "57246542-96fe-1a63-e053" }, "INVALID_ISSUER_ID"],
    ["bundleId missing", { bundleId: undefined }, "INVALID_BUNDLE_ID"],
    ["bundleId empty", { bundleId: "" }, "INVALID_BUNDLE_ID"],
    ["bundleId with a space", { bundleId: "com.example app" }, "INVALID_BUNDLE_ID"],
    ["bundleId with an empty part", { bundleId: "com..example" }, "INVALID_BUNDLE_ID"],
  ])("%s → %s", async (_, extra, code) => {
    await expect(mint(extra)).rejects.toMatchObject({ code });
  });

  it("names a key ID or Team ID given as the issuer ID, as createAscToken does", async () => {
    await expect(mint({ issuerId: "DEF123GHIJ" })).rejects.toThrow(
      "issuerId must be the issuer ID (a UUID) from App Store Connect → Users and Access → Integrations; got a key ID or Team ID",
    );
    await expect(mint({ issuerId: "team" })).rejects.toThrow(/; got "team"$/);
  });

  it("accepts bundle IDs of letters, digits, hyphens and periods", async () => {
    expect(opened(await mint({ bundleId: "com.Example-2.app" })).claims.bid).toBe(
      "com.Example-2.app",
    );
  });
});
