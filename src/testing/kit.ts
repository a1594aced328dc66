// kit: signs data as Apple does, with a throwaway chain, so that a webhook's tests can feed it a
// notification its verifier accepts (given the kit's root) without Apple, openssl or a network.

import { encodeBase64 } from "../lib/base64url.js";
import { invalid } from "../lib/errors.js";
import { readOptions } from "../lib/options.js";
import { signJwt } from "../key/sign.js";
import { type Clock, epochSeconds } from "../lib/time.js";
import type {
  AppleAppTransaction,
  AppleNotification,
  AppleRenewalInfo,
  AppleTransaction,
} from "../verify/payloads.js";
import { issue, toPem } from "./certificate.js";
import * as defaults from "./payloads.js";

/** Payload fields over the defaults: any field, and `undefined` to leave one out. */
type Overrides<T> = { [K in keyof T]?: T[K] | undefined };

/**
 * The app a test kit signs for, and its clock. Every option is optional.
 *
 * @example
 * ```ts
 * const options: AppleTestKitOptions = {
 *   bundleId: "com.example.app",
 *   environment: "Production",
 *   appAppleId: 1234567890,
 * };
 * ```
 */
export interface AppleTestKitOptions {
  /** The `bundleId` of every payload. Default `"com.example.app"`. */
  bundleId?: string;
  /** The `environment` (`receiptType`) of every payload. Default `"Sandbox"`. */
  environment?: "Sandbox" | "Production";
  /** The `appAppleId` of notifications and app transactions. Default `1234567890`. */
  appAppleId?: number;
  /**
   * The time payloads are signed at (`signedDate` and the other dates, in whole seconds), read at
   * each signing, and the certificates are valid around (from a day before the kit is made).
   * Default `Date.now`.
   */
  now?: Clock;
}

/**
 * What {@link AppleTestKit.signNotification} signs: fields over the default notification (its
 * `data` merged field by field; `data: undefined` leaves `data` out, for a `summary`), and the
 * transaction and renewal info signed into `data` (each `null` to leave it out).
 *
 * @example
 * ```ts
 * const options: AppleTestNotificationOptions = {
 *   notification: { notificationType: "DID_RENEW", subtype: undefined },
 *   transaction: { productId: "com.example.app.yearly" },
 *   renewalInfo: { autoRenewStatus: 0 },
 * };
 * ```
 */
export interface AppleTestNotificationOptions {
  notification?: Overrides<AppleNotification> | undefined;
  transaction?: Overrides<AppleTransaction> | null | undefined;
  renewalInfo?: Overrides<AppleRenewalInfo> | null | undefined;
}

/**
 * A throwaway PKI shaped like Apple's, and signers of Apple's payloads. Give a verifier its
 * `rootCertificate` (`rootCertificates: [kit.rootCertificate]`) and it accepts what the kit signs.
 * Each `sign*` resolves to a compact JWS (ES256, `x5c` of leaf, intermediate and root). Fields
 * given override the defaults; a field set to `undefined` is left out.
 *
 * @example
 * ```ts
 * const kit = await createAppleTestKit({ bundleId: "com.example.app" });
 * const signedTransaction = await kit.signTransaction({ productId: "com.example.app.gold" });
 * ```
 */
export interface AppleTestKit {
  /** The root certificate as base64 DER, as `rootCertificates` takes it. */
  readonly rootCertificate: string;
  /** The root certificate as PEM. */
  readonly rootCertificatePem: string;
  /** The root certificate as DER bytes (a copy: changing it changes nothing in the kit). */
  readonly rootCertificateDer: Uint8Array;
  /** The `x5c` of every signature: leaf, intermediate and root, base64 DER. */
  readonly x5c: readonly [string, string, string];
  /** Signs any JSON object as Apple does. */
  sign(payload: object): Promise<string>;
  /** A `signedTransactionInfo`: a first purchase of a monthly subscription, signed now. */
  signTransaction(fields?: Overrides<AppleTransaction>): Promise<string>;
  /** A `signedRenewalInfo`: the subscription renewing. */
  signRenewalInfo(fields?: Overrides<AppleRenewalInfo>): Promise<string>;
  /** A `signedAppTransactionInfo`. */
  signAppTransaction(fields?: Overrides<AppleAppTransaction>): Promise<string>;
  /**
   * A notification's `signedPayload` (SUBSCRIBED, INITIAL_BUY) whose `data` holds a signed
   * transaction and renewal info: what Apple POSTs to a webhook is `{ signedPayload }`.
   */
  signNotification(options?: AppleTestNotificationOptions): Promise<string>;
}

const NAMES = ["bundleId", "environment", "appAppleId", "now"];

