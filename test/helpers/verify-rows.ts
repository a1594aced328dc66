// Bad-input rows for the verifier of Apple's signed data (spread into test/project/bad-input.test.ts):
// one or more per error code the verifier raises, on a test PKI built once.
import type { AscTokenErrorCode, AppleVerifierOptions } from "../../src/index.js";
import { createAppleVerifier } from "../../src/index.js";
import { certificate, ecKeys, makePki, signJws } from "./pki.mjs";

type Pki = ReturnType<typeof makePki>;
let made: Pki | undefined;
const pki = (): Pki => (made ??= makePki());

const payload = (data: Record<string, unknown> = {}, signedDate = Date.now()) => ({
  notificationType: "TEST",
  notificationUUID: "9ad56bd2-0bc6-42e0-af24-fd996d87a1e6",
  signedDate,
  data: { bundleId: "com.example.app", environment: "Sandbox", appAppleId: 1, ...data },
});
const chain = (p: Pki, leaf = p.leaf) => [leaf, p.intermediate, p.root];
const options = (): AppleVerifierOptions => ({
  rootCertificates: [pki().root],
  bundleId: "com.example.app",
  environment: "Sandbox",
});

const row = (
  name: string,
  code: AscTokenErrorCode,
  signed: (p: Pki) => unknown,
  extra: Partial<AppleVerifierOptions> = {},
) => ({
  target: "createAppleVerifier().verifyNotification",
  name,
  code,
  call: () =>
    createAppleVerifier({ ...options(), ...extra } as AppleVerifierOptions).verifyNotification(
      signed(pki()) as string,
    ),
});

export const verifyRows = [
  row("not a string", "SIGNED_DATA_MALFORMED", () => 42),
  row("1 MB of dots and letters", "SIGNED_DATA_MALFORMED", () => "a.".repeat(512 * 1024)),
  row("1 MB header", "SIGNED_DATA_TOO_LARGE", () => `${"a".repeat(1024 * 1024)}.e30.AA`),
  row("a 9 KiB certificate in x5c", "CERTIFICATE_TOO_LARGE", (p) =>
    signJws(payload(), p.keys.leaf.privateKey, [Buffer.alloc(9 * 1024), p.intermediate, p.root]),
  ),
  row("a transaction given to verifyNotification", "UNEXPECTED_PAYLOAD_KIND", (p) =>
    signJws(
      { transactionId: "1", originalTransactionId: "1", bundleId: "com.example.app" },
      p.keys.leaf.privateKey,
      chain(p),
    ),
  ),
  row("alg none", "SIGNED_DATA_HEADER_INVALID", (p) =>
    signJws(payload(), p.keys.leaf.privateKey, [], { header: { alg: "none" } }),
  ),
  row("an intermediate under another root", "CHAIN_UNTRUSTED_ROOT", (p) => {
    const other = ecKeys("P-384");
    const issuer = { name: "Other Root", keys: other };
    const intermediate = certificate("Test WWDR CA", p.keys.intermediate, {
      ...p.intermediateOptions,
      issuer,
    });
    return signJws(payload(), p.keys.leaf.privateKey, [
      p.leaf,
      intermediate,
      certificate("Other Root", other, { ca: true, keyUsage: 0x06 }),
    ]);
  }),
  row("leaf without the receipt OID", "CHAIN_INVALID", (p) =>
    signJws(
      payload(),
      p.keys.leaf.privateKey,
      chain(p, certificate("Test Receipt Signing", p.keys.leaf, { ...p.leafOptions, oids: [] })),
    ),
  ),
  row("signed after the leaf expired", "CERTIFICATE_EXPIRED", (p) =>
    signJws(payload({}, p.notAfter + 120_000), p.keys.leaf.privateKey, chain(p)),
  ),
  row("signed before the leaf was valid", "CERTIFICATE_NOT_YET_VALID", (p) =>
    signJws(payload({}, p.notBefore - 120_000), p.keys.leaf.privateKey, chain(p)),
  ),
  row("signed by another key", "SIGNATURE_INVALID", (p) =>
    signJws(payload(), ecKeys("P-256").privateKey, chain(p)),
  ),
  row("another app", "UNEXPECTED_BUNDLE_ID", (p) =>
    signJws(payload({ bundleId: "com.other.app" }), p.keys.leaf.privateKey, chain(p)),
  ),
  row(
    "another app Apple ID",
    "UNEXPECTED_APP_APPLE_ID",
    (p) =>
      signJws(
        payload({ environment: "Production", appAppleId: 2 }),
        p.keys.leaf.privateKey,
        chain(p),
      ),
    { environment: "Production", appAppleId: 1 },
  ),
  row("another environment", "UNEXPECTED_ENVIRONMENT", (p) =>
    signJws(payload({ environment: "Production" }), p.keys.leaf.privateKey, chain(p)),
  ),
  {
    target: "createAppleVerifier",
    name: "Production without appAppleId",
    code: "INVALID_OPTIONS" as const,
    sync: true as const,
    call: () =>
      Promise.resolve(
        createAppleVerifier({ ...options(), environment: "Production" } as AppleVerifierOptions),
      ),
  },
];
