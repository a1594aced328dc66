// The Maps Server API access-token provider, against a real HTTP server on 127.0.0.1 that plays
// Apple's GET /v1/token (and one Maps endpoint), reached through fetchImpl.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type MapsAccessTokenProviderOptions,
  createAuthorizedFetch,
  createMapsAccessTokenProvider,
} from "../../src/index.js";
import { NOW, key, keyId, opened, teamId } from "../helpers/kinds.js";
import { DEFAULT_REFRESH_BEFORE } from "../../src/lib/defaults.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let origin = "";
/** What the server does with the next request to /v1/token. */
let answer: Handler;
/** Requests to /v1/token: the Authorization header of each. */
let exchanges: string[];
/** Requests to /v1/token that are still open. */
let waiting: (() => void)[];
/** Whether /v1/token answers at once or waits for release(). */
let hold: boolean;

const json =
  (status: number, body: unknown): Handler =>
  (_, res) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
let issued = 0;
/** Answers each exchange with a new access token ("access-1", "access-2", ...). */
const fresh =
  (expiresInSeconds = 1800): Handler =>
  (req, res) => {
    json(200, { accessToken: `access-${String(++issued)}`, expiresInSeconds })(req, res);
  };

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/v1/token" && req.method === "GET") {
      exchanges.push(req.headers.authorization ?? "");
      const run = () => {
        answer(req, res);
      };
      if (hold) waiting.push(run);
      else run();
      return;
    }
    // A Maps endpoint that accepts only the latest access token.
    const ok = req.headers.authorization === `Bearer access-${String(issued)}`;
    json(ok ? 200 : 401, ok ? { results: [] } : { error: { message: "Not Authorized" } })(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** URLs the provider asked for, before they are sent to the local server instead. */
let requested: string[];
const toLocal = (input: RequestInfo | URL, init?: RequestInit) => {
  const url = new URL(input instanceof Request ? input.url : input);
  requested.push(url.href);
  return fetch(`${origin}${url.pathname}${url.search}`, init);
};

let clock: number;
const provider = (extra: Partial<MapsAccessTokenProviderOptions> = {}) =>
  createMapsAccessTokenProvider({
    keyId,
    teamId,
    privateKey: key().applePem,
    scope: "server_api",
    now: () => clock,
    fetchImpl: toLocal,
    ...extra,
  });

/** The error `promise` rejects with (the test fails if it resolves). */
const rejection = (promise: Promise<unknown>): Promise<Error & { code?: string }> =>
  promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error as Error & { code?: string },
  );

beforeEach(() => {
  exchanges = [];
  requested = [];
  waiting = [];
  hold = false;
  answer = fresh();
  clock = NOW;
});

