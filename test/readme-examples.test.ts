// Every TypeScript and JavaScript example in the README, docs/ and CONTRIBUTING.md must type-check
// against the real API, as a user would paste it into a module of their own: a renamed export or
// option, a wrong argument, a misspelt function or a missing import fails here. Each example
// imports what it uses from "asc-token" (nothing of the package is in scope otherwise); only the
// values in GIVEN, which stand for the user's own (keyId, issuerId, privateKey, ...), are
// declared around it. Anything else a snippet uses must be declared in the snippet.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../", import.meta.url));
const dir = `${root}.tmp/readme-examples/`;

/** The documents whose examples are checked, relative to the repository root. */
const DOCUMENTS = [
  "README.md",
  "CONTRIBUTING.md",
  ...readdirSync(`${root}docs`)
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/** The values the documents' snippets assume are in scope, beyond the package's exports. */
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

interface Example {
  document: string;
  line: number;
  lang: "ts" | "js";
  code: string;
}

const examples = (): Example[] =>
  DOCUMENTS.flatMap((document) => {
    const text = readFileSync(`${root}${document}`, "utf8");
    return Array.from(text.matchAll(/^```(ts|js)\n([\s\S]*?)^```/gm), (match) => ({
      document,
      line: text.slice(0, match.index).split("\n").length + 1,
      lang: match[1] as "ts" | "js",
      code: match[2] ?? "",
    }));
  });

it("finds the examples of the README and the docs pages", () => {
  const found = examples();
  expect(found.length).toBeGreaterThan(25);
  expect(found.filter((e) => e.document === "README.md").length).toBeGreaterThan(2);
  const pages = new Set(found.map((e) => e.document).filter((d) => d.startsWith("docs/")));
  expect(pages.size).toBeGreaterThan(4);
});

/** A file name for an example that says where it comes from: `docs-keys.md-line-12.ts`. */
const fileOf = ({ document, line, lang }: Example): string =>
  `${document.replaceAll("/", "-")}-line-${line}.${lang}`;

it("every TypeScript and JavaScript example in the README, docs/ and CONTRIBUTING.md type-checks", () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    `${dir}given.d.ts`,
    `import type * as Lib from "asc-token";\ndeclare global {\n${GIVEN}}\n`,
  );
  const files = examples().map((example) => {
    const { lang, code } = example;
    const file = `${dir}${fileOf(example)}`;
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
    paths: {
      "asc-token": [`${root}src/index.ts`],
      "npm:asc-token": [`${root}src/index.ts`],
      "asc-token/testing": [`${root}src/testing.ts`],
    },
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
    const [, document = name, first = "0"] = /^(.*)-line-(\d+)\.[jt]s$/.exec(name) ?? [];
    const line = Number(first) + (where?.line ?? 0) - (name.endsWith(".js") ? 1 : 0);
    const source = document.replace(/^docs-/, "docs/");
    return `${source}:${line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  expect(problems).toStrictEqual([]);
}, 60_000);
