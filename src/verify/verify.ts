// verify: what Apple signs (notifications, transactions, renewal info, app transactions,
// real-time requests) → its payload, only when its kind, the chain, the dates, the signature and
// the caller's app all hold. Work before trust is bounded: sizes are checked before anything is
// parsed. A verifier keeps the chains it has checked, so a busy webhook pays the certificate
// checks once per chain and one ECDSA verify per payload.

import { fail, invalid } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import { readOptions } from "../lib/options.js";
import { subtle } from "../lib/subtle.js";
import { APPLE_ROOT_CA_G3 } from "./apple-root.js";
import { type Anchor, type ChainCheck, checkChain, checkValidity } from "./chain.js";
import {
  fromBase64,
  readHeader,
  readPayload,
  readSignature,
  signingInput,
  splitCompact,
} from "./jws.js";
import type {
  AppleAppTransaction,
  AppleNotification,
  AppleRealtimeRequest,
  AppleRenewalInfo,
  AppleSignedPayload,
  AppleTransaction,
} from "./payloads.js";
import { type Certificate, parseCertificate } from "./x509.js";

/** What every verifier takes, whatever its environment. */
interface AppleVerifierBaseOptions {
  /**
   * Required: the app's bundle ID. Payloads of another app are refused (`UNEXPECTED_BUNDLE_ID`):
   * anyone can buy in their own app and send you that Apple-signed transaction.
   */
  bundleId: string;
  /**
   * Trusted roots (base64 DER, PEM or DER bytes, X.509 v3 or v1): trust anchors, a name and a key.
   * The intermediate in `x5c` must be signed by one of them under its name; the root `x5c`
   * carries is never read. Default: [`APPLE_ROOT_CA_G3`].
   */
  rootCertificates?: readonly (string | Uint8Array)[];
  /**
   * The date every certificate must be valid at, give or take 60 s (Apple's skew). `"signed"`
   * (default): the payload's own `signedDate` (`receiptCreationDate` for app transactions), as
   * Apple's libraries do offline, so data signed while a certificate was valid still verifies; the
   * current time when the payload has no date. `"now"`: the current time. A `Date`: that time.
   */
  effectiveDate?: "signed" | "now" | Date;
}

/**
 * What a verifier expects of Apple's signed data, and whom it trusts. `bundleId` and
 * `environment` are required, and `appAppleId` with `environment: "Production"`: a verifier
 * without them would accept data Apple signed for any app. `Xcode` and `LocalTesting` data is not
 * signed by Apple: those environments need `allowUnsignedTestData: true`.
 *
 * @example
 * ```ts
 * const options: AppleVerifierOptions = {
 *   bundleId: "com.example.app",
 *   environment: "Production",
 *   appAppleId: 1234567890,
 * };
 * ```
 */
export type AppleVerifierOptions = AppleVerifierBaseOptions &
  (
    | {
        environment: "Production";
        /** The app's Apple ID: production payloads of another app are refused. */
        appAppleId: number;
        allowUnsignedTestData?: false;
      }
    | {
        environment: "Sandbox";
        /** Not checked in the sandbox (as in Apple's libraries); accepted to share one config. */
        appAppleId?: number;
        allowUnsignedTestData?: false;
      }
    | {
        environment: "Xcode" | "LocalTesting";
        appAppleId?: number;
        /**
         * Decode payloads without any signature check, as Apple's libraries do for StoreKit
         * testing. Never in production code.
         */
        allowUnsignedTestData: true;
      }
  );

/**
 * Verifies Apple's signed data and keeps up to 16 checked chains, so that after the first
 * payload of a chain each verification costs one ECDSA verify. Create one per app and reuse it.
 * Each method resolves to the payload only when every check passes, and rejects otherwise with an
 * {@link AscTokenError} whose `code` names the check. Each method accepts only its kind
 * (`UNEXPECTED_PAYLOAD_KIND` otherwise); `verify` accepts any kind.
 *
 * @example
 * ```ts
 * const verifier = createAppleVerifier({ bundleId: "com.example.app", environment: "Sandbox" });
 * const notification = await verifier.verifyNotification(body.signedPayload);
 * ```
 */
