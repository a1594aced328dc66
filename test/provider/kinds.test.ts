// The generic provider over real token kinds: kinds with `exp` and kinds without (APNs, maxAge).
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createApnsToken,
  createAppStoreServerToken,
  createInAppSignature,
  createPromotionalOfferSignature,
  createMusicKitToken,
  createTokenProvider,
} from "../../src/index.js";
import { NOW, bundleId, issuerId, key, keyId, nowS, opened, teamId } from "../helpers/kinds.js";

afterEach(() => {
  vi.restoreAllMocks();
});

/** `options` over the fixed key ID, test key and clock. */
const fixed = <T extends object>(options: T) => ({
  keyId,
  privateKey: key().applePem,
  now: () => NOW,
  ...options,
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

  it("APNs without maxAge: the kind's 3000 s, and its hour and 20 minutes bound maxAge", async () => {
    const options = { keyId, teamId, privateKey: key().applePem, now: () => NOW };
    const info = await createTokenProvider(createApnsToken, options).getTokenInfo();
    expect(info.expiresAt - info.issuedAt).toBe(3000);
    expect(() => createTokenProvider(createApnsToken, { ...options, maxAge: 3601 })).toThrow(
      expect.objectContaining({ code: "INVALID_MAX_AGE" }) as Error,
    );
    expect(() => createTokenProvider(createApnsToken, { ...options, maxAge: 1500 })).toThrow(
      expect.objectContaining({ code: "INVALID_MAX_AGE" }) as Error,
    );
  });

  it.each([
    ["createInAppSignature", createInAppSignature, /nonce Apple accepts once/],
    [
      "createPromotionalOfferSignature",
      createPromotionalOfferSignature,
      /nonce Apple accepts once/,
    ],
  ] as const)("refuses %s at construction: a single-use kind", (_, mint, why) => {
    const attempt = () =>
      createTokenProvider(
        mint as never,
        {
          keyId,
          issuerId,
          bundleId,
          audience: "promotional-offer",
          privateKey: key().applePem,
        } as never,
      );
    expect(attempt).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }) as Error);
    expect(attempt).toThrow(why);
    expect(attempt).not.toThrow(/maxAge/);
  });

  it("an App Store Server provider whose refreshBefore eats the lifetime: no longer lifetime suggested", async () => {
    const provider = createTokenProvider(createAppStoreServerToken, fixed({ issuerId, bundleId }));
    const error = await provider.getToken().catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ code: "INVALID_REFRESH_BEFORE" });
    expect((error as Error).message).toMatch(/keep refreshBefore below 240/);
    expect((error as Error).message).not.toMatch(/lifetime|expiresIn|maxAge/);
  });

  it("App Store Server and MusicKit tokens expire at their exp", async () => {
    const server = createTokenProvider(
      createAppStoreServerToken,
      fixed({ issuerId, bundleId, expiresIn: 3600 }),
    );
    const info = await server.getTokenInfo();
    expect(opened(info.token).claims).toMatchObject({ bid: bundleId, exp: info.expiresAt });
    const music = createTokenProvider(createMusicKitToken, fixed({ teamId, expiresIn: 86_400 }));
    const musicInfo = await music.getTokenInfo();
    expect(musicInfo.expiresAt - musicInfo.issuedAt).toBe(86_400);
    expect(await music.getToken()).toBe(musicInfo.token);
  });
});
