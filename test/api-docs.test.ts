// Every public export has a JSDoc with an @example in the shipped declarations, and is named in
// the README or a page of docs/: the public API, its types and its documentation stay one thing.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const dts = new URL("../dist/index.d.ts", import.meta.url);
const built = existsSync(dts);

describe.runIf(built)("public API documentation (npm test builds dist/ first)", () => {
  const text = built ? readFileSync(dts, "utf8") : "";
  const exportList = [...text.matchAll(/export \{([^}]*)\}/g)].at(-1)?.[1] ?? "";
  const names = exportList
    .split(",")
    .map((entry) =>
      entry
        .trim()
        .replace(/^type /, "")
        .split(" as ")
        .at(-1)!,
    )
    .filter(Boolean);
  const docs = new URL("../docs/", import.meta.url);
  const readme = [
    readFileSync(new URL("../README.md", import.meta.url), "utf8"),
    ...(existsSync(docs) ? readdirSync(docs) : [])
      .filter((file) => file.endsWith(".md"))
      .map((file) => readFileSync(new URL(file, docs), "utf8")),
  ].join("\n");

  it("finds the export list", () => {
    expect(names.length).toBeGreaterThan(30);
    expect(names).toContain("createAscToken");
  });

  it.each(names)("%s has a JSDoc @example", (name) => {
    const declaration = new RegExp(
      `(/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/)\\s*(?:declare )?(?:const|function|class|interface|type) ${name}\\b`,
    );
    expect(declaration.exec(text)?.[1], `no JSDoc before ${name}`).toMatch(/@example/);
  });

  it.each(names)("%s is named in the README or docs/", (name) => {
    expect(readme).toContain(name);
  });
});
