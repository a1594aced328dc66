// The runtime matrix: packs the package, runs the conformance suite in every target runtime,
// verifies every returned token here with node:crypto, prints one line per runtime, and writes
// .tmp/matrix.json ({ passed, failed }) for scripts/ci-summary.mjs. Exits 1 on any failure.
//
//   node test/runtimes/run-matrix.mjs [name ...]   (names filter the targets, e.g. "node" "deno")
//
// A browser target whose browser is missing is skipped, and the run ends with one notice naming
// what was skipped and the command installing it; under CI=true or REQUIRE_BROWSERS=1 (both set
// by .ci/run) it counts as a failure instead (test/helpers/tools.mjs decides).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareConsumer } from "./consumer.mjs";
import { makeFixtures } from "./fixtures.mjs";
import { isRequired, notice } from "../helpers/tools.mjs";
import { grade } from "./grade.mjs";
import { targets as browsers } from "./targets/browsers.mjs";
import { targets as bun } from "./targets/bun.mjs";
import { targets as bundler } from "./targets/bundler.mjs";
import { targets as deno } from "./targets/deno.mjs";
import { targets as edge } from "./targets/edge.mjs";
import { targets as node } from "./targets/node.mjs";
import { targets as workers } from "./targets/workers.mjs";

const TIMEOUT_MS = 120_000;
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const report = join(root, ".tmp/matrix.json");
/** The tool a skipped target lacks: the browser it drives. */
const toolOf = (name) => (name.includes("firefox") ? "firefox-esr" : "chromium");

const writeReport = (passed, failed) => {
  mkdirSync(dirname(report), { recursive: true });
  writeFileSync(report, `${JSON.stringify({ passed, failed })}\n`);
};

const withTimeout = (promise, ms, what) => {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not finish within ${String(ms / 1000)} s`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

const main = async () => {
  writeReport(0, 1); // stands until the matrix finishes: a crash must not read as a pass
  const filters = process.argv.slice(2);
  const all = [...node, ...deno, ...bun, ...browsers, ...workers, ...edge, ...bundler];
  const selected = all.filter(
    (t) => filters.length === 0 || filters.some((f) => t.name.includes(f)),
  );

  const work = join(root, ".tmp/runtimes");
  const { consumer } = prepareConsumer(root, work);
  const { fixtures, publicKeys } = makeFixtures();
  const fixturesFile = join(work, "fixtures.json");
  writeFileSync(fixturesFile, JSON.stringify(fixtures));
  const ctx = {
    root,
    consumer,
    fixtures,
    fixturesFile,
    bin: (name) => join(root, "node_modules/.bin", name),
  };

  let passed = 0;
  let failed = 0;
  const skipped = [];
  for (const target of selected) {
    const started = Date.now();
    let checks;
    try {
      const result = await withTimeout(target.run(ctx), TIMEOUT_MS, target.name);
      if (result.skip) {
        const required = isRequired(toolOf(target.name));
        console.log(
          `SKIP ${target.name}: ${result.skip}${required ? " (a failure under CI)" : ""}`,
        );
        if (required) failed += 1;
        else skipped.push(toolOf(target.name));
        continue;
      }
      checks = [
        ...grade(result.outcome, fixtures, publicKeys, { start: started, end: Date.now() }),
        ...(result.extra ?? []),
      ];
    } catch (error) {
      checks = [
        { name: "run", ok: false, error: error instanceof Error ? error.message : String(error) },
      ];
    }
    const bad = checks.filter((c) => !c.ok);
    const good = checks.length - bad.length;
    passed += good;
    failed += bad.length;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `${bad.length === 0 ? "PASS" : "FAIL"} ${target.name} ${String(good)}/${String(checks.length)} (${seconds} s)`,
    );
    for (const check of bad.slice(0, 8))
      console.log(
        `    ✗ ${check.name}: ${String(check.error ?? "failed")
          .split("\n")
          .join("\n      ")}`,
      );
    if (bad.length > 8) console.log(`    … and ${String(bad.length - 8)} more`);
  }
  if (selected.length === 0) failed += 1;
  writeReport(passed, failed);
  console.log(`runtime matrix: ${String(passed)} checks passed, ${String(failed)} failed`);
  if (skipped.length > 0) console.log(`\n${notice(skipped)}`);
  return failed === 0;
};

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
