import { defineConfig } from "tsup";

/** What every library build shares: platform-neutral ES2022 from the library's own tsconfig. */
const library = {
  tsconfig: "tsconfig.lib.json",
  target: "es2022",
  platform: "neutral",
  sourcemap: false,
  minify: false,
} as const;

export default defineConfig([
  {
    // ESM, a file per source file (dist/ mirrors src/): an app's bundler then sees the module
    // graph, so a bundle keeps only the modules it reaches, and TOKEN_KINDS can be read from a
    // namespace import of the kinds without pulling every kind into a createAscToken-only bundle.
    // The test kit is its own entry (dist/testing.js); no library file imports it.
    ...library,
    entry: ["src/**/*.ts", "!src/cli/**"],
    format: ["esm"],
    bundle: false,
  },
  {
    // The ESM declarations, one build per entry point, so that neither shares a chunk.
    ...library,
    entry: { index: "src/index.ts" },
    format: ["esm"],
    dts: { only: true },
  },
  {
    ...library,
    entry: { testing: "src/testing.ts" },
    format: ["esm"],
    dts: { only: true },
  },
  {
    // CommonJS, one bundled file per entry point, with its declarations. Each entry is a build of
    // its own, so that a require of "asc-token" never loads the test kit.
    ...library,
    entry: { index: "src/index.ts" },
    format: ["cjs"],
    dts: true,
    treeshake: true,
  },
  {
    ...library,
    entry: { testing: "src/testing.ts" },
    format: ["cjs"],
    dts: true,
    treeshake: true,
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
