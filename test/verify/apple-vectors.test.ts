// Apple's own test vectors (test/fixtures/apple-vectors, from app-store-server-library-node at
// bc5cf765, MIT), each run through asc-token: every case ends as Apple's test expects, mapped
// from Apple's VerificationStatus to asc-token's codes, or asc-token is stricter on purpose and
// the case says why.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type AppleVerifierOptions,
  APPLE_ROOT_CA_G3,
  createAppleVerifier,
  isAscTokenError,
} from "../../src/index.js";
import { checkChain, checkValidity } from "../../src/verify/chain.js";
import { parseCertificate } from "../../src/verify/x509.js";
import * as apple from "../fixtures/apple-certificates.mjs";
import { ecKeys, makePki, signJws } from "../helpers/pki.mjs";

const dir = new URL("../fixtures/apple-vectors/", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, dir), "utf8").trim();
const TEST_CA = new Uint8Array(readFileSync(new URL("certs/testCA.der", dir)));

/** Apple's VerificationStatus → the asc-token codes that mean the same. */
const SAME: Record<string, readonly string[]> = {
  OK: ["resolved"],
  VERIFICATION_FAILURE: [
    "SIGNED_DATA_MALFORMED",
    "CHAIN_INVALID",
    "CHAIN_UNTRUSTED_ROOT",
    "SIGNATURE_INVALID",
  ],
  INVALID_CERTIFICATE: [
    "SIGNED_DATA_HEADER_INVALID",
    "CERTIFICATE_EXPIRED",
    "CERTIFICATE_NOT_YET_VALID",
  ],
  INVALID_APP_IDENTIFIER: ["UNEXPECTED_BUNDLE_ID", "UNEXPECTED_APP_APPLE_ID"],
  INVALID_ENVIRONMENT: ["UNEXPECTED_ENVIRONMENT"],
};

const outcome = async (run: () => Promise<unknown>): Promise<string> => {
  try {
    await run();
    return "resolved";
  } catch (error) {
    if (!isAscTokenError(error)) throw error;
    return error.code;
  }
};

type Method =
  | "verifyNotification"
  | "verifyTransaction"
  | "verifyRenewalInfo"
  | "verifyAppTransaction"
  | "verifyRealtimeRequest";

interface Case {
  /** Apple's test, as its title says. */
  name: string;
  /** What Apple's test expects. */
  apple: keyof typeof SAME;
  /** What asc-token does. */
  ours: string;
  /** Why asc-token ends otherwise, where it does. */
  stricter?: string;
  run: () => Promise<unknown>;
}

/** Apple's `getSignedPayloadVerifier(environment, "com.example", 1234)` over testCA.der. */
const mockVerifier = (environment: "Sandbox" | "Production", bundleId = "com.example") =>
  createAppleVerifier({
    bundleId,
    rootCertificates: [TEST_CA],
    environment,
    appAppleId: 1234,
  });

/** Apple's `getDefaultSignedPayloadVerifier()`: LocalTesting, unsigned, explicitly allowed here. */
const localTesting = () =>
  createAppleVerifier({
    bundleId: "com.example",
    environment: "LocalTesting",
    appAppleId: 1234,
    allowUnsignedTestData: true,
  });

/** Apple's `createSignedDataFromJson`: the model signed by a throwaway key, no x5c. */
const unsignedModel = (name: string) =>
  signJws(read(`models/${name}.json`), ecKeys("P-256").privateKey, [], {
    header: { alg: "ES256", typ: "JWT" },
  });

const mock = (method: Method, file: string, verifier: () => ReturnType<typeof mockVerifier>) =>
  verifier()[method](read(`mock_signed_data/${file}`));

const model = (method: Method, name: string) => localTesting()[method](unsignedModel(name));

let pki: ReturnType<typeof makePki>;
beforeAll(() => {
  pki = makePki();
});

