// Node: `import "asc-token"` and `require("asc-token")` from the packed package.
import { runJson } from "../spawn.mjs";
import { entryCheck } from "./entry.mjs";

const nodeRun = (runner, build) => async (ctx) => {
  const outcome = await runJson(process.execPath, [runner, ctx.fixturesFile], {
    cwd: ctx.consumer,
  });
  return { outcome, extra: [entryCheck(outcome, build)] };
};

export const targets = [
  { name: "node-esm", run: nodeRun("node-esm.mjs", "dist/index.js") },
  { name: "node-cjs", run: nodeRun("node-cjs.cjs", "dist/index.cjs") },
];
