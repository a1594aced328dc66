export {
  createAscToken,
  type AscTokenOptions,
  type AscAudience,
} from "./kinds/app-store-connect.js";
export { importAppleKey, type ApplePrivateKey } from "./key.js";
export type { AppleSigner } from "./signer.js";
export { signatureFromDer, signatureToDer } from "./signature.js";
export type { Clock } from "./time.js";
export { AscTokenError, isAscTokenError, type AscTokenErrorCode } from "./errors.js";
export {
  createTokenProvider,
  createAscTokenProvider,
  type TokenProvider,
  type TokenProviderOptions,
  type TokenInfo,
} from "./provider.js";
export { DEFAULT_REFRESH_BEFORE } from "./defaults.js";
export { createAuthorizedFetch, type FetchLike } from "./fetch.js";
export { decodeToken, type DecodedToken } from "./decode.js";
export {
  checkAscToken,
  type AscTokenCheckOptions,
  type AscTokenFinding,
  type AscTokenFindingCode,
} from "./check.js";
export type {
  AppleKeyOptions,
  TeamKeyOptions,
  TokenKind,
  KindOptionNames,
  KindLifetime,
  BuiltToken,
} from "./token.js";
export { TOKEN_KINDS } from "./kinds/index.js";
export {
  createAppStoreServerToken,
  type AppStoreServerTokenOptions,
} from "./kinds/app-store-server.js";
export {
  createInAppSignature,
  type InAppSignatureOptions,
  type InAppAudience,
} from "./kinds/in-app.js";
export {
  createPromotionalOfferSignature,
  toPromotionalOfferSignatureV1,
  type PromotionalOfferSignatureOptions,
  type PromotionalOfferSignature,
  type PromotionalOfferSignatureV1,
} from "./kinds/promotional-offer.js";
export { createApnsToken, type ApnsTokenOptions } from "./kinds/apns.js";
export {
  createApnsTokenProvider,
  type ApnsTokenProvider,
  type ApnsTokenProviderOptions,
  type ApnsTokenAction,
} from "./apns-provider.js";
export {
  createSignInWithAppleSecret,
  type SignInWithAppleSecretOptions,
} from "./kinds/sign-in-with-apple.js";
export { createMusicKitToken, type MusicKitTokenOptions } from "./kinds/musickit.js";
export { createWeatherKitToken, type WeatherKitTokenOptions } from "./kinds/weatherkit.js";
export { createMapKitToken, type MapKitTokenOptions, type MapKitScope } from "./kinds/mapkit.js";
export {
  createMapsAccessTokenProvider,
  type MapsAccessTokenProviderOptions,
} from "./maps-access.js";
export { createDeviceCheckToken, type DeviceCheckTokenOptions } from "./kinds/devicecheck.js";
export {
  createAppleBusinessManagerAssertion,
  type AppleBusinessManagerAssertionOptions,
} from "./kinds/apple-business-manager.js";
export { createAppleAdsClientSecret, type AppleAdsClientSecretOptions } from "./kinds/apple-ads.js";
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
