// exchange: one OAuth 2 client-credentials request to Apple's token endpoint, and Apple's answer
// read as an access token or as an error code. The form goes in the body (Apple, "Implementing
// OAuth for the Apple Ads Platform API": "Include the following parameters in the request body"),
// `application/x-www-form-urlencoded` as both of Apple's pages require; `fetch` sets `Host` from
// the URL. Apple's pages state no error body, timeout, answer size or rate limit: the error body
// read is RFC 6749's (`{"error": "invalid_client"}`, as Apple answers in practice), the 10 s and
// 64 KiB bounds are ours, and a 429's `Retry-After` (RFC 9110) is honoured.

import { type AscTokenErrorCode, fail } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import type { FetchLike } from "../provider/fetch.js";
import { readBounded } from "../lib/read-bounded.js";

/** The longest answer read, in bytes: Apple's is a few hundred. */
const MAX_BODY = 65_536;
/** The longest access token taken, in characters. */
const MAX_TOKEN = 16_384;
/**
 * The longest access-token lifetime believed, in seconds: Apple documents "one hour (3600
 * seconds)" on both pages. A longer stated one (a proxy's mistake, 2^53) is cut to this.
 */
export const MAX_ACCESS_LIFETIME = 3600;

/** What an exchange needs: where, the form, and the limits. */
export interface ExchangeRequest {
  readonly url: string;
  readonly form: Readonly<Record<string, string>>;
  readonly fetchImpl: FetchLike | undefined;
  /** Milliseconds for the whole exchange, answer included. */
  readonly timeout: number;
}

/** An access token and the lifetime Apple stated for it (bounded), in seconds. */
export interface AccessAnswer {
  readonly token: string;
  readonly lifetime: number;
}

/** An error about Apple's answer to `url`; never the form sent (it holds the client secret). */
const problem = (code: AscTokenErrorCode, url: string, text: string, cause?: unknown) =>
  fail(code, `POST ${url} ${text}`, cause);

/** `text` as a JSON object, or undefined. */
const jsonObject = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Seconds a 429's `Retry-After` asks to wait (delta-seconds or an HTTP date), or undefined when it
 * is absent or unreadable.
 */
export const retryAfter = (value: string | null, nowMs: number): number | undefined => {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
};

/** What the message says to do about Apple's `error`, by RFC 6749's names. */
const BAD_CLIENT =
  "Apple refused the client credentials: check clientId, keyId (and teamId), that the key is " +
  "the one whose public half the portal holds, and that it was not revoked";
const ERRORS: Readonly<Record<string, readonly [AscTokenErrorCode, string]>> = {
  invalid_client: ["OAUTH_INVALID_CLIENT", BAD_CLIENT],
  invalid_scope: ["OAUTH_INVALID_SCOPE", "Apple refused the scope"],
};

/** The error for a non-200 answer: Apple's `error` as a code, a 429 as OAUTH_RATE_LIMITED. */
const refusal = (url: string, status: number, text: string, wait: number | undefined) => {
  if (status === 429) {
    const after = wait === undefined ? "" : `; Retry-After ${wait} s`;
    return problem("OAUTH_RATE_LIMITED", url, `answered 429 (too many requests)${after}`);
  }
  const body = jsonObject(text);
  const error = body?.error;
  const known = typeof error === "string" ? ERRORS[error] : undefined;
  const shown = typeof error === "string" ? ` ${showValue(error)}` : "";
  const described =
    typeof body?.error_description === "string" ? ` (${showValue(body.error_description)})` : "";
  if (known) return problem(known[0], url, `answered ${status}${shown}${described}: ${known[1]}`);
  if (status === 401) {
    return problem("OAUTH_INVALID_CLIENT", url, `answered 401${shown}: ${BAD_CLIENT}`);
  }
  if (status >= 400 && status < 500 && typeof error === "string") {
    return problem("OAUTH_INVALID_REQUEST", url, `answered ${status}${shown}${described}`);
  }
  return problem("OAUTH_UNAVAILABLE", url, `answered ${status}: call again later`);
};

/** The access token and its lifetime from Apple's 200 answer, checked. */
const accessAnswer = (url: string, text: string): AccessAnswer => {
  const body = jsonObject(text);
  const malformed = (what: string) =>
    problem("OAUTH_RESPONSE_MALFORMED", url, `answered 200 ${what}`);
  if (!body) throw malformed("with a body that is not a JSON object");
  const { access_token: token, token_type: type, expires_in: lifetime } = body;
  if (typeof token !== "string" || !/^[\x21-\x7e]+$/.test(token) || token.length > MAX_TOKEN) {
    throw malformed(`without an access_token string; got ${showValue(typeof token)}`);
  }
  if (type !== undefined && (typeof type !== "string" || type.toLowerCase() !== "bearer")) {
    throw malformed(`with token_type ${showValue(type)}, not "Bearer"`);
  }
  if (!Number.isSafeInteger(lifetime) || (lifetime as number) < 1) {
    throw malformed(`without expires_in in whole seconds >= 1; got ${showValue(lifetime)}`);
  }
  return { token, lifetime: Math.min(lifetime as number, MAX_ACCESS_LIFETIME) };
};

/**
 * POSTs `form` to `url` and returns the access token, within `timeout` ms for the whole exchange
 * (the request is aborted then, and a `fetch` that ignores the signal is not waited for). A 429
 * rejects with OAUTH_RATE_LIMITED and `onRateLimit` is told the seconds Apple asked to wait.
 * Redirects are not followed: the form holds the client secret.
 */
export const exchangeClientCredentials = async (
  request: ExchangeRequest,
  onRateLimit: (seconds: number | undefined) => void,
): Promise<AccessAnswer> => {
  const { url, timeout } = request;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(problem("OAUTH_REQUEST_FAILED", url, `had no complete answer within ${timeout} ms`));
    }, timeout);
  });
  const exchange = async (): Promise<AccessAnswer> => {
    let response: Response;
    try {
      response = await (request.fetchImpl ?? fetch)(url, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(request.form).toString(),
        redirect: "manual",
        signal: controller.signal,
      });
    } catch (cause) {
      throw problem("OAUTH_REQUEST_FAILED", url, "failed before Apple answered", cause);
    }
    const tooLarge = () =>
      problem("OAUTH_RESPONSE_MALFORMED", url, `answered with a body over ${MAX_BODY} bytes`);
    let text: string;
    try {
      text = await readBounded(response, MAX_BODY, tooLarge);
    } catch (cause) {
      if ((cause as { name?: unknown }).name === "AscTokenError") throw cause;
      throw problem("OAUTH_REQUEST_FAILED", url, "broke off while answering", cause);
    }
    if (response.status === 200) return accessAnswer(url, text);
    const wait =
      response.status === 429
        ? retryAfter(response.headers.get("Retry-After"), Date.now())
        : undefined;
    if (response.status === 429) onRateLimit(wait);
    throw refusal(url, response.status, text, wait);
  };
  try {
    return await Promise.race([exchange(), deadline]);
  } finally {
    clearTimeout(timer);
  }
};
