import { defineConfig } from "tsup";

export default defineConfig([
  {
    // The library: platform-neutral ESM + CJS with declarations.
    entry: { index: "src/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    tsconfig: "tsconfig.lib.json",
    target: "es2022",
    platform: "neutral",
    treeshake: true,
    sourcemap: false,
    minify: false,
  },
  {
    // The test kit (asc-token/testing): a build of its own, so that the library's files never
    // import a chunk shared with it, and a bundle of "asc-token" cannot reach it.
    entry: { testing: "src/testing.ts" },
    format: ["esm", "cjs"],
    dts: true,
    tsconfig: "tsconfig.lib.json",
    target: "es2022",
    platform: "neutral",
    treeshake: true,
    sourcemap: false,
    minify: false,
  },
  {
    // The command: Node only, ESM, keeps its #! line.
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    target: "node20",
    platform: "node",
    treeshake: true,
    sourcemap: false,
  },
]);
