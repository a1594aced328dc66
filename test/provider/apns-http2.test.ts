// docs/apple-tokens.md's node:http2 example, run as written against a local HTTP/2 server (h2c:
// the same HTTP/2 frames as APNs speaks, without TLS), which checks what APNs checks: the path,
// the bearer token (an APNs provider token, verified with the key's public half) and apns-topic.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http2";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makeP256 } from "../helpers/keys.js";
import { decodeToken, verifies } from "../helpers/verify.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const key = makeP256();
const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
const server = createServer((request, response) => {
  let body = "";
  request.setEncoding("utf8");
  request.on("data", (chunk: string) => (body += chunk));
  request.on("end", () => {
    seen.push({ headers: request.headers, body });
    const bad = request.headers[":path"] === "/3/device/bad";
    response.writeHead(bad ? 400 : 200, { "apns-id": "6584bedf-2ed0-4c01-93ed-c0c64a1670cc" });
    response.end(bad ? JSON.stringify({ reason: "BadDeviceToken" }) : "");
  });
});

interface Example {
  session: { close(): void };
  push(deviceToken: string, payload: object): Promise<number>;
}
let example: Example;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const doc = readFileSync(`${root}docs/apple-tokens.md`, "utf8");
  const code = /```ts\n(import \{ connect \} from "node:http2";[\s\S]*?)```/.exec(doc)?.[1];
  expect(code).toBeDefined();
  // The example as written, but for the server it talks to and the package it imports.
  const local = code!
    .replace('"https://api.push.apple.com"', JSON.stringify(`http://127.0.0.1:${String(port)}`))
    .replace('from "asc-token"', `from ${JSON.stringify(`${root}src/index.ts`)}`);
  expect(local).not.toBe(code);
  mkdirSync(`${root}.tmp`, { recursive: true });
  writeFileSync(`${root}.tmp/apns-http2-example.ts`, local);
  process.env.APNS_PRIVATE_KEY = key.applePem;
  example = (await import(`${root}.tmp/apns-http2-example.ts`)) as Example;
});

afterAll(async () => {
  example.session.close();
  await new Promise((resolve) => server.close(resolve));
});

it("pushes over HTTP/2 with the path, bearer provider token and apns-topic APNs checks", async () => {
  expect(await example.push("a1b2c3", { aps: { alert: "Hello" } })).toBe(200);
  const [first] = seen;
  expect(first?.headers[":method"]).toBe("POST");
  expect(first?.headers[":path"]).toBe("/3/device/a1b2c3");
  expect(first?.headers["apns-topic"]).toBe("com.example.app");
  expect(first?.headers["apns-push-type"]).toBe("alert");
  expect(JSON.parse(first!.body)).toStrictEqual({ aps: { alert: "Hello" } });
  const [scheme, token = ""] = String(first?.headers.authorization).split(" ");
  expect(scheme).toBe("bearer");
  expect(verifies(token, key.publicKey)).toBe(true);
  expect(decodeToken(token).header).toStrictEqual({ alg: "ES256", kid: "2X9R4HXF34" });
  expect(Object.keys(decodeToken(token).claims)).toStrictEqual(["iss", "iat"]);
  expect(decodeToken(token).claims.iss).toBe("DEF123GHIJ");
});

it("reuses the session and the token, and returns APNs's status for a refused push", async () => {
  expect(await example.push("bad", { aps: { alert: "Hello" } })).toBe(400);
  expect(seen).toHaveLength(2);
  expect(seen[1]?.headers.authorization).toBe(seen[0]?.headers.authorization);
});
