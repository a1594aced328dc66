// Runs the conformance suite on `require("asc-token")` (the packed package's CJS build) in Node
// or Bun. Copied into the consumer project beside suite.mjs; prints the outcome as JSON.
const { readFileSync } = require("node:fs");
const lib = require("asc-token");
const testing = require("asc-token/testing");

const fixtures = JSON.parse(readFileSync(process.argv[2], "utf8"));
import("./suite.mjs")
  .then(({ run }) => run(lib, fixtures, testing))
  .then((outcome) => {
    console.log(JSON.stringify({ ...outcome, entry: require.resolve("asc-token") }));
  });
