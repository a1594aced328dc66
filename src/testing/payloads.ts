// payloads: the default fields of what the test kit signs, realistic for a sandbox purchase of
// an auto-renewable subscription, from Apple's pages (JWSTransactionDecodedPayload,
// JWSRenewalInfoDecodedPayload, ResponseBodyV2DecodedPayload, AppTransaction) and the models in
// the tests of Apple's app-store-server-library. Dates are epoch milliseconds.

import { encodeBase64 } from "../lib/base64url.js";
import { randomNonce } from "../lib/nonce.js";

const DAY = 86_400_000;

/** What every payload of one kit shares: the app, and the time it is signed at. */
export interface App {
  readonly bundleId: string;
  readonly environment: "Sandbox" | "Production";
  readonly appAppleId: number;
  readonly now: number;
}

/** `digits` random decimal digits after `prefix`: Apple's IDs are decimal strings like these. */
const id = (prefix: string, digits: number): string =>
  prefix + Array.from(crypto.getRandomValues(new Uint8Array(digits)), (byte) => byte % 10).join("");

/** A transaction: a first purchase of a monthly subscription, signed now. */
export const transaction = ({ bundleId, environment, now }: App) => {
  const transactionId = id("2000000", 9);
  return {
    transactionId,
    originalTransactionId: transactionId,
    webOrderLineItemId: id("2000000", 8),
    bundleId,
    productId: `${bundleId}.monthly`,
    subscriptionGroupIdentifier: "21000000",
    purchaseDate: now,
    originalPurchaseDate: now,
    expiresDate: now + 30 * DAY,
    quantity: 1,
    type: "Auto-Renewable Subscription",
    inAppOwnershipType: "PURCHASED",
    signedDate: now,
    environment,
    transactionReason: "PURCHASE",
    storefront: "USA",
    storefrontId: "143441",
    price: 9990,
    currency: "USD",
    appTransactionId: id("7", 17),
  };
};

/** The renewal info of `of` (a transaction's fields): renewing to the same product. */
export const renewalInfo = ({ environment, now }: App, of: Record<string, unknown>) => ({
  originalTransactionId: of.originalTransactionId,
  autoRenewProductId: of.productId,
  productId: of.productId,
  autoRenewStatus: 1,
  signedDate: now,
  environment,
  recentSubscriptionStartDate: of.purchaseDate,
  renewalDate: of.expiresDate,
  renewalPrice: of.price,
  currency: of.currency,
  appTransactionId: of.appTransactionId,
});

/** A notification's `data`, with its signed transaction and renewal info when given. */
export const notificationData = (
  { bundleId, environment, appAppleId }: App,
  signedTransactionInfo: string | undefined,
  signedRenewalInfo: string | undefined,
) => ({
  appAppleId,
  bundleId,
  bundleVersion: "1",
  environment,
  signedTransactionInfo,
  signedRenewalInfo,
  status: 1,
});

/** A notification without its `data`: a first subscription, with a fresh notificationUUID. */
export const notification = ({ now }: App) => ({
  notificationType: "SUBSCRIBED",
  subtype: "INITIAL_BUY",
  notificationUUID: randomNonce(),
  version: "2.0",
  signedDate: now,
});

/** An app transaction: the app bought (or downloaded) now, version 1. */
export const appTransaction = ({ bundleId, environment, appAppleId, now }: App) => ({
  receiptType: environment,
  appAppleId,
  bundleId,
  applicationVersion: "1",
  versionExternalIdentifier: 0,
  receiptCreationDate: now,
  requestDate: now,
  originalPurchaseDate: now,
  originalApplicationVersion: "1",
  // A SHA-384 hash in base64, as StoreKit's is.
  deviceVerification: encodeBase64(crypto.getRandomValues(new Uint8Array(48))),
  deviceVerificationNonce: randomNonce(),
  appTransactionId: id("7", 17),
  originalPlatform: "iOS",
});
