// Bun (npm `bun`; its postinstall puts the binary in place): the packed ESM and CJS builds.
import { runJson } from "../spawn.mjs";
import { entryCheck } from "./entry.mjs";

const bunRun = (runner, build) => async (ctx) => {
  const outcome = await runJson(ctx.bin("bun"), [runner, ctx.fixturesFile], {
    cwd: ctx.consumer,
    env: { DO_NOT_TRACK: "1" },
  });
  return { outcome, extra: [entryCheck(outcome, build)] };
};

export const targets = [
  { name: "bun-esm", run: bunRun("node-esm.mjs", "dist/index.js") },
  { name: "bun-cjs", run: bunRun("node-cjs.cjs", "dist/index.cjs") },
];
