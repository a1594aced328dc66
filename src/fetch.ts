// fetch: an optional wrapper that sends a provider's token and, on a 401, retries once with a
// freshly minted one. Only this file uses it, so bundlers drop it when it is not imported.

import type { TokenProvider } from "./provider.js";

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

/**
 * Returns a `fetch` that adds `Authorization: Bearer <token>` from `provider` to every request.
 * When the answer is 401 it invalidates that token and sends the request once more with a fresh
 * one; the second answer is returned whatever it is. A body that cannot be sent twice means no
 * retry, and the 401 is returned: a stream or an async iterable in `init.body`, or the body of a
 * `Request` (a stream: keeping a copy to send again would hold the whole upload in memory). To
 * have a POST retried, pass its body in `init` as text, bytes, a `Blob`, `FormData` or
 * `URLSearchParams`. `fetchImpl` defaults to the global `fetch`, looked up at call time.
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
    const send = (target: RequestInfo | URL, token: string) => {
      const headers = new Headers(init?.headers ?? request?.headers);
      headers.set("Authorization", `Bearer ${token}`);
      return fetchImpl(target, { ...init, headers });
    };
    const token = await provider.getToken();
    const response = await send(input, token);
    if (response.status !== 401 || (ownBody ? !replayable(init.body) : request?.body != null))
      return response;
    await discard(response.body);
    provider.invalidate(token);
    return send(input, await provider.getToken());
  };
