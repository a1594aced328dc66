// Precedence of the CLI's settings, without spawning processes.
import { describe, expect, it } from "vitest";
import {
  expandHome,
  keyIdFromFileName,
  resolveSettings,
  UsageError,
} from "../../src/cli/settings.js";
import { suggest } from "../../src/cli/suggest.js";
import { KIND_NAMES, kindsTaking, MINT_KINDS } from "../../src/cli/kinds.js";

const files: Record<string, string> = {
  "/keys/AuthKey_FILEKEY123.p8": "file-key",
  "/keys/other.p8": "other-key",
  "/keys/api.json": JSON.stringify({
    key_id: "JSONKEY123",
    issuer_id: "json-issuer",
    key: "json-key",
    duration: 600,
    in_house: true,
  }),
  "/keys/array.json": "[]",
  "/keys/bad.json": "{ nope",
};
const readFile = (path: string): string => {
  const text = files[path];
  if (text === undefined) throw new Error("ENOENT");
  return text;
};
const resolve = (flags: Parameters<typeof resolveSettings>[0], env: Record<string, string> = {}) =>
  resolveSettings(flags, env, readFile);

describe("resolveSettings", () => {
  it("flags beat --api-key-json, which beats ASC_*, which beats fastlane's variables", () => {
    const env = {
      ASC_KEY_ID: "ENVKEY1234",
      ASC_ISSUER_ID: "env-issuer",
      ASC_PRIVATE_KEY: "env-key",
      APP_STORE_CONNECT_API_KEY_KEY_ID: "FASTLANE12",
    };
    expect(
      resolve({ "key-id": "FLAGKEY123", "api-key-json": "/keys/api.json" }, env).options,
    ).toMatchObject({
      keyId: "FLAGKEY123",
      issuerId: "json-issuer",
      privateKey: "json-key",
      expiresIn: 600,
      audience: "apple-developer-enterprise-v1",
    });
    expect(resolve({}, env).options).toMatchObject({
      keyId: "ENVKEY1234",
      issuerId: "env-issuer",
      privateKey: "env-key",
    });
    expect(resolve({}, { ...env, ASC_KEY_ID: "" }).options.keyId).toBe("FASTLANE12");
  });

  it("key sources in order: --key-file, JSON key, ASC_PRIVATE_KEY, ASC_PRIVATE_KEY_PATH, fastlane KEY, fastlane KEY_FILEPATH", () => {
    const all = {
      ASC_PRIVATE_KEY: "asc-content",
      ASC_PRIVATE_KEY_PATH: "/keys/other.p8",
      APP_STORE_CONNECT_API_KEY_KEY: "fastlane-content",
      APP_STORE_CONNECT_API_KEY_KEY_FILEPATH: "/keys/AuthKey_FILEKEY123.p8",
      ASC_KEY_ID: "ENVKEY1234",
      ASC_ISSUER_ID: "i",
    };
    const key = (flags: Parameters<typeof resolveSettings>[0], env: Record<string, string>) =>
      resolve(flags, env).options.privateKey;
    expect(key({ "key-file": "/keys/AuthKey_FILEKEY123.p8" }, all)).toBe("file-key");
    expect(key({ "api-key-json": "/keys/api.json" }, all)).toBe("json-key");
    expect(key({}, all)).toBe("asc-content");
    expect(key({}, { ...all, ASC_PRIVATE_KEY: "" })).toBe("other-key");
    expect(key({}, { ...all, ASC_PRIVATE_KEY: "", ASC_PRIVATE_KEY_PATH: "" })).toBe(
      "fastlane-content",
    );
    expect(
      key(
        {},
        {
          ...all,
          ASC_PRIVATE_KEY: "",
          ASC_PRIVATE_KEY_PATH: "",
          APP_STORE_CONNECT_API_KEY_KEY: "",
        },
      ),
    ).toBe("file-key");
  });

  it("infers the key ID from AuthKey_<KEYID>.p8 only when none is given", () => {
    expect(keyIdFromFileName("/a/b/AuthKey_2X9R4HXF34.p8")).toBe("2X9R4HXF34");
    expect(keyIdFromFileName("/a/b/key.p8")).toBeUndefined();
    const settings = resolve({ "key-file": "/keys/AuthKey_FILEKEY123.p8", individual: true });
    expect(settings.options.keyId).toBe("FILEKEY123");
    expect(settings.sources.keyId).toMatch(/file name/);
    expect(settings.keyFile).toBe("/keys/AuthKey_FILEKEY123.p8");
    expect(
      resolve({
        "key-file": "/keys/AuthKey_FILEKEY123.p8",
        individual: true,
        "key-id": "FLAGKEY123",
      }).options.keyId,
    ).toBe("FLAGKEY123");
  });

  it("warns when the key ID given is not the one in the key file's name", () => {
    expect(
      resolve({ "key-file": "/keys/AuthKey_FILEKEY123.p8", individual: true }).warnings,
    ).toStrictEqual([]);
    expect(
      resolve({
        "key-file": "/keys/AuthKey_FILEKEY123.p8",
        individual: true,
        "key-id": "FILEKEY123",
      }).warnings,
    ).toStrictEqual([]);
    expect(
      resolve({ "key-file": "/keys/other.p8", individual: true, "key-id": "FLAGKEY123" }).warnings,
    ).toStrictEqual([]);
    const [warning, ...more] = resolve({
      "key-file": "/keys/AuthKey_FILEKEY123.p8",
      individual: true,
      "key-id": "FLAGKEY123",
    }).warnings;
    expect(more).toStrictEqual([]);
    expect(warning).toBe(
      `the key ID "FLAGKEY123" (from --key-id) is not the one in the key file's name, FILEKEY123: Apple refuses a token whose kid is not the key's ID`,
    );
  });

  it("a key variable holding a path instead of the key is a usage error that names the fix", () => {
    const env = { ASC_KEY_ID: "ENVKEY1234" };
    for (const path of [
      "/keys/AuthKey_2X9R4HXF34.p8",
      "./AuthKey_2X9R4HXF34.p8",
      "~/keys/key.p8",
      "AuthKey_2X9R4HXF34.p8",
      "AUTHKEY_2X9R4HXF34.P8",
      "/run/secrets/asc_key",
    ]) {
      expect(() => resolve({ individual: true }, { ...env, ASC_PRIVATE_KEY: path }), path).toThrow(
        /ASC_PRIVATE_KEY holds a file path, not the key: put the path in ASC_PRIVATE_KEY_PATH/,
      );
    }
    expect(() =>
      resolve({ individual: true }, { ...env, APP_STORE_CONNECT_API_KEY_KEY: "/keys/k.p8" }),
    ).toThrow(/APP_STORE_CONNECT_API_KEY_KEY holds a file path/);
    // The key itself, in any form, is passed on untouched.
    for (const key of [
      "-----BEGIN PRIVATE KEY-----\\nMIGTAgEA/x\\n-----END PRIVATE KEY-----",
      "MIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg/abc+def",
      "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t",
    ]) {
      expect(
        resolve({ individual: true }, { ...env, ASC_PRIVATE_KEY: key }).options.privateKey,
      ).toBe(key);
    }
  });

  it("fastlane's duration and in-house flags", () => {
    const env = {
      ASC_KEY_ID: "ENVKEY1234",
      ASC_PRIVATE_KEY: "k",
      APP_STORE_CONNECT_API_KEY_DURATION: "900",
      APP_STORE_CONNECT_API_KEY_IN_HOUSE: "1",
    };
    expect(resolve({ individual: true }, env).options).toMatchObject({
      expiresIn: 900,
      audience: "apple-developer-enterprise-v1",
    });
    // An individual key: no issuerId at all (present but undefined reads as an unset variable).
    expect(resolve({ individual: true }, env).options).not.toHaveProperty("issuerId");
    expect(resolve({ individual: true, "expires-in": "300" }, env).options.expiresIn).toBe(300);
    expect(resolve({ individual: true, enterprise: false }, env).options.audience).toBeUndefined();
  });

  it.each([
    ["no key", {}, {}, /no private key/],
    ["no key ID", {}, { ASC_PRIVATE_KEY: "k" }, /no key ID/],
    ["no issuer", { "key-id": "FLAGKEY123" }, { ASC_PRIVATE_KEY: "k" }, /no issuer ID/],
    [
      "unreadable key file",
      { "key-file": "/nope.p8" },
      {},
      /cannot read the key file "\/nope.p8" \(from --key-file\)/,
    ],
    ["unreadable JSON", { "api-key-json": "/nope.json" }, {}, /cannot be read/],
    ["JSON not valid", { "api-key-json": "/keys/bad.json" }, {}, /not valid JSON/],
    ["JSON not an object", { "api-key-json": "/keys/array.json" }, {}, /expected an object/],
    [
      "bad --expires-in",
      { "expires-in": "10m", individual: true, "key-id": "FLAGKEY123" },
      { ASC_PRIVATE_KEY: "k" },
      /--expires-in must be a whole number/,
    ],
    [
      "bad fastlane duration",
      { individual: true, "key-id": "FLAGKEY123" },
      { ASC_PRIVATE_KEY: "k", APP_STORE_CONNECT_API_KEY_DURATION: "-5" },
      /APP_STORE_CONNECT_API_KEY_DURATION must be/,
    ],
  ] as const)("%s → UsageError", (_, flags, env, message) => {
    expect(() => resolve(flags, env)).toThrow(UsageError);
    expect(() => resolve(flags, env)).toThrow(message);
  });

  it("never mutates the flags or environment it reads", () => {
    const flags = Object.freeze({
      "key-id": "FLAGKEY123",
      individual: true,
      scope: Object.freeze(["GET /v1/apps"]) as string[],
    });
    const env = Object.freeze({ ASC_PRIVATE_KEY: "k" });
    const settings = resolve(flags, env);
    expect(settings.options.scope).toStrictEqual(["GET /v1/apps"]);
  });
});

