// Verifying what Apple signs: a test PKI built here (root P-384, intermediate with Apple's WWDR
// OID, leaf with the receipt-signing OID) and its broken variants, each refused with its code;
// Apple's real chain (Apple Root CA G3, WWDR G6, a real leaf) and Apple's own test certificates;
// the chain cache; random mutations. The good chain is checked by openssl and node:crypto too.
import { execFileSync } from "node:child_process";
import {
  createHash,
  createHmac,
  generateKeyPairSync,
  type KeyObject,
  sign,
  webcrypto,
  X509Certificate,
} from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  APPLE_ROOT_CA_G3,
  type AppleVerifierOptions,
  createAppleVerifier,
} from "../../src/index.js";
import { SEQUENCE, readDer, readFields } from "../../src/lib/der.js";
import { checkChain } from "../../src/verify/chain.js";
import { parseCertificate, parseTime } from "../../src/verify/x509.js";
import { codeOf } from "../helpers/codes.js";
import {
  certificate,
  der,
  ecKeys,
  makePki,
  oid,
  RECEIPT_OID,
  signJws,
  WWDR_OID,
} from "../helpers/pki.mjs";
import * as apple from "../fixtures/apple-certificates.mjs";

const DAY = 86_400_000;
const NOW = Date.now();
const BUNDLE_ID = "com.example.app";

type Pki = ReturnType<typeof makePki>;
let pki: Pki;
let options: { rootCertificates: Buffer[]; bundleId: string; environment: "Sandbox" };

const notification = (overrides: Record<string, unknown> = {}) => ({
  notificationType: "SUBSCRIBED",
  subtype: "INITIAL_BUY",
  notificationUUID: "002e14d5-51f5-4503-b5a8-c3a1af68eb20",
  version: "2.0",
  signedDate: NOW,
  data: {
    appAppleId: 1234,
    bundleId: BUNDLE_ID,
    environment: "Sandbox",
    signedTransactionInfo: "eyJ...",
  },
  ...overrides,
});

/** A JWS of `payload` signed by the standard leaf with the standard chain (or `x5c`). */
const signed = (payload: unknown = notification(), x5c?: Buffer[], key?: KeyObject) =>
  signJws(payload, key ?? pki.keys.leaf.privateKey, x5c ?? [pki.leaf, pki.intermediate, pki.root]);

/** Trust anchors of base64 roots, as a verifier makes them. */
const anchorsOf = (...roots: string[]) =>
  roots.map((root) => ({
    certificate: parseCertificate(new Uint8Array(Buffer.from(root, "base64")), "root", true),
  }));
/** checkChain of a base64 x5c, anchored by its own root (or `roots`). */
const chainCheck = async (x5c: string[], roots = [x5c[2] ?? ""]) =>
  checkChain(x5c[0] ?? "", x5c[1] ?? "", anchorsOf(...roots)).checked;

beforeAll(() => {
  pki = makePki(NOW);
  options = { rootCertificates: [pki.root], bundleId: BUNDLE_ID, environment: "Sandbox" };
});

/** A verifier of the test root for the Production data of the app with `appAppleId`. */
const productionVerifier = (appAppleId: number) =>
  createAppleVerifier({ ...options, environment: "Production", appAppleId });
afterEach(() => {
  vi.restoreAllMocks();
});

