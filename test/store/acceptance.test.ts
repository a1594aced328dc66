// What a provider serves from a shared store: only a token exactly like its own, times aside, by
// the one rule the provider keeps its own tokens by. Each case was a defect: a planted token of
// another audience, scope, bundle ID or subject (or a six-month one) was served; a token dated up
// to 60 s ahead was served once and then overwritten by every member; a clock tick between the
// store's check and the provider's turned a good token into INVALID_REFRESH_BEFORE; an APNs token
// refused as InvalidProviderToken stayed in the store.
import { describe, expect, it, vi } from "vitest";
import {
  createApnsTokenProvider,
  createAppStoreServerToken,
  createAscToken,
  createMemoryStore,
  createSignInWithAppleSecret,
  createTokenProvider,
  createWeatherKitToken,
} from "../../src/index.js";
import { storeKeyFor } from "../../src/store/key.js";
import { NOW, bundleId, issuerId, key, keyId, loose, opened, teamId } from "../helpers/kinds.js";

/** Plants `value` under the key a provider of `create` with `options` shares tokens under. */
const plant = async (
  store: ReturnType<typeof createMemoryStore>,
  create: string,
  options: Record<string, unknown>,
  value: string,
) => {
  const storeKey = await storeKeyFor(create, options as never);
  await store.set(storeKey, value, 3_600_000);
  return storeKey;
};

describe("a poisoned store is never served", () => {
  const base = { keyId, privateKey: key().applePem, now: () => NOW };
  it.each([
    [
      "an App Store Connect token for the Enterprise audience",
      loose(createAscToken),
      { issuerId },
      { audience: "apple-developer-enterprise-v1" },
    ],
    [
      "an App Store Connect token with a scope",
      loose(createAscToken),
      { issuerId },
      { scope: ["GET /v1/apps"] },
    ],
    [
      "a six-month App Store Connect token",
      loose(createAscToken),
      { issuerId, scope: ["GET /v1/ciProducts"] },
      { expiresIn: 15_777_000 },
    ],
    [
      "an App Store Server token of another bundle ID",
      loose(createAppStoreServerToken),
      { issuerId, bundleId, expiresIn: 3600 },
      { bundleId: "com.example.other" },
    ],
    [
      "a Sign in with Apple secret of another client",
      loose(createSignInWithAppleSecret),
      { teamId, clientId: "com.example.web" },
      { clientId: "com.example.evil" },
    ],
    [
      "a WeatherKit token of another service (subject and header id)",
      loose(createWeatherKitToken),
      { teamId, serviceId: "com.example.weather" },
      { serviceId: "com.example.other" },
    ],
  ])("%s", async (_, create, own, poison) => {
    const store = createMemoryStore(() => NOW);
    const options = { ...base, ...own };
    const planted = await create({ ...options, ...poison });
    const name = (create as { kind?: { create: string } }).kind!.create;
    const storeKey = await plant(store, name, options, planted);
    const provider = createTokenProvider(create as never, { ...options, store } as never);
    const token = await provider.getToken();
    expect(token).not.toBe(planted);
    const mine = opened(await create(options));
    expect(opened(token).claims).toStrictEqual(mine.claims);
    expect(opened(token).header).toStrictEqual(mine.header);
    expect(await store.get(storeKey)).toBe(token);
  });
});

describe("one rule for a token's iat, in the store and in the provider", () => {
  it("a shared token dated 30 s ahead is refused by both: signed once, then served from cache and store", async () => {
    const store = createMemoryStore(() => NOW);
    const options = { keyId, issuerId, privateKey: key().applePem, now: () => NOW };
    const ahead = await createAscToken({ ...options, now: () => NOW + 90_000 }); // iat = now + 30
    expect((opened(ahead).claims.iat as number) - NOW / 1000).toBe(30);
    const storeKey = await plant(store, "createAscToken", options, ahead);
    const sign = vi.spyOn(crypto.subtle, "sign");
    try {
      const a = createTokenProvider(createAscToken, { ...options, store });
      const first = await a.getToken();
      expect(first).not.toBe(ahead);
      expect(await a.getToken()).toBe(first);
      expect(await a.getToken()).toBe(first);
      const b = createTokenProvider(createAscToken, { ...options, store });
      expect(await b.getToken()).toBe(first);
      expect(sign).toHaveBeenCalledTimes(1);
      expect(await store.get(storeKey)).toBe(first);
    } finally {
      sign.mockRestore();
    }
  });

  it("a clock tick between the store's check and the provider's serves the token, never INVALID_REFRESH_BEFORE", async () => {
    let ms = NOW;
    let armed = false;
    // Once the store has been read, every look at the clock finds it a second later.
    const now = () => (armed ? (ms += 1000) : ms);
    const memory = createMemoryStore(() => NOW);
    const store = {
      ...memory,
      get: (k: string) => {
        armed = true;
        return memory.get(k);
      },
    };
    const options = { keyId, issuerId, privateKey: key().applePem };
    // 1140 s lifetime, iat 60 s back: 1080 s left at NOW; refreshBefore 1078 leaves 2 s of reuse.
    const shared = await createAscToken({ ...options, now: () => NOW });
    await plant(memory, "createAscToken", options, shared);
    const provider = createTokenProvider(createAscToken, {
      ...options,
      now,
      store,
      refreshBefore: 1078,
    });
    expect(await provider.getToken()).toBe(shared);
  });
});

describe("APNs: a token refused as InvalidProviderToken is replaced at once, in the store too", () => {
  it("a planted token another key signed: remint, and every member gets the new one", async () => {
    const store = createMemoryStore();
    const options = { keyId, teamId, privateKey: key().applePem, now: () => NOW };
    const { makeP256 } = await import("../helpers/keys.js");
    const { createApnsToken } = await import("../../src/index.js");
    // Same kid and Team ID, another key: what APNs answers InvalidProviderToken to.
    const planted = await createApnsToken({ ...options, privateKey: makeP256().applePem });
    const storeKey = await plant(store, "createApnsToken", options, planted);
    const a = createApnsTokenProvider({ ...options, store });
    const b = createApnsTokenProvider({ ...options, store });
    expect(await a.getToken()).toBe(planted);
    expect(a.handleResponse(planted, 403, "InvalidProviderToken")).toBe("remint");
    await new Promise((resolve) => setTimeout(resolve, 5)); // the released lease's 1 ms TTL
    const fresh = await a.getToken();
    expect(fresh).not.toBe(planted);
    expect(await store.get(storeKey)).toBe(fresh);
    expect(await b.getToken()).toBe(fresh);
    // Now its own token: another InvalidProviderToken is about the key, and throws.
    expect(() => a.handleResponse(fresh, 403, "InvalidProviderToken")).toThrow(
      expect.objectContaining({ code: "APNS_TOKEN_REJECTED" }) as Error,
    );
  });

  it("ExpiredProviderToken for a store token under 20 minutes old: replaced at once", async () => {
    const store = createMemoryStore();
    const options = { keyId, teamId, privateKey: key().applePem, now: () => NOW };
    const a = createApnsTokenProvider({ ...options, store });
    const b = createApnsTokenProvider({ ...options, store });
    const first = await a.getToken();
    expect(await b.getToken()).toBe(first);
    expect(b.handleResponse(first, 403, "ExpiredProviderToken")).toBe("remint");
    await new Promise((resolve) => setTimeout(resolve, 5));
    const next = await b.getToken();
    expect(next).not.toBe(first);
    expect(await a.getToken()).toBe(first); // a keeps its cached token until it is refused too
  });
});
