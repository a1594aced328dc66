// asc-token/testing: what the kit signs is Apple-shaped. Apple's own Node library
// (@apple/app-store-server-library's SignedDataVerifier, offline, given the kit's root) and
// asc-token's verifier both accept it; openssl and node:crypto accept its chain; nothing else's
// root (Apple's, another kit's) makes it verify. Plus the kit's options and defaults.
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Environment,
  SignedDataVerifier,
  VerificationException,
} from "@apple/app-store-server-library";
import { beforeAll, describe, expect, it } from "vitest";
import {
  APPLE_ROOT_CA_G3,
  type AppleNotification,
  type AppleVerifierOptions,
  createAppleVerifier,
} from "../../src/index.js";
import { type AppleTestKit, createAppleTestKit } from "../../src/testing.js";
import { parseCertificate } from "../../src/verify/x509.js";
import {
  REAL_SANDBOX_NOTIFICATION,
  REAL_SANDBOX_NOTIFICATION_APP,
  REAL_SANDBOX_NOTIFICATION_UUID,
} from "../fixtures/apple-signed-notification.mjs";
import { decodeToken } from "../helpers/verify.js";

const BUNDLE_ID = "com.example.app";
const APP_APPLE_ID = 1234567890;
const DAY = 86_400_000;

let kit: AppleTestKit;
let options: AppleVerifierOptions;
let apple: SignedDataVerifier;

beforeAll(async () => {
  kit = await createAppleTestKit({ bundleId: BUNDLE_ID });
  options = {
    bundleId: BUNDLE_ID,
    environment: "Sandbox",
    rootCertificates: [kit.rootCertificate],
  };
  apple = new SignedDataVerifier(
    [Buffer.from(kit.rootCertificateDer)],
    false,
    Environment.SANDBOX,
    BUNDLE_ID,
  );
});

/** The code a promise rejects with. */
const codeOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => "resolved",
    (error: unknown) => (error as { code?: unknown }).code,
  );

/** The payload of a compact JWS, unverified. */
const payloadOf = (jws: string) => decodeToken(jws).claims;

describe("Apple's SignedDataVerifier accepts what the kit signs (given the kit's root)", () => {
  it("a notification, and the transaction and renewal info signed into its data", async () => {
    const signedPayload = await kit.signNotification();
    const notification = await apple.verifyAndDecodeNotification(signedPayload);
    expect(notification).toMatchObject({
      notificationType: "SUBSCRIBED",
      subtype: "INITIAL_BUY",
      version: "2.0",
      data: { bundleId: BUNDLE_ID, environment: "Sandbox", appAppleId: APP_APPLE_ID },
    });
    const transaction = await apple.verifyAndDecodeTransaction(
      notification.data!.signedTransactionInfo!,
    );
    const renewalInfo = await apple.verifyAndDecodeRenewalInfo(
      notification.data!.signedRenewalInfo!,
    );
    expect(transaction).toMatchObject({ bundleId: BUNDLE_ID, environment: "Sandbox" });
    expect(renewalInfo.originalTransactionId).toBe(transaction.originalTransactionId);
    expect(renewalInfo.autoRenewProductId).toBe(transaction.productId);
  });

  it("a transaction, a renewal info and an app transaction of their own", async () => {
    await expect(apple.verifyAndDecodeTransaction(await kit.signTransaction())).resolves.toEqual(
      expect.objectContaining({ type: "Auto-Renewable Subscription", quantity: 1 }),
    );
    await expect(apple.verifyAndDecodeRenewalInfo(await kit.signRenewalInfo())).resolves.toEqual(
      expect.objectContaining({ autoRenewStatus: 1, environment: "Sandbox" }),
    );
    await expect(
      apple.verifyAndDecodeAppTransaction(await kit.signAppTransaction()),
    ).resolves.toEqual(expect.objectContaining({ receiptType: "Sandbox", bundleId: BUNDLE_ID }));
  });

  it("Production data, with the app Apple ID Apple's verifier requires", async () => {
    const production = await createAppleTestKit({
      bundleId: BUNDLE_ID,
      environment: "Production",
      appAppleId: 987654321,
    });
    // Apple's Production verifier under the kit's root, for the app Apple ID `appAppleId`.
    const productionVerifier = (appAppleId: number) =>
      new SignedDataVerifier(
        [Buffer.from(production.rootCertificate, "base64")],
        false,
        Environment.PRODUCTION,
        BUNDLE_ID,
        appAppleId,
      );
    const verifier = productionVerifier(987654321);
    await expect(
      verifier.verifyAndDecodeNotification(await production.signNotification()),
    ).resolves.toMatchObject({ data: { environment: "Production", appAppleId: 987654321 } });
    await expect(
      verifier.verifyAndDecodeAppTransaction(await production.signAppTransaction()),
    ).resolves.toMatchObject({ receiptType: "Production", appAppleId: 987654321 });
    const wrongApp = productionVerifier(111);
    await expect(
      wrongApp.verifyAndDecodeNotification(await production.signNotification()),
    ).rejects.toBeInstanceOf(VerificationException);
  });

  it("the check can fail: Apple's verifier refuses it under Apple's root, or another kit's", async () => {
    const other = await createAppleTestKit({ bundleId: BUNDLE_ID });
    const signedPayload = await kit.signNotification();
    for (const root of [
      Buffer.from(other.rootCertificateDer),
      Buffer.from(APPLE_ROOT_CA_G3, "base64"),
    ]) {
      const verifier = new SignedDataVerifier([root], false, Environment.SANDBOX, BUNDLE_ID);
      await expect(verifier.verifyAndDecodeNotification(signedPayload)).rejects.toBeInstanceOf(
        VerificationException,
      );
    }
    // And a payload changed after signing.
    const [header, , signature] = signedPayload.split(".");
    const forged = Buffer.from(JSON.stringify({ ...payloadOf(signedPayload), version: "3.0" }));
    await expect(
      apple.verifyAndDecodeNotification(`${header}.${forged.toString("base64url")}.${signature}`),
    ).rejects.toBeInstanceOf(VerificationException);
  });
});

