import { describe, expect, it } from "vitest";
import { createMusicKitToken } from "../../src/index.js";
import { minter, nowS, opened, teamId } from "../helpers/kinds.js";

const mint = minter(createMusicKitToken, { teamId });

describe("createMusicKitToken", () => {
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
});