export interface AppleVerifier {
  /** Any kind of signed payload below, checked as that kind. */
  verify(signed: string): Promise<AppleSignedPayload>;
  /** An App Store Server Notification V2 `signedPayload`. */
  verifyNotification(signedPayload: string): Promise<AppleNotification>;
  /** A `signedTransactionInfo`. */
  verifyTransaction(signedTransactionInfo: string): Promise<AppleTransaction>;
  /**
   * A `signedRenewalInfo` (it has no bundle ID or app Apple ID: only the environment is checked).
   */
  verifyRenewalInfo(signedRenewalInfo: string): Promise<AppleRenewalInfo>;
  /** A `signedAppTransactionInfo`. */
  verifyAppTransaction(signedAppTransactionInfo: string): Promise<AppleAppTransaction>;
  /** A Retention Messaging real-time request's `signedPayload` (no bundle ID in it). */
  verifyRealtimeRequest(signedPayload: string): Promise<AppleRealtimeRequest>;
}

/** One kind of signed payload: how to tell it, its date, and where its app identity is. */
interface Kind {
  readonly name: string;
  /** Fields Apple documents as always present, as strings (or numbers, with a `#`). */
  readonly marks: readonly string[];
  readonly date: string;
  /** Which identity checks apply, in Apple's order: bundle ID, app Apple ID (Production). */
  readonly bundleId: boolean;
  readonly appAppleId: boolean;
  /** The app fields of a payload of this kind. */
  readonly identity: (payload: Record<string, unknown>) => Identity;
}

interface Identity {
  bundleId: unknown;
  appAppleId: unknown;
  environment: unknown;
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

const own = (from: Record<string, unknown>): Identity => ({
  bundleId: from.bundleId,
  appAppleId: from.appAppleId,
  environment: from.environment,
});

/**
 * The app fields of a notification, as Apple's libraries read them: from `data`, `summary`,
 * `externalPurchaseToken` (whose environment is told by the `SANDBOX` prefix of its ID) or
 * `appData` (RESCIND_CONSENT), the first present.
 */
const notificationIdentity = (payload: Record<string, unknown>): Identity => {
  const from = asRecord(payload.data) ?? asRecord(payload.summary);
  if (from) return own(from);
  const token = asRecord(payload.externalPurchaseToken);
  if (token) {
    const id = token.externalPurchaseId;
    return {
      ...own(token),
      environment: typeof id === "string" && id.startsWith("SANDBOX") ? "Sandbox" : "Production",
    };
  }
  return own(asRecord(payload.appData) ?? {});
};

// The kinds, told apart by fields Apple's documentation lists for every payload of the kind. A
// field two kinds share (originalTransactionId, appTransactionId) never tells one alone.
const NOTIFICATION: Kind = {
  // https://developer.apple.com/documentation/appstoreservernotifications/responsebodyv2decodedpayload
  name: "an App Store Server Notification",
  marks: ["notificationType", "notificationUUID"],
  date: "signedDate",
  bundleId: true,
  appAppleId: true,
  identity: notificationIdentity,
};
const TRANSACTION: Kind = {
  // https://developer.apple.com/documentation/appstoreserverapi/jwstransactiondecodedpayload
  name: "a transaction",
  marks: ["transactionId", "originalTransactionId"],
  date: "signedDate",
  bundleId: true,
  appAppleId: false,
  identity: own,
};
const RENEWAL_INFO: Kind = {
  // https://developer.apple.com/documentation/appstoreserverapi/jwsrenewalinfodecodedpayload
  name: "a renewal info",
  marks: ["#autoRenewStatus", "originalTransactionId"],
  date: "signedDate",
  bundleId: false,
  appAppleId: false,
  identity: own,
};
const APP_TRANSACTION: Kind = {
  // https://developer.apple.com/documentation/storekit/apptransaction (its environment is
  // receiptType).
  name: "an app transaction",
  marks: ["receiptType", "originalApplicationVersion"],
  date: "receiptCreationDate",
  bundleId: true,
  appAppleId: true,
  identity: (payload) => ({ ...own(payload), environment: payload.receiptType }),
};
const REALTIME_REQUEST: Kind = {
  // https://developer.apple.com/documentation/retentionmessaging/decodedrealtimerequestbody
  name: "a real-time request",
  marks: ["requestIdentifier", "originalTransactionId"],
  date: "signedDate",
  bundleId: false,
  appAppleId: true,
  identity: own,
};
const KINDS = [NOTIFICATION, TRANSACTION, RENEWAL_INFO, APP_TRANSACTION, REALTIME_REQUEST];

/** True when `payload` has every field Apple always sends for `kind`. */
const isKind = (payload: Record<string, unknown>, kind: Kind): boolean =>
  kind.marks.every((mark) =>
    mark.startsWith("#")
      ? typeof payload[mark.slice(1)] === "number"
      : typeof payload[mark] === "string",
  );

const ENVIRONMENTS: readonly string[] = ["Sandbox", "Production", "Xcode", "LocalTesting"];
const UNSIGNED: readonly string[] = ["Xcode", "LocalTesting"];
/** Checked chains kept per verifier; Apple rotates its leaf about every two years. */
const CHAINS_KEPT = 16;
/**
 * The longest signed data read: Apple's largest, a notification with its nested signed
 * transaction and renewal info, is about 20 kB. Anything longer is refused before any parsing.
 */
const MOST_SIGNED = 1_048_576; // 1 MiB, as a literal: an expression would stay in bundles
/**
 * The longest x5c certificate read, in DER bytes: Apple's are about 1 kB, and 8 KiB leaves room
 * for any Apple may issue. As base64 text (4 characters per 3 bytes), checked before decoding.
 */
const MOST_CERTIFICATE = 8_192;
const MOST_CERTIFICATE_TEXT = 10_924; // 4 × ⌈8192 / 3⌉
/** The Date range (ECMA-262 21.4.1.1): a time outside it has no date. */
const MOST_TIME = 8.64e15;

const OPTION_NAMES = [
  "bundleId",
  "environment",
  "appAppleId",
  "allowUnsignedTestData",
  "rootCertificates",
  "effectiveDate",
];

/** A root certificate option as a trust anchor, or INVALID_OPTIONS. */
const anchorOf = (root: unknown, index: number): Anchor => {
  const bad = () =>
    invalid(
      "INVALID_OPTIONS",
      `rootCertificates[${index}]`,
      "an ECDSA P-256 or P-384 DER certificate (base64, PEM or bytes)",
      root,
    );
  let der: Uint8Array<ArrayBuffer> | undefined;
  if (typeof root === "string" && root.length <= 2 * MOST_CERTIFICATE_TEXT) {
    der = fromBase64(root.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ""));
  } else if (root instanceof Uint8Array && root.length <= MOST_CERTIFICATE) {
    der = root.slice();
  }
  if (!der) throw bad();
  let certificate: Certificate;
  try {
    certificate = parseCertificate(der, "trusted root", true);
  } catch {
    throw bad();
  }
  if (!certificate.curve) throw bad();
  return { certificate };
};

