import { describe, expect, it } from "vitest";
import { createAppStoreServerToken } from "../../src/index.js";
import { bundleId, issuerId, minter, opened } from "../helpers/kinds.js";

const mint = minter(createAppStoreServerToken, { issuerId, bundleId });

describe("createAppStoreServerToken", () => {
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
