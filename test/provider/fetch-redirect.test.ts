// createAuthorizedFetch follows redirects itself: the bearer token never reaches another origin,
// whatever fetchImpl would do. node-fetch 3 keeps Authorization on a redirect to the same host
// name on another port (its rule is "same domain or a subdomain"); two local servers on two ports
// are two origins, and the second records every request it gets.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nodeFetch from "node-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthorizedFetch, type FetchLike, type TokenProvider } from "../../src/index.js";

interface Seen {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

const read = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      resolve(body);
    });
  });

/** A server recording what it gets; `route` answers [status, Location?] for a path. */
const serve = async (
  route: (path: string) => [number, string?],
): Promise<{ server: Server; origin: string; seen: Seen[] }> => {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    void read(req).then((body) => {
      const path = req.url ?? "/";
      seen.push({
        method: req.method ?? "",
        path,
        authorization: req.headers.authorization,
        contentType: req.headers["content-type"],
        body,
      });
      const [status, location] = route(path);
      res.writeHead(status, location === undefined ? {} : { Location: location });
      res.end(status === 200 ? "ok" : "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${String(port)}`, seen };
};

const TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl";
const provider = (): TokenProvider & { invalidated: string[] } => {
  const invalidated: string[] = [];
  return {
    invalidated,
    getToken: () => Promise.resolve(TOKEN),
    getTokenInfo: () => Promise.resolve({ token: TOKEN, issuedAt: 0, expiresAt: 1 }),
    invalidate: (token?: string) => void invalidated.push(token ?? ""),
    authorization: () => Promise.resolve(`Bearer ${TOKEN}`),
  };
};

let apple: Awaited<ReturnType<typeof serve>>;
let other: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  other = await serve((path) =>
    path === "/back" ? [302, `${apple.origin}/final`] : path === "/401" ? [401] : [200],
  );
  apple = await serve((path) => {
    const [, status, where] = /^\/(\d{3})\/(\w+)/.exec(path) ?? [];
    if (status === undefined) return [200];
    const target =
      where === "same"
        ? "/final"
        : where === "back"
          ? `${other.origin}/back`
          : where === "loop"
            ? path
            : `${other.origin}/${where ?? ""}`;
    return [Number(status), target];
  });
});
afterAll(async () => {
  for (const { server } of [apple, other]) {
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  }
});

const IMPLS: [string, FetchLike][] = [
  ["node-fetch 3", nodeFetch as unknown as FetchLike],
  ["the global fetch", (input, init) => fetch(input, init)],
];

describe.each(IMPLS)("with %s", (_, impl) => {
  const ascFetch = createAuthorizedFetch(provider(), impl);
  const otherSince = () => {
    const start = other.seen.length;
    return () => other.seen.slice(start);
  };

  it.each([301, 302, 303, 307, 308])(
    "a %i to another origin (another port) is followed without the token",
    async (status) => {
      const seen = otherSince();
      const response = await ascFetch(`${apple.origin}/${String(status)}/final`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("ok");
      expect(seen()).toMatchObject([{ path: "/final", authorization: undefined }]);
      expect(apple.seen.at(-1)?.authorization).toBe(`Bearer ${TOKEN}`);
    },
  );

  it("a redirect within the origin keeps the token", async () => {
    const start = apple.seen.length;
    const response = await ascFetch(`${apple.origin}/302/same`);
    expect(response.status).toBe(200);
    expect(apple.seen.slice(start).map((s) => [s.path, s.authorization])).toStrictEqual([
      ["/302/same", `Bearer ${TOKEN}`],
      ["/final", `Bearer ${TOKEN}`],
    ]);
  });

  it("once dropped, the token stays dropped, even back on the first origin", async () => {
    const start = apple.seen.length;
    const response = await ascFetch(`${apple.origin}/307/back`);
    expect(response.status).toBe(200);
    expect(apple.seen.slice(start).map((s) => s.authorization)).toStrictEqual([
      `Bearer ${TOKEN}`,
      undefined,
    ]);
  });

  it("a 303 turns a POST into a GET without its body; a 307 keeps both", async () => {
    const seen = otherSince();
    const post = {
      method: "POST",
      body: '{"a":1}',
      headers: { "Content-Type": "application/json" },
    };
    await ascFetch(`${apple.origin}/303/final`, post);
    await ascFetch(`${apple.origin}/307/final`, post);
    await ascFetch(`${apple.origin}/302/final`, post);
    expect(seen().map((s) => [s.method, s.body, s.contentType, s.authorization])).toStrictEqual([
      ["GET", "", undefined, undefined],
      ["POST", '{"a":1}', "application/json", undefined],
      ["GET", "", undefined, undefined],
    ]);
  });

  it("a 307 whose body cannot be sent again is returned as it is", async () => {
    const seen = otherSince();
    const body = new ReadableStream({
      start: (c) => {
        c.enqueue(new TextEncoder().encode("{}"));
        c.close();
      },
    });
    const response = await ascFetch(`${apple.origin}/307/final`, {
      method: "POST",
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(307);
    expect(seen()).toStrictEqual([]);
  });

  it("a 401 from another origin is no reason to drop the token", async () => {
    const p = provider();
    const response = await createAuthorizedFetch(p, impl)(`${apple.origin}/302/401`);
    expect(response.status).toBe(401);
    expect(p.invalidated).toStrictEqual([]);
  });

  it('redirect: "manual" from the caller: the redirect is the answer', async () => {
    const seen = otherSince();
    const response = await ascFetch(`${apple.origin}/302/final`, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(seen()).toStrictEqual([]);
  });

  it("a redirect loop ends with TOO_MANY_REDIRECTS after 20", async () => {
    const start = apple.seen.length;
    await expect(ascFetch(`${apple.origin}/302/loop`)).rejects.toMatchObject({
      code: "TOO_MANY_REDIRECTS",
    });
    expect(apple.seen.length - start).toBe(21);
  });
});

it("a Request as input: followed to another origin without the token", async () => {
  const seen = other.seen.length;
  const response = await createAuthorizedFetch(provider())(
    new Request(`${apple.origin}/301/final`, { headers: { "X-Trace": "1" } }),
  );
  expect(response.status).toBe(200);
  expect(other.seen.slice(seen)).toMatchObject([{ path: "/final", authorization: undefined }]);
});
