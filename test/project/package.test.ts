// What a consumer installs: the packed package runs nothing on install. An install script
// (preinstall, install, postinstall, prepare) makes every install of a zero-dependency package
// warn, and runs code on the user's machine the library does not need. And the README read
// inside node_modules has no dead link: every relative link of the README and docs/ leads to a
// file in the tarball.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "asc-token-pack-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Packs the package into `dir` as `npm publish` would, and returns the tarball's file name.
 * --ignore-scripts: packing must not depend on a lifecycle script either (dist/ is built first).
 */
const pack = (): string =>
  execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", dir], {
    cwd: root,
    encoding: "utf8",
    shell: process.platform === "win32",
  })
    .trim()
    .split("\n")
    .at(-1)!;

const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall", "prepare"];

it("the packed package.json has no install scripts", () => {
  const tarball = pack();
  const manifest = JSON.parse(
    execFileSync("tar", ["-xzOf", join(dir, tarball), "package/package.json"], {
      encoding: "utf8",
    }),
  ) as { name?: string; scripts?: Record<string, string> };
  expect(manifest.name).toBe("asc-token");
  const scripts = Object.keys(manifest.scripts ?? {});
  expect(scripts.filter((name) => INSTALL_SCRIPTS.includes(name))).toStrictEqual([]);
}, 60_000);

it("every relative link in the packed README and docs resolves inside the tarball", () => {
  const tarball = pack();
  execFileSync("tar", ["-xzf", tarball], { cwd: dir });
  const files = execFileSync("tar", ["-tzf", tarball], { cwd: dir, encoding: "utf8" })
    .split("\n")
    .map((path) => path.replace(/^package\//, ""))
    // What a user reads: the README and docs/ (CONTRIBUTING.md ships for their links to it).
    .filter((path) => /^(?:README|docs\/[\w-]+)\.md$/.test(path));
  expect(files).toContain("README.md");
  expect(files).toContain("docs/fleet.md");
  const dead: string[] = [];
  let checked = 0;
  for (const file of files) {
    // Links outside fenced code blocks: [text](target), the target not a URL or an anchor.
    const prose = readFileSync(join(dir, "package", file), "utf8").replace(
      /^```[\s\S]*?^```/gm,
      "",
    );
    for (const [, target = ""] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^(?:[a-z]+:|#)/.test(target)) continue;
      const path = normalize(join(dirname(file), target.replace(/#.*$/, "")));
      checked++;
      const inside = !relative(".", path).startsWith("..");
      if (!inside || !existsSync(join(dir, "package", path))) dead.push(`${file}: ${target}`);
    }
  }
  expect(dead).toStrictEqual([]);
  expect(checked).toBeGreaterThan(50);
}, 60_000);
