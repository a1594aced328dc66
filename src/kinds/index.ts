// kinds: the list of Apple token kinds, which the CLI, the doctor and the tests enumerate. A new
// kind is one file in this folder and one line here (and its mint function's export in index.ts).

import { apnsKind } from "./apns.js";
import { ascKind } from "./app-store-connect.js";
import { appStoreServerKind } from "./app-store-server.js";
import { deviceCheckKind } from "./devicecheck.js";
import { inAppKind } from "./in-app.js";
import { mapKitKind } from "./mapkit.js";
import { musicKitKind } from "./musickit.js";
import { signInWithAppleKind } from "./sign-in-with-apple.js";
import { weatherKitKind } from "./weatherkit.js";
import type { TokenKind } from "../token.js";

/**
 * Every Apple JWT kind asc-token mints, as data: name, mint function, option names, required
 * options, Apple's lifetime rules, and whether a token may be reused. (The promotional offer
 * signature is not a JWT, and not here.)
 *
 * @example
 * ```ts
 * import { TOKEN_KINDS } from "asc-token";
 * const apns = TOKEN_KINDS.find((kind) => kind.name === "apns");
 * console.log(apns?.lifetime.maxAge); // 3600: APNs refuses a token over an hour old
 * ```
 */
export const TOKEN_KINDS: readonly TokenKind[] = [
  ascKind,
  appStoreServerKind,
  inAppKind,
  apnsKind,
  deviceCheckKind,
  signInWithAppleKind,
  musicKitKind,
  weatherKitKind,
  mapKitKind,
];
