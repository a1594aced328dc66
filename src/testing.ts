// asc-token/testing: the test kit, an entry point of its own so that nothing of it reaches a
// bundle that imports only from "asc-token". It signs data as Apple does with a throwaway chain,
// for the tests of a webhook or of anything else that verifies Apple's signed data.

export {
  createAppleTestKit,
  type AppleTestKit,
  type AppleTestKitOptions,
  type AppleTestNotificationOptions,
} from "./testing/kit.js";
