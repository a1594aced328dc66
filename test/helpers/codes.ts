// The AscTokenErrorCode union, read from the source so that tests notice when a code is added.
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import {
  type AscTokenErrorCode,
  type AscTokenFindingCode,
  isAscTokenError,
} from "../../src/index.js";

/** Every code listed in the `AscTokenErrorCode` union of src/lib/errors.ts, in order. */
export const allErrorCodes = (): string[] => {
  const source = readFileSync(new URL("../../src/lib/errors.ts", import.meta.url), "utf8");
  const union = /export type AscTokenErrorCode\s*=([\s\S]*?")\s*;/.exec(source)?.[1] ?? "";
  return Array.from(union.matchAll(/\|\s*"([A-Z0-9_]+)"/g), (m) => m[1] ?? "");
};

const KNOWN = new Set(allErrorCodes());

/**
 * The code of the error `promise` rejects with, which must be an AscTokenError with a code of the
 * union; `"resolved"` when it resolves.
 */
export const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) return "resolved";
  if (!isAscTokenError(error)) throw new Error("not an AscTokenError", { cause: error });
  expect(KNOWN.has(error.code), error.code).toBe(true);
  return error.code;
};

/** The AscTokenError `promise` rejects with; fails if it resolves or rejects with another. */
export const refusal = async (promise: Promise<unknown>, code: AscTokenErrorCode) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isAscTokenError(error), `expected ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  return error as Error;
};

/**
 * The doctor's findings only kinds other than App Store Connect's have: test/inspect/doctor.test.ts
 * has a case for every other finding, test/inspect/doctor-kinds.test.ts one for each of these.
 */
export type KindOnlyFindingCode = Extract<
  AscTokenFindingCode,
  | "APNS_TOKEN_TOO_OLD"
  | "ISS_MISSING"
  | "ISS_NOT_TEAM_ID"
  | "BID_INVALID"
  | "SUB_INVALID"
  | "HEADER_ID_WRONG"
  | "NONCE_INVALID"
  | "EXP_PRESENT"
>;
