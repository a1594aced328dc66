// The doctor's messages quote values from untrusted tokens: C1 controls (U+009B is CSI) and bidi
// overrides are escaped, as JSON.stringify already escapes ESC.
import { expect, it } from "vitest";
import { checkAscToken } from "../src/index.js";
import { printable } from "../src/decode.js";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const hostile = ["\u009b31m", "\u202e", "\u2066x\u2069", "\u001b[2J", "\u0085", "\u007f"];

it.each(hostile)("checkAscToken escapes %j in every finding", (text) => {
  const token = `${b64({ alg: text, kid: text, typ: text })}.${b64({ iss: text, sub: text, aud: text, iat: text, scope: [text] })}.AAAA`;
  const findings = checkAscToken(token);
  expect(findings.length).toBeGreaterThan(5);
  for (const { message } of findings) expect(message).not.toMatch(RAW);
  expect(findings.map((f) => f.message).join()).toContain(
    `\\u${(text.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
  );
});

it("printable keeps JSON text the same JSON", () => {
  const value = { a: hostile.join(""), b: "plain é ✓" };
  const text = printable(JSON.stringify(value));
  expect(text).not.toMatch(RAW);
  expect(JSON.parse(text)).toStrictEqual(value);
});
