import { describe, expect, it } from "vitest";
import { createMusicKitToken } from "../../src/index.js";
import { minter, nowS, opened, teamId } from "../helpers/kinds.js";

const mint = minter(createMusicKitToken, { teamId });

describe("createMusicKitToken", () => {
  it("exact header {alg, kid} and claims iss, iat, exp; no origin unless given", async () => {
    const { headerText, claims } = opened(await mint());
    expect(headerText).toBe('{"alg":"ES256","kid":"2X9R4HXF34"}');
    expect(claims).toStrictEqual({ iss: teamId, iat: nowS - 60, exp: nowS + 3540 });
    expect(Object.keys(claims)).toStrictEqual(["iss", "iat", "exp"]);
  });

  it("origin goes last, always as an array", async () => {
    const origin = Object.freeze(["https://example.com", "https://music.example.com"]);
    const { claims } = opened(await mint({ origin }));
    expect(claims).toStrictEqual({
      iss: teamId,
      iat: nowS - 60,
      exp: nowS + 3540,
      origin: [...origin],
    });
    expect(Object.keys(claims)).toStrictEqual(["iss", "iat", "exp", "origin"]);
    expect(opened(await mint({ origin: "https://example.com" })).claims.origin).toStrictEqual([
      "https://example.com",
    ]);
  });

  it.each([
    ["teamId missing", { teamId: undefined }, "INVALID_TEAM_ID"],
    ["origin empty array", { origin: [] }, "INVALID_ORIGIN"],
    ["origin empty string", { origin: "" }, "INVALID_ORIGIN"],
    ["origin with a space", { origin: ["https://example.com https://x.com"] }, "INVALID_ORIGIN"],
    ["origin with a comma", { origin: ["https://example.com,https://x.com"] }, "INVALID_ORIGIN"],
    ["origin entry a number", { origin: [42] }, "INVALID_ORIGIN"],
    ["origin an object", { origin: { url: "https://example.com" } }, "INVALID_ORIGIN"],
  ])("%s → %s", async (_, extra, code) => {
    await expect(mint(extra)).rejects.toMatchObject({ code });
  });
});
