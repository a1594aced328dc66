// jsr.json (what Deno users install from JSR) must stay in step with package.json.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;
const jsr = read("jsr.json");
const pkg = read("package.json");

describe("jsr.json", () => {
  it("has package.json's version and license", () => {
    expect(jsr.version).toBe(pkg.version);
    expect(jsr.license).toBe(pkg.license);
  });

  it("is a scoped JSR name exporting the TypeScript source of each of package.json's entries", () => {
    expect(jsr.name).toMatch(/^@[a-z0-9-]+\/[a-z0-9-]+$/);
    expect(jsr.exports).toStrictEqual({ ".": "./src/index.ts", "./testing": "./src/testing.ts" });
    const entries = Object.keys(pkg.exports as object).filter((name) => name !== "./package.json");
    expect(entries).toStrictEqual(Object.keys(jsr.exports as object));
    for (const file of Object.values(jsr.exports as object)) {
      expect(existsSync(new URL(`../.${file as string}`, import.meta.url))).toBe(true);
    }
  });
});
