// verify: what Apple signs (notifications, transactions, renewal info, app transactions,
// real-time requests) → its payload, only when the chain, the dates, the signature and the
// caller's expectations all hold. A verifier keeps the chains it has checked, so a busy webhook
// pays the certificate checks once per chain and one ECDSA verify per payload.

import { fail, invalid, summarize } from "../errors.js";
import { subtle } from "../subtle.js";
import { APPLE_ROOT_CA_G3 } from "./apple-root.js";
import { type CheckedChain, checkChain, checkValidity } from "./chain.js";
import {
  fromBase64,
  readHeader,
  readPayload,
  readSignature,
  signingInput,
  splitCompact,
} from "./jws.js";
import { encodeBase64 } from "../base64url.js";
import type {
  AppleAppTransaction,
  AppleEnvironment,
  AppleNotification,
  AppleRealtimeRequest,
  AppleRenewalInfo,
  AppleSignedPayload,
  AppleTransaction,
} from "./payloads.js";
import { parseCertificate } from "./x509.js";

/**
 * What a verifier expects of Apple's signed data, and whom it trusts.
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
export interface AppleVerifierOptions {
  /** The app's bundle ID: payloads of another app are refused (`UNEXPECTED_BUNDLE_ID`). */
  bundleId?: string;
  /**
   * The environment payloads must come from (`UNEXPECTED_ENVIRONMENT` otherwise). `Xcode` and
   * `LocalTesting` data is not signed by Apple: those need `allowUnsignedTestData: true`.
   */
  environment?: AppleEnvironment;
  /** The app's Apple ID, required with `environment: "Production"` (`UNEXPECTED_APP_APPLE_ID`). */
  appAppleId?: number;
  /**
   * With `environment: "Xcode"` or `"LocalTesting"`: decode payloads without any signature
   * check, as Apple's libraries do for StoreKit testing. Never set it in production code.
   */
  allowUnsignedTestData?: boolean;
  /**
   * Trusted roots (base64 DER, PEM or DER bytes); the root in `x5c` must be one of them, byte for
   * byte. Default: [`APPLE_ROOT_CA_G3`].
   */
  rootCertificates?: readonly (string | Uint8Array)[];
  /**
   * The date every certificate must be valid at. `"signed"` (default): the payload's own
   * `signedDate` (`receiptCreationDate` for app transactions), as Apple's libraries do offline,
   * so data signed while a certificate was valid still verifies; the current time when the
   * payload has no date. `"now"`: the current time. A `Date`: that time.
   */
  effectiveDate?: "signed" | "now" | Date;
}

/**
 * Verifies Apple's signed data and keeps up to 16 checked chains, so that after the first
 * payload of a chain each verification costs one ECDSA verify. Create one per app and reuse it.
 * Each method resolves to the payload only when every check passes, and rejects otherwise with an
 * {@link AscTokenError} whose `code` names the check.
 *
 * @example
 * ```ts
 * const verifier = createAppleVerifier({ bundleId: "com.example.app", environment: "Sandbox" });
 * const notification = await verifier.verifyNotification(body.signedPayload);
 * ```
 */