describe("the test PKI itself (checked by tools we did not write)", () => {
  it("openssl verifies the chain and node:crypto agrees", () => {
    const dir = mkdtempSync(join(tmpdir(), "asc-pki-"));
    try {
      const pem = (name: string, bytes: Buffer) => {
        writeFileSync(join(dir, name), new X509Certificate(bytes).toString());
        return join(dir, name);
      };
      const out = execFileSync(
        "openssl",
        [
          "verify",
          "-CAfile",
          pem("root.pem", pki.root),
          "-untrusted",
          pem("intermediate.pem", pki.intermediate),
          pem("leaf.pem", pki.leaf),
        ],
        { encoding: "utf8" },
      );
      expect(out).toContain("OK");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const [leaf, intermediate, root] = [pki.leaf, pki.intermediate, pki.root].map(
      (c) => new X509Certificate(c),
    );
    expect(leaf!.verify(intermediate!.publicKey)).toBe(true);
    expect(intermediate!.verify(root!.publicKey)).toBe(true);
    expect(intermediate!.ca).toBe(true);
    expect(leaf!.checkIssued(intermediate!)).toBe(true);
  });
});

describe("Apple Root CA - G3", () => {
  it("is the certificate with Apple's published SHA-256 fingerprint", () => {
    const digest = createHash("sha256").update(Buffer.from(APPLE_ROOT_CA_G3, "base64")).digest();
    expect(Array.from(digest, (b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":")).toBe(
      "63:34:3A:BF:B8:9A:6A:03:EB:B5:7E:9B:3F:5F:A7:BE:7C:4F:5C:75:6F:30:17:B3:A8:C4:88:C3:65:3E:91:79",
    );
    expect(new X509Certificate(Buffer.from(APPLE_ROOT_CA_G3, "base64")).subject).toContain(
      "CN=Apple Root CA - G3",
    );
  });
});

describe("one public way to verify: createAppleVerifier and its methods", () => {
  it("the package exports no verify function beside the verifier", async () => {
    const api = await import("../../src/index.js");
    expect(Object.keys(api).filter((name) => /^verify/i.test(name))).toStrictEqual([]);
    expect(Object.keys(createAppleVerifier(options)).sort()).toStrictEqual([
      "verify",
      "verifyAppTransaction",
      "verifyNotification",
      "verifyRealtimeRequest",
      "verifyRenewalInfo",
      "verifyTransaction",
    ]);
  });
});

describe("a valid payload", () => {
  it("verifies and returns the payload as signed, unknown fields included", async () => {
    const payload = notification({ somethingNew: { nested: [1, 2] } });
    await expect(
      createAppleVerifier(options).verifyNotification(signed(payload)),
    ).resolves.toStrictEqual(payload);
    await expect(createAppleVerifier(options).verify(signed(payload))).resolves.toStrictEqual(
      payload,
    );
  });

  it("takes the roots as base64, PEM or bytes", async () => {
    for (const root of [
      pki.root.toString("base64"),
      new X509Certificate(pki.root).toString(),
      new Uint8Array(pki.root),
    ]) {
      await expect(
        createAppleVerifier({ ...options, rootCertificates: [root] }).verifyNotification(signed()),
      ).resolves.toBeDefined();
    }
  });

  it("verifies each kind with its own fields", async () => {
    const transaction = {
      transactionId: "1",
      originalTransactionId: "1",
      bundleId: BUNDLE_ID,
      environment: "Sandbox",
      signedDate: NOW,
    };
    await expect(
      createAppleVerifier(options).verifyTransaction(signed(transaction)),
    ).resolves.toStrictEqual(transaction);
    // Renewal info has no bundle ID: only the environment is checked.
    const renewal = {
      autoRenewStatus: 1,
      originalTransactionId: "1",
      environment: "Sandbox",
      signedDate: NOW,
    };
    await expect(
      createAppleVerifier(options).verifyRenewalInfo(signed(renewal)),
    ).resolves.toStrictEqual(renewal);
    // The verifier's bundle ID is not checked against it.
    await expect(
      createAppleVerifier({ ...options, bundleId: "com.example.other" }).verifyRenewalInfo(
        signed(renewal),
      ),
    ).resolves.toStrictEqual(renewal);
    const appTransaction = {
      bundleId: BUNDLE_ID,
      appAppleId: 1234,
      receiptType: "Production",
      originalApplicationVersion: "1.0",
      receiptCreationDate: NOW,
    };
    await expect(
      productionVerifier(1234).verifyAppTransaction(signed(appTransaction)),
    ).resolves.toStrictEqual(appTransaction);
    const realtime = {
      requestIdentifier: "3db5c98d-8acf-4e29-831e-8e1f82f9f6e9",
      originalTransactionId: "1",
      appAppleId: 1234,
      environment: "Sandbox",
      signedDate: NOW,
    };
    await expect(
      createAppleVerifier(options).verifyRealtimeRequest(signed(realtime)),
    ).resolves.toStrictEqual(realtime);
    const summary = notification({
      data: undefined,
      summary: { bundleId: BUNDLE_ID, environment: "Sandbox", appAppleId: 1234 },
    });
    await expect(
      createAppleVerifier(options).verifyNotification(signed(summary)),
    ).resolves.toBeDefined();
    const external = notification({
      data: undefined,
      externalPurchaseToken: {
        bundleId: BUNDLE_ID,
        externalPurchaseId: "SANDBOX_1",
        appAppleId: 1,
      },
    });
    await expect(
      createAppleVerifier(options).verifyNotification(signed(external)),
    ).resolves.toBeDefined();
    await expect(codeOf(productionVerifier(1).verifyNotification(signed(external)))).resolves.toBe(
      "UNEXPECTED_ENVIRONMENT",
    );
  });

  it("uses the payload's signedDate: an expired leaf still verifies what it signed in time", async () => {
    const leaf = certificate("Test Receipt Signing", pki.keys.leaf, {
      ...pki.leafOptions,
      notBefore: NOW - 10 * DAY,
      notAfter: NOW - 5 * DAY,
    });
    const chain = [leaf, pki.intermediate, pki.root];
    const old = signed(notification({ signedDate: NOW - 7 * DAY }), chain);
    await expect(createAppleVerifier(options).verifyNotification(old)).resolves.toBeDefined();
    await expect(
      codeOf(createAppleVerifier({ ...options, effectiveDate: "now" }).verifyNotification(old)),
    ).resolves.toBe("CERTIFICATE_EXPIRED");
    await expect(
      codeOf(
        createAppleVerifier({
          ...options,
          effectiveDate: new Date(NOW - 11 * DAY),
        }).verifyNotification(old),
      ),
    ).resolves.toBe("CERTIFICATE_NOT_YET_VALID");
    // No date in the payload: the current time, as Apple's libraries do.
    const undated = signed({ ...notification(), signedDate: undefined }, chain);
    await expect(codeOf(createAppleVerifier(options).verifyNotification(undated))).resolves.toBe(
      "CERTIFICATE_EXPIRED",
    );
  });
});

/** A chain variant: the certificates to put in x5c, and the leaf key that signs. */
type Variant = (p: Pki) => { x5c: Buffer[]; key?: KeyObject; signedDate?: number };

const leafWith = (p: Pki, changes: Record<string, unknown>, keys = p.keys.leaf) =>
  certificate("Test Receipt Signing", keys, { ...p.leafOptions, ...changes });
const intermediateWith = (p: Pki, changes: Record<string, unknown>, keys = p.keys.intermediate) =>
  certificate("Test WWDR CA", keys, { ...p.intermediateOptions, ...changes });
/** A leaf issued by `intermediate` (with keys `keys`). */
const leafUnder = (p: Pki, keys: { privateKey: KeyObject }, hash = "sha384") =>
  certificate("Test Receipt Signing", p.keys.leaf, {
    ...p.leafOptions,
    hash,
    issuer: { name: "Test WWDR CA", keys },
  });
/** `cert` with its outer length grown by one and a byte appended (trailing data inside). */
const withTrailingByte = (cert: Buffer): Buffer => {
  const body = cert.subarray(4);
  return der(0x30, body, Buffer.from([0]));
};

const CHAIN_CASES: [string, string, Variant][] = [
  [
    "untrusted root with the same name",
    "CHAIN_UNTRUSTED_ROOT",
    (p) => {
      const other = ecKeys("P-384");
      const root = certificate("Test Root CA", other, { ca: true, keyUsage: 0x06 });
      const intermediate = intermediateWith(p, { issuer: { name: "Test Root CA", keys: other } });
      return { x5c: [p.leaf, intermediate, root] };
    },
  ],
  [
    // Apple's verifiers never read x5c's root: the intermediate is anchored by a trusted key.
    "Apple's real root in x5c in place of the test root (never read)",
    "resolved",
    (p) => ({
      x5c: [p.leaf, p.intermediate, Buffer.from(APPLE_ROOT_CA_G3, "base64")],
    }),
  ],
  [
    "intermediate without the WWDR OID",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [p.leaf, intermediateWith(p, { oids: [] }), p.root],
    }),
  ],
  [
    "intermediate with the receipt OID instead",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [p.leaf, intermediateWith(p, { oids: [RECEIPT_OID] }), p.root],
    }),
  ],
  [
    "leaf without the receipt OID",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [leafWith(p, { oids: [] }), p.intermediate, p.root],
    }),
  ],
  [
    "leaf with the WWDR OID instead",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [leafWith(p, { oids: [WWDR_OID] }), p.intermediate, p.root],
    }),
  ],
  [
    "intermediate not a CA (cA absent)",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [p.leaf, intermediateWith(p, { ca: false }), p.root],
    }),
  ],
  [
    "intermediate without basicConstraints",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [p.leaf, intermediateWith(p, { ca: undefined }), p.root],
    }),
  ],
  [
    "intermediate key usage without keyCertSign",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [p.leaf, intermediateWith(p, { keyUsage: 0x80 }), p.root],
    }),
  ],
  [
    // No keyUsage extension: not restricted (RFC 5280 4.2.1.3), as in Apple's test PKI.
    "intermediate without key usage",
    "resolved",
    (p) => ({
      x5c: [p.leaf, intermediateWith(p, { keyUsage: undefined }), p.root],
    }),
  ],
  [
    "leaf key usage without digitalSignature",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [leafWith(p, { keyUsage: 0x04 }), p.intermediate, p.root],
    }),
  ],
  [
    "leaf expired",
    "CERTIFICATE_EXPIRED",
    (p) => ({
      x5c: [leafWith(p, { notAfter: NOW - DAY }), p.intermediate, p.root],
    }),
  ],
  [
    "leaf not yet valid",
    "CERTIFICATE_NOT_YET_VALID",
    (p) => ({
      x5c: [leafWith(p, { notBefore: NOW + DAY }), p.intermediate, p.root],
    }),
  ],
  [
    "intermediate expired",
    "CERTIFICATE_EXPIRED",
    (p) => ({
      x5c: [p.leaf, intermediateWith(p, { notAfter: NOW - DAY }), p.root],
    }),
  ],
  [
    "leaf valid until 2051 (GeneralizedTime)",
    "resolved",
    (p) => ({
      x5c: [leafWith(p, { notAfter: Date.UTC(2051, 0, 1) }), p.intermediate, p.root],
    }),
  ],
  [
    "leaf naming another issuer",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [
        leafWith(p, { issuer: { name: "Someone Else", keys: p.keys.intermediate } }),
        p.intermediate,
        p.root,
      ],
    }),
  ],
  [
    "leaf signed by a different key",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [leafWith(p, { signWith: ecKeys("P-384").privateKey }), p.intermediate, p.root],
    }),
  ],
  [
    "intermediate signed by a different key",
    "CHAIN_UNTRUSTED_ROOT",
    (p) => ({
      x5c: [p.leaf, intermediateWith(p, { signWith: ecKeys("P-384").privateKey }), p.root],
    }),
  ],
  [
    "RSA intermediate",
    "CHAIN_INVALID",
    (p) => {
      const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
      return { x5c: [leafUnder(p, rsa, "rsa"), intermediateWith(p, {}, rsa), p.root] };
    },
  ],
  [
    "RSA leaf",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [
        leafWith(p, {}, generateKeyPairSync("rsa", { modulusLength: 2048 })),
        p.intermediate,
        p.root,
      ],
    }),
  ],
  [
    "P-521 intermediate",
    "CHAIN_INVALID",
    (p) => {
      const p521 = ecKeys("P-521");
      return { x5c: [leafUnder(p, p521, "sha512"), intermediateWith(p, {}, p521), p.root] };
    },
  ],
  [
    "P-384 leaf",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [leafWith(p, {}, ecKeys("P-384")), p.intermediate, p.root],
    }),
  ],
  [
    "leaf signed with ECDSA SHA-512",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [leafWith(p, { hash: "sha512" }), p.intermediate, p.root],
    }),
  ],
  [
    "leaf signed with SHA-256 by the P-384 intermediate",
    "resolved",
    (p) => ({
      x5c: [leafWith(p, { hash: "sha256" }), p.intermediate, p.root],
    }),
  ],
  [
    "unknown critical extension in the leaf",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [
        leafWith(p, {
          extraExtensions: [
            der(0x30, oid("1.2.3.4"), der(0x01, Buffer.from([0xff])), der(0x04, der(0x05))),
          ],
        }),
        p.intermediate,
        p.root,
      ],
    }),
  ],
  [
    "unknown non-critical extension in the leaf",
    "resolved",
    (p) => ({
      x5c: [
        leafWith(p, { extraExtensions: [der(0x30, oid("1.2.3.4"), der(0x04, der(0x05)))] }),
        p.intermediate,
        p.root,
      ],
    }),
  ],
  [
    "trailing data in the leaf's DER",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [withTrailingByte(p.leaf), p.intermediate, p.root],
    }),
  ],
  [
    "trailing data after the leaf's DER",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [Buffer.concat([p.leaf, Buffer.from([0])]), p.intermediate, p.root],
    }),
  ],
  [
    "oversized length in the leaf's DER",
    "CHAIN_INVALID",
    (p) => {
      const leaf = Buffer.from(p.leaf);
      leaf[3] = (leaf[3] ?? 0) + 1; // the outer SEQUENCE (0x30 0x82 hi lo) claims a byte more
      return { x5c: [leaf, p.intermediate, p.root] };
    },
  ],
  [
    "truncated leaf",
    "CHAIN_INVALID",
    (p) => ({
      x5c: [p.leaf.subarray(0, p.leaf.length - 10), p.intermediate, p.root],
    }),
  ],
  ["chain of 2", "SIGNED_DATA_HEADER_INVALID", (p) => ({ x5c: [p.leaf, p.intermediate] })],
  [
    "chain of 4",
    "SIGNED_DATA_HEADER_INVALID",
    (p) => ({
      x5c: [p.leaf, p.intermediate, p.intermediate, p.root],
    }),
  ],
];

