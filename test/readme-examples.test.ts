// Every TypeScript and JavaScript example in the README must type-check against the real API, as
// a user would paste it: a renamed export or option, a wrong argument or a misspelt function
// fails here. The examples are snippets, so each is checked with the package's exports and the
// values they take for granted (keyId, issuerId, privateKey, ...) declared around it; anything
// else a snippet uses must be declared in the snippet.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { expect, it } from "vitest";
import * as api from "../src/index.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const dir = `${root}.tmp/readme-examples/`;

/** The values the README's snippets assume are in scope, beyond the package's exports. */
const GIVEN = `
  const keyId: string;
  const issuerId: string;
  const teamId: string;
  const privateKey: string;
  const token: string;
  const options: Lib.AscTokenOptions;
  const transactionId: string;
  const deviceToken: string;
  /** Sign in with Apple's authorization code. */
  const code: string;
  const Deno: { env: { get(name: string): string | undefined }; readTextFile(path: string): Promise<string> };
  const Bun: { env: Record<string, string | undefined>; file(path: string): { text(): Promise<string> } };
`;

const examples = (): { line: number; lang: "ts" | "js"; code: string }[] => {
  const readme = readFileSync(`${root}README.md`, "utf8");
  return Array.from(readme.matchAll(/^```(ts|js)\n([\s\S]*?)^```/gm), (match) => ({
    line: readme.slice(0, match.index).split("\n").length + 1,
    lang: match[1] as "ts" | "js",
    code: match[2] ?? "",
  }));
};

it("finds the README's examples", () => {
  expect(examples().length).toBeGreaterThan(15);
});

it("every TypeScript and JavaScript example in the README type-checks", () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const exported = Object.keys(api)
    .map((name) => `  const ${name}: typeof Lib.${name};`)
    .join("\n");
  writeFileSync(
    `${dir}given.d.ts`,
    `import type * as Lib from "asc-token";\ndeclare global {\n${exported}\n${GIVEN}}\n`,
  );
  const files = examples().map(({ line, lang, code }) => {
    const file = `${dir}readme-line-${line}.${lang}`;
    // `export {}` makes each example a module of its own, as it would be in a user's project.
    writeFileSync(file, `${lang === "js" ? "// @ts-check\n" : ""}${code}\nexport {};\n`);
    return file;
  });
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    types: ["node"],
    typeRoots: [`${root}node_modules/@types`],
    strict: true,
    exactOptionalPropertyTypes: true,
    allowJs: true,
    checkJs: true,
    noEmit: true,
    skipLibCheck: true,
    allowImportingTsExtensions: true,
    // "asc-token" is this package, as a user gets it; Deno's examples import "npm:asc-token".
    paths: { "asc-token": [`${root}src/index.ts`], "npm:asc-token": [`${root}src/index.ts`] },
  };
  // TypeScript examples as strict as this package's own code. JavaScript ones for names, calls
  // and options: a JS user writes no types, so untyped parameters and DOM properties that only a
  // cast would reveal (`querySelector(...).files`) are not held against them.
  const programs = [
    ts.createProgram([`${dir}given.d.ts`, ...files.filter((f) => f.endsWith(".ts"))], options),
    ts.createProgram([`${dir}given.d.ts`, ...files.filter((f) => f.endsWith(".js"))], {
      ...options,
      noImplicitAny: false,
    }),
  ];
  const UNTYPED_JS = new Set([2339, 2531, 18047]); // property not on the declared type; possibly null
  const diagnostics = programs
    .flatMap((program) => ts.getPreEmitDiagnostics(program))
    .filter((d) => !(d.file?.fileName.endsWith(".js") && UNTYPED_JS.has(d.code)));
  const problems = diagnostics.map((d) => {
    const where =
      d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const name = d.file?.fileName.replace(dir, "") ?? "";
    const line =
      Number(/line-(\d+)/.exec(name)?.[1] ?? 0) +
      (where?.line ?? 0) -
      (name.endsWith(".js") ? 1 : 0);
    return `README.md:${line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  expect(problems).toStrictEqual([]);
}, 60_000);
