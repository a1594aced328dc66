// Every public export has a JSDoc with an @example in the shipped declarations, and a row of the
// README's API index (the "## API" section's tables): the public API, its types and its
// documentation stay one thing. Both entry points count: "asc-token" and "asc-token/testing".
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const entries = ["index", "testing"].map(
  (name) => new URL(`../../dist/${name}.d.ts`, import.meta.url),
);
const built = entries.every((dts) => existsSync(dts));

/** The names of the last export list of a declaration file. */
const exportsOf = (text: string): string[] =>
  ([...text.matchAll(/export \{([^}]*)\}/g)].at(-1)?.[1] ?? "")
    .split(",")
    .map((entry) =>
      entry
        .trim()
        .replace(/^type /, "")
        .split(" as ")
        .at(-1)!,
    )
    .filter(Boolean);

describe.runIf(built)("public API documentation (npm test builds dist/ first)", () => {
  const texts = built ? entries.map((dts) => readFileSync(dts, "utf8")) : [];
  const text = texts.join("\n");
  const names = texts.flatMap(exportsOf);
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const index = /\n## API\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
  /** The first cell of every table row of the index: the exports that row describes. */
  const indexed = new Set(
    Array.from(index.matchAll(/^\| ((?:[^|\\]|\\\|)*) \|/gm), ([, cell = ""]) =>
      Array.from(cell.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)/g), ([, name = ""]) => name),
    ).flat(),
  );

  it("finds the export list", () => {
    expect(names.length).toBeGreaterThan(30);
    expect(names).toContain("createAscToken");
    expect(names).toContain("createSignInWithAppleTestKit");
    expect(names).toContain("createAppleTestKit");
  });

  it.each(names)("%s has a JSDoc @example", (name) => {
    const declaration = new RegExp(
      `(/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/)\\s*(?:declare )?(?:const|function|class|interface|type) ${name}\\b`,
    );
    expect(declaration.exec(text)?.[1], `no JSDoc before ${name}`).toMatch(/@example/);
  });

  it.each(names)("%s has a row in the README's API index", (name) => {
    expect(indexed).toContain(name);
  });

  it("the README's API index names nothing that is not exported", () => {
    const exported = new Set(names);
    expect([...indexed].filter((name) => !exported.has(name))).toStrictEqual([]);
  });
});
