// The provider, decode and doctor as a package user gets them, from the ESM and the CJS build.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { makeP256 } from "../helpers/keys.js";
import { verifies } from "../helpers/verify.js";

type Api = typeof import("../../src/index.js");
const require = createRequire(import.meta.url);
const built = existsSync(new URL("../../dist/index.cjs", import.meta.url));

describe.runIf(built)("built package: provider, decode, doctor", () => {
  it.each(["esm", "cjs"] as const)("%s build", async (kind) => {
    const api =
      kind === "esm"
        ? ((await import(new URL("../../dist/index.js", import.meta.url).href)) as Api)
        : (require("../../dist/index.cjs") as Api);
    const key = makeP256();
    const provider = api.createAscTokenProvider({
      keyId: "2X9R4HXF34",
      issuerId: "57246542-96fe-1a63-e053-0824d011072a",
      privateKey: key.applePem,
    });
    const token = await provider.getToken();
    expect(verifies(token, key.publicKey)).toBe(true);
    expect(await provider.getToken()).toBe(token);
    expect(api.decodeToken(token).header.kid).toBe("2X9R4HXF34");
    expect(api.checkAscToken(token)).toStrictEqual([]);
    expect(() => api.decodeToken("a.b")).toThrow(
      expect.objectContaining({ code: "TOKEN_MALFORMED" }),
    );
    expect(typeof api.createAuthorizedFetch(provider)).toBe("function");
  });
});
