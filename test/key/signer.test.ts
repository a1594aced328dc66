// External signers: a key kept in a KMS or HSM signs through `privateKey: { sign }`. Two signers
// built on node:crypto stand in for the services, one answering DER (AWS KMS, Google Cloud KMS,
// Vault transit by default), one raw r||s (Azure Key Vault, Vault transit's JWS form). Every token
// they sign is verified by node:crypto, jose and the openssl command line.
import { type KeyObject, sign as nodeSign, verify } from "node:crypto";
import fc from "fast-check";
import { jwtVerify } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type AppleSigner,
  type SignerKey,
  type AscTokenErrorCode,
  createApnsToken,
  createAppStoreServerToken,
  createAscToken,
  createAscTokenProvider,
  createDeviceCheckToken,
  createInAppSignature,
  createMapKitToken,
  createMusicKitToken,
  createPromotionalOfferSignature,
  createSignInWithAppleSecret,
  createTokenProvider,
  createWeatherKitToken,
  importAppleKey,
  signatureFromDer,
  signatureToDer,
  signerKey,
} from "../../src/index.js";
import { p1363ToDer } from "../helpers/der-signature.js";
import { missingTool, opensslVerifies, opensslVerify } from "../helpers/external.js";
import { makeP256 } from "../helpers/keys.js";
import { NOW, bundleId, issuerId, key, keyId, teamId } from "../helpers/kinds.js";
import { expectNoKeyMaterial, forbiddenRuns } from "../helpers/no-leak.js";
import { decodeToken, verifies } from "../helpers/verify.js";

afterEach(() => {
  vi.unstubAllGlobals();
});

/** The P-256 order n, big-endian. */
const N = Buffer.from("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", "hex");

type Encoding = "der" | "ieee-p1363";
/** A signer over node:crypto, as a key service would answer, counting its calls. */
const nodeSigner = (encoding: Encoding, privateKey: KeyObject = key().privateKey) => {
  const signer = {
    calls: 0,
    sign(data: Uint8Array): Promise<Uint8Array> {
      signer.calls++;
      return Promise.resolve(nodeSign("sha256", data, { key: privateKey, dsaEncoding: encoding }));
    },
  };
  return signer;
};
/** A signer that answers `output` (or what `answer` returns), whatever it is asked to sign. */
const answering = (answer: () => unknown): SignerKey =>
  signerKey({ sign: answer as AppleSigner["sign"] });
const resolving = (output: unknown): SignerKey => answering(() => Promise.resolve(output));

const now = () => NOW;
const team = { keyId, teamId, now };
/** Every JWT kind, minted with `privateKey`: [name, mint]. */
const kinds: [string, (privateKey: SignerKey) => Promise<string>][] = [
  ["createAscToken", (privateKey) => createAscToken({ keyId, issuerId, privateKey, now })],
  [
    "createAscToken (individual key, Enterprise audience)",
    (privateKey) =>
      createAscToken({ keyId, privateKey, now, audience: "apple-developer-enterprise-v1" }),
  ],
  [
    "createAppStoreServerToken",
    (privateKey) => createAppStoreServerToken({ keyId, issuerId, bundleId, privateKey, now }),
  ],
  ["createApnsToken", (privateKey) => createApnsToken({ ...team, privateKey })],
  [
    "createInAppSignature",
    (privateKey) =>
      createInAppSignature({
        keyId,
        issuerId,
        bundleId,
        privateKey,
        now,
        audience: "promotional-offer",
        claims: { productId: "com.example.monthly", offerIdentifier: "WINBACK50" },
      }),
  ],
  [
    "createSignInWithAppleSecret",
    (privateKey) =>
      createSignInWithAppleSecret({ ...team, clientId: "com.example.web", privateKey }),
  ],
  ["createMusicKitToken", (privateKey) => createMusicKitToken({ ...team, privateKey })],
  [
    "createWeatherKitToken",
    (privateKey) =>
      createWeatherKitToken({ ...team, serviceId: "com.example.weather", privateKey }),
  ],
  [
    "createMapKitToken",
    (privateKey) => createMapKitToken({ ...team, privateKey, origin: "https://example.com" }),
  ],
  ["createDeviceCheckToken", (privateKey) => createDeviceCheckToken({ ...team, privateKey })],
  [
    "createAscTokenProvider",
    (privateKey) => createAscTokenProvider({ keyId, issuerId, privateKey, now }).getToken(),
  ],
  [
    "createTokenProvider(createApnsToken)",
    (privateKey) =>
      createTokenProvider(createApnsToken, { ...team, privateKey, maxAge: 3000 }).getToken(),
  ],
];

