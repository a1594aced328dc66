// Every default is written once: in src/lib/defaults.ts, listed by docs/defaults.md, and named (not
// restated) everywhere else in the docs.

import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as defaults from "../../src/lib/defaults.js";

const page = readFileSync("docs/defaults.md", "utf8");
const rows = new Map(
  [...page.matchAll(/^\| `([A-Z0-9_]+)` \| (\d+) \|/gm)].map(([, name, value]) => [
    name!,
    Number(value),
  ]),
);

/** The option each default fills, and the ways its value is written in prose. */
const options: Record<string, { option: string; written: (value: number) => string[] }> = {
  DEFAULT_CLOCK_TOLERANCE: { option: "clockTolerance", written: (v) => seconds(v) },
  DEFAULT_REFRESH_BEFORE: { option: "refreshBefore", written: (v) => seconds(v) },
  DEFAULT_MINT_TIMEOUT: { option: "mintTimeout", written: (v) => ms(v) },
  DEFAULT_REQUEST_TIMEOUT: { option: "timeout", written: (v) => ms(v) },
  DEFAULT_KEYS_TIMEOUT: { option: "timeout", written: (v) => ms(v) },
  DEFAULT_KEYS_MAX_AGE: { option: "cacheMaxAge", written: (v) => seconds(v) },
  DEFAULT_KEYS_REFETCH_INTERVAL: { option: "refetchInterval", written: (v) => seconds(v) },
};
const seconds = (v: number): string[] => [`(${v})`, `default ${v}`, `${v} s`];
const ms = (v: number): string[] => [`default ${v}`, `${v / 1000} s`, `(${v})`];

const docs = [
  "README.md",
  ...readdirSync("docs")
    .filter((name) => name.endsWith(".md") && name !== "defaults.md")
    .map((name) => `docs/${name}`),
];

describe("defaults", () => {
  it("docs/defaults.md lists exactly the values of src/lib/defaults.ts", () => {
    expect(Object.fromEntries(rows)).toStrictEqual({ ...defaults });
  });

  it("no other page restates a default beside its option: it names it", () => {
    const restated: string[] = [];
    for (const file of docs) {
      const lines = readFileSync(file, "utf8").split("\n");
      lines.forEach((line, i) => {
        for (const [name, { option, written }] of Object.entries(options)) {
          if (!line.includes(`\`${option}\``)) continue;
          const value = defaults[name as keyof typeof defaults];
          const found = written(value).find((text) => line.includes(text));
          if (found) restated.push(`${file}:${i + 1} ${option} ${found}`);
        }
      });
    }
    expect(restated).toStrictEqual([]);
  });
});
