// asc-token/testing: the test kit, an entry point of its own so that nothing of it reaches a
// bundle that imports only from "asc-token". It plays Apple's side in tests: it signs data as Apple
// does with a throwaway chain (App Store), and identity tokens and notifications with a throwaway
// RSA key set (Sign in with Apple).

export {
  createAppleTestKit,
  type AppleTestKit,
  type AppleTestKitOptions,
  type AppleTestNotificationOptions,
} from "./testing/kit.js";

export {
  createSignInWithAppleTestKit,
  type SignInWithAppleTestKit,
  type SignInWithAppleTestKitOptions,
  type SignInWithAppleTestSignOptions,
} from "./testing/sign-in-with-apple.js";
