import { describe, expect, it } from "vitest";
import { createWeatherKitToken } from "../../src/index.js";
import { minter, nowS, opened, teamId } from "../helpers/kinds.js";

const serviceId = "com.example.weather";
const mint = minter(createWeatherKitToken, { teamId, serviceId });

describe("createWeatherKitToken", () => {
  it('exact header {alg, kid, id: "TEAMID.SERVICEID"} and only the claims iss, iat, exp, sub', async () => {
    const { headerText, claims } = opened(await mint());
    expect(headerText).toBe(
      '{"alg":"ES256","kid":"2X9R4HXF34","id":"DEF123GHIJ.com.example.weather"}',
    );
    expect(claims).toStrictEqual({ iss: teamId, iat: nowS - 60, exp: nowS + 3540, sub: serviceId });
    expect(Object.keys(claims)).toStrictEqual(["iss", "iat", "exp", "sub"]);
  });

  it.each([
    ["teamId missing", { teamId: undefined }, "INVALID_TEAM_ID"],
    ["teamId lower case", { teamId: "def123ghij" }, "INVALID_TEAM_ID"],
    ["serviceId missing", { serviceId: undefined }, "INVALID_SERVICE_ID"],
    ["serviceId with a slash", { serviceId: "com/example" }, "INVALID_SERVICE_ID"],
    ["serviceId ending in a period", { serviceId: "com.example." }, "INVALID_SERVICE_ID"],
  ])("%s → %s", async (_, extra, code) => {
    await expect(mint(extra)).rejects.toMatchObject({ code });
  });
});
