export { createAscToken } from "./token.js";
export { importAscKey, type AscPrivateKey } from "./key.js";
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
export { checkAscToken, type AscTokenCheckOptions, type AscTokenFinding, type AscTokenFindingCode } from "./check.js";
