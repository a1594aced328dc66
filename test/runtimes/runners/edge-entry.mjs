// Entry bundled to a classic script for edge-runtime's EdgeRuntime (it evaluates scripts, not
// modules): the packed ESM build and the suite, exposed as one global that returns JSON.
import * as lib from "asc-token";
import * as testing from "asc-token/testing";
import { run } from "./suite.mjs";

globalThis.ascConformance = async (fixtures) =>
  JSON.stringify({ ...(await run(lib, fixtures, testing)), entry: "asc-token (bundled)" });