const publicKeyPem = () => key().publicKey.export({ type: "spki", format: "pem" }).toString();

describe.each(["der", "ieee-p1363"] as const)("a signer answering %s", (encoding) => {
  it.each(kinds)("%s: node:crypto, jose and openssl verify the token", async (name, mint) => {
    const signer = nodeSigner(encoding);
    const token = await mint(signerKey(signer));
    expect(signer.calls, "the signer signed it").toBe(1);
    const { header, signature } = decodeToken(token);
    expect(header.alg).toBe("ES256");
    expect(header.kid).toBe(keyId);
    expect(signature.length, "raw r||s in the JWS, never DER").toBe(64);
    expect(verifies(token, key().publicKey), "node:crypto").toBe(true);
    await expect(
      jwtVerify(token, key().publicKey, { algorithms: ["ES256"], currentDate: new Date(NOW) }),
      "jose",
    ).resolves.toMatchObject({ protectedHeader: { alg: "ES256", kid: keyId } });
    expect(missingTool("openssl")).toBeUndefined();
    expect(opensslVerifies(token, publicKeyPem()), "openssl").toBe(true);
    // The checks can fail: another key's signature verifies with none of them.
    const other = nodeSigner(encoding, makeP256().privateKey);
    const forged = await mint(signerKey(other));
    expect(verifies(forged, key().publicKey), `${name}, another key`).toBe(false);
    expect(opensslVerifies(forged, publicKeyPem())).toBe(false);
  });

  it("createPromotionalOfferSignature: a DER signature, standard base64, that node:crypto and openssl verify", async () => {
    const signer = nodeSigner(encoding);
    const offer = await createPromotionalOfferSignature({
      keyId,
      privateKey: signerKey(signer),
      bundleId,
      productId: "com.example.monthly",
      offerIdentifier: "WINBACK50",
      nonce: "6584bedf-2ed0-4c01-93ed-c0c64a1670cc",
      now,
    });
    expect(signer.calls).toBe(1);
    const payload = Buffer.from(
      [
        bundleId,
        keyId,
        "com.example.monthly",
        "WINBACK50",
        "",
        "6584bedf-2ed0-4c01-93ed-c0c64a1670cc",
        NOW,
      ].join("\u2063"),
    );
    const der = Buffer.from(offer.signature, "base64");
    expect(der.toString("base64")).toBe(offer.signature);
    expect(der[0], "a DER SEQUENCE").toBe(0x30);
    // Whatever form the signer answered in, the result is the minimal DER of its r||s.
    expect(der).toStrictEqual(p1363ToDer(signatureFromDer(der)));
    const ok = (data: Buffer) =>
      verify("sha256", data, { key: key().publicKey, dsaEncoding: "der" }, der);
    expect(ok(payload)).toBe(true);
    expect(ok(Buffer.concat([payload, Buffer.from("0")]))).toBe(false);
    expect(opensslVerify(payload, der, publicKeyPem())).toBe("Verified OK");
  });
});

