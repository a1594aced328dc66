import { describe, expect, it } from "vitest";
import { createSignInWithAppleSecret } from "../../src/index.js";
import { minter, nowS, opened, teamId } from "../helpers/kinds.js";

const clientId = "com.example.web";
const mint = minter(createSignInWithAppleSecret, { teamId, clientId });

describe("createSignInWithAppleSecret", () => {
  it("exact header {alg, kid} and claims iss, iat, exp, aud, sub in Apple's order", async () => {
    const { headerText, claims } = opened(await mint({ expiresIn: 86_400 }));
    expect(headerText).toBe('{"alg":"ES256","kid":"2X9R4HXF34"}');
    expect(claims).toStrictEqual({
      iss: teamId,
      iat: nowS - 60,
      exp: nowS - 60 + 86_400,
      aud: "https://appleid.apple.com",
      sub: clientId,
    });
    expect(Object.keys(claims)).toStrictEqual(["iss", "iat", "exp", "aud", "sub"]);
  });

  it("at six months, exp is no further than 15,777,000 s past the clock, even 60 s fast", async () => {
    const { claims } = opened(await mint({ expiresIn: 15_777_000 }));
    expect((claims.exp as number) - nowS).toBe(15_777_000 - 60);
  });

  it.each([
    ["teamId missing", { teamId: undefined }, "INVALID_TEAM_ID"],
    ["clientId missing", { clientId: undefined }, "INVALID_CLIENT_ID"],
    ["clientId a URL", { clientId: "https://example.com" }, "INVALID_CLIENT_ID"],
    ["clientId with a space", { clientId: "com.example web" }, "INVALID_CLIENT_ID"],
  ])("%s → %s", async (_, extra, code) => {
    await expect(mint(extra)).rejects.toMatchObject({ code });
  });
});
