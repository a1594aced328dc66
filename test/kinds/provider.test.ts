// The generic provider over real token kinds: kinds with `exp` and kinds without (APNs, maxAge).
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createApnsToken,
  createAppStoreServerToken,
  createMusicKitToken,
  createTokenProvider,
} from "../../src/index.js";
import { NOW, bundleId, issuerId, key, keyId, nowS, opened, teamId } from "../helpers/kinds.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("createTokenProvider over Apple's other token kinds", () => {
  it("APNs (no exp): reused until iat + maxAge − refreshBefore, then minted again", async () => {
    let now = NOW;
    const sign = vi.spyOn(crypto.subtle, "sign");
    const provider = createTokenProvider(createApnsToken, {
      keyId,
      teamId,
      privateKey: key().applePem,
      now: () => now,
      maxAge: 3000,
      refreshBefore: 600,
    });
    const first = await provider.getTokenInfo();
    expect(opened(first.token).claims).toStrictEqual({ iss: teamId, iat: nowS - 60 });
    expect(first.expiresAt).toBe(nowS - 60 + 3000);
    now += (3000 - 60 - 600 - 1) * 1000; // one second before the refresh point
    expect(await provider.getToken()).toBe(first.token);
    now += 1000;
    const second = await provider.getToken();
    expect(second).not.toBe(first.token);
    expect(opened(second).claims.iat).toBe(Math.floor(now / 1000) - 60);
    expect(sign).toHaveBeenCalledTimes(2);
  });

  it("APNs without maxAge: rejects with INVALID_MAX_AGE instead of caching forever", async () => {
    const provider = createTokenProvider(createApnsToken, {
      keyId,
      teamId,
      privateKey: key().applePem,
      now: () => NOW,
    });
    await expect(provider.getToken()).rejects.toMatchObject({ code: "INVALID_MAX_AGE" });
  });

  it("App Store Server and MusicKit tokens expire at their exp", async () => {
    const server = createTokenProvider(createAppStoreServerToken, {
      keyId,
      issuerId,
      bundleId,
      privateKey: key().applePem,
      now: () => NOW,
      expiresIn: 3600,
    });
    const info = await server.getTokenInfo();
    expect(opened(info.token).claims).toMatchObject({ bid: bundleId, exp: info.expiresAt });
    const music = createTokenProvider(createMusicKitToken, {
      keyId,
      teamId,
      privateKey: key().applePem,
      now: () => NOW,
      expiresIn: 86_400,
    });
    const musicInfo = await music.getTokenInfo();
    expect(musicInfo.expiresAt - musicInfo.issuedAt).toBe(86_400);
    expect(await music.getToken()).toBe(musicInfo.token);
  });
});
