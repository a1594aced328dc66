// One options reader for every public function that takes options: a misspelt name is refused
// with UNKNOWN_OPTION and the declared name it is near to, never ignored.
import { describe, expect, it } from "vitest";
import {
  checkAscToken,
  createApnsToken,
  createApnsTokenProvider,
  createAscToken,
  createAppleAdsTokenProvider,
  createAscTokenProvider,
  createMapsAccessTokenProvider,
  createPromotionalOfferSignature,
  createSignInWithAppleVerifier,
  createTokenProvider,
} from "../../src/index.js";
import { makeP256 } from "../helpers/keys.js";

const key = makeP256();
const asc = {
  keyId: "2X9R4HXF34",
  issuerId: "57246542-96fe-1a63-e053-0824d011072a",
  privateKey: key.applePem,
};
const team = { keyId: "2X9R4HXF34", teamId: "DEF123GHIJ", privateKey: key.applePem };
const token = await createAscToken(asc);

/** [function, call with the misspelt option, the name it should suggest]. */
const ROWS: [string, () => unknown, string][] = [
  ["createAscToken", () => createAscToken({ ...asc, issuerID: asc.issuerId } as never), "issuerId"],
  ["createApnsToken", () => createApnsToken({ ...team, kyId: "2X9R4HXF34" } as never), "keyId"],
  ["checkAscToken", () => checkAscToken(token, { knd: "apns" } as never), "kind"],
  ["checkAscToken", () => checkAscToken(token, { Now: Date.now } as never), "now"],
  [
    "createAscTokenProvider",
    () => createAscTokenProvider({ ...asc, refreshBfore: 60 } as never),
    "refreshBefore",
  ],
  [
    "createTokenProvider",
    () => createTokenProvider(createAscToken, { ...asc, mintTimeOut: 100 } as never),
    "mintTimeout",
  ],
  [
    "createApnsTokenProvider",
    () => createApnsTokenProvider({ ...team, maxage: 3000 } as never),
    "maxAge",
  ],
  [
    "createMapsAccessTokenProvider",
    () => createMapsAccessTokenProvider({ ...team, fetchImp: fetch } as never),
    "fetchImpl",
  ],
  [
    "createMapsAccessTokenProvider",
    () => createMapsAccessTokenProvider({ ...team, scpe: "server_api" } as never),
    "scope",
  ],
  [
    "createSignInWithAppleVerifier",
    () => createSignInWithAppleVerifier({ clientId: "com.example.app", jwksURL: "x" } as never),
    "jwksUrl",
  ],
  [
    "createAppleAdsTokenProvider",
    () => createAppleAdsTokenProvider({ timeot: 1000 } as never),
    "timeout",
  ],
  [
    "createPromotionalOfferSignature",
    () =>
      createPromotionalOfferSignature({
        keyId: "2X9R4HXF34",
        privateKey: key.applePem,
        bundleId: "com.example.app",
        productId: "p",
        offerIdentifer: "o",
      } as never),
    "offerIdentifier",
  ],
];

describe("a misspelt option is refused, naming the one meant", () => {
  it.each(ROWS)("%s", async (_, call, meant) => {
    const error = await Promise.resolve()
      .then(call)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ code: "UNKNOWN_OPTION" });
    expect((error as Error).message).toMatch(new RegExp(`did you mean ${meant}\\?$`));
  });

  it("a name near none is refused without a guess", () => {
    expect(() => checkAscToken(token, { colour: "red" } as never)).toThrow(/no "colour"$/);
  });
});