export interface AppleVerifier {
  /** Any signed payload; expectations are checked against the fields it has. */
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

/** How one kind of payload names its date and which expectations apply to it. */
interface Kind {
  readonly dates: readonly string[];
  readonly bundleId: boolean;
  readonly appAppleId: boolean;
}

const ANY: Kind = {
  dates: ["signedDate", "receiptCreationDate", "createdDate"],
  bundleId: true,
  appAppleId: true,
};
const NOTIFICATION: Kind = { dates: ["signedDate"], bundleId: true, appAppleId: true };
const TRANSACTION: Kind = { dates: ["signedDate"], bundleId: true, appAppleId: false };
const RENEWAL_INFO: Kind = { dates: ["signedDate"], bundleId: false, appAppleId: false };
const APP_TRANSACTION: Kind = { dates: ["receiptCreationDate"], bundleId: true, appAppleId: true };
const REALTIME_REQUEST: Kind = {
  dates: ["signedDate", "createdDate"],
  bundleId: false,
  appAppleId: true,
};

const ENVIRONMENTS: readonly string[] = ["Sandbox", "Production", "Xcode", "LocalTesting"];
const UNSIGNED: readonly string[] = ["Xcode", "LocalTesting"];
/** Checked chains kept per verifier; Apple rotates its leaf about every two years. */
const CHAINS_KEPT = 16;

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/**
 * The app fields of a payload: its own, or those of a notification's `data`, `summary` or
 * `externalPurchaseToken` (whose environment is told by the `SANDBOX` prefix of its ID).
 */
const appFields = (payload: Record<string, unknown>) => {
  const token = asRecord(payload.externalPurchaseToken);
  const from = asRecord(payload.data) ?? asRecord(payload.summary) ?? token ?? payload;
  const environment =
    from === token
      ? String(token.externalPurchaseId).startsWith("SANDBOX")
        ? "Sandbox"
        : "Production"
      : (from.environment ?? from.receiptType);
  return { bundleId: from.bundleId, appAppleId: from.appAppleId, environment };
};

/** A root certificate option as canonical base64 DER, or INVALID_OPTIONS. */
const rootText = (root: unknown, index: number): string => {
  const bad = () =>
    invalid(
      "INVALID_OPTIONS",
      `rootCertificates[${index}]`,
      "a DER certificate (base64, PEM or bytes)",
      root,
    );
  let der: Uint8Array<ArrayBuffer> | undefined;
  if (typeof root === "string") {
    der = fromBase64(root.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ""));
  } else if (root instanceof Uint8Array) {
    der = root.slice();
  }
  if (!der) throw bad();
  try {
    parseCertificate(der, "root");
  } catch {
    throw bad();
  }
  return encodeBase64(der);
};

