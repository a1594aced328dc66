// No output of the built CLI holds key material, whatever goes into any flag, positional slot or
// environment variable it reads. The table is built from the CLI's own lists (FLAGS and
// ENV_VARIABLES in src/cli/settings.ts), so a new flag or variable is covered without a new test.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ENV_VARIABLES, FLAGS, KEY_VARIABLES } from "../../src/cli/settings.js";
import { MINT_KINDS } from "../../src/cli/kinds.js";
import { makeP256 } from "../helpers/keys.js";
import { expectNoKeyMaterial, forbiddenRuns } from "../helpers/no-leak.js";

const cli = new URL("../../dist/cli.js", import.meta.url).pathname;
const keyId = "2X9R4HXF34";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";

const key = makeP256();
const body = key.appleDer.toString("base64");
const base64Pem = Buffer.from(key.applePem).toString("base64");
/** The forms a key takes when pasted: PEM, its bare body, base64 of the file, an API key JSON. */
const FORMS = {
  pem: key.applePem,
  "bare base64 body": body,
  "base64 of the PEM": base64Pem,
  "api_key.json": JSON.stringify({ key_id: keyId, issuer_id: issuerId, key: key.applePem }),
};
// The key's base64, and the key-dependent part of the base64 of the whole file (its first and
// last 40 characters encode the armor lines, the same for every key).
const forbidden = forbiddenRuns([body, base64Pem.slice(40, -40)]);

type Slot = [name: string, args: (value: string) => string[], env: (value: string) => object];
const noEnv = () => ({});
/**
 * The other kinds' settings (fastlane's variables are App Store Connect's only), so a value under
 * test for one of them is read and used.
 */
let kindBaseline: Record<string, string>;
const kindEnv = () => kindBaseline;

/** Every place a value can go: each flag (both spellings), each positional slot, each variable. */
const SLOTS: Slot[] = [
  ...Object.entries(FLAGS).flatMap(([name, flag]): Slot[] =>
    flag.type === "string"
      ? [
          [`--${name} <value>`, (v) => [`--${name}`, v], noEnv],
          [`--${name}=<value>`, (v) => [`--${name}=${v}`], noEnv],
        ]
      : [[`--${name}=<value>`, (v) => [`--${name}=${v}`], noEnv]],
  ),
  // Each kind's own flags, read by that kind (App Store Connect's are the ones above).
  ...Object.entries(MINT_KINDS).flatMap(([kind, { flags }]): Slot[] =>
    flags
      .filter((name) => FLAGS[name].type === "string")
      .map((name): Slot => [`${kind} --${name} <value>`, (v) => [kind, `--${name}`, v], kindEnv]),
  ),
  ["--kind <value>", (v) => ["--kind", v], noEnv],
  ["doctor --kind <value>", (v) => ["doctor", "--kind", v, "-"], noEnv],
  ["<value> as the command", (v) => [v], noEnv],
  ["-- <value>", (v) => ["--", v], noEnv],
  ["-<value>", (v) => [`-${v}`], noEnv],
  ...["decode", "doctor", "demo"].map((command): Slot => [
    `${command} <value>`,
    (v) => [command, v],
    noEnv,
  ]),
  ...ENV_VARIABLES.map((name): Slot => [name, () => [], (v) => ({ [name]: v })]),
  // The variables other kinds read, read by one of those kinds.
  ...(["ASC_TEAM_ID", "ASC_CLIENT_ID"] as const).map((name): Slot => [
    `sign-in-with-apple with ${name}`,
    () => ["sign-in-with-apple"],
    (v) => ({ ...kindBaseline, [name]: v }),
  ]),
  ...(["ASC_BUNDLE_ID", "ASC_ISSUER_ID"] as const).map((name): Slot => [
    `app-store-server with ${name}`,
    () => ["app-store-server"],
    (v) => ({ ...kindBaseline, [name]: v }),
  ]),
  [
    "weatherkit with ASC_SERVICE_ID",
    () => ["weatherkit"],
    (v) => ({ ...kindBaseline, ASC_SERVICE_ID: v }),
  ],
  ...KEY_VARIABLES.map((name): Slot => [
    `demo with ${name}`,
    () => ["demo"],
    (v) => ({ [name]: v }),
  ]),
];

let dir: string;
/**
 * Every other setting, from the lowest-precedence source (fastlane's variables), so the value
 * under test is the one read and used: a mint gets as far as the value lets it.
 */
let baseline: Record<string, string>;

beforeAll(() => {
  expect(existsSync(cli), "dist/cli.js is missing: run npm run build first").toBe(true);
  dir = mkdtempSync(join(tmpdir(), "asc-token-no-leak-"));
  const keyFile = join(dir, `AuthKey_${keyId}.p8`);
  writeFileSync(keyFile, key.applePem, { mode: 0o600 });
  baseline = {
    APP_STORE_CONNECT_API_KEY_ISSUER_ID: issuerId,
    APP_STORE_CONNECT_API_KEY_KEY_FILEPATH: keyFile,
  };
  kindBaseline = {
    ASC_PRIVATE_KEY_PATH: keyFile,
    ASC_ISSUER_ID: issuerId,
    ASC_TEAM_ID: "DEF123GHIJ",
    ASC_BUNDLE_ID: "com.example.app",
    ASC_CLIENT_ID: "com.example.web",
    ASC_SERVICE_ID: "com.example.weather",
  };
});

const runCli = (args: string[], env: object) =>
  new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: dir, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 20_000,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", () => {
      resolve(output);
    });
  });

/** Runs `jobs` with at most `limit` at a time (the machine is shared; a process each). */
const pool = async <T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> => {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
};

describe("the CLI never prints key material", () => {
  it("the table covers every flag and variable the CLI reads", () => {
    for (const name of Object.keys(FLAGS)) {
      expect(SLOTS.some(([slot]) => slot.startsWith(`--${name}`))).toBe(true);
    }
    for (const name of ENV_VARIABLES) expect(SLOTS.some(([slot]) => slot === name)).toBe(true);
  });

  it("in any flag, positional slot or variable", async () => {
    const cases = SLOTS.flatMap(([slot, args, env]) =>
      Object.entries(FORMS).flatMap(([form, value]) =>
        // Commands also alone: without a key configured, demo takes another path.
        (["decode", "doctor", "demo <"].some((c) => slot.startsWith(c))
          ? [baseline, {}]
          : [baseline]
        ).map((base) => ({
          label: `${slot} = ${form}${base === baseline ? "" : ", alone"}`,
          args: args(value),
          env: { ...base, ...env(value) },
        })),
      ),
    );
    const outputs = await pool(
      cases.map((c) => () => runCli(c.args, c.env)),
      4,
    );
    cases.forEach((c, i) => {
      const output = outputs[i]!;
      expect(output, c.label).not.toBe("");
      expectNoKeyMaterial(`${c.label}\n${output}`, forbidden);
    });
  }, 240_000);
});
