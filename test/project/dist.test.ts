// The built files, as a package user gets them: ESM import and CJS require both mint tokens
// that node:crypto verifies, and errors from either build are recognised by either guard.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeP256, type P256Fixture } from "../helpers/keys.js";
import { decodeToken, verifies } from "../helpers/verify.js";

type Api = typeof import("../../src/index.js");
const require = createRequire(import.meta.url);
const built = existsSync(new URL("../../dist/index.cjs", import.meta.url));

let key: P256Fixture;
let esm: Api;
let cjs: Api;
beforeAll(async () => {
  key = makeP256();
  esm = (await import(new URL("../../dist/index.js", import.meta.url).href)) as Api;
  cjs = require("../../dist/index.cjs") as Api;
});

describe.runIf(built)("built package (run `npm run build` first; `npm test` does)", () => {
  it.each(["esm", "cjs"] as const)("%s build mints a verifiable token", async (kind) => {
    const api = kind === "esm" ? esm : cjs;
    const token = await api.createAscToken({
      keyId: "2X9R4HXF34",
      issuerId: "57246542-96fe-1a63-e053-0824d011072a",
      privateKey: key.applePem,
    });
    expect(verifies(token, key.publicKey)).toBe(true);
    expect(decodeToken(token).header).toStrictEqual({
      alg: "ES256",
      kid: "2X9R4HXF34",
      typ: "JWT",
    });
  });

  it("isAscTokenError works across the ESM and CJS builds", async () => {
    const fromEsm = await esm
      .createAscToken({ keyId: "bad", privateKey: key.applePem })
      .catch((e: unknown) => e);
    const fromCjs = await cjs
      .createAscToken({ keyId: "bad", privateKey: key.applePem })
      .catch((e: unknown) => e);
    expect(esm.AscTokenError).not.toBe(cjs.AscTokenError);
    for (const error of [fromEsm, fromCjs]) {
      expect(esm.isAscTokenError(error)).toBe(true);
      expect(cjs.isAscTokenError(error)).toBe(true);
      expect(error).toMatchObject({ code: "INVALID_KEY_ID" });
    }
  });

  it("a signerKey made by either build signs in the other", async () => {
    const { sign } = await import("node:crypto");
    const signer = {
      sign: (data: Uint8Array) =>
        Promise.resolve(sign("sha256", data, { key: key.privateKey, dsaEncoding: "der" })),
    };
    for (const [maker, minter] of [
      [esm, cjs],
      [cjs, esm],
    ] as const) {
      const token = await minter.createAscToken({
        keyId: "2X9R4HXF34",
        issuerId: "57246542-96fe-1a63-e053-0824d011072a",
        privateKey: maker.signerKey(signer),
      });
      expect(verifies(token, key.publicKey)).toBe(true);
    }
  });

  it("the ESM build, a file per source module, imports nothing from Node", async () => {
    const { readFile, readdir } = await import("node:fs/promises");
    const dist = new URL("../../dist/", import.meta.url);
    // Every ESM file of the library and the test kit: all but the command line's dist/cli.js.
    const files = (await readdir(dist, { recursive: true })).filter(
      (file) => file.endsWith(".js") && file !== "cli.js",
    );
    expect(files).toContain("index.js");
    expect(files).toContain("kinds/apns.js");
    for (const file of files) {
      const source = await readFile(new URL(file, dist), "utf8");
      expect(source, file).not.toMatch(
        /from\s+["'](node:|crypto|buffer|fs)|require\(|\bBuffer\.|\bprocess\./,
      );
    }
  });
});

it("the package has been built for the dist tests", () => {
  expect(built, "dist/ is missing: run npm run build").toBe(true);
});
