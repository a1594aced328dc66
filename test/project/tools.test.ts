// `npm test` on a machine with only Node: the tests needing redis-server, PyJWT or a browser
// skip with one notice naming what was skipped and the command installing it, and fail instead
// under CI=true. Simulated here with a PATH that holds only node.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { canRun, isRequired, notice, onPath, TOOLS } from "../helpers/tools.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const empty = mkdtempSync(join(tmpdir(), "asc-token-path-"));
const skipped = mkdtempSync(join(tmpdir(), "asc-token-skipped-"));
afterAll(() => {
  rmSync(empty, { recursive: true, force: true });
  rmSync(skipped, { recursive: true, force: true });
});
/**
 * An environment whose PATH is an empty directory: no redis-server, python3 or browser (vitest
 * starts its workers with node's own path, and esbuild with its package's binary).
 */
const bare = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: empty,
  ...(process.env.SystemRoot !== undefined && { SystemRoot: process.env.SystemRoot }),
  ASC_TOKEN_SKIPPED_DIR: skipped,
  ...extra,
});

describe("finding the tools", () => {
  it("finds none of them on a PATH without them", () => {
    for (const [tool, { find }] of Object.entries(TOOLS)) {
      expect(find({ PATH: empty }), tool).toBeUndefined();
    }
  });

  it("finds a program on PATH by name", () => {
    const dir = mkdtempSync(join(tmpdir(), "asc-token-fake-"));
    const name = process.platform === "win32" ? "redis-server.cmd" : "redis-server";
    writeFileSync(join(dir, name), "");
    expect(
      onPath("redis-server", { PATH: `${empty}${process.platform === "win32" ? ";" : ":"}${dir}` }),
    ).toBe(join(dir, name));
    rmSync(dir, { recursive: true, force: true });
  });

  it("a missing tool is required under CI=true unless ASC_TOKEN_OPTIONAL_TOOLS lists it", () => {
    expect(isRequired("redis-server", {})).toBe(false);
    expect(isRequired("redis-server", { CI: "true" })).toBe(true);
    expect(
      isRequired("pyjwt", { CI: "true", ASC_TOKEN_OPTIONAL_TOOLS: "redis-server, pyjwt" }),
    ).toBe(false);
    expect(isRequired("chromium", { REQUIRE_BROWSERS: "1" })).toBe(true);
    expect(isRequired("redis-server", { REQUIRE_BROWSERS: "1" })).toBe(false);
    expect(() => canRun("redis-server", { PATH: empty, CI: "true" })).toThrow(
      "redis-server is missing and required (CI=true): the fleet against a real Redis " +
        "(test/store/redis*.test.ts). Install it with: " +
        "sudo apt-get install -y --no-install-recommends redis-server",
    );
  });

  it("the notice names each skipped tool, what needed it, and one command installing them all", () => {
    expect(notice(["redis-server", "pyjwt"])).toBe(
      [
        "Skipped: tools are missing on this machine (CI=true makes this a failure):",
        "  - redis-server: the fleet against a real Redis (test/store/redis*.test.ts) (macOS: brew install redis)",
        "  - pyjwt: PyJWT as an independent verifier (test/kinds/external-verifiers.test.ts) (elsewhere: pip install pyjwt cryptography)",
        "Install them with: sudo apt-get install -y --no-install-recommends redis-server " +
          "python3-jwt python3-cryptography",
      ].join("\n"),
    );
  });
});

describe("vitest on a machine without redis-server (a run inside this one)", () => {
  const vitest = (env: NodeJS.ProcessEnv) =>
    spawnSync(
      process.execPath,
      [
        join(root, "node_modules/vitest/vitest.mjs"),
        "run",
        "test/store/redis.test.ts",
        "test/store/redis-oauth.test.ts",
      ],
      { cwd: root, env, encoding: "utf8", timeout: 120_000 },
    );

  it("passes, skipping the Redis tests, and ends with the notice", () => {
    const run = vitest(bare());
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/skipped/);
    expect(run.stdout).toContain(
      "Skipped: a tool is missing on this machine (CI=true makes this a failure):\n" +
        "  - redis-server: the fleet against a real Redis (test/store/redis*.test.ts)",
    );
    expect(run.stdout).toContain(
      "Install it with: sudo apt-get install -y --no-install-recommends redis-server",
    );
  }, 120_000);

  it("fails under CI=true, saying what to install", () => {
    const run = vitest(bare({ CI: "true" }));
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain("redis-server is missing and required (CI=true)");
  }, 120_000);
});
