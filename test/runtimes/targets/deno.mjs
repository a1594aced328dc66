// Deno (npm `deno`): `import "asc-token"` from the packed package (Deno resolves it through the
// consumer's node_modules), and the TypeScript source itself, as JSR users get it; plus
// `deno publish --dry-run` for jsr.json, which runs offline.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runJson, runOk } from "../spawn.mjs";
import { entryCheck } from "./entry.mjs";

const denoRun = (ctx, extraFlags, specifier, testingSpecifier) =>
  runJson(
    ctx.bin("deno"),
    [
      "run",
      "--no-prompt",
      ...extraFlags,
      "deno.mjs",
      ctx.fixturesFile,
      specifier,
      testingSpecifier,
    ],
    {
      cwd: ctx.consumer,
      env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    },
  );

const publishCheck = async (ctx) => {
  try {
    await runOk(ctx.bin("deno"), ["publish", "--dry-run", "--allow-dirty"], {
      cwd: ctx.root,
      env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    });
    return { name: "deno publish --dry-run (jsr.json)", ok: true };
  } catch (error) {
    return { name: "deno publish --dry-run (jsr.json)", ok: false, error: error.message };
  }
};

export const targets = [
  {
    name: "deno-esm",
    run: async (ctx) => {
      const outcome = await denoRun(
        ctx,
        [`--allow-read=${ctx.fixturesFile}`],
        "asc-token",
        "asc-token/testing",
      );
      return { outcome, extra: [entryCheck(outcome, "dist/index.js")] };
    },
  },
  {
    name: "deno-ts-src",
    run: async (ctx) => {
      // src/ imports "./x.js" for files named x.ts (TypeScript's convention): Deno calls that sloppy.
      const source = pathToFileURL(join(ctx.root, "src/index.ts")).href;
      const outcome = await denoRun(
        ctx,
        ["--sloppy-imports", `--allow-read=${ctx.fixturesFile},${join(ctx.root, "src")}`],
        source,
        pathToFileURL(join(ctx.root, "src/testing.ts")).href,
      );
      return { outcome, extra: [entryCheck(outcome, "src/index.ts"), await publishCheck(ctx)] };
    },
  },
];
