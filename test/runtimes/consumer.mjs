// Prepares what every target loads: the package as `npm pack` makes it, installed offline into a
// throwaway consumer project, with the suite and the runners copied beside it.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const RUNNERS = [
  "node-esm.mjs",
  "node-cjs.cjs",
  "deno.mjs",
  "browser.html",
  "worker.mjs",
  "bundle-entry.mjs",
  "edge-entry.mjs",
];

/** Packs `root` into `work` and installs the tarball into `work/consumer`; returns the consumer's paths. */
export const prepareConsumer = (root, work) => {
  rmSync(work, { recursive: true, force: true });
  const consumer = join(work, "consumer");
  mkdirSync(consumer, { recursive: true });
  const output = execFileSync(
    "npm",
    ["pack", "--silent", "--ignore-scripts", "--pack-destination", work],
    { cwd: root, encoding: "utf8" },
  );
  const tarball = join(work, output.trim().split("\n").pop());
  writeFileSync(
    join(consumer, "package.json"),
    JSON.stringify({ name: "asc-token-consumer", private: true, type: "module" }),
  );
  execFileSync(
    "npm",
    [
      "install",
      "--offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      "--no-package-lock",
      tarball,
    ],
    { cwd: consumer, stdio: "ignore" },
  );
  copyFileSync(join(root, "test/conformance/suite.mjs"), join(consumer, "suite.mjs"));
  for (const file of RUNNERS)
    copyFileSync(join(root, "test/runtimes/runners", file), join(consumer, file));
  return { consumer, esmBuild: join(consumer, "node_modules/asc-token/dist/index.js") };
};
