// The token provider, on a fake clock: nothing here sleeps. Signatures are counted by spying on
// crypto.subtle.sign, key imports on crypto.subtle.importKey.
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import {
  type ApplePrivateKey,
  type AscTokenOptions,
  type Clock,
  createAscToken,
  createAscTokenProvider,
  createTokenProvider,
  DEFAULT_REFRESH_BEFORE,
  importAppleKey,
} from "../../src/index.js";
import { makeP256, type P256Fixture } from "../helpers/keys.js";
import { decodeToken, verifies } from "../helpers/verify.js";

const keyId = "2X9R4HXF34";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const nowS = NOW / 1000;

let clock: number;
const now = () => clock;
let key: P256Fixture;
let sign: MockInstance<SubtleCrypto["sign"]>;
let importKey: MockInstance<SubtleCrypto["importKey"]>;

beforeEach(() => {
  clock = NOW;
  key = makeP256(); // a key not yet in importAppleKey's cache, so every import is counted
  sign = vi.spyOn(crypto.subtle, "sign");
  importKey = vi.spyOn(crypto.subtle, "importKey");
});
afterEach(() => {
  vi.restoreAllMocks();
});

const options = (extra: Partial<AscTokenOptions> & { refreshBefore?: number } = {}) => ({
  keyId,
  issuerId,
  privateKey: key.applePem,
  now,
  ...extra,
});
const at = (seconds: number) => {
  clock = NOW + seconds * 1000;
};
const errorOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

/** A promise with its resolve exposed, to hold a mint in flight. */
const gate = () => {
  let open!: () => void;
  const closed = new Promise<void>((resolve) => (open = resolve));
  return { closed, open };
};

describe("createAscTokenProvider: caching and refresh", () => {
  it("mints a verifiable token and reports its iat and exp", async () => {
    const provider = createAscTokenProvider(options());
    const info = await provider.getTokenInfo();
    expect(info).toStrictEqual({ token: info.token, issuedAt: nowS - 60, expiresAt: nowS + 1080 });
    expect(Object.isFrozen(info)).toBe(true);
    expect(decodeToken(info.token).claims).toMatchObject({
      iss: issuerId,
      iat: nowS - 60,
      exp: nowS + 1080,
    });
    expect(verifies(info.token, key.publicKey)).toBe(true);
    expect(await provider.getToken()).toBe(info.token);
    expect(await provider.authorization()).toBe(`Bearer ${info.token}`);
    expect(sign).toHaveBeenCalledTimes(1);
  });

  it("default refreshBefore (300 s): cached one second before the margin, new at it", async () => {
    expect(DEFAULT_REFRESH_BEFORE).toBe(300);
    const provider = createAscTokenProvider(options());
    const first = await provider.getToken();
    at(1080 - 300 - 1); // 301 s left
    expect(await provider.getToken()).toBe(first);
    expect(sign).toHaveBeenCalledTimes(1);
    at(1080 - 300); // 300 s left: refresh
    const second = await provider.getToken();
    expect(second).not.toBe(first);
    expect(sign).toHaveBeenCalledTimes(2);
    expect(decodeToken(second).claims.iat).toBe(nowS + 780 - 60);
    expect(verifies(second, key.publicKey)).toBe(true);
  });

  it.each([0, 60, 1000])(
    "refreshBefore %i: cached at exp − refreshBefore − 1, new at exp − refreshBefore",
    async (refreshBefore) => {
      const provider = createAscTokenProvider(options({ refreshBefore }));
      const { token, expiresAt } = await provider.getTokenInfo();
      at(expiresAt - nowS - refreshBefore - 1);
      expect(await provider.getToken()).toBe(token);
      at(expiresAt - nowS - refreshBefore);
      expect(await provider.getToken()).not.toBe(token);
      expect(sign).toHaveBeenCalledTimes(2);
    },
  );

  it("10,000 calls across a simulated hour cost 5 signatures, and every token had > refreshBefore left", async () => {
    const provider = createAscTokenProvider(options());
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      clock = NOW + Math.floor((i * 3_600_000) / 10_000);
      const token = await provider.getToken();
      const { exp, iat } = decodeToken(token).claims as { exp: number; iat: number };
      expect(exp - Math.floor(clock / 1000)).toBeGreaterThan(300);
      expect(iat).toBeLessThanOrEqual(Math.floor(clock / 1000));
      seen.add(token);
    }
    // Fresh tokens have 1080 s left and are kept for 780 s: minted at 0, 780, 1560, 2340, 3120 s.
    expect(sign.mock.calls.length).toBeLessThanOrEqual(5);
    expect(sign).toHaveBeenCalledTimes(5);
    expect(seen.size).toBe(5);
    expect(importKey).toHaveBeenCalledTimes(1);
  });

  it("a fixed Date as the clock keeps one token", async () => {
    const provider = createAscTokenProvider(options({ now: new Date(NOW) }));
    const token = await provider.getToken();
    expect(await provider.getToken()).toBe(token);
    expect(sign).toHaveBeenCalledTimes(1);
  });
});