describe("asc-token's verifier accepts what the kit signs (given the kit's root)", () => {
  it("each payload through the verifier method of its kind", async () => {
    const signedPayload = await kit.signNotification();
    const verifier = createAppleVerifier(options);
    const notification: AppleNotification = await verifier.verifyNotification(signedPayload);
    expect(notification.data?.bundleId).toBe(BUNDLE_ID);
    const transaction = await verifier.verifyTransaction(notification.data!.signedTransactionInfo!);
    const renewalInfo = await verifier.verifyRenewalInfo(notification.data!.signedRenewalInfo!);
    expect(renewalInfo.originalTransactionId).toBe(transaction.originalTransactionId);
    await expect(verifier.verifyAppTransaction(await kit.signAppTransaction())).resolves.toEqual(
      expect.objectContaining({ receiptType: "Sandbox" }),
    );
  });

  it("a Production verifier with the app Apple ID", async () => {
    const production = await createAppleTestKit({ environment: "Production" });
    const verifier = createAppleVerifier({
      bundleId: "com.example.app",
      environment: "Production",
      appAppleId: APP_APPLE_ID,
      rootCertificates: [production.rootCertificatePem],
    });
    await expect(verifier.verifyNotification(await production.signNotification())).resolves.toEqual(
      expect.objectContaining({ notificationType: "SUBSCRIBED" }),
    );
  });

  it("the check can fail: refused under Apple's root (the default), another kit's, or another app", async () => {
    const signedPayload = await kit.signNotification();
    const other = await createAppleTestKit();
    expect(
      await codeOf(
        createAppleVerifier({ bundleId: BUNDLE_ID, environment: "Sandbox" }).verifyNotification(
          signedPayload,
        ),
      ),
    ).toMatch(/^CHAIN_/);
    expect(
      await codeOf(
        createAppleVerifier({
          ...options,
          rootCertificates: [other.rootCertificate],
        }).verifyNotification(signedPayload),
      ),
    ).toMatch(/^CHAIN_/);
    await expect(
      createAppleVerifier({ ...options, bundleId: "com.example.other" }).verifyNotification(
        signedPayload,
      ),
    ).rejects.toMatchObject({ code: "UNEXPECTED_BUNDLE_ID" });
  });
});

