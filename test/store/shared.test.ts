// The fleet protocol over an in-memory store: one signing per lifetime, and every store fault
// (throws, hangs, nonsense) ends in a locally minted token and an onError report, never a failure.
import { sign } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import {
  type AscTokenError,
  type TokenStore,
  createApnsToken,
  createAscToken,
  createMemoryStore,
  createTokenProvider,
  durableObjectStore,
  redisStore,
  workersKvStore,
  signerKey,
} from "../../src/index.js";
import { acceptSharedToken } from "../../src/store/accept.js";
import { storeKeyFor } from "../../src/store/key.js";
import { sharedMint } from "../../src/store/shared.js";
import { handToken } from "../helpers/jwt.js";
import { makeP256 } from "../helpers/keys.js";
import { decodeToken, verifies } from "../helpers/verify.js";

const KEY_ID = "2X9R4HXF34";
const TEAM_ID = "DEF123GHIJ";
const ISSUER_ID = "57246542-96fe-1a63-e053-0824d011072a";
const key = makeP256();
const T0 = Date.UTC(2026, 10, 28, 12) / 1000;

/** A fake clock in epoch ms, shared by the providers and the memory store. */
const clock = () => {
  let ms = T0 * 1000;
  return { now: () => ms, advance: (s: number) => (ms += s * 1000) };
};

/** A signer over the test key, counting its signings (as `privateKey`: { sign: counting() }). */
const counting = () =>
  vi.fn((data: Uint8Array) =>
    Promise.resolve(
      new Uint8Array(sign("sha256", data, { key: key.privateKey, dsaEncoding: "ieee-p1363" })),
    ),
  );

const ascOptions = { keyId: KEY_ID, issuerId: ISSUER_ID, privateKey: key.pkcs8Pem };

/** One member of a fleet: an App Store Connect provider signing with `mint`, sharing `store`. */
const fleetMember = (
  mint: ReturnType<typeof counting>,
  store: TokenStore,
  now: () => number,
  options: { refreshBefore?: number } = {},
) =>
  createTokenProvider(createAscToken, {
    ...ascOptions,
    privateKey: signerKey({ sign: mint }),
    store,
    now,
    ...options,
  });

/** Every store call rejects. */
const throwing = (): TokenStore => ({
  get: () => Promise.reject(new Error("ECONNREFUSED")),
  setIfAbsent: () => Promise.reject(new Error("ECONNREFUSED")),
  set: () => Promise.reject(new Error("ECONNREFUSED")),
});
/** Every store call hangs forever. */
const hanging = (): TokenStore => ({
  get: () => new Promise<never>(() => undefined),
  setIfAbsent: () => new Promise<never>(() => undefined),
  set: () => new Promise<never>(() => undefined),
});