describe("single flight", () => {
  it("1,000 concurrent calls with no token cause exactly one signature and all get the same token", async () => {
    const provider = createAscTokenProvider(options());
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => provider.getToken()));
    expect(sign).toHaveBeenCalledTimes(1);
    expect(importKey).toHaveBeenCalledTimes(1);
    expect(new Set(tokens).size).toBe(1);
    expect(verifies(tokens[0]!, key.publicKey)).toBe(true);
  });

  it("1,000 concurrent calls at the refresh margin share one new signature", async () => {
    const provider = createAscTokenProvider(options());
    const first = await provider.getToken();
    at(780);
    const tokens = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        i % 2 ? provider.getToken() : provider.getTokenInfo().then((t) => t.token),
      ),
    );
    expect(sign).toHaveBeenCalledTimes(2);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(first);
  });
});

describe("invalidate", () => {
  it("drops the cached token so the next call mints", async () => {
    const provider = createAscTokenProvider(options());
    const first = await provider.getToken();
    provider.invalidate();
    const second = await provider.getToken();
    expect(second).not.toBe(first);
    expect(await provider.getToken()).toBe(second);
    expect(sign).toHaveBeenCalledTimes(2);
    expect(importKey).toHaveBeenCalledTimes(1); // the key is kept
  });

  it("invalidate(token) drops only when that token is still the cached one", async () => {
    const provider = createAscTokenProvider(options());
    const first = await provider.getToken();
    provider.invalidate(first);
    const second = await provider.getToken();
    provider.invalidate(first); // a second 401 for the old token: nothing to do
    expect(await provider.getToken()).toBe(second);
    expect(sign).toHaveBeenCalledTimes(2);
  });

  it("before any token, and twice in a row, is harmless", async () => {
    const provider = createAscTokenProvider(options());
    provider.invalidate();
    provider.invalidate();
    const token = await provider.getToken();
    expect(verifies(token, key.publicKey)).toBe(true);
  });

  // A provider over a mint we can hold in flight, to interleave invalidate() with it.
  const held = () => {
    const gates: ReturnType<typeof gate>[] = [];
    const provider = createTokenProvider(async (o: AscTokenOptions) => {
      const g = gate();
      gates.push(g);
      const token = await createAscToken(o);
      await g.closed;
      return token;
    }, options());
    const started = async (n: number) => {
      await vi.waitFor(() => {
        expect(gates).toHaveLength(n);
      });
    };
    return { provider, gates, started };
  };

  it("during a mint in flight: its waiters get its token, but it is not cached", async () => {
    const { provider, gates, started } = held();
    const early = provider.getToken();
    await started(1);
    provider.invalidate();
    gates[0]!.open();
    const stale = await early;
    expect(verifies(stale, key.publicKey)).toBe(true);
    const next = provider.getToken(); // must not be served the stale in-flight result
    await started(2);
    gates[1]!.open();
    expect(await next).not.toBe(stale);
    expect(await provider.getToken()).toBe(await next);
  });

  it("during a mint in flight that finishes after the newer one: the newer token stays cached", async () => {
    const { provider, gates, started } = held();
    const early = provider.getToken();
    await started(1);
    provider.invalidate();
    const late = provider.getToken(); // starts a second mint instead of joining the first
    await started(2);
    gates[1]!.open();
    const fresh = await late;
    gates[0]!.open();
    const stale = await early;
    expect(stale).not.toBe(fresh);
    expect(await provider.getToken()).toBe(fresh);
    expect(gates).toHaveLength(2);
  });

  it("during a failing mint in flight: the failure does not clear the newer mint", async () => {
    let calls = 0;
    const second = gate();
    const first = gate();
    const provider = createTokenProvider(async (o: AscTokenOptions) => {
      calls++;
      if (calls === 1) {
        await first.closed;
        throw new Error("first mint fails late");
      }
      const token = await createAscToken(o);
      await second.closed;
      return token;
    }, options());
    const early = errorOf(provider.getToken());
    await vi.waitFor(() => {
      expect(calls).toBe(1);
    });
    provider.invalidate();
    const late = provider.getToken();
    await vi.waitFor(() => {
      expect(calls).toBe(2);
    });
    first.open();
    expect(await early).toMatchObject({ message: "first mint fails late" });
    const joined = provider.getToken(); // joins the second mint, still in flight
    second.open();
    expect(await joined).toBe(await late);
    expect(calls).toBe(2);
  });
});

