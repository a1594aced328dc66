// The core's promises, as a caller sees them: the key cache answers only for the same input;
// options are read once by their declared names, own or inherited, and a name no function takes
// is refused; messages show the harmless values they refuse.
import { describe, expect, it } from "vitest";
import {
  type Clock,
  createApnsToken,
  createAscToken,
  createPromotionalOfferSignature,
  createAscTokenProvider,
  createTokenProvider,
  importAppleKey,
} from "../../src/index.js";
import { makeP256 } from "../helpers/keys.js";
import { decodeToken, verifies } from "../helpers/verify.js";

const keyId = "2X9R4HXF34";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";
const now = () => Date.UTC(2026, 10, 28);

describe("key cache", () => {
  // A 2×32-bit FNV-style fingerprint over two UTF-16 units a step (the cache key of an earlier
  // design): both halves are invertible per step, so colliding texts are quick to build.
  const P = 0x01000193;
  const M = 0x5bd1e995;
  const inverse = (odd: number): number => {
    let x = odd;
    for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(odd, x));
    return x;
  };
  const step = (a: number, b: number, unit: number): [number, number] => [
    Math.imul(a ^ unit, P),
    Math.imul(b ^ unit, M) ^ (b >>> 15),
  ];
  const fingerprint = (text: string): string => {
    let [a, b] = [0x811c9dc5, 0];
    for (let i = 0; i < text.length; i += 2) {
      [a, b] = step(a, b, text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16));
    }
    return `string${a}.${b}.${text.length}`;
  };
  const units = (...list: number[]): string =>
    list.map((u) => String.fromCharCode(u & 0xffff, u >>> 16)).join("");

  /** Three units after `prefix` (even length), the last chosen so that `a` ends at `target`. */
  const tail = (prefix: string, target: number, seed: () => number) => {
    let [a, b] = [0x811c9dc5, 0];
    for (let i = 0; i < prefix.length; i += 2) {
      [a, b] = step(a, b, prefix.charCodeAt(i) | (prefix.charCodeAt(i + 1) << 16));
    }
    const u1 = seed();
    const u2 = seed();
    [a, b] = step(...step(a, b, u1), u2);
    const u3 = a ^ Math.imul(target, inverse(P));
    return { text: prefix + units(u1, u2, u3), b: step(a, b, u3)[1] };
  };

  it("two texts with the same fingerprint under a 64-bit hash get their own keys", async () => {
    const one = makeP256();
    const two = makeP256();
    const even = (pem: string) => (pem.length % 2 ? `${pem}\n` : pem);
    const [pemA, pemB] = [even(one.applePem), even(two.applePem)];
    expect(pemA.length).toBe(pemB.length);
    let seed = 1;
    const random = () => (seed = Math.imul(seed, 0x2c9277b5) + 0xac564b05) >>> 0;
    const target = 0x12345678;
    const seen = new Map<number, string>();
    for (let i = 0; i < 1 << 17; i++) {
      const { text, b } = tail(pemA, target, random);
      seen.set(b, text);
    }
    let a: string | undefined;
    let b = "";
    while (a === undefined) {
      const found = tail(pemB, target, random);
      a = seen.get(found.b);
      b = found.text;
    }
    expect(fingerprint(a)).toBe(fingerprint(b));

    const options = { keyId, issuerId, now };
    const tokenA = await createAscToken({ ...options, privateKey: a });
    const tokenB = await createAscToken({ ...options, privateKey: b });
    expect(verifies(tokenA, one.publicKey)).toBe(true);
    expect(verifies(tokenB, two.publicKey)).toBe(true);
    const [keyA, keyB] = [await importAppleKey(a), await importAppleKey(b)];
    expect(keyA).not.toBe(keyB);
  });

  it("the same text again is the same CryptoKey; its bytes are another entry", async () => {
    const key = makeP256();
    expect(await importAppleKey(key.applePem)).toBe(await importAppleKey(key.applePem));
    const bytes = new TextEncoder().encode(key.applePem);
    expect(await importAppleKey(bytes)).toBe(await importAppleKey(bytes.slice()));
    expect(await importAppleKey(bytes)).not.toBe(await importAppleKey(key.applePem));
  });
});