/** A model signed by the project's test PKI, for the cases Apple checks with a spy. */
const signedModel = (name: string, options: Omit<AppleVerifierOptions, "rootCertificates">) =>
  createAppleVerifier({
    ...options,
    rootCertificates: [pki.root],
    effectiveDate: "now",
  } as AppleVerifierOptions).verifyNotification(
    signJws(read(`models/${name}.json`), pki.keys.leaf.privateKey, [
      pki.leaf,
      pki.intermediate,
      pki.root,
    ]),
  );

const anchors = (...roots: Uint8Array[]) =>
  roots.map((root) => ({ certificate: parseCertificate(new Uint8Array(root), "root", true) }));
const b64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));
/** Apple's `verifyCertificateChain(roots, leaf, intermediate, effectiveDate)`. */
const chainAt = async (roots: Uint8Array[], leaf: string, intermediate: string, at: number) => {
  const chain = await checkChain(leaf, intermediate, anchors(...roots)).checked;
  checkValidity(chain, at);
  return chain;
};
const EFFECTIVE_DATE = apple.REAL_EFFECTIVE_DATE;

const NOT_THE_KIND =
  "Apple's mock carries only environment, bundleId and signedDate; real data always has the " +
  "fields Apple documents for its kind, and a method accepts only its kind";

