// all: every Apple JWT kind, one export line each. The package exports these lines as they are,
// and TOKEN_KINDS (kinds/index.ts) is built from them: a new kind is its file and its line here.

export { createApnsToken, type ApnsTokenOptions } from "./apns.js";
export { createAscToken, type AscTokenOptions, type AscAudience } from "./app-store-connect.js";
export { createAppStoreServerToken, type AppStoreServerTokenOptions } from "./app-store-server.js";
export { createAppleAdsClientSecret, type AppleAdsClientSecretOptions } from "./apple-ads.js";
export {
  createAppleBusinessManagerAssertion,
  type AppleBusinessManagerAssertionOptions,
} from "./apple-business-manager.js";
export { createDeviceCheckToken, type DeviceCheckTokenOptions } from "./devicecheck.js";
export { createInAppSignature, type InAppSignatureOptions, type InAppAudience } from "./in-app.js";
export { createMapKitToken, type MapKitTokenOptions, type MapKitScope } from "./mapkit.js";
export { createMusicKitToken, type MusicKitTokenOptions } from "./musickit.js";
export {
  createSignInWithAppleSecret,
  type SignInWithAppleSecretOptions,
} from "./sign-in-with-apple.js";
export { createWeatherKitToken, type WeatherKitTokenOptions } from "./weatherkit.js";
