// Runs the conformance suite on `import "asc-token"` (the packed package's ESM build) in Node
// or Bun. Copied into the consumer project beside suite.mjs; prints the outcome as JSON.
import { readFileSync } from "node:fs";
import * as lib from "asc-token";
import * as testing from "asc-token/testing";
import { run } from "./suite.mjs";

const fixtures = JSON.parse(readFileSync(process.argv[2], "utf8"));
const outcome = await run(lib, fixtures, testing);
console.log(JSON.stringify({ ...outcome, entry: import.meta.resolve("asc-token") }));
