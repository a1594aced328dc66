// What reaches a terminal: the doctor's findings quote values from untrusted tokens, the CLI
// prints their JSON. Nothing a terminal obeys gets through: C0 and C1 controls (U+009B is CSI),
// bidi marks, overrides and isolates, U+061C, and the line and paragraph separators.
import { expect, it } from "vitest";
import { checkAscToken } from "../../src/index.js";
import { isTerminalSafe, terminalSafe } from "../../src/lib/redact.js";
import { safeEcho } from "../../src/cli/echo.js";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const RAW =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const hostile = [
  "\u009b31m",
  "\u202e",
  "\u2066x\u2069",
  "\u001b[2J",
  "\u0085",
  "\u007f",
  "\u200e",
  "\u200f",
  "\u061c",
  "\u2028",
  "\u2029",
];

it.each(hostile)("checkAscToken's findings never hold %j", (text) => {
  const token = `${b64({ alg: text, kid: text, typ: text })}.${b64({ iss: text, sub: text, aud: text, iat: text, scope: [text] })}.AAAA`;
  const findings = checkAscToken(token);
  expect(findings.length).toBeGreaterThan(5);
  for (const { message } of findings) expect(message).not.toMatch(RAW);
  expect(findings.map((f) => f.message).join()).toContain(`alg is a string of ${text.length}`);
});

it.each(hostile)("terminalSafe escapes %j, and the CLI never echoes it", (text) => {
  const escaped = `\\u${(text.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`;
  expect(terminalSafe(`a${text}b`)).toContain(escaped);
  expect(isTerminalSafe(`a${text}b`)).toBe(false);
  for (const slot of ["path", "message"] as const) {
    expect(safeEcho(`/keys/${text}x.p8`, slot)).toMatch(/^a \d+-character value$/);
  }
});

it("one rule: isTerminalSafe says true exactly where terminalSafe changes nothing", () => {
  for (let code = 0; code <= 0xffff; code++) {
    const char = String.fromCharCode(code);
    expect(isTerminalSafe(char), `U+${code.toString(16)}`).toBe(terminalSafe(char) === char);
    expect(isTerminalSafe(char), `U+${code.toString(16)}`).toBe(!RAW.test(char));
  }
});

it("terminalSafe keeps JSON text the same JSON", () => {
  const value = { a: hostile.join(""), b: "plain é ✓" };
  const text = terminalSafe(JSON.stringify(value));
  expect(text).not.toMatch(RAW);
  expect(JSON.parse(text)).toStrictEqual(value);
});