describe("storeKeyFor", () => {
  it("is asc-token:v1:<kind>:<keyId>:<sha256 hex>, the same for the same options in any order", async () => {
    const a = await storeKeyFor("createAscToken", { ...ascOptions, scope: ["GET /v1/apps"] });
    const b = await storeKeyFor("createAscToken", {
      scope: ["GET /v1/apps"],
      issuerId: ISSUER_ID,
      keyId: KEY_ID,
      privateKey: makeP256().pkcs8Pem,
      now: () => 0,
      refreshBefore: 10,
      maxAge: 99,
    });
    expect(a).toMatch(/^asc-token:v1:createAscToken:2X9R4HXF34:[0-9a-f]{64}$/);
    expect(b).toBe(a);
  });

  it("differs with anything that makes tokens differ: kind, key ID, issuer, audience, scope", async () => {
    const keys = await Promise.all([
      storeKeyFor("createAscToken", ascOptions),
      storeKeyFor("createApnsToken", ascOptions),
      storeKeyFor("createAscToken", { ...ascOptions, keyId: "ABCDEFGHIJ" }),
      storeKeyFor("createAscToken", { ...ascOptions, issuerId: ISSUER_ID.replace("5", "6") }),
      storeKeyFor("createAscToken", { ...ascOptions, audience: "apple-developer-enterprise-v1" }),
      storeKeyFor("createAscToken", { ...ascOptions, scope: ["GET /v1/apps"] }),
      storeKeyFor("createAscToken", { ...ascOptions, scope: { nested: { b: 1, a: 2 } } }),
    ]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("never depends on, nor contains, the private key", async () => {
    const other = makeP256();
    const a = await storeKeyFor("createAscToken", ascOptions);
    expect(await storeKeyFor("createAscToken", { ...ascOptions, privateKey: other.body })).toBe(a);
    expect(a).not.toContain(key.body.slice(0, 16));
  });

  it("refuses a bad kind or key ID with INVALID_OPTIONS / INVALID_KEY_ID", async () => {
    await expect(storeKeyFor("a:b", ascOptions)).rejects.toMatchObject({ code: "INVALID_OPTIONS" });
    await expect(storeKeyFor("", ascOptions)).rejects.toMatchObject({ code: "INVALID_OPTIONS" });
    await expect(
      storeKeyFor("createAscToken", null as unknown as typeof ascOptions),
    ).rejects.toMatchObject({ code: "INVALID_OPTIONS" });
    await expect(
      storeKeyFor("createAscToken", { ...ascOptions, keyId: "x:y" }),
    ).rejects.toMatchObject({ code: "INVALID_KEY_ID" });
  });
});

describe("acceptSharedToken", () => {
  const now = () => T0 * 1000;
  const good = { iss: TEAM_ID, iat: T0 - 60, exp: T0 + 1140 };
  const rule = { keyId: KEY_ID, built: { claims: good }, refreshBefore: 300, now };
  const header = { alg: "ES256", kid: KEY_ID };
  const token = (h: object, c: object) => handToken(h, c, key.privateKey);

  it("gives the ms left before the provider would replace the token", () => {
    expect(acceptSharedToken(token(header, good), rule)).toBe((1140 - 300) * 1000);
    // No exp: maxAge counts from iat.
    const apns = { iss: TEAM_ID, iat: T0 - 60 };
    const apnsRule = { ...rule, built: { claims: apns }, maxAge: 3000 };
    expect(acceptSharedToken(token(header, apns), apnsRule)).toBe((3000 - 60 - 300) * 1000);
  });

  it.each([
    ["not a string", 42],
    ["garbage", "garbage"],
    ["two parts", "eyJhIjoxfQ.eyJhIjoxfQ"],
    ["another alg", token({ ...header, alg: "HS256" }, good)],
    ["another kid", token({ ...header, kid: "ABCDEFGHIJ" }, good)],
    ["another iss", token(header, { ...good, iss: "ABCDEFGHIJ" })],
    ["no iss", token(header, { iat: good.iat, exp: good.exp })],
    ["iat not whole", token(header, { ...good, iat: 1.5 })],
    ["exp not whole", token(header, { ...good, exp: "later" })],
    ["exp before iat", token(header, { ...good, exp: good.iat - 1 })],
    ["iat in the future", token(header, { ...good, iat: T0 + 120, exp: T0 + 1200 })],
    ["a lifetime no Apple token has", token(header, { ...good, exp: T0 + 10 ** 9 })],
    ["about to be replaced", token(header, { ...good, exp: T0 + 300 })],
    ["expired", token(header, { ...good, iat: T0 - 2000, exp: T0 - 800 })],
    ["no exp", token(header, { iss: TEAM_ID, iat: T0 })],
    ["a claim more", token(header, { ...good, sub: "user" })],
    ["a header field more", token({ ...header, typ: "JWT" }, good)],
    ["a short signature", `${token(header, good).split(".").slice(0, 2).join(".")}.AAAA`],
  ])("refuses a token with %s", (_name, value) => {
    expect(acceptSharedToken(value, rule)).toBe(0);
  });
});

describe("createTokenProvider with a store, over a memory store", () => {
  it("20 providers asking at once: one signing, one token, which verifies", async () => {
    const store = createMemoryStore();
    const mint = counting();
    const providers = Array.from({ length: 20 }, () => fleetMember(mint, store, Date.now));
    const tokens = await Promise.all(providers.map((p) => p.getToken()));
    expect(mint).toHaveBeenCalledTimes(1);
    expect(new Set(tokens).size).toBe(1);
    expect(verifies(tokens[0]!, key.publicKey)).toBe(true);
    const stored = [...store.entries.keys()];
    expect(stored).toHaveLength(2); // the token and its lease
    expect(stored.every((k) => k.startsWith("asc-token:v1:createAscToken:2X9R4HXF34:"))).toBe(true);
  });

  it("one signing per lifetime window, and a new one once refreshBefore is reached", async () => {
    const { now, advance } = clock();
    const store = createMemoryStore(now);
    const mint = counting();
    const make = () => fleetMember(mint, store, now);
    const a = make();
    const b = make();
    const first = await a.getToken();
    expect(await b.getToken()).toBe(first);
    advance(700); // 1080 s left at mint: 380 left, still above refreshBefore 300
    expect(await make().getToken()).toBe(first);
    advance(100); // 280 left: every provider refreshes, one signs
    const second = await Promise.all([a.getToken(), b.getToken(), make().getToken()]);
    expect(new Set(second).size).toBe(1);
    expect(second[0]).not.toBe(first);
    expect(mint).toHaveBeenCalledTimes(2);
  });

  it("an APNs fleet with maxAge: the store key names the kind's function", async () => {
    const store = createMemoryStore();
    const options = { keyId: KEY_ID, teamId: TEAM_ID, privateKey: key.pkcs8Pem, maxAge: 3000 };
    const [a, b] = [1, 2].map(() => createTokenProvider(createApnsToken, { ...options, store }));
    const token = await a!.getToken();
    expect(await b!.getToken()).toBe(token);
    expect([...store.entries.keys()][0]).toMatch(/^asc-token:v1:createApnsToken:/);
    expect(Object.keys(decodeToken(token).claims)).toStrictEqual(["iss", "iat"]);
  });

  it("the provider's own refreshBefore decides whether a stored token is still good", async () => {
    const store = createMemoryStore();
    const { now, advance } = clock();
    const mint = counting();
    const make = () => fleetMember(mint, store, now, { refreshBefore: 600 });
    const first = await make().getToken();
    advance(400); // 1080 s left at mint: 680 left, above 600
    expect(await make().getToken()).toBe(first);
    advance(100); // 580 left: below this fleet's 600, though above the default 300
    const second = await make().getToken();
    expect(second).not.toBe(first);
    expect(mint).toHaveBeenCalledTimes(2);
  });

  it("a misspelt option is refused when the provider is built, store or not", () => {
    const store = createMemoryStore();
    const options = { keyId: KEY_ID, teamID: TEAM_ID, privateKey: key.pkcs8Pem, maxAge: 3000 };
    expect(() => createTokenProvider(createApnsToken, { ...options, store } as never)).toThrow(
      expect.objectContaining({ code: "UNKNOWN_OPTION" }) as Error,
    );
  });

  it("after invalidate(token) (a 401), the stored copy is refused and replaced once for all", async () => {
    const store = createMemoryStore();
    const mint = counting();
    const providers = Array.from({ length: 5 }, () => fleetMember(mint, store, Date.now));
    const first = await providers[0]!.getToken();
    await Promise.all(providers.map((p) => p.getToken()));
    for (const p of providers) p.invalidate(first);
    await new Promise((resolve) => setTimeout(resolve, 5)); // the released lease's 1 ms TTL
    const next = await Promise.all(providers.map((p) => p.getToken()));
    expect(new Set(next).size).toBe(1);
    expect(next[0]).not.toBe(first);
    expect(mint).toHaveBeenCalledTimes(2);
  });

  it("a garbage or foreign value under the key is never served, and is replaced", async () => {
    const store = createMemoryStore();
    const storeKey = await storeKeyFor("createAscToken", ascOptions);
    const mint = counting();
    const foreign = await createAscToken({ ...ascOptions, keyId: "ABCDEFGHIJ" });
    for (const planted of ["garbage", foreign, "a.b.c"]) {
      await store.set(storeKey, planted, 60_000);
      store.entries.delete(`${storeKey}:lease`);
      const provider = fleetMember(mint, store, Date.now);
      const token = await provider.getToken();
      expect(token).not.toBe(planted);
      expect(decodeToken(token).header.kid).toBe(KEY_ID);
      expect(await store.get(storeKey)).toBe(token);
    }
    expect(mint).toHaveBeenCalledTimes(3);
  });
});

describe("store faults: every call still gets a token", () => {
  const run = async (store: TokenStore) => {
    const errors: AscTokenError[] = [];
    const mint = counting();
    const provider = createTokenProvider(createAscToken, {
      ...ascOptions,
      privateKey: signerKey({ sign: mint }),
      store,
      onError: (e) => errors.push(e),
    });
    const token = await provider.getToken();
    expect(verifies(token, key.publicKey)).toBe(true);
    expect(mint).toHaveBeenCalledTimes(1);
    return errors;
  };

  it("a store that throws: minted locally, onError told with STORE_UNAVAILABLE and the cause", async () => {
    const errors = await run(throwing());
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "STORE_UNAVAILABLE" });
    expect(errors[0]!.message).toMatch(/get failed/);
    expect((errors[0]!.cause as Error).message).toBe("ECONNREFUSED");
  });

  it("a store that throws synchronously", async () => {
    const store = {
      ...throwing(),
      get: () => {
        throw new Error("not connected");
      },
    };
    expect((await run(store))[0]).toMatchObject({ code: "STORE_UNAVAILABLE" });
  });

  it("a store that hangs: minted after the store call's 1000 ms", async () => {
    const started = Date.now();
    const errors = await run(hanging());
    expect(Date.now() - started).toBeLessThan(3000);
    expect(errors[0]).toMatchObject({ code: "STORE_UNAVAILABLE" });
    expect(errors[0]!.message).toMatch(/get took over 1000 ms/);
  });

  it("a store whose get answers nonsense: treated as empty, and replaced", async () => {
    const memory = createMemoryStore();
    for (const nonsense of [42, { token: "x" }, ["a"], true]) {
      const errors = await run({ ...memory, get: () => Promise.resolve(nonsense as never) });
      expect(errors).toStrictEqual([]);
      memory.entries.clear();
    }
  });

  it("a store whose setIfAbsent answers no boolean: reported, minted locally", async () => {
    const store = { ...createMemoryStore(), setIfAbsent: () => Promise.resolve("OK" as never) };
    const errors = await run(store);
    expect(errors[0]!.message).toMatch(/setIfAbsent answered no boolean/);
  });

  it("a store whose set fails: the winner's token is still returned, the fault reported", async () => {
    const store = { ...createMemoryStore(), set: () => Promise.reject(new Error("READONLY")) };
    const errors = await run(store);
    // The token, then the lease's release.
    expect(errors.map((e) => e.message)).toStrictEqual([
      "the token store's set failed: minting locally",
      "the token store's set failed: minting locally",
    ]);
  });

  it("a store that hangs after the lease is lost: the waiter mints locally", async () => {
    const memory = createMemoryStore();
    let gets = 0;
    const store: TokenStore = {
      ...memory,
      get: (k) => (++gets === 1 ? memory.get(k) : new Promise<never>(() => undefined)),
      setIfAbsent: () => Promise.resolve(false),
    };
    const errors = await run(store);
    expect(errors[0]!.message).toMatch(/get took over 1000 ms/);
  });

  it("an onError that throws does not fail the call", async () => {
    const provider = createTokenProvider(createAscToken, {
      ...ascOptions,
      store: throwing(),
      onError: () => {
        throw new Error("logger down");
      },
    });
    expect(verifies(await provider.getToken(), key.publicKey)).toBe(true);
  });

  it("no onError: faults are silent", async () => {
    const provider = createTokenProvider(createAscToken, { ...ascOptions, store: throwing() });
    expect(verifies(await provider.getToken(), key.publicKey)).toBe(true);
  });
});

describe("sharedMint", () => {
  /** What createAscToken with ascOptions mints now, times aside. */
  const built = {
    header: { typ: "JWT" },
    claims: { iss: ISSUER_ID, iat: 0, exp: 1140, aud: "appstoreconnect-v1" },
  };
  const accept = (token: string) =>
    acceptSharedToken(token, { keyId: KEY_ID, built, refreshBefore: 300 });

  it("a lease held by an instance that never writes: waits at most waitMs, then mints locally", async () => {
    const store = createMemoryStore();
    await store.setIfAbsent("k:lease", "lease", 60_000);
    const mint = vi.fn(() => createAscToken(ascOptions));
    const started = Date.now();
    const token = await sharedMint({ store, storeKey: "k", mint, accept, waitMs: 150 });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(1000);
    expect(mint).toHaveBeenCalledTimes(1);
    expect(accept(token)).toBeGreaterThan(0);
    expect(await store.get("k")).toBeNull(); // a waiter does not write
  });

  it("a waiter gets the winner's token as soon as it is written", async () => {
    const store = createMemoryStore();
    await store.setIfAbsent("k:lease", "lease", 60_000);
    const winners = await createAscToken(ascOptions);
    setTimeout(() => void store.set("k", winners, 60_000), 50);
    const mint = vi.fn(() => createAscToken(ascOptions));
    expect(await sharedMint({ store, storeKey: "k", mint, accept })).toBe(winners);
    expect(mint).not.toHaveBeenCalled();
  });

  it("a token written between the read and the lease is used, not signed again", async () => {
    const memory = createMemoryStore();
    const previous = await createAscToken(ascOptions);
    let gets = 0;
    const store: TokenStore = {
      ...memory,
      get: async (k) => {
        if (++gets === 1) {
          const empty = await memory.get(k);
          await memory.set("k", previous, 60_000); // a previous winner finishes meanwhile
          return empty;
        }
        return memory.get(k);
      },
    };
    const mint = vi.fn(() => createAscToken(ascOptions));
    expect(await sharedMint({ store, storeKey: "k", mint, accept })).toBe(previous);
    expect(mint).not.toHaveBeenCalled();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await memory.get("k:lease")).toBeNull(); // released
  });

  it("the winner's mint error rejects its caller, and is not retried", async () => {
    const store = createMemoryStore();
    const mint = vi.fn(() => Promise.reject(new Error("sign failed")));
    await expect(sharedMint({ store, storeKey: "k", mint, accept })).rejects.toThrow("sign failed");
    expect(mint).toHaveBeenCalledTimes(1);
  });

  it("an accept that throws refuses the token", async () => {
    const store = createMemoryStore();
    await store.set("k", await createAscToken(ascOptions), 60_000);
    const token = await sharedMint({
      store,
      storeKey: "k",
      mint: () => Promise.resolve("minted"),
      accept: () => {
        throw new Error("bug");
      },
    });
    expect(token).toBe("minted");
  });
});