describe("the chain: a table of variants and their codes", () => {
  it.each(CHAIN_CASES)("%s → %s", async (_, code, variant) => {
    const { x5c } = variant(pki);
    await expect(
      codeOf(createAppleVerifier(options).verifyNotification(signed(notification(), x5c))),
    ).resolves.toBe(code);
  });

  it("Apple's own test chain (a P-256 root signing with SHA-384) passes, its wrong-OID variants fail", async () => {
    await expect(
      chainCheck([apple.TEST_LEAF, apple.TEST_INTERMEDIATE, apple.TEST_ROOT]),
    ).resolves.toBeDefined();
    for (const x5c of [
      [
        apple.TEST_LEAF_FOR_INVALID_INTERMEDIATE,
        apple.TEST_INTERMEDIATE_INVALID_OID,
        apple.TEST_ROOT,
      ],
      [apple.TEST_LEAF_INVALID_OID, apple.TEST_INTERMEDIATE, apple.TEST_ROOT],
    ]) {
      await expect(codeOf(chainCheck(x5c))).resolves.toBe("CHAIN_INVALID");
    }
  });
});

describe("Apple's real chain: Apple Root CA - G3, WWDR G6, a real receipt-signing leaf", () => {
  const x5c = () => [
    apple.REAL_APPLE_SIGNING_CERTIFICATE,
    apple.REAL_APPLE_INTERMEDIATE,
    APPLE_ROOT_CA_G3,
  ];

  it("passes every chain check, and gives the leaf's own key", async () => {
    const chain = await chainCheck(x5c());
    expect(chain.key.algorithm).toMatchObject({ name: "ECDSA", namedCurve: "P-256" });
    const leaf = new X509Certificate(Buffer.from(apple.REAL_APPLE_SIGNING_CERTIFICATE, "base64"));
    expect(chain.validity[0]).toStrictEqual({
      role: "leaf",
      notBefore: new Date(leaf.validFrom).getTime(),
      notAfter: new Date(leaf.validTo).getTime(),
    });
  });

  const real = { bundleId: BUNDLE_ID, environment: "Sandbox" } as const;

  /** A payload carrying Apple's real chain, signed by a key that is not Apple's. */
  const withRealChain = (signedDate: number) => {
    const header = { alg: "ES256", x5c: x5c() };
    return signJws({ ...notification(), signedDate }, ecKeys("P-256").privateKey, [], { header });
  };

  it("inside its validity every chain check passes (only the forged signature fails)", async () => {
    const payload = withRealChain(apple.REAL_EFFECTIVE_DATE);
    // Trusted by default: no rootCertificates option.
    await expect(codeOf(createAppleVerifier(real).verifyNotification(payload))).resolves.toBe(
      "SIGNATURE_INVALID",
    );
  });

  it("outside its validity it is refused for the date", async () => {
    const expired = withRealChain(Date.UTC(2027, 11, 1));
    await expect(codeOf(createAppleVerifier(real).verifyNotification(expired))).resolves.toBe(
      "CERTIFICATE_EXPIRED",
    );
    const early = withRealChain(Date.UTC(2025, 0, 1));
    await expect(codeOf(createAppleVerifier(real).verifyNotification(early))).resolves.toBe(
      "CERTIFICATE_NOT_YET_VALID",
    );
  });
});

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");
/** `jws` with its part `index` replaced. */
const replacePart = (jws: string, index: number, part: string) =>
  jws
    .split(".")
    .map((p, i) => (i === index ? part : p))
    .join(".");
