// The size budget: what `import { createAscToken } from "asc-token"` adds to a browser bundle.
//
//   npm run size                    report, and exit 1 if the budget is exceeded (npm test runs it)
//   node scripts/size.mjs --write   also rewrite the size block of bench/RESULTS.md
//
// Bundles each entry with esbuild as an app would (bundle, minify, ESM, platform browser) from the
// BUILT package (dist/index.js, as "asc-token" resolves for a user), and measures the minified
// bytes and the bytes after gzip level 9. Deterministic: same sources and esbuild, same bytes.
// For comparison it bundles the whole package, jose's importPKCS8 + SignJWT, and tsndr's sign.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { weigh } from "./bundle.mjs";

/**
 * Gzip bytes allowed for the createAscToken-only bundle, which must also stay below jose's
 * importPKCS8 + SignJWT. A signer's checks (DER or raw, r and s in range, its error redacted)
 * live in `signerKey`, so this bundle holds them only when a program wraps a signer.
 */
export const BUDGET = 5200;

const root = new URL("../", import.meta.url);
const dist = fileURLToPath(new URL("dist/index.js", root));
if (!existsSync(dist)) {
  console.error("dist/index.js is missing: run `npm run build` first (`npm test` does).");
  process.exit(1);
}

const entries = [
  {
    name: "`import { createAscToken }` (the budget)",
    code: 'export { createAscToken } from "asc-token";',
    budget: BUDGET,
  },
  { name: "`import * from` the whole package", code: 'export * from "asc-token";' },
  { name: "jose `importPKCS8` + `SignJWT`", code: 'export { importPKCS8, SignJWT } from "jose";' },
  {
    name: "@tsndr/cloudflare-worker-jwt `sign`",
    code: 'export { sign } from "@tsndr/cloudflare-worker-jwt";',
  },
];

const measure = (code) =>
  weigh(
    { contents: code, resolveDir: fileURLToPath(root), loader: "js" },
    { alias: { "asc-token": dist } },
  );

const rows = [];
let failed = false;
for (const entry of entries) {
  const { minified, gzip } = await measure(entry.code);
  const over = entry.budget !== undefined && gzip > entry.budget;
  failed ||= over;
  const verdict =
    entry.budget === undefined
      ? ""
      : over
        ? `**over the ${entry.budget} B budget**`
        : `within the ${entry.budget} B budget`;
  rows.push(
    `| ${entry.name} | ${minified.toLocaleString("en")} | ${gzip.toLocaleString("en")} | ${verdict} |`,
  );
}
// Where the bytes go: the same bundle built from src/, minified bytes per source file.
const parts = await weigh(
  {
    contents: 'export { createAscToken } from "./src/index.ts";',
    resolveDir: fileURLToPath(root),
    loader: "ts",
  },
  { metafile: true },
);
const [output] = Object.values(parts.metafile.outputs);
const byFile = Object.entries(output.inputs)
  .filter(([file]) => file.startsWith("src/"))
  .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
  .map(
    ([file, { bytesInOutput }]) =>
      `\`${file.replace("src/", "")}\` ${bytesInOutput.toLocaleString("en")}`,
  );

const esbuildVersion = JSON.parse(
  readFileSync(new URL("node_modules/esbuild/package.json", root), "utf8"),
).version;
const table = [
  `esbuild ${esbuildVersion} \`--bundle --minify --format=esm --platform=browser\`, gzip level 9 (node:zlib).`,
  "",
  "| entry | minified B | gzip B | |",
  "|---|---:|---:|---|",
  ...rows,
  "",
  `Minified bytes of the createAscToken bundle by source file: ${byFile.join(", ")}.`,
].join("\n");
console.log(table);

if (process.argv.includes("--write")) {
  const file = new URL("bench/RESULTS.md", root);
  const block = `<!-- size:start (written by \`node scripts/size.mjs --write\`) -->\n${table}\n<!-- size:end -->`;
  const previous = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmark results\n";
  writeFileSync(
    file,
    /<!-- size:start[^]*?<!-- size:end -->/.test(previous)
      ? previous.replace(/<!-- size:start[^]*?<!-- size:end -->/, () => block)
      : `${previous.trimEnd()}\n\n${block}\n`,
  );
}

// One result line for .ci/run's summary ("N passed, N failed").
mkdirSync(new URL(".tmp/", root), { recursive: true });
writeFileSync(
  new URL(".tmp/size-result.json", root),
  JSON.stringify({ passed: failed ? 0 : 1, failed: failed ? 1 : 0 }),
);

if (failed) {
  console.error(`\nsize check FAILED: the createAscToken bundle is over ${BUDGET} B gzip.`);
  process.exit(1);
}
console.log("\nsize check passed.");
