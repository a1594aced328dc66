import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { AscTokenError, createAscToken, isAscTokenError } from "../../src/index.js";

describe("AscTokenError", () => {
  it("carries name, code, message and cause", () => {
    const cause = new Error("inner");
    const error = new AscTokenError("KEY_MALFORMED", "privateKey is bad", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("AscTokenError");
    expect(error.code).toBe("KEY_MALFORMED");
    expect(error.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(error))).toStrictEqual({
      name: "AscTokenError",
      code: "KEY_MALFORMED",
    });
  });

  it("isAscTokenError tells it from other errors", async () => {
    const ours = await createAscToken({ keyId: "x", privateKey: "" }).catch((e: unknown) => e);
    expect(isAscTokenError(ours)).toBe(true);
    expect(isAscTokenError(new Error("x"))).toBe(false);
    expect(isAscTokenError(Object.assign(new Error("x"), { code: "X" }))).toBe(false);
    expect(isAscTokenError({ name: "AscTokenError", code: "X", message: "" })).toBe(false);
    expect(isAscTokenError(undefined)).toBe(false);
    expect(isAscTokenError({ name: "AscTokenError", code: "X", message: "", stack: "" })).toBe(
      false,
    );
    // An AscTokenError made in another realm (asc-token loaded in a vm context, an iframe).
    const foreign: unknown = runInNewContext(
      'Object.assign(new Error("m"), { name: "AscTokenError", code: "KEY_MISSING" })',
    );
    expect(foreign instanceof Error).toBe(false);
    expect(isAscTokenError(foreign)).toBe(true);
  });

  it("validates options before touching the key (no import for a bad keyId)", async () => {
    await expect(createAscToken({ keyId: "x", privateKey: "not a key" })).rejects.toMatchObject({
      code: "INVALID_KEY_ID",
    });
  });
});