/** The last base64url digit moved to one with the same value bits but other unused bits. */
const nonCanonical = (part: string) => {
  const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const last = digits.indexOf(part.at(-1)!);
  return part.slice(0, -1) + digits.charAt(last ^ 1);
};
const headerOf = (p: Pki) => ({
  alg: "ES256",
  x5c: [p.leaf, p.intermediate, p.root].map((c) => c.toString("base64")),
});

/** A notification signed by the standard leaf under the header `header(p)`. */
const withHeader = (header: (p: Pki) => Record<string, unknown>) => (p: Pki) =>
  signJws(notification(), p.keys.leaf.privateKey, [], { header: header(p) });

const JWS_CASES: [string, string, (p: Pki) => unknown][] = [
  [
    "tampered payload",
    "SIGNATURE_INVALID",
    () =>
      replacePart(signed(), 1, b64url(JSON.stringify(notification({ subtype: "RESUBSCRIBE" })))),
  ],
  [
    "tampered header (typ added)",
    "SIGNATURE_INVALID",
    (p) => replacePart(signed(), 0, b64url(JSON.stringify({ ...headerOf(p), typ: "JWT" }))),
  ],
  [
    "signature of another payload",
    "SIGNATURE_INVALID",
    () => replacePart(signed(), 2, signed(notification({ subtype: "X" })).split(".")[2]!),
  ],
  [
    "signed by another P-256 key",
    "SIGNATURE_INVALID",
    () => signed(notification(), undefined, ecKeys("P-256").privateKey),
  ],
  [
    "DER signature instead of raw r||s",
    "SIGNATURE_INVALID",
    (p) => {
      const jws = signed();
      const [h, b] = jws.split(".");
      return replacePart(
        jws,
        2,
        b64url(sign("sha256", Buffer.from(`${h}.${b}`), p.keys.leaf.privateKey)),
      );
    },
  ],
  ["empty signature", "SIGNATURE_INVALID", () => replacePart(signed(), 2, "")],
  [
    'alg "none"',
    "SIGNED_DATA_HEADER_INVALID",
    (p) =>
      signJws(notification(), undefined, [], {
        header: { ...headerOf(p), alg: "none" },
        signature: Buffer.alloc(0),
      }),
  ],
  [
    "alg HS256 keyed with the leaf's public key bytes",
    "SIGNED_DATA_HEADER_INVALID",
    (p) => {
      const head = b64url(JSON.stringify({ ...headerOf(p), alg: "HS256" }));
      const body = b64url(JSON.stringify(notification()));
      const secret = p.keys.leaf.publicKey.export({ type: "spki", format: "der" });
      return `${head}.${body}.${b64url(createHmac("sha256", secret).update(`${head}.${body}`).digest())}`;
    },
  ],
  [
    "alg ES384",
    "SIGNED_DATA_HEADER_INVALID",
    withHeader((p) => ({ ...headerOf(p), alg: "ES384" })),
  ],
  [
    "a jwk in the header",
    "SIGNED_DATA_HEADER_INVALID",
    withHeader((p) => ({ ...headerOf(p), jwk: p.keys.leaf.publicKey.export({ format: "jwk" }) })),
  ],
  [
    "a jku in the header",
    "SIGNED_DATA_HEADER_INVALID",
    withHeader((p) => ({ ...headerOf(p), jku: "https://e.test/k" })),
  ],
  [
    "crit in the header",
    "SIGNED_DATA_HEADER_INVALID",
    withHeader((p) => ({ ...headerOf(p), crit: ["exp"] })),
  ],
  [
    "no x5c (a kid instead)",
    "SIGNED_DATA_HEADER_INVALID",
    withHeader(() => ({ alg: "ES256", kid: "k" })),
  ],
  [
    "x5c of numbers",
    "SIGNED_DATA_HEADER_INVALID",
    withHeader(() => ({ alg: "ES256", x5c: [1, 2, 3] })),
  ],
  [
    "x5c leaf in base64url",
    "SIGNED_DATA_MALFORMED",
    (p) => {
      const header = headerOf(p);
      const leaf = p.leaf.toString("base64url");
      expect(leaf).toMatch(/[-_]/);
      return signJws(notification(), p.keys.leaf.privateKey, [], {
        header: { ...header, x5c: [leaf, ...header.x5c.slice(1)] },
      });
    },
  ],
  [
    "x5c leaf with non-canonical base64 (unused bits set)",
    "SIGNED_DATA_MALFORMED",
    (p) => {
      // A leaf whose length is not a multiple of 3, so that its base64 ends in padding.
      let leaf = p.leaf;
      while (leaf.length % 3 === 0) leaf = leafWith(p, {});
      const text = leaf.toString("base64");
      const bad = text.replace(/([A-Za-z0-9+/])(=+)$/, (_, d: string, pad: string) => {
        const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        return digits[digits.indexOf(d) ^ 1]! + pad;
      });
      expect(bad).not.toBe(text);
      expect(Buffer.from(bad, "base64")).toStrictEqual(leaf);
      const header = headerOf(p);
      return signJws(notification(), p.keys.leaf.privateKey, [], {
        header: { ...header, x5c: [bad, ...header.x5c.slice(1)] },
      });
    },
  ],
  [
    "non-canonical base64url payload",
    "SIGNED_DATA_MALFORMED",
    () => {
      const jws = signed(notification({ pad: "x" }));
      return replacePart(jws, 1, nonCanonical(jws.split(".")[1]!));
    },
  ],
  [
    "non-canonical base64url signature",
    "SIGNED_DATA_MALFORMED",
    () => {
      const jws = signed();
      return replacePart(jws, 2, nonCanonical(jws.split(".")[2]!));
    },
  ],
  ["padded signature", "SIGNED_DATA_MALFORMED", () => `${signed()}==`],
  ["two parts", "SIGNED_DATA_MALFORMED", () => signed().split(".").slice(0, 2).join(".")],
  ["four parts", "SIGNED_DATA_MALFORMED", () => `${signed()}.AA`],
  ["payload not JSON", "SIGNED_DATA_MALFORMED", () => signed("not json")],
  ["payload a JSON array", "SIGNED_DATA_MALFORMED", () => signed("[1]")],
  ["header not JSON", "SIGNED_DATA_MALFORMED", () => replacePart(signed(), 0, b64url("{"))],
  ["not a string", "SIGNED_DATA_MALFORMED", () => 42],
  [
    "signedDate not a number",
    "SIGNED_DATA_MALFORMED",
    () => signed(notification({ signedDate: "today" })),
  ],
  [
    "another bundle ID",
    "UNEXPECTED_BUNDLE_ID",
    () => signed(notification({ data: { ...notification().data, bundleId: "com.other.app" } })),
  ],
  [
    "Production data when Sandbox is expected",
    "UNEXPECTED_ENVIRONMENT",
    () => signed(notification({ data: { ...notification().data, environment: "Production" } })),
  ],
  [
    "no environment",
    "UNEXPECTED_ENVIRONMENT",
    () => signed(notification({ data: { bundleId: BUNDLE_ID } })),
  ],
];

