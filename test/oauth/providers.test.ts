// The Apple Business/School Manager and Apple Ads access-token providers, against a real HTTP
// server on 127.0.0.1 that plays Apple's token endpoints (reached through fetchImpl, which keeps
// the path and records the host asked for).
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type AscTokenError,
  type FetchLike,
  createAppleAdsTokenProvider,
  createAppleBusinessManagerTokenProvider,
  createAuthorizedFetch,
  createMemoryStore,
} from "../../src/index.js";
import { retryAfter } from "../../src/oauth/exchange.js";
import { ABM_CLIENT, ADS_CLIENT, ADS_TEAM, NOW, PORTAL_KEY_ID, key } from "../helpers/kinds.js";
import { decodeToken, verifies } from "../helpers/verify.js";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let origin = "";
let answer: Handler;
/** Each exchange: the URL asked for, the headers and the form. */
let exchanges: { url: string; headers: IncomingMessage["headers"]; form: URLSearchParams }[];
/** Each API call: its headers. */
let calls: IncomingMessage["headers"][];
let hold: boolean;
let waiting: (() => void)[];
let issued = 0;
let clock = NOW;
const now = () => clock;

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
const fresh =
  (expires_in: unknown = 3600): Handler =>
  (req, res, body) => {
    json(200, { access_token: `access-${String(++issued)}`, token_type: "Bearer", expires_in })(
      req,
      res,
      body,
    );
  };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.url === "/auth/oauth2/token" && req.method === "POST") {
        exchanges.push({
          url: req.headers["x-asked-for"] as string,
          headers: req.headers,
          form: new URLSearchParams(body),
        });
        const run = () => {
          answer(req, res, body);
        };
        if (hold) waiting.push(run);
        else run();
        return;
      }
      calls.push(req.headers);
      const ok = req.headers.authorization === `Bearer access-${String(issued)}`;
      json(ok ? 200 : 401, ok ? { data: [] } : {})(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  answer = fresh();
  exchanges = [];
  calls = [];
  hold = false;
  waiting = [];
  issued = 0;
  clock = NOW;
});

/** fetch to the local server, keeping the path; the URL asked for goes in a header. */
const local: FetchLike = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const headers = new Headers(init?.headers);
  headers.set("x-asked-for", url.href);
  return fetch(`${origin}${url.pathname}${url.search}`, { ...init, headers });
};
const abm = (extra: Record<string, unknown> = {}) =>
  createAppleBusinessManagerTokenProvider({
    clientId: ABM_CLIENT,
    keyId: PORTAL_KEY_ID,
    privateKey: key().applePem,
    scope: "business.api",
    now,
    fetchImpl: local,
    ...extra,
  } as never);
const ads = (extra: Record<string, unknown> = {}) =>
  createAppleAdsTokenProvider({
    clientId: ADS_CLIENT,
    teamId: ADS_TEAM,
    keyId: PORTAL_KEY_ID,
    privateKey: key().sec1Pem,
    now,
    fetchImpl: local,
    ...extra,
  });
const rejection = async (promise: Promise<unknown>): Promise<AscTokenError> => {
  try {
    await promise;
  } catch (error) {
    return error as AscTokenError;
  }
  throw new Error("expected a rejection");
};

