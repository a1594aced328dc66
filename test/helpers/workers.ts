// Bundling a docs example as Cloudflare Workers would run it, with "asc-token" read from src/.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** `entry` bundled into one ES module for workerd (its export conditions), as text. */
export const bundleForWorkers = async (entry: string): Promise<string> => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    alias: { "asc-token": `${root}src/index.ts` },
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
};
