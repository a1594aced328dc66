// What a browser app's code looks like to a bundler: named imports from "asc-token" (and from
// "asc-token/testing", as a browser test would). Bundled by
// esbuild with --platform=browser (test/runtimes/targets/bundler.mjs), then run.
import {
  AscTokenError,
  createAppleAdsTokenProvider,
  createAppleBusinessManagerTokenProvider,
  createAppleVerifier,
  createAscToken,
  createSignInWithAppleVerifier,
  exchangeSignInWithAppleCode,
  importAppleKey,
  isAscTokenError,
  refreshSignInWithAppleToken,
  revokeSignInWithAppleToken,
} from "asc-token";
import { createAppleTestKit } from "asc-token/testing";
import { run } from "./suite.mjs";

export const runSuite = (fixtures) =>
  run(
    {
      AscTokenError,
      createAppleAdsTokenProvider,
      createAppleBusinessManagerTokenProvider,
      createAppleVerifier,
      createAscToken,
      createSignInWithAppleVerifier,
      exchangeSignInWithAppleCode,
      importAppleKey,
      isAscTokenError,
      refreshSignInWithAppleToken,
      revokeSignInWithAppleToken,
    },
    fixtures,
    { createAppleTestKit },
  );