describe("failures reject every waiter and do not poison the provider", () => {
  it("a signing failure rejects all 1,000 waiters with SIGN_FAILED; the next call succeeds", async () => {
    const provider = createAscTokenProvider(options());
    sign.mockRejectedValueOnce(new Error("device busy"));
    const results = await Promise.allSettled(
      Array.from({ length: 1000 }, () => provider.getToken()),
    );
    expect(sign).toHaveBeenCalledTimes(1);
    for (const result of results) {
      expect(result).toMatchObject({
        status: "rejected",
        reason: { name: "AscTokenError", code: "SIGN_FAILED" },
      });
    }
    const token = await provider.getToken();
    expect(verifies(token, key.publicKey)).toBe(true);
    expect(sign).toHaveBeenCalledTimes(2);
    expect(importKey).toHaveBeenCalledTimes(1); // the imported key survived the failed signing
  });

  it("a failed key import is not cached: the next call imports again", async () => {
    const provider = createAscTokenProvider(options());
    importKey.mockRejectedValueOnce(new Error("transient"));
    await expect(provider.getToken()).rejects.toMatchObject({ code: "KEY_IMPORT_FAILED" });
    const token = await provider.getToken();
    expect(verifies(token, key.publicKey)).toBe(true);
    expect(importKey).toHaveBeenCalledTimes(2);
  });

  it("a bad key does not throw at construction; every getToken rejects with its code", async () => {
    const provider = createAscTokenProvider(
      options({
        privateKey: "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----",
      }),
    );
    await expect(provider.getToken()).rejects.toMatchObject({ code: "KEY_MALFORMED" });
    await expect(provider.getTokenInfo()).rejects.toMatchObject({ code: "KEY_MALFORMED" });
    await expect(
      createAscTokenProvider(options({ privateKey: "" })).getToken(),
    ).rejects.toMatchObject({ code: "KEY_MISSING" });
  });

  it("a mint that returns something other than a JWT rejects with TOKEN_MALFORMED, then recovers", async () => {
    let broken = true;
    const provider = createTokenProvider(
      async (o: AscTokenOptions) => (broken ? "not a token" : createAscToken(o)),
      options(),
    );
    await expect(provider.getToken()).rejects.toMatchObject({ code: "TOKEN_MALFORMED" });
    broken = false;
    expect(verifies(await provider.getToken(), key.publicKey)).toBe(true);
  });

  it("a clock that goes bad later makes getToken reject, not throw synchronously", async () => {
    let fail = false;
    const provider = createAscTokenProvider(options({ now: () => (fail ? Number.NaN : NOW) }));
    fail = true;
    await expect(provider.getToken()).rejects.toMatchObject({ code: "INVALID_NOW" });
  });
});

