export { createAscToken } from "./token.js";
export { importAscKey, type AscPrivateKey } from "./key.js";
export type { AscTokenOptions, AscAudience } from "./claims.js";
export type { Clock } from "./time.js";
export { AscTokenError, isAscTokenError, type AscTokenErrorCode } from "./errors.js";
