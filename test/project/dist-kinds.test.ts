// Every kind ships in both builds and mints a token node:crypto verifies.
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { NOW, bundleId, issuerId, key, keyId, opened, teamId } from "../helpers/kinds.js";

type Api = typeof import("../../src/index.js");
const require = createRequire(import.meta.url);

let esm: Api;
let cjs: Api;
beforeAll(async () => {
  esm = (await import(new URL("../../dist/index.js", import.meta.url).href)) as Api;
  cjs = require("../../dist/index.cjs") as Api;
});

describe.each(["esm", "cjs"] as const)("%s build", (build) => {
  it("exports every kind, each minting a verifiable token", async () => {
    const api = build === "esm" ? esm : cjs;
    const base = { keyId, privateKey: key().applePem, now: () => NOW };
    const tokens = await Promise.all([
      api.createAppStoreServerToken({ ...base, issuerId, bundleId }),
      api.createInAppSignature({
        ...base,
        issuerId,
        bundleId,
        audience: "introductory-offer-eligibility",
        claims: { productId: "p", allowIntroductoryOffer: true },
      }),
      api.createApnsToken({ ...base, teamId }),
      api.createSignInWithAppleSecret({ ...base, teamId, clientId: "com.example.web" }),
      api.createMusicKitToken({ ...base, teamId }),
      api.createWeatherKitToken({ ...base, teamId, serviceId: "com.example.weather" }),
      api.createMapKitToken({ ...base, teamId, scope: "server_api" }),
      api.createDeviceCheckToken({ ...base, teamId }),
    ]);
    for (const token of tokens) expect(opened(token).header.kid).toBe(keyId);
  });
});
