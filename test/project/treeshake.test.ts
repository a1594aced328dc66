// Tree-shaking: a bundle that takes only createAscToken from the built package must not carry
// Apple's other token kinds. Compared with a bundle of the core source alone (src/kinds/app-store-connect.ts), it
// may differ by a few bytes of bundler noise, not by the kinds.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const built = existsSync(new URL("../../dist/index.js", import.meta.url));

/** Minified browser ESM bundle of `contents` (resolved from the package root), as text. */
const bundle = async (contents: string, loader: "js" | "ts" = "js"): Promise<string> => {
  const result = await build({
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
    stdin: { contents, resolveDir: root, loader },
  });
  return result.outputFiles[0]!.text;
};
const gzipped = (text: string): number => gzipSync(text, { level: 9 }).length;

/** Strings only the other kinds have: their audiences, claims, scopes and error codes. */
const KIND_MARKERS = [
  "appleid.apple.com",
  "advanced-commerce-api",
  "promotional-offer",
  "introductory-offer-eligibility",
  "server_api",
  "mapkit_js",
  "randomUUID",
  "INVALID_TEAM_ID",
  "INVALID_BUNDLE_ID",
  "INVALID_ORIGIN",
  "teamId",
  "bundleId",
];

/**
 * Strings only the layers on top have: the fleet store and provider, the signature conversions,
 * a signer's checks (in `signerKey`) and the verifier. A createAscToken-only bundle, whose
 * signing step still takes a `signerKey`, carries none of them.
 */
const LAYER_MARKERS = [
  '"asc-token"', // the store keys' namespace
  "SIGNER_OUTPUT_INVALID",
  "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", // P-256's order n
  "STORE_UNAVAILABLE",
  "MINT_TIMEOUT",
  "SIGNATURE_MALFORMED",
  "CHAIN_INVALID",
  "refreshBefore",
  // Sign in with Apple: the key set, RS256, the token endpoints.
  "auth/keys",
  "RSASSA-PKCS1-v1_5",
  "SIWA_KEYS_MALFORMED",
  "auth/revoke",
];

/**
 * Strings only the test kit (asc-token/testing) has: no bundle of "asc-token", verifier included,
 * may carry them.
 */
const TESTING_MARKERS = ["Test Receipt Signing", "throwaway test PKI", "signNotification"];

/** Strings only the Sign in with Apple test kit (asc-token/testing) has. */
const SIWA_KIT_MARKERS = ["TestKey", "signIdToken", "fetchCount"];

describe.runIf(built)("tree-shaking (needs dist/: `npm test` builds it)", () => {
  let coreOnly: string;
  let fromIndex: string;
  let fromPackage: string;
  let withKind: string;
  let withLayers: string;
  let everything: string;
  let testKit: string;
  beforeAll(async () => {
    coreOnly = await bundle(
      'export { createAscToken } from "./src/kinds/app-store-connect.ts";',
      "ts",
    );
    fromIndex = await bundle('export { createAscToken } from "./src/index.ts";', "ts");
    fromPackage = await bundle('export { createAscToken } from "./dist/index.js";');
    withKind = await bundle(
      'export { createAscToken, createAppStoreServerToken } from "./dist/index.js";',
    );
    withLayers = await bundle(
      "export { createAscToken, createAscTokenProvider, redisStore, signatureFromDer, signerKey, " +
        "createAppleVerifier, createSignInWithAppleVerifier, revokeSignInWithAppleToken " +
        '} from "./dist/index.js";',
    );
    everything = await bundle('export * from "./dist/index.js";');
    testKit = await bundle('export { createAppleTestKit } from "./dist/testing.js";');
  });

  it("a createAscToken-only bundle holds none of the other kinds' strings", () => {
    for (const text of [fromPackage, fromIndex]) {
      expect(KIND_MARKERS.filter((marker) => text.includes(marker))).toStrictEqual([]);
      expect(LAYER_MARKERS.filter((marker) => text.includes(marker))).toStrictEqual([]);
      expect(/\bbid\b/.test(text), "the claim name bid").toBe(false);
    }
  });

  it("from the built package it is no more than 24 B (gzip) bigger than the core source alone", () => {
    // dist/ is already transpiled by tsup, and the minifier picks other short names for it: the
    // two differ by a few bytes either way, far less than one kind's strings (the test below).
    expect(gzipped(fromPackage) - gzipped(coreOnly)).toBeLessThanOrEqual(24);
  });

  it("from src/index.ts it is within 16 B (gzip) of the core source alone", () => {
    expect(Math.abs(gzipped(fromIndex) - gzipped(coreOnly))).toBeLessThanOrEqual(16);
  });

  it("the check can fail: importing one kind brings its strings and bytes in", () => {
    expect(withKind).toMatch(/\bbid\b/);
    expect(withKind).toContain("INVALID_BUNDLE_ID");
    expect(gzipped(withKind)).toBeGreaterThan(gzipped(coreOnly) + 16);
  });

  it("no bundle of asc-token, the whole verifier included, holds the test kit", () => {
    for (const text of [fromPackage, withLayers, everything]) {
      expect(TESTING_MARKERS.filter((marker) => text.includes(marker))).toStrictEqual([]);
    }
  });

  it("the check can fail: importing asc-token/testing brings each test-kit marker in", () => {
    expect(TESTING_MARKERS.filter((marker) => !testKit.includes(marker))).toStrictEqual([]);
  });

  it("no bundle of asc-token, Sign in with Apple included, holds its test kit", async () => {
    for (const text of [fromPackage, withLayers, everything]) {
      expect(SIWA_KIT_MARKERS.filter((marker) => text.includes(marker))).toStrictEqual([]);
    }
    const kit = await bundle('export { createSignInWithAppleTestKit } from "./dist/testing.js";');
    expect(SIWA_KIT_MARKERS.filter((marker) => !kit.includes(marker))).toStrictEqual([]);
  });

  it("the check can fail: importing the layers brings each marker in", () => {
    expect(LAYER_MARKERS.filter((marker) => !withLayers.includes(marker))).toStrictEqual([]);
  });
});

it("the package has been built for the tree-shaking test", () => {
  expect(built, "dist/ is missing: run npm run build").toBe(true);
});
