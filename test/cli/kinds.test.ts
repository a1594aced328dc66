// The built CLI (dist/cli.js, run as a child process) for every kind: minting from flags and the
// environment, the doctor on each kind's tokens, the table of common mistakes (exit 2, one
// message that names the fix), and key files as users have them: Windows paths, CRLF, a ~ the
// shell did not expand.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { makeP256, type P256Fixture } from "../helpers/keys.js";
import { decodeToken, verifies } from "../helpers/verify.js";
import { KIND_NAMES } from "../../src/cli/kinds.js";

const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const keyId = "2X9R4HXF34";
const teamId = "DEF123GHIJ";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";

let dir: string;
let key: P256Fixture;
let keyFile: string;

beforeAll(() => {
  expect(existsSync(cli), "dist/cli.js is missing: run npm run build first").toBe(true);
  dir = mkdtempSync(join(tmpdir(), "asc-token-cli-kinds-"));
  key = makeP256();
  keyFile = join(dir, `AuthKey_${keyId}.p8`);
  writeFileSync(keyFile, key.applePem, { mode: 0o600 });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const run = (args: string[], env: Record<string, string> = {}, input?: string, cwd?: string) => {
  const result = spawnSync(process.execPath, [cli, ...args], {
    encoding: "utf8",
    input,
    cwd: cwd ?? dir,
    env: { PATH: process.env.PATH ?? "", HOME: dir, ...env },
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr } satisfies Run;
};

/** stdout must be exactly one token signed by the test key; returns its header and claims. */
const minted = (result: Run) => {
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  const token = result.stdout.trim();
  expect(verifies(token, key.publicKey)).toBe(true);
  return { token, ...decodeToken(token) };
};

const lifetime = (claims: Record<string, unknown>) =>
  (claims.exp as number) - (claims.iat as number);

describe("asc-token <kind>: every kind, minted and doctored", () => {
  const SIX_MONTHS = 15_777_000;
  const kinds: [
    kind: string,
    flags: string[],
    header: object,
    claims: object,
    life: number | undefined,
    max: string | undefined,
  ][] = [
    [
      "app-store-connect",
      ["--issuer-id", issuerId],
      { typ: "JWT" },
      { iss: issuerId, aud: "appstoreconnect-v1" },
      1140,
      "1200",
    ],
    [
      "app-store-server",
      ["--issuer-id", issuerId, "--bundle-id", "com.example.app"],
      { typ: "JWT" },
      { iss: issuerId, aud: "appstoreconnect-v1", bid: "com.example.app" },
      300,
      "3600",
    ],
    ["apns", ["--team-id", teamId], {}, { iss: teamId }, undefined, undefined],
    ["devicecheck", ["--team-id", teamId], {}, { iss: teamId }, undefined, undefined],
    [
      "sign-in-with-apple",
      ["--team-id", teamId, "--client-id", "com.example.web"],
      {},
      { iss: teamId, aud: "https://appleid.apple.com", sub: "com.example.web" },
      3600,
      String(SIX_MONTHS),
    ],
    [
      "musickit",
      ["--team-id", teamId, "--origin", "https://example.com", "--origin", "https://example.org"],
      {},
      { iss: teamId, origin: ["https://example.com", "https://example.org"] },
      3600,
      String(SIX_MONTHS),
    ],
    [
      "weatherkit",
      ["--team-id", teamId, "--service-id", "com.example.weather"],
      { id: `${teamId}.com.example.weather` },
      { iss: teamId, sub: "com.example.weather" },
      3600,
      String(SIX_MONTHS),
    ],
    [
      "mapkit",
      ["--team-id", teamId, "--scope", "mapkit_js", "--origin", "https://example.com"],
      { typ: "JWT" },
      { iss: teamId, scope: "mapkit_js", origin: "https://example.com" },
      3600,
      String(SIX_MONTHS),
    ],
  ];

  it.each(kinds)(
    "%s: from flags, as <kind> and --kind; doctor finds nothing",
    (kind, flags, header, claims, life, max) => {
      const asCommand = minted(run([kind, ...flags, "--key-file", keyFile]));
      const asFlag = minted(run(["--kind", kind, ...flags, "--key-file", keyFile]));
      for (const token of [asCommand, asFlag]) {
        expect(token.header).toStrictEqual({ alg: "ES256", kid: keyId, ...header });
        expect(token.claims).toMatchObject(claims);
        if (life === undefined) expect(token.claims.exp).toBeUndefined();
        else expect(lifetime(token.claims)).toBe(life);
      }
      const tokens = [asCommand.token];
      if (max) {
        const longest = minted(run([kind, ...flags, "--key-file", keyFile, "--expires-in", max]));
        expect(lifetime(longest.claims)).toBe(Number(max));
        tokens.push(longest.token);
      }
      for (const token of tokens) {
        const guessed = run(["doctor", "-"], {}, token);
        expect(guessed.stdout).toMatch(/No problems found/);
        expect(guessed.status).toBe(0);
        // DeviceCheck's token is APNs's: guessed as apns, judged by the same rules.
        const shown = kind === "devicecheck" ? "apns" : kind;
        expect(guessed.stdout).toMatch(new RegExp(`^Checked as kind ${shown} \\(`));
        const told = run(["doctor", "--kind", kind, token]);
        expect(told.stdout).toBe(
          `Checked as kind ${kind} (as --kind says).\nNo problems found: Apple should accept this token's shape and times.\n`,
        );
        expect(told.status).toBe(0);
      }
    },
  );

  it("the table covers every kind the CLI mints", () => {
    const covered = [...kinds.map(([kind]) => kind), ...oauth.map(([kind]) => kind)];
    expect(covered.sort()).toStrictEqual([...KIND_NAMES].sort());
  });

  // The OAuth kinds: a portal's key ID (a UUID) and a key made with openssl ecparam (SEC1 .pem).
  const portalKeyId = "d136aa66-0c3b-4bd4-9892-c20e8db024ab";
  const abmId = "BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152";
  const adsId = "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577";
  const oauth: [kind: string, flags: string[], claims: object][] = [
    [
      "apple-business-manager",
      ["--client-id", abmId],
      { iss: abmId, sub: abmId, aud: "https://account.apple.com/auth/oauth2/v2/token" },
    ],
    [
      "apple-ads",
      ["--client-id", adsId, "--team-id", adsId],
      { iss: adsId, sub: adsId, aud: "https://appleid.apple.com" },
    ],
  ];

  it.each(oauth)(
    "%s: a UUID key ID and a SEC1 .pem key; default and longest lifetime; doctor finds nothing",
    (kind, flags, claims) => {
      const pem = join(dir, `${kind}.pem`);
      writeFileSync(pem, key.sec1Pem, { mode: 0o600 });
      const base = [kind, ...flags, "--key-id", portalKeyId, "--key-file", pem];
      const token = minted(run(base));
      expect(token.header).toStrictEqual({ alg: "ES256", kid: portalKeyId });
      expect(token.claims).toMatchObject(claims);
      expect(lifetime(token.claims)).toBe(3600);
      const longest = minted(run([...base, "--expires-in", "15551999"]));
      expect(lifetime(longest.claims)).toBe(15_551_999);
      expect(run([...base, "--expires-in", "15552000"]).stderr).toMatch(/180 days/);
      for (const { token: each } of [token, longest]) {
        const guessed = run(["doctor", "-"], {}, each);
        expect(guessed.stdout).toMatch(new RegExp(`^Checked as kind ${kind} \\(`));
        expect(guessed.stdout).toMatch(/No problems found/);
        expect(run(["doctor", "--kind", kind, each]).status).toBe(0);
      }
      // From the environment too: ASC_KEY_ID holds the UUID, ASC_CLIENT_ID the client ID.
      const env = {
        ASC_KEY_ID: portalKeyId,
        ASC_PRIVATE_KEY_PATH: pem,
        ASC_CLIENT_ID: flags[1]!,
        ASC_TEAM_ID: adsId,
      };
      expect(minted(run([kind], env)).header.kid).toBe(portalKeyId);
    },
  );

  it("an OAuth kind without its key ID or client ID names the setting", () => {
    const pem = join(dir, "portal.pem");
    writeFileSync(pem, key.sec1Pem, { mode: 0o600 });
    const portal = ["--key-id", portalKeyId, "--key-file", pem];
    for (const [args, message] of [
      [
        ["apple-business-manager", "--client-id", abmId, "--key-file", pem],
        /no key ID: pass --key-id or set ASC_KEY_ID \(the Key ID/,
      ],
      [
        ["apple-ads", "--team-id", adsId, ...portal],
        /no client ID \(the one the portal shows, like PREFIX.<id>\): pass --client-id or set ASC_CLIENT_ID/,
      ],
      [
        ["apple-ads", "--client-id", adsId, ...portal],
        /no team ID \(the one the portal shows.*\): pass --team-id or set ASC_TEAM_ID/,
      ],
      // The other kinds still take a UUID key ID for the issuer ID it is.
      [
        ["apns", "--team-id", teamId, "--key-id", portalKeyId, "--key-file", keyFile],
        /--key-id holds a UUID, like an issuer ID/,
      ],
    ] as const) {
      const refused = run([...args]);
      expect(refused.status, args.join(" ")).toBe(2);
      expect(refused.stderr).toMatch(message);
    }
  });

  it("from the environment: ASC_TEAM_ID, ASC_KEY_ID, ASC_PRIVATE_KEY_PATH and the kind's own IDs", () => {
    const env = {
      ASC_TEAM_ID: teamId,
      ASC_KEY_ID: keyId,
      ASC_PRIVATE_KEY_PATH: keyFile,
      ASC_CLIENT_ID: "com.example.web",
      ASC_SERVICE_ID: "com.example.weather",
      ASC_BUNDLE_ID: "com.example.app",
      ASC_ISSUER_ID: issuerId,
    };
    expect(minted(run(["apns"], env)).claims.iss).toBe(teamId);
    expect(minted(run(["sign-in-with-apple"], env)).claims.sub).toBe("com.example.web");
    expect(minted(run(["weatherkit"], env)).claims.sub).toBe("com.example.weather");
    expect(minted(run(["app-store-server"], env)).claims.bid).toBe("com.example.app");
  });

  it("fastlane's variables are App Store Connect's only: an APNs token does not read them", () => {
    const result = run(["apns", "--team-id", teamId], {
      APP_STORE_CONNECT_API_KEY_KEY_FILEPATH: keyFile,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no private key/);
  });

  it("an In-App Purchase key's SubscriptionKey_<KEYID>.p8 name gives the key ID", () => {
    const subscription = join(dir, "SubscriptionKey_ABCDE12345.p8");
    writeFileSync(subscription, key.applePem, { mode: 0o600 });
    const args = ["app-store-server", "--issuer-id", issuerId, "--bundle-id", "com.example.app"];
    expect(minted(run([...args, "--key-file", subscription])).header.kid).toBe("ABCDE12345");
  });

  it("--json of a kind without exp has no expiresAt", () => {
    const result = run(["apns", "--team-id", teamId, "--key-file", keyFile, "--json"]);
    expect(result.status).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(printed)).toStrictEqual(["token", "issuedAt"]);
  });

  it("doctor --kind apns - reads stdin; a token judged as another kind exits 1 with that kind's findings", () => {
    const apns = minted(run(["apns", "--team-id", teamId, "--key-file", keyFile])).token;
    const ok = run(["doctor", "--kind", "apns", "-"], {}, `${apns}\n`);
    expect(ok.status).toBe(0);
    const asAsc = run(["doctor", "--kind", "app-store-connect", apns]);
    expect(asAsc.status).toBe(1);
    expect(asAsc.stdout).toMatch(/^Checked as kind app-store-connect \(as --kind says\)\.\n/);
    expect(asAsc.stdout).toMatch(/^AUD_WRONG: /m);
    const inApp = run(["doctor", "--kind", "in-app", apns]);
    expect(inApp.stdout).toMatch(/^ISS_NOT_UUID: /m);
  });
});

describe("asc-token: common mistakes exit 2 with one message that names the fix", () => {
  const k = () => ["--key-file", keyFile];
  const cases: [
    name: string,
    args: () => string[],
    env: Record<string, string>,
    message: RegExp,
  ][] = [
    ["--keyid", () => ["--keyid", keyId], {}, /unknown option "--keyid"; did you mean --key-id\?/],
    ["--key_id", () => ["--key_id", keyId], {}, /did you mean --key-id\?/],
    ["--kid", () => ["--kid", keyId], {}, /did you mean --key-id\?/],
    ["--issuer", () => ["--issuer", issuerId], {}, /did you mean --issuer-id\?/],
    ["--isuer-id", () => ["--isuer-id", issuerId], {}, /did you mean --issuer-id\?/],
    ["--team", () => ["apns", "--team", teamId], {}, /did you mean --team-id\?/],
    ["--private-key", () => ["--private-key", "x.p8"], {}, /did you mean --key-file\?/],
    [
      "--api-key-path (fastlane's name)",
      () => ["--api-key-path", "k.json"],
      {},
      /did you mean --api-key-json\?/,
    ],
    ["--expires", () => ["--expires", "60"], {}, /did you mean --expires-in\?/],
    [
      "key ID and issuer ID swapped",
      () => ["--key-id", issuerId, "--issuer-id", keyId, ...k()],
      {},
      /^asc-token: --key-id holds a UUID, like an issuer ID, and --issuer-id a 10-character ID, like a key ID: did you swap --key-id and --issuer-id\?\n/,
    ],
    [
      "key ID and issuer ID swapped in the environment",
      () => k(),
      { ASC_KEY_ID: issuerId, ASC_ISSUER_ID: keyId },
      /did you swap ASC_KEY_ID and ASC_ISSUER_ID\?/,
    ],
    [
      "key ID and Team ID swapped",
      () => ["apns", "--key-id", teamId, "--team-id", keyId, ...k()],
      {},
      /--team-id holds 2X9R4HXF34, the key ID in the key file's name, not your Team ID .*did you swap --key-id and --team-id\?/,
    ],
    [
      "the key ID given as the Team ID",
      () => ["apns", "--team-id", keyId, ...k()],
      {},
      /--team-id holds 2X9R4HXF34, the key ID in the key file's name, not your Team ID \(developer\.apple\.com/,
    ],
    [
      "the same ID for both",
      () => ["apns", "--key-id", teamId, "--team-id", teamId],
      { ASC_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----" },
      /the key ID \(from --key-id\) and the Team ID \(from --team-id\) are the same, "DEF123GHIJ"/,
    ],
    [
      "the issuer ID as the Team ID",
      () => ["sign-in-with-apple", "--team-id", issuerId, "--client-id", "com.x", ...k()],
      {},
      /--team-id holds a UUID, which is an issuer ID, not a Team ID/,
    ],
    [
      "a Team ID as the issuer ID",
      () => ["--issuer-id", teamId, ...k()],
      {},
      /--issuer-id holds a 10-character ID \(a key ID or a Team ID\), not an issuer ID: the issuer ID is a UUID/,
    ],
    [
      "the issuer ID as the key ID",
      () => ["--key-id", issuerId, "--individual", ...k()],
      {},
      /--key-id holds a UUID, which is an issuer ID, not a key ID/,
    ],
    [
      "--team-id for App Store Connect",
      () => ["--team-id", teamId, ...k()],
      {},
      /--team-id does not apply to App Store Connect API tokens, which carry the issuer ID .*: pass --issuer-id/,
    ],
    [
      "--issuer-id for APNs",
      () => ["apns", "--issuer-id", issuerId, ...k()],
      {},
      /--issuer-id does not apply to APNs provider tokens, which carry your Team ID: pass --team-id/,
    ],
    [
      "--expires-in for APNs",
      () => ["apns", "--team-id", teamId, "--expires-in", "600", ...k()],
      {},
      /--expires-in does not apply to APNs provider tokens, which have no exp/,
    ],
    [
      "--bundle-id for MusicKit",
      () => ["musickit", "--bundle-id", "com.x", ...k()],
      {},
      /--bundle-id does not apply to MusicKit developer tokens; it is for app-store-server/,
    ],
    ["--kind apn", () => ["--kind", "apn"], {}, /--kind "apn" is not a kind; did you mean apns\?/],
    ["asc-token apn", () => ["apn"], {}, /unknown command "apn"; did you mean apns\?/],
    ["asc-token weather", () => ["weather"], {}, /did you mean weatherkit\?/],
    ["asc-token doctr", () => ["doctr"], {}, /unknown command "doctr"; did you mean doctor\?/],
    [
      "two kinds",
      () => ["apns", "--kind", "musickit"],
      {},
      /the kind is apns or musickit, not both/,
    ],
    ["an argument after the kind", () => ["apns", "now"], {}, /apns takes options only, not "now"/],
    [
      "doctor --kind nope",
      () => ["doctor", "--kind", "nope", "a.b.c"],
      {},
      /--kind "nope" is not a kind: use apns, app-store-connect, /,
    ],
    [
      "a mint flag to doctor",
      () => ["doctor", "--key-id", keyId, "a.b.c"],
      {},
      /--key-id does not apply to doctor; it takes --kind/,
    ],
    [
      "--header for a client secret",
      () => ["sign-in-with-apple", "--header"],
      {},
      /--header does not apply to Sign in with Apple client secrets: the secret goes in the client_secret form field/,
    ],
    [
      "no Team ID",
      () => ["apns", ...k()],
      {},
      /no Team ID \(10 characters.*\): pass --team-id or set ASC_TEAM_ID/,
    ],
    [
      "no bundle ID",
      () => ["app-store-server", "--issuer-id", issuerId, ...k()],
      {},
      /no bundle ID \(your app's, e\.g\. com\.example\.app\): pass --bundle-id or set ASC_BUNDLE_ID/,
    ],
    [
      "a Team ID of the wrong shape",
      () => ["apns", "--team-id", "abc", ...k()],
      {},
      /\(INVALID_TEAM_ID\)\n {2}check --team-id/,
    ],
    [
      "a client ID of the wrong shape",
      () => ["sign-in-with-apple", "--team-id", teamId, "--client-id", "com example", ...k()],
      {},
      /\(INVALID_CLIENT_ID\)\n {2}check --client-id/,
    ],
    [
      "an App Store Server lifetime over an hour",
      () => [
        "app-store-server",
        "--issuer-id",
        issuerId,
        "--bundle-id",
        "com.x",
        "--expires-in",
        "3601",
        ...k(),
      ],
      {},
      /\(LIFETIME_TOO_LONG\)\n {2}check --expires-in/,
    ],
  ];

  it.each(cases)("%s", (_, args, env, message) => {
    const result = run(args(), env);
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n").length).toBeLessThanOrEqual(3);
    // No value described where it should have been named: "the key ID a 36-character value".
    expect(result.stderr).not.toMatch(/the key ID a \d+-character/);
  });
});

describe("key files as users have them", () => {
  it("a Windows-style path with backslashes: read as given, key ID from its name", () => {
    // On Linux and macOS a backslash is a file name character, so this one relative name stands
    // for the path; the CLI must pass it through untouched and find AuthKey_<KEYID>.p8 after the
    // last \. On Windows, a real path of that shape.
    const windows =
      process.platform === "win32"
        ? join(dir, "Users", "me", `AuthKey_${keyId}.p8`)
        : "C:\\Users\\me\\AuthKey_2X9R4HXF34.p8";
    const file = process.platform === "win32" ? windows : join(dir, windows);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, key.applePem, { mode: 0o600 });
    const token = minted(run(["--issuer-id", issuerId, "--key-file", windows]));
    expect(token.header.kid).toBe(keyId);
    expect(
      minted(run(["apns"], { ASC_TEAM_ID: teamId, ASC_PRIVATE_KEY_PATH: windows })).header.kid,
    ).toBe(keyId);
  });

  it("a key file with CRLF line endings (saved on Windows), and one with a BOM", () => {
    const crlf = join(dir, "crlf", `AuthKey_${keyId}.p8`);
    mkdirSync(join(dir, "crlf"));
    writeFileSync(crlf, key.applePem.replace(/\n/g, "\r\n"), { mode: 0o600 });
    minted(run(["--issuer-id", issuerId, "--key-file", crlf]));
    minted(run(["apns", "--team-id", teamId, "--key-file", crlf]));
    const bom = join(dir, "crlf", "bom.p8");
    writeFileSync(bom, `\uFEFF${key.applePem.replace(/\n/g, "\r\n")}`, { mode: 0o600 });
    minted(run(["--key-id", keyId, "--issuer-id", issuerId, "--key-file", bom]));
  });

  it("a ~ the shell did not expand: in quotes, after --key-file=, in a variable, on Windows", () => {
    const home = join(dir, "home");
    mkdirSync(join(home, "keys"), { recursive: true });
    writeFileSync(join(home, "keys", `AuthKey_${keyId}.p8`), key.applePem, { mode: 0o600 });
    const env = { HOME: home, USERPROFILE: home };
    const path = `~/keys/AuthKey_${keyId}.p8`;
    minted(run(["--issuer-id", issuerId, "--key-file", path], env));
    minted(run(["--issuer-id", issuerId, `--key-file=${path}`], env));
    minted(run(["apns", "--team-id", teamId], { ...env, ASC_PRIVATE_KEY_PATH: path }));
    minted(
      run([], { ...env, ASC_ISSUER_ID: issuerId, APP_STORE_CONNECT_API_KEY_KEY_FILEPATH: path }),
    );
    const json = join(home, "api_key.json");
    writeFileSync(json, JSON.stringify({ key_id: keyId, issuer_id: issuerId, key: key.applePem }), {
      mode: 0o600,
    });
    minted(run(["--api-key-json", "~/api_key.json"], env));
    // ~user is another user's home: left as it is, and the message says the file is not there.
    const other = run(["--issuer-id", issuerId, "--key-file", `~nobody/AuthKey_${keyId}.p8`], env);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(
      /cannot read the key file "~nobody\/AuthKey_2X9R4HXF34\.p8" \(from --key-file\): check the path/,
    );
  });
});
