import { describe, expect, it } from "vitest";
import { createSignInWithAppleSecret } from "../../src/index.js";
import { minter, nowS, opened, teamId } from "../helpers/kinds.js";

const clientId = "com.example.web";
const mint = minter(createSignInWithAppleSecret, { teamId, clientId });

describe("createSignInWithAppleSecret", () => {
  it("at six months, exp is no further than 15,777,000 s past the clock, even 60 s fast", async () => {
    const { claims } = opened(await mint({ expiresIn: 15_777_000 }));
    expect((claims.exp as number) - nowS).toBe(15_777_000 - 60);
  });
});
