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
  typeof body === "string" || ArrayBuffer.isView(body) || ["ArrayBuffer", "Blob", "File", "FormData", "URLSearchParams"].includes(Object.prototype.toString.call(body).slice(8, -1));

/** A Request of any class or realm (undici's, a polyfill's), where `instanceof Request` fails. */
const isRequest = (input: unknown): input is Request =>
  typeof input === "object" && input !== null && "headers" in input && "url" in input && "method" in input;

/**
 * Returns a `fetch` that adds `Authorization: Bearer <token>` from `provider` to every request.
 * When the answer is 401 it invalidates that token and sends the request once more with a fresh
 * one; the second answer is returned whatever it is. A `Request` with a body is cloned for the
 * first try so it can be sent again; a body given in `init` that cannot be sent twice (a stream,
 * an async iterable) means no retry: the 401 is returned. `fetchImpl` defaults to the global
 * `fetch`, looked up at call time.
 *
 * @example
 * ```ts
 * import { createAscTokenProvider, createAuthorizedFetch } from "asc-token";
 * const ascFetch = createAuthorizedFetch(createAscTokenProvider({ keyId, issuerId, privateKey }));
 * const apps = await (await ascFetch("https://api.appstoreconnect.apple.com/v1/apps")).json();
 * ```
 */
export const createAuthorizedFetch =
  (provider: TokenProvider, fetchImpl: FetchLike = (input, init) => fetch(input, init)): FetchLike =>
  async (input, init) => {
    const request = isRequest(input) ? input : undefined;
    const ownBody = init?.body != null;
    const send = (target: RequestInfo | URL, token: string) => {
      const headers = new Headers(init?.headers ?? request?.headers);
      headers.set("Authorization", `Bearer ${token}`);
      return fetchImpl(target, { ...init, headers });
    };
    const token = await provider.getToken();
    const response = await send(!ownBody && request?.body ? request.clone() : input, token);
    if (response.status !== 401 || (ownBody && !replayable(init.body))) return response;
    await response.body?.cancel();
    provider.invalidate(token);
    return send(input, await provider.getToken());
  };
