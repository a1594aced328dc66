// docs/verify.md's Worker example, run as written under miniflare (workerd) with notifications
// signed by asc-token/testing: a notification is answered 200, a forgery and garbage 400, a GET
// 405; a misconfigured Worker answers 500 to notifications (so that Apple retries), still 400 to
// garbage, and says what is wrong once, not once per request.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppleTestKit, createAppleTestKit } from "../../src/testing.js";
import { bundleForWorkers } from "../helpers/workers.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = `${root}.tmp/verify-worker/`;
const page = readFileSync(`${root}docs/verify.md`, "utf8");
const NAME = "webhook-worker.ts";
// The block's first line names the file and, as every Worker snippet's does, the runtime.
const FIRST_LINE = `// ${NAME} (Cloudflare Worker)`;
const example = Array.from(
  page.matchAll(/^```ts\n([\s\S]*?)^```/gm),
  (match) => match[1] ?? "",
).find((code) => code.startsWith(`${FIRST_LINE}\n`));

const BUNDLE_ID = "com.example.app";
const APP_APPLE_ID = "1234567890";

let script: string;
let kit: AppleTestKit;
let stranger: AppleTestKit;
const workers: Miniflare[] = [];

/** A Worker of the example with `bindings`, and what it logs. */
const start = (bindings: Record<string, string>) => {
  const logs: string[] = [];
  const collect = (stream: Readable) =>
    stream.on("data", (chunk: Buffer) => logs.push(...chunk.toString().split("\n")));
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2026-04-01",
    cf: false,
    bindings,
    handleRuntimeStdio: (stdout, stderr) => {
      collect(stdout);
      collect(stderr);
    },
  });
  workers.push(mf);
  const post = async (body: string, method = "POST") => {
    const response = await mf.dispatchFetch("http://localhost/", {
      method,
      ...(method === "POST" ? { body } : {}),
    });
    await response.arrayBuffer();
    return response.status;
  };
  return { post, logs };
};

const notificationBody = async (from: AppleTestKit = kit) =>
  JSON.stringify({ signedPayload: await from.signNotification() });

beforeAll(async () => {
  if (!example) throw new Error(`docs/verify.md has no \`${FIRST_LINE}\` block`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}${NAME}`, example);
  script = await bundleForWorkers(`${dir}${NAME}`);
  [kit, stranger] = await Promise.all([
    createAppleTestKit({ bundleId: BUNDLE_ID, environment: "Production" }),
    createAppleTestKit({ bundleId: BUNDLE_ID, environment: "Production" }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((mf) => mf.dispose()));
});

describe("docs/verify.md's Worker under miniflare", () => {
  it("answers a notification 200, a forgery and garbage 400, a GET 405", async () => {
    const { post, logs } = start({
      BUNDLE_ID,
      APPLE_ENVIRONMENT: "Production",
      APP_APPLE_ID,
      TEST_ROOT_CERTIFICATE: kit.rootCertificatePem,
    });
    expect(await post(await notificationBody())).toBe(200);
    expect(await post(await notificationBody())).toBe(200);
    expect(await post(await notificationBody(stranger))).toBe(400);
    for (const garbage of [
      "",
      "{",
      "null",
      "[]",
      '{"signedPayload":5}',
      '{"signedPayload":"a.b.c"}',
    ]) {
      expect(await post(garbage), garbage).toBe(400);
    }
    expect(await post("", "GET")).toBe(405);
    await expect
      .poll(() => logs.filter((line) => line.includes("refused notification")))
      .toHaveLength(2);
    expect(logs.some((line) => line.includes("misconfigured"))).toBe(false);
  }, 60_000);

  it("a Sandbox Worker refuses production data (400), and accepts sandbox data", async () => {
    const sandbox = await createAppleTestKit({ bundleId: BUNDLE_ID });
    const { post } = start({
      BUNDLE_ID,
      APPLE_ENVIRONMENT: "Sandbox",
      TEST_ROOT_CERTIFICATE: sandbox.rootCertificate,
    });
    expect(await post(await notificationBody(sandbox))).toBe(200);
    const production = await createAppleTestKit({ bundleId: BUNDLE_ID, environment: "Production" });
    const { post: postProduction } = start({
      BUNDLE_ID,
      APPLE_ENVIRONMENT: "Sandbox",
      TEST_ROOT_CERTIFICATE: production.rootCertificate,
    });
    expect(await postProduction(await notificationBody(production))).toBe(400);
  }, 60_000);

  it.each([
    ["no APP_APPLE_ID for Production", { BUNDLE_ID, APPLE_ENVIRONMENT: "Production" }],
    ["an environment in lower case", { BUNDLE_ID, APPLE_ENVIRONMENT: "production", APP_APPLE_ID }],
    ["an empty BUNDLE_ID", { BUNDLE_ID: "", APPLE_ENVIRONMENT: "Production", APP_APPLE_ID }],
  ])(
    "misconfigured (%s): 500 to notifications, 400 to garbage, said once",
    async (_, env) => {
      const { post, logs } = start({ ...env, TEST_ROOT_CERTIFICATE: kit.rootCertificatePem });
      expect(await post("garbage")).toBe(400);
      for (let i = 0; i < 3; i++) expect(await post(await notificationBody())).toBe(500);
      expect(await post("{}")).toBe(400);
      await expect.poll(() => logs.filter((line) => line.includes("misconfigured")).length).toBe(1);
      const said = logs.find((line) => line.includes("misconfigured")) ?? "";
      expect(said).toMatch(/INVALID_OPTIONS: /);
      // Give the logs time to show a second report, if the Worker made one.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(logs.filter((line) => line.includes("misconfigured"))).toHaveLength(1);
    },
    60_000,
  );
});
