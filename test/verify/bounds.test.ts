// The verifier facing the internet: bounded work before trust (sizes, the DER reader, the chain
// cache), every failure an AscTokenError, options read once, each method its kind, and both
// encodings of an ECDSA signature accepted.
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { APPLE_ROOT_CA_G3, createAppleVerifier, signatureFromDer } from "../../src/index.js";
import { parseCertificate } from "../../src/verify/x509.js";
import { ecKeys, makePki, signJws } from "../helpers/pki.mjs";
import { codeOf } from "../helpers/codes.js";
import * as apple from "../fixtures/apple-certificates.mjs";

const BUNDLE_ID = "com.example.app";
let pki: ReturnType<typeof makePki>;
let options: { rootCertificates: Buffer[]; bundleId: string; environment: "Sandbox" };

const notification = (extra: Record<string, unknown> = {}) => ({
  notificationType: "TEST",
  notificationUUID: "9ad56bd2-0bc6-42e0-af24-fd996d87a1e6",
  signedDate: Date.now(),
  data: { bundleId: BUNDLE_ID, environment: "Sandbox", appAppleId: 1 },
  ...extra,
});
const transaction = {
  transactionId: "2000000000000001",
  originalTransactionId: "2000000000000001",
  productId: "com.example.app.monthly",
  bundleId: BUNDLE_ID,
  environment: "Sandbox",
  signedDate: Date.now(),
};
const chain = () => [pki.leaf, pki.intermediate, pki.root];
const signed = (payload: unknown) => signJws(payload, pki.keys.leaf.privateKey, chain());

beforeAll(() => {
  pki = makePki();
  options = { rootCertificates: [pki.root], bundleId: BUNDLE_ID, environment: "Sandbox" };
});

/** The fastest of three runs of `work`, in ms; a run that throws counts as done. */
const fastest = (work: () => unknown): number =>
  Math.min(
    ...[1, 2, 3].map(() => {
      const start = performance.now();
      try {
        work();
      } catch {
        // The refusal is the work measured.
      }
      return performance.now() - start;
    }),
  );
/** One plain read of every byte of `bytes`: what a reader that read them all would at least do. */
const onePass = (bytes: Uint8Array) => () => {
  let sum = 0;
  for (const byte of bytes) sum += byte;
  return sum;
};

describe("bounded work before trust", () => {
  it("a 28 MB hostile request (Apple's real root, a zero-byte leaf) is refused with a code, heap growth under 3× its size", () => {
    // A child process with --expose-gc, so that the heap is measured without the test runner.
    const script = `
      const { createAppleVerifier, APPLE_ROOT_CA_G3 } = await import(${JSON.stringify(
        new URL("../../dist/index.js", import.meta.url).href,
      )});
      const b64url = (s) => Buffer.from(s).toString("base64url");
      const filler = "A".repeat(28 * 1024 * 1024);
      const header = b64url(JSON.stringify({ alg: "ES256", x5c: ["", filler, APPLE_ROOT_CA_G3] }));
      const signed = header + "." + b64url("{}") + ".AA";
      const verifier = createAppleVerifier({ bundleId: "com.example.app", environment: "Sandbox" });
      gc();
      const before = process.memoryUsage().heapUsed;
      let peak = before;
      const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().heapUsed); }, 1);
      const code = await verifier.verify(signed).then(() => "resolved", (e) => e.code);
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      clearInterval(timer);
      console.log(JSON.stringify({ code, growth: peak - before, size: signed.length }));
    `;
    const out = execFileSync(
      process.execPath,
      ["--expose-gc", "--input-type=module", "-e", script],
      { encoding: "utf8", maxBuffer: 1 << 20 },
    );
    const { code, growth, size } = JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as {
      code: string;
      growth: number;
      size: number;
    };
    expect(code).toBe("SIGNED_DATA_TOO_LARGE");
    expect(size).toBeGreaterThan(28 * 1024 * 1024);
    expect(growth).toBeLessThan(3 * size);
  });

  it("just under the size limit, a certificate over 8 KiB is refused before it is decoded", async () => {
    const big = Buffer.alloc(500 * 1024, 0x30);
    const jws = signJws(notification(), pki.keys.leaf.privateKey, [
      big,
      pki.intermediate,
      pki.root,
    ]);
    expect(jws.length).toBeLessThan(1024 * 1024);
    await expect(codeOf(createAppleVerifier(options).verify(jws))).resolves.toBe(
      "CERTIFICATE_TOO_LARGE",
    );
    const atLimit = signJws(notification(), pki.keys.leaf.privateKey, [
      Buffer.alloc(8 * 1024, 0x30),
      pki.intermediate,
      pki.root,
    ]);
    // 8 KiB itself is read (and is not a certificate).
    await expect(codeOf(createAppleVerifier(options).verify(atLimit))).resolves.toBe(
      "CHAIN_INVALID",
    );
  });

  it("the DER reader stops at the first element past the fields: 28 MB of empty elements", () => {
    const zeros = new Uint8Array(28 * 1024 * 1024);
    expect(() => parseCertificate(zeros, "leaf")).toThrow(
      expect.objectContaining({ code: "CHAIN_INVALID" }),
    );
    // Against one plain pass over the same bytes, the fastest of three tries each: a reader that
    // read them all could not take a tenth of that, whatever the machine's load.
    expect(fastest(() => parseCertificate(zeros, "leaf"))).toBeLessThan(
      fastest(onePass(zeros)) / 10,
    );
  });

  it("a DER signature longer than 72 bytes is refused unread, by signatureFromDer", () => {
    const huge = new Uint8Array(4 * 1024 * 1024).fill(0x30);
    expect(() => signatureFromDer(huge)).toThrow(
      expect.objectContaining({ code: "SIGNATURE_MALFORMED" }),
    );
    // 4 MB of one-byte elements: nothing is read beyond the first field.
    const tiny = new Uint8Array(4 * 1024 * 1024);
    expect(() => signatureFromDer(tiny)).toThrow(
      expect.objectContaining({ code: "SIGNATURE_MALFORMED" }),
    );
    expect(fastest(() => signatureFromDer(tiny))).toBeLessThan(fastest(onePass(tiny)) / 10);
  });
});

