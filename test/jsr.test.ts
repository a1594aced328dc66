// jsr.json (what Deno users install from JSR) must stay in step with package.json.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (file: string) =>
  JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), "utf8")) as Record<
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

  it("is a scoped JSR name exporting the TypeScript source entry", () => {
    expect(jsr.name).toMatch(/^@[a-z0-9-]+\/[a-z0-9-]+$/);
    expect(jsr.exports).toBe("./src/index.ts");
    expect(existsSync(new URL("../src/index.ts", import.meta.url))).toBe(true);
  });
});