describe("the exchange Apple documents", () => {
  /** The form a provider must post, in Apple's order; `jwt` names the field holding its JWT. */
  it.each([
    {
      name: "Business Manager",
      make: abm,
      url: "https://account.apple.com/auth/oauth2/token",
      fields: {
        grant_type: "client_credentials",
        client_id: ABM_CLIENT,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: "a JWT",
        scope: "business.api",
      },
      jwt: "client_assertion",
      claims: {
        iss: ABM_CLIENT,
        sub: ABM_CLIENT,
        aud: "https://account.apple.com/auth/oauth2/v2/token",
      },
    },
    {
      name: "Apple Ads",
      make: ads,
      url: "https://appleid.apple.com/auth/oauth2/token",
      fields: {
        grant_type: "client_credentials",
        client_id: ADS_CLIENT,
        client_secret: "a JWT",
        scope: "searchadsorg",
      },
      jwt: "client_secret",
      claims: { iss: ADS_TEAM, sub: ADS_CLIENT, aud: "https://appleid.apple.com" },
    },
  ])("$name: POST $url, exactly Apple's fields", async ({ make, url, fields, jwt, claims }) => {
    expect(await make().getToken()).toBe("access-1");
    expect(exchanges).toHaveLength(1);
    const [{ url: posted, headers, form }] = exchanges as [(typeof exchanges)[0]];
    expect(posted).toBe(url);
    expect(headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect([...form.keys()]).toStrictEqual(Object.keys(fields));
    for (const [field, value] of Object.entries(fields))
      if (field !== jwt) expect(form.get(field), field).toBe(value);
    const token = form.get(jwt) ?? "";
    expect(verifies(token, key().publicKey)).toBe(true);
    expect(decodeToken(token).claims).toMatchObject(claims);
  });

  it("School Manager: scope school.api", async () => {
    await abm({ scope: "school.api" }).getToken();
    expect(exchanges[0]?.form.get("scope")).toBe("school.api");
  });

  it("getTokenInfo: issued when asked, expiring expires_in later", async () => {
    expect(await ads().getTokenInfo()).toStrictEqual({
      token: "access-1",
      issuedAt: NOW / 1000,
      expiresAt: NOW / 1000 + 3600,
    });
  });
});

describe("caching", () => {
  it("one exchange for many callers, concurrent or not", async () => {
    const provider = abm();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => provider.getToken()));
    expect(new Set(tokens)).toStrictEqual(new Set(["access-1"]));
    clock += 3000 * 1000;
    expect(await provider.getToken()).toBe("access-1");
    expect(exchanges).toHaveLength(1);
  });

  it("a new exchange refreshBefore (300 s) before expires_in", async () => {
    const provider = abm();
    await provider.getToken();
    clock += (3600 - 300) * 1000;
    expect(await provider.getToken()).toBe("access-2");
    expect(exchanges).toHaveLength(2);
  });

  it("expires_in is believed up to an hour: 2^53 is cut to 3600", async () => {
    answer = fresh(2 ** 53 - 1);
    const info = await ads().getTokenInfo();
    expect(info.expiresAt - info.issuedAt).toBe(3600);
  });

  it("a short expires_in is reused for half its life", async () => {
    answer = fresh(100);
    const provider = ads();
    await provider.getToken();
    clock += 49_000;
    expect(await provider.getToken()).toBe("access-1");
    clock += 2000;
    expect(await provider.getToken()).toBe("access-2");
  });

  it("invalidate(token) drops it once; createAuthorizedFetch retries a 401 with a new one", async () => {
    const provider = ads();
    const adsFetch = createAuthorizedFetch(provider, local);
    await provider.getToken();
    issued++; // Apple's API now accepts only the next token.
    const response = await adsFetch("https://api.searchads.apple.com/api/v5/campaigns", {
      headers: { "X-AP-Context": "orgId=40669820" },
    });
    expect(response.status).toBe(200);
    expect(exchanges).toHaveLength(2);
    expect(calls.map((h) => h["x-ap-context"])).toStrictEqual(["orgId=40669820", "orgId=40669820"]);
  });
});