describe("the key is imported once per provider", () => {
  it("imports on the first getToken, keeps the CryptoKey across refreshes even when importAppleKey's cache forgets it", async () => {
    const received: ApplePrivateKey[] = [];
    const provider = createTokenProvider((o: AscTokenOptions) => {
      received.push(o.privateKey);
      return createAscToken(o);
    }, options());
    expect(importKey).toHaveBeenCalledTimes(0); // nothing at construction
    for (let round = 0; round < 3; round++) {
      at(round * 780);
      await provider.getToken();
      // Push our key out of importAppleKey's 16-entry cache.
      for (let i = 0; i < 16; i++) await importAppleKey(makeP256().pkcs8Pem);
    }
    expect(sign).toHaveBeenCalledTimes(3);
    expect(importKey).toHaveBeenCalledTimes(1 + 3 * 16);
    expect(received).toHaveLength(3);
    expect(received[0]).toBeInstanceOf(CryptoKey);
    expect(received.every((k) => k === received[0])).toBe(true);
  });
});

describe("options", () => {
  it("frozen caller options are neither mutated nor passed to the mint: it gets a copy without the provider's options", async () => {
    const scope = Object.freeze(["GET /v1/apps"]);
    const mine = Object.freeze({ ...options(), scope, refreshBefore: 120 });
    const received: object[] = [];
    const provider = createTokenProvider((o: AscTokenOptions) => {
      received.push(o);
      return createAscToken(o);
    }, mine);
    const token = await provider.getToken();
    expect(decodeToken(token).claims.scope).toStrictEqual(["GET /v1/apps"]);
    expect(received[0]).not.toBe(mine);
    expect(received[0]).toMatchObject({ keyId, issuerId, scope });
    expect(received[0]).not.toHaveProperty("refreshBefore");
    expect(mine.privateKey).toBe(key.applePem);
    expect(Object.keys(mine)).toStrictEqual([
      "keyId",
      "issuerId",
      "privateKey",
      "now",
      "scope",
      "refreshBefore",
    ]);
    await expect(createAscTokenProvider(mine).getToken()).resolves.toBeTypeOf("string");
  });

  it("options changed after construction do not affect the provider", async () => {
    const mine = options();
    const provider = createAscTokenProvider(mine);
    mine.keyId = "CHANGED123";
    expect(decodeToken(await provider.getToken()).header.kid).toBe(keyId);
  });

  it("does no work at construction: no import, no signing", () => {
    createAscTokenProvider(options());
    createTokenProvider(createAscToken, options());
    expect(importKey).not.toHaveBeenCalled();
    expect(sign).not.toHaveBeenCalled();
  });

  it.each([
    ["refreshBefore -1", { refreshBefore: -1 }, "INVALID_REFRESH_BEFORE"],
    ["refreshBefore 1.5", { refreshBefore: 1.5 }, "INVALID_REFRESH_BEFORE"],
    ["refreshBefore '300'", { refreshBefore: "300" }, "INVALID_REFRESH_BEFORE"],
    ["refreshBefore NaN", { refreshBefore: Number.NaN }, "INVALID_REFRESH_BEFORE"],
    ["maxAge 0", { maxAge: 0 }, "INVALID_MAX_AGE"],
    ["maxAge 2.5", { maxAge: 2.5 }, "INVALID_MAX_AGE"],
    ["now a number in seconds", { now: NOW / 1000 }, "INVALID_NOW"],
    ["now an invalid Date", { now: new Date("nope") }, "INVALID_NOW"],
    ["keyId wrong", { keyId: "bad" }, "INVALID_KEY_ID"],
    ["issuerId wrong", { issuerId: "team" }, "INVALID_ISSUER_ID"],
    ["expiresIn too long", { expiresIn: 3600 }, "LIFETIME_TOO_LONG"],
    ["scope wrong", { scope: "GET /v1/apps" }, "INVALID_SCOPE"],
  ])("throws at construction for %s", (_, extra, code) => {
    expect(() => createAscTokenProvider(options(extra as Partial<AscTokenOptions>))).toThrow(
      expect.objectContaining({ name: "AscTokenError", code }),
    );
    expect(importKey).not.toHaveBeenCalled();
  });

  it("throws INVALID_OPTIONS for missing options or a mint that is not a function", () => {
    expect(() => createAscTokenProvider(undefined as unknown as AscTokenOptions)).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS" }),
    );
    expect(() => createTokenProvider(createAscToken, null as unknown as AscTokenOptions)).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS" }),
    );
    expect(() =>
      createTokenProvider("createAscToken" as unknown as typeof createAscToken, options()),
    ).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
  });

  it("a refreshBefore that leaves a fresh token no time to be reused rejects with INVALID_REFRESH_BEFORE", async () => {
    // expiresIn 300 with 60 s of backdating leaves 240 s, less than the default 300.
    const provider = createAscTokenProvider(options({ expiresIn: 300 }));
    const error = await errorOf(provider.getToken());
    expect(error).toMatchObject({ code: "INVALID_REFRESH_BEFORE" });
    expect((error as Error).message).toMatch(
      /refreshBefore is 300 s but a fresh token has 240 s left/,
    );
    await expect(
      createAscTokenProvider(options({ expiresIn: 300, refreshBefore: 239 })).getToken(),
    ).resolves.toBeTypeOf("string");
  });
});