describe("options", () => {
  const key = makeP256();
  const good = { keyId, issuerId, privateKey: key.applePem, now };

  it.each([
    ["issuerID", "issuerId"],
    ["keyID", "keyId"],
    ["privatekey", "privateKey"],
    ["expiresin", "expiresIn"],
  ])("%s is refused as UNKNOWN_OPTION, suggesting %s", async (wrong, right) => {
    const { [right as keyof typeof good]: value, ...rest } = good;
    await expect(createAscToken({ ...rest, [wrong]: value ?? 600 } as never)).rejects.toMatchObject(
      {
        code: "UNKNOWN_OPTION",
        message: `options has no "${wrong}": did you mean ${right}?`,
      },
    );
  });

  it("teamId is not an App Store Connect option, nor issuerId an APNs one", async () => {
    await expect(createAscToken({ ...good, teamId: "DEF123GHIJ" } as never)).rejects.toMatchObject({
      code: "UNKNOWN_OPTION",
      message: 'options has no "teamId"',
    });
    await expect(createApnsToken({ ...good, teamId: "DEF123GHIJ" })).rejects.toMatchObject({
      code: "UNKNOWN_OPTION",
    });
  });

  it("providers take their own options and refuse unknown ones at once", () => {
    for (const extra of [{ refreshBefore: 60 }, { maxAge: 600 }, { onError: () => undefined }]) {
      expect(() => createAscTokenProvider({ ...good, ...extra })).not.toThrow();
    }
    expect(() => createAscTokenProvider({ ...good, refreshbefore: 60 } as never)).toThrow(
      expect.objectContaining({ code: "UNKNOWN_OPTION" }),
    );
    expect(() =>
      createTokenProvider(createAscToken, { ...good, issuerID: issuerId } as never),
    ).toThrow(expect.objectContaining({ code: "UNKNOWN_OPTION" }));
  });

  it("inherited options and getters work in providers as in createAscToken, read once", async () => {
    let reads = 0;
    const base = {
      keyId,
      get issuerId() {
        reads++;
        return issuerId;
      },
    };
    const options = Object.assign(Object.create(base) as typeof good, {
      privateKey: key.applePem,
      now,
    });
    const direct = decodeToken(await createAscToken(options)).claims;
    expect(direct.iss).toBe(issuerId);
    reads = 0;
    for (const provider of [
      createAscTokenProvider(options),
      createTokenProvider(createAscToken, options),
    ]) {
      const token = await provider.getToken();
      expect(decodeToken(token).claims).toMatchObject({ iss: issuerId });
      expect(decodeToken(token).header.kid).toBe(keyId);
      expect(verifies(token, key.publicKey)).toBe(true);
    }
    expect(reads).toBe(2); // once per provider, whatever the number of tokens
  });

  it("epoch ms as a number is a fixed clock, the same as a function or a Date giving them", async () => {
    const ms = Date.UTC(2026, 10, 28, 12, 0, 0);
    const claims = async (now: Clock) => decodeToken(await createAscToken({ ...good, now })).claims;
    const expected = await claims(() => ms);
    expect(expected.iat).toBe(ms / 1000 - 60);
    expect(await claims(ms)).toStrictEqual(expected);
    expect(await claims(new Date(ms))).toStrictEqual(expected);
    const offer = await createPromotionalOfferSignature({
      keyId: good.keyId,
      privateKey: good.privateKey,
      bundleId: "com.example.app",
      productId: "com.example.monthly",
      offerIdentifier: "WINBACK50",
      now: ms,
    });
    expect(offer.timestamp).toBe(ms);
  });

  it("a clock before 2018 is refused, naming fake timers and every form it takes", async () => {
    for (const clock of [new Date(0), () => 0, 0, 1_764_331_200]) {
      await expect(createAscToken({ ...good, now: clock })).rejects.toMatchObject({
        code: "INVALID_NOW",
        message: "now must be a Date or epoch ms from 2018 on (seconds? a fake timer?)",
      });
    }
    for (const clock of [new Date(0), () => 0]) {
      await expect(createAscToken({ ...good, now: clock })).rejects.toMatchObject({
        code: "INVALID_NOW",
        message: expect.stringMatching(/2018.*fake timer/) as unknown,
      });
    }
  });

  it("milliseconds given as expiresIn are called so", async () => {
    await expect(createAscToken({ ...good, expiresIn: 1_200_000 })).rejects.toMatchObject({
      code: "LIFETIME_TOO_LONG",
      message: expect.stringContaining("milliseconds?") as unknown,
    });
    await expect(createAscToken({ ...good, expiresIn: 2000 })).rejects.not.toMatchObject({
      message: expect.stringContaining("milliseconds") as unknown,
    });
  });

  it("messages show the harmless value they refuse, never key material", async () => {
    const message = async (extra: object) =>
      ((await createAscToken({ ...good, ...extra }).catch((e: unknown) => e)) as Error).message;
    expect(await message({ scope: ["get /v1/apps"] })).toBe(
      'scope[0] must be "METHOD /v1/path?query"; got "get /v1/apps" (the method must be upper case)',
    );
    expect(await message({ keyId: ` ${keyId} ` })).toMatch(/got " 2X9R4HXF34 " \(whitespace/);
    expect(await message({ keyId: `${keyId}\n` })).toMatch(/characters \(whitespace around it\)$/);
    expect(await message({ keyId: key.body.slice(0, 40) })).toMatch(/got a string of 40 char/);
  });
});
