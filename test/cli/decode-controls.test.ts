// The decode command prints claims from untrusted tokens: terminal controls in them are escaped.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const cli = new URL("../../dist/cli.js", import.meta.url).pathname;
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("asc-token decode", () => {
  it("escapes C1 controls and bidi overrides, and keeps the JSON readable", () => {
    const hostile = "\u009b31m\u202eevil\u2066";
    const token = `${part({ alg: "ES256", kid: "2X9R4HXF34", typ: "JWT" })}.${part({ iss: hostile, iat: 1_700_000_000 })}.${"A".repeat(86)}`;
    const result = spawnSync(process.execPath, [cli, "decode", token], { encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(result.stdout).toContain("\\u009b31m\\u202eevil\\u2066");
    const printed = JSON.parse(result.stdout) as { claims: { iss: string } };
    expect(printed.claims.iss).toBe(hostile);
  });
});