describe("the JWS: a table of tampered, refused and unexpected data", () => {
  it.each(JWS_CASES)("%s → %s", async (_, code, make) => {
    await expect(
      codeOf(createAppleVerifier(options).verifyNotification(make(pki) as string)),
    ).resolves.toBe(code);
  });

  it("never echoes the token in the message", async () => {
    const jws = replacePart(signed(), 1, b64url(JSON.stringify(notification({ subtype: "Z" }))));
    const error = (await createAppleVerifier(options)
      .verifyNotification(jws)
      .catch((e: unknown) => e)) as Error;
    for (const part of jws.split(".")) expect(error.message).not.toContain(part.slice(0, 24));
    expect(error.message.length).toBeLessThan(200);
  });
});

describe("expectations and options", () => {
  it("checks appAppleId for Production payloads", async () => {
    const production = signed(
      notification({ data: { ...notification().data, environment: "Production" } }),
    );
    await expect(productionVerifier(1234).verifyNotification(production)).resolves.toBeDefined();
    await expect(codeOf(productionVerifier(99).verifyNotification(production))).resolves.toBe(
      "UNEXPECTED_APP_APPLE_ID",
    );
  });

  it("refuses Xcode and local-testing data unless explicitly allowed, then decodes it unverified", async () => {
    const xcode = notification({ data: { ...notification().data, environment: "Xcode" } });
    const jws = signed(xcode, [pki.leaf, pki.intermediate, pki.root], ecKeys("P-256").privateKey);
    await expect(
      codeOf(createAppleVerifier(options).verifyNotification(signed(xcode))),
    ).resolves.toBe("UNEXPECTED_ENVIRONMENT");
    expect(() => createAppleVerifier({ ...options, environment: "Xcode" } as never)).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS" }),
    );
    await expect(
      createAppleVerifier({
        ...options,
        environment: "Xcode",
        allowUnsignedTestData: true,
      }).verifyNotification(jws),
    ).resolves.toStrictEqual(xcode);
    await expect(
      codeOf(
        createAppleVerifier({
          ...options,
          environment: "LocalTesting",
          allowUnsignedTestData: true,
        }).verifyNotification(jws),
      ),
    ).resolves.toBe("UNEXPECTED_ENVIRONMENT");
  });

  it.each([
    ["not an object", "x"],
    ["no options", undefined],
    ["no bundleId", { bundleId: undefined }],
    ["no environment", { environment: undefined }],
    ["allowUnsignedTestData with Sandbox", { allowUnsignedTestData: true }],
    ["allowUnsignedTestData not a boolean", { allowUnsignedTestData: "yes" }],
    ["empty bundleId", { bundleId: "" }],
    ["unknown environment", { environment: "Staging" }],
    ["Production without appAppleId", { environment: "Production" }],
    ["Xcode without allowUnsignedTestData", { environment: "Xcode" }],
    ["appAppleId not a positive integer", { appAppleId: 1.5 }],
    ["no roots", { rootCertificates: [] }],
    ["a root that is not a certificate", { rootCertificates: ["AAAA"] }],
    ["a root of the wrong type", { rootCertificates: [42] }],
    ["effectiveDate not a date", { effectiveDate: "yesterday" }],
    ["effectiveDate an invalid Date", { effectiveDate: new Date(NaN) }],
  ])("%s → INVALID_OPTIONS, thrown by createAppleVerifier", (_, bad) => {
    // Each object changes one thing of a valid set of options.
    const final = (
      typeof bad === "object" && bad !== null ? { ...options, ...bad } : bad
    ) as AppleVerifierOptions;
    expect(() => createAppleVerifier(final)).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS" }),
    );
  });
});

