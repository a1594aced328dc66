// Runs the conformance suite in Deno on the modules named by the second and third arguments: the
// packed package's ESM builds, or src/index.ts and src/testing.ts themselves. Prints the outcome
// as JSON.
/* global Deno */
import { run } from "./suite.mjs";

const [fixturesFile, specifier, testingSpecifier] = Deno.args;
const fixtures = JSON.parse(Deno.readTextFileSync(fixturesFile));
const lib = await import(specifier);
const testing = await import(testingSpecifier);
const outcome = await run(lib, fixtures, testing);
console.log(JSON.stringify({ ...outcome, entry: import.meta.resolve(specifier) }));