describe("createMapsAccessTokenProvider", () => {
  it("sends a MapKit JWT to GET https://maps-api.apple.com/v1/token and returns the access token", async () => {
    const maps = provider();
    const token = await maps.getToken();
    expect(token).toBe(`access-${String(issued)}`);
    expect(requested).toStrictEqual(["https://maps-api.apple.com/v1/token"]);
    expect(exchanges).toHaveLength(1);
    const [scheme, jwt = ""] = (exchanges[0] ?? "").split(" ");
    expect(scheme).toBe("Bearer");
    const sent = opened(jwt); // verified with node:crypto
    expect(sent.header).toMatchObject({ alg: "ES256", kid: keyId, typ: "JWT" });
    expect(sent.claims).toMatchObject({ iss: teamId, scope: "server_api" });
    expect(await maps.authorization()).toBe(`Bearer ${token}`);
  });

  it("reuses the access token until refreshBefore seconds before expiresInSeconds run out", async () => {
    const maps = provider({ refreshBefore: 120 });
    const first = await maps.getTokenInfo();
    expect(first).toStrictEqual({
      token: expect.any(String) as unknown,
      issuedAt: NOW / 1000,
      expiresAt: NOW / 1000 + 1800,
    });
    expect(Object.isFrozen(first)).toBe(true);
    clock = NOW + (1800 - 121) * 1000;
    expect(await maps.getTokenInfo()).toBe(first);
    clock = NOW + (1800 - 120) * 1000;
    const second = await maps.getTokenInfo();
    expect(second.token).not.toBe(first.token);
    expect(exchanges).toHaveLength(2);
  });

  it("keeps every provider's default margin (DEFAULT_REFRESH_BEFORE), never over half a short lifetime", async () => {
    /** At `seconds` after NOW, `maps` has exchanged its token `count` times in all. */
    const at = async (maps: { getToken(): Promise<string> }, seconds: number, count: number) => {
      clock = NOW + seconds * 1000;
      await maps.getToken();
      expect(exchanges, `${String(seconds)} s`).toHaveLength(count);
    };
    const maps = provider();
    await at(maps, 0, 1);
    await at(maps, 1800 - DEFAULT_REFRESH_BEFORE - 1, 1);
    await at(maps, 1800 - DEFAULT_REFRESH_BEFORE, 2);

    answer = fresh(30);
    const short = provider({ refreshBefore: 600 });
    await at(short, 0, 3);
    await at(short, 14, 3);
    await at(short, 15, 4);
  });

  it("serves concurrent callers with one exchange", async () => {
    hold = true;
    const maps = provider();
    const all = Promise.all(Array.from({ length: 20 }, () => maps.getToken()));
    await expect.poll(() => waiting.length).toBe(1);
    waiting.shift()?.();
    const tokens = await all;
    expect(new Set(tokens).size).toBe(1);
    expect(exchanges).toHaveLength(1);
  });

  it("invalidate(token) drops that token only; invalidate() during an exchange keeps it uncached", async () => {
    const maps = provider();
    const first = await maps.getToken();
    maps.invalidate("some other token");
    expect(await maps.getToken()).toBe(first);
    maps.invalidate(first);
    const second = await maps.getToken();
    expect(second).not.toBe(first);

    maps.invalidate();
    hold = true;
    const during = maps.getToken();
    await expect.poll(() => waiting.length).toBe(1);
    maps.invalidate();
    hold = false;
    waiting.shift()?.();
    const third = await during;
    expect(await maps.getToken(), "the exchange invalidated mid-flight is not cached").not.toBe(
      third,
    );
    expect(exchanges).toHaveLength(4);
  });

  it("with createAuthorizedFetch, a 401 from a Maps endpoint gets one new access token", async () => {
    const maps = provider();
    const stale = await maps.getToken();
    issued++; // the Maps endpoint now refuses `stale`
    const mapsFetch = createAuthorizedFetch(maps, toLocal);
    const response = await mapsFetch("https://maps-api.apple.com/v1/search?q=coffee");
    expect(response.status).toBe(200);
    expect(await maps.getToken()).not.toBe(stale);
    expect(requested).toContain("https://maps-api.apple.com/v1/search?q=coffee");
  });

  it.each([
    [401, "Apple refused the Maps token"],
    [429, "too many requests"],
    [500, "call again later"],
  ])("MAPS_TOKEN_REFUSED for %i, naming the status, never the JWT", async (status, words) => {
    answer = json(status, { error: { message: "nope" } });
    const error = await rejection(provider().getToken());
    expect(error.code).toBe("MAPS_TOKEN_REFUSED");
    expect(error.message).toContain(`answered ${String(status)}`);
    expect(error.message).toContain(words);
    const jwt = (exchanges[0] ?? "").slice("Bearer ".length);
    expect(jwt.length).toBeGreaterThan(100);
    expect(`${error.message} ${error.stack ?? ""} ${JSON.stringify(error)}`).not.toContain(
      jwt.split(".")[2],
    );
  });

  it.each([
    ["a body that is not JSON", "<html>", "not JSON"],
    ["no accessToken", { expiresInSeconds: 1800 }, "accessToken"],
    ["an empty accessToken", { accessToken: "", expiresInSeconds: 1800 }, "accessToken"],
    ["expiresInSeconds 0", { accessToken: "secret-access", expiresInSeconds: 0 }, "got 0"],
    [
      "expiresInSeconds a string",
      { accessToken: "secret-access", expiresInSeconds: "1800" },
      'got "1800"',
    ],
    ["null", null, "accessToken"],
  ])("MAPS_TOKEN_RESPONSE_MALFORMED for %s", async (_name, body, words) => {
    answer = json(200, body);
    const error = await rejection(provider().getToken());
    expect(error.code).toBe("MAPS_TOKEN_RESPONSE_MALFORMED");
    expect(error.message).toContain(words);
    expect(error.message).not.toContain("secret-access");
  });

  it("MAPS_TOKEN_REQUEST_FAILED when no answer comes, with the fetch error as cause; the next call tries again", async () => {
    const refusal = new TypeError("fetch failed");
    let down = true;
    const maps = provider({
      fetchImpl: (input, init) => (down ? Promise.reject(refusal) : toLocal(input, init)),
    });
    const error = await rejection(maps.getToken());
    expect(error).toMatchObject({ code: "MAPS_TOKEN_REQUEST_FAILED", cause: refusal });
    down = false;
    expect(await maps.getToken()).toMatch(/^access-/);
  });

  it("MAPS_TOKEN_REQUEST_FAILED from a closed port, through the real fetch", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const maps = provider({
      fetchImpl: (_input, init) => fetch(`http://127.0.0.1:${String(port)}/v1/token`, init),
    });
    expect((await rejection(maps.getToken())).code).toBe("MAPS_TOKEN_REQUEST_FAILED");
  });

  it("checks its own options and the MapKit options at once, the key on the first call", async () => {
    const code = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        return (error as { code?: string }).code;
      }
      return undefined;
    };
    expect(code(() => createMapsAccessTokenProvider(null as never))).toBe("INVALID_OPTIONS");
    expect(code(() => provider({ refreshBefore: -1 }))).toBe("INVALID_REFRESH_BEFORE");
    expect(code(() => provider({ refreshBefore: 1.5 }))).toBe("INVALID_REFRESH_BEFORE");
    expect(code(() => provider({ fetchImpl: "fetch" as never }))).toBe("INVALID_OPTIONS");
    expect(code(() => provider({ now: () => NOW / 1000 }))).toBe("INVALID_NOW");
    expect(code(() => provider({ teamId: "x" }))).toBe("INVALID_TEAM_ID");
    expect(code(() => provider({ onError: 1 as never }))).toBe("INVALID_OPTIONS");
    expect(code(() => provider({ mintTimeout: 0 }))).toBe("INVALID_OPTIONS");
    expect(code(() => provider({ refreshbefore: 1 } as never))).toBe("UNKNOWN_OPTION");
    expect((await rejection(provider({ privateKey: "" }).getToken())).code).toBe("KEY_MISSING");
    expect(exchanges).toHaveLength(0);
  });
});