describe("checked chains are kept per verifier", () => {
  it("a second payload of the same chain costs one ECDSA verify", async () => {
    const verify = vi.spyOn(globalThis.crypto.subtle, "verify");
    const verifier = createAppleVerifier(options);
    await verifier.verifyNotification(signed());
    expect(verify).toHaveBeenCalledTimes(3); // intermediate, leaf, JWS
    await verifier.verifyNotification(signed(notification({ subtype: "RESUBSCRIBE" })));
    expect(verify).toHaveBeenCalledTimes(4);
    // Another verifier keeps its own chains.
    await createAppleVerifier(options).verifyNotification(signed());
    expect(verify).toHaveBeenCalledTimes(7);
  });

  it("a failed chain is not kept, and at most 16 chains are", async () => {
    const verify = vi.spyOn(globalThis.crypto.subtle, "verify");
    const verifier = createAppleVerifier(options);
    const badLeaf = leafWith(pki, { signWith: ecKeys("P-384").privateKey });
    const bad = signed(notification(), [badLeaf, pki.intermediate, pki.root]);
    await expect(codeOf(verifier.verify(bad))).resolves.toBe("CHAIN_INVALID");
    await expect(codeOf(verifier.verify(bad))).resolves.toBe("CHAIN_INVALID");
    // Each try: the intermediate, the leaf, and the payload (started beside them).
    expect(verify).toHaveBeenCalledTimes(6);
    const leaves = Array.from({ length: 17 }, () => leafWith(pki, {}));
    for (const leaf of leaves)
      await verifier.verify(signed(notification(), [leaf, pki.intermediate, pki.root]));
    verify.mockClear();
    await verifier.verify(signed(notification(), [leaves[16]!, pki.intermediate, pki.root]));
    expect(verify).toHaveBeenCalledTimes(1);
    await verifier.verify(signed(notification(), [leaves[0]!, pki.intermediate, pki.root]));
    expect(verify).toHaveBeenCalledTimes(4); // evicted: checked again
  });

  it("after the first, verifying a notification costs at most 3× one WebCrypto ECDSA verify", async () => {
    const verifier = createAppleVerifier(options);
    const jws = signed();
    await verifier.verifyNotification(jws);
    const [h, b, s] = jws.split(".");
    const key = await webcrypto.subtle.importKey(
      "spki",
      pki.keys.leaf.publicKey.export({ type: "spki", format: "der" }),
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["verify"],
    );
    const input = Buffer.from(`${h}.${b}`);
    const signature = Buffer.from(s!, "base64url");
    const N = 200;
    const time = async (body: () => Promise<unknown>) => {
      for (let i = 0; i < 20; i++) await body();
      const start = performance.now();
      for (let i = 0; i < N; i++) await body();
      return (performance.now() - start) / N;
    };
    // Best of three each, against noise from the other processes on the machine.
    const bare: number[] = [];
    const full: number[] = [];
    for (let round = 0; round < 3; round++) {
      bare.push(
        await time(() =>
          webcrypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, signature, input),
        ),
      );
      full.push(await time(() => verifier.verifyNotification(jws)));
    }
    const ratio = Math.min(...full) / Math.min(...bare);
    console.log(
      `verifyNotification ${Math.min(...full).toFixed(3)} ms, one verify ${Math.min(...bare).toFixed(3)} ms, ratio ${ratio.toFixed(2)}`,
    );
    expect(ratio).toBeLessThan(3);
  });
});