/** The settled options of one verifier. */
interface Settings {
  readonly bundleId: string;
  readonly environment: string;
  readonly appAppleId: number | undefined;
  readonly effectiveDate: AppleVerifierOptions["effectiveDate"];
  readonly anchors: readonly Anchor[];
}

/** The options, read once and checked, with the roots as trust anchors. */
const settle = (options: unknown): Settings => {
  const shape = '{ bundleId, environment: "Sandbox" | "Production", appAppleId, ... }';
  const read = readOptions(options, OPTION_NAMES, shape);
  const { bundleId, environment, appAppleId, allowUnsignedTestData, effectiveDate } = read;
  if (bundleId === undefined) {
    throw fail(
      "INVALID_OPTIONS",
      "bundleId is required (your app's bundle ID, e.g. com.example.app): without it, data " +
        "Apple signed for any app would verify",
    );
  }
  if (typeof bundleId !== "string" || !bundleId) {
    throw invalid("INVALID_OPTIONS", "bundleId", "a bundle ID like com.example.app", bundleId);
  }
  if (typeof environment !== "string" || !ENVIRONMENTS.includes(environment)) {
    throw invalid(
      "INVALID_OPTIONS",
      "environment",
      `one of ${ENVIRONMENTS.join(", ")} (required)`,
      environment,
    );
  }
  if (appAppleId !== undefined && !(Number.isSafeInteger(appAppleId) && Number(appAppleId) > 0)) {
    throw invalid(
      "INVALID_OPTIONS",
      "appAppleId",
      "the app's Apple ID (a positive integer)",
      appAppleId,
    );
  }
  if (environment === "Production" && appAppleId === undefined) {
    throw fail("INVALID_OPTIONS", 'appAppleId is required with environment "Production"');
  }
  if (allowUnsignedTestData !== undefined && typeof allowUnsignedTestData !== "boolean") {
    throw invalid("INVALID_OPTIONS", "allowUnsignedTestData", "a boolean", allowUnsignedTestData);
  }
  if (UNSIGNED.includes(environment) !== (allowUnsignedTestData === true)) {
    throw fail(
      "INVALID_OPTIONS",
      UNSIGNED.includes(environment)
        ? `${environment} data is not signed by Apple: set allowUnsignedTestData: true to ` +
            "decode it unverified"
        : `allowUnsignedTestData applies to Xcode and LocalTesting only, not ${environment}`,
    );
  }
  if (
    effectiveDate !== undefined &&
    effectiveDate !== "signed" &&
    effectiveDate !== "now" &&
    !(effectiveDate instanceof Date && Number.isFinite(effectiveDate.getTime()))
  ) {
    throw invalid(
      "INVALID_OPTIONS",
      "effectiveDate",
      '"signed", "now" or a valid Date',
      effectiveDate,
    );
  }
  const roots = read.rootCertificates ?? [APPLE_ROOT_CA_G3];
  if (!Array.isArray(roots) || roots.length === 0 || roots.length > CHAINS_KEPT) {
    throw invalid("INVALID_OPTIONS", "rootCertificates", "a non-empty array (at most 16)", roots);
  }
  return {
    bundleId,
    environment,
    appAppleId: appAppleId as number | undefined,
    effectiveDate,
    anchors: roots.map(anchorOf),
  };
};

