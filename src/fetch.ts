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

/**
 * Returns a `fetch` that adds `Authorization: Bearer <token>` from `provider` to every request.
 * When the answer is 401 it invalidates that token and sends the request once more with a fresh
 * one (unless the body is a stream, which cannot be sent twice); the second answer is returned
 * whatever it is. `fetchImpl` defaults to the global `fetch`, looked up at call time.
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
    const request = input instanceof Request ? input : undefined;
    const send = (token: string) => {
      const headers = new Headers(init?.headers ?? request?.headers);
      headers.set("Authorization", `Bearer ${token}`);
      return fetchImpl(input, { ...init, headers });
    };
    const token = await provider.getToken();
    const response = await send(token);
    const body = init?.body ?? request?.body;
    if (response.status !== 401 || body instanceof ReadableStream) return response;
    await response.body?.cancel();
    provider.invalidate(token);
    return send(await provider.getToken());
  };
