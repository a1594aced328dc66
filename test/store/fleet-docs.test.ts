// docs/fleet.md: its examples type-check in test/project/readme-examples.test.ts, with every other page's;
// here the two Cloudflare recipes run as written under miniflare (workerd):
// the Durable Object signs one token for 30 concurrent requests and keeps it across a restart;
// the Workers KV recipe's one provider per isolate hands every request the token it shares in KV.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import { makeP256 } from "../helpers/keys.js";
import { decodeToken, verifies } from "../helpers/verify.js";
import { bundleForWorkers } from "../helpers/workers.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = `${root}.tmp/fleet-docs/`;
const page = readFileSync(`${root}docs/fleet.md`, "utf8");
const blocks = Array.from(page.matchAll(/^```ts\n([\s\S]*?)^```/gm), (match) => ({
  line: page.slice(0, match.index).split("\n").length + 1,
  code: match[1] ?? "",
}));
/** The block whose first line is `// <name> (Cloudflare Worker)`. */
const recipe = (name: string): string => {
  const found = blocks.find((b) => b.code.startsWith(`// ${name} (Cloudflare Worker)\n`));
  if (!found) throw new Error(`docs/fleet.md has no \`// ${name} (Cloudflare Worker)\` block`);
  return found.code;
};

it("docs/fleet.md names every store export", () => {
  const names = [
    "createMemoryStore",
    "redisStore",
    "workersKvStore",
    "durableObjectStore",
    "TokenStore",
  ];
  for (const name of names) {
    expect(api, name).toHaveProperty(name === "TokenStore" ? "createMemoryStore" : name);
    expect(page).toContain(name);
  }
});

describe("the Cloudflare recipes under miniflare", () => {
  const key = makeP256();
  const KEY_ID = "2X9R4HXF34";
  const TEAM_ID = "DEF123GHIJ";
  const persist = mkdtempSync(join(tmpdir(), "asc-token-do-"));
  let script: string;
  let mf: Miniflare | undefined;

  const start = () =>
    new Miniflare({
      modules: true,
      script,
      compatibilityDate: "2026-04-01",
      cf: false,
      kvNamespaces: ["TOKENS"],
      durableObjects: { APNS_TOKEN: "ApnsTokenMinter" },
      durableObjectsPersist: persist,
      bindings: {
        ASC_KEY_ID: KEY_ID,
        ASC_ISSUER_ID: "57246542-96fe-1a63-e053-0824d011072a",
        ASC_PRIVATE_KEY: key.pkcs8Pem,
        APNS_KEY_ID: KEY_ID,
        APNS_TEAM_ID: TEAM_ID,
        APNS_PRIVATE_KEY: key.pkcs8Pem,
      },
    });
  const get = async (path: string): Promise<string> => {
    const response = await mf!.dispatchFetch(`http://localhost${path}`);
    const text = await response.text();
    if (!response.ok) throw new Error(`${path} answered ${String(response.status)}: ${text}`);
    return text;
  };

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}kv-worker.ts`, recipe("kv-worker.ts"));
    writeFileSync(`${dir}durable-object-worker.ts`, recipe("durable-object-worker.ts"));
    // The test's entry: the recipes as written, and a fetch handler that shows their tokens.
    writeFileSync(
      `${dir}entry.ts`,
      [
        'import { ascToken } from "./kv-worker.ts";',
        'import { apnsToken } from "./durable-object-worker.ts";',
        'export { ApnsTokenMinter } from "./durable-object-worker.ts";',
        "export default {",
        "  async fetch(request: Request, env: never): Promise<Response> {",
        "    const path = new URL(request.url).pathname;",
        '    return new Response(await (path === "/kv" ? ascToken(env) : apnsToken(env)));',
        "  },",
        "};",
      ].join("\n"),
    );
    script = await bundleForWorkers(`${dir}entry.ts`);
    mf = start();
  }, 60_000);

  afterAll(async () => {
    await mf?.dispose();
    rmSync(persist, { recursive: true, force: true });
  });

  it("Durable Object: 30 concurrent requests, one signing; the token survives a restart", async () => {
    const tokens = await Promise.all(Array.from({ length: 30 }, () => get("/do")));
    // ECDSA signatures are randomised: two signings could never give the same token.
    expect(new Set(tokens).size).toBe(1);
    const token = tokens[0]!;
    expect(verifies(token, key.publicKey)).toBe(true);
    expect(decodeToken(token).claims).toMatchObject({ iss: TEAM_ID });
    expect(decodeToken(token).header).toStrictEqual({ alg: "ES256", kid: KEY_ID });

    await mf!.dispose();
    mf = start(); // a new object instance, the same persisted storage
    expect(await get("/do")).toBe(token);
  }, 60_000);

  it("Workers KV: every request gets the one token shared in KV", async () => {
    const first = await get("/kv");
    expect(verifies(first, key.publicKey)).toBe(true);
    for (let i = 0; i < 5; i++) expect(await get("/kv")).toBe(first);
    // Typed by @cloudflare/workers-types, which is not installed: the two methods used here.
    const kv = (await mf!.getKVNamespace("TOKENS")) as unknown as {
      list(): Promise<{ keys: { name: string }[] }>;
      get(key: string): Promise<string | null>;
    };
    const { keys } = await kv.list();
    const storeKey = keys.map((k) => k.name).find((n) => !n.endsWith(":lease"));
    expect(storeKey).toMatch(/^asc-token:v1:createAscToken:2X9R4HXF34:[0-9a-f]{64}$/);
    expect(await kv.get(storeKey ?? "")).toBe(first);
  }, 30_000);
});