describe("a signer reaches privateKey only through signerKey", () => {
  it("a bare signer as privateKey → KEY_MALFORMED, naming signerKey, and it is never called", async () => {
    const signer = nodeSigner("der");
    const bare = signer as unknown as SignerKey;
    for (const attempt of [
      () => createAscToken({ keyId, issuerId, privateKey: bare, now }),
      () => createApnsToken({ ...team, privateKey: bare }),
      () => createAscTokenProvider({ keyId, issuerId, privateKey: bare, now }).getToken(),
      () => importAppleKey(bare),
      () =>
        createPromotionalOfferSignature({
          keyId,
          privateKey: bare,
          bundleId,
          productId: "p",
          offerIdentifier: "o",
          now,
        }),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toMatchObject({ name: "AscTokenError", code: "KEY_MALFORMED" });
      expect((error as Error).message).toContain("signerKey(signer)");
    }
    expect(signer.calls).toBe(0);
  });

  it.each([undefined, null, {}, { sign: "kms" }, "a PEM", new Uint8Array(4)])(
    "signerKey(%o) → KEY_MALFORMED at once",
    (value) => {
      let error: unknown;
      try {
        signerKey(value as unknown as AppleSigner);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ name: "AscTokenError", code: "KEY_MALFORMED" });
      expect((error as Error).message).toContain("sign(data)");
    },
  );

  it("a signer key is frozen and holds nothing a caller can read or swap", () => {
    const key = signerKey(nodeSigner("der"));
    expect(Object.isFrozen(key)).toBe(true);
    expect(Object.keys(key)).toStrictEqual([]);
    expect(JSON.stringify(key)).toBe("{}");
  });
});

