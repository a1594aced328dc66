// time: the clock a token is dated by, and whole seconds.

import { type AscTokenErrorCode, fail, invalid } from "./errors.js";
import { showValue } from "./redact.js";
import { DEFAULT_CLOCK_TOLERANCE } from "./defaults.js";

/**
 * The clock a token is dated by: a function returning epoch milliseconds (like `Date.now`), or a
 * fixed time, as a `Date` or as epoch milliseconds (a number like `Date.now()` returns). Defaults
 * to `Date.now`. Inject it in tests, or to correct a known clock offset.
 *
 * @example
 * ```ts
 * const now: Clock = () => Date.now() + serverOffsetMs; // or new Date("2026-11-28T12:00:00Z")
 * const fixed: Clock = 1764331200000; // epoch ms, as Date.now() gives: 2026-11-28T12:00:00Z
 * ```
 */
export type Clock = (() => number) | Date | number;

/**
 * Epoch ms of a `Date` from this realm or another (where `instanceof Date` is false); NaN for
 * anything else. `getTime` checks for a real Date, whatever its prototype or `toStringTag` say.
 */
const dateMs = (value: unknown): number => {
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return NaN;
  }
};

/**
 * 2018-01-01T00:00:00Z in epoch ms. Apple's JWT APIs date from 2018 and no token dated earlier is
 * of use, so an earlier clock is a broken one: one returning seconds, or a fake timer started at
 * 0, as test timers are.
 */
const FLOOR = 1_514_764_800_000;

/** Current time in whole epoch seconds from `now` (validated). */
export const epochSeconds = (now: Clock | undefined): number => {
  const ms =
    now === undefined
      ? Date.now()
      : typeof now === "function"
        ? now()
        : typeof now === "number"
          ? now
          : dateMs(now);
  // Below the floor: a clock counting seconds (JWTs do, Date.now() counts ms), or a fake timer.
  // Above 8.64e15 ms, the last valid Date: a broken clock (and exp − iat would not stay exact).
  if (typeof ms !== "number" || !(ms >= FLOOR && ms <= 8.64e15)) {
    throw fail(
      "INVALID_NOW",
      "now must be a Date or epoch ms from 2018 on (seconds? a fake timer?)",
    );
  }
  return Math.floor(ms / 1000);
};

/**
 * A whole number of seconds `≥ min`, or `fallback` when undefined; otherwise the `code` error.
 */
export const wholeSeconds = (
  value: unknown,
  fallback: number,
  min: number,
  code: AscTokenErrorCode,
  name: string,
): number => {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < min) {
    throw fail(code, `${name} must be whole seconds >= ${min}; got ${showValue(value)}`);
  }
  return value as number;
};

/**
 * `iat`: the clock's now less `clockTolerance` (whole seconds, default 60), so that a clock
 * running ahead of Apple's does not date a token in Apple's future. The backdating must stay
 * below `limit` seconds (the lifetime, or the age at which Apple stops accepting the token),
 * which `limitName` names in the error.
 */
export const issuedAt = (
  options: { readonly clockTolerance?: number | undefined; readonly now?: Clock | undefined },
  limit: number,
  limitName: string,
): number => {
  const tolerance = wholeSeconds(
    options.clockTolerance,
    DEFAULT_CLOCK_TOLERANCE,
    0,
    "INVALID_CLOCK_TOLERANCE",
    "clockTolerance",
  );
  if (tolerance >= limit) {
    // Say which of the two the caller set: with the default tolerance, the fix is expiresIn.
    const got = `${tolerance} s${options.clockTolerance === undefined ? ", the default" : ""}`;
    throw invalid(
      "INVALID_CLOCK_TOLERANCE",
      "clockTolerance",
      `less than ${limitName} (${limit} s)`,
      tolerance,
      got,
    );
  }
  return epochSeconds(options.now) - tolerance;
};