describe("x509 times", () => {
  it("reads UTCTime and GeneralizedTime, and refuses impossible or other forms", () => {
    const t = (tag: number, text: string) => parseTime(tag, Buffer.from(text));
    expect(t(0x17, "230124194429Z")).toBe(Date.UTC(2023, 0, 24, 19, 44, 29));
    expect(t(0x17, "500101000000Z")).toBe(Date.UTC(1950, 0, 1));
    expect(t(0x17, "491231235959Z")).toBe(Date.UTC(2049, 11, 31, 23, 59, 59));
    expect(t(0x18, "20510124194429Z")).toBe(Date.UTC(2051, 0, 24, 19, 44, 29));
    for (const [tag, text] of [
      [0x17, "230230194429Z"],
      [0x17, "2301241944Z"],
      [0x17, "230124194429+0000"],
      [0x17, "23012419442aZ"],
      [0x18, "20230124194429.5Z"],
      [0x18, "2023012419442900"],
    ] as const) {
      expect(t(tag, text), text).toBeUndefined();
    }
  });
});

describe("properties", () => {
  it("random mutations of a valid signed payload are refused with a code, never a raw exception", async () => {
    const verifier = createAppleVerifier(options);
    const jws = signed();
    await expect(verifier.verify(jws)).resolves.toBeDefined();
    const alphabet = Array.from(
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ",
    );
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("replace"), at: fc.nat(), char: fc.constantFrom(...alphabet) }),
      fc.record({ kind: fc.constant("insert"), at: fc.nat(), char: fc.constantFrom(...alphabet) }),
      fc.record({ kind: fc.constant("delete"), at: fc.nat(), char: fc.constant("") }),
      fc.record({ kind: fc.constant("truncate"), at: fc.nat(), char: fc.constant("") }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        let text = jws;
        for (const { kind, at, char } of mutations) {
          const i = at % (text.length + 1);
          text =
            kind === "replace"
              ? text.slice(0, i) + char + text.slice(i + 1)
              : kind === "insert"
                ? text.slice(0, i) + char + text.slice(i)
                : kind === "delete"
                  ? text.slice(0, i) + text.slice(i + 1)
                  : text.slice(0, i);
        }
        fc.pre(text !== jws);
        const code = await codeOf(verifier.verify(text));
        expect(code).not.toBe("resolved");
      }),
      { numRuns: 300 },
    );
  });

  it("a payload re-signed by the leaf with random JSON values is accepted exactly as signed", async () => {
    const verifier = createAppleVerifier(options);
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.jsonValue()), async (extra) => {
        const payload = { ...extra, ...notification() };
        const result = await verifier.verify(signed(payload));
        expect(result).toStrictEqual(JSON.parse(JSON.stringify(payload)));
      }),
      { numRuns: 100 },
    );
  });
});

