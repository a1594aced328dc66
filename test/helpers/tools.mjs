// Tools from outside npm that some tests need: redis-server, PyJWT and two browsers. A fresh
// machine with only Node has none of them, and `npm test` passes there: what needs a missing
// tool is skipped, and the run ends with one notice naming what was skipped and the command that
// installs it. Under CI=true (.ci/run, which installs them, and GitHub Actions) a missing tool is a
// failure instead, unless ASC_TOKEN_OPTIONAL_TOOLS lists it (the workflow's macOS and Windows
// runners, which have no Debian packages). REQUIRE_BROWSERS=1 requires the browsers too.
//
// JavaScript, not TypeScript: the runtime matrix (plain Node) reads it as well as vitest.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const APT = "sudo apt-get install -y --no-install-recommends";

/**
 * Each tool: what it is found by, what needs it, and the Debian/Ubuntu package(s) installing it.
 * @type {Record<string, { find: (env: NodeJS.ProcessEnv) => string | undefined; needs: string; packages: string[]; other?: string }>}
 */
export const TOOLS = {
  "redis-server": {
    find: (env) => onPath("redis-server", env),
    needs: "the fleet against a real Redis (test/store/redis*.test.ts)",
    packages: ["redis-server"],
    other: "macOS: brew install redis",
  },
  pyjwt: {
    // The first Python 3 on PATH that has PyJWT: the first one (pyenv's or a venv's) may lack it
    // where Debian's /usr/bin/python3, which apt installs python3-jwt for, has it.
    find: (env) =>
      pythons(env).find(
        (python) =>
          existsSync(python) &&
          spawnSync(python, ["-c", "import jwt, cryptography"], { env, stdio: "ignore" }).status ===
            0,
      ),
    needs: "PyJWT as an independent verifier (test/kinds/external-verifiers.test.ts)",
    packages: ["python3-jwt", "python3-cryptography"],
    other: "elsewhere: pip install pyjwt cryptography",
  },
  chromium: {
    find: (env) => onPath("chromium", env),
    needs: "the chromium row of the runtime matrix (npm run test:runtimes)",
    packages: ["chromium"],
  },
  "firefox-esr": {
    find: (env) => onPath("firefox-esr", env),
    needs: "the firefox row of the runtime matrix (npm run test:runtimes)",
    packages: ["firefox-esr"],
  },
};

/** The full path of `name` on `env`'s PATH (with PATHEXT's extensions on Windows), or undefined. */
export const onPath = (name, env = process.env) => everyOnPath(name, env)[0];

/** Every full path of `name` on `env`'s PATH, in PATH's order. */
const everyOnPath = (name, env = process.env) => {
  const found = [];
  const path = env.PATH ?? env.Path ?? "";
  const extensions =
    process.platform === "win32" ? ["", ...(env.PATHEXT ?? ".EXE;.CMD").split(";")] : [""];
  for (const dir of path.split(delimiter).filter(Boolean)) {
    for (const extension of extensions) {
      const file = join(dir, name + extension);
      if (existsSync(file)) found.push(file);
    }
  }
  return found;
};

/** Every Python 3 on PATH: python3, or `python` on Windows. */
const pythons = (env) =>
  process.platform === "win32"
    ? [...everyOnPath("python3", env), ...everyOnPath("python", env)]
    : everyOnPath("python3", env);

/** The Python 3 the PyJWT tests run: python3 on PATH, or `python` on Windows. */
export const python3 = (env = process.env) =>
  onPath("python3", env) ?? (process.platform === "win32" ? onPath("python", env) : undefined);

/** True when a missing `tool` must fail the run rather than skip: see the file's comment. */
export const isRequired = (tool, env = process.env) => {
  const optional = (env.ASC_TOKEN_OPTIONAL_TOOLS ?? "").split(",").map((name) => name.trim());
  if (optional.includes(tool)) return false;
  const browser = tool === "chromium" || tool === "firefox-esr";
  return env.CI === "true" || (browser && env.REQUIRE_BROWSERS === "1");
};

/** The one command (Debian, Ubuntu) installing every tool in `tools`. */
export const installCommand = (tools) =>
  `${APT} ${tools.flatMap((tool) => TOOLS[tool].packages).join(" ")}`;

/** The notice for the tools in `tools` that were missing: what was skipped, and how to install. */
export const notice = (tools) =>
  [
    `Skipped: ${tools.length === 1 ? "a tool is" : "tools are"} missing on this machine ` +
      "(CI=true makes this a failure):",
    ...tools.map(
      (tool) =>
        `  - ${tool}: ${TOOLS[tool].needs}` + (TOOLS[tool].other ? ` (${TOOLS[tool].other})` : ""),
    ),
    `Install ${tools.length === 1 ? "it" : "them"} with: ${installCommand(tools)}`,
  ].join("\n");

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/**
 * Where the test files record what they skipped, for the one notice at the end of the run
 * (another directory for a run started inside a test, so the two do not mix).
 */
export const SKIPPED_DIR = process.env.ASC_TOKEN_SKIPPED_DIR ?? join(root, ".tmp/skipped-tools");

/**
 * Whether the tests needing `tool` can run here. True when it is installed; false when it is
 * missing and may be (the skip is recorded for the notice); throws when it is missing and
 * required, so the suite fails saying what to install.
 */
export const canRun = (tool, env = process.env) => {
  if (TOOLS[tool].find(env) !== undefined) return true;
  if (isRequired(tool, env)) {
    throw new Error(
      `${tool} is missing and required (CI=true): ${TOOLS[tool].needs}. ` +
        `Install it with: ${installCommand([tool])}`,
    );
  }
  mkdirSync(SKIPPED_DIR, { recursive: true });
  writeFileSync(join(SKIPPED_DIR, tool), "");
  return false;
};

/** What the test files recorded as skipped in this run, and the notice for it ("" if none). */
export const skippedNotice = () => {
  const tools = existsSync(SKIPPED_DIR)
    ? readdirSync(SKIPPED_DIR).filter((name) => name in TOOLS)
    : [];
  return tools.length === 0 ? "" : notice(tools);
};

/** Forgets what an earlier run skipped. */
export const clearSkipped = () => {
  rmSync(SKIPPED_DIR, { recursive: true, force: true });
};

// For `node test/helpers/tools.mjs`: which tools this machine has, one line each.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [tool, { find }] of Object.entries(TOOLS)) {
    const found = find(process.env);
    console.log(`${found ? "found  " : "missing"} ${tool}${found ? ` (${found})` : ""}`);
  }
}