describe("key paths as users write them", () => {
  const windows = "C:\\Users\\me\\AuthKey_WINKEY1234.p8";
  const read: string[] = [];
  const readAny = (path: string) => (read.push(path), "key");

  it("a Windows path: read as given, the key ID from the name after the last backslash", () => {
    expect(keyIdFromFileName(windows)).toBe("WINKEY1234");
    expect(keyIdFromFileName("D:/keys/SubscriptionKey_SUBKEY1234.p8")).toBe("SUBKEY1234");
    expect(keyIdFromFileName("\\\\server\\share\\AuthKey_UNCKEY1234.p8")).toBe("UNCKEY1234");
    const settings = resolveSettings({ "key-file": windows, individual: true }, {}, readAny);
    expect(read.at(-1)).toBe(windows);
    expect(settings.options.keyId).toBe("WINKEY1234");
    expect(settings.keyFile).toBe(windows);
  });

  it("a Windows path in ASC_PRIVATE_KEY is named as a path, not read as a damaged key", () => {
    for (const path of [windows, "C:/keys/key", "\\\\server\\share\\key"]) {
      expect(() =>
        resolveSettings(
          { individual: true },
          { ASC_KEY_ID: "ENVKEY1234", ASC_PRIVATE_KEY: path },
          readAny,
        ),
      ).toThrow(/ASC_PRIVATE_KEY holds a file path, not the key/);
    }
  });

  it("~ is the home directory for key paths, from every source; ~user and ~ inside are left alone", () => {
    expect(expandHome("~/k.p8", "/home/me")).toBe("/home/me/k.p8");
    expect(expandHome("~\\keys\\k.p8", "C:\\Users\\me")).toBe("C:\\Users\\me\\keys\\k.p8");
    expect(expandHome("~", "/home/me")).toBe("/home/me");
    expect(expandHome("~other/k.p8", "/home/me")).toBe("~other/k.p8");
    expect(expandHome("/a/~/k.p8", "/home/me")).toBe("/a/~/k.p8");
    expect(expandHome("~/k.p8", undefined)).toBe("~/k.p8");
    const home = { home: "/keys" };
    const file = (flags: object, env: object = {}) =>
      resolveSettings({ individual: true, ...flags }, env, readFile, home);
    expect(file({ "key-file": "~/AuthKey_FILEKEY123.p8" }).options.privateKey).toBe("file-key");
    expect(file({}, { ASC_PRIVATE_KEY_PATH: "~/AuthKey_FILEKEY123.p8" }).options.keyId).toBe(
      "FILEKEY123",
    );
    expect(
      file({}, { APP_STORE_CONNECT_API_KEY_KEY_FILEPATH: " ~/AuthKey_FILEKEY123.p8 " }).options
        .privateKey,
    ).toBe("file-key");
    expect(file({ "api-key-json": "~/api.json" }).options.keyId).toBe("JSONKEY123");
    expect(() => resolveSettings({ "key-file": "~/AuthKey_FILEKEY123.p8" }, {}, readFile)).toThrow(
      /cannot read the key file "~\/AuthKey_FILEKEY123.p8" \(from --key-file\): check the path \(~ is not expanded here/,
    );
  });
});

describe("resolveSettings for each kind", () => {
  const env = {
    ASC_KEY_ID: "ENVKEY1234",
    ASC_PRIVATE_KEY: "k",
    ASC_TEAM_ID: "TEAMID1234",
    ASC_ISSUER_ID: "57246542-96fe-1a63-e053-0824d011072a",
    ASC_BUNDLE_ID: "com.example.app",
    ASC_CLIENT_ID: "com.example.web",
    ASC_SERVICE_ID: "com.example.weather",
    APP_STORE_CONNECT_API_KEY_DURATION: "900",
  };
  const options = (kind: (typeof KIND_NAMES)[number], flags: object = {}) =>
    resolveSettings(flags, env, readFile, { kind }).options;

  it("each kind gets exactly the options its create function takes", () => {
    expect(options("apns")).toStrictEqual({
      keyId: "ENVKEY1234",
      privateKey: "k",
      teamId: "TEAMID1234",
    });
    expect(options("devicecheck")).toStrictEqual(options("apns"));
    expect(options("app-store-server")).toStrictEqual({
      keyId: "ENVKEY1234",
      privateKey: "k",
      issuerId: env.ASC_ISSUER_ID,
      bundleId: "com.example.app",
    });
    expect(options("sign-in-with-apple", { "expires-in": "60" })).toMatchObject({
      teamId: "TEAMID1234",
      clientId: "com.example.web",
      expiresIn: 60,
    });
    expect(options("weatherkit").serviceId).toBe("com.example.weather");
    expect(
      options("mapkit", { scope: ["server_api"], origin: ["https://a.example"] }),
    ).toMatchObject({
      scope: ["server_api"],
      origin: ["https://a.example"],
    });
    // fastlane's variables describe an App Store Connect key: its duration is App Store Connect's.
    expect(options("musickit").expiresIn).toBeUndefined();
    expect(options("app-store-connect").expiresIn).toBe(900);
  });

  it("every flag some kinds take is refused by the others, naming the kinds that take it", () => {
    for (const kind of KIND_NAMES) {
      for (const flag of [
        "issuer-id",
        "team-id",
        "bundle-id",
        "client-id",
        "service-id",
        "expires-in",
        "origin",
        "individual",
        "enterprise",
        "api-key-json",
      ] as const) {
        const takes = (MINT_KINDS[kind].flags as readonly string[]).includes(flag);
        const value =
          flag === "origin"
            ? ["https://a.example"]
            : flag === "individual" || flag === "enterprise"
              ? true
              : "x";
        const attempt = () => resolveSettings({ [flag]: value }, env, readFile, { kind });
        if (takes) continue;
        expect(attempt, `${kind} --${flag}`).toThrow(
          new RegExp(`^--${flag} does not apply to ${MINT_KINDS[kind].title}`),
        );
        expect(kindsTaking(flag).length).toBeGreaterThan(0);
      }
    }
  });
});

describe("suggest", () => {
  const flags = [
    "key-id",
    "issuer-id",
    "team-id",
    "key-file",
    "expires-in",
    "api-key-json",
    "json",
  ];
  it.each([
    ["keyid", "key-id"],
    ["KEY_ID", "key-id"],
    ["kid", "key-id"],
    ["issuer", "issuer-id"],
    ["isuer-id", "issuer-id"],
    ["team", "team-id"],
    ["p8", "key-file"],
    ["api-key-path", "api-key-json"],
    ["ttl", "expires-in"],
    ["jsn", "json"],
    ["zzz", undefined],
    ["x".repeat(41), undefined],
  ])("%s → %s", (given, expected) => {
    expect(suggest(given, flags)).toBe(expected);
  });
});
