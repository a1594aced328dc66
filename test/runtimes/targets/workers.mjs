// Cloudflare Workers: workerd (bundled with miniflare) runs a module worker that imports the
// packed ESM build and the suite; the fixtures go in by POST and the outcome comes back as JSON.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Not newer than the workerd build miniflare 4.20260426.0 ships (1.20260426.x). */
const COMPATIBILITY_DATE = "2026-04-01";

export const targets = [
  {
    name: "cloudflare-workers",
    run: async (ctx) => {
      const { Miniflare } = await import("miniflare");
      const source = (file) => readFileSync(join(ctx.consumer, file), "utf8");
      // The packed ESM build, a file per module, under ./asc-token/ (all but the command line).
      const dist = "node_modules/asc-token/dist";
      const library = readdirSync(join(ctx.consumer, dist), { recursive: true })
        .filter((file) => file.endsWith(".js") && file !== "cli.js")
        .map((file) => ({
          type: "ESModule",
          path: join(ctx.consumer, "asc-token", file),
          contents: source(join(dist, file)),
        }));
      const mf = new Miniflare({
        compatibilityDate: COMPATIBILITY_DATE,
        cf: false, // the built-in placeholder `request.cf`: never fetch one from the network
        modules: [
          {
            type: "ESModule",
            path: join(ctx.consumer, "worker.mjs"),
            contents: source("worker.mjs"),
          },
          ...library,
          {
            type: "ESModule",
            path: join(ctx.consumer, "suite.mjs"),
            contents: source("suite.mjs"),
          },
        ],
      });
      try {
        const response = await mf.dispatchFetch("http://localhost/", {
          method: "POST",
          body: JSON.stringify(ctx.fixtures),
        });
        const text = await response.text();
        if (!response.ok)
          throw new Error(`the worker answered ${String(response.status)}: ${text.slice(0, 500)}`);
        return { outcome: JSON.parse(text) };
      } finally {
        await mf.dispose();
      }
    },
  },
];