/** The payload's date for `kind` (epoch ms in the Date range), or undefined if it has none. */
const signedTime = (payload: Record<string, unknown>, kind: Kind): number | undefined => {
  const value = payload[kind.date];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !(Math.abs(value) <= MOST_TIME)) {
    throw fail(
      "SIGNED_DATA_MALFORMED",
      `the payload's ${kind.date} is not epoch milliseconds (got ${showValue(value)})`,
    );
  }
  return value;
};

/**
 * Creates a verifier for Apple's signed data: App Store Server Notifications V2, transactions,
 * renewal info, app transactions and Retention Messaging real-time requests. It checks, in the
 * order of Apple's `SignedDataVerifier`: the size and form of the compact JWS; that the payload
 * is the kind the method reads; a header with `alg: "ES256"` and an `x5c` of three certificates;
 * the intermediate signed by a trusted root (Apple Root CA - G3 by default) under its name, the
 * leaf by the intermediate (ECDSA P-256/P-384), Apple's WWDR and receipt-signing OIDs, CA flag and
 * key usages; every certificate valid at the effective date (60 s of skew); the JWS signature by
 * the leaf's key; then the bundle ID, the app Apple ID (Production) and the environment. Online
 * revocation (OCSP) checks are not made. Throws `INVALID_OPTIONS` or `UNKNOWN_OPTION` at once
 * for options that cannot be right.
 *
 * @example
 * ```ts
 * import { createAppleVerifier } from "asc-token";
 * const verifier = createAppleVerifier({
 *   bundleId: "com.example.app",
 *   environment: "Production",
 *   appAppleId: 1234567890,
 * });
 * const { notificationType, data } = await verifier.verifyNotification(body.signedPayload);
 * if (data?.signedTransactionInfo) {
 *   const transaction = await verifier.verifyTransaction(data.signedTransactionInfo);
 *   console.log(notificationType, transaction.productId);
 * }
 * ```
 */
export const createAppleVerifier = (options: AppleVerifierOptions): AppleVerifier =>
  verifierOf(settle(options));

