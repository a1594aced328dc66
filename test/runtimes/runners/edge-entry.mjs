// Entry bundled to a classic script for edge-runtime's EdgeRuntime (it evaluates scripts, not
// modules): the packed ESM build and the suite, exposed as one global that returns JSON.
import * as lib from "asc-token";
import { run } from "./suite.mjs";

globalThis.ascConformance = async (fixtures) =>
  JSON.stringify({ ...(await run(lib, fixtures)), entry: "asc-token (bundled)" });
