// Prints the one line CI reads, "N passed, N failed", from vitest's JSON report plus any extra
// result files (one JSON object { passed, failed } each, e.g. the runtime matrix's
// .tmp/matrix.json) given as arguments, where a missing one counts as one failure (it never ran),
// and the exit status of `npm test` in NPM_TEST_STATUS. Exits 1 on any failure or when nothing ran.
import { existsSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
const report = ".tmp/vitest-report.json";
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed += json.numPassedTests;
  failed += json.numFailedTests + (json.success ? 0 : json.numFailedTestSuites);
} else {
  failed += 1; // vitest never reported: an earlier step (typecheck, lint, build) failed
}
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    failed += 1;
    continue;
  }
  const extra = JSON.parse(readFileSync(file, "utf8"));
  passed += extra.passed;
  failed += extra.failed;
}
// `npm test` failed although no test did (a coverage threshold after the tests): one failure.
if ((process.env.NPM_TEST_STATUS ?? "0") !== "0" && failed === 0) failed = 1;
// `npm test` failed although no test did (a coverage threshold after the tests): one failure.
if ((process.env.NPM_TEST_STATUS ?? "0") !== "0" && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