const verifierOf = (settings: Settings): AppleVerifier => {
  /**
   * Checked chains by their certificates: the three x5c strings, each at most
   * MOST_CERTIFICATE_TEXT long, and nothing else of the header, so what a verifier keeps is
   * bounded by CHAINS_KEPT × 3 certificates. Least recently used first.
   */
  const chains = new Map<string, ChainCheck>();

  /** The check of `x5c`'s chain; only a chain that passes every check is kept. */
  const chainFor = (x5c: readonly [string, string, string]): ChainCheck => {
    const id = JSON.stringify(x5c);
    let chain = chains.get(id);
    if (chain) {
      chains.delete(id);
    } else {
      const checking = checkChain(x5c[0], x5c[1], settings.anchors);
      // A chain that fails is forgotten: only checked chains are kept.
      checking.checked.catch(() => chains.get(id) === checking && chains.delete(id));
      if (chains.size >= CHAINS_KEPT) chains.delete(chains.keys().next().value ?? "");
      chain = checking;
    }
    chains.set(id, chain);
    return chain;
  };

  const verifyKind = async (
    signed: unknown,
    expected: Kind | undefined,
  ): Promise<Record<string, unknown>> => {
    if (typeof signed === "string" && signed.length > MOST_SIGNED) {
      throw fail(
        "SIGNED_DATA_TOO_LARGE",
        `the signed data is ${signed.length} characters, more than any Apple signs ` +
          `(${MOST_SIGNED}): refused unread`,
      );
    }
    const [headerPart, payloadPart, signaturePart] = splitCompact(signed);
    const payload = readPayload(payloadPart);
    // Apple's order: the payload's shape first, then the chain, the signature, the app.
    const kind = expected ?? KINDS.find((candidate) => isKind(payload, candidate));
    if (!kind || !isKind(payload, kind)) {
      throw fail(
        "UNEXPECTED_PAYLOAD_KIND",
        `the payload is not ${kind?.name ?? "any kind Apple documents"}` +
          (kind ? ` (it has no ${kind.marks.join(" and ").replace("#", "")})` : "") +
          ": call the verify method for the kind you hold",
      );
    }
    const time = signedTime(payload, kind);
    if (!UNSIGNED.includes(settings.environment)) {
      // Xcode and local testing data is not signed by Apple: nothing to check (allowed
      // explicitly in settle); the identity checks below still apply.
      const x5c = readHeader(headerPart);
      if (x5c.some((certificate) => certificate.length > MOST_CERTIFICATE_TEXT)) {
        throw fail(
          "CERTIFICATE_TOO_LARGE",
          `a certificate in x5c is longer than any Apple issues (${MOST_CERTIFICATE} bytes)`,
        );
      }
      const signature = readSignature(signaturePart);
      const { leafKey, checked } = chainFor(x5c);
      // The payload's verify starts with the leaf's key, beside the chain's own checks; its
      // answer counts only once the chain has passed them.
      const verifying =
        signature.length === 64 &&
        leafKey
          .then((key) =>
            subtle().verify(
              { name: "ECDSA", hash: "SHA-256" },
              key,
              signature,
              signingInput(headerPart, payloadPart),
            ),
          )
          // Observed at once, so that it never rejects unhandled when the chain fails first.
          .catch(() => false);
      const chain = await checked;
      const { effectiveDate } = settings;
      checkValidity(
        chain,
        effectiveDate instanceof Date
          ? effectiveDate.getTime()
          : effectiveDate === "now"
            ? Date.now()
            : (time ?? Date.now()),
      );
      const valid = await verifying;
      if (!valid) {
        throw fail(
          "SIGNATURE_INVALID",
          "the signature does not match the payload and the leaf certificate's key",
        );
      }
    }
    checkIdentity(kind.identity(payload), kind, settings);
    return payload;
  };

  return {
    verify: (signed) => verifyKind(signed, undefined),
    verifyNotification: (signed) => verifyKind(signed, NOTIFICATION),
    verifyTransaction: (signed) => verifyKind(signed, TRANSACTION),
    verifyRenewalInfo: (signed) => verifyKind(signed, RENEWAL_INFO),
    verifyAppTransaction: (signed) => verifyKind(signed, APP_TRANSACTION),
    verifyRealtimeRequest: (signed) => verifyKind(signed, REALTIME_REQUEST),
  };
};

/**
 * The identity checks of Apple's `SignedDataVerifier`, in its order: the bundle ID (where the
 * kind has one), the app Apple ID when the verifier is for Production, then the environment.
 */
const checkIdentity = (found: Identity, kind: Kind, settings: Settings): void => {
  if (kind.bundleId && found.bundleId !== settings.bundleId) {
    throw fail(
      "UNEXPECTED_BUNDLE_ID",
      `the payload is for bundle ID ${showValue(found.bundleId)}, not ${settings.bundleId}`,
    );
  }
  if (
    kind.appAppleId &&
    settings.environment === "Production" &&
    found.appAppleId !== settings.appAppleId
  ) {
    throw fail(
      "UNEXPECTED_APP_APPLE_ID",
      `the payload is for app Apple ID ${showValue(found.appAppleId)}, ` +
        `not ${settings.appAppleId}`,
    );
  }
  if (found.environment !== settings.environment) {
    throw fail(
      "UNEXPECTED_ENVIRONMENT",
      `the payload is from environment ${showValue(found.environment)}, ` +
        `not ${settings.environment}`,
    );
  }
};
