// createAuthorizedFetch when the 401's body cannot be cancelled: node-fetch 3's bodies are Node
// streams without cancel(), and a body someone already reads is locked. Neither may throw.
import { Response as NodeFetchResponse } from "node-fetch";
import { describe, expect, it } from "vitest";
import { createAuthorizedFetch, type FetchLike, type TokenProvider } from "../../src/index.js";

/** A provider handing out "t1", then "t2" after an invalidate. */
const twoTokens = (): TokenProvider & { invalidated: string[] } => {
  const invalidated: string[] = [];
  let current = "t1";
  const getToken = () => Promise.resolve(current);
  return {
    invalidated,
    getToken,
    getTokenInfo: () => Promise.resolve({ token: current, issuedAt: 0, expiresAt: 1 }),
    invalidate: (token?: string) => {
      invalidated.push(token ?? "");
      current = "t2";
    },
    authorization: async () => `Bearer ${await getToken()}`,
  };
};

describe("a 401 whose body cannot be cancelled", () => {
  it.each([
    [
      "a node-fetch 3 response (a Node stream body, no cancel())",
      () => new NodeFetchResponse("denied", { status: 401 }) as unknown as Response,
    ],
    [
      "a body already locked by a reader",
      () => {
        const response = new Response("denied", { status: 401 });
        response.body?.getReader();
        return response;
      },
    ],
    [
      "a body whose cancel() throws",
      () => {
        const response = new Response(null, { status: 401 });
        Object.defineProperty(response, "body", {
          value: {
            cancel: () => {
              throw new TypeError("no");
            },
          },
        });
        return response;
      },
    ],
  ])("%s: retried with a fresh token, no TypeError", async (_, first) => {
    const provider = twoTokens();
    const seen: (string | null)[] = [];
    const fetchImpl: FetchLike = (_input, init) => {
      seen.push(new Headers(init?.headers).get("Authorization"));
      return Promise.resolve(seen.length === 1 ? first() : new Response("ok"));
    };
    const response = await createAuthorizedFetch(
      provider,
      fetchImpl,
    )("https://example.com/v1/apps");
    expect(response.status).toBe(200);
    expect(seen).toStrictEqual(["Bearer t1", "Bearer t2"]);
    expect(provider.invalidated).toStrictEqual(["t1"]);
  });
});
