import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    // Prints, once at the end, what was skipped for a missing tool and how to install it.
    globalSetup: ["test/setup/tools.ts"],
    // The JSON report feeds the one-line summary that .ci/run prints.
    reporters: ["default", ["json", { outputFile: ".tmp/vitest-report.json" }]],
    // `npm test` runs with --coverage: the library files must stay at 95 % of lines and branches.
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      // The command (Node only) is tested as a child process from the packed package, which v8
      // coverage of this process cannot see; settings.ts is unit-tested all the same.
      exclude: ["src/cli/**"],
      reporter: ["text", "json-summary"],
      reportsDirectory: "coverage",
      thresholds: { lines: 95, branches: 95 },
    },
  },
});
