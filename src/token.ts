// token: the App Store Connect flow, key → claims → sign → token.

import { checkOptions } from "./validate.js";
import { type AscTokenOptions, ascHeader, ascPayload } from "./claims.js";
import { keyFor } from "./key.js";
import { signJws } from "./sign.js";

/**
 * Mints an App Store Connect API token: an ES256 JWT with header `{alg, kid, typ}` and claims
 * `iss` (or `sub: "user"` for an individual key), `iat`, `exp`, `aud` and, if given, `scope`.
 *
 * Validates every option first and rejects with an {@link AscTokenError} whose `code` says what
 * to fix. `iat` is backdated by `clockTolerance` (60 s) and `exp − iat` is `expiresIn` (1140 s),
 * so a clock up to a minute off either way still gets a token Apple accepts.
 *
 * @example
 * ```ts
 * import { createAscToken } from "asc-token";
 * const token = await createAscToken({
 *   keyId: "2X9R4HXF34",
 *   issuerId: "57246542-96fe-1a63-e053-0824d011072a",
 *   privateKey: process.env.ASC_PRIVATE_KEY!, // contents of AuthKey_2X9R4HXF34.p8
 * });
 * await fetch("https://api.appstoreconnect.apple.com/v1/apps", {
 *   headers: { Authorization: `Bearer ${token}` },
 * });
 * ```
 */
export const createAscToken = async (options: AscTokenOptions): Promise<string> => {
  checkOptions(options, "{ keyId, issuerId, privateKey }");
  const header = ascHeader(options.keyId);
  const claims = ascPayload(options);
  // `await`, not an instanceof Promise test: in some runtimes (edge-runtime) WebCrypto's promises
  // come from another realm. Awaiting a CryptoKey that is already there costs one microtask.
  return signJws(header, claims, await keyFor(options.privateKey));
};
