// Vercel Edge: edge-runtime's EdgeRuntime (the VM Vercel's edge functions run on in
// development) evaluates classic scripts, so esbuild bundles the packed ESM build and the suite
// to an IIFE first. The outcome crosses the VM boundary as JSON.
import { join } from "node:path";

export const targets = [
  {
    name: "vercel-edge",
    run: async (ctx) => {
      const { build } = await import("esbuild");
      const { EdgeRuntime } = await import("edge-runtime");
      const bundle = await build({
        entryPoints: [join(ctx.consumer, "edge-entry.mjs")],
        absWorkingDir: ctx.consumer,
        bundle: true,
        format: "iife",
        platform: "browser",
        target: "es2022",
        write: false,
        logLevel: "silent",
      });
      const runtime = new EdgeRuntime({ initialCode: bundle.outputFiles[0].text });
      const json = await runtime.evaluate(`ascConformance(${JSON.stringify(ctx.fixtures)})`);
      return { outcome: JSON.parse(json) };
    },
  },
];