describe("Apple's refusals, as codes", () => {
  it.each([
    ["400 invalid_client", json(400, { error: "invalid_client" }), "OAUTH_INVALID_CLIENT"],
    ["401 without a body", json(401, ""), "OAUTH_INVALID_CLIENT"],
    ["400 invalid_scope", json(400, { error: "invalid_scope" }), "OAUTH_INVALID_SCOPE"],
    ["400 invalid_grant", json(400, { error: "invalid_grant" }), "OAUTH_INVALID_REQUEST"],
    [
      "400 unsupported_grant_type",
      json(400, { error: "unsupported_grant_type" }),
      "OAUTH_INVALID_REQUEST",
    ],
    ["500", json(500, "<html>oops</html>"), "OAUTH_UNAVAILABLE"],
    [
      "503 with an OAuth body",
      json(503, { error: "temporarily_unavailable" }),
      "OAUTH_UNAVAILABLE",
    ],
    ["302 elsewhere", json(302, "", { location: "https://example.com/" }), "OAUTH_UNAVAILABLE"],
    ["200 not JSON", json(200, "<html>"), "OAUTH_RESPONSE_MALFORMED"],
    ["200 a JSON array", json(200, "[]"), "OAUTH_RESPONSE_MALFORMED"],
    ["200 without access_token", json(200, { expires_in: 3600 }), "OAUTH_RESPONSE_MALFORMED"],
    [
      "200 with an empty access_token",
      json(200, { access_token: "", expires_in: 3600 }),
      "OAUTH_RESPONSE_MALFORMED",
    ],
    [
      "200 token_type mac",
      json(200, { access_token: "a", token_type: "mac", expires_in: 3600 }),
      "OAUTH_RESPONSE_MALFORMED",
    ],
    [
      "200 expires_in a string",
      json(200, { access_token: "a", expires_in: "3600" }),
      "OAUTH_RESPONSE_MALFORMED",
    ],
    [
      "200 expires_in 0",
      json(200, { access_token: "a", expires_in: 0 }),
      "OAUTH_RESPONSE_MALFORMED",
    ],
    [
      "200 a 100 KB body",
      json(200, `{"access_token":"${"a".repeat(100_000)}","expires_in":3600}`),
      "OAUTH_RESPONSE_MALFORMED",
    ],
  ])("%s → %s, never showing the client secret", async (_, handler, code) => {
    answer = handler;
    const error = await rejection(abm().getToken());
    expect(error.code).toBe(code);
    const assertion = exchanges[0]?.form.get("client_assertion") ?? "";
    expect(assertion.length).toBeGreaterThan(100);
    for (const part of assertion.split(".")) {
      expect(JSON.stringify({ m: error.message, s: error.stack })).not.toContain(part.slice(0, 20));
    }
  });

  it("Apple's error name is in the message", async () => {
    answer = json(400, { error: "invalid_grant", error_description: "bad assertion" });
    const error = await rejection(ads().getToken());
    expect(error.message).toContain('"invalid_grant"');
    expect(error.message).toContain('"bad assertion"');
  });

  it("an error name that is no OAuth name is shown by the one rule: a token in it is measured", async () => {
    const token = "Ab-d_fGh".repeat(6);
    answer = json(400, { error: token, error_description: "\u202eevil" });
    const error = await rejection(ads().getToken());
    expect(error.message).toContain(`a string of ${token.length} characters`);
    expect(error.message).not.toContain("Ab-d");
    expect(error.message).not.toContain("\u202e");
  });

  it("a failed exchange is not cached: the next call asks again", async () => {
    answer = json(500, "");
    const provider = ads();
    await rejection(provider.getToken());
    answer = fresh();
    expect(await provider.getToken()).toBe("access-1");
  });
});