describe("the store option refuses bad values with INVALID_OPTIONS", () => {
  const store = createMemoryStore();
  it.each([
    [
      "a store without methods",
      () => createTokenProvider(createAscToken, { ...ascOptions, store: {} as never }),
    ],
    [
      "a store that is a string",
      () => createTokenProvider(createAscToken, { ...ascOptions, store: "redis" as never }),
    ],
    [
      "a mint function of one's own (a shared token cannot be checked against it)",
      () =>
        createTokenProvider((o: typeof ascOptions) => createAscToken(o), { ...ascOptions, store }),
    ],
    [
      "a storeKey that is no string",
      () => createTokenProvider(createAscToken, { ...ascOptions, store, storeKey: 1 as never }),
    ],
    [
      "a storeKey without a store",
      () => createTokenProvider(createAscToken, { ...ascOptions, storeKey: "k" }),
    ],
  ])("%s", (_name, make) => {
    expect(make).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
  });

  it("a storeKey of one's own is used as given", async () => {
    const memory = createMemoryStore();
    const token = await createTokenProvider(createAscToken, {
      ...ascOptions,
      store: memory,
      storeKey: "mine",
    }).getToken();
    expect(await memory.get("mine")).toBe(token);
  });
});

describe("adapters over fake clients", () => {
  it("createMemoryStore honours TTLs and setIfAbsent", async () => {
    const { now, advance } = clock();
    const store = createMemoryStore(now);
    expect(await store.setIfAbsent("a", "1", 1000)).toBe(true);
    expect(await store.setIfAbsent("a", "2", 1000)).toBe(false);
    expect(await store.get("a")).toBe("1");
    advance(1);
    expect(await store.get("a")).toBeNull();
    expect(await store.setIfAbsent("a", "3", 1000)).toBe(true);
  });

  it("redisStore: node-redis's option object, ioredis's arguments, ttl whole ms >= 1", async () => {
    const nodeRedis = {
      isOpen: true,
      get: vi.fn(() => Promise.resolve(null)),
      set: vi.fn(() => Promise.resolve("OK")),
    };
    const ioredis = {
      get: vi.fn(() => Promise.resolve("v")),
      set: vi.fn(() => Promise.resolve(null)),
    };
    const a = redisStore(nodeRedis);
    expect(await a.setIfAbsent("k", "v", 1500.2)).toBe(true);
    await a.set("k", "v", 0.2);
    expect(await a.get("k")).toBeNull();
    expect(nodeRedis.set.mock.calls).toStrictEqual([
      ["k", "v", { PX: 1501, NX: true }],
      ["k", "v", { PX: 1 }],
    ]);
    const b = redisStore(ioredis);
    expect(await b.setIfAbsent("k", "v", 1500)).toBe(false);
    await b.set("k", "v", 20);
    expect(await b.get("k")).toBe("v");
    expect(ioredis.set.mock.calls).toStrictEqual([
      ["k", "v", "PX", 1500, "NX"],
      ["k", "v", "PX", 20],
    ]);
    // A Buffer or anything else from GET is no token.
    expect(
      await redisStore({ ...ioredis, get: () => Promise.resolve(Buffer.from("x")) }).get("k"),
    ).toBeNull();
    // `api` overrides the detection.
    await redisStore(ioredis, "node-redis").set("k", "v", 5);
    expect(ioredis.set.mock.calls.at(-1)).toStrictEqual(["k", "v", { PX: 5 }]);
  });

  it("workersKvStore: read-then-write, expirationTtl in seconds and >= 60", async () => {
    const map = new Map<string, string>();
    const kv = {
      get: vi.fn((k: string) => Promise.resolve(map.get(k) ?? null)),
      put: vi.fn((k: string, v: string, options: { expirationTtl: number }) => {
        expect(options.expirationTtl).toBeGreaterThanOrEqual(60);
        map.set(k, v);
        return Promise.resolve();
      }),
    };
    const store = workersKvStore(kv);
    expect(await store.setIfAbsent("k", "1", 5000)).toBe(true);
    expect(await store.setIfAbsent("k", "2", 5000)).toBe(false);
    await store.set("k", "3", 600_001);
    expect(await store.get("k")).toBe("3");
    expect(kv.put.mock.calls.map((c) => c[2])).toStrictEqual([
      { expirationTtl: 60 },
      { expirationTtl: 601 },
    ]);
  });

  it("durableObjectStore: values with their expiry, refused once expired or malformed", async () => {
    const map = new Map<string, unknown>();
    const storage = {
      get: (k: string) => Promise.resolve(map.get(k)),
      put: (k: string, v: unknown) => {
        map.set(k, v);
        return Promise.resolve();
      },
    };
    const store = durableObjectStore(storage);
    expect(await store.get("k")).toBeNull();
    expect(await store.setIfAbsent("k", "1", 60_000)).toBe(true);
    expect(await store.setIfAbsent("k", "2", 60_000)).toBe(false);
    expect(await store.get("k")).toBe("1");
    await store.set("k", "3", -1);
    expect(await store.get("k")).toBeNull();
    map.set("k", "just a string");
    expect(await store.get("k")).toBeNull();
    map.set("k", { value: "v", expiresAt: "never" });
    expect(await store.get("k")).toBeNull();
  });
});
