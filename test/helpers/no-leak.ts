// The "no fragment of the key" check: no 12-character run of a secret's base64 (or base64url, or
// hex) text may appear anywhere an error can be seen or logged.
import { expect } from "vitest";

const RUN = 12;

/** Every `RUN`-character run of `text`. */
const runsOf = (text: string): string[] =>
  Array.from({ length: Math.max(0, text.length - RUN + 1) }, (_, i) => text.slice(i, i + RUN));

/** The base64 body of a PEM (armor, headers and whitespace removed), or the text itself. */
const bodyOf = (secret: string): string =>
  secret
    .replace(/\\[nr]/g, "\n")
    .split(/\r?\n/)
    .filter((line) => !line.startsWith("-----") && !line.includes(":"))
    .join("")
    .replace(/\s+/g, "");

/**
 * The forbidden runs for a list of secrets: PEM text or base64 strings (their base64 body), and
 * byte arrays (their base64, base64url and hex forms).
 */
export const forbiddenRuns = (secrets: readonly (string | Uint8Array)[]): Set<string> => {
  const set = new Set<string>();
  for (const secret of secrets) {
    const forms =
      typeof secret === "string"
        ? [bodyOf(secret)]
        : ["base64", "base64url", "hex"].map((enc) =>
            Buffer.from(secret).toString(enc as BufferEncoding),
          );
    for (const form of forms) for (const run of runsOf(form)) set.add(run);
  }
  return set;
};

/** Everything a caller might print or log about `error`: message, stack, cause chain, JSON. */
export const visibleTexts = (error: unknown): string[] => {
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (current instanceof Error) texts.push(current.message, current.stack ?? "", String(current));
    else if (typeof current === "string") texts.push(current);
    texts.push(JSON.stringify(current) ?? "");
    current = (current as { cause?: unknown }).cause;
  }
  return texts;
};

/** Fails when any of `error`'s visible texts holds one of the `forbidden` runs. */
export const expectNoKeyMaterial = (error: unknown, forbidden: ReadonlySet<string>): void => {
  expect(forbidden.size, "no secrets to look for").toBeGreaterThan(0);
  for (const text of visibleTexts(error)) {
    const leaked = runsOf(text).find((run) => forbidden.has(run));
    expect(leaked, `key material "${String(leaked)}" in: ${text.slice(0, 200)}`).toBeUndefined();
  }
};
