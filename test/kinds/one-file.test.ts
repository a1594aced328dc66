// "A kind is one file and one export line": every file of src/kinds/ declares one kind, whose
// mint function all.ts exports (so the package does) and which TOKEN_KINDS lists.
import { readFileSync, readdirSync } from "node:fs";
import { expect, it } from "vitest";
import * as api from "../../src/index.js";

const folder = new URL("../../src/kinds/", import.meta.url);
/** The files of src/kinds/ that are not kinds: the lists, and a signature that is not a JWT. */
const NOT_KINDS = ["all.ts", "index.ts", "kind.ts", "promotional-offer.ts"];
const files = readdirSync(folder).filter(
  (file) => file.endsWith(".ts") && !NOT_KINDS.includes(file),
);

it("finds the kind files", () => {
  expect(files.length).toBeGreaterThanOrEqual(11);
});

it.each(files)(
  "%s: one mint function carrying its kind, exported by all.ts and the package, in TOKEN_KINDS",
  async (file) => {
    const module = (await import(new URL(file, folder).href)) as Record<string, unknown>;
    const mints = Object.entries(module).filter(
      ([, value]) => typeof value === "function" && "kind" in value,
    ) as [string, { kind: api.TokenKind }][];
    expect(mints.map(([name]) => name)).toHaveLength(1);
    const [[name, mint]] = mints as [[string, { kind: api.TokenKind }]];
    expect(mint.kind.create).toBe(name);
    expect((api as Record<string, unknown>)[name]).toBe(mint);
    expect(api.TOKEN_KINDS).toContain(mint.kind);
    const all = readFileSync(new URL("all.ts", folder), "utf8");
    expect(all).toMatch(
      new RegExp(`export \\{\\s*${name},[^}]*\\} from "\\./${file.replace(".ts", ".js")}";`),
    );
  },
);

it("TOKEN_KINDS is exactly the kinds of those files, sorted by name", () => {
  expect(api.TOKEN_KINDS).toHaveLength(files.length);
  const names = api.TOKEN_KINDS.map((kind) => kind.name);
  expect(names).toStrictEqual([...names].sort());
});

it("the package exports nothing of a kind file that all.ts does not", () => {
  const all = readFileSync(new URL("all.ts", folder), "utf8");
  const index = readFileSync(new URL("../index.ts", folder), "utf8");
  expect(index).toMatch(/^export \* from "\.\/kinds\/all\.js";$/m);
  const direct = [...index.matchAll(/from "\.\/kinds\/([\w-]+)\.js"/g)].map(([, file]) => file);
  expect(direct).toStrictEqual(["all", "kind", "index", "promotional-offer"]);
  expect(all).not.toMatch(/promotional-offer/);
});
