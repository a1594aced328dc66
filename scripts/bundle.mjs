// The one way this repo bundles an entry to weigh it, as issue 7 defines it: esbuild
// `--bundle --minify --format=esm --platform=browser`, then gzip level 9 (node:zlib).
// Used by scripts/size.mjs (the gate) and bench/size-parts.mjs (where the bytes go).
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/**
 * Bundles `stdin` (esbuild's { contents, resolveDir, loader }) and returns its minified and gzip
 * byte counts, plus esbuild's metafile when `extra.metafile` is set.
 */
export const weigh = async (stdin, extra = {}) => {
  const result = await build({
    stdin,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
    ...extra,
  });
  const bytes = result.outputFiles[0].contents;
  return {
    minified: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    metafile: result.metafile,
  };
};