describe("createMapsAccessTokenProvider on the providers' engine", () => {
  /** A 401/429/503 whose body cannot be cancelled: node-fetch 3's stream, or a locked body. */
  const uncancellable = (status: number, body: "node-fetch" | "locked") => () => {
    const response = new Response("{}", { status });
    if (body === "locked")
      response.body?.getReader(); // a locked stream's cancel() rejects
    else Object.defineProperty(response, "body", { value: { pipe: () => undefined } });
    return Promise.resolve(response);
  };
  it.each([
    [401, "node-fetch"],
    [429, "locked"],
    [503, "node-fetch"],
  ] as const)("a %i with a %s body: MAPS_TOKEN_REFUSED, not a TypeError", async (status, body) => {
    const error = await rejection(provider({ fetchImpl: uncancellable(status, body) }).getToken());
    expect(error).toMatchObject({ name: "AscTokenError", code: "MAPS_TOKEN_REFUSED" });
    expect(error.message).toContain(`answered ${String(status)}`);
  });

  it("a fetch that never answers rejects with MINT_TIMEOUT after mintTimeout; the next call tries again", async () => {
    hold = true;
    const maps = provider({ mintTimeout: 100 });
    const started = Date.now();
    const error = await rejection(maps.getToken());
    expect(error).toMatchObject({ code: "MINT_TIMEOUT" });
    expect(error.message).toMatch(/network or fetchImpl/);
    expect(Date.now() - started).toBeLessThan(2000);
    hold = false;
    for (const run of waiting) run();
    expect(await maps.getToken()).toMatch(/^access-/);
  });

  it("an expiresInSeconds of 2^53 is believed for 1800 s at most", async () => {
    answer = fresh(2 ** 53 - 1);
    const info = await provider().getTokenInfo();
    expect(info.expiresAt - info.issuedAt).toBe(1800);
  });

  it("a refresh that fails while the access token is good: served, onError told once", async () => {
    const errors: unknown[] = [];
    const maps = provider({ onError: (error) => errors.push(error) });
    const first = await maps.getToken();
    clock += (1800 - 60) * 1000; // at the refresh point, 60 s left
    answer = json(503, {});
    expect(await maps.getToken()).toBe(first);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "MAPS_TOKEN_REFUSED" });
    answer = fresh();
    clock += 10_000;
    expect(await maps.getToken()).not.toBe(first);
  });
});
