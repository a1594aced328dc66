import { describe, expect, it } from "vitest";
import { createApnsToken, createDeviceCheckToken } from "../../src/index.js";
import { minter, nowS, opened, teamId } from "../helpers/kinds.js";

// DeviceCheck tokens are built "the same steps you use to create a provider authentication token
// for APNs", so both are held to the same rules here.
describe.each([
  ["createApnsToken", createApnsToken],
  ["createDeviceCheckToken", createDeviceCheckToken],
] as const)("%s", (_, create) => {
  const mint = minter(create, { teamId });

  it("exact header {alg, kid} and claims {iss, iat}: no typ, no exp, no aud", async () => {
    const { headerText, claims } = opened(await mint());
    expect(headerText).toBe('{"alg":"ES256","kid":"2X9R4HXF34"}');
    expect(claims).toStrictEqual({ iss: teamId, iat: nowS - 60 });
    expect(Object.keys(claims)).toStrictEqual(["iss", "iat"]);
  });

  it.each([
    ["teamId missing", { teamId: undefined }, "INVALID_TEAM_ID"],
    ["teamId 9 characters", { teamId: "DEF123GHI" }, "INVALID_TEAM_ID"],
    ["teamId lower case", { teamId: "def123ghij" }, "INVALID_TEAM_ID"],
    ["teamId an issuer ID", { teamId: "57246542-96fe-1a63-e053-0824d011072a" }, "INVALID_TEAM_ID"],
  ])("%s → %s", async (_, extra, code) => {
    await expect(mint(extra)).rejects.toMatchObject({ code });
  });
});