describe("a notification Apple signed (the bench's input): both verifiers agree", () => {
  const { bundleId } = REAL_SANDBOX_NOTIFICATION_APP;
  const appleVerifier = () =>
    new SignedDataVerifier(
      [Buffer.from(APPLE_ROOT_CA_G3, "base64")],
      false,
      Environment.SANDBOX,
      bundleId,
    );

  it("Apple's SignedDataVerifier and asc-token's accept it under Apple Root CA - G3", async () => {
    await expect(
      appleVerifier().verifyAndDecodeNotification(REAL_SANDBOX_NOTIFICATION),
    ).resolves.toMatchObject({ notificationUUID: REAL_SANDBOX_NOTIFICATION_UUID });
    await expect(
      createAppleVerifier({ bundleId, environment: "Sandbox" }).verifyNotification(
        REAL_SANDBOX_NOTIFICATION,
      ),
    ).resolves.toMatchObject({ notificationType: "TEST", data: { bundleId } });
  });

  it("the check can fail: one changed signature byte, and both refuse it", async () => {
    const at = REAL_SANDBOX_NOTIFICATION.lastIndexOf(".") + 5;
    const digit = REAL_SANDBOX_NOTIFICATION[at] === "A" ? "B" : "A";
    const forged =
      REAL_SANDBOX_NOTIFICATION.slice(0, at) + digit + REAL_SANDBOX_NOTIFICATION.slice(at + 1);
    await expect(appleVerifier().verifyAndDecodeNotification(forged)).rejects.toBeInstanceOf(
      VerificationException,
    );
    expect(
      await codeOf(
        createAppleVerifier({ bundleId, environment: "Sandbox" }).verifyNotification(forged),
      ),
    ).toBe("SIGNATURE_INVALID");
  });
});

