// The built CLI, run as a child process from the packed package, the way `npx asc-token` runs it.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sign } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { makeP256, type P256Fixture } from "../helpers/keys.js";
import { decodeToken, verifies } from "../helpers/verify.js";
import { FLAGS } from "../../src/cli/settings.js";
import { KIND_NAMES } from "../../src/cli/kinds.js";

const keyId = "2X9R4HXF34";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";
const root = new URL("../..", import.meta.url).pathname;

let dir: string;
let bin: string;
let key: P256Fixture;
let keyFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "asc-token-cli-"));
  const packed = execFileSync(
    "npm",
    ["pack", "--silent", "--ignore-scripts", "--pack-destination", dir],
    { cwd: root, encoding: "utf8" },
  )
    .trim()
    .split("\n")
    .at(-1)!;
  const consumer = join(dir, "consumer");
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), '{ "name": "consumer", "private": true }');
  execFileSync(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", "--silent", join(dir, packed)],
    { cwd: consumer, stdio: "ignore" },
  );
  bin = join(consumer, "node_modules", ".bin", "asc-token");
  key = makeP256();
  keyFile = join(dir, `AuthKey_${keyId}.p8`);
  writeFileSync(keyFile, key.applePem, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
}, 120_000);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const run = (args: string[], env: Record<string, string> = {}, input?: string): Run => {
  const result = spawnSync(bin, args, {
    encoding: "utf8",
    input,
    env: { PATH: process.env.PATH ?? "", HOME: dir, ...env },
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

/** stdout must be exactly one token and a newline; returns the token. */
const tokenOf = (result: Run): string => {
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  const token = result.stdout.trim();
  expect(verifies(token, key.publicKey)).toBe(true);
  return token;
};

const noKeyMaterial = (text: string) => {
  const body = key.appleDer.toString("base64");
  for (let i = 0; i + 12 <= body.length; i++) expect(text).not.toContain(body.slice(i, i + 12));
};

describe("asc-token (mint)", () => {
  it("from flags: prints only the token", () => {
    const token = tokenOf(run(["--key-id", keyId, "--issuer-id", issuerId, "--key-file", keyFile]));
    const { header, claims } = decodeToken(token);
    expect(header).toStrictEqual({ alg: "ES256", kid: keyId, typ: "JWT" });
    expect(claims).toMatchObject({ iss: issuerId, aud: "appstoreconnect-v1" });
    expect((claims.exp as number) - (claims.iat as number)).toBe(1140);
  });

  it("from ASC_* variables, with the key's newlines as literal \\n", () => {
    const token = tokenOf(
      run([], {
        ASC_KEY_ID: keyId,
        ASC_ISSUER_ID: issuerId,
        ASC_PRIVATE_KEY: key.applePem.replace(/\n/g, "\\n"),
      }),
    );
    expect(decodeToken(token).claims.iss).toBe(issuerId);
  });

  it("from ASC_PRIVATE_KEY_PATH, key ID from the file name", () => {
    const token = tokenOf(run([], { ASC_ISSUER_ID: issuerId, ASC_PRIVATE_KEY_PATH: keyFile }));
    expect(decodeToken(token).header.kid).toBe(keyId);
  });

  it("from fastlane's variables: base64 content, duration, in-house", () => {
    const token = tokenOf(
      run([], {
        APP_STORE_CONNECT_API_KEY_KEY_ID: keyId,
        APP_STORE_CONNECT_API_KEY_ISSUER_ID: issuerId,
        APP_STORE_CONNECT_API_KEY_KEY: Buffer.from(key.applePem).toString("base64"),
        APP_STORE_CONNECT_API_KEY_IS_KEY_CONTENT_BASE64: "true",
        APP_STORE_CONNECT_API_KEY_DURATION: "600",
        APP_STORE_CONNECT_API_KEY_IN_HOUSE: "true",
      }),
    );
    const { claims } = decodeToken(token);
    expect(claims.aud).toBe("apple-developer-enterprise-v1");
    expect((claims.exp as number) - (claims.iat as number)).toBe(600);
  });

  it("from fastlane's KEY_FILEPATH", () => {
    tokenOf(
      run([], {
        APP_STORE_CONNECT_API_KEY_ISSUER_ID: issuerId,
        APP_STORE_CONNECT_API_KEY_KEY_FILEPATH: keyFile,
      }),
    );
  });

  it("from fastlane's API key JSON file", () => {
    const json = join(dir, "api_key.json");
    writeFileSync(
      json,
      JSON.stringify({
        key_id: keyId,
        issuer_id: issuerId,
        key: key.applePem,
        duration: 900,
        in_house: false,
      }),
      { mode: 0o600 },
    );
    const { claims } = decodeToken(tokenOf(run(["--api-key-json", json])));
    expect(claims).toMatchObject({ iss: issuerId, aud: "appstoreconnect-v1" });
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);
  });

  it("flags beat the environment", () => {
    const other = "11111111-2222-3333-4444-555555555555";
    const result = run(["--issuer-id", issuerId, "--key-file", keyFile], {
      ASC_ISSUER_ID: other,
      ASC_KEY_ID: "ZZZZZZZZZZ",
      ASC_PRIVATE_KEY: "garbage",
    });
    // The env key ID beats the file name (a flag would beat both), with a warning: they differ.
    expect(result.stderr).toMatch(
      /^asc-token: warning: the key ID "ZZZZZZZZZZ" \(from ASC_KEY_ID\) is not the one in the key file's name, [A-Z0-9]{10}: Apple refuses/,
    );
    const token = tokenOf({ ...result, stderr: "" });
    const { header, claims } = decodeToken(token);
    expect(claims.iss).toBe(issuerId);
    expect(header.kid).toBe("ZZZZZZZZZZ");
  });

  it("--individual, --scope (repeatable), --enterprise, --expires-in", () => {
    const token = tokenOf(
      run([
        "--individual",
        "--key-file",
        keyFile,
        "--scope",
        "GET /v1/apps",
        "--scope",
        "GET /v1/builds",
        "--enterprise",
        "--expires-in",
        "300",
      ]),
    );
    const { claims } = decodeToken(token);
    expect(claims).toMatchObject({
      sub: "user",
      aud: "apple-developer-enterprise-v1",
      scope: ["GET /v1/apps", "GET /v1/builds"],
    });
    expect(claims.iss).toBeUndefined();
    expect((claims.exp as number) - (claims.iat as number)).toBe(300);
  });

  it("--json prints token, issuedAt, expiresAt", () => {
    const result = run(["--json", "--issuer-id", issuerId, "--key-file", keyFile]);
    expect(result.status).toBe(0);
    const info = JSON.parse(result.stdout) as {
      token: string;
      issuedAt: number;
      expiresAt: number;
    };
    expect(verifies(info.token, key.publicKey)).toBe(true);
    expect(info.expiresAt - info.issuedAt).toBe(1140);
    expect(decodeToken(info.token).claims).toMatchObject({
      iat: info.issuedAt,
      exp: info.expiresAt,
    });
  });

  it("--header prints an Authorization header line", () => {
    const result = run(["--header", "--issuer-id", issuerId, "--key-file", keyFile]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Authorization: Bearer [\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(
      verifies(result.stdout.trim().slice("Authorization: Bearer ".length), key.publicKey),
    ).toBe(true);
  });

  it("warns when the key file is readable by others, as ssh does", () => {
    const open = join(dir, `AuthKey_${keyId}-open.p8`);
    writeFileSync(open, key.applePem);
    chmodSync(open, 0o644);
    const result = run(["--key-id", keyId, "--issuer-id", issuerId, "--key-file", open]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/readable by group or others; run chmod 600/);
    expect(verifies(result.stdout.trim(), key.publicKey)).toBe(true);
  });

  it("warns the same way when an --api-key-json file holding the key is readable by others", () => {
    const json = join(dir, "api_key-open.json");
    writeFileSync(json, JSON.stringify({ key_id: keyId, issuer_id: issuerId, key: key.applePem }));
    chmodSync(json, 0o644);
    const open = run(["--api-key-json", json]);
    expect(open.status).toBe(0);
    expect(open.stderr).toBe(
      `asc-token: warning: ${JSON.stringify(json)} holds the private key and is readable by group or others; run chmod 600 ${JSON.stringify(json)}\n`,
    );
    chmodSync(json, 0o600);
    tokenOf(run(["--api-key-json", json]));
  });
});

describe("asc-token errors", () => {
  const cases: [string, string[], Record<string, string>, number, RegExp][] = [
    ["unknown flag", ["--kid", keyId], {}, 2, /unknown option "--kid"/],
    ["a flag without its value", ["--key-id"], {}, 2, /--key-id needs a value/],
    [
      "a flag followed by another flag",
      ["--key-id", "--issuer-id", issuerId],
      {},
      2,
      /--key-id needs a value \(key ID\), but is followed by "--issuer-id"/,
    ],
    ["a value for a switch", ["--json=yes"], {}, 2, /--json takes no value/],
    ["unknown command", ["mint-it"], {}, 2, /unknown command/],
    [
      "no key at all",
      ["--key-id", keyId, "--issuer-id", issuerId],
      {},
      2,
      /no private key: .*--key-file.*ASC_PRIVATE_KEY/,
    ],
    [
      "no key ID",
      ["--issuer-id", issuerId],
      { ASC_PRIVATE_KEY: "x" },
      2,
      /no key ID: pass --key-id or set ASC_KEY_ID/,
    ],
    ["no issuer", ["--key-id", keyId], { ASC_PRIVATE_KEY: "x" }, 2, /no issuer ID: .*--individual/],
    [
      "missing key file",
      ["--key-file", "/nonexistent/AuthKey_2X9R4HXF34.p8", "--individual"],
      {},
      2,
      /cannot read the key file .* \(from --key-file\)/,
    ],
    [
      "--expires-in not a number",
      ["--expires-in", "20m", "--individual", "--key-id", keyId],
      { ASC_PRIVATE_KEY: "x" },
      2,
      /--expires-in must be a whole number of seconds/,
    ],
    ["--json with --header", ["--json", "--header"], {}, 2, /cannot be used together/],
    [
      "--individual with --issuer-id",
      ["--individual", "--issuer-id", issuerId, "--key-id", keyId],
      { ASC_PRIVATE_KEY: "x" },
      2,
      /contradict/,
    ],
    [
      "a damaged key in the environment",
      ["--key-id", keyId, "--issuer-id", issuerId],
      { ASC_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----\nMIGTAgEA!!\n-----END PRIVATE KEY-----" },
      1,
      /\(KEY_MALFORMED\)\n {2}check ASC_PRIVATE_KEY/,
    ],
    // A value Apple would refuse is a setting to fix: exit 2, as for a missing one.
    [
      "a bad key ID",
      ["--key-id", "abc", "--issuer-id", issuerId],
      { ASC_PRIVATE_KEY: "x" },
      2,
      /\(INVALID_KEY_ID\)\n {2}check --key-id/,
    ],
    [
      "a lifetime over 20 minutes",
      ["--expires-in", "5000", "--issuer-id", issuerId, "--key-id", keyId],
      { ASC_PRIVATE_KEY: "x" },
      2,
      /\(LIFETIME_TOO_LONG\)\n {2}check --expires-in/,
    ],
  ];

  it.each(cases)("%s", (_, args, env, status, message) => {
    const result = run(args, env);
    expect(result.status).toBe(status);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^asc-token: /);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n").length).toBeLessThanOrEqual(3);
  });

  it("never prints key material, even for a key file that is not a key", () => {
    const rsaLike = join(dir, "AuthKey_ABCDEFGHIJ.p8");
    writeFileSync(rsaLike, key.applePem.replace("MIG", "M*G"), { mode: 0o600 });
    const result = run(["--issuer-id", issuerId, "--key-file", rsaLike]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/KEY_MALFORMED/);
    noKeyMaterial(result.stderr + result.stdout);
  });
});

describe("the same command under Deno and Bun", () => {
  const runtimes = [
    ["deno", ["run", "-A"]],
    ["bun", []],
  ] as const;
  it.each(runtimes)(
    "%s runs the packed CLI: mint, and an error with its exit code",
    (name, flags) => {
      const runtime = join(root, "node_modules", ".bin", name);
      const cli = join(dir, "consumer", "node_modules", "asc-token", "dist", "cli.js");
      const env = {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        DENO_NO_UPDATE_CHECK: "1",
        NO_COLOR: "1",
        DO_NOT_TRACK: "1",
      };
      const ok = spawnSync(
        runtime,
        [...flags, cli, "--issuer-id", issuerId, "--key-file", keyFile],
        { encoding: "utf8", env, timeout: 30_000 },
      );
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      expect(verifies(ok.stdout.trim(), key.publicKey)).toBe(true);
      const bad = spawnSync(runtime, [...flags, cli, "--kid", "x"], {
        encoding: "utf8",
        env,
        timeout: 30_000,
      });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/^asc-token: /);
    },
  );
});

describe("decode, doctor, demo, help, version", () => {
  const handMade = (claims: object) => {
    const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const input = `${enc({ alg: "ES256", kid: keyId, typ: "JWT" })}.${enc(claims)}`;
    const signature = sign("sha256", Buffer.from(input), {
      key: key.privateKey,
      dsaEncoding: "ieee-p1363",
    });
    return `${input}.${signature.toString("base64url")}`;
  };

  it("decode <token> and decode - (stdin) print header, claims and readable times", () => {
    const token = tokenOf(run(["--issuer-id", issuerId, "--key-file", keyFile]));
    for (const result of [run(["decode", token]), run(["decode", "-"], {}, `${token}\n`)]) {
      expect(result.status).toBe(0);
      const printed = JSON.parse(result.stdout) as {
        header: object;
        claims: { iat: number };
        times: { issuedAt: string; lifetimeSeconds: number; status: string };
      };
      expect(printed.header).toStrictEqual({ alg: "ES256", kid: keyId, typ: "JWT" });
      expect(printed.times.issuedAt).toBe(new Date(printed.claims.iat * 1000).toISOString());
      expect(printed.times.lifetimeSeconds).toBe(1140);
      expect(printed.times.status).toMatch(/^valid for \d+ s more$/);
    }
  });

  it("decode of a malformed token: exit 1 with TOKEN_MALFORMED, token not echoed", () => {
    const result = run(["decode", "abc.def"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/TOKEN_MALFORMED/);
    expect(result.stderr).not.toContain("abc.def");
  });

  it("doctor: exit 0 for a good token, 1 with findings for a bad one", () => {
    const good = tokenOf(run(["--issuer-id", issuerId, "--key-file", keyFile]));
    const ok = run(["doctor", "-"], {}, good);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/No problems found/);
    const now = Math.floor(Date.now() / 1000);
    const bad = run([
      "doctor",
      handMade({ iss: issuerId, iat: now, exp: now + 3600, aud: "appstoreconnect-v1" }),
    ]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/LIFETIME_TOO_LONG: /);
  });

  it("demo mints, decodes and verifies with a throwaway key", () => {
    const result = run(["demo"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/verified with node:crypto: OK/);
    expect(result.stdout).toMatch(/"kid": "DEMO123456"/);
    expect(result.stdout).toMatch(/ASC_PRIVATE_KEY/);
  });

  it("demo with a key in the environment prints a real token", () => {
    const result = run(["demo"], {
      ASC_KEY_ID: keyId,
      ASC_ISSUER_ID: issuerId,
      ASC_PRIVATE_KEY: key.applePem,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(verifies(result.stdout.trim(), key.publicKey)).toBe(true);
    expect(result.stderr).toMatch(/minted a real token with the key from ASC_PRIVATE_KEY/);
    noKeyMaterial(result.stderr);
  });

  it("--help names every flag and variable; --version prints the package version", () => {
    const help = run(["--help"]);
    expect(help.status).toBe(0);
    for (const name of [
      "--key-id",
      "--issuer-id",
      "--key-file",
      "--individual",
      "--expires-in",
      "--scope",
      "--enterprise",
      "--api-key-json",
      "--json",
      "--header",
      "ASC_KEY_ID",
      "ASC_ISSUER_ID",
      "ASC_PRIVATE_KEY",
      "ASC_PRIVATE_KEY_PATH",
      "APP_STORE_CONNECT_API_KEY_KEY_ID",
      "_ISSUER_ID",
      "_KEY_FILEPATH",
      "_IS_KEY_CONTENT_BASE64",
      "_DURATION",
      "_IN_HOUSE",
      "ASC_TEAM_ID",
      "ASC_BUNDLE_ID",
      "ASC_CLIENT_ID",
      "ASC_SERVICE_ID",
      "decode",
      "doctor",
      "demo",
      ...Object.keys(FLAGS).map((flag) => `--${flag}`),
      ...KIND_NAMES,
    ]) {
      expect(help.stdout).toContain(name);
    }
    // No line wider than the source's 100 columns.
    for (const line of help.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
    const version = run(["--version"]);
    expect(version.stdout.trim()).toBe(
      (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version,
    );
  });
});
