// fetch: an optional wrapper that sends a provider's token and, on a 401, retries once with a
// freshly minted one. Only this file uses it, so bundlers drop it when it is not imported.

import { fail } from "../lib/errors.js";
import type { TokenProvider } from "./token-provider.js";

/**
 * The shape of the global `fetch`.
 *
 * @example
 * ```ts
 * const logged: FetchLike = (input, init) => (console.log(String(input)), fetch(input, init));
 * const ascFetch = createAuthorizedFetch(provider, logged);
 * ```
 */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** True for a body `fetch` can send again: text, bytes, a Blob, form data or search params. */
const replayable = (body: unknown): boolean =>
  typeof body === "string" ||
  ArrayBuffer.isView(body) ||
  ["ArrayBuffer", "Blob", "File", "FormData", "URLSearchParams"].includes(
    Object.prototype.toString.call(body).slice(8, -1),
  );

/** A Request of any class or realm (undici's, a polyfill's), where `instanceof Request` fails. */
const isRequest = (input: unknown): input is Request =>
  typeof input === "object" &&
  input !== null &&
  "headers" in input &&
  "url" in input &&
  "method" in input;

/**
 * Lets go of a body that is not read, so the connection can be reused. Never throws: node-fetch's
 * bodies are Node streams without `cancel()`, a locked stream refuses it, and a failed cancel says
 * nothing about the retry.
 */
const discard = async (body: unknown): Promise<void> => {
  try {
    const stream = body as { cancel?: unknown; locked?: unknown; resume?: unknown } | null;
    if (typeof stream?.cancel === "function" && stream.locked !== true)
      await (stream as ReadableStream).cancel();
    // A Node stream (node-fetch): read it to the end into nothing.
    else if (typeof stream?.resume === "function") (stream as { resume(): void }).resume();
  } catch {
    // The body was already read, locked, or errored: nothing is left to free.
  }
};

/** Redirects followed at most, as the Fetch standard's "redirect count" (then a network error). */
const MAX_REDIRECTS = 20;

/** The headers that describe a body, dropped when a redirect turns the request into a GET. */
const BODY_HEADERS = ["Content-Encoding", "Content-Language", "Content-Location", "Content-Type"];

/** The origin of `url`, or undefined when it has none (a relative URL, `data:`, `file:`). */
const originOf = (url: string): string | undefined => {
  try {
    const { origin } = new URL(url);
    return origin === "null" ? undefined : origin;
  } catch {
    return undefined;
  }
};

/** `location` resolved against `base`, or undefined when that makes no URL. */
const resolve = (location: string, base: string): string | undefined => {
  try {
    return new URL(location, base).href;
  } catch {
    return undefined;
  }
};

/**
 * Returns a `fetch` that adds `Authorization: Bearer <token>` from `provider` to every request.
 * When the answer is 401 it invalidates that token and sends the request once more with a fresh
 * one; the second answer is returned whatever it is. A body that cannot be sent twice means no
 * retry, and the 401 is returned: a stream or an async iterable in `init.body`, or the body of a
 * `Request` (a stream: keeping a copy to send again would hold the whole upload in memory). To
 * have a POST retried, pass its body in `init` as text, bytes, a `Blob`, `FormData` or
 * `URLSearchParams`. `fetchImpl` defaults to the global `fetch`, looked up at call time.
 *
 * Redirects are followed here, not by `fetchImpl` (it is called with `redirect: "manual"`), so
 * the token never leaves the origin it was sent to, whatever `fetchImpl` would do: on a redirect
 * to another origin (scheme, host or port) `Authorization` is dropped for that request and every
 * one after it. 301 and 302 turn a POST into a GET and 303 anything but HEAD, without the body;
 * 307 and 308 keep the method and the body, or are returned as they are when the body cannot be
 * sent again. At most 20 redirects, then `TOO_MANY_REDIRECTS`. `redirect: "manual"` or `"error"`
 * in `init` is passed to `fetchImpl` unchanged. A browser hides a redirect's target from
 * scripts: there the answer is the `"opaqueredirect"` response `redirect: "manual"` gives.
 *
 * @example
 * ```ts
 * import { createAscTokenProvider, createAuthorizedFetch } from "asc-token";
 * const ascFetch = createAuthorizedFetch(createAscTokenProvider({ keyId, issuerId, privateKey }));
 * const apps = await (await ascFetch("https://api.appstoreconnect.apple.com/v1/apps")).json();
 * ```
 */
export const createAuthorizedFetch =
  (
    provider: TokenProvider,
    fetchImpl: FetchLike = (input, init) => fetch(input, init),
  ): FetchLike =>
  async (input, init) => {
    const request = isRequest(input) ? input : undefined;
    const ownBody = init?.body != null;
    const replay = ownBody ? replayable(init.body) : request?.body == null;
    // The caller's own redirect mode: nothing is followed here, so nothing can leak.
    const follow = (init?.redirect ?? request?.redirect ?? "follow") === "follow";

    /** Sends the request with `token`, following redirects; says whether the last hop had it. */
    const send = async (token: string): Promise<{ response: Response; authorized: boolean }> => {
      const headers = new Headers(init?.headers ?? request?.headers);
      headers.set("Authorization", `Bearer ${token}`);
      if (!follow)
        return { response: await fetchImpl(input, { ...init, headers }), authorized: true };
      let target: RequestInfo | URL = input;
      let url = isRequest(input) ? input.url : typeof input === "string" ? input : input.href;
      const origin = originOf(url);
      let method = (init?.method ?? request?.method ?? "GET").toUpperCase();
      let hop: RequestInit = { ...init, headers, redirect: "manual" };
      let authorized = true;
      for (let redirects = 0; ; redirects++) {
        const response = await fetchImpl(target, hop);
        const location = response.headers.get("Location");
        if (![301, 302, 303, 307, 308].includes(response.status) || location === null) {
          return { response, authorized };
        }
        const keepsBody = response.status === 307 || response.status === 308;
        const bodied = ownBody || request?.body != null;
        const next = resolve(location, response.url || url);
        // A body that cannot be sent again cannot follow a 307 or 308, nor can anything go to a
        // Location that is no URL: the caller gets the answer.
        const stuck = (keepsBody && bodied && !replay) || next === undefined;
        if (stuck) return { response, authorized };
        if (redirects === MAX_REDIRECTS) {
          await discard(response.body);
          throw fail(
            "TOO_MANY_REDIRECTS",
            `${String(MAX_REDIRECTS)} redirects and no answer: the server redirects in a loop`,
          );
        }
        await discard(response.body);
        url = next;
        if (authorized && (origin === undefined || originOf(url) !== origin)) {
          headers.delete("Authorization");
          authorized = false;
        }
        // 301 and 302 turn a POST into a GET, 303 anything but HEAD (the Fetch standard).
        const status = response.status;
        if (status === 303 ? method !== "HEAD" : !keepsBody && method === "POST") {
          method = "GET";
          for (const name of BODY_HEADERS) headers.delete(name);
          hop = { ...hop, headers, method, body: null };
        } else {
          hop = { ...hop, headers, method };
        }
        if (request) hop.signal ??= request.signal;
        target = url;
      }
    };

    const token = await provider.getToken();
    const { response, authorized } = await send(token);
    // A 401 from a hop the token was not sent to says nothing about the token.
    if (response.status !== 401 || !authorized || !replay) return response;
    await discard(response.body);
    provider.invalidate(token);
    return (await send(await provider.getToken())).response;
  };
