export { createAscToken } from "./token.js";
export { importAscKey, type AscPrivateKey } from "./key.js";
export type { AscSigner } from "./signer.js";
export { signatureFromDer, signatureToDer } from "./signature.js";
export type { AscTokenOptions, AscAudience } from "./claims.js";
export type { Clock } from "./time.js";
export { AscTokenError, isAscTokenError, type AscTokenErrorCode } from "./errors.js";
export {
  createTokenProvider,
  createAscTokenProvider,
  DEFAULT_REFRESH_BEFORE,
  type TokenProvider,
  type TokenProviderOptions,
  type TokenInfo,
} from "./provider.js";
export { createAuthorizedFetch, type FetchLike } from "./fetch.js";
export { decodeAscToken, type DecodedAscToken } from "./decode.js";
export {
  checkAscToken,
  type AscTokenCheckOptions,
  type AscTokenFinding,
  type AscTokenFindingCode,
} from "./check.js";
export type { AppleKeyOptions, TeamKeyOptions } from "./kinds/common.js";
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
