// payloads: the documented fields of what Apple signs, as types. Every field is optional (Apple
// leaves many out, and adds new ones), and fields not listed here are kept: each type is open.
// Dates are epoch milliseconds; enumerations stay strings so that a new value is never lost.

/**
 * An App Store environment, as Apple's payloads name it.
 *
 * @example
 * ```ts
 * const environment: AppleEnvironment =
 *   process.env.NODE_ENV === "production" ? "Production" : "Sandbox";
 * ```
 */
export type AppleEnvironment = "Sandbox" | "Production" | "Xcode" | "LocalTesting";

/**
 * Any verified payload: a JSON object, its fields unknown.
 *
 * @example
 * ```ts
 * const payload: AppleSignedPayload = await verifier.verify(signed);
 * ```
 */
export type AppleSignedPayload = Record<string, unknown>;

/**
 * A decoded `signedTransactionInfo` (App Store Server API `JWSTransactionDecodedPayload`).
 *
 * @example
 * ```ts
 * const { transactionId, productId, expiresDate }: AppleTransaction =
 *   await verifier.verifyTransaction(signed);
 * ```
 */
export interface AppleTransaction {
  [field: string]: unknown;
  appAccountToken?: string;
  appTransactionId?: string;
  bundleId?: string;
  currency?: string;
  environment?: AppleEnvironment | (string & {});
  expiresDate?: number;
  inAppOwnershipType?: string;
  isUpgraded?: boolean;
  offerDiscountType?: string;
  offerIdentifier?: string;
  offerPeriod?: string;
  offerType?: number;
  originalPurchaseDate?: number;
  originalTransactionId?: string;
  price?: number;
  productId?: string;
  purchaseDate?: number;
  quantity?: number;
  revocationDate?: number;
  revocationReason?: number;
  signedDate?: number;
  storefront?: string;
  storefrontId?: string;
  subscriptionGroupIdentifier?: string;
  transactionId?: string;
  transactionReason?: string;
  type?: string;
  webOrderLineItemId?: string;
}

/**
 * A decoded `signedRenewalInfo` (`JWSRenewalInfoDecodedPayload`).
 *
 * @example
 * ```ts
 * const { autoRenewStatus, renewalDate }: AppleRenewalInfo =
 *   await verifier.verifyRenewalInfo(signed);
 * ```
 */
export interface AppleRenewalInfo {
  [field: string]: unknown;
  appAccountToken?: string;
  appTransactionId?: string;
  autoRenewProductId?: string;
  autoRenewStatus?: number;
  currency?: string;
  eligibleWinBackOfferIds?: string[];
  environment?: AppleEnvironment | (string & {});
  expirationIntent?: number;
  gracePeriodExpiresDate?: number;
  isInBillingRetryPeriod?: boolean;
  offerDiscountType?: string;
  offerIdentifier?: string;
  offerPeriod?: string;
  offerType?: number;
  originalTransactionId?: string;
  priceIncreaseStatus?: number;
  productId?: string;
  recentSubscriptionStartDate?: number;
  renewalDate?: number;
  renewalPrice?: number;
  signedDate?: number;
}

/**
 * The decoded `signedPayload` of an App Store Server Notification V2
 * (`ResponseBodyV2DecodedPayload`). `data.signedTransactionInfo` and `data.signedRenewalInfo` are
 * still signed strings: verify them with {@link AppleVerifier.verifyTransaction} and
 * {@link AppleVerifier.verifyRenewalInfo}.
 *
 * @example
 * ```ts
 * const { notificationType, subtype, data }: AppleNotification =
 *   await verifier.verifyNotification(signedPayload);
 * ```
 */
export interface AppleNotification {
  [field: string]: unknown;
  notificationType?: string;
  subtype?: string;
  notificationUUID?: string;
  version?: string;
  signedDate?: number;
  data?: {
    [field: string]: unknown;
    appAppleId?: number;
    bundleId?: string;
    bundleVersion?: string;
    consumptionRequestReason?: string;
    environment?: AppleEnvironment | (string & {});
    signedRenewalInfo?: string;
    signedTransactionInfo?: string;
    status?: number;
  };
  summary?: {
    [field: string]: unknown;
    appAppleId?: number;
    bundleId?: string;
    environment?: AppleEnvironment | (string & {});
    failedCount?: number;
    productId?: string;
    requestIdentifier?: string;
    storefrontCountryCodes?: string[];
    succeededCount?: number;
  };
  externalPurchaseToken?: {
    [field: string]: unknown;
    appAppleId?: number;
    bundleId?: string;
    externalPurchaseId?: string;
    tokenCreationDate?: number;
  };
}

/**
 * A decoded `signedAppTransactionInfo` (`AppTransaction`); its environment is `receiptType`.
 *
 * @example
 * ```ts
 * const { originalApplicationVersion }: AppleAppTransaction =
 *   await verifier.verifyAppTransaction(signed);
 * ```
 */
export interface AppleAppTransaction {
  [field: string]: unknown;
  appAppleId?: number;
  appTransactionId?: string;
  applicationVersion?: string;
  bundleId?: string;
  deviceVerification?: string;
  deviceVerificationNonce?: string;
  originalApplicationVersion?: string;
  originalPlatform?: string;
  originalPurchaseDate?: number;
  preorderDate?: number;
  receiptCreationDate?: number;
  receiptType?: AppleEnvironment | (string & {});
  versionExternalIdentifier?: number;
}

/**
 * A decoded Retention Messaging real-time request (`DecodedRealtimeRequestBody`).
 *
 * @example
 * ```ts
 * const { originalTransactionId, requestIdentifier }: AppleRealtimeRequest =
 *   await verifier.verifyRealtimeRequest(signed);
 * ```
 */
export interface AppleRealtimeRequest {
  [field: string]: unknown;
  appAppleId?: number;
  createdDate?: number;
  environment?: AppleEnvironment | (string & {});
  originalTransactionId?: string;
  productId?: string;
  requestIdentifier?: string;
  signedDate?: number;
  userLocale?: string;
}
