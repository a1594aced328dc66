// A bundler consumer: esbuild bundles `import { createAscToken, ... } from "asc-token"` for
// --platform=browser from the packed package. It must resolve to the ESM build, pull in no Node
// built-in, and the bundle must mint tokens (run here from a data: URL).
import { join } from "node:path";

export const targets = [
  {
    name: "esbuild-browser-bundle",
    run: async (ctx) => {
      const { build } = await import("esbuild");
      const result = await build({
        entryPoints: [join(ctx.consumer, "bundle-entry.mjs")],
        absWorkingDir: ctx.consumer,
        bundle: true,
        format: "esm",
        platform: "browser",
        target: "es2022",
        minify: true,
        metafile: true,
        write: false,
        logLevel: "silent",
      });
      const inputs = Object.keys(result.metafile.inputs);
      const nodeBuiltins = inputs.filter((input) =>
        /^node:|^(crypto|buffer|fs|util|stream)$/.test(input),
      );
      const libraryInputs = inputs.filter((input) => input.includes("node_modules/asc-token/"));
      // The ESM build is a file per module: every input of the package is one of its .js files,
      // reached from the two entry points.
      const usesEsmBuild =
        libraryInputs.every((input) => /\/dist\/.+\.js$/.test(input)) &&
        libraryInputs.some((input) => input.endsWith("dist/index.js")) &&
        libraryInputs.some((input) => input.endsWith("dist/testing.js"));
      const code = result.outputFiles[0].text;
      const { runSuite } = await import(
        `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`
      );
      const outcome = await runSuite(ctx.fixtures);
      return {
        outcome,
        extra: [
          {
            name: "bundle has no Node built-ins",
            ok: nodeBuiltins.length === 0 && !/\brequire\(|from\s*["']node:/.test(code),
            ...(nodeBuiltins.length > 0 && { error: nodeBuiltins.join(", ") }),
          },
          {
            name: "bundle uses the ESM builds",
            ok: usesEsmBuild,
            ...(!usesEsmBuild && { error: libraryInputs.join(", ") }),
          },
        ],
      };
    },
  },
];