describe("createTokenProvider: other token kinds plug in", () => {
  /** An APNs-style mint: header { alg, kid }, claims { iss, iat }, no exp, signed with the CryptoKey it is given. */
  const apnsMint = async (o: {
    privateKey: ApplePrivateKey;
    now?: Clock | undefined;
    teamId: string;
  }): Promise<string> => {
    if (!(o.privateKey instanceof CryptoKey))
      throw new Error("expected the provider to pass a CryptoKey");
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const ms = typeof o.now === "function" ? o.now() : Date.now();
    const input = `${part({ alg: "ES256", kid: keyId })}.${part({ iss: o.teamId, iat: Math.floor(ms / 1000) })}`;
    const signature = await crypto.subtle.sign(
      { name: "ECDSA", hash: "SHA-256" },
      o.privateKey,
      Buffer.from(input),
    );
    return `${input}.${Buffer.from(signature).toString("base64url")}`;
  };

  it("a token without exp needs maxAge: expiresAt = iat + maxAge, refreshed refreshBefore earlier", async () => {
    const provider = createTokenProvider(apnsMint, {
      privateKey: key.pkcs8Pem,
      now,
      teamId: "A1B2C3D4E5",
      maxAge: 3000,
    });
    const info = await provider.getTokenInfo();
    expect(info).toMatchObject({ issuedAt: nowS, expiresAt: nowS + 3000 });
    expect(verifies(info.token, key.publicKey)).toBe(true);
    at(2699);
    expect(await provider.getToken()).toBe(info.token);
    at(2700);
    expect(await provider.getToken()).not.toBe(info.token);
    expect(importKey).toHaveBeenCalledTimes(1);
  });

  it("without maxAge, a token without exp rejects with INVALID_MAX_AGE", async () => {
    const provider = createTokenProvider(apnsMint, {
      privateKey: key.pkcs8Pem,
      now,
      teamId: "A1B2C3D4E5",
    });
    await expect(provider.getToken()).rejects.toMatchObject({
      code: "INVALID_MAX_AGE",
      message: expect.stringMatching(/no exp claim: pass maxAge/) as unknown,
    });
  });

  it("maxAge caps a token that has exp", async () => {
    const provider = createTokenProvider(createAscToken, { ...options(), maxAge: 600 });
    expect(await provider.getTokenInfo()).toMatchObject({
      issuedAt: nowS - 60,
      expiresAt: nowS - 60 + 600,
    });
  });
});