describe("the kit's chain (checked by tools we did not write)", () => {
  it("openssl verifies it, and node:crypto reads Apple's marks in it", () => {
    const [leaf, intermediate, root] = kit.x5c.map(
      (cert) => new X509Certificate(Buffer.from(cert, "base64")),
    ) as [X509Certificate, X509Certificate, X509Certificate];
    const dir = mkdtempSync(join(tmpdir(), "asc-kit-"));
    try {
      const file = (name: string, cert: X509Certificate) => {
        writeFileSync(join(dir, name), cert.toString());
        return join(dir, name);
      };
      const out = execFileSync(
        "openssl",
        [
          "verify",
          "-x509_strict",
          "-CAfile",
          file("root.pem", root),
          "-untrusted",
          file("intermediate.pem", intermediate),
          file("leaf.pem", leaf),
        ],
        { encoding: "utf8" },
      );
      expect(out).toContain("OK");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(leaf.verify(intermediate.publicKey)).toBe(true);
    expect(intermediate.verify(root.publicKey)).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    expect([root.ca, intermediate.ca, leaf.ca]).toStrictEqual([true, true, false]);
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(root.publicKey.asymmetricKeyDetails?.namedCurve).toBe("secp384r1");
    expect(root.toString()).toBe(kit.rootCertificatePem);
    expect(Buffer.from(kit.rootCertificateDer).toString("base64")).toBe(kit.rootCertificate);
  });

  it("carries what asc-token's x509 reader checks: v3, CA flags, key usages, Apple's OIDs", () => {
    const [leaf, intermediate, root] = kit.x5c.map((cert, i) =>
      parseCertificate(new Uint8Array(Buffer.from(cert, "base64")), String(i)),
    );
    expect(intermediate!.extensions.has("1.2.840.113635.100.6.2.1")).toBe(true);
    expect(leaf!.extensions.has("1.2.840.113635.100.6.11.1")).toBe(true);
    expect(leaf!.extensions.has("1.2.840.113635.100.6.2.1")).toBe(false);
    expect([root!.isCA, intermediate!.isCA, leaf!.isCA]).toStrictEqual([true, true, false]);
    expect([root!.keyUsage, intermediate!.keyUsage, leaf!.keyUsage]).toStrictEqual([
      0x06, 0x06, 0x80,
    ]);
  });
});

describe("options and defaults", () => {
  it("signs at the clock's time, and its certificates are valid around it", async () => {
    const now = Date.UTC(2024, 5, 1, 12, 0, 0);
    const dated = await createAppleTestKit({ now: new Date(now) });
    const transaction = payloadOf(await dated.signTransaction());
    expect(transaction).toMatchObject({ signedDate: now, purchaseDate: now });
    expect(transaction.expiresDate).toBe(now + 30 * DAY);
    const [leaf] = dated.x5c.map((cert) => new X509Certificate(Buffer.from(cert, "base64")));
    expect(Date.parse(leaf!.validFrom)).toBe(now - DAY);
    const at = (effectiveDate: Date) =>
      createAppleVerifier({ ...options, rootCertificates: [dated.rootCertificate], effectiveDate });
    const signed = await dated.signTransaction();
    await expect(at(new Date(now)).verifyTransaction(signed)).resolves.toBeDefined();
    await expect(at(new Date(now + 3 * 365 * DAY)).verifyTransaction(signed)).rejects.toMatchObject(
      { code: "CERTIFICATE_EXPIRED" },
    );
    await expect(at(new Date(now - 2 * DAY)).verifyTransaction(signed)).rejects.toMatchObject({
      code: "CERTIFICATE_NOT_YET_VALID",
    });
  });

  it("certificates valid past 2049 carry GeneralizedTime, and still verify everywhere", async () => {
    const now = Date.UTC(2045, 0, 1);
    const late = await createAppleTestKit({ now: new Date(now) });
    const root = new X509Certificate(late.rootCertificateDer);
    expect(Date.parse(root.validTo)).toBeGreaterThan(Date.UTC(2050, 0, 1));
    // The root's notAfter: tag 0x18 (GeneralizedTime), 15 characters, a year in the 2060s.
    expect(
      Buffer.from(late.rootCertificateDer).includes(Buffer.from("\x18\x0f206", "latin1")),
    ).toBe(true);
    const signed = await late.signNotification();
    await expect(
      createAppleVerifier({
        ...options,
        rootCertificates: [late.rootCertificate],
      }).verifyNotification(signed),
    ).resolves.toBeDefined();
    await expect(
      new SignedDataVerifier(
        [Buffer.from(late.rootCertificateDer)],
        false,
        Environment.SANDBOX,
        BUNDLE_ID,
      ).verifyAndDecodeNotification(signed),
    ).resolves.toBeDefined();
  });

  it("a clock function is read at each signing", async () => {
    let now = Date.UTC(2025, 0, 1);
    const ticking = await createAppleTestKit({ now: () => now });
    now += 5000;
    expect(payloadOf(await ticking.signRenewalInfo()).signedDate).toBe(now);
  });

  it("fields override the defaults; a field set to undefined is left out", async () => {
    const transaction = payloadOf(
      await kit.signTransaction({ productId: "com.example.app.gold", expiresDate: undefined }),
    );
    expect(transaction.productId).toBe("com.example.app.gold");
    expect("expiresDate" in transaction).toBe(false);
    expect(payloadOf(await kit.sign({ anything: [1, "two"] }))).toStrictEqual({
      anything: [1, "two"],
    });
  });

  it("a notification: its fields, its data's, the nested payloads, each overridable", async () => {
    const signedPayload = await kit.signNotification({
      notification: {
        notificationType: "DID_RENEW",
        subtype: undefined,
        data: { bundleVersion: "42" },
      },
      transaction: { productId: "com.example.app.yearly", transactionReason: "RENEWAL" },
      renewalInfo: { autoRenewStatus: 0 },
    });
    const notification = payloadOf(signedPayload) as AppleNotification;
    expect(notification.notificationType).toBe("DID_RENEW");
    expect("subtype" in notification).toBe(false);
    expect(notification.data).toMatchObject({ bundleVersion: "42", bundleId: BUNDLE_ID });
    const transaction = payloadOf(notification.data!.signedTransactionInfo!);
    const renewalInfo = payloadOf(notification.data!.signedRenewalInfo!);
    expect(transaction).toMatchObject({ productId: "com.example.app.yearly" });
    expect(renewalInfo).toMatchObject({ autoRenewStatus: 0, productId: "com.example.app.yearly" });
    await expect(
      createAppleVerifier(options).verifyNotification(signedPayload),
    ).resolves.toBeDefined();
  });

  it("null leaves a nested payload out; data: undefined leaves data out (for a summary)", async () => {
    const consumable = payloadOf(
      await kit.signNotification({
        notification: { notificationType: "ONE_TIME_CHARGE", subtype: undefined },
        transaction: { type: "Consumable", expiresDate: undefined },
        renewalInfo: null,
      }),
    ) as AppleNotification;
    expect(consumable.data?.signedTransactionInfo).toBeTypeOf("string");
    const renewalOnly = payloadOf(
      await kit.signNotification({ transaction: null }),
    ) as AppleNotification;
    expect("signedTransactionInfo" in renewalOnly.data!).toBe(false);
    expect(payloadOf(renewalOnly.data!.signedRenewalInfo!).autoRenewStatus).toBe(1);
    expect("signedRenewalInfo" in consumable.data!).toBe(false);
    const summary = {
      requestIdentifier: "efb27071-45a4-4aca-9854-2a1d7f5d7ec9",
      environment: "Sandbox",
      appAppleId: APP_APPLE_ID,
      bundleId: BUNDLE_ID,
      productId: "com.example.app.monthly",
      storefrontCountryCodes: ["USA"],
      succeededCount: 5,
      failedCount: 0,
    };
    const signedSummary = await kit.signNotification({
      notification: {
        notificationType: "RENEWAL_EXTENSION",
        subtype: "SUMMARY",
        data: undefined,
        summary,
      },
      transaction: null,
      renewalInfo: null,
    });
    expect("data" in payloadOf(signedSummary)).toBe(false);
    await expect(apple.verifyAndDecodeNotification(signedSummary)).resolves.toMatchObject({
      summary,
    });
  });

  it("each notification has its own notificationUUID, each transaction its own ID", async () => {
    const [a, b] = await Promise.all([kit.signNotification(), kit.signNotification()]);
    expect(payloadOf(a).notificationUUID).not.toBe(payloadOf(b).notificationUUID);
    expect(payloadOf(a).notificationUUID).toMatch(/^[\da-f]{8}(-[\da-f]{4}){3}-[\da-f]{12}$/);
    const [t, u] = await Promise.all([kit.signTransaction(), kit.signTransaction()]);
    expect(payloadOf(t).transactionId).not.toBe(payloadOf(u).transactionId);
  });

  it("signs as Apple does: a header of alg ES256 and x5c, nothing else", async () => {
    expect(decodeToken(await kit.signTransaction()).header).toStrictEqual({
      alg: "ES256",
      x5c: [...kit.x5c],
    });
  });

  it.each([
    [{ bundleID: "com.x" }, "UNKNOWN_OPTION", /did you mean bundleId/],
    [{ bundleId: "" }, "INVALID_OPTIONS", /bundleId/],
    [{ environment: "Xcode" }, "INVALID_OPTIONS", /environment/],
    [{ appAppleId: -1 }, "INVALID_OPTIONS", /appAppleId/],
    [{ now: () => 5 }, "INVALID_NOW", /now/],
    ["options", "INVALID_OPTIONS", /options/],
  ])("refuses options %j with %s", async (given, code, message) => {
    await expect(createAppleTestKit(given as never)).rejects.toThrow(message);
    expect(await codeOf(createAppleTestKit(given as never))).toBe(code);
  });

  it("refuses what is not an object of fields, and unknown notification options", async () => {
    await expect(kit.sign("text" as never)).rejects.toMatchObject({ code: "INVALID_OPTIONS" });
    await expect(kit.signTransaction([] as never)).rejects.toMatchObject({
      code: "INVALID_OPTIONS",
    });
    await expect(kit.signNotification({ transactions: null } as never)).rejects.toMatchObject({
      code: "UNKNOWN_OPTION",
    });
    await expect(
      kit.signNotification({ notification: { data: 5 } } as never),
    ).rejects.toMatchObject({ code: "INVALID_OPTIONS" });
  });
});
