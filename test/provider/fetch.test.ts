// createAuthorizedFetch with a fake fetch: no network.
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import {
  createAscTokenProvider,
  createAuthorizedFetch,
  type FetchLike,
  type TokenProvider,
} from "../../src/index.js";
import { makeP256, type P256Fixture } from "../helpers/keys.js";
import { verifies } from "../helpers/verify.js";

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const url = "https://api.appstoreconnect.apple.com/v1/apps";

let key: P256Fixture;
let provider: TokenProvider;
let sign: MockInstance<SubtleCrypto["sign"]>;
beforeEach(() => {
  key = makeP256();
  provider = createAscTokenProvider({
    keyId: "2X9R4HXF34",
    issuerId: "57246542-96fe-1a63-e053-0824d011072a",
    privateKey: key.applePem,
    now: () => NOW,
  });
  sign = vi.spyOn(crypto.subtle, "sign");
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

/** A fake fetch answering with `statuses` in turn (then 200), recording each request's headers. */
const fakeFetch = (...statuses: number[]) => {
  const calls: { input: RequestInfo | URL; headers: Headers; init: RequestInit | undefined }[] = [];
  const cancelled: boolean[] = [];
  const impl = vi.fn<FetchLike>((input, init) => {
    calls.push({ input, headers: new Headers(init?.headers), init });
    const body = new ReadableStream({ cancel: () => void cancelled.push(true) });
    return Promise.resolve(new Response(body, { status: statuses.shift() ?? 200 }));
  });
  const bearer = (i: number) => calls[i]!.headers.get("authorization")?.replace(/^Bearer /, "");
  return { impl, calls, cancelled, bearer };
};

describe("createAuthorizedFetch", () => {
  it("adds Authorization: Bearer <token> and keeps the caller's headers and options", async () => {
    const fake = fakeFetch();
    const ascFetch = createAuthorizedFetch(provider, fake.impl);
    const init = Object.freeze({
      method: "GET",
      headers: Object.freeze({ Accept: "application/json" }),
    });
    const response = await ascFetch(url, init);
    expect(response.status).toBe(200);
    expect(fake.calls[0]!.input).toBe(url);
    expect(fake.calls[0]!.init?.method).toBe("GET");
    expect(fake.calls[0]!.headers.get("accept")).toBe("application/json");
    expect(verifies(fake.bearer(0)!, key.publicKey)).toBe(true);
    expect(init.headers).toStrictEqual({ Accept: "application/json" }); // not mutated
  });

  it("keeps the headers of a Request given as input", async () => {
    const fake = fakeFetch();
    await createAuthorizedFetch(
      provider,
      fake.impl,
    )(new Request(url, { headers: { "X-Trace": "1" } }));
    expect(fake.calls[0]!.headers.get("x-trace")).toBe("1");
    expect(fake.calls[0]!.headers.get("authorization")).toMatch(/^Bearer /);
  });

  it("reuses the cached token across requests", async () => {
    const fake = fakeFetch();
    const ascFetch = createAuthorizedFetch(provider, fake.impl);
    await ascFetch(url);
    await ascFetch(url);
    expect(fake.bearer(0)).toBe(fake.bearer(1));
    expect(sign).toHaveBeenCalledTimes(1);
  });

  it("on a 401, cancels that body, invalidates the token and retries once with a fresh one", async () => {
    const fake = fakeFetch(401);
    const response = await createAuthorizedFetch(provider, fake.impl)(url, {
      method: "POST",
      body: '{"data":{}}',
    });
    expect(response.status).toBe(200);
    expect(fake.impl).toHaveBeenCalledTimes(2);
    expect(fake.cancelled).toStrictEqual([true]);
    expect(fake.bearer(1)).not.toBe(fake.bearer(0));
    expect(fake.calls[1]!.init?.body).toBe('{"data":{}}');
    expect(sign).toHaveBeenCalledTimes(2);
    expect(await provider.getToken()).toBe(fake.bearer(1)); // the fresh token is cached
  });

  it("retries only once: a second 401 is returned", async () => {
    const fake = fakeFetch(401, 401);
    const response = await createAuthorizedFetch(provider, fake.impl)(url);
    expect(response.status).toBe(401);
    expect(fake.impl).toHaveBeenCalledTimes(2);
  });

  it.each([403, 429, 500])("does not retry a %i", async (status) => {
    const fake = fakeFetch(status);
    expect((await createAuthorizedFetch(provider, fake.impl)(url)).status).toBe(status);
    expect(fake.impl).toHaveBeenCalledTimes(1);
  });

  it("does not retry a request whose body is a stream (it cannot be sent twice)", async () => {
    const fake = fakeFetch(401);
    const body = new ReadableStream({
      start: (c) => {
        c.close();
      },
    });
    const response = await createAuthorizedFetch(provider, fake.impl)(url, {
      method: "POST",
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(401);
    expect(fake.impl).toHaveBeenCalledTimes(1);
  });

  it.each([
    [
      "an async iterable",
      () =>
        (async function* () {
          await Promise.resolve();
          yield new TextEncoder().encode("{}");
        })(),
    ],
    ["a Node Readable", () => Readable.from([new TextEncoder().encode("{}")])],
  ])("does not retry a request whose body is %s (it cannot be sent twice)", async (_, body) => {
    const fake = fakeFetch(401);
    const response = await createAuthorizedFetch(provider, fake.impl)(url, {
      method: "POST",
      body: body(),
      duplex: "half",
    } as unknown as RequestInit);
    expect(response.status).toBe(401);
    expect(fake.impl).toHaveBeenCalledTimes(1);
  });

  it.each([
    ["URLSearchParams", () => new URLSearchParams({ a: "1" }), "a=1"],
    ["bytes", () => new TextEncoder().encode("{}"), "{}"],
    ["a Blob", () => new Blob(["{}"]), "{}"],
  ])("retries a request whose body is %s, sending it again", async (_, body, text) => {
    const fake = fakeFetch(401);
    const response = await createAuthorizedFetch(provider, fake.impl)(url, {
      method: "POST",
      body: body(),
    });
    expect(response.status).toBe(200);
    expect(fake.impl).toHaveBeenCalledTimes(2);
    expect(
      await new Request(url, { method: "POST", body: fake.calls[1]!.init!.body! }).text(),
    ).toBe(text);
  });

  it("does not retry a Request with a body (a stream: a copy to resend would hold it all in memory)", async () => {
    const fake = fakeFetch(401);
    const request = new Request(url, { method: "POST", body: '{"data":{}}' });
    const response = await createAuthorizedFetch(provider, fake.impl)(request);
    expect(response.status).toBe(401);
    expect(fake.impl).toHaveBeenCalledTimes(1);
    expect(fake.calls[0]!.input).toBe(request);
  });

  it("retries a bodiless Request (a GET) with the same Request", async () => {
    const fake = fakeFetch(401);
    const request = new Request(url);
    const response = await createAuthorizedFetch(provider, fake.impl)(request);
    expect(response.status).toBe(200);
    expect(fake.calls.map((call) => call.input)).toStrictEqual([request, request]);
  });

  it("keeps the headers of a Request of another class or realm (a polyfill's, undici's)", async () => {
    const fake = fakeFetch();
    const real = new Request(url, { headers: { "X-Trace": "1" } });
    // Not a global Request: instanceof fails, as for undici's Request or another realm's.
    const foreign = {
      url: real.url,
      method: real.method,
      headers: real.headers,
      body: null,
      clone: () => foreign,
    };
    expect(foreign instanceof Request).toBe(false);
    await createAuthorizedFetch(provider, fake.impl)(foreign as unknown as Request);
    expect(fake.calls[0]!.headers.get("x-trace")).toBe("1");
    expect(fake.calls[0]!.headers.get("authorization")).toMatch(/^Bearer /);
  });

  it("concurrent 401s for the same token cause one new signature, not one each", async () => {
    const fake = fakeFetch(401, 401, 401);
    const ascFetch = createAuthorizedFetch(provider, fake.impl);
    await provider.getToken();
    const responses = await Promise.all([ascFetch(url), ascFetch(url), ascFetch(url)]);
    expect(responses.map((r) => r.status)).toStrictEqual([200, 200, 200]);
    expect(sign).toHaveBeenCalledTimes(2);
    expect(new Set([3, 4, 5].map(fake.bearer)).size).toBe(1);
  });

  it("uses the global fetch by default, looked up at call time", async () => {
    const ascFetch = createAuthorizedFetch(provider);
    const fake = fakeFetch();
    vi.stubGlobal("fetch", fake.impl);
    await ascFetch(url);
    expect(fake.impl).toHaveBeenCalledTimes(1);
  });

  it("a token failure rejects the request without calling fetch", async () => {
    const fake = fakeFetch();
    const broken = createAscTokenProvider({ keyId: "2X9R4HXF34", privateKey: "" });
    await expect(createAuthorizedFetch(broken, fake.impl)(url)).rejects.toMatchObject({
      code: "KEY_MISSING",
    });
    expect(fake.impl).not.toHaveBeenCalled();
  });
});
