// asc-token/testing: the test kit, an entry point of its own so that nothing of it reaches a
// bundle that imports only from "asc-token". It plays Apple's side in tests: for Sign in with
// Apple, a throwaway RSA key set that signs identity tokens and notifications.

export {
  createSignInWithAppleTestKit,
  type SignInWithAppleTestKit,
  type SignInWithAppleTestKitOptions,
  type SignInWithAppleTestSignOptions,
} from "./testing/sign-in-with-apple.js";
