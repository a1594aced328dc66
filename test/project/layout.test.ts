// The layout shows the architecture: each folder of src/ imports only from itself and the folders
// below it, in the order CONTRIBUTING's design section reads them, and no module imports itself
// back through others (no import circle).

import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

/** Top to bottom; a folder (or entry file) imports only from its level or those below. */
const LEVELS = [
  ["cli"],
  ["index.ts", "testing.ts"],
  ["testing"],
  ["oauth", "sign-in-with-apple"],
  ["provider"],
  ["store"],
  ["inspect"],
  ["kinds"],
  ["verify", "key"],
  ["lib"],
];

const files = (readdirSync("src", { recursive: true }) as string[])
  .filter((file) => file.endsWith(".ts"))
  .map((file) => join("src", file));

/** The src/ files `file` imports (relative specifiers, `.js` written for `.ts`). */
const importsOf = (file: string): string[] =>
  [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map(
    ([, spec]) => normalize(join(dirname(file), spec!)).replace(/\.js$/, ".ts"),
  );
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const level = (file: string): number =>
  LEVELS.findIndex((names) => names.includes(relative("src", file).split("/")[0]!));

describe("the layout of src/", () => {
  it("every top-level entry has a level", () => {
    expect(files.filter((file) => level(file) < 0)).toStrictEqual([]);
  });

  it("imports run downward only", () => {
    const upward = files.flatMap((file) =>
      graph
        .get(file)!
        .filter((target) => level(target) < level(file))
        .map((target) => `${file} -> ${target}`),
    );
    expect(upward).toStrictEqual([]);
  });

  it("no import circle", () => {
    const circles: string[] = [];
    const done = new Set<string>();
    const path: string[] = [];
    const visit = (file: string): void => {
      if (path.includes(file)) {
        circles.push([...path.slice(path.indexOf(file)), file].join(" -> "));
        return;
      }
      if (done.has(file)) return;
      path.push(file);
      for (const target of graph.get(file) ?? []) visit(target);
      path.pop();
      done.add(file);
    };
    for (const file of files) visit(file);
    expect(circles).toStrictEqual([]);
  });
});
