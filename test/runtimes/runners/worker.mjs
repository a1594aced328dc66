// A Cloudflare Workers module: the packed ESM build (a file per module) is loaded beside it under
// "./asc-token/", with "./suite.mjs" (test/runtimes/targets/workers.mjs). POST the fixtures, get
// the outcome back.
import * as lib from "./asc-token/index.js";
import * as testing from "./asc-token/testing.js";
import { run } from "./suite.mjs";

export default {
  async fetch(request) {
    const outcome = await run(lib, await request.json(), testing);
    return Response.json({ ...outcome, entry: "./asc-token/index.js" });
  },
};
