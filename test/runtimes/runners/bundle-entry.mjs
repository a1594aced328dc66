// What a browser app's code looks like to a bundler: named imports from "asc-token". Bundled by
// esbuild with --platform=browser (test/runtimes/targets/bundler.mjs), then run.
import {
  AscTokenError,
  createAppleAdsTokenProvider,
  createAppleBusinessManagerTokenProvider,
  createAppleVerifier,
  createAscToken,
  importAppleKey,
  isAscTokenError,
} from "asc-token";
import { run } from "./suite.mjs";

export const runSuite = (fixtures) =>
  run(
    {
      AscTokenError,
      createAppleAdsTokenProvider,
      createAppleBusinessManagerTokenProvider,
      createAppleVerifier,
      createAscToken,
      importAppleKey,
      isAscTokenError,
    },
    fixtures,
  );