it("the fixtures' copy of Apple Root CA - G3 is the library's", () => {
  expect(apple.APPLE_ROOT_CA_G3_FOR_TESTS).toBe(APPLE_ROOT_CA_G3);
});

describe("the certificate reader refuses what Apple's certificates never hold", () => {
  const ext = (id: string, ...rest: Buffer[]) => der(0x30, oid(id), ...rest);
  const critical = (flag: number) => der(0x01, Buffer.from([flag]));
  const octets = (value: Buffer) => der(0x04, value);
  const leafCert = (changes: Record<string, unknown>) =>
    new Uint8Array(leafWith(pki, { ...changes }));
  it.each([
    ["version 2 (v2)", { version: 1 }],
    ["inner and outer algorithms differ", { outerHash: "sha256" }],
    [
      "validity with a GeneralizedTime before 2050 written as UTCTime's text",
      {
        validity: der(
          0x30,
          der(0x17, Buffer.from("230230000000Z")),
          der(0x17, Buffer.from("330101000000Z")),
        ),
      },
    ],
    [
      "validity as INTEGERs",
      { validity: der(0x30, der(0x02, Buffer.from([1])), der(0x02, Buffer.from([2]))) },
    ],
    [
      "an explicit critical FALSE",
      { extraExtensions: [ext("1.2.3.4", critical(0), octets(der(0x05)))] },
    ],
    [
      "a BOOLEAN that is not 00 or FF",
      { extraExtensions: [ext("1.2.3.4", critical(1), octets(der(0x05)))] },
    ],
    ["a repeated extension", { oids: [RECEIPT_OID, RECEIPT_OID] }],
    [
      "basicConstraints with an explicit cA FALSE",
      { ca: undefined, extraExtensions: [ext("2.5.29.19", octets(der(0x30, critical(0))))] },
    ],
    [
      "keyUsage with 8 unused bits",
      {
        keyUsage: undefined,
        extraExtensions: [ext("2.5.29.15", octets(der(0x03, Buffer.from([8, 0x80]))))],
      },
    ],
    [
      "keyUsage with no bits",
      {
        keyUsage: undefined,
        extraExtensions: [ext("2.5.29.15", octets(der(0x03, Buffer.from([0]))))],
      },
    ],
    [
      "an extension OID that is not minimal",
      { extraExtensions: [der(0x30, der(0x06, Buffer.from([0x80, 0x01])), octets(der(0x05)))] },
    ],
  ])("%s → CHAIN_INVALID", (_, changes) => {
    expect(() => parseCertificate(leafCert(changes), "leaf")).toThrow(
      expect.objectContaining({ code: "CHAIN_INVALID" }),
    );
  });

  it("reads issuer and subject unique IDs", () => {
    const cert = parseCertificate(leafCert({ uniqueIds: true }), "leaf");
    expect(cert.extensions.has(RECEIPT_OID)).toBe(true);
    expect(cert.curve?.name).toBe("P-256");
  });

  it("refuses a signature BIT STRING with unused bits", () => {
    const cert = Buffer.from(pki.leaf);
    const notDer = () => new Error("not DER");
    const [certificate] = readFields(cert, notDer, [SEQUENCE]);
    // The signature BIT STRING, the last element of the certificate.
    const [, , bits] = readDer(certificate.contents, notDer, 3);
    if (!bits) throw new Error("no signature BIT STRING");
    const unusedBitsAt = cert.length - bits.contents.length;
    expect(cert[unusedBitsAt]).toBe(0);
    cert[unusedBitsAt] = 1;
    expect(() => parseCertificate(new Uint8Array(cert), "leaf")).toThrow(
      expect.objectContaining({ code: "CHAIN_INVALID" }),
    );
  });
});

describe("WebCrypto refusing a chain's keys or signatures", () => {
  it("a leaf key that is not a point on P-256 → CHAIN_INVALID", async () => {
    const spki = Buffer.from(pki.keys.leaf.publicKey.export({ type: "spki", format: "der" }));
    spki[spki.length - 1] = (spki[spki.length - 1] ?? 0) ^ 1; // y no longer matches x
    const fake = { publicKey: { export: () => spki }, privateKey: pki.keys.leaf.privateKey };
    const leaf = certificate("Test Receipt Signing", fake, pki.leafOptions);
    await expect(
      codeOf(chainCheck([leaf, pki.intermediate, pki.root].map((c) => c.toString("base64")))),
    ).resolves.toBe("CHAIN_INVALID");
  });

  it("a verify that throws → CHAIN_INVALID with the cause", async () => {
    vi.spyOn(globalThis.crypto.subtle, "verify").mockRejectedValueOnce(new Error("boom"));
    const error = await chainCheck(
      [pki.leaf, pki.intermediate, pki.root].map((c) => c.toString("base64")),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "CHAIN_INVALID", cause: new Error("boom") });
  });
});
