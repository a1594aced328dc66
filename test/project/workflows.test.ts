// The GitHub Actions workflows: valid for GitHub (action-validator, GitHub's workflow schema,
// run as WebAssembly: nothing downloaded), running what the README says on every platform and
// Node the package supports, and publishing with provenance from a version tag. And the npm
// scripts those runners execute hold nothing a Windows shell cannot run.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, "utf8");
const ci = read(".github/workflows/ci.yml");
const release = read(".github/workflows/release.yml");

interface Validation {
  errors: unknown[];
}
const errors = (text: string) => (validateWorkflow(text) as Validation).errors;

describe("the workflows are valid GitHub Actions workflows", () => {
  it.each([
    ["ci.yml", ci],
    ["release.yml", release],
  ])("%s", (_, text) => {
    expect(errors(text)).toStrictEqual([]);
  });

  it("the validator refuses a broken one", () => {
    expect(errors(ci.replace("runs-on:", "runs_on:"))).not.toStrictEqual([]);
    expect(errors("on: push\njobs:\n  x:\n    steps: 3\n")).not.toStrictEqual([]);
  });
});

describe("ci.yml", () => {
  it("runs on Linux, macOS and Windows with Node 20, 22 and 24", () => {
    expect(ci).toContain("os: [ubuntu-latest, macos-latest, windows-latest]");
    expect(ci).toContain("node: [20, 22, 24]");
    expect(ci).toContain("node-version: ${{ matrix.node }}");
    expect(ci).toContain("runs-on: ${{ matrix.os }}");
  });

  it("runs the README's two commands", () => {
    const readme = read("README.md");
    for (const command of ["npm ci && npm run demo", "npm test"]) {
      expect(readme).toContain(command);
      expect(ci).toContain(`run: ${command}\n`);
    }
  });
});

describe("release.yml", () => {
  it("publishes a version tag to npm with provenance and to JSR, after npm test", () => {
    expect(release).toMatch(/on:\n {2}push:\n {4}tags: \["v\*"\]/);
    expect(release).toContain("id-token: write");
    const steps = ["run: npm test", "npm publish --provenance --access public", "npx jsr publish"];
    const at = steps.map((step) => release.indexOf(step));
    expect(at.every((index) => index > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toStrictEqual(at);
  });
});

describe("npm scripts run in any shell (cmd.exe, PowerShell, sh)", () => {
  const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
  it.each(Object.entries(scripts))("%s", (_, script) => {
    // No sh-only syntax outside double quotes (which every shell here reads alike): `VAR=x cmd`,
    // export, $VAR or $(…), single quotes, ;, rm/cp/mv and mkdir -p.
    expect(script.replace(/"[^"]*"/g, '""')).not.toMatch(
      /(?:^|&& )[A-Z_]+=|\bexport |\$[({A-Za-z]|'|;|\b(?:rm|cp|mv) -|mkdir -p/,
    );
  });
});
