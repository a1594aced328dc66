export * from "./kinds/all.js";
export { importAppleKey, type ApplePrivateKey } from "./key/import.js";
export { signerKey, type AppleSigner, type SignerKey } from "./key/signer.js";
export { signatureFromDer, signatureToDer } from "./key/signature.js";
export type { Clock } from "./lib/time.js";
export { AscTokenError, isAscTokenError, type AscTokenErrorCode } from "./lib/errors.js";
export {
  createTokenProvider,
  createAscTokenProvider,
  type TokenProvider,
  type TokenProviderOptions,
  type TokenInfo,
} from "./provider/token-provider.js";
export { DEFAULT_REFRESH_BEFORE } from "./lib/defaults.js";
export { createAuthorizedFetch, type FetchLike } from "./provider/fetch.js";
export { decodeToken, type DecodedToken } from "./inspect/decode.js";
export {
  checkAscToken,
  type AscTokenCheckOptions,
  type AscTokenFinding,
  type AscTokenFindingCode,
} from "./inspect/doctor.js";
export type {
  AppleKeyOptions,
  TeamKeyOptions,
  TokenKind,
  KindOptionNames,
  KindLifetime,
  BuiltToken,
  KindClaims,
  KindMint,
} from "./kinds/kind.js";
export { TOKEN_KINDS, type TokenKindName } from "./kinds/index.js";
export {
  createPromotionalOfferSignature,
  toPromotionalOfferSignatureV1,
  type PromotionalOfferSignatureOptions,
  type PromotionalOfferSignature,
  type PromotionalOfferSignatureV1,
} from "./kinds/promotional-offer.js";
export {
  createApnsTokenProvider,
  type ApnsTokenProvider,
  type ApnsTokenProviderOptions,
  type ApnsTokenAction,
} from "./provider/apns.js";
export {
  createMapsAccessTokenProvider,
  type MapsAccessTokenProviderOptions,
} from "./provider/maps-access.js";
export type { OAuthProviderOptions } from "./oauth/provider.js";
export {
  createAppleBusinessManagerTokenProvider,
  type AppleBusinessManagerTokenProviderOptions,
} from "./oauth/business-manager.js";
export {
  createAppleAdsTokenProvider,
  type AppleAdsTokenProviderOptions,
} from "./oauth/apple-ads.js";
export { APPLE_ROOT_CA_G3 } from "./verify/apple-root.js";
export {
  createAppleVerifier,
  type AppleVerifier,
  type AppleVerifierOptions,
} from "./verify/verify.js";
export type {
  AppleEnvironment,
  AppleSignedPayload,
  AppleNotification,
  AppleTransaction,
  AppleRenewalInfo,
  AppleAppTransaction,
  AppleRealtimeRequest,
} from "./verify/payloads.js";
export { createMemoryStore, type TokenStore } from "./store/store.js";
export { redisStore, type RedisClientLike } from "./store/redis.js";
export { workersKvStore, type KvNamespaceLike } from "./store/workers-kv.js";
export { durableObjectStore, type DurableObjectStorageLike } from "./store/durable-object.js";
export {
  createSignInWithAppleVerifier,
  type SignInWithAppleVerifier,
  type SignInWithAppleVerifierOptions,
} from "./sign-in-with-apple/verifier.js";
export type {
  SignInWithAppleIdToken,
  VerifyIdTokenOptions,
} from "./sign-in-with-apple/id-token.js";
export type {
  SignInWithAppleEvent,
  SignInWithAppleNotification,
} from "./sign-in-with-apple/notifications.js";
export {
  exchangeSignInWithAppleCode,
  refreshSignInWithAppleToken,
  revokeSignInWithAppleToken,
  type SignInWithAppleClientOptions,
  type SignInWithAppleClientSecret,
  type SignInWithAppleTokens,
} from "./sign-in-with-apple/oauth.js";