/** The options, checked once, with the roots as canonical base64 for byte-identity checks. */
const settle = (options: AppleVerifierOptions | undefined) => {
  options ??= {};
  if (typeof options !== "object" || options === null) {
    throw invalid("INVALID_OPTIONS", "options", "an object", options);
  }
  const { bundleId, environment, appAppleId, allowUnsignedTestData, effectiveDate } = options;
  if (bundleId !== undefined && (typeof bundleId !== "string" || !bundleId)) {
    throw invalid("INVALID_OPTIONS", "bundleId", "a bundle ID like com.example.app", bundleId);
  }
  if (environment !== undefined && !ENVIRONMENTS.includes(environment)) {
    throw invalid(
      "INVALID_OPTIONS",
      "environment",
      `one of ${ENVIRONMENTS.join(", ")}`,
      environment,
    );
  }
  if (appAppleId !== undefined && !(Number.isSafeInteger(appAppleId) && appAppleId > 0)) {
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
  if (
    environment !== undefined &&
    UNSIGNED.includes(environment) &&
    allowUnsignedTestData !== true
  ) {
    throw fail(
      "INVALID_OPTIONS",
      `${environment} data is not signed by Apple: set allowUnsignedTestData: true to decode it ` +
        "unverified",
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
  const roots = options.rootCertificates ?? [APPLE_ROOT_CA_G3];
  if (!Array.isArray(roots) || roots.length === 0) {
    throw invalid("INVALID_OPTIONS", "rootCertificates", "a non-empty array", roots);
  }
  return { ...options, roots: new Set(roots.map(rootText)) };
};

/** The time certificates must be valid at, for `payload` of `kind`. */
const effectiveTime = (
  setting: AppleVerifierOptions["effectiveDate"],
  payload: Record<string, unknown>,
  kind: Kind,
): number => {
  if (setting instanceof Date) return setting.getTime();
  if (setting === "now") return Date.now();
  const field = kind.dates.find((name) => payload[name] !== undefined);
  if (field === undefined) return Date.now();
  const value = payload[field];
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw fail(
      "SIGNED_DATA_MALFORMED",
      `the payload's ${field} is not epoch milliseconds (got ${summarize(value)})`,
    );
  }
  return value;
};

/**
 * Creates a verifier for Apple's signed data: App Store Server Notifications V2, transactions,
 * renewal info, app transactions and Retention Messaging real-time requests. It checks, in order:
 * a compact JWS with `alg: "ES256"` and an `x5c` of three certificates; the root byte-identical
 * to a trusted one (Apple Root CA - G3 by default); names, signatures (ECDSA P-256/P-384), the
 * intermediate a CA with Apple's WWDR OID, the leaf with Apple's receipt-signing OID, key usages;
 * every certificate valid at the effective date; the JWS signature by the leaf's key; then
 * `bundleId`, `appAppleId` and `environment` when given. Online revocation (OCSP) checks are not
 * made. Throws `INVALID_OPTIONS` at once for options that cannot be right.
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
export const createAppleVerifier = (options?: AppleVerifierOptions): AppleVerifier => {
  const settings = settle(options);
  /**
   * Checked chains by the encoded header that carries them (the header is the x5c and nothing
   * else that matters), least recently used first: a payload of a known chain skips decoding
   * and parsing the 4 kB header as well as the certificate checks.
   */
  const chains = new Map<string, Promise<CheckedChain>>();

  /** The checked chain of `headerPart`; header and root are checked before anything is kept. */
  const chainFor = (headerPart: string): Promise<CheckedChain> => {
    let chain = chains.get(headerPart);
    if (chain) {
      chains.delete(headerPart);
    } else {
      const x5c = readHeader(headerPart);
      if (!settings.roots.has(x5c[2])) {
        throw fail(
          "CHAIN_UNTRUSTED_ROOT",
          "the root certificate in x5c is not a trusted root (Apple Root CA - G3)",
        );
      }
      const checking = checkChain(x5c);
      // A chain that fails is forgotten: only checked chains are kept.
      checking.catch(() => chains.get(headerPart) === checking && chains.delete(headerPart));
      if (chains.size >= CHAINS_KEPT) chains.delete(chains.keys().next().value ?? "");
      chain = checking;
    }
    chains.set(headerPart, chain);
    return chain;
  };

  const verifyKind = async (signed: string, kind: Kind): Promise<Record<string, unknown>> => {
    const [headerPart, payloadPart, signaturePart] = splitCompact(signed);
    const expected = settings.environment;
    let payload: Record<string, unknown>;
    if (expected !== undefined && UNSIGNED.includes(expected)) {
      // Xcode and local testing: nothing signed by Apple to check (allowed explicitly in settle).
      payload = readPayload(payloadPart);
    } else {
      const chain = chainFor(headerPart);
      payload = readPayload(payloadPart);
      const signature = readSignature(signaturePart);
      const time = effectiveTime(settings.effectiveDate, payload, kind);
      checkValidity(await chain, time);
      const valid =
        signature.length === 64 &&
        (await subtle().verify(
          { name: "ECDSA", hash: "SHA-256" },
          (await chain).key,
          signature,
          signingInput(headerPart, payloadPart),
        ));
      if (!valid) {
        throw fail(
          "SIGNATURE_INVALID",
          "the signature does not match the payload and the leaf certificate's key",
        );
      }
    }
    const found = appFields(payload);
    if (kind.bundleId && settings.bundleId !== undefined && found.bundleId !== settings.bundleId) {
      throw fail(
        "UNEXPECTED_BUNDLE_ID",
        `the payload is for bundle ID ${describeField(found.bundleId)}, not ${settings.bundleId}`,
      );
    }
    if (
      kind.appAppleId &&
      settings.appAppleId !== undefined &&
      found.environment === "Production" &&
      found.appAppleId !== settings.appAppleId
    ) {
      throw fail(
        "UNEXPECTED_APP_APPLE_ID",
        `the payload is for app Apple ID ${describeField(found.appAppleId)}, ` +
          `not ${settings.appAppleId}`,
      );
    }
    if (
      (expected !== undefined && found.environment !== expected) ||
      (expected === undefined &&
        typeof found.environment === "string" &&
        UNSIGNED.includes(found.environment))
    ) {
      throw fail(
        "UNEXPECTED_ENVIRONMENT",
        `the payload is from environment ${describeField(found.environment)}, ` +
          `not ${expected ?? "the App Store"}`,
      );
    }
    return payload;
  };

  return {
    verify: (signed) => verifyKind(signed, ANY),
    verifyNotification: (signed) => verifyKind(signed, NOTIFICATION),
    verifyTransaction: (signed) => verifyKind(signed, TRANSACTION),
    verifyRenewalInfo: (signed) => verifyKind(signed, RENEWAL_INFO),
    verifyAppTransaction: (signed) => verifyKind(signed, APP_TRANSACTION),
    verifyRealtimeRequest: (signed) => verifyKind(signed, REALTIME_REQUEST),
  };
};

/** A payload field for a message: short strings and numbers shown (they are IDs, not secrets). */
const describeField = (value: unknown): string =>
  (typeof value === "string" && value.length <= 200) || typeof value === "number"
    ? JSON.stringify(value)
    : summarize(value);

// One-shot forms: a fresh verifier each call (no chain kept), for a script or a rare payload.
// Options errors reject, like every other failure.

/**
 * Verifies any of Apple's signed data with a fresh verifier (see {@link createAppleVerifier} for
 * the checks) and resolves to its payload. For many payloads, create one verifier and reuse it.
 *
 * @example
 * ```ts
 * import { verifyAppleSignedData } from "asc-token";
 * const payload = await verifyAppleSignedData(signed, {
 *   bundleId: "com.example.app",
 *   environment: "Sandbox",
 * });
 * ```
 */
export const verifyAppleSignedData = async (
  signed: string,
  options?: AppleVerifierOptions,
): Promise<AppleSignedPayload> => createAppleVerifier(options).verify(signed);

/**
 * Verifies an App Store Server Notification V2 `signedPayload` with a fresh verifier.
 *
 * @example
 * ```ts
 * import { verifyNotification } from "asc-token";
 * const { notificationType } = await verifyNotification(body.signedPayload, {
 *   bundleId: "com.example.app",
 *   environment: "Sandbox",
 * });
 * ```
 */
export const verifyNotification = async (
  signedPayload: string,
  options?: AppleVerifierOptions,
): Promise<AppleNotification> => createAppleVerifier(options).verifyNotification(signedPayload);

/**
 * Verifies a `signedTransactionInfo` with a fresh verifier.
 *
 * @example
 * ```ts
 * import { verifyTransaction } from "asc-token";
 * const { productId } = await verifyTransaction(signed, {
 *   bundleId: "com.example.app",
 *   environment: "Sandbox",
 * });
 * ```
 */
export const verifyTransaction = async (
  signedTransactionInfo: string,
  options?: AppleVerifierOptions,
): Promise<AppleTransaction> =>
  createAppleVerifier(options).verifyTransaction(signedTransactionInfo);

/**
 * Verifies a `signedRenewalInfo` with a fresh verifier.
 *
 * @example
 * ```ts
 * import { verifyRenewalInfo } from "asc-token";
 * const { autoRenewStatus } = await verifyRenewalInfo(signed, { environment: "Sandbox" });
 * ```
 */
export const verifyRenewalInfo = async (
  signedRenewalInfo: string,
  options?: AppleVerifierOptions,
): Promise<AppleRenewalInfo> => createAppleVerifier(options).verifyRenewalInfo(signedRenewalInfo);

/**
 * Verifies a `signedAppTransactionInfo` with a fresh verifier.
 *
 * @example
 * ```ts
 * import { verifyAppTransaction } from "asc-token";
 * const { originalApplicationVersion } = await verifyAppTransaction(signed, {
 *   bundleId: "com.example.app",
 *   environment: "Sandbox",
 * });
 * ```
 */
export const verifyAppTransaction = async (
  signedAppTransactionInfo: string,
  options?: AppleVerifierOptions,
): Promise<AppleAppTransaction> =>
  createAppleVerifier(options).verifyAppTransaction(signedAppTransactionInfo);

/**
 * Verifies a Retention Messaging real-time request's `signedPayload` with a fresh verifier.
 *
 * @example
 * ```ts
 * import { verifyRealtimeRequest } from "asc-token";
 * const { requestIdentifier } = await verifyRealtimeRequest(signed, { environment: "Sandbox" });
 * ```
 */
export const verifyRealtimeRequest = async (
  signedPayload: string,
  options?: AppleVerifierOptions,
): Promise<AppleRealtimeRequest> =>
  createAppleVerifier(options).verifyRealtimeRequest(signedPayload);