const CASES: Case[] = [
  // jws_verification.test.ts, "Chain Verification Checks"
  {
    name: "should validate a chain without OCSP",
    apple: "OK",
    ours: "resolved",
    run: () =>
      chainAt([b64(apple.TEST_ROOT)], apple.TEST_LEAF, apple.TEST_INTERMEDIATE, EFFECTIVE_DATE),
  },
  {
    name: "should fail to validate a chain with an invalid intermediate OID",
    apple: "VERIFICATION_FAILURE",
    ours: "CHAIN_INVALID",
    run: () =>
      chainAt(
        [b64(apple.TEST_ROOT)],
        apple.TEST_LEAF_FOR_INVALID_INTERMEDIATE,
        apple.TEST_INTERMEDIATE_INVALID_OID,
        EFFECTIVE_DATE,
      ),
  },
  {
    name: "should fail to validate a chain with an invalid leaf OID",
    apple: "VERIFICATION_FAILURE",
    ours: "CHAIN_INVALID",
    run: () =>
      chainAt(
        [b64(apple.TEST_ROOT)],
        apple.TEST_LEAF_INVALID_OID,
        apple.TEST_INTERMEDIATE,
        EFFECTIVE_DATE,
      ),
  },
  {
    name: "should fail to validate a chain with empty root certificate array",
    apple: "VERIFICATION_FAILURE",
    ours: "INVALID_OPTIONS",
    stricter: "a verifier without a trusted root can verify nothing: refused when created",
    run: () =>
      Promise.resolve().then(() =>
        createAppleVerifier({
          bundleId: "com.example",
          environment: "Sandbox",
          rootCertificates: [],
        }),
      ),
  },
  {
    name: "should fail to validate a chain with an expired chain",
    apple: "INVALID_CERTIFICATE",
    ours: "CERTIFICATE_EXPIRED",
    run: () =>
      chainAt([b64(apple.TEST_ROOT)], apple.TEST_LEAF, apple.TEST_INTERMEDIATE, 2280946846000),
  },
  {
    name: "should validate a real chain (offline: OCSP is not made)",
    apple: "OK",
    ours: "resolved",
    run: () =>
      chainAt(
        [b64(APPLE_ROOT_CA_G3)],
        apple.REAL_APPLE_SIGNING_CERTIFICATE,
        apple.REAL_APPLE_INTERMEDIATE,
        EFFECTIVE_DATE,
      ),
  },
  {
    name: "should fail to validate a chain with mismatched root certificates",
    apple: "VERIFICATION_FAILURE",
    ours: "CHAIN_UNTRUSTED_ROOT",
    run: () =>
      chainAt([b64(APPLE_ROOT_CA_G3)], apple.TEST_LEAF, apple.TEST_INTERMEDIATE, EFFECTIVE_DATE),
  },
  {
    name: "should fail to validate a chain with invalid root certificates",
    apple: "VERIFICATION_FAILURE",
    ours: "INVALID_OPTIONS",
    stricter: "a root that is not a certificate is refused when the verifier is created",
    run: () =>
      Promise.resolve().then(() =>
        createAppleVerifier({
          bundleId: "com.example",
          environment: "Sandbox",
          rootCertificates: [new TextEncoder().encode("abc")],
        }),
      ),
  },
  // jws_verification.test.ts, "Decoding checks"
  {
    name: "should fail to verify with a missing x5c header",
    apple: "INVALID_CERTIFICATE",
    ours: "SIGNED_DATA_HEADER_INVALID",
    run: () =>
      mock("verifyNotification", "missingX5CHeaderClaim", () => mockVerifier("Production")),
  },
  {
    name: "should fail to verify with an invalid bundle id",
    apple: "INVALID_APP_IDENTIFIER",
    ours: "UNEXPECTED_BUNDLE_ID",
    run: () => mock("verifyNotification", "wrongBundleId", () => mockVerifier("Sandbox")),
  },
  {
    name: "should fail to verify with an invalid bundle id for transaction",
    apple: "INVALID_APP_IDENTIFIER",
    ours: "UNEXPECTED_PAYLOAD_KIND",
    stricter: NOT_THE_KIND,
    run: () =>
      mock("verifyTransaction", "transactionInfo", () => mockVerifier("Sandbox", "com.example.x")),
  },
  {
    name: "should fail to verify with an invalid environment",
    apple: "INVALID_ENVIRONMENT",
    ours: "UNEXPECTED_ENVIRONMENT",
    run: () => mock("verifyNotification", "testNotification", () => mockVerifier("Production")),
  },
  {
    name: "should fail to verify with a malformed JWT with too many parts",
    apple: "VERIFICATION_FAILURE",
    ours: "SIGNED_DATA_MALFORMED",
    run: () => mockVerifier("Sandbox").verifyNotification("a.b.c.d"),
  },
  {
    name: "should fail to verify with a malformed JWT",
    apple: "VERIFICATION_FAILURE",
    ours: "SIGNED_DATA_MALFORMED",
    run: () => mockVerifier("Sandbox").verifyNotification("a.b.c"),
  },
  {
    // Its x5c carries a re-issued (X.509 v1) copy of the test root: never read.
    name: "should verify and decode a valid notification",
    apple: "OK",
    ours: "resolved",
    run: () => mock("verifyNotification", "testNotification", () => mockVerifier("Sandbox")),
  },
  {
    name: "should verify and decode a valid renewal info",
    apple: "OK",
    ours: "UNEXPECTED_PAYLOAD_KIND",
    stricter: NOT_THE_KIND,
    run: () => mock("verifyRenewalInfo", "renewalInfo", () => mockVerifier("Sandbox")),
  },
  {
    name: "should verify and decode a valid transaction info (with verifyAndDecodeRenewalInfo)",
    apple: "OK",
    ours: "UNEXPECTED_PAYLOAD_KIND",
    stricter:
      "a transaction given to the renewal info method is refused: each method reads its kind",
    run: () => mock("verifyRenewalInfo", "transactionInfo", () => mockVerifier("Sandbox")),
  },
  // transaction_decoding.test.ts, DecodedRealtimeRequestBody.test.ts: local-testing models
  ...(
    [
      ["should decode an app transaction", "verifyAppTransaction", "appTransaction"],
      ["should decode a renewal info", "verifyRenewalInfo", "signedRenewalInfo"],
      ["should decode a transaction info", "verifyTransaction", "signedTransaction"],
      [
        "should decode a transaction with revocation",
        "verifyTransaction",
        "signedTransactionWithRevocation",
      ],
      ["should decode a signed notification", "verifyNotification", "signedNotification"],
      [
        "should decode a signed CONSUMPTION_REQUEST notification",
        "verifyNotification",
        "signedConsumptionRequestNotification",
      ],
      [
        "should decode a signed summary notification",
        "verifyNotification",
        "signedSummaryNotification",
      ],
      [
        "should decode a signed RESCIND_CONSENT notification (its app is in appData)",
        "verifyNotification",
        "signedRescindConsentNotification",
      ],
      [
        "should decode a DecodedRealtimeRequestBody",
        "verifyRealtimeRequest",
        "decodedRealtimeRequest",
      ],
    ] as const
  ).map(([name, method, file]): Case => ({
    name,
    apple: "OK",
    ours: "resolved",
    run: () => model(method, file),
  })),
  {
    name: "should decode a transaction info, without an explicit opt-in to unsigned data",
    apple: "OK",
    ours: "INVALID_OPTIONS",
    stricter:
      "local-testing data is not signed by Apple: decoding it unverified needs " +
      "allowUnsignedTestData: true, so that no deployment does it by accident",
    run: async () =>
      createAppleVerifier({
        bundleId: "com.example",
        environment: "LocalTesting",
        appAppleId: 1234,
      } as AppleVerifierOptions).verifyTransaction(unsignedModel("signedTransaction")),
  },
  // Apple checks which identity each notification gives with a spy; here the model is signed by
  // the project's test PKI and verified for exactly that identity.
  {
    name: "should decode a signed external purchase token notification (com.example, 55555, Production)",
    apple: "OK",
    ours: "resolved",
    run: () =>
      signedModel("signedExternalPurchaseTokenNotification", {
        bundleId: "com.example",
        environment: "Production",
        appAppleId: 55555,
      }),
  },
  {
    name: "should decode a signed sandbox external purchase token notification (Sandbox)",
    apple: "OK",
    ours: "resolved",
    run: () =>
      signedModel("signedExternalPurchaseTokenSandboxNotification", {
        bundleId: "com.example",
        environment: "Sandbox",
      }),
  },
  {
    name: "the RESCIND_CONSENT notification's appData is checked: another app's is refused",
    apple: "INVALID_APP_IDENTIFIER",
    ours: "UNEXPECTED_BUNDLE_ID",
    run: () =>
      createAppleVerifier({
        bundleId: "com.other",
        environment: "LocalTesting",
        allowUnsignedTestData: true,
      }).verifyNotification(unsignedModel("signedRescindConsentNotification")),
  },
];

