// Runs the conformance suite in Deno on the module named by the second argument: the packed
// package's ESM build, or src/index.ts itself. Prints the outcome as JSON.
/* global Deno */
import { run } from "./suite.mjs";

const [fixturesFile, specifier] = Deno.args;
const fixtures = JSON.parse(Deno.readTextFileSync(fixturesFile));
const lib = await import(specifier);
const outcome = await run(lib, fixtures);
console.log(JSON.stringify({ ...outcome, entry: import.meta.resolve(specifier) }));