describe("what a signer is given and how it is used", () => {
  it("signs exactly the JWS signing input, and gets its own copy of the bytes", async () => {
    const seen: Uint8Array[] = [];
    const inner = nodeSigner("der");
    const signer: AppleSigner = {
      async sign(data) {
        seen.push(Uint8Array.from(data));
        const signature = await inner.sign(data);
        data.fill(0); // a careless signer: must not corrupt the next token with the same input
        return signature;
      },
    };
    const privateKey = signerKey(signer);
    const first = await createAscToken({ keyId, issuerId, privateKey, now });
    const second = await createAscToken({ keyId, issuerId, privateKey, now });
    const input = first.slice(0, first.lastIndexOf("."));
    expect(Buffer.from(seen[0]!).toString()).toBe(input);
    expect(Buffer.from(seen[1]!).toString()).toBe(input);
    expect(verifies(second, key().publicKey)).toBe(true);
  });

  it("needs no crypto.subtle: the service does the signing", async () => {
    vi.stubGlobal("crypto", {});
    const privateKey = signerKey(nodeSigner("der"));
    const token = await createAscToken({ keyId, issuerId, privateKey, now });
    vi.unstubAllGlobals();
    expect(verifies(token, key().publicKey)).toBe(true);
  });

  it("importAppleKey returns the signer key itself; a provider passes it to each mint unchanged", async () => {
    const signer = nodeSigner("ieee-p1363");
    const wrapped = signerKey(signer);
    await expect(importAppleKey(wrapped)).resolves.toBe(wrapped);
    const given: unknown[] = [];
    const provider = createTokenProvider(
      (options: { privateKey: SignerKey; now: () => number }) => {
        given.push(options.privateKey);
        return createAscToken({ keyId, issuerId, ...options });
      },
      { privateKey: wrapped, now },
    );
    const token = await provider.getToken();
    expect(await provider.getToken(), "cached").toBe(token);
    provider.invalidate();
    await provider.getToken();
    expect(given).toStrictEqual([wrapped, wrapped]);
    expect(signer.calls).toBe(2);
  });

  it("a class instance with other fields is a signer too", async () => {
    class Kms {
      readonly keyName = "projects/p/locations/l/keyRings/r/cryptoKeys/asc/cryptoKeyVersions/1";
      sign(data: Uint8Array): Promise<Uint8Array> {
        return Promise.resolve(
          nodeSign("sha256", data, { key: key().privateKey, dsaEncoding: "der" }),
        );
      }
    }
    const privateKey = signerKey(new Kms());
    const token = await createAscToken({ keyId, issuerId, privateKey, now });
    expect(verifies(token, key().publicKey)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Malformed signer outputs: each refused with its code, naming no byte of what the signer said.

/** A valid DER signature of the given r and s (big-endian, any length), with DER's rules. */
const derOf = (r: Uint8Array, s: Uint8Array): Buffer => p1363ToDer(Buffer.concat([r, s]));
const validRaw = () =>
  nodeSign("sha256", Buffer.from("x"), { key: key().privateKey, dsaEncoding: "ieee-p1363" });
const validDer = () =>
  nodeSign("sha256", Buffer.from("x"), { key: key().privateKey, dsaEncoding: "der" });
const zero = Buffer.alloc(32);
const one = Buffer.alloc(32);
one[31] = 1;
const nPlus1 = Buffer.from(N);
nPlus1[31]! += 1;
/** A DER SEQUENCE of INTEGERs with the given contents, taken as they are (minimal or not). */
const seq = (...integers: Uint8Array[]): Buffer => {
  const body = Buffer.concat(integers.map((i) => Buffer.concat([Buffer.from([2, i.length]), i])));
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
};
/** 0x8080…80 as a minimal DER INTEGER: 33 bytes, a zero in front of the set high bit. */
const high = Buffer.concat([Buffer.from([0]), Buffer.alloc(32, 0x80)]);
/** 70 bytes, r = s = 1 written with all 32 bytes: DER wants one byte. */
const paddedDer = () => seq(one, one);

const badOutputs: [string, () => unknown, AscTokenErrorCode][] = [
  ["63 bytes", () => validRaw().subarray(0, 63), "SIGNER_OUTPUT_INVALID"],
  ["65 bytes", () => Buffer.concat([validRaw(), Buffer.from([0])]), "SIGNER_OUTPUT_INVALID"],
  ["no bytes", () => new Uint8Array(0), "SIGNER_OUTPUT_INVALID"],
  [
    "DER with a trailing byte",
    () => Buffer.concat([validDer(), Buffer.from([0])]),
    "SIGNER_OUTPUT_INVALID",
  ],
  ["DER cut short", () => seq(high, high).subarray(0, 71), "SIGNER_OUTPUT_INVALID"],
  ["DER with a non-minimal integer", paddedDer, "SIGNER_OUTPUT_INVALID"],
  [
    "DER with a negative integer",
    () => Buffer.from([0x30, 6, 2, 1, 0x80, 2, 1, 1]),
    "SIGNER_OUTPUT_INVALID",
  ],
  ["DER of a P-384 size r", () => seq(Buffer.alloc(48, 1), one), "SIGNER_OUTPUT_INVALID"],
  ["raw with r = n", () => Buffer.concat([N, one]), "SIGNER_OUTPUT_INVALID"],
  ["raw with s = n", () => Buffer.concat([one, N]), "SIGNER_OUTPUT_INVALID"],
  ["raw with s = n + 1", () => Buffer.concat([one, nPlus1]), "SIGNER_OUTPUT_INVALID"],
  [
    "raw with r = 2^256 − 1",
    () => Buffer.concat([Buffer.alloc(32, 0xff), one]),
    "SIGNER_OUTPUT_INVALID",
  ],
  ["DER with r = n", () => derOf(N, one), "SIGNER_OUTPUT_INVALID"],
  ["DER with s = n", () => derOf(one, N), "SIGNER_OUTPUT_INVALID"],
  ["raw with r = 0", () => Buffer.concat([zero, one]), "SIGNER_OUTPUT_INVALID"],
  ["raw with s = 0", () => Buffer.concat([one, zero]), "SIGNER_OUTPUT_INVALID"],
  ["DER with r = 0", () => Buffer.from([0x30, 6, 2, 1, 0, 2, 1, 1]), "SIGNER_OUTPUT_INVALID"],
  ["DER with s = 0", () => Buffer.from([0x30, 6, 2, 1, 1, 2, 1, 0]), "SIGNER_OUTPUT_INVALID"],
  ["an ArrayBuffer", () => new ArrayBuffer(64), "SIGNER_OUTPUT_INVALID"],
  ["a base64 string", () => validRaw().toString("base64"), "SIGNER_OUTPUT_INVALID"],
  ["an array of numbers", () => Array.from(validRaw()), "SIGNER_OUTPUT_INVALID"],
  ["an Int8Array", () => new Int8Array(validRaw()), "SIGNER_OUTPUT_INVALID"],
  ["undefined", () => undefined, "SIGNER_OUTPUT_INVALID"],
  ["null", () => null, "SIGNER_OUTPUT_INVALID"],
];

describe("malformed signer output", () => {
  it.each(badOutputs)("%s → %s, for JWTs and the promotional offer", async (_, output, code) => {
    const bytes = output();
    for (const mint of [
      (privateKey: SignerKey) => createAscToken({ keyId, issuerId, privateKey, now }),
      (privateKey: SignerKey) => createApnsToken({ ...team, privateKey }),
      (privateKey: SignerKey) =>
        createPromotionalOfferSignature({
          keyId,
          privateKey,
          bundleId,
          productId: "p",
          offerIdentifier: "o",
          now,
        }),
    ]) {
      const error: unknown = await mint(resolving(bytes)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ name: "AscTokenError", code });
      expect((error as Error).message).toMatch(/the signer's sign\(\)/);
      if (ArrayBuffer.isView(bytes) && bytes.byteLength >= 12) {
        // What the signer said is not echoed, in any encoding.
        expectNoKeyMaterial(
          error,
          forbiddenRuns([new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)]),
        );
      }
    }
  });

  it("a signer that returns a signature, not a Promise of one → SIGNER_OUTPUT_INVALID", async () => {
    const signer = answering(() => validRaw());
    await expect(
      createAscToken({ keyId, issuerId, privateKey: signer, now }),
    ).rejects.toMatchObject({
      code: "SIGNER_OUTPUT_INVALID",
    });
  });

  it("a signer that rejects or throws → SIGN_FAILED, its error as the cause", async () => {
    const refusal = new Error("AccessDeniedException: kms:Sign not allowed");
    for (const signer of [
      answering(() => Promise.reject(refusal)),
      answering(() => {
        throw refusal;
      }),
      signerKey({
        sign: async () => {
          await Promise.resolve();
          throw refusal;
        },
      }),
    ]) {
      const error = await createAscToken({ keyId, issuerId, privateKey: signer, now }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ name: "AscTokenError", code: "SIGN_FAILED", cause: refusal });
      expect((error as Error).message, "its text stays in the cause").not.toContain("kms:Sign");
      const offer = await createPromotionalOfferSignature({
        keyId,
        privateKey: signer,
        bundleId,
        productId: "p",
        offerIdentifier: "o",
        now,
      }).catch((e: unknown) => e);
      expect(offer).toMatchObject({ code: "SIGN_FAILED", cause: refusal });
    }
  });

  it("a signer that never answers: a provider rejects with MINT_TIMEOUT, then tries again", async () => {
    let hang = true;
    const good = nodeSigner("der");
    const signer: AppleSigner = {
      sign: (data) => (hang ? new Promise<Uint8Array>(() => undefined) : good.sign(data)),
    };
    const provider = createAscTokenProvider({
      keyId,
      issuerId,
      privateKey: signerKey(signer),
      now,
      mintTimeout: 50,
    });
    await expect(provider.getToken()).rejects.toMatchObject({ code: "MINT_TIMEOUT" });
    hang = false;
    expect(verifies(await provider.getToken(), key().publicKey)).toBe(true);
  });

  it("a provider rejects with the signer's code and tries again on the next call", async () => {
    let broken = true;
    const good = nodeSigner("der");
    const signer: AppleSigner = {
      sign: (data) => (broken ? Promise.resolve(new Uint8Array(3)) : good.sign(data)),
    };
    const privateKey = signerKey(signer);
    const provider = createAscTokenProvider({ keyId, issuerId, privateKey, now });
    await expect(provider.getToken()).rejects.toMatchObject({ code: "SIGNER_OUTPUT_INVALID" });
    broken = false;
    expect(verifies(await provider.getToken(), key().publicKey)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// The exported conversions.

describe("signatureFromDer and signatureToDer", () => {
  it("agree with node:crypto's own two encodings of one signature", () => {
    for (let i = 0; i < 50; i++) {
      const data = Buffer.from(`message ${i}`);
      const der = nodeSign("sha256", data, { key: key().privateKey, dsaEncoding: "der" });
      const raw = signatureFromDer(der);
      expect(raw.length).toBe(64);
      expect(verify("sha256", data, { key: key().publicKey, dsaEncoding: "ieee-p1363" }, raw)).toBe(
        true,
      );
      expect(Buffer.from(signatureToDer(raw))).toStrictEqual(der);
    }
  });

  it("round-trip every r and s in [1, n − 1] (property test)", () => {
    const below = (bytes: Uint8Array) => Buffer.compare(Buffer.from(bytes), N) < 0;
    const scalar = fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .filter((b) => below(b) && b.some((x) => x !== 0));
    // Small values too: leading zero bytes are where DER and raw differ most.
    const small = fc
      .integer({ min: 0, max: 32 })
      .chain((zeros) =>
        scalar.map((b) => {
          const out = Uint8Array.from(b);
          out.fill(0, 0, Math.min(zeros, 31));
          return out;
        }),
      )
      .filter((b) => b.some((x) => x !== 0));
    fc.assert(
      fc.property(fc.oneof(scalar, small), fc.oneof(scalar, small), (r, s) => {
        const raw = Buffer.concat([r, s]);
        const der = signatureToDer(raw);
        expect(Buffer.from(der)).toStrictEqual(p1363ToDer(raw));
        expect(Buffer.from(signatureFromDer(der))).toStrictEqual(raw);
      }),
      { numRuns: 500 },
    );
  });

  const malformed: [string, () => unknown][] = [
    ["not bytes", () => "MEUCIQ"],
    ["an ArrayBuffer", () => new ArrayBuffer(8)],
    ["undefined", () => undefined],
  ];
  it.each([
    ...malformed,
    ["DER with a trailing byte", () => Buffer.concat([validDer(), Buffer.from([0])])],
    ["DER with a non-minimal integer", paddedDer],
    ["DER with r = n", () => derOf(N, one)],
    ["DER with s = 0", () => Buffer.from([0x30, 6, 2, 1, 1, 2, 1, 0])],
    ["raw r||s", validRaw],
  ] as [string, () => unknown][])("signatureFromDer: %s → SIGNATURE_MALFORMED", (_, input) => {
    expect(() => signatureFromDer(input() as Uint8Array)).toThrow(
      expect.objectContaining({ name: "AscTokenError", code: "SIGNATURE_MALFORMED" }),
    );
  });
  it.each([
    ...malformed,
    ["63 bytes", () => validRaw().subarray(1)],
    ["DER", validDer],
    ["r = n", () => Buffer.concat([N, one])],
    ["r = 0", () => Buffer.concat([zero, one])],
    ["s = 0", () => Buffer.concat([one, zero])],
  ] as [string, () => unknown][])("signatureToDer: %s → SIGNATURE_MALFORMED", (_, input) => {
    expect(() => signatureToDer(input() as Uint8Array)).toThrow(
      expect.objectContaining({ name: "AscTokenError", code: "SIGNATURE_MALFORMED" }),
    );
  });
});
