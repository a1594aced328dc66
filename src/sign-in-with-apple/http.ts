// http: one request to Apple's Sign in with Apple endpoints with a deadline and a cap on the size
// of the answer. Apple's pages state neither, so both are ours (docs/sign-in-with-apple.md): a hung
// or endless answer must hold neither the caller's request forever nor its memory.

import { type AscTokenErrorCode, fail, isAscTokenError } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import type { FetchLike } from "../provider/fetch.js";
import { readBounded } from "../lib/read-bounded.js";

/**
 * A whole-number option in `min..max` (seconds or, for timeouts, milliseconds), or `fallback`
 * when undefined; otherwise INVALID_OPTIONS.
 */
export const wholeNumber = (
  value: unknown,
  fallback: number,
  [min, max]: [number, number],
  name: string,
): number => {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw fail(
      "INVALID_OPTIONS",
      `${name} must be a whole number ${min}..${max}; got ${showValue(value)}`,
    );
  }
  return value as number;
};

/** What Apple answered: the status and the body as text. */
export interface Answer {
  status: number;
  text: string;
}

/** The codes one caller reports: no answer in time, or an answer over `maxBytes`. */
export interface Failures {
  failed: AscTokenErrorCode;
  tooLarge: AscTokenErrorCode;
}

/**
 * `fetchImpl(url, init)` and its body, within `timeoutMs` for the whole exchange (the request is
 * aborted then, and a `fetch` that ignores the signal is no longer waited for) and `maxBytes` for
 * the body. `what` names the request in messages, which never hold what was sent.
 */
export const request = async (
  fetchImpl: FetchLike | undefined,
  url: string,
  init: RequestInit,
  limits: { timeoutMs: number; maxBytes: number },
  codes: Failures,
  what: string,
): Promise<Answer> => {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(fail(codes.failed, `${what} had no complete answer within ${limits.timeoutMs} ms`));
    }, limits.timeoutMs);
  });
  const exchange = async (): Promise<Answer> => {
    let response: Response;
    try {
      response = await (fetchImpl ?? fetch)(url, { ...init, signal: controller.signal });
    } catch (cause) {
      throw fail(codes.failed, `${what} failed before any answer (network, DNS, TLS)`, cause);
    }
    const tooLarge = () =>
      fail(codes.tooLarge, `${what} answered with a body over ${limits.maxBytes} bytes`);
    let text: string;
    try {
      text = await readBounded(response, limits.maxBytes, tooLarge);
    } catch (cause) {
      if (isAscTokenError(cause)) throw cause;
      throw fail(codes.failed, `${what} broke off while answering`, cause);
    }
    return { status: response.status, text };
  };
  try {
    return await Promise.race([exchange(), deadline]);
  } finally {
    clearTimeout(timer);
  }
};
