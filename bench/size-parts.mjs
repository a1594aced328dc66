// Where the createAscToken bundle's bytes go: the same bundle `npm run size` measures, built from
// copies of src/ with parts blanked out, so that "how much is code, how much is text" is measured,
// not guessed.
//
//   node bench/size-parts.mjs
//
// Builds (scripts/bundle.mjs: esbuild --bundle --minify --format=esm --platform=browser, gzip -9):
//   as is          src/ unchanged
//   no strings     every string literal and template text blanked: messages, error codes,
//                  audiences (the strings the code works with are kept: PEM armor, hex
//                  prefixes, the base64 alphabet, algorithm names, "sign", typeof names)
//   no strings,    also Apple's long-lived-resource regex cut to /^GET /
//   no regex
// The blanked builds do not work; they only show what the code alone weighs.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { weigh } from "../scripts/bundle.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const KEEP =
  /^(sign|pkcs8|string|function|object|number|usages|ECDSA|P-256|SHA-256|ES256|"|\n|\\n)$/;

/** The text of `file` with the chosen parts blanked. */
const blank = (file, text, { strings, regex }) => {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edits = [];
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    const literal = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
    const template =
      ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node);
    const data =
      KEEP.test(node.text ?? "") ||
      /^[0-9a-f]+$|^[\w+/-]{64,}$/.test(node.text ?? "") ||
      node.text?.includes("-----");
    if (strings && (literal || template) && node.text && !data) {
      // Keep the delimiters: `"` … `"`, or a template part's `${` / `}` and backticks.
      const start = node.getStart() + 1;
      const end = node.getEnd() - (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) ? 2 : 1);
      edits.push([start, end, ""]);
    }
    if (regex && ts.isRegularExpressionLiteral(node) && node.text.startsWith("/^GET"))
      edits.push([node.getStart(), node.getEnd(), "/^GET /"]);
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const [start, end, replacement] of edits.sort((a, b) => b[0] - a[0]))
    text = text.slice(0, start) + replacement + text.slice(end);
  return text;
};

const measure = async (label, parts) => {
  const dir = `${root}.tmp/size-parts/${label.replace(/\W+/g, "-")}/`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(`${root}src`, { recursive: true })) {
    if (!file.endsWith(".ts")) continue;
    mkdirSync(dirname(dir + file), { recursive: true });
    writeFileSync(dir + file, blank(file, readFileSync(`${root}src/${file}`, "utf8"), parts));
  }
  const { minified, gzip } = await weigh({
    contents: 'export { createAscToken } from "./kinds/app-store-connect.ts";',
    resolveDir: dir,
    loader: "ts",
  });
  return `| ${label} | ${minified.toLocaleString("en")} | ${gzip.toLocaleString("en")} |`;
};

console.log("| createAscToken bundle, built from src/ | minified B | gzip B |\n|---|---:|---:|");
console.log(await measure("as is", {}));
console.log(await measure("no strings", { strings: true }));
console.log(await measure("no strings, no long-lived regex", { strings: true, regex: true }));
