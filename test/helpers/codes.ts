// The AscTokenErrorCode union, read from the source so that tests notice when a code is added.
import { readFileSync } from "node:fs";

/** Every code listed in the `AscTokenErrorCode` union of src/errors.ts, in order. */
export const allErrorCodes = (): string[] => {
  const source = readFileSync(new URL("../../src/errors.ts", import.meta.url), "utf8");
  const union = /export type AscTokenErrorCode\s*=([\s\S]*?")\s*;/.exec(source)?.[1] ?? "";
  return Array.from(union.matchAll(/\|\s*"([A-Z0-9_]+)"/g), (m) => m[1] ?? "");
};
