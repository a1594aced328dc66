import { fail, invalid } from "./errors.js";

/**
 * The clock a token is dated by: a function returning epoch milliseconds (like `Date.now`), or a
 * fixed `Date`. Defaults to `Date.now`. Inject it in tests, or to correct a known clock offset.
 */
export type Clock = (() => number) | Date;

/** Current time in whole epoch seconds from `now` (validated). */
export const epochSeconds = (now: Clock | undefined): number => {
  const ms = now === undefined ? Date.now() : typeof now === "function" ? now() : now instanceof Date ? +now : NaN;
  if (!Number.isFinite(ms) || ms < 0) {
    throw fail("INVALID_NOW", "now must be a Date or return epoch ms");
  }
  return Math.floor(ms / 1000);
};

/** A whole number of seconds `≥ min`, or `fallback` when undefined; otherwise the `code` error. */
export const wholeSeconds = (
  value: unknown,
  fallback: number,
  min: number,
  code: "INVALID_EXPIRES_IN" | "INVALID_CLOCK_TOLERANCE",
  name: string,
): number => {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < min) throw invalid(code, name, `whole seconds >= ${min}`, value);
  return value as number;
};