describe("429", () => {
  it("honours Retry-After: no request before it has passed, then asks again", async () => {
    answer = json(429, "", { "retry-after": "120" });
    const provider = abm();
    const first = await rejection(provider.getToken());
    expect(first.code).toBe("OAUTH_RATE_LIMITED");
    expect(first.message).toContain("Retry-After 120 s");
    clock += 60_000;
    expect((await rejection(provider.getToken())).code).toBe("OAUTH_RATE_LIMITED");
    expect(exchanges).toHaveLength(1);
    answer = fresh();
    clock += 61_000;
    expect(await provider.getToken()).toBe("access-1");
    expect(exchanges).toHaveLength(2);
  });

  it("without Retry-After: a backoff that doubles (5 s, 10 s, ...)", async () => {
    answer = json(429, "");
    const provider = ads();
    // [ms the clock moves, exchanges so far]: the first refusal, 5 s of backoff, then 10 s.
    const steps = [
      [0, 1],
      [4000, 1],
      [2000, 2],
      [9000, 2],
      [2000, 3],
    ] as const;
    for (const [ms, count] of steps) {
      clock += ms;
      expect((await rejection(provider.getToken())).code).toBe("OAUTH_RATE_LIMITED");
      expect(exchanges, `after ${String(ms)} ms more`).toHaveLength(count);
    }
  });

  it("serves the still-good token while Apple says 429, and tells onError", async () => {
    const errors: string[] = [];
    const provider = ads({ onError: (error: AscTokenError) => errors.push(error.code) });
    await provider.getToken();
    answer = json(429, "", { "retry-after": "30" });
    clock += 3400 * 1000;
    expect(await provider.getToken()).toBe("access-1");
    expect(errors).toStrictEqual(["OAUTH_RATE_LIMITED"]);
  });

  it("Retry-After as seconds or an HTTP date", () => {
    expect(retryAfter("120", 0)).toBe(120);
    expect(retryAfter(" 7 ", 0)).toBe(7);
    expect(retryAfter(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90);
    expect(retryAfter(new Date(NOW - 90_000).toUTCString(), NOW)).toBe(0);
    expect(retryAfter("soon", NOW)).toBeUndefined();
    expect(retryAfter(null, NOW)).toBeUndefined();
  });
});

describe("stale-while-error and timeouts", () => {
  it("a 5xx while the token is still good serves it; a later call retries", async () => {
    const errors: string[] = [];
    const provider = abm({ onError: (error: AscTokenError) => errors.push(error.code) });
    await provider.getToken();
    answer = json(503, "");
    clock += 3400 * 1000;
    expect(await provider.getToken()).toBe("access-1");
    expect(await provider.getToken()).toBe("access-1");
    expect(exchanges).toHaveLength(2); // within 5 s of the failure: not asked again
    answer = fresh();
    clock += 6000;
    expect(await provider.getToken()).toBe("access-2");
    expect(errors).toStrictEqual(["OAUTH_UNAVAILABLE"]);
  });

  it("a token with 30 s or less left is not served on error", async () => {
    const provider = abm();
    await provider.getToken();
    answer = json(503, "");
    clock += 3575 * 1000;
    expect((await rejection(provider.getToken())).code).toBe("OAUTH_UNAVAILABLE");
  });

  it("an answer that never comes: OAUTH_REQUEST_FAILED after timeout ms", async () => {
    hold = true;
    const started = Date.now();
    const error = await rejection(ads({ timeout: 200 }).getToken());
    expect(error.code).toBe("OAUTH_REQUEST_FAILED");
    expect(error.message).toContain("200 ms");
    expect(Date.now() - started).toBeLessThan(2000);
    for (const run of waiting) run();
  });

  it("a fetch that ignores the abort signal is not waited for", async () => {
    const never: FetchLike = () => new Promise<Response>(() => undefined);
    const error = await rejection(ads({ timeout: 100, fetchImpl: never }).getToken());
    expect(error.code).toBe("OAUTH_REQUEST_FAILED");
  });

  it("an answer that breaks off mid-body: OAUTH_REQUEST_FAILED", async () => {
    answer = (_, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"access_token":"acc');
      setTimeout(() => res.destroy(), 20);
    };
    expect((await rejection(abm().getToken())).code).toBe("OAUTH_REQUEST_FAILED");
  });

  it("authorization() is the Bearer header value", async () => {
    expect(await ads().authorization()).toBe("Bearer access-1");
  });

  it("no answer at all (a closed port): OAUTH_REQUEST_FAILED with the cause", async () => {
    const closed: FetchLike = (_input, init) => fetch("http://127.0.0.1:9/", init);
    const error = await rejection(abm({ fetchImpl: closed }).getToken());
    expect(error.code).toBe("OAUTH_REQUEST_FAILED");
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe("a fleet on one store", () => {
  it("twenty providers make one exchange", async () => {
    const store = createMemoryStore(now);
    const fleet = Array.from({ length: 20 }, () => abm({ store }));
    const tokens = await Promise.all(fleet.map((provider) => provider.getToken()));
    expect(new Set(tokens)).toStrictEqual(new Set(["access-1"]));
    expect(exchanges).toHaveLength(1);
    // An hour later: again one exchange.
    clock += 3400 * 1000;
    const later = await Promise.all(fleet.map((provider) => provider.getToken()));
    expect(new Set(later)).toStrictEqual(new Set(["access-2"]));
    expect(exchanges).toHaveLength(2);
  });

  it("Business and School Manager, or two clients, never share a token", async () => {
    const store = createMemoryStore(now);
    await abm({ store }).getToken();
    await abm({ store, scope: "school.api" }).getToken();
    await ads({ store }).getToken();
    expect(exchanges).toHaveLength(3);
    expect([...store.entries.keys()].filter((k) => !k.endsWith(":lease")).sort()).toStrictEqual([
      `asc-token:v1:apple-ads:${ADS_CLIENT}:searchadsorg`,
      `asc-token:v1:apple-business-manager:${ABM_CLIENT}:business.api`,
      `asc-token:v1:apple-business-manager:${ABM_CLIENT}:school.api`,
    ]);
  });

  it("a token refused with a 401 is not read back from the store", async () => {
    const store = createMemoryStore(now);
    const provider = ads({ store });
    const token = await provider.getToken();
    provider.invalidate(token);
    expect(await provider.getToken()).toBe("access-2");
  });

  it.each([
    ["not JSON", "access-9"],
    ["an expired token", JSON.stringify({ token: "x", issuedAt: 1, expiresAt: 2 })],
    [
      "a lifetime over an hour",
      JSON.stringify({ token: "x", issuedAt: NOW / 1000, expiresAt: NOW / 1000 + 7200 }),
    ],
    [
      "issued in the future",
      JSON.stringify({ token: "x", issuedAt: NOW / 1000 + 600, expiresAt: NOW / 1000 + 1200 }),
    ],
    [
      "a token with a space",
      JSON.stringify({ token: "a b", issuedAt: NOW / 1000, expiresAt: NOW / 1000 + 3600 }),
    ],
  ])("a planted value (%s) is never served, and is replaced", async (_, value) => {
    const store = createMemoryStore(now);
    await store.set(`asc-token:v1:apple-ads:${ADS_CLIENT}:searchadsorg`, value, 3_600_000);
    expect(await ads({ store }).getToken()).toBe("access-1");
  });

  it("a shared token issued up to a minute ahead of this clock (another machine's) is kept", async () => {
    const store = createMemoryStore(now);
    const issuedAt = clock / 1000 + 30;
    const value = JSON.stringify({ token: "shared", issuedAt, expiresAt: issuedAt + 3600 });
    await store.set(`asc-token:v1:apple-ads:${ADS_CLIENT}:searchadsorg`, value, 3_600_000);
    const provider = ads({ store });
    expect(await provider.getToken()).toBe("shared");
    clock += 10_000;
    expect(await provider.getToken()).toBe("shared");
    expect(exchanges).toHaveLength(0);
    expect(await store.get(`asc-token:v1:apple-ads:${ADS_CLIENT}:searchadsorg`)).toBe(value);
  });

  it("a store that fails: Apple is asked directly and onError told", async () => {
    const errors: string[] = [];
    const broken = {
      get: () => Promise.reject(new Error("down")),
      setIfAbsent: () => Promise.reject(new Error("down")),
      set: () => Promise.reject(new Error("down")),
    };
    const provider = abm({ store: broken, onError: (e: AscTokenError) => errors.push(e.code) });
    expect(await provider.getToken()).toBe("access-1");
    expect(errors).toContain("STORE_UNAVAILABLE");
  });
});

describe("options, checked on construction", () => {
  it.each([
    ["scope missing", () => abm({ scope: undefined }), "INVALID_SCOPE"],
    ["scope searchadsorg", () => abm({ scope: "searchadsorg" }), "INVALID_SCOPE"],
    ["a typo", () => ads({ clientID: ADS_CLIENT }), "UNKNOWN_OPTION"],
    ["scope on Apple Ads", () => ads({ scope: "searchadsorg" }), "UNKNOWN_OPTION"],
    ["timeout 0", () => ads({ timeout: 0 }), "INVALID_OPTIONS"],
    ["timeout over a minute", () => ads({ timeout: 60_001 }), "INVALID_OPTIONS"],
    ["fetchImpl a string", () => ads({ fetchImpl: "fetch" }), "INVALID_OPTIONS"],
    ["onError a string", () => ads({ onError: "log" }), "INVALID_OPTIONS"],
    [
      "store without set",
      () => ads({ store: { get: Date.now, setIfAbsent: Date.now } }),
      "INVALID_OPTIONS",
    ],
    ["refreshBefore -1", () => ads({ refreshBefore: -1 }), "INVALID_REFRESH_BEFORE"],
    ["a bad clientId", () => abm({ clientId: "abc" }), "INVALID_CLIENT_ID"],
    ["a bad teamId", () => ads({ teamId: "DEF123GHIJ" }), "INVALID_TEAM_ID"],
    ["a bad keyId", () => ads({ keyId: " " }), "INVALID_KEY_ID"],
    ["a bad clock", () => ads({ now: () => 0 }), "INVALID_NOW"],
    ["options null", () => createAppleAdsTokenProvider(null as never), "INVALID_OPTIONS"],
  ])("%s → %s", (_, build, code) => {
    expect(build).toThrow(expect.objectContaining({ code }) as Error);
  });

  it("a bad key rejects the first getToken, not the constructor", async () => {
    const provider = ads({ privateKey: "not a key" });
    expect((await rejection(provider.getToken())).code).toBe("KEY_MALFORMED");
  });
});