describe("Apple's test vectors end as Apple's tests expect", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    const ours = await outcome(c.run);
    expect(ours).toBe(c.ours);
    if (c.stricter === undefined) expect(SAME[c.apple]).toContain(ours);
    else expect(SAME[c.apple]).not.toContain(ours);
  });

  it("the valid test chain gives the leaf's own key (Apple's LEAF_CERT_PUBLIC_KEY)", async () => {
    const chain = await chainAt(
      [b64(apple.TEST_ROOT)],
      apple.TEST_LEAF,
      apple.TEST_INTERMEDIATE,
      EFFECTIVE_DATE,
    );
    expect(chain.key.algorithm).toMatchObject({ name: "ECDSA", namedCurve: "P-256" });
    // The same point as Apple's LEAF_CERT_PUBLIC_KEY_BASE64_ENCODED (its SPKI ends in the point).
    const spki = Buffer.from(
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE4rWBxGmFbnPIPQI0zsBKzLxsj8pD2vqbr0yPISUx2WQyxmrNql9" +
        "fhK8YEEyYFV7++p5i4YUSR/o9uQIgCPIhrA==",
      "base64",
    );
    const leaf = parseCertificate(b64(apple.TEST_LEAF), "leaf");
    expect(Buffer.from(leaf.point)).toStrictEqual(spki.subarray(spki.length - 65));
  });
});
