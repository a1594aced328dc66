// kind: the name a mint function's tokens are stored under, which tells apart kinds that take the
// same options (APNs and MusicKit tokens of one key).

import { createApnsToken } from "../kinds/apns.js";
import { createAppStoreServerToken } from "../kinds/app-store-server.js";
import { createAscToken } from "../kinds/app-store-connect.js";
import { createInAppSignature } from "../kinds/in-app.js";
import { createMapKitToken } from "../kinds/mapkit.js";
import { createMusicKitToken } from "../kinds/musickit.js";
import { createSignInWithAppleSecret } from "../kinds/sign-in-with-apple.js";
import { createWeatherKitToken } from "../kinds/weatherkit.js";

const GENERATED_NAME = /^create[A-Z][A-Za-z0-9]*$/;

/**
 * The kind of `mint`: the export name of one of the library's kinds, found by identity because
 * `defineToken` makes functions that all share one name (and a minifier renames them anyway);
 * otherwise the function's own name when it reads like `createXxx`; otherwise undefined.
 * `createDeviceCheckToken` is `createApnsToken`, and so are its tokens.
 */
export const kindOf = (mint: (options: never) => Promise<string>): string | undefined => {
  const kinds: Readonly<Record<string, unknown>> = {
    createAscToken,
    createApnsToken,
    createAppStoreServerToken,
    createInAppSignature,
    createMapKitToken,
    createMusicKitToken,
    createSignInWithAppleSecret,
    createWeatherKitToken,
  };
  const known = Object.keys(kinds).find((name) => kinds[name] === mint);
  return known ?? (GENERATED_NAME.test(mint.name) ? mint.name : undefined);
};
