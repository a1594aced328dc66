// The README is what a user reads first, docs/errors.md what they look up when something fails:
// the README stays short, in a user's order, with the quick start and the browser warning; the
// error table lists every AscTokenErrorCode (and nothing else), each with its meaning and its fix.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allErrorCodes } from "../helpers/codes.js";

const read = (file: string): string =>
  readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");

describe("README.md", () => {
  const readme = read("README.md");
  const headings = Array.from(readme.matchAll(/^## (.*)$/gm), ([, heading = ""]) => heading);

  it("stays at most 15 KB", () => {
    expect(new TextEncoder().encode(readme).length).toBeLessThanOrEqual(15 * 1024);
  });

  const JOBS = [
    "Mint any Apple token",
    "Share one token across a fleet",
    "Verify what Apple signs",
  ];

  it("comes in a user's order: install, the three jobs, the API index, security, contributors", () => {
    expect(headings.slice(0, 6)).toStrictEqual(["Install", ...JOBS, "API", "Security"]);
    expect(headings.indexOf("Install")).toBeLessThan(headings.indexOf("Working on asc-token"));
  });

  it("names the three jobs in its introduction, each with a quick start of about ten lines", () => {
    const intro = readme.slice(0, readme.indexOf("\n## "));
    for (const job of JOBS) {
      const anchor = job.toLowerCase().replaceAll(" ", "-");
      expect(intro).toContain(`[${job}](#${anchor})`);
      const section = new RegExp(`\\n## ${job}\\n([\\s\\S]*?)\\n## `).exec(readme)?.[1] ?? "";
      const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
      const lines = code.split("\n").filter((line) => line.trim() !== "").length;
      expect(lines, job).toBeGreaterThanOrEqual(5);
      expect(lines, job).toBeLessThanOrEqual(16);
    }
  });

  it("shows the provider with the fetch wrapper first, before any single token", () => {
    const usage = /\n## Mint any Apple token\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
    const first = /```ts\n([\s\S]*?)```/.exec(usage)?.[1] ?? "";
    expect(first).toContain("createAscTokenProvider(");
    expect(first).toContain("createAuthorizedFetch(");
  });

  it("says a .p8 key on a public web page is a leaked key, where it mentions browsers", () => {
    expect(readme).toMatch(/\.p8` key shipped to a public web page is a leaked key/);
    expect(read("docs/runtimes.md")).toMatch(/shipped to a public web page is a leaked key/);
  });

  it("keeps the two-command quick start", () => {
    expect(readme).toContain("npm ci && npm run demo");
    expect(readme).toMatch(/^npm test\b/m);
  });

  it("quotes no benchmark figure or byte count: those live in bench/RESULTS.md", () => {
    expect(readme).not.toMatch(/\d[\d,]* B\b|\d\.\d\d×|× `crypto\.subtle/);
    expect(readme).toContain("bench/RESULTS.md");
  });
});

it("docs/errors.md lists every error code with a meaning and a fix", () => {
  const errors = read("docs/errors.md");
  const section = /\n## Error codes\n([\s\S]*?)\n## /.exec(errors)?.[1] ?? "";
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
