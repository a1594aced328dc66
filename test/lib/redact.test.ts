// redact.ts: the one rule for what any output shows of a value, and the causes that replace a
// store's or a signer's own error. Each "before" case names what one of the five older ways let
// through.
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AppleSigner, checkAscToken, createAscToken, signerKey } from "../../src/index.js";
import { safeEcho } from "../../src/cli/echo.js";
import { hasKeyMaterial, MAX_SHOWN, redactCause, showValue } from "../../src/lib/redact.js";
import { makeP256 } from "../helpers/keys.js";
import { expectNoKeyMaterial, forbiddenRuns } from "../helpers/no-leak.js";

const key = makeP256();
const body = key.appleDer.toString("base64");
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("showValue", () => {
  it.each([
    ["2X9R4HXF34", '"2X9R4HXF34"'],
    [issuerId, `"${issuerId}"`],
    ["appstoreconnect-v2", '"appstoreconnect-v2"'],
    ["com.example.MyApplicationName", '"com.example.MyApplicationName"'],
    [
      "GET /v1/apps?filter[bundleId]=com.example.app",
      '"GET /v1/apps?filter[bundleId]=com.example.app"',
    ],
    ['say "hi"', "a string of 8 characters"],
    [
      "ab ".repeat(MAX_SHOWN / 2).slice(0, MAX_SHOWN),
      JSON.stringify("ab ".repeat(MAX_SHOWN / 2).slice(0, MAX_SHOWN)),
    ],
    ["ab ".repeat(MAX_SHOWN), `a string of ${MAX_SHOWN * 3} characters`],
    ["café", "a string of 4 characters"],
    ["a\u202eb", "a string of 3 characters"],
    [42, "42"],
    [true, "boolean"],
    [null, "null"],
    [[], "an empty array"],
    [[1], "an array"],
    [{}, "object"],
    [undefined, "undefined"],
  ])("shows %j as %s", (value, shown) => {
    expect(showValue(value)).toBe(shown);
  });

  it("never shows key material or a token: base64, base64url and hex of random keys, JWTs", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const raw = Buffer.from(bytes);
        for (const text of [
          raw.toString("base64"),
          raw.toString("base64url"),
          raw.toString("hex"),
          `${b64({ alg: "ES256" })}.${b64({ iat: 1 })}.${raw.toString("base64url")}`,
        ]) {
          expect(hasKeyMaterial(text), text).toBe(true);
          expect(showValue(text)).toMatch(/^a string of \d+ characters$/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("a key's PEM, its body, a slice of its body in any slot: measured, never quoted", () => {
    for (const text of [key.applePem, body, body.slice(0, 40)]) {
      expect(showValue(text)).toMatch(/^a string of \d+ characters$/);
    }
  });
});

describe("every output uses it", () => {
  it("the doctor quotes no slice of a key in a finding (it quoted any string up to 40)", () => {
    const slice = body.slice(20, 60);
    const token = `${b64({ alg: "ES256", kid: slice, typ: "JWT" })}.${b64({ iss: slice })}.AAAA`;
    const findings = checkAscToken(token);
    expect(findings.length).toBeGreaterThan(0);
    for (const { message } of findings) expectNoKeyMaterial(message, forbiddenRuns([body]));
  });

  it("a scope entry holding a key is measured (an 80-character entry was quoted)", async () => {
    const error = await createAscToken({
      keyId: "2X9R4HXF34",
      issuerId,
      privateKey: key.applePem,
      scope: [`GET /v1/${body.slice(0, 60)}`],
      expiresIn: 3600,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "LIFETIME_TOO_LONG" });
    expectNoKeyMaterial(error, forbiddenRuns([body]));
  });

  it("the CLI echoes with the same threshold and detector", () => {
    const path = `${"/abc".repeat(31)}x.p8`;
    expect(path).toHaveLength(MAX_SHOWN);
    expect(safeEcho(path, "path")).toBe(JSON.stringify(path));
    expect(safeEcho(`${path}x`, "path")).toMatch(/^a \d+-character value$/);
    // A base64url scalar with "-" and "_" (the CLI's runs stopped at them).
    const scalar = "Ab-d_fGh-j_lMn-p_rSt-v_xYz-1_34-6_89-B_DeF-H_J";
    expect(hasKeyMaterial(scalar)).toBe(true);
    expect(safeEcho(`/keys/${scalar}`, "path")).toMatch(/looks like base64 text/);
  });
});

describe("redactCause", () => {
  it("keeps the class and the message, drops every other property and the stack", () => {
    const token = `${b64({ alg: "ES256" })}.${b64({ iss: issuerId })}.${randomBytes(64).toString("base64url")}`;
    const original = Object.assign(new Error("OOM command not allowed"), {
      name: "ReplyError",
      command: { name: "set", args: ["k", token, "PX", 1000] },
      stack: `ReplyError: OOM\n    at ${token}`,
    });
    const cause = redactCause(original);
    expect(cause).toBeInstanceOf(Error);
    expect(cause.name).toBe("ReplyError");
    expect(cause.message).toBe("OOM command not allowed");
    expect(cause).not.toHaveProperty("command");
    for (const text of [cause.stack, JSON.stringify(cause), String(cause)]) {
      expect(text).not.toContain(token.split(".")[2]);
    }
  });

  it("measures a message holding key material or a token; a name holding one becomes Error", () => {
    expect(redactCause(new Error(`bad key ${body}`)).message).toBe(
      `a string of ${String(body.length + 8)} characters`,
    );
    expect(redactCause({ name: body.slice(0, 40), message: 7 })).toMatchObject({
      name: "Error",
      message: "7",
    });
    expect(redactCause(undefined)).toMatchObject({ name: "Error", message: "undefined" });
  });

  it("a signer's error as SIGN_FAILED's cause: its class and message, not its request", async () => {
    const request = `${b64({ alg: "ES256", kid: "2X9R4HXF34" })}.${b64({ iss: issuerId })}`;
    const thrown = Object.assign(new Error("AccessDeniedException: kms:Sign not allowed"), {
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 400 },
      input: { Message: request, KeyId: "alias/asc" },
    });
    const signer: AppleSigner = { sign: () => Promise.reject(thrown) };
    const error = (await createAscToken({
      keyId: "2X9R4HXF34",
      issuerId,
      privateKey: signerKey(signer),
    }).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: "SIGN_FAILED" });
    expect(error.cause).toMatchObject({
      name: "AccessDeniedException",
      message: "AccessDeniedException: kms:Sign not allowed",
    });
    expect(JSON.stringify(error.cause)).not.toContain(request);
    expect(error.cause).not.toHaveProperty("input");
  });
});
