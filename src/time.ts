import { describe, fail } from "./errors.js";

/**
 * The clock a token is dated by: a function returning epoch milliseconds (like `Date.now`), or a
 * fixed `Date`. Defaults to `Date.now`. Inject it in tests, or to correct a known clock offset.
 */
export type Clock = (() => number) | Date;

/** Current time in whole epoch seconds from `now` (validated). */
export const epochSeconds = (now: Clock | undefined): number => {
  const ms = now === undefined ? Date.now() : typeof now === "function" ? now() : now instanceof Date ? now.getTime() : NaN;
  // 8.64e15 ms is the last valid Date: a clock past it is broken (and far past it, exp − iat
  // would no longer be exactly expiresIn).
  if (!Number.isFinite(ms) || ms < 0 || ms > 8.64e15) {
    throw fail("INVALID_NOW", "now must be a Date or a function returning epoch ms, like Date.now");
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
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw fail(code, `${name} must be whole seconds >= ${String(min)}; got ${typeof value === "number" ? String(value) : describe(value)}`);
  }
  return value;
};
