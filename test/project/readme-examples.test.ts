// Every TypeScript and JavaScript example in the README, docs/ and CONTRIBUTING.md must compile as
// pasted into an empty module of a user's project: a renamed export or option, a wrong argument, a
// misspelt function, a missing import or a name the snippet never declares fails here. Nothing is
// in scope but what a user has: the package ("asc-token", "asc-token/testing") and the ambient
// types of the runtime the snippet runs in. A snippet runs in Node unless its first line says
// otherwise, visibly, in parentheses: `// kv-worker.ts (Cloudflare Worker)`, `// main.ts (Deno)`.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = `${root}.tmp/readme-examples/`;

/** The documents whose examples are checked, relative to the repository root. */
const DOCUMENTS = [
  "README.md",
  "CONTRIBUTING.md",
  ...readdirSync(`${root}docs`)
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/**
 * The runtimes a snippet can name on its first line, and the ambient types each gives its users.
 * Node, the default (and Next.js, whose projects include @types/node): @types/node, with the DOM
 * library a default tsconfig includes. A browser or a Cloudflare Worker: the DOM library's web
 * platform (Request, Response, fetch, crypto) and no Node; Workers' own types are not installed
 * here, so Worker snippets type their bindings themselves. Deno and Bun: their own globals; their
 * type packages are not installed here either, so the two members of each that the docs use are
 * declared, for the snippets that say they run there and no others.
 */
const RUNTIMES = {
  node: { types: ["node"], ambient: "" },
  browser: { types: [], ambient: "" },
  "Cloudflare Worker": { types: [], ambient: "" },
  Deno: {
    types: [],
    ambient: `declare const Deno: {
  env: { get(name: string): string | undefined };
  readTextFile(path: string): Promise<string>;
};`,
  },
  Bun: {
    types: [],
    ambient: `declare const Bun: {
  env: Record<string, string | undefined>;
  file(path: string): { text(): Promise<string> };
};`,
  },
} as const;
type Runtime = keyof typeof RUNTIMES;

interface Example {
  document: string;
  line: number;
  lang: "ts" | "js";
  runtime: Runtime;
  code: string;
}

/** `// <file> (<runtime>)` or `// <file> (<framework>, <runtime>)`, on a snippet's first line. */
const MARKER = /^\/\/ \S.*\((?:[^()]*, )?(browser|Cloudflare Worker|Deno|Bun)\)$/;

const examples = (documents = DOCUMENTS, base = root): Example[] =>
  documents.flatMap((document) => {
    const text = readFileSync(`${base}${document}`, "utf8");
    return Array.from(text.matchAll(/^```(ts|js)\n([\s\S]*?)^```/gm), (match) => {
      const code = match[2] ?? "";
      const runtime = MARKER.exec(code.split("\n", 1)[0] ?? "")?.[1] as Runtime | undefined;
      return {
        document,
        line: text.slice(0, match.index).split("\n").length + 1,
        lang: match[1] as "ts" | "js",
        runtime: runtime ?? "node",
        code,
      };
    });
  });

/** A file name for an example that says where it comes from: `docs-keys.md-line-12.ts`. */
const fileOf = ({ document, line, lang }: Example): string =>
  `${document.replaceAll("/", "-")}-line-${line}.${lang}`;

const BASE: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
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

// Parsing is shared between the programs (lib.dom.d.ts alone is most of the time).
const parsed = new Map<string, ts.SourceFile | undefined>();
const host = ts.createCompilerHost(BASE);
const getSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (name, version, onError, fresh) => {
  if (name.startsWith(dir)) return getSourceFile(name, version, onError, fresh);
  if (!parsed.has(name)) parsed.set(name, getSourceFile(name, version, onError, fresh));
  return parsed.get(name);
};

/**
 * Type-checks the examples, each written as a file of its own into `into`, and returns one line
 * per problem, `document:line: message`.
 */
const check = (found: Example[], into: string): string[] => {
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  const groups = new Map<string, { runtime: Runtime; lang: "ts" | "js"; files: string[] }>();
  for (const example of found) {
    const { lang, code, runtime } = example;
    const file = `${into}${fileOf(example)}`;
    // `export {}` makes each example a module of its own, as it would be in a user's project;
    // the runtime's ambient declarations, if any, follow on the same line as it, so line numbers
    // stay those of the document.
    const ambient = RUNTIMES[runtime].ambient.replaceAll("\n", " ");
    const head = lang === "js" ? "// @ts-check\n" : "";
    writeFileSync(file, `${head}${code}\nexport {}; ${ambient}\n`);
    const key = `${runtime} ${lang}`;
    const group = groups.get(key) ?? { runtime, lang, files: [] };
    group.files.push(file);
    groups.set(key, group);
  }
  // TypeScript examples as strict as this package's own code. JavaScript ones for names, calls
  // and options: a JS user writes no types, so untyped parameters and DOM properties that only a
  // cast would reveal (`querySelector(...).files`) are not held against them.
  const UNTYPED_JS = new Set([2339, 2531, 18047]); // property not on the declared type; possibly null
  const diagnostics = [...groups.values()].flatMap(({ runtime, lang, files }) => {
    const options: ts.CompilerOptions = {
      ...BASE,
      types: [...RUNTIMES[runtime].types],
      ...(lang === "js" ? { noImplicitAny: false } : {}),
    };
    const program = ts.createProgram(files, options, host);
    return [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...files.flatMap((file) => {
        const source = program.getSourceFile(file);
        return source
          ? [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
          : [];
      }),
    ].filter((d) => !(lang === "js" && UNTYPED_JS.has(d.code)));
  });
  return diagnostics.map((d) => {
    const where =
      d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const name = d.file?.fileName.replace(into, "") ?? "";
    const [, document = name, first = "0"] = /^(.*)-line-(\d+)\.[jt]s$/.exec(name) ?? [];
    const line = Number(first) + (where?.line ?? 0) - (name.endsWith(".js") ? 1 : 0);
    const source = document.replace(/^docs-/, "docs/");
    return `${source}:${line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
};

it("finds the examples of the README and the docs pages, and where each runs", () => {
  const found = examples();
  expect(found.length).toBeGreaterThan(25);
  expect(found.filter((e) => e.document === "README.md").length).toBeGreaterThan(2);
  const pages = new Set(found.map((e) => e.document).filter((d) => d.startsWith("docs/")));
  expect(pages.size).toBeGreaterThan(4);
  // Each runtime's marker is in use; a marker no snippet carries would be a rule nobody follows.
  expect(new Set(found.map((e) => e.runtime))).toStrictEqual(new Set(Object.keys(RUNTIMES)));
  // A Worker's handler, Deno's or Bun's globals, or the DOM's document outside its runtime's
  // marker would be checked against the wrong types.
  const unmarked = found
    .filter(({ code, runtime }) =>
      /export default \{\s*async fetch\(/.test(code)
        ? runtime !== "Cloudflare Worker"
        : /\bDeno\.|\bBun\.|\bdocument\./.test(code.replace(/\/\/.*$/gm, "")) &&
          !["Deno", "Bun", "browser"].includes(runtime),
    )
    .map(({ document, line }) => `${document}:${line}`);
  expect(unmarked).toStrictEqual([]);
});

it("every TypeScript and JavaScript example in the README, docs/ and CONTRIBUTING.md compiles as pasted into an empty module", () => {
  expect(check(examples(), dir)).toStrictEqual([]);
}, 60_000);

it("refuses a snippet that uses a name it does not declare, and Node's globals outside Node", () => {
  const page = `${root}.tmp/readme-examples-page/`;
  rmSync(page, { recursive: true, force: true });
  mkdirSync(page, { recursive: true });
  writeFileSync(
    `${page}page.md`,
    [
      "```ts",
      'import { createAscToken } from "asc-token";',
      "",
      'const token = await createAscToken({ keyId: "2X9R4HXF34", issuerId, privateKey });',
      "```",
      "",
      "```ts",
      "// worker.ts (Cloudflare Worker)",
      'import { createAscToken } from "asc-token";',
      "",
      "const token = await createAscToken({",
      '  keyId: "2X9R4HXF34",',
      '  issuerId: "57246542-96fe-1a63-e053-0824d011072a",',
      "  privateKey: process.env.ASC_PRIVATE_KEY!,",
      "});",
      "```",
      "",
    ].join("\n"),
  );
  const problems = check(examples(["page.md"], page), `${page}out/`);
  expect(problems).toStrictEqual([
    "page.md:4: No value exists in scope for the shorthand property 'issuerId'. Either declare one or provide an initializer.",
    "page.md:4: No value exists in scope for the shorthand property 'privateKey'. Either declare one or provide an initializer.",
    expect.stringMatching(/^page\.md:14: Cannot find name 'process'\./),
  ]);
}, 60_000);