describe("the chain cache is keyed by the certificates alone", () => {
  it("Apple's public x5c with a junk header field, repeated, keeps one entry and never the junk", async () => {
    const verifier = createAppleVerifier({ bundleId: BUNDLE_ID, environment: "Sandbox" });
    const x5c = [
      apple.REAL_APPLE_SIGNING_CERTIFICATE,
      apple.REAL_APPLE_INTERMEDIATE,
      APPLE_ROOT_CA_G3,
    ];
    const verify = vi.spyOn(globalThis.crypto.subtle, "verify");
    for (let i = 0; i < 20; i++) {
      const jws = signJws(
        notification({ signedDate: apple.REAL_EFFECTIVE_DATE }),
        ecKeys("P-256").privateKey,
        [],
        { header: { alg: "ES256", x5c, junk: `${i}`.repeat(50_000) } },
      );
      await expect(codeOf(verifier.verify(jws))).resolves.toBe("SIGNATURE_INVALID");
    }
    // The chain is checked once (two certificate signatures), then each payload costs one verify.
    expect(verify).toHaveBeenCalledTimes(2 + 20);
    verify.mockRestore();
  });
});

describe("every failure is an AscTokenError", () => {
  it.each([8.64e15 + 1, -8.64e15 - 1, 1e300, Number.MAX_VALUE])(
    "signedDate %s (beyond the Date range) → SIGNED_DATA_MALFORMED",
    async (signedDate) => {
      await expect(
        codeOf(
          createAppleVerifier(options).verifyNotification(signed(notification({ signedDate }))),
        ),
      ).resolves.toBe("SIGNED_DATA_MALFORMED");
    },
  );

  it("mutations of a real signed transaction's decoded JSON are refused with a code, or verify as signed", async () => {
    const verifier = createAppleVerifier(options);
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(...Object.keys(transaction), "signedDate", "x"),
          fc.oneof(fc.jsonValue(), fc.double(), fc.constant(undefined)),
        ),
        fc.boolean(),
        async (changes, resign) => {
          const payload = { ...transaction, ...changes };
          const jws = signed(payload);
          const text = resign
            ? jws
            : jws.replace(/\.[^.]+\./, `.${signed(transaction).split(".")[1]}.`);
          // Resolves, or rejects with an AscTokenError of a known code (codeOf checks).
          await codeOf(verifier.verifyTransaction(text));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("options are read once, typos refused", () => {
  it.each([
    ["bundleID", "bundleId"],
    ["Environment", "environment"],
    ["appappleid", "appAppleId"],
  ])("%s → UNKNOWN_OPTION, did you mean %s", (typo, name) => {
    const bad = { ...options, [typo]: "x" };
    expect(() => createAppleVerifier(bad)).toThrow(
      expect.objectContaining({
        code: "UNKNOWN_OPTION",
        message: expect.stringContaining(name) as unknown,
      }),
    );
  });

  it("a getter is read once", () => {
    let reads = 0;
    createAppleVerifier({
      ...options,
      get bundleId() {
        reads++;
        return BUNDLE_ID;
      },
    });
    expect(reads).toBe(1);
  });
});

describe("each method accepts only its kind", () => {
  it("a transaction to verifyNotification and a notification to verifyTransaction → UNEXPECTED_PAYLOAD_KIND", async () => {
    const verifier = createAppleVerifier(options);
    await expect(codeOf(verifier.verifyNotification(signed(transaction)))).resolves.toBe(
      "UNEXPECTED_PAYLOAD_KIND",
    );
    await expect(codeOf(verifier.verifyTransaction(signed(notification())))).resolves.toBe(
      "UNEXPECTED_PAYLOAD_KIND",
    );
    await expect(codeOf(verifier.verifyRenewalInfo(signed(transaction)))).resolves.toBe(
      "UNEXPECTED_PAYLOAD_KIND",
    );
    const appTransaction = {
      bundleId: BUNDLE_ID,
      receiptType: "Sandbox",
      originalApplicationVersion: "1",
      appTransactionId: "7",
    };
    await expect(codeOf(verifier.verifyRenewalInfo(signed(appTransaction)))).resolves.toBe(
      "UNEXPECTED_PAYLOAD_KIND",
    );
    await expect(codeOf(verifier.verifyAppTransaction(signed(transaction)))).resolves.toBe(
      "UNEXPECTED_PAYLOAD_KIND",
    );
    await expect(codeOf(verifier.verifyRealtimeRequest(signed(transaction)))).resolves.toBe(
      "UNEXPECTED_PAYLOAD_KIND",
    );
    // `verify` takes any kind, and checks it as that kind.
    await expect(verifier.verify(signed(transaction))).resolves.toMatchObject(transaction);
    await expect(verifier.verify(signed(appTransaction))).resolves.toMatchObject(appTransaction);
    await expect(codeOf(verifier.verify(signed({ bundleId: BUNDLE_ID })))).resolves.toBe(
      "UNEXPECTED_PAYLOAD_KIND",
    );
  });
});

describe("ECDSA's two encodings of one signature", () => {
  it("a high-S re-encoding of a valid signature verifies too: dedupe by notificationUUID, not the string", async () => {
    const jws = signed(notification());
    const [h, p, s] = jws.split(".") as [string, string, string];
    const raw = Buffer.from(s, "base64url");
    const n = BigInt("0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    const low = BigInt(`0x${raw.subarray(32).toString("hex")}`);
    const high = Buffer.from((n - low).toString(16).padStart(64, "0"), "hex");
    const other = `${h}.${p}.${Buffer.concat([raw.subarray(0, 32), high]).toString("base64url")}`;
    expect(other).not.toBe(jws);
    const verifier = createAppleVerifier(options);
    const [a, b] = await Promise.all([verifier.verify(jws), verifier.verify(other)]);
    expect(a.notificationUUID).toBe(b.notificationUUID);
  });
});

describe("a chain that fails two ways at once", () => {
  /** The DER bytes of a base64 certificate, to damage. */
  const der = (base64: string) => new Uint8Array(Buffer.from(base64, "base64"));

  it("a malformed leaf signature beside an intermediate key that cannot be imported: a code, no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const leaf = der(apple.REAL_APPLE_SIGNING_CERTIFICATE);
      const intermediate = der(apple.REAL_APPLE_INTERMEDIATE);
      // The intermediate's P-384 point (BIT STRING 03 62 00 04 …) no longer uncompressed.
      const point = intermediate.findIndex(
        (byte, i) => byte === 0x03 && intermediate[i + 1] === 0x62 && intermediate[i + 3] === 0x04,
      );
      expect(point).toBeGreaterThan(0);
      intermediate[point + 3] = 0x05;
      // The leaf's signature, its last BIT STRING (03 n 00 30 …), no longer a DER SEQUENCE.
      const signature = leaf.findLastIndex(
        (byte, i) =>
          byte === 0x03 && leaf[i + 3] === 0x30 && i + 2 + (leaf[i + 1] ?? 0) === leaf.length,
      );
      expect(signature).toBeGreaterThan(0);
      leaf[signature + 3] = 0x31;
      const x5c = [leaf, intermediate].map((bytes) => Buffer.from(bytes).toString("base64"));
      const jws = signJws(
        notification({ signedDate: apple.REAL_EFFECTIVE_DATE }),
        ecKeys("P-256").privateKey,
        [],
        { header: { alg: "ES256", x5c: [...x5c, APPLE_ROOT_CA_G3] } },
      );
      const verifier = createAppleVerifier({ bundleId: BUNDLE_ID, environment: "Sandbox" });
      // The damaged intermediate is no longer the root's: that is judged first.
      await expect(codeOf(verifier.verify(jws))).resolves.toBe("CHAIN_UNTRUSTED_ROOT");
      // Long enough for every key import and verify the check started to settle.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unhandled).toStrictEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
