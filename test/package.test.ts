// What a consumer installs: the packed package runs nothing on install. An install script
// (preinstall, install, postinstall, prepare) makes every install of a zero-dependency package
// warn, and runs code on the user's machine the library does not need.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

const root = fileURLToPath(new URL("../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "asc-token-pack-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall", "prepare"];

it("the packed package.json has no install scripts", () => {
  // --ignore-scripts: packing must not depend on a lifecycle script either (dist/ is built first).
  const tarball = execFileSync(
    "npm",
    ["pack", "--silent", "--ignore-scripts", "--pack-destination", dir],
    { cwd: root, encoding: "utf8" },
  )
    .trim()
    .split("\n")
    .at(-1)!;
  const manifest = JSON.parse(
    execFileSync("tar", ["-xzOf", join(dir, tarball), "package/package.json"], {
      encoding: "utf8",
    }),
  ) as { name?: string; scripts?: Record<string, string> };
  expect(manifest.name).toBe("asc-token");
  const scripts = Object.keys(manifest.scripts ?? {});
  expect(scripts.filter((name) => INSTALL_SCRIPTS.includes(name))).toStrictEqual([]);
}, 60_000);
