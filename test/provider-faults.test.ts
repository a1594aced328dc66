// The provider when the clock jumps back: a cached token whose iat is now in the future by more
// than the backdating is not served (Apple refuses it); a new one is minted.
import { expect, it } from "vitest";
import { createAscTokenProvider } from "../src/index.js";
import { makeP256 } from "./helpers/keys.js";
import { decodeToken } from "./helpers/verify.js";

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

it.each([
  ["default tolerance (60 s)", undefined, 61],
  ["clockTolerance 10", 10, 11],
])("clock back past the tolerance, %s: mints again", async (_, clockTolerance, back) => {
  let clock = NOW;
  const provider = createAscTokenProvider({
    keyId: "2X9R4HXF34",
    issuerId: "57246542-96fe-1a63-e053-0824d011072a",
    privateKey: makeP256().applePem,
    clockTolerance,
    now: () => clock,
  });
  const first = await provider.getToken();
  const issued = decodeToken(first).claims.iat as number;
  clock -= (back - 1) * 1000; // back by exactly the tolerance: iat is "now", still fine
  expect(await provider.getToken()).toBe(first);
  clock -= 2000; // now past it
  const second = await provider.getToken();
  expect(second).not.toBe(first);
  expect(decodeToken(second).claims.iat).toBeLessThan(issued);
  expect(decodeToken(second).claims.iat).toBeLessThanOrEqual(clock / 1000);
});
