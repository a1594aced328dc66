import { describe, expect, it } from "vitest";
import { createMapKitToken } from "../../src/index.js";
import { minter, nowS, opened, teamId } from "../helpers/kinds.js";

const mint = minter(createMapKitToken, { teamId });

describe("createMapKitToken", () => {
  it("exact header {alg, kid, typ} and claims iss, iat, exp; scope and origin only when given", async () => {
    const { headerText, claims } = opened(await mint());
    expect(headerText).toBe('{"alg":"ES256","kid":"2X9R4HXF34","typ":"JWT"}');
    expect(claims).toStrictEqual({ iss: teamId, iat: nowS - 60, exp: nowS + 3540 });
  });

  it("Apple's Maps Server API example: scope server_api, origin *.example.com", async () => {
    const { claims } = opened(await mint({ scope: "server_api", origin: "*.example.com" }));
    expect(claims).toStrictEqual({
      iss: teamId,
      iat: nowS - 60,
      exp: nowS + 3540,
      scope: "server_api",
      origin: "*.example.com",
    });
    expect(Object.keys(claims)).toStrictEqual(["iss", "iat", "exp", "scope", "origin"]);
  });

  it("joins scopes with spaces and origins with commas", async () => {
    const { claims } = opened(
      await mint({
        scope: Object.freeze(["mapkit_js", "web_snapshots"]),
        origin: Object.freeze(["example.com", "*.subdomain.com"]),
      }),
    );
    expect(claims).toMatchObject({
      scope: "mapkit_js web_snapshots",
      origin: "example.com,*.subdomain.com",
    });
  });

  it("server_api needs no origin", async () => {
    expect(opened(await mint({ scope: ["server_api"] })).claims).not.toHaveProperty("origin");
  });

  it.each([
    ["teamId missing", { teamId: undefined }, "INVALID_TEAM_ID"],
    ["scope unknown", { scope: "maps" }, "INVALID_SCOPE"],
    ["scope empty array", { scope: [] }, "INVALID_SCOPE"],
    ["scope space-separated string", { scope: "server_api mapkit_js" }, "INVALID_SCOPE"],
    ["mapkit_js without origin", { scope: ["mapkit_js"] }, "INVALID_ORIGIN"],
    ["web_snapshots without origin", { scope: "web_snapshots" }, "INVALID_ORIGIN"],
    ["embed_api without origin", { scope: ["server_api", "embed_api"] }, "INVALID_ORIGIN"],
    ["origin with a space", { origin: "example.com other.com" }, "INVALID_ORIGIN"],
  ])("%s → %s", async (_, extra, code) => {
    await expect(mint(extra)).rejects.toMatchObject({ code });
  });
});