/** `value` as fields to spread over defaults: undefined is none, anything but an object refused. */
const fieldsOf = (value: unknown, name: string): Record<string, unknown> => {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid("INVALID_OPTIONS", name, "an object of payload fields", value);
  }
  return value as Record<string, unknown>;
};

/**
 * Makes a throwaway root, an intermediate with Apple's WWDR OID and a leaf with Apple's
 * receipt-signing OID (WebCrypto only: every runtime), and returns the kit that signs with them.
 * For tests only: nothing it signs is from Apple, and a verifier accepts it only when told to
 * trust the kit's root. Throws `INVALID_OPTIONS` or `UNKNOWN_OPTION` for options that cannot be
 * right, `INVALID_NOW` for a broken clock.
 *
 * @example
 * ```ts
 * import { createAppleVerifier } from "asc-token";
 * import { createAppleTestKit } from "asc-token/testing";
 *
 * const kit = await createAppleTestKit({ bundleId: "com.example.app", environment: "Sandbox" });
 * const verifier = createAppleVerifier({
 *   bundleId: "com.example.app",
 *   environment: "Sandbox",
 *   rootCertificates: [kit.rootCertificate],
 * });
 * const signedPayload = await kit.signNotification({
 *   notification: { notificationType: "DID_RENEW", subtype: undefined },
 * });
 * const { notificationType } = await verifier.verifyNotification(signedPayload);
 * ```
 */
export const createAppleTestKit = async (options?: AppleTestKitOptions): Promise<AppleTestKit> => {
  const read = readOptions(options ?? {}, NAMES, "like { bundleId, environment }");
  const { bundleId = "com.example.app", environment = "Sandbox", appAppleId = 1234567890 } = read;
  const now = read.now as Clock | undefined;
  if (typeof bundleId !== "string" || !bundleId) {
    throw invalid("INVALID_OPTIONS", "bundleId", "a bundle ID like com.example.app", bundleId);
  }
  if (environment !== "Sandbox" && environment !== "Production") {
    throw invalid("INVALID_OPTIONS", "environment", '"Sandbox" or "Production"', environment);
  }
  if (!(Number.isSafeInteger(appAppleId) && (appAppleId as number) > 0)) {
    throw invalid("INVALID_OPTIONS", "appAppleId", "a positive integer", appAppleId);
  }
  const app = (): defaults.App => ({
    bundleId,
    environment,
    appAppleId: appAppleId as number,
    now: epochSeconds(now) * 1000,
  });

  const start = app().now;
  const root = await issue("root", start);
  const intermediate = await issue("intermediate", start, root);
  const leaf = await issue("leaf", start, intermediate);
  const x5c = [leaf, intermediate, root].map(({ der }) => encodeBase64(der)) as [
    string,
    string,
    string,
  ];
  const header = { alg: "ES256", x5c };

  const sign = (payload: object): Promise<string> =>
    signJwt(header, fieldsOf(payload, "payload"), leaf.keys.privateKey);

  return {
    rootCertificate: x5c[2],
    rootCertificatePem: toPem(root.der),
    rootCertificateDer: root.der.slice(),
    x5c,
    sign: async (payload) => sign(payload),
    signTransaction: async (fields) =>
      sign({ ...defaults.transaction(app()), ...fieldsOf(fields, "fields") }),
    signRenewalInfo: async (fields) => {
      const base = app();
      return sign({
        ...defaults.renewalInfo(base, defaults.transaction(base)),
        ...fieldsOf(fields, "fields"),
      });
    },
    signAppTransaction: async (fields) =>
      sign({ ...defaults.appTransaction(app()), ...fieldsOf(fields, "fields") }),
    signNotification: async (given) => {
      const names = ["notification", "transaction", "renewalInfo"];
      const read = readOptions(given ?? {}, names, "like { notification, transaction }");
      const base = app();
      const transaction =
        read.transaction === null
          ? undefined
          : { ...defaults.transaction(base), ...fieldsOf(read.transaction, "transaction") };
      const renewalInfo =
        read.renewalInfo === null
          ? undefined
          : {
              ...defaults.renewalInfo(base, transaction ?? defaults.transaction(base)),
              ...fieldsOf(read.renewalInfo, "renewalInfo"),
            };
      const fields = fieldsOf(read.notification, "notification");
      const data =
        Object.hasOwn(fields, "data") && fields.data === undefined
          ? undefined
          : {
              ...defaults.notificationData(
                base,
                transaction && (await sign(transaction)),
                renewalInfo && (await sign(renewalInfo)),
              ),
              ...fieldsOf(fields.data, "notification.data"),
            };
      return sign({ ...defaults.notification(base), ...fields, data });
    },
  };
};
