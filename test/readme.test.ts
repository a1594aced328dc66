// The README's "Errors" table must list every AscTokenErrorCode (and nothing else), each with
// its meaning and its fix.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { allErrorCodes } from "./helpers/codes.js";

it("the README's Errors table lists every error code with a meaning and a fix", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const section = /\n## Errors\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
  const rows = Array.from(
    section.matchAll(/^\| `([A-Z0-9_]+)` \|(.*)\|(.*)\|$/gm),
    ([, code = "", meaning = "", fix = ""]) => ({ code, meaning: meaning.trim(), fix: fix.trim() }),
  );
  expect(rows.map((row) => row.code).sort()).toStrictEqual(allErrorCodes().sort());
  for (const row of rows) {
    expect(row.meaning.length, `${row.code}: meaning`).toBeGreaterThan(5);
    expect(row.fix.length, `${row.code}: fix`).toBeGreaterThan(5);
  }
});
